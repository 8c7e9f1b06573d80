"""Hostile input at the router: nesting bombs, oversized and reserved ids, forged cursors,
spoofed addresses, floods; and the security headers on every answer."""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient

from synthora.http import rate_limits
from synthora.http.pagination import encode_cursor
from synthora.http.router import MAX_JSON_DEPTH, TOKEN_RATE_LIMIT, json_depth
from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform
from synthora.settings import Settings
from tests.support.calls import error


@pytest.fixture
def client(fixture_functions: Settings, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    rate_limits.clear_memory()
    monkeypatch.setattr(rate_limits, "clock", lambda: 1_800_000_010.0)  # 10 s into a window
    spec = get_manifest(fixture_functions.manifest_file).function("echo")
    app = create_function_app(spec, fixture_functions.functions_dir)
    return app.test_client()


# --------------------------------------------------------------------------- bodies


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_a_thousand_levels_of_nesting_is_a_400_not_a_500(client: FlaskClient, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    body = opener * 1000 + "1" + closer * 1000
    assert len(body) < 8_000
    r = client.post("/api/v1/echo/items/abc", data=body, content_type="application/json")
    assert r.status_code == 400
    err = error(r)
    assert err["code"] == "invalid_json"
    assert err["details"] == {"max_depth": MAX_JSON_DEPTH}


def test_nesting_up_to_the_bound_is_parsed_as_usual(client: FlaskClient) -> None:
    nested: Any = "x"
    for _ in range(MAX_JSON_DEPTH - 1):
        nested = [nested]
    r = client.post("/api/v1/echo/items/abc", json={"text": "hi", "extra": nested})
    assert r.status_code == 200, r.get_json()


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    assert json_depth(b'{"text": "[[[[[[[[[[{{{{{{ \\" [[["}') == 1
    assert json_depth(b'{"a": "\\\\", "b": [[1]]}') == 3  # an escaped backslash ends nothing
    assert json_depth(b'[[1], {"a": [2]}]') == 3
    assert json_depth(b"") == 0
    assert json_depth(b"[" * 100, stop_above=5) == 6


def test_measuring_nesting_is_linear_even_for_pathological_strings() -> None:
    """A regex over strings took 25 s for 16 KB of escaped quotes; one pass takes milliseconds."""
    import time

    for body in (b'"' + b'\\"' * 100_000, b'"a' * 100_000, b"[" * 200_000):
        started = time.perf_counter()
        json_depth(body)
        assert time.perf_counter() - started < 5.0  # quadratic: hours for these
    started = time.perf_counter()
    assert json_depth(b"[" * 1_000_000, stop_above=32) == 33
    assert time.perf_counter() - started < 0.5


def test_a_body_without_a_length_is_cut_at_the_limit(client: FlaskClient) -> None:
    """A chunked body (no Content-Length) is read only up to the route's limit."""

    class Unsized(io.RawIOBase):
        """3 MB that can only be read forward (no length to look at)."""

        left = 3_000_000

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            n = min(len(buffer), self.left)
            buffer[:n] = b"x" * n
            self.left -= n
            return n

    from werkzeug.test import EnvironBuilder, run_wsgi_app

    stream = Unsized()
    environ = EnvironBuilder(
        path="/api/v1/echo/items/abc", method="POST", content_type="application/json"
    ).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"wsgi.input": stream, "wsgi.input_terminated": True})
    app_iter, status, _headers = run_wsgi_app(client.application, environ)
    body = json.loads(b"".join(app_iter))
    assert status.startswith("413")
    assert body["error"]["code"] == "payload_too_large"


# --------------------------------------------------------------------------- ids in the path


@pytest.mark.parametrize("bad", ["__x__", "__name__", "%2E", "%2E%2E", "x" * 129])
def test_a_path_id_that_cannot_name_a_document_is_a_404_before_any_work(
    client: FlaskClient, bad: str
) -> None:
    r = client.post(f"/api/v1/echo/items/{bad}", json={"text": "hi"})
    assert r.status_code == 404, r.get_json()
    err = error(r)
    assert err["code"] == "not_found"
    assert err["details"] == {"parameter": "item_id"}


