"""Cron (daily): record the revenue snapshot and start the billing sweep (expiring
subscriptions, renewals, grace periods)."""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.billing.expiring import SweepPlan, plan_sweep

router = Router(group="subscriptions_cron", prefix="", function="subscriptions_cron")


@router.post("/", name="run", auth="internal", response=SweepPlan)
def run(ctx: RequestContext) -> SweepPlan:
    """Record today's revenue snapshot; enqueue page 0 of each billing sweep."""
    return plan_sweep(platform=get_platform())


@functions_framework.http
def subscriptions_cron(request: flask.Request) -> flask.Response:
    return router(request)
