"""The video record and its per-step state, as stored in `videos/{id}`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field


class Step(StrEnum):
    script = "script"
    voice = "voice"
    media = "media"
    video_ai = "video_ai"
    assembly = "assembly"
    finalize = "finalize"


STEP_ORDER: list[Step] = [
    Step.script,
    Step.voice,
    Step.media,
    Step.video_ai,
    Step.assembly,
    Step.finalize,
]

#: What each step needs finished (done or skipped) before it starts. Voice,
#: media and video AI each need only the script, so they run side by side;
#: assembly joins them.
STEP_NEEDS: dict[Step, tuple[Step, ...]] = {
    Step.script: (),
    Step.voice: (Step.script,),
    Step.media: (Step.script,),
    Step.video_ai: (Step.script,),
    Step.assembly: (Step.voice, Step.media, Step.video_ai),
    Step.finalize: (Step.assembly,),
}

# Share of the progress bar each step stands for (roughly its share of wall time).
STEP_WEIGHT: dict[Step, int] = {
    Step.script: 5,
    Step.voice: 15,
    Step.media: 15,
    Step.video_ai: 20,
    Step.assembly: 40,
    Step.finalize: 5,
}

# The task function that runs each step.
STEP_FUNCTION: dict[Step, str] = {step: f"pipeline_{step.value}" for step in STEP_ORDER}

#: The choice meaning "run this step's offline provider" in `VideoRecord.integrations`.
OFFLINE = "offline"

#: The provider id the offline script writer records on the script step.
OFFLINE_SCRIPT_PROVIDER = "template-writer"

#: The integration category (and provider capability) each selectable step uses.
CATEGORY: dict[Step, str] = {
    Step.script: "script",
    Step.voice: "voice",
    Step.media: "media",
    Step.video_ai: "video_ai",
    Step.assembly: "assembly",
}


class StepStatus(StrEnum):
    pending = "pending"
    running = "running"
    done = "done"
    failed = "failed"
    skipped = "skipped"


class VideoStatus(StrEnum):
    queued = "queued"
    processing = "processing"
    #: The script is written and waits for the creator's storyboard review.
    review = "review"
    completed = "completed"
    failed = "failed"
    #: The creator cancelled the generation.
    cancelled = "cancelled"
    #: The storyboard waited for review longer than allowed.
    expired = "expired"


#: A generation in these holds (or is about to hold) a concurrency slot.
ACTIVE_STATUSES = (VideoStatus.queued, VideoStatus.processing)
#: Nothing more runs for a video in these.
SETTLED_STATUSES = (
    VideoStatus.completed,
    VideoStatus.failed,
    VideoStatus.cancelled,
    VideoStatus.expired,
)


class StepProgress(BaseModel):
    """How far a running step is, as the step itself reports it."""

    fraction: float = Field(ge=0, le=1)
    done: int | None = Field(default=None, ge=0, description="Units done (frames).")
    total: int | None = Field(default=None, ge=0, description="Units in all (frames).")
    unit: str | None = None
    eta_s: float | None = Field(default=None, ge=0, description="Estimated seconds left.")


#: Why a step left its provider for another (`StepFallback.reason`):
#: `unreachable` (no connection), `key_refused` (401/403), `retries_exhausted`
#: (rate limits, outages or timeouts on every attempt), `failed_earlier` (the
#: same integration already failed in another step of this video).
FallbackReason = Literal["unreachable", "key_refused", "retries_exhausted", "failed_earlier"]


class StepFallback(BaseModel):
    """A step left its provider for the next runnable one (at most once per step)."""

    from_provider: str
    from_name: str
    from_integration_id: str | None = None
    to_provider: str = Field(description="A provider id, or 'offline' for the local provider.")
    to_name: str
    to_integration_id: str | None = None
    reason: FallbackReason
    message: str = Field(default="", max_length=500)
    source_step: Step | None = Field(
        default=None, description="For `failed_earlier`: the step where it failed."
    )
    at: datetime | None = None


class StepState(BaseModel):
    status: StepStatus = StepStatus.pending
    provider: str | None = None
    integration_id: str | None = None
    attempts: int = 0
    # Which delivery runs the step now (task poll and retry count): a duplicate of the
    # same delivery waits (503), a later retry or poll takes over.
    claim_poll: int | None = None
    claim_retry: int | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    outputs: dict[str, Any] = Field(default_factory=dict)
    error: dict[str, Any] | None = None
    poll: dict[str, Any] | None = None  # an asynchronous provider job being polled
    note: str | None = None
    fallback: StepFallback | None = None
    #: How far a running step is (the assembly reports FFmpeg's frames).
    progress: StepProgress | None = None


class VideoError(BaseModel):
    step: Step
    provider: str | None = None
    message: str
    payload: Any | None = None
    at: datetime | None = None


class ReviewState(BaseModel):
    """The storyboard review between the script and the rest of the pipeline."""

    wanted: bool = Field(description="Whether this generation stops for the creator's review.")
    started_at: datetime | None = Field(default=None, description="When the review began.")
    expires_at: datetime | None = None
    edited: bool = Field(default=False, description="Whether the creator changed the script.")
    continued_at: datetime | None = None
    regenerations: int = Field(default=0, ge=0, description="Scenes rewritten by a model.")
    revision: int = Field(default=0, ge=0, description="How many times the script was saved.")


class VideoOutputs(BaseModel):
    video_key: str
    thumbnail_key: str | None = None
    duration_s: float
    width: int
    height: int
    size_bytes: int


class VideoRecord(BaseModel):
    id: str
    owner_id: str
    template_id: str
    template_name: str
    template_version: int = 1
    config: dict[str, Any]
    topic: str
    instructions: str | None = None
    title: str | None = None
    description: str | None = None
    hashtags: list[str] = Field(default_factory=list)
    status: VideoStatus = VideoStatus.queued
    current_step: Step | None = Step.script
    progress: int = Field(default=0, ge=0, le=100)
    steps: dict[Step, StepState]
    generation: int = 0
    use_video_ai: bool = False
    integrations: dict[Step, str | None] = Field(
        default_factory=dict, description="Integration chosen per step; None = offline."
    )
    avoid_integrations: dict[str, str] = Field(
        default_factory=dict,
        description="Integrations that failed in this video (id -> reason): later steps "
        "skip them instead of failing on them again.",
    )
    review_script: bool | None = Field(
        default=None,
        description="Stop for a storyboard review after the script: True always, False never, "
        "None when the offline writer wrote it.",
    )
    review: ReviewState | None = None
    #: When a storyboard waiting for review expires (set only while in review).
    review_expires_at: datetime | None = None
    outputs: VideoOutputs | None = None
    error: VideoError | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    completed_at: datetime | None = None
    expires_at: datetime | None = None

    @property
    def blob_prefix(self) -> str:
        return f"videos/{self.owner_id}/{self.id}/"

    def wants_review(self) -> bool:
        """Whether this generation stops for the storyboard review once the script is done.

        The creator's choice when they made one; otherwise only when the offline
        writer wrote the script (it cannot know facts, so the creator supplies them).
        """
        if self.review is not None and self.review.continued_at is not None:
            return False  # reviewed already in an earlier generation
        if self.review_script is not None:
            return self.review_script
        return self.steps[Step.script].provider == OFFLINE_SCRIPT_PROVIDER

    @property
    def failed_step(self) -> Step | None:
        """The step a failed generation stopped at."""
        return next((s for s in STEP_ORDER if self.steps[s].status == StepStatus.failed), None)

    def needs_met(self, step: Step) -> bool:
        """Whether every step `step` needs is done or skipped."""
        return all(self.steps[n].status in _FINISHED for n in STEP_NEEDS[step])

    def ready_steps(self) -> list[Step]:
        """Pending steps whose needs are met: what to enqueue now."""
        return [
            s
            for s in STEP_ORDER
            if self.steps[s].status == StepStatus.pending and self.needs_met(s)
        ]

    def all_finished(self) -> bool:
        return all(self.steps[s].status in _FINISHED for s in STEP_ORDER)

    def first_open_step(self) -> Step | None:
        """The earliest step, in order, that is neither done nor skipped."""
        return next((s for s in STEP_ORDER if self.steps[s].status not in _FINISHED), None)

    def dependents(self, step: Step) -> set[Step]:
        """Every step that needs `step`, directly or through others."""
        found: set[Step] = set()
        frontier = [step]
        while frontier:
            current = frontier.pop()
            for candidate, needs in STEP_NEEDS.items():
                if current in needs and candidate not in found:
                    found.add(candidate)
                    frontier.append(candidate)
        return found

    def compute_progress(self) -> int:
        total = sum(
            STEP_WEIGHT[s] for s in STEP_ORDER if self.steps[s].status != StepStatus.skipped
        )
        done = sum(STEP_WEIGHT[s] for s in STEP_ORDER if self.steps[s].status == StepStatus.done)
        running = sum(
            STEP_WEIGHT[s] * _running_share(self.steps[s])
            for s in STEP_ORDER
            if self.steps[s].status == StepStatus.running
        )
        if self.status == VideoStatus.completed:
            return 100
        return min(99, round(100 * (done + running) / max(total, 1)))


_FINISHED = (StepStatus.done, StepStatus.skipped)


def _running_share(state: StepState) -> float:
    """The part of a running step's weight shown as done: its own report, else a third."""
    if state.progress is not None:
        return max(1 / 3, state.progress.fraction)
    return 1 / 3


def new_steps(*, use_video_ai: bool) -> dict[Step, StepState]:
    steps = {step: StepState() for step in STEP_ORDER}
    if not use_video_ai:
        steps[Step.video_ai] = StepState(
            status=StepStatus.skipped, note="not requested by the template or request"
        )
    return steps


class ResolvedIntegration(BaseModel):
    """What a step needs to call a provider on the user's behalf (from the services)."""

    integration_id: str
    provider: str
    category: str
    api_key: str = Field(repr=False)
    options: dict[str, str]
    validation_status: str
