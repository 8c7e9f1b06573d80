"""Cron (daily): delete expired suggestions; one generation task per type per premium user."""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.suggestions import DailyPlan, plan_daily

router = Router(group="suggestions_cron", prefix="", function="suggestions_cron")


@router.post("/", name="run", auth="internal", response=DailyPlan)
def run(ctx: RequestContext) -> DailyPlan:
    """Clean one batch of expired suggestions and fan today's generation out through tasks."""
    return plan_daily(platform=get_platform())


@functions_framework.http
def suggestions_cron(request: flask.Request) -> flask.Response:
    return router(request)
