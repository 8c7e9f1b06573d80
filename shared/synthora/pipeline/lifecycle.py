"""What happens around a generation: limits, notifications, template usage, expiry.

The pipeline calls these once a video completes or fails; every call is
idempotent (notifications carry an idempotency key per generation, releasing a
generation twice is a no-op), so a repeated task delivery changes nothing.
"""

from __future__ import annotations

from synthora.pipeline.models import VideoRecord
from synthora.platform import Platform


def retention_days(*, platform: Platform, uid: str) -> int | None:
    """How long the owner's role keeps a video; None keeps it until deleted."""
    from synthora.services import limits

    return limits.retention_days_for_user(platform=platform, uid=uid)


def video_completed(*, platform: Platform, video: VideoRecord) -> None:
    from synthora.services import limits, notifications

    limits.release_generation(
        platform=platform, uid=video.owner_id, video_id=video.id, succeeded=True
    )
    notifications.notify_video_completed(
        platform=platform,
        uid=video.owner_id,
        video_id=video.id,
        title=video.title or video.topic,
        idempotency_key=f"video-done-{video.id}-g{video.generation}",
    )


def video_failed(*, platform: Platform, video: VideoRecord) -> None:
    from synthora.services import limits, notifications

    limits.release_generation(
        platform=platform, uid=video.owner_id, video_id=video.id, succeeded=False
    )
    notifications.notify_video_failed(
        platform=platform,
        uid=video.owner_id,
        video_id=video.id,
        title=video.title or video.topic,
        error=video.error.message if video.error else "unknown error",
        idempotency_key=f"video-failed-{video.id}-g{video.generation}",
    )
