"""Cloud Tasks adapter: request shapes (OIDC, names, schedule) and the real client
against gcloud-tasks-emulator (create, dispatch to a loopback receiver)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from google.api_core import exceptions as gexc
from google.cloud import tasks_v2
from pydantic import BaseModel

from synthora.adapters.cloud_tasks import CloudTasksQueue, create_adapter
from synthora.identity import INTERNAL_TOKEN_HEADER
from synthora.manifest import Manifest, load_manifest
from synthora.platform import Platform
from synthora.ports.tasks import TaskQueueError
from synthora.settings import ConfigurationError, Settings
from tests.conftest import FIXTURE_FUNCTIONS
from tests.emulators.fixtures import tasks_emulator  # noqa: F401 - session fixture
from tests.emulators.processes import Emulator
from tests.support.receiver import Receiver, running_receiver

SA = "synthora-invoker@demo-synthora.iam.gserviceaccount.com"
QUEUE = "projects/demo-synthora/locations/us-central1/queues/probe"


@pytest.fixture
def manifest() -> Manifest:
    return load_manifest(FIXTURE_FUNCTIONS / "manifest.toml")


class _Payload(BaseModel):
    key: str
    n: int


class _RecordingClient:
    def __init__(self, error: Exception | None = None) -> None:
        self.requests: list[tasks_v2.CreateTaskRequest] = []
        self.error = error

    def create_task(self, *, request: tasks_v2.CreateTaskRequest) -> tasks_v2.Task:
        self.requests.append(request)
        if self.error is not None:
            raise self.error
        return request.task


def _queue(manifest: Manifest, client: Any = None, **kwargs: Any) -> CloudTasksQueue:
    return CloudTasksQueue(
        project="demo-synthora",
        region="us-central1",
        manifest=manifest,
        service_account=SA,
        client=client,
        **kwargs,
    )


# --------------------------------------------------------------------------- request shapes


def test_request_is_an_oidc_http_task_to_the_function_url(manifest: Manifest) -> None:
    queue = _queue(manifest)
    request = queue.build_request(function="probe_task", payload=_Payload(key="k", n=1), name="t-1")
    assert isinstance(request, tasks_v2.CreateTaskRequest)
    assert request.parent == QUEUE
    task = request.task
    assert task.name == f"{QUEUE}/tasks/t-1"
    http = task.http_request
    url = "https://us-central1-demo-synthora.cloudfunctions.net/probe-task"
    assert http.url == url
    assert http.http_method == tasks_v2.HttpMethod.POST
    assert http.oidc_token.service_account_email == SA
    assert http.oidc_token.audience == url  # what identity.verify_internal_call checks
    assert http.headers["Content-Type"] == "application/json"
    assert json.loads(http.body) == {"key": "k", "n": 1}
    assert INTERNAL_TOKEN_HEADER not in http.headers


def test_schedule_time_and_delay(manifest: Manifest) -> None:
    queue = _queue(manifest)
    when = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    request = queue.build_request(function="probe_task", payload={}, schedule_time=when)
    assert request.task.schedule_time == when
    before = datetime.now(UTC)
    delayed = queue.build_request(function="probe_task", payload={}, delay_s=120)
    assert before + timedelta(seconds=119) <= delayed.task.schedule_time
    assert delayed.task.schedule_time <= datetime.now(UTC) + timedelta(seconds=121)
    unnamed = queue.build_request(function="probe_task", payload={})
    assert unnamed.task.name == ""  # Cloud Tasks names it
    with pytest.raises(TaskQueueError):
        queue.build_request(function="probe_task", payload={}, schedule_time=datetime(2030, 1, 1))


def test_bad_names_and_functions_are_refused(manifest: Manifest) -> None:
    queue = _queue(manifest)
    with pytest.raises(TaskQueueError):
        queue.build_request(function="probe_task", payload={}, name="has space")
    with pytest.raises(TaskQueueError):
        queue.build_request(function="echo", payload={})  # an http function has no queue


def test_url_template_placeholders(manifest: Manifest) -> None:
    queue = _queue(manifest, url_template="https://{project}.example/{region}/{name}/{function}")
    assert queue.function_url("probe_task") == (
        "https://demo-synthora.example/us-central1/probe-task/probe_task"
    )


def test_enqueue_reports_created_and_already_exists(manifest: Manifest) -> None:
    client = _RecordingClient()
    result = _queue(manifest, client).enqueue(function="probe_task", payload={"a": 1}, name="n1")
    assert result.created is True and result.name == "n1" and result.queue == "probe"
    dup = _RecordingClient(gexc.AlreadyExists("task exists"))
    again = _queue(manifest, dup).enqueue(function="probe_task", payload={"a": 1}, name="n1")
    assert again.created is False and again.name == "n1"
    failing = _RecordingClient(gexc.PermissionDenied("no enqueuer role"))
    with pytest.raises(TaskQueueError, match="refused"):
        _queue(manifest, failing).enqueue(function="probe_task", payload={})


def test_trace_context_is_forwarded(manifest: Manifest) -> None:
    from synthora.logs import TRACE_HEADER, trace_context

    client = _RecordingClient()
    with trace_context("abc123"):
        _queue(manifest, client).enqueue(function="probe_task", payload={})
    assert client.requests[0].task.http_request.headers[TRACE_HEADER] == "abc123/0;o=1"


def test_create_adapter_needs_the_oidc_account_in_production(
    monkeypatch: pytest.MonkeyPatch, manifest: Manifest
) -> None:
    settings = Settings(
        environment="production",
        master_keys="p1:" + "A" * 43 + "=",
        google_cloud_project="demo-synthora",
    )
    with pytest.raises(ConfigurationError, match="SYNTHORA_TASKS_SERVICE_ACCOUNT"):
        create_adapter(Platform(settings, manifest))
    settings = settings.model_copy(update={"tasks_service_account": SA})
    adapter = create_adapter(Platform(settings, manifest))
    request = adapter.build_request(function="probe_task", payload={})
    assert request.task.http_request.oidc_token.service_account_email == SA
    assert INTERNAL_TOKEN_HEADER not in request.task.http_request.headers


# --------------------------------------------------------------------------- emulator


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as r:
        yield r


@pytest.fixture
def emulated(
    tasks_emulator: Emulator,  # noqa: F811 - session fixture imported above
    manifest: Manifest,
    receiver: Receiver,
) -> Iterator[CloudTasksQueue]:
    queue = _queue(
        manifest,
        emulator_host=tasks_emulator.host,
        url_template=receiver.url + "/_fn/{function}",
        extra_headers={INTERNAL_TOKEN_HEADER: "local-secret"},
        create_missing_queues=True,
    )
    yield queue
    queue.close()


@pytest.mark.emulator
@pytest.mark.xdist_group("tasks-emulator")
def test_emulator_creates_and_dispatches(emulated: CloudTasksQueue, receiver: Receiver) -> None:
    key = f"dispatch-{time.time_ns()}"
    result = emulated.enqueue(
        function="probe_task", payload={"key": key}, name=key, headers={"X-Extra": "1"}
    )
    assert result.created and result.name == key
    assert receiver.wait_for(lambda: bool(receiver.for_key(key)), timeout_s=10)
    delivery = receiver.for_key(key)[0]
    assert delivery.path == "/_fn/probe_task"
    assert delivery.body == {"key": key}
    assert delivery.headers["X-Cloudtasks-Taskname"] == key
    assert delivery.headers["X-Cloudtasks-Queuename"].endswith("/queues/probe")
    assert delivery.headers["X-Cloudtasks-Taskretrycount"] == "0"
    assert delivery.headers["X-Extra"] == "1"
    assert delivery.headers[INTERNAL_TOKEN_HEADER] == "local-secret"
    assert delivery.headers["Content-Type"] == "application/json"


@pytest.mark.emulator
@pytest.mark.xdist_group("tasks-emulator")
def test_emulator_honours_schedule_time(emulated: CloudTasksQueue, receiver: Receiver) -> None:
    key = f"later-{time.time_ns()}"
    start = time.time()
    emulated.enqueue(function="probe_task", payload={"key": key}, delay_s=1.0)
    time.sleep(0.5)
    assert receiver.for_key(key) == []
    assert receiver.wait_for(lambda: bool(receiver.for_key(key)), timeout_s=10)
    assert receiver.for_key(key)[0].at - start >= 0.95


@pytest.mark.emulator
@pytest.mark.xdist_group("tasks-emulator")
def test_emulator_retries_a_failed_delivery(emulated: CloudTasksQueue, receiver: Receiver) -> None:
    key = f"retry-{time.time_ns()}"
    emulated.enqueue(function="probe_task", payload={"key": key, "fail_times": 1})
    assert receiver.wait_for(lambda: any(d.status == 200 for d in receiver.for_key(key)), 10)
    statuses = [d.status for d in receiver.for_key(key)]
    assert statuses[0] == 503 and statuses[-1] == 200


@pytest.mark.emulator
@pytest.mark.xdist_group("tasks-emulator")
@pytest.mark.xfail(
    strict=True,
    reason="gcloud-tasks-emulator 0.6.2 accepts duplicate task names (no ALREADY_EXISTS); "
    "de-duplication is covered by the request-shape test against the real error type",
)
def test_emulator_deduplicates_named_tasks(emulated: CloudTasksQueue, receiver: Receiver) -> None:
    key = f"dedup-{time.time_ns()}"
    first = emulated.enqueue(function="probe_task", payload={"key": key}, name=key)
    second = emulated.enqueue(function="probe_task", payload={"key": key}, name=key)
    assert first.created and not second.created
