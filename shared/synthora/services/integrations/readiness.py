"""Which integration each pipeline step uses, and the readiness report that mirrors it.

Ranking considers only integrations whose provider really runs the step
(`ProviderDeclaration.runs`): among the user's *active* ones that are not
known to be bad (`invalid`/`forbidden`), valid ones first, then those whose
check is pending or hit a transient provider problem; ties go to a provider
whose *primary* category is the step (so ElevenLabs beats OpenAI TTS for
voice), then to catalogue order. With none, the step's offline provider runs
(video AI has none: the step is skipped). A stored key that covers a step but
is not used for it is listed in the step's `not_used`, with the reason (key
check only, retired, turned off, key refused).
"""

from __future__ import annotations

from collections.abc import Collection

from synthora.pipeline.models import ResolvedIntegration
from synthora.platform import Platform
from synthora.ports.documents import Snapshot, Transaction
from synthora.providers.base import (
    OFFLINE_FALLBACKS,
    STEP_CAPABILITY,
    IntegrationCategory,
    ProviderDeclaration,
)
from synthora.providers.registry import catalogue_position, get_provider
from synthora.security.crypto import SecretDecryptionError
from synthora.services.integrations.models import (
    BAD_STATUSES,
    STEPS,
    IntegrationList,
    IntegrationUnavailable,
    NotUsed,
    Readiness,
    StepReadiness,
)
from synthora.services.integrations.store import (
    decrypt,
    integration_ref,
    integrations_of,
    load_owned,
    to_out,
    utc_now,
)


def list_integrations(*, platform: Platform, uid: str) -> IntegrationList:
    """My integrations (masked), with categories covered and per-step readiness."""
    snaps = integrations_of(platform, uid).order_by("created_at").get()
    items = [to_out(s) for s in snaps]
    readiness = _readiness_from(snaps)
    return IntegrationList(
        items=items,
        categories_covered=readiness.configured_categories,
        missing_categories=readiness.missing_categories,
        can_generate=readiness.can_generate,
        readiness=readiness,
    )


def integration_readiness(*, platform: Platform, uid: str) -> Readiness:
    """For each pipeline step, which provider will run for this user."""
    return _readiness_from(list(integrations_of(platform, uid).get()))


def _info_of(snap: Snapshot) -> ProviderDeclaration | None:
    try:
        return get_provider(snap.get("provider"))
    except KeyError:
        return None  # a provider dropped from the catalogue is simply ignored


def why_not_used(snap: Snapshot, category: IntegrationCategory) -> str | None:
    """Why a stored integration covering `category` cannot be picked for it (None: it can)."""
    info = _info_of(snap)
    if info is None:
        return "the provider is no longer in the catalogue"
    reason = info.why_not(STEP_CAPABILITY[category])
    if reason is not None:
        return reason
    if not snap.get("is_active", True):
        return "turned off"
    status = snap.get("validation.status", "pending")
    if status in BAD_STATUSES:
        return f"the last key check said {status}"
    return None


def _rank(snap: Snapshot, category: IntegrationCategory) -> tuple[int, int, int]:
    """Sort key of an eligible integration for a step (lower is preferred)."""
    info = get_provider(snap.get("provider"))
    status = snap.get("validation.status", "pending")
    return (
        0 if status == "valid" else 1,
        0 if info.category == category else 1,
        catalogue_position(info.id),
    )


def _covers(snap: Snapshot, category: IntegrationCategory) -> bool:
    info = _info_of(snap)
    return info is not None and category in info.categories


def _eligible(snaps: list[Snapshot], category: IntegrationCategory) -> list[Snapshot]:
    """Integrations that can run `category` now, best first."""
    found = [s for s in snaps if _covers(s, category) and why_not_used(s, category) is None]
    return sorted(found, key=lambda s: _rank(s, category))


def _not_used(snaps: list[Snapshot], category: IntegrationCategory) -> list[NotUsed]:
    out: list[NotUsed] = []
    for snap in snaps:
        if not _covers(snap, category):
            continue
        reason = why_not_used(snap, category)
        if reason is not None:
            info = get_provider(snap.get("provider"))
            out.append(
                NotUsed(
                    integration_id=snap.id,
                    provider=info.id,
                    provider_name=info.display_name,
                    reason=reason,
                )
            )
    return out


