"""The gateway as a real process over HTTP: routing, errors, queue, restarts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from synthora.adapters.sqlite_tasks import SqliteTaskQueue
from synthora.manifest import load_manifest
from synthora.settings import REPO_ROOT
from tests.conftest import FIXTURE_FUNCTIONS, free_port, wait_for_port

pytestmark = pytest.mark.slow


class GatewayProcess:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

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
            SYNTHORA_MANIFEST_FILE=str(FIXTURE_FUNCTIONS / "manifest.toml"),
            SYNTHORA_FUNCTIONS_DIR=str(FIXTURE_FUNCTIONS),
            SYNTHORA_LOG_LEVEL="WARNING",
        )
        self.log = (self.data_dir.parent / f"gateway-{self.port}.log").open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "synthora.local.gateway",
                "--no-auth-emulator",
                "--no-platform-emulators",
                "--port",
                str(self.port),
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_port(self.port, timeout_s=60, proc=self.proc)

    def kill(self) -> None:
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


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def gateway(data_dir: Path) -> Iterator[GatewayProcess]:
    gw = GatewayProcess(data_dir)
    gw.start()
    yield gw
    gw.stop()


def _queue(data_dir: Path) -> SqliteTaskQueue:
    return SqliteTaskQueue(
        path=data_dir / "synthora.sqlite3",
        manifest=load_manifest(FIXTURE_FUNCTIONS / "manifest.toml"),
    )


def _store(data_dir: Path):  # type: ignore[no-untyped-def]
    from synthora.adapters.sqlite_documents import SqliteDocumentStore

    return SqliteDocumentStore(path=data_dir / "synthora.sqlite3")


def test_routes_errors_and_openapi(gateway: GatewayProcess) -> None:
    with httpx.Client(base_url=gateway.url) as http:
        r = http.post("/api/v1/echo/items/7", json={"text": "hey"})
        assert r.status_code == 200 and r.json()["text"] == "hey"
        bad = http.post(
            "/api/v1/echo/items/7", content=b"{oops", headers={"Content-Type": "application/json"}
        )
        assert bad.status_code == 400
        assert bad.json()["error"]["code"] == "invalid_json"
        missing = http.get("/api/v1/nothing/here")
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "route_not_found"
        doc = http.get("/api/v1/openapi.json").json()
        assert doc["openapi"] == "3.1.0"
        assert doc["paths"]["/api/v1/echo/items/{item_id}"]["post"]["operationId"] == "echo-echo"
        assert "/" not in doc["paths"]  # internal functions are not in the public document
        page = http.get("/videos/some/client/route")
        assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]


def test_internal_functions_refuse_outside_callers(gateway: GatewayProcess) -> None:
    r = httpx.post(f"{gateway.url}/_fn/probe_task", json={"key": "x"})
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "internal_only"
    r = httpx.post(
        f"{gateway.url}/_fn/probe_task",
        json={"key": "x"},
        headers={"X-Synthora-Internal-Token": "guess"},
    )
    assert r.status_code == 403


def test_queued_tasks_are_delivered_with_retries(gateway: GatewayProcess, data_dir: Path) -> None:
    queue = _queue(data_dir)
    queue.enqueue(function="probe_task", payload={"key": "flaky", "fail_times": 2}, name="flaky")
    store = _store(data_dir)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done = store.collection("probe_completions").document("flaky").get()
        if done.exists:
            break
        time.sleep(0.1)
    deliveries = store.collection("probe_deliveries").document("flaky").get()
    assert deliveries.get("deliveries") == 3
    assert sorted(deliveries.get("retry_counts")) == [0, 1, 2]
    assert store.collection("probe_completions").document("flaky").get().get("completions") == 1


def test_killing_the_gateway_loses_no_task_and_reruns_no_finished_one(data_dir: Path) -> None:
    queue = _queue(data_dir)
    keys = [f"k{i:02d}" for i in range(16)]
    first = GatewayProcess(data_dir)
    first.start()
    try:
        for key in keys:
            queue.enqueue(function="probe_task", payload={"key": key, "sleep_s": 0.25}, name=key)
        store = _store(data_dir)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if store.collection("probe_completions").count() >= 4:
                break
            time.sleep(0.05)
    finally:
        first.kill()
    finished_before = {
        name for name in keys if (t := queue.get_task(name)) is not None and t["state"] == "done"
    }
    deliveries_before = {
        key: store.collection("probe_deliveries").document(key).get().get("deliveries")
        for key in finished_before
    }
    assert 0 < len(finished_before) < len(keys), "the kill should land mid-way"

    second = GatewayProcess(data_dir)
    second.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            states = [queue.get_task(k)["state"] for k in keys]  # type: ignore[index]
            if all(s == "done" for s in states):
                break
            time.sleep(0.1)
        assert all(queue.get_task(k)["state"] == "done" for k in keys)  # type: ignore[index]
        for key in keys:  # none lost
            assert store.collection("probe_completions").document(key).get().exists
        for key, count in deliveries_before.items():  # finished ones never delivered again
            assert (
                store.collection("probe_deliveries").document(key).get().get("deliveries") == count
            )
    finally:
        second.stop()


def test_second_start_reuses_the_data(data_dir: Path) -> None:
    gw = GatewayProcess(data_dir)
    gw.start()
    try:
        _store(data_dir).collection("notes").document("n1").set({"text": "kept"})
    finally:
        gw.stop()
    secrets_file = data_dir / "local-secrets.json"
    before = secrets_file.read_text()
    gw2 = GatewayProcess(data_dir)
    gw2.start()
    try:
        assert secrets_file.read_text() == before
        assert _store(data_dir).collection("notes").document("n1").get().get("text") == "kept"
        assert httpx.get(f"{gw2.url}/api/v1/echo/items/stats").status_code == 200
    finally:
        gw2.stop()
