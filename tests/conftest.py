"""Shared fixtures: an isolated local platform per test, emulators per session."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import warnings
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


# Servers the tests start listen on ports handed out here, never on ports the
# kernel picks: a kernel-picked port is also what it hands the next client
# socket or another xdist worker, and a server started a second later can find
# it taken (CI once lost the Auth emulator that way). Each worker owns its own
# block below the ephemeral range (Linux: 32768-60999), and never reuses a port.
_PORT_BLOCK = 1500
_PORT_BASE = 17000
_ports_handed_out: set[int] = set()


def _worker_index() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0


def free_port() -> int:
    """A loopback port nothing listens on, unique to this worker and this session."""
    block_start = _PORT_BASE + _worker_index() * _PORT_BLOCK
    start = (os.getpid() * 7) % _PORT_BLOCK  # two suites at once start apart
    for offset in range(_PORT_BLOCK):
        port = block_start + (start + offset) % _PORT_BLOCK
        if port in _ports_handed_out:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _ports_handed_out.add(port)
        return port
    raise RuntimeError(f"no free loopback port left in this worker's block of {_PORT_BLOCK}")


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
    """One Firebase Auth emulator (firebase-tools) per test worker, restarted if it dies."""

    project = "demo-synthora"

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None
        self.host = ""
        self.starts = 0

    @property
    def base(self) -> str:
        return f"http://{self.host}"

    def start(self) -> None:
        reuse = os.environ.get("SYNTHORA_TEST_AUTH_EMULATOR")
        if reuse:  # an emulator you keep running between runs (it starts slowly on a busy box)
            self.host = reuse
            if not self.answers():
                pytest.fail(f"SYNTHORA_TEST_AUTH_EMULATOR={reuse}: no Auth emulator answers there")
            os.environ["_SYNTHORA_TEST_AUTH_HOST"] = self.host
            return
        binary = REPO_ROOT / "tools" / "node_modules" / ".bin" / "firebase"
        if not binary.exists():
            pytest.fail("firebase-tools is missing: run `make install` (tests need the emulator)")
        port = free_port()
        config = self.workdir / "firebase.json"
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
        # Its own HOME and TMPDIR: firebase-tools keeps a hub locator per project
        # in the temp folder, shared by every instance that uses the same one.
        env = {**os.environ, "TMPDIR": str(self.workdir)}
        if os.environ.get("CI"):
            env["HOME"] = str(self.workdir)
        self.starts += 1
        log = (self.workdir / "emulator.log").open("ab")
        self.proc = subprocess.Popen(
            [
                *(str(binary), "emulators:start", "--only", "auth"),
                *("--project", self.project, "--config", str(config)),
            ],
            cwd=self.workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
        )
        log.close()
        self.host = f"127.0.0.1:{port}"
        wait_for_port(port, timeout_s=240, proc=self.proc)
        # The port answering is not enough: it must be this emulator that answers.
        deadline = time.monotonic() + 30
        while not self.answers():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Auth emulator did not come up:\n{self.log_tail()}")
            time.sleep(0.2)
        os.environ["_SYNTHORA_TEST_AUTH_HOST"] = self.host

    def answers(self) -> bool:
        from synthora.local.gateway import emulator_answers

        return emulator_answers(self.host, self.project)

    def ensure_running(self) -> None:
        """Restart the emulator if it died since the last test (its users are wiped anyway)."""
        if self.proc is not None and self.proc.poll() is None and self.answers():
            return
        if self.proc is None and self.host:  # reused (SYNTHORA_TEST_AUTH_EMULATOR), not ours
            return
        if self.starts >= 3:
            pytest.fail(f"the Auth emulator keeps dying:\n{self.log_tail()}")
        tail = self.log_tail()
        warnings.warn(f"restarting the Auth emulator, which stopped:\n{tail}", stacklevel=1)
        self.stop()
        self.start()

    def stop(self) -> None:
        os.environ.pop("_SYNTHORA_TEST_AUTH_HOST", None)
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def log_tail(self, lines: int = 40) -> str:
        path = self.workdir / "emulator.log"
        text = path.read_text(errors="replace") if path.exists() else "(no log)"
        return "\n".join(text.splitlines()[-lines:])

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
    """The Firebase Auth emulator from firebase-tools, on a loopback port of this worker's."""
    workdir = tmp_path_factory.mktemp("auth-emulator")
    emulator = AuthEmulator(workdir)
    try:
        emulator.start()
        yield emulator
    finally:
        emulator.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def auth(auth_emulator: AuthEmulator, monkeypatch: pytest.MonkeyPatch) -> AuthEmulator:
    """The emulator wired into settings for this test, with no users left from others."""
    auth_emulator.ensure_running()
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", auth_emulator.host)
    reset_settings_cache()
    set_platform(None)
    auth_emulator.wipe()
    return auth_emulator


