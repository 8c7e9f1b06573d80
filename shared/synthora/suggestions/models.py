"""The history the analysers read, how each post is scored, and what every result cites.

A post's *score* is its views divided by the median views of the measured posts
of the same social account (the analytics heatmap's definition), so a big
channel and a small one, or YouTube and TikTok, weigh the same and one viral
post does not paint everything. A score of 1.8 reads "1.8x your median views".
Posts younger than `MEASURE_AFTER` are not measured yet: their first hours say
little about where they end.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

#: A post counts once it is this old (the analytics heatmap uses the same).
MEASURE_AFTER = timedelta(hours=48)

#: The template settings whose values the analysers compare, with readable names.
DIMENSIONS: dict[str, str] = {
    "template": "template",
    "hook_style": "hook",
    "narrative_structure": "structure",
    "pacing": "pacing",
    "voice_tone": "voice",
    "music_mood": "music mood",
    "caption_style": "caption style",
    "length": "length",
}

#: Length buckets by the finished video's seconds: the lengths Create offers, so a best
#: length can be pre-filled as it is (a bucket holds lengths from its lower bound up to,
#: not including, its upper bound).
LENGTHS: tuple[tuple[str, float], ...] = (
    ("under_15s", 15.0),
    ("15_30s", 30.0),
    ("30_60s", 60.0),
    ("60_90s", 90.0),
    ("over_90s", math.inf),
)

Status = Literal["ok", "insufficient_data"]


def length_bucket(seconds: float | None) -> str | None:
    if seconds is None or seconds <= 0:
        return None
    return next(name for name, upper in LENGTHS if seconds < upper)


def bucket_bounds(bucket: str) -> tuple[int, int] | None:
    """The min/max seconds a length bucket stands for (for a Create pre-fill)."""
    return {
        "under_15s": (10, 15),
        "15_30s": (15, 30),
        "30_60s": (30, 60),
        "60_90s": (60, 90),
        "over_90s": (90, 180),
    }.get(bucket)


def settings_of(config: dict[str, Any], duration_s: float | None = None) -> dict[str, str]:
    """The compared setting values of a video's template config (as stored on the video)."""
    vs = config.get("video_structure") or {}
    audio = config.get("audio") or {}
    text = config.get("text_style") or {}
    out: dict[str, str] = {}
    for name, value in (
        ("hook_style", vs.get("hook_style")),
        ("narrative_structure", vs.get("narrative_structure")),
        ("pacing", vs.get("pacing")),
        ("voice_tone", audio.get("voice_tone")),
        ("music_mood", audio.get("music_mood")),
        ("caption_style", text.get("caption_style")),
    ):
        if value:
            out[name] = str(value)
    if duration_s is None:
        duration = vs.get("duration") or {}
        lo, hi = duration.get("min_seconds"), duration.get("max_seconds")
        if lo and hi:
            duration_s = (float(lo) + float(hi)) / 2
    bucket = length_bucket(duration_s)
    if bucket:
        out["length"] = bucket
    return out


def value_label(dimension: str, value: str) -> str:
    """'question hooks', 'calm music mood', 'videos of 15-30 s', 'template Viral Hook'."""
    readable = value.replace("_", " ")
    if dimension == "hook_style":
        return f"{readable} hooks"
    if dimension == "length":
        return {
            "under_15s": "videos under 15 s",
            "15_30s": "videos of 15-30 s",
            "30_60s": "videos of 30-60 s",
            "60_90s": "videos of 60-90 s",
            "over_90s": "videos over 90 s",
        }.get(value, readable)
    if dimension == "template":
        return f"template {value}"
    return f"{readable} {DIMENSIONS.get(dimension, dimension)}"


