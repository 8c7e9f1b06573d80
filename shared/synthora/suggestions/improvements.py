"""Tips for underperforming posts, each tied to the evidence it rests on.

An underperformer is a measured post scoring `UNDER` or less (at most 60% of
its account's median views). It is compared with the creator's top performers
(the top quarter by score, at least `MIN_TOP` posts) and with the attribution:

- title: its word count against the top performers' median word count (a tip
  when it is under half or over 1.5 times it);
- description: empty while most top performers have one;
- hashtags: none, or more than twice the top performers' median count;
- hook and length: its value scores under 1 while the dimension's best value
  (see `attribution`) beats the median;
- posting time: posted at an hour that is not among the best hours while a
  best hour with medium or high confidence exists.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from synthora.suggestions.attribution import Attribution, attribution
from synthora.suggestions.models import (
    Basis,
    History,
    Scored,
    Status,
    basis_of,
    insufficient,
    median,
)
from synthora.suggestions.posting_times import hour_label, posting_times

MIN_MEASURED_POSTS = 10
UNDER = 0.6
MIN_TOP = 3
MAX_POSTS = 5

Field_ = Literal["title", "description", "hashtags", "hook", "length", "posting_time"]


class Tip(BaseModel):
    field: Field_
    message: str
    evidence: str


class Underperformer(BaseModel):
    post_id: str
    video_id: str | None
    platform: str
    title: str
    views: int
    ratio: float
    tips: list[Tip]


class Improvements(BaseModel):
    status: Status
    message: str | None
    basis: Basis
    posts: list[Underperformer]


def _words(text: str) -> int:
    return len(text.split())


def _tips(
    r: Scored, top: list[Scored], attr: Attribution, best_hours: dict[str, set[int]]
) -> list[Tip]:
    o = r.obs
    tips: list[Tip] = []
    top_titles = [_words(t.obs.title) for t in top if t.obs.title]
    if len(top_titles) >= MIN_TOP and o.title:
        want, have = median(top_titles), _words(o.title)
        if have < want * 0.5 or have > want * 1.5:
            tips.append(
                Tip(
                    field="title",
                    message=f"Aim for a title of about {round(want)} words.",
                    evidence=(
                        f"your top {len(top_titles)} posts' titles have {want:g} words (median); "
                        f"this one has {have}"
                    ),
                )
            )
    with_caption = sum(1 for t in top if t.obs.caption.strip())
    if not o.caption.strip() and with_caption * 3 >= len(top) * 2 and len(top) >= MIN_TOP:
        tips.append(
            Tip(
                field="description",
                message="Add a description.",
                evidence=f"{with_caption} of your top {len(top)} posts have one; this one has none",
            )
        )
    top_tags = [len(t.obs.hashtags) for t in top]
    if len(top_tags) >= MIN_TOP:
        want_tags = median(top_tags)
        have_tags = len(o.hashtags)
        if (have_tags == 0 and want_tags >= 1) or (want_tags >= 1 and have_tags > 2 * want_tags):
            tips.append(
                Tip(
                    field="hashtags",
                    message=f"Use about {round(want_tags)} hashtags.",
                    evidence=(
                        f"your top {len(top_tags)} posts use {want_tags:g} hashtags (median); "
                        f"this one has {have_tags}"
                    ),
                )
            )
    for dim, field in (("hook_style", "hook"), ("length", "length")):
        d = attr.dimension(dim)
        value = o.value(dim)
        if d is None or d.best is None or value is None or value == d.best.value:
            continue
        mine = next((v for v in d.values if v.value == value), None)
        if mine is not None and mine.ratio < 1:
            tips.append(
                Tip(
                    field=field,  # type: ignore[arg-type]
                    message=f"Try {d.best.label} instead of {mine.label}.",
                    evidence=f"{d.best.evidence}; {mine.evidence}",
                )
            )
    hours = best_hours.get(o.platform)
    if hours and r.local_hour not in hours:
        wanted = ", ".join(hour_label(h) for h in sorted(hours))
        tips.append(
            Tip(
                field="posting_time",
                message=f"Post on {o.platform} at {wanted} instead.",
                evidence=(
                    f"posted at {hour_label(r.local_hour)}; your posts at {wanted} beat your "
                    "median views"
                ),
            )
        )
    return tips


def improvements(history: History) -> Improvements:
    rows = history.scored()
    basis = basis_of(rows)
    if len(rows) < MIN_MEASURED_POSTS:
        return Improvements(
            status="insufficient_data",
            message=insufficient(MIN_MEASURED_POSTS, len(rows), "measured posts (48 h+ old)"),
            basis=basis,
            posts=[],
        )
    ranked = sorted(rows, key=lambda r: r.score, reverse=True)
    top = ranked[: max(MIN_TOP, len(ranked) // 4)]
    attr = attribution(history)
    times = posting_times(history)
    best_hours = {
        p.platform: {int(h.value) for h in p.best_hours if h.confidence_label != "low"}
        for p in times.platforms
    }
    under = [r for r in reversed(ranked) if r.score <= UNDER][:MAX_POSTS]
    posts = []
    for r in under:
        tips = _tips(r, top, attr, best_hours)
        if tips:
            posts.append(
                Underperformer(
                    post_id=r.obs.post_id,
                    video_id=r.obs.video_id,
                    platform=r.obs.platform,
                    title=r.obs.title,
                    views=r.obs.views,
                    ratio=round(r.score, 3),
                    tips=tips,
                )
            )
    return Improvements(
        status="ok",
        message=None if posts else "No post is under 60% of your median views with a clear fix.",
        basis=basis,
        posts=posts,
    )
