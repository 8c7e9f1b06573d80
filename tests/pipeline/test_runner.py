"""The step runner: idempotent, resumable, keeps the provider's error payload."""

from __future__ import annotations

from typing import Any

import pytest

from synthora.adapters.sqlite_tasks import SqliteTaskQueue
from synthora.pipeline.models import STEP_ORDER, Step, StepStatus, VideoRecord, VideoStatus
from synthora.pipeline.runner import (
    Done,
    PollLater,
    RetryStep,
    StepRun,
    StepTask,
    load_video,
    run_step,
    step_task_name,
)
from synthora.platform import Platform
from synthora.providers.errors import ProviderError
from synthora.services.pipeline_services import PIPELINE_SERVICES
from synthora.services.videos import CreateVideoRequest, insert_and_start, new_video_record


@pytest.fixture
def video(platform: Platform) -> VideoRecord:
    record = new_video_record(
        video_id="vid1",
        uid="u1",
        template_id="sys-viral-hook",
        template_name="Viral Hook",
        template_version=1,
        config={},
        request=CreateVideoRequest(
            template_id="sys-viral-hook", topic="sleep science", review_script=False
        ),
        use_video_ai=False,
        integrations={},
    )
    return insert_and_start(platform=platform, video=record)


def _run(
    platform: Platform,
    step: Step,
    work: Any,
    *,
    retry: int = 0,
    generation: int = 0,
    poll: int = 0,
    max_attempts: int = 5,
):  # type: ignore[no-untyped-def]
    return run_step(
        platform=platform,
        step=step,
        task=StepTask(video_id="vid1", generation=generation, poll=poll),
        retry_count=retry,
        max_attempts=max_attempts,
        work=work,
        services=PIPELINE_SERVICES,
    )


def _queue(platform: Platform) -> SqliteTaskQueue:
    assert isinstance(platform.tasks, SqliteTaskQueue)
    return platform.tasks


def test_creating_a_video_enqueues_its_first_step(platform: Platform, video: VideoRecord) -> None:
    task = _queue(platform).get_task(step_task_name("vid1", 0, Step.script))
    assert task is not None and task["function"] == "pipeline_script"
    assert video.steps[Step.video_ai].status == StepStatus.skipped


def test_done_records_outputs_and_enqueues_the_steps_it_unblocks(
    platform: Platform, video: VideoRecord
) -> None:
    calls: list[int] = []

    def work(run: StepRun) -> Done:
        calls.append(1)
        return Done(
            outputs={"script_key": "k"},
            provider="template-writer",
            updates={"title": "Sleep, explained"},
        )

    result = _run(platform, Step.script, work)
    assert result.result == "done"
    # Voice and media need only the script: both are enqueued (video AI is skipped).
    assert result.next_tasks == [
        step_task_name("vid1", 0, Step.voice),
        step_task_name("vid1", 0, Step.media),
    ]
    stored = load_video(platform, "vid1")
    assert stored is not None
    assert stored.steps[Step.script].status == StepStatus.done
    assert stored.steps[Step.script].outputs == {"script_key": "k"}
    assert stored.title == "Sleep, explained"
    assert stored.status == VideoStatus.processing and stored.current_step == Step.voice
    assert 0 < stored.progress < 100
    # a duplicate delivery does no work twice, and re-enqueues (a no-op) the next step
    again = _run(platform, Step.script, work)
    assert again.result == "already_done" and calls == [1]
    assert again.next_tasks == result.next_tasks


def test_a_step_that_raises_once_is_retried_and_finished_steps_are_not_redone(
    platform: Platform, video: VideoRecord
) -> None:
    done: list[Step] = []

    def ok(step: Step):  # type: ignore[no-untyped-def]
        def work(run: StepRun) -> Done:
            done.append(step)
            return Done(outputs={"n": 1})

        return work

    _run(platform, Step.script, ok(Step.script))
    flaky_calls: list[int] = []

    def flaky(run: StepRun) -> Done:
        flaky_calls.append(run.retry_count)
        if len(flaky_calls) == 1:
            raise ProviderError(
                "busy",
                provider="elevenlabs",
                status_code=429,
                retry_after_s=3,
                payload={"detail": {"status": "too_many_concurrent_requests"}},
            )
        return Done(outputs={"voice_key": "v"})

    with pytest.raises(RetryStep) as info:
        _run(platform, Step.voice, flaky)
    assert info.value.error["status_code"] == 429
    mid = load_video(platform, "vid1")
    assert mid is not None and mid.steps[Step.voice].error is not None
    assert mid.status == VideoStatus.processing
    assert _run(platform, Step.voice, flaky, retry=1).result == "done"
    for step in (Step.media, Step.assembly, Step.finalize):
        _run(platform, step, ok(step))
    final = load_video(platform, "vid1")
    assert final is not None
    assert final.status == VideoStatus.completed and final.progress == 100
    assert [final.steps[s].status for s in STEP_ORDER] == [
        StepStatus.done,
        StepStatus.done,
        StepStatus.done,
        StepStatus.skipped,
        StepStatus.done,
        StepStatus.done,
    ]
    assert done == [Step.script, Step.media, Step.assembly, Step.finalize]
    assert flaky_calls == [0, 1]
    assert final.steps[Step.voice].error is None and final.steps[Step.voice].attempts == 2


