"""The social accounts service: state, PKCE, connecting, tokens at rest, refresh and its
lease, dead grants versus transient errors, ownership, disconnecting, the refresh cron.

The platforms are respx routes in their documented shapes
(shared/reference/platform-apis.md sections 1, 4, 7, 11).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
import respx

from synthora.errors import ApiError, Forbidden, NotFound
from synthora.platform import Platform, get_platform, set_platform
from synthora.providers.social import s256
from synthora.services import social_accounts as svc
from synthora.services.app_settings import clear_cache, put_setting
from synthora.settings import reset_settings_cache

GOOGLE_TOKEN = "https://oauth2.googleapis.com/token"
GOOGLE_REVOKE = "https://oauth2.googleapis.com/revoke"
CHANNELS = "https://www.googleapis.com/youtube/v3/channels"
TT_TOKEN = "https://open.tiktokapis.com/v2/oauth/token/"
TT_USER = "https://open.tiktokapis.com/v2/user/info/"
TT_CREATOR = "https://open.tiktokapis.com/v2/post/publish/creator_info/query/"
GRAPH = "https://graph.facebook.com/v27.0"
YT_SCOPES = (
    "https://www.googleapis.com/auth/youtube.upload "
    "https://www.googleapis.com/auth/youtube.readonly "
    "https://www.googleapis.com/auth/yt-analytics.readonly"
)


@pytest.fixture
def platform(monkeypatch: pytest.MonkeyPatch) -> Platform:
    for name, value in {
        "GOOGLE_CLIENT_ID": "yt-client",
        "GOOGLE_CLIENT_SECRET": "yt-secret-value",
        "TIKTOK_CLIENT_KEY": "tt-key",
        "TIKTOK_CLIENT_SECRET": "tt-secret-value",
        "META_APP_ID": "meta-app",
        "META_APP_SECRET": "meta-secret-value",
        "PUBLIC_URL": "https://synthora.example.org",
    }.items():
        monkeypatch.setenv(f"SYNTHORA_{name}", value)
    reset_settings_cache()
    set_platform(None)
    clear_cache()
    return get_platform()


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


def _form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def _state_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def _google(
    api: respx.MockRouter, *, refresh: str | None = "1//refresh-A", channel: str = "UCada"
) -> respx.Route:
    body: dict[str, Any] = {
        "access_token": "ya29.access-A",
        "expires_in": 3599,
        "scope": YT_SCOPES,
        "token_type": "Bearer",
    }
    if refresh:
        body["refresh_token"] = refresh
    route = api.post(GOOGLE_TOKEN).respond(200, json=body)
    api.get(CHANNELS).respond(
        200,
        json={
            "items": [
                {
                    "id": channel,
                    "snippet": {"title": "Ada Creates", "customUrl": "@ada"},
                    "statistics": {"subscriberCount": "10"},
                }
            ]
        },
    )
    return route


def _connect_youtube(platform: Platform, api: respx.MockRouter, uid: str = "u1", **kw: Any):
    start = svc.start_connect(platform=platform, uid=uid, social_platform="youtube")
    route = _google(api, **kw)
    outcome = svc.complete_callback(
        platform=platform,
        social_platform="youtube",
        state=_state_of(start.authorization_url)["state"],
        code="code-1",
    )
    return start, route, outcome


def _notifications(platform: Platform, uid: str) -> list[dict[str, Any]]:
    snaps = platform.documents.collection("notifications").where("user_id", "==", uid).get()
    return [s.to_dict() or {} for s in snaps if s.get("type") == "social_disconnect"]


def _raw(platform: Platform, account_id: str) -> dict[str, Any]:
    return platform.documents.collection("social_accounts").document(account_id).get().to_dict()


# --------------------------------------------------------------------------- configuration


def test_platforms_not_configured_are_labelled_and_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    platform = get_platform()
    setup = svc.list_platforms(platform=platform)
    assert {p.status for p in setup.items} == {"not_configured"}
    assert all(p.label == "Not set up on this server" for p in setup.items)
    assert all(p.docs_url.endswith("docs/social-accounts.md") for p in setup.items)
    with pytest.raises(ApiError) as caught:
        svc.start_connect(platform=platform, uid="u1", social_platform="tiktok")
    assert caught.value.code == "platform_not_configured" and caught.value.status == 409


def test_local_mode_with_emulators_is_configured_as_emulated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SYNTHORA_PLATFORM_EMULATOR_URL", "http://127.0.0.1:9")
    reset_settings_cache()
    set_platform(None)
    setup = svc.list_platforms(platform=get_platform())
    assert {p.status for p in setup.items} == {"emulated"}
    assert {p.label for p in setup.items} == {"Emulated (local)"}


def test_configured_platforms_are_ready(platform: Platform) -> None:
    setup = svc.list_platforms(platform=platform)
    assert {p.status for p in setup.items} == {"configured"}
    youtube = next(p for p in setup.items if p.platform == "youtube")
    assert youtube.redirect_uri == (
        "https://synthora.example.org/api/v1/social-accounts/callback/youtube"
    )
    assert youtube.uses_pkce is True
    assert next(p for p in setup.items if p.platform == "facebook").uses_pkce is False


def test_the_feature_flag_turns_connecting_off(platform: Platform) -> None:
    put_setting(
        platform=platform,
        admin_uid="admin",
        key="features",
        value={"social_posting": False},
    )
    with pytest.raises(Forbidden) as caught:
        svc.start_connect(platform=platform, uid="u1", social_platform="youtube")
    assert caught.value.code == "social_posting_disabled"


def test_unknown_platform_is_404(platform: Platform) -> None:
    with pytest.raises(NotFound):
        svc.start_connect(platform=platform, uid="u1", social_platform="myspace")


# --------------------------------------------------------------------------- state and PKCE


def test_state_is_random_stored_hashed_with_an_encrypted_verifier(platform: Platform) -> None:
    a = svc.start_connect(platform=platform, uid="u1", social_platform="youtube")
    b = svc.start_connect(platform=platform, uid="u1", social_platform="youtube")
    state_a = _state_of(a.authorization_url)["state"]
    assert state_a != _state_of(b.authorization_url)["state"] and len(state_a) >= 40
    docs = [s.to_dict() or {} for s in platform.documents.collection("oauth_states").get()]
    assert len(docs) == 2
    dumped = json.dumps(docs, default=str)
    assert state_a not in dumped  # only its hash names the record
    assert all(d["verifier"]["ciphertext"] for d in docs)
    assert all(d["user_id"] == "u1" for d in docs)
    expiry = a.expires_at - datetime.now(UTC)
    assert timedelta(minutes=9) < expiry <= timedelta(minutes=10)


def test_pkce_verifier_sent_at_exchange_matches_the_challenge(
    platform: Platform, api: respx.MockRouter
) -> None:
    start, route, outcome = _connect_youtube(platform, api)
    challenge = _state_of(start.authorization_url)["code_challenge"]
    verifier = _form(route.calls.last.request)["code_verifier"]
    assert s256(verifier) == challenge
    assert outcome.result == "connected"


def test_state_replay_is_refused(platform: Platform, api: respx.MockRouter) -> None:
    start, _, _ = _connect_youtube(platform, api)
    with pytest.raises(ApiError) as caught:
        svc.complete_callback(
            platform=platform,
            social_platform="youtube",
            state=_state_of(start.authorization_url)["state"],
            code="code-1",
        )
    assert caught.value.code == "state_used"


def test_tampered_state_is_refused(platform: Platform, api: respx.MockRouter) -> None:
    start = svc.start_connect(platform=platform, uid="u1", social_platform="youtube")
    state = _state_of(start.authorization_url)["state"]
    for bad in (state[:-1] + ("A" if state[-1] != "A" else "B"), "", "x" * 300):
        with pytest.raises(ApiError) as caught:
            svc.complete_callback(platform=platform, social_platform="youtube", state=bad, code="c")
        assert caught.value.code == "state_invalid"
    # a state issued for YouTube does not finish a TikTok consent
    with pytest.raises(ApiError) as caught:
        svc.complete_callback(platform=platform, social_platform="tiktok", state=state, code="c")
    assert caught.value.code == "state_invalid"


def test_manual_callback_state_must_belong_to_the_caller(
    platform: Platform, api: respx.MockRouter
) -> None:
    start = svc.start_connect(platform=platform, uid="u1", social_platform="youtube")
    state = _state_of(start.authorization_url)["state"]
    with pytest.raises(ApiError) as caught:
        svc.complete_callback(
            platform=platform, social_platform="youtube", state=state, code="c", uid="intruder"
        )
    assert caught.value.code == "state_invalid"
    _google(api)
    outcome = svc.complete_callback(
        platform=platform, social_platform="youtube", state=state, code="c", uid="u1"
    )
    assert outcome.accounts[0].platform_account_id == "UCada"


def test_expired_state_is_refused(platform: Platform, api: respx.MockRouter) -> None:
    start = svc.start_connect(platform=platform, uid="u1", social_platform="youtube")
    [snap] = platform.documents.collection("oauth_states").get()
    snap.reference.update({"expires_at": datetime.now(UTC) - timedelta(seconds=1)})
    token = _google(api)
    with pytest.raises(ApiError) as caught:
        svc.complete_callback(
            platform=platform,
            social_platform="youtube",
            state=_state_of(start.authorization_url)["state"],
            code="c",
        )
    assert caught.value.code == "state_expired"
    assert not token.called


def test_denied_consent_spends_the_state_and_says_so(platform: Platform) -> None:
    start = svc.start_connect(platform=platform, uid="u1", social_platform="tiktok")
    url = svc.callback_redirect(
        platform=platform,
        social_platform="tiktok",
        state=_state_of(start.authorization_url)["state"],
        code=None,
        error="access_denied",
        error_description="The user denied",
    )
    query = _state_of(url)
    assert url.startswith("https://synthora.example.org/social-accounts?")
    assert query["error"] == "access_denied" and query["platform"] == "tiktok"


# --------------------------------------------------------------------------- connecting


def test_connect_stores_the_profile_and_only_encrypted_tokens(
    platform: Platform, api: respx.MockRouter
) -> None:
    _, _, outcome = _connect_youtube(platform, api)
    account = outcome.accounts[0]
    assert account.display_name == "Ada Creates" and account.handle == "@ada"
    assert account.followers == 10 and account.capabilities.can_publish
    assert account.token_expires_at is not None
    dumped = account.model_dump_json()
    raw = json.dumps(_raw(platform, account.id), default=str)
    for secret in ("ya29.access-A", "1//refresh-A"):
        assert secret not in dumped and secret not in raw
    assert _raw(platform, account.id)["tokens"]["ciphertext"]


def test_redirect_outcome_never_carries_a_token(platform: Platform, api: respx.MockRouter) -> None:
    start = svc.start_connect(platform=platform, uid="u1", social_platform="youtube")
    _google(api)
    url = svc.callback_redirect(
        platform=platform,
        social_platform="youtube",
        state=_state_of(start.authorization_url)["state"],
        code="code-1",
        error=None,
        error_description=None,
    )
    assert "ya29" not in url and "refresh" not in url
    assert _state_of(url)["connected"]


def test_reconnect_without_a_refresh_token_keeps_the_stored_one(
    platform: Platform, api: respx.MockRouter
) -> None:
    _, _, first = _connect_youtube(platform, api)
    api.reset()
    _, _, second = _connect_youtube(platform, api, refresh=None)
    assert first.accounts[0].id == second.accounts[0].id  # updated, not duplicated
    assert len(svc.list_accounts(platform=platform, uid="u1").items) == 1
    refresh = api.post(GOOGLE_TOKEN).respond(
        200, json={"access_token": "ya29.access-B", "expires_in": 3599}
    )
    svc.refresh_account(platform=platform, account_id=first.accounts[0].id, force=True)
    assert _form(refresh.calls.last.request)["refresh_token"] == "1//refresh-A"


def test_a_second_synthora_user_cannot_take_a_connected_account(
    platform: Platform, api: respx.MockRouter
) -> None:
    _connect_youtube(platform, api, uid="u1")
    api.reset()
    with pytest.raises(ApiError) as caught:
        _connect_youtube(platform, api, uid="u2")
    assert caught.value.code == "account_connected_elsewhere" and caught.value.status == 409
    assert svc.list_accounts(platform=platform, uid="u2").items == []


def test_missing_scope_is_reported_at_connect(platform: Platform, api: respx.MockRouter) -> None:
    start = svc.start_connect(platform=platform, uid="u1", social_platform="tiktok")
    api.post(TT_TOKEN).respond(
        200,
        json={
            "access_token": "act.1",
            "expires_in": 7200,
            "open_id": "-open",
            "refresh_expires_in": 15552000,
            "refresh_token": "rft.1",
            "scope": "user.info.basic,video.list",
            "token_type": "Bearer",
        },
    )
    api.get(TT_USER).respond(
        200,
        json={
            "data": {"user": {"open_id": "-open", "display_name": "Ada"}},
            "error": {"code": "ok", "message": "", "log_id": "x"},
        },
    )
    url = svc.callback_redirect(
        platform=platform,
        social_platform="tiktok",
        state=_state_of(start.authorization_url)["state"],
        code="c",
        error=None,
        error_description=None,
    )
    query = _state_of(url)
    assert "video.publish" in query["missing"].split(",")
    [account] = svc.list_accounts(platform=platform, uid="u1").items
    assert account.capabilities.can_publish is False
    assert "video.publish" in account.capabilities.missing_scopes


def _meta(api: respx.MockRouter, pages: list[dict[str, Any]]) -> None:
    def token(request: httpx.Request) -> httpx.Response:
        if _form(request).get("grant_type") == "fb_exchange_token":
            return httpx.Response(200, json={"access_token": "long", "expires_in": 5183944})
        return httpx.Response(200, json={"access_token": "short", "expires_in": 3600})

    api.post(f"{GRAPH}/oauth/access_token").mock(side_effect=token)
    api.get(f"{GRAPH}/me").respond(200, json={"id": "100", "name": "Ada"})
    api.get(f"{GRAPH}/me/permissions").respond(
        200,
        json={
            "data": [
                {"permission": p, "status": "granted"}
                for p in (
                    "pages_show_list",
                    "pages_read_engagement",
                    "pages_manage_posts",
                    "read_insights",
                )
            ]
        },
    )
    api.get(f"{GRAPH}/me/accounts").respond(200, json={"data": pages})


PAGES = [
    {"id": "p1", "name": "Ada Creates", "access_token": "ptok-1", "tasks": ["CREATE_CONTENT"]},
    {"id": "p2", "name": "Ada Clips", "access_token": "ptok-2", "tasks": ["CREATE_CONTENT"]},
]


def test_several_pages_are_chosen_from_and_tokens_wait_encrypted(
    platform: Platform, api: respx.MockRouter
) -> None:
    start = svc.start_connect(platform=platform, uid="u1", social_platform="facebook")
    assert "code_challenge" not in start.authorization_url
    _meta(api, PAGES)
    outcome = svc.complete_callback(
        platform=platform,
        social_platform="facebook",
        state=_state_of(start.authorization_url)["state"],
        code="c",
    )
    assert outcome.result == "select" and outcome.selection is not None
    selection_id = outcome.selection.id
    assert [c.display_name for c in outcome.selection.candidates] == ["Ada Creates", "Ada Clips"]
    raw = json.dumps(
        platform.documents.collection("social_selections").document(selection_id).get().to_dict(),
        default=str,
    )
    assert "ptok-1" not in raw
    with pytest.raises(NotFound):
        svc.get_selection(platform=platform, uid="u2", selection_id=selection_id)
    chosen = svc.confirm_selection(
        platform=platform,
        uid="u1",
        selection_id=selection_id,
        request=svc.SelectRequest(platform_account_ids=["p2"]),
    )
    assert [a.platform_account_id for a in chosen.items] == ["p2"]
    assert chosen.items[0].token_expires_at is None  # Page tokens do not expire
    with pytest.raises(ApiError) as caught:
        svc.confirm_selection(
            platform=platform,
            uid="u1",
            selection_id=selection_id,
            request=svc.SelectRequest(platform_account_ids=["p1"]),
        )
    assert caught.value.code == "selection_used"
    assert [
        a.platform_account_id for a in svc.list_accounts(platform=platform, uid="u1").items
    ] == ["p2"]


# --------------------------------------------------------------------------- refresh


def _connect_tiktok(platform: Platform, api: respx.MockRouter, uid: str = "u1") -> str:
    start = svc.start_connect(platform=platform, uid=uid, social_platform="tiktok")
    api.post(TT_TOKEN).respond(
        200,
        json={
            "access_token": "act.0",
            "expires_in": 7200,
            "open_id": "-open",
            "refresh_expires_in": 15552000,
            "refresh_token": "rft.0",
            "scope": "user.info.basic,user.info.profile,video.publish,video.list",
            "token_type": "Bearer",
        },
    )
    api.get(TT_USER).respond(
        200,
        json={
            "data": {"user": {"open_id": "-open", "display_name": "Ada", "username": "ada"}},
            "error": {"code": "ok", "message": "", "log_id": "x"},
        },
    )
    api.post(TT_CREATOR).respond(
        200,
        json={
            "data": {
                "privacy_level_options": ["PUBLIC_TO_EVERYONE", "SELF_ONLY"],
                "max_video_post_duration_sec": 300,
            },
            "error": {"code": "ok", "message": "", "log_id": "x"},
        },
    )
    outcome = svc.complete_callback(
        platform=platform,
        social_platform="tiktok",
        state=_state_of(start.authorization_url)["state"],
        code="c",
    )
    account = outcome.accounts[0]
    assert account.capabilities.privacy_level_options == ["PUBLIC_TO_EVERYONE", "SELF_ONLY"]
    assert account.capabilities.max_video_post_duration_sec == 300
    api.reset()
    return account.id


class RotatingTikTok:
    """TikTok's refresh: one live refresh token; using it issues the next and kills it."""

    def __init__(self, first: str = "rft.0", delay_s: float = 0.0) -> None:
        self.live = first
        self.n = 0
        self.calls = 0
        self.delay_s = delay_s
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        form = _form(request)
        time.sleep(self.delay_s)
        with self.lock:
            self.calls += 1
            if form.get("refresh_token") != self.live:
                return httpx.Response(
                    400,
                    json={
                        "error": "invalid_grant",
                        "error_description": "Refresh token is invalid or expired.",
                        "log_id": "x",
                    },
                )
            self.n += 1
            self.live = f"rft.{self.n}"
            return httpx.Response(
                200,
                json={
                    "access_token": f"act.{self.n}",
                    "expires_in": 7200,
                    "open_id": "-open",
                    "refresh_expires_in": 15552000,
                    "refresh_token": self.live,
                    "scope": "user.info.basic,user.info.profile,video.publish,video.list",
                    "token_type": "Bearer",
                },
            )


