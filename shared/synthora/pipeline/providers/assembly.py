"""Cloud assembly providers: Creatomate (RenderScript) and Shotstack (Edit JSON).

Both build the whole video from public URLs (scene media, voice, music) and
render it on the provider's servers: `submit` posts the edit, `poll` reads the
render's state once. Captions are one text per scene, shown for the scene.
"""

from __future__ import annotations

from typing import Any, Literal

import httpx
from pydantic import BaseModel, Field

from synthora.pipeline.contracts import CloudRenderJob, CloudRenderRequest
from synthora.pipeline.providers._http import HttpProvider
from synthora.providers_errors import ProviderError, error_from_response

JobStatus = Literal["queued", "running", "succeeded", "failed"]

# Background music sits well under the voice.
MUSIC_VOLUME = 0.15


def scene_starts(request: CloudRenderRequest) -> list[float]:
    """Start time of each scene: scenes play back to back."""
    starts, t = [], 0.0
    for scene in request.scenes:
        starts.append(round(t, 3))
        t += scene.duration_s
    return starts


def total_duration(request: CloudRenderRequest) -> float:
    return round(sum(scene.duration_s for scene in request.scenes), 3)


def caption_font_size(request: CloudRenderRequest) -> int:
    """About 1/20 of the frame's short side: readable on a phone, fits two lines."""
    return max(24, round(min(request.width, request.height) / 20))


class _RenderProvider(HttpProvider):
    def _job(
        self,
        *,
        job_id: str,
        status: JobStatus,
        raw: dict[str, Any],
        output_url: str | None = None,
        error: str | None = None,
    ) -> CloudRenderJob:
        return CloudRenderJob.of(
            provider=self.name,
            job_id=job_id,
            status=status,
            raw=raw,
            output_url=output_url,
            error=error,
        )


# --------------------------------------------------------------------------- Creatomate

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


class CreatomateRender(_RenderProvider):
    """Creatomate: `POST /v1/renders` with a RenderScript `source`, then
    `GET /v1/renders/{id}`. Bearer project API key."""

    name = "creatomate"
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


# --------------------------------------------------------------------------- Shotstack

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


class ShotstackRender(_RenderProvider):
    """Shotstack Edit API: `POST /edit/{env}/render`, then `GET /edit/{env}/render/{id}`.

    Header `x-api-key`. `environment` is `v1` (production) or `stage` (free,
    watermarked sandbox); each has its own key.
    """

    name = "shotstack"
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