# --------------------------------------------------------------------------- platform emulators


class PlatformEmulators:
    """The platform emulators (YouTube, TikTok, Meta, Stripe) in one process per worker."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def base(self, prefix: str) -> str:
        """The base URL a client uses for one platform, e.g. base("tiktok")."""
        return f"{self.url}/{prefix}"

    def start(self) -> None:
        import sys

        self.port = free_port()
        env = {
            **os.environ,
            "SYNTHORA_EMULATOR_PORT": str(self.port),
            "PYTHONPATH": os.pathsep.join(
                [str(REPO_ROOT / "emulators"), str(REPO_ROOT / "shared")]
                + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
            ),
        }
        log = (self.workdir / "platform-emulators.log").open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "synthora_emulators"],
            cwd=self.workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
        )
        log.close()
        deadline = time.monotonic() + 30
        while not self.answers():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the platform emulators did not come up:\n{self.log_tail()}")
            time.sleep(0.1)

    def answers(self) -> bool:
        try:
            r = httpx.get(f"{self.url}/_emulator/health", timeout=1)
        except httpx.HTTPError:
            return False
        return r.status_code == 200 and r.json().get("service") == "synthora-emulators"

    def ensure_running(self) -> None:
        if self.proc is not None and self.proc.poll() is None and self.answers():
            return
        self.stop()
        self.start()

    def reset(self) -> None:
        httpx.post(f"{self.url}/_emulator/reset", timeout=10).raise_for_status()

    def control(self, path: str, body: dict[str, object] | None = None) -> dict[str, object]:
        r = httpx.post(f"{self.url}/_emulator/{path}", json=body or {}, timeout=10)
        r.raise_for_status()
        return dict(r.json())

    def inspect(self, prefix: str) -> dict[str, object]:
        r = httpx.get(f"{self.url}/_emulator/{prefix}", timeout=10)
        r.raise_for_status()
        return dict(r.json())

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def log_tail(self, lines: int = 40) -> str:
        path = self.workdir / "platform-emulators.log"
        text = path.read_text(errors="replace") if path.exists() else "(no log)"
        return "\n".join(text.splitlines()[-lines:])


@pytest.fixture(scope="session")
def platform_emulators_process(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[PlatformEmulators]:
    workdir = tmp_path_factory.mktemp("platform-emulators")
    emulators = PlatformEmulators(workdir)
    try:
        emulators.start()
        yield emulators
    finally:
        emulators.stop()


@pytest.fixture
def platform_emulators(
    platform_emulators_process: PlatformEmulators, monkeypatch: pytest.MonkeyPatch
) -> PlatformEmulators:
    """The emulators, reset, with every platform client's base URL pointed at them."""
    platform_emulators_process.ensure_running()
    platform_emulators_process.reset()
    monkeypatch.setenv("SYNTHORA_PLATFORM_EMULATOR_URL", platform_emulators_process.url)
    reset_settings_cache()
    set_platform(None)
    return platform_emulators_process


@pytest.fixture(scope="session")
def mp4(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A 4 s 720x1280 30 fps H.264/AAC MP4 (a real file for every platform's rules)."""
    out = tmp_path_factory.mktemp("mp4") / "clip.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=720x1280:rate=30",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=44100",
            "-t",
            "4",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            str(out),
        ],
        check=True,
    )
    return out.read_bytes()
