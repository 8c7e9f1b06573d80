"""Metrics that evolve: the views, likes, comments and shares of a published video.

The model (written out in docs/emulators.md, "Metrics model"):

    total(v) = BASE[platform] * quality(v) * hour(v) * weekday(v) * duration(v) * effects(v)
    views(v, age) = floor(total * (1 - exp(-age_h / tau(v))) + total * 0.05 * ln(1 + age_h / 168))
    likes = floor(views * like_rate(v)), comments = floor(views * comment_rate(v)),
    shares = floor(views * share_rate(v)), saves = floor(views * save_rate(v))

- `quality`, `tau`, and the rates are drawn from sha256(platform:video id), so a video's curve
  is the same on every run;
- `hour` and `weekday` are the UTC hour and weekday (0 = Monday) the video became public:
  a mild built-in evening peak (19:00) and mid-week lift;
- `duration` favours short videos (<= 60 s 1.15, <= 180 s 1.0, longer 0.85);
- `effects` are the multipliers planted through the control API (`Effect`), e.g.
  {"hours": [18], "weekdays": [0,1,2,3,4], "multiplier": 2} or {"title_question": 1.5};
  they are read when the metrics are read, so planting one changes every video it matches.

Every quantity is a floor of a non-decreasing function of age, so counters never go down, and
the difference between two instants is the activity of that interval (the daily rows of
YouTube Analytics).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel, Field, model_validator

BASE_VIEWS: dict[str, float] = {
    "youtube": 1_000.0,
    "tiktok": 2_000.0,
    "instagram": 1_500.0,
    "facebook": 800.0,
}
HOUR_PEAK = 19
WEEKDAY_FACTOR = (1.0, 1.05, 1.1, 1.05, 1.0, 0.9, 0.9)


class Effect(BaseModel):
    """A planted effect: when every condition given matches, views are multiplied.

    `title_question: 1.5` is shorthand for "the title or caption contains '?'" with
    multiplier 1.5.
    """

    hours: list[int] | None = Field(default=None, description="UTC publish hours (0-23).")
    weekdays: list[int] | None = Field(default=None, description="Publish weekdays, 0 = Monday.")
    max_duration_s: float | None = None
    min_duration_s: float | None = None
    text_contains: str | None = None
    title_question: float | None = Field(default=None, gt=0)
    multiplier: float = Field(default=1.0, gt=0, le=1000)

    @model_validator(mode="after")
    def _valid(self) -> Effect:
        if self.hours is not None and any(not 0 <= h <= 23 for h in self.hours):
            raise ValueError("hours are 0-23")
        if self.weekdays is not None and any(not 0 <= d <= 6 for d in self.weekdays):
            raise ValueError("weekdays are 0 (Monday) to 6")
        return self

    def factor(self, video: VideoFeatures) -> float:
        when = datetime.fromtimestamp(video.published_at, tz=UTC)
        if self.hours is not None and when.hour not in self.hours:
            return 1.0
        if self.weekdays is not None and when.weekday() not in self.weekdays:
            return 1.0
        if self.max_duration_s is not None and not (
            video.duration_s is not None and video.duration_s <= self.max_duration_s
        ):
            return 1.0
        if self.min_duration_s is not None and not (
            video.duration_s is not None and video.duration_s >= self.min_duration_s
        ):
            return 1.0
        if self.text_contains is not None and self.text_contains.lower() not in video.text.lower():
            return 1.0
        factor = self.multiplier
        if self.title_question is not None:
            if "?" not in video.text:
                return 1.0
            factor *= self.title_question
        return factor


@dataclass(frozen=True)
class VideoFeatures:
    """What the emulator saw of a published video."""

    platform: str
    video_id: str
    published_at: float
    duration_s: float | None
    text: str


@dataclass(frozen=True)
class Snapshot:
    views: int
    likes: int
    comments: int
    shares: int
    saves: int
    reach: int
    watch_time_s: int
    avg_view_duration_s: float


def _uniform(video: VideoFeatures, k: int) -> float:
    digest = hashlib.sha256(f"{video.platform}:{video.video_id}:{k}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def total_views(video: VideoFeatures, effects: list[Effect]) -> float:
    when = datetime.fromtimestamp(video.published_at, tz=UTC)
    quality = 0.6 + 0.8 * _uniform(video, 1)
    hour = 1.0 + 0.25 * math.cos(2 * math.pi * (when.hour - HOUR_PEAK) / 24)
    weekday = WEEKDAY_FACTOR[when.weekday()]
    if video.duration_s is None:
        duration = 1.0
    elif video.duration_s <= 60:
        duration = 1.15
    elif video.duration_s <= 180:
        duration = 1.0
    else:
        duration = 0.85
    planted = 1.0
    for effect in effects:
        planted *= effect.factor(video)
    return BASE_VIEWS.get(video.platform, 1_000.0) * quality * hour * weekday * duration * planted


def snapshot(video: VideoFeatures, effects: list[Effect], now: float) -> Snapshot:
    age_h = max(0.0, (now - video.published_at) / 3600)
    total = total_views(video, effects)
    tau = 12 + 24 * _uniform(video, 2)
    views = math.floor(
        total * (1 - math.exp(-age_h / tau)) + total * 0.05 * math.log1p(age_h / 168)
    )
    duration = video.duration_s or 30.0
    avg_view = round(duration * (0.35 + 0.3 * _uniform(video, 2)), 2)
    return Snapshot(
        views=views,
        likes=math.floor(views * (0.03 + 0.05 * _uniform(video, 3))),
        comments=math.floor(views * (0.002 + 0.006 * _uniform(video, 4))),
        shares=math.floor(views * (0.003 + 0.01 * _uniform(video, 5))),
        saves=math.floor(views * (0.005 + 0.01 * _uniform(video, 6))),
        reach=math.floor(views * (0.7 + 0.2 * _uniform(video, 7))),
        watch_time_s=math.floor(views * avg_view),
        avg_view_duration_s=avg_view,
    )
