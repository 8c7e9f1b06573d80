"""Task: delete one batch of expired records and their blobs."""

import flask
import functions_framework

from synthora.errors import ValidationFailed
from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.cleanup import (
    CleanupBatchResult,
    CleanupTask,
    registered_targets,
    run_cleanup_batch,
)

router = Router(group="cleanup_worker", prefix="", function="cleanup_worker")


@router.post("/", name="run", auth="internal", body=CleanupTask, response=CleanupBatchResult)
def run(ctx: RequestContext, *, body: CleanupTask) -> CleanupBatchResult:
    """Delete one batch; enqueue the next while more remain."""
    if body.target not in registered_targets():
        raise ValidationFailed(
            f"unknown cleanup target {body.target!r}",
            details={"allowed": sorted(registered_targets())},
        )
    return run_cleanup_batch(platform=get_platform(), task=body)


@functions_framework.http
def cleanup_worker(request: flask.Request) -> flask.Response:
    return router(request)
