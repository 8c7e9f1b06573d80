"""Admin statistics: user detail, activity over a range, top users, template usage."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from synthora.platform import Platform
from synthora.services import admin_stats as svc
from synthora.services import user_deletion

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _user(platform: Platform, uid: str, *, created: datetime, videos: int = 0, **kw: Any) -> None:
    platform.documents.collection("users").document(uid).set(
        {
            "email": f"{uid}@example.com",
            "email_lower": f"{uid}@example.com",
            "role": "free",
            "is_active": True,
            "created_at": created,
            "stats": {"videos_created": videos},
            **kw,
        }
    )


def _video(
    platform: Platform,
    vid: str,
    uid: str,
    *,
    created: datetime,
    status: str = "completed",
    template: str = "tpl-a",
    size: int = 0,
) -> None:
    platform.documents.collection("videos").document(vid).set(
        {
            "owner_id": uid,
            "template_id": template,
            "template_name": template.upper(),
            "status": status,
            "created_at": created,
            "outputs": {"size_bytes": size} if size else None,
        }
    )
    if size:
        platform.blobs.put_bytes(
            f"videos/{uid}/{vid}/video.mp4", b"\x00" * size, content_type="video/mp4"
        )


def _post(platform: Platform, pid: str, uid: str, vid: str, *, created: datetime) -> None:
    platform.documents.collection("posts").document(pid).set(
        {"owner_uid": uid, "video_id": vid, "status": "published", "created_at": created}
    )


def _views(platform: Platform, item: str, uid: str, pid: str, views: int | None) -> None:
    totals = {} if views is None else {"views": views}
    platform.documents.collection("analytics_items").document(item).set(
        {"uid": uid, "post_id": pid, "totals": totals}
    )


def test_activity_counts_signups_videos_and_posts_per_day(platform: Platform) -> None:
    _user(platform, "a", created=NOW - 2 * DAY)
    _user(platform, "b", created=NOW - 2 * DAY)
    _user(platform, "c", created=NOW)
    _video(platform, "v1", "a", created=NOW - 2 * DAY)
    _video(platform, "v2", "a", created=NOW - DAY)
    _video(platform, "v3", "b", created=NOW - 5 * DAY)  # before the range
    _post(platform, "p1", "a", "v1", created=NOW - DAY)
    out = svc.activity(platform=platform, days=3, now=NOW)
    assert (out.start, out.end, out.days) == (date(2026, 12, 5), date(2026, 12, 7), 3)
    assert [(d.signups, d.videos, d.posts) for d in out.signups] == [
        (2, 1, 0),
        (0, 1, 1),
        (1, 0, 0),
    ]
    assert (out.total_signups, out.total_videos, out.total_posts) == (3, 2, 1)

    ranged = svc.activity(platform=platform, start=date(2026, 12, 2), end=date(2026, 12, 3))
    assert [d.day for d in ranged.signups] == [date(2026, 12, 2), date(2026, 12, 3)]
    assert ranged.total_videos == 1
    # the wrong way round: swapped; longer than 90 days: its first 90; only a start: to today
    swapped = svc.activity(platform=platform, start=date(2026, 12, 3), end=date(2026, 12, 2))
    assert (swapped.start, swapped.end) == (date(2026, 12, 2), date(2026, 12, 3))
    long = svc.activity(platform=platform, start=date(2026, 1, 1), end=date(2026, 12, 1))
    assert (long.start, long.end, long.days) == (date(2026, 1, 1), date(2026, 3, 31), 90)
    since = svc.activity(platform=platform, start=date(2026, 12, 6), now=NOW)
    assert (since.start, since.end) == (date(2026, 12, 6), date(2026, 12, 7))
    ahead = svc.activity(platform=platform, start=date(2027, 1, 1), now=NOW)
    assert (ahead.start, ahead.end, ahead.days) == (date(2027, 1, 1), date(2027, 1, 1), 1)


def test_top_users_by_each_metric(platform: Platform) -> None:
    _user(platform, "a", created=NOW, videos=9)
    _user(platform, "b", created=NOW, videos=2)
    _user(platform, "c", created=NOW, videos=5)
    _video(platform, "v1", "a", created=NOW, size=10)
    _video(platform, "v2", "b", created=NOW, size=300)
    _video(platform, "v3", "b", created=NOW, status="failed")
    for n, uid in enumerate(["b", "b", "c", "b", "c"]):
        _post(platform, f"p{n}", uid, "v1", created=NOW - n * DAY)
    _views(platform, "i1", "c", "p2", 700)
    _views(platform, "i2", "b", "p0", 50)
    _views(platform, "i3", "b", "p1", 60)

    def ranking(metric: svc.TopMetric) -> list[tuple[str, int]]:
        out = svc.top_users(platform=platform, limit=2, metric=metric)
        return [(t.user.uid, t.value) for t in out.items]

    assert ranking("videos") == [("a", 9), ("c", 5)]
    assert ranking("posts") == [("b", 3), ("c", 2)]
    assert ranking("views") == [("c", 700), ("b", 110)]
    assert ranking("storage") == [("b", 300), ("a", 10)]
    out = svc.top_users(platform=platform, limit=5, metric="posts")
    assert out.scanned == 5 and not out.truncated and out.basis


def test_template_usage_success_rate_and_median_views(platform: Platform) -> None:
    _user(platform, "a", created=NOW)
    for n, status in enumerate(["completed", "completed", "failed", "processing"]):
        _video(platform, f"a{n}", "a", created=NOW - n * DAY, status=status, template="tpl-a")
    _video(platform, "b0", "a", created=NOW, status="failed", template="tpl-b")
    for n, views in enumerate([10, 30, 1000]):
        _post(platform, f"p{n}", "a", f"a{n % 2}", created=NOW)
        _views(platform, f"i{n}", "a", f"p{n}", views)
    _views(platform, "unmeasured", "a", "p0", None)
    platform.documents.collection("templates").document("tpl-a").set(
        {"name": "Explainer", "is_system": True}
    )
    out = svc.template_usage(platform=platform)
    rows = {r.template_id: r for r in out.items}
    a, b = rows["tpl-a"], rows["tpl-b"]
    assert (a.name, a.is_system, a.videos, a.completed, a.failed) == ("Explainer", True, 4, 2, 1)
    assert a.success_rate == round(2 / 3, 4)
    assert (a.measured_posts, a.median_views) == (3, 30.0)
    assert (b.videos, b.success_rate, b.median_views, b.name) == (1, 0.0, None, "TPL-B")
    assert [r.template_id for r in out.items] == ["tpl-a", "tpl-b"]
    assert out.videos_scanned == 5 and not out.truncated


def test_user_detail_has_content_storage_plan_accounts_and_activity(platform: Platform) -> None:
    _user(platform, "admin", created=NOW, role="admin")
    _user(platform, "a", created=NOW - 9 * DAY, last_login_at=NOW - 3 * DAY)
    _video(platform, "v1", "a", created=NOW - 2 * DAY, size=100)
    _video(platform, "v2", "a", created=NOW - 4 * DAY, size=20, status="failed")
    _video(platform, "v3", "other", created=NOW, size=7)
    _post(platform, "p1", "a", "v1", created=NOW - DAY)
    out = svc.user_detail(platform=platform, uid="a")
    assert out.user.uid == "a" and out.videos == 2 and out.posts == 1
    assert out.videos_by_status["completed"] == 1 and out.videos_by_status["failed"] == 1
    assert out.storage_bytes == 120
    assert out.last_activity_at == NOW - DAY
    assert out.subscription is not None and out.subscription.plan == "free"
    assert out.connected_accounts == [] and out.deletion is None
    user_deletion.request_deletion(platform=platform, admin_uid="admin", uid="a", mode="soft")
    again = svc.user_detail(platform=platform, uid="a")
    assert again.deletion is not None and again.deletion.status == "scheduled"
    assert again.user.is_active is False
