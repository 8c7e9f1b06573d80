"""Starting, restarting and cancelling generations: template, limits, integrations, tasks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from synthora.errors import (
    ApiError,
    Conflict,
    Forbidden,
    NotFound,
    ServiceUnavailable,
    ValidationFailed,
)
from synthora.logs import fields, get_logger
from synthora.pipeline.models import (
    CATEGORY,
    OFFLINE,
    Step,
    StepStatus,
    VideoRecord,
    VideoStatus,
)
from synthora.pipeline.runner import video_ref
from synthora.platform import Platform
from synthora.ports.documents import AlreadyExists as DocumentExists
from synthora.ports.documents import Transaction
from synthora.services import videos
from synthora.services.videos import CreateVideoRequest, RetryVideoRequest

log = get_logger(__name__)


def _check_overrides(
    *, platform: Platform, uid: str, overrides: dict[Step, str]
) -> dict[Step, str]:
    """Each explicit integration must be the user's, active, and of the step's category."""
    from synthora.services.integrations import active_integration_for

    chosen: dict[Step, str] = {}
    for step, integration_id in overrides.items():
        if step not in CATEGORY:
            raise ValidationFailed(
                f"the {step.value} step has no provider to choose",
                details=[{"field": f"body.integrations.{step.value}", "message": "not selectable"}],
            )
        if integration_id == OFFLINE:
            chosen[step] = OFFLINE
            continue
        active_integration_for(  # raises 404/409 with a clear message when unusable
            platform=platform, uid=uid, category=CATEGORY[step], integration_id=integration_id
        )
        chosen[step] = integration_id
    return chosen


#: What a client is told to wait before trying again during maintenance.
MAINTENANCE_RETRY_AFTER_S = 300


def _check_flags(*, platform: Platform, use_video_ai: bool) -> None:
    """The `features` setting: maintenance stops new generations; `video_ai` gates its step."""
    from synthora.services.app_settings import get_features

    flags = get_features(platform=platform)
    if flags.maintenance_mode:
        raise ServiceUnavailable(
            "Synthora is in maintenance: new generations are paused; try again later",
            code="maintenance",
            headers={"Retry-After": str(MAINTENANCE_RETRY_AFTER_S)},
        )
    if use_video_ai and not flags.video_ai:
        raise Forbidden(
            "video AI is turned off on this platform; generate without it",
            code="feature_disabled",
            details={"feature": "video_ai"},
        )


def create_video(
    *,
    platform: Platform,
    uid: str,
    request: CreateVideoRequest,
    enforce_limits: bool = True,
    video_id: str | None = None,
) -> VideoRecord:
    """Check the template, the user's limits and integrations; store the video; start it.

    `video_id` names the new video (a batch row's, derived from its key); when a
    video of that id exists already this is a 409 `video_exists` and the
    existing video keeps its generation slot.
    """
    from synthora.services import limits
    from synthora.services.templates import get_template_for_generation, record_template_use

    _check_flags(platform=platform, use_video_ai=request.use_video_ai)
    template = get_template_for_generation(
        platform=platform, uid=uid, template_id=request.template_id
    )
    config = videos.apply_choices(template.config, request.choices)
    overrides = _check_overrides(platform=platform, uid=uid, overrides=request.integrations)
    video_id = video_id or videos.new_video_id()
    if enforce_limits:
        limits.reserve_generation(platform=platform, uid=uid, video_id=video_id)
    try:
        video = videos.new_video_record(
            video_id=video_id,
            uid=uid,
            template_id=template.id,
            template_name=template.name,
            template_version=template.version,
            config=config.model_dump(mode="json"),
            request=request,
            use_video_ai=request.use_video_ai,
            integrations={**overrides},
        )
        videos.insert_and_start(platform=platform, video=video)
        record_template_use(platform=platform, template_id=template.id)
    except DocumentExists:
        raise Conflict("this video exists already", code="video_exists") from None
    except Exception:
        if enforce_limits:
            limits.release_generation(
                platform=platform, uid=uid, video_id=video_id, succeeded=False
            )
        raise
    log.info("generation started", extra=fields(video_id=video_id, uid=uid))
    return video


def retry_video(
    *, platform: Platform, uid: str, video_id: str, request: RetryVideoRequest
) -> VideoRecord:
    """Retry a failed video (counts again against the concurrent-generation limit).

    The video is checked (mine, failed) before a generation slot is reserved.
    """
    from synthora.services import limits

    video = videos.get_owned_video(platform=platform, uid=uid, video_id=video_id)
    if video.status != VideoStatus.failed:
        raise Conflict(
            f"only a failed video can be retried; this one is {video.status.value}",
            code="not_retryable",
        )
    _check_flags(platform=platform, use_video_ai=video.use_video_ai)
    if request.integration_id not in (None, OFFLINE):
        failed = video.failed_step
        if failed is not None and failed in CATEGORY:
            _check_overrides(
                platform=platform, uid=uid, overrides={failed: str(request.integration_id)}
            )
    replaced, others = _replaced_everywhere(
        platform=platform, uid=uid, video=video, request=request
    )
    limits.reserve_generation(platform=platform, uid=uid, video_id=video_id, retry=True)
    try:
        return videos.retry_video(
            platform=platform,
            uid=uid,
            video_id=video_id,
            request=request,
            replaced_integration=replaced,
            other_steps=others,
        )
    except Exception:
        limits.release_generation(platform=platform, uid=uid, video_id=video_id, succeeded=False)
        raise


def _replaced_everywhere(
    *, platform: Platform, uid: str, video: VideoRecord, request: RetryVideoRequest
) -> tuple[str | None, dict[Step, str]]:
    """Retrying with another provider replaces the failed integration in every
    remaining step that would use it, not only in the failed one.

    Returns the replaced integration id and the new choice for each other
    remaining step that used it: the chosen integration where it runs that step,
    "offline" when offline was chosen, else "auto" (the best other integration:
    the replaced one is avoided for the rest of the video).
    """
    from synthora.services import integrations

    failed = video.failed_step
    if request.integration_id is None or failed is None:
        return None, {}
    bad = video.steps[failed].integration_id
    if bad is None or bad == request.integration_id:
        return None, {}
    avoid = tuple(video.avoid_integrations)
    others: dict[Step, str] = {}
    for step, category in CATEGORY.items():
        state = video.steps[step]
        if step == failed or state.status in (StepStatus.done, StepStatus.skipped):
            continue
        wanted = video.integrations.get(step, "auto")
        uses = wanted == bad
        if wanted == "auto":
            try:
                resolved = integrations.active_integration_for(
                    platform=platform, uid=uid, category=category, exclude=avoid
                )
            except ApiError:
                resolved = None
            uses = resolved is not None and resolved.integration_id == bad
        if not uses:
            continue
        choice = str(request.integration_id)
        if choice != OFFLINE:
            try:
                integrations.active_integration_for(
                    platform=platform, uid=uid, category=category, integration_id=choice
                )
            except ApiError:
                choice = "auto"  # it cannot run this step: the best other one will
        others[step] = choice
    return bad, others


def cancel_video(*, platform: Platform, uid: str, video_id: str) -> VideoRecord:
    """Cancel a generation: nothing more runs, the slot is free at once, files are removed.

    The running step stops at its next checkpoint (`synthora.pipeline.runner`),
    every queued step task finds the video cancelled and does nothing. A video
    waiting for its storyboard review can be cancelled too. Idempotent: a
    cancelled video is answered as it is.
    """
    from synthora.services import limits

    ref = video_ref(platform, video_id)

    def cancel(tx: Transaction) -> tuple[VideoRecord, bool]:
        snap = tx.get(ref)
        video = VideoRecord.model_validate(snap.to_dict()) if snap.exists else None
        if video is None or video.owner_id != uid:
            raise NotFound("no such video", code="video_not_found")
        if video.status == VideoStatus.cancelled:
            return video, False
        if video.status not in CANCELLABLE:
            raise Conflict(
                f"only a generation in progress can be cancelled; this video is "
                f"{video.status.value}",
                code="not_cancellable",
            )
        now = datetime.now(UTC)
        retention = limits.retention_days_for_user(platform=platform, uid=uid)
        for state in video.steps.values():
            if state.status != StepStatus.skipped:
                state.status = StepStatus.pending
                state.outputs = {}
                state.poll = None
                state.claim_poll = state.claim_retry = None
                state.note = "cancelled"
        video.status = VideoStatus.cancelled
        video.current_step = None
        video.error = None
        video.review_expires_at = None
        video.progress = 0
        video.updated_at = now
        video.expires_at = now + timedelta(days=retention) if retention is not None else None
        tx.set(ref, video.model_dump())
        return video, True

    video, cancelled = platform.documents.run_transaction(cancel)
    limits.release_generation(platform=platform, uid=uid, video_id=video_id, succeeded=False)
    if cancelled:
        removed = platform.blobs.delete_prefix(video.blob_prefix)
        log.info("generation cancelled", extra=fields(video_id=video_id, blobs_removed=removed))
    return video


#: A generation in these can be cancelled.
CANCELLABLE = (VideoStatus.queued, VideoStatus.processing, VideoStatus.review)
