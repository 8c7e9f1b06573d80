"""Video AI providers: Runway, Luma Dream Machine, OpenAI Sora, Google Veo.

Each call is exactly one HTTP request (two when an image must be fetched to be
inlined): `submit` starts a job, `poll` reads its state once, `download` fetches
the finished clip. The pipeline schedules the next poll as a delayed task; no
function here sleeps or loops.
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from typing import Any, Literal

import httpx
from pydantic import BaseModel, Field

from synthora.pipeline.contracts import AspectRatio, VideoAIJob, VideoAIRequest
from synthora.pipeline.providers._http import HttpProvider, MiB
from synthora.providers_errors import ProviderError

JobStatus = Literal["queued", "running", "succeeded", "failed"]

MAX_CLIP_BYTES = 300 * MiB
MAX_REFERENCE_IMAGE_BYTES = 20 * MiB


def _nearest_allowed(value: float, allowed: tuple[int, ...]) -> int:
    """The shortest allowed duration that covers `value`, else the longest."""
    for option in allowed:
        if option >= value - 1e-6:
            return option
    return allowed[-1]


class _VideoProvider(HttpProvider):
    """Shared download: most result URLs are pre-signed and take no key."""

    download_needs_auth = False

    def download(self, *, job: VideoAIJob, out_path: Path) -> Path:
        if job.status != "succeeded" or not job.output_url:
            raise ProviderError(
                f"{self.name} job {job.job_id} has no finished video to download",
                provider=self.name,
                code="not_ready",
                payload={"job_id": job.job_id, "status": job.status},
            )
        return self._fetch_file(job.output_url, out_path)

    def _fetch_file(self, url: str, out_path: Path) -> Path:
        return self.download_file(
            url, out_path, max_bytes=MAX_CLIP_BYTES, auth=self.download_needs_auth
        )

    def _fetch_image(self, url: str) -> tuple[bytes, str]:
        """Fetch a reference image for APIs that want bytes, not a URL."""
        try:
            response = self.client.get(url)
        except httpx.HTTPError as exc:
            raise ProviderError(
                f"{self.name}: the reference image could not be fetched",
                provider=self.name,
                code="image_unreachable",
                payload={"url": url, "exception": type(exc).__name__},
            ) from exc
        if response.is_error or not response.content:
            raise ProviderError(
                f"{self.name}: the reference image answered HTTP {response.status_code}",
                provider=self.name,
                code="image_unreachable",
                payload={"url": url, "status_code": response.status_code},
            )
        if len(response.content) > MAX_REFERENCE_IMAGE_BYTES:
            raise self._too_large(url, len(response.content), MAX_REFERENCE_IMAGE_BYTES)
        mime = response.headers.get("Content-Type", "").split(";")[0].strip()
        if not mime.startswith("image/"):
            mime = mimetypes.guess_type(url)[0] or "image/jpeg"
        return response.content, mime

    def _job(
        self,
        *,
        job_id: str,
        status: JobStatus,
        raw: dict[str, Any],
        output_url: str | None = None,
        error: str | None = None,
    ) -> VideoAIJob:
        return VideoAIJob.of(
            provider=self.name,
            job_id=job_id,
            status=status,
            raw=raw,
            output_url=output_url,
            error=error,
        )


# --------------------------------------------------------------------------- Runway

RUNWAY_STATUS: dict[str, JobStatus] = {
    "PENDING": "queued",
    "THROTTLED": "queued",  # waiting for a concurrency slot on the account
    "RUNNING": "running",
    "SUCCEEDED": "succeeded",
    "FAILED": "failed",
    "CANCELLED": "failed",
}
RUNWAY_RATIO: dict[AspectRatio, str] = {"9:16": "720:1280", "16:9": "1280:720", "1:1": "960:960"}
RUNWAY_API_VERSION = "2024-11-06"


class _Created(BaseModel):
    id: str = Field(min_length=1)


class _RunwayTask(BaseModel):
    id: str
    status: str
    output: list[str] | None = None
    failure: str | None = None
    failureCode: str | None = None


class RunwayVideo(_VideoProvider):
    """Runway API: `POST /v1/image_to_video` (with an image) or `/v1/text_to_video`,
    then `GET /v1/tasks/{id}`. Bearer key plus `X-Runway-Version`."""

    name = "runway"
    default_base_url = "https://api.dev.runwayml.com"

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        image_model: str = "gen4_turbo",
        text_model: str = "gen4.5",
    ) -> None:
        super().__init__(api_key=api_key, client=client, base_url=base_url)
        self.image_model = image_model
        self.text_model = text_model

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}", "X-Runway-Version": RUNWAY_API_VERSION}

    def submit(self, *, request: VideoAIRequest) -> VideoAIJob:
        body: dict[str, Any] = {
            "promptText": request.prompt[:1000],
            "ratio": RUNWAY_RATIO[request.aspect_ratio],
            # Gen-4 models render 5 s or 10 s clips.
            "duration": _nearest_allowed(request.duration_s, (5, 10)),
        }
        if request.image_url:
            body |= {"model": self.image_model, "promptImage": request.image_url}
            path = "/v1/image_to_video"
        else:
            body["model"] = self.text_model
            path = "/v1/text_to_video"
        answer = self.json_object(self.request("POST", self.url(path), json_body=body))
        created = self.parse(_Created, answer)
        return self._job(job_id=created.id, status="queued", raw=answer)

    def poll(self, *, job_id: str) -> VideoAIJob:
        answer = self.json_object(self.request("GET", self.url(f"/v1/tasks/{job_id}")))
        task = self.parse(_RunwayTask, answer)
        status = RUNWAY_STATUS.get(task.status.upper(), "running")
        error = (
            task.failure
            or task.failureCode
            or (f"task {task.status.lower()}" if status == "failed" else None)
        )
        return self._job(
            job_id=task.id,
            status=status,
            raw=answer,
            output_url=task.output[0] if task.output else None,
            error=error,
        )


# --------------------------------------------------------------------------- Luma

LUMA_STATUS: dict[str, JobStatus] = {
    "queued": "queued",
    "dreaming": "running",
    "completed": "succeeded",
    "failed": "failed",
}


class _LumaAssets(BaseModel):
    video: str | None = None


class _LumaGeneration(BaseModel):
    id: str
    state: str
    failure_reason: str | None = None
    assets: _LumaAssets | None = None


class LumaVideo(_VideoProvider):
    """Luma Dream Machine: `POST /dream-machine/v1/generations`, then
    `GET /dream-machine/v1/generations/{id}`. Bearer key."""

    name = "luma"
    default_base_url = "https://api.lumalabs.ai"

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        model: str = "ray-2",
        resolution: str = "720p",
    ) -> None:
        super().__init__(api_key=api_key, client=client, base_url=base_url)
        self.model = model
        self.resolution = resolution

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}"}

    def submit(self, *, request: VideoAIRequest) -> VideoAIJob:
        body: dict[str, Any] = {
            "prompt": request.prompt,
            "model": self.model,
            "aspect_ratio": request.aspect_ratio,
            "resolution": self.resolution,
            # Ray 2 renders "5s" or "9s".
            "duration": f"{_nearest_allowed(request.duration_s, (5, 9))}s",
        }
        if request.image_url:
            body["keyframes"] = {"frame0": {"type": "image", "url": request.image_url}}
        answer = self.json_object(
            self.request("POST", self.url("/dream-machine/v1/generations"), json_body=body)
        )
        generation = self.parse(_LumaGeneration, answer)
        status = LUMA_STATUS.get(generation.state.lower(), "queued")
        return self._job(job_id=generation.id, status=status, raw=answer)

    def poll(self, *, job_id: str) -> VideoAIJob:
        answer = self.json_object(
            self.request("GET", self.url(f"/dream-machine/v1/generations/{job_id}"))
        )
        generation = self.parse(_LumaGeneration, answer)
        status = LUMA_STATUS.get(generation.state.lower(), "running")
        video = generation.assets.video if generation.assets else None
        if status == "succeeded" and not video:
            raise self.invalid("luma generation completed without a video asset", answer)
        return self._job(
            job_id=generation.id,
            status=status,
            raw=answer,
            output_url=video,
            error=generation.failure_reason or "generation failed",
        )


# --------------------------------------------------------------------------- Sora

SORA_STATUS: dict[str, JobStatus] = {
    "queued": "queued",
    "in_progress": "running",
    "completed": "succeeded",
    "failed": "failed",
}
# The Videos API has no square size; square requests get a portrait clip that
# the assembly crops (a centred subject survives a vertical crop best).
SORA_SIZE: dict[AspectRatio, str] = {"9:16": "720x1280", "16:9": "1280x720", "1:1": "720x1280"}
SORA_SECONDS = (4, 8, 12)


class _SoraError(BaseModel):
    code: str | None = None
    message: str | None = None


class _SoraVideo(BaseModel):
    id: str
    status: str
    error: _SoraError | None = None


class SoraVideo(_VideoProvider):
    """OpenAI Videos API: `POST /v1/videos`, `GET /v1/videos/{id}`, and the MP4
    from `GET /v1/videos/{id}/content` (which needs the key)."""

    name = "sora"
    default_base_url = "https://api.openai.com/v1"
    download_needs_auth = True

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        model: str = "sora-2",
    ) -> None:
        super().__init__(api_key=api_key, client=client, base_url=base_url)
        self.model = model

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}"}

    def submit(self, *, request: VideoAIRequest) -> VideoAIJob:
        fields = {
            "model": self.model,
            "prompt": request.prompt,
            "seconds": str(_nearest_allowed(request.duration_s, SORA_SECONDS)),
            "size": SORA_SIZE[request.aspect_ratio],
        }
        if request.image_url:
            # The reference image is uploaded as a file (multipart); it should
            # match the requested size.
            content, mime = self._fetch_image(request.image_url)
            extension = mimetypes.guess_extension(mime) or ".jpg"
            response = self.request(
                "POST",
                self.url("/videos"),
                data=fields,
                files={"input_reference": (f"reference{extension}", content, mime)},
            )
        else:
            response = self.request("POST", self.url("/videos"), json_body=fields)
        answer = self.json_object(response)
        video = self.parse(_SoraVideo, answer)
        return self._job(
            job_id=video.id, status=SORA_STATUS.get(video.status, "queued"), raw=answer
        )

    def poll(self, *, job_id: str) -> VideoAIJob:
        answer = self.json_object(self.request("GET", self.url(f"/videos/{job_id}")))
        video = self.parse(_SoraVideo, answer)
        status = SORA_STATUS.get(video.status, "running")
        error = None
        if video.error is not None:
            error = video.error.message or video.error.code
        return self._job(
            job_id=video.id,
            status=status,
            raw=answer,
            output_url=self.url(f"/videos/{video.id}/content"),
            error=error or "video generation failed",
        )

    def _fetch_file(self, url: str, out_path: Path) -> Path:
        # Only our own API host gets the key; anything else is fetched bare.
        needs_key = url.startswith(self.base_url + "/")
        return self.download_file(url, out_path, max_bytes=MAX_CLIP_BYTES, auth=needs_key)


# --------------------------------------------------------------------------- Veo

# Veo only renders landscape and portrait; square requests get portrait (see Sora).
VEO_ASPECT: dict[AspectRatio, str] = {"9:16": "9:16", "16:9": "16:9", "1:1": "9:16"}
VEO_SECONDS = (4, 6, 8)


class _VeoVideo(BaseModel):
    uri: str | None = None


class _VeoSample(BaseModel):
    video: _VeoVideo | None = None


class _VeoGenerateVideoResponse(BaseModel):
    generatedSamples: list[_VeoSample] = Field(default_factory=list)
    raiMediaFilteredCount: int | None = None
    raiMediaFilteredReasons: list[str] = Field(default_factory=list)


class _VeoResponse(BaseModel):
    generateVideoResponse: _VeoGenerateVideoResponse | None = None


class _VeoStatus(BaseModel):
    code: int | None = None
    message: str | None = None


class _VeoOperation(BaseModel):
    name: str = Field(min_length=1)
    done: bool = False
    error: _VeoStatus | None = None
    response: _VeoResponse | None = None


def veo_status(operation: _VeoOperation) -> tuple[JobStatus, str | None, str | None]:
    """(status, output uri, error) of a Veo long-running operation.

    Operations only say done or not: not done is running; done with `error`,
    or done with no sample (all filtered by safety checks), is failed.
    """
    if not operation.done:
        return "running", None, None
    if operation.error is not None:
        return "failed", None, operation.error.message or f"error {operation.error.code}"
    result = operation.response.generateVideoResponse if operation.response else None
    samples = result.generatedSamples if result else []
    for sample in samples:
        if sample.video and sample.video.uri:
            return "succeeded", sample.video.uri, None
    reasons = "; ".join(result.raiMediaFilteredReasons) if result else ""
    return "failed", None, reasons or "Veo returned no video"


class VeoVideo(_VideoProvider):
    """Gemini API Veo: `POST /v1beta/models/{model}:predictLongRunning`, poll the
    operation with `GET /v1beta/{operation name}`, download the sample URI (the
    download also needs the key). Header `x-goog-api-key`."""

    name = "veo"
    default_base_url = "https://generativelanguage.googleapis.com"
    download_needs_auth = True

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        model: str = "veo-3.1-generate-preview",
    ) -> None:
        super().__init__(api_key=api_key, client=client, base_url=base_url)
        self.model = model

    def _auth_headers(self) -> dict[str, str]:
        return {"x-goog-api-key": self._api_key}

    def submit(self, *, request: VideoAIRequest) -> VideoAIJob:
        instance: dict[str, Any] = {"prompt": request.prompt}
        if request.image_url:
            content, mime = self._fetch_image(request.image_url)
            instance["image"] = {
                "bytesBase64Encoded": base64.b64encode(content).decode("ascii"),
                "mimeType": mime,
            }
        body = {
            "instances": [instance],
            "parameters": {
                "aspectRatio": VEO_ASPECT[request.aspect_ratio],
                "durationSeconds": _nearest_allowed(request.duration_s, VEO_SECONDS),
            },
        }
        answer = self.json_object(
            self.request(
                "POST", self.url(f"/v1beta/models/{self.model}:predictLongRunning"), json_body=body
            )
        )
        operation = self.parse(_VeoOperation, answer)
        status, uri, error = veo_status(operation)
        # Fresh operations are not done: report them as queued, like the others.
        return self._job(
            job_id=operation.name,
            status="queued" if status == "running" else status,
            raw=answer,
            output_url=uri,
            error=error,
        )

    def poll(self, *, job_id: str) -> VideoAIJob:
        answer = self.json_object(self.request("GET", self.url(f"/v1beta/{job_id.lstrip('/')}")))
        operation = self.parse(_VeoOperation, answer)
        status, uri, error = veo_status(operation)
        return self._job(
            job_id=operation.name, status=status, raw=answer, output_url=uri, error=error
        )

    def _fetch_file(self, url: str, out_path: Path) -> Path:
        needs_key = url.startswith(self.base_url + "/")
        return self.download_file(url, out_path, max_bytes=MAX_CLIP_BYTES, auth=needs_key)
