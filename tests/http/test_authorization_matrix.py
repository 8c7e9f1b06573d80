"""The authorization matrix, generated from the OpenAPI document and the manifest.

Every operation is called as every kind of caller, and the answer must be what
the route declares with `auth=` (published as `x-synthora-access`; the levels
are described at `synthora.http.router.AuthPolicy`). A route that declares
nothing fails `test_every_route_declares_who_may_call_it`; a route whose path
names a resource (`owner`) needs a way to make one for a user, in
`OWNED_RESOURCES` below, or `test_every_owned_resource_can_be_made` fails.

Personal API tokens are callers too: one token per scope, made by the premium
user, must reach exactly the operations whose `x-synthora-token-scope` is that
scope (with the premium user's role and resources), be refused 403 everywhere
else, and never reach an admin operation.

Allowed means the caller got past authorization: not 401/403, never 5xx (a
body or an id the route does not like still answers 404/409/422, which is fine
here; the conformance suite checks those). Refused means exactly 401 (who are
you?), 403 (not for you) or, for someone else's resource, 404.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr
from werkzeug.test import Client

from synthora.http import rate_limits
from synthora.identity import INTERNAL_TOKEN_HEADER
from synthora.local.functions import load_routers
from synthora.local.gateway import Gateway
from synthora.manifest import get_manifest, load_manifest
from synthora.platform import get_platform
from synthora.providers.social import (
    Capabilities,
    ConnectedAccount,
    PlatformProfile,
    SocialPlatform,
    TokenSet,
)
from synthora.security.personal_tokens import SCOPES, SESSION_ONLY
from synthora.services import notifications as notifications_service
from synthora.services import social_accounts as social_accounts_service
from synthora.services import templates as templates_service
from synthora.services.billing import setup as billing_setup
from synthora.settings import REPO_ROOT, get_settings
from tests.conftest import AuthEmulator, PlatformEmulators
from tests.support.calls import bearer, uid_of
from tests.support.openapi import Operation, document, minimal_instance, operations

pytestmark = pytest.mark.emulator

KINDS = (
    "anonymous",
    "garbage_token",
    "expired_token",
    "other_user",
    "free",
    "premium",
    "admin",
    "internal",
    "token_read",
    "token_videos",
    "token_posts",
    "token_analytics",
)
ALLOWED = "allowed"
#: personal-token caller kinds -> the one scope their token carries (made by TOKEN_OWNER)
TOKEN_KINDS: dict[str, str] = {
    "token_read": "read",
    "token_videos": "videos:create",
    "token_posts": "posts",
    "token_analytics": "analytics",
}
TOKEN_OWNER = "premium"

#: access level -> caller kind -> expected outcome ("allowed" or a status code)
EXPECTED: dict[str, dict[str, str | int]] = {
    "public": {
        "anonymous": ALLOWED,
        "garbage_token": 401,
        "expired_token": 401,
        "other_user": ALLOWED,
        "free": ALLOWED,
        "premium": ALLOWED,
        "admin": ALLOWED,
        "internal": ALLOWED,
    },
    "user": {
        "anonymous": 401,
        "garbage_token": 401,
        "expired_token": 401,
        "other_user": ALLOWED,
        "free": ALLOWED,
        "premium": ALLOWED,
        "admin": ALLOWED,
        "internal": 401,
    },
    "owner": {
        "anonymous": 401,
        "garbage_token": 401,
        "expired_token": 401,
        "other_user": 404,
        "free": ALLOWED,
        "premium": ALLOWED,
        "admin": ALLOWED,
        "internal": 401,
    },
    "premium": {
        "anonymous": 401,
        "garbage_token": 401,
        "expired_token": 401,
        "other_user": 403,
        "free": 403,
        "premium": ALLOWED,
        "admin": ALLOWED,
        "internal": 401,
    },
    "admin": {
        "anonymous": 401,
        "garbage_token": 401,
        "expired_token": 401,
        "other_user": 403,
        "free": 403,
        "premium": 403,
        "admin": ALLOWED,
        "internal": 401,
    },
}

DOC = document()
#: operations that end the caller's session (later calls with its token answer 401): run last
SESSION_ENDING = frozenset({"auth-logout"})
OPERATIONS = sorted(
    operations(DOC), key=lambda op: (op.operation_id in SESSION_ENDING, op.operation_id)
)


# --------------------------------------------------------------------------- callers


@dataclass
class Callers:
    http: Client
    tokens: dict[str, str]  # free, other_user, premium, admin -> ID token
    internal_token: str
    personal: dict[str, str] = field(default_factory=dict)  # TOKEN_KINDS -> personal token
    made: dict[tuple[str, str], str] = field(default_factory=dict)

    def uid(self, kind: str) -> str:
        return uid_of(self.tokens[kind])

    def headers(self, kind: str) -> dict[str, str]:
        if kind == "anonymous":
            return {}
        if kind == "garbage_token":
            return bearer("garbage.not-a-jwt.at-all")
        if kind == "expired_token":
            return bearer(_expired_token(self.uid("free")))
        if kind == "internal":
            return {INTERNAL_TOKEN_HEADER: self.internal_token}
        if kind in TOKEN_KINDS:
            return bearer(self.personal[kind])
        return bearer(self.tokens[kind])

    def call(self, method: str, url: str, kind: str, body: Any = None) -> Any:
        kwargs: dict[str, Any] = {"headers": self.headers(kind)}
        if body is not None:
            kwargs["json"] = body
        return self.http.open(url, method=method, **kwargs)


def _expired_token(uid: str) -> str:
    """An ID token for `uid` that expired an hour ago, shaped like the emulator's."""
    project = AuthEmulator.project
    now = int(time.time())

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    claims = {
        "iss": f"https://securetoken.google.com/{project}",
        "aud": project,
        "auth_time": now - 7200,
        "user_id": uid,
        "sub": uid,
        "iat": now - 7200,
        "exp": now - 3600,
        "firebase": {"identities": {}, "sign_in_provider": "password"},
    }
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


