"""The analysers recover effects planted in synthetic histories, and refuse on too little."""

from __future__ import annotations

import re

from synthora.suggestions import (
    PlatformPrior,
    PredictionInput,
    attribution,
    improvements,
    offline_ideas,
    posting_times,
    predict,
    trends,
)
from tests.suggestions.synthetic import history

# --------------------------------------------------------------------------- attribution


def test_attribution_finds_the_better_hook_style_with_its_evidence() -> None:
    result = attribution(history(better_hook="question"))
    hook = result.dimension("hook_style")
    assert result.status == "ok" and hook is not None and hook.best is not None
    assert hook.best.value == "question"
    assert hook.best.ratio >= 1.3 and hook.best.confidence >= 0.8
    assert re.fullmatch(
        r"question hooks: \d\.\dx your median views, \d+ videos", hook.best.evidence
    )
    assert hook.best.videos == 20
    assert result.basis.posts == 60 and "60 measured posts of 60 videos" in result.basis.summary


def test_attribution_names_no_best_hook_when_none_was_planted() -> None:
    hook = attribution(history()).dimension("hook_style")
    assert hook is not None and hook.best is None
    assert all(0.7 < v.ratio < 1.3 for v in hook.values)


def test_attribution_refuses_below_ten_measured_posts() -> None:
    result = attribution(history(posts=9, better_hook="question"))
    assert result.status == "insufficient_data" and result.dimensions == []
    assert result.message == (
        "Not enough data yet: 9 measured posts (48 h+ old); this needs at least 10."
    )


def test_a_value_with_fewer_than_five_videos_is_not_compared() -> None:
    # 12 posts: question and bold claim hooks have 5 videos each, story openers 2
    result = attribution(history(posts=12, better_hook="story_opener"))
    hook = result.dimension("hook_style")
    assert hook is not None and hook.best is None
    assert {v.value for v in hook.values} == {"question", "bold_claim"}


# --------------------------------------------------------------------------- posting times


def test_posting_times_recover_the_best_local_hour() -> None:
    result = posting_times(history(best_hour=18, timezone="America/New_York"))
    (tiktok,) = result.platforms
    assert tiktok.status == "ok" and tiktok.best_hours[0].value == "18"
    assert tiktok.best_hours[0].confidence_label == "high"
    assert tiktok.best_hours[0].label == "posts at 18:00-19:00"


def test_posting_times_are_per_platform_and_refuse_a_thin_one() -> None:
    h = history(posts=27, best_hour=12, platforms=("tiktok", "tiktok", "youtube"))
    by = {p.platform: p for p in posting_times(h).platforms}
    assert by["tiktok"].status == "ok"
    assert by["youtube"].status == "insufficient_data" and by["youtube"].best_hours == []
    assert by["youtube"].message == (
        "Not enough data yet: 9 measured posts on youtube; this needs at least 10."
    )


# --------------------------------------------------------------------------- trends


def test_trends_find_the_declining_template() -> None:
    result = trends(history(declining_template="Explainer"))
    falling = {t.value for t in result.falling}
    assert result.status == "ok" and "Explainer" in falling
    explainer = next(t for t in result.falling if t.value == "Explainer")
    assert explainer.earlier_ratio > 1.5 and explainer.recent_ratio < 0.8
    assert "Explainer" not in {t.value for t in result.rising}


def test_trends_refuse_without_both_periods() -> None:
    result = trends(history(posts=20, days=20))
    assert result.status == "insufficient_data"
    assert "0 before" in (result.message or "")


# --------------------------------------------------------------------------- prediction


def test_prediction_follows_the_planted_hook_effect() -> None:
    h = history(better_hook="question")
    better = predict(h, PredictionInput(platform="tiktok", settings={"hook_style": "question"}))
    worse = predict(h, PredictionInput(platform="tiktok", settings={"hook_style": "bold_claim"}))
    assert better.status == worse.status == "ok"
    assert better.expected_views and worse.expected_views
    assert better.expected_views > 1.4 * worse.expected_views
    assert better.low is not None and better.high is not None
    assert better.low < better.expected_views < better.high
    assert better.factors[0].name == "hook_style" and better.factors[0].direction == "up"
    assert better.baseline_source == "own"


def test_prediction_leans_on_the_platform_prior_when_thin() -> None:
    h = history(posts=4, base_views=100.0)
    prior = PlatformPrior(platform="tiktok", median_views=10_000.0, posts=500)
    thin = predict(h, PredictionInput(platform="tiktok"), prior=prior)
    assert thin.baseline_source == "own_and_platform"
    assert thin.baseline_views is not None and 100 < thin.baseline_views < 10_000
    only_prior = predict(
        h,
        PredictionInput(platform="youtube"),
        prior=prior.model_copy(update={"platform": "youtube"}),
    )
    assert only_prior.baseline_source == "platform" and only_prior.expected_views == 10_000


def test_prediction_refuses_without_own_posts_or_prior() -> None:
    result = predict(history(posts=0), PredictionInput(platform="tiktok"))
    assert result.status == "insufficient_data" and result.expected_views is None


# --------------------------------------------------------------------------- improvements


def test_improvement_tips_cite_the_better_hour_and_hook() -> None:
    result = improvements(history(best_hour=18, better_hook="question", posts=75))
    assert result.status == "ok" and result.posts
    fields = {t.field for p in result.posts for t in p.tips}
    assert "posting_time" in fields and "hook" in fields
    hook_tip = next(t for p in result.posts for t in p.tips if t.field == "hook")
    assert hook_tip.evidence.startswith("question hooks:")
    assert all(p.ratio <= 0.6 for p in result.posts)


def test_improvements_refuse_on_too_little() -> None:
    assert improvements(history(posts=5)).status == "insufficient_data"


# --------------------------------------------------------------------------- ideas


def test_offline_ideas_build_on_the_best_performers() -> None:
    h = history(best_hour=18, better_hook="question")
    result = offline_ideas(h)
    assert result.status == "ok" and result.ideas
    best = max(h.scored(), key=lambda r: r.score)
    first = result.ideas[0]
    assert first.based_on_video_ids == [best.obs.video_id]
    assert first.prefill.template_id == best.obs.template_id
    assert first.prefill.topic == first.topic and 3 <= len(first.topic) <= 200
    assert f"'{best.obs.topic}' did" in first.why


def test_offline_ideas_refuse_on_too_little() -> None:
    assert offline_ideas(history(posts=3)).status == "insufficient_data"
