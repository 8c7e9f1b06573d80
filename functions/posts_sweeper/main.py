"""Cron (every minute): catch-up tasks for overdue unclaimed post targets; reminders."""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.posts import SweepResult, sweep

router = Router(group="posts_sweeper", prefix="", function="posts_sweeper")


@router.post("/", name="run", auth="internal", response=SweepResult)
def run(ctx: RequestContext) -> SweepResult:
    """Enqueue and log whatever is due and unclaimed; send scheduled_post reminders."""
    return sweep(platform=get_platform())


@functions_framework.http
def posts_sweeper(request: flask.Request) -> flask.Response:
    return router(request)
