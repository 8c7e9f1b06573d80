"""Integrations: a user's provider keys, stored encrypted, checked in the background.

Storage: `users/{uid}/integrations/{id}` (see `docs/integrations.md`):

    provider, category, categories, is_active, options,
    secret: EncryptedSecret | None      # aad = the document path; None for FFmpeg
    masked_key: str | None              # e.g. "sk-proj-...AbCd"
    key_version: int                    # +1 each time the key changes
    validation_seq: int                 # +1 each time a check is asked for
    validation: {status, valid, message, http_status, retry_after_s, checked_at,
                 details, seq, key_version}
    created_at, updated_at, last_used_at

Decisions:

- One integration per provider per user. Adding a second one for the same
  provider is a 409 (`integration_exists`, with the existing id) pointing at
  `PATCH /{id}`: replacing a working key must be a deliberate act.
- Checks run in the `integration_validate` task. Each request for a check
  gets a sequence number; the task is named after the integration and that
  number, so a repeated enqueue is de-duplicated, and a delivery whose number
  is no longer current (the key changed since) does nothing.
- Which integration a pipeline step uses (`active_integration_for`, and the
  readiness report that mirrors it): among the user's *active* integrations
  covering the step and not known to be bad (`invalid`/`forbidden`), valid
  ones first, then those whose check is pending or hit a transient provider
  problem; ties go to a provider whose *primary* category is the step (so
  ElevenLabs beats OpenAI TTS for voice), then to catalogue order. With none,
  the step's offline provider runs (video AI has none: the step is skipped).
- The plaintext key never reaches a stored document or a log line; it leaves
  the service only through `reveal_key` (owner only, audited, rate limited)
  and `active_integration_for` (the pipeline).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from synthora.errors import (
    ApiError,
    Conflict,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    ValidationFailed,
)
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import (
    CollectionRef,
    DocumentRef,
    Snapshot,
    Transaction,
    auto_id,
    is_document_id,
)
from synthora.ports.tasks import TaskQueueError, task_name
from synthora.providers import registry
from synthora.providers.base import OFFLINE_FALLBACKS, IntegrationCategory, ProviderDeclaration
from synthora.providers.keycheck import ValidationResult
from synthora.providers.registry import Provider, all_providers, get_provider, providers_by_category
from synthora.security.crypto import (
    EncryptedSecret,
    MasterKeyring,
    SecretDecryptionError,
    decrypt_secret,
    encrypt_secret,
    mask_secret,
)

log = get_logger(__name__)

VALIDATE_FUNCTION = "integration_validate"
MAX_KEY_LENGTH = 4096
#: Reveals allowed per user in `REVEAL_WINDOW`: enough for a person copying a
#: key now and then, too few for a script scraping every key.
REVEAL_LIMIT = 10
REVEAL_WINDOW = timedelta(hours=1)
AUDIT_REVEAL_ACTION = "integration.reveal"

#: The pipeline steps, in the order they run.
STEPS: tuple[IntegrationCategory, ...] = tuple(IntegrationCategory)


def allowed_options(info: ProviderDeclaration) -> dict[str, tuple[str, ...]]:
    """Options a user may set for a provider, with their allowed values (from its
    declaration). Anything else is refused: in particular FFmpeg's `binary` option
    is never user-settable, since it names a program the server would run."""
    return {spec.name: spec.values for spec in info.options}


ValidationStatus = Literal[
    "pending", "valid", "invalid", "forbidden", "rate_limited", "provider_error", "unreachable"
]
#: Statuses that say the key itself is bad: such an integration is never picked.
BAD_STATUSES: frozenset[str] = frozenset({"invalid", "forbidden"})


# --------------------------------------------------------------------------- models


class ValidationState(BaseModel):
    """The latest key check, as stored on the integration."""

    status: ValidationStatus = "pending"
    valid: bool | None = Field(default=None, description="None until checked.")
    message: str = "The key has not been checked yet."
    http_status: int | None = None
    retry_after_s: float | None = None
    checked_at: datetime | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    seq: int = Field(default=0, description="Which check request this result answers.")
    key_version: int = 0


class IntegrationOut(BaseModel):
    """An integration as the API shows it: the key only masked."""

    id: str
    provider: Provider
    display_name: str
    category: IntegrationCategory
    categories: list[IntegrationCategory]
    is_active: bool
    masked_key: str | None
    options: dict[str, str]
    validation: ValidationState
    key_version: int
    created_at: datetime
    updated_at: datetime
    last_used_at: datetime | None = None


class StepReadiness(BaseModel):
    """Which provider a pipeline step will use for this user."""

    step: IntegrationCategory
    source: Literal["integration", "offline", "none"]
    provider: str | None = Field(description="Provider id, or None when offline / unavailable.")
    provider_name: str = Field(description="Display name, e.g. `OpenAI` or `piper/espeak-ng`.")
    integration_id: str | None = None
    validation_status: ValidationStatus | None = None
    available: bool
    note: str


class Readiness(BaseModel):
    """Generation readiness: always possible thanks to the offline providers."""

    can_generate: bool
    steps: list[StepReadiness]
    configured_categories: list[IntegrationCategory]
    missing_categories: list[IntegrationCategory]


class IntegrationList(BaseModel):
    items: list[IntegrationOut]
    categories_covered: list[IntegrationCategory]
    missing_categories: list[IntegrationCategory]
    can_generate: bool
    readiness: Readiness


class ProviderOut(BaseModel):
    """A catalogue entry, public."""

    id: Provider
    display_name: str
    category: IntegrationCategory
    categories: list[IntegrationCategory]
    auth_method: str
    needs_key: bool
    docs_url: str
    keys_url: str | None
    used_for: str
    key_format: str | None = Field(description="Documented key shape, when there is one.")
    options: dict[str, list[str]] = Field(description="Options the user may set, with values.")
    offline_fallback: str | None


class AvailableProvider(ProviderOut):
    configured: bool
    integration_id: str | None = None
    is_active: bool | None = None
    validation_status: ValidationStatus | None = None


class AvailableList(BaseModel):
    items: list[AvailableProvider]


class CategoryProviders(BaseModel):
    category: IntegrationCategory
    offline_fallback: str | None
    optional: bool = Field(description="True for video AI: the step is skipped without one.")
    providers: list[ProviderOut]


class ProvidersByCategory(BaseModel):
    categories: list[CategoryProviders]


class AddIntegrationRequest(BaseModel):
    """Connect a provider."""

    provider: Provider
    api_key: str | None = Field(
        default=None,
        max_length=MAX_KEY_LENGTH,
        description="The provider's key (omit for FFmpeg, which needs none).",
    )
    options: dict[str, str] = Field(default_factory=dict, max_length=10)

    @field_validator("api_key")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        # Keys pasted from a dashboard often carry a trailing newline or space.
        return value.strip() if value is not None else None


class UpdateIntegrationRequest(BaseModel):
    """Replace the key and/or the options (at least one)."""

    api_key: str | None = Field(default=None, max_length=MAX_KEY_LENGTH)
    options: dict[str, str] | None = Field(default=None, max_length=10)

    @field_validator("api_key")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return value.strip() if value is not None else None


class ToggleRequest(BaseModel):
    is_active: bool | None = Field(default=None, description="Omit to flip the current state.")


class ValidateOutcome(BaseModel):
    integration: IntegrationOut
    mode: Literal["queued", "inline"]
    task: str | None = Field(default=None, description="The queued task's name.")


class RevealedKey(BaseModel):
    id: str
    provider: Provider
    api_key: str


class ResolvedIntegration(BaseModel):
    """What a pipeline step needs to call a provider on the user's behalf."""

    integration_id: str
    provider: Provider
    category: IntegrationCategory
    api_key: str = Field(repr=False)
    options: dict[str, str]
    validation_status: ValidationStatus


