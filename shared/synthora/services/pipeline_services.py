"""The services' side of `synthora.pipeline.hooks.PipelineServices`.

The step functions build their routers with `PIPELINE_SERVICES`, so the
pipeline reaches integrations, limits and notifications without importing the
services. Every call here is idempotent: notifications carry an idempotency key
per generation and releasing a generation twice is a no-op.
"""

from __future__ import annotations

from collections.abc import Collection

from synthora.errors import ApiError
from synthora.pipeline.hooks import IntegrationRefused
from synthora.pipeline.models import ResolvedIntegration, VideoRecord
from synthora.platform import Platform
from synthora.services import integrations, limits, notifications
from synthora.services.user_records import read_user


class ServicesForPipeline:
    """Implements `PipelineServices` with the real services."""

    def integration_for(
        self,
        *,
        platform: Platform,
        uid: str,
        category: str,
        integration_id: str | None,
        exclude: Collection[str] = (),
    ) -> ResolvedIntegration | None:
        try:
            return integrations.active_integration_for(
                platform=platform,
                uid=uid,
                category=category,
                integration_id=integration_id,
                exclude=exclude,
            )
        except ApiError as exc:
            # e.g. the integration chosen for a retry was deleted or switched off meanwhile
            raise IntegrationRefused(exc.message, code=exc.code, details=exc.details) from exc

    def fallback_allowed(self, *, platform: Platform, uid: str) -> bool:
        record = read_user(platform, uid)
        return True if record is None else record.preferences.provider_fallback

    def mark_used(self, *, platform: Platform, uid: str, integration_id: str) -> None:
        integrations.mark_used(platform=platform, uid=uid, integration_id=integration_id)

    def retention_days(self, *, platform: Platform, uid: str) -> int | None:
        return limits.retention_days_for_user(platform=platform, uid=uid)

    def video_completed(self, *, platform: Platform, video: VideoRecord) -> None:
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

    def video_failed(self, *, platform: Platform, video: VideoRecord) -> None:
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

    def video_in_review(self, *, platform: Platform, video: VideoRecord) -> None:
        # A storyboard waiting for its creator holds no slot; continuing takes one again.
        limits.release_generation(
            platform=platform, uid=video.owner_id, video_id=video.id, succeeded=True
        )
        notifications.notify_storyboard_ready(
            platform=platform,
            uid=video.owner_id,
            video_id=video.id,
            title=video.title or video.topic,
            idempotency_key=f"video-review-{video.id}-g{video.generation}",
        )


PIPELINE_SERVICES = ServicesForPipeline()
