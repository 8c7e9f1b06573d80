"""OpenAI Sora: retired.

OpenAI shut down the Sora 2 models and the Videos API (`/v1/videos`) on
24 September 2026 with no replacement API: "The Sora 2 models and the Videos
API were shut down on September 24, 2026 and are no longer available"
(https://developers.openai.com/api/docs/models/sora-2, read 2026-12-07; the
video generation guide, https://platform.openai.com/docs/guides/video-generation,
says the same). Synthora's Sora client was removed with it.

The declaration stays so that a key saved before the shutdown is still listed
(as retired, never ranked, never called); new Sora integrations are refused.
"""

from __future__ import annotations

from datetime import date

from synthora.providers.base import (
    Capability,
    IntegrationCategory,
    KeyCheckOnly,
    ProviderDeclaration,
    Retired,
    ValidationEndpoint,
    bearer,
)
from synthora.providers.keycheck import RetiredValidator
from synthora.providers.openai import OPENAI_KEY_FORMAT

ID = "sora"
DISPLAY_NAME = "OpenAI Sora"

RETIREMENT = Retired(
    since=date(2026, 9, 24),
    reason="OpenAI shut down the Sora Videos API on 24 September 2026; "
    "a Sora key can no longer make videos.",
    source="https://developers.openai.com/api/docs/models/sora-2",
)

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.VIDEO_AI,
    auth=bearer("An OpenAI API key."),
    docs_url="https://platform.openai.com/docs/guides/video-generation",
    keys_url="https://platform.openai.com/api-keys",
    used_for="Retired: OpenAI shut down the Videos API on 24 September 2026.",
    key_format=OPENAI_KEY_FORMAT,
    key_check=ValidationEndpoint(
        method="LOCAL",
        url="none (retired)",
        description="No request is sent: the API is shut down, so every stored key is "
        "reported as unable to make videos.",
        dedicated=False,
    ),
    validator=RetiredValidator(provider=ID, reason=RETIREMENT.reason),
    capabilities={Capability.VIDEO_AI: KeyCheckOnly(reason=RETIREMENT.reason)},
    retired=RETIREMENT,
)