def test_tiktok_rotation_is_saved_and_the_next_refresh_uses_the_new_token(
    platform: Platform, api: respx.MockRouter
) -> None:
    account_id = _connect_tiktok(platform, api)
    tiktok = RotatingTikTok()
    api.post(TT_TOKEN).mock(side_effect=tiktok)
    for expected in (1, 2, 3):
        outcome = svc.refresh_account(platform=platform, account_id=account_id, force=True)
        assert outcome.result == "refreshed"
        assert tiktok.n == expected
    token = svc.access_token_for(platform=platform, account_id=account_id)
    assert token.get_secret_value() == "act.3"
    assert _raw(platform, account_id)["status"] == "connected"


def test_concurrent_refreshes_never_lose_the_rotating_grant(
    platform: Platform, api: respx.MockRouter
) -> None:
    account_id = _connect_tiktok(platform, api)
    tiktok = RotatingTikTok(delay_s=0.3)
    api.post(TT_TOKEN).mock(side_effect=tiktok)
    results: list[str] = []
    errors: list[BaseException] = []

    def refresh() -> None:
        try:
            outcome = svc.refresh_account(platform=platform, account_id=account_id, force=True)
            results.append(outcome.result)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=refresh) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert tiktok.calls == 1, "only the lease holder may spend the refresh token"
    assert sorted(results) == [
        "refreshed",
        "refreshed_elsewhere",
        "refreshed_elsewhere",
        "refreshed_elsewhere",
    ]
    assert _raw(platform, account_id)["status"] == "connected"
    # the saved token is the live one: the next refresh works
    assert svc.refresh_account(platform=platform, account_id=account_id, force=True).result == (
        "refreshed"
    )
    assert tiktok.calls == 2 and _notifications(platform, "u1") == []


