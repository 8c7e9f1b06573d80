"""Task: one page of a billing sweep; enqueues the next page."""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.billing.expiring import SweepResult, SweepTask, run_sweep

router = Router(group="subscriptions_sweep", prefix="", function="subscriptions_sweep")


@router.post("/", name="run", auth="internal", body=SweepTask, response=SweepResult)
def run(ctx: RequestContext, *, body: SweepTask) -> SweepResult:
    """Notify or re-check one page of subscriptions (idempotent per subscription and period)."""
    return run_sweep(platform=get_platform(), settings=ctx.settings, task=body)


@functions_framework.http
def subscriptions_sweep(request: flask.Request) -> flask.Response:
    return router(request)
