"""Task: publish (or poll) one post target, exactly once (idempotent under redelivery)."""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.posts import PublishTask, PublishTaskResult, run_publish_task

router = Router(group="posts_publish", prefix="", function="posts_publish")


@router.post(
    "/", name="run", auth="internal", body=PublishTask, response=PublishTaskResult, errors=(503,)
)
def run(ctx: RequestContext, *, body: PublishTask) -> PublishTaskResult:
    """Claim the target and move it one step; 503 while another delivery holds it."""
    return run_publish_task(platform=get_platform(), task=body)


@functions_framework.http
def posts_publish(request: flask.Request) -> flask.Response:
    return router(request)
