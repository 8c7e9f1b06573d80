"""Run gcloud-tasks-emulator bound to 127.0.0.1 (upstream binds [::]).

Runs under `.venv-tasks-emulator` (gcloud-tasks-emulator pins protobuf<5, so it
cannot share the project venv): `python tasks_emulator.py PORT`.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from concurrent import futures
from typing import Any

import grpc
from gcloud_tasks_emulator import server as emulator


def _run_loopback(self: Any) -> None:
    self._httpd = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    emulator.add_CloudTasksServicer_to_server(emulator.Greeter(self._state), self._httpd)
    self._httpd.add_insecure_port(f"127.0.0.1:{self._port}")
    self._httpd.start()


def main() -> int:
    port = int(sys.argv[1])
    emulator.APIThread.run = _run_loopback  # type: ignore[method-assign]
    # --max-retries 3: the emulator has no backoff and would retry a 5xx every 0.1 s forever.
    server = emulator.create_server("127.0.0.1", port, max_retries=3)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    server.start()
    sys.stdout.write(f"ready {port}\n")
    sys.stdout.flush()
    while not stopped.is_set():
        time.sleep(0.1)
    server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
