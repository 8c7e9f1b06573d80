"""A video's expected views before posting: a range and the factors that drive it.

Model (multiplicative, fitted on the creator's own measured posts):

    expected = baseline(platform) x product over factors of effect(value)

- baseline: the median views of the creator's measured posts on the platform,
  blended in log space with the platform's overall median (the prior, from
  every creator's posts on that platform) weighted by `PRIOR_WEIGHT` posts:
  log b = (n log user + k log prior) / (n + k). With no own posts on the
  platform the prior alone is used (and said so); with neither, no prediction.
- effect of a value (template, hook style, structure, pacing, voice, music
  mood, caption style, length, posting hour): the median score of the creator's
  posts that had it, shrunk towards 1 by its sample size m:
  effect = ratio ^ (m / (m + EFFECT_SHRINK)); values with fewer than
  `MIN_FACTOR_POSTS` posts are not used.
- range: expected x the 25th and 75th percentile of the creator's scores on
  the platform (their usual spread around their median); with fewer than
  `MIN_SPREAD_POSTS` posts the default spread 0.5x-2x is used.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from typing import Literal

from pydantic import BaseModel, Field

from synthora.suggestions.models import (
    DIMENSIONS,
    Basis,
    History,
    Scored,
    Status,
    basis_of,
    median,
    value_label,
)

PRIOR_WEIGHT = 10
EFFECT_SHRINK = 5
MIN_FACTOR_POSTS = 3
MIN_SPREAD_POSTS = 8
DEFAULT_SPREAD = (0.5, 2.0)


class PlatformPrior(BaseModel):
    """The platform's overall history: median views of every creator's measured posts."""

    platform: str
    median_views: float = Field(ge=0)
    posts: int = Field(ge=0)


class PredictionInput(BaseModel):
    platform: str
    settings: dict[str, str] = Field(default_factory=dict)
    template: str | None = Field(default=None, description="Template name (or id).")
    hour: int | None = Field(default=None, ge=0, le=23, description="Planned local hour.")


class Factor(BaseModel):
    name: str
    value: str
    label: str
    effect: float = Field(description="Multiplier on the baseline (1 = no effect).")
    posts: int
    raw_ratio: float = Field(description="Median score of those posts, before shrinking.")
    direction: Literal["up", "down", "neutral"]


class Prediction(BaseModel):
    status: Status
    message: str | None
    basis: Basis
    platform: str
    expected_views: int | None
    low: int | None
    high: int | None
    baseline_views: float | None
    baseline_source: Literal["own", "own_and_platform", "platform", "none"]
    prior: PlatformPrior | None
    factors: list[Factor]


def _percentile(values: list[float], q: float) -> float:
    data = sorted(values)
    if len(data) == 1:
        return data[0]
    pos = (len(data) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def _factor(name: str, value: str, rows: list[Scored], label: str) -> Factor | None:
    if len(rows) < MIN_FACTOR_POSTS:
        return None
    ratio = median(r.score for r in rows)
    if ratio <= 0:
        return None
    weight = len(rows) / (len(rows) + EFFECT_SHRINK)
    effect = math.exp(weight * math.log(ratio))
    direction: Literal["up", "down", "neutral"] = (
        "up" if effect >= 1.05 else "down" if effect <= 1 / 1.05 else "neutral"
    )
    return Factor(
        name=name,
        value=value,
        label=label,
        effect=round(effect, 3),
        posts=len(rows),
        raw_ratio=round(ratio, 3),
        direction=direction,
    )


def predict(
    history: History, target: PredictionInput, *, prior: PlatformPrior | None = None
) -> Prediction:
    own = history.scored(target.platform)
    every = history.scored()
    basis = basis_of(every)
    n = len(own)
    own_views = [float(r.obs.views) for r in own]
    source: Literal["own", "own_and_platform", "platform", "none"]
    usable_prior = (
        prior if prior is not None and prior.posts > 0 and prior.median_views > 0 else None
    )
    if n and statistics.median(own_views) > 0:
        user_median = statistics.median(own_views)
        if usable_prior is not None:
            k = PRIOR_WEIGHT
            baseline = math.exp(
                (n * math.log(user_median) + k * math.log(usable_prior.median_views)) / (n + k)
            )
            source = "own_and_platform"
        else:
            baseline, source = user_median, "own"
    elif usable_prior is not None:
        baseline, source = usable_prior.median_views, "platform"
    else:
        return Prediction(
            status="insufficient_data",
            message=(
                f"Not enough data yet: no measured posts on {target.platform} (48 h+ old), "
                "and no overall history for that platform on this server."
            ),
            basis=basis,
            platform=target.platform,
            expected_views=None,
            low=None,
            high=None,
            baseline_views=None,
            baseline_source="none",
            prior=prior,
            factors=[],
        )
    # Effects are learnt across all the creator's platforms (scores are per account).
    groups: dict[tuple[str, str], list[Scored]] = defaultdict(list)
    for r in every:
        for dim in DIMENSIONS:
            v = r.obs.value(dim)
            if v:
                groups[(dim, v)].append(r)
        groups[("hour", str(r.local_hour))].append(r)
    factors: list[Factor] = []
    wanted: list[tuple[str, str, str]] = [
        (dim, v, value_label(dim, v)) for dim, v in target.settings.items() if dim in DIMENSIONS
    ]
    if target.template:
        wanted.append(("template", target.template, value_label("template", target.template)))
    if target.hour is not None:
        wanted.append(("hour", str(target.hour), f"posting at {target.hour:02d}:00"))
    for dim, v, label in wanted:
        f = _factor(dim, v, groups.get((dim, v), []), label)
        if f is not None:
            factors.append(f)
    factors.sort(key=lambda f: abs(math.log(f.effect)), reverse=True)
    expected = baseline * math.prod(f.effect for f in factors)
    if n >= MIN_SPREAD_POSTS:
        scores = [r.score for r in own]
        low_q, high_q = _percentile(scores, 0.25), _percentile(scores, 0.75)
    else:
        low_q, high_q = DEFAULT_SPREAD
    message = None
    if source == "platform":
        message = (
            f"No measured posts of yours on {target.platform} yet: the baseline is the "
            f"platform's overall median ({prior.posts if prior else 0} posts on this server)."
        )
    elif n < PRIOR_WEIGHT:
        message = f"Only {n} measured posts of yours on {target.platform}: the range is wide" + (
            " and leans on the platform's overall history." if usable_prior else "."
        )
    return Prediction(
        status="ok",
        message=message,
        basis=basis,
        platform=target.platform,
        expected_views=round(expected),
        low=round(expected * low_q),
        high=round(expected * high_q),
        baseline_views=round(baseline, 1),
        baseline_source=source,
        prior=prior,
        factors=factors,
    )
