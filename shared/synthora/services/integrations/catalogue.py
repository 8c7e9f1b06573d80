"""The provider catalogue as the API shows it, and checks of a submitted key and options."""

from __future__ import annotations

from typing import Any

from synthora.errors import (
    ValidationFailed,
)
from synthora.platform import Platform
from synthora.providers.base import (
    OFFLINE_FALLBACKS,
    STEP_CAPABILITY,
    ProviderDeclaration,
)
from synthora.providers.registry import all_providers, providers_by_category
from synthora.services.integrations.models import (
    STEPS,
    AvailableList,
    AvailableProvider,
    CategoryProviders,
    ProviderOut,
    ProvidersByCategory,
)
from synthora.services.integrations.store import integrations_of


def allowed_options(info: ProviderDeclaration) -> dict[str, tuple[str, ...]]:
    """Options a user may set for a provider, with their allowed values (from its
    declaration). Anything else is refused: in particular FFmpeg's `binary` option
    is never user-settable, since it names a program the server would run."""
    return {spec.name: spec.values for spec in info.options}


def provider_out(info: ProviderDeclaration) -> dict[str, Any]:
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
        "option_specs": [
            {
                "name": spec.name,
                "values": list(spec.values),
                "free_text": spec.free_text,
                "required": spec.required,
                "description": spec.description,
                "example": spec.example,
            }
            for spec in info.options
        ],
        "key_optional": info.key_optional,
        "offline_fallback": info.offline_fallback,
        "status": info.status,
        "status_reason": info.status_reason,
        "capabilities": [
            {
                "capability": STEP_CAPABILITY[category].value,
                "runs": info.runs(STEP_CAPABILITY[category]),
                "reason": info.why_not(STEP_CAPABILITY[category]),
            }
            for category in info.categories
        ],
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
    if not api_key and info.key_optional:
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
    """The options (normalised), when every one is known for this provider with an
    allowed value and every required one is given."""
    allowed = allowed_options(info)
    errors: list[dict[str, Any]] = []
    accepted: dict[str, str] = {}
    for name, value in options.items():
        if name not in allowed:
            errors.append(
                {
                    "field": f"body.options.{name}",
                    "message": f"unknown option for {info.display_name}",
                    "allowed": sorted(allowed),
                }
            )
            continue
        spec = info.option(name)
        try:
            accepted[name] = spec.accept(value)
        except ValueError as exc:
            error: dict[str, Any] = {"field": f"body.options.{name}"}
            if spec.free_text:
                error["message"] = str(exc)
            else:
                error.update(message="value not allowed", allowed=list(allowed[name]))
            errors.append(error)
    for spec in info.options:
        if spec.required and spec.name not in options:
            errors.append(
                {
                    "field": f"body.options.{spec.name}",
                    "message": f"required: {spec.description}",
                    "type": "missing",
                }
            )
    if errors:
        raise ValidationFailed("the options are not valid for this provider", details=errors)
    return accepted


def list_providers() -> ProvidersByCategory:
    """The catalogue grouped by pipeline step (public)."""
    grouped = providers_by_category()
    return ProvidersByCategory(
        categories=[
            CategoryProviders(
                category=category,
                offline_fallback=OFFLINE_FALLBACKS[category],
                optional=OFFLINE_FALLBACKS[category] is None,
                providers=[ProviderOut.model_validate(provider_out(i)) for i in grouped[category]],
            )
            for category in STEPS
        ]
    )


def list_available(*, platform: Platform, uid: str) -> AvailableList:
    """Every catalogue provider, with whether (and how) this user configured it."""
    mine = {s.get("provider"): s for s in integrations_of(platform, uid).get()}
    items: list[AvailableProvider] = []
    for info in all_providers():
        snap = mine.get(info.id)
        extra: dict[str, Any] = {"configured": snap is not None}
        if snap is not None:
            extra["integration_id"] = snap.id
            extra["is_active"] = bool(snap.get("is_active", True))
            extra["validation_status"] = snap.get("validation.status", "pending")
        items.append(AvailableProvider.model_validate({**provider_out(info), **extra}))
    return AvailableList(items=items)
