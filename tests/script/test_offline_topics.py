"""The offline writer over many kinds of topic x the five system templates.

Each topic names a phrase that must appear in the script (the subject, said
naturally) and whether it is a question/explanation, a product, a story, ...:
self-help phrasing belongs to skills only.
"""

from __future__ import annotations

import itertools
import re

import pytest

from synthora.script.models import Script, estimate_narration_seconds
from synthora.script.offline import write_script_offline
from synthora.script.topic import Family, analyze_topic
from synthora.templates.config import HookStyle, NarrativeStructure
from synthora.templates.system import SYSTEM_TEMPLATES, SystemTemplate
from synthora.templates.validation import validate_template_config

#: topic -> a phrase the script must contain (case-insensitive).
TOPICS: dict[str, str] = {
    "why cats purr": "cats purr",
    "how black holes form": "black holes form",
    "What is dark matter?": "dark matter",
    "how does a fridge work": "fridge work",
    "why is the sky blue": "sky",
    "How to save money": "saving money",
    "learning Python": "learning Python",
    "a reusable water bottle": "reusable water bottle",
    "noise-cancelling headphones": "noise-cancelling headphones",
    "the night the lights went out": "the night the lights went out",
    "my first marathon": "my first marathon",
    "the 10 second plank": "10 second plank",
    "the 30 day squat challenge": "30 day squat challenge",
    "coffee vs tea": "coffee",
    "the history of coffee": "the history of coffee",
    "morning routines": "morning routines",
    "NASA's Artemis program": "NASA's Artemis program",
}

SELF_HELP = re.compile(
    r"get better at|struggle with|harder than it needs to be|tips that actually work|"
    r"without a plan|solved one step|chore into a habit|good at (?:why|how|what)|"
    r"habits that make",
    re.IGNORECASE,
)
DOUBLED = re.compile(r"\b([a-z]+)\s+\1\b", re.IGNORECASE)
CASES = [(t, tpl) for t in TOPICS for tpl in SYSTEM_TEMPLATES]


def _all_text(script: Script) -> list[str]:
    texts = [script.title, script.description, script.cta]
    for scene in script.scenes:
        texts += [scene.narration, scene.on_screen_text]
    return texts


def _sentences(script: Script) -> list[str]:
    return [s for n in (x.narration for x in script.scenes) for s in re.split(r"(?<=[.!?])\s+", n)]


@pytest.mark.parametrize(("topic", "template"), CASES, ids=[f"{t}-{p.id}" for t, p in CASES])
def test_reads_naturally(topic: str, template: SystemTemplate) -> None:
    config = template.config
    script = write_script_offline(topic=topic, config=config)
    text = " | ".join(_all_text(script))

    # Deterministic.
    assert script == write_script_offline(topic=topic, config=config)
    # No "the the", "challenge challenge", "is is".
    assert not DOUBLED.search(text), DOUBLED.search(text)
    # The subject is there, said naturally.
    assert TOPICS[topic].lower() in text.lower()
    assert "{" not in text and "}" not in text
    # Self-help wording only for skills.
    family = analyze_topic(topic, config.video_structure.narrative_structure).family
    if family is not Family.SKILL:
        assert not SELF_HELP.search(text), SELF_HELP.search(text)
    # Title: a capital first letter, no full stop, no stray capitals mid-title
    # beyond the topic's own proper nouns and the start of a new sentence.
    title = script.title
    assert title[0].isupper() and not title.endswith(".")
    proper = {w for w in re.findall(r"[A-Za-z']+", topic) if w[0].isupper()}
    for match in re.finditer(r"(?<![:?.!] )(?<!^)\b([A-Z][a-z']+)", title):
        assert match.group(1) in proper or match.start() == 0, title
    # Short on-screen text; sentences said once.
    for scene in script.scenes:
        assert len(scene.on_screen_text.split()) <= 6, scene.on_screen_text
        assert scene.visual_keywords
    sentences = _sentences(script)
    assert len(sentences) == len(set(sentences))
    # Fits the template.
    vs = config.video_structure
    assert len(script.scenes) == vs.num_scenes
    assert vs.duration.min_seconds <= script.total_duration_s <= vs.duration.max_seconds
    for scene in script.scenes:
        said = estimate_narration_seconds(scene.narration, voice_speed=config.audio.voice_speed)
        assert scene.duration_s >= said
        assert scene.narration[0].isupper() and scene.narration[-1] in ".!?"


