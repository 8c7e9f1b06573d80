"""Task: check one integration's key against its provider and store the result."""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.integrations import ValidateTask, ValidateTaskResult, run_validation

router = Router(group="integration_validate", prefix="", function="integration_validate")


@router.post("/", name="run", auth="internal", body=ValidateTask, response=ValidateTaskResult)
def run(ctx: RequestContext, *, body: ValidateTask) -> ValidateTaskResult:
    """Validate the key named by the task; a stale or repeated delivery does nothing."""
    return run_validation(platform=get_platform(), task=body)


@functions_framework.http
def integration_validate(request: flask.Request) -> flask.Response:
    return router(request)
