"""Notifications: my in-app notifications; admin broadcasts."""

import flask
import functions_framework

from synthora.http import PageQuery, RequestContext, Router
from synthora.platform import get_platform
from synthora.services import notifications as service
from synthora.services.mail import service as mail

router = Router(
    group="notifications",
    prefix="/api/v1/notifications",
    write_scope="session",
    description=(
        "In-app notifications: list, unread counts, read and dismiss; admin broadcasts"
        " and their progress."
    ),
)


class ListQuery(PageQuery):
    type: service.NotificationType | None = None
    read: bool | None = None
    dismissed: bool = False


@router.get("", name="list", auth="user", query=ListQuery, response=service.NotificationPage)
def list_notifications(ctx: RequestContext, *, query: ListQuery) -> service.NotificationPage:
    """My notifications, newest first, with filters and my unread count."""
    return service.list_notifications(
        platform=get_platform(),
        uid=ctx.uid,
        limit=query.limit,
        cursor=query.cursor,
        type=query.type,
        read=query.read,
        dismissed=query.dismissed,
    )


@router.get("/unread-count", name="unread_count", auth="user", response=service.UnreadCounts)
def unread_count(ctx: RequestContext) -> service.UnreadCounts:
    """How many unread notifications I have, in total and by type."""
    return service.unread_counts(platform=get_platform(), uid=ctx.uid)


@router.post("/read-all", name="read_all", auth="user", response=service.BulkResult)
def read_all(ctx: RequestContext) -> service.BulkResult:
    """Mark all my notifications read."""
    return service.mark_all_read(platform=get_platform(), uid=ctx.uid)


@router.post("/dismiss-all", name="dismiss_all", auth="user", response=service.BulkResult)
def dismiss_all(ctx: RequestContext) -> service.BulkResult:
    """Dismiss all my notifications."""
    return service.dismiss_all(platform=get_platform(), uid=ctx.uid)


@router.post(
    "/admin/broadcast",
    name="broadcast",
    auth="admin",
    body=service.BroadcastRequest,
    response=service.BroadcastOut,
    status=202,
    max_body=16_000,
)
def broadcast(ctx: RequestContext, *, body: service.BroadcastRequest) -> service.BroadcastOut:
    """Send a system notification to every (or some roles') active users (admin)."""
    return service.start_broadcast(platform=get_platform(), admin_uid=ctx.uid, request=body)


@router.get(
    "/admin/broadcasts",
    name="list_broadcasts",
    auth="admin",
    query=PageQuery,
    response=service.BroadcastPage,
)
def list_broadcasts(ctx: RequestContext, *, query: PageQuery) -> service.BroadcastPage:
    """Broadcasts, newest first, each with its progress (admin)."""
    return service.list_broadcasts(platform=get_platform(), limit=query.limit, cursor=query.cursor)


@router.get(
    "/admin/broadcasts/{broadcast_id}",
    name="get_broadcast",
    auth="admin",
    response=service.BroadcastStatus,
)
def get_broadcast(ctx: RequestContext, *, broadcast_id: str) -> service.BroadcastStatus:
    """One broadcast's progress: pages done, users reached, done or still sending (admin)."""
    return service.get_broadcast(platform=get_platform(), broadcast_id=broadcast_id)


@router.get(
    "/email/unsubscribe",
    name="unsubscribe_page",
    auth="public",
    query=mail.UnsubscribeQuery,
    media_type="text/html",
    errors=(400,),
)
def unsubscribe_page(ctx: RequestContext, *, query: mail.UnsubscribeQuery) -> flask.Response:
    """The page an email's unsubscribe link opens: confirm to stop that kind of email."""
    page = mail.unsubscribe_page(platform=get_platform(), token=query.token)
    return flask.Response(page, mimetype="text/html", headers=mail.UNSUBSCRIBE_PAGE_HEADERS)


@router.post(
    "/email/unsubscribe",
    name="unsubscribe",
    auth="public",
    query=mail.UnsubscribeQuery,
    media_type="text/html",
    errors=(400,),
)
def unsubscribe(ctx: RequestContext, *, query: mail.UnsubscribeQuery) -> flask.Response:
    """Turn one email category off for the link's user (also RFC 8058 one-click)."""
    page = mail.apply_unsubscribe(platform=get_platform(), token=query.token)
    return flask.Response(page, mimetype="text/html", headers=mail.UNSUBSCRIBE_PAGE_HEADERS)


@router.get("/{notification_id}", name="get", auth="owner", response=service.NotificationOut)
def get_notification(ctx: RequestContext, *, notification_id: str) -> service.NotificationOut:
    """One of my notifications."""
    return service.get_notification(
        platform=get_platform(), uid=ctx.uid, notification_id=notification_id
    )


@router.post("/{notification_id}/read", name="read", auth="owner", response=service.NotificationOut)
def read(ctx: RequestContext, *, notification_id: str) -> service.NotificationOut:
    """Mark one notification read."""
    return service.mark_read(platform=get_platform(), uid=ctx.uid, notification_id=notification_id)


@router.post(
    "/{notification_id}/dismiss", name="dismiss", auth="owner", response=service.NotificationOut
)
def dismiss(ctx: RequestContext, *, notification_id: str) -> service.NotificationOut:
    """Dismiss one notification."""
    return service.dismiss(platform=get_platform(), uid=ctx.uid, notification_id=notification_id)


@functions_framework.http
def notifications(request: flask.Request) -> flask.Response:
    return router(request)
