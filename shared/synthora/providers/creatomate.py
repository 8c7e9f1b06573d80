"""Creatomate: Cloud rendering of the assembled video from a RenderScript.

Runs assembly: the client below; documented request/response shapes are tested
in tests/providers/test_assembly.py.

Key check: GET https://api.creatomate.com/v1/templates: No key-check endpoint:
lists the project's templates (free).

Documentation: https://creatomate.com/docs/api/rest-api/authentication
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import httpx
from pydantic import BaseModel, Field

from synthora.providers.base import (
    Capability,
    IntegrationCategory,
    OptionSpec,
    ProviderDeclaration,
    Runs,
    ValidationEndpoint,
    bearer,
)
from synthora.providers.contracts import CloudRenderJob, CloudRenderRequest
from synthora.providers.errors import ProviderError, error_from_response
from synthora.providers.keycheck import (
    HttpValidator,
    bearer_probe,
    count_detail,
)
from synthora.providers.render import MUSIC_VOLUME, JobStatus, RenderClient, total_duration

ID = "creatomate"
DISPLAY_NAME = "Creatomate"

CREATOMATE_STATUS: dict[str, JobStatus] = {
    "planned": "queued",
    "waiting": "queued",  # waiting for inputs or a render slot
    "transcribing": "running",
    "rendering": "running",
    "succeeded": "succeeded",
    "failed": "failed",
}


class _CreatomateRender(BaseModel):
    id: str = Field(min_length=1)
    status: str
    url: str | None = None
    error_message: str | None = None


CreatomateCaptions = Literal["scene", "transcribed"]

# Caption text style, in vmin (1/100 of the frame's short side) as Creatomate's
# own subtitle examples use: 5 vmin matches `caption_font_size`.
_CREATOMATE_TEXT: dict[str, Any] = {
    "y": "78%",
    "width": "86%",
    "height": "20%",
    "x_alignment": "50%",
    "y_alignment": "50%",
    "font_weight": 700,
    "font_size": "5 vmin",
    "stroke_color": "#000000",
    "stroke_width": "0.5 vmin",
}


def creatomate_source(
    request: CloudRenderRequest, *, captions: CreatomateCaptions = "scene"
) -> dict[str, Any]:
    """The RenderScript for a request.

    Track 1 holds one composition per scene (same track: they play one after
    another), each with its media filling the frame; track 2 the voice-over from
    0 s; track 3 the music, faded out, lasting as long as the video.

    Captions: `scene` puts each scene's caption text in its composition;
    `transcribed` lets Creatomate transcribe the voice and show word-by-word
    subtitles with the spoken word in `highlight_color` (track 4; costs extra
    credits and depends on Creatomate's speech recognition).
    """
    style = {**_CREATOMATE_TEXT, "font_family": request.font_family}
    scenes: list[dict[str, Any]] = []
    for index, scene in enumerate(request.scenes):
        media: dict[str, Any] = {
            "type": scene.media_kind,
            "source": scene.media_url,
            "fit": "cover",
        }
        if scene.media_kind == "video":
            media |= {"volume": "0%", "loop": True}
        else:
            # A slow push-in keeps a still image from looking frozen.
            media["animations"] = [
                {"type": "scale", "start_scale": "100%", "end_scale": "110%", "easing": "linear"}
            ]
        caption = {
            "type": "text",
            "text": scene.caption,
            "fill_color": request.caption_color,
            **style,
        }
        with_caption = captions == "scene" and scene.caption.strip()
        scenes.append(
            {
                "name": f"Scene-{index + 1}",
                "type": "composition",
                "track": 1,
                "duration": scene.duration_s,
                "elements": [media, caption] if with_caption else [media],
            }
        )
    elements: list[dict[str, Any]] = [
        *scenes,
        {"name": "Voice", "type": "audio", "track": 2, "time": 0, "source": request.voice_url},
    ]
    if request.music_url:
        elements.append(
            {
                "name": "Music",
                "type": "audio",
                "track": 3,
                "time": 0,
                "duration": total_duration(request),
                "source": request.music_url,
                "volume": f"{round(MUSIC_VOLUME * 100)}%",
                "loop": True,
                "audio_fade_out": 2,
            }
        )
    if captions == "transcribed":
        elements.append(
            {
                "name": "Subtitles",
                "type": "text",
                "track": 4,
                "time": 0,
                "duration": total_duration(request),
                "transcript_source": "Voice",
                "transcript_effect": "highlight",
                "transcript_maximum_length": 14,
                "transcript_color": request.highlight_color,
                "fill_color": request.caption_color,
                **style,
            }
        )
    return {
        "output_format": "mp4",
        "width": request.width,
        "height": request.height,
        "frame_rate": request.fps,
        "duration": total_duration(request),
        "elements": elements,
    }


class CreatomateRender(RenderClient):
    """Creatomate: `POST /v1/renders` with a RenderScript `source`, then
    `GET /v1/renders/{id}`. Bearer project API key."""

    name = ID
    default_base_url = "https://api.creatomate.com"

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        captions: CreatomateCaptions = "scene",
    ) -> None:
        super().__init__(api_key=api_key, client=client, base_url=base_url)
        self.captions: CreatomateCaptions = captions

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}"}

    def error_from_response(self, response: httpx.Response) -> ProviderError:
        # Creatomate explains failures in a `hint` field; prefer it to a bare status.
        error = error_from_response(self.name, response)
        if isinstance(error.payload, dict) and error.payload.get("hint"):
            error.message = str(error.payload["hint"])
            error.args = (error.message,)
        return error

    def submit(self, *, request: CloudRenderRequest) -> CloudRenderJob:
        response = self.request(
            "POST",
            self.url("/v1/renders"),
            json_body={"source": creatomate_source(request, captions=self.captions)},
        )
        try:
            body = response.json()
        except ValueError as exc:
            raise self.invalid("creatomate answered with a body that is not JSON", None) from exc
        # v1 answers with an array (one render per template matched); a RenderScript
        # source always yields exactly one.
        first = body[0] if isinstance(body, list) and body else body
        if not isinstance(first, dict):
            raise self.invalid("creatomate answered without a render", body)
        return self._to_job(first)

    def poll(self, *, job_id: str) -> CloudRenderJob:
        answer = self.json_object(self.request("GET", self.url(f"/v1/renders/{job_id}")))
        return self._to_job(answer)

    def _to_job(self, answer: dict[str, Any]) -> CloudRenderJob:
        render = self.parse(_CreatomateRender, answer)
        status = CREATOMATE_STATUS.get(render.status.lower(), "running")
        return self._job(
            job_id=render.id,
            status=status,
            raw=answer,
            output_url=render.url,
            error=render.error_message or "render failed",
        )


# --------------------------------------------------------------------------- clients


def _assembly(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> CreatomateRender:
    captions = DECLARATION.option_value(options, "captions")
    return CreatomateRender(
        api_key=api_key,
        client=client,
        captions="transcribed" if captions == "transcribed" else "scene",
    )


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.ASSEMBLY,
    auth=bearer("The project's API key (one per project)."),
    docs_url="https://creatomate.com/docs/api/rest-api/authentication",
    keys_url="https://creatomate.com/projects",
    used_for="Cloud rendering of the assembled video from a RenderScript.",
    key_check=ValidationEndpoint(
        method="GET",
        url="https://api.creatomate.com/v1/templates",
        description="No key-check endpoint: lists the project's templates (free).",
        dedicated=False,
    ),
    validator=HttpValidator(
        provider=ID,
        build=bearer_probe("https://api.creatomate.com/v1/templates"),
        extract=count_detail("templates", "template_count"),
    ),
    capabilities={
        Capability.ASSEMBLY: Runs(client=_assembly, tests="tests/providers/test_assembly.py")
    },
    options=(
        OptionSpec(
            name="captions",
            values=("scene", "transcribed"),
            default="scene",
            description="`scene`: one caption per scene; `transcribed`: Creatomate's "
            "word-highlighted subtitles from the voice.",
        ),
    ),
)
