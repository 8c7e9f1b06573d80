"""Admin: app settings (feature flags, limits), user details, platform statistics."""

from typing import Any

import flask
import functions_framework
from pydantic import BaseModel, ConfigDict, Field

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services import admin_stats, app_settings

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
    days: int = Field(default=30, ge=1, le=90)


class TopQuery(BaseModel):
    limit: int = Field(default=10, ge=1, le=100)


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
    """Signups per day over the last N days (admin)."""
    return admin_stats.activity(platform=get_platform(), days=query.days)


@router.get(
    "/top-users", name="top_users", auth="admin", query=TopQuery, response=admin_stats.TopUsersOut
)
def top_users(ctx: RequestContext, *, query: TopQuery) -> admin_stats.TopUsersOut:
    """Users who created the most videos (admin)."""
    return admin_stats.top_users(platform=get_platform(), limit=query.limit)


@router.get("/users/{user_id}", name="user_detail", auth="admin", response=admin_stats.UserDetail)
def user_detail(ctx: RequestContext, *, user_id: str) -> admin_stats.UserDetail:
    """One user with usage and video count (admin)."""
    return admin_stats.user_detail(platform=get_platform(), uid=user_id)


@functions_framework.http
def admin(request: flask.Request) -> flask.Response:
    return router(request)
