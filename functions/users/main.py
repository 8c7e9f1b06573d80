"""Users: my profile; for admins, every user, roles, status, premium grants."""

from typing import Literal

import flask
import functions_framework
from pydantic import Field

from synthora.http import PageQuery, RequestContext, Router
from synthora.http.bodies import PatchBody
from synthora.platform import get_platform
from synthora.services import accounts
from synthora.services import users as service

router = Router(
    group="users",
    prefix="/api/v1/users",
    write_scope="session",
    description="Profiles; admin user management (roles, status, premium) and counts.",
)


class ListUsersQuery(PageQuery):
    search: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="Prefix of the email (or name, see search_by).",
    )
    search_by: Literal["email", "name"] = "email"
    role: accounts.Role | None = None
    is_active: bool | None = None


class RoleBody(PatchBody):
    role: accounts.Role


class StatusBody(PatchBody):
    is_active: bool


@router.get("/profile", name="get_profile", auth="user", response=accounts.UserOut)
def get_profile(ctx: RequestContext) -> accounts.UserOut:
    """My profile."""
    assert ctx.caller is not None
    return accounts.get_or_default(platform=get_platform(), caller=ctx.caller)


@router.patch(
    "/profile",
    name="update_profile",
    auth="user",
    body=service.ProfilePatch,
    response=accounts.UserOut,
    max_body=16_000,
)
def update_profile(ctx: RequestContext, *, body: service.ProfilePatch) -> accounts.UserOut:
    """Change my display name, avatar or notification preferences."""
    return service.update_profile(platform=get_platform(), uid=ctx.uid, patch=body)


@router.get("", name="list", auth="admin", query=ListUsersQuery, response=service.UserPage)
def list_users(ctx: RequestContext, *, query: ListUsersQuery) -> service.UserPage:
    """Every user (admin): search, role and status filters, cursor pages."""
    return service.list_users(
        platform=get_platform(),
        limit=query.limit,
        cursor=query.cursor,
        search=query.search,
        search_by=query.search_by,
        role=query.role,
        is_active=query.is_active,
    )


@router.get("/stats", name="stats", auth="admin", response=service.UserStatsOut)
def stats(ctx: RequestContext) -> service.UserStatsOut:
    """User counts by role and status (admin)."""
    return service.user_stats(platform=get_platform())


@router.get("/{user_id}", name="get", auth="admin", response=accounts.UserOut)
def get_user(ctx: RequestContext, *, user_id: str) -> accounts.UserOut:
    """One user (admin)."""
    return accounts.get_user(platform=get_platform(), uid=user_id)


@router.patch(
    "/{user_id}/role",
    name="set_role",
    auth="admin",
    body=RoleBody,
    response=accounts.UserOut,
    check_revoked=True,
)
def set_role(ctx: RequestContext, *, user_id: str, body: RoleBody) -> accounts.UserOut:
    """Change a user's role (admin; not your own)."""
    return service.set_role(
        platform=get_platform(), admin_uid=ctx.uid, target_uid=user_id, role=body.role
    )


@router.patch(
    "/{user_id}/status",
    name="set_status",
    auth="admin",
    body=StatusBody,
    response=accounts.UserOut,
    check_revoked=True,
)
def set_status(ctx: RequestContext, *, user_id: str, body: StatusBody) -> accounts.UserOut:
    """Enable or disable a user (admin; not yourself)."""
    return service.set_status(
        platform=get_platform(), admin_uid=ctx.uid, target_uid=user_id, is_active=body.is_active
    )


@router.post(
    "/{user_id}/grant-premium",
    name="grant_premium",
    auth="admin",
    response=accounts.UserOut,
    check_revoked=True,
    errors=(409,),
)
def grant_premium(ctx: RequestContext, *, user_id: str) -> accounts.UserOut:
    """Make a user premium (admin)."""
    return service.grant_premium(platform=get_platform(), admin_uid=ctx.uid, target_uid=user_id)


@router.post(
    "/{user_id}/revoke-premium",
    name="revoke_premium",
    auth="admin",
    response=accounts.UserOut,
    check_revoked=True,
    errors=(409,),
)
def revoke_premium(ctx: RequestContext, *, user_id: str) -> accounts.UserOut:
    """Make a premium user free again (admin)."""
    return service.revoke_premium(platform=get_platform(), admin_uid=ctx.uid, target_uid=user_id)


@functions_framework.http
def users(request: flask.Request) -> flask.Response:
    return router(request)
