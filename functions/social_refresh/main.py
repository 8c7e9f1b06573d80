"""Task: refresh one social account's tokens under its lease (idempotent)."""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.social_accounts import RefreshTask, RefreshTaskResult, run_refresh_task

router = Router(group="social_refresh", prefix="", function="social_refresh")


@router.post(
    "/", name="run", auth="internal", body=RefreshTask, response=RefreshTaskResult, errors=(503,)
)
def run(ctx: RequestContext, *, body: RefreshTask) -> RefreshTaskResult:
    """Refresh one account; a transient platform failure answers 503 so the queue retries."""
    return run_refresh_task(platform=get_platform(), task=body)


@functions_framework.http
def social_refresh(request: flask.Request) -> flask.Response:
    return router(request)
