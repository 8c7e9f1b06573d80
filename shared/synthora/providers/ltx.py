"""LTX (Lightricks) video AI through the LTX API's async jobs (V2).

The V1 endpoints (`POST /v1/text-to-video`) answer with the MP4 itself once it
is rendered, holding the connection for the whole generation; a pipeline task
cannot wait that long, so this client uses the documented async API:

1. `POST /v2/text-to-video` (or `/v2/image-to-video` with `image_uri`, the
   first frame as a public URL) with the same body as V1: `prompt`, `model`,
   `duration`, `resolution`, `fps`, `generate_audio`. The answer is
   `202 Accepted` with the job `id`.
2. `GET /v2/{endpoint}/{id}`: `status` is `pending`, `processing`,
   `completed` (then `result.video_url`, a download URL valid 24 h, fetched
   without the key) or `failed` (then `error` says why). Jobs are kept 24 h
   after they end; later the endpoint answers 404. The job id we hand out is
   `{endpoint}/{id}`, so a poll knows which endpoint to ask.

Errors are `{"type": "error", "error": {"type", "message"}}` with the HTTP
status: 400 `invalid_request_error`, 401 `authentication_error`, 402
`insufficient_funds_error`, 413 `request_too_large`, 429 rate limits, 5xx.
Moderation refusals are recognised by an error type or message that mentions
content policy, moderation or safety.

The LTX-2 API renders 1920x1080 (landscape) and up; portrait and square
requests get a landscape clip that the assembly crops.

Key check: POST https://api.ltx.video/v1/text-to-video: The API has only
generation endpoints (no GET): the validator posts an empty JSON body, refused
as 400/422 for a valid key before anything is rendered or billed, 401 for an
unknown key.

Sources (via `search`):
- https://docs.ltx.video/async-jobs and
  https://docs.ltx.video/api-documentation/api-reference/async-video-generation/get-job-status
- https://docs.ltx.video/quickstart (request bodies, V1)
- https://docs.ltx.video/errors (error format and types)
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


# --------------------------------------------------------------------------- client
LTX_STATUS: dict[str, JobStatus] = {
    "pending": "queued",
    "processing": "running",
    "completed": "succeeded",
    "failed": "failed",
}
LTX_SECONDS = (6, 8, 10)
LtxEndpoint = Literal["text-to-video", "image-to-video"]
ENDPOINTS: tuple[LtxEndpoint, ...] = ("text-to-video", "image-to-video")


def ltx_failure_kind(error_type: str | None, message: str | None) -> FailureKind | None:
    """What an LTX error type (or failed job's error) means for us."""
    if mentions(error_type, "authentication", "permission"):
        return AUTH_REFUSED
    if mentions(error_type, "insufficient_funds"):
        return QUOTA_EXHAUSTED
    if mentions(error_type, "content", "moderation", "safety") or mentions(
        message, "content policy", "moderation", "unsafe", "safety"
    ):
        return CONTENT_REFUSED
    return None


def _error_parts(error: Any) -> tuple[str | None, str | None]:
    """(type, message) of an LTX `error` value, an object or a plain string."""
    if isinstance(error, dict):
        kind, message = error.get("type"), error.get("message")
        return (str(kind) if kind else None, str(message) if message else None)
    if isinstance(error, str) and error:
        return None, error
    return None, None


class _Created(BaseModel):
    id: str = Field(min_length=1)


class _Result(BaseModel):
    video_url: str | None = None


class _Job(BaseModel):
    id: str
    status: str
    result: _Result | None = None
    error: Any = None


class LtxVideo(VideoClient):
    """LTX API async jobs. Bearer key."""

    name = ID
    default_base_url = "https://api.ltx.video"

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        model: str = "ltx-2-fast",
        resolution: str = "1920x1080",
    ) -> None:
        super().__init__(api_key=api_key, client=client, base_url=base_url)
        self.model = model
        self.resolution = resolution

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}"}

    def error_from_response(self, response: httpx.Response) -> ProviderError:
        try:
            body = response.json()
        except ValueError:
            body = None
        error_type, message = _error_parts(body.get("error") if isinstance(body, dict) else None)
        error = http_failure(
            self.name, response, kind=ltx_failure_kind(error_type, message), message=message
        )
        if response.status_code == 404 and response.request.method == "GET":
            error.code = JOB_TIMEOUT  # jobs are forgotten 24 h after they end
        elif error.code is None and error_type:
            error.code = error_type
        return error

    def submit(self, *, request: VideoAIRequest) -> VideoAIJob:
        body: dict[str, Any] = {
            "prompt": request.prompt,
            "model": self.model,
            "duration": nearest_allowed(request.duration_s, LTX_SECONDS),
            "resolution": self.resolution,
            "fps": 25,
            "generate_audio": False,
        }
        endpoint: LtxEndpoint = "text-to-video"
        if request.image_url:
            body["image_uri"] = request.image_url
            endpoint = "image-to-video"
        answer = self.json_object(self.request("POST", self.url(f"/v2/{endpoint}"), json_body=body))
        created = self.parse(_Created, answer)
        return self._job(job_id=f"{endpoint}/{created.id}", status="queued", raw=answer)

    def poll(self, *, job_id: str) -> VideoAIJob:
        endpoint, _, ltx_id = job_id.partition("/")
        if endpoint not in ENDPOINTS or not ltx_id:
            raise self.invalid(f"not an LTX job id: {job_id!r}", {"job_id": job_id})
        answer = self.json_object(self.request("GET", self.url(f"/v2/{endpoint}/{ltx_id}")))
        job = self.parse(_Job, answer)
        status = LTX_STATUS.get(job.status.lower(), "running")
        error_type, message = _error_parts(job.error)
        if status == "failed" and ltx_failure_kind(error_type, message) == CONTENT_REFUSED:
            raise failure(
                self.name, CONTENT_REFUSED, message or "LTX refused the content", payload=answer
            )
        video = job.result.video_url if job.result else None
        if status == "succeeded" and not video:
            raise self.invalid("LTX job completed without result.video_url", answer)
        return self._job(
            job_id=job_id,
            status=status,
            raw=answer,
            output_url=video,
            error=message or error_type or "LTX job failed",
        )


# --------------------------------------------------------------------------- factory


def _video_ai(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> LtxVideo:
    return LtxVideo(api_key=api_key, client=client)


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
    capabilities={Capability.VIDEO_AI: Runs(client=_video_ai, tests="tests/providers/test_ltx.py")},
)
