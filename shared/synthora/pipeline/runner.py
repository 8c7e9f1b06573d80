"""Running one pipeline step idempotently, and chaining to the next.

Every step task carries `(video_id, generation)`. The runner:

1. in a transaction, ignores the delivery when the video is gone, belongs to
   an older generation (a retry started since), has failed, or has this step
   done already (then it only makes sure the steps after it are enqueued);
   otherwise marks the step running;
2. runs the step's work in a scratch folder (outputs go to blobs under
   deterministic keys, so a repeat overwrites rather than duplicates);
3. in a transaction, records the outputs, then enqueues every step whose
   needs (`STEP_NEEDS`) are now all finished, each under a deterministic task
   name (a duplicate enqueue is a no-op). Voice, media and video AI need only
   the script and run side by side; whichever of them finishes last enqueues
   assembly (transactions make exactly one of them see the others done);
4. on a transient failure (rate limit, outage, unexpected error) answers 503
   so the queue retries with backoff; on a permanent failure or the last
   attempt, marks the step and the video failed with the provider's full
   error payload.

Two pauses sit outside the steps. When the script step finishes and the video
wants a storyboard review (`VideoRecord.wants_review`), the video goes to
`review` instead of enqueuing the next steps, and its concurrency slot is
released (`PipelineServices.video_in_review`); continuing the review enqueues
them (`synthora.services.storyboard`). A cancelled video (`cancelled`) stops
its running step at the next checkpoint: every upload (`StepRun.put_file`,
`put_bytes`) and the end of the step's work check the video first, and a
cancelled run removes what it uploaded; a step task delivered after the
cancel is a no-op.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from synthora.logs import bind, fields, get_logger
from synthora.pipeline.fallback import fall_back
from synthora.pipeline.hooks import PipelineServices
from synthora.pipeline.models import (
    SETTLED_STATUSES,
    STEP_FUNCTION,
    STEP_NEEDS,
    ReviewState,
    Step,
    StepProgress,
    StepState,
    StepStatus,
    VideoError,
    VideoRecord,
    VideoStatus,
)
from synthora.platform import Platform
from synthora.ports.documents import DocumentRef, Transaction
from synthora.ports.tasks import task_name
from synthora.providers.errors import ProviderError
from synthora.settings import get_settings

log = get_logger(__name__)

VIDEOS = "videos"


class StepTask(BaseModel):
    """The payload of every pipeline step task."""

    video_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    generation: int = Field(ge=0)
    poll: int = Field(default=0, ge=0, description="How many polls of a provider job so far.")


class StepResponse(BaseModel):
    video_id: str
    step: Step
    result: Literal[
        "done", "already_done", "stale", "gone", "polling", "failed", "review", "cancelled"
    ]
    next_tasks: list[str] = Field(default_factory=list)


class Done(BaseModel):
    """The step finished; `outputs` go into the step's state, `updates` into the video."""

    outputs: dict[str, Any] = Field(default_factory=dict)
    provider: str | None = None
    integration_id: str | None = None
    updates: dict[str, Any] = Field(default_factory=dict)
    note: str | None = None


class PollLater(BaseModel):
    """An asynchronous provider job is running: check again after `after_s`."""

    after_s: float = Field(gt=0, le=600)
    poll: dict[str, Any]
    provider: str
    integration_id: str | None = None


StepOutcome = Done | PollLater


class StepCancelled(Exception):
    """The video was cancelled (or restarted) while this step ran: stop here."""


class RetryStep(Exception):
    """The step failed transiently; the queue should deliver it again."""

    def __init__(self, message: str, *, error: dict[str, Any]) -> None:
        super().__init__(message)
        self.error = error


