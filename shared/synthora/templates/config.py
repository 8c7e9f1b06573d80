"""The template config: everything a template decides about the video it makes.

A template's `config` is stored as `TemplateConfig.model_dump(mode="json")` and
snapshotted onto every video, so these models are the contract between the
template editor, the API (422 details come from `validation.py`) and every
pipeline step (script, voice, media, assembly). Every enum member is meant to
change something downstream; values that no step acts on do not belong here.

All models forbid unknown keys: a typo in a field name must be a clear 422,
not a silently ignored setting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

# --------------------------------------------------------------------------- enums


class TemplateCategory(StrEnum):
    """What kind of video a template makes (same values as the templates service)."""

    VIRAL = "viral"
    EDUCATIONAL = "educational"
    PRODUCT = "product"
    STORYTELLING = "storytelling"
    TRENDING = "trending"
    OTHER = "other"


class TargetPlatform(StrEnum):
    """Where the video is meant to be posted."""

    YOUTUBE = "youtube"
    TIKTOK = "tiktok"
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"


class HookStyle(StrEnum):
    """How the first seconds grab attention."""

    QUESTION = "question"
    BOLD_CLAIM = "bold_claim"
    STATISTIC = "statistic"
    STORY_OPENER = "story_opener"
    CHALLENGE = "challenge"
    CONTROVERSY = "controversy"
    PROMISE = "promise"


class NarrativeStructure(StrEnum):
    """How the body of the script is organised."""

    PROBLEM_SOLUTION = "problem_solution"
    LISTICLE = "listicle"
    STORY_ARC = "story_arc"
    HOW_TO = "how_to"
    COMPARISON = "comparison"
    DEMO = "demo"
    CHALLENGE_STEPS = "challenge_steps"


class Pacing(StrEnum):
    """Cut rhythm; the assembler shortens or lengthens transitions accordingly."""

    FAST = "fast"
    MEDIUM = "medium"
    SLOW = "slow"


class AspectRatio(StrEnum):
    """Output frame; only ratios the render engine has resolutions for."""

    PORTRAIT = "9:16"
    LANDSCAPE = "16:9"
    SQUARE = "1:1"


class VisualAesthetic(StrEnum):
    """The look of the visuals: drives stock search terms and generated backgrounds."""

    BOLD = "bold"
    MINIMAL = "minimal"
    CINEMATIC = "cinematic"
    CLEAN_PROFESSIONAL = "clean_professional"
    VIBRANT = "vibrant"
    WARM = "warm"
    RETRO = "retro"
    DARK_MOODY = "dark_moody"


class Transition(StrEnum):
    """How one scene gives way to the next."""

    FADE = "fade"
    SLIDE = "slide"
    ZOOM = "zoom"
    WIPE = "wipe"
    DISSOLVE = "dissolve"
    NONE = "none"


class CameraMotion(StrEnum):
    """Movement applied to still images."""

    KEN_BURNS = "ken_burns"
    PAN = "pan"
    STATIC = "static"


class CaptionStyle(StrEnum):
    """How the spoken words appear on screen."""

    KARAOKE = "karaoke"
    BOLD_POP = "bold_pop"
    MINIMAL = "minimal"
    BOXED = "boxed"
    NONE = "none"


class FontStyle(StrEnum):
    """Weight and character of caption and overlay text."""

    BOLD_SANS = "bold_sans"
    CLEAN_SANS = "clean_sans"
    SERIF = "serif"
    HANDWRITTEN = "handwritten"
    CONDENSED = "condensed"


class TextPosition(StrEnum):
    """Where captions sit in the frame."""

    TOP = "top"
    CENTER = "center"
    BOTTOM = "bottom"


class VoiceGender(StrEnum):
    MALE = "male"
    FEMALE = "female"
    NEUTRAL = "neutral"


class VoiceTone(StrEnum):
    """Delivery of the voiceover; voice providers map it onto their voices."""

    ENERGETIC = "energetic"
    FRIENDLY = "friendly"
    PROFESSIONAL = "professional"
    CALM = "calm"
    DRAMATIC = "dramatic"
    WARM = "warm"
    AUTHORITATIVE = "authoritative"


class MusicMood(StrEnum):
    UPBEAT = "upbeat"
    CALM = "calm"
    DRAMATIC = "dramatic"
    INSPIRING = "inspiring"
    ENERGETIC = "energetic"
    NONE = "none"


class CtaType(StrEnum):
    """What the closing line asks the viewer to do."""

    FOLLOW = "follow"
    LIKE = "like"
    COMMENT = "comment"
    SHARE = "share"
    SUBSCRIBE = "subscribe"
    VISIT_LINK = "visit_link"
    SHOP = "shop"
    TRY_IT = "try_it"
    NONE = "none"


class ThumbnailStyle(StrEnum):
    """How the thumbnail frame is chosen and decorated."""

    BOLD_TEXT = "bold_text"
    FACE_CLOSEUP = "face_closeup"
    PRODUCT_HERO = "product_hero"
    MINIMAL = "minimal"
    CINEMATIC_FRAME = "cinematic_frame"
    FIRST_FRAME = "first_frame"


# --------------------------------------------------------------------------- bounds

MIN_SCENES, MAX_SCENES = 1, 20
MIN_DURATION_S, MAX_DURATION_S = 5, 600
#: Shortest time a scene can carry a spoken line and a visual (cross-field check).
MIN_SECONDS_PER_SCENE = 2.0
MIN_VOICE_SPEED, MAX_VOICE_SPEED = 0.5, 2.0
MAX_HASHTAGS = 30
MAX_TAGS = 20

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_HASHTAG = re.compile(r"^#[A-Za-z0-9_]{1,50}$")

Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False, validate_assignment=True)


# --------------------------------------------------------------------------- sections


class DurationRange(_Section):
    """Target length of the finished video, in whole seconds."""

    min_seconds: int = Field(default=15, ge=MIN_DURATION_S, le=MAX_DURATION_S)
    max_seconds: int = Field(default=60, ge=MIN_DURATION_S, le=MAX_DURATION_S)

    @property
    def target_seconds(self) -> float:
        """The length a writer should aim for: the middle of the range."""
        return (self.min_seconds + self.max_seconds) / 2


class VideoStructure(_Section):
    hook_style: HookStyle = HookStyle.QUESTION
    narrative_structure: NarrativeStructure = NarrativeStructure.PROBLEM_SOLUTION
    num_scenes: int = Field(default=5, ge=MIN_SCENES, le=MAX_SCENES)
    duration: DurationRange = Field(default_factory=DurationRange)
    pacing: Pacing = Pacing.MEDIUM


class ColorPalette(_Section):
    """Five `#RRGGBB` colours; stored upper-case so equal palettes compare equal."""

    primary: str = "#7C3AED"
    secondary: str = "#1E1B4B"
    accent: str = "#F472B6"
    background: str = "#0F0A1F"
    text: str = "#FFFFFF"

    @field_validator("primary", "secondary", "accent", "background", "text")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not _HEX.match(value.strip()):
            raise ValueError(f"must be a hex colour like #1A2B3C, got {value!r}")
        return value.strip().upper()


class VisualStyle(_Section):
    aspect_ratio: AspectRatio = AspectRatio.PORTRAIT
    color_palette: ColorPalette = Field(default_factory=ColorPalette)
    visual_aesthetic: VisualAesthetic = VisualAesthetic.BOLD
    transitions: Transition = Transition.FADE
    camera_motion: CameraMotion = CameraMotion.KEN_BURNS


class TextStyle(_Section):
    caption_style: CaptionStyle = CaptionStyle.KARAOKE
    font_style: FontStyle = FontStyle.BOLD_SANS
    font_family: str = Field(
        default="Inter", min_length=1, max_length=60, pattern=r"^[A-Za-z0-9 \-]+$"
    )
    text_position: TextPosition = TextPosition.BOTTOM
    hook_text_overlay: bool = Field(
        default=True, description="Show the hook line as a title over the first seconds."
    )


class AudioStyle(_Section):
    voice_gender: VoiceGender = VoiceGender.NEUTRAL
    voice_tone: VoiceTone = VoiceTone.FRIENDLY
    voice_speed: float = Field(default=1.0, ge=MIN_VOICE_SPEED, le=MAX_VOICE_SPEED)
    music_mood: MusicMood = MusicMood.UPBEAT
    music_volume: float = Field(default=0.25, ge=0.0, le=1.0)
    sound_effects: bool = Field(default=False, description="Whooshes on transitions.")


class ScriptStyle(_Section):
    script_structure_prompt: str = Field(
        default="",
        max_length=2000,
        description="Extra structure guidance for AI writers (ignored by the offline writer).",
    )
    tone_instructions: str = Field(default="", max_length=1000)
    cta_type: CtaType = CtaType.FOLLOW
    cta_text: str = Field(
        default="", max_length=150, description="Exact closing line; empty lets the writer choose."
    )

    @field_validator("script_structure_prompt", "tone_instructions", "cta_text")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class PlatformStyle(_Section):
    thumbnail_style: ThumbnailStyle = ThumbnailStyle.BOLD_TEXT
    suggested_hashtags: list[str] = Field(default_factory=list, max_length=MAX_HASHTAGS)
    target_platforms: list[TargetPlatform] = Field(
        default_factory=lambda: [TargetPlatform.TIKTOK], min_length=1, max_length=4
    )

    @field_validator("suggested_hashtags", mode="before")
    @classmethod
    def _hashtags(cls, value: object) -> object:
        """Accept `tag` or `#tag`; store `#tag`, de-duplicated case-insensitively."""
        if not isinstance(value, list):
            return value
        out: list[str] = []
        seen: set[str] = set()
        for i, raw in enumerate(value):
            if not isinstance(raw, str):
                raise ValueError(f"item {i} must be a string")
            tag = raw.strip()
            tag = tag if tag.startswith("#") else f"#{tag}"
            if not _HASHTAG.match(tag):
                raise ValueError(
                    f"item {i} ({raw!r}) must be letters, digits or _ (1-50), optionally after #"
                )
            if tag.lower() not in seen:
                seen.add(tag.lower())
                out.append(tag)
        return out

    @field_validator("target_platforms")
    @classmethod
    def _unique(cls, value: list[TargetPlatform]) -> list[TargetPlatform]:
        return list(dict.fromkeys(value))


class TemplateConfig(_Section):
    """The full config of a template (spec 7.2)."""

    video_structure: VideoStructure = Field(default_factory=VideoStructure)
    visual_style: VisualStyle = Field(default_factory=VisualStyle)
    text_style: TextStyle = Field(default_factory=TextStyle)
    audio: AudioStyle = Field(default_factory=AudioStyle)
    script: ScriptStyle = Field(default_factory=ScriptStyle)
    platform: PlatformStyle = Field(default_factory=PlatformStyle)

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> TemplateConfig:
        # `validate_template_config` runs these checks itself to report each one
        # with its field path and bounds; everyone else gets them here.
        if (info.context or {}).get(SKIP_CROSS_FIELD):
            return self
        problems = cross_field_problems(self)
        if problems:
            raise ValueError("; ".join(f"{p.field}: {p.message}" for p in problems))
        return self

    @property
    def seconds_per_scene(self) -> float:
        """Average scene length at the target duration."""
        vs = self.video_structure
        return vs.duration.target_seconds / vs.num_scenes


@dataclass(frozen=True)
class CrossFieldProblem:
    """A rule that involves more than one field, broken."""

    field: str
    message: str
    min: float | None = None
    max: float | None = None


#: Validation-context key that defers the cross-field checks to the caller.
SKIP_CROSS_FIELD = "skip_cross_field_checks"


def cross_field_problems(config: TemplateConfig) -> list[CrossFieldProblem]:
    """Rules between fields: duration range order, enough seconds per scene."""
    problems: list[CrossFieldProblem] = []
    vs = config.video_structure
    d = vs.duration
    if d.min_seconds > d.max_seconds:
        problems.append(
            CrossFieldProblem(
                field="video_structure.duration.min_seconds",
                message=(
                    f"The shortest length ({d.min_seconds} s) is longer than the longest "
                    f"({d.max_seconds} s): lower the shortest or raise the longest."
                ),
                min=MIN_DURATION_S,
                max=d.max_seconds,
            )
        )
    # Scenes need room for a spoken line and a cut; judge by the longest
    # allowed video so that a wide range is not refused for its short end.
    most_scenes = int(d.max_seconds // MIN_SECONDS_PER_SCENE)
    if vs.num_scenes > most_scenes:
        problems.append(
            CrossFieldProblem(
                field="video_structure.num_scenes",
                message=(
                    f"{vs.num_scenes} scenes do not fit in a {d.max_seconds}-second video: "
                    f"each scene needs at least {MIN_SECONDS_PER_SCENE:g} seconds, so use at "
                    f"most {most_scenes} scenes or a longer video."
                ),
                min=MIN_SCENES,
                max=max(MIN_SCENES, most_scenes),
            )
        )
    return problems


class TemplateMetadata(BaseModel):
    """What a template is, as shown in the gallery (the config says what it does)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=80)
    description: str = Field(default="", max_length=500)
    category: TemplateCategory = TemplateCategory.OTHER
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    is_public: bool = False

    @field_validator("name", "description")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(t.lower() for t in value))


__all__ = [
    "SKIP_CROSS_FIELD",
    "AspectRatio",
    "AudioStyle",
    "CameraMotion",
    "CaptionStyle",
    "ColorPalette",
    "CrossFieldProblem",
    "CtaType",
    "DurationRange",
    "FontStyle",
    "HookStyle",
    "MusicMood",
    "NarrativeStructure",
    "Pacing",
    "PlatformStyle",
    "ScriptStyle",
    "TargetPlatform",
    "TemplateCategory",
    "TemplateConfig",
    "TemplateMetadata",
    "TextPosition",
    "TextStyle",
    "ThumbnailStyle",
    "Transition",
    "VideoStructure",
    "VisualAesthetic",
    "VisualStyle",
    "VoiceGender",
    "VoiceTone",
    "cross_field_problems",
]