class Observation(BaseModel):
    """One published post on one platform, with the video it shows."""

    item_id: str
    post_id: str
    video_id: str | None = None
    platform: str
    account_id: str
    published_at: datetime
    views: int = Field(default=0, ge=0)
    likes: int = 0
    comments: int = 0
    shares: int = 0
    saves: int = 0
    title: str = ""
    caption: str = ""
    hashtags: list[str] = Field(default_factory=list)
    topic: str | None = None
    template_id: str | None = None
    template_name: str | None = None
    settings: dict[str, str] = Field(
        default_factory=dict, description="Compared setting values (see DIMENSIONS)."
    )
    duration_s: float | None = None

    @field_validator("published_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return _aware(value)

    def value(self, dimension: str) -> str | None:
        if dimension == "template":
            return self.template_name or self.template_id
        return self.settings.get(dimension)


class Scored(BaseModel):
    obs: Observation
    score: float
    local_hour: int
    local_weekday: int


class Basis(BaseModel):
    """What a result rests on."""

    posts: int
    videos: int
    platforms: list[str]
    start: datetime | None
    end: datetime | None
    summary: str


class History(BaseModel):
    """One creator's posts, the moment of analysis and their time zone."""

    observations: list[Observation]
    now: datetime
    timezone: str = "UTC"

    def measured(self, platform: str | None = None) -> list[Observation]:
        cutoff = self.now - MEASURE_AFTER
        return [
            o
            for o in self.observations
            if o.published_at <= cutoff and (platform is None or o.platform == platform)
        ]

    def scored(self, platform: str | None = None) -> list[Scored]:
        """Measured posts with their score against their account's median views."""
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(self.timezone)
        rows = self.measured(platform)
        by_account: dict[str, list[float]] = defaultdict(list)
        for o in rows:
            by_account[o.account_id].append(float(o.views))
        medians = {a: statistics.median(v) for a, v in by_account.items()}
        out: list[Scored] = []
        for o in rows:
            base = medians[o.account_id]
            if base <= 0:
                continue
            local = _aware(o.published_at).astimezone(zone)
            out.append(
                Scored(
                    obs=o,
                    score=o.views / base,
                    local_hour=local.hour,
                    local_weekday=local.weekday(),
                )
            )
        return out


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def basis_of(rows: Sequence[Scored | Observation], *, what: str = "measured posts") -> Basis:
    obs = [r.obs if isinstance(r, Scored) else r for r in rows]
    times = sorted(_aware(o.published_at) for o in obs)
    videos = {o.video_id or o.post_id for o in obs}
    platforms = sorted({o.platform for o in obs})
    if times:
        summary = (
            f"{len(obs)} {what} of {len(videos)} videos on {', '.join(platforms)}, published "
            f"{times[0].date().isoformat()} to {times[-1].date().isoformat()}"
        )
    else:
        summary = f"no {what} yet"
    return Basis(
        posts=len(obs),
        videos=len(videos),
        platforms=platforms,
        start=times[0] if times else None,
        end=times[-1] if times else None,
        summary=summary,
    )


# --------------------------------------------------------------------------- statistics


def median(values: Iterable[float]) -> float:
    return float(statistics.median(list(values)))


def sign_test_confidence(above: int, n: int) -> float:
    """1 - P(X >= above) for X ~ Binomial(n, 1/2): how unlikely this many wins are by chance."""
    if n <= 0:
        return 0.0
    p: float = sum(math.comb(n, k) for k in range(above, n + 1)) / 2**n
    return round(1 - p, 4)


def confidence_label(confidence: float) -> Literal["low", "medium", "high"]:
    return "high" if confidence >= 0.95 else "medium" if confidence >= 0.8 else "low"


class GroupStat(BaseModel):
    """One setting value (or hour, topic, template) over the posts that had it."""

    dimension: str
    value: str
    label: str
    posts: int
    videos: int
    ratio: float = Field(description="Median score: x your median views.")
    above_median: int = Field(description="Posts that beat their account's median views.")
    confidence: float = Field(description="1 - one-sided sign-test p-value, for ratio > 1.")
    confidence_label: Literal["low", "medium", "high"]
    video_ids: list[str] = Field(default_factory=list, description="Up to 5 of the videos.")
    evidence: str


def group_stat(
    dimension: str, value: str, rows: Sequence[Scored], label: str | None = None
) -> GroupStat:
    scores = [r.score for r in rows]
    ratio = median(scores)
    above = sum(1 for s in scores if s > 1.0)
    below = sum(1 for s in scores if s < 1.0)
    # Which way the sign test looks follows the ratio: wins above, or losses below, the median.
    conf = sign_test_confidence(above if ratio >= 1 else below, len(scores))
    videos = list(dict.fromkeys(r.obs.video_id or r.obs.post_id for r in rows))
    name = label or value_label(dimension, value)
    return GroupStat(
        dimension=dimension,
        value=value,
        label=name,
        posts=len(rows),
        videos=len(videos),
        ratio=round(ratio, 3),
        above_median=above,
        confidence=conf,
        confidence_label=confidence_label(conf),
        video_ids=videos[:5],
        evidence=f"{name}: {ratio:.1f}x your median views, {len(videos)} videos",
    )


def insufficient(needed: int, have: int, what: str) -> str:
    return f"Not enough data yet: {have} {what}; this needs at least {needed}."
