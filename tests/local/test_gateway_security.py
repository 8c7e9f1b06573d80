"""The local gateway's security: headers on every answer, JSON refusals, loopback only."""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.test import Client

from synthora.local.gateway import Gateway, is_loopback, main
from synthora.local.server import error_bytes
from synthora.manifest import get_manifest
from synthora.platform import get_platform
from synthora.settings import Settings
from tests.local.test_gateway import GatewayProcess


@pytest.fixture
def gateway_client(fixture_functions: Settings) -> Client:
    gateway = Gateway(
        settings=fixture_functions, manifest=get_manifest(fixture_functions.manifest_file)
    )
    return Client(gateway)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_the_web_app_is_served_under_a_policy_with_no_inline_script(
    gateway_client: Client,
) -> None:
    r = gateway_client.get("/videos/anything")
    csp = r.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in r.headers["Permissions-Policy"]


def test_the_auth_emulator_is_a_sign_in_origin_locally(
    fixture_functions: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synthora.settings import get_settings, reset_settings_cache

    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
    reset_settings_cache()
    settings = get_settings()
    client = Client(Gateway(settings=settings, manifest=get_manifest(settings.manifest_file)))
    csp = client.get("/").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["connect-src"].startswith("'self' http://127.0.0.1:9099 ")
    assert "'unsafe-inline'" not in directives["script-src"]


def test_gateway_api_answers_carry_the_api_headers(gateway_client: Client) -> None:
    for path in ("/api/v1/openapi.json", "/api/v1/nowhere", "/api/v1/echo/items"):
        r = gateway_client.get(path)
        assert r.headers["X-Content-Type-Options"] == "nosniff", path
        assert r.headers["Content-Security-Policy"].startswith("default-src 'none'"), path


def test_blobs_are_nosniff_and_an_unsatisfiable_range_is_a_json_416(
    gateway_client: Client,
) -> None:
    blobs = get_platform().blobs
    blobs.put_bytes("videos/u/v/out.mp4", b"0123456789", content_type="video/mp4")
    path = _path(blobs.signed_url("videos/u/v/out.mp4"))
    ok = gateway_client.get(path)
    assert ok.status_code == 200
    assert ok.headers["X-Content-Type-Options"] == "nosniff"
    r = gateway_client.get(path, headers={"Range": "bytes=500-600"})
    assert r.status_code == 416
    assert r.headers["Content-Type"] == "application/json"
    assert r.json["error"]["code"] == "range_not_satisfiable"
    assert r.json["error"]["details"] == {"size": 10}
    assert r.headers["Content-Range"] == "bytes */10"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_a_method_the_gateway_does_not_serve_is_a_json_405(gateway_client: Client) -> None:
    r = gateway_client.post("/")
    assert r.status_code == 405
    assert r.json["error"]["code"] == "method_not_allowed"
    assert "GET" in r.headers["Allow"]


def test_gunicorn_refusals_are_the_json_error_body() -> None:
    raw = error_bytes(431, "Request Header Fields Too Large", "Error parsing headers")
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 ")
    assert b"Content-Type: application/json" in head
    assert b"server:" not in head.lower()
    assert b'"code":"headers_too_large"' in body
    assert f"Content-Length: {len(body)}".encode() in head


@pytest.mark.slow
def test_the_running_gateway_names_no_server_and_answers_431_in_json(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    gw = GatewayProcess(data)
    gw.start()
    try:
        import httpx

        r = httpx.get(f"{gw.url}/api/v1/echo/items")
        assert r.status_code == 200
        assert "server" not in {k.lower() for k in r.headers}
        # a header line longer than gunicorn accepts (8190 bytes): refused before any app
        with socket.create_connection(("127.0.0.1", gw.port), timeout=10) as sock:
            sock.sendall(
                b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n"
            )
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.split(b" ")[1] in (b"400", b"431"), head
        assert b"application/json" in head
        assert b"server:" not in head.lower()
        assert b'"error"' in body
    finally:
        gw.stop()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("10.0.0.5", False),
    ],
)
def test_loopback_hosts_are_told_apart(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_gateway_refuses_to_listen_beyond_loopback_while_trusting_the_emulator(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
    assert main(["--host", "0.0.0.0", "--no-auth-emulator"]) == 2
    assert "loopback only" in capsys.readouterr().err
