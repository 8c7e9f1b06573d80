"""PixVerse video AI through the PixVerse Platform API.

Flow, from PixVerse's published API reference:

- Every request sends the key in `API-KEY` and a fresh UUID in `Ai-trace-id`
  (it must be unique per request).
- Text-to-video: `POST /openapi/v2/video/text/generate` with `aspect_ratio`,
  `duration` (5 or 8 s), `model`, `prompt`, `quality` and `water_mark`.
- Image-to-video: the image is first uploaded with
  `POST /openapi/v2/image/upload` (multipart field `image`; URL uploads are not
  supported), which answers `img_id`; then `POST /openapi/v2/video/img/generate`
  with `img_id` instead of `aspect_ratio` (the video follows the image).
- Both answer `{"ErrCode": 0, "ErrMsg": "success", "Resp": {"video_id": ...}}`.
- `GET /openapi/v2/video/result/{video_id}`: `Resp.status` is 1 (generation
  successful, `Resp.url` set), 5 (generating), 7 (content moderation failed)
  or 8 (generation failed). The URL is a public CDN link, fetched bare.

Refusals come as a non-zero `ErrCode` with `ErrMsg` (often in an HTTP 200):
the documented codes we map are 400011 (empty parameter) and 400017 (invalid
parameter) -> invalid request, 400012 (invalid account) and 500020 (no
permission) -> auth refused, 500044 (concurrent-generation limit) -> rate
limited (the same table the key check uses). For
the other codes the `ErrMsg` decides (mentions of the API key, of balance or
credits, of moderation, of rate or concurrency limits); anything else stays a
provider failure with code `pixverse_<ErrCode>` and the whole body.

Key check: GET https://app-api.pixverse.ai/openapi/v2/account/balance: Returns
the account's monthly and package credits; errors come as a non-zero `ErrCode`
in the body.

Sources (via `search`):
- https://docs.platform.pixverse.ai/text-to-video-generation-13016634e0
- https://docs.platform.pixverse.ai/how-to-use-image-to-video-882971m0
- https://docs.platform.pixverse.ai/upload-image-13016631e0
- https://docs.platform.pixverse.ai/get-video-generation-status-13016632e0
- https://cloud.tencent.com/document/product/1823/138038 (PixVerse response
  envelope and ErrCode table as relayed by Tencent Cloud)
"""

from __future__ import annotations

import mimetypes
import re
import uuid
from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import BaseModel

from synthora.providers._failures import (
    AUTH_REFUSED,
    CONTENT_REFUSED,
    INVALID_REQUEST,
    QUOTA_EXHAUSTED,
    RATE_LIMITED,
    FailureKind,
    failure,
    http_failure,
    mentions,
)
from synthora.providers.base import (
    AuthMethod,
    AuthSpec,
    Capability,
    IntegrationCategory,
    ProviderDeclaration,
    Runs,
    ValidationEndpoint,
)
from synthora.providers.clips import JobStatus, VideoClient, nearest_allowed
from synthora.providers.contracts import VideoAIJob, VideoAIRequest
from synthora.providers.errors import ProviderError
from synthora.providers.keycheck import (
    HttpValidator,
    Outcome,
    Probe,
    pick_details,
)

ID = "pixverse"
DISPLAY_NAME = "PixVerse"


# --------------------------------------------------------------------------- key check


def _pixverse_probe(key: str, options: Mapping[str, str]) -> Probe:
    # PixVerse requires a unique trace id per request (it de-duplicates on it).
    return Probe(
        "GET",
        "https://app-api.pixverse.ai/openapi/v2/account/balance",
        {"API-KEY": key, "Ai-trace-id": str(uuid.uuid4())},
    )


# PixVerse platform error table: 400012 invalid account, 500020 no permission for
# the operation, 500044 concurrent-generation limit reached.
_PIXVERSE_INVALID = {400012}


_PIXVERSE_FORBIDDEN = {500020}


_PIXVERSE_RATE = {500044}


_KEYISH = re.compile(r"api[\s_-]?key|auth|token|unauthori[sz]ed", re.IGNORECASE)


def _inspect_pixverse(response: httpx.Response, body: Any) -> Outcome | None:
    if response.status_code != 200 or not isinstance(body, dict):
        return None
    code = body.get("ErrCode")
    if code in (0, None):
        return None
    message = body.get("ErrMsg") if isinstance(body.get("ErrMsg"), str) else ""
    label = f"PixVerse error {code}: {message}".rstrip(": ")
    if code in _PIXVERSE_INVALID:
        return Outcome("invalid", label)
    if code in _PIXVERSE_FORBIDDEN:
        return Outcome("forbidden", label)
    if code in _PIXVERSE_RATE:
        return Outcome("rate_limited", label)
    # Codes outside the published table: a message about the key still means a bad key.
    if _KEYISH.search(message or ""):
        return Outcome("invalid", label)
    return Outcome("provider_error", label)


# --------------------------------------------------------------------------- client
PIXVERSE_STATUS: dict[int, JobStatus] = {
    1: "succeeded",
    5: "running",
    7: "failed",  # raised as content_refused by `poll`
    8: "failed",
}
PIXVERSE_SECONDS = (5, 8)
PIXVERSE_CODES: dict[int, FailureKind] = {
    400011: INVALID_REQUEST,
    400012: AUTH_REFUSED,
    400017: INVALID_REQUEST,
    500020: AUTH_REFUSED,  # no permission for the operation
    500044: RATE_LIMITED,  # concurrent-generation limit reached
}