class ValidateTask(BaseModel):
    """Payload of the `integration_validate` task."""

    uid: str = Field(min_length=1, max_length=128)
    integration_id: str = Field(min_length=1, max_length=128)
    seq: int = Field(ge=1)


class ValidateTaskResult(BaseModel):
    outcome: Literal["validated", "stale", "already_done", "missing"]
    status: ValidationStatus | None = None
    notified: bool = False


class IntegrationUnavailable(ApiError):
    """The integration the caller named cannot be used for this step."""

    status = 409
    code = "integration_unavailable"


# --------------------------------------------------------------------------- helpers


def _now() -> datetime:
    return datetime.now(UTC)


def _collection(platform: Platform, uid: str) -> CollectionRef:
    return platform.documents.collection(f"users/{uid}/integrations")


def _ref(platform: Platform, uid: str, integration_id: str) -> DocumentRef:
    return _collection(platform, uid).document(integration_id)


def _keyring(platform: Platform) -> MasterKeyring:
    return MasterKeyring.from_settings(platform.settings)


def _load_owned(platform: Platform, uid: str, integration_id: str) -> Snapshot:
    """The caller's integration; 404 for a missing one or anybody else's (ids never leak)."""
    if not is_document_id(integration_id):
        raise NotFound("integration not found", code="integration_not_found")
    snap = _ref(platform, uid, integration_id).get()
    if not snap.exists:
        raise NotFound("integration not found", code="integration_not_found")
    return snap


