"""Accounts, limits, notifications and settings services against the embedded store."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from synthora.errors import ApiError, NotFound, RateLimited, ValidationFailed
from synthora.identity import Caller
from synthora.platform import Platform
from synthora.services import accounts, app_settings, limits, notifications, users
from synthora.services.notifications import FanoutTask, NotificationType


@pytest.fixture(autouse=True)
def _fresh_settings_cache() -> None:
    app_settings.clear_cache()


def caller(n: int) -> Caller:
    return Caller(uid=f"user{n}", email=f"user{n}@example.com", name=f"User {n}")


def concurrently(fn: Callable[[int], Any], n: int) -> list[Any]:
    """Run fn(0..n-1) on n threads released together; return results or exceptions."""
    barrier = threading.Barrier(n)
    out: list[Any] = [None] * n

    def work(i: int) -> None:
        barrier.wait()
        try:
            out[i] = fn(i)
        except Exception as exc:  # collected for the assertion
            out[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return out


# ------------------------------------------------------------------ sign-in


def test_first_login_makes_admin_then_free_users(platform: Platform) -> None:
    first = accounts.login(platform=platform, caller=caller(1))
    assert first.is_new_user and first.setup_required and first.user.role == "admin"
    second = accounts.login(platform=platform, caller=caller(2))
    assert second.user.role == "free" and not second.setup_required
    again = accounts.login(platform=platform, caller=caller(1))
    assert not again.is_new_user and again.user.role == "admin"
    assert accounts.setup_status(platform=platform).admin_exists
    page = notifications.list_notifications(platform=platform, uid="user2", limit=10, cursor=None)
    assert [n.type for n in page.items] == [NotificationType.welcome]
    assert page.items[0].link == "/create", "the web app's Create page (there is no /videos/new)"


def test_concurrent_first_logins_give_exactly_one_admin(platform: Platform) -> None:
    results = concurrently(lambda i: accounts.login(platform=platform, caller=caller(i)), 8)
    assert all(isinstance(r, accounts.LoginOut) for r in results), results
    admins = [r for r in results if r.user.role == "admin"]
    assert len(admins) == 1 and admins[0].setup_required
    assert users.user_stats(platform=platform).by_role == {"free": 7, "premium": 0, "admin": 1}


def test_disabled_user_cannot_sign_in(platform: Platform) -> None:
    accounts.login(platform=platform, caller=caller(1))
    accounts.login(platform=platform, caller=caller(2))
    users.set_status(platform=platform, admin_uid="user1", target_uid="user2", is_active=False)
    with pytest.raises(ApiError) as info:
        accounts.login(platform=platform, caller=caller(2))
    assert info.value.status == 403 and info.value.code == "account_disabled"


# ------------------------------------------------------------------ limits


def test_daily_limit_is_never_exceeded_under_concurrency(platform: Platform) -> None:
    accounts.login(platform=platform, caller=caller(0))  # admin
    accounts.login(platform=platform, caller=caller(1))  # free
    app_settings.put_setting(
        platform=platform,
        admin_uid="user0",
        key="limits",
        value={"free": {"daily_videos": 3, "max_concurrent": 100}},
    )
    results = concurrently(
        lambda i: limits.reserve_generation(platform=platform, uid="user1", video_id=f"v{i}"), 10
    )
    ok = [r for r in results if isinstance(r, limits.Reservation)]
    refused = [r for r in results if isinstance(r, RateLimited)]
    assert len(ok) == 3 and len(refused) == 7, results
    assert refused[0].status == 429 and refused[0].code == "daily_limit_reached"
    usage = limits.usage(platform=platform, uid="user1")
    assert usage.videos_today == 3 and usage.remaining_today == 0
    assert accounts.get_user(platform=platform, uid="user1").stats.videos_created == 3


def test_concurrent_slot_is_freed_by_release_and_reserve_is_idempotent(
    platform: Platform,
) -> None:
    accounts.login(platform=platform, caller=caller(0))
    accounts.login(platform=platform, caller=caller(1))
    first = limits.reserve_generation(platform=platform, uid="user1", video_id="a")
    again = limits.reserve_generation(platform=platform, uid="user1", video_id="a")
    assert first.counted and not again.counted and again.used_today == 1
    with pytest.raises(RateLimited) as info:  # free: one generation at a time
        limits.reserve_generation(platform=platform, uid="user1", video_id="b")
    assert info.value.code == "concurrent_limit_reached"
    limits.release_generation(platform=platform, uid="user1", video_id="a", succeeded=False)
    limits.release_generation(platform=platform, uid="user1", video_id="a", succeeded=False)
    # The failed video's retry does not count against the day; a new one does.
    retry = limits.reserve_generation(platform=platform, uid="user1", video_id="a", retry=True)
    assert not retry.counted and retry.used_today == 1
    limits.release_generation(platform=platform, uid="user1", video_id="a", succeeded=True)
    assert limits.reserve_generation(platform=platform, uid="user1", video_id="b").used_today == 2


def test_admin_has_no_limits_and_retention_by_role(platform: Platform) -> None:
    accounts.login(platform=platform, caller=caller(0))
    for i in range(5):
        limits.reserve_generation(platform=platform, uid="user0", video_id=f"v{i}")
    assert limits.usage(platform=platform, uid="user0").remaining_today is None
    assert limits.retention_days(platform=platform, role="admin") is None
    assert limits.retention_days(platform=platform, role="free") == 7
    assert limits.retention_days(platform=platform, role="premium") == 30
    assert limits.can_schedule(platform=platform, uid="user0")
    assert not limits.can_schedule(platform=platform, uid="nobody")


# ------------------------------------------------------------------ settings


def test_settings_are_validated_and_unknown_keys_refused(platform: Platform) -> None:
    with pytest.raises(NotFound):
        app_settings.put_setting(platform=platform, admin_uid="a", key="nope", value={})
    with pytest.raises(ValidationFailed) as info:
        app_settings.put_setting(
            platform=platform, admin_uid="a", key="limits", value={"free": {"daily_videos": -1}}
        )
    assert info.value.details[0]["field"].startswith("body.value.free")
    with pytest.raises(ValidationFailed):
        app_settings.put_setting(platform=platform, admin_uid="a", key="features", value={"x": 1})
    out = app_settings.put_setting(
        platform=platform, admin_uid="a", key="features", value={"video_ai": False}
    )
    assert out.value["video_ai"] is False and not out.is_default
    assert app_settings.reset_setting(platform=platform, admin_uid="a", key="features").is_default


# ------------------------------------------------------------------ notifications


def test_provider_fallback_preference_defaults_on_and_can_be_switched_off(
    platform: Platform,
) -> None:
    from synthora.services.pipeline_services import PIPELINE_SERVICES

    out = accounts.login(platform=platform, caller=caller(0)).user
    assert out.preferences.provider_fallback is True
    assert PIPELINE_SERVICES.fallback_allowed(platform=platform, uid="user0")
    off = users.update_profile(
        platform=platform,
        uid="user0",
        patch=users.ProfilePatch.model_validate({"provider_fallback": False}),
    )
    assert off.preferences.provider_fallback is False
    assert off.preferences.language == "en"  # nothing else changed
    assert not PIPELINE_SERVICES.fallback_allowed(platform=platform, uid="user0")
    with pytest.raises(ValueError):
        users.ProfilePatch.model_validate({"provider_fallback": None})


def test_idempotency_key_and_muted_types(platform: Platform) -> None:
    accounts.login(platform=platform, caller=caller(0))
    a = notifications.notify_video_completed(
        platform=platform, uid="user0", video_id="v1", title="Sky", idempotency_key="k1"
    )
    b = notifications.notify_video_completed(
        platform=platform, uid="user0", video_id="v1", title="Sky", idempotency_key="k1"
    )
    assert a is not None and b is not None and a.id == b.id
    users.update_profile(
        platform=platform,
        uid="user0",
        patch=users.ProfilePatch.model_validate(
            {"notifications": {"muted_types": ["video_failed", "system"]}}
        ),
    )
    muted = notifications.notify_video_failed(
        platform=platform, uid="user0", video_id="v2", title="Sky", error="boom"
    )
    assert muted is None
    # system messages cannot be muted
    assert notifications.notify_system(platform=platform, uid="user0", title="t", message="m")
    counts = notifications.unread_counts(platform=platform, uid="user0")
    assert counts.total == 3 and counts.by_type == {"video_complete": 1, "system": 1, "welcome": 1}
    rec = platform.documents.collection("notifications").document(a.id).get()
    assert rec.get("expires_at") > datetime.now(UTC) + timedelta(days=80)


def test_every_trigger_helper_creates_its_type(platform: Platform) -> None:
    uid, now = "u", datetime.now(UTC)
    n = notifications
    made = [
        n.notify_video_completed(platform=platform, uid=uid, video_id="v", title="t"),
        n.notify_video_failed(platform=platform, uid=uid, video_id="v", title="t", error="e"),
        n.notify_post_published(platform=platform, uid=uid, post_id="p", social_platform="tiktok"),
        n.notify_post_failed(
            platform=platform, uid=uid, post_id="p", social_platform="tiktok", error="e"
        ),
        n.notify_scheduled_post_reminder(platform=platform, uid=uid, post_id="p", scheduled_at=now),
        n.notify_payment_success(platform=platform, uid=uid, amount_cents=999, currency="usd"),
        n.notify_payment_failed(platform=platform, uid=uid, reason="declined"),
        n.notify_subscription_expiring(platform=platform, uid=uid, expires_at=now),
        n.notify_subscription_cancelled(platform=platform, uid=uid),
        n.notify_integration_error(
            platform=platform, uid=uid, integration_id="i", provider="openai", error="e"
        ),
        n.notify_social_disconnected(
            platform=platform, uid=uid, account_id="a", social_platform="youtube", reason="r"
        ),
        n.notify_welcome(platform=platform, uid=uid),
        n.notify_system(platform=platform, uid=uid, title="t", message="m"),
    ]
    assert {m.type for m in made if m} == set(NotificationType)


def test_list_filters_pages_read_all_and_dismiss_all(platform: Platform) -> None:
    for i in range(7):
        notifications.notify_system(platform=platform, uid="u", title=f"t{i}", message="m")
    notifications.notify_system(platform=platform, uid="other", title="x", message="m")
    first = notifications.list_notifications(platform=platform, uid="u", limit=5, cursor=None)
    assert len(first.items) == 5 and first.has_more and first.unread_count == 7
    rest = notifications.list_notifications(
        platform=platform, uid="u", limit=5, cursor=first.next_cursor
    )
    assert len(rest.items) == 2 and not rest.has_more
    assert {i.id for i in first.items}.isdisjoint({i.id for i in rest.items})
    notifications.mark_read(platform=platform, uid="u", notification_id=rest.items[0].id)
    unread = notifications.list_notifications(
        platform=platform, uid="u", limit=20, cursor=None, read=False
    )
    assert len(unread.items) == 6
    with pytest.raises(NotFound):  # someone else's
        notifications.mark_read(platform=platform, uid="other", notification_id=rest.items[0].id)
    assert notifications.mark_all_read(platform=platform, uid="u").updated == 6
    assert notifications.unread_counts(platform=platform, uid="u").total == 0
    assert notifications.unread_counts(platform=platform, uid="other").total == 1
    assert notifications.dismiss_all(platform=platform, uid="u").updated == 7
    visible = notifications.list_notifications(platform=platform, uid="u", limit=20, cursor=None)
    assert visible.items == []
    archived = notifications.list_notifications(
        platform=platform, uid="u", limit=20, cursor=None, dismissed=True
    )
    assert len(archived.items) == 7


def test_broadcast_fans_out_by_page_and_duplicates_notify_once(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notifications, "FANOUT_PAGE", 2)
    for i in range(5):
        accounts.login(platform=platform, caller=caller(i))
    users.set_status(platform=platform, admin_uid="user0", target_uid="user4", is_active=False)
    out = notifications.start_broadcast(
        platform=platform,
        admin_uid="user0",
        request=notifications.BroadcastRequest(title="Hello", message="Maintenance at noon"),
    )
    assert out.created
    task = FanoutTask(broadcast_id=out.broadcast_id)
    status = notifications.get_broadcast(platform=platform, broadcast_id=out.broadcast_id)
    assert (status.status, status.pages_done, status.delivered) == ("sending", 0, 0)
    pages = []
    while True:
        result = notifications.run_fanout(platform=platform, task=task)
        duplicate = notifications.run_fanout(platform=platform, task=task)  # redelivery
        assert duplicate.next_task == result.next_task
        pages.append(result.delivered)
        status = notifications.get_broadcast(platform=platform, broadcast_id=out.broadcast_id)
        # The redelivered page is not counted twice.
        assert (status.pages_done, status.delivered) == (len(pages), sum(pages))
        if not result.next_cursor:
            assert status.status == "done" and status.finished_at is not None
            break
        assert status.status == "sending" and status.finished_at is None
        task = FanoutTask(
            broadcast_id=out.broadcast_id, page=task.page + 1, cursor=result.next_cursor
        )
    assert pages == [2, 2]  # four active users, the disabled one skipped
    for i in range(4):
        counts = notifications.unread_counts(platform=platform, uid=f"user{i}")
        assert counts.by_type.get("system") == 1
    assert notifications.unread_counts(platform=platform, uid="user4").by_type.get("system") is None
    listed = notifications.list_broadcasts(platform=platform, limit=10, cursor=None)
    assert [(b.broadcast_id, b.title, b.delivered) for b in listed.items] == [
        (out.broadcast_id, "Hello", 4)
    ]


def test_an_unknown_or_malformed_broadcast_id_is_404(platform: Platform) -> None:
    for bad in ("nope", "..", "a/b"):
        with pytest.raises(NotFound):
            notifications.get_broadcast(platform=platform, broadcast_id=bad)
