"""Seedance (ByteDance) video AI through BytePlus ModelArk.

Flow, from ModelArk's published video generation API:

1. `POST /api/v3/contents/generations/tasks` with `model` and `content`: a
   `text` item (the prompt, followed by ModelArk's documented text commands
   `--ratio`, `--duration`, `--resolution`, `--watermark`) and, for
   image-to-video, an `image_url` item (`{"url": ...}`, the first frame).
   The answer is `{"id": "cgt-..."}`.
2. `GET /api/v3/contents/generations/tasks/{id}`: `status` is `queued`,
   `running`, `succeeded`, `failed`, `cancelled` or `expired` (the task
   outlived `execution_expires_after`); a succeeded task carries
   `content.video_url` (a pre-signed link valid 24 h, fetched without the key),
   a failed one `error: {code, message}`.

Errors are HTTP statuses with `{"error": {"code", "message", "type"}}`:
401 `AuthenticationError`; 403 `AccountOverdueError` (no balance) or
`AccessDenied`; 404 `ModelNotOpen` / `InvalidEndpointOrModel.NotFound` (the
model is not activated for the account); 400 `InputTextRiskDetection`,
`InputImageRiskDetection` and `*SensitiveContentDetected` (moderation);
429 rate limits, or `QuotaExceeded` / `SetLimitExceeded` (the account's quota
or safe-experience spending limit).

Each ModelArk key works in one region; the video models are served from
Asia-Pacific (`ark.ap-southeast.bytepluses.com`).

Key check: GET https://ark.ap-southeast.bytepluses.com/api/v3/contents/generat
ions/tasks?page_num=1&page_size=1: No key-check endpoint: lists at most one
video task (read-only, free).

Sources (via `search`):
- https://docs.byteplus.com/en/docs/ModelArk/1520757 (Video Generation API:
  create and query task, fields, status values)
- https://docs.byteplus.com/api/docs/ModelArk/1366799 (video generation
  tutorial: text commands such as `--resolution 720p --duration 5`)
- BytePlus model ids (`seedance-1-0-pro-250428`: text- and image-to-video), as
  listed for the international ModelArk API, e.g.
  https://skillbrew.dev/item/seedance-video-generation-byteplus
- https://www.volcengine.com/docs/82379/1299023 and
  https://www.volcengine.com/docs/82379/1099476 (Ark error codes, shared by
  BytePlus ModelArk)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
    pick_details,
)

ID = "seedance"
DISPLAY_NAME = "Seedance (BytePlus ModelArk)"


# --------------------------------------------------------------------------- client
SEEDANCE_STATUS: dict[str, JobStatus] = {
    "queued": "queued",
    "running": "running",
    "succeeded": "succeeded",
    "failed": "failed",
    "cancelled": "failed",
    "expired": "failed",  # raised as job_timeout by `poll`
}
SEEDANCE_SECONDS = (5, 10)


def ark_failure_kind(code: str | None) -> FailureKind | None:
    """What an Ark error code means for us (None: the HTTP status decides)."""
    if mentions(code, "riskdetection", "sensitivecontent"):
        return CONTENT_REFUSED
    if mentions(code, "accountoverdue", "quotaexceeded", "setlimitexceeded"):
        return QUOTA_EXHAUSTED
    if mentions(code, "authentication", "accessdenied", "modelnotopen"):
        return AUTH_REFUSED
    return None


class _Error(BaseModel):
    code: str | None = None
    message: str | None = None


class _Created(BaseModel):
    id: str = Field(min_length=1)


class _Content(BaseModel):
    video_url: str | None = None


class _Task(BaseModel):
    id: str
    status: str
    content: _Content | None = None
    error: _Error | None = None


class SeedanceVideo(VideoClient):
    """BytePlus ModelArk content generation tasks. Bearer ModelArk API key."""

    name = ID
    default_base_url = "https://ark.ap-southeast.bytepluses.com/api/v3"

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        model: str = "seedance-1-0-pro-250428",
        resolution: str = "720p",
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
        error = body.get("error") if isinstance(body, dict) else None
        code = error.get("code") if isinstance(error, dict) else None
        kind = ark_failure_kind(str(code) if code else None)
        return http_failure(self.name, response, kind=kind)

    def submit(self, *, request: VideoAIRequest) -> VideoAIJob:
        seconds = nearest_allowed(request.duration_s, SEEDANCE_SECONDS)
        commands = (
            f"--ratio {request.aspect_ratio} --duration {seconds} "
            f"--resolution {self.resolution} --watermark false"
        )
        content: list[dict[str, Any]] = [{"type": "text", "text": f"{request.prompt} {commands}"}]
        if request.image_url:
            content.append({"type": "image_url", "image_url": {"url": request.image_url}})
        answer = self.json_object(
            self.request(
                "POST",
                self.url("/contents/generations/tasks"),
                json_body={"model": self.model, "content": content},
            )
        )
        created = self.parse(_Created, answer)
        return self._job(job_id=created.id, status="queued", raw=answer)

    def poll(self, *, job_id: str) -> VideoAIJob:
        answer = self.json_object(
            self.request("GET", self.url(f"/contents/generations/tasks/{job_id}"))
        )
        task = self.parse(_Task, answer)
        raw_status = task.status.lower()
        status = SEEDANCE_STATUS.get(raw_status, "running")
        detail = None
        if task.error is not None:
            detail = task.error.message or task.error.code
        if raw_status == "expired":
            raise failure(
                self.name,
                JOB_TIMEOUT,
                detail or "the Seedance task expired before it finished",
                payload=answer,
            )
        if status == "failed" and task.error is not None:
            kind = ark_failure_kind(task.error.code)
            if kind == CONTENT_REFUSED:
                raise failure(
                    self.name,
                    CONTENT_REFUSED,
                    detail or "Seedance blocked the video",
                    payload=answer,
                )
        video = task.content.video_url if task.content else None
        if status == "succeeded" and not video:
            raise self.invalid("Seedance task succeeded without a video_url", answer)
        return self._job(
            job_id=task.id,
            status=status,
            raw=answer,
            output_url=video,
            error=detail or f"Seedance task {raw_status}",
        )


# --------------------------------------------------------------------------- factory


def _video_ai(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> SeedanceVideo:
    return SeedanceVideo(api_key=api_key, client=client)


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
    capabilities={
        Capability.VIDEO_AI: Runs(client=_video_ai, tests="tests/providers/test_seedance.py")
    },
)
