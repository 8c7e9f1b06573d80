"""The integrations API's models and constants.

Integrations: a user's provider keys, stored encrypted, checked in the background.

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
- Which integration a pipeline step uses: see `readiness` (only providers
  that really run the step are ranked; a stored key that cannot is listed with
  the reason).
- The plaintext key never reaches a stored document or a log line; it leaves
  the service only through `reveal_key` (owner only, audited, rate limited)
  and `active_integration_for` (the pipeline).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from synthora.errors import (
    ApiError,
)
from synthora.providers.base import IntegrationCategory
from synthora.providers.registry import Provider

VALIDATE_FUNCTION = "integration_validate"


MAX_KEY_LENGTH = 4096


#: Reveals allowed per user in `REVEAL_WINDOW`: enough for a person copying a
#: key now and then, too few for a script scraping every key.
REVEAL_LIMIT = 10


REVEAL_WINDOW = timedelta(hours=1)


AUDIT_REVEAL_ACTION = "integration.reveal"


#: The pipeline steps, in the order they run.
STEPS: tuple[IntegrationCategory, ...] = tuple(IntegrationCategory)


ValidationStatus = Literal[
    "pending", "valid", "invalid", "forbidden", "rate_limited", "provider_error", "unreachable"
]


#: Statuses that say the key itself is bad: such an integration is never picked.
BAD_STATUSES: frozenset[str] = frozenset({"invalid", "forbidden"})


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
    provider_status: ProviderStatus = Field(
        default="active", description="The provider's catalogue status (see `ProviderOut`)."
    )
    provider_status_reason: str | None = None


class NotUsed(BaseModel):
    """A stored integration that covers a step but cannot run it, with the reason."""

    integration_id: str
    provider: str
    provider_name: str
    reason: str = Field(
        description="e.g. `key check only: ...`, `retired: ...`, `turned off`, "
        "`the last key check said invalid`."
    )


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
    not_used: list[NotUsed] = Field(
        default_factory=list,
        description="Stored integrations covering this step that are not used, and why.",
    )


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


ProviderStatus = Literal["active", "key_check_only", "retired"]


class CapabilityOut(BaseModel):
    """One capability a provider is listed for, and whether Synthora really runs it."""

    capability: str
    runs: bool
    reason: str | None = Field(default=None, description="Why not, when it does not run.")


class OptionSpecOut(BaseModel):
    """One option a user may set: a choice among `values`, or free text."""

    name: str
    values: list[str] = Field(description="Allowed values; empty for free text.")
    free_text: bool
    required: bool
    description: str
    example: str | None = None


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
    option_specs: list[OptionSpecOut] = Field(
        default_factory=list, description="Every option, with its kind, description and example."
    )
    key_optional: bool = Field(
        default=False, description="The key may be left empty (local model servers)."
    )
    offline_fallback: str | None
    status: ProviderStatus = Field(
        description="`active`: runs at least one capability; `key_check_only`: a key can be "
        "saved and checked but nothing runs it yet; `retired`: its API is shut down."
    )
    status_reason: str | None = Field(
        default=None, description="Why the provider is key check only or retired."
    )
    capabilities: list[CapabilityOut]


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
