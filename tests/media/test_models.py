from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from synthora.media.models import (
    RenderRequest,
    RenderStyle,
    SceneSpec,
    VoiceSpec,
    WordTiming,
)


def test_palette_must_be_hex_colours() -> None:
    assert RenderStyle(palette=["#abcdef"]).palette == ["#ABCDEF"]
    with pytest.raises(ValidationError, match="RRGGBB"):
        RenderStyle(palette=["red"])
    with pytest.raises(ValidationError):
        RenderStyle(palette=[])


def test_voice_speed_is_bounded() -> None:
    with pytest.raises(ValidationError):
        VoiceSpec(speed=2.5)
    with pytest.raises(ValidationError):
        VoiceSpec(gender="robot")  # type: ignore[arg-type]


def test_word_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="before it starts"):
        WordTiming(word="x", start_s=1.0, end_s=0.5)


@pytest.mark.parametrize(
    ("ratio", "scale", "size"),
    [
        ("9:16", 1.0, (1080, 1920)),
        ("16:9", 1.0, (1920, 1080)),
        ("1:1", 1.0, (1080, 1080)),
        ("9:16", 0.25, (270, 480)),
        ("16:9", 0.3, (576, 324)),
    ],
)
def test_size_per_aspect_ratio_is_even(ratio: str, scale: float, size: tuple[int, int]) -> None:
    request = RenderRequest(
        scenes=[SceneSpec(duration_s=1)],
        style=RenderStyle(aspect_ratio=ratio),  # type: ignore[arg-type]
        output_path=Path("out.mp4"),
        scale=scale,
    )
    assert request.size() == size
    assert all(v % 2 == 0 for v in request.size())


def test_per_scene_lists_must_match_scene_count() -> None:
    with pytest.raises(ValidationError, match="backgrounds has 1 items for 2 scenes"):
        RenderRequest(
            scenes=[SceneSpec(duration_s=1), SceneSpec(duration_s=1)],
            backgrounds=[None],
            output_path=Path("o.mp4"),
        )
