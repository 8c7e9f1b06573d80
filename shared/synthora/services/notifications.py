"""In-app notifications: one typed record per event, per user.

Records live in the top-level `notifications` collection (field `user_id`), so
one cleanup target and one set of composite indexes serve every user. Every
`notify_*` helper takes an optional idempotency key: the record id is derived
from (user, key), and a repeated call (a retried task) finds the record
already there and creates nothing. Types a user muted in their preferences are
not created; `system` messages cannot be muted.

Broadcasts fan out through the task queue (`notifications_fanout`): one task
per page of users, each enqueueing the next page under a deterministic name,
and each user's record id is derived from the broadcast id, so a duplicate
delivery notifies nobody twice.
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

from synthora.errors import NotFound
from synthora.http.pagination import paginate
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import DESCENDING, AlreadyExists, Snapshot, is_document_id
from synthora.ports.tasks import task_name
from synthora.services.expiry import CleanupTarget, default_expiry
from synthora.services.user_records import UserField, read_user, users

log = get_logger(__name__)

COLLECTION = "notifications"
RETENTION_DAYS = 90
BATCH_WRITES = 500
FANOUT_FUNCTION = "notifications_fanout"
FANOUT_PAGE = 200

#: Notifications expire (their `expires_at`); listed in `services.cleanup`.
CLEANUP_TARGET = CleanupTarget(name="notifications", collection=COLLECTION)


class NotificationType(StrEnum):
    video_complete = "video_complete"
    video_failed = "video_failed"
    post_published = "post_published"
    post_failed = "post_failed"
    scheduled_post = "scheduled_post"
    payment_success = "payment_success"
    payment_failed = "payment_failed"
    subscription_expiring = "subscription_expiring"
    subscription_cancelled = "subscription_cancelled"
    integration_error = "integration_error"
    social_disconnect = "social_disconnect"
    system = "system"
    welcome = "welcome"


UNMUTABLE = frozenset({NotificationType.system})


class NotificationOut(BaseModel):
    id: str
    type: NotificationType
    title: str
    message: str
    link: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    read: bool = False
    dismissed: bool = False
    created_at: datetime
    read_at: datetime | None = None


class NotificationPage(BaseModel):
    items: list[NotificationOut]
    next_cursor: str | None = None
    has_more: bool = False
    unread_count: int


class UnreadCounts(BaseModel):
    total: int
    by_type: dict[str, int]


class BulkResult(BaseModel):
    updated: int


class FanoutTask(BaseModel):
    broadcast_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    page: int = Field(default=0, ge=0)
    cursor: str | None = Field(default=None, max_length=2000)


class FanoutResult(BaseModel):
    broadcast_id: str
    page: int
    delivered: int
    skipped: int
    next_task: str | None = None
    next_cursor: str | None = None


class BroadcastOut(BaseModel):
    broadcast_id: str
    task: str
    created: bool


class BroadcastStatus(BaseModel):
    """Where a broadcast stands: pages of users done so far and who got it."""

    broadcast_id: str
    title: str
    message: str
    link: str | None = None
    roles: list[str] | None = None
    created_by: str | None = None
    created_at: datetime | None = None
    status: Literal["sending", "done"]
    pages_done: int
    delivered: int = Field(description="Users who have the notification.")
    skipped: int = Field(description="Users who muted it (system notices cannot be muted).")
    finished_at: datetime | None = None


class BroadcastPage(BaseModel):
    items: list[BroadcastStatus]
    next_cursor: str | None = None
    has_more: bool = False


def _coll(platform: Platform) -> Any:
    return platform.documents.collection(COLLECTION)


def notification_id(uid: str, key: str) -> str:
    return hashlib.sha256(f"{uid}\x00{key}".encode()).hexdigest()[:40]


def _out(snap: Snapshot) -> NotificationOut:
    d = snap.to_dict() or {}
    return NotificationOut(
        id=snap.id,
        type=d.get("type", "system"),
        title=d.get("title", ""),
        message=d.get("message", ""),
        link=d.get("link"),
        data=d.get("data") or {},
        read=bool(d.get("read")),
        dismissed=bool(d.get("dismissed")),
        created_at=d["created_at"],
        read_at=d.get("read_at"),
    )


def notify(
    *,
    platform: Platform,
    uid: str,
    type: NotificationType,
    title: str,
    message: str,
    link: str | None = None,
    data: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
    respect_preferences: bool = True,
) -> NotificationOut | None:
    """Create one notification; None when muted. Same key twice -> the existing one.

    When the notification is one the user wants by email (`services.mail.service`),
    its `notifications_email` task is queued too, named after the notification, so
    a retried call queues nothing new.
    """
    user = read_user(platform, uid)
    muted = set(user.preferences.notifications.muted_types) if user is not None else set()
    if respect_preferences and type not in UNMUTABLE and type.value in muted:
        return None
    now = datetime.now(UTC)
    ref = _coll(platform).document(
        notification_id(uid, idempotency_key) if idempotency_key else None
    )
    record = {
        "user_id": uid,
        "type": type.value,
        "title": title[:200],
        "message": message[:2000],
        "link": link,
        "data": data or {},
        "read": False,
        "dismissed": False,
        "created_at": now,
        "read_at": None,
        "expires_at": default_expiry(days=RETENTION_DAYS, now=now),
    }
    with contextlib.suppress(AlreadyExists):
        ref.create(record)
    out = _out(ref.get())
    # Also on AlreadyExists: a retry after a crash between the two still queues the email.
    from synthora.services.mail import service as mail

    mail.enqueue_email(
        platform=platform, notification_id=out.id, user=user, type_=out.type.value, data=out.data
    )
    return out


# ----------------------------------------------------------------- trigger helpers


def notify_video_completed(
    *, platform: Platform, uid: str, video_id: str, title: str, idempotency_key: str | None = None
) -> NotificationOut | None:
    return notify(
        platform=platform,
        uid=uid,
        type=NotificationType.video_complete,
        title="Your video is ready",
        message=f"“{title}” finished generating.",
        link=f"/videos/{video_id}",
        data={"video_id": video_id},
        idempotency_key=idempotency_key,
    )


def notify_storyboard_ready(
    *, platform: Platform, uid: str, video_id: str, title: str, idempotency_key: str | None = None
) -> NotificationOut | None:
    """The script is written and waits for the creator's review (a video notification)."""
    return notify(
        platform=platform,
        uid=uid,
        type=NotificationType.video_complete,
        title="Your storyboard is ready to review",
        message=f"“{title}”: check the scenes, add your facts, then continue.",
        link=f"/videos/{video_id}",
        data={"video_id": video_id, "review": True},
        idempotency_key=idempotency_key,
    )


