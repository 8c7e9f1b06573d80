"""Personal API tokens: create (shown once), list, revoke. Browser sessions only.

A token is then accepted by every route a Firebase ID token is, within its
scopes (docs/automation.md); these routes themselves never accept one, so a
token cannot mint or revoke tokens.
"""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services import api_tokens as service

router = Router(
    group="tokens",
    prefix="/api/v1/tokens",
    write_scope="session",
    description="Personal API tokens for scripts and agents: create, list, revoke.",
)


@router.get("", name="list", auth="user", token_scope="session", response=service.TokenList)
def list_tokens(ctx: RequestContext) -> service.TokenList:
    """My personal API tokens (never the secrets), and the scopes a token may carry."""
    return service.list_tokens(platform=get_platform(), uid=ctx.uid)


@router.post(
    "",
    name="create",
    auth="user",
    body=service.CreateTokenRequest,
    response=service.CreatedToken,
    status=201,
    errors=(409,),
    check_revoked=True,
    rate_limit="create_token",
    max_body=4_000,
)
def create_token(ctx: RequestContext, *, body: service.CreateTokenRequest) -> service.CreatedToken:
    """Create a token: its secret is in this answer only, and stored nowhere."""
    return service.create_token(platform=get_platform(), uid=ctx.uid, request=body)


@router.delete("/{token_id}", name="revoke", auth="owner", status=204)
def revoke_token(ctx: RequestContext, *, token_id: str) -> None:
    """Revoke one of my tokens: refused from its next request on."""
    service.revoke_token(platform=get_platform(), uid=ctx.uid, token_id=token_id)


@functions_framework.http
def tokens(request: flask.Request) -> flask.Response:
    return router(request)