def test_permanent_provider_error_fails_the_video_with_the_full_payload(
    platform: Platform, video: VideoRecord
) -> None:
    payload = {
        "error": {
            "message": "Incorrect API key provided",
            "type": "invalid_request_error",
            "code": "invalid_api_key",
        }
    }

    def bad_key(run: StepRun) -> Done:
        raise ProviderError(
            "Incorrect API key provided",
            provider="openai",
            status_code=401,
            code="invalid_api_key",
            payload=payload,
        )

    result = _run(platform, Step.script, bad_key)
    assert result.result == "failed"
    stored = load_video(platform, "vid1")
    assert stored is not None and stored.status == VideoStatus.failed
    assert stored.error is not None and stored.error.step == Step.script
    assert stored.error.provider == "openai"
    assert stored.error.payload["payload"] == payload
    assert stored.steps[Step.script].status == StepStatus.failed
    # a late duplicate of the failed step changes nothing
    assert _run(platform, Step.script, bad_key).result == "stale"


def test_the_last_attempt_of_a_transient_failure_fails_the_video(
    platform: Platform, video: VideoRecord
) -> None:
    def down(run: StepRun) -> Done:
        raise ProviderError("upstream 503", provider="pexels", status_code=503)

    result = _run(platform, Step.script, down, retry=4, max_attempts=5)
    assert result.result == "failed"
    stored = load_video(platform, "vid1")
    assert stored is not None and stored.error is not None
    assert stored.error.payload["status_code"] == 503 and stored.error.payload["attempt"] == 5


def test_an_unexpected_exception_is_retried_then_reported(
    platform: Platform, video: VideoRecord
) -> None:
    def bug(run: StepRun) -> Done:
        raise KeyError("scenes")

    with pytest.raises(RetryStep):
        _run(platform, Step.script, bug)
    result = _run(platform, Step.script, bug, retry=4)
    assert result.result == "failed"
    stored = load_video(platform, "vid1")
    assert stored is not None and stored.error is not None
    assert stored.error.payload["exception"] == "KeyError"


def test_a_stale_generation_is_ignored(platform: Platform, video: VideoRecord) -> None:
    def never(run: StepRun) -> Done:
        raise AssertionError("must not run")

    assert _run(platform, Step.script, never, generation=7).result == "stale"


def test_a_deleted_video_drops_its_tasks(platform: Platform, video: VideoRecord) -> None:
    platform.documents.collection("videos").document("vid1").delete()

    def never(run: StepRun) -> Done:
        raise AssertionError("must not run")

    assert _run(platform, Step.script, never).result == "gone"


def test_poll_later_keeps_the_job_and_enqueues_a_delayed_poll(
    platform: Platform, video: VideoRecord
) -> None:
    def submit(run: StepRun) -> PollLater:
        return PollLater(
            after_s=10, poll={"job_id": "job-1"}, provider="runway", integration_id="i1"
        )

    result = _run(platform, Step.script, submit)
    assert result.result == "polling"
    assert result.next_tasks == [step_task_name("vid1", 0, Step.script, 1)]
    stored = load_video(platform, "vid1")
    assert stored is not None
    assert stored.steps[Step.script].poll == {"job_id": "job-1"}
    assert stored.steps[Step.script].status == StepStatus.running
    task = _queue(platform).get_task(result.next_tasks[0])
    assert task is not None and '"poll":1' in task["payload"]

    def finish(run: StepRun) -> Done:
        assert run.state.poll == {"job_id": "job-1"}
        return Done(outputs={"clip": "c"})

    assert _run(platform, Step.script, finish, poll=1).result == "done"


def _done(outputs: dict[str, Any] | None = None) -> Any:
    def work(run: StepRun) -> Done:
        return Done(outputs=outputs or {"n": 1})

    return work


