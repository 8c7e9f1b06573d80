"""Falling back to the next runnable provider when a step's provider fails.

A step whose integration is unreachable (no connection), refuses the key
(401/403) or exhausts its retries (rate limits, outages, timeouts on the last
attempt) is not failed when its owner allows fallbacks (the `provider_fallback`
preference, on by default): the runner records a `StepFallback` on the step
(`{from_provider: "openai", to_provider: "offline", reason: "unreachable"}`)
and runs the step again at once with the next runnable provider for it: the
user's next best integration for the step, else the local offline one.

At most one fallback per step: if the replacement fails too, the step fails
as before. The failed integration is added to the video's
`avoid_integrations`, and every later step that would have called it gets its
own fallback recorded up front (`reason: "failed_earlier"`), so a broken key
costs one fallback per video rather than one failure per step.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

from synthora.logs import fields, get_logger
from synthora.pipeline.hooks import IntegrationRefused, PipelineServices
from synthora.pipeline.models import (
    CATEGORY,
    OFFLINE,
    STEP_ORDER,
    FallbackReason,
    Step,
    StepFallback,
    StepStatus,
    VideoRecord,
)
from synthora.platform import Platform
from synthora.ports.documents import DocumentRef, Transaction
from synthora.providers.base import OFFLINE_FALLBACKS, IntegrationCategory
from synthora.providers.errors import ProviderError

log = get_logger(__name__)


def reason_for(exc: ProviderError, *, final_attempt: bool) -> FallbackReason | None:
    """Why `exc` calls for another provider; None when it does not (yet)."""
    if exc.code == "unreachable":
        return "unreachable"
    if exc.status_code in (401, 403) or exc.code == "auth_refused":
        return "key_refused"
    if exc.transient and final_attempt:
        return "retries_exhausted"
    return None


def provider_name(provider: str | None, step: Step) -> str:
    """What the user calls a provider: its display name, or the step's local one."""
    if provider in (None, OFFLINE):
        return OFFLINE_FALLBACKS[IntegrationCategory(CATEGORY[step])] or "no provider (skipped)"
    # The registry imports every provider module: only when a provider is named.
    from synthora.providers.registry import get_provider

    try:
        return get_provider(str(provider)).display_name
    except KeyError:
        return str(provider)


def _resolve(
    services: PipelineServices,
    platform: Platform,
    video: VideoRecord,
    step: Step,
    exclude: Collection[str],
) -> tuple[str, str | None]:
    """The provider and integration the step would use now, leaving out `exclude`."""
    try:
        resolved = services.integration_for(
            platform=platform,
            uid=video.owner_id,
            category=CATEGORY[step],
            integration_id=None,
            exclude=exclude,
        )
    except IntegrationRefused:
        resolved = None
    if resolved is None:
        return OFFLINE, None
    return resolved.provider, resolved.integration_id


def _would_use(
    services: PipelineServices,
    platform: Platform,
    video: VideoRecord,
    step: Step,
    exclude: Collection[str],
) -> str | None:
    """The integration id `step` would call (None: offline)."""
    wanted = video.integrations.get(step, "auto")
    if wanted in (None, OFFLINE):
        return None
    if wanted != "auto" and wanted not in exclude:
        return wanted
    return _resolve(services, platform, video, step, exclude)[1]


def fall_back(
    *,
    platform: Platform,
    services: PipelineServices,
    ref: DocumentRef,
    generation: int,
    step: Step,
    video: VideoRecord,
    exc: ProviderError,
    final_attempt: bool,
) -> VideoRecord | None:
    """Record a fallback for `step` and return the video to run it again with;
    None when none applies (another failure, no integration used, already
    fallen back once, or the owner switched fallbacks off)."""
    reason = reason_for(exc, final_attempt=final_attempt)
    state = video.steps[step]
    failed = state.integration_id
    if reason is None or step not in CATEGORY or failed is None or state.fallback is not None:
        return None
    if not services.fallback_allowed(platform=platform, uid=video.owner_id):
        return None
    earlier = set(video.avoid_integrations)
    exclude = {*earlier, failed}
    from_provider = state.provider or "unknown"
    from_name = provider_name(from_provider, step)
    now = datetime.now(UTC)

    def entry(for_step: Step, why: FallbackReason, message: str) -> StepFallback:
        to_provider, to_id = _resolve(services, platform, video, for_step, exclude)
        return StepFallback(
            from_provider=from_provider,
            from_name=from_name,
            from_integration_id=failed,
            to_provider=to_provider,
            to_name=provider_name(to_provider, for_step),
            to_integration_id=to_id,
            reason=why,
            message=message[:500],
            source_step=step if why == "failed_earlier" else None,
            at=now,
        )

    mine = entry(step, reason, exc.message)
    later = {
        other: entry(other, "failed_earlier", f"{from_name} failed in the {step.value} step")
        for other in STEP_ORDER
        if other != step
        and other in CATEGORY
        and video.steps[other].status == StepStatus.pending
        and video.steps[other].fallback is None
        and _would_use(services, platform, video, other, earlier) == failed
    }

    def record(tx: Transaction) -> VideoRecord | None:
        snap = tx.get(ref)
        if not snap.exists:
            return None
        current = VideoRecord.model_validate(snap.to_dict())
        mine_now = current.steps[step]
        if (
            current.generation != generation
            or mine_now.status != StepStatus.running
            or mine_now.fallback is not None
        ):
            return None
        mine_now.fallback = mine
        mine_now.poll = None  # a job submitted to the failed provider is abandoned
        mine_now.error = {**exc.to_dict(), "fallback": reason}
        current.avoid_integrations[failed] = reason
        for other, fallback in later.items():
            state_now = current.steps[other]
            if state_now.status == StepStatus.pending and state_now.fallback is None:
                state_now.fallback = fallback
        current.updated_at = now
        tx.set(ref, current.model_dump())
        return current

    updated = platform.documents.run_transaction(record)
    if updated is not None:
        log.warning(
            "step falls back to another provider",
            extra=fields(
                from_provider=from_provider,
                to_provider=mine.to_provider,
                reason=reason,
                later_steps=[s.value for s in later],
            ),
        )
    return updated