def test_dead_grant_needs_reconnect_and_notifies_once(
    platform: Platform, api: respx.MockRouter
) -> None:
    _, _, outcome = _connect_youtube(platform, api)
    account_id = outcome.accounts[0].id
    api.post(GOOGLE_TOKEN).respond(
        400,
        json={"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
    )
    first = svc.refresh_account(platform=platform, account_id=account_id, force=True)
    assert first.result == "needs_reconnect"
    assert first.account.status == "needs_reconnect"
    assert first.account.last_error is not None
    assert first.account.last_error.code == "invalid_grant"
    second = svc.refresh_account(platform=platform, account_id=account_id, force=True)
    assert second.result == "needs_reconnect"
    assert len(_notifications(platform, "u1")) == 1
    with pytest.raises(ApiError) as caught:
        svc.access_token_for(platform=platform, account_id=account_id)
    assert caught.value.code == "needs_reconnect"
    # reconnecting repairs it, and a later death notifies again (a new grant)
    api.reset()
    _, _, again = _connect_youtube(platform, api)
    assert again.accounts[0].status == "connected" and again.accounts[0].id == account_id
    api.post(GOOGLE_TOKEN).respond(400, json={"error": "invalid_grant"})
    svc.refresh_account(platform=platform, account_id=account_id, force=True)
    assert len(_notifications(platform, "u1")) == 2


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(503, json={"error": "backendError"}),
        httpx.Response(429, json={"error": "rate_limit_exceeded"}, headers={"Retry-After": "30"}),
        httpx.ConnectError("connection refused"),
        httpx.ReadTimeout("timed out"),
    ],
    ids=["503", "429", "connect", "timeout"],
)
def test_transient_errors_back_off_and_never_disconnect(
    platform: Platform, api: respx.MockRouter, failure: Any
) -> None:
    _, _, outcome = _connect_youtube(platform, api)
    account_id = outcome.accounts[0].id
    route = api.post(GOOGLE_TOKEN)
    if isinstance(failure, Exception):
        route.mock(side_effect=failure)
    else:
        route.mock(return_value=failure)
    result = svc.refresh_account(platform=platform, account_id=account_id, force=True)
    assert result.result == "transient"
    raw = _raw(platform, account_id)
    assert raw["status"] == "connected" and raw["refresh_failures"] == 1
    assert raw["refresh_at"] > datetime.now(UTC)  # backed off
    assert raw["refresh_lock_id"] is None
    assert _notifications(platform, "u1") == []
    with pytest.raises(ApiError) as caught:
        svc.refresh_now(platform=platform, uid="u1", account_id=account_id)
    assert caught.value.status == 503
    assert _raw(platform, account_id)["status"] == "connected"


