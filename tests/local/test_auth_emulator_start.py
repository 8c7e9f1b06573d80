"""The gateway starts the Auth emulator only when the emulator itself answers."""

from __future__ import annotations

import http.server
import logging
import threading
from collections.abc import Iterator

import pytest

from synthora.local import gateway
from synthora.settings import get_settings, reset_settings_cache
from tests.conftest import AuthEmulator, free_port


@pytest.fixture
def impostor() -> Iterator[int]:
    """Something else listening: a plain HTTP server that answers 404 to everything."""

    class NotFound(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), NotFound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_the_emulator_is_told_apart_from_anything_else_on_a_port(
    auth: AuthEmulator, impostor: int
) -> None:
    assert gateway.emulator_answers(auth.host, auth.project)
    assert not gateway.emulator_answers(f"127.0.0.1:{impostor}", auth.project)
    assert not gateway.emulator_answers(f"127.0.0.1:{free_port()}", auth.project)  # nothing


def test_a_port_taken_by_something_else_is_reported_and_nothing_is_started(
    impostor: int, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SYNTHORA_AUTH_EMULATOR_PORT", str(impostor))
    reset_settings_cache()
    started: list[object] = []
    monkeypatch.setattr(gateway.subprocess, "Popen", lambda *a, **k: started.append(a))
    with caplog.at_level(logging.INFO):
        assert gateway.start_auth_emulator(get_settings()) is None
    assert started == []
    assert any("taken by something else" in r.getMessage() for r in caplog.records)


def test_a_running_emulator_is_reused(
    auth: AuthEmulator, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SYNTHORA_AUTH_EMULATOR_PORT", auth.host.rsplit(":", 1)[1])
    assert get_settings().project_id == auth.project
    reset_settings_cache()
    started: list[object] = []
    monkeypatch.setattr(gateway.subprocess, "Popen", lambda *a, **k: started.append(a))
    with caplog.at_level(logging.INFO):
        assert gateway.start_auth_emulator(get_settings()) is None
    assert started == []
    assert any("reusing it" in r.getMessage() for r in caplog.records)