def notify_video_failed(
    *,
    platform: Platform,
    uid: str,
    video_id: str,
    title: str,
    error: str,
    idempotency_key: str | None = None,
) -> NotificationOut | None:
    return notify(
        platform=platform,
        uid=uid,
        type=NotificationType.video_failed,
        title="Video generation failed",
        message=f"“{title}” failed: {error}",
        link=f"/videos/{video_id}",
        data={"video_id": video_id, "error": error[:500]},
        idempotency_key=idempotency_key,
    )


def notify_post_published(
    *,
    platform: Platform,
    uid: str,
    post_id: str,
    social_platform: str,
    url: str | None = None,
    idempotency_key: str | None = None,
) -> NotificationOut | None:
    return notify(
        platform=platform,
        uid=uid,
        type=NotificationType.post_published,
        title=f"Published to {social_platform}",
        message="Your post is live.",
        link=url or f"/posts/{post_id}",
        data={"post_id": post_id, "platform": social_platform, "url": url},
        idempotency_key=idempotency_key,
    )


def notify_post_failed(
    *,
    platform: Platform,
    uid: str,
    post_id: str,
    social_platform: str,
    error: str,
    idempotency_key: str | None = None,
) -> NotificationOut | None:
    return notify(
        platform=platform,
        uid=uid,
        type=NotificationType.post_failed,
        title=f"Posting to {social_platform} failed",
        message=error,
        link=f"/posts/{post_id}",
        data={"post_id": post_id, "platform": social_platform, "error": error[:500]},
        idempotency_key=idempotency_key,
    )


def notify_scheduled_post_reminder(
    *,
    platform: Platform,
    uid: str,
    post_id: str,
    scheduled_at: datetime,
    idempotency_key: str | None = None,
) -> NotificationOut | None:
    return notify(
        platform=platform,
        uid=uid,
        type=NotificationType.scheduled_post,
        title="Scheduled post coming up",
        message=f"A post is scheduled for {scheduled_at.isoformat()}.",
        link=f"/posts/{post_id}",
        data={"post_id": post_id, "scheduled_at": scheduled_at},
        idempotency_key=idempotency_key,
    )


