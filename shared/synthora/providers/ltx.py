"""LTX (Lightricks): Text/image-to-video clips with LTX-2 models.

Key check only: the key can be saved and checked, but Synthora has no client
for it yet, so no pipeline step uses it and ranking never picks it (the
catalogue and readiness say so).

Key check: POST https://api.ltx.video/v1/text-to-video: The API has only
generation endpoints (no GET): the validator posts an empty JSON body, refused
as 400/422 for a valid key before anything is rendered or billed, 401 for an
unknown key.

Documentation: https://docs.ltx.video/
"""

from __future__ import annotations

from collections.abc import Mapping

from synthora.providers.base import (
    Capability,
    IntegrationCategory,
    ProviderDeclaration,
    ValidationEndpoint,
    bearer,
    not_yet_run,
)
from synthora.providers.keycheck import (
    HttpValidator,
    Probe,
)

ID = "ltx"
DISPLAY_NAME = "LTX (Lightricks)"


# --------------------------------------------------------------------------- key check


def _ltx_probe(key: str, options: Mapping[str, str]) -> Probe:
    # No read endpoint exists; an empty body is refused before any rendering or billing.
    return Probe(
        "POST",
        "https://api.ltx.video/v1/text-to-video",
        {"Authorization": f"Bearer {key}"},
        json_body={},
    )


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.VIDEO_AI,
    auth=bearer(),
    docs_url="https://docs.ltx.video/",
    keys_url="https://console.ltx.video/",
    used_for="Text/image-to-video clips with LTX-2 models.",
    key_check=ValidationEndpoint(
        method="POST",
        url="https://api.ltx.video/v1/text-to-video",
        description="The API has only generation endpoints (no GET): the validator posts an "
        "empty JSON body, refused as 400/422 for a valid key before anything is rendered "
        "or billed, 401 for an unknown key.",
        dedicated=False,
    ),
    validator=HttpValidator(
        provider=ID,
        build=_ltx_probe,
        accept=frozenset({400, 422}),
        accepted_message="The key was accepted (checked with a deliberately empty request).",
    ),
    capabilities={Capability.VIDEO_AI: not_yet_run(DISPLAY_NAME, "video AI")},
)
