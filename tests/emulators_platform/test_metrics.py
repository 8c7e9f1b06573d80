"""The metrics model: deterministic, never decreasing, and moved by planted effects."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise

import httpx
import pytest
from pydantic import ValidationError
from synthora_emulators.metrics import Effect, VideoFeatures, snapshot

from tests.conftest import PlatformEmulators

MONDAY_18H = datetime(2026, 12, 7, 18, 0, tzinfo=UTC).timestamp()


def _video(
    video_id: str = "abc",
    text: str = "A title",
    hour_ts: float = MONDAY_18H,
    duration: float | None = 30.0,
) -> VideoFeatures:
    return VideoFeatures("youtube", video_id, hour_ts, duration, text)


def test_same_video_same_curve_and_counters_never_decrease() -> None:
    video = _video()
    ages = [0, 600, 3600, 6 * 3600, 86_400, 7 * 86_400, 60 * 86_400]
    snaps = [snapshot(video, [], MONDAY_18H + a) for a in ages]
    assert snaps == [snapshot(video, [], MONDAY_18H + a) for a in ages]
    assert snaps[0].views == 0
    for earlier, later in pairwise(snaps):
        assert later.views >= earlier.views and later.likes >= earlier.likes
        assert later.comments >= earlier.comments and later.shares >= earlier.shares
    assert snapshot(_video("other"), [], MONDAY_18H + 86_400) != snaps[4]


def test_effects_apply_only_when_they_match() -> None:
    later = MONDAY_18H + 5 * 86_400
    weekday_evening = Effect(hours=[18], weekdays=[0, 1, 2, 3, 4], multiplier=2)
    base = snapshot(_video(), [], later).views
    assert snapshot(_video(), [weekday_evening], later).views == pytest.approx(2 * base, rel=0.01)
    saturday = datetime(2026, 12, 12, 18, 0, tzinfo=UTC).timestamp()
    sat = _video(hour_ts=saturday)
    assert snapshot(sat, [weekday_evening], saturday + 5 * 86_400) == snapshot(
        sat, [], saturday + 5 * 86_400
    )
    question = Effect(title_question=1.5)
    asked = _video(text="Why does this work?")
    assert snapshot(asked, [question], later).views == pytest.approx(
        1.5 * snapshot(asked, [], later).views, rel=0.01
    )
    assert snapshot(_video(), [question], later).views == base
    short = Effect(max_duration_s=15, multiplier=4)
    assert (
        snapshot(_video(duration=10), [short], later).views
        > snapshot(_video(duration=10), [], later).views
    )
    assert (
        snapshot(_video(duration=None), [short], later).views
        == snapshot(_video(duration=None), [], later).views
    )


def test_invalid_effects_are_refused() -> None:
    with pytest.raises(ValidationError):
        Effect(hours=[24])
    with pytest.raises(ValidationError):
        Effect(weekdays=[7])
    with pytest.raises(ValidationError):
        Effect(multiplier=0)


def test_effects_through_the_control_api(platform_emulators: PlatformEmulators) -> None:
    url = f"{platform_emulators.url}/_emulator/meta/effects"
    body = httpx.post(
        url, json={"hours": [18], "weekdays": [0, 1, 2, 3, 4], "multiplier": 2}
    ).json()
    assert body["effects"] == [{"hours": [18], "weekdays": [0, 1, 2, 3, 4], "multiplier": 2.0}]
    body = httpx.post(url, json={"effects": [{"title_question": 1.5}]}).json()
    assert len(body["effects"]) == 2
    assert httpx.post(url, json={"hours": [99]}).status_code == 400
    assert httpx.post(url, json={"clear": True}).json() == {"effects": []}
    assert (
        httpx.post(f"{platform_emulators.url}/_emulator/meta/nonsense", json={}).status_code == 404
    )