def to_out(snap: Snapshot) -> IntegrationOut:
    """The API view of a stored integration."""
    data = snap.to_dict() or {}
    info = get_provider(data["provider"])
    return IntegrationOut(
        id=snap.id,
        provider=info.id,
        display_name=info.display_name,
        category=info.category,
        categories=list(info.categories),
        is_active=bool(data.get("is_active", True)),
        masked_key=data.get("masked_key"),
        options=dict(data.get("options") or {}),
        validation=ValidationState.model_validate(data.get("validation") or {}),
        key_version=int(data.get("key_version", 0)),
        created_at=data["created_at"],
        updated_at=data["updated_at"],
        last_used_at=data.get("last_used_at"),
    )


def _provider_out(info: ProviderDeclaration) -> dict[str, Any]:
    return {
        "id": info.id,
        "display_name": info.display_name,
        "category": info.category,
        "categories": list(info.categories),
        "auth_method": info.auth.method.value,
        "needs_key": info.needs_key,
        "docs_url": info.docs_url,
        "keys_url": info.keys_url,
        "used_for": info.used_for,
        "key_format": info.key_format.description if info.key_format else None,
        "options": {k: list(v) for k, v in allowed_options(info).items()},
        "offline_fallback": info.offline_fallback,
    }


def check_key(info: ProviderDeclaration, api_key: str | None) -> str | None:
    """The key to store for `info` (None for key-less providers); 422 when it cannot be right."""
    if not info.needs_key:
        if api_key:
            raise ValidationFailed(
                f"{info.display_name} runs locally and takes no key",
                details=[{"field": "body.api_key", "message": "must be omitted"}],
            )
        return None
    if not api_key:
        raise ValidationFailed(
            f"{info.display_name} needs an API key",
            details=[{"field": "body.api_key", "message": "required", "type": "missing"}],
        )
    if any(ch.isspace() for ch in api_key) or not api_key.isprintable():
        raise ValidationFailed(
            "the key contains spaces or control characters; paste it again",
            details=[{"field": "body.api_key", "message": "no whitespace allowed"}],
        )
    if info.key_format is not None and not info.key_format.matches(api_key):
        # Never echo the key itself back; the documented shape is enough to fix it.
        raise ValidationFailed(
            f"this does not look like a {info.display_name} key: {info.key_format.description}",
            code="invalid_key_format",
            details=[
                {
                    "field": "body.api_key",
                    "message": "does not match the provider's documented key format",
                    "expected": info.key_format.description,
                }
            ],
        )
    return api_key


