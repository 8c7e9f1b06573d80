"""Videos: create, read, retry and delete generations, and their statistics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from synthora.errors import Conflict, NotFound, ValidationFailed
from synthora.http.pagination import Page, paginate
from synthora.logs import fields, get_logger
from synthora.pipeline.models import (
    ACTIVE_STATUSES,
    STEP_ORDER,
    Step,
    StepFallback,
    StepProgress,
    StepState,
    StepStatus,
    VideoError,
    VideoRecord,
    VideoStatus,
    new_steps,
)
from synthora.pipeline.runner import VIDEOS, enqueue_step, load_video, video_ref
from synthora.platform import Platform
from synthora.ports.documents import DESCENDING, Snapshot, Transaction, auto_id, is_document_id
from synthora.services.expiry import CleanupTarget
from synthora.templates.config import (
    MAX_DURATION_S,
    MAX_VOICE_SPEED,
    MIN_DURATION_S,
    MIN_SCENES,
    MIN_SECONDS_PER_SCENE,
    MIN_VOICE_SPEED,
    AspectRatio,
    MusicMood,
    TemplateConfig,
    VoiceGender,
    VoiceTone,
)
from synthora.templates.validation import TemplateValidationError, validate_template_config

log = get_logger(__name__)

SIGNED_URL_TTL = timedelta(hours=2)


# --------------------------------------------------------------------------- models


class VideoChoices(BaseModel):
    """Choices made on the Create screen for this video only; None keeps the template's.

    Each field has its template config field's type and bounds, and the
    template config with the choices applied is validated in full, exactly as
    a template's is (`apply_choices`).
    """

    model_config = ConfigDict(extra="forbid")

    aspect_ratio: AspectRatio | None = Field(default=None, description="visual_style.aspect_ratio")
    min_seconds: int | None = Field(
        default=None, ge=MIN_DURATION_S, le=MAX_DURATION_S,
        description="video_structure.duration.min_seconds: the shortest the video may be.",
    )  # fmt: skip
    max_seconds: int | None = Field(
        default=None, ge=MIN_DURATION_S, le=MAX_DURATION_S,
        description="video_structure.duration.max_seconds: the longest the video may be.",
    )  # fmt: skip
    voice_gender: VoiceGender | None = Field(default=None, description="audio.voice_gender")
    voice_tone: VoiceTone | None = Field(default=None, description="audio.voice_tone")
    voice_speed: float | None = Field(
        default=None, ge=MIN_VOICE_SPEED, le=MAX_VOICE_SPEED, description="audio.voice_speed"
    )
    music_mood: MusicMood | None = Field(default=None, description="audio.music_mood")


#: Where each choice lives in a template config.
CHOICE_PATHS: dict[str, tuple[str, ...]] = {
    "aspect_ratio": ("visual_style", "aspect_ratio"),
    "min_seconds": ("video_structure", "duration", "min_seconds"),
    "max_seconds": ("video_structure", "duration", "max_seconds"),
    "voice_gender": ("audio", "voice_gender"),
    "voice_tone": ("audio", "voice_tone"),
    "voice_speed": ("audio", "voice_speed"),
    "music_mood": ("audio", "music_mood"),
}


def apply_choices(config: TemplateConfig, choices: VideoChoices | None) -> TemplateConfig:
    """The template's config with this video's choices, validated as a template config is.

    A shorter length than the template's may not fit its number of scenes
    (each needs `MIN_SECONDS_PER_SCENE`): the scenes are then reduced to fit,
    since the creator chose the length, not the scene count. Any other
    problem (a minimum above the maximum) is a 422 naming the choice.
    """
    if choices is None:
        return config
    chosen = choices.model_dump(mode="json", exclude_none=True)
    if not chosen:
        return config
    data = config.model_dump(mode="json")
    for name, value in chosen.items():
        *parents, leaf = CHOICE_PATHS[name]
        section = data
        for key in parents:
            section = section[key]
        section[leaf] = value
    if "min_seconds" in chosen or "max_seconds" in chosen:
        structure = data["video_structure"]
        fits = int(structure["duration"]["max_seconds"] // MIN_SECONDS_PER_SCENE)
        structure["num_scenes"] = max(MIN_SCENES, min(structure["num_scenes"], fits))
    try:
        return validate_template_config(data)
    except TemplateValidationError as exc:
        by_path = {".".join(path): name for name, path in CHOICE_PATHS.items()}
        details = [
            {
                **error.model_dump(mode="json"),
                "field": f"body.choices.{by_path[error.field]}"
                if error.field in by_path
                else "body.choices",
            }
            for error in exc.errors
        ]
        raise ValidationFailed(
            "these choices do not work together: " + "; ".join(e.message for e in exc.errors),
            code="invalid_video_choices",
            details=details,
        ) from None


class CreateVideoRequest(BaseModel):
    template_id: str = Field(min_length=1, max_length=100)
    topic: str = Field(min_length=3, max_length=200)
    instructions: str | None = Field(default=None, max_length=1000)
    use_video_ai: bool = Field(
        default=False, description="Add an AI-generated clip (needs a video AI integration)."
    )
    integrations: dict[Step, str] = Field(
        default_factory=dict,
        description="Integration id to use for a step instead of the default choice.",
    )
    choices: VideoChoices | None = Field(
        default=None,
        description="Aspect ratio, length, voice and music for this video, over the template's.",
    )
    review_script: bool | None = Field(
        default=None,
        description="Stop after the script for a storyboard review: true always, false never; "
        "omitted or null: only when the offline writer wrote the script.",
    )

    @field_validator("topic", "instructions")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = " ".join(value.split())
        return value

    @field_validator("topic")
    @classmethod
    def _topic(cls, value: str | None) -> str | None:
        if value is not None and len(value) < 3:
            raise ValueError("the topic needs at least 3 characters")
        return value


class RetryVideoRequest(BaseModel):
    integration_id: str | None = Field(
        default=None,
        max_length=100,
        description="Use this integration for the failed step; 'offline' for the local provider.",
    )


class ReviewOut(BaseModel):
    """The storyboard review of this video, when it stopped (or will stop) for one."""

    wanted: bool | None = Field(description="The creator's choice; null: when written offline.")
    waiting: bool = Field(description="The storyboard waits for the creator now.")
    started_at: datetime | None
    expires_at: datetime | None
    edited: bool
    continued_at: datetime | None


class StepOut(BaseModel):
    step: Step
    status: StepStatus
    provider: str | None
    attempts: int
    started_at: datetime | None
    finished_at: datetime | None
    error: dict[str, Any] | None
    note: str | None
    fallback: StepFallback | None = Field(
        default=None,
        description="The step left its provider for another one (unreachable, key refused, "
        "retries exhausted, or the integration failed in an earlier step).",
    )
    progress: StepProgress | None = Field(
        default=None, description="How far a running step is (frames rendered and an estimate)."
    )


class VideoOut(BaseModel):
    id: str
    template_id: str
    template_name: str
    topic: str
    instructions: str | None
    title: str | None
    description: str | None
    hashtags: list[str]
    status: VideoStatus
    current_step: Step | None
    progress: int
    steps: list[StepOut]
    error: VideoError | None
    review: ReviewOut
    duration_s: float | None
    width: int | None
    height: int | None
    size_bytes: int | None
    video_url: str | None = Field(description="Signed URL, valid for two hours.")
    download_url: str | None
    thumbnail_url: str | None
    created_at: datetime | None
    updated_at: datetime | None
    completed_at: datetime | None
    expires_at: datetime | None


class VideoStatusOut(BaseModel):
    id: str
    status: VideoStatus
    progress: int
    current_step: Step | None
    steps: list[StepOut]
    error: VideoError | None
    updated_at: datetime | None


class VideoStats(BaseModel):
    total: int
    by_status: dict[str, int]
    completed_today: int
    total_duration_s: float


# --------------------------------------------------------------------------- views


def _steps_out(video: VideoRecord) -> list[StepOut]:
    return [
        StepOut(
            step=step,
            status=video.steps[step].status,
            provider=video.steps[step].provider,
            attempts=video.steps[step].attempts,
            started_at=video.steps[step].started_at,
            finished_at=video.steps[step].finished_at,
            error=video.steps[step].error,
            note=video.steps[step].note,
            fallback=video.steps[step].fallback,
            progress=video.steps[step].progress,
        )
        for step in STEP_ORDER
    ]


def review_out(video: VideoRecord) -> ReviewOut:
    review = video.review
    return ReviewOut(
        wanted=video.review_script,
        waiting=video.status == VideoStatus.review,
        started_at=review.started_at if review else None,
        expires_at=video.review_expires_at,
        edited=bool(review and review.edited),
        continued_at=review.continued_at if review else None,
    )


def video_out(platform: Platform, video: VideoRecord) -> VideoOut:
    out = video.outputs
    video_url = download_url = thumbnail_url = None
    if out is not None and video.status == VideoStatus.completed:
        blobs = platform.blobs
        video_url = blobs.signed_url(out.video_key, expires_in=SIGNED_URL_TTL)
        safe = "".join(c if c.isalnum() or c in " -_" else "" for c in (video.title or "video"))
        download_url = blobs.signed_url(
            out.video_key,
            expires_in=SIGNED_URL_TTL,
            download_name=f"{safe.strip()[:60] or 'video'}.mp4",
        )
        if out.thumbnail_key:
            thumbnail_url = blobs.signed_url(out.thumbnail_key, expires_in=SIGNED_URL_TTL)
    return VideoOut(
        id=video.id,
        template_id=video.template_id,
        template_name=video.template_name,
        topic=video.topic,
        instructions=video.instructions,
        title=video.title,
        description=video.description,
        hashtags=video.hashtags,
        status=video.status,
        current_step=video.current_step,
        progress=video.progress,
        steps=_steps_out(video),
        error=video.error,
        review=review_out(video),
        duration_s=out.duration_s if out else None,
        width=out.width if out else None,
        height=out.height if out else None,
        size_bytes=out.size_bytes if out else None,
        video_url=video_url,
        download_url=download_url,
        thumbnail_url=thumbnail_url,
        created_at=video.created_at,
        updated_at=video.updated_at,
        completed_at=video.completed_at,
        expires_at=video.expires_at,
    )


def status_out(video: VideoRecord) -> VideoStatusOut:
    return VideoStatusOut(
        id=video.id,
        status=video.status,
        progress=video.progress,
        current_step=video.current_step,
        steps=_steps_out(video),
        error=video.error,
        updated_at=video.updated_at,
    )


# --------------------------------------------------------------------------- reads


def get_owned_video(*, platform: Platform, uid: str, video_id: str) -> VideoRecord:
    """The video if `uid` owns it; 404 otherwise (ids of others' videos do not leak)."""
    video = load_video(platform, video_id) if is_document_id(video_id) else None
    if video is None or video.owner_id != uid:
        raise NotFound("no such video", code="video_not_found")
    return video


def list_videos(
    *,
    platform: Platform,
    uid: str,
    status: VideoStatus | None,
    limit: int,
    cursor: str | None,
) -> Page[VideoOut]:
    query = platform.documents.collection(VIDEOS).where("owner_id", "==", uid)
    if status is not None:
        query = query.where("status", "==", status.value)
    snaps, next_cursor = paginate(
        query, order_by=[("created_at", DESCENDING)], limit=limit, cursor=cursor
    )
    items = [video_out(platform, VideoRecord.model_validate(s.to_dict())) for s in snaps]
    return Page[VideoOut](items=items, next_cursor=next_cursor, has_more=next_cursor is not None)


def video_stats(*, platform: Platform, uid: str | None) -> VideoStats:
    """Counts by status (one count query each), for one user or the whole platform."""
    base = platform.documents.collection(VIDEOS)
    if uid is not None:
        base = base.where("owner_id", "==", uid)
    by_status = {s.value: base.where("status", "==", s.value).count() for s in VideoStatus}
    start_of_day = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    completed = base.where("status", "==", VideoStatus.completed.value)
    return VideoStats(
        total=sum(by_status.values()),
        by_status=by_status,
        completed_today=completed.where("completed_at", ">=", start_of_day).count(),
        total_duration_s=float(completed.sum("outputs.duration_s") or 0.0),
    )


# --------------------------------------------------------------------------- writes


def new_video_record(
    *,
    video_id: str,
    uid: str,
    template_id: str,
    template_name: str,
    template_version: int,
    config: dict[str, Any],
    request: CreateVideoRequest,
    use_video_ai: bool,
    integrations: dict[Step, str | None],
) -> VideoRecord:
    now = datetime.now(UTC)
    return VideoRecord(
        id=video_id,
        owner_id=uid,
        template_id=template_id,
        template_name=template_name,
        template_version=template_version,
        config=config,
        topic=request.topic,
        instructions=request.instructions,
        status=VideoStatus.queued,
        current_step=Step.script,
        steps=new_steps(use_video_ai=use_video_ai),
        generation=0,
        use_video_ai=use_video_ai,
        integrations=integrations,
        review_script=request.review_script,
        created_at=now,
        updated_at=now,
    )


def insert_and_start(*, platform: Platform, video: VideoRecord) -> VideoRecord:
    """Store a new video and enqueue its first step."""
    video_ref(platform, video.id).create(video.model_dump())
    enqueue_step(platform, video_id=video.id, generation=video.generation, step=Step.script)
    log.info("video queued", extra=fields(video_id=video.id, template=video.template_id))
    return video


def new_video_id() -> str:
    return auto_id()


def retry_video(
    *,
    platform: Platform,
    uid: str,
    video_id: str,
    request: RetryVideoRequest,
    replaced_integration: str | None = None,
    other_steps: dict[Step, str] | None = None,
) -> VideoRecord:
    """Start a new generation from the failed step; finished steps are kept.

    `replaced_integration` (the failed step's integration, when the retry names
    another) is avoided for the rest of the video, and `other_steps` gives the
    new choice of each other remaining step that used it."""
    ref = video_ref(platform, video_id)

    def restart(tx: Transaction) -> VideoRecord:
        snap = tx.get(ref)
        video = VideoRecord.model_validate(snap.to_dict()) if snap.exists else None
        if video is None or video.owner_id != uid:
            raise NotFound("no such video", code="video_not_found")
        if video.status != VideoStatus.failed:
            raise Conflict(
                f"only a failed video can be retried; this one is {video.status.value}",
                code="not_retryable",
            )
        failed = video.failed_step or Step.script
        if request.integration_id is not None:
            # an integration id, or "offline" for the local provider
            video.integrations[failed] = request.integration_id
            # chosen again on purpose (its key was fixed): no longer avoided
            video.avoid_integrations.pop(request.integration_id, None)
        for step, choice in (other_steps or {}).items():
            video.integrations[step] = choice
        if replaced_integration is not None:
            video.avoid_integrations[replaced_integration] = "replaced"
        # Redo the failed step and everything that needs it; a step that ran
        # beside it and finished keeps its work, one that did not starts over.
        redo = {failed} | video.dependents(failed)
        for step in STEP_ORDER:
            state = video.steps[step]
            if state.status == StepStatus.skipped:
                continue
            if step in redo or state.status != StepStatus.done:
                video.steps[step] = StepState()  # attempts count this try
        video.generation += 1
        video.status = VideoStatus.queued
        video.current_step = video.first_open_step()
        video.error = None
        video.updated_at = datetime.now(UTC)
        # the bar never goes back: redone steps count again once they run
        video.progress = max(video.progress, video.compute_progress())
        tx.set(ref, video.model_dump())
        return video

    video = platform.documents.run_transaction(restart)
    for step in video.ready_steps():
        enqueue_step(platform, video_id=video.id, generation=video.generation, step=step)
    return video


def delete_video(*, platform: Platform, uid: str, video_id: str) -> int:
    """Delete a finished or failed video and its blobs; refused while generating."""
    video = get_owned_video(platform=platform, uid=uid, video_id=video_id)
    if video.status in ACTIVE_STATUSES:
        raise Conflict(
            "this video is still generating; delete it once it has finished or failed",
            code="video_generating",
        )
    removed = platform.blobs.delete_prefix(video.blob_prefix)
    video_ref(platform, video.id).delete()
    return removed


def _delete_video_blobs(platform: Platform, snap: Snapshot) -> int:
    """Cleanup hook: an expired video takes its whole blob folder with it."""
    owner, video_id = snap.get("owner_id"), snap.id
    if not owner:
        return 0
    return platform.blobs.delete_prefix(f"videos/{owner}/{video_id}/")


# Videos expire after their owner's retention period (set when they complete).
CLEANUP_TARGET = CleanupTarget(
    name="expired_videos", collection=VIDEOS, batch_size=100, on_delete=_delete_video_blobs
)