@dataclass
class StepRun:
    """What a step's work receives."""

    platform: Platform
    services: PipelineServices
    video: VideoRecord
    step: Step
    state: StepState
    workdir: Path
    task: StepTask
    retry_count: int = 0
    uploaded: list[str] = field(default_factory=list)

    def blob_key(self, name: str) -> str:
        return f"{self.video.blob_prefix}{name}"

    def checkpoint(self) -> None:
        """Raise `StepCancelled` when the video was cancelled or restarted since this run began."""
        current = load_video(self.platform, self.video.id)
        if (
            current is None
            or current.generation != self.task.generation
            or current.status == VideoStatus.cancelled
        ):
            raise StepCancelled(f"the video {self.video.id} was cancelled")

    def report_progress(self, progress: StepProgress) -> None:
        """Record how far this step is (and check for a cancel: it is a checkpoint too)."""
        ref = video_ref(self.platform, self.video.id)

        def record(tx: Transaction) -> bool:
            snap = tx.get(ref)
            if not snap.exists:
                return False
            video = VideoRecord.model_validate(snap.to_dict())
            state = video.steps[self.step]
            if (
                video.generation != self.task.generation
                or video.status == VideoStatus.cancelled
                or state.status != StepStatus.running
            ):
                return False
            state.progress = progress
            _save(tx, ref, video)
            return True

        if not self.platform.documents.run_transaction(record):
            self.checkpoint()

    def put_file(self, name: str, path: Path, *, content_type: str) -> str:
        self.checkpoint()
        key = self.blob_key(name)
        self.platform.blobs.put_file(key, path, content_type=content_type)
        self.uploaded.append(key)
        return key

    def put_bytes(self, name: str, data: bytes, *, content_type: str) -> str:
        self.checkpoint()
        key = self.blob_key(name)
        self.platform.blobs.put_bytes(key, data, content_type=content_type)
        self.uploaded.append(key)
        return key

    def fetch(self, key: str, name: str | None = None) -> Path:
        target = self.workdir / (name or key.rsplit("/", 1)[-1])
        return self.platform.blobs.download_to(key, target)

    def outputs_of(self, step: Step) -> dict[str, Any]:
        return self.video.steps[step].outputs


StepWork = Callable[[StepRun], StepOutcome]


def video_ref(platform: Platform, video_id: str) -> DocumentRef:
    return platform.documents.collection(VIDEOS).document(video_id)


def load_video(platform: Platform, video_id: str) -> VideoRecord | None:
    snap = video_ref(platform, video_id).get()
    return VideoRecord.model_validate(snap.to_dict()) if snap.exists else None


def step_task_name(video: VideoRecord | str, generation: int, step: Step, poll: int = 0) -> str:
    video_id = video if isinstance(video, str) else video.id
    suffix = f"poll{poll}" if poll else "run"
    return task_name("video", video_id, f"g{generation}", step.value, suffix)


def enqueue_step(
    platform: Platform,
    *,
    video_id: str,
    generation: int,
    step: Step,
    poll: int = 0,
    delay_s: float | None = None,
) -> str:
    name = step_task_name(video_id, generation, step, poll)
    platform.tasks.enqueue(
        function=STEP_FUNCTION[step],
        payload=StepTask(video_id=video_id, generation=generation, poll=poll),
        name=name,
        delay_s=delay_s,
    )
    return name


def _now() -> datetime:
    return datetime.now(UTC)


def _save(tx: Transaction, ref: DocumentRef, video: VideoRecord) -> None:
    video.updated_at = _now()
    # The bar never goes back: a failure or a retry keeps what was shown.
    video.progress = max(video.progress, video.compute_progress())
    tx.set(ref, video.model_dump())


