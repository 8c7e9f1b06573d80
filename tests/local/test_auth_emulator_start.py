"""The gateway starts the Auth emulator only when the emulator itself answers."""

from __future__ import annotations

import http.server
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

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


def test_the_configured_port_reaches_the_emulator_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A second instance on another port gets a config naming that port, not 9099."""
    import json

    monkeypatch.setenv("SYNTHORA_AUTH_EMULATOR_PORT", "9311")
    monkeypatch.setenv("SYNTHORA_DATA_DIR", str(tmp_path))
    reset_settings_cache()
    settings = get_settings()
    assert settings.data_dir == Path(str(tmp_path))
    config = json.loads(gateway.write_auth_emulator_config(settings).read_text())["emulators"]
    assert config["auth"] == {"host": "127.0.0.1", "port": 9311}
    assert config["hub"]["port"] not in (4400, 9311)
    assert config["logging"]["port"] not in (4500, 9311)
    assert gateway.auth_emulator_host_from_env({"SYNTHORA_AUTH_EMULATOR_PORT": "9311"}) == (
        "127.0.0.1:9311"
    )
    assert gateway.auth_emulator_host_from_env({}) == "127.0.0.1:9099"
    with pytest.raises(SystemExit, match="not a port"):
        gateway.auth_emulator_host_from_env({"SYNTHORA_AUTH_EMULATOR_PORT": "99999"})


def test_the_start_command_uses_the_instance_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The emulator is started with the instance's config and logs where its data lives."""
    monkeypatch.setenv("SYNTHORA_AUTH_EMULATOR_PORT", str(free_port()))
    monkeypatch.setenv("SYNTHORA_DATA_DIR", str(tmp_path))
    reset_settings_cache()
    settings = get_settings()
    calls: list[list[str]] = []

    class Exited:
        def __init__(self, cmd: list[str], **kwargs: object) -> None:
            calls.append(cmd)

        def poll(self) -> int:
            return 1

    monkeypatch.setattr(gateway, "_firebase_bin", lambda: Path(__file__))
    monkeypatch.setattr(gateway.subprocess, "Popen", Exited)
    with caplog.at_level(logging.INFO):
        assert gateway.start_auth_emulator(settings) is None
    cmd = calls[0]
    assert cmd[cmd.index("--config") + 1] == str(settings.data_dir / "auth-emulator.firebase.json")
    messages = [(r.getMessage(), getattr(r, "fields", {}).get("log")) for r in caplog.records]
    assert ("the Auth emulator exited", str(settings.data_dir / "auth-emulator.log")) in messages
