"""A loopback HTTP server that records task deliveries, for queue contract tests."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    status: int
    at: float


@dataclass
class Receiver:
    """Answers 503 to a task while `body["fail_times"]` exceeds its retry count."""

    url: str = ""
    deliveries: list[Delivery] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        try:
            body = json.loads(request.get_data() or b"{}")
        except ValueError:
            body = {}
        retry = int(request.headers.get("X-CloudTasks-TaskRetryCount", "0"))
        status = 503 if retry < int(body.get("fail_times", 0)) else 200
        if body.get("sleep_s"):
            time.sleep(float(body["sleep_s"]))
        with self.lock:
            self.deliveries.append(
                Delivery(request.path, dict(request.headers), body, status, time.time())
            )
        return Response(json.dumps({"status": status}), status=status)(environ, start_response)

    def for_key(self, key: str) -> list[Delivery]:
        with self.lock:
            return [d for d in self.deliveries if d.body.get("key") == key]

    def wait_for(self, predicate: Callable[[], bool], timeout_s: float = 15) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.02)
        return predicate()


@contextmanager
def running_receiver(host: str = "127.0.0.1") -> Iterator[Receiver]:
    receiver = Receiver()
    server = make_server(host, 0, receiver.app, threaded=True)
    receiver.url = f"http://{host}:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        thread.join(5)
