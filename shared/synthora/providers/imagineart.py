"""ImagineArt (Vyro AI) video AI through the Imagine API.

Flow, from Imagine's published API reference:

1. `POST https://api.vyro.ai/v2/video/text-to-video`, `multipart/form-data`
   with `prompt`, `style` (the video model, e.g. `fast-svd`) and
   `aspect_ratio` (`1:1`, `16:9`, `9:16`). The answer is
   `{"id": "<video-id>", "status": "processing"}`.
2. `GET /v2/video/{id}/status` ("Status by ID"; `/v2/video/status/{id}` is the
   deprecated form): `{"status": "success" | "error", "video": {...}}` where
   the video carries its processing `status` (pending, processing, completed /
   finished, failed) and, once done, `url.generation` (a pre-signed link, or a
   list of them; fetched without the key).

Only text-to-video is used: `VideoAIRequest.image_url` is optional for
providers ("when the provider supports it") and Imagine's image-to-video
request shape is not described in the pages we could read, so a reference
image is not sent.

Errors are plain HTTP statuses (400 bad request, 401 unauthorized, 429 too
many requests, 500); a body that speaks of credits, balance or quota is an
exhausted quota, one that speaks of NSFW or content policy a moderation
refusal.

Key check: POST https://api.vyro.ai/v2/image/generations: No key-check or read
endpoint is documented: the validator posts an empty form, which a valid key
gets refused as 400/422 (nothing generated, nothing billed) and an unknown key
gets 401.

Sources (via `search`):
- https://platform.imagine.art/api/models/fast-svd-text-to-video/docs
  (text-to-video form fields and answer)
- https://reference.imagine.art/api-15835197 (Status by ID, example answer)
- https://reference.imagine.art/api-14871309 (deprecated status endpoint)
- https://docs.imagine.art/troubleshooting/request-and-response-formats
  (status codes)
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx
from pydantic import BaseModel

from synthora.providers._failures import (
    CONTENT_REFUSED,
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
    ProviderDeclaration,
    Runs,
    ValidationEndpoint,
    bearer,
)
from synthora.providers.clips import JobStatus, VideoClient
from synthora.providers.contracts import VideoAIJob, VideoAIRequest
from synthora.providers.errors import ProviderError
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


# --------------------------------------------------------------------------- client
IMAGINE_STATUS: dict[str, JobStatus] = {
    "pending": "queued",
    "queued": "queued",
    "processing": "running",
    "completed": "succeeded",
    "finished": "succeeded",
    "success": "succeeded",
    "failed": "failed",
    "error": "failed",
}


def imagine_failure_kind(text: str | None) -> FailureKind | None:
    """What an Imagine error body says, when it says something we act on."""
    if mentions(text, "credit", "balance", "quota", "insufficient"):
        return QUOTA_EXHAUSTED
    if mentions(text, "nsfw", "content policy", "inappropriate", "moderation"):
        return CONTENT_REFUSED
    return None


class _Created(BaseModel):
    id: str | int
    status: str | None = None


class _Urls(BaseModel):
    generation: str | list[str] | None = None


class _Video(BaseModel):
    status: str | None = None
    url: _Urls | None = None


class _Status(BaseModel):
    status: str
    video: _Video | None = None
    message: str | None = None


def _first(generation: str | list[str] | None) -> str | None:
    if isinstance(generation, list):
        return next((url for url in generation if url), None)
    return generation or None


class ImagineArtVideo(VideoClient):
    """Imagine API (api.vyro.ai) text-to-video. Bearer Vyro platform key."""

    name = ID
    default_base_url = "https://api.vyro.ai"

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        style: str = "fast-svd",
    ) -> None:
        super().__init__(api_key=api_key, client=client, base_url=base_url)
        self.style = style

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}"}

    def error_from_response(self, response: httpx.Response) -> ProviderError:
        return http_failure(self.name, response, kind=imagine_failure_kind(response.text))

    def submit(self, *, request: VideoAIRequest) -> VideoAIJob:
        # Form fields, sent as multipart like the reference's `curl --form`.
        fields = {
            "prompt": (None, request.prompt),
            "style": (None, self.style),
            "aspect_ratio": (None, request.aspect_ratio),
        }
        answer = self.json_object(
            self.request("POST", self.url("/v2/video/text-to-video"), files=fields)
        )
        created = self.parse(_Created, answer)
        return self._job(job_id=str(created.id), status="queued", raw=answer)

    def poll(self, *, job_id: str) -> VideoAIJob:
        answer = self.json_object(self.request("GET", self.url(f"/v2/video/{job_id}/status")))
        state = self.parse(_Status, answer)
        video = state.video or _Video()
        url = _first(video.url.generation if video.url else None)
        if state.status.lower() == "error":
            status: JobStatus = "failed"
        elif video.status:
            status = IMAGINE_STATUS.get(video.status.lower(), "running")
        else:
            status = "succeeded" if url else "running"
        detail = state.message or (video.status if status == "failed" else None)
        if status == "failed" and imagine_failure_kind(detail) == CONTENT_REFUSED:
            raise failure(self.name, CONTENT_REFUSED, detail or "refused", payload=answer)
        if status == "succeeded" and not url:
            raise self.invalid("ImagineArt video finished without a generation URL", answer)
        return self._job(
            job_id=job_id,
            status=status,
            raw=answer,
            output_url=url,
            error=detail or "ImagineArt video generation failed",
        )


# --------------------------------------------------------------------------- factory


def _video_ai(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> ImagineArtVideo:
    return ImagineArtVideo(api_key=api_key, client=client)


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
    capabilities={
        Capability.VIDEO_AI: Runs(client=_video_ai, tests="tests/providers/test_imagineart.py")
    },
)
