"""Runway: Text/image-to-video clips (Gen-4 family).

Runs video_ai: the client below; documented request/response shapes are tested
in tests/providers/test_video_ai.py.

Key check: GET https://api.dev.runwayml.com/v1/organization: Returns the
organization's tier and credit balance; free.

Documentation: https://docs.dev.runwayml.com/
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import BaseModel, Field

from synthora.providers.base import (
    Capability,
    IntegrationCategory,
    ProviderDeclaration,
    Runs,
    ValidationEndpoint,
    bearer,
)
from synthora.providers.clips import JobStatus, VideoClient, nearest_allowed
from synthora.providers.contracts import AspectRatio, VideoAIJob, VideoAIRequest
from synthora.providers.keycheck import (
    HttpValidator,
    bearer_probe,
    pick_details,
)

ID = "runway"
DISPLAY_NAME = "Runway"

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


class RunwayVideo(VideoClient):
    """Runway API: `POST /v1/image_to_video` (with an image) or `/v1/text_to_video`,
    then `GET /v1/tasks/{id}`. Bearer key plus `X-Runway-Version`."""

    name = ID
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
            "duration": nearest_allowed(request.duration_s, (5, 10)),
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


# --------------------------------------------------------------------------- key check

RUNWAY_API_VERSION = "2024-11-06"

# --------------------------------------------------------------------------- clients


def _video_ai(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> RunwayVideo:
    return RunwayVideo(api_key=api_key, client=client)


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.VIDEO_AI,
    auth=bearer("Every request also sends `X-Runway-Version: 2024-11-06`."),
    docs_url="https://docs.dev.runwayml.com/",
    keys_url="https://dev.runwayml.com/",
    used_for="Text/image-to-video clips (Gen-4 family).",
    key_check=ValidationEndpoint(
        method="GET",
        url="https://api.dev.runwayml.com/v1/organization",
        description="Returns the organization's tier and credit balance; free.",
        dedicated=True,
    ),
    validator=HttpValidator(
        provider=ID,
        build=bearer_probe(
            "https://api.dev.runwayml.com/v1/organization",
            **{"X-Runway-Version": RUNWAY_API_VERSION},
        ),
        extract=lambda r, b: pick_details(
            b,
            ("creditBalance", "credit_balance"),
            ("tier.maxMonthlyCreditSpend", "max_monthly_credit_spend"),
        ),
    ),
    capabilities={
        Capability.VIDEO_AI: Runs(client=_video_ai, tests="tests/providers/test_video_ai.py")
    },
)
