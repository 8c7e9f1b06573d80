"""Personal API tokens over HTTP: made in a browser session, used like an ID token.

The whole API through the local gateway, with real Auth emulator ID tokens for
the sessions that create tokens. A token reaches what its scopes cover, as its
owner, with its owner's role and ownership checks; nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from werkzeug.test import Client

from synthora.http import rate_limits
from synthora.local.gateway import Gateway
from synthora.manifest import get_manifest
from synthora.platform import get_platform
from synthora.security import personal_tokens as pat
from synthora.settings import get_settings
from tests.conftest import AuthEmulator
from tests.support.calls import bearer, error, uid_of

pytestmark = pytest.mark.emulator


@dataclass
class World:
    http: Client
    sessions: dict[str, str]  # who -> Firebase ID token

    def call(self, token: str, method: str, path: str, body: Any = None) -> Any:
        kwargs: dict[str, Any] = {"headers": bearer(token)}
        if body is not None:
            kwargs["json"] = body
        return self.http.open(path, method=method, **kwargs)

    def make(self, who: str, *scopes: str, days: int = 30, name: str = "script") -> str:
        body = {"name": name, "scopes": list(scopes), "expires_in_days": days}
        r = self.call(self.sessions[who], "POST", "/api/v1/tokens", body)
        assert r.status_code == 201, r.get_json()
        return str(r.get_json()["token"])


@pytest.fixture
def world(auth: AuthEmulator) -> Iterator[World]:
    settings = get_settings()
    http = Client(Gateway(settings=settings, manifest=get_manifest(settings.manifest_file)))
    sessions: dict[str, str] = {}
    for who in ("admin", "free", "premium", "other"):  # the first to sign in is the admin
        sessions[who] = auth.sign_up(f"{who}@example.com")
        r = http.post("/api/v1/auth/login", json={"id_token": sessions[who]})
        assert r.status_code == 200, r.get_json()
    get_platform().documents.document(f"users/{uid_of(sessions['premium'])}").update(
        {"role": "premium"}
    )
    yield World(http=http, sessions=sessions)


def test_a_token_is_shown_once_and_acts_as_its_owner(world: World) -> None:
    token = world.make("free", "read")
    r = world.call(token, "GET", "/api/v1/auth/me")
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["user"]["uid"] == uid_of(world.sessions["free"])
    listed = world.call(world.sessions["free"], "GET", "/api/v1/tokens").get_json()
    (item,) = listed["items"]
    assert "token" not in item and token not in str(listed)
    assert item["scopes"] == ["read"] and item["id"] == pat.token_id(token)


def test_each_scope_covers_its_routes_and_nothing_else(world: World) -> None:
    read = world.make("free", "read")
    videos = world.make("free", "videos:create")
    posts = world.make("free", "posts")
    assert world.call(read, "GET", "/api/v1/videos").status_code == 200
    r = world.call(videos, "GET", "/api/v1/videos")
    assert (r.status_code, error(r)["code"]) == (403, "insufficient_scope")
    assert error(r)["details"] == {"required": "read", "granted": ["videos:create"]}
    start = {"template_id": "sys-viral-hook", "topic": "tokens at work"}
    r = world.call(read, "POST", "/api/v1/videos", start)
    assert (r.status_code, error(r)["details"]["required"]) == (403, "videos:create")
    r = world.call(videos, "POST", "/api/v1/videos", start)
    assert r.status_code == 201, r.get_json()
    video_id = r.get_json()["id"]
    # the same ownership checks as a session: another user's token does not see it
    other = world.make("other", "read")
    assert world.call(other, "GET", f"/api/v1/videos/{video_id}").status_code == 404
    assert world.call(read, "GET", f"/api/v1/videos/{video_id}").status_code == 200
    r = world.call(posts, "DELETE", f"/api/v1/videos/{video_id}")
    assert (r.status_code, error(r)["code"]) == (403, "insufficient_scope")


def test_the_owners_role_applies(world: World) -> None:
    free = world.make("free", "read", "analytics")
    premium = world.make("premium", "read", "analytics")
    r = world.call(free, "GET", "/api/v1/suggestions")
    assert (r.status_code, error(r)["code"]) == (403, "premium_only")
    assert world.call(premium, "GET", "/api/v1/suggestions").status_code == 200


def test_admin_routes_and_session_routes_never_accept_a_token(world: World) -> None:
    token = world.make("admin", *pat.SCOPES)
    assert world.call(world.sessions["admin"], "GET", "/api/v1/admin/stats").status_code == 200
    for method, path in [
        ("GET", "/api/v1/admin/stats"),
        ("GET", "/api/v1/users"),
        ("GET", "/api/v1/tokens"),
        ("POST", "/api/v1/tokens"),
        ("POST", "/api/v1/auth/logout"),
        ("PATCH", "/api/v1/users/profile"),
    ]:
        r = world.call(token, method, path, {} if method != "GET" else None)
        assert (r.status_code, error(r)["code"]) == (403, "token_not_allowed"), (method, path)


def test_revoking_stops_a_token_at_once(world: World) -> None:
    token = world.make("free", "read")
    assert world.call(token, "GET", "/api/v1/videos").status_code == 200
    r = world.call(world.sessions["other"], "DELETE", f"/api/v1/tokens/{pat.token_id(token)}")
    assert r.status_code == 404  # not theirs
    r = world.call(world.sessions["free"], "DELETE", f"/api/v1/tokens/{pat.token_id(token)}")
    assert r.status_code == 204
    r = world.call(token, "GET", "/api/v1/videos")
    assert (r.status_code, error(r)["code"]) == (401, "token_revoked")


def test_an_expired_token_is_refused(world: World) -> None:
    token = world.make("free", "read", days=1)
    ref = get_platform().documents.document(f"api_tokens/{pat.token_id(token)}")
    ref.update({"expires_at": datetime.now(UTC) - timedelta(seconds=1)})
    r = world.call(token, "GET", "/api/v1/videos")
    assert (r.status_code, error(r)["code"]) == (401, "token_expired")


def test_a_disabled_owner_is_refused_and_sign_out_leaves_tokens_alone(world: World) -> None:
    token = world.make("free", "read")
    r = world.call(world.sessions["free"], "POST", "/api/v1/auth/logout")
    assert r.status_code in (200, 204), r.get_json()
    assert world.call(token, "GET", "/api/v1/videos").status_code == 200
    users = get_platform().documents.collection("users")
    users.document(uid_of(world.sessions["free"])).update({"is_active": False})
    r = world.call(token, "GET", "/api/v1/videos")
    assert (r.status_code, error(r)["code"]) == (403, "account_disabled")


def test_a_bad_token_is_refused_even_on_public_routes(world: World) -> None:
    for token in ("syn_pat_not-a-token", pat.new_secret()):
        r = world.call(token, "GET", "/api/v1/config")
        assert (r.status_code, error(r)["code"]) == (401, "invalid_token")


def test_last_use_is_shown(world: World) -> None:
    token = world.make("free", "read")
    (item,) = world.call(world.sessions["free"], "GET", "/api/v1/tokens").get_json()["items"]
    assert item["last_used_at"] is None
    before = datetime.now(UTC)
    world.call(token, "GET", "/api/v1/videos")
    (item,) = world.call(world.sessions["free"], "GET", "/api/v1/tokens").get_json()["items"]
    assert datetime.fromisoformat(item["last_used_at"]) >= before - timedelta(seconds=1)


def test_each_token_has_its_own_rate_limit(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        rate_limits.POLICIES,
        "personal_token",
        rate_limits.Policy(
            name="personal_token",
            description="small for the test",
            limits=(rate_limits.Limit(per="token", requests=3, window_s=3600),),
        ),
    )
    rate_limits.clear_memory()
    first, second = world.make("free", "read"), world.make("free", "read")
    for _ in range(3):
        assert world.call(first, "GET", "/api/v1/videos").status_code == 200
    r = world.call(first, "GET", "/api/v1/videos")
    assert (r.status_code, error(r)["code"]) == (429, "rate_limited")
    assert error(r)["details"]["per"] == "token" and "Retry-After" in r.headers
    # another token of the same user, and the user's session, are not affected
    assert world.call(second, "GET", "/api/v1/videos").status_code == 200
    assert world.call(world.sessions["free"], "GET", "/api/v1/videos").status_code == 200
    rate_limits.clear_memory()