def check_options(info: ProviderDeclaration, options: dict[str, str]) -> dict[str, str]:
    """The options, when every one is known for this provider with an allowed value."""
    allowed = allowed_options(info)
    errors: list[dict[str, Any]] = []
    for name, value in options.items():
        if name not in allowed:
            errors.append(
                {
                    "field": f"body.options.{name}",
                    "message": f"unknown option for {info.display_name}",
                    "allowed": sorted(allowed),
                }
            )
        elif value not in allowed[name]:
            errors.append(
                {
                    "field": f"body.options.{name}",
                    "message": "value not allowed",
                    "allowed": list(allowed[name]),
                }
            )
    if errors:
        raise ValidationFailed("the options are not valid for this provider", details=errors)
    return dict(options)


# --------------------------------------------------------------------------- catalogue views


def list_providers() -> ProvidersByCategory:
    """The catalogue grouped by pipeline step (public)."""
    grouped = providers_by_category()
    return ProvidersByCategory(
        categories=[
            CategoryProviders(
                category=category,
                offline_fallback=OFFLINE_FALLBACKS[category],
                optional=OFFLINE_FALLBACKS[category] is None,
                providers=[ProviderOut.model_validate(_provider_out(i)) for i in grouped[category]],
            )
            for category in STEPS
        ]
    )


def list_available(*, platform: Platform, uid: str) -> AvailableList:
    """Every catalogue provider, with whether (and how) this user configured it."""
    mine = {s.get("provider"): s for s in _collection(platform, uid).get()}
    items: list[AvailableProvider] = []
    for info in all_providers():
        snap = mine.get(info.id)
        extra: dict[str, Any] = {"configured": snap is not None}
        if snap is not None:
            extra["integration_id"] = snap.id
            extra["is_active"] = bool(snap.get("is_active", True))
            extra["validation_status"] = snap.get("validation.status", "pending")
        items.append(AvailableProvider.model_validate({**_provider_out(info), **extra}))
    return AvailableList(items=items)


# --------------------------------------------------------------------------- reads


def list_integrations(*, platform: Platform, uid: str) -> IntegrationList:
    """My integrations (masked), with categories covered and per-step readiness."""
    snaps = _collection(platform, uid).order_by("created_at").get()
    items = [to_out(s) for s in snaps]
    readiness = _readiness_from(snaps)
    return IntegrationList(
        items=items,
        categories_covered=readiness.configured_categories,
        missing_categories=readiness.missing_categories,
        can_generate=readiness.can_generate,
        readiness=readiness,
    )


def get_integration(*, platform: Platform, uid: str, integration_id: str) -> IntegrationOut:
    return to_out(_load_owned(platform, uid, integration_id))


def _info_of(snap: Snapshot) -> ProviderDeclaration | None:
    try:
        return get_provider(snap.get("provider"))
    except KeyError:
        return None  # a provider dropped from the catalogue is simply ignored


def _rank(snap: Snapshot, category: IntegrationCategory) -> tuple[int, int, int]:
    """Sort key of an eligible integration for a step (lower is preferred)."""
    info = get_provider(snap.get("provider"))
    status = snap.get("validation.status", "pending")
    catalogue_order = [p.id for p in all_providers()].index(info.id)
    return (
        0 if status == "valid" else 1,
        0 if info.category == category else 1,
        catalogue_order,
    )


def _eligible(snaps: list[Snapshot], category: IntegrationCategory) -> list[Snapshot]:
    """Active integrations covering `category` that are not known bad, best first."""
    out: list[Snapshot] = []
    for snap in snaps:
        info = _info_of(snap)
        if info is None or category not in info.categories or not snap.get("is_active", True):
            continue
        if snap.get("validation.status", "pending") in BAD_STATUSES:
            continue
        out.append(snap)
    return sorted(out, key=lambda s: _rank(s, category))


