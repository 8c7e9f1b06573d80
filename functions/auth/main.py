"""Sign-in: create or refresh the user record, first admin, session revocation."""

import flask
import functions_framework
from pydantic import BaseModel, Field

from synthora.errors import Unauthorized
from synthora.http import RequestContext, Router
from synthora.identity import verify_user_token
from synthora.platform import get_platform
from synthora.services import accounts as service

router = Router(
    group="auth",
    prefix="/api/v1/auth",
    write_scope="session",
    description="Sign-in with a Firebase ID token, the signed-in user's view, first-admin setup.",
)


class TokenBody(BaseModel):
    id_token: str = Field(min_length=10, max_length=8192, description="Firebase ID token.")


class LogoutOut(BaseModel):
    revoked: bool


@router.post(
    "/login",
    name="login",
    auth="public",
    body=TokenBody,
    response=service.LoginOut,
    errors=(401, 403, 429),
    rate_limit="sign_in",
)
def login(ctx: RequestContext, *, body: TokenBody) -> service.LoginOut:
    """Sign in: create or refresh my user record (the first user becomes admin)."""
    caller = verify_user_token(body.id_token, settings=ctx.settings)
    if ctx.caller is not None and ctx.caller.uid != caller.uid:
        raise Unauthorized(
            "the bearer token and the body token belong to different users", code="token_mismatch"
        )
    return service.login(platform=get_platform(), caller=caller)


@router.post("/logout", name="logout", auth="user", response=LogoutOut, errors=(503,))
def logout(ctx: RequestContext) -> LogoutOut:
    """Sign out everywhere: revoke my refresh tokens."""
    service.logout(platform=get_platform(), settings=ctx.settings, uid=ctx.uid)
    return LogoutOut(revoked=True)


@router.get("/me", name="me", auth="user", response=service.MeOut)
def me(ctx: RequestContext) -> service.MeOut:
    """Me: profile, today's limits and usage, features I can use."""
    assert ctx.caller is not None
    return service.me(platform=get_platform(), caller=ctx.caller)


@router.post(
    "/verify-token",
    name="verify_token",
    auth="public",
    body=TokenBody,
    response=service.TokenCheck,
    errors=(401, 429),
    rate_limit="sign_in",
)
def verify_token(ctx: RequestContext, *, body: TokenBody) -> service.TokenCheck:
    """Check an ID token without creating anything."""
    return service.verify_token(
        platform=get_platform(), settings=ctx.settings, id_token=body.id_token
    )


@router.post("/refresh", name="refresh", auth="user", response=service.UserOut)
def refresh(ctx: RequestContext) -> service.UserOut:
    """Record a token refresh (updates my last sign-in time)."""
    assert ctx.caller is not None
    return service.refresh(platform=get_platform(), caller=ctx.caller)


@router.get("/setup-status", name="setup_status", auth="public", response=service.SetupStatus)
def setup_status(ctx: RequestContext) -> service.SetupStatus:
    """Whether an admin exists yet (public)."""
    return service.setup_status(platform=get_platform())


@functions_framework.http
def auth(request: flask.Request) -> flask.Response:
    return router(request)