def test_assembly_is_enqueued_once_by_whichever_side_step_finishes_last(
    platform: Platform, video: VideoRecord
) -> None:
    _run(platform, Step.script, _done())
    assembly = step_task_name("vid1", 0, Step.assembly)
    # Voice and media start side by side; assembly waits for both.
    assert _run(platform, Step.media, _done()).next_tasks == []
    assert _queue(platform).get_task(assembly) is None
    mid = load_video(platform, "vid1")
    assert mid is not None and mid.current_step == Step.voice  # the earliest step still open
    assert _run(platform, Step.voice, _done()).next_tasks == [assembly]
    assert _queue(platform).get_task(assembly) is not None


def test_a_step_delivered_before_what_it_needs_has_finished_does_nothing(
    platform: Platform, video: VideoRecord
) -> None:
    def never(run: StepRun) -> Done:
        raise AssertionError("must not run")

    assert _run(platform, Step.voice, never).result == "stale"  # the script is not written yet
    _run(platform, Step.script, _done())
    _run(platform, Step.voice, _done())
    assert _run(platform, Step.assembly, never).result == "stale"  # media is still pending
    stored = load_video(platform, "vid1")
    assert stored is not None and stored.steps[Step.assembly].status == StepStatus.pending


def test_a_side_step_finishing_after_its_sibling_failed_keeps_its_work_for_the_retry(
    platform: Platform, video: VideoRecord
) -> None:
    from synthora.services.videos import RetryVideoRequest, retry_video

    _run(platform, Step.script, _done())

    def bad_key(run: StepRun) -> Done:
        raise ProviderError("Invalid API key", provider="elevenlabs", status_code=401)

    def media_while_voice_fails(run: StepRun) -> Done:
        # Voice fails while media is still working beside it.
        assert _run(platform, Step.voice, bad_key).result == "failed"
        return Done(outputs={"media_key": "m"})

    finished = _run(platform, Step.media, media_while_voice_fails)
    assert finished.result == "done" and finished.next_tasks == []  # nothing goes on
    stored = load_video(platform, "vid1")
    assert stored is not None and stored.status == VideoStatus.failed
    assert stored.error is not None and stored.error.step == Step.voice
    assert stored.steps[Step.media].status == StepStatus.done
    assert _queue(platform).get_task(step_task_name("vid1", 0, Step.assembly)) is None

    retried = retry_video(platform=platform, uid="u1", video_id="vid1", request=RetryVideoRequest())
    assert retried.generation == 1 and retried.current_step == Step.voice
    assert retried.steps[Step.media].outputs == {"media_key": "m"}  # kept, not redone
    assert _queue(platform).get_task(step_task_name("vid1", 1, Step.voice)) is not None
    assert _queue(platform).get_task(step_task_name("vid1", 1, Step.media)) is None


def test_a_retry_restarts_a_sibling_that_had_not_finished(
    platform: Platform, video: VideoRecord
) -> None:
    from synthora.services.videos import RetryVideoRequest, retry_video

    _run(platform, Step.script, _done())

    def bad_key(run: StepRun) -> Done:
        raise ProviderError("Invalid API key", provider="elevenlabs", status_code=401)

    assert _run(platform, Step.voice, bad_key).result == "failed"
    # Media's task arrives after the failure: it does not start.
    assert _run(platform, Step.media, _done()).result == "stale"
    retried = retry_video(platform=platform, uid="u1", video_id="vid1", request=RetryVideoRequest())
    assert retried.steps[Step.voice].status == StepStatus.pending
    assert retried.steps[Step.media].status == StepStatus.pending
    assert _queue(platform).get_task(step_task_name("vid1", 1, Step.voice)) is not None
    assert _queue(platform).get_task(step_task_name("vid1", 1, Step.media)) is not None


def test_a_retry_keeps_a_sibling_that_finished_and_redoes_what_needs_the_failed_step(
    platform: Platform, video: VideoRecord
) -> None:
    from synthora.services.videos import RetryVideoRequest, retry_video

    _run(platform, Step.script, _done())
    _run(platform, Step.media, _done({"media_key": "m"}))

    def bad_key(run: StepRun) -> Done:
        raise ProviderError("Invalid API key", provider="elevenlabs", status_code=401)

    _run(platform, Step.voice, bad_key)
    retried = retry_video(platform=platform, uid="u1", video_id="vid1", request=RetryVideoRequest())
    assert retried.steps[Step.media].status == StepStatus.done
    assert retried.steps[Step.media].outputs == {"media_key": "m"}
    assert [retried.steps[s].status for s in (Step.voice, Step.assembly, Step.finalize)] == [
        StepStatus.pending
    ] * 3
    assert _queue(platform).get_task(step_task_name("vid1", 1, Step.media)) is None
    assert _run(platform, Step.voice, _done(), generation=1).next_tasks == [
        step_task_name("vid1", 1, Step.assembly)
    ]
