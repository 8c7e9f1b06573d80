"""Platform statistics for the admin dashboard, from aggregation queries only.

Signups per day are one count query per day (N <= 90), top users read a
counter kept on the user document (`stats.videos_created`, incremented when a
generation is reserved), and platform totals are count/sum aggregations: no
request reads every document of the platform.
"""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field

from synthora.platform import Platform
from synthora.ports.documents import DESCENDING
from synthora.services import limits
from synthora.services.accounts import UserOut, get_user, user_out
from synthora.services.billing.service import StatusOut, get_status
from synthora.services.social_accounts import SocialAccountOut, list_accounts
from synthora.services.user_deletion import DeletionJobOut, find_job
from synthora.services.user_records import UserField, read_user, users
from synthora.services.users import UserStatsOut, user_stats


class DayCount(BaseModel):
    day: date
    signups: int
    videos: int = 0
    posts: int = 0


class ActivityOut(BaseModel):
    days: int
    start: date
    end: date
    signups: list[DayCount]
    total_signups: int
    total_videos: int = 0
    total_posts: int = 0


TopMetric = Literal["videos", "posts", "views", "storage"]


class TopUser(BaseModel):
    user: UserOut
    value: int


class TopUsersOut(BaseModel):
    metric: TopMetric
    basis: str = Field(description="What the figure counts, and over which records.")
    items: list[TopUser]
    scanned: int = Field(default=0, description="Records read to rank (0: a counter query).")
    truncated: bool = Field(
        default=False, description="True when the scan stopped at its cap (figures are a sample)."
    )


class PlatformStats(BaseModel):
    users: UserStatsOut
    videos_created_total: int
    videos_by_status: dict[str, int]
    notifications_unread: int


class UserDetail(BaseModel):
    user: UserOut
    usage: limits.UsageOut
    videos: int
    videos_by_status: dict[str, int] = Field(default_factory=dict)
    posts: int = 0
    storage_bytes: int = Field(default=0, description="Bytes stored under the user's videos.")
    subscription: StatusOut | None = None
    connected_accounts: list[SocialAccountOut] = Field(default_factory=list)
    last_activity_at: datetime | None = Field(
        default=None, description="The latest of sign-in, video and post creation."
    )
    deletion: DeletionJobOut | None = None


class TemplateUsage(BaseModel):
    template_id: str
    name: str
    is_system: bool
    videos: int
    completed: int
    failed: int
    success_rate: float | None = Field(
        default=None, description="completed / (completed + failed); None before any finished."
    )
    measured_posts: int = 0
    median_views: float | None = Field(
        default=None, description="Median lifetime views of its measured posts (analytics)."
    )


class TemplateUsageOut(BaseModel):
    items: list[TemplateUsage]
    videos_scanned: int
    truncated: bool


#: How many records a ranking or template report reads at most (newest first).
SCAN_CAP = 5000

VIDEO_STATUSES = ("queued", "processing", "completed", "failed")


def _day_range(days: int, start: date | None, end: date | None, now: datetime) -> list[date]:
    """The days to count: `start`..`end` (either may be left out), at most 90 of them.

    Without `start` the range is the `days` days ending on `end` (today by
    default); without `end` it runs from `start` to today, or 90 days on. Given
    the wrong way round they are swapped; a longer range keeps its first 90 days."""
    if start is not None and end is not None and start > end:
        start, end = end, start
    if start is None:
        last = end or now.date()
        first = last - timedelta(days=min(days, MAX_ACTIVITY_DAYS) - 1)
    else:
        first = start
        last = end or max(first, min(now.date(), first + timedelta(days=MAX_ACTIVITY_DAYS - 1)))
    last = min(last, first + timedelta(days=MAX_ACTIVITY_DAYS - 1))
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


MAX_ACTIVITY_DAYS = 90


