"""Shotstack: Cloud rendering of the assembled video from a Shotstack edit.

Runs assembly: the client below; documented request/response shapes are tested
in tests/providers/test_assembly.py.

Key check: GET https://api.shotstack.io/edit/{environment}/templates: No key-
check endpoint: lists templates in the chosen environment (option
`environment`: `v1` production by default, `stage` sandbox). The API gateway
answers a key of the other environment with 403, reported as invalid.

Documentation: https://shotstack.io/docs/guide/getting-started/request-api-keys
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import httpx
from pydantic import BaseModel, Field

from synthora.providers.base import (
    AuthMethod,
    AuthSpec,
    Capability,
    IntegrationCategory,
    KeyFormat,
    OptionSpec,
    ProviderDeclaration,
    Runs,
    ValidationEndpoint,
)
from synthora.providers.contracts import CloudRenderJob, CloudRenderRequest
from synthora.providers.errors import ProviderError
from synthora.providers.keycheck import (
    HttpValidator,
    Probe,
    option_of,
)
from synthora.providers.render import (
    MUSIC_VOLUME,
    JobStatus,
    RenderClient,
    caption_font_size,
    scene_starts,
    total_duration,
)

ID = "shotstack"
DISPLAY_NAME = "Shotstack"

SHOTSTACK_STATUS: dict[str, JobStatus] = {
    "queued": "queued",
    "fetching": "running",
    "preprocessing": "running",
    "rendering": "running",
    "saving": "running",
    "done": "succeeded",
    "failed": "failed",
}
ShotstackEnvironment = Literal["v1", "stage"]


class _ShotstackQueued(BaseModel):
    id: str = Field(min_length=1)


class _ShotstackRender(BaseModel):
    id: str
    status: str
    url: str | None = None
    error: str | None = None


class _ShotstackEnvelope(BaseModel):
    success: bool = True
    message: str | None = None
    response: dict[str, Any]


def shotstack_edit(request: CloudRenderRequest) -> dict[str, Any]:
    """The Shotstack edit for a request.

    Tracks are layered top first: captions (rich-text), then scene media, then
    the voice-over as an audio clip. Music goes in the timeline soundtrack.
    """
    starts = scene_starts(request)
    font_size = caption_font_size(request)
    captions: list[dict[str, Any]] = []
    media: list[dict[str, Any]] = []
    for scene, start in zip(request.scenes, starts, strict=True):
        asset: dict[str, Any] = {"type": scene.media_kind, "src": scene.media_url}
        clip: dict[str, Any] = {
            "asset": asset,
            "start": start,
            "length": scene.duration_s,
            # Shotstack's "crop" fills the frame keeping the aspect ratio; its
            # "cover" would stretch the picture.
            "fit": "crop",
        }
        if scene.media_kind == "video":
            asset["volume"] = 0
        else:
            clip["effect"] = "zoomInSlow"  # keeps a still image from looking frozen
        media.append(clip)
        if scene.caption.strip():
            captions.append(
                {
                    "asset": {
                        "type": "rich-text",
                        "text": scene.caption,
                        "font": {
                            "family": request.font_family,
                            "size": font_size,
                            "color": request.caption_color,
                            "weight": 700,
                        },
                        "stroke": {"width": max(2, font_size // 12), "color": "#000000"},
                        "align": {"horizontal": "center", "vertical": "middle"},
                    },
                    "start": start,
                    "length": scene.duration_s,
                    "width": round(request.width * 0.86),
                    "height": round(request.height * 0.2),
                    "position": "bottom",
                    "offset": {"y": 0.12},
                }
            )
    voice = {
        "asset": {"type": "audio", "src": request.voice_url, "volume": 1},
        "start": 0,
        "length": total_duration(request),
    }
    timeline: dict[str, Any] = {
        "background": "#000000",
        "tracks": [
            t for t in ({"clips": captions}, {"clips": media}, {"clips": [voice]}) if t["clips"]
        ],
    }
    if request.music_url:
        timeline["soundtrack"] = {
            "src": request.music_url,
            "effect": "fadeOut",
            "volume": MUSIC_VOLUME,
        }
    return {
        "timeline": timeline,
        "output": {
            "format": "mp4",
            "fps": request.fps,
            "size": {"width": request.width, "height": request.height},
        },
    }


class ShotstackRender(RenderClient):
    """Shotstack Edit API: `POST /edit/{env}/render`, then `GET /edit/{env}/render/{id}`.

    Header `x-api-key`. `environment` is `v1` (production) or `stage` (free,
    watermarked sandbox); each has its own key.
    """

    name = ID
    default_base_url = "https://api.shotstack.io"

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        environment: ShotstackEnvironment = "v1",
    ) -> None:
        super().__init__(api_key=api_key, client=client, base_url=base_url)
        self.environment = environment

    def _auth_headers(self) -> dict[str, str]:
        return {"x-api-key": self._api_key}

    def _envelope(self, response: httpx.Response) -> dict[str, Any]:
        answer = self.json_object(response)
        envelope = self.parse(_ShotstackEnvelope, answer)
        if not envelope.success:
            raise ProviderError(
                envelope.message or "shotstack refused the request",
                provider=self.name,
                status_code=response.status_code,
                payload=answer,
            )
        return envelope.response

    def submit(self, *, request: CloudRenderRequest) -> CloudRenderJob:
        response = self.request(
            "POST", self.url(f"/edit/{self.environment}/render"), json_body=shotstack_edit(request)
        )
        queued = self.parse(_ShotstackQueued, self._envelope(response))
        return self._job(job_id=queued.id, status="queued", raw=self.json_object(response))

    def poll(self, *, job_id: str) -> CloudRenderJob:
        response = self.request("GET", self.url(f"/edit/{self.environment}/render/{job_id}"))
        render = self.parse(_ShotstackRender, self._envelope(response))
        status = SHOTSTACK_STATUS.get(render.status.lower(), "running")
        return self._job(
            job_id=render.id,
            status=status,
            raw=self.json_object(response),
            output_url=render.url,
            error=render.error or "render failed",
        )


# --------------------------------------------------------------------------- key check

SHOTSTACK_ENVIRONMENTS = ("v1", "stage")


def _shotstack_probe(key: str, options: Mapping[str, str]) -> Probe:
    environment = option_of(options, "environment", SHOTSTACK_ENVIRONMENTS, "v1")
    return Probe(
        "GET", f"https://api.shotstack.io/edit/{environment}/templates", {"x-api-key": key}
    )


def _shotstack_details(response: httpx.Response, body: Any) -> dict[str, Any]:
    details: dict[str, Any] = {"environment": response.request.url.path.split("/")[2]}
    inner = body.get("response") if isinstance(body, dict) else None
    if isinstance(inner, dict) and isinstance(inner.get("templates"), list):
        details["template_count"] = len(inner["templates"])
    return details


# --------------------------------------------------------------------------- clients


def _assembly(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> ShotstackRender:
    environment = DECLARATION.option_value(options, "environment")
    return ShotstackRender(
        api_key=api_key, client=client, environment="stage" if environment == "stage" else "v1"
    )


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.ASSEMBLY,
    auth=AuthSpec(
        method=AuthMethod.HEADER,
        header_name="x-api-key",
        notes="Separate keys for the `stage` sandbox and the `v1` production environment.",
    ),
    docs_url="https://shotstack.io/docs/guide/getting-started/request-api-keys",
    keys_url="https://dashboard.shotstack.io/",
    used_for="Cloud rendering of the assembled video from a Shotstack edit.",
    key_format=KeyFormat(pattern=r"[A-Za-z0-9]{40}", description="A random 40-character string."),
    key_check=ValidationEndpoint(
        method="GET",
        url="https://api.shotstack.io/edit/{environment}/templates",
        description="No key-check endpoint: lists templates in the chosen environment "
        "(option `environment`: `v1` production by default, `stage` sandbox). The API "
        "gateway answers a key of the other environment with 403, reported as invalid.",
        dedicated=False,
    ),
    validator=HttpValidator(
        provider=ID,
        build=_shotstack_probe,
        # The API gateway answers an unknown key, or one from the other
        # environment, with 403 {"message": "Forbidden"}.
        overrides={403: "invalid"},
        extract=_shotstack_details,
    ),
    capabilities={
        Capability.ASSEMBLY: Runs(client=_assembly, tests="tests/providers/test_assembly.py")
    },
    options=(
        OptionSpec(
            name="environment",
            values=SHOTSTACK_ENVIRONMENTS,
            default="v1",
            description="`v1` production or `stage` sandbox; each has its own key.",
        ),
    ),
)