def _readiness_from(snaps: list[Snapshot]) -> Readiness:
    steps: list[StepReadiness] = []
    configured: list[IntegrationCategory] = []
    for category in STEPS:
        best = _eligible(snaps, category)
        not_used = _not_used(snaps, category)
        if best:
            configured.append(category)
        offline = OFFLINE_FALLBACKS[category]
        if best:
            snap = best[0]
            info = get_provider(snap.get("provider"))
            status = snap.get("validation.status", "pending")
            note = (
                "validated"
                if status == "valid"
                else f"key check {status}; used until a check says the key is bad"
            )
            steps.append(
                StepReadiness(
                    step=category,
                    source="integration",
                    provider=info.id,
                    provider_name=info.display_name,
                    integration_id=snap.id,
                    validation_status=status,
                    available=True,
                    note=note,
                    not_used=not_used,
                )
            )
        elif offline is not None:
            steps.append(
                StepReadiness(
                    step=category,
                    source="offline",
                    provider=None,
                    provider_name=offline,
                    available=True,
                    note="no usable integration: the local offline provider runs",
                    not_used=not_used,
                )
            )
        else:
            steps.append(
                StepReadiness(
                    step=category,
                    source="none",
                    provider=None,
                    provider_name="not available",
                    available=False,
                    note="no usable video AI integration: the optional AI clip step is skipped",
                    not_used=not_used,
                )
            )
    return Readiness(
        # Every required step has an offline provider, so generation never
        # depends on keys; the flag is kept for clients that check it.
        can_generate=all(s.available for s in steps if OFFLINE_FALLBACKS[s.step] is not None),
        steps=steps,
        configured_categories=configured,
        missing_categories=[c for c in STEPS if c not in configured],
    )


def active_integration_for(
    *,
    platform: Platform,
    uid: str,
    category: IntegrationCategory | str,
    provider: str | None = None,
    integration_id: str | None = None,
    exclude: Collection[str] = (),
) -> ResolvedIntegration | None:
    """The integration a pipeline step should use, with its decrypted key; None = offline.

    `integration_id` names one explicitly (a retry with another integration):
    it must be the user's, active, and its provider must run `category`, else
    `IntegrationUnavailable` (409) / `NotFound` (404) is raised rather than
    silently falling back. Otherwise the best eligible integration is chosen
    (see the module docstring), optionally only among `provider`'s, never one
    whose id is in `exclude` (integrations that already failed in this video).
    """
    step = IntegrationCategory(category)
    if integration_id is not None:
        snap = load_owned(platform, uid, integration_id)
        info = get_provider(snap.get("provider"))
        if step not in info.categories:
            raise IntegrationUnavailable(
                f"{info.display_name} does not provide the {step.value} step",
                details={"integration_id": integration_id, "step": step.value},
            )
        reason = why_not_used(snap, step)
        if reason is not None:
            raise IntegrationUnavailable(
                f"the {info.display_name} integration cannot run the {step.value} step: {reason}",
                details={"integration_id": integration_id, "step": step.value, "reason": reason},
            )
        chosen = snap
    else:
        snaps = [s for s in integrations_of(platform, uid).get() if s.id not in exclude]
        if provider is not None:
            snaps = [s for s in snaps if s.get("provider") == provider]
        eligible = _eligible(snaps, step)
        if not eligible:
            return None
        chosen = eligible[0]
    info = get_provider(chosen.get("provider"))
    try:
        api_key = decrypt(platform, chosen)
    except SecretDecryptionError as exc:
        raise IntegrationUnavailable(
            f"the stored {info.display_name} key cannot be decrypted; enter it again",
            details={"integration_id": chosen.id},
        ) from exc
    return ResolvedIntegration(
        integration_id=chosen.id,
        provider=info.id,
        category=step.value,
        api_key=api_key,
        options=dict(chosen.get("options") or {}),
        validation_status=chosen.get("validation.status", "pending"),
    )


def mark_used(*, platform: Platform, uid: str, integration_id: str) -> None:
    """Record that a pipeline step just used this integration (missing ones are ignored)."""
    target = integration_ref(platform, uid, integration_id)

    def run(tx: Transaction) -> None:
        if tx.get(target).exists:
            tx.update(target, {"last_used_at": utc_now()})

    platform.documents.run_transaction(run)
