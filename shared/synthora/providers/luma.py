"""Luma Dream Machine: Text/image-to-video clips (Ray models).

Runs video_ai: the client below; documented request/response shapes are tested
in tests/providers/test_video_ai.py.

Key check: GET https://api.lumalabs.ai/dream-machine/v1/credits: Returns the
account's credit balance; free.

Documentation: https://docs.lumalabs.ai/docs/api
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import BaseModel

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
from synthora.providers.keycheck import (
    HttpValidator,
    bearer_probe,
    pick_details,
)

ID = "luma"
DISPLAY_NAME = "Luma Dream Machine"

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


class LumaVideo(VideoClient):
    """Luma Dream Machine: `POST /dream-machine/v1/generations`, then
    `GET /dream-machine/v1/generations/{id}`. Bearer key."""

    name = ID
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
            "duration": f"{nearest_allowed(request.duration_s, (5, 9))}s",
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


# --------------------------------------------------------------------------- clients


def _video_ai(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> LumaVideo:
    return LumaVideo(api_key=api_key, client=client)


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.VIDEO_AI,
    auth=bearer(),
    docs_url="https://docs.lumalabs.ai/docs/api",
    keys_url="https://lumalabs.ai/dream-machine/api/keys",
    used_for="Text/image-to-video clips (Ray models).",
    key_check=ValidationEndpoint(
        method="GET",
        url="https://api.lumalabs.ai/dream-machine/v1/credits",
        description="Returns the account's credit balance; free.",
        dedicated=True,
    ),
    validator=HttpValidator(
        provider=ID,
        build=bearer_probe("https://api.lumalabs.ai/dream-machine/v1/credits"),
        extract=lambda r, b: pick_details(b, ("credit_balance", "credit_balance")),
    ),
    capabilities={
        Capability.VIDEO_AI: Runs(client=_video_ai, tests="tests/providers/test_video_ai.py")
    },
)
