"""Task: generate one type of suggestion for one user (idempotent: one record per conclusion)."""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.suggestions import GenerateResult, GenerateTask, run_generate

router = Router(group="suggestions_generate", prefix="", function="suggestions_generate")


@router.post("/", name="run", auth="internal", body=GenerateTask, response=GenerateResult)
def run(ctx: RequestContext, *, body: GenerateTask) -> GenerateResult:
    """Run the type's analyser over the user's history and store what it concludes."""
    return run_generate(platform=get_platform(), task=body)


@functions_framework.http
def suggestions_generate(request: flask.Request) -> flask.Response:
    return router(request)
