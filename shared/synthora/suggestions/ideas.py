"""Content ideas without a model: the creator's best performers, turned into next videos.

Offline ideas come from the posts scoring `MIN_BEST` or more (at least 1.2x the
account median), best first, one per distinct topic. Each best topic goes
through the offline writer's topic analysis (`synthora.script.topic`): its
family (an explanation, a skill, a product, an event, a challenge, a
comparison) picks a follow-up angle that keeps the subject and the shape that
worked. The idea is pre-filled with the template that video used and the best
setting values the attribution found (music mood, voice, length), so "make
this" starts from what performed. With an OpenAI key the services ask the
model instead, grounded in the same figures (`grounding`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from synthora.script.topic import Family, analyze_topic
from synthora.suggestions.attribution import Attribution, attribution
from synthora.suggestions.models import (
    Basis,
    History,
    Scored,
    Status,
    basis_of,
    bucket_bounds,
    insufficient,
)

MIN_MEASURED_POSTS = 8
MIN_BEST = 1.2
MAX_IDEAS = 5

#: A follow-up angle per topic family; `{k}` is the topic's keywords, `{l}` its label.
ANGLES: dict[Family, tuple[str, str]] = {
    Family.EXPLAIN: ("what most people get wrong about {k}", "the explanation, one level deeper"),
    Family.SKILL: ("{k}: 3 mistakes to avoid", "the skill again, from the mistakes side"),
    Family.THING: ("{l}: what nobody tells you", "the same product, the honest details"),
    Family.EVENT: ("what happened after {l}", "the story's sequel"),
    Family.CHALLENGE: ("{l}: round two", "the challenge, harder"),
    Family.COMPARE: ("{l}: the rematch", "the comparison from the other side"),
    Family.TOPIC: ("3 things you did not know about {k}", "a list on the same subject"),
}

#: Setting dimensions a Create pre-fill can carry (`VideoChoices` fields).
CHOICE_DIMENSIONS = ("music_mood", "voice_tone", "length")


class Prefill(BaseModel):
    """What "make this" opens Create Video with."""

    template_id: str | None = None
    topic: str | None = Field(default=None, max_length=200)
    choices: dict[str, Any] = Field(
        default_factory=dict, description="VideoChoices fields over the template's."
    )


class Idea(BaseModel):
    topic: str
    angle: str
    why: str
    source: str = Field(description="offline or openai")
    based_on_video_ids: list[str] = Field(default_factory=list)
    prefill: Prefill


class Ideas(BaseModel):
    status: Status
    message: str | None
    basis: Basis
    source: str
    ideas: list[Idea]
    ai_error: str | None = Field(
        default=None, description="Why the OpenAI ideas could not be used (offline shown)."
    )


def best_choices(attr: Attribution) -> tuple[dict[str, Any], list[str]]:
    """The Create choices for the best values the attribution found, and their evidence."""
    choices: dict[str, Any] = {}
    evidence: list[str] = []
    for dim in CHOICE_DIMENSIONS:
        d = attr.dimension(dim)
        if d is None or d.best is None:
            continue
        if dim == "length":
            bounds = bucket_bounds(d.best.value)
            if bounds is None:
                continue
            choices["min_seconds"], choices["max_seconds"] = bounds
        else:
            choices[dim] = d.best.value
        evidence.append(d.best.evidence)
    return choices, evidence


def best_performers(history: History) -> list[Scored]:
    ranked = sorted(history.scored(), key=lambda r: r.score, reverse=True)
    out: list[Scored] = []
    seen: set[str] = set()
    for r in ranked:
        key = (r.obs.topic or r.obs.title).strip().lower()
        if r.score < MIN_BEST or not key or key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197].rstrip() + "..."


def offline_ideas(history: History) -> Ideas:
    rows = history.scored()
    basis = basis_of(rows)
    if len(rows) < MIN_MEASURED_POSTS:
        return Ideas(
            status="insufficient_data",
            message=insufficient(MIN_MEASURED_POSTS, len(rows), "measured posts (48 h+ old)"),
            basis=basis,
            source="offline",
            ideas=[],
        )
    best = best_performers(history)
    attr = attribution(history)
    choices, choice_evidence = best_choices(attr)
    ideas: list[Idea] = []
    for r in best[:MAX_IDEAS]:
        topic = r.obs.topic or r.obs.title
        info = analyze_topic(topic)
        pattern, angle = ANGLES[info.family]
        idea_topic = _clip(pattern.format(k=info.keywords or info.label, l=info.label))
        why = f"'{topic}' did {r.score:.1f}x your median views on {r.obs.platform}"
        if choice_evidence:
            why += "; pre-filled with your best settings (" + "; ".join(choice_evidence) + ")"
        ideas.append(
            Idea(
                topic=idea_topic,
                angle=angle,
                why=why,
                source="offline",
                based_on_video_ids=[r.obs.video_id] if r.obs.video_id else [],
                prefill=Prefill(template_id=r.obs.template_id, topic=idea_topic, choices=choices),
            )
        )
    return Ideas(
        status="ok" if ideas else "insufficient_data",
        message=None
        if ideas
        else f"No post has reached {MIN_BEST}x your median views yet to build on.",
        basis=basis,
        source="offline",
        ideas=ideas,
    )


class Grounding(BaseModel):
    """The figures an AI writer is given, so its ideas rest on the creator's own results."""

    best_topics: list[str]
    best_templates: list[str]
    best_settings: list[str]
    weak_settings: list[str]


def grounding(history: History) -> Grounding:
    best = best_performers(history)
    attr = attribution(history)
    template = attr.dimension("template")
    return Grounding(
        best_topics=[
            f"{r.obs.topic or r.obs.title} ({r.score:.1f}x median views, {r.obs.platform})"
            for r in best[:8]
        ],
        best_templates=[v.evidence for v in (template.values if template else [])[:3]],
        best_settings=[b.evidence for b in attr.best_values() if b.dimension != "template"],
        weak_settings=[d.worst.evidence for d in attr.dimensions if d.worst is not None],
    )
