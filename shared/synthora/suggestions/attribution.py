"""Which of the creator's templates and setting values perform best (the closed loop).

For each dimension (template, hook style, structure, pacing, voice, music mood,
caption style, length) the measured posts are grouped by the value their video
had; each value with at least `MIN_VALUE_VIDEOS` videos gets its median score
("question hooks: 1.8x your median views, 14 videos") and a sign-test
confidence. A dimension is compared only when two or more values qualify; its
best value is named when it beats the median by `MIN_LIFT` with at least
medium confidence.
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel

from synthora.suggestions.models import (
    DIMENSIONS,
    Basis,
    GroupStat,
    History,
    Scored,
    Status,
    basis_of,
    group_stat,
    insufficient,
)

MIN_MEASURED_POSTS = 10
MIN_VALUE_VIDEOS = 5
MIN_LIFT = 1.2
MIN_CONFIDENCE = 0.8


class DimensionResult(BaseModel):
    dimension: str
    name: str
    values: list[GroupStat]
    best: GroupStat | None
    worst: GroupStat | None
    message: str | None = None


class Attribution(BaseModel):
    status: Status
    message: str | None
    basis: Basis
    dimensions: list[DimensionResult]

    def dimension(self, name: str) -> DimensionResult | None:
        return next((d for d in self.dimensions if d.dimension == name), None)

    def best_values(self) -> list[GroupStat]:
        return [d.best for d in self.dimensions if d.best is not None]


def _dimension(name: str, rows: list[Scored]) -> DimensionResult:
    groups: dict[str, list[Scored]] = defaultdict(list)
    for r in rows:
        value = r.obs.value(name)
        if value:
            groups[value].append(r)
    stats = []
    for value, members in groups.items():
        videos = {m.obs.video_id or m.obs.post_id for m in members}
        if len(videos) >= MIN_VALUE_VIDEOS:
            stats.append(group_stat(name, value, members))
    stats.sort(key=lambda s: s.ratio, reverse=True)
    if len(stats) < 2:
        return DimensionResult(
            dimension=name,
            name=DIMENSIONS[name],
            values=stats,
            best=None,
            worst=None,
            message=(
                f"Comparing {DIMENSIONS[name]} values needs two values with "
                f"{MIN_VALUE_VIDEOS}+ measured videos each."
            ),
        )
    top, bottom = stats[0], stats[-1]
    best = top if top.ratio >= MIN_LIFT and top.confidence >= MIN_CONFIDENCE else None
    worst = bottom if bottom.ratio <= 1 / MIN_LIFT and bottom.confidence >= MIN_CONFIDENCE else None
    return DimensionResult(
        dimension=name, name=DIMENSIONS[name], values=stats, best=best, worst=worst
    )


def attribution(history: History) -> Attribution:
    """Per template and per setting value: x median views, videos, confidence."""
    rows = history.scored()
    basis = basis_of(rows)
    if len(rows) < MIN_MEASURED_POSTS:
        return Attribution(
            status="insufficient_data",
            message=insufficient(MIN_MEASURED_POSTS, len(rows), "measured posts (48 h+ old)"),
            basis=basis,
            dimensions=[],
        )
    dims = [_dimension(name, rows) for name in DIMENSIONS]
    compared = [d for d in dims if len(d.values) >= 2]
    return Attribution(
        status="ok" if compared else "insufficient_data",
        message=None
        if compared
        else (
            f"No setting has two values with {MIN_VALUE_VIDEOS}+ measured videos each yet; "
            "vary your templates to learn what works."
        ),
        basis=basis,
        dimensions=dims,
    )