def run_step(
    *,
    platform: Platform,
    step: Step,
    task: StepTask,
    retry_count: int,
    max_attempts: int,
    work: StepWork,
    services: PipelineServices,
) -> StepResponse:
    """Run `work` for `step` of the video, exactly as the module docstring describes."""
    bind(video_id=task.video_id, step=step.value, generation=task.generation)
    ref = video_ref(platform, task.video_id)
    store = platform.documents

    def begin(tx: Transaction) -> tuple[str, VideoRecord | None]:
        snap = tx.get(ref)
        if not snap.exists:
            return "gone", None
        video = VideoRecord.model_validate(snap.to_dict())
        if video.generation != task.generation or video.status in (
            *SETTLED_STATUSES,
            VideoStatus.review,
        ):
            # failed, completed, cancelled, expired, or waiting for the creator's review
            return "stale", video
        state = video.steps[step]
        if state.status in (StepStatus.done, StepStatus.skipped):
            return "already_done", video
        if state.status == StepStatus.failed or not video.needs_met(step):
            return "stale", video  # enqueued again once what it needs has finished
        if (
            state.status == StepStatus.running
            and state.claim_poll == task.poll
            and state.claim_retry is not None
            and state.claim_retry >= retry_count
        ):
            # the same delivery, twice at once (at-least-once queues do that): one runs it
            return "busy", video
        state.status = StepStatus.running
        state.progress = None
        state.attempts += 1
        state.claim_poll = task.poll
        state.claim_retry = retry_count
        state.started_at = state.started_at or _now()
        video.status = VideoStatus.processing
        video.current_step = video.first_open_step()
        _save(tx, ref, video)
        return "run", video

    verdict, video = store.run_transaction(begin)
    if verdict == "gone":
        log.info("video gone; dropping step")
        return StepResponse(video_id=task.video_id, step=step, result="gone")
    assert video is not None
    if verdict == "busy":
        log.info("duplicate step delivery while it runs; asking the queue to retry")
        raise RetryStep(
            "this step is running in another delivery of the same task",
            error={"code": "step_busy", "attempt": retry_count + 1},
        )
    if verdict == "stale":
        log.info("stale step delivery ignored")
        return StepResponse(video_id=task.video_id, step=step, result="stale")
    if verdict == "already_done":
        names = (
            _enqueue_unblocked(platform, video, step)
            if video.status != VideoStatus.completed
            else []
        )
        return StepResponse(video_id=video.id, step=step, result="already_done", next_tasks=names)

    final_attempt = retry_count + 1 >= max_attempts
    uploaded: list[str] = []
    try:
        try:
            outcome = _work_once(platform, services, video, step, task, retry_count, work, uploaded)
        except ProviderError as exc:
            # unreachable, key refused or out of retries: the next runnable provider
            # runs the step at once, when the owner allows it (pipeline/fallback.py)
            switched = fall_back(
                platform=platform,
                services=services,
                ref=ref,
                generation=task.generation,
                step=step,
                video=video,
                exc=exc,
                final_attempt=final_attempt,
            )
            if switched is None:
                raise
            video = switched
            outcome = _work_once(platform, services, video, step, task, retry_count, work, uploaded)
    except StepCancelled:
        return _cancelled(platform, task, step, uploaded)
    except ProviderError as exc:
        error = {**exc.to_dict(), "attempt": retry_count + 1}
        if exc.transient and not final_attempt:
            _record_attempt_error(platform, ref, task, step, error)
            raise RetryStep(exc.message, error=error) from exc
        return _fail(
            platform,
            services,
            ref,
            task,
            step,
            provider=exc.provider,
            message=exc.message,
            payload=error,
            integration_id=video.steps[step].integration_id,
        )
    except RetryStep:
        raise
    except Exception as exc:  # a bug or an environment problem: retry, then fail with details
        log.exception("step raised")
        error = {
            "exception": type(exc).__name__,
            "message": str(exc)[:2000],
            "attempt": retry_count + 1,
        }
        if not final_attempt:
            _record_attempt_error(platform, ref, task, step, error)
            raise RetryStep(str(exc), error=error) from exc
        return _fail(
            platform,
            services,
            ref,
            task,
            step,
            provider=video.steps[step].provider,
            message=f"{step.value} failed: {exc}",
            payload=error,
        )

    if isinstance(outcome, PollLater):
        return _poll_later(platform, ref, task, step, outcome)
    response = _finish(platform, services, ref, task, step, outcome)
    if response.result == "cancelled":
        return _cancelled(platform, task, step, uploaded)
    return response


def _cancelled(platform: Platform, task: StepTask, step: Step, uploaded: list[str]) -> StepResponse:
    """A cancelled run removes the files it wrote (the cancel removed the rest already)."""
    for key in uploaded:
        platform.blobs.delete(key)
    log.info("step stopped: the video was cancelled", extra=fields(removed=len(uploaded)))
    return StepResponse(video_id=task.video_id, step=step, result="cancelled")


def _work_once(
    platform: Platform,
    services: PipelineServices,
    video: VideoRecord,
    step: Step,
    task: StepTask,
    retry_count: int,
    work: StepWork,
    uploaded: list[str],
) -> StepOutcome:
    """Run the step's work once in a scratch folder; stops if the video was cancelled meanwhile."""
    with tempfile.TemporaryDirectory(prefix=f"synthora-{step.value}-") as tmp:
        run = StepRun(
            platform=platform,
            services=services,
            video=video,
            step=step,
            state=video.steps[step],
            workdir=Path(tmp),
            task=task,
            retry_count=retry_count,
            uploaded=uploaded,
        )
        outcome = work(run)
        run.checkpoint()
        return outcome


def _record_attempt_error(
    platform: Platform, ref: DocumentRef, task: StepTask, step: Step, error: dict[str, Any]
) -> None:
    def record(tx: Transaction) -> None:
        snap = tx.get(ref)
        if not snap.exists:
            return
        video = VideoRecord.model_validate(snap.to_dict())
        if video.generation != task.generation:
            return
        video.steps[step].error = error
        _save(tx, ref, video)

    platform.documents.run_transaction(record)
    log.warning("step will be retried", extra=fields(error=error))


def _poll_later(
    platform: Platform, ref: DocumentRef, task: StepTask, step: Step, outcome: PollLater
) -> StepResponse:
    def record(tx: Transaction) -> bool:
        snap = tx.get(ref)
        if not snap.exists:
            return False
        video = VideoRecord.model_validate(snap.to_dict())
        if video.generation != task.generation or video.steps[step].status != StepStatus.running:
            return False
        state = video.steps[step]
        state.poll = outcome.poll
        state.provider = outcome.provider
        state.integration_id = outcome.integration_id
        _save(tx, ref, video)
        return True

    if not platform.documents.run_transaction(record):
        return StepResponse(video_id=task.video_id, step=step, result="stale")
    name = enqueue_step(
        platform,
        video_id=task.video_id,
        generation=task.generation,
        step=step,
        poll=task.poll + 1,
        delay_s=outcome.after_s,
    )
    return StepResponse(video_id=task.video_id, step=step, result="polling", next_tasks=[name])


