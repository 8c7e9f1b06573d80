"""PixVerse: Text/image-to-video clips.

Key check only: the key can be saved and checked, but Synthora has no client
for it yet, so no pipeline step uses it and ranking never picks it (the
catalogue and readiness say so).

Key check: GET https://app-api.pixverse.ai/openapi/v2/account/balance: Returns
the account's monthly and package credits; errors come as a non-zero `ErrCode`
in the body.

Documentation: https://docs.platform.pixverse.ai/
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

import httpx

from synthora.providers.base import (
    AuthMethod,
    AuthSpec,
    Capability,
    IntegrationCategory,
    ProviderDeclaration,
    ValidationEndpoint,
    not_yet_run,
)
from synthora.providers.keycheck import (
    HttpValidator,
    Outcome,
    Probe,
    pick_details,
)

ID = "pixverse"
DISPLAY_NAME = "PixVerse"


# --------------------------------------------------------------------------- key check


def _pixverse_probe(key: str, options: Mapping[str, str]) -> Probe:
    # PixVerse requires a unique trace id per request (it de-duplicates on it).
    return Probe(
        "GET",
        "https://app-api.pixverse.ai/openapi/v2/account/balance",
        {"API-KEY": key, "Ai-trace-id": str(uuid.uuid4())},
    )


# PixVerse platform error table: 400012 invalid account, 500020 no permission for
# the operation, 500044 concurrent-generation limit reached.
_PIXVERSE_INVALID = {400012}


_PIXVERSE_FORBIDDEN = {500020}


_PIXVERSE_RATE = {500044}


_KEYISH = re.compile(r"api[\s_-]?key|auth|token|unauthori[sz]ed", re.IGNORECASE)


def _inspect_pixverse(response: httpx.Response, body: Any) -> Outcome | None:
    if response.status_code != 200 or not isinstance(body, dict):
        return None
    code = body.get("ErrCode")
    if code in (0, None):
        return None
    message = body.get("ErrMsg") if isinstance(body.get("ErrMsg"), str) else ""
    label = f"PixVerse error {code}: {message}".rstrip(": ")
    if code in _PIXVERSE_INVALID:
        return Outcome("invalid", label)
    if code in _PIXVERSE_FORBIDDEN:
        return Outcome("forbidden", label)
    if code in _PIXVERSE_RATE:
        return Outcome("rate_limited", label)
    # Codes outside the published table: a message about the key still means a bad key.
    if _KEYISH.search(message or ""):
        return Outcome("invalid", label)
    return Outcome("provider_error", label)


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.VIDEO_AI,
    auth=AuthSpec(
        method=AuthMethod.HEADER,
        header_name="API-KEY",
        notes="Every request also sends a fresh UUID in `Ai-trace-id`.",
    ),
    docs_url="https://docs.platform.pixverse.ai/",
    keys_url="https://platform.pixverse.ai/",
    used_for="Text/image-to-video clips.",
    key_check=ValidationEndpoint(
        method="GET",
        url="https://app-api.pixverse.ai/openapi/v2/account/balance",
        description="Returns the account's monthly and package credits; errors come as a "
        "non-zero `ErrCode` in the body.",
        dedicated=True,
    ),
    validator=HttpValidator(
        provider=ID,
        build=_pixverse_probe,
        inspect=_inspect_pixverse,
        extract=lambda r, b: pick_details(
            b, ("Resp.credit_monthly", "credit_monthly"), ("Resp.credit_package", "credit_package")
        ),
    ),
    capabilities={Capability.VIDEO_AI: not_yet_run(DISPLAY_NAME, "video AI")},
)
