"""Hailuo video AI through the MiniMax platform API (international host).

Flow, from MiniMax's published video generation API:

1. `POST /v1/video_generation` with `model`, `prompt`, `duration` (6 or 10 s
   for Hailuo-02), `resolution` and, for image-to-video, `first_frame_image`
   (a public URL); the answer carries `task_id`.
2. `GET /v1/query/video_generation?task_id=...`: `status` is one of
   `Preparing`, `Queueing`, `Processing`, `Success`, `Fail`; on success it
   carries `file_id`.
3. `GET /v1/files/retrieve?file_id=...` turns the file id into
   `file.download_url`, a pre-signed link fetched without the key. The poll
   that sees `Success` makes this call, so a succeeded job has its URL.

Every answer carries `base_resp: {status_code, status_msg}`, and MiniMax
reports refusals as HTTP 200 with a non-zero `status_code`: 1002 and 1039 rate
limited,
1004 and 2049 authentication failed / invalid key, 1008 insufficient balance,
1026 sensitive input, 1027 sensitive generated video, 2013 invalid parameters
(other codes, e.g. 1000 unknown, 1001 timeout, 1024/1033 internal, are
provider failures).

The integration's `region` option picks the host: `global` (api.minimax.io,
default) or `cn` (api.minimaxi.com), each with its own keys.

Text-to-video has no aspect-ratio parameter: Hailuo renders landscape and the
assembly crops to the template's frame (image-to-video follows the image).

Key check: GET
https://api.minimax.io/v2/query/video_generation?page_num=1&page_size=1: No
key-check endpoint: lists at most one video task. MiniMax reports errors as
HTTP 200 with `base_resp.status_code` (1004/2049 = bad key).

Sources (via `search`):
- https://platform.minimax.io/docs/api-reference/video/generation/api/openapi.json
  (paths `/v1/video_generation`, `/v1/query/video_generation`, `/v1/files/retrieve`)
- https://platform.minimaxi.com/docs/api-reference/video-generation-query
  (status vocabulary)
- https://cloud.baidu.com/doc/qianfan-api/s/4mwbl4bz4 (MiniMax error codes
  1002/1008/1026/1027/2013) and MiniMax's own MCP client
  (github.com/MiniMax-AI/MiniMax-MCP, `minimax_mcp/client.py`: 1004 = auth).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import httpx
from pydantic import BaseModel, Field

from synthora.providers._failures import (
    AUTH_REFUSED,
    CONTENT_REFUSED,
    INVALID_REQUEST,
    QUOTA_EXHAUSTED,
    RATE_LIMITED,
    FailureKind,
    failure,
    http_failure,
)
from synthora.providers.base import (
    Capability,
    IntegrationCategory,
    OptionSpec,
    ProviderDeclaration,
    Runs,
    ValidationEndpoint,
    bearer,
)
from synthora.providers.clips import JobStatus, VideoClient, nearest_allowed
from synthora.providers.contracts import VideoAIJob, VideoAIRequest
from synthora.providers.errors import ProviderError
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


# --------------------------------------------------------------------------- client
HAILUO_STATUS: dict[str, JobStatus] = {
    "preparing": "queued",
    "queueing": "queued",
    "processing": "running",
    "success": "succeeded",
    "fail": "failed",
}
HAILUO_SECONDS = (6, 10)

#: MiniMax `base_resp.status_code` values with a meaning we act on.
MINIMAX_CODES: dict[int, FailureKind] = {
    1002: RATE_LIMITED,
    1039: RATE_LIMITED,
    1004: AUTH_REFUSED,
    2049: AUTH_REFUSED,
    1008: QUOTA_EXHAUSTED,
    1026: CONTENT_REFUSED,
    1027: CONTENT_REFUSED,
    2013: INVALID_REQUEST,
}

HailuoResolution = Literal["512P", "768P", "1080P"]


class _BaseResp(BaseModel):
    status_code: int = 0
    status_msg: str | None = None


class _Created(BaseModel):
    task_id: str = Field(min_length=1)


class _Task(BaseModel):
    task_id: str
    status: str
    file_id: str | int | None = None


class _File(BaseModel):
    download_url: str = Field(min_length=1)


class _Retrieved(BaseModel):
    file: _File


class HailuoVideo(VideoClient):
    """MiniMax Hailuo: submit, poll (plus file retrieval once done), download."""

    name = ID
    default_base_url = _MINIMAX_HOSTS["global"]

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        model: str = "MiniMax-Hailuo-02",
        resolution: HailuoResolution = "768P",
    ) -> None:
        super().__init__(api_key=api_key, client=client, base_url=base_url)
        self.model = model
        self.resolution: HailuoResolution = resolution

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}"}

    def error_from_response(self, response: httpx.Response) -> ProviderError:
        return http_failure(self.name, response)

    def _checked(self, response: httpx.Response) -> dict[str, Any]:
        """The JSON body, or the refusal its `base_resp` reports."""
        answer = self.json_object(response)
        base = self.parse(_BaseResp, answer.get("base_resp") or {})
        if base.status_code == 0:
            return answer
        message = base.status_msg or f"MiniMax refused the request ({base.status_code})"
        kind = MINIMAX_CODES.get(base.status_code)
        if kind is None:
            raise ProviderError(
                message, provider=self.name, code=f"minimax_{base.status_code}", payload=answer
            )
        raise failure(self.name, kind, message, payload=answer)

    def submit(self, *, request: VideoAIRequest) -> VideoAIJob:
        body: dict[str, Any] = {
            "model": self.model,
            "prompt": request.prompt,
            "duration": nearest_allowed(request.duration_s, HAILUO_SECONDS),
            "resolution": self.resolution,
            "prompt_optimizer": True,
        }
        if request.image_url:
            body["first_frame_image"] = request.image_url
        answer = self._checked(
            self.request("POST", self.url("/v1/video_generation"), json_body=body)
        )
        created = self.parse(_Created, answer)
        return self._job(job_id=created.task_id, status="queued", raw=answer)

    def poll(self, *, job_id: str) -> VideoAIJob:
        response = self.request(
            "GET", self.url("/v1/query/video_generation"), params={"task_id": job_id}
        )
        # A task blocked by moderation reports 1026/1027 in base_resp: content_refused.
        answer = self._checked(response)
        task = self.parse(_Task, answer)
        status = HAILUO_STATUS.get(task.status.lower(), "running")
        if status != "succeeded":
            return self._job(
                job_id=task.task_id,
                status=status,
                raw=answer,
                error=f"MiniMax task {task.status}",
            )
        if task.file_id in (None, ""):
            raise self.invalid("MiniMax reported success without a file_id", answer)
        retrieved = self._checked(
            self.request("GET", self.url("/v1/files/retrieve"), params={"file_id": task.file_id})
        )
        file = self.parse(_Retrieved, retrieved).file
        return self._job(
            job_id=task.task_id,
            status="succeeded",
            raw={"task": answer, "file": retrieved},
            output_url=file.download_url,
        )


# --------------------------------------------------------------------------- factory


def _video_ai(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> HailuoVideo:
    return HailuoVideo(
        api_key=api_key,
        client=client,
        base_url=_MINIMAX_HOSTS[DECLARATION.option_value(options, "region")],
    )


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
    capabilities={
        Capability.VIDEO_AI: Runs(client=_video_ai, tests="tests/providers/test_hailuo.py")
    },
    options=(
        OptionSpec(
            name="region",
            values=tuple(_MINIMAX_HOSTS),
            default="global",
            description="`global` (api.minimax.io) or `cn` (api.minimaxi.com).",
        ),
    ),
)