def notify_payment_success(
    *,
    platform: Platform,
    uid: str,
    amount_cents: int,
    currency: str,
    idempotency_key: str | None = None,
) -> NotificationOut | None:
    return notify(
        platform=platform,
        uid=uid,
        type=NotificationType.payment_success,
        title="Payment received",
        message=f"We received {amount_cents / 100:.2f} {currency.upper()}. Thank you!",
        link="/billing",
        data={"amount_cents": amount_cents, "currency": currency},
        idempotency_key=idempotency_key,
    )


def notify_payment_failed(
    *, platform: Platform, uid: str, reason: str, idempotency_key: str | None = None
) -> NotificationOut | None:
    return notify(
        platform=platform,
        uid=uid,
        type=NotificationType.payment_failed,
        title="Payment failed",
        message=reason,
        link="/billing",
        data={"reason": reason[:500]},
        idempotency_key=idempotency_key,
    )


def notify_subscription_expiring(
    *, platform: Platform, uid: str, expires_at: datetime, idempotency_key: str | None = None
) -> NotificationOut | None:
    return notify(
        platform=platform,
        uid=uid,
        type=NotificationType.subscription_expiring,
        title="Your subscription is expiring",
        message=f"Premium ends on {expires_at.date().isoformat()}.",
        link="/billing",
        data={"expires_at": expires_at},
        idempotency_key=idempotency_key,
    )


def notify_subscription_cancelled(
    *, platform: Platform, uid: str, idempotency_key: str | None = None
) -> NotificationOut | None:
    return notify(
        platform=platform,
        uid=uid,
        type=NotificationType.subscription_cancelled,
        title="Subscription cancelled",
        message="Your premium subscription was cancelled.",
        link="/billing",
        idempotency_key=idempotency_key,
    )


def notify_integration_error(
    *,
    platform: Platform,
    uid: str,
    integration_id: str,
    provider: str,
    error: str,
    idempotency_key: str | None = None,
) -> NotificationOut | None:
    return notify(
        platform=platform,
        uid=uid,
        type=NotificationType.integration_error,
        title=f"{provider} integration problem",
        message=error,
        link="/integrations",
        data={"integration_id": integration_id, "provider": provider},
        idempotency_key=idempotency_key,
    )


def notify_social_disconnected(
    *,
    platform: Platform,
    uid: str,
    account_id: str,
    social_platform: str,
    reason: str,
    idempotency_key: str | None = None,
) -> NotificationOut | None:
    return notify(
        platform=platform,
        uid=uid,
        type=NotificationType.social_disconnect,
        title=f"{social_platform} account disconnected",
        message=reason,
        link="/social-accounts",
        data={"account_id": account_id, "platform": social_platform},
        idempotency_key=idempotency_key,
    )


def notify_welcome(
    *, platform: Platform, uid: str, name: str | None = None
) -> NotificationOut | None:
    # One welcome per user, ever: the key is fixed.
    return notify(
        platform=platform,
        uid=uid,
        type=NotificationType.welcome,
        title="Welcome to Synthora",
        message=f"Hi {name or 'there'}! Type a topic and get your first video.",
        link="/create",
        idempotency_key="welcome",
    )


def notify_system(
    *,
    platform: Platform,
    uid: str,
    title: str,
    message: str,
    link: str | None = None,
    idempotency_key: str | None = None,
    email: bool = False,
) -> NotificationOut | None:
    """A system notice; `email=True` also emails it to users who have email on."""
    return notify(
        platform=platform,
        uid=uid,
        type=NotificationType.system,
        title=title,
        message=message,
        link=link,
        data={"email": True} if email else None,
        idempotency_key=idempotency_key,
    )


# ----------------------------------------------------------------- reading


def _base(platform: Platform, uid: str, *, dismissed: bool) -> Any:
    return _coll(platform).where("user_id", "==", uid).where("dismissed", "==", dismissed)


def unread_counts(*, platform: Platform, uid: str) -> UnreadCounts:
    """Unread, not dismissed: one count aggregation per type (no documents read)."""
    base = _base(platform, uid, dismissed=False).where("read", "==", False)
    by_type = {t.value: base.where("type", "==", t.value).count() for t in NotificationType}
    return UnreadCounts(total=base.count(), by_type={k: v for k, v in by_type.items() if v})


