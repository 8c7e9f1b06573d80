"""Cron (daily): enqueue one cleanup task per kind of expiring data."""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.cleanup import CleanupPlan, plan_cleanup

router = Router(group="cleanup_cron", prefix="", function="cleanup_cron")


@router.post("/", name="run", auth="internal", response=CleanupPlan)
def run(ctx: RequestContext) -> CleanupPlan:
    """Fan the day's cleanup out through the maintenance queue."""
    return plan_cleanup(platform=get_platform())


@functions_framework.http
def cleanup_cron(request: flask.Request) -> flask.Response:
    return router(request)