def activity(
    *,
    platform: Platform,
    days: int = 30,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> ActivityOut:
    """Sign-ups, videos and posts created per day (UTC), one count query each per day."""
    span = _day_range(days, start, end, now or datetime.now(UTC))
    everyone = users(platform)
    videos = platform.documents.collection("videos")
    posts = platform.documents.collection("posts")
    out: list[DayCount] = []
    for day in span:
        lo = datetime(day.year, day.month, day.day, tzinfo=UTC)
        hi = lo + timedelta(days=1)

        def count(q: Any, field: str, lo: datetime = lo, hi: datetime = hi) -> int:
            return int(q.where(field, ">=", lo).where(field, "<", hi).count())

        out.append(
            DayCount(
                day=day,
                signups=count(everyone, UserField.CREATED_AT),
                videos=count(videos, "created_at"),
                posts=count(posts, "created_at"),
            )
        )
    return ActivityOut(
        days=len(span),
        start=span[0],
        end=span[-1],
        signups=out,
        total_signups=sum(d.signups for d in out),
        total_videos=sum(d.videos for d in out),
        total_posts=sum(d.posts for d in out),
    )


def _ranked(platform: Platform, totals: dict[str, int], limit: int) -> list[TopUser]:
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    items: list[TopUser] = []
    for uid, value in ranked:
        snap = users(platform).document(uid).get()
        if snap.exists:
            items.append(TopUser(user=user_out(uid, snap.to_dict() or {}), value=value))
        if len(items) == limit:
            break
    return items


def top_users(*, platform: Platform, limit: int, metric: TopMetric = "videos") -> TopUsersOut:
    """Users ranked by videos made (a counter), posts, views or storage (a capped scan)."""
    if metric == "videos":
        snaps = users(platform).order_by(UserField.VIDEOS_CREATED, DESCENDING).limit(limit).get()
        return TopUsersOut(
            metric=metric,
            basis="videos ever started (the user's counter)",
            items=[
                TopUser(
                    user=user_out(s.id, s.to_dict() or {}),
                    value=int(s.get(UserField.VIDEOS_CREATED) or 0),
                )
                for s in snaps
            ],
        )
    docs = platform.documents
    totals: dict[str, int] = {}
    if metric == "posts":
        snaps = docs.collection("posts").order_by("created_at", DESCENDING).limit(SCAN_CAP).get()
        for s in snaps:
            uid = str(s.get("owner_uid"))
            totals[uid] = totals.get(uid, 0) + 1
        basis = "posts created (newest first)"
    elif metric == "views":
        snaps = docs.collection("analytics_items").limit(SCAN_CAP).get()
        for s in snaps:
            uid = str(s.get("uid"))
            totals[uid] = totals.get(uid, 0) + int((s.get("totals") or {}).get("views") or 0)
        basis = "lifetime views of measured posts (analytics)"
    else:
        snaps = docs.collection("videos").where("status", "==", "completed").limit(SCAN_CAP).get()
        for s in snaps:
            uid = str(s.get("owner_id"))
            size = int((s.get("outputs") or {}).get("size_bytes") or 0)
            totals[uid] = totals.get(uid, 0) + size
        basis = "bytes of the finished videos stored now"
    return TopUsersOut(
        metric=metric,
        basis=basis,
        items=_ranked(platform, totals, limit),
        scanned=len(snaps),
        truncated=len(snaps) == SCAN_CAP,
    )


def template_usage(*, platform: Platform) -> TemplateUsageOut:
    """Per template: videos made, success rate, and the median views of its measured posts.

    Reads the newest `SCAN_CAP` videos and the measured posts of those videos."""
    docs = platform.documents
    snaps = docs.collection("videos").order_by("created_at", DESCENDING).limit(SCAN_CAP).get()
    rows: dict[str, TemplateUsage] = {}
    video_template: dict[str, str] = {}
    for s in snaps:
        tid = str(s.get("template_id"))
        video_template[s.id] = tid
        row = rows.get(tid)
        if row is None:
            row = rows[tid] = TemplateUsage(
                template_id=tid,
                name=str(s.get("template_name") or tid),
                is_system=False,
                videos=0,
                completed=0,
                failed=0,
            )
        row.videos += 1
        row.completed += int(s.get("status") == "completed")
        row.failed += int(s.get("status") == "failed")
    for tid, row in rows.items():
        tpl = docs.collection("templates").document(tid).get()
        if tpl.exists:
            row.name = str(tpl.get("name") or row.name)
            row.is_system = bool(tpl.get("is_system"))
        done = row.completed + row.failed
        row.success_rate = round(row.completed / done, 4) if done else None
    views: dict[str, list[float]] = {}
    post_video: dict[str, str | None] = {}
    for item in docs.collection("analytics_items").limit(SCAN_CAP).get():
        measured = (item.get("totals") or {}).get("views")
        post_id = item.get("post_id")
        if measured is None or not post_id:
            continue
        if post_id not in post_video:
            post = docs.collection("posts").document(str(post_id)).get()
            post_video[post_id] = str(post.get("video_id")) if post.exists else None
        tid = video_template.get(post_video[post_id] or "")
        if tid is not None:
            views.setdefault(tid, []).append(float(measured))
    for tid, values in views.items():
        rows[tid].measured_posts = len(values)
        rows[tid].median_views = float(statistics.median(values))
    items = sorted(rows.values(), key=lambda r: (-r.videos, r.name))
    return TemplateUsageOut(
        items=items, videos_scanned=len(snaps), truncated=len(snaps) == SCAN_CAP
    )


def platform_stats(*, platform: Platform) -> PlatformStats:
    docs = platform.documents
    videos = docs.collection("videos")
    return PlatformStats(
        users=user_stats(platform=platform),
        videos_created_total=int(users(platform).sum(UserField.VIDEOS_CREATED) or 0),
        videos_by_status={s: videos.where("status", "==", s).count() for s in VIDEO_STATUSES},
        notifications_unread=docs.collection("notifications").where("read", "==", False).count(),
    )


def _latest(q: Any, field: str) -> datetime | None:
    snaps = q.order_by(field, DESCENDING).limit(1).get()
    value = snaps[0].get(field) if snaps else None
    return value if isinstance(value, datetime) else None


def user_detail(*, platform: Platform, uid: str) -> UserDetail:
    """Everything about one user: usage, content counts, storage, plan, accounts, activity."""
    user = get_user(platform=platform, uid=uid)
    docs = platform.documents
    mine = docs.collection("videos").where("owner_id", "==", uid)
    their_posts = docs.collection("posts").where("owner_uid", "==", uid)
    storage = sum(b.size for b in platform.blobs.list(f"videos/{uid}/"))
    record = read_user(platform, uid)
    moments = [
        record.last_login_at if record else None,
        _latest(mine, "created_at"),
        _latest(their_posts, "created_at"),
    ]
    known = [m for m in moments if m is not None]
    return UserDetail(
        user=user,
        usage=limits.usage(platform=platform, uid=uid),
        videos=mine.count(),
        videos_by_status={s: mine.where("status", "==", s).count() for s in VIDEO_STATUSES},
        posts=their_posts.count(),
        storage_bytes=storage,
        subscription=get_status(platform=platform, settings=platform.settings, uid=uid),
        connected_accounts=list_accounts(platform=platform, uid=uid).items,
        last_activity_at=max(known) if known else None,
        deletion=find_job(platform=platform, uid=uid),
    )
