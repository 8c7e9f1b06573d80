"""Template config validation: field paths, allowed values, ranges, cross-field rules."""

from __future__ import annotations

import enum
from typing import Any

import pytest

from synthora.templates import config as cfg
from synthora.templates.config import TemplateConfig
from synthora.templates.validation import TemplateValidationError, validate_template_config

# Every enum field of the config, by its path: (section, field, enum).
ENUM_FIELDS: list[tuple[str, str, type[enum.Enum]]] = [
    ("video_structure", "hook_style", cfg.HookStyle),
    ("video_structure", "narrative_structure", cfg.NarrativeStructure),
    ("video_structure", "pacing", cfg.Pacing),
    ("visual_style", "aspect_ratio", cfg.AspectRatio),
    ("visual_style", "visual_aesthetic", cfg.VisualAesthetic),
    ("visual_style", "transitions", cfg.Transition),
    ("visual_style", "camera_motion", cfg.CameraMotion),
    ("text_style", "caption_style", cfg.CaptionStyle),
    ("text_style", "font_style", cfg.FontStyle),
    ("text_style", "text_position", cfg.TextPosition),
    ("audio", "voice_gender", cfg.VoiceGender),
    ("audio", "voice_tone", cfg.VoiceTone),
    ("audio", "music_mood", cfg.MusicMood),
    ("script", "cta_type", cfg.CtaType),
    ("platform", "thumbnail_style", cfg.ThumbnailStyle),
]


def _errors(data: dict[str, Any]) -> list[dict[str, Any]]:
    with pytest.raises(TemplateValidationError) as info:
        validate_template_config(data)
    return info.value.details()


def _one(data: dict[str, Any], field: str) -> dict[str, Any]:
    matches = [e for e in _errors(data) if e["field"] == field]
    assert len(matches) == 1, _errors(data)
    return matches[0]


def test_empty_config_gets_defaults() -> None:
    config = validate_template_config({})
    assert config == TemplateConfig()
    assert config.audio.voice_speed == 1.0


def test_round_trip_through_json() -> None:
    config = validate_template_config({"audio": {"voice_speed": 1.3}})
    again = validate_template_config(config.model_dump(mode="json"))
    assert again == config


@pytest.mark.parametrize(("section", "name", "kind"), ENUM_FIELDS)
def test_every_enum_names_path_and_allowed_values(
    section: str, name: str, kind: type[enum.Enum]
) -> None:
    err = _one({section: {name: "definitely-not-valid"}}, f"{section}.{name}")
    assert err["allowed"] == [m.value for m in kind]
    assert "must be one of" in err["message"]


@pytest.mark.parametrize(("section", "name", "kind"), ENUM_FIELDS)
def test_every_enum_accepts_each_member(section: str, name: str, kind: type[enum.Enum]) -> None:
    for member in kind:
        config = validate_template_config({section: {name: member.value}})
        assert getattr(getattr(config, section), name) == member


def test_target_platform_item_path() -> None:
    err = _one(
        {"platform": {"target_platforms": ["tiktok", "myspace"]}}, "platform.target_platforms.1"
    )
    assert err["allowed"] == ["youtube", "tiktok", "instagram", "facebook"]


def test_caption_style_members_drive_the_renderer() -> None:
    assert {m.value for m in cfg.CaptionStyle} == {
        "karaoke",
        "bold_pop",
        "minimal",
        "boxed",
        "none",
    }
    assert {m.value for m in cfg.Transition} == {
        "fade",
        "slide",
        "zoom",
        "wipe",
        "dissolve",
        "none",
    }
    assert {m.value for m in cfg.MusicMood} == {
        "upbeat",
        "calm",
        "dramatic",
        "inspiring",
        "energetic",
        "none",
    }


@pytest.mark.parametrize("speed", [0.49, 2.01, -1, 10])
def test_voice_speed_range(speed: float) -> None:
    err = _one({"audio": {"voice_speed": speed}}, "audio.voice_speed")
    assert (err["min"], err["max"]) == (0.5, 2.0)
    assert err["allowed"] is None


@pytest.mark.parametrize("speed", [0.5, 1.0, 2.0])
def test_voice_speed_bounds_inclusive(speed: float) -> None:
    assert validate_template_config({"audio": {"voice_speed": speed}}).audio.voice_speed == speed


@pytest.mark.parametrize("scenes", [0, 21])
def test_num_scenes_range(scenes: int) -> None:
    err = _one({"video_structure": {"num_scenes": scenes}}, "video_structure.num_scenes")
    assert (err["min"], err["max"]) == (1, 20)


def test_duration_range_bounds() -> None:
    err = _one(
        {"video_structure": {"duration": {"min_seconds": 2}}},
        "video_structure.duration.min_seconds",
    )
    assert (err["min"], err["max"]) == (5, 600)


def test_wrong_type_is_reported() -> None:
    err = _one({"video_structure": {"num_scenes": "many"}}, "video_structure.num_scenes")
    assert "integer" in err["message"]


