"""Hailuo (MiniMax): Text/image-to-video clips with Hailuo models.

Key check only: the key can be saved and checked, but Synthora has no client
for it yet, so no pipeline step uses it and ranking never picks it (the
catalogue and readiness say so).

Key check: GET
https://api.minimax.io/v2/query/video_generation?page_num=1&page_size=1: No
key-check endpoint: lists at most one video task. MiniMax reports errors as
HTTP 200 with `base_resp.status_code` (1004/2049 = bad key).

Documentation: https://platform.minimax.io/docs/api-reference/video-generation-intro
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from synthora.providers.base import (
    Capability,
    IntegrationCategory,
    OptionSpec,
    ProviderDeclaration,
    ValidationEndpoint,
    bearer,
    not_yet_run,
)
from synthora.providers.keycheck import (
    HttpValidator,
    Outcome,
    Probe,
    option_of,
)

ID = "hailuo"
DISPLAY_NAME = "Hailuo (MiniMax)"


# --------------------------------------------------------------------------- key check

_MINIMAX_HOSTS = {"global": "https://api.minimax.io", "cn": "https://api.minimaxi.com"}


def _hailuo_probe(key: str, options: Mapping[str, str]) -> Probe:
    host = _MINIMAX_HOSTS[option_of(options, "region", tuple(_MINIMAX_HOSTS), "global")]
    return Probe(
        "GET",
        f"{host}/v2/query/video_generation",
        {"Authorization": f"Bearer {key}"},
        params={"page_num": "1", "page_size": "1"},
    )


_MINIMAX_INVALID = {1004, 2049}


_MINIMAX_RATE = {1002, 1039}


_MINIMAX_FORBIDDEN = {1008}  # insufficient balance


def _inspect_minimax(response: httpx.Response, body: Any) -> Outcome | None:
    if response.status_code != 200 or not isinstance(body, dict):
        return None
    base = body.get("base_resp")
    if not isinstance(base, dict):
        return None
    code = base.get("status_code")
    message = base.get("status_msg") if isinstance(base.get("status_msg"), str) else None
    if code in (0, None):
        return None
    label = f"MiniMax error {code}: {message}" if message else f"MiniMax error {code}"
    if code in _MINIMAX_INVALID:
        return Outcome("invalid", label)
    if code in _MINIMAX_RATE:
        return Outcome("rate_limited", label)
    if code in _MINIMAX_FORBIDDEN:
        return Outcome("forbidden", label)
    return Outcome("provider_error", label)


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.VIDEO_AI,
    auth=bearer("A MiniMax platform API key; international platform by default."),
    docs_url="https://platform.minimax.io/docs/api-reference/video-generation-intro",
    keys_url="https://platform.minimax.io/user-center/basic-information/interface-key",
    used_for="Text/image-to-video clips with Hailuo models.",
    key_check=ValidationEndpoint(
        method="GET",
        url="https://api.minimax.io/v2/query/video_generation?page_num=1&page_size=1",
        description="No key-check endpoint: lists at most one video task. MiniMax reports "
        "errors as HTTP 200 with `base_resp.status_code` (1004/2049 = bad key).",
        dedicated=False,
    ),
    validator=HttpValidator(provider=ID, build=_hailuo_probe, inspect=_inspect_minimax),
    capabilities={Capability.VIDEO_AI: not_yet_run(DISPLAY_NAME, "video AI")},
    options=(
        OptionSpec(
            name="region",
            values=tuple(_MINIMAX_HOSTS),
            default="global",
            description="`global` (api.minimax.io) or `cn` (api.minimaxi.com).",
        ),
    ),
)
