"""Create-screen choices over a template's config, validated as a template config is."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from synthora.errors import ValidationFailed
from synthora.services.videos import CHOICE_PATHS, VideoChoices, apply_choices
from synthora.templates.config import (
    AspectRatio,
    DurationRange,
    MusicMood,
    TemplateConfig,
    VideoStructure,
    VoiceGender,
    VoiceTone,
)


def _template(num_scenes: int = 8, low: int = 30, high: int = 60) -> TemplateConfig:
    return TemplateConfig(
        video_structure=VideoStructure(
            num_scenes=num_scenes, duration=DurationRange(min_seconds=low, max_seconds=high)
        )
    )


def test_no_choices_keep_the_template() -> None:
    template = _template()
    assert apply_choices(template, None) is template
    assert apply_choices(template, VideoChoices()) is template


def test_every_choice_lands_on_its_config_field_and_the_template_is_untouched() -> None:
    template = _template()
    before = template.model_dump(mode="json")
    choices = VideoChoices(
        aspect_ratio=AspectRatio.LANDSCAPE, min_seconds=40, max_seconds=50,
        voice_gender=VoiceGender.FEMALE, voice_tone=VoiceTone.CALM, voice_speed=1.25,
        music_mood=MusicMood.NONE,
    )  # fmt: skip
    config = apply_choices(template, choices)
    assert config.visual_style.aspect_ratio == AspectRatio.LANDSCAPE
    assert (
        config.video_structure.duration.min_seconds,
        config.video_structure.duration.max_seconds,
    ) == (40, 50)
    assert config.audio.voice_gender == VoiceGender.FEMALE
    assert config.audio.voice_tone == VoiceTone.CALM
    assert config.audio.voice_speed == 1.25
    assert config.audio.music_mood == MusicMood.NONE
    assert config.video_structure.num_scenes == 8, "8 scenes fit in 50 s"
    assert template.model_dump(mode="json") == before
    assert set(CHOICE_PATHS) == set(VideoChoices.model_fields)


def test_a_shorter_length_reduces_the_scenes_to_fit() -> None:
    config = apply_choices(_template(num_scenes=8), VideoChoices(min_seconds=10, max_seconds=12))
    assert config.video_structure.num_scenes == 6  # 2 s a scene at least
    unchanged = apply_choices(_template(num_scenes=8), VideoChoices(voice_speed=1.5))
    assert unchanged.video_structure.num_scenes == 8


def test_a_minimum_above_the_maximum_is_422_naming_the_choice_in_plain_words() -> None:
    with pytest.raises(ValidationFailed) as info:
        apply_choices(_template(low=30, high=60), VideoChoices(min_seconds=120))
    exc = info.value
    assert exc.status == 422 and exc.code == "invalid_video_choices"
    assert exc.details == [
        {
            "field": "body.choices.min_seconds",
            "message": "The shortest length (120 s) is longer than the longest (60 s): "
            "lower the shortest or raise the longest.",
            "allowed": None,
            "min": 5.0,
            "max": 60.0,
        }
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("voice_speed", 2.5),
        ("voice_speed", 0.1),
        ("min_seconds", 2),
        ("max_seconds", 601),
        ("aspect_ratio", "4:3"),
        ("voice_tone", "sarcastic"),
        ("music_mood", "sad"),
        ("palette", "#FFFFFF"),
    ],
)
def test_choices_have_the_template_fields_bounds(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as info:
        VideoChoices.model_validate({field: value})
    assert info.value.errors()[0]["loc"] == (field,)
