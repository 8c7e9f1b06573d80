"""Rising and falling topics, templates and formats within the creator's own history.

The measured posts are split at `now - RECENT_DAYS`: recent and earlier. For
each value of each dimension (topic word, template, format: length and
structure, platform) with `MIN_PERIOD_POSTS`+ posts in both periods, the change
is the recent median score over the earlier one; `RISING` or more is rising,
`FALLING` or less is falling. No world trends are invented: only what this
creator's own numbers show.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, Field

from synthora.suggestions.models import (
    Basis,
    History,
    Scored,
    Status,
    basis_of,
    insufficient,
    median,
    value_label,
)

RECENT_DAYS = 28
MIN_PERIOD_POSTS = 3
MIN_MEASURED_POSTS = 10
RISING = 1.3
FALLING = 1 / 1.3

_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "my",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "vs",
        "was",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
        "about",
        "into",
        "than",
        "then",
        "there",
        "these",
        "those",
        "can",
        "just",
        "more",
        "most",
        "very",
    ]
)


class Trend(BaseModel):
    kind: Literal["topic", "template", "format", "platform"]
    value: str
    label: str
    direction: Literal["rising", "falling"]
    change: float = Field(description="Recent median score / earlier median score.")
    recent_ratio: float
    earlier_ratio: float
    recent_posts: int
    earlier_posts: int
    evidence: str


class Trends(BaseModel):
    status: Status
    message: str | None
    basis: Basis
    recent_days: int
    rising: list[Trend]
    falling: list[Trend]


def topic_words(topic: str | None) -> set[str]:
    words = re.findall(r"[a-z][a-z'-]{3,}", (topic or "").lower())
    return {w for w in words if w not in _STOPWORDS}


def _keys(r: Scored) -> list[tuple[str, str, str]]:
    """(kind, value, label) of each group a post belongs to."""
    o = r.obs
    out = [("topic", w, f"topic '{w}'") for w in sorted(topic_words(o.topic))]
    tpl = o.value("template")
    if tpl:
        out.append(("template", tpl, f"template {tpl}"))
    for dim in ("length", "narrative_structure"):
        v = o.settings.get(dim)
        if v:
            out.append(("format", f"{dim}={v}", value_label(dim, v)))
    out.append(("platform", o.platform, o.platform))
    return out


def trends(history: History, *, recent_days: int = RECENT_DAYS) -> Trends:
    rows = history.scored()
    basis = basis_of(rows)
    split = history.now - timedelta(days=recent_days)
    recent = [r for r in rows if r.obs.published_at >= split]
    earlier = [r for r in rows if r.obs.published_at < split]
    if len(rows) < MIN_MEASURED_POSTS or min(len(recent), len(earlier)) < MIN_PERIOD_POSTS:
        return Trends(
            status="insufficient_data",
            message=insufficient(
                MIN_MEASURED_POSTS,
                len(rows),
                f"measured posts ({len(recent)} in the last {recent_days} days, "
                f"{len(earlier)} before; each period needs {MIN_PERIOD_POSTS}+)",
            ),
            basis=basis,
            recent_days=recent_days,
            rising=[],
            falling=[],
        )
    groups: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(
        lambda: {"recent": [], "earlier": []}
    )
    labels: dict[tuple[str, str], str] = {}
    for period, members in (("recent", recent), ("earlier", earlier)):
        for r in members:
            for kind, value, label in _keys(r):
                groups[(kind, value)][period].append(r.score)
                labels[(kind, value)] = label
    rising: list[Trend] = []
    falling: list[Trend] = []
    for (kind, value), periods in groups.items():
        a, b = periods["recent"], periods["earlier"]
        if len(a) < MIN_PERIOD_POSTS or len(b) < MIN_PERIOD_POSTS:
            continue
        now_r, then_r = median(a), median(b)
        if then_r <= 0:
            continue
        change = now_r / then_r
        if FALLING < change < RISING:
            continue
        direction: Literal["rising", "falling"] = "rising" if change >= RISING else "falling"
        label = labels[(kind, value)]
        trend = Trend(
            kind=kind,  # type: ignore[arg-type]
            value=value,
            label=label,
            direction=direction,
            change=round(change, 3),
            recent_ratio=round(now_r, 3),
            earlier_ratio=round(then_r, 3),
            recent_posts=len(a),
            earlier_posts=len(b),
            evidence=(
                f"{label}: {now_r:.1f}x your median views in the last {recent_days} days "
                f"({len(a)} posts) against {then_r:.1f}x before ({len(b)} posts)"
            ),
        )
        (rising if direction == "rising" else falling).append(trend)
    rising.sort(key=lambda t: t.change, reverse=True)
    falling.sort(key=lambda t: t.change)
    return Trends(
        status="ok",
        message=None if rising or falling else "Nothing has moved by 30% or more yet.",
        basis=basis,
        recent_days=recent_days,
        rising=rising[:10],
        falling=falling[:10],
    )