@pytest.fixture
def callers(
    auth: AuthEmulator, platform_emulators: PlatformEmulators, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callers]:
    settings = get_settings()
    billing_setup.setup(settings)  # the Stripe emulator's catalogue and webhook endpoint
    gateway = Gateway(settings=settings, manifest=get_manifest(settings.manifest_file))
    http = Client(gateway)
    tokens: dict[str, str] = {}
    # the first user to sign in becomes the administrator
    for kind in ("admin", "free", "other_user", "premium"):
        tokens[kind] = auth.sign_up(f"{kind.replace('_', '-')}@example.com")
        r = http.post("/api/v1/auth/login", json={"id_token": tokens[kind]})
        assert r.status_code == 200, r.get_json()
    get_platform().documents.document(f"users/{uid_of(tokens['premium'])}").update(
        {"role": "premium"}
    )
    assert get_platform().documents.document(f"users/{uid_of(tokens['admin'])}").get().get(
        "role"
    ) == ("admin")
    # one personal token per scope; every operation once per kind stays under its own limit
    monkeypatch.setitem(
        rate_limits.POLICIES,
        "personal_token",
        rate_limits.Policy(
            name="personal_token",
            description="room for one call per operation",
            limits=(rate_limits.Limit(per="token", requests=10_000, window_s=60),),
        ),
    )
    personal: dict[str, str] = {}
    for kind, scope in TOKEN_KINDS.items():
        r = http.post(
            "/api/v1/tokens",
            json={"name": kind, "scopes": [scope], "expires_in_days": 1},
            headers=bearer(tokens[TOKEN_OWNER]),
        )
        assert r.status_code == 201, r.get_json()
        personal[kind] = str(r.get_json()["token"])
    yield Callers(
        http=http,
        tokens=tokens,
        internal_token=settings.secret("internal_token"),
        personal=personal,
    )


# --------------------------------------------------------------------------- resources


