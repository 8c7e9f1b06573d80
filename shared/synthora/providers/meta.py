"""Facebook Login and the Graph API calls Facebook Pages and Instagram share (Graph v27.0).

Synthora reaches both Facebook Pages and Instagram professional accounts
through **Facebook Login** (docs/decisions/0007-instagram-through-facebook-login.md):
one Meta app, one consent, and each Page's `instagram_business_account`.

Documentation followed (shared/reference/platform-apis.md sections 7 and 11):
- https://developers.facebook.com/documentation/facebook-login/guides/advanced/manual-flow
  (login dialog, code exchange, `auth_type=rerequest`)
- https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived
  (short-lived user token -> ~60-day user token -> Page tokens that do not expire)
- https://developers.facebook.com/docs/graph-api/reference/user/accounts/ (`/me/accounts`)
- https://developers.facebook.com/docs/graph-api/reference/user/permissions/
- https://developers.facebook.com/docs/graph-api/guides/error-handling (code 190 and
  subcodes 458/460/463/467 mean the token is dead; 4/17/32/613 are throttles)

Not used: PKCE (Facebook Login offers it only in its OIDC flow, which Meta still
marks as "in testing"); revoking at Meta on disconnect (`DELETE /me/permissions`
removes the whole app from the person's Facebook account, which would also cut
every other Page and Instagram account they connected; see docs/social-accounts.md).
Client secrets and tokens travel in POST bodies and the Authorization header,
never in a URL we build.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from pydantic import SecretStr

from synthora.providers.social import (
    SocialOAuthClient,
    SocialPlatformError,
    TokenSet,
)

#: Graph error codes that are throttles or hiccups (retry later, never disconnect).
TRANSIENT_CODES = frozenset({1, 2, 4, 17, 32, 341, 613, *range(80001, 80015)})
DEAD_TOKEN_CODE = 190
PERMISSION_CODES = frozenset({10, *range(200, 300)})
MAX_PAGES_OF_PAGES = 5


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class MetaLoginClient(SocialOAuthClient):
    """Facebook Login plus the Graph reads both Meta platforms need."""

    uses_pkce = False
    refreshable = False  # Page tokens do not expire; `refresh` re-checks them instead
    revocable = False
    #: The permissions this platform asks for.
    scopes: tuple[str, ...] = ()

    @property
    def graph(self) -> str:
        """Graph API base with the pinned version (`graph_api_version` in settings)."""
        return self.bases["graph"]

    def authorize_url(self, *, state: str, code_challenge: str | None) -> str:
        params = {
            "client_id": self.app.client_id,
            "redirect_uri": self.app.redirect_uri,
            "state": state,
            "scope": ",".join(self.scopes),
            "response_type": "code",
            "auth_type": "rerequest",
        }
        return f"{self.bases['facebook']}/dialog/oauth?{urlencode(params)}"

    # -- Graph plumbing -------------------------------------------------------------------

    def graph_error(self, status: int, body: dict[str, Any]) -> SocialPlatformError:
        error = body.get("error") if isinstance(body.get("error"), dict) else {}
        code = _int(error.get("code"))
        subcode = _int(error.get("error_subcode"))
        message = str(error.get("message") or f"Meta answered HTTP {status}")
        label = f"graph_{code}" + (f"_{subcode}" if subcode else "") if code else f"http_{status}"
        if code == DEAD_TOKEN_CODE:
            return self.error("dead_grant", label, message, status=status)
        if code in TRANSIENT_CODES or error.get("is_transient") or status >= 500 or status == 429:
            return self.error("transient", label, message, status=status)
        if code in (101, 1) and "client secret" in message.lower():
            return self.error("config", label, message, status=status)
        if code in PERMISSION_CODES:
            return self.error("refused", "missing_scope", message, status=status)
        return self.error("refused", label, message, status=status)

    def call(
        self,
        method: str,
        path: str,
        *,
        token: SecretStr | None = None,
        params: dict[str, str] | None = None,
        data: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        url = path if path.startswith("http") else f"{self.graph}/{path.lstrip('/')}"
        headers = {"Authorization": f"Bearer {token.get_secret_value()}"} if token else {}
        response = self.send(method, url, params=params, data=data, headers=headers)
        if response.status_code >= 500 and not response.content:
            raise self.error("transient", "platform_unavailable", "Meta did not answer", status=500)
        body = self.json_of(response)
        if response.status_code != 200 or "error" in body:
            raise self.graph_error(response.status_code, body)
        return body

    def _app_form(self) -> dict[str, str]:
        return {
            "client_id": self.app.client_id,
            "client_secret": self.app.client_secret.get_secret_value(),
        }

    # -- the flow -------------------------------------------------------------------------

    def exchange_code(self, *, code: str, code_verifier: str | None) -> TokenSet:
        short = self.call(
            "POST",
            "oauth/access_token",
            data={**self._app_form(), "redirect_uri": self.app.redirect_uri, "code": code},
        )
        if not short.get("access_token"):
            raise self.error("refused", "no_access_token", "Meta answered without a token")
        long = self.call(
            "POST",
            "oauth/access_token",
            data={
                **self._app_form(),
                "grant_type": "fb_exchange_token",
                "fb_exchange_token": str(short["access_token"]),
            },
        )
        if not long.get("access_token"):
            raise self.error("refused", "no_access_token", "Meta refused the long-lived exchange")
        token = SecretStr(str(long["access_token"]))
        me = self.call("GET", "me", token=token, params={"fields": "id,name"})
        permissions = self.call("GET", "me/permissions", token=token)
        granted = [
            str(p.get("permission"))
            for p in permissions.get("data") or []
            if p.get("status") == "granted"
        ]
        return TokenSet(
            access_token=token,
            expires_in=_int(long.get("expires_in")),
            scopes=granted,
            subject=str(me.get("id") or "") or None,
        )

    def pages(self, *, tokens: TokenSet) -> list[dict[str, Any]]:
        """The Pages this login manages, each with its Page token (long-lived user token)."""
        fields = (
            "id,name,category,access_token,tasks,followers_count,fan_count,"
            "picture{url},instagram_business_account{id,username}"
        )
        found: list[dict[str, Any]] = []
        body = self.call(
            "GET",
            "me/accounts",
            token=tokens.access_token,
            params={"fields": fields, "limit": "100"},
        )
        for _ in range(MAX_PAGES_OF_PAGES):
            found.extend(p for p in body.get("data") or [] if isinstance(p, dict))
            after = ((body.get("paging") or {}).get("cursors") or {}).get("after")
            if not (body.get("paging") or {}).get("next") or not after:
                break
            body = self.call(
                "GET",
                "me/accounts",
                token=tokens.access_token,
                params={"fields": fields, "limit": "100", "after": str(after)},
            )
        return found

    def revoke(self, *, tokens: TokenSet) -> bool:
        return False

    def check_node(self, *, node_id: str, tokens: TokenSet) -> None:
        """A cheap authenticated read proving the stored token still works."""
        self.call("GET", node_id, token=tokens.access_token, params={"fields": "id"})

    def refresh(self, *, platform_account_id: str, tokens: TokenSet) -> TokenSet:
        self.check_node(node_id=platform_account_id, tokens=tokens)
        return tokens


def picture_url(page: dict[str, Any]) -> str | None:
    picture = page.get("picture")
    if isinstance(picture, dict):
        data = picture.get("data") if isinstance(picture.get("data"), dict) else picture
        url = data.get("url")
        return str(url) if url else None
    return None
