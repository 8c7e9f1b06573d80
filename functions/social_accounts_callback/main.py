"""The platforms' OAuth redirect target (public) and the single-page app's manual exchange.

`GET /{platform}` is where YouTube, TikTok and Facebook send the browser back:
the state (random, single use, 10 minutes) says which user started the
consent; the code is exchanged here and the browser is redirected to the web
app's Social Accounts page with the outcome, never with a token.
"""

import flask
import functions_framework
from pydantic import BaseModel, Field

from synthora.errors import NotFound
from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.providers.social import SocialPlatform
from synthora.services import social_accounts as service

PLATFORMS = frozenset(p.value for p in SocialPlatform)

router = Router(
    group="social_accounts_callback",
    prefix="/api/v1/social-accounts/callback",
    write_scope="session",
    description="OAuth redirect targets of the social platforms.",
)


class CallbackQuery(BaseModel):
    code: str | None = Field(default=None, max_length=4096)
    state: str | None = Field(default=None, max_length=256)
    error: str | None = Field(default=None, max_length=200)
    error_description: str | None = Field(default=None, max_length=1000)
    error_reason: str | None = Field(default=None, max_length=200)
    error_code: str | None = Field(default=None, max_length=50)
    scope: str | None = Field(default=None, max_length=4096)
    scopes: str | None = Field(default=None, max_length=4096)


@router.get(
    "/{platform}",
    name="callback",
    auth="public",
    query=CallbackQuery,
    status=302,
    description="Redirects (302) to /social-accounts on the web app with `connected`, "
    "`select` or `error` (+ `message`, `missing`) in the query string; a path naming no "
    "platform is a 404.",
)
def callback(ctx: RequestContext, *, platform: str, query: CallbackQuery) -> flask.Response:
    """Finish a consent and send the browser back to the web app with the outcome."""
    if platform not in PLATFORMS:  # no platform redirects here: nothing to finish
        raise NotFound(f"unknown platform {platform!r}", code="platform_not_found")
    target = service.callback_redirect(
        platform=get_platform(),
        social_platform=platform,
        state=query.state,
        code=query.code,
        error=query.error,
        error_description=query.error_description,
    )
    response = flask.redirect(target, code=302)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.post(
    "/{platform}/manual",
    name="manual",
    auth="user",
    body=service.ManualCallbackRequest,
    response=service.CallbackOutcome,
    errors=(400, 403, 404, 409, 502, 503),
)
def manual(
    ctx: RequestContext, *, platform: str, body: service.ManualCallbackRequest
) -> service.CallbackOutcome:
    """The same exchange for a web app that received the code itself (state must be mine)."""
    return service.complete_callback(
        platform=get_platform(),
        social_platform=platform,
        state=body.state,
        code=body.code,
        error=body.error,
        error_description=body.error_description,
        uid=ctx.uid,
    )


@functions_framework.http
def social_accounts_callback(request: flask.Request) -> flask.Response:
    return router(request)
