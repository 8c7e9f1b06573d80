"""The script every writer returns and every later pipeline step reads.

Scene narrations are what the voice step speaks, in order; the hook is spoken
as the start of the first scene and the CTA as the end of the last, and both
are also kept apart so the assembler can overlay them as text.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: Speaking rate of a typical voiceover at speed 1.0.
WORDS_PER_SECOND = 2.5
#: Breath between sentences, added once per sentence end.
SENTENCE_PAUSE_S = 0.25
#: Tolerance when checking that the scene durations add up to the total.
_SUM_TOLERANCE_S = 0.05

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019\-]*")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_HASHTAG = re.compile(r"^#[A-Za-z0-9_]{1,50}$")


def count_words(text: str) -> int:
    """Spoken words in `text` (punctuation and symbols do not count)."""
    return len(_WORD.findall(text))


def estimate_narration_seconds(text: str, *, voice_speed: float = 1.0) -> float:
    """How long `text` takes to say: ~2.5 words/s at speed 1.0, plus sentence pauses."""
    if not 0.1 <= voice_speed <= 4.0:
        raise ValueError(f"voice_speed must be between 0.1 and 4.0, got {voice_speed}")
    words = count_words(text)
    if words == 0:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text.strip())))
    return words / (WORDS_PER_SECOND * voice_speed) + sentences * SENTENCE_PAUSE_S / voice_speed


class ScriptScene(BaseModel):
    """One scene: what is said, what is shown, for how long."""

    model_config = ConfigDict(extra="forbid")

    index: int = Field(ge=0, description="Position, from 0.")
    narration: str = Field(min_length=1, max_length=2000)
    on_screen_text: str = Field(default="", max_length=120)
    visual_keywords: list[str] = Field(default_factory=list, max_length=10)
    duration_s: float = Field(gt=0, le=600)
    emphasis_words: list[str] = Field(default_factory=list, max_length=10)

    @field_validator("narration")
    @classmethod
    def _spoken(cls, value: str) -> str:
        value = " ".join(value.split())
        if count_words(value) == 0:
            raise ValueError("narration must contain words to speak")
        return value

    @field_validator("visual_keywords", "emphasis_words")
    @classmethod
    def _clean(cls, value: list[str]) -> list[str]:
        out: list[str] = []
        for item in value:
            item = " ".join(item.split())[:60]
            if item and item.lower() not in (o.lower() for o in out):
                out.append(item)
        return out


class Script(BaseModel):
    """A complete video script."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=120)
    hook: str = Field(min_length=1, max_length=300)
    scenes: list[ScriptScene] = Field(min_length=1, max_length=30)
    cta: str = Field(default="", max_length=300, description="Closing ask; empty when none.")
    hashtags: list[str] = Field(default_factory=list, max_length=30)
    description: str = Field(default="", max_length=2000)
    total_duration_s: float = Field(gt=0, le=1200)

    @field_validator("hashtags")
    @classmethod
    def _hashtags(cls, value: list[str]) -> list[str]:
        out: list[str] = []
        for tag in value:
            tag = tag.strip()
            tag = tag if tag.startswith("#") else f"#{tag}"
            if not _HASHTAG.match(tag):
                raise ValueError(f"hashtag {tag!r} must be # then 1-50 letters, digits or _")
            if tag.lower() not in (o.lower() for o in out):
                out.append(tag)
        return out

    @model_validator(mode="after")
    def _consistent(self) -> Script:
        indexes = [s.index for s in self.scenes]
        if indexes != list(range(len(self.scenes))):
            raise ValueError(f"scene indexes must be 0..{len(self.scenes) - 1} in order")
        total = sum(s.duration_s for s in self.scenes)
        if abs(total - self.total_duration_s) > _SUM_TOLERANCE_S:
            raise ValueError(
                f"total_duration_s ({self.total_duration_s}) must equal the sum of "
                f"scene durations ({round(total, 2)})"
            )
        return self

    @property
    def narration(self) -> str:
        """Everything that is spoken, in order."""
        return " ".join(s.narration for s in self.scenes)


__all__ = [
    "SENTENCE_PAUSE_S",
    "WORDS_PER_SECOND",
    "Script",
    "ScriptScene",
    "count_words",
    "estimate_narration_seconds",
]