def test_graph_190_on_a_page_check_needs_reconnect(
    platform: Platform, api: respx.MockRouter
) -> None:
    start = svc.start_connect(platform=platform, uid="u1", social_platform="facebook")
    _meta(api, PAGES[:1])
    outcome = svc.complete_callback(
        platform=platform,
        social_platform="facebook",
        state=_state_of(start.authorization_url)["state"],
        code="c",
    )
    account_id = outcome.accounts[0].id
    check = api.get(f"{GRAPH}/p1").respond(200, json={"id": "p1"})
    assert svc.refresh_account(platform=platform, account_id=account_id, force=True).result == (
        "checked"
    )
    assert check.calls.last.request.headers["Authorization"] == "Bearer ptok-1"
    check.respond(
        400,
        json={
            "error": {
                "message": "Error validating access token: app not authorized.",
                "type": "OAuthException",
                "code": 190,
                "error_subcode": 458,
                "fbtrace_id": "A",
            }
        },
    )
    assert svc.refresh_account(platform=platform, account_id=account_id, force=True).result == (
        "needs_reconnect"
    )
    assert len(_notifications(platform, "u1")) == 1


# --------------------------------------------------------------------------- ownership, disconnect


def test_other_users_cannot_see_or_touch_an_account(
    platform: Platform, api: respx.MockRouter
) -> None:
    _, _, outcome = _connect_youtube(platform, api)
    account_id = outcome.accounts[0].id
    for call in (
        lambda: svc.get_account(platform=platform, uid="u2", account_id=account_id),
        lambda: svc.disconnect_account(platform=platform, uid="u2", account_id=account_id),
        lambda: svc.refresh_now(platform=platform, uid="u2", account_id=account_id),
        lambda: svc.get_account(platform=platform, uid="u1", account_id="../etc"),
    ):
        with pytest.raises(NotFound):
            call()
    assert svc.list_accounts(platform=platform, uid="u2").items == []
    assert _raw(platform, account_id)["status"] == "connected"