@pytest.mark.parametrize(
    ("section", "name", "limit"),
    [
        ("script", "script_structure_prompt", 2000),
        ("script", "tone_instructions", 1000),
        ("script", "cta_text", 150),
        ("text_style", "font_family", 60),
    ],
)
def test_oversized_strings(section: str, name: str, limit: int) -> None:
    err = _one({section: {name: "a" * (limit + 1)}}, f"{section}.{name}")
    assert err["max"] == limit


def test_too_many_hashtags() -> None:
    tags = [f"tag{i}" for i in range(31)]
    err = _one({"platform": {"suggested_hashtags": tags}}, "platform.suggested_hashtags")
    assert err["max"] == 30


@pytest.mark.parametrize("bad", ["two words", "#", "#émoji", "#" + "a" * 51, "#a-b"])
def test_hashtag_format(bad: str) -> None:
    err = _one({"platform": {"suggested_hashtags": ["ok", bad]}}, "platform.suggested_hashtags")
    assert "item 1" in err["message"]


def test_hashtags_normalised_and_deduplicated() -> None:
    config = validate_template_config(
        {"platform": {"suggested_hashtags": ["Tips", "#tips", "#Go_2"]}}
    )
    assert config.platform.suggested_hashtags == ["#Tips", "#Go_2"]


@pytest.mark.parametrize("colour", ["red", "#FFF", "#GGGGGG", "123456", "#1234567"])
def test_palette_colours_must_be_hex(colour: str) -> None:
    err = _one(
        {"visual_style": {"color_palette": {"accent": colour}}}, "visual_style.color_palette.accent"
    )
    assert "hex colour" in err["message"]


def test_palette_is_upper_cased() -> None:
    config = validate_template_config({"visual_style": {"color_palette": {"primary": "#abcdef"}}})
    assert config.visual_style.color_palette.primary == "#ABCDEF"


def test_unknown_keys_are_refused_with_known_ones() -> None:
    err = _one({"audio": {"voice_sped": 1.0}}, "audio.voice_sped")
    assert err["message"] == "unknown field"
    assert err["allowed"] is not None and "voice_speed" in err["allowed"]
    top = _one({"colour": 1}, "colour")
    assert top["allowed"] == sorted(TemplateConfig.model_fields)


def test_all_errors_reported_at_once() -> None:
    errors = _errors(
        {"audio": {"voice_speed": 9, "music_mood": "sad"}, "text_style": {"caption_style": 1}}
    )
    assert {e["field"] for e in errors} == {
        "audio.voice_speed",
        "audio.music_mood",
        "text_style.caption_style",
    }


def test_not_an_object() -> None:
    with pytest.raises(TemplateValidationError) as info:
        validate_template_config([])  # type: ignore[arg-type]
    assert info.value.errors[0].field == ""


# ---- cross-field ---------------------------------------------------------------------


def test_min_duration_above_max() -> None:
    err = _one(
        {"video_structure": {"duration": {"min_seconds": 60, "max_seconds": 30}}},
        "video_structure.duration.min_seconds",
    )
    assert err["max"] == 30
    assert err["message"] == (
        "The shortest length (60 s) is longer than the longest (30 s): "
        "lower the shortest or raise the longest."
    )


def test_too_many_scenes_for_duration() -> None:
    data = {
        "video_structure": {"num_scenes": 10, "duration": {"min_seconds": 10, "max_seconds": 15}}
    }
    err = _one(data, "video_structure.num_scenes")
    assert err["max"] == 7  # 15 s at 2 s a scene
    assert "at most 7 scenes" in err["message"]


def test_scene_count_at_the_limit_is_fine() -> None:
    data = {
        "video_structure": {"num_scenes": 7, "duration": {"min_seconds": 10, "max_seconds": 15}}
    }
    assert validate_template_config(data).video_structure.num_scenes == 7


def test_cross_field_rules_hold_for_direct_construction() -> None:
    with pytest.raises(ValueError, match="num_scenes"):
        TemplateConfig.model_validate(
            {
                "video_structure": {
                    "num_scenes": 20,
                    "duration": {"min_seconds": 5, "max_seconds": 10},
                }
            }
        )


def test_error_message_summarises() -> None:
    with pytest.raises(TemplateValidationError, match=r"audio\.voice_speed"):
        validate_template_config({"audio": {"voice_speed": 5}})


# ---- metadata ----------------------------------------------------------------------


def test_metadata_bounds() -> None:
    meta = cfg.TemplateMetadata(
        name="  Mine ", tags=["A", "a", "b"], category=cfg.TemplateCategory.EDUCATIONAL
    )
    assert meta.name == "Mine" and meta.tags == ["a", "b"]
    with pytest.raises(ValueError):
        cfg.TemplateMetadata(name="x" * 81)
    with pytest.raises(ValueError):
        cfg.TemplateMetadata.model_validate({"name": "ok", "category": "cooking"})
    with pytest.raises(ValueError):
        cfg.TemplateMetadata(name="ok", tags=[f"t{i}" for i in range(21)])
