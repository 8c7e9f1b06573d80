"""Issue 18's findings, each reproduced against the real functions with emulator tokens.

Sign-out ends the session server-side; sensitive routes ask Firebase Auth about
revocation; reserved ids, forged cursors and nesting bombs are 4xx on the real
routes; the `features` flags are enforced where they claim.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient

from synthora.http import rate_limits
from synthora.identity import forget_revocation_check
from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform
from synthora.services import app_settings, limits, notifications
from synthora.settings import Settings
from tests.conftest import AuthEmulator
from tests.support.calls import bearer, error, uid_of

pytestmark = pytest.mark.emulator
GROUPS = ("auth", "users", "notifications", "admin", "videos", "integrations", "templates")
OPENAI_KEY = "sk-test-0123456789abcdefghijABCD"


@dataclass
class Api:
    clients: dict[str, FlaskClient]
    auth: AuthEmulator

    def call(self, method: str, path: str, token: str | None = None, **kw: Any) -> Any:
        group = path.split("?")[0].split("/")[3]
        headers = {**kw.pop("headers", {}), **(bearer(token) if token else {})}
        return self.clients[group].open(path, method=method, headers=headers, **kw)

    def signed_in(self, email: str) -> str:
        token = self.auth.sign_up(email)
        r = self.call("POST", "/api/v1/auth/login", json={"id_token": token})
        assert r.status_code == 200, r.get_json()
        return token


@pytest.fixture
def api(settings: Settings, auth: AuthEmulator, monkeypatch: pytest.MonkeyPatch) -> Api:
    app_settings.clear_cache()
    rate_limits.clear_memory()
    monkeypatch.setattr(rate_limits, "clock", lambda: 1_800_000_010.0)  # one window throughout
    forget_revocation_check()
    manifest = get_manifest(settings.manifest_file)
    clients = {
        g: create_function_app(manifest.function(g), settings.functions_dir).test_client()
        for g in GROUPS
    }
    return Api(clients, auth)


def set_features(**flags: bool) -> None:
    app_settings.put_setting(
        platform=get_platform(), admin_uid="admin", key="features", value=flags
    )


# --------------------------------------------------------------------------- 6: sign-out


def test_signing_out_ends_the_session_on_the_server(api: Api) -> None:
    token = api.signed_in("leaver@example.com")
    assert api.call("GET", "/api/v1/auth/me", token).status_code == 200
    assert api.call("POST", "/api/v1/auth/logout", token).status_code == 200
    for method, path, body in [
        ("GET", "/api/v1/auth/me", None),
        ("GET", "/api/v1/users/profile", None),
        ("POST", "/api/v1/auth/login", {"id_token": token}),
        ("POST", "/api/v1/auth/verify-token", {"id_token": token}),
    ]:
        r = api.call(method, path, token if body is None else None, json=body)
        assert r.status_code == 401, (path, r.get_json())
        assert error(r)["code"] == "token_revoked"
    time.sleep(1.1)  # a token of the second the session ended is refused too
    fresh = api.auth.sign_in("leaver@example.com")
    assert api.call("POST", "/api/v1/auth/login", json={"id_token": fresh}).status_code == 200
    assert api.call("GET", "/api/v1/auth/me", fresh).status_code == 200


def test_a_sensitive_route_asks_firebase_whether_the_session_was_revoked(api: Api) -> None:
    """Revoked elsewhere (console, password change): reveal refuses, a plain read does not."""
    from firebase_admin import auth as firebase_auth

    from synthora.identity import _firebase_app
    from synthora.settings import get_settings

    token = api.signed_in("keyholder@example.com")
    r = api.call(
        "POST", "/api/v1/integrations", token, json={"provider": "openai", "api_key": OPENAI_KEY}
    )
    assert r.status_code == 201, r.get_json()
    iid = r.get_json()["id"]
    time.sleep(1.1)  # Firebase keeps revocation times in whole seconds
    firebase_auth.revoke_refresh_tokens(uid_of(token), app=_firebase_app(get_settings()))
    forget_revocation_check()
    r = api.call("POST", f"/api/v1/integrations/{iid}/reveal", token)
    assert r.status_code == 401, r.get_json()
    assert error(r)["code"] == "token_revoked"
    assert api.call("GET", "/api/v1/integrations", token).status_code == 200


# --------------------------------------------------------------------------- 5, 9: flags


def test_with_signups_closed_a_new_account_is_refused_and_not_created(api: Api) -> None:
    first = api.signed_in("founder@example.com")  # the first user sets the platform up
    known = api.signed_in("known@example.com")
    set_features(signups_open=False)
    newcomer = api.auth.sign_up("newcomer@example.com")
    r = api.call("POST", "/api/v1/auth/login", json={"id_token": newcomer})
    assert r.status_code == 403
    assert error(r)["code"] == "signups_closed"
    assert not get_platform().documents.collection("users").document(uid_of(newcomer)).get().exists
    for path in ("/api/v1/auth/me", "/api/v1/videos", "/api/v1/templates/my"):
        r = api.call("GET", path, newcomer)
        assert r.status_code == 403, path
        assert error(r)["code"] == "signups_closed"
    assert api.call("POST", "/api/v1/auth/refresh", newcomer).status_code == 403
    # existing users carry on
    assert api.call("POST", "/api/v1/auth/login", json={"id_token": known}).status_code == 200
    assert api.call("GET", "/api/v1/auth/me", first).status_code == 200


def test_maintenance_mode_stops_new_generations_and_retries(api: Api) -> None:
    token = api.signed_in("maker@example.com")
    set_features(maintenance_mode=True)
    body = {"template_id": "sys-viral-hook", "topic": "why the sky is blue"}
    r = api.call("POST", "/api/v1/videos", token, json=body)
    assert r.status_code == 503, r.get_json()
    assert error(r)["code"] == "maintenance"
    assert int(r.headers["Retry-After"]) > 0
    assert get_platform().documents.collection("videos").get() == []
    assert limits.usage(platform=get_platform(), uid=uid_of(token)).active_generations == 0
    me = api.call("GET", "/api/v1/auth/me", token).get_json()
    assert me["features"]["can_generate"] is False
    set_features(maintenance_mode=False)
    created = api.call("POST", "/api/v1/videos", token, json=body)
    assert created.status_code == 201
    # a failed video is not retried during maintenance either
    vid = created.get_json()["id"]
    get_platform().documents.collection("videos").document(vid).update({"status": "failed"})
    set_features(maintenance_mode=True)
    r = api.call("POST", f"/api/v1/videos/{vid}/retry", token, json={})
    assert r.status_code == 503 and error(r)["code"] == "maintenance"


def test_video_ai_off_refuses_a_generation_that_asks_for_it(api: Api) -> None:
    token = api.signed_in("ai@example.com")
    set_features(video_ai=False)
    body = {"template_id": "sys-viral-hook", "topic": "why the sky is blue"}
    r = api.call("POST", "/api/v1/videos", token, json={**body, "use_video_ai": True})
    assert r.status_code == 403
    assert error(r)["code"] == "feature_disabled"
    assert error(r)["details"] == {"feature": "video_ai"}
    assert api.call("POST", "/api/v1/videos", token, json=body).status_code == 201
    me = api.call("GET", "/api/v1/auth/me", token).get_json()
    assert me["features"]["video_ai"] is False


def test_social_posting_and_ai_suggestions_flags_reach_the_callers_features(api: Api) -> None:
    """Posting and suggestions are not built yet: the flags gate what /auth/me offers."""
    token = api.signed_in("premium@example.com")
    get_platform().documents.collection("users").document(uid_of(token)).update({"role": "premium"})
    before = api.call("GET", "/api/v1/auth/me", token).get_json()["features"]
    assert before["can_schedule"] and before["can_use_ai_suggestions"]
    set_features(social_posting=False, ai_suggestions=False)
    after = api.call("GET", "/api/v1/auth/me", token).get_json()["features"]
    assert after["social_posting"] is False and after["can_schedule"] is False
    assert after["can_use_ai_suggestions"] is False


# --------------------------------------------------------------------------- 3: reserved ids


RESERVED = ["__x__", "__name__", "%2E", "%2E%2E"]


@pytest.mark.parametrize("bad", RESERVED)
def test_reserved_ids_in_a_path_are_404_on_every_route_that_had_a_500(api: Api, bad: str) -> None:
    admin = api.signed_in("admin@example.com")  # first user: admin
    user = api.signed_in("user@example.com")
    before = limits.usage(platform=get_platform(), uid=uid_of(user))
    for method, path, token, body in [
        ("GET", f"/api/v1/notifications/{bad}", user, None),
        ("POST", f"/api/v1/notifications/{bad}/read", user, None),
        ("POST", f"/api/v1/notifications/{bad}/dismiss", user, None),
        ("GET", f"/api/v1/users/{bad}", admin, None),
        ("PATCH", f"/api/v1/users/{bad}/role", admin, {"role": "premium"}),
        ("GET", f"/api/v1/admin/users/{bad}", admin, None),
        ("POST", f"/api/v1/videos/{bad}/retry", user, {}),
        ("GET", f"/api/v1/videos/{bad}", user, None),
        ("GET", f"/api/v1/templates/{bad}", user, None),
        ("DELETE", f"/api/v1/integrations/{bad}", user, None),
        ("GET", f"/api/v1/notifications/admin/broadcasts/{bad}", admin, None),
    ]:
        r = api.call(method, path, token, json=body)
        assert r.status_code == 404, (method, path, r.status_code, r.get_json())
        error(r)
    after = limits.usage(platform=get_platform(), uid=uid_of(user))
    assert after.active_generations == before.active_generations


def test_retrying_a_video_that_does_not_exist_reserves_no_generation(api: Api) -> None:
    """At the concurrency limit, a retry of no video is a 404, not a 429 from the reservation."""
    api.signed_in("admin@example.com")  # the first account is the admin
    token = api.signed_in("retrier@example.com")
    body = {"template_id": "sys-viral-hook", "topic": "why the sky is blue"}
    assert api.call("POST", "/api/v1/videos", token, json=body).status_code == 201
    usage = limits.usage(platform=get_platform(), uid=uid_of(token))
    assert usage.active_generations == usage.max_concurrent == 1  # a free user's one slot
    r = api.call("POST", "/api/v1/videos/nosuchvideo123/retry", token, json={})
    assert r.status_code == 404, r.get_json()
    assert error(r)["code"] == "video_not_found"
    after = limits.usage(platform=get_platform(), uid=uid_of(token))
    assert after.active_generations == 1 and after.videos_today == usage.videos_today


# --------------------------------------------------------------------------- 4: cursors


def _forged(values: list[Any], doc_id: Any) -> str:
    raw = json.dumps([values, doc_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


FORGED = [
    _forged([{"$t": "2026-01-01T00:00:00"}], "abc"),
    _forged([{"$t": "2026-01-01T00:00:00+00:00"}], ""),
    _forged([{"$t": "2026-01-01T00:00:00+00:00"}], {"a": "b"}),
    _forged([{"$t": "2026-01-01T00:00:00+00:00"}], "abc"),  # well formed, but unsigned
]


@pytest.mark.parametrize("cursor", FORGED)
def test_hand_made_cursors_are_400_on_every_list(api: Api, cursor: str) -> None:
    admin = api.signed_in("admin@example.com")
    user = api.signed_in("user@example.com")
    for path, token in [
        ("/api/v1/videos", user),
        ("/api/v1/notifications", user),
        ("/api/v1/templates/my", user),
        ("/api/v1/templates", user),
        ("/api/v1/users", admin),
        ("/api/v1/notifications/admin/broadcasts", admin),
    ]:
        r = api.call("GET", f"{path}?cursor={cursor}", token)
        assert r.status_code == 400, (path, r.get_json())
        assert error(r)["code"] == "invalid_cursor"


def test_issued_cursors_still_page_through_a_list(api: Api) -> None:
    token = api.signed_in("reader@example.com")
    for i in range(5):
        notifications.notify_system(
            platform=get_platform(), uid=uid_of(token), title=f"t{i}", message="m"
        )
    seen: list[str] = []
    cursor = None
    while True:
        q = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = api.call("GET", f"/api/v1/notifications{q}", token).get_json()
        seen += [n["id"] for n in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) >= 5


# --------------------------------------------------------------------------- 2: nesting


@pytest.mark.parametrize(
    ("path", "signed"),
    [
        ("/api/v1/auth/login", False),
        ("/api/v1/auth/verify-token", False),
        ("/api/v1/videos", True),
        ("/api/v1/templates", True),
        ("/api/v1/integrations", True),
    ],
)
def test_a_nesting_bomb_is_a_400_on_routes_with_a_body(api: Api, path: str, signed: bool) -> None:
    token = api.signed_in("bomber@example.com") if signed else None
    bomb = "[" * 1000 + "]" * 1000
    r = api.call("POST", path, token, data=bomb, content_type="application/json")
    assert r.status_code == 400, r.get_json()
    assert error(r)["code"] == "invalid_json"


# --------------------------------------------------------------------------- rate limits


def test_starting_generations_is_rate_limited_per_user(api: Api) -> None:
    token = api.signed_in("hasty@example.com")
    policy = rate_limits.get_policy("generation")
    per_user = next(lim for lim in policy.limits if lim.per == "user")
    # premium-like limits so daily and concurrency limits do not answer first
    get_platform().documents.collection("users").document(uid_of(token)).update({"role": "admin"})
    body = {"template_id": "nope-not-a-template", "topic": "why the sky is blue"}
    for _ in range(per_user.requests):
        assert api.call("POST", "/api/v1/videos", token, json=body).status_code == 404
    r = api.call("POST", "/api/v1/videos", token, json=body)
    assert r.status_code == 429
    assert error(r)["details"]["per"] == "user"
    assert int(r.headers["Retry-After"]) >= 1
