"""Platform statistics for the admin dashboard, from aggregation queries only.

Signups per day are one count query per day (N <= 90), top users read a
counter kept on the user document (`stats.videos_created`, incremented when a
generation is reserved), and platform totals are count/sum aggregations: no
request reads every document of the platform.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pydantic import BaseModel

from synthora.platform import Platform
from synthora.ports.documents import DESCENDING
from synthora.services import limits
from synthora.services.accounts import UserOut, get_user, user_out
from synthora.services.user_records import UserField, users
from synthora.services.users import UserStatsOut, user_stats


class DayCount(BaseModel):
    day: date
    signups: int


class ActivityOut(BaseModel):
    days: int
    signups: list[DayCount]
    total_signups: int


class TopUsersOut(BaseModel):
    items: list[UserOut]


class PlatformStats(BaseModel):
    users: UserStatsOut
    videos_created_total: int
    videos_by_status: dict[str, int]
    notifications_unread: int


class UserDetail(BaseModel):
    user: UserOut
    usage: limits.UsageOut
    videos: int


VIDEO_STATUSES = ("queued", "processing", "completed", "failed")


def activity(*, platform: Platform, days: int, now: datetime | None = None) -> ActivityOut:
    end = (now or datetime.now(UTC)).replace(hour=0, minute=0, second=0, microsecond=0)
    everyone = users(platform)
    out: list[DayCount] = []
    for i in range(days - 1, -1, -1):
        start = end - timedelta(days=i)
        n = (
            everyone.where(UserField.CREATED_AT, ">=", start)
            .where(UserField.CREATED_AT, "<", start + timedelta(days=1))
            .count()
        )
        out.append(DayCount(day=start.date(), signups=n))
    return ActivityOut(days=days, signups=out, total_signups=sum(d.signups for d in out))


def top_users(*, platform: Platform, limit: int) -> TopUsersOut:
    snaps = users(platform).order_by(UserField.VIDEOS_CREATED, DESCENDING).limit(limit).get()
    return TopUsersOut(items=[user_out(s.id, s.to_dict() or {}) for s in snaps])


def platform_stats(*, platform: Platform) -> PlatformStats:
    docs = platform.documents
    videos = docs.collection("videos")
    return PlatformStats(
        users=user_stats(platform=platform),
        videos_created_total=int(users(platform).sum(UserField.VIDEOS_CREATED) or 0),
        videos_by_status={s: videos.where("status", "==", s).count() for s in VIDEO_STATUSES},
        notifications_unread=docs.collection("notifications").where("read", "==", False).count(),
    )


def user_detail(*, platform: Platform, uid: str) -> UserDetail:
    user = get_user(platform=platform, uid=uid)
    return UserDetail(
        user=user,
        usage=limits.usage(platform=platform, uid=uid),
        videos=platform.documents.collection("videos").where("owner_id", "==", uid).count(),
    )
