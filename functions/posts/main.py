"""Posts: cross-post a finished video to connected accounts, now or on a schedule."""

import flask
import functions_framework
from pydantic import BaseModel, Field

from synthora.http import RequestContext, Router
from synthora.http.pagination import Page
from synthora.platform import get_platform
from synthora.services import post_schedule_io as schedule_io
from synthora.services import posts as service

router = Router(
    group="posts",
    prefix="/api/v1/posts",
    write_scope="posts",
    description="Posting and scheduling: each target's status, link and reasons (exactly once).",
)


class PublishNowQuery(BaseModel):
    target_id: str | None = Field(
        default=None, max_length=64, description="Only this target (retry a failed one)."
    )


@router.get(
    "", name="list", auth="user", query=service.PostListQuery, response=Page[service.PostOut]
)
def list_posts(ctx: RequestContext, *, query: service.PostListQuery) -> Page[service.PostOut]:
    """My posts, newest first, filtered by status and platform (cursor pages)."""
    return service.list_posts(platform=get_platform(), uid=ctx.uid, query=query)


@router.get(
    "/scheduled",
    name="scheduled",
    auth="user",
    query=service.ScheduledQuery,
    response=service.PostList,
    errors=(422,),
)
def scheduled(ctx: RequestContext, *, query: service.ScheduledQuery) -> service.PostList:
    """My posts scheduled between `start` and `end` (at most 92 days)."""
    return service.list_scheduled(platform=get_platform(), uid=ctx.uid, query=query)


@router.get(
    "/calendar/{year}/{month}",
    name="calendar",
    auth="user",
    query=service.CalendarQuery,
    response=service.CalendarOut,
    errors=(404, 422),
)
def calendar(
    ctx: RequestContext, *, year: str, month: str, query: service.CalendarQuery
) -> service.CalendarOut:
    """One month of posts grouped by day in my time zone (or `tz`)."""
    if not (year.isdigit() and month.isdigit()):
        from synthora.errors import NotFound

        raise NotFound("no such month", code="month_not_found")
    return service.calendar_month(
        platform=get_platform(), uid=ctx.uid, year=int(year), month=int(month), tz=query.tz
    )


@router.get("/stats/me", name="stats", auth="user", response=service.PostStats)
def stats(ctx: RequestContext) -> service.PostStats:
    """Counts of my posts and targets by status and platform."""
    return service.post_stats(platform=get_platform(), uid=ctx.uid)


@router.post(
    "",
    name="create",
    auth="user",
    body=service.CreatePostRequest,
    response=service.PostOut,
    status=201,
    errors=(403, 404, 409, 422),
)
def create(ctx: RequestContext, *, body: service.CreatePostRequest) -> service.PostOut:
    """Post a video to several accounts now, or schedule it (roles with scheduling)."""
    return service.create_post(platform=get_platform(), uid=ctx.uid, request=body)


@router.get(
    "/export",
    name="export",
    auth="user",
    query=schedule_io.ExportQuery,
    media_type="text/csv",
    errors=(422,),
)
def export(ctx: RequestContext, *, query: schedule_io.ExportQuery) -> flask.Response:
    """My schedule as CSV, one row per target (dates in ISO 8601 UTC)."""
    text = schedule_io.export_csv(platform=get_platform(), uid=ctx.uid, query=query)
    return flask.Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="synthora-schedule.csv"'},
    )


@router.post(
    "/import",
    name="import",
    auth="user",
    body=schedule_io.ImportRequest,
    response=schedule_io.ImportResult,
    max_body=schedule_io.IMPORT_MAX_BODY,
    errors=(413, 422),
)
def import_(ctx: RequestContext, *, body: schedule_io.ImportRequest) -> schedule_io.ImportResult:
    """Check (dry_run) or create posts from CSV rows; each row answered with its errors."""
    return schedule_io.import_csv(platform=get_platform(), uid=ctx.uid, request=body)


@router.get(
    "/conflicts",
    name="conflicts",
    auth="user",
    query=schedule_io.ConflictsQuery,
    response=schedule_io.ConflictsOut,
    errors=(422,),
)
def conflicts(
    ctx: RequestContext, *, query: schedule_io.ConflictsQuery
) -> schedule_io.ConflictsOut:
    """This video's queued, publishing or published targets on these accounts (a warning)."""
    return schedule_io.conflicts(platform=get_platform(), uid=ctx.uid, query=query)


@router.get("/{post_id}", name="get", auth="owner", response=service.PostOut, errors=(404,))
def get(ctx: RequestContext, *, post_id: str) -> service.PostOut:
    """One post with each target's status, link and error."""
    return service.get_post(platform=get_platform(), uid=ctx.uid, post_id=post_id)


@router.patch(
    "/{post_id}",
    name="update",
    auth="owner",
    body=service.UpdatePostRequest,
    response=service.PostOut,
    errors=(403, 404, 409, 422),
)
def update(
    ctx: RequestContext, *, post_id: str, body: service.UpdatePostRequest
) -> service.PostOut:
    """Reschedule or edit while nothing is publishing."""
    return service.update_post(platform=get_platform(), uid=ctx.uid, post_id=post_id, request=body)


@router.delete(
    "/{post_id}", name="delete", auth="owner", response=service.PostOut, errors=(404, 409)
)
def delete(ctx: RequestContext, *, post_id: str) -> service.PostOut:
    """Cancel whatever is still queued; refused while a target is publishing."""
    return service.delete_post(platform=get_platform(), uid=ctx.uid, post_id=post_id)


@router.post(
    "/{post_id}/publish",
    name="publish",
    auth="owner",
    query=PublishNowQuery,
    response=service.PostOut,
    errors=(404, 409),
)
def publish(ctx: RequestContext, *, post_id: str, query: PublishNowQuery) -> service.PostOut:
    """Publish the queued targets now, or retry one failed target."""
    return service.publish_now(
        platform=get_platform(), uid=ctx.uid, post_id=post_id, target_id=query.target_id
    )


@functions_framework.http
def posts(request: flask.Request) -> flask.Response:
    return router(request)
