"""The router every pipeline step function shares: one internal POST route.

The function that serves a step builds it with the services the pipeline needs
(`PipelineServices`), so the pipeline never imports the services.
"""

from __future__ import annotations

from synthora.errors import ServiceUnavailable
from synthora.http import RequestContext, Router
from synthora.pipeline.hooks import PipelineServices
from synthora.pipeline.models import STEP_FUNCTION, Step
from synthora.pipeline.runner import RetryStep, StepResponse, StepTask, run_step
from synthora.pipeline.steps import STEP_WORK
from synthora.platform import get_platform


def step_router(step: Step, *, services: PipelineServices) -> Router:
    """A router running `step` for the task it is delivered; 503 asks the queue to retry."""
    function = STEP_FUNCTION[step]
    router = Router(group=function, prefix="", function=function)

    @router.post("/", name="run", auth="internal", body=StepTask, response=StepResponse)
    def run(ctx: RequestContext, *, body: StepTask) -> StepResponse:
        platform = get_platform()
        policy = platform.manifest.queue_for(function).retry
        try:
            return run_step(
                platform=platform,
                step=step,
                task=body,
                retry_count=ctx.task.retry_count if ctx.task else 0,
                max_attempts=policy.max_attempts,
                work=STEP_WORK[step],
                services=services,
            )
        except RetryStep as exc:
            raise ServiceUnavailable(
                f"{step.value} failed this time and will be retried: {exc}",
                code="step_retry",
                details=exc.error,
            ) from exc

    return router
