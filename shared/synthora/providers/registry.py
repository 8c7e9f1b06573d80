"""The provider registry: the one list of provider modules, and what is asked of it.

Every provider module is imported and listed here explicitly, in catalogue
order (which is also the last tie-break of ranking). Nothing registers itself
as a side effect of being imported: adding a provider is adding its module to
`_MODULES` (see docs/adding-a-provider.md).

Everything that needs to know about providers asks here: the catalogue API
(`all_providers`, `providers_by_category`), key checks (`check_key`), option
validation (`ProviderDeclaration.options`), readiness and ranking
(`runs`/`why_not`), and the pipeline's choice of a client (`client_for`).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType, ModuleType

import httpx

from synthora.providers import (
    creatomate,
    editframe,
    elevenlabs,
    ffmpeg,
    hailuo,
    imagineart,
    ltx,
    luma,
    openai,
    openai_compatible,
    pexels,
    pixverse,
    remotion,
    runway,
    seedance,
    shotstack,
    sora,
    unsplash,
    veo,
    wan,
)
from synthora.providers.base import (
    Capability,
    ClientFactory,
    IntegrationCategory,
    ProviderDeclaration,
    RunsLocally,
)
from synthora.providers.keycheck import ValidationResult

#: The provider modules, in catalogue order.
_MODULES: tuple[ModuleType, ...] = (
    openai,
    openai_compatible,
    elevenlabs,
    pexels,
    unsplash,
    runway,
    sora,
    veo,
    luma,
    imagineart,
    pixverse,
    seedance,
    wan,
    hailuo,
    ltx,
    ffmpeg,
    creatomate,
    shotstack,
    remotion,
    editframe,
)


def _declarations() -> tuple[ProviderDeclaration, ...]:
    found: list[ProviderDeclaration] = []
    for module in _MODULES:
        declaration = module.DECLARATION
        if not isinstance(declaration, ProviderDeclaration):
            raise TypeError(f"{module.__name__}.DECLARATION is not a ProviderDeclaration")
        if declaration.id != module.__name__.rsplit(".", 1)[-1]:
            raise ValueError(f"{module.__name__} declares id {declaration.id!r}")
        found.append(declaration)
    return tuple(found)


DECLARATIONS: tuple[ProviderDeclaration, ...] = _declarations()
_BY_ID: Mapping[str, ProviderDeclaration] = MappingProxyType({d.id: d for d in DECLARATIONS})

#: Stable provider ids (stored in `users/{uid}/integrations` documents), as an
#: enum for request/response models; built from the declarations.
Provider = StrEnum(  # type: ignore[misc]
    "Provider", [(d.id.upper(), d.id) for d in DECLARATIONS]
)


def all_providers() -> tuple[ProviderDeclaration, ...]:
    """Every provider, in catalogue order."""
    return DECLARATIONS


def get_provider(provider_id: str) -> ProviderDeclaration:
    """The declaration for an id; `KeyError` with the known ids when unknown."""
    try:
        return _BY_ID[str(provider_id)]
    except KeyError:
        known = ", ".join(_BY_ID)
        raise KeyError(f"unknown provider {provider_id!r}; known: {known}") from None


def catalogue_position(provider_id: str) -> int:
    """The provider's place in the catalogue (ranking's last tie-break)."""
    return list(_BY_ID).index(str(provider_id))


def providers_by_category(
    *, include_secondary: bool = True
) -> dict[IntegrationCategory, tuple[ProviderDeclaration, ...]]:
    """Providers grouped by category (every category present, possibly empty)."""
    grouped: dict[IntegrationCategory, list[ProviderDeclaration]] = {
        c: [] for c in IntegrationCategory
    }
    for info in DECLARATIONS:
        categories = info.categories if include_secondary else (info.category,)
        for category in categories:
            grouped[category].append(info)
    return {category: tuple(items) for category, items in grouped.items()}


def runners(capability: Capability) -> tuple[ProviderDeclaration, ...]:
    """Providers that really run `capability`, in catalogue order."""
    return tuple(d for d in DECLARATIONS if d.runs(capability))


def local_runner(capability: Capability) -> ProviderDeclaration:
    """The provider that runs `capability` on the worker itself (FFmpeg for assembly)."""
    for declaration in DECLARATIONS:
        if isinstance(declaration.support(capability), RunsLocally):
            return declaration
    raise LookupError(f"no provider runs {capability.value} locally")


def client_for(capability: Capability, provider_id: str) -> ClientFactory | None:
    """The client factory of `provider_id` for `capability`; None when it has none."""
    declaration = _BY_ID.get(str(provider_id))
    return declaration.client_for(capability) if declaration is not None else None


def check_key(
    *,
    provider: str,
    api_key: str,
    client: httpx.Client | None = None,
    options: Mapping[str, str] | None = None,
) -> ValidationResult:
    """Check `api_key` with the provider's declared key check.

    Never raises for a provider's answer: every outcome is a `ValidationResult`.
    `options` are the integration's options (Shotstack `environment`, Wan and
    Hailuo `region`).
    """
    return get_provider(provider).validator.validate(
        api_key=api_key, client=client, options=options
    )
