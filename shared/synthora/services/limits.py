"""Per-role limits: daily videos, concurrent generations, retention, features.

Limits come from the `limits` app setting (admin-editable). Two documents per
user enforce them inside one transaction, so concurrent requests can never
exceed a limit:

- `users/{uid}/usage/day-YYYYMMDD`: how many generations started that day (UTC)
  and which video ids they were (so reserving the same video twice is a no-op);
- `users/{uid}/usage/active`: the generations running now, video id -> start.

Policy: the daily count counts *started* generations and is **not refunded**
when a generation fails; retrying a failed video (`retry=True`) does not count
again, so a failure never costs the user a second slot. A failed or finished
generation always frees its concurrent slot. An active entry older than
`STALE_AFTER` is ignored, so a crashed pipeline cannot block a user forever.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel

from synthora.errors import RateLimited
from synthora.platform import Platform
from synthora.ports.documents import Increment, Transaction
from synthora.services.app_settings import RoleLimits, get_limits
from synthora.services.user_records import ROLES, read_user, usage_collection, user_ref

STALE_AFTER = timedelta(hours=3)


class Reservation(BaseModel):
    uid: str
    video_id: str
    day: str
    counted: bool
    used_today: int
    daily_limit: int | None
    active: int
    max_concurrent: int | None


class UsageOut(BaseModel):
    role: str
    day: str
    videos_today: int
    daily_limit: int | None
    remaining_today: int | None
    active_generations: int
    max_concurrent: int | None
    retention_days: int | None
    can_schedule: bool
    can_use_ai_suggestions: bool
    resets_at: datetime


def _today(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%d")


def _usage(platform: Platform, uid: str) -> Any:
    return usage_collection(platform, uid)


def role_of(*, platform: Platform, uid: str) -> str:
    record = read_user(platform, uid)
    return record.role if record is not None else "free"


def limits_for_role(*, platform: Platform, role: str) -> RoleLimits:
    limits = get_limits(platform=platform)
    return getattr(limits, role if role in ROLES else "free")  # type: ignore[no-any-return]


def retention_days(*, platform: Platform, role: str) -> int | None:
    """How many days a role keeps a video; None keeps it until deleted."""
    return limits_for_role(platform=platform, role=role).retention_days


def retention_days_for_user(*, platform: Platform, uid: str) -> int | None:
    return retention_days(platform=platform, role=role_of(platform=platform, uid=uid))


def can_schedule(*, platform: Platform, uid: str) -> bool:
    return limits_for_role(platform=platform, role=role_of(platform=platform, uid=uid)).can_schedule


def can_use_ai_suggestions(*, platform: Platform, uid: str) -> bool:
    role = role_of(platform=platform, uid=uid)
    return limits_for_role(platform=platform, role=role).ai_suggestions


def _live_active(data: dict[str, Any], now: datetime) -> dict[str, datetime]:
    """The running generations: video id -> start (a native timestamp; older records
    stored an ISO string, still read)."""
    out: dict[str, datetime] = {}
    for vid, started in (data.get("videos") or {}).items():
        if isinstance(started, datetime):
            when = started
        else:
            try:
                when = datetime.fromisoformat(str(started))
            except ValueError:
                continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        if now - when < STALE_AFTER:
            out[vid] = when
    return out


def usage(*, platform: Platform, uid: str, now: datetime | None = None) -> UsageOut:
    """Today's usage against the caller's limits (for `GET /auth/me` and the UI)."""
    now = now or datetime.now(UTC)
    role = role_of(platform=platform, uid=uid)
    lim = limits_for_role(platform=platform, role=role)
    day = _today(now)
    count = int(
        (_usage(platform, uid).document(f"day-{day}").get().to_dict() or {}).get("count", 0)
    )
    active = _live_active(_usage(platform, uid).document("active").get().to_dict() or {}, now)
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return UsageOut(
        role=role,
        day=day,
        videos_today=count,
        daily_limit=lim.daily_videos,
        remaining_today=None if lim.daily_videos is None else max(0, lim.daily_videos - count),
        active_generations=len(active),
        max_concurrent=lim.max_concurrent,
        retention_days=lim.retention_days,
        can_schedule=lim.can_schedule,
        can_use_ai_suggestions=lim.ai_suggestions,
        resets_at=tomorrow,
    )


def remaining_videos_today(*, platform: Platform, uid: str) -> int | None:
    return usage(platform=platform, uid=uid).remaining_today


def check_can_generate(*, platform: Platform, uid: str) -> None:
    """Raise `RateLimited` when a new generation would be refused (no reservation made)."""
    u = usage(platform=platform, uid=uid)
    if u.remaining_today == 0:
        raise _daily_error(u.daily_limit or 0, u.resets_at)
    if u.max_concurrent is not None and u.active_generations >= u.max_concurrent:
        raise _concurrent_error(u.max_concurrent)


def _daily_error(limit: int, resets_at: datetime) -> RateLimited:
    return RateLimited(
        f"daily video limit reached ({limit} per day); it resets at {resets_at.isoformat()}",
        code="daily_limit_reached",
        details={"daily_limit": limit, "resets_at": resets_at.isoformat()},
    )


def _concurrent_error(limit: int) -> RateLimited:
    return RateLimited(
        f"you already have {limit} generation(s) running; wait for one to finish",
        code="concurrent_limit_reached",
        details={"max_concurrent": limit},
    )


def reserve_generation(
    *, platform: Platform, uid: str, video_id: str, retry: bool = False
) -> Reservation:
    """Take a daily slot (unless `retry`) and a concurrent slot for `video_id`, atomically.

    Idempotent: reserving a video that already holds its slots returns them again.
    """
    now = datetime.now(UTC)
    role = role_of(platform=platform, uid=uid)
    lim = limits_for_role(platform=platform, role=role)
    day = _today(now)
    day_ref = _usage(platform, uid).document(f"day-{day}")
    active_ref = _usage(platform, uid).document("active")
    user_doc = user_ref(platform, uid)

    def run(tx: Transaction) -> Reservation:
        day_data = tx.get(day_ref).to_dict() or {}
        active = _live_active(tx.get(active_ref).to_dict() or {}, now)
        ids = list(day_data.get("video_ids") or [])
        count = int(day_data.get("count", 0))
        already_active = video_id in active
        counted = not retry and video_id not in ids
        if counted and lim.daily_videos is not None and count >= lim.daily_videos:
            raise _daily_error(
                lim.daily_videos,
                (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0),
            )
        if (
            not already_active
            and lim.max_concurrent is not None
            and len(active) >= lim.max_concurrent
        ):
            raise _concurrent_error(lim.max_concurrent)
        if counted:
            count += 1
            # Keep the id list bounded: it only de-duplicates today's reservations.
            tx.set(
                day_ref,
                {
                    "day": day,
                    "count": count,
                    "video_ids": [*ids, video_id][-500:],
                    "updated_at": now,
                },
            )
            tx.set(user_doc, {"stats": {"videos_created": Increment(1)}}, merge=True)
        if not already_active:
            active[video_id] = now
            tx.set(active_ref, {"videos": active, "updated_at": now})
        return Reservation(
            uid=uid,
            video_id=video_id,
            day=day,
            counted=counted,
            used_today=count,
            daily_limit=lim.daily_videos,
            active=len(active),
            max_concurrent=lim.max_concurrent,
        )

    return platform.documents.run_transaction(run)


def release_generation(*, platform: Platform, uid: str, video_id: str, succeeded: bool) -> None:
    """Free the concurrent slot of `video_id` (idempotent). The daily count is not refunded."""
    active_ref = _usage(platform, uid).document("active")

    def run(tx: Transaction) -> None:
        snap = tx.get(active_ref)
        videos = dict((snap.to_dict() or {}).get("videos") or {})
        if video_id not in videos:
            return
        videos.pop(video_id)
        tx.set(active_ref, {"videos": videos, "updated_at": datetime.now(UTC)})

    platform.documents.run_transaction(run)
    _ = succeeded  # kept for callers and logs: both outcomes free the slot the same way
