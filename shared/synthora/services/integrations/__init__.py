"""Integrations: a user's provider keys, stored encrypted, checked in the background.

Split along its seams: `models` (API models and constants), `store` (the
`users/{uid}/integrations/{id}` documents), `catalogue` (the provider catalogue
as the API shows it, key and option checks), `crud` (add, change, remove,
switch), `keys` (reveal), `checks` (key checks, queued or inline) and
`readiness` (which integration each pipeline step uses). This module is the
services' public face: the functions and the other services import from here.
See `models` for the stored document and the decisions.
"""

from synthora.pipeline.models import ResolvedIntegration
from synthora.services.integrations.catalogue import (
    allowed_options,
    check_key,
    check_options,
    list_available,
    list_providers,
)
from synthora.services.integrations.checks import request_validation, run_validation
from synthora.services.integrations.crud import (
    add_integration,
    delete_integration,
    set_active,
    update_integration,
)
from synthora.services.integrations.keys import reveal_key
from synthora.services.integrations.models import (
    AUDIT_REVEAL_ACTION,
    BAD_STATUSES,
    MAX_KEY_LENGTH,
    REVEAL_LIMIT,
    REVEAL_WINDOW,
    STEPS,
    VALIDATE_FUNCTION,
    AddIntegrationRequest,
    AvailableList,
    AvailableProvider,
    CapabilityOut,
    CategoryProviders,
    IntegrationList,
    IntegrationOut,
    IntegrationUnavailable,
    NotUsed,
    ProviderOut,
    ProvidersByCategory,
    Readiness,
    RevealedKey,
    StepReadiness,
    ToggleRequest,
    UpdateIntegrationRequest,
    ValidateOutcome,
    ValidateTask,
    ValidateTaskResult,
    ValidationState,
)
from synthora.services.integrations.readiness import (
    active_integration_for,
    integration_readiness,
    list_integrations,
    mark_used,
    why_not_used,
)
from synthora.services.integrations.store import get_integration, to_out

__all__ = [
    "AUDIT_REVEAL_ACTION",
    "BAD_STATUSES",
    "MAX_KEY_LENGTH",
    "REVEAL_LIMIT",
    "REVEAL_WINDOW",
    "STEPS",
    "VALIDATE_FUNCTION",
    "AddIntegrationRequest",
    "AvailableList",
    "AvailableProvider",
    "CapabilityOut",
    "CategoryProviders",
    "IntegrationList",
    "IntegrationOut",
    "IntegrationUnavailable",
    "NotUsed",
    "ProviderOut",
    "ProvidersByCategory",
    "Readiness",
    "ResolvedIntegration",
    "RevealedKey",
    "StepReadiness",
    "ToggleRequest",
    "UpdateIntegrationRequest",
    "ValidateOutcome",
    "ValidateTask",
    "ValidateTaskResult",
    "ValidationState",
    "active_integration_for",
    "add_integration",
    "allowed_options",
    "check_key",
    "check_options",
    "delete_integration",
    "get_integration",
    "integration_readiness",
    "list_available",
    "list_integrations",
    "list_providers",
    "mark_used",
    "request_validation",
    "reveal_key",
    "run_validation",
    "set_active",
    "to_out",
    "update_integration",
    "why_not_used",
]
