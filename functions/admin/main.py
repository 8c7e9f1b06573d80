"""Admin: app settings, user details and deletion, statistics, content and failed jobs."""

from datetime import date
from typing import Any, Literal

import flask
import functions_framework
from pydantic import BaseModel, ConfigDict, Field

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services import (
    admin_content,
    admin_stats,
    app_settings,
    template_versions,
    templates,
    user_deletion,
)

router = Router(
    group="admin",
    prefix="/api/v1/admin",
    description="Administration: settings, user details, activity and platform statistics.",
)


class SettingsList(BaseModel):
    items: list[app_settings.SettingOut]


class SettingBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: dict[str, Any]


class ActivityQuery(BaseModel):
    days: int = Field(default=30, ge=1, le=90, description="Days ending today (without start).")
    start: date | None = Field(
        default=None, description="First day (UTC), inclusive; a range keeps at most 90 days."
    )
    end: date | None = Field(default=None, description="Last day (UTC), inclusive; today.")


class TopQuery(BaseModel):
    limit: int = Field(default=10, ge=1, le=100)
    metric: admin_stats.TopMetric = "videos"


class DeleteQuery(BaseModel):
    mode: user_deletion.Mode = Field(
        default="soft", description="soft: disable now, purge later; hard: purge now."
    )


class ContentQuery(BaseModel):
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2000)


class VideoContentQuery(ContentQuery):
    status: Literal["queued", "processing", "review", "completed", "failed"] | None = None


class TemplateList(BaseModel):
    items: list[templates.TemplateOut]


class PreviewQuery(BaseModel):
    version: int | None = Field(default=None, ge=1, le=1_000_000)


class FailedQuery(BaseModel):
    kind: admin_content.JobKind | None = None
    limit: int = Field(default=50, ge=1, le=200)


@router.get("/settings", name="list_settings", auth="admin", response=SettingsList)
def list_settings(ctx: RequestContext) -> SettingsList:
    """Every setting with its current value (admin)."""
    return SettingsList(items=app_settings.list_settings(platform=get_platform()))


@router.get("/settings/{key}", name="get_setting", auth="admin", response=app_settings.SettingOut)
def get_setting(ctx: RequestContext, *, key: str) -> app_settings.SettingOut:
    """One setting (admin)."""
    return app_settings.get_setting(platform=get_platform(), key=key)


@router.post(
    "/settings/{key}",
    name="put_setting",
    auth="admin",
    body=SettingBody,
    response=app_settings.SettingOut,
    max_body=32_000,
)
def put_setting(ctx: RequestContext, *, key: str, body: SettingBody) -> app_settings.SettingOut:
    """Replace a setting's value, validated against its schema (admin)."""
    return app_settings.put_setting(
        platform=get_platform(), admin_uid=ctx.uid, key=key, value=body.value
    )


@router.delete(
    "/settings/{key}", name="reset_setting", auth="admin", response=app_settings.SettingOut
)
def reset_setting(ctx: RequestContext, *, key: str) -> app_settings.SettingOut:
    """Reset a setting to its defaults (admin)."""
    return app_settings.reset_setting(platform=get_platform(), admin_uid=ctx.uid, key=key)


@router.get("/stats", name="stats", auth="admin", response=admin_stats.PlatformStats)
def stats(ctx: RequestContext) -> admin_stats.PlatformStats:
    """Platform totals from aggregation queries (admin)."""
    return admin_stats.platform_stats(platform=get_platform())


@router.get(
    "/activity",
    name="activity",
    auth="admin",
    query=ActivityQuery,
    response=admin_stats.ActivityOut,
)
def activity(ctx: RequestContext, *, query: ActivityQuery) -> admin_stats.ActivityOut:
    """Sign-ups, videos and posts per day over a date range, at most 90 days (admin)."""
    return admin_stats.activity(
        platform=get_platform(), days=query.days, start=query.start, end=query.end
    )


@router.get(
    "/top-users", name="top_users", auth="admin", query=TopQuery, response=admin_stats.TopUsersOut
)
def top_users(ctx: RequestContext, *, query: TopQuery) -> admin_stats.TopUsersOut:
    """Users ranked by videos, posts, views or storage (admin)."""
    return admin_stats.top_users(platform=get_platform(), limit=query.limit, metric=query.metric)


@router.get(
    "/stats/templates",
    name="template_usage",
    auth="admin",
    response=admin_stats.TemplateUsageOut,
)
def template_usage(ctx: RequestContext) -> admin_stats.TemplateUsageOut:
    """Videos per template, success rate and median views of its measured posts (admin)."""
    return admin_stats.template_usage(platform=get_platform())


@router.get("/users/{user_id}", name="user_detail", auth="admin", response=admin_stats.UserDetail)
def user_detail(ctx: RequestContext, *, user_id: str) -> admin_stats.UserDetail:
    """One user: usage, videos, posts, storage, plan, accounts, last activity (admin)."""
    return admin_stats.user_detail(platform=get_platform(), uid=user_id)


@router.delete(
    "/users/{user_id}",
    name="delete_user",
    auth="admin",
    query=DeleteQuery,
    response=user_deletion.DeletionJobOut,
    status=202,
    errors=(403, 404),
)
def delete_user(
    ctx: RequestContext, *, user_id: str, query: DeleteQuery
) -> user_deletion.DeletionJobOut:
    """Delete a user: soft (disable, purge after the grace period) or hard (purge now) (admin)."""
    return user_deletion.request_deletion(
        platform=get_platform(), admin_uid=ctx.uid, uid=user_id, mode=query.mode
    )


