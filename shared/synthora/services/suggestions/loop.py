"""The closed loop: did the videos made from suggestions do better than the creator's median?

When a suggestion is acted on with the video made from it (`POST /{id}/acted`
with `video_id`), that video's posts are measured like every other post: each
post's score is its views over its account's median views (48 h+ old posts).
A video's ratio is the median of its posts' scores. The report compares the
acted-on videos' median ratio with the other videos' median ratio; it draws a
conclusion only from `MIN_MEASURED_ACTED` measured acted-on videos.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from synthora.platform import Platform
from synthora.services.suggestions.history import load_history
from synthora.services.suggestions.store import COLLECTION, Outcome, SuggestionType
from synthora.suggestions import Basis, History
from synthora.suggestions.models import basis_of, median

MIN_MEASURED_ACTED = 3


class ActedOutcome(Outcome):
    suggestion_id: str
    type: SuggestionType
    title: str
    acted_at: datetime | None


class LoopReport(BaseModel):
    status: Literal["ok", "insufficient_data"]
    message: str | None
    basis: Basis
    acted: int = Field(description="Suggestions acted on.")
    with_video: int = Field(description="... of which name the video made from them.")
    measured: int = Field(description="... of which that video has measured posts.")
    acted_median_ratio: float | None = Field(description="x your median views, acted-on videos.")
    others_median_ratio: float | None = Field(description="x your median views, other videos.")
    lift: float | None = Field(description="acted_median_ratio / others_median_ratio.")
    outcomes: list[ActedOutcome]


def video_ratios(history: History) -> dict[str, tuple[float, int, int]]:
    """video id -> (median score of its posts, posts, views)."""
    by_video: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for r in history.scored():
        if r.obs.video_id:
            by_video[r.obs.video_id].append((r.score, r.obs.views))
    return {
        v: (median(s for s, _ in rows), len(rows), sum(n for _, n in rows))
        for v, rows in by_video.items()
    }


def outcome_of(
    history: History, ratios: dict[str, tuple[float, int, int]], video_id: str
) -> Outcome:
    if video_id in ratios:
        ratio, posts, views = ratios[video_id]
        return Outcome(
            video_id=video_id, status="measured", posts=posts, views=views, ratio=round(ratio, 3)
        )
    posted = [o for o in history.observations if o.video_id == video_id]
    return Outcome(
        video_id=video_id,
        status="not_measured_yet" if posted else "not_posted",
        posts=len(posted),
        views=sum(o.views for o in posted),
    )


def closed_loop(*, platform: Platform, uid: str, history: History | None = None) -> LoopReport:
    history = history or load_history(platform=platform, uid=uid)
    snaps = (
        platform.documents.collection(COLLECTION)
        .where("user_id", "==", uid)
        .where("acted", "==", True)
        .get()
    )
    ratios = video_ratios(history)
    outcomes: list[ActedOutcome] = []
    for snap in snaps:
        d = snap.to_dict() or {}
        video_id = d.get("acted_video_id")
        if not video_id:
            continue
        out = outcome_of(history, ratios, str(video_id))
        outcomes.append(
            ActedOutcome(
                **out.model_dump(),
                suggestion_id=snap.id,
                type=d["type"],
                title=d.get("title", ""),
                acted_at=d.get("acted_at"),
            )
        )
    outcomes.sort(key=lambda o: (o.acted_at is None, o.acted_at), reverse=True)
    acted_videos = {o.video_id for o in outcomes}
    measured = {o.video_id: o.ratio for o in outcomes if o.ratio is not None}
    others = [r for v, (r, _, _) in ratios.items() if v not in acted_videos]
    acted_ratio = median(measured.values()) if measured else None
    others_ratio = median(others) if others else None
    enough = len(measured) >= MIN_MEASURED_ACTED and others_ratio is not None
    lift = (
        round(acted_ratio / others_ratio, 3)
        if enough and acted_ratio is not None and others_ratio
        else None
    )
    return LoopReport(
        status="ok" if enough else "insufficient_data",
        message=None
        if enough
        else (
            f"Not enough data yet: {len(measured)} measured video(s) made from suggestions; "
            f"a comparison needs at least {MIN_MEASURED_ACTED}."
        ),
        basis=basis_of(history.scored()),
        acted=len(snaps),
        with_video=len(outcomes),
        measured=len(measured),
        acted_median_ratio=round(acted_ratio, 3) if acted_ratio is not None else None,
        others_median_ratio=round(others_ratio, 3) if others_ratio is not None else None,
        lift=lift,
        outcomes=outcomes,
    )