def pixverse_failure_kind(code: int, message: str | None) -> FailureKind | None:
    """What a PixVerse ErrCode / ErrMsg pair means for us (None: unknown)."""
    if code in PIXVERSE_CODES:
        return PIXVERSE_CODES[code]
    if mentions(message, "api key", "api-key", "apikey", "unauthorized", "invalid account"):
        return AUTH_REFUSED
    if mentions(message, "balance", "credit", "insufficient"):
        return QUOTA_EXHAUSTED
    if mentions(message, "moderation", "sensitive", "violat", "inappropriate"):
        return CONTENT_REFUSED
    if mentions(message, "too many", "rate limit", "concurren"):
        return RATE_LIMITED
    return None


class _Envelope(BaseModel):
    ErrCode: int = 0
    ErrMsg: str | None = None
    Resp: Any = None


class _Created(BaseModel):
    video_id: int | str


class _Uploaded(BaseModel):
    img_id: int | str


class _Video(BaseModel):
    id: int | str
    status: int
    url: str | None = None


class PixVerseVideo(VideoClient):
    """PixVerse Platform OpenAPI v2. Header `API-KEY` plus `Ai-trace-id`."""

    name = ID
    default_base_url = "https://app-api.pixverse.ai"

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        model: str = "v4.5",
        quality: str = "720p",
    ) -> None:
        super().__init__(api_key=api_key, client=client, base_url=base_url)
        self.model = model
        self.quality = quality

    def _auth_headers(self) -> dict[str, str]:
        # Called once per request: each request gets its own trace id.
        return {"API-KEY": self._api_key, "Ai-trace-id": str(uuid.uuid4())}

    def error_from_response(self, response: httpx.Response) -> ProviderError:
        try:
            body = response.json()
        except ValueError:
            body = None
        kind = None
        if isinstance(body, dict) and isinstance(body.get("ErrCode"), int):
            kind = pixverse_failure_kind(body["ErrCode"], body.get("ErrMsg"))
        message = body.get("ErrMsg") if isinstance(body, dict) else None
        return http_failure(self.name, response, kind=kind, message=message or None)

    def _resp(self, response: httpx.Response) -> Any:
        """`Resp` of a successful envelope, or the refusal its ErrCode reports."""
        answer = self.json_object(response)
        envelope = self.parse(_Envelope, answer)
        if envelope.ErrCode == 0:
            return envelope.Resp
        message = envelope.ErrMsg or f"PixVerse refused the request ({envelope.ErrCode})"
        kind = pixverse_failure_kind(envelope.ErrCode, envelope.ErrMsg)
        if kind is None:
            raise ProviderError(
                message,
                provider=self.name,
                code=f"pixverse_{envelope.ErrCode}",
                payload=answer,
            )
        raise failure(self.name, kind, message, payload=answer)

    def _upload(self, image_url: str) -> int | str:
        content, mime = self._fetch_image(image_url)
        extension = mimetypes.guess_extension(mime) or ".jpg"
        response = self.request(
            "POST",
            self.url("/openapi/v2/image/upload"),
            files={"image": (f"image{extension}", content, mime)},
        )
        return self.parse(_Uploaded, self._resp(response)).img_id

    def submit(self, *, request: VideoAIRequest) -> VideoAIJob:
        body: dict[str, Any] = {
            "duration": nearest_allowed(request.duration_s, PIXVERSE_SECONDS),
            "model": self.model,
            "motion_mode": "normal",
            "prompt": request.prompt[:2048],
            "quality": self.quality,
            "water_mark": False,
        }
        if request.image_url:
            body["img_id"] = self._upload(request.image_url)
            path = "/openapi/v2/video/img/generate"
        else:
            body["aspect_ratio"] = request.aspect_ratio
            path = "/openapi/v2/video/text/generate"
        response = self.request("POST", self.url(path), json_body=body)
        created = self.parse(_Created, self._resp(response))
        return self._job(
            job_id=str(created.video_id), status="queued", raw=self.json_object(response)
        )

    def poll(self, *, job_id: str) -> VideoAIJob:
        response = self.request("GET", self.url(f"/openapi/v2/video/result/{job_id}"))
        video = self.parse(_Video, self._resp(response))
        answer = self.json_object(response)
        if video.status == 7:
            raise failure(
                self.name,
                CONTENT_REFUSED,
                "PixVerse content moderation refused the video",
                payload=answer,
            )
        status = PIXVERSE_STATUS.get(video.status, "running")
        if status == "succeeded" and not video.url:
            raise self.invalid("PixVerse reported success without a video url", answer)
        return self._job(
            job_id=str(video.id),
            status=status,
            raw=answer,
            output_url=video.url,
            error=f"PixVerse generation failed (status {video.status})",
        )


# --------------------------------------------------------------------------- factory


def _video_ai(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> PixVerseVideo:
    return PixVerseVideo(api_key=api_key, client=client)


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.VIDEO_AI,
    auth=AuthSpec(
        method=AuthMethod.HEADER,
        header_name="API-KEY",
        notes="Every request also sends a fresh UUID in `Ai-trace-id`.",
    ),
    docs_url="https://docs.platform.pixverse.ai/",
    keys_url="https://platform.pixverse.ai/",
    used_for="Text/image-to-video clips.",
    key_check=ValidationEndpoint(
        method="GET",
        url="https://app-api.pixverse.ai/openapi/v2/account/balance",
        description="Returns the account's monthly and package credits; errors come as a "
        "non-zero `ErrCode` in the body.",
        dedicated=True,
    ),
    validator=HttpValidator(
        provider=ID,
        build=_pixverse_probe,
        inspect=_inspect_pixverse,
        extract=lambda r, b: pick_details(
            b, ("Resp.credit_monthly", "credit_monthly"), ("Resp.credit_package", "credit_package")
        ),
    ),
    capabilities={
        Capability.VIDEO_AI: Runs(client=_video_ai, tests="tests/providers/test_pixverse.py")
    },
)