def _readiness_from(snaps: list[Snapshot]) -> Readiness:
    steps: list[StepReadiness] = []
    configured: list[IntegrationCategory] = []
    for category in STEPS:
        covered = any(
            (info := _info_of(s)) is not None
            and category in info.categories
            and s.get("is_active", True)
            for s in snaps
        )
        if covered:
            configured.append(category)
        best = _eligible(snaps, category)
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


def integration_readiness(*, platform: Platform, uid: str) -> Readiness:
    """For each pipeline step, which provider will run for this user."""
    return _readiness_from(list(_collection(platform, uid).get()))


# --------------------------------------------------------------------------- writes


def _enqueue_validation(
    platform: Platform, *, uid: str, integration_id: str, seq: int, required: bool = False
) -> str | None:
    """Queue the key check; the task name makes a repeated enqueue a no-op.

    When the queue refuses, the saved key stays saved with its check `pending`
    (the user can ask again) unless the caller `required` the enqueue (503).
    """
    name = task_name("integration-validate", integration_id, seq)
    try:
        platform.tasks.enqueue(
            function=VALIDATE_FUNCTION,
            payload=ValidateTask(uid=uid, integration_id=integration_id, seq=seq),
            name=name,
        )
    except TaskQueueError as exc:
        log.warning(
            "key check could not be queued",
            extra=fields(uid=uid, integration_id=integration_id, reason=str(exc)),
        )
        if required:
            raise ServiceUnavailable(
                "the key check could not be queued; try again, or use ?sync=true",
                code="queue_unavailable",
            ) from None
        return None
    return name


def _pending(seq: int, key_version: int) -> dict[str, Any]:
    return ValidationState(seq=seq, key_version=key_version).model_dump()


def add_integration(
    *, platform: Platform, uid: str, request: AddIntegrationRequest
) -> IntegrationOut:
    """Store a new integration (key encrypted) and queue its key check."""
    info = get_provider(request.provider)
    api_key = check_key(info, request.api_key)
    options = check_options(info, request.options)
    collection = _collection(platform, uid)
    integration_id = auto_id()
    ref = collection.document(integration_id)
    now = _now()
    doc: dict[str, Any] = {
        "provider": info.id,
        "category": info.category.value,
        "categories": [c.value for c in info.categories],
        "is_active": True,
        "options": options,
        # aad = the document path: a secret copied into another record won't decrypt.
        "secret": (
            encrypt_secret(plaintext=api_key, keyring=_keyring(platform), aad=ref.path).model_dump()
            if api_key is not None
            else None
        ),
        "masked_key": mask_secret(api_key) if api_key is not None else None,
        "key_version": 1,
        "validation_seq": 1,
        "validation": _pending(1, 1),
        "created_at": now,
        "updated_at": now,
        "last_used_at": None,
    }

    def create(tx: Transaction) -> str | None:
        # The uniqueness check and the insert in one transaction, so two
        # concurrent adds of the same provider cannot both succeed.
        existing = tx.query(collection.where("provider", "==", info.id).limit(1))
        if existing:
            return existing[0].id
        tx.create(ref, doc)
        return None

    existing_id = platform.documents.run_transaction(create)
    if existing_id is not None:
        raise Conflict(
            f"you already connected {info.display_name}; change its key with "
            f"PATCH /api/v1/integrations/{existing_id} or delete it first",
            code="integration_exists",
            details={"integration_id": existing_id, "provider": info.id},
        )
    _enqueue_validation(platform, uid=uid, integration_id=integration_id, seq=1)
    log.info(
        "integration added",
        extra=fields(uid=uid, integration_id=integration_id, provider=info.id),
    )
    return to_out(ref.get())


def _mutate(
    platform: Platform,
    uid: str,
    integration_id: str,
    change: Callable[[dict[str, Any]], dict[str, Any]],
) -> dict[str, Any]:
    """Apply `change(current) -> updates` in a transaction; 404 when missing."""
    _load_owned(platform, uid, integration_id)  # 404 early, before any work
    ref = _ref(platform, uid, integration_id)

    def run(tx: Transaction) -> dict[str, Any]:
        snap = tx.get(ref)
        if not snap.exists:
            raise NotFound("integration not found", code="integration_not_found")
        updates = change(snap.to_dict() or {})
        if updates:
            tx.update(ref, updates)
        return updates

    return platform.documents.run_transaction(run)