def _template(c: Callers, kind: str) -> str:
    body = {
        "name": f"Private template of {kind}",
        "description": "made by the authorization matrix",
        "category": "educational",
        "tags": [],
        "platforms": ["tiktok"],
        "is_public": False,
        "config": dict(templates_service.system_template_specs()[0].config),
    }
    r = c.call("POST", "/api/v1/templates", kind, body)
    assert r.status_code == 201, r.get_json()
    return str(r.get_json()["id"])


def _video(c: Callers, kind: str) -> str:
    body = {"template_id": "sys-viral-hook", "topic": f"a video for {kind}"}
    r = c.call("POST", "/api/v1/videos", kind, body)
    if r.status_code == 429 and ("video_id", kind) in c.made:
        return c.made[("video_id", kind)]  # one generation at a time: the one still running
    assert r.status_code == 201, r.get_json()
    c.made[("video_id", kind)] = str(r.get_json()["id"])
    return c.made[("video_id", kind)]


def _integration(c: Callers, kind: str) -> str:
    r = c.call("POST", "/api/v1/integrations", kind, {"provider": "ffmpeg"})
    if r.status_code == 409:  # one per provider: the one made for an earlier operation
        return str(r.get_json()["error"]["details"]["integration_id"])
    assert r.status_code == 201, r.get_json()
    return str(r.get_json()["id"])


def _notification(c: Callers, kind: str) -> str:
    out = notifications_service.notify_system(
        platform=get_platform(), uid=c.uid(kind), title="Hello", message="From the matrix"
    )
    assert out is not None
    return out.id


def _social_account(c: Callers, kind: str) -> str:
    """A connected TikTok account, stored the way every connect stores one."""
    if ("account_id", kind) in c.made:
        return c.made[("account_id", kind)]
    account = social_accounts_service._store_account(
        get_platform(),
        uid=c.uid(kind),
        social=SocialPlatform.TIKTOK,
        account=ConnectedAccount(
            profile=PlatformProfile(platform_account_id=f"-open-{kind}", display_name=kind),
            tokens=TokenSet(
                access_token=SecretStr("act.matrix"),
                refresh_token=SecretStr("rft.matrix"),
                expires_in=86400,
                refresh_expires_in=15552000,
            ),
            scopes=["user.info.basic"],
            capabilities=Capabilities(can_publish=False, can_read_analytics=False),
        ),
        emulated=False,
        refreshable=True,
    )
    c.made[("account_id", kind)] = account.id
    return account.id


def _post(c: Callers, kind: str) -> str:
    """A post scheduled next week with no targets left (its record as create_post writes it)."""
    now = datetime.now(UTC)
    ref = get_platform().documents.collection("posts").document()
    ref.create(
        {
            "owner_uid": c.uid(kind),
            "video_id": "no-such-video",
            "video_title": "A post of the matrix",
            "scheduled_at": now + timedelta(days=7),
            "timezone": "UTC",
            "revision": 0,
            "status": "scheduled",
            "due_at": None,
            "platforms": [],
            "account_ids": [],
            "content": {},
            "ai_disclosure": {"ai_generated": True, "reasons": [], "sent_as": {}},
            "media": {"duration_s": 30.0, "size_bytes": 2_000_000, "width": 1080, "height": 1920},
            "video_key": None,
            "targets": {},
            "reminded": True,
            "created_at": now,
            "updated_at": now,
        }
    )
    return str(ref.id)


def _suggestion(c: Callers, kind: str) -> str:
    """A stored suggestion, as the generation task stores one."""
    from synthora.services import suggestions
    from synthora.suggestions import Basis

    out, _ = suggestions.create_suggestion(
        platform=get_platform(),
        uid=c.uid(kind),
        new=suggestions.NewSuggestion(
            type=suggestions.SuggestionType.posting_time,
            key=f"matrix-{kind}",
            title="Post at 18:00",
            body="From the matrix",
            evidence=suggestions.Evidence(
                basis=Basis(posts=0, videos=0, platforms=[], start=None, end=None, summary="-"),
                points=[],
            ),
        ),
    )
    return out.id


