"""Task: deliver one page of an admin broadcast and enqueue the next page."""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.notifications import FanoutResult, FanoutTask, run_fanout

router = Router(group="notifications_fanout", prefix="", function="notifications_fanout")


@router.post("/", name="run", auth="internal", body=FanoutTask, response=FanoutResult)
def run(ctx: RequestContext, *, body: FanoutTask) -> FanoutResult:
    """Notify one page of users (idempotent per broadcast and user)."""
    return run_fanout(platform=get_platform(), task=body)


@functions_framework.http
def notifications_fanout(request: flask.Request) -> flask.Response:
    return router(request)
