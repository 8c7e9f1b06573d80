"""Task: sync one social account's post metrics and channel figures (idempotent)."""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.analytics import AccountSyncResult, AccountSyncTask, sync_account

router = Router(group="analytics_sync", prefix="", function="analytics_sync")


@router.post("/", name="run", auth="internal", body=AccountSyncTask, response=AccountSyncResult)
def run(ctx: RequestContext, *, body: AccountSyncTask) -> AccountSyncResult:
    """Fetch the account's due posts in batches; a throttle backs the account off."""
    return sync_account(platform=get_platform(), task=body)


@functions_framework.http
def analytics_sync(request: flask.Request) -> flask.Response:
    return router(request)
