"""What each pipeline step's providers take and return.

Every step has one interface and several providers (the user's integrations,
plus an offline provider). Providers raise `synthora.providers.errors.ProviderError`
with the provider's full error payload; `error.transient` decides whether the
step is retried by the queue or fails at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, Self

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from synthora.script.models import Script
    from synthora.templates.config import TemplateConfig

Orientation = Literal["portrait", "landscape", "square"]
AspectRatio = Literal["9:16", "16:9", "1:1"]


def orientation_for(aspect_ratio: str) -> Orientation:
    return {"9:16": "portrait", "16:9": "landscape"}.get(aspect_ratio, "square")  # type: ignore[return-value]


# --------------------------------------------------------------------------- voice


class Word(BaseModel):
    """One spoken word and when it is heard, in seconds from the start of the audio."""

    word: str
    start_s: float = Field(ge=0)
    end_s: float = Field(ge=0)


class VoiceRequest(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)
    gender: Literal["male", "female", "neutral"] = "neutral"
    tone: str = "friendly"
    speed: float = Field(default=1.0, ge=0.5, le=2.0)
    language: str = "en"


class VoiceResult(BaseModel):
    audio_path: Path
    format: Literal["mp3", "wav", "m4a", "aac", "opus"]
    duration_s: float
    words: list[Word]
    provider: str
    voice_id: str


class VoiceProvider(Protocol):
    name: str

    def synthesize(self, *, request: VoiceRequest, out_dir: Path) -> VoiceResult: ...


# --------------------------------------------------------------------------- media


class MediaRequest(BaseModel):
    keywords: list[str] = Field(min_length=1, max_length=10)
    orientation: Orientation = "portrait"
    min_duration_s: float = Field(default=3.0, ge=0)
    prefer_video: bool = True
    seed: int = 0  # picks deterministically among equally good results


class Attribution(BaseModel):
    author: str | None = None
    author_url: str | None = None
    source_url: str | None = None
    license: str


class MediaAsset(BaseModel):
    kind: Literal["image", "video"]
    path: Path
    width: int
    height: int
    duration_s: float | None = None
    provider: str
    attribution: Attribution


class MediaProvider(Protocol):
    name: str

    def fetch(self, *, request: MediaRequest, out_dir: Path) -> MediaAsset: ...


# --------------------------------------------------------------------------- video AI


class VideoAIRequest(BaseModel):
    prompt: str = Field(min_length=1, max_length=2000)
    duration_s: float = Field(default=5, gt=0, le=20)
    aspect_ratio: AspectRatio = "9:16"
    image_url: str | None = None  # image-to-video, when the provider supports it


JobStatus = Literal["queued", "running", "succeeded", "failed"]


class ProviderJob(BaseModel):
    """An asynchronous provider job, as polled: the output only once it succeeded."""

    provider: str
    job_id: str
    status: JobStatus
    output_url: str | None = None
    error: str | None = None
    raw: dict[str, object] = Field(default_factory=dict)

    @classmethod
    def of(
        cls,
        *,
        provider: str,
        job_id: str,
        status: JobStatus,
        raw: dict[str, Any],
        output_url: str | None = None,
        error: str | None = None,
    ) -> Self:
        """Keep the URL only for a finished job and the error only for a failed one."""
        return cls(
            provider=provider,
            job_id=job_id,
            status=status,
            output_url=output_url if status == "succeeded" else None,
            error=error if status == "failed" else None,
            raw=raw,
        )


class VideoAIJob(ProviderJob):
    """A video AI generation."""


class VideoAIProvider(Protocol):
    """Submit, then poll from a delayed task: never sleep inside a function."""

    name: str

    def submit(self, *, request: VideoAIRequest) -> VideoAIJob: ...

    def poll(self, *, job_id: str) -> VideoAIJob: ...

    def download(self, *, job: VideoAIJob, out_path: Path) -> Path: ...


# --------------------------------------------------------------------------- cloud assembly


class CloudRenderScene(BaseModel):
    media_url: str
    media_kind: Literal["image", "video"]
    duration_s: float
    caption: str


class CloudRenderRequest(BaseModel):
    scenes: list[CloudRenderScene] = Field(min_length=1)
    voice_url: str
    music_url: str | None = None
    width: int
    height: int
    fps: int = 30
    font_family: str = "Inter"
    caption_color: str = "#FFFFFF"
    highlight_color: str = "#22D3EE"


class CloudRenderJob(ProviderJob):
    """A cloud render."""


class CloudAssemblyProvider(Protocol):
    """Creatomate, Shotstack: render from public media URLs, then poll."""

    name: str

    def submit(self, *, request: CloudRenderRequest) -> CloudRenderJob: ...

    def poll(self, *, job_id: str) -> CloudRenderJob: ...


# --------------------------------------------------------------------------- script


class ScriptWriter(Protocol):
    """Writes the video's script from the topic and the template (OpenAI)."""

    def write(
        self, *, topic: str, config: TemplateConfig, instructions: str | None = None
    ) -> Script: ...
