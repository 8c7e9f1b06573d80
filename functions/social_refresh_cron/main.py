"""Cron (every 10 minutes): one refresh task per social account whose token expires soon."""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.social_accounts import RefreshPlan, plan_refreshes

router = Router(group="social_refresh_cron", prefix="", function="social_refresh_cron")


@router.post("/", name="run", auth="internal", response=RefreshPlan)
def run(ctx: RequestContext) -> RefreshPlan:
    """Fan the due refreshes out through the social queue."""
    return plan_refreshes(platform=get_platform())


@functions_framework.http
def social_refresh_cron(request: flask.Request) -> flask.Response:
    return router(request)
