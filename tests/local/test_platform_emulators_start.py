"""The gateway starts the platform emulators as a process, only without real credentials."""

from __future__ import annotations

import http.server
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from synthora.local import gateway
from synthora.settings import Settings
from tests.conftest import free_port


def test_wanted_only_without_real_credentials_or_a_given_url() -> None:
    assert gateway.platform_emulators_wanted({})
    assert not gateway.platform_emulators_wanted({"SYNTHORA_GOOGLE_CLIENT_ID": "123.apps"})
    assert not gateway.platform_emulators_wanted({"SYNTHORA_STRIPE_SECRET_KEY": "sk_live_x"})
    assert not gateway.platform_emulators_wanted(
        {"SYNTHORA_PLATFORM_EMULATOR_URL": "http://127.0.0.1:9999"}
    )


def test_started_as_a_process_and_ready_on_health(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    port = free_port()
    proc = gateway.start_platform_emulators(settings, port)
    try:
        assert proc is not None and proc.poll() is None
        assert gateway.platform_emulators_answer(f"http://127.0.0.1:{port}")
        # A second start reuses the running one.
        assert gateway.start_platform_emulators(settings, port) is None
    finally:
        gateway.stop_process(proc)
    assert proc.poll() is not None


@pytest.fixture
def impostor() -> Iterator[int]:
    class NotFound(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), NotFound)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_port_taken_by_something_else_is_reported(
    impostor: int, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    with caplog.at_level(logging.INFO):
        assert gateway.start_platform_emulators(settings, impostor) is None
    assert not gateway.platform_emulators_answer(f"http://127.0.0.1:{impostor}")
    assert any("taken by something else" in r.getMessage() for r in caplog.records)