def update_integration(
    *, platform: Platform, uid: str, integration_id: str, request: UpdateIntegrationRequest
) -> IntegrationOut:
    """Replace the key and/or options; the key is checked again in the background."""
    if request.api_key is None and request.options is None:
        raise ValidationFailed(
            "send `api_key` and/or `options`",
            details=[{"field": "body", "message": "nothing to update"}],
        )
    snap = _load_owned(platform, uid, integration_id)
    info = get_provider(snap.get("provider"))
    api_key = check_key(info, request.api_key) if request.api_key is not None else None
    options = check_options(info, request.options) if request.options is not None else None
    path = _ref(platform, uid, integration_id).path
    secret = (
        encrypt_secret(plaintext=api_key, keyring=_keyring(platform), aad=path).model_dump()
        if api_key is not None
        else None
    )

    def change(current: dict[str, Any]) -> dict[str, Any]:
        seq = int(current.get("validation_seq", 0)) + 1
        key_version = int(current.get("key_version", 0)) + (1 if secret is not None else 0)
        updates: dict[str, Any] = {
            "updated_at": _now(),
            "validation_seq": seq,
            "validation": _pending(seq, key_version),
        }
        if secret is not None and api_key is not None:
            updates.update(secret=secret, masked_key=mask_secret(api_key), key_version=key_version)
        if options is not None:
            updates["options"] = options
        return updates

    updates = _mutate(platform, uid, integration_id, change)
    _enqueue_validation(
        platform, uid=uid, integration_id=integration_id, seq=int(updates["validation_seq"])
    )
    return get_integration(platform=platform, uid=uid, integration_id=integration_id)


def delete_integration(*, platform: Platform, uid: str, integration_id: str) -> None:
    """Remove an integration (a queued check for it then finds nothing and stops)."""
    snap = _load_owned(platform, uid, integration_id)
    snap.reference.delete()
    log.info("integration deleted", extra=fields(uid=uid, integration_id=integration_id))


def set_active(
    *, platform: Platform, uid: str, integration_id: str, is_active: bool | None
) -> IntegrationOut:
    """Turn an integration on or off (None flips it)."""

    def change(current: dict[str, Any]) -> dict[str, Any]:
        target = (not current.get("is_active", True)) if is_active is None else is_active
        return {"is_active": target, "updated_at": _now()}

    _mutate(platform, uid, integration_id, change)
    return get_integration(platform=platform, uid=uid, integration_id=integration_id)


def request_validation(
    *, platform: Platform, uid: str, integration_id: str, sync: bool = False
) -> ValidateOutcome:
    """Check the key again: queued (default) or inline (`sync`), returning the state."""

    def change(current: dict[str, Any]) -> dict[str, Any]:
        seq = int(current.get("validation_seq", 0)) + 1
        key_version = int(current.get("key_version", 0))
        return {"validation_seq": seq, "validation": _pending(seq, key_version)}

    seq = int(_mutate(platform, uid, integration_id, change)["validation_seq"])
    if sync:
        run_validation(
            platform=platform, task=ValidateTask(uid=uid, integration_id=integration_id, seq=seq)
        )
        out = get_integration(platform=platform, uid=uid, integration_id=integration_id)
        return ValidateOutcome(integration=out, mode="inline")
    name = _enqueue_validation(
        platform, uid=uid, integration_id=integration_id, seq=seq, required=True
    )
    out = get_integration(platform=platform, uid=uid, integration_id=integration_id)
    return ValidateOutcome(integration=out, mode="queued", task=name)


def _decrypt(platform: Platform, snap: Snapshot) -> str:
    raw = snap.get("secret")
    if raw is None:
        return ""
    return decrypt_secret(
        secret=EncryptedSecret.model_validate(raw),
        keyring=_keyring(platform),
        aad=snap.reference.path,
    )