def list_notifications(
    *,
    platform: Platform,
    uid: str,
    limit: int,
    cursor: str | None,
    type: NotificationType | None = None,
    read: bool | None = None,
    dismissed: bool = False,
) -> NotificationPage:
    q = _base(platform, uid, dismissed=dismissed)
    if read is not None:
        q = q.where("read", "==", read)
    if type is not None:
        q = q.where("type", "==", type.value)
    snaps, next_cursor = paginate(
        q, order_by=[("created_at", DESCENDING)], limit=limit, cursor=cursor
    )
    total = _base(platform, uid, dismissed=False).where("read", "==", False).count()
    return NotificationPage(
        items=[_out(s) for s in snaps],
        next_cursor=next_cursor,
        has_more=next_cursor is not None,
        unread_count=total,
    )


def _owned(platform: Platform, uid: str, notification_id: str) -> Any:
    ref = _coll(platform).document(notification_id)
    snap = ref.get()
    # Someone else's notification is reported exactly like a missing one.
    if not snap.exists or (snap.to_dict() or {}).get("user_id") != uid:
        raise NotFound("notification not found", code="notification_not_found")
    return ref


def get_notification(*, platform: Platform, uid: str, notification_id: str) -> NotificationOut:
    return _out(_owned(platform, uid, notification_id).get())


def mark_read(*, platform: Platform, uid: str, notification_id: str) -> NotificationOut:
    ref = _owned(platform, uid, notification_id)
    if not ref.get().get("read"):
        ref.update({"read": True, "read_at": datetime.now(UTC)})
    return _out(ref.get())


def dismiss(*, platform: Platform, uid: str, notification_id: str) -> NotificationOut:
    ref = _owned(platform, uid, notification_id)
    snap = ref.get()
    if not snap.get("dismissed"):
        update: dict[str, Any] = {"dismissed": True}
        if not snap.get("read"):
            update.update(read=True, read_at=datetime.now(UTC))
        ref.update(update)
    return _out(ref.get())


def _bulk(platform: Platform, query: Any, update: dict[str, Any]) -> int:
    """Update every match in batches of <= 500 writes (the Firestore batch limit)."""
    done = 0
    while True:
        snaps = query.limit(BATCH_WRITES).get()
        if not snaps:
            return done
        batch = platform.documents.batch()
        for snap in snaps:
            batch.update(snap.reference, update)
        batch.commit()
        done += len(snaps)
        if len(snaps) < BATCH_WRITES:
            return done


def mark_all_read(*, platform: Platform, uid: str) -> BulkResult:
    q = _base(platform, uid, dismissed=False).where("read", "==", False)
    return BulkResult(updated=_bulk(platform, q, {"read": True, "read_at": datetime.now(UTC)}))


def dismiss_all(*, platform: Platform, uid: str) -> BulkResult:
    q = _base(platform, uid, dismissed=False)
    return BulkResult(updated=_bulk(platform, q, {"dismissed": True, "read": True}))


# ----------------------------------------------------------------- broadcast