def test_disconnect_revokes_deletes_tokens_keeps_history_and_frees_the_account(
    platform: Platform, api: respx.MockRouter
) -> None:
    _, _, outcome = _connect_youtube(platform, api)
    account_id = outcome.accounts[0].id
    revoke = api.post(GOOGLE_REVOKE).respond(200, json={})
    result = svc.disconnect_account(platform=platform, uid="u1", account_id=account_id)
    assert result.revoked_at_platform is True
    assert _form(revoke.calls.last.request)["token"] == "1//refresh-A"
    raw = _raw(platform, account_id)
    assert "tokens" not in raw and raw["status"] == "disconnected"
    # post history can still name the account
    kept = svc.get_account(platform=platform, uid="u1", account_id=account_id)
    assert kept.display_name == "Ada Creates" and kept.status == "disconnected"
    assert svc.list_accounts(platform=platform, uid="u1").items == []
    assert len(svc.list_accounts(platform=platform, uid="u1", include_disconnected=True).items) == 1
    # the channel is free for another Synthora user now
    api.reset()
    _, _, other = _connect_youtube(platform, api, uid="u2")
    assert other.accounts[0].status == "connected"


def test_disconnect_goes_ahead_when_the_platform_revoke_fails(
    platform: Platform, api: respx.MockRouter
) -> None:
    _, _, outcome = _connect_youtube(platform, api)
    account_id = outcome.accounts[0].id
    api.post(GOOGLE_REVOKE).respond(503)
    result = svc.disconnect_account(platform=platform, uid="u1", account_id=account_id)
    assert result.revoked_at_platform is False
    assert "tokens" not in _raw(platform, account_id)


