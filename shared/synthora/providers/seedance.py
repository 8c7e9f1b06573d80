"""Seedance (BytePlus ModelArk): Text/image-to-video clips with ByteDance Seedance models.

Key check only: the key can be saved and checked, but Synthora has no client
for it yet, so no pipeline step uses it and ranking never picks it (the
catalogue and readiness say so).

Key check: GET https://ark.ap-southeast.bytepluses.com/api/v3/contents/generat
ions/tasks?page_num=1&page_size=1: No key-check endpoint: lists at most one
video task (read-only, free).

Documentation: https://docs.byteplus.com/en/docs/ModelArk/1520757
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
    Probe,
    pick_details,
)

ID = "seedance"
DISPLAY_NAME = "Seedance (BytePlus ModelArk)"


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.VIDEO_AI,
    auth=bearer("A BytePlus ModelArk API key."),
    docs_url="https://docs.byteplus.com/en/docs/ModelArk/1520757",
    keys_url="https://console.byteplus.com/ark/region:ark+ap-southeast-1/apiKey",
    used_for="Text/image-to-video clips with ByteDance Seedance models.",
    key_check=ValidationEndpoint(
        method="GET",
        url="https://ark.ap-southeast.bytepluses.com/api/v3/contents/generations/tasks"
        "?page_num=1&page_size=1",
        description="No key-check endpoint: lists at most one video task (read-only, free).",
        dedicated=False,
    ),
    validator=HttpValidator(
        provider=ID,
        build=lambda key, options: Probe(
            "GET",
            "https://ark.ap-southeast.bytepluses.com/api/v3/contents/generations/tasks",
            {"Authorization": f"Bearer {key}"},
            params={"page_num": "1", "page_size": "1"},
        ),
        extract=lambda r, b: pick_details(b, ("total", "task_count")),
    ),
    capabilities={Capability.VIDEO_AI: not_yet_run(DISPLAY_NAME, "video AI")},
)