def test_question_topics_are_explained_not_coached() -> None:
    config = SYSTEM_TEMPLATES[0].config  # Viral Hook: bold claim + listicle
    script = write_script_offline(topic="why cats purr", config=config)
    assert "get better at" not in script.narration
    assert script.title.lower().startswith("why cats purr") or script.title.startswith("Why do")
    explainer = write_script_offline(topic="why cats purr", config=SYSTEM_TEMPLATES[1].config)
    assert explainer.hook.endswith("?")
    assert "cats purr" in explainer.narration


def test_challenge_is_named_once() -> None:
    for topic in ("the 10 second plank", "the 10 second plank challenge", "10 second plank"):
        script = write_script_offline(topic=topic, config=SYSTEM_TEMPLATES[4].config)
        text = " | ".join(_all_text(script)).lower()
        assert "challenge challenge" not in text and "the the" not in text
        assert "the 10 second plank challenge" in text


def test_story_topics_are_the_subject_of_the_story() -> None:
    script = write_script_offline(
        topic="the night the lights went out", config=SYSTEM_TEMPLATES[3].config
    )
    assert "the night the lights went out" in script.narration.lower()
    assert "barely thought about" not in script.narration


def test_product_sentences_agree_with_plural_products() -> None:
    config = SYSTEM_TEMPLATES[2].config
    script = write_script_offline(topic="noise-cancelling headphones", config=config)
    text = " | ".join(_all_text(script))
    assert not re.search(r"\bthis noise-cancelling headphones\b|\bheadphones is\b", text)


@pytest.mark.parametrize("template", SYSTEM_TEMPLATES, ids=lambda t: t.id)
def test_different_topics_give_different_scenes(template: SystemTemplate) -> None:
    """Not a word swap: with the topic's words blanked out, scripts still differ."""
    shapes = set()
    for topic in TOPICS:
        script = write_script_offline(topic=topic, config=template.config)
        words = {w.lower() for w in re.findall(r"[A-Za-z']+", topic)}
        middle = " ".join(s.narration for s in script.scenes[1:-1])
        shapes.add(" ".join(w for w in re.findall(r"[a-z']+", middle.lower()) if w not in words))
    assert len(shapes) == len(TOPICS)


@pytest.mark.parametrize("hook", list(HookStyle))
@pytest.mark.parametrize("topic", list(TOPICS))
def test_every_hook_style_fits_every_topic(hook: HookStyle, topic: str) -> None:
    config = validate_template_config({"video_structure": {"hook_style": hook.value}})
    script = write_script_offline(topic=topic, config=config)
    # Numbers only ever come from the topic itself.
    assert set(re.findall(r"\d+", script.hook)) <= set(re.findall(r"\d+", topic))
    if hook is HookStyle.QUESTION:
        assert script.hook.endswith("?")
    assert not DOUBLED.search(script.hook)


@pytest.mark.parametrize("structure", [s.value for s in NarrativeStructure])
@pytest.mark.parametrize("scenes", [1, 2, 3, 8, 20])
@pytest.mark.parametrize(
    "topic",
    [
        "why cats purr",
        "a reusable water bottle",
        "my first marathon",
        "the 10 second plank",
        "coffee vs tea",
        "the history of coffee",
    ],
)
def test_every_family_any_structure_any_length(structure: str, scenes: int, topic: str) -> None:
    config = validate_template_config(
        {
            "video_structure": {
                "narrative_structure": structure,
                "num_scenes": scenes,
                "duration": {"min_seconds": 40, "max_seconds": 300},
            }
        }
    )
    script = write_script_offline(topic=topic, config=config)
    assert len(script.scenes) == scenes
    assert 40 <= script.total_duration_s <= 300
    narrations = [s.narration for s in script.scenes]
    assert all(a != b for a, b in itertools.pairwise(narrations))
    text = " | ".join(_all_text(script))
    assert not DOUBLED.search(text), DOUBLED.search(text)
    assert "{" not in text
    if scenes <= 8:
        sentences = _sentences(script)
        assert len(sentences) == len(set(sentences))