class BroadcastRequest(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    message: str = Field(min_length=1, max_length=2000)
    link: str | None = Field(default=None, max_length=500)
    roles: list[Literal["free", "premium", "admin"]] | None = Field(
        min_length=1,
        default=None,
        description="Only users with these roles (free, premium, admin); all if omitted.",
    )
    email: bool = Field(
        default=False,
        description="Also email it to users who have email on and did not unsubscribe from "
        "announcements.",
    )


def start_broadcast(
    *, platform: Platform, admin_uid: str, request: BroadcastRequest
) -> BroadcastOut:
    """Store the broadcast and enqueue its first page; the fan-out task does the rest."""
    from synthora.errors import ValidationFailed

    if request.roles is not None:
        bad = [r for r in request.roles if r not in ("free", "premium", "admin")]
        if bad or not request.roles:
            raise ValidationFailed(
                "roles must be a non-empty list of free, premium, admin",
                details=[{"field": "body.roles", "message": f"unknown: {bad}"}],
            )
    ref = platform.documents.collection("broadcasts").document()
    ref.set(
        {
            **request.model_dump(mode="json"),
            "created_by": admin_uid,
            "created_at": datetime.now(UTC),
            "pages": {},  # "p<n>": {"delivered", "skipped"}, written by each page's task
            "finished_at": None,
        }
    )
    name = task_name("broadcast", ref.id, 0)
    result = platform.tasks.enqueue(
        function=FANOUT_FUNCTION, payload=FanoutTask(broadcast_id=ref.id, page=0), name=name
    )
    log.info("broadcast started", extra=fields(broadcast_id=ref.id, uid=admin_uid))
    return BroadcastOut(broadcast_id=ref.id, task=result.name, created=result.created)


def run_fanout(*, platform: Platform, task: FanoutTask) -> FanoutResult:
    """Deliver one page of a broadcast and enqueue the next page (idempotent)."""
    from synthora.ports.documents import ASCENDING

    bsnap = platform.documents.collection("broadcasts").document(task.broadcast_id).get()
    if not bsnap.exists:
        # A broadcast that no longer exists has nothing to deliver; do not retry forever.
        return FanoutResult(broadcast_id=task.broadcast_id, page=task.page, delivered=0, skipped=0)
    b = BroadcastRequest.model_validate(
        {k: v for k, v in (bsnap.to_dict() or {}).items() if k in BroadcastRequest.model_fields}
    )
    q = users(platform).where(UserField.IS_ACTIVE, "==", True)
    if b.roles:
        q = q.where(UserField.ROLE, "in", b.roles)
    snaps, next_cursor = paginate(
        q, order_by=[(UserField.CREATED_AT, ASCENDING)], limit=FANOUT_PAGE, cursor=task.cursor
    )
    delivered = skipped = 0
    for snap in snaps:
        out = notify_system(
            platform=platform,
            uid=snap.id,
            title=b.title,
            message=b.message,
            link=b.link,
            idempotency_key=f"broadcast-{task.broadcast_id}",
            email=b.email,
        )
        if out is None:
            skipped += 1
        else:
            delivered += 1
    # Progress per page: a redelivered page writes the same figures again.
    now = datetime.now(UTC)
    progress: dict[str, Any] = {
        f"pages.p{task.page}": {"delivered": delivered, "skipped": skipped, "at": now}
    }
    if not next_cursor:
        progress["finished_at"] = now
    bsnap.reference.update(progress)
    next_name = None
    if next_cursor:
        next_name = task_name("broadcast", task.broadcast_id, task.page + 1)
        platform.tasks.enqueue(
            function=FANOUT_FUNCTION,
            payload=FanoutTask(
                broadcast_id=task.broadcast_id, page=task.page + 1, cursor=next_cursor
            ),
            name=next_name,
        )
    return FanoutResult(
        broadcast_id=task.broadcast_id,
        page=task.page,
        delivered=delivered,
        skipped=skipped,
        next_task=next_name,
        next_cursor=next_cursor,
    )


def _broadcast_status(snap: Snapshot) -> BroadcastStatus:
    d = snap.to_dict() or {}
    pages = [p for p in (d.get("pages") or {}).values() if isinstance(p, dict)]
    return BroadcastStatus(
        broadcast_id=snap.id,
        title=d.get("title", ""),
        message=d.get("message", ""),
        link=d.get("link"),
        roles=d.get("roles"),
        created_by=d.get("created_by"),
        created_at=d.get("created_at"),
        status="done" if d.get("finished_at") else "sending",
        pages_done=len(pages),
        delivered=sum(int(p.get("delivered", 0)) for p in pages),
        skipped=sum(int(p.get("skipped", 0)) for p in pages),
        finished_at=d.get("finished_at"),
    )


def get_broadcast(*, platform: Platform, broadcast_id: str) -> BroadcastStatus:
    """One broadcast's progress (admin)."""
    snap = (
        platform.documents.collection("broadcasts").document(broadcast_id).get()
        if is_document_id(broadcast_id)
        else None
    )
    if snap is None or not snap.exists:
        raise NotFound("no such broadcast", code="broadcast_not_found")
    return _broadcast_status(snap)


def list_broadcasts(*, platform: Platform, limit: int, cursor: str | None) -> BroadcastPage:
    """Broadcasts, newest first, with their progress (admin)."""
    snaps, next_cursor = paginate(
        platform.documents.collection("broadcasts"),
        order_by=[("created_at", DESCENDING)],
        limit=limit,
        cursor=cursor,
    )
    return BroadcastPage(
        items=[_broadcast_status(s) for s in snaps],
        next_cursor=next_cursor,
        has_more=next_cursor is not None,
    )