def test_a_router_refuses_ids_that_are_not_path_parameters() -> None:
    from synthora.http import Router

    router = Router(group="t", prefix="/t")
    with pytest.raises(ValueError, match="not path parameters"):
        router.get("/{thing}", name="x", ids=("other_id",))(lambda ctx, thing: None)


def test_a_route_with_an_unknown_rate_limit_policy_fails_at_declaration() -> None:
    from synthora.http import Router

    router = Router(group="t", prefix="/t")
    with pytest.raises(ValueError, match="unknown rate-limit policy"):
        router.get("/x", name="x", rate_limit="nope")(lambda ctx: None)


# --------------------------------------------------------------------------- cursors


def _forge(values: list[Any], doc_id: Any) -> str:
    raw = json.dumps([values, doc_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        _forge([{"$t": "2026-01-01T00:00:00"}], "a"),  # no time zone, unsigned
        _forge([1], ""),  # empty id
        _forge([1], {"nested": "id"}),
        _forge([[1, [2]]], "a"),
        "garbage",
        "",
        "....",
    ],
)
def test_hand_made_cursors_are_400_invalid_cursor(client: FlaskClient, cursor: str) -> None:
    r = client.get("/api/v1/echo/items", query_string={"cursor": cursor} if cursor else {})
    if not cursor:
        assert r.status_code == 200
        return
    assert r.status_code == 400, r.get_json()
    assert error(r)["code"] == "invalid_cursor"


def test_a_cursor_altered_after_signing_is_refused(client: FlaskClient) -> None:
    items = get_platform().documents.collection("echo_items")
    for n in range(5):
        items.document(f"i{n}").set({"n": n, "parity": "even" if n % 2 == 0 else "odd"})
    first = client.get("/api/v1/echo/items?limit=2").get_json()
    cursor = first["next_cursor"]
    assert client.get(f"/api/v1/echo/items?limit=2&cursor={cursor}").status_code == 200
    _body, _, sig = cursor.partition(".")
    tampered = _forge([0], "i0") + "." + sig
    r = client.get(f"/api/v1/echo/items?limit=2&cursor={tampered}")
    assert r.status_code == 400
    assert error(r)["code"] == "invalid_cursor"


def test_signed_cursors_carry_timestamps_and_refuse_naive_ones() -> None:
    from synthora.http.pagination import decode_cursor

    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    values, doc_id = decode_cursor(encode_cursor([when, "x"], "doc1"), expected_values=2)
    assert values == [when, "x"] and doc_id == "doc1"
    naive = encode_cursor([datetime(2026, 1, 2)], "doc1")  # signed, but not what we issue
    with pytest.raises(Exception, match="cursor is not valid"):
        decode_cursor(naive, expected_values=1)


# --------------------------------------------------------------------------- client address


def test_locally_the_socket_address_is_used_and_forwarded_for_ignored(
    client: FlaskClient,
) -> None:
    r = client.get(
        "/api/v1/echo/address",
        headers={"X-Forwarded-For": "203.0.113.66"},
        environ_base={"REMOTE_ADDR": "192.0.2.10"},
    )
    assert r.get_json()["text"] == "192.0.2.10"


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (1, "203.0.113.66, 198.51.100.7", "198.51.100.7"),  # the entry our proxy appended
        (2, "203.0.113.66, 198.51.100.7, 10.1.2.3", "198.51.100.7"),
        (2, "198.51.100.7", "198.51.100.7"),  # shorter than configured: nearest we have
        (1, "", "192.0.2.10"),
    ],
)
def test_behind_proxies_the_address_they_appended_is_used(
    fixture_functions: Settings,
    monkeypatch: pytest.MonkeyPatch,
    hops: int,
    forwarded: str,
    expected: str,
) -> None:
    from synthora.settings import reset_settings_cache

    monkeypatch.setenv("SYNTHORA_TRUSTED_PROXY_HOPS", str(hops))
    reset_settings_cache()
    spec = get_manifest(fixture_functions.manifest_file).function("echo")
    client = create_function_app(spec, fixture_functions.functions_dir).test_client()
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    r = client.get(
        "/api/v1/echo/address", headers=headers, environ_base={"REMOTE_ADDR": "192.0.2.10"}
    )
    assert r.get_json()["text"] == expected