@router.get(
    "/users/{user_id}/deletion",
    name="user_deletion",
    auth="admin",
    response=user_deletion.DeletionJobOut,
    errors=(404,),
)
def deletion(ctx: RequestContext, *, user_id: str) -> user_deletion.DeletionJobOut:
    """The user's deletion job: phase and counts (admin)."""
    return user_deletion.get_job(platform=get_platform(), uid=user_id)


@router.post(
    "/users/{user_id}/restore",
    name="restore_user",
    auth="admin",
    response=user_deletion.DeletionJobOut,
    errors=(404, 409),
)
def restore_user(ctx: RequestContext, *, user_id: str) -> user_deletion.DeletionJobOut:
    """Undo a soft deletion before its purge starts: the user is enabled again (admin)."""
    return user_deletion.cancel_deletion(platform=get_platform(), admin_uid=ctx.uid, uid=user_id)


@router.get(
    "/content/videos",
    name="recent_videos",
    auth="admin",
    query=VideoContentQuery,
    response=admin_content.RecentVideoPage,
)
def recent_videos(
    ctx: RequestContext, *, query: VideoContentQuery
) -> admin_content.RecentVideoPage:
    """The newest videos of every user (admin)."""
    return admin_content.recent_videos(
        platform=get_platform(), limit=query.limit, cursor=query.cursor, status=query.status
    )


@router.get(
    "/content/posts",
    name="recent_posts",
    auth="admin",
    query=ContentQuery,
    response=admin_content.RecentPostPage,
)
def recent_posts(ctx: RequestContext, *, query: ContentQuery) -> admin_content.RecentPostPage:
    """The newest posts of every user (admin)."""
    return admin_content.recent_posts(
        platform=get_platform(), limit=query.limit, cursor=query.cursor
    )


@router.get(
    "/content/failed-jobs",
    name="failed_jobs",
    auth="admin",
    query=FailedQuery,
    response=admin_content.FailedJobList,
)
def failed_jobs(ctx: RequestContext, *, query: FailedQuery) -> admin_content.FailedJobList:
    """Failed pipeline steps, publishing targets and analytics syncs, full errors (admin)."""
    return admin_content.failed_jobs(platform=get_platform(), kind=query.kind, limit=query.limit)


@router.post(
    "/content/failed-jobs/retry",
    name="retry_failed_job",
    auth="admin",
    body=admin_content.RetryRequest,
    response=admin_content.RetryOut,
    errors=(404, 409),
)
def retry_failed_job(
    ctx: RequestContext, *, body: admin_content.RetryRequest
) -> admin_content.RetryOut:
    """Retry a failed job through the app's own path; a job no longer failed is left (admin)."""
    return admin_content.retry_job(platform=get_platform(), admin_uid=ctx.uid, request=body)


@router.get("/templates", name="system_templates", auth="admin", response=TemplateList)
def system_templates(ctx: RequestContext) -> TemplateList:
    """Every system template, retired ones included (admin)."""
    return TemplateList(
        items=templates.list_system(platform=get_platform(), uid=ctx.uid, is_admin=True)
    )


@router.get(
    "/templates/{template_id}/versions",
    name="template_versions",
    auth="admin",
    response=template_versions.TemplateVersionList,
    errors=(404,),
)
def list_template_versions(
    ctx: RequestContext, *, template_id: str
) -> template_versions.TemplateVersionList:
    """A system template's version history, newest first (admin)."""
    return template_versions.list_versions(platform=get_platform(), template_id=template_id)


@router.get(
    "/templates/{template_id}/versions/{version}",
    name="template_version",
    auth="admin",
    response=template_versions.TemplateVersionOut,
    errors=(404,),
)
def get_template_version(
    ctx: RequestContext, *, template_id: str, version: str
) -> template_versions.TemplateVersionOut:
    """One version of a system template (admin)."""
    return template_versions.get_version(
        platform=get_platform(),
        template_id=template_id,
        version=template_versions.version_number(version),
    )


@router.post(
    "/templates/{template_id}/versions/{version}/restore",
    name="restore_template_version",
    auth="admin",
    response=templates.TemplateOut,
    errors=(404, 409, 422),
)
def restore_template_version(
    ctx: RequestContext, *, template_id: str, version: str
) -> templates.TemplateOut:
    """Put a version's content back as a new version (admin)."""
    return template_versions.restore_version(
        platform=get_platform(),
        admin_uid=ctx.uid,
        template_id=template_id,
        version=template_versions.version_number(version),
    )


@router.post(
    "/templates/{template_id}/retire",
    name="retire_template",
    auth="admin",
    body=template_versions.RetireRequest,
    response=templates.TemplateOut,
    errors=(404,),
)
def retire_template(
    ctx: RequestContext, *, template_id: str, body: template_versions.RetireRequest
) -> templates.TemplateOut:
    """Retire a system template (no new videos) or bring it back (admin)."""
    return template_versions.set_retired(
        platform=get_platform(), admin_uid=ctx.uid, template_id=template_id, retired=body.retired
    )


@router.get(
    "/templates/{template_id}/preview",
    name="template_preview",
    auth="admin",
    query=PreviewQuery,
    response=template_versions.ConfigPreview,
    errors=(404, 422),
)
def template_preview(
    ctx: RequestContext, *, template_id: str, query: PreviewQuery
) -> template_versions.ConfigPreview:
    """The config the pipeline would use, defaults filled in, for a version or now (admin)."""
    return template_versions.preview(
        platform=get_platform(), template_id=template_id, version=query.version
    )


@functions_framework.http
def admin(request: flask.Request) -> flask.Response:
    return router(request)
