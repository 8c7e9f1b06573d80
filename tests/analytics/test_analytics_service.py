"""The analytics service on synthetic histories: rollups equal a recomputation, the
heatmap finds a planted best slot (and refuses thin data), overview and time series sum
the right days, sync fans out per account, batches, backs off and stops on a dead grant."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from synthora_emulators.shapes import clone, google

from synthora.analytics.base import Metrics
from synthora.errors import NotFound, RateLimited
from synthora.platform import Platform
from synthora.services import analytics as svc
from synthora.services import social_accounts as accounts
from tests.analytics.synthetic import add_item, seed_heatmap_history

UID = "creator-a"
NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


def _round(rollups: dict[str, Any]) -> dict[str, Any]:
    def r(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: r(v) for k, v in x.items()}
        return round(float(x), 6) if isinstance(x, (int, float)) else x

    return r(rollups)


def test_rollups_equal_a_recomputation_from_the_snapshots(platform: Platform) -> None:
    start = NOW - timedelta(days=12)
    for i in range(12):
        add_item(
            platform,
            uid=UID,
            item_id=f"p{i}-t0",
            account_id=f"acc{i % 3}",
            social=("youtube", "tiktok", "instagram")[i % 3],
            published_at=start + timedelta(hours=7 * i),
        )
    for day in range(10):
        at = start + timedelta(days=day, hours=20)
        batch = []
        for i in range(12):
            views = 100 * (i + 1) * (day + 1)
            if day == 6 and i == 4:
                views -= 50  # a platform correction: counters may go down
            batch.append(
                svc.Fetched(
                    item_id=f"p{i}-t0",
                    metrics=Metrics(
                        views=views,
                        likes=views // 10,
                        # a metric that arrives late (YouTube's report lag) and one never sent
                        watch_time_s=float(views * 3) if day >= 3 else None,
                    ),
                    definitions="test-v1",
                )
            )
        svc.record_batch(platform=platform, uid=UID, fetched=batch, now=at)
    stored = svc.stored_rollups(platform=platform, uid=UID)
    recomputed = svc.recompute_rollups(platform=platform, uid=UID)
    assert _round(stored) == _round(recomputed)
    assert svc.rollup_differences(stored, recomputed) == []
    # and the check does see a broken rollup
    stored["daily"][next(iter(stored["daily"]))]["youtube"]["views"] += 1
    assert svc.rollup_differences(stored, recomputed)
    assert len(stored["daily"]) == 10 and len(stored["latest"]) == 12
    # the past is kept: one snapshot per fetch, never overwritten
    assert len(platform.documents.collection(svc.SNAPSHOTS).where("uid", "==", UID).get()) == 120


def test_overview_changes_and_time_series_sum_the_right_days(platform: Platform) -> None:
    published = NOW - timedelta(days=20)
    add_item(
        platform,
        uid=UID,
        item_id="a-t0",
        account_id="acc",
        social="youtube",
        published_at=published,
    )
    # +10 views a day for 14 days, then +30 a day for the last 7
    views = 0
    for d in range(21):
        views += 30 if d >= 14 else 10
        at = published + timedelta(days=d, hours=1)
        svc.record_batch(
            platform=platform,
            uid=UID,
            fetched=[
                svc.Fetched(
                    item_id="a-t0", metrics=Metrics(views=views, likes=views // 10), definitions="v"
                )
            ],
            now=at,
        )
    today = (published + timedelta(days=20)).date()
    ov = svc.overview(platform=platform, uid=UID, days=7, today=today)
    assert ov.totals.views == 7 * 30 and ov.previous.views == 7 * 10
    assert ov.changes["views"] == pytest.approx(2.0)
    series = svc.time_series(platform=platform, uid=UID, metric="views", days=7, today=today)
    assert [p.value for p in series.points] == [30.0] * 7
    assert series.points[-1].day == today
    assert (
        svc.time_series(
            platform=platform, uid=UID, metric="views", days=7, social="tiktok", today=today
        )
        .points[0]
        .value
        == 0
    )


def test_heatmap_finds_the_planted_best_slot_in_the_users_zone(platform: Platform) -> None:
    tz = "America/New_York"
    seed_heatmap_history(platform, uid=UID, tz=tz, posts=120, best=(1, 18), viral=(0, 9), now=NOW)
    hm = svc.heatmap(platform=platform, uid=UID, days=90, tz=tz, now=NOW)
    assert hm.status == "ok" and hm.measured_posts == 120
    top = hm.best_slots[0]
    assert (top.weekday, top.hour) == (1, 18)
    assert top.posts >= 20 and top.confidence > 0.99 and top.confidence_label == "high"
    assert 2.0 < top.score < 3.5  # 3x planted, over a median that includes the best posts
    # the viral post sits alone in its cell: visible with its sample size, never a best slot
    viral = next(c for c in hm.cells if (c.weekday, c.hour) == (0, 9))
    assert viral.posts >= 1 and (0, 9) not in {(b.weekday, b.hour) for b in hm.best_slots}
    assert sum(c.posts for c in hm.cells) == 120
    # seen from UTC the one local slot splits across the DST change (EDT 22:00, EST 23:00):
    # each post is placed by its own local time, not by a fixed offset
    utc = svc.heatmap(platform=platform, uid=UID, days=90, tz="UTC", now=NOW)
    assert {(b.weekday, b.hour) for b in utc.best_slots[:2]} == {(1, 22), (1, 23)}


def test_heatmap_without_a_pattern_names_no_confident_slot(platform: Platform) -> None:
    seed_heatmap_history(platform, uid=UID, tz="UTC", posts=60, best=None, now=NOW, seed=3)
    hm = svc.heatmap(platform=platform, uid=UID, days=90, tz="UTC", now=NOW)
    assert all(b.confidence_label != "high" for b in hm.best_slots)


def test_heatmap_refuses_to_rank_on_thin_data(platform: Platform) -> None:
    seed_heatmap_history(platform, uid=UID, tz="UTC", posts=8, best=(2, 12), now=NOW)
    hm = svc.heatmap(platform=platform, uid=UID, days=90, tz="UTC", now=NOW)
    assert hm.status == "insufficient_data" and hm.best_slots == []
    assert hm.measured_posts == 8 and "at least 10" in (hm.message or "")
    assert sum(c.posts for c in hm.cells) == 8  # what there is, with its sample sizes


def test_heatmap_refuses_to_rank_thin_cells_even_with_enough_posts(platform: Platform) -> None:
    # 14 measured posts, each alone in its slot, two of them far above the median: enough
    # posts overall, but no cell has the 3 posts a best slot needs, so none is named
    start = NOW - timedelta(days=20)
    fetched = []
    for i in range(14):
        item = f"q{i}-t0"
        add_item(
            platform,
            uid=UID,
            item_id=item,
            account_id="acc",
            social="youtube",
            published_at=start + timedelta(days=i, hours=i % 12),
        )
        views = 5000 if i in (3, 9) else 1000 + 10 * i
        fetched.append(svc.Fetched(item_id=item, metrics=Metrics(views=views), definitions="v"))
    svc.record_batch(platform=platform, uid=UID, fetched=fetched, now=NOW)
    hm = svc.heatmap(platform=platform, uid=UID, days=90, tz="UTC", now=NOW)
    assert hm.measured_posts == 14
    assert hm.status == "insufficient_data" and hm.best_slots == []
    assert f"{svc.MIN_CELL_POSTS}+ posts" in (hm.message or "")
    occupied = [c for c in hm.cells if c.posts]
    assert len(occupied) == 14 and all(c.posts == 1 for c in occupied)
    assert max(c.score or 0 for c in occupied) > 4  # the strong posts are visible, just not ranked


def test_top_performing_ranks_by_metric_and_engagement(platform: Platform) -> None:
    for i, (views, likes) in enumerate([(100, 50), (1000, 10), (500, 100)]):
        add_item(
            platform,
            uid=UID,
            item_id=f"t{i}-t0",
            account_id="acc",
            social="youtube",
            published_at=NOW - timedelta(days=2),
        )
        svc.record_batch(
            platform=platform,
            uid=UID,
            fetched=[
                svc.Fetched(
                    item_id=f"t{i}-t0", metrics=Metrics(views=views, likes=likes), definitions="v"
                )
            ],
            now=NOW,
        )
    by_views = svc.top_performing(
        platform=platform, uid=UID, metric="views", days=7, today=NOW.date()
    )
    assert [p.post_id for p in by_views.posts] == ["t1", "t2", "t0"]
    by_er = svc.top_performing(
        platform=platform, uid=UID, metric="engagement_rate", days=7, today=NOW.date()
    )
    assert [p.post_id for p in by_er.posts] == ["t0", "t2", "t1"]
    assert by_er.posts[0].value == pytest.approx(0.5)


# --------------------------------------------------------------------------- sync


def _account(platform: Platform, account_id: str, social: str = "youtube", uid: str = UID) -> None:
    platform.documents.collection(accounts.ACCOUNTS).document(account_id).set(
        {
            "user_id": uid,
            "platform": social,
            "platform_account_id": f"UC{account_id}",
            "status": "connected",
            "display_name": account_id,
        }
    )


class FakeYouTube:
    """A transport answering videos.list from the documented shapes; counts calls."""

    def __init__(
        self, status: int = 200, body: dict | None = None, headers: dict | None = None
    ) -> None:
        self.status, self.body, self.headers = status, body, headers or {}
        self.calls: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        if self.status != 200:
            return httpx.Response(self.status, json=self.body, headers=self.headers)
        if request.url.path.endswith("/videos"):
            listing = clone(google.VIDEO_LIST)
            items = []
            for vid in request.url.params["id"].split(","):
                item = clone(google.VIDEO)
                item["id"] = vid
                item["statistics"] = {"viewCount": "10", "likeCount": "1", "commentCount": "0"}
                items.append(item)
            listing["items"] = items
            return httpx.Response(200, json=listing)
        if request.url.path.endswith("/channels"):
            return httpx.Response(200, json=clone(google.CHANNEL_LIST))
        return httpx.Response(
            200, json={"kind": "youtubeAnalytics#resultTable", "columnHeaders": []}
        )


@pytest.fixture
def tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "access_token_for", lambda **_: SecretStr("tok"))


def test_cron_fans_out_one_named_task_per_connected_account(platform: Platform) -> None:
    for aid in ("a1", "a2", "a3"):
        _account(platform, aid)
    platform.documents.collection(accounts.ACCOUNTS).document("a3").update(
        {"status": "needs_reconnect"}
    )
    plan = svc.plan_sync(platform=platform, now=NOW)
    assert plan.enqueued == 2 and sorted(plan.accounts) == ["a1", "a2"]
    again = svc.plan_sync(platform=platform, now=NOW + timedelta(minutes=5))
    assert again.enqueued == 0 and again.already_enqueued == 2  # same hour: same task names


def test_sync_batches_posts_per_call_and_schedules_by_age(platform: Platform, tokens: None) -> None:
    _account(platform, "a1")
    for i in range(120):
        age = (
            timedelta(hours=5) if i < 60 else timedelta(days=10) if i < 100 else timedelta(days=60)
        )
        add_item(
            platform,
            uid=UID,
            item_id=f"p{i}-t0",
            account_id="a1",
            social="youtube",
            published_at=NOW - age,
        )
    fake = FakeYouTube()
    out = svc.sync_account(
        platform=platform,
        task=svc.AccountSyncTask(account_id="a1"),
        now=NOW,
        http=httpx.Client(transport=httpx.MockTransport(fake)),
    )
    listings = [c for c in fake.calls if c.url.path.endswith("/videos")]
    assert out.outcome == "synced" and out.fetched == 120
    assert [len(c.url.params["id"].split(",")) for c in listings] == [50, 50, 20]
    nxt = {
        s.id: s.get("next_sync_at") - NOW
        for s in platform.documents.collection(svc.ITEMS).where("account_id", "==", "a1").get()
    }
    assert nxt["p0-t0"] == timedelta(hours=1)
    assert nxt["p70-t0"] == timedelta(days=1)
    assert nxt["p110-t0"] == timedelta(days=7)
    # an hour later only the fresh posts are due
    fake.calls.clear()
    out = svc.sync_account(
        platform=platform,
        task=svc.AccountSyncTask(account_id="a1"),
        now=NOW + timedelta(hours=1),
        http=httpx.Client(transport=httpx.MockTransport(fake)),
    )
    assert out.fetched == 60


def test_a_429_backs_off_that_account_only(platform: Platform, tokens: None) -> None:
    _account(platform, "slow")
    _account(platform, "fine")
    for aid in ("slow", "fine"):
        add_item(
            platform,
            uid=UID,
            item_id=f"{aid}-t0",
            account_id=aid,
            social="youtube",
            published_at=NOW - timedelta(hours=3),
        )
    limited = FakeYouTube(429, google.RATE_LIMIT_EXCEEDED, {"Retry-After": "900"})
    out = svc.sync_account(
        platform=platform,
        task=svc.AccountSyncTask(account_id="slow"),
        now=NOW,
        http=httpx.Client(transport=httpx.MockTransport(limited)),
    )
    assert out.outcome == "backing_off"
    state = platform.documents.collection(svc.SYNC).document("slow").get().to_dict() or {}
    assert state["backoff_until"] == NOW + timedelta(seconds=900) and state["failures"] == 1
    # the cron skips it while it backs off; the other account still goes
    plan = svc.plan_sync(platform=platform, now=NOW + timedelta(minutes=10))
    assert plan.accounts == ["fine"] and plan.skipped_backoff == 1
    # a task that arrives anyway does not call the platform
    limited.calls.clear()
    again = svc.sync_account(
        platform=platform,
        task=svc.AccountSyncTask(account_id="slow"),
        now=NOW + timedelta(minutes=10),
        http=httpx.Client(transport=httpx.MockTransport(limited)),
    )
    assert again.outcome == "backing_off" and limited.calls == []
    # a second failure waits longer (exponential), never beyond the cap
    assert svc._backoff(2, None) > svc._backoff(1, None)
    assert svc._backoff(20, None) == svc.MAX_BACKOFF


def test_a_dead_grant_stops_the_accounts_sync_through_the_accounts_service(
    platform: Platform, tokens: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _account(platform, "dead")
    add_item(
        platform,
        uid=UID,
        item_id="d-t0",
        account_id="dead",
        social="youtube",
        published_at=NOW - timedelta(hours=3),
    )
    calls: list[str] = []

    class Outcome:
        result = "needs_reconnect"

    def refresh(*, platform: Platform, account_id: str, force: bool) -> Outcome:
        calls.append(account_id)
        platform.documents.collection(accounts.ACCOUNTS).document(account_id).update(
            {"status": "needs_reconnect"}
        )
        return Outcome()

    monkeypatch.setattr(accounts, "refresh_account", refresh)
    dead = FakeYouTube(401, google.INVALID_CREDENTIALS)
    out = svc.sync_account(
        platform=platform,
        task=svc.AccountSyncTask(account_id="dead"),
        now=NOW,
        http=httpx.Client(transport=httpx.MockTransport(dead)),
    )
    assert out.outcome == "stopped" and calls == ["dead"]
    assert (platform.documents.collection(svc.SYNC).document("dead").get().to_dict() or {})[
        "stopped"
    ]
    # next runs neither call the platform nor the accounts service again
    dead.calls.clear()
    assert (
        svc.sync_account(
            platform=platform,
            task=svc.AccountSyncTask(account_id="dead"),
            now=NOW,
            http=httpx.Client(transport=httpx.MockTransport(dead)),
        ).outcome
        == "stopped"
    )
    assert dead.calls == [] and calls == ["dead"]
    assert "dead" not in svc.plan_sync(platform=platform, now=NOW).accounts


def test_manual_sync_has_a_cooldown(platform: Platform) -> None:
    with pytest.raises(NotFound):
        svc.request_sync(platform=platform, uid=UID, now=NOW)
    _account(platform, "a1")
    first = svc.request_sync(platform=platform, uid=UID, now=NOW)
    assert first.accounts == ["a1"] and first.next_allowed_at == NOW + svc.MANUAL_COOLDOWN
    with pytest.raises(RateLimited) as caught:
        svc.request_sync(platform=platform, uid=UID, now=NOW + timedelta(minutes=1))
    assert caught.value.headers["Retry-After"] == str(14 * 60)
    assert svc.request_sync(
        platform=platform, uid=UID, now=NOW + timedelta(minutes=16)
    ).accounts == ["a1"]


def test_channels_are_premium(platform: Platform) -> None:
    from synthora.errors import Forbidden

    with pytest.raises(Forbidden):
        svc.channels(platform=platform, uid=UID, role="free")
    assert svc.channels(platform=platform, uid=UID, role="premium").channels == []


def test_sync_interval_schedule() -> None:
    assert svc.sync_interval(timedelta(hours=47)) == timedelta(hours=1)
    assert svc.sync_interval(timedelta(days=29)) == timedelta(days=1)
    assert svc.sync_interval(timedelta(days=31)) == timedelta(days=7)
    assert (
        svc.engagement_rate({"views": 200, "likes": 10, "comments": 5, "shares": 3, "saves": 2})
        == 0.1
    )
    assert svc.engagement_rate({"views": 0, "likes": 3}) is None
    assert svc.change(150, 100) == 0.5 and svc.change(5, 0) is None
    _ = date
