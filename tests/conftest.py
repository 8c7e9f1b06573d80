"""Shared fixtures: an isolated local platform per test, emulators per session."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from synthora.platform import Platform, get_platform, set_platform
from synthora.settings import REPO_ROOT, Settings, get_settings, reset_settings_cache

FIXTURE_FUNCTIONS = REPO_ROOT / "tests" / "fixtures" / "functions"

_CLOUD_VARS = (
    "GOOGLE_CLOUD_PROJECT",
    "SYNTHORA_PROJECT",
    "FIRESTORE_EMULATOR_HOST",
    "STORAGE_EMULATOR_HOST",
    "CLOUD_TASKS_EMULATOR_HOST",
    "FIREBASE_AUTH_EMULATOR_HOST",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(
    port: int, *, timeout_s: float = 60, proc: subprocess.Popen[bytes] | None = None
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening")
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on {port} within {timeout_s} s")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Every test gets its own data folder and no cloud configuration."""
    for var in _CLOUD_VARS:
        monkeypatch.delenv(var, raising=False)
    for var in list(os.environ):
        if var.startswith("SYNTHORA_"):
            monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SYNTHORA_ENV_FILE", "")
    monkeypatch.setenv("SYNTHORA_ENVIRONMENT", "test")
    monkeypatch.setenv("SYNTHORA_DATA_DIR", str(tmp_path / "data"))
    auth_host = os.environ.get("_SYNTHORA_TEST_AUTH_HOST")
    if auth_host:
        monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", auth_host)
    reset_settings_cache()
    set_platform(None)
    yield
    set_platform(None)
    reset_settings_cache()


@pytest.fixture
def settings() -> Settings:
    return get_settings()


@pytest.fixture
def platform() -> Platform:
    return get_platform()


@pytest.fixture
def fixture_functions(monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Point settings at the test manifest (echo, probe_task, probe_cron)."""
    monkeypatch.setenv("SYNTHORA_MANIFEST_FILE", str(FIXTURE_FUNCTIONS / "manifest.toml"))
    monkeypatch.setenv("SYNTHORA_FUNCTIONS_DIR", str(FIXTURE_FUNCTIONS))
    reset_settings_cache()
    set_platform(None)
    return get_settings()


# --------------------------------------------------------------------------- auth emulator


class AuthEmulator:
    def __init__(self, host: str, project: str) -> None:
        self.host = host
        self.project = project

    @property
    def base(self) -> str:
        return f"http://{self.host}"

    def sign_up(self, email: str, password: str = "secret-pass-1", name: str | None = None) -> str:
        """Create a user and return a fresh ID token."""
        r = httpx.post(
            f"{self.base}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=any",
            json={"email": email, "password": password, "returnSecureToken": True},
        )
        if r.status_code == 400 and "EMAIL_EXISTS" in r.text:
            return self.sign_in(email, password)
        r.raise_for_status()
        token = str(r.json()["idToken"])
        if name:
            httpx.post(
                f"{self.base}/identitytoolkit.googleapis.com/v1/accounts:update?key=any",
                json={"idToken": token, "displayName": name, "returnSecureToken": True},
            ).raise_for_status()
            return self.sign_in(email, password)
        return token

    def sign_in(self, email: str, password: str = "secret-pass-1") -> str:
        r = httpx.post(
            f"{self.base}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=any",
            json={"email": email, "password": password, "returnSecureToken": True},
        )
        r.raise_for_status()
        return str(r.json()["idToken"])

    def wipe(self) -> None:
        httpx.delete(f"{self.base}/emulator/v1/projects/{self.project}/accounts").raise_for_status()


@pytest.fixture(scope="session")
def auth_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuthEmulator]:
    """The Firebase Auth emulator from firebase-tools, on a free loopback port."""
    binary = REPO_ROOT / "tools" / "node_modules" / ".bin" / "firebase"
    if not binary.exists():
        pytest.fail("firebase-tools is missing: run `make install` (tests need the Auth emulator)")
    port = free_port()
    workdir = tmp_path_factory.mktemp("auth-emulator")
    config = workdir / "firebase.json"
    config.write_text(
        json.dumps(
            {
                "emulators": {
                    "auth": {"host": "127.0.0.1", "port": port},
                    "ui": {"enabled": False},
                    "hub": {"host": "127.0.0.1", "port": free_port()},
                    "logging": {"host": "127.0.0.1", "port": free_port()},
                    "singleProjectMode": True,
                }
            }
        )
    )
    project = "demo-synthora"
    log = (workdir / "emulator.log").open("wb")
    proc = subprocess.Popen(
        [
            str(binary),
            "emulators:start",
            "--only",
            "auth",
            "--project",
            project,
            "--config",
            str(config),
        ],
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "HOME": str(workdir)} if os.environ.get("CI") else None,
    )
    try:
        wait_for_port(port, timeout_s=90, proc=proc)
        host = f"127.0.0.1:{port}"
        os.environ["_SYNTHORA_TEST_AUTH_HOST"] = host
        yield AuthEmulator(host, project)
    finally:
        os.environ.pop("_SYNTHORA_TEST_AUTH_HOST", None)
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def auth(auth_emulator: AuthEmulator, monkeypatch: pytest.MonkeyPatch) -> AuthEmulator:
    """The emulator wired into settings for this test, with no users left from others."""
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", auth_emulator.host)
    reset_settings_cache()
    set_platform(None)
    auth_emulator.wipe()
    return auth_emulator
