"""auth, users, notifications, admin and the fan-out task over HTTP, with real emulator tokens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient

from synthora.identity import INTERNAL_TOKEN_HEADER
from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform
from synthora.services import app_settings, notifications
from synthora.settings import Settings
from tests.conftest import AuthEmulator
from tests.support.calls import error, uid_of

pytestmark = pytest.mark.emulator
FUNCTIONS = ("auth", "users", "notifications", "admin", "notifications_fanout")
CALLERS = ("anon", "free", "premium", "other", "disabled", "admin")
BAD_TOKEN = "not-a-valid-token-at-all"


@dataclass
class World:
    clients: dict[str, FlaskClient]
    tokens: dict[str, str]
    uids: dict[str, str]
    target: str
    note: str

    def call(self, who: str, method: str, path: str, body: Any = None) -> Any:
        group = "notifications_fanout" if path == "/" else path.split("?")[0].split("/")[3]
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who != "anon" else {}
        path = path.replace("{target}", self.target).replace("{note}", self.note)
        if isinstance(body, dict) and body.get("id_token") == "$self":
            body = {"id_token": self.tokens.get(who, BAD_TOKEN)}
        return self.clients[group].open(path, method=method, json=body, headers=headers)


@pytest.fixture
def world(settings: Settings, auth: AuthEmulator) -> World:
    app_settings.clear_cache()
    manifest = get_manifest(settings.manifest_file)
    clients = {
        name: create_function_app(manifest.function(name), settings.functions_dir).test_client()
        for name in FUNCTIONS
    }
    tokens: dict[str, str] = {}
    for who in ("admin", "free", "premium", "other", "disabled", "target"):
        tokens[who] = auth.sign_up(f"{who}@example.com")
        r = clients["auth"].post("/api/v1/auth/login", json={"id_token": tokens[who]})
        assert r.status_code == 200, r.get_json()
        assert r.get_json()["user"]["role"] == ("admin" if who == "admin" else "free")
    uids = {who: uid_of(t) for who, t in tokens.items()}
    users = get_platform().documents.collection("users")
    users.document(uids["premium"]).update({"role": "premium"})
    users.document(uids["disabled"]).update({"is_active": False})
    note = notifications.notify_system(
        platform=get_platform(), uid=uids["free"], title="t", message="m"
    )
    assert note is not None
    return World(clients, tokens, uids, target=uids["target"], note=note.id)


U, A, N = 401, 403, 404  # anonymous, refused, not yours
EVERY_USER = {"anon": U, "free": 200, "premium": 200, "other": 200, "disabled": A, "admin": 200}
ADMIN_ONLY = {"anon": U, "free": A, "premium": A, "other": A, "disabled": A, "admin": 200}
FREE_OWNS = {"anon": U, "free": 200, "premium": N, "other": N, "disabled": A, "admin": N}
PUBLIC = dict.fromkeys(CALLERS, 200)

MATRIX: list[tuple[str, str, Any, dict[str, int]]] = [
    ("GET", "/api/v1/auth/setup-status", None, PUBLIC),
    ("POST", "/api/v1/auth/verify-token", {"id_token": "$self"}, {**PUBLIC, "anon": U}),
    ("POST", "/api/v1/auth/login", {"id_token": "$self"}, {**EVERY_USER, "anon": U}),
    ("GET", "/api/v1/auth/me", None, EVERY_USER),
    ("POST", "/api/v1/auth/refresh", None, EVERY_USER),
    ("GET", "/api/v1/users/profile", None, EVERY_USER),
    ("PATCH", "/api/v1/users/profile", {"display_name": "New Name"}, EVERY_USER),
    ("GET", "/api/v1/users", None, ADMIN_ONLY),
    ("GET", "/api/v1/users/stats", None, ADMIN_ONLY),
    ("GET", "/api/v1/users/{target}", None, ADMIN_ONLY),
    ("PATCH", "/api/v1/users/{target}/role", {"role": "free"}, ADMIN_ONLY),
    ("PATCH", "/api/v1/users/{target}/status", {"is_active": True}, ADMIN_ONLY),
    ("POST", "/api/v1/users/{target}/grant-premium", None, ADMIN_ONLY),
    ("POST", "/api/v1/users/{target}/revoke-premium", None, ADMIN_ONLY),
    ("GET", "/api/v1/notifications", None, EVERY_USER),
    ("GET", "/api/v1/notifications/unread-count", None, EVERY_USER),
    ("GET", "/api/v1/notifications/{note}", None, FREE_OWNS),
    ("POST", "/api/v1/notifications/{note}/read", None, FREE_OWNS),
    ("POST", "/api/v1/notifications/{note}/dismiss", None, FREE_OWNS),
    ("POST", "/api/v1/notifications/read-all", None, EVERY_USER),
    ("POST", "/api/v1/notifications/dismiss-all", None, EVERY_USER),
    (
        "POST",
        "/api/v1/notifications/admin/broadcast",
        {"title": "Hi", "message": "Hello all"},
        {**ADMIN_ONLY, "admin": 202},
    ),
    ("GET", "/api/v1/notifications/admin/broadcasts", None, ADMIN_ONLY),
    ("GET", "/api/v1/notifications/admin/broadcasts/nope", None, {**ADMIN_ONLY, "admin": 404}),
    ("GET", "/api/v1/admin/settings", None, ADMIN_ONLY),
    ("GET", "/api/v1/admin/settings/limits", None, ADMIN_ONLY),
    ("POST", "/api/v1/admin/settings/features", {"value": {"video_ai": False}}, ADMIN_ONLY),
    ("DELETE", "/api/v1/admin/settings/features", None, ADMIN_ONLY),
    ("GET", "/api/v1/admin/stats", None, ADMIN_ONLY),
    ("GET", "/api/v1/admin/activity?days=7", None, ADMIN_ONLY),
    ("GET", "/api/v1/admin/top-users", None, ADMIN_ONLY),
    ("GET", "/api/v1/admin/users/{target}", None, ADMIN_ONLY),
    # task endpoint: no user may call it, whatever their role
    ("POST", "/", {"broadcast_id": "b1"}, {**dict.fromkeys(CALLERS, A)}),
]


def test_authorization_matrix(world: World) -> None:
    failures = []
    for method, path, body, expected in MATRIX:
        for who in CALLERS:  # admin last: mutating rows leave the state the next row expects
            r = world.call(who, method, path, body)
            if r.status_code != expected[who]:
                failures.append((method, path, who, expected[who], r.status_code, r.get_json()))
            elif r.status_code >= 400:
                error(r)
    assert not failures, "\n".join(map(str, failures))


def test_me_reports_limits_and_features(world: World) -> None:
    me = world.call("free", "GET", "/api/v1/auth/me").get_json()
    assert me["user"]["role"] == "free"
    assert me["limits"]["daily_limit"] == 3 and me["limits"]["remaining_today"] == 3
    assert me["features"] == {
        "can_generate": True,
        "can_schedule": False,
        "can_use_ai_suggestions": False,
        "video_ai": True,
        "social_posting": True,
        "is_admin": False,
    }
    premium = world.call("premium", "GET", "/api/v1/auth/me").get_json()
    assert premium["limits"]["daily_limit"] == 20 and premium["features"]["can_schedule"]
    status = world.call("anon", "GET", "/api/v1/auth/setup-status").get_json()
    assert status == {"admin_exists": True, "setup_required": False}


def test_bad_inputs_get_4xx_with_an_error_body(world: World) -> None:
    cases = [
        ("anon", "POST", "/api/v1/auth/login", {"id_token": BAD_TOKEN}, 401),
        ("anon", "POST", "/api/v1/auth/login", {}, 422),
        ("free", "PATCH", "/api/v1/users/profile", {"display_name": "x" * 101}, 422),
        ("free", "PATCH", "/api/v1/users/profile", {"photo_url": "javascript:alert(1)"}, 422),
        ("free", "PATCH", "/api/v1/users/profile", {"nickname": "x"}, 422),
        ("free", "PATCH", "/api/v1/users/profile", {"notifications": {"muted_types": ["x"]}}, 422),
        ("admin", "PATCH", "/api/v1/users/{target}/role", {"role": "owner"}, 422),
        ("admin", "PATCH", "/api/v1/users/nobody/role", {"role": "free"}, 404),
        ("admin", "GET", "/api/v1/users?limit=500", None, 422),
        ("admin", "GET", "/api/v1/users?cursor=garbage", None, 400),
        ("admin", "GET", "/api/v1/admin/settings/nope", None, 404),
        ("admin", "POST", "/api/v1/admin/settings/limits", {"value": {"free": {"x": 1}}}, 422),
        ("admin", "GET", "/api/v1/admin/activity?days=1000", None, 422),
        ("admin", "POST", "/api/v1/notifications/admin/broadcast", {"title": ""}, 422),
        (
            "admin",
            "POST",
            "/api/v1/notifications/admin/broadcast",
            {"title": "t", "message": "m", "roles": ["owner"]},
            422,
        ),
        ("free", "GET", "/api/v1/notifications?type=nope", None, 422),
    ]
    for who, method, path, body, status in cases:
        r = world.call(who, method, path, body)
        assert r.status_code == status, (path, body, r.get_json())
        error(r)
    me = world.call("free", "GET", "/api/v1/users/profile").get_json()
    assert me["display_name"] == "free"  # nothing half-written


def test_admin_cannot_demote_or_disable_themselves(world: World) -> None:
    me = world.uids["admin"]
    r = world.call("admin", "PATCH", f"/api/v1/users/{me}/role", {"role": "free"})
    assert r.status_code == 403 and error(r)["code"] == "self_demotion"
    r = world.call("admin", "PATCH", f"/api/v1/users/{me}/status", {"is_active": False})
    assert r.status_code == 403 and error(r)["code"] == "self_disable"


def test_disabled_user_is_refused_with_a_clear_error(world: World) -> None:
    r = world.call("disabled", "GET", "/api/v1/notifications")
    assert r.status_code == 403 and error(r)["code"] == "account_disabled"
    world.call("admin", "PATCH", "/api/v1/users/{target}/status", {"is_active": False})
    r = world.call("target", "GET", "/api/v1/auth/me")
    assert r.status_code == 403 and "disabled" in error(r)["message"]


def test_admin_user_search_filters_and_pages(world: World) -> None:
    r = world.call("admin", "GET", "/api/v1/users?search=pre").get_json()
    assert [u["email"] for u in r["items"]] == ["premium@example.com"]
    r = world.call("admin", "GET", "/api/v1/users?role=free&limit=2").get_json()
    assert len(r["items"]) == 2 and r["has_more"]
    rest = world.call("admin", "GET", f"/api/v1/users?role=free&limit=2&cursor={r['next_cursor']}")
    assert len(rest.get_json()["items"]) == 2  # free, other, disabled, target
    r = world.call("admin", "GET", "/api/v1/users?is_active=false").get_json()
    assert [u["email"] for u in r["items"]] == ["disabled@example.com"]
    stats = world.call("admin", "GET", "/api/v1/users/stats").get_json()
    assert stats == {
        "total": 6,
        "active": 5,
        "disabled": 1,
        "by_role": {"free": 4, "premium": 1, "admin": 1},
    }
    activity = world.call("admin", "GET", "/api/v1/admin/activity?days=3").get_json()
    assert activity["total_signups"] == 6 and activity["signups"][-1]["signups"] == 6


def test_broadcast_task_delivered_twice_notifies_once(world: World, settings: Settings) -> None:
    r = world.call(
        "admin",
        "POST",
        "/api/v1/notifications/admin/broadcast",
        {"title": "Hi", "message": "Maintenance", "roles": ["premium"]},
    )
    assert r.status_code == 202
    broadcast_id = r.get_json()["broadcast_id"]
    headers = {INTERNAL_TOKEN_HEADER: settings.secret("internal_token")}
    for _ in range(2):
        r = world.clients["notifications_fanout"].post(
            "/", json={"broadcast_id": broadcast_id}, headers=headers
        )
        assert r.status_code == 200, r.get_json()
        assert r.get_json()["delivered"] == 1 and r.get_json()["next_task"] is None
    page = world.call("premium", "GET", "/api/v1/notifications?type=system").get_json()
    assert [n["title"] for n in page["items"]] == ["Hi"]
    status = world.call(
        "admin", "GET", f"/api/v1/notifications/admin/broadcasts/{broadcast_id}"
    ).get_json()
    assert status["status"] == "done" and status["roles"] == ["premium"]
    assert (status["pages_done"], status["delivered"], status["skipped"]) == (1, 1, 0)
    listed = world.call("admin", "GET", "/api/v1/notifications/admin/broadcasts?limit=5")
    assert listed.get_json()["items"][0]["broadcast_id"] == broadcast_id
    free = world.call("free", "GET", "/api/v1/notifications/unread-count").get_json()
    assert free == {"total": 2, "by_type": {"welcome": 1, "system": 1}}  # only the fixture's note
