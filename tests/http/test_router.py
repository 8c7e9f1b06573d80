"""The HTTP layer through functions-framework, as Cloud Run runs a function."""

from __future__ import annotations

from typing import Any

import flask
import pytest
from flask.testing import FlaskClient

from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.settings import Settings


@pytest.fixture
def client(fixture_functions: Settings) -> FlaskClient:
    spec = get_manifest(fixture_functions.manifest_file).function("echo")
    app = create_function_app(spec, fixture_functions.functions_dir)
    return app.test_client()


def _error(response: Any) -> dict[str, Any]:
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]  # type: ignore[no-any-return]


def test_typed_body_and_path_params(client: FlaskClient) -> None:
    r = client.post("/api/v1/echo/items/abc", json={"text": "hi", "times": 2, "mode": "shout"})
    assert r.status_code == 200
    assert r.get_json() == {"text": "HI HI", "item_id": "abc", "caller": None}
    assert "X-Cloud-Trace-Context" in r.headers


def test_trace_id_is_carried_from_the_request(client: FlaskClient) -> None:
    trace = "0123456789abcdef0123456789abcdef"
    r = client.post(
        "/api/v1/echo/items/a",
        json={"text": "x"},
        headers={"X-Cloud-Trace-Context": f"{trace}/1;o=1"},
    )
    assert r.headers["X-Cloud-Trace-Context"].startswith(trace)


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"data": "{not json", "content_type": "application/json"}, 400, "invalid_json"),
        ({"data": "[1, 2]", "content_type": "application/json"}, 422, "validation_failed"),
        ({"data": "text=hi", "content_type": "text/plain"}, 415, "unsupported_media_type"),
        ({"json": {"text": ""}}, 422, "validation_failed"),
        ({"json": {"text": "x" * 51}}, 422, "validation_failed"),
        ({"json": {"text": "hi", "times": 9}}, 422, "validation_failed"),
        ({"json": {"text": "hi", "mode": "whisper"}}, 422, "validation_failed"),
        ({"json": {"times": 1}}, 422, "validation_failed"),
    ],
)
def test_bad_bodies_get_a_4xx_with_the_error_body(
    client: FlaskClient, kwargs: dict[str, Any], status: int, code: str
) -> None:
    r = client.post("/api/v1/echo/items/abc", **kwargs)
    assert r.status_code == status
    assert _error(r)["code"] == code


def test_validation_details_name_the_field_and_the_bound(client: FlaskClient) -> None:
    r = client.post("/api/v1/echo/items/abc", json={"text": "hi", "times": 9})
    details = _error(r)["details"]
    assert details[0]["field"] == "body.times"
    assert details[0]["le"] == 5


def test_oversized_body_is_refused(client: FlaskClient) -> None:
    r = client.post(
        "/api/v1/echo/items/abc",
        data=b"{" + b" " * 1_100_000 + b"}",
        content_type="application/json",
    )
    assert r.status_code == 413
    assert _error(r)["code"] == "payload_too_large"


def test_unknown_route_and_wrong_method(client: FlaskClient) -> None:
    r = client.get("/api/v1/echo/nowhere/at/all")
    assert r.status_code == 404
    assert _error(r)["code"] == "route_not_found"
    r = client.delete("/api/v1/echo/items/abc")
    assert r.status_code == 405
    assert "POST" in r.headers["Allow"]


def test_static_segment_wins_over_a_parameter(client: FlaskClient) -> None:
    r = client.get("/api/v1/echo/items/stats")
    assert r.status_code == 200
    assert r.get_json()["text"] == "stats"


def test_api_errors_keep_their_status_and_details(client: FlaskClient) -> None:
    r = client.get("/api/v1/echo/conflict")
    assert r.status_code == 409
    assert _error(r) == {"code": "conflict", "message": "already there", "details": {"id": "x"}}


def test_a_bug_is_a_500_with_the_trace_id_and_no_internals(client: FlaskClient) -> None:
    r = client.get("/api/v1/echo/boom")
    assert r.status_code == 500
    err = _error(r)
    assert err["code"] == "internal"
    assert "a bug" not in err["message"]
    assert len(err["details"]["trace_id"]) == 32


