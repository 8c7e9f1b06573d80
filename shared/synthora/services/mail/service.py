"""Email notifications: which notifications are emailed, sending them once, unsubscribing.

A notification is emailed when all of these hold (checked when the task is
queued and again when it runs, since preferences may change in between):

- its type has an email category (`EMAIL_CATEGORIES`; a `system` notice only
  when its broadcast was marked for email, `data.email`);
- an SMTP host is configured (`SYNTHORA_SMTP_HOST`);
- the user has an email address, email on (`preferences.notifications.email`)
  and has not unsubscribed from that category
  (`preferences.notifications.email_unsubscribed`).

`notify()` queues one `notifications_email` task per notification, named after
the notification id. The task claims the notification in a transaction
(`email_claimed_at`, a lease of `CLAIM_LEASE_S`), sends, then records
`email_sent_at` and `email_message_id` on the notification document: a
duplicate delivery finds the mark and sends nothing; one that arrives while
another is sending is answered 503 and retried by the queue. A temporary SMTP
failure releases the claim and answers 503 (the queue retries with backoff);
a permanent one (5xx) is recorded as `email_error` and not retried.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

from synthora.errors import ServiceUnavailable
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import Transaction
from synthora.ports.tasks import task_name
from synthora.services.mail import unsubscribe
from synthora.services.mail.render import (
    NotificationEmailContext,
    render_notification,
    render_unsubscribe_page,
)
from synthora.services.mail.smtp import (
    EmailPermanentError,
    EmailTemporaryError,
    OutgoingEmail,
    get_sender,
)
from synthora.services.user_records import UserField, UserRecord, read_user, user_ref
from synthora.settings import Settings

log = get_logger(__name__)

EMAIL_FUNCTION = "notifications_email"
NOTIFICATIONS = "notifications"
CLAIM_LEASE_S = 300
UNSUBSCRIBE_PATH = "/api/v1/notifications/email/unsubscribe"


#: The unsubscribe pages are HTML: their own inline styles and a form posting to
#: the same origin, nothing else (the router adds the other security headers).
UNSUBSCRIBE_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
}


class EmailCategory(StrEnum):
    videos = "videos"
    posts = "posts"
    billing = "billing"
    accounts = "accounts"
    announcements = "announcements"


#: notification type -> the email category it is sent under (types not listed: app only)
EMAIL_CATEGORIES: dict[str, EmailCategory] = {
    "video_failed": EmailCategory.videos,
    "post_published": EmailCategory.posts,
    "post_failed": EmailCategory.posts,
    "payment_failed": EmailCategory.billing,
    "subscription_expiring": EmailCategory.billing,
    "subscription_cancelled": EmailCategory.billing,
    "social_disconnect": EmailCategory.accounts,
    "system": EmailCategory.announcements,
}

CATEGORY_LABELS: dict[EmailCategory, str] = {
    EmailCategory.videos: "failed video",
    EmailCategory.posts: "posting",
    EmailCategory.billing: "billing",
    EmailCategory.accounts: "connected account",
    EmailCategory.announcements: "announcement",
}

ACTION_LABELS: dict[str, str] = {
    "video_failed": "Open the video",
    "post_published": "See the post",
    "post_failed": "Open the post",
    "payment_failed": "Update billing",
    "subscription_expiring": "Manage subscription",
    "subscription_cancelled": "Manage subscription",
    "social_disconnect": "Reconnect the account",
}


class EmailTask(BaseModel):
    notification_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")


class EmailResult(BaseModel):
    notification_id: str
    status: Literal["sent", "already_sent", "skipped", "failed"]
    reason: str | None = None
    message_id: str | None = None


class UnsubscribeQuery(BaseModel):
    token: str = Field(min_length=1, max_length=unsubscribe.MAX_TOKEN_LENGTH)


def category_of(type_: str, data: dict[str, Any] | None) -> EmailCategory | None:
    """The email category of a notification; None when it is app-only."""
    category = EMAIL_CATEGORIES.get(type_)
    if category is EmailCategory.announcements and not (data or {}).get("email"):
        return None  # a broadcast not marked for email
    return category


def skip_reason(
    *, settings: Settings, user: UserRecord | None, type_: str, data: dict[str, Any] | None
) -> str | None:
    """Why this notification is not emailed to this user; None when it is."""
    category = category_of(type_, data)
    if category is None:
        return "not_an_email_type"
    if not settings.email_enabled:
        return "email_not_configured"
    if user is None or not user.email:
        return "no_email_address"
    prefs = user.preferences.notifications
    if not prefs.email:
        return "email_off"
    if category.value in prefs.email_unsubscribed:
        return "unsubscribed"
    return None


def enqueue_email(
    *,
    platform: Platform,
    notification_id: str,
    user: UserRecord | None,
    type_: str,
    data: dict[str, Any] | None,
) -> bool:
    """Queue the email of one notification when it is due (idempotent: named task)."""
    if skip_reason(settings=platform.settings, user=user, type_=type_, data=data) is not None:
        return False
    platform.tasks.enqueue(
        function=EMAIL_FUNCTION,
        payload=EmailTask(notification_id=notification_id),
        name=task_name("email", notification_id),
    )
    return True


def _web_base(settings: Settings) -> str:
    return (settings.web_app_url or settings.public_url).rstrip("/")


def unsubscribe_url(*, settings: Settings, uid: str, category: EmailCategory) -> str:
    token = unsubscribe.make_token(settings=settings, uid=uid, category=category.value)
    return f"{_web_base(settings)}{UNSUBSCRIBE_PATH}?token={token}"


def _absolute(settings: Settings, link: str | None) -> str | None:
    if not link:
        return None
    if link.startswith(("https://", "http://")):
        return link
    if link.startswith("/"):
        return _web_base(settings) + link
    return None


def compose(
    *, settings: Settings, notification_id: str, uid: str, to: str, data: dict[str, Any]
) -> OutgoingEmail:
    """The email for one stored notification (HTML + plain text, unsubscribe headers)."""
    type_ = str(data.get("type", ""))
    category = category_of(type_, data.get("data"))
    assert category is not None
    link = unsubscribe_url(settings=settings, uid=uid, category=category)
    title = str(data.get("title") or "Synthora")
    rendered = render_notification(
        NotificationEmailContext(
            subject=title,
            title=title,
            message=str(data.get("message") or ""),
            action_url=_absolute(settings, data.get("link")),
            action_label=ACTION_LABELS.get(type_, "Open Synthora"),
            category_label=CATEGORY_LABELS[category],
            unsubscribe_url=link,
            settings_url=f"{_web_base(settings)}/settings",
        )
    )
    domain = settings.smtp_from.rpartition("@")[2].strip(" >") or "synthora.localhost"
    return OutgoingEmail(
        to=to,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        # Deterministic: a message sent twice after a crash is one message to most clients.
        message_id=f"<notification-{notification_id}@{domain}>",
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",  # RFC 8058
            "X-Synthora-Category": category.value,
            "Auto-Submitted": "auto-generated",  # RFC 3834: no auto-replies
        },
    )


def _claim(platform: Platform, notification_id: str) -> tuple[str, dict[str, Any] | None]:
    """("claimed", data) | ("sent", None) | ("gone", None); 503 while another holds it."""
    ref = platform.documents.collection(NOTIFICATIONS).document(notification_id)
    now = datetime.now(UTC)

    def run(tx: Transaction) -> tuple[str, dict[str, Any] | None]:
        snap = tx.get(ref)
        if not snap.exists:
            return "gone", None
        data = snap.to_dict() or {}
        if data.get("email_sent_at"):
            return "sent", None
        claimed = data.get("email_claimed_at")
        if isinstance(claimed, datetime) and now - claimed < timedelta(seconds=CLAIM_LEASE_S):
            return "busy", None
        tx.update(ref, {"email_claimed_at": now})
        return "claimed", data

    state, data = platform.documents.run_transaction(run)
    if state == "busy":
        raise ServiceUnavailable(
            "this notification's email is being sent by another delivery",
            code="email_in_progress",
            headers={"Retry-After": "30"},
        )
    return state, data


def deliver(*, platform: Platform, task: EmailTask) -> EmailResult:
    """Send one notification's email, at most once (the task handler)."""
    nid = task.notification_id
    ref = platform.documents.collection(NOTIFICATIONS).document(nid)
    snap = ref.get()
    if not snap.exists:
        return EmailResult(notification_id=nid, status="skipped", reason="notification_gone")
    data = snap.to_dict() or {}
    if data.get("email_sent_at"):
        return EmailResult(
            notification_id=nid, status="already_sent", message_id=data.get("email_message_id")
        )
    uid = str(data.get("user_id") or "")
    user = read_user(platform, uid) if uid else None
    reason = skip_reason(
        settings=platform.settings,
        user=user,
        type_=str(data.get("type")),
        data=data.get("data"),
    )
    if reason is not None:
        return EmailResult(notification_id=nid, status="skipped", reason=reason)
    assert user is not None and user.email
    state, claimed = _claim(platform, nid)
    if state == "gone" or claimed is None:
        return EmailResult(
            notification_id=nid,
            status="already_sent" if state == "sent" else "skipped",
            reason=None if state == "sent" else "notification_gone",
        )
    email = compose(
        settings=platform.settings, notification_id=nid, uid=uid, to=user.email, data=claimed
    )
    try:
        sent = get_sender(platform.settings).send(email)
    except EmailTemporaryError as exc:
        ref.update({"email_claimed_at": None})
        log.warning("email deferred", extra=fields(notification_id=nid, reason=str(exc)))
        raise ServiceUnavailable(
            "the mail server could not take the message now; retrying",
            code="email_deferred",
            headers={"Retry-After": "60"},
        ) from exc
    except EmailPermanentError as exc:
        ref.update({"email_claimed_at": None, "email_error": str(exc)[:500]})
        log.error("email refused", extra=fields(notification_id=nid, reason=str(exc)))
        return EmailResult(notification_id=nid, status="failed", reason=str(exc)[:500])
    ref.update(
        {
            "email_sent_at": datetime.now(UTC),
            "email_message_id": sent.message_id,
            "email_claimed_at": None,
        }
    )
    return EmailResult(notification_id=nid, status="sent", message_id=sent.message_id)


