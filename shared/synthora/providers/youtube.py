"""YouTube through Google OAuth 2.0 (web server flow, offline access) and channels.list.

Documentation followed (shared/reference/platform-apis.md section 1):
- https://developers.google.com/identity/protocols/oauth2/web-server (authorize
  with `access_type=offline&prompt=consent`, token exchange, refresh, revoke)
- https://developers.google.com/identity/protocols/oauth2/native-app#step1-code-verifier
  (PKCE S256; Google accepts it from web clients on top of the secret)
- https://developers.google.com/youtube/v3/docs/channels/list (`mine=true`)

Pitfalls handled: a refresh answers with no new refresh token (the caller keeps
the stored one); a reconnect may also come back without one (Google only sends
it when consent was shown), which the service handles the same way;
`invalid_grant` is the one dead-grant answer. The revoke call carries the token
in the form body, never in the URL.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

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
    TokenSet,
    missing,
    oauth_token_error,
)

SCOPE_UPLOAD = "https://www.googleapis.com/auth/youtube.upload"
SCOPE_READONLY = "https://www.googleapis.com/auth/youtube.readonly"
SCOPE_ANALYTICS = "https://www.googleapis.com/auth/yt-analytics.readonly"
#: What Synthora asks for: upload, read the channel and its videos, read analytics.
SCOPES: tuple[str, ...] = (SCOPE_UPLOAD, SCOPE_READONLY, SCOPE_ANALYTICS)
PUBLISH_SCOPES: tuple[str, ...] = (SCOPE_UPLOAD,)
ANALYTICS_SCOPES: tuple[str, ...] = (SCOPE_READONLY, SCOPE_ANALYTICS)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class YouTubeOAuth(SocialOAuthClient):
    platform = SocialPlatform.YOUTUBE
    uses_pkce = True

    def authorize_url(self, *, state: str, code_challenge: str | None) -> str:
        params = {
            "client_id": self.app.client_id,
            "redirect_uri": self.app.redirect_uri,
            "response_type": "code",
            "scope": " ".join(SCOPES),
            "state": state,
            "access_type": "offline",
            "prompt": "consent",
            "include_granted_scopes": "true",
        }
        if code_challenge:
            params.update(code_challenge=code_challenge, code_challenge_method="S256")
        return f"{self.bases['accounts']}/o/oauth2/v2/auth?{urlencode(params)}"

    def _token(self, form: dict[str, str]) -> dict[str, Any]:
        form = {
            **form,
            "client_id": self.app.client_id,
            "client_secret": self.app.client_secret.get_secret_value(),
        }
        response = self.send("POST", f"{self.bases['oauth']}/token", data=form)
        if response.status_code != 200:
            raise oauth_token_error(self, response)
        body = self.json_of(response)
        if not body.get("access_token"):
            raise self.error("refused", "no_access_token", "Google answered without a token")
        return body

    @staticmethod
    def _tokens(body: dict[str, Any]) -> TokenSet:
        refresh = body.get("refresh_token")
        return TokenSet(
            access_token=SecretStr(str(body["access_token"])),
            refresh_token=SecretStr(str(refresh)) if refresh else None,
            expires_in=_int(body.get("expires_in")),
            scopes=str(body.get("scope") or "").split(),
        )

    def exchange_code(self, *, code: str, code_verifier: str | None) -> TokenSet:
        form = {
            "code": code,
            "redirect_uri": self.app.redirect_uri,
            "grant_type": "authorization_code",
        }
        if code_verifier:
            form["code_verifier"] = code_verifier
        return self._tokens(self._token(form))

    def refresh(self, *, platform_account_id: str, tokens: TokenSet) -> TokenSet:
        if tokens.refresh_token is None:
            raise self.error(
                "dead_grant", "no_refresh_token", "no refresh token is stored; reconnect"
            )
        body = self._token(
            {
                "grant_type": "refresh_token",
                "refresh_token": tokens.refresh_token.get_secret_value(),
            }
        )
        renewed = self._tokens(body)
        # Google keeps the refresh token: a refresh answer usually has none.
        if renewed.refresh_token is None:
            renewed.refresh_token = tokens.refresh_token
        if not renewed.scopes:
            renewed.scopes = list(tokens.scopes)
        return renewed

    def revoke(self, *, tokens: TokenSet) -> bool:
        token = tokens.refresh_token or tokens.access_token
        response = self.send(
            "POST",
            f"{self.bases['oauth']}/revoke",
            data={"token": token.get_secret_value()},
        )
        if response.status_code == 200:
            return True
        transient = self.transient_status(response)
        if transient is not None:
            raise transient
        return False  # 400 invalid_token: already revoked or expired

    def accounts(self, *, tokens: TokenSet) -> list[ConnectedAccount]:
        response = self.send(
            "GET",
            f"{self.bases['youtube']}/channels",
            params={"part": "id,snippet,statistics", "mine": "true"},
            headers={"Authorization": f"Bearer {tokens.access_token.get_secret_value()}"},
        )
        transient = self.transient_status(response)
        if transient is not None:
            raise transient
        body = self.json_of(response)
        if response.status_code != 200:
            error = body.get("error") if isinstance(body.get("error"), dict) else {}
            errors = error.get("errors") or [{}]
            reason = str(errors[0].get("reason") or error.get("status") or "error")
            message = str(error.get("message") or "YouTube refused the channel lookup")
            if response.status_code == 401:
                raise self.error("dead_grant", reason, message, status=401)
            if reason in ("insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"):
                raise self.error(
                    "refused",
                    "missing_scope",
                    "the YouTube read permission was not granted",
                    status=response.status_code,
                    missing_scopes=(SCOPE_READONLY,),
                )
            raise self.error("refused", reason, message, status=response.status_code)
        items = body.get("items") or []
        if not items:
            raise self.error(
                "refused",
                "no_channel",
                "this Google account has no YouTube channel; create one on YouTube first",
            )
        granted = list(tokens.scopes)
        lacking = missing(SCOPES, granted)
        connected: list[ConnectedAccount] = []
        for item in items:
            snippet = item.get("snippet") or {}
            stats = item.get("statistics") or {}
            thumbs = snippet.get("thumbnails") or {}
            avatar = next(
                (thumbs[k]["url"] for k in ("high", "medium", "default") if k in thumbs), None
            )
            custom = snippet.get("customUrl")
            profile = PlatformProfile(
                platform_account_id=str(item["id"]),
                display_name=str(snippet.get("title") or item["id"]),
                handle=str(custom) if custom else None,
                avatar_url=avatar,
                profile_url=f"https://www.youtube.com/channel/{item['id']}",
                followers=None
                if stats.get("hiddenSubscriberCount")
                else _int(stats.get("subscriberCount")),
                extra={"video_count": _int(stats.get("videoCount"))},
            )
            notes = []
            if not self.app.emulated:
                notes.append(
                    "Until the Google Cloud project passes a YouTube API audit, uploads "
                    "are locked to private."
                )
            connected.append(
                ConnectedAccount(
                    profile=profile,
                    tokens=tokens,
                    scopes=granted,
                    capabilities=Capabilities(
                        can_publish=not missing(PUBLISH_SCOPES, granted),
                        can_read_analytics=not missing(ANALYTICS_SCOPES, granted),
                        missing_scopes=lacking,
                        notes=notes,
                    ),
                )
            )
        return connected


DECLARATION = SocialDeclaration(
    id=SocialPlatform.YOUTUBE,
    display_name="YouTube",
    docs_url="https://developers.google.com/youtube/v3/guides/authentication",
    client_id_setting="SYNTHORA_GOOGLE_CLIENT_ID",
    client_secret_setting="SYNTHORA_GOOGLE_CLIENT_SECRET",
    scopes=SCOPES,
    publish_scopes=PUBLISH_SCOPES,
    analytics_scopes=ANALYTICS_SCOPES,
    capabilities={
        Capability.CONNECT: Connects(
            client=YouTubeOAuth, tests="tests/providers/test_social_platforms.py"
        ),
        Capability.PUBLISH: Publishes(
            publisher="synthora.publishing.youtube.YouTubePublisher",
            tests="tests/services/test_posts.py",
        ),
        Capability.ANALYTICS: Fetches(
            fetcher="synthora.analytics.youtube", tests="tests/analytics/test_fetchers.py"
        ),
    },
)
