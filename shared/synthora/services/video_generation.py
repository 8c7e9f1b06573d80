"""Starting and restarting generations: template, limits, integrations, first task."""

from __future__ import annotations

from synthora.errors import ValidationFailed
from synthora.logs import fields, get_logger
from synthora.pipeline.models import CATEGORY, OFFLINE, Step, VideoRecord
from synthora.platform import Platform
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


def create_video(
    *,
    platform: Platform,
    uid: str,
    request: CreateVideoRequest,
    enforce_limits: bool = True,
) -> VideoRecord:
    """Check the template, the user's limits and integrations; store the video; start it."""
    from synthora.services import limits
    from synthora.services.templates import get_template_for_generation, record_template_use

    template = get_template_for_generation(
        platform=platform, uid=uid, template_id=request.template_id
    )
    overrides = _check_overrides(platform=platform, uid=uid, overrides=request.integrations)
    video_id = videos.new_video_id()
    if enforce_limits:
        limits.reserve_generation(platform=platform, uid=uid, video_id=video_id)
    try:
        video = videos.new_video_record(
            video_id=video_id,
            uid=uid,
            template_id=template.id,
            template_name=template.name,
            template_version=template.version,
            config=template.config.model_dump(mode="json"),
            request=request,
            use_video_ai=request.use_video_ai,
            integrations={**overrides},
        )
        videos.insert_and_start(platform=platform, video=video)
        record_template_use(platform=platform, template_id=template.id)
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
    """Retry a failed video (counts again against the concurrent-generation limit)."""
    from synthora.services import limits

    if request.integration_id not in (None, OFFLINE):
        video = videos.get_owned_video(platform=platform, uid=uid, video_id=video_id)
        failed = video.failed_step
        if failed is not None and failed in CATEGORY:
            _check_overrides(
                platform=platform, uid=uid, overrides={failed: str(request.integration_id)}
            )
    limits.reserve_generation(platform=platform, uid=uid, video_id=video_id, retry=True)
    try:
        return videos.retry_video(platform=platform, uid=uid, video_id=video_id, request=request)
    except Exception:
        limits.release_generation(platform=platform, uid=uid, video_id=video_id, succeeded=False)
        raise