def test_bad_query_params_are_422(client: FlaskClient) -> None:
    r = client.get("/api/v1/echo/items?limit=0")
    assert r.status_code == 422
    assert _error(r)["details"][0]["field"] == "query.limit"
    r = client.get("/api/v1/echo/items?parity=prime")
    assert r.status_code == 422


def test_signed_in_routes_refuse_anonymous_and_garbage_tokens(client: FlaskClient) -> None:
    r = client.get("/api/v1/echo/me")
    assert r.status_code == 401
    assert _error(r)["code"] == "unauthenticated"
    r = client.get("/api/v1/echo/me", headers={"Authorization": "Basic abc"})
    assert r.status_code == 401


def test_a_query_date_time_is_iso_text_not_a_number() -> None:
    """`format: date-time` in the schema: "0.5" is refused, not read as a Unix time."""
    from datetime import datetime

    from pydantic import BaseModel

    from synthora.errors import ValidationFailed
    from synthora.http import router as router_module

    class Range(BaseModel):
        start: datetime | None = None

    app = flask.Flask(__name__)
    with app.test_request_context("/?start=0.5"), pytest.raises(ValidationFailed) as refused:
        router_module._parse_query(Range, flask.request)
    assert refused.value.details == [
        {
            "field": "query.start",
            "message": "an ISO 8601 date-time, such as 2026-01-31T09:00:00Z",
            "type": "datetime_from_date_parsing",
        }
    ]
    with app.test_request_context("/?start=2026-01-31T09:00:00Z"):
        parsed = router_module._parse_query(Range, flask.request)
    assert parsed.start == datetime.fromisoformat("2026-01-31T09:00:00+00:00")


# --------------------------------------------------------------------------- token scopes


@pytest.mark.parametrize(
    ("route", "scope"),
    [
        ({"method": "GET", "auth": "user"}, "read"),
        ({"method": "GET", "auth": "owner", "write_scope": "posts"}, "read"),
        ({"method": "POST", "auth": "owner", "write_scope": "posts"}, "posts"),
        ({"method": "DELETE", "auth": "premium", "write_scope": "analytics"}, "analytics"),
        ({"method": "POST", "auth": "user"}, None),  # a write nothing covers
        ({"method": "GET", "auth": "admin", "declared": "read"}, "session"),  # admin: never
        (
            {"method": "POST", "auth": "user", "write_scope": "posts", "check_revoked": True},
            "session",
        ),
        ({"method": "GET", "auth": "user", "declared": "session"}, "session"),
        ({"method": "GET", "auth": "public"}, None),
        ({"method": "POST", "auth": "internal", "write_scope": "posts"}, None),
    ],
)
def test_a_routes_token_scope_is_derived_from_the_route(
    route: dict[str, Any], scope: str | None
) -> None:
    from synthora.http.router import token_scope_of

    assert token_scope_of(**route) == scope


def test_an_unknown_scope_name_fails_at_declaration() -> None:
    from synthora.http import Router

    with pytest.raises(ValueError, match="unknown token scope"):
        Router(group="g", prefix="/g", write_scope="videos")
    router = Router(group="g", prefix="/g")
    with pytest.raises(ValueError, match="unknown token scope"):
        router.get("", name="x", auth="user", token_scope="write")


def test_a_token_caller_needs_the_routes_scope_and_a_session_needs_none() -> None:
    from synthora.errors import Forbidden
    from synthora.http.router import require_token_scope
    from synthora.identity import Caller

    session = Caller(uid="u1")
    token = Caller(uid="u1", token_id="t" * 64, scopes=("read", "posts"))
    for scope in ("read", "posts", "session", None):
        require_token_scope(session, scope)
    require_token_scope(token, "read")
    require_token_scope(token, "posts")
    with pytest.raises(Forbidden) as exc:
        require_token_scope(token, "videos:create")
    assert exc.value.code == "insufficient_scope"
    assert exc.value.details == {"required": "videos:create", "granted": ["read", "posts"]}
    for scope in ("session", None):
        with pytest.raises(Forbidden) as exc:
            require_token_scope(token, scope)
        assert exc.value.code == "token_not_allowed"