def _personal_token(c: Callers, kind: str) -> str:
    """A personal API token of the caller's (its id: the token itself is never in a path)."""
    r = c.http.post(
        "/api/v1/tokens",
        json={"name": f"matrix {kind}", "scopes": ["read"], "expires_in_days": 1},
        headers=bearer(c.tokens[kind]),
    )
    assert r.status_code == 201, r.get_json()
    return str(r.get_json()["id"])


#: path parameter -> how to make one such resource owned by the given caller
OWNED_RESOURCES: dict[str, Callable[[Callers, str], str]] = {
    "template_id": _template,
    "video_id": _video,
    "integration_id": _integration,
    "notification_id": _notification,
    "account_id": _social_account,
    "post_id": _post,
    "suggestion_id": _suggestion,
    "token_id": _personal_token,
}

#: path parameters of routes that are not about the caller's own resources
OTHER_PARAMS: dict[str, Callable[[Callers], str]] = {
    "user_id": lambda c: c.uid("free"),
    "scene": lambda c: "0",  # a scene of the storyboard of the owned video in the same path
    "key": lambda c: "limits",
    "broadcast_id": lambda c: "no-such-broadcast",
    "platform": lambda c: "tiktok",
    # a consent's account choice, single use and checked against its user by the service
    "selection_id": lambda c: "no-such-selection",
    "year": lambda c: "2026",
    "month": lambda c: "12",
    "version": lambda c: "1",  # a system template's first version (admin history routes)
}


def _own_token(c: Callers, kind: str) -> dict[str, str]:
    who = TOKEN_OWNER if kind in TOKEN_KINDS else kind
    return {"id_token": c.tokens[who if who in c.tokens else "free"]}


#: operations whose smallest schema-valid body is refused by what it means (a token in
#: the body must be a real one): a body that gets past that, per caller
BODIES: dict[str, Callable[[Callers, str], Any]] = {
    "auth-login": _own_token,
    "auth-verify_token": _own_token,
    # the smallest schema-valid storyboard names neither scenes nor a script (422 by meaning)
    "videos-update_storyboard": lambda c, kind: {"script_text": "A scene."},
}