# ----------------------------------------------------------------- unsubscribe


def _claims(settings: Settings, token: str) -> unsubscribe.UnsubscribeClaims:
    return unsubscribe.read_token(
        settings=settings, token=token, categories=frozenset(c.value for c in EmailCategory)
    )


def unsubscribe_page(*, platform: Platform, token: str) -> str:
    """The confirmation page a link opens (GET changes nothing: mail scanners follow links)."""
    claims = _claims(platform.settings, token)
    return render_unsubscribe_page(
        app_name="Synthora",
        category_label=CATEGORY_LABELS[EmailCategory(claims.category)],
        settings_url=f"{_web_base(platform.settings)}/settings",
        done=False,
        action=f"{UNSUBSCRIBE_PATH}?token={token}",
    )


def apply_unsubscribe(*, platform: Platform, token: str) -> str:
    """Turn the token's category of email off for its user; the confirmation page.

    Also the RFC 8058 one-click target (a POST with `List-Unsubscribe=One-Click`).
    Repeating it changes nothing more. A user who no longer exists is told the same.
    """
    claims = _claims(platform.settings, token)
    ref = user_ref(platform, claims.uid)

    def run(tx: Transaction) -> None:
        snap = tx.get(ref)
        if not snap.exists:
            return
        from synthora.services.user_records import record_of

        prefs = record_of(snap.to_dict()).preferences.notifications
        if claims.category in prefs.email_unsubscribed:
            return
        updated = prefs.model_copy(
            update={"email_unsubscribed": sorted({*prefs.email_unsubscribed, claims.category})}
        )
        tx.update(
            ref,
            {
                UserField.NOTIFICATION_PREFERENCES: updated.model_dump(mode="json"),
                "updated_at": datetime.now(UTC),
            },
        )

    platform.documents.run_transaction(run)
    log.info("email unsubscribed", extra=fields(uid=claims.uid, category=claims.category))
    return render_unsubscribe_page(
        app_name="Synthora",
        category_label=CATEGORY_LABELS[EmailCategory(claims.category)],
        settings_url=f"{_web_base(platform.settings)}/settings",
        done=True,
        action=f"{UNSUBSCRIBE_PATH}?token={token}",
    )