# --------------------------------------------------------------------------- rate limits


def test_a_flood_from_one_address_gets_429_with_retry_after(client: FlaskClient) -> None:
    policy = rate_limits.get_policy("sign_in")
    per_address = next(lim for lim in policy.limits if lim.per == "address")
    env = {"REMOTE_ADDR": "192.0.2.44"}
    for _ in range(per_address.requests):
        assert client.post("/api/v1/echo/limited", environ_base=env).status_code == 200
    r = client.post("/api/v1/echo/limited", environ_base=env)
    assert r.status_code == 429
    err = error(r)
    assert err["code"] == "rate_limited"
    assert err["details"]["policy"] == "sign_in" and err["details"]["per"] == "address"
    assert r.headers["Retry-After"] == "50"  # the window ends 50 s after the pinned clock
    # another address is not affected
    other = client.post("/api/v1/echo/limited", environ_base={"REMOTE_ADDR": "192.0.2.45"})
    assert other.status_code == 200


def test_rate_limits_can_be_turned_off_for_local_load_runs_only(
    fixture_functions: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synthora.settings import ConfigurationError, get_settings, reset_settings_cache

    monkeypatch.setenv("SYNTHORA_RATE_LIMITS", "off")
    reset_settings_cache()
    spec = get_manifest(fixture_functions.manifest_file).function("echo")
    client = create_function_app(spec, fixture_functions.functions_dir).test_client()
    limit = next(lim for lim in rate_limits.get_policy("sign_in").limits if lim.per == "address")
    for _ in range(limit.requests + 5):
        assert client.post("/api/v1/echo/limited").status_code == 200
    monkeypatch.setenv("SYNTHORA_ENVIRONMENT", "production")
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "synthora-prod")
    monkeypatch.setenv("SYNTHORA_MASTER_KEYS", "p1:" + "A" * 43 + "=")
    monkeypatch.delenv("FIREBASE_AUTH_EMULATOR_HOST", raising=False)
    reset_settings_cache()
    with pytest.raises(ConfigurationError, match="SYNTHORA_RATE_LIMITS"):
        get_settings()


def test_counters_are_shared_through_the_document_store(client: FlaskClient) -> None:
    """Another instance (no memory of its own) sees the same counts."""
    policy = rate_limits.get_policy("sign_in")
    per_address = next(lim for lim in policy.limits if lim.per == "address")
    env = {"REMOTE_ADDR": "192.0.2.50"}
    for _ in range(per_address.requests):
        client.post("/api/v1/echo/limited", environ_base=env)
    rate_limits.clear_memory()  # as if the next request reached a fresh instance
    assert client.post("/api/v1/echo/limited", environ_base=env).status_code == 429
    counters = get_platform().documents.collection("rate_limits").get()
    assert counters and all(c.get("expires_at") is not None for c in counters)


def test_once_over_the_limit_refusals_cost_no_store_operations() -> None:
    store = get_platform().documents
    calls = {"n": 0}
    original = store.collection

    def counting(path: str) -> Any:
        calls["n"] += 1
        return original(path)

    store.collection = counting  # type: ignore[method-assign]
    limit = next(lim for lim in rate_limits.get_policy("key_reveal").limits if lim.per == "user")
    now = 1_000_000.0
    for _ in range(limit.requests):
        rate_limits.enforce(
            documents=store, policy_name="key_reveal", per="user", subject="u", now=now
        )
    with pytest.raises(rate_limits.RateLimited):
        rate_limits.enforce(
            documents=store, policy_name="key_reveal", per="user", subject="u", now=now
        )
    before = calls["n"]
    for _ in range(50):
        with pytest.raises(rate_limits.RateLimited):
            rate_limits.enforce(
                documents=store, policy_name="key_reveal", per="user", subject="u", now=now + 1
            )
    assert calls["n"] == before
    # the next window starts afresh
    rate_limits.enforce(
        documents=store, policy_name="key_reveal", per="user", subject="u", now=now + limit.window_s
    )


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/echo/items"),
        ("GET", "/api/v1/echo/boom"),
        ("DELETE", "/api/v1/echo/items/a"),
    ],
)
def test_every_api_answer_carries_the_security_headers(
    client: FlaskClient, method: str, path: str
) -> None:
    r = client.open(path, method=method)
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["Referrer-Policy"] == "no-referrer"


