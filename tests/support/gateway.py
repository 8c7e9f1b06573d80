"""The local gateway as a real process (the whole platform), for suites that call it over HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from synthora.settings import REPO_ROOT
from tests.conftest import free_port, wait_for_port


class GatewayProcess:
    """`python -m synthora.local.gateway` on a loopback port, with its own data folder.

    `auth_host` points it at a running Auth emulator (the test's), `background`
    runs its queue dispatcher and cron, `env` adds variables (fault injection).
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        auth_host: str | None = None,
        background: bool = True,
        manifest: Path | None = None,
        functions_dir: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.auth_host = auth_host
        self.background = background
        self.manifest = manifest
        self.functions_dir = functions_dir
        self.extra_env = env or {}
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir.parent / f"gateway-{self.port}.log"

    def start(self) -> None:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("SYNTHORA_") and k != "FIREBASE_AUTH_EMULATOR_HOST"
        }
        env.update(
            SYNTHORA_ENVIRONMENT="local",
            SYNTHORA_ENV_FILE="",
            SYNTHORA_DATA_DIR=str(self.data_dir),
            SYNTHORA_LOG_LEVEL="WARNING",
            PYTHONPATH=os.pathsep.join(
                [str(REPO_ROOT / "shared"), str(REPO_ROOT / "emulators")]
                + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
            ),
        )
        if self.manifest is not None:
            env["SYNTHORA_MANIFEST_FILE"] = str(self.manifest)
        if self.functions_dir is not None:
            env["SYNTHORA_FUNCTIONS_DIR"] = str(self.functions_dir)
        if self.auth_host:
            env["FIREBASE_AUTH_EMULATOR_HOST"] = self.auth_host
        env.update(self.extra_env)
        args = [sys.executable, "-m", "synthora.local.gateway", "--no-auth-emulator"]
        if not self.background:
            args.append("--no-background")
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [*args, "--port", str(self.port)],
                cwd=REPO_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1
        wait_for_port(self.port, timeout_s=90, proc=self.proc)
        # listening is not serving: wait until a worker answers
        for _ in range(300):
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=5).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            wait_for_port(self.port, timeout_s=5, proc=self.proc)
        raise RuntimeError(f"the gateway does not answer:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the whole process group: no clean shutdown, as a crash would be."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)

    def log_tail(self, lines: int = 60) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])