def _finish(
    platform: Platform,
    services: PipelineServices,
    ref: DocumentRef,
    task: StepTask,
    step: Step,
    outcome: Done,
) -> StepResponse:
    def record(tx: Transaction) -> tuple[str, VideoRecord | None]:
        snap = tx.get(ref)
        if not snap.exists:
            return "already_done", None
        video = VideoRecord.model_validate(snap.to_dict())
        state = video.steps[step]
        if video.generation == task.generation and video.status == VideoStatus.cancelled:
            return "cancelled", None
        if video.generation != task.generation or state.status != StepStatus.running:
            return "already_done", None  # a duplicate delivery finished first
        state.status = StepStatus.done
        state.outputs = outcome.outputs
        state.provider = outcome.provider or state.provider
        state.integration_id = outcome.integration_id or state.integration_id
        state.finished_at = _now()
        state.error = None
        state.poll = None
        state.progress = None
        state.note = outcome.note
        data = video.model_dump()
        data.update(outcome.updates)
        video = VideoRecord.model_validate(data)
        if video.status == VideoStatus.failed:
            # A step beside this one failed meanwhile: keep this work for a retry.
            _save(tx, ref, video)
            return "done", None
        if step == Step.script and video.wants_review():
            now = _now()
            expires = now + timedelta(hours=get_settings().storyboard_review_hours)
            video.status = VideoStatus.review
            video.review = ReviewState(wanted=True, started_at=now, expires_at=expires)
            video.review_expires_at = expires
            video.current_step = video.first_open_step()
            _save(tx, ref, video)
            return "review", video
        if video.all_finished():
            video.status = VideoStatus.completed
            video.current_step = None
            video.completed_at = _now()
        else:
            video.current_step = video.first_open_step()
        _save(tx, ref, video)
        return "done", video

    verdict, video = platform.documents.run_transaction(record)
    if verdict == "cancelled":
        return StepResponse(video_id=task.video_id, step=step, result="cancelled")
    if verdict == "already_done":
        return StepResponse(video_id=task.video_id, step=step, result="already_done")
    if verdict == "review":
        assert video is not None
        log.info("script ready: waiting for the storyboard review")
        services.video_in_review(platform=platform, video=video)
        return StepResponse(video_id=task.video_id, step=step, result="review")
    names = _enqueue_unblocked(platform, video, step) if video is not None else []
    log.info("step done", extra=fields(next=names))
    return StepResponse(video_id=task.video_id, step=step, result="done", next_tasks=names)


def _enqueue_unblocked(platform: Platform, video: VideoRecord, step: Step) -> list[str]:
    """Enqueue the steps that need `step` and now have all they need.

    Named tasks, so a repeat (a redelivered step) is a no-op.
    """
    return [
        enqueue_step(platform, video_id=video.id, generation=video.generation, step=ready)
        for ready in video.ready_steps()
        if step in STEP_NEEDS[ready]
    ]


def _fail(
    platform: Platform,
    services: PipelineServices,
    ref: DocumentRef,
    task: StepTask,
    step: Step,
    *,
    provider: str | None,
    message: str,
    payload: Any,
    integration_id: str | None = None,
) -> StepResponse:
    def record(tx: Transaction) -> VideoRecord | None:
        snap = tx.get(ref)
        if not snap.exists:
            return None
        video = VideoRecord.model_validate(snap.to_dict())
        if video.generation != task.generation or video.status in SETTLED_STATUSES:
            return None
        state = video.steps[step]
        state.status = StepStatus.failed
        state.integration_id = integration_id or state.integration_id  # what a retry replaces
        state.finished_at = _now()
        state.error = payload if isinstance(payload, dict) else {"payload": payload}
        video.status = VideoStatus.failed
        video.error = VideoError(
            step=step, provider=provider, message=message, payload=payload, at=_now()
        )
        _save(tx, ref, video)
        return video

    video = platform.documents.run_transaction(record)
    if video is not None:
        log.error("video failed", extra=fields(message=message, provider=provider))
        try:
            services.video_failed(platform=platform, video=video)
        except Exception:  # telling people must not turn a recorded failure into a retry
            log.exception("failure follow-up raised")
    return StepResponse(video_id=task.video_id, step=step, result="failed")