def reveal_key(
    *,
    platform: Platform,
    uid: str,
    integration_id: str,
    client_ip: str | None,
    user_agent: str | None,
) -> RevealedKey:
    """The plaintext key, for its owner only; audited and rate limited."""
    snap = _load_owned(platform, uid, integration_id)
    info = get_provider(snap.get("provider"))
    if not info.needs_key:
        raise NotFound(f"{info.display_name} has no key to reveal", code="no_key")
    audit = platform.documents.collection(f"users/{uid}/audit")
    now = _now()
    recent = (
        audit.where("action", "==", AUDIT_REVEAL_ACTION)
        .where("at", ">=", now - REVEAL_WINDOW)
        .count()
    )
    if recent >= REVEAL_LIMIT:
        retry_s = int(REVEAL_WINDOW.total_seconds())
        raise RateLimited(
            f"at most {REVEAL_LIMIT} keys can be revealed per hour; try again later",
            details={"limit": REVEAL_LIMIT, "window_s": retry_s},
            headers={"Retry-After": str(retry_s)},
        )
    try:
        api_key = _decrypt(platform, snap)
    except SecretDecryptionError as exc:
        log.error(
            "stored key cannot be decrypted",
            extra=fields(uid=uid, integration_id=integration_id, reason=str(exc)),
        )
        raise ApiError(
            "the stored key cannot be decrypted; enter it again with PATCH",
            code="secret_unreadable",
            status=409,
        ) from None
    # The audit record is written before the key is returned: no record, no key.
    audit.document().set(
        {
            "action": AUDIT_REVEAL_ACTION,
            "at": now,
            "actor_uid": uid,
            "integration_id": integration_id,
            "provider": info.id,
            "client_ip": client_ip,
            "user_agent": (user_agent or "")[:500] or None,
        }
    )
    log.info(
        "integration key revealed",
        extra=fields(uid=uid, integration_id=integration_id, client_ip=client_ip),
    )
    return RevealedKey(id=snap.id, provider=info.id, api_key=api_key)


# --------------------------------------------------------------------------- validation task


def _result_state(result: ValidationResult, *, seq: int, key_version: int) -> dict[str, Any]:
    return ValidationState(
        status=result.status,
        valid=result.valid,
        message=result.message,
        http_status=result.http_status,
        retry_after_s=result.retry_after_s,
        checked_at=result.checked_at,
        details=result.details,
        seq=seq,
        key_version=key_version,
    ).model_dump()


def run_validation(*, platform: Platform, task: ValidateTask) -> ValidateTaskResult:
    """Check the key and store the result; safe to run again for the same task.

    A delivery for a request that is no longer the latest (the key changed, or
    a newer check was asked for) does nothing: the newer task does the work.
    A delivery whose result is already stored does nothing either, so a
    duplicate never calls the provider or notifies twice.
    """
    ref = _ref(platform, task.uid, task.integration_id)
    snap = ref.get()
    if not snap.exists:
        return ValidateTaskResult(outcome="missing")
    if int(snap.get("validation_seq", 0)) != task.seq:
        return ValidateTaskResult(outcome="stale")
    if (
        int(snap.get("validation.seq", 0)) == task.seq
        and snap.get("validation.status") != "pending"
    ):
        return ValidateTaskResult(outcome="already_done", status=snap.get("validation.status"))
    key_version = int(snap.get("key_version", 0))
    info = get_provider(snap.get("provider"))
    try:
        api_key = _decrypt(platform, snap)
    except SecretDecryptionError as exc:
        result = ValidationResult(
            provider=info.id,
            valid=False,
            status="invalid",
            message=f"the stored key cannot be decrypted ({exc}); enter it again",
        )
    else:
        result = registry.check_key(
            provider=info.id, api_key=api_key, options=dict(snap.get("options") or {})
        )
    state = _result_state(result, seq=task.seq, key_version=key_version)

    def store(tx: Transaction) -> bool:
        current = tx.get(ref)
        # Written only if no newer request arrived while the provider answered.
        if not current.exists or int(current.get("validation_seq", 0)) != task.seq:
            return False
        tx.update(ref, {"validation": state})
        return True

    stored = platform.documents.run_transaction(store)
    if not stored:
        return ValidateTaskResult(outcome="stale")
    log.info(
        "integration checked",
        extra=fields(
            uid=task.uid,
            integration_id=task.integration_id,
            provider=info.id,
            status=result.status,
        ),
    )
    notified = False
    if result.status in BAD_STATUSES:
        notified = _notify_invalid(platform, task=task, info=info, result=result)
    return ValidateTaskResult(outcome="validated", status=result.status, notified=notified)