def test_meta_disconnect_does_not_revoke_the_whole_app(
    platform: Platform, api: respx.MockRouter
) -> None:
    start = svc.start_connect(platform=platform, uid="u1", social_platform="facebook")
    _meta(api, PAGES[:1])
    outcome = svc.complete_callback(
        platform=platform,
        social_platform="facebook",
        state=_state_of(start.authorization_url)["state"],
        code="c",
    )
    revoke = api.delete(url__regex=r".*/permissions.*").respond(200, json={"success": True})
    result = svc.disconnect_account(platform=platform, uid="u1", account_id=outcome.accounts[0].id)
    assert result.revoked_at_platform is None and not revoke.called


# --------------------------------------------------------------------------- cron + task


def test_cron_fans_out_one_task_per_due_account_once(
    platform: Platform, api: respx.MockRouter
) -> None:
    account_id = _connect_tiktok(platform, api)
    assert svc.plan_refreshes(platform=platform).accounts == []  # 2 h token, not due yet
    later = datetime.now(UTC) + timedelta(hours=2)
    plan = svc.plan_refreshes(platform=platform, now=later)
    assert plan.accounts == [account_id] and plan.enqueued == 1
    again = svc.plan_refreshes(platform=platform, now=later)
    assert again.enqueued == 0 and again.already_enqueued == 1


