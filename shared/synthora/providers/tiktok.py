"""TikTok Login Kit v2 (web), user info and creator_info.

Documentation followed (shared/reference/platform-apis.md sections 4-5):
- https://developers.tiktok.com/doc/login-kit-web (authorize: `client_key`,
  comma-separated `scope`, static https redirect URI)
- https://developers.tiktok.com/doc/oauth-get-a-user-access-token (code exchange;
  `code_verifier` is sent because we send a PKCE challenge)
- https://developers.tiktok.com/docs/en/oauth-refresh-a-user-access-token (refresh:
  access 2 h, refresh 180 d, **the refresh token rotates**: the old one dies)
- https://developers.tiktok.com/docs/en/oauth-revoke-a-user-access-token
- https://developers.tiktok.com/doc/oauth-error-handling
  (`{"error", "error_description", "log_id"}`)
- https://developers.tiktok.com/doc/tiktok-api-v2-get-user-info
- https://developers.tiktok.com/doc/content-posting-api-reference-query-creator-info

Every non-OAuth answer is `{"data", "error": {"code"}}` and success is
`error.code == "ok"`, whatever the HTTP status, so the code is what we check.
Lifetimes are read from each answer (`expires_in`, `refresh_expires_in`), never
assumed. The service persists a rotated refresh token atomically (see
`synthora.services.social_accounts.refresh_account`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
from pydantic import SecretStr

from synthora.providers.base import Capability
from synthora.providers.social import (
    Capabilities,
    ConnectedAccount,
    Connects,
    Fetches,
    PlatformProfile,
    Publishes,
    SocialDeclaration,
    SocialOAuthClient,
    SocialPlatform,
    SocialPlatformError,
    TokenSet,
    missing,
    oauth_token_error,
)

SCOPES: tuple[str, ...] = (
    "user.info.basic",
    "user.info.profile",
    "user.info.stats",
    "video.publish",
    "video.list",
)
PUBLISH_SCOPES: tuple[str, ...] = ("video.publish",)
ANALYTICS_SCOPES: tuple[str, ...] = ("video.list",)
#: user/info fields and the scope each needs (a field without its scope fails the call).
USER_FIELDS: dict[str, str] = {
    "open_id": "user.info.basic",
    "union_id": "user.info.basic",
    "avatar_url": "user.info.basic",
    "display_name": "user.info.basic",
    "username": "user.info.profile",
    "follower_count": "user.info.stats",
}
#: API error codes that say the token (and, after a refresh, the grant) is dead.
DEAD_TOKEN_CODES = frozenset({"access_token_invalid"})
TRANSIENT_CODES = frozenset({"rate_limit_exceeded", "internal_error", "server_error"})


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class TikTokOAuth(SocialOAuthClient):
    platform = SocialPlatform.TIKTOK
    uses_pkce = True

    def authorize_url(self, *, state: str, code_challenge: str | None) -> str:
        params = {
            "client_key": self.app.client_id,
            "scope": ",".join(SCOPES),
            "redirect_uri": self.app.redirect_uri,
            "state": state,
            "response_type": "code",
        }
        if code_challenge:
            params.update(code_challenge=code_challenge, code_challenge_method="S256")
        return f"{self.bases['auth']}/v2/auth/authorize/?{urlencode(params)}"

    def _token(self, form: dict[str, str]) -> TokenSet:
        form = {
            **form,
            "client_key": self.app.client_id,
            "client_secret": self.app.client_secret.get_secret_value(),
        }
        response = self.send(
            "POST",
            f"{self.bases['api']}/v2/oauth/token/",
            data=form,
            headers={"Cache-Control": "no-cache"},
        )
        try:
            body = response.json()
        except ValueError:
            body = None
        # TikTok may answer an OAuth error with HTTP 200: the body decides.
        if response.status_code != 200 or not isinstance(body, dict) or body.get("error"):
            if response.status_code == 200:
                response = httpx.Response(400, json=body if isinstance(body, dict) else {})
            raise oauth_token_error(self, response)
        if not body.get("access_token"):
            raise self.error("refused", "no_access_token", "TikTok answered without a token")
        refresh = body.get("refresh_token")
        return TokenSet(
            access_token=SecretStr(str(body["access_token"])),
            refresh_token=SecretStr(str(refresh)) if refresh else None,
            expires_in=_int(body.get("expires_in")),
            refresh_expires_in=_int(body.get("refresh_expires_in")),
            scopes=[s for s in str(body.get("scope") or "").split(",") if s],
            subject=str(body["open_id"]) if body.get("open_id") else None,
        )

    def exchange_code(self, *, code: str, code_verifier: str | None) -> TokenSet:
        form = {
            "code": code,
            "grant_type": "authorization_code",
            "redirect_uri": self.app.redirect_uri,
        }
        if code_verifier:
            form["code_verifier"] = code_verifier
        return self._token(form)

    def refresh(self, *, platform_account_id: str, tokens: TokenSet) -> TokenSet:
        if tokens.refresh_token is None:
            raise self.error("dead_grant", "no_refresh_token", "no refresh token is stored")
        try:
            renewed = self._token(
                {
                    "grant_type": "refresh_token",
                    "refresh_token": tokens.refresh_token.get_secret_value(),
                }
            )
        except SocialPlatformError as exc:
            # A refused refresh (anything but a transient or app-configuration
            # problem) means the refresh token no longer works: the grant is dead.
            if exc.kind == "refused":
                raise self.error(
                    "dead_grant", exc.code, exc.message, status=exc.http_status
                ) from None
            raise
        if renewed.refresh_token is None:
            raise self.error(
                "transient", "no_refresh_token", "TikTok's refresh answer had no refresh token"
            )
        if not renewed.scopes:
            renewed.scopes = list(tokens.scopes)
        renewed.subject = renewed.subject or tokens.subject
        return renewed

    def revoke(self, *, tokens: TokenSet) -> bool:
        response = self.send(
            "POST",
            f"{self.bases['api']}/v2/oauth/revoke/",
            data={
                "client_key": self.app.client_id,
                "client_secret": self.app.client_secret.get_secret_value(),
                "token": tokens.access_token.get_secret_value(),
            },
        )
        transient = self.transient_status(response)
        if transient is not None:
            raise transient
        try:
            body = response.json()
        except ValueError:
            body = {}
        return response.status_code == 200 and not (isinstance(body, dict) and body.get("error"))

    # -- API calls ----------------------------------------------------------------------

    def _api(
        self,
        method: str,
        path: str,
        *,
        tokens: TokenSet,
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> dict[str, Any]:
        response = self.send(
            method,
            f"{self.bases['api']}{path}",
            headers={
                **(headers or {}),
                "Authorization": f"Bearer {tokens.access_token.get_secret_value()}",
            },
            **kw,
        )
        body = self.json_of(response) if response.status_code < 500 else {}
        error = body.get("error") if isinstance(body.get("error"), dict) else {}
        code = str(error.get("code") or "")
        if code == "ok":
            data = body.get("data")
            return data if isinstance(data, dict) else {}
        message = str(error.get("message") or f"TikTok answered HTTP {response.status_code}")
        if code in TRANSIENT_CODES or response.status_code == 429 or response.status_code >= 500:
            raise self.error(
                "transient", code or "platform_unavailable", message, status=response.status_code
            )
        if code in DEAD_TOKEN_CODES:
            raise self.error("dead_grant", code, message, status=response.status_code)
        if code == "scope_not_authorized":
            raise self.error("refused", "missing_scope", message, status=response.status_code)
        raise self.error("refused", code or "unknown", message, status=response.status_code)

    def accounts(self, *, tokens: TokenSet) -> list[ConnectedAccount]:
        granted = list(tokens.scopes)
        fields = [f for f, scope in USER_FIELDS.items() if scope in granted]
        if "open_id" not in fields:
            raise self.error(
                "refused",
                "missing_scope",
                "TikTok's basic profile permission (user.info.basic) was not granted",
                missing_scopes=("user.info.basic",),
            )
        user = (
            self._api(
                "GET", "/v2/user/info/", tokens=tokens, params={"fields": ",".join(fields)}
            ).get("user")
            or {}
        )
        open_id = str(user.get("open_id") or tokens.subject or "")
        if not open_id:
            raise self.error("refused", "no_open_id", "TikTok did not say which user this is")
        capabilities = Capabilities(
            can_publish=not missing(PUBLISH_SCOPES, granted),
            can_read_analytics=not missing(ANALYTICS_SCOPES, granted),
            missing_scopes=missing(SCOPES, granted),
        )
        if "video.publish" in granted:
            info = self._api(
                "POST",
                "/v2/post/publish/creator_info/query/",
                tokens=tokens,
                headers={"Content-Type": "application/json; charset=UTF-8"},
                content=b"{}",
            )
            options = info.get("privacy_level_options")
            capabilities.privacy_level_options = (
                [str(o) for o in options] if isinstance(options, list) else None
            )
            capabilities.max_video_post_duration_sec = _int(info.get("max_video_post_duration_sec"))
            for flag in ("comment_disabled", "duet_disabled", "stitch_disabled"):
                if isinstance(info.get(flag), bool):
                    setattr(capabilities, flag, info[flag])
        if not self.app.emulated:
            capabilities.notes.append(
                "Until TikTok audits the app, posts are SELF_ONLY (private) and at most 5 "
                "users a day may post through it."
            )
        username = user.get("username")
        profile = PlatformProfile(
            platform_account_id=open_id,
            display_name=str(user.get("display_name") or username or open_id),
            handle=str(username) if username else None,
            avatar_url=str(user["avatar_url"]) if user.get("avatar_url") else None,
            profile_url=f"https://www.tiktok.com/@{username}" if username else None,
            followers=_int(user.get("follower_count")),
            extra={"union_id": user.get("union_id")},
        )
        return [
            ConnectedAccount(
                profile=profile, tokens=tokens, scopes=granted, capabilities=capabilities
            )
        ]


DECLARATION = SocialDeclaration(
    id=SocialPlatform.TIKTOK,
    display_name="TikTok",
    docs_url="https://developers.tiktok.com/doc/login-kit-web",
    client_id_setting="SYNTHORA_TIKTOK_CLIENT_KEY",
    client_secret_setting="SYNTHORA_TIKTOK_CLIENT_SECRET",
    scopes=SCOPES,
    publish_scopes=PUBLISH_SCOPES,
    analytics_scopes=ANALYTICS_SCOPES,
    capabilities={
        Capability.CONNECT: Connects(
            client=TikTokOAuth, tests="tests/providers/test_social_platforms.py"
        ),
        Capability.PUBLISH: Publishes(
            publisher="synthora.publishing.tiktok.TikTokPublisher",
            tests="tests/services/test_posts.py",
        ),
        Capability.ANALYTICS: Fetches(
            fetcher="synthora.analytics.tiktok", tests="tests/analytics/test_fetchers.py"
        ),
    },
)
