"""Wan (Alibaba Model Studio): Text/image-to-video clips with Wan models.

Key check only: the key can be saved and checked, but Synthora has no client
for it yet, so no pipeline step uses it and ranking never picks it (the
catalogue and readiness say so).

Key check: GET https://dashscope-intl.aliyuncs.com/compatible-mode/v1/models:
No key-check endpoint: lists models through the OpenAI-compatible API (free).
Option `region=cn` uses dashscope.aliyuncs.com.

Documentation: https://www.alibabacloud.com/help/en/model-studio/
"""

from __future__ import annotations

from collections.abc import Mapping

from synthora.providers.base import (
    Capability,
    IntegrationCategory,
    KeyFormat,
    OptionSpec,
    ProviderDeclaration,
    ValidationEndpoint,
    bearer,
    not_yet_run,
)
from synthora.providers.keycheck import (
    HttpValidator,
    Probe,
    count_detail,
    option_of,
)

ID = "wan"
DISPLAY_NAME = "Wan (Alibaba Model Studio)"


# --------------------------------------------------------------------------- key check

_WAN_HOSTS = {
    "intl": "https://dashscope-intl.aliyuncs.com",
    "cn": "https://dashscope.aliyuncs.com",
}


def _wan_probe(key: str, options: Mapping[str, str]) -> Probe:
    host = _WAN_HOSTS[option_of(options, "region", tuple(_WAN_HOSTS), "intl")]
    return Probe("GET", f"{host}/compatible-mode/v1/models", {"Authorization": f"Bearer {key}"})


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.VIDEO_AI,
    auth=bearer("A Model Studio (DashScope) API key; international region by default."),
    docs_url="https://www.alibabacloud.com/help/en/model-studio/",
    keys_url="https://modelstudio.console.alibabacloud.com/",
    used_for="Text/image-to-video clips with Wan models.",
    key_format=KeyFormat(pattern=r"sk-[A-Za-z0-9]{20,}", description="Keys start with `sk-`."),
    key_check=ValidationEndpoint(
        method="GET",
        url="https://dashscope-intl.aliyuncs.com/compatible-mode/v1/models",
        description="No key-check endpoint: lists models through the OpenAI-compatible "
        "API (free). Option `region=cn` uses dashscope.aliyuncs.com.",
        dedicated=False,
    ),
    validator=HttpValidator(
        provider=ID, build=_wan_probe, extract=count_detail("data", "model_count")
    ),
    capabilities={Capability.VIDEO_AI: not_yet_run(DISPLAY_NAME, "video AI")},
    options=(
        OptionSpec(
            name="region",
            values=tuple(_WAN_HOSTS),
            default="intl",
            description="`intl` (dashscope-intl.aliyuncs.com) or `cn` (dashscope.aliyuncs.com).",
        ),
    ),
)
