"""Start and stop the emulator processes (Firestore, Cloud Tasks, Cloud Storage)."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from synthora.settings import REPO_ROOT
from tests.conftest import free_port, wait_for_port

EMULATORS_DIR = REPO_ROOT / "tests" / "emulators"
TASKS_VENV = REPO_ROOT / ".venv-tasks-emulator"
STORAGE_VENV = REPO_ROOT / ".venv-storage-emulator"
FIRESTORE_PACKAGE = EMULATORS_DIR / "node_modules" / "@firestore-emulator" / "server"
INSTALL_HINT = "run `bash tests/emulators/install.sh`"


@dataclass
class Emulator:
    name: str
    port: int
    proc: subprocess.Popen[bytes]
    log_path: Path
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def _start(name: str, argv: list[str], *, port: int, workdir: Path, cwd: Path) -> Emulator:
    workdir.mkdir(parents=True, exist_ok=True)
    log_path = workdir / f"{name}.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONUNBUFFERED": "1"},
        )
    emulator = Emulator(name, port, proc, log_path)
    try:
        wait_for_port(port, timeout_s=60, proc=proc)
    except (RuntimeError, TimeoutError) as exc:
        emulator.stop()
        raise RuntimeError(f"{name} emulator did not start: {exc}\n{emulator.log()}") from exc
    return emulator


def _require(path: Path, what: str) -> None:
    if not path.exists():
        pytest.fail(f"{what} is not installed ({path} missing): {INSTALL_HINT}", pytrace=False)


def start_tasks_emulator(workdir: Path) -> Emulator:
    """gcloud-tasks-emulator 0.6.2 from its own venv, on 127.0.0.1."""
    python = TASKS_VENV / "bin" / "python"
    _require(python, "gcloud-tasks-emulator (.venv-tasks-emulator)")
    port = free_port()
    argv = [str(python), str(EMULATORS_DIR / "tasks_emulator.py"), str(port)]
    return _start("cloud-tasks", argv, port=port, workdir=workdir, cwd=workdir)


def start_storage_emulator(workdir: Path) -> Emulator:
    """gcp-storage-emulator, in memory, on 127.0.0.1."""
    binary = STORAGE_VENV / "bin" / "gcp-storage-emulator"
    _require(binary, "gcp-storage-emulator (.venv-storage-emulator)")
    port = free_port()
    argv = [str(binary), "start", "--host", "127.0.0.1", "--port", str(port), "--in-memory"]
    return _start("cloud-storage", argv, port=port, workdir=workdir, cwd=workdir)


def start_firestore_emulator(workdir: Path) -> Emulator:
    """npm @firestore-emulator/server 0.3.15, bound to 127.0.0.1 by our launcher."""
    _require(FIRESTORE_PACKAGE, "@firestore-emulator/server (tests/emulators/node_modules)")
    port = free_port()
    argv = ["node", str(EMULATORS_DIR / "firestore_emulator.js"), str(port)]
    return _start("firestore", argv, port=port, workdir=workdir, cwd=EMULATORS_DIR)


# --------------------------------------------------------------------------- shared instances

_shared: dict[str, Emulator] = {}
_shared_lock = threading.Lock()


def shared_emulator(name: str, tmp_root: Path | None = None) -> Emulator:
    """The emulator of this kind for this test process, started on first use.

    Session fixtures and the contract suites' factory registries (plain callables
    that cannot request fixtures) share it; it is stopped by `stop_shared` at the
    end of the session, or at interpreter exit at the latest.
    """
    starters = {
        "cloud-storage": start_storage_emulator,
        "firestore": start_firestore_emulator,
        "cloud-tasks": start_tasks_emulator,
    }
    with _shared_lock:
        emulator = _shared.get(name)
        if emulator is None or emulator.proc.poll() is not None:
            workdir = Path(tempfile.mkdtemp(prefix=f"synthora-{name}-", dir=tmp_root))
            emulator = starters[name](workdir)
            _shared[name] = emulator
            atexit.register(_stop_and_clean, emulator)
        return emulator


def _stop_and_clean(emulator: Emulator) -> None:
    emulator.stop()
    shutil.rmtree(emulator.log_path.parent, ignore_errors=True)


def stop_shared(name: str | None = None) -> None:
    """Stop the shared emulator `name` (every one when None) and remove its folder."""
    with _shared_lock:
        for kind in [name] if name else list(_shared):
            emulator = _shared.pop(kind, None)
            if emulator is not None:
                _stop_and_clean(emulator)
