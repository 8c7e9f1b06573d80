"""The four social platform OAuth clients against respx routes in the documented shapes.

Bodies come from `synthora_emulators.shapes` (the emulators answer with the same
fixtures, each citing its documentation page), following
shared/reference/platform-apis.md sections 1, 4, 7 and 11 (Google
token/refresh/revoke and channels.list; TikTok token, rotation, user/info,
creator_info and its `error.code` envelope; Facebook Login, /me/accounts and
Graph errors).
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
import respx
from pydantic import SecretStr
from synthora_emulators.shapes import clone
from synthora_emulators.shapes import google as g_shapes
from synthora_emulators.shapes import meta as m_shapes
from synthora_emulators.shapes import tiktok as t_shapes

from synthora.providers.facebook import FacebookOAuth
from synthora.providers.instagram import InstagramOAuth
from synthora.providers.social import OAuthApp, SocialPlatformError, TokenSet, pkce_pair, s256
from synthora.providers.tiktok import TikTokOAuth
from synthora.providers.youtube import YouTubeOAuth
from synthora.settings import Settings

APP = OAuthApp(
    client_id="client-123",
    client_secret=SecretStr("secret-xyz"),
    redirect_uri="https://synthora.example.org/api/v1/social-accounts/callback/x",
)
GOOGLE_TOKEN = "https://oauth2.googleapis.com/token"
GOOGLE_REVOKE = "https://oauth2.googleapis.com/revoke"
CHANNELS = "https://www.googleapis.com/youtube/v3/channels"
TT_TOKEN = "https://open.tiktokapis.com/v2/oauth/token/"
TT_USER = "https://open.tiktokapis.com/v2/user/info/"
TT_CREATOR = "https://open.tiktokapis.com/v2/post/publish/creator_info/query/"
GRAPH = "https://graph.facebook.com/v27.0"


def _form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def _tokens(access: str = "at-1", refresh: str | None = "rt-1", scopes: list[str] | None = None):
    return TokenSet(
        access_token=SecretStr(access),
        refresh_token=SecretStr(refresh) if refresh else None,
        scopes=scopes or [],
    )


@pytest.fixture
def mock() -> respx.MockRouter:
    with respx.mock(assert_all_called=False) as router:
        yield router


# --------------------------------------------------------------------------- PKCE


def test_pkce_pair_is_s256_of_a_fresh_verifier() -> None:
    verifier, challenge = pkce_pair()
    assert 43 <= len(verifier) <= 128
    assert challenge == s256(verifier)
    # RFC 7636 4.2: BASE64URL(SHA256(ASCII(verifier))), no padding
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    assert challenge == expected.decode().rstrip("=") and "=" not in challenge
    assert pkce_pair()[0] != verifier


# --------------------------------------------------------------------------- YouTube


def test_youtube_authorize_url_asks_for_offline_consent_with_pkce(settings: Settings) -> None:
    client = YouTubeOAuth(app=APP, settings=settings)
    url = client.authorize_url(state="st", code_challenge="ch")
    assert url.startswith("https://accounts.google.com/o/oauth2/v2/auth?")
    q = _query(url)
    assert q["access_type"] == "offline" and q["prompt"] == "consent"
    assert q["code_challenge"] == "ch" and q["code_challenge_method"] == "S256"
    assert q["client_id"] == "client-123" and q["redirect_uri"] == APP.redirect_uri
    assert "https://www.googleapis.com/auth/youtube.upload" in q["scope"].split(" ")
    assert "secret" not in url


def test_youtube_exchange_sends_the_verifier_and_reads_scopes(
    settings: Settings, mock: respx.MockRouter
) -> None:
    route = mock.post(GOOGLE_TOKEN).respond(200, json=g_shapes.TOKEN_RESPONSE)
    tokens = YouTubeOAuth(app=APP, settings=settings).exchange_code(code="c", code_verifier="v")
    form = _form(route.calls.last.request)
    assert form["code_verifier"] == "v" and form["grant_type"] == "authorization_code"
    assert form["client_secret"] == "secret-xyz"
    assert tokens.access_token.get_secret_value() == g_shapes.TOKEN_RESPONSE["access_token"]
    assert tokens.refresh_token is not None
    assert tokens.expires_in == g_shapes.ACCESS_TOKEN_LIFETIME_S
    assert tokens.scopes == [g_shapes.SCOPE_UPLOAD, g_shapes.SCOPE_READONLY]


def test_youtube_refresh_keeps_the_refresh_token_google_does_not_resend(
    settings: Settings, mock: respx.MockRouter
) -> None:
    body = clone(g_shapes.REFRESH_RESPONSE)
    del body["scope"]
    mock.post(GOOGLE_TOKEN).respond(200, json=body)
    renewed = YouTubeOAuth(app=APP, settings=settings).refresh(
        platform_account_id="UC1", tokens=_tokens(scopes=["s"])
    )
    assert renewed.access_token.get_secret_value() == body["access_token"]
    assert renewed.refresh_token is not None
    assert renewed.refresh_token.get_secret_value() == "rt-1"
    assert renewed.scopes == ["s"]


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (
            400,
            g_shapes.oauth_error("invalid_grant", "Token has been expired or revoked."),
            "dead_grant",
        ),
        (401, g_shapes.oauth_error("invalid_client", "Unauthorized"), "config"),
        (503, g_shapes.BACKEND_ERROR, "transient"),
        (429, g_shapes.RATE_LIMIT_EXCEEDED, "transient"),
        (400, g_shapes.oauth_error("invalid_request", "Missing parameter"), "refused"),
    ],
)
def test_youtube_refresh_errors_are_classified(
    settings: Settings, mock: respx.MockRouter, status: int, body: dict, kind: str
) -> None:
    mock.post(GOOGLE_TOKEN).respond(status, json=body)
    with pytest.raises(SocialPlatformError) as caught:
        YouTubeOAuth(app=APP, settings=settings).refresh(
            platform_account_id="UC1", tokens=_tokens()
        )
    assert caught.value.kind == kind
    assert "rt-1" not in str(caught.value)


def test_youtube_network_failure_is_transient(settings: Settings, mock: respx.MockRouter) -> None:
    mock.post(GOOGLE_TOKEN).mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(SocialPlatformError) as caught:
        YouTubeOAuth(app=APP, settings=settings).refresh(
            platform_account_id="UC1", tokens=_tokens()
        )
    assert caught.value.transient


def test_youtube_revoke_sends_the_token_in_the_body_not_the_url(
    settings: Settings, mock: respx.MockRouter
) -> None:
    route = mock.post(GOOGLE_REVOKE).respond(200, json={})
    assert YouTubeOAuth(app=APP, settings=settings).revoke(tokens=_tokens()) is True
    request = route.calls.last.request
    assert "rt-1" not in str(request.url)
    assert _form(request)["token"] == "rt-1"
    route.respond(400, json=g_shapes.oauth_error("invalid_token", "Token expired or revoked"))
    assert YouTubeOAuth(app=APP, settings=settings).revoke(tokens=_tokens()) is False


def test_youtube_channel_profile_and_missing_scope(
    settings: Settings, mock: respx.MockRouter
) -> None:
    listing = clone(g_shapes.CHANNEL_LIST)
    listing["items"][0]["statistics"]["subscriberCount"] = "1234"
    mock.get(CHANNELS).respond(200, json=listing)
    channel = listing["items"][0]
    granted = [
        "https://www.googleapis.com/auth/youtube.upload",
        "https://www.googleapis.com/auth/youtube.readonly",
    ]
    [account] = YouTubeOAuth(app=APP, settings=settings).accounts(tokens=_tokens(scopes=granted))
    assert account.profile.platform_account_id == channel["id"]
    assert account.profile.handle == "@adacreates" and account.profile.followers == 1234
    assert account.profile.avatar_url == channel["snippet"]["thumbnails"]["default"]["url"]
    assert account.capabilities.can_publish is True
    assert account.capabilities.can_read_analytics is False
    assert account.capabilities.missing_scopes == [
        "https://www.googleapis.com/auth/yt-analytics.readonly"
    ]


def test_youtube_account_without_channel_is_refused(
    settings: Settings, mock: respx.MockRouter
) -> None:
    mock.get(CHANNELS).respond(200, json={"kind": "youtube#channelListResponse", "items": []})
    with pytest.raises(SocialPlatformError) as caught:
        YouTubeOAuth(app=APP, settings=settings).accounts(tokens=_tokens())
    assert caught.value.code == "no_channel" and caught.value.kind == "refused"


def test_youtube_insufficient_scope_on_channels_is_a_missing_scope(
    settings: Settings, mock: respx.MockRouter
) -> None:
    mock.get(CHANNELS).respond(403, json=g_shapes.INSUFFICIENT_SCOPES)
    with pytest.raises(SocialPlatformError) as caught:
        YouTubeOAuth(app=APP, settings=settings).accounts(tokens=_tokens())
    assert caught.value.code == "missing_scope"
    assert caught.value.missing_scopes


# --------------------------------------------------------------------------- TikTok


TT_TOKEN_BODY = clone(t_shapes.TOKEN_RESPONSE)


def test_tiktok_authorize_url_uses_client_key_and_comma_scopes(settings: Settings) -> None:
    url = TikTokOAuth(app=APP, settings=settings).authorize_url(state="st", code_challenge="ch")
    assert url.startswith("https://www.tiktok.com/v2/auth/authorize/?")
    q = _query(url)
    assert q["client_key"] == "client-123" and "client_id" not in q
    assert "," in q["scope"] and " " not in q["scope"]
    assert q["code_challenge_method"] == "S256"


def test_tiktok_refresh_returns_the_rotated_token(
    settings: Settings, mock: respx.MockRouter
) -> None:
    route = mock.post(TT_TOKEN).respond(200, json=TT_TOKEN_BODY)
    renewed = TikTokOAuth(app=APP, settings=settings).refresh(
        platform_account_id="-000open", tokens=_tokens(refresh="rft.old")
    )
    form = _form(route.calls.last.request)
    assert form["grant_type"] == "refresh_token" and form["refresh_token"] == "rft.old"
    assert form["client_key"] == "client-123"
    assert renewed.refresh_token is not None
    assert renewed.refresh_token.get_secret_value() == TT_TOKEN_BODY["refresh_token"]
    assert renewed.expires_in == t_shapes.ACCESS_TOKEN_LIFETIME_S
    assert renewed.refresh_expires_in == t_shapes.REFRESH_TOKEN_LIFETIME_S


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (400, t_shapes.oauth_error("invalid_grant", "Refresh token is invalid."), "dead_grant"),
        # TikTok may send an OAuth error with HTTP 200: still a failed refresh
        (200, t_shapes.oauth_error("invalid_request", "refresh_token is invalid"), "dead_grant"),
        (401, t_shapes.oauth_error("invalid_client", "Client key is incorrect."), "config"),
        (500, t_shapes.oauth_error("server_error", "Internal error"), "transient"),
    ],
)
def test_tiktok_refresh_failure_is_a_dead_grant_unless_transient_or_config(
    settings: Settings, mock: respx.MockRouter, status: int, body: dict, kind: str
) -> None:
    mock.post(TT_TOKEN).respond(status, json=body)
    with pytest.raises(SocialPlatformError) as caught:
        TikTokOAuth(app=APP, settings=settings).refresh(
            platform_account_id="-000open", tokens=_tokens(refresh="rft.old")
        )
    assert caught.value.kind == kind


def test_tiktok_profile_reads_creator_info_options(
    settings: Settings, mock: respx.MockRouter
) -> None:
    user = mock.get(TT_USER).respond(200, json=t_shapes.USER_INFO)
    mock.post(TT_CREATOR).respond(200, json=t_shapes.CREATOR_INFO)
    creator = t_shapes.CREATOR_INFO["data"]
    tokens = _tokens(scopes=["user.info.basic", "user.info.profile", "video.publish"])
    [account] = TikTokOAuth(app=APP, settings=settings).accounts(tokens=tokens)
    fields = _query(str(user.calls.last.request.url))["fields"].split(",")
    assert "follower_count" not in fields  # user.info.stats was not granted
    assert account.profile.handle == "adacreates"
    caps = account.capabilities
    assert caps.privacy_level_options == creator["privacy_level_options"]
    assert caps.max_video_post_duration_sec == creator["max_video_post_duration_sec"]
    assert caps.stitch_disabled is creator["stitch_disabled"]
    assert caps.can_publish is True and caps.can_read_analytics is False
    assert set(caps.missing_scopes) == {"user.info.stats", "video.list"}


def test_tiktok_envelope_error_with_http_200_is_not_success(
    settings: Settings, mock: respx.MockRouter
) -> None:
    _status, code, message = t_shapes.ACCESS_TOKEN_INVALID
    # the envelope decides, not the HTTP status
    mock.get(TT_USER).respond(200, json=t_shapes.envelope({}, code, message))
    with pytest.raises(SocialPlatformError) as caught:
        TikTokOAuth(app=APP, settings=settings).accounts(tokens=_tokens(scopes=["user.info.basic"]))
    assert caught.value.kind == "dead_grant" and caught.value.code == "access_token_invalid"


def test_tiktok_scope_not_authorized_is_a_missing_scope(
    settings: Settings, mock: respx.MockRouter
) -> None:
    status, code, message = t_shapes.SCOPE_NOT_AUTHORIZED
    mock.get(TT_USER).respond(status, json=t_shapes.envelope({}, code, message))
    with pytest.raises(SocialPlatformError) as caught:
        TikTokOAuth(app=APP, settings=settings).accounts(tokens=_tokens(scopes=["user.info.basic"]))
    assert caught.value.code == "missing_scope" and caught.value.kind == "refused"


# --------------------------------------------------------------------------- Meta


def _meta_login(mock: respx.MockRouter, *, granted: list[str], pages: list[dict]) -> None:
    def token(request: httpx.Request) -> httpx.Response:
        form = _form(request)
        if form.get("grant_type") == "fb_exchange_token":
            assert form["fb_exchange_token"] == "short-1"
            return httpx.Response(
                200, json={**m_shapes.LONG_LIVED_TOKEN_RESPONSE, "access_token": "long-1"}
            )
        assert form["code"] == "c" and form["redirect_uri"] == APP.redirect_uri
        return httpx.Response(200, json={**m_shapes.TOKEN_RESPONSE, "access_token": "short-1"})

    mock.post(f"{GRAPH}/oauth/access_token").mock(side_effect=token)
    mock.get(f"{GRAPH}/me").respond(200, json={"id": "100", "name": "Ada"})
    mock.get(f"{GRAPH}/me/permissions").respond(
        200,
        json={
            "data": [{"permission": p, "status": "granted"} for p in granted]
            + [{"permission": "read_insights", "status": "declined"}]
        },
    )
    mock.get(f"{GRAPH}/me/accounts").respond(200, json={"data": pages, "paging": {}})


PAGES = [
    {
        "id": "p1",
        "name": "Ada Creates",
        "access_token": "page-token-1",
        "tasks": ["CREATE_CONTENT", "ANALYZE"],
        "followers_count": 42,
        "picture": {"data": {"url": "https://fb.example/p1.jpg"}},
        "instagram_business_account": {"id": "ig1", "username": "adacreates"},
    },
    {"id": "p2", "name": "Ada Clips", "access_token": "page-token-2", "tasks": ["ANALYZE"]},
]


def test_facebook_login_yields_each_page_with_its_page_token(
    settings: Settings, mock: respx.MockRouter
) -> None:
    granted = ["pages_show_list", "pages_read_engagement", "pages_manage_posts"]
    _meta_login(mock, granted=granted, pages=PAGES)
    client = FacebookOAuth(app=APP, settings=settings)
    assert "code_challenge" not in client.authorize_url(state="s", code_challenge=None)
    tokens = client.exchange_code(code="c", code_verifier=None)
    assert tokens.access_token.get_secret_value() == "long-1"
    assert tokens.scopes == granted and tokens.subject == "100"
    pages = client.accounts(tokens=tokens)
    assert [p.profile.platform_account_id for p in pages] == ["p1", "p2"]
    assert pages[0].tokens.access_token.get_secret_value() == "page-token-1"
    assert pages[0].tokens.expires_in is None
    assert pages[0].profile.followers == 42
    assert pages[0].profile.avatar_url == "https://fb.example/p1.jpg"
    assert pages[0].capabilities.can_publish is True
    assert pages[0].capabilities.missing_scopes == ["read_insights"]
    assert pages[1].capabilities.can_publish is False  # no CREATE_CONTENT task


def test_instagram_accounts_come_from_the_pages_instagram_business_account(
    settings: Settings, mock: respx.MockRouter
) -> None:
    granted = ["pages_show_list", "instagram_basic", "instagram_content_publish"]
    _meta_login(mock, granted=granted, pages=PAGES)
    ig = mock.get(f"{GRAPH}/ig1").respond(
        200, json={"id": "ig1", "username": "adacreates", "name": "Ada", "followers_count": 1500}
    )
    client = InstagramOAuth(app=APP, settings=settings)
    [account] = client.accounts(tokens=client.exchange_code(code="c", code_verifier=None))
    assert ig.calls.last.request.headers["Authorization"] == "Bearer page-token-1"
    assert account.profile.handle == "adacreates" and account.profile.followers == 1500
    assert account.capabilities.can_publish is True
    assert account.capabilities.can_read_analytics is False


def test_instagram_without_a_linked_account_is_refused(
    settings: Settings, mock: respx.MockRouter
) -> None:
    _meta_login(mock, granted=["pages_show_list", "instagram_basic"], pages=PAGES[1:])
    client = InstagramOAuth(app=APP, settings=settings)
    with pytest.raises(SocialPlatformError) as caught:
        client.accounts(tokens=client.exchange_code(code="c", code_verifier=None))
    assert caught.value.code == "no_instagram_account"


def test_facebook_without_pages_show_list_is_a_missing_scope(settings: Settings) -> None:
    with pytest.raises(SocialPlatformError) as caught:
        FacebookOAuth(app=APP, settings=settings).accounts(tokens=_tokens(scopes=[]))
    assert caught.value.code == "missing_scope"
    assert caught.value.missing_scopes == ("pages_show_list",)


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (400, m_shapes.TOKEN_EXPIRED, "dead_grant"),
        (400, m_shapes.TOKEN_PASSWORD_CHANGED, "dead_grant"),
        (400, m_shapes.TOKEN_APP_REMOVED, "dead_grant"),
        (400, m_shapes.TOKEN_INVALID, "dead_grant"),
        (400, m_shapes.APP_THROTTLED, "transient"),
        (400, m_shapes.error("(#17) User request limit reached", 17), "transient"),
        (500, m_shapes.UNKNOWN_ERROR, "transient"),
        (403, m_shapes.PERMISSION_DENIED, "refused"),
    ],
)
def test_graph_errors_are_classified_190_dead_throttles_transient(
    settings: Settings, mock: respx.MockRouter, status: int, body: dict, kind: str
) -> None:
    mock.get(f"{GRAPH}/p1").respond(status, json=body)
    with pytest.raises(SocialPlatformError) as caught:
        FacebookOAuth(app=APP, settings=settings).refresh(
            platform_account_id="p1", tokens=_tokens(access="page-token-1", refresh=None)
        )
    assert caught.value.kind == kind


def test_meta_refresh_is_a_check_that_keeps_the_page_token(
    settings: Settings, mock: respx.MockRouter
) -> None:
    route = mock.get(f"{GRAPH}/p1").respond(200, json={"id": "p1"})
    tokens = _tokens(access="page-token-1", refresh=None)
    assert (
        FacebookOAuth(app=APP, settings=settings).refresh(platform_account_id="p1", tokens=tokens)
        is tokens
    )
    request = route.calls.last.request
    assert request.headers["Authorization"] == "Bearer page-token-1"
    assert "page-token-1" not in str(request.url)


# --------------------------------------------------------------------------- declarations


def test_every_social_platform_is_declared_and_connects() -> None:
    from synthora.providers.base import Capability
    from synthora.providers.social import SocialPlatform
    from synthora.providers.social_registry import all_platforms, declaration

    assert [d.id for d in all_platforms()] == list(SocialPlatform)
    for d in all_platforms():
        assert d.runs(Capability.CONNECT)
        assert d.runs(Capability.PUBLISH)  # synthora.publishing (the posting service)
        assert set(d.publish_scopes) <= set(d.scopes)
        assert d.client.platform == d.id
        assert d.client_secret_setting.startswith("SYNTHORA_")
    assert declaration(SocialPlatform.INSTAGRAM).client_id_setting == "SYNTHORA_META_APP_ID"


def test_a_social_declaration_must_say_how_it_connects() -> None:
    from synthora.providers.base import Capability
    from synthora.providers.social import Planned, SocialDeclaration, SocialPlatform

    with pytest.raises(ValueError, match="connects"):
        SocialDeclaration(
            id=SocialPlatform.TIKTOK,
            display_name="TikTok",
            docs_url="https://developers.tiktok.com/",
            client_id_setting="SYNTHORA_TIKTOK_CLIENT_KEY",
            client_secret_setting="SYNTHORA_TIKTOK_CLIENT_SECRET",
            scopes=(),
            publish_scopes=(),
            analytics_scopes=(),
            capabilities={Capability.CONNECT: Planned("no")},
        )
