"""ImagineArt: Text/image-to-video clips and generated stills.

Key check only: the key can be saved and checked, but Synthora has no client
for it yet, so no pipeline step uses it and ranking never picks it (the
catalogue and readiness say so).

Key check: POST https://api.vyro.ai/v2/image/generations: No key-check or read
endpoint is documented: the validator posts an empty form, which a valid key
gets refused as 400/422 (nothing generated, nothing billed) and an unknown key
gets 401.

Documentation: https://reference.imagine.art/
"""

from __future__ import annotations

from collections.abc import Mapping

from synthora.providers.base import (
    Capability,
    IntegrationCategory,
    KeyFormat,
    ProviderDeclaration,
    ValidationEndpoint,
    bearer,
    not_yet_run,
)
from synthora.providers.keycheck import (
    HttpValidator,
    Probe,
)

ID = "imagineart"
DISPLAY_NAME = "ImagineArt"


# --------------------------------------------------------------------------- key check


def _imagineart_probe(key: str, options: Mapping[str, str]) -> Probe:
    # No read endpoint is documented; a form without a prompt is refused, not generated.
    return Probe(
        "POST",
        "https://api.vyro.ai/v2/image/generations",
        {"Authorization": f"Bearer {key}"},
        form={"style": "realistic"},
    )


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.VIDEO_AI,
    auth=bearer("Vyro AI platform key."),
    docs_url="https://reference.imagine.art/",
    keys_url="https://platform.imagine.art/",
    used_for="Text/image-to-video clips and generated stills.",
    key_format=KeyFormat(pattern=r"vk-[A-Za-z0-9]{20,}", description="Keys start with `vk-`."),
    key_check=ValidationEndpoint(
        method="POST",
        url="https://api.vyro.ai/v2/image/generations",
        description="No key-check or read endpoint is documented: the validator posts an "
        "empty form, which a valid key gets refused as 400/422 (nothing generated, "
        "nothing billed) and an unknown key gets 401.",
        dedicated=False,
    ),
    validator=HttpValidator(
        provider=ID,
        build=_imagineart_probe,
        accept=frozenset({400, 422}),
        accepted_message="The key was accepted (checked with a deliberately empty request).",
    ),
    capabilities={Capability.VIDEO_AI: not_yet_run(DISPLAY_NAME, "video AI")},
)
