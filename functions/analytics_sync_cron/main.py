"""Cron (hourly): one analytics sync task per connected social account."""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.analytics import SyncPlan, plan_sync

router = Router(group="analytics_sync_cron", prefix="", function="analytics_sync_cron")


@router.post("/", name="run", auth="internal", response=SyncPlan)
def run(ctx: RequestContext) -> SyncPlan:
    """Fan the accounts out through the analytics queue (accounts backing off are skipped)."""
    return plan_sync(platform=get_platform())


@functions_framework.http
def analytics_sync_cron(request: flask.Request) -> flask.Response:
    return router(request)