def _notify_invalid(
    platform: Platform, *, task: ValidateTask, info: ProviderDeclaration, result: ValidationResult
) -> bool:
    """Tell the user their key stopped working (the one call site for notifications)."""
    from synthora.services.notifications import notify_integration_error

    try:
        notify_integration_error(
            platform=platform,
            uid=task.uid,
            integration_id=task.integration_id,
            provider=info.display_name,
            error=f"{info.display_name} rejected the key ({result.status}): {result.message}",
            idempotency_key=f"integration-{task.integration_id}-{task.seq}",
        )
    except Exception:
        # The verdict is stored and shown in the app either way; a failed
        # notification must not make the queue re-run a finished check.
        log.exception(
            "integration_error notification failed",
            extra=fields(uid=task.uid, integration_id=task.integration_id),
        )
        return False
    return True


# --------------------------------------------------------------------------- pipeline API


def active_integration_for(
    *,
    platform: Platform,
    uid: str,
    category: IntegrationCategory | str,
    provider: str | None = None,
    integration_id: str | None = None,
) -> ResolvedIntegration | None:
    """The integration a pipeline step should use, with its decrypted key; None = offline.

    `integration_id` names one explicitly (a retry with another integration):
    it must be the user's, active and cover `category`, else
    `IntegrationUnavailable` (409) / `NotFound` (404) is raised rather than
    silently falling back. Otherwise the best eligible integration is chosen
    (see the module docstring), optionally only among `provider`'s.
    """
    step = IntegrationCategory(category)
    if integration_id is not None:
        snap = _load_owned(platform, uid, integration_id)
        info = get_provider(snap.get("provider"))
        if step not in info.categories:
            raise IntegrationUnavailable(
                f"{info.display_name} does not provide the {step.value} step",
                details={"integration_id": integration_id, "step": step.value},
            )
        if not snap.get("is_active", True):
            raise IntegrationUnavailable(
                f"the {info.display_name} integration is turned off",
                details={"integration_id": integration_id},
            )
        chosen = snap
    else:
        snaps = list(_collection(platform, uid).get())
        if provider is not None:
            snaps = [s for s in snaps if s.get("provider") == provider]
        eligible = _eligible(snaps, step)
        if not eligible:
            return None
        chosen = eligible[0]
    info = get_provider(chosen.get("provider"))
    try:
        api_key = _decrypt(platform, chosen)
    except SecretDecryptionError as exc:
        raise IntegrationUnavailable(
            f"the stored {info.display_name} key cannot be decrypted; enter it again",
            details={"integration_id": chosen.id},
        ) from exc
    return ResolvedIntegration(
        integration_id=chosen.id,
        provider=info.id,
        category=step,
        api_key=api_key,
        options=dict(chosen.get("options") or {}),
        validation_status=chosen.get("validation.status", "pending"),
    )


def mark_used(*, platform: Platform, uid: str, integration_id: str) -> None:
    """Record that a pipeline step just used this integration (missing ones are ignored)."""
    ref = _ref(platform, uid, integration_id)

    def run(tx: Transaction) -> None:
        if tx.get(ref).exists:
            tx.update(ref, {"last_used_at": _now()})

    platform.documents.run_transaction(run)
