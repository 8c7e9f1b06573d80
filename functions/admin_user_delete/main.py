"""Task: purge one user's data, phase by phase, resumable (services/user_deletion.py)."""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.user_deletion import DeletionResult, DeletionTask, run_deletion

router = Router(group="admin_user_delete", prefix="", function="admin_user_delete")


@router.post("/", name="run", auth="internal", body=DeletionTask, response=DeletionResult)
def run(ctx: RequestContext, *, body: DeletionTask) -> DeletionResult:
    """Delete the user's data from the recorded phase on; hand over when the batch cap is hit."""
    return run_deletion(platform=get_platform(), task=body)


@functions_framework.http
def admin_user_delete(request: flask.Request) -> flask.Response:
    return router(request)
