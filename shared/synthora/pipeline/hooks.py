"""What the pipeline needs from the rest of Synthora, as a protocol.

The pipeline never imports the services: the functions that build the step
routers pass an implementation of `PipelineServices` in
(`synthora.services.pipeline_services.PIPELINE_SERVICES`), and the runner hands
it to each step as `StepRun.services`. Tests pass their own.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from synthora.pipeline.models import ResolvedIntegration, VideoRecord
from synthora.platform import Platform


class IntegrationRefused(Exception):
    """The integration named for a step cannot be used (gone, off, cannot run it)."""

    def __init__(self, message: str, *, code: str, details: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details


class PipelineServices(Protocol):
    """Accounts, integrations, limits and notifications, as the pipeline sees them."""

    def integration_for(
        self,
        *,
        platform: Platform,
        uid: str,
        category: str,
        integration_id: str | None,
        exclude: Collection[str] = (),
    ) -> ResolvedIntegration | None:
        """The integration to use for a step (None: run offline).

        `integration_id` names one explicitly; `IntegrationRefused` when it
        cannot be used. Otherwise the best one that really runs the step,
        leaving out the integration ids in `exclude`.
        """

    def fallback_allowed(self, *, platform: Platform, uid: str) -> bool:
        """Whether a failing provider may be replaced by the next runnable one
        (the user's `provider_fallback` preference, on by default)."""

    def mark_used(self, *, platform: Platform, uid: str, integration_id: str) -> None:
        """A step just used this integration."""

    def retention_days(self, *, platform: Platform, uid: str) -> int | None:
        """How long the owner's videos are kept; None keeps them until deleted."""

    def video_completed(self, *, platform: Platform, video: VideoRecord) -> None:
        """Release the generation slot and tell the owner (idempotent)."""

    def video_failed(self, *, platform: Platform, video: VideoRecord) -> None:
        """Release the generation slot and tell the owner (idempotent)."""

    def video_in_review(self, *, platform: Platform, video: VideoRecord) -> None:
        """The storyboard waits for the creator: release the slot, tell the owner (idempotent)."""
