"""Input and output models of the offline render engine.

These models are the engine's own boundary: the pipeline maps a template's
config onto them, so the engine never depends on templates or storage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

AspectRatio = Literal["9:16", "16:9", "1:1"]
CaptionStyle = Literal["karaoke", "bold_pop", "minimal", "boxed", "none"]
CaptionPosition = Literal["top", "center", "bottom"]
Transition = Literal["fade", "slide", "zoom", "wipe", "dissolve", "none"]
Motion = Literal["ken_burns", "pan", "static"]
MusicMood = Literal["upbeat", "calm", "dramatic", "inspiring", "energetic", "none"]
Gender = Literal["male", "female", "neutral"]

#: Full-size output resolution (width, height) per aspect ratio.
RESOLUTIONS: dict[str, tuple[int, int]] = {
    "9:16": (1080, 1920),
    "16:9": (1920, 1080),
    "1:1": (1080, 1080),
}

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WordTiming(_Model):
    """One spoken word and when it is heard, in seconds from the audio's start."""

    word: str = Field(min_length=1)
    start_s: float = Field(ge=0)
    end_s: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> WordTiming:
        if self.end_s < self.start_s:
            raise ValueError(f"word {self.word!r} ends ({self.end_s}) before it starts")
        return self


class VoiceSpec(_Model):
    """What voice to speak with; engines map it onto what they have."""

    gender: Gender = "neutral"
    tone: str = Field(default="neutral", max_length=40)
    speed: float = Field(default=1.0, ge=0.5, le=2.0)
    language: str = Field(default="en", min_length=2, max_length=10)


class SynthesizedSpeech(_Model):
    """An audio file of speech and the timing of each word in it."""

    audio_path: Path
    duration_s: float = Field(gt=0)
    words: list[WordTiming]
    sample_rate: int = Field(gt=0)
    provider: str
    voice_id: str


class SceneSpec(_Model):
    """One scene: what is said, shown, and for how long (at least)."""

    narration: str = ""
    on_screen_text: str = ""
    keywords: list[str] = Field(default_factory=list)
    duration_s: float = Field(gt=0, le=600)
    icon: str | None = Field(
        default=None, description="Emoji name (e.g. 'rocket') or keyword; None picks by keywords."
    )


class RenderStyle(_Model):
    """How the video looks and sounds."""

    aspect_ratio: AspectRatio = "9:16"
    fps: int = Field(default=30, ge=10, le=60)
    palette: list[str] = Field(default_factory=lambda: ["#1E1B4B", "#7C3AED", "#F472B6"])
    font_family: str = "Inter"
    caption_style: CaptionStyle = "karaoke"
    caption_position: CaptionPosition = "bottom"
    transition: Transition = "fade"
    transition_s: float = Field(default=0.5, ge=0.1, le=2.0)
    motion: Motion = "ken_burns"
    hook_overlay: str | None = Field(default=None, max_length=120)
    hook_duration_s: float = Field(default=2.5, gt=0, le=10)
    music_mood: MusicMood = "upbeat"
    music_volume: float = Field(default=0.25, ge=0.0, le=1.0)
    encoder_preset: Literal[
        "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow"
    ] = "veryfast"
    crf: int = Field(default=23, ge=0, le=51)

    @field_validator("palette")
    @classmethod
    def _hex_colours(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("palette needs at least one colour")
        bad = [c for c in value if not _HEX.match(c)]
        if bad:
            raise ValueError(f"palette colours must be '#RRGGBB', got {bad}")
        return [c.upper() for c in value]


class MusicTrack(_Model):
    """A music file with where it came from and under which licence."""

    path: Path
    mood: str
    title: str
    licence: str
    attribution: str
    source: str


class RenderRequest(_Model):
    """Everything one render needs; paths are local files."""

    scenes: list[SceneSpec] = Field(min_length=1, max_length=50)
    style: RenderStyle = Field(default_factory=RenderStyle)
    scene_speech: Sequence[SynthesizedSpeech | None] | None = Field(
        default=None, description="Speech per scene, word times relative to the scene start."
    )
    speech: SynthesizedSpeech | None = Field(
        default=None, description="One speech track for the whole video (global word times)."
    )
    backgrounds: Sequence[Path | None] | None = Field(
        default=None, description="Image or video per scene; None generates one from the palette."
    )
    music: MusicTrack | None = None
    output_path: Path
    scale: float = Field(default=1.0, gt=0.05, le=1.0, description="Shrink for tests/previews.")
    seed: int = 0

    @model_validator(mode="after")
    def _consistent(self) -> RenderRequest:
        n = len(self.scenes)
        if self.scene_speech is not None and len(self.scene_speech) != n:
            raise ValueError(f"scene_speech has {len(self.scene_speech)} items for {n} scenes")
        if self.backgrounds is not None and len(self.backgrounds) != n:
            raise ValueError(f"backgrounds has {len(self.backgrounds)} items for {n} scenes")
        if self.scene_speech is not None and self.speech is not None:
            raise ValueError("give either scene_speech or speech, not both")
        return self

    def size(self) -> tuple[int, int]:
        """Output width and height: the aspect ratio's resolution times `scale`, even."""
        width, height = RESOLUTIONS[self.style.aspect_ratio]
        return _even(width * self.scale), _even(height * self.scale)


def _even(value: float) -> int:
    # x264 with yuv420p needs even dimensions.
    return max(2, round(value / 2) * 2)


class StreamInfo(_Model):
    index: int
    codec_type: str
    codec_name: str | None = None
    width: int | None = None
    height: int | None = None
    sample_rate: int | None = None


class ProbeResult(_Model):
    """What ffprobe says about a media file."""

    duration_s: float
    width: int | None
    height: int | None
    streams: list[StreamInfo]

    @property
    def has_audio(self) -> bool:
        return any(s.codec_type == "audio" for s in self.streams)


class RenderResult(_Model):
    """The rendered file and what producing it cost."""

    path: Path
    duration_s: float
    width: int
    height: int
    has_audio: bool
    ffmpeg_seconds: float = Field(description="Wall time of the ffmpeg render process.")
    peak_rss_bytes: int = Field(description="Peak resident memory of the ffmpeg child.")
    ffmpeg_cpu_seconds: float = Field(default=0.0, description="CPU time of the render process.")
    music: MusicTrack | None = None
    icons: list[str] = Field(default_factory=list, description="Icon source per scene.")
