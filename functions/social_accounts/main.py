"""Social accounts: connect YouTube, TikTok, Instagram, Facebook Pages; list, refresh, disconnect.

The platform's redirect lands on the separate public `social_accounts_callback`
function (/api/v1/social-accounts/callback/...). Tokens never appear in a response.
"""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services import social_accounts as service

router = Router(
    group="social_accounts",
    prefix="/api/v1/social-accounts",
    write_scope="posts",
    description="Connected YouTube, TikTok, Instagram and Facebook accounts (tokens never shown).",
)


ListQuery = service.AccountListQuery


@router.get(
    "", name="list", auth="user", query=ListQuery, response=service.SocialAccountList, errors=(404,)
)
def list_accounts(ctx: RequestContext, *, query: ListQuery) -> service.SocialAccountList:
    """My connected accounts, optionally of one platform."""
    return service.list_accounts(
        platform=get_platform(),
        uid=ctx.uid,
        social_platform=query.platform,
        include_disconnected=query.include_disconnected,
    )


@router.get("/platforms", name="platforms", auth="user", response=service.PlatformSetupList)
def platforms(ctx: RequestContext) -> service.PlatformSetupList:
    """Which platforms this server can connect (ready, emulated, or not set up)."""
    return service.list_platforms(platform=get_platform())


@router.post(
    "/connect/{platform}",
    name="connect",
    auth="user",
    response=service.ConnectStart,
    errors=(403, 404, 409),
    rate_limit="connect_account",
    check_revoked=True,
)
def connect(ctx: RequestContext, *, platform: str) -> service.ConnectStart:
    """Start connecting: the platform's consent URL (state single use, 10 minutes)."""
    return service.start_connect(platform=get_platform(), uid=ctx.uid, social_platform=platform)


@router.get(
    "/selections/{selection_id}",
    name="get_selection",
    auth="user",
    response=service.SelectionOut,
    errors=(400, 404, 409),
)
def get_selection(ctx: RequestContext, *, selection_id: str) -> service.SelectionOut:
    """The Pages / Instagram accounts a consent reached, to choose from."""
    return service.get_selection(platform=get_platform(), uid=ctx.uid, selection_id=selection_id)


@router.post(
    "/selections/{selection_id}",
    name="confirm_selection",
    auth="user",
    body=service.SelectRequest,
    response=service.SocialAccountList,
    errors=(400, 404, 409, 422),
)
def confirm_selection(
    ctx: RequestContext, *, selection_id: str, body: service.SelectRequest
) -> service.SocialAccountList:
    """Connect the chosen Pages / Instagram accounts."""
    return service.confirm_selection(
        platform=get_platform(), uid=ctx.uid, selection_id=selection_id, request=body
    )


@router.get(
    "/{account_id}", name="get", auth="owner", response=service.SocialAccountOut, errors=(404,)
)
def get_account(ctx: RequestContext, *, account_id: str) -> service.SocialAccountOut:
    """One of my accounts (a disconnected one too, for post history)."""
    return service.get_account(platform=get_platform(), uid=ctx.uid, account_id=account_id)


@router.delete(
    "/{account_id}", name="delete", auth="owner", response=service.DisconnectOutcome, errors=(404,)
)
def delete_account(ctx: RequestContext, *, account_id: str) -> service.DisconnectOutcome:
    """Disconnect: revoke at the platform where allowed, delete the tokens, keep history."""
    return service.disconnect_account(platform=get_platform(), uid=ctx.uid, account_id=account_id)


@router.post(
    "/{account_id}/refresh",
    name="refresh",
    auth="owner",
    response=service.RefreshOutcome,
    errors=(404, 409, 503),
)
def refresh(ctx: RequestContext, *, account_id: str) -> service.RefreshOutcome:
    """Refresh the tokens now (a dead grant is reported as needs_reconnect)."""
    return service.refresh_now(platform=get_platform(), uid=ctx.uid, account_id=account_id)


@functions_framework.http
def social_accounts(request: flask.Request) -> flask.Response:
    return router(request)