def test_refresh_task_is_idempotent(platform: Platform, api: respx.MockRouter) -> None:
    account_id = _connect_tiktok(platform, api)
    tiktok = RotatingTikTok()
    api.post(TT_TOKEN).mock(side_effect=tiktok)
    version = _raw(platform, account_id)["token_version"]
    platform.documents.collection("social_accounts").document(account_id).update(
        {"refresh_at": datetime.now(UTC) - timedelta(minutes=1)}
    )
    task = svc.RefreshTask(account_id=account_id, token_version=version)
    assert svc.run_refresh_task(platform=platform, task=task).result == "refreshed"
    # the same delivery again: the account was refreshed, nothing is spent
    assert svc.run_refresh_task(platform=platform, task=task).result == "refreshed_elsewhere"
    assert tiktok.calls == 1
    missing = svc.RefreshTask(account_id="nope", token_version=1)
    assert svc.run_refresh_task(platform=platform, task=missing).result == "gone"


def test_refresh_task_transient_failure_asks_the_queue_to_retry(
    platform: Platform, api: respx.MockRouter
) -> None:
    account_id = _connect_tiktok(platform, api)
    api.post(TT_TOKEN).respond(503)
    version = _raw(platform, account_id)["token_version"]
    platform.documents.collection("social_accounts").document(account_id).update(
        {"refresh_at": datetime.now(UTC) - timedelta(minutes=1)}
    )
    with pytest.raises(ApiError) as caught:
        svc.run_refresh_task(
            platform=platform, task=svc.RefreshTask(account_id=account_id, token_version=version)
        )
    assert caught.value.status == 503
    assert _raw(platform, account_id)["status"] == "connected"


def test_access_token_for_refreshes_an_expiring_token_first(
    platform: Platform, api: respx.MockRouter
) -> None:
    account_id = _connect_tiktok(platform, api)
    tiktok = RotatingTikTok()
    api.post(TT_TOKEN).mock(side_effect=tiktok)
    assert svc.access_token_for(platform=platform, account_id=account_id).get_secret_value() == (
        "act.0"
    )
    assert tiktok.calls == 0
    platform.documents.collection("social_accounts").document(account_id).update(
        {"access_expires_at": datetime.now(UTC) + timedelta(minutes=2)}
    )
    assert svc.access_token_for(platform=platform, account_id=account_id).get_secret_value() == (
        "act.1"
    )
