"""Progress that tells the truth: a step's own report, a bar that never goes back."""

from __future__ import annotations

from typing import Any

from synthora.pipeline.models import Step, StepProgress, StepStatus, VideoStatus
from synthora.pipeline.runner import Done, StepRun, StepTask, load_video, run_step
from synthora.platform import Platform
from synthora.providers.errors import ProviderError
from synthora.services.pipeline_services import PIPELINE_SERVICES
from synthora.services.videos import RetryVideoRequest, retry_video
from tests.pipeline.conftest import Pipeline


def _run(platform: Platform, step: Step, work: Any, *, generation: int = 0) -> Any:
    return run_step(
        platform=platform, step=step, task=StepTask(video_id="p1", generation=generation),
        retry_count=0, max_attempts=1, work=work, services=PIPELINE_SERVICES,
    )  # fmt: skip


def test_a_steps_report_moves_the_bar_and_a_failure_never_moves_it_back(
    pipeline: Pipeline, platform: Platform
) -> None:
    pipeline.start(video_id="p1")
    seen: list[int] = []

    def script(run: StepRun) -> Done:
        for fraction in (0.5, 0.9):
            run.report_progress(StepProgress(fraction=fraction, done=int(fraction * 10), total=10))
            video = load_video(platform, "p1")
            assert video is not None
            assert video.steps[Step.script].progress is not None
            seen.append(video.progress)
        return Done(outputs={"script_key": "k"}, provider="template-writer")

    assert _run(platform, Step.script, script).result == "done"
    assert seen[0] < seen[1]
    done = load_video(platform, "p1")
    assert done is not None and done.steps[Step.script].progress is None
    before = done.progress
    assert before >= seen[1]

    def broken(run: StepRun) -> Done:
        raise ProviderError("no", provider="x", code="auth_refused")

    assert _run(platform, Step.voice, broken).result == "failed"
    failed = load_video(platform, "p1")
    assert failed is not None and failed.status == VideoStatus.failed
    assert failed.progress >= before  # the failure did not take the bar back
    assert failed.steps[Step.voice].attempts == 1

    retried = retry_video(
        platform=platform, uid="u1", video_id="p1", request=RetryVideoRequest(integration_id=None)
    )
    assert retried.progress >= failed.progress
    # attempts count this try: the redone step starts from nothing
    assert retried.steps[Step.voice].attempts == 0
    assert retried.steps[Step.voice].status == StepStatus.pending
