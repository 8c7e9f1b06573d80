"""Wan (Alibaba) video AI through Model Studio's DashScope HTTP API.

Flow, from Model Studio's published Wan text-to-video and image-to-video API
references (HTTP calls are asynchronous only):

1. `POST /api/v1/services/aigc/video-generation/video-synthesis` with the
   header `X-DashScope-Async: enable` and `{"model", "input", "parameters"}`:
   text-to-video sends `input.prompt` and `parameters.size` (`"720*1280"`,
   `"1280*720"`, `"960*960"` at 720P); image-to-video sends `input.img_url`
   (the first frame, a public URL) and `parameters.resolution` (`"720P"`).
   Both send `duration` (wan2.6: any integer from 2 to 15 s), `prompt_extend`
   and `watermark`. The answer is `{"output": {"task_id", "task_status"}}`.
2. `GET /api/v1/tasks/{task_id}`: `output.task_status` is `PENDING`,
   `RUNNING`, `SUCCEEDED`, `FAILED`, `CANCELED` or `UNKNOWN` (the task does
   not exist or expired: task ids live 24 h); a succeeded task carries
   `output.video_url` (valid 24 h, fetched without the key), a failed one
   `output.code` and `output.message`.

Errors are HTTP statuses with `{"code", "message", "request_id"}`: 401
`InvalidApiKey`; 400 `Arrearage` (overdue account), `DataInspectionFailed`
(moderation, also the `code` of a task failed on its output); 403
`AllocationQuota.FreeTierOnly` (free quota spent with "free tier only" on);
429 `Throttling*` rate limits.

Keys and endpoints belong to one region: `region` `intl` (Singapore, default)
or `cn` (Beijing), as the integration's key check.

Key check: GET https://dashscope-intl.aliyuncs.com/compatible-mode/v1/models:
No key-check endpoint: lists models through the OpenAI-compatible API (free).
Option `region=cn` uses dashscope.aliyuncs.com.

Sources (via `search`):
- https://www.alibabacloud.com/help/en/model-studio/text-to-video-api-reference
- https://www.alibabacloud.com/help/en/model-studio/image-to-video-api-reference
- https://docs.qwencloud.com/developer-guides/video-generation/image-to-video
  (wan2.6 durations and resolutions)
- https://www.alibabacloud.com/help/en/model-studio/developer-reference/error-code
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import httpx
from pydantic import BaseModel, Field

from synthora.providers._failures import (
    AUTH_REFUSED,
    CONTENT_REFUSED,
    JOB_TIMEOUT,
    QUOTA_EXHAUSTED,
    FailureKind,
    failure,
    http_failure,
    mentions,
)
from synthora.providers.base import (
    Capability,
    IntegrationCategory,
    KeyFormat,
    OptionSpec,
    ProviderDeclaration,
    Runs,
    ValidationEndpoint,
    bearer,
)
from synthora.providers.clips import JobStatus, VideoClient
from synthora.providers.contracts import AspectRatio, VideoAIJob, VideoAIRequest
from synthora.providers.errors import ProviderError
from synthora.providers.keycheck import (
    HttpValidator,
    Probe,
    count_detail,
    option_of,
)

ID = "wan"
DISPLAY_NAME = "Wan (Alibaba Model Studio)"


# --------------------------------------------------------------------------- key check

WanRegion = Literal["intl", "cn"]

_WAN_HOSTS: dict[str, str] = {
    "intl": "https://dashscope-intl.aliyuncs.com",
    "cn": "https://dashscope.aliyuncs.com",
}


def _wan_probe(key: str, options: Mapping[str, str]) -> Probe:
    host = _WAN_HOSTS[option_of(options, "region", tuple(_WAN_HOSTS), "intl")]
    return Probe("GET", f"{host}/compatible-mode/v1/models", {"Authorization": f"Bearer {key}"})


# --------------------------------------------------------------------------- client

WAN_STATUS: dict[str, JobStatus] = {
    "PENDING": "queued",
    "RUNNING": "running",
    "SUCCEEDED": "succeeded",
    "FAILED": "failed",
    "CANCELED": "failed",
    "UNKNOWN": "failed",  # raised as job_timeout by `poll`
}
WAN_SIZE: dict[AspectRatio, str] = {"9:16": "720*1280", "16:9": "1280*720", "1:1": "960*960"}
WAN_MIN_SECONDS, WAN_MAX_SECONDS = 2, 15


def dashscope_failure_kind(code: str | None) -> FailureKind | None:
    """What a DashScope error code means for us (None: the HTTP status decides)."""
    if mentions(code, "datainspection"):
        return CONTENT_REFUSED
    if mentions(code, "arrearage", "allocationquota", "freetieronly"):
        return QUOTA_EXHAUSTED
    if mentions(code, "invalidapikey", "accessdenied"):
        return AUTH_REFUSED
    return None


class _Output(BaseModel):
    task_id: str = Field(min_length=1)
    task_status: str
    video_url: str | None = None
    code: str | None = None
    message: str | None = None


class _Answer(BaseModel):
    output: _Output


class WanVideo(VideoClient):
    """DashScope video synthesis tasks. Bearer Model Studio API key."""

    name = ID
    default_base_url = _WAN_HOSTS["intl"]

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        region: WanRegion = "intl",
        text_model: str = "wan2.6-t2v",
        image_model: str = "wan2.6-i2v",
    ) -> None:
        super().__init__(api_key=api_key, client=client, base_url=base_url or _WAN_HOSTS[region])
        self.region: WanRegion = region
        self.text_model = text_model
        self.image_model = image_model

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}"}

    def error_from_response(self, response: httpx.Response) -> ProviderError:
        try:
            body = response.json()
        except ValueError:
            body = None
        code = body.get("code") if isinstance(body, dict) else None
        error = http_failure(
            self.name, response, kind=dashscope_failure_kind(str(code) if code else None)
        )
        if error.code is None and code:
            error.code = str(code)  # DashScope's own code, at the top level
        return error

    def submit(self, *, request: VideoAIRequest) -> VideoAIJob:
        seconds = min(WAN_MAX_SECONDS, max(WAN_MIN_SECONDS, round(request.duration_s)))
        parameters: dict[str, Any] = {
            "duration": seconds,
            "prompt_extend": True,
            "watermark": False,
        }
        if request.image_url:
            model = self.image_model
            body_input: dict[str, Any] = {"prompt": request.prompt, "img_url": request.image_url}
            parameters["resolution"] = "720P"
        else:
            model = self.text_model
            body_input = {"prompt": request.prompt}
            parameters["size"] = WAN_SIZE[request.aspect_ratio]
        answer = self.json_object(
            self.request(
                "POST",
                self.url("/api/v1/services/aigc/video-generation/video-synthesis"),
                json_body={"model": model, "input": body_input, "parameters": parameters},
                headers={"X-DashScope-Async": "enable"},
            )
        )
        output = self.parse(_Answer, answer).output
        status = WAN_STATUS.get(output.task_status.upper(), "queued")
        return self._job(job_id=output.task_id, status=status, raw=answer)

    def poll(self, *, job_id: str) -> VideoAIJob:
        answer = self.json_object(self.request("GET", self.url(f"/api/v1/tasks/{job_id}")))
        output = self.parse(_Answer, answer).output
        raw_status = output.task_status.upper()
        status = WAN_STATUS.get(raw_status, "running")
        detail = output.message or output.code
        if raw_status == "UNKNOWN":
            raise failure(
                self.name,
                JOB_TIMEOUT,
                "the Wan task is unknown to DashScope (task ids expire after 24 hours)",
                payload=answer,
            )
        if status == "failed" and dashscope_failure_kind(output.code) == CONTENT_REFUSED:
            raise failure(
                self.name, CONTENT_REFUSED, detail or "Wan blocked the video", payload=answer
            )
        if status == "succeeded" and not output.video_url:
            raise self.invalid("Wan task succeeded without a video_url", answer)
        return self._job(
            job_id=output.task_id,
            status=status,
            raw=answer,
            output_url=output.video_url,
            error=detail or f"Wan task {raw_status.lower()}",
        )


# --------------------------------------------------------------------------- factory


def _video_ai(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> WanVideo:
    return WanVideo(
        api_key=api_key,
        client=client,
        region="cn" if DECLARATION.option_value(options, "region") == "cn" else "intl",
    )


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
    capabilities={Capability.VIDEO_AI: Runs(client=_video_ai, tests="tests/providers/test_wan.py")},
    options=(
        OptionSpec(
            name="region",
            values=tuple(_WAN_HOSTS),
            default="intl",
            description="`intl` (dashscope-intl.aliyuncs.com) or `cn` (dashscope.aliyuncs.com).",
        ),
    ),
)
