"""The offline writer: deterministic, template-driven, fits the template."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from synthora.script.models import estimate_narration_seconds
from synthora.script.offline import hashtags_for, keywords_for, write_script_offline
from synthora.templates.config import (
    CtaType,
    HookStyle,
    NarrativeStructure,
    TemplateConfig,
)
from synthora.templates.system import SYSTEM_TEMPLATES, SystemTemplate
from synthora.templates.validation import validate_template_config

TOPICS = [
    "morning routines",
    "How to save money",
    "the history of coffee",
    "learning Python",
    "houseplants for beginners",
    "NASA's Artemis program",
]
FILLER = re.compile(r"\b(scene \d|lorem|ipsum|placeholder|todo|\{topic\}|\{Topic\})\b", re.I)


def _cfg(**sections: dict[str, Any]) -> TemplateConfig:
    return validate_template_config(sections)


def test_same_input_same_script() -> None:
    config = SYSTEM_TEMPLATES[0].config
    a = write_script_offline(topic="morning routines", config=config)
    b = write_script_offline(topic="morning routines", config=config)
    assert a == b


def test_seed_changes_the_script() -> None:
    config = SYSTEM_TEMPLATES[1].config
    scripts = {
        write_script_offline(topic="morning routines", config=config, seed=s).narration
        for s in range(6)
    }
    assert len(scripts) > 1


def test_different_topics_are_not_just_a_word_swap() -> None:
    config = SYSTEM_TEMPLATES[1].config
    shapes = set()
    for topic in TOPICS:
        script = write_script_offline(topic=topic, config=config)
        shapes.add(re.sub(r"\s+", " ", script.narration.lower().replace(topic.lower(), "X")))
    assert len(shapes) >= 4


@pytest.mark.parametrize("template", SYSTEM_TEMPLATES, ids=lambda t: t.id)
@pytest.mark.parametrize("topic", TOPICS)
def test_system_templates_fit(template: SystemTemplate, topic: str) -> None:
    config = template.config
    script = write_script_offline(topic=topic, config=config)
    vs = config.video_structure
    assert len(script.scenes) == vs.num_scenes
    assert vs.duration.min_seconds <= script.total_duration_s <= vs.duration.max_seconds
    for scene in script.scenes:
        # Every scene is long enough for its words at the template's voice speed.
        said = estimate_narration_seconds(scene.narration, voice_speed=config.audio.voice_speed)
        assert scene.duration_s >= said
        assert scene.duration_s >= 2.0
        assert scene.narration[0].isupper() and scene.narration[-1] in ".!?"
        assert not FILLER.search(scene.narration), scene.narration
        assert not FILLER.search(scene.on_screen_text)
        assert "  " not in scene.narration and ".." not in scene.narration
        assert scene.visual_keywords
    assert script.scenes[0].narration.startswith(script.hook)
    assert script.cta and script.scenes[-1].narration.endswith(script.cta)
    assert script.title and script.description
    assert all(re.fullmatch(r"#[A-Za-z0-9_]+", h) for h in script.hashtags)


def test_topic_is_used_naturally() -> None:
    script = write_script_offline(topic="How to save money", config=SYSTEM_TEMPLATES[1].config)
    text = script.narration
    assert "saving money" in text
    assert "how to save money" not in text.lower()  # reads badly mid-sentence


def test_proper_nouns_keep_their_case() -> None:
    script = write_script_offline(topic="NASA's Artemis program", config=SYSTEM_TEMPLATES[1].config)
    assert "NASA's Artemis program" in script.narration + script.title


@pytest.mark.parametrize("hook", list(HookStyle))
def test_hook_style_drives_the_opening(hook: HookStyle) -> None:
    config = _cfg(video_structure={"hook_style": hook.value})
    hooks = {write_script_offline(topic=t, config=config).hook for t in TOPICS}
    if hook is HookStyle.QUESTION:
        assert all(h.endswith("?") for h in hooks)
    other = _cfg(video_structure={"hook_style": "question" if hook != "question" else "challenge"})
    other_hooks = {write_script_offline(topic=t, config=other).hook for t in TOPICS}
    assert hooks.isdisjoint(other_hooks)


def test_statistic_hook_invents_no_numbers() -> None:
    config = _cfg(video_structure={"hook_style": "statistic"})
    for topic in TOPICS:
        hook = write_script_offline(topic=topic, config=config).hook
        assert not re.search(r"\d", hook), hook


def test_listicle_and_how_to_number_their_scenes() -> None:
    listicle = write_script_offline(
        topic="houseplants", config=_cfg(video_structure={"narrative_structure": "listicle"})
    )
    assert listicle.scenes[1].narration.startswith("First,")
    how_to = write_script_offline(
        topic="houseplants", config=_cfg(video_structure={"narrative_structure": "how_to"})
    )
    assert how_to.scenes[1].narration.startswith("Step one:")
    assert how_to.scenes[2].narration.startswith("Step two:")
    assert how_to.scenes[1].on_screen_text.startswith("1. ")


@pytest.mark.parametrize("structure", list(NarrativeStructure))
@pytest.mark.parametrize("scenes", [1, 2, 3, 5, 8])
def test_every_structure_any_scene_count(structure: NarrativeStructure, scenes: int) -> None:
    config = _cfg(
        video_structure={
            "narrative_structure": structure.value,
            "num_scenes": scenes,
            "duration": {"min_seconds": 10, "max_seconds": 120},
        }
    )
    script = write_script_offline(topic="urban gardening", config=config)
    assert len(script.scenes) == scenes
    narrations = [s.narration for s in script.scenes]
    sentences = [x for n in narrations for x in re.split(r"(?<=[.!?])\s+", n)]
    # No sentence is said twice.
    assert len(sentences) == len(set(sentences))


@pytest.mark.parametrize("structure", list(NarrativeStructure))
def test_twenty_scenes_never_repeat_back_to_back(structure: NarrativeStructure) -> None:
    config = _cfg(
        video_structure={
            "narrative_structure": structure.value,
            "num_scenes": 20,
            "duration": {"min_seconds": 60, "max_seconds": 300},
        }
    )
    script = write_script_offline(topic="urban gardening", config=config)
    assert len(script.scenes) == 20
    narrations = [s.narration for s in script.scenes]
    assert all(a != b for a, b in itertools.pairwise(narrations))
    assert 60 <= script.total_duration_s <= 300


@pytest.mark.parametrize("cta", [c for c in CtaType if c is not CtaType.NONE])
def test_cta_type_is_said_last(cta: CtaType) -> None:
    script = write_script_offline(topic="bread baking", config=_cfg(script={"cta_type": cta.value}))
    assert script.cta and script.scenes[-1].narration.endswith(script.cta)


def test_no_cta() -> None:
    script = write_script_offline(topic="bread baking", config=_cfg(script={"cta_type": "none"}))
    assert script.cta == ""


def test_cta_text_wins() -> None:
    config = _cfg(script={"cta_type": "shop", "cta_text": "Grab yours at synthora.dev"})
    script = write_script_offline(topic="bread baking", config=config)
    assert script.cta == "Grab yours at synthora.dev."
    assert script.scenes[-1].narration.endswith("Grab yours at synthora.dev.")


def test_slower_voice_says_fewer_words_in_the_same_time() -> None:
    fast = _cfg(
        audio={"voice_speed": 1.8},
        video_structure={"duration": {"min_seconds": 40, "max_seconds": 60}},
    )
    slow = _cfg(
        audio={"voice_speed": 0.6},
        video_structure={"duration": {"min_seconds": 40, "max_seconds": 60}},
    )
    n_fast = len(write_script_offline(topic="chess openings", config=fast).narration.split())
    n_slow = len(write_script_offline(topic="chess openings", config=slow).narration.split())
    assert n_fast > n_slow


def test_short_template_is_stretched_to_its_minimum() -> None:
    config = _cfg(
        video_structure={"num_scenes": 2, "duration": {"min_seconds": 40, "max_seconds": 45}}
    )
    script = write_script_offline(topic="tea", config=config)
    assert script.total_duration_s >= 40


def test_instructions_tone_and_mention() -> None:
    config = _cfg(video_structure={"narrative_structure": "listicle", "num_scenes": 5})
    plain = write_script_offline(topic="budgeting", config=config)
    funny = write_script_offline(
        topic="budgeting",
        config=config,
        instructions="Make it funny and mention the envelope method.",
    )
    assert funny != plain
    assert "don't forget the envelope method." in funny.narration
    from synthora.script.phrases import TONE_LINES

    funny_lines = [line.split("|")[0] for line in TONE_LINES["funny"]]
    assert any(line in funny.narration for line in funny_lines)


def test_hook_overlay_off_leaves_first_scene_clean() -> None:
    config = _cfg(text_style={"hook_text_overlay": False})
    assert write_script_offline(topic="tea", config=config).scenes[0].on_screen_text == ""


def test_keywords_skip_stop_words_and_verbs() -> None:
    words = keywords_for("morning routines", "Then you're quickly building a calm kitchen habit.")
    assert words[:2] == ["morning", "routines"]
    assert "kitchen" in words and "habit" in words
    assert not {"then", "you're", "quickly", "building"} & set(words)


def test_hashtags_from_topic_and_template() -> None:
    tags = hashtags_for("the history of coffee", ["#fyp", "#History"])
    assert tags[0] == "#historycoffee"
    assert "#fyp" in tags and len(tags) <= 8


def test_empty_topic_is_refused() -> None:
    with pytest.raises(ValueError, match="topic"):
        write_script_offline(topic="  ?! ", config=TemplateConfig())


def test_how_to_steps_keep_their_order_and_count_on() -> None:
    from synthora.script.phrases import ROLES

    bank = [entry.split("|")[0].removesuffix(".") for entry in ROLES["step"]]
    config = _cfg(
        video_structure={
            "narrative_structure": "how_to",
            "num_scenes": 12,
            "duration": {"min_seconds": 40, "max_seconds": 120},
        }
    )
    script = write_script_offline(topic="pottery", config=config)
    middle = script.scenes[1:-1]
    assert [s.narration.split(":")[0] for s in middle[:3]] == ["Step one", "Step two", "Step three"]
    assert middle[-1].narration.startswith("Step ten:")
    positions = [
        next(i for i, b in enumerate(bank) if _fill_topic(b, "pottery") in s.narration)
        for s in middle
        if any(_fill_topic(b, "pottery") in s.narration for b in bank)
    ]
    assert positions == sorted(positions) and len(positions) >= 5


def _fill_topic(text: str, topic: str) -> str:
    return text.replace("{topic}", topic)