def test_finished_windows_are_deleted_by_the_daily_cleanup() -> None:
    from datetime import timedelta

    from synthora.services.cleanup import CleanupTask, registered_targets, run_cleanup_batch

    assert "rate_limits" in registered_targets()
    platform = get_platform()
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    rate_limits.enforce(
        documents=platform.documents,
        policy_name="generation",
        per="user",
        subject="u1",
        now=now.timestamp(),
    )
    assert len(platform.documents.collection("rate_limits").get()) == 1
    task = CleanupTask(target="rate_limits", run_id="20260302", now=now + timedelta(days=1))
    result = run_cleanup_batch(platform=platform, task=task)
    assert result.records_deleted == 1
    assert platform.documents.collection("rate_limits").get() == []


#: The sensitive routes of issue 18 and the policy each must declare (one table, read by
#: the router): sign-in, key reveal, starting a generation, connecting an account, checkout.
SENSITIVE_ROUTES = {
    ("POST", "/api/v1/auth/login"): "sign_in",
    ("POST", "/api/v1/integrations/{integration_id}/reveal"): "key_reveal",
    ("POST", "/api/v1/videos"): "generation",
    ("POST", "/api/v1/integrations"): "connect_account",
    ("POST", "/api/v1/social-accounts/connect/{platform}"): "connect_account",
    ("POST", "/api/v1/subscriptions/checkout"): "checkout",
    ("POST", "/api/v1/tokens"): "create_token",
}


def test_the_sensitive_routes_are_rate_limited_and_every_policy_is_used() -> None:
    from synthora.local.functions import load_routers
    from synthora.manifest import load_manifest
    from synthora.settings import REPO_ROOT

    manifest = load_manifest(REPO_ROOT / "functions" / "manifest.toml")
    declared = {
        (route.method, route.path): route.rate_limit
        for router in load_routers(manifest, REPO_ROOT / "functions")
        for route in router.routes
    }
    for key, policy in SENSITIVE_ROUTES.items():
        assert key in declared, f"no route {key}"
        assert declared[key] == policy, f"{key} declares {declared[key]!r}, not {policy!r}"
    # the router counts `personal_token` itself, for every request made with a personal token
    applied_by_router = {TOKEN_RATE_LIMIT}
    unused = set(rate_limits.POLICIES) - set(declared.values()) - applied_by_router
    assert not unused, f"policies no route declares: {unused}"


def test_a_path_the_framework_cannot_route_gets_the_error_body() -> None:
    """functions-framework's catch-all rule does not match a newline (`%0A`): Flask refuses it
    before the router runs, and that refusal is the standard JSON error too (schemathesis)."""
    from werkzeug.test import Client

    from synthora.local.functions import create_function_app
    from synthora.manifest import load_manifest
    from synthora.settings import REPO_ROOT

    manifest = load_manifest(REPO_ROOT / "functions" / "manifest.toml")
    spec = next(s for s in manifest.functions if s.name == "social_accounts")
    client = Client(create_function_app(spec, REPO_ROOT / "functions"))
    r = client.get("/api/v1/social-accounts/%0A")
    assert r.status_code == 404
    assert r.headers["Content-Type"] == "application/json"
    assert r.get_json()["error"]["code"] == "route_not_found"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
