"""When to post, per platform: the analytics heatmap's best slots and the best hours.

The heatmap (`synthora.services.analytics.heatmap`) ranks weekday x hour slots,
which needs three posts in the same slot; its best slots are passed in as
`slots`. Most creators reach that late, so the hour of day is also ranked on
its own: per platform, measured posts are grouped by the local hour they went
out; an hour with `MIN_HOUR_POSTS`+ posts whose median score beats 1 is a
candidate, ranked by sign-test confidence, then score. Below
`MIN_PLATFORM_POSTS` measured posts on a platform nothing is ranked for it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from pydantic import BaseModel

from synthora.suggestions.models import (
    Basis,
    GroupStat,
    History,
    Scored,
    Status,
    basis_of,
    group_stat,
    insufficient,
)

MIN_PLATFORM_POSTS = 10
MIN_HOUR_POSTS = 3
TOP = 3

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Slot(BaseModel):
    """A best weekday x hour slot of the analytics heatmap."""

    weekday: int
    hour: int
    posts: int
    score: float
    confidence: float
    confidence_label: Literal["low", "medium", "high"]


class PlatformTimes(BaseModel):
    platform: str
    status: Status
    message: str | None
    basis: Basis
    best_hours: list[GroupStat]
    heatmap_slots: list[Slot]


class PostingTimes(BaseModel):
    status: Status
    timezone: str
    platforms: list[PlatformTimes]


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00-{(hour + 1) % 24:02d}:00"


def _hours(rows: list[Scored]) -> list[GroupStat]:
    by_hour: dict[int, list[Scored]] = defaultdict(list)
    for r in rows:
        by_hour[r.local_hour].append(r)
    stats = [
        group_stat("hour", str(h), members, label=f"posts at {hour_label(h)}")
        for h, members in by_hour.items()
        if len(members) >= MIN_HOUR_POSTS
    ]
    stats = [s for s in stats if s.ratio > 1.0]
    stats.sort(key=lambda s: (s.confidence, s.ratio), reverse=True)
    return stats[:TOP]


def posting_times(history: History, *, slots: dict[str, list[Slot]] | None = None) -> PostingTimes:
    """Best hours (and heatmap slots) per platform the creator posted on."""
    slots = slots or {}
    out: list[PlatformTimes] = []
    for name in sorted({o.platform for o in history.observations} | set(slots)):
        rows = history.scored(name)
        basis = basis_of(rows)
        if len(rows) < MIN_PLATFORM_POSTS:
            out.append(
                PlatformTimes(
                    platform=name,
                    status="insufficient_data",
                    message=insufficient(
                        MIN_PLATFORM_POSTS, len(rows), f"measured posts on {name}"
                    ),
                    basis=basis,
                    best_hours=[],
                    heatmap_slots=[],
                )
            )
            continue
        hours = _hours(rows)
        platform_slots = slots.get(name, [])
        found = bool(hours or platform_slots)
        out.append(
            PlatformTimes(
                platform=name,
                status="ok" if found else "insufficient_data",
                message=None
                if found
                else (
                    f"No hour has {MIN_HOUR_POSTS}+ posts that beat your median views yet; "
                    "keep posting at varied times."
                ),
                basis=basis,
                best_hours=hours,
                heatmap_slots=platform_slots,
            )
        )
    return PostingTimes(
        status="ok" if any(p.status == "ok" for p in out) else "insufficient_data",
        timezone=history.timezone,
        platforms=out,
    )
