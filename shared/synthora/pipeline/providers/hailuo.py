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
reports refusals as HTTP 200 with a non-zero `status_code`: 1002 rate limited,
1004 and 2049 authentication failed / invalid key, 1008 insufficient balance,
1026 sensitive input, 1027 sensitive generated video, 2013 invalid parameters
(other codes, e.g. 1000 unknown, 1001 timeout, 1024/1033 internal, are
provider failures).

Text-to-video has no aspect-ratio parameter: Hailuo renders landscape and the
assembly crops to the template's frame (image-to-video follows the image).

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

from typing import Any, Literal

import httpx
from pydantic import BaseModel, Field

from synthora.pipeline.contracts import VideoAIJob, VideoAIRequest
from synthora.pipeline.providers._failures import (
    AUTH_REFUSED,
    CONTENT_REFUSED,
    INVALID_REQUEST,
    QUOTA_EXHAUSTED,
    RATE_LIMITED,
    FailureKind,
    failure,
    http_failure,
)
from synthora.pipeline.providers.video_ai import JobStatus, _nearest_allowed, _VideoProvider
from synthora.providers_errors import ProviderError

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


class HailuoVideo(_VideoProvider):
    """MiniMax Hailuo: submit, poll (plus file retrieval once done), download."""

    name = "hailuo"
    default_base_url = "https://api.minimax.io"

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
            "duration": _nearest_allowed(request.duration_s, HAILUO_SECONDS),
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
