"""Google Veo: Text/image-to-video clips with Veo models.

Runs video_ai: the client below; documented request/response shapes are tested
in tests/providers/test_video_ai.py.

Key check: GET https://generativelanguage.googleapis.com/v1beta/models: Lists
the models the key can call; Google answers an unknown key with 400
API_KEY_INVALID, which is reported as invalid.

Documentation: https://ai.google.dev/gemini-api/docs/video
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, Field

from synthora.providers.base import (
    AuthMethod,
    AuthSpec,
    Capability,
    IntegrationCategory,
    KeyFormat,
    ProviderDeclaration,
    Runs,
    ValidationEndpoint,
)
from synthora.providers.clips import MAX_CLIP_BYTES, JobStatus, VideoClient, nearest_allowed
from synthora.providers.contracts import AspectRatio, VideoAIJob, VideoAIRequest
from synthora.providers.keycheck import (
    HttpValidator,
    Outcome,
    header_probe,
)

ID = "veo"
DISPLAY_NAME = "Google Veo"

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


class VeoVideo(VideoClient):
    """Gemini API Veo: `POST /v1beta/models/{model}:predictLongRunning`, poll the
    operation with `GET /v1beta/{operation name}`, download the sample URI (the
    download also needs the key). Header `x-goog-api-key`."""

    name = ID
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
                "durationSeconds": nearest_allowed(request.duration_s, VEO_SECONDS),
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


# --------------------------------------------------------------------------- key check


def _inspect_google(response: httpx.Response, body: Any) -> Outcome | None:
    # Google answers an unknown key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID.
    if response.status_code == 400 and "API_KEY_INVALID" in response.text:
        return Outcome("invalid")
    return None


def _veo_details(response: httpx.Response, body: Any) -> dict[str, Any]:
    models = body.get("models") if isinstance(body, dict) else None
    if not isinstance(models, list):
        return {}
    names = [m.get("name", "") for m in models if isinstance(m, dict)]
    return {"model_count": len(names), "veo_models": [n for n in names if "veo" in n]}


# --------------------------------------------------------------------------- clients


def _video_ai(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> VeoVideo:
    return VeoVideo(api_key=api_key, client=client)


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.VIDEO_AI,
    auth=AuthSpec(
        method=AuthMethod.HEADER,
        header_name="x-goog-api-key",
        notes="A Gemini API (Generative Language API) key from Google AI Studio.",
    ),
    docs_url="https://ai.google.dev/gemini-api/docs/video",
    keys_url="https://aistudio.google.com/apikey",
    used_for="Text/image-to-video clips with Veo models.",
    key_format=KeyFormat(
        pattern=r"AIza[0-9A-Za-z_\-]{35}", description="Google API keys start with `AIza`."
    ),
    key_check=ValidationEndpoint(
        method="GET",
        url="https://generativelanguage.googleapis.com/v1beta/models",
        description="Lists the models the key can call; Google answers an unknown key with "
        "400 API_KEY_INVALID, which is reported as invalid.",
        dedicated=False,
    ),
    validator=HttpValidator(
        provider=ID,
        build=header_probe(
            "https://generativelanguage.googleapis.com/v1beta/models",
            "x-goog-api-key",
            params={"pageSize": "1000"},
        ),
        inspect=_inspect_google,
        extract=_veo_details,
    ),
    capabilities={
        Capability.VIDEO_AI: Runs(client=_video_ai, tests="tests/providers/test_video_ai.py")
    },
)