def _path_values(c: Callers, op: Operation, kind: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for param in op.params:
        if param in OWNED_RESOURCES:
            # someone else's resource for `other_user`, else the caller's own
            owner = "free" if kind not in ("free", "premium", "admin") else kind
            if kind in TOKEN_KINDS:
                owner = TOKEN_OWNER
            values[param] = OWNED_RESOURCES[param](c, owner)
        else:
            values[param] = OTHER_PARAMS[param](c)
    return values


def _expected(op: Operation, kind: str) -> str | int:
    """What the route declares for this caller; a personal token, what its owner gets where
    its scope covers the route, and 403 everywhere else that needs a signed-in caller."""
    assert op.access is not None
    if kind not in TOKEN_KINDS or op.access == "public":
        return EXPECTED[op.access][kind if kind not in TOKEN_KINDS else TOKEN_OWNER]
    if op.token_scope == TOKEN_KINDS[kind]:
        return EXPECTED[op.access][TOKEN_OWNER]
    return 403


def _outcome(status: int) -> str | int:
    if status >= 500:
        return f"server error {status}"  # type: ignore[return-value]
    return status if status in (401, 403) else ALLOWED


# --------------------------------------------------------------------------- declarations


def test_every_route_declares_who_may_call_it() -> None:
    manifest = load_manifest(REPO_ROOT / "functions" / "manifest.toml")
    undeclared = [
        f"{router.group}-{route.name} ({route.method} {route.path})"
        for router in load_routers(manifest, REPO_ROOT / "functions")
        for route in router.routes
        if route.auth is None
    ]
    assert not undeclared, (
        "declare who may call each route with `auth=` on its decorator "
        f"(public, user, owner, premium, admin, internal): {undeclared}"
    )
    assert all(op.access in EXPECTED for op in OPERATIONS), [
        (op.operation_id, op.access) for op in OPERATIONS if op.access not in EXPECTED
    ]


def test_every_signed_in_route_has_a_token_scope() -> None:
    """New routes get one from `Router(write_scope=...)` (writes) or by being a GET (`read`);
    a group that declares no write scope leaves its writes without one, and fails here."""
    manifest = load_manifest(REPO_ROOT / "functions" / "manifest.toml")
    missing = [
        f"{router.group}-{route.name} ({route.method} {route.path})"
        for router in load_routers(manifest, REPO_ROOT / "functions")
        for route in router.routes
        if route.auth in ("user", "owner", "premium", "admin") and route.token_scope is None
    ]
    assert not missing, (
        "declare what a personal API token needs for these routes: `write_scope=` on the "
        f"group's Router, or `token_scope=` on the route ({', '.join(SCOPES)}, "
        f"or {SESSION_ONLY!r}): {missing}"
    )
    assert {op.token_scope for op in OPERATIONS if op.access == "admin"} == {SESSION_ONLY}
    assert {op.token_scope for op in OPERATIONS if op.access in ("public", None)} == {None}


def test_task_and_cron_functions_have_internal_routes_only() -> None:
    manifest = load_manifest(REPO_ROOT / "functions" / "manifest.toml")
    for spec in manifest.functions:
        if spec.kind == "http":
            continue
        from synthora.local.functions import load_router

        router = load_router(spec, REPO_ROOT / "functions")
        assert router.routes and {r.auth for r in router.routes} == {"internal"}, spec.name


def test_every_owned_resource_can_be_made() -> None:
    missing = {
        (op.operation_id, param)
        for op in OPERATIONS
        for param in op.params
        if param not in OWNED_RESOURCES and param not in OTHER_PARAMS
    }
    assert not missing, (
        "add a factory for these path parameters to OWNED_RESOURCES (a resource a user owns) "
        f"or OTHER_PARAMS: {sorted(missing)}"
    )
    owner_routes_without_params = [
        op.operation_id
        for op in OPERATIONS
        if op.access == "owner" and not any(p in OWNED_RESOURCES for p in op.params)
    ]
    assert not owner_routes_without_params, "an `owner` route names its resource in the path"


# --------------------------------------------------------------------------- the matrix


def _check_kind(callers: Callers, kind: str) -> None:
    mismatches: list[str] = []
    for op in OPERATIONS:
        assert op.access is not None, op.operation_id
        expected = _expected(op, kind)
        url = op.url(_path_values(callers, op, kind))
        schema = op.body_schema()
        body = minimal_instance(schema, DOC) if schema is not None else None
        if op.operation_id in BODIES:
            body = BODIES[op.operation_id](callers, kind)
        r = callers.call(op.method, url, kind, body)
        got = _outcome(r.status_code)
        if expected == 404 and r.status_code == 404:
            got = 404
        if got != expected:
            mismatches.append(
                f"{op.operation_id} ({op.method} {url}) as {kind}: expected {expected}, "
                f"got {r.status_code} {r.get_data(as_text=True)[:200]}"
            )
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("kind", KINDS)
def test_every_operation_answers_each_caller_as_declared(callers: Callers, kind: str) -> None:
    _check_kind(callers, kind)


def test_task_functions_refuse_every_caller_but_the_queue(callers: Callers) -> None:
    manifest = load_manifest(REPO_ROOT / "functions" / "manifest.toml")
    wrong: list[str] = []
    for spec in manifest.functions:
        if spec.kind == "http":
            continue
        for kind in KINDS:
            if kind == "internal":
                continue
            r = callers.call("POST", f"/_fn/{spec.name}/", kind, {})
            if r.status_code not in (401, 403):
                wrong.append(f"{spec.name} as {kind}: {r.status_code}")
        # the queue's own token is let through (an empty body is then refused as invalid)
        r = callers.call("POST", f"/_fn/{spec.name}/", "internal", {})
        if r.status_code in (401, 403) or r.status_code >= 500:
            wrong.append(f"{spec.name} as internal: {r.status_code} {r.get_data(as_text=True)}")
    assert not wrong, wrong
