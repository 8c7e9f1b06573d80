"""Editframe cloud assembly: the whole video as an HTML composition.

Flow, from Editframe's published render API and its official client
(`@editframe/api`, whose `Client` talks to `https://editframe.com` with the key
as a Bearer token):

1. `POST /api/v1/renders` with `html` (the composition), `width`, `height`,
   `fps`, `duration_ms` and `output` (`{"container": "mp4", "video":
   {"codec": "h264"}, "audio": {"codec": "aac"}}`). The answer is
   `{"id", "md5", "status", "metadata"}`.
2. `GET /api/v1/renders/{id}`: `status` is `created`, `pending`,
   `rendering`, `complete` (the docs' status table says `completed`) or
   `failed`.
3. `GET /api/v1/renders/{id}.mp4` downloads the finished file; it needs the
   key, so `download` sends it to Editframe's own host only.

The composition uses Editframe Elements: a root `ef-timegroup` of fixed
duration holding a `sequence` timegroup with one fixed-duration timegroup per
scene (an `ef-video` muted with `mute`, or an `ef-image`, filling the frame,
plus the caption as styled HTML text), the voice-over as an `ef-audio` and the
music as a second `ef-audio` at `volume` 0.15. Styles are inline CSS so the
composition does not depend on a stylesheet.

Errors are HTTP statuses (401 for a refused key, 429 for rate limits); the
body is kept whole.

Key check: GET
https://editframe.com/api/v1/renders/md5/00000000000000000000000000000000: No
key-check endpoint: looks up a render by a content hash that matches nothing
(the SDK's lookupRenderByMd5); 404 means the key was accepted, 401 that it was
not.

Sources (via `search` and `read_file`):
- https://editframe.com/docs/api/renders (create, poll, status values, download)
- https://editframe.com/skills/editframe-api/renders (createRender with `html`)
- github.com/editframe/skills `elements/packages/api/src/resources/renders.ts`
  and `client.ts` (payload schema, status values, paths, host, Bearer key)
- github.com/editframe/skills `skills/elements-composition/references/`
  `timegroup.md`, `video.md`, `audio.md` (modes, `mute`, `volume`, durations)
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

import httpx
from pydantic import BaseModel, Field

from synthora.providers._failures import http_failure
from synthora.providers.base import (
    Capability,
    IntegrationCategory,
    ProviderDeclaration,
    Runs,
    ValidationEndpoint,
    bearer,
)
from synthora.providers.contracts import CloudRenderJob, CloudRenderRequest
from synthora.providers.errors import ProviderError
from synthora.providers.keycheck import (
    HttpValidator,
    bearer_probe,
)
from synthora.providers.render import (
    MUSIC_VOLUME,
    JobStatus,
    RenderClient,
    caption_font_size,
)

ID = "editframe"
DISPLAY_NAME = "Editframe"


# --------------------------------------------------------------------------- key check

EDITFRAME_PROBE_MD5 = "0" * 32


# --------------------------------------------------------------------------- client
EDITFRAME_STATUS: dict[str, JobStatus] = {
    "created": "queued",
    "pending": "queued",
    "rendering": "running",
    "complete": "succeeded",
    "completed": "succeeded",
    "failed": "failed",
}

_FILL = "position:absolute;inset:0;width:100%;height:100%;object-fit:cover"


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def editframe_html(request: CloudRenderRequest) -> str:
    """The HTML composition for a request (see the module docstring)."""
    font_px = caption_font_size(request)
    stroke = max(2, font_px // 12)
    caption_style = (
        "position:absolute;left:7%;right:7%;bottom:12%;text-align:center;"
        f"font-family:'{escape(request.font_family)}',sans-serif;font-size:{font_px}px;"
        f"font-weight:700;line-height:1.2;color:{escape(request.caption_color)};"
        f"-webkit-text-stroke:{stroke}px #000;paint-order:stroke fill"
    )
    scenes: list[str] = []
    for scene in request.scenes:
        src = escape(scene.media_url, quote=True)
        if scene.media_kind == "video":
            media = f'<ef-video src="{src}" mute style="{_FILL}"></ef-video>'
        else:
            media = f'<ef-image src="{src}" style="{_FILL}"></ef-image>'
        caption = ""
        if scene.caption.strip():
            caption = f'<div style="{caption_style}">{escape(scene.caption)}</div>'
        scenes.append(
            f'<ef-timegroup mode="fixed" duration="{_ms(scene.duration_s)}ms" '
            f'style="position:absolute;inset:0">{media}{caption}</ef-timegroup>'
        )
    total = sum(_ms(scene.duration_s) for scene in request.scenes)
    audio = [f'<ef-audio src="{escape(request.voice_url, quote=True)}" volume="1"></ef-audio>']
    if request.music_url:
        audio.append(
            f'<ef-audio src="{escape(request.music_url, quote=True)}" '
            f'volume="{MUSIC_VOLUME}"></ef-audio>'
        )
    return (
        f'<ef-timegroup mode="fixed" duration="{total}ms" style="position:relative;'
        f'width:{request.width}px;height:{request.height}px;overflow:hidden;background:#000">'
        f'<ef-timegroup mode="sequence" style="position:absolute;inset:0">{"".join(scenes)}'
        f"</ef-timegroup>{''.join(audio)}</ef-timegroup>"
    )


def editframe_payload(request: CloudRenderRequest) -> dict[str, Any]:
    return {
        "html": editframe_html(request),
        "width": request.width,
        "height": request.height,
        "fps": request.fps,
        "duration_ms": sum(_ms(scene.duration_s) for scene in request.scenes),
        "output": {"container": "mp4", "video": {"codec": "h264"}, "audio": {"codec": "aac"}},
    }


class _Render(BaseModel):
    id: str = Field(min_length=1)
    status: str
    md5: str | None = None


class EditframeRender(RenderClient):
    """Editframe renders from HTML. Bearer API key (`ef_..._...`)."""

    name = ID
    default_base_url = "https://editframe.com"
    download_needs_auth = True  # GET /api/v1/renders/{id}.mp4 needs the key

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}"}

    def error_from_response(self, response: httpx.Response) -> ProviderError:
        return http_failure(self.name, response)

    def _output_url(self, render_id: str) -> str:
        return self.url(f"/api/v1/renders/{render_id}.mp4")

    def submit(self, *, request: CloudRenderRequest) -> CloudRenderJob:
        answer = self.json_object(
            self.request("POST", self.url("/api/v1/renders"), json_body=editframe_payload(request))
        )
        render = self.parse(_Render, answer)
        status = EDITFRAME_STATUS.get(render.status.lower(), "queued")
        return self._job(
            job_id=render.id,
            status=status,
            raw=answer,
            output_url=self._output_url(render.id),
            error="render failed",
        )

    def poll(self, *, job_id: str) -> CloudRenderJob:
        answer = self.json_object(self.request("GET", self.url(f"/api/v1/renders/{job_id}")))
        render = self.parse(_Render, answer)
        status = EDITFRAME_STATUS.get(render.status.lower(), "running")
        return self._job(
            job_id=render.id,
            status=status,
            raw=answer,
            output_url=self._output_url(render.id),
            error="Editframe render failed",
        )


# --------------------------------------------------------------------------- factory


def _assembly(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> EditframeRender:
    return EditframeRender(api_key=api_key, client=client)


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.ASSEMBLY,
    auth=bearer(),
    docs_url="https://editframe.com/skills/editframe-api/authentication",
    keys_url="https://editframe.com/",
    used_for="Cloud rendering of an HTML composition of the video.",
    key_check=ValidationEndpoint(
        method="GET",
        url="https://editframe.com/api/v1/renders/md5/00000000000000000000000000000000",
        description="No key-check endpoint: looks up a render by a content hash that "
        "matches nothing (the SDK's lookupRenderByMd5); 404 means the key was accepted, "
        "401 that it was not.",
        dedicated=False,
    ),
    validator=HttpValidator(
        provider=ID,
        # The SDK's lookupRenderByMd5 documents 404 as "no such render".
        build=bearer_probe(f"https://editframe.com/api/v1/renders/md5/{EDITFRAME_PROBE_MD5}"),
        accept=frozenset({404}),
        accepted_message="The key was accepted (render lookup by a hash that matches nothing).",
    ),
    capabilities={
        Capability.ASSEMBLY: Runs(client=_assembly, tests="tests/providers/test_editframe.py")
    },
)
