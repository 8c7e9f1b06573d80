"""Provider integrations: the catalogue of providers and their key validators.

`catalog` describes every provider Synthora can use (what for, how it
authenticates, how its key is checked); `validators` checks a user's key
against the provider's real API.
"""

from synthora.providers.base import (
    OFFLINE_FALLBACKS,
    AuthMethod,
    AuthSpec,
    IntegrationCategory,
    KeyFormat,
    Provider,
    ProviderInfo,
    ValidationEndpoint,
    all_providers,
    get_provider,
    providers_by_category,
)

__all__ = [
    "OFFLINE_FALLBACKS",
    "AuthMethod",
    "AuthSpec",
    "IntegrationCategory",
    "KeyFormat",
    "Provider",
    "ProviderInfo",
    "ValidationEndpoint",
    "all_providers",
    "get_provider",
    "providers_by_category",
]
