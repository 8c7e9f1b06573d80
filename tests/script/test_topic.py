"""Topic analysis: shape, family and the forms the offline writer's sentences use."""

from __future__ import annotations

import pytest

from synthora.script.topic import Family, Shape, analyze_topic, clean_topic, gerund
from synthora.templates.config import NarrativeStructure


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  why   cats purr?? ", "why cats purr"),
        ("the the 10 second plank", "the 10 second plank"),
        ("Why Cats Purr", "why cats purr"),
        ("WHY CATS PURR", "why cats purr"),
        ("NASA's Artemis program", "NASA's Artemis program"),
        ("How I paid off my debt.", "how I paid off my debt"),
        ("Morning routines", "morning routines"),
    ],
)
def test_clean_topic(raw: str, clean: str) -> None:
    assert clean_topic(raw) == clean


def test_clean_topic_refuses_empty() -> None:
    with pytest.raises(ValueError, match="topic"):
        clean_topic(" ?! ")


@pytest.mark.parametrize(
    ("verb", "ing"),
    [
        ("save", "saving"),
        ("run", "running"),
        ("tie", "tying"),
        ("see", "seeing"),
        ("cook", "cooking"),
    ],
)
def test_gerund(verb: str, ing: str) -> None:
    assert gerund(verb) == ing


@pytest.mark.parametrize(
    ("topic", "shape", "family", "forms"),
    [
        (
            "why cats purr",
            Shape.QUESTION,
            Family.EXPLAIN,
            {"clause": "why cats purr", "question": "why do cats purr?", "statement": "cats purr"},
        ),
        (
            "how black holes form",
            Shape.QUESTION,
            Family.EXPLAIN,
            {"clause": "how black holes form", "question": "how do black holes form?"},
        ),
        (
            "why octopuses have three hearts",
            Shape.QUESTION,
            Family.EXPLAIN,
            {"question": "why do octopuses have three hearts?"},
        ),
        (
            "why a zebra has stripes",
            Shape.QUESTION,
            Family.EXPLAIN,
            {"question": "why does a zebra have stripes?"},
        ),
        (
            "how birds have learned to fly",
            Shape.QUESTION,
            Family.EXPLAIN,
            {"question": "how have birds learned to fly?"},
        ),
        (
            "why the sky is blue",
            Shape.QUESTION,
            Family.EXPLAIN,
            {"question": "why is the sky blue?"},
        ),
        (
            "how does a fridge work",
            Shape.QUESTION,
            Family.EXPLAIN,
            {"clause": "how a fridge works", "question": "how does a fridge work?"},
        ),
        (
            "What is dark matter?",
            Shape.QUESTION,
            Family.EXPLAIN,
            {"clause": "what dark matter is", "question": "what is dark matter?"},
        ),
        (
            "why is the sky blue",
            Shape.QUESTION,
            Family.EXPLAIN,
            {"clause": "why the sky is blue", "question": "why is the sky blue?"},
        ),
        (
            "how do airplanes stay in the air",
            Shape.QUESTION,
            Family.EXPLAIN,
            {"clause": "how airplanes stay in the air"},
        ),
        ("How to save money", Shape.HOW_TO, Family.SKILL, {"topic": "saving money"}),
        ("5 ways to save money", Shape.LIST, Family.SKILL, {"topic": "saving money"}),
        ("learning Python", Shape.HOW_TO, Family.SKILL, {"topic": "learning Python"}),
        ("urban gardening", Shape.HOW_TO, Family.SKILL, {"topic": "urban gardening"}),
        ("budgeting tips", Shape.LIST, Family.SKILL, {"topic": "budgeting"}),
        (
            "a reusable water bottle",
            Shape.PRODUCT,
            Family.THING,
            {"thing": "reusable water bottle", "this": "this reusable water bottle", "it": "it"},
        ),
        (
            "noise-cancelling headphones",
            Shape.PRODUCT,
            Family.THING,
            {"this": "these noise-cancelling headphones", "it": "they", "s": ""},
        ),
        ("best running shoes", Shape.LIST, Family.THING, {"thing": "running shoes"}),
        ("the night the lights went out", Shape.EVENT, Family.EVENT, {}),
        ("my first marathon", Shape.EVENT, Family.EVENT, {"topic": "my first marathon"}),
        ("how I paid off my debt", Shape.EVENT, Family.EVENT, {}),
        (
            "the 10 second plank",
            Shape.CHALLENGE,
            Family.CHALLENGE,
            {"topic": "the 10 second plank challenge", "challenge": "10 second plank"},
        ),
        (
            "the ice bucket challenge",
            Shape.CHALLENGE,
            Family.CHALLENGE,
            {"topic": "the ice bucket challenge", "challenge": "ice bucket"},
        ),
        ("coffee vs tea", Shape.COMPARISON, Family.COMPARE, {"a": "coffee", "b": "tea"}),
        (
            "Android versus iPhone",
            Shape.COMPARISON,
            Family.COMPARE,
            {"a": "Android", "b": "iPhone"},
        ),
        ("the history of coffee", Shape.GENERIC, Family.TOPIC, {"topic": "the history of coffee"}),
        ("morning routines", Shape.GENERIC, Family.TOPIC, {}),
        ("houseplants for beginners", Shape.GENERIC, Family.TOPIC, {"topic": "houseplants"}),
    ],
)
def test_shapes_and_forms(topic: str, shape: Shape, family: Family, forms: dict[str, str]) -> None:
    info = analyze_topic(topic)
    assert (info.shape, info.family) == (shape, family)
    for key, value in forms.items():
        assert info.forms[key] == value, key
    assert info.keywords and info.label
    assert len(info.label.split()) <= 4


def test_template_nudges_ambiguous_topics() -> None:
    # A plain noun phrase in a Product Showcase is the product ...
    assert analyze_topic("tea", NarrativeStructure.DEMO).family is Family.THING
    # ... and in a Trending Challenge, the challenge (without doubling the word).
    plank = analyze_topic("the 10 second plank challenge", NarrativeStructure.CHALLENGE_STEPS)
    assert plank.family is Family.CHALLENGE
    assert plank.forms["topic"] == "the 10 second plank challenge"
    skill = analyze_topic("juggling", NarrativeStructure.CHALLENGE_STEPS)
    assert skill.forms["topic"] == "the juggling challenge"
    # A question stays a question whatever the template.
    assert analyze_topic("why cats purr", NarrativeStructure.DEMO).family is Family.EXPLAIN
    assert (
        analyze_topic("why cats purr", NarrativeStructure.CHALLENGE_STEPS).family is Family.EXPLAIN
    )
