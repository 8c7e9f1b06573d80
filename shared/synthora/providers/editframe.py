"""Editframe: Cloud rendering of an HTML composition of the video.

Key check only: the key can be saved and checked, but Synthora has no client
for it yet, so no pipeline step uses it and ranking never picks it (the
catalogue and readiness say so).

Key check: GET
https://editframe.com/api/v1/renders/md5/00000000000000000000000000000000: No
key-check endpoint: looks up a render by a content hash that matches nothing
(the SDK's lookupRenderByMd5); 404 means the key was accepted, 401 that it was
not.

Documentation: https://editframe.com/skills/editframe-api/authentication
"""

from __future__ import annotations

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
    bearer_probe,
)

ID = "editframe"
DISPLAY_NAME = "Editframe"


# --------------------------------------------------------------------------- key check

EDITFRAME_PROBE_MD5 = "0" * 32

# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.ASSEMBLY,
    auth=bearer(),
    docs_url="https://editframe.com/skills/editframe-api/authentication",
    keys_url="https://editframe.com/",
    used_for="Cloud rendering of an HTML composition of the video.",
    key_check=ValidationEndpoint(
        method="GET",
        url="https://editframe.com/api/v1/renders/md5/00000000000000000000000000000000",
        description="No key-check endpoint: looks up a render by a content hash that "
        "matches nothing (the SDK's lookupRenderByMd5); 404 means the key was accepted, "
        "401 that it was not.",
        dedicated=False,
    ),
    validator=HttpValidator(
        provider=ID,
        # The SDK's lookupRenderByMd5 documents 404 as "no such render".
        build=bearer_probe(f"https://editframe.com/api/v1/renders/md5/{EDITFRAME_PROBE_MD5}"),
        accept=frozenset({404}),
        accepted_message="The key was accepted (render lookup by a hash that matches nothing).",
    ),
    capabilities={Capability.ASSEMBLY: not_yet_run(DISPLAY_NAME, "cloud assembly")},
)
