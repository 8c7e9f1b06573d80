"""Script model: validation and narration timing."""

from __future__ import annotations

import pytest

from synthora.script.models import Script, ScriptScene, count_words, estimate_narration_seconds


def _scene(
    index: int, duration: float = 3.0, narration: str = "Hello there, world."
) -> ScriptScene:
    return ScriptScene(index=index, narration=narration, duration_s=duration)


def test_word_count_ignores_punctuation() -> None:
    assert count_words("Don't stop — keep going!") == 4
    assert count_words("  ...  ") == 0


def test_estimate_at_speed_one_is_two_and_a_half_words_per_second() -> None:
    text = " ".join(["word"] * 25) + "."
    assert estimate_narration_seconds(text) == pytest.approx(10 + 0.25)


def test_faster_voice_takes_less_time() -> None:
    text = "This is a sentence with exactly nine spoken words."
    assert estimate_narration_seconds(text, voice_speed=2.0) == pytest.approx(
        estimate_narration_seconds(text) / 2
    )
    assert estimate_narration_seconds("") == 0.0
    with pytest.raises(ValueError):
        estimate_narration_seconds(text, voice_speed=0)


def test_valid_script() -> None:
    script = Script(
        title="T",
        hook="Hi.",
        scenes=[_scene(0), _scene(1, 2.5)],
        hashtags=["tips", "#Go"],
        total_duration_s=5.5,
    )
    assert script.hashtags == ["#tips", "#Go"]
    assert script.narration.count("Hello") == 2


def test_durations_must_add_up() -> None:
    with pytest.raises(ValueError, match="sum of scene durations"):
        Script(title="T", hook="Hi.", scenes=[_scene(0), _scene(1)], total_duration_s=9)


def test_indexes_in_order() -> None:
    with pytest.raises(ValueError, match="indexes"):
        Script(title="T", hook="Hi.", scenes=[_scene(1)], total_duration_s=3)


@pytest.mark.parametrize("narration", ["", "   ", "!!! ..."])
def test_narration_must_have_words(narration: str) -> None:
    with pytest.raises(ValueError):
        ScriptScene(index=0, narration=narration, duration_s=2)


def test_bad_hashtag() -> None:
    with pytest.raises(ValueError, match="hashtag"):
        Script(title="T", hook="H", scenes=[_scene(0)], hashtags=["two words"], total_duration_s=3)
