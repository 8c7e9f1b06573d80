"""The embedded queue: Cloud Tasks semantics over loopback HTTP."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from synthora.adapters.sqlite_tasks import QueueDispatcher, SqliteTaskQueue
from synthora.manifest import Manifest
from synthora.ports.tasks import TaskQueueError
from tests.support.receiver import Receiver, running_receiver

MANIFEST = Manifest.model_validate(
    {
        "queues": {
            "fast": {
                "name": "fast",
                "max_concurrent_dispatches": 3,
                "retry": {
                    "max_attempts": 3,
                    "min_backoff_s": 0.05,
                    "max_backoff_s": 0.2,
                    "max_doublings": 2,
                },
            }
        },
        "functions": [
            {
                "name": "worker",
                "kind": "task",
                "entry_point": "worker",
                "queue": "fast",
                "timeout_s": 5,
            },
            {"name": "api", "kind": "http", "entry_point": "api", "route": "/api/v1/api"},
        ],
    }
)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as r:
        yield r


@pytest.fixture
def queue(tmp_path: Path) -> SqliteTaskQueue:
    return SqliteTaskQueue(path=tmp_path / "q.sqlite3", manifest=MANIFEST)


def dispatcher_for(queue: SqliteTaskQueue, receiver: Receiver) -> QueueDispatcher:
    return QueueDispatcher(
        queue=queue,
        url_for=lambda fn: f"{receiver.url}/_fn/{fn}",
        internal_token="test-token",
        poll_interval_s=0.02,
    )


def test_delivery_carries_body_and_cloud_tasks_headers(
    queue: SqliteTaskQueue, receiver: Receiver
) -> None:
    queue.enqueue(
        function="worker",
        payload={"key": "a", "n": 1},
        name="task-a",
        headers={"X-Cloud-Trace-Context": "abc/0;o=1"},
    )
    d = dispatcher_for(queue, receiver)
    assert d.drain(timeout_s=10)
    (delivery,) = receiver.for_key("a")
    assert delivery.path == "/_fn/worker"
    assert delivery.body == {"key": "a", "n": 1}
    assert delivery.headers["X-Cloudtasks-Queuename"] == "fast"
    assert delivery.headers["X-Cloudtasks-Taskname"] == "task-a"
    assert delivery.headers["X-Cloudtasks-Taskretrycount"] == "0"
    assert delivery.headers["X-Cloudtasks-Taskexecutioncount"] == "0"
    assert delivery.headers["X-Synthora-Internal-Token"] == "test-token"
    assert delivery.headers["X-Cloud-Trace-Context"] == "abc/0;o=1"
    assert queue.get_task("task-a")["state"] == "done"  # type: ignore[index]


def test_fails_twice_then_succeeds_is_delivered_three_times_and_completes_once(
    queue: SqliteTaskQueue, receiver: Receiver
) -> None:
    queue.enqueue(function="worker", payload={"key": "flaky", "fail_times": 2}, name="flaky")
    d = dispatcher_for(queue, receiver)
    assert d.drain(timeout_s=10)
    deliveries = receiver.for_key("flaky")
    assert [x.status for x in deliveries] == [503, 503, 200]
    assert [x.headers["X-Cloudtasks-Taskretrycount"] for x in deliveries] == ["0", "1", "2"]
    assert [x.headers["X-Cloudtasks-Taskexecutioncount"] for x in deliveries] == ["0", "1", "2"]
    # backoff: at least min_backoff between attempts, growing
    gaps = [b.at - a.at for a, b in itertools.pairwise(deliveries)]
    assert gaps[0] >= 0.045 and gaps[1] >= 0.09
    task = queue.get_task("flaky")
    assert task is not None and task["state"] == "done" and task["dispatch_count"] == 3
    # nothing is delivered again once done
    assert d.drain(timeout_s=1)
    assert len(receiver.for_key("flaky")) == 3


def test_max_attempts_ends_in_failed_with_the_last_error(
    queue: SqliteTaskQueue, receiver: Receiver
) -> None:
    queue.enqueue(function="worker", payload={"key": "doomed", "fail_times": 99}, name="doomed")
    d = dispatcher_for(queue, receiver)
    assert d.drain(timeout_s=10)
    assert len(receiver.for_key("doomed")) == 3
    task = queue.get_task("doomed")
    assert task is not None
    assert task["state"] == "failed" and task["last_status"] == 503
    assert "503" in task["last_error"]


def test_a_named_task_enqueued_twice_runs_once(queue: SqliteTaskQueue, receiver: Receiver) -> None:
    first = queue.enqueue(function="worker", payload={"key": "once"}, name="only-once")
    second = queue.enqueue(function="worker", payload={"key": "once"}, name="only-once")
    assert first.created and not second.created
    d = dispatcher_for(queue, receiver)
    assert d.drain(timeout_s=10)
    # even after it ran, the name stays taken
    third = queue.enqueue(function="worker", payload={"key": "once"}, name="only-once")
    assert not third.created
    assert d.drain(timeout_s=2)
    assert len(receiver.for_key("once")) == 1


def test_concurrent_enqueues_of_one_name_create_one_task(queue: SqliteTaskQueue) -> None:
    results: list[bool] = []

    def enqueue() -> None:
        results.append(queue.enqueue(function="worker", payload={"key": "r"}, name="race").created)

    threads = [threading.Thread(target=enqueue) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 9 + [True]


def test_schedule_time_is_honoured(queue: SqliteTaskQueue, receiver: Receiver) -> None:
    later = datetime.now(UTC) + timedelta(seconds=0.6)
    queue.enqueue(function="worker", payload={"key": "later"}, schedule_time=later)
    queue.enqueue(function="worker", payload={"key": "now"})
    d = dispatcher_for(queue, receiver)
    d.start()
    try:
        assert receiver.wait_for(lambda: len(receiver.for_key("now")) == 1, 5)
        assert receiver.for_key("later") == []
        assert receiver.wait_for(lambda: len(receiver.for_key("later")) == 1, 5)
        assert receiver.for_key("later")[0].at >= later.timestamp() - 0.01
    finally:
        d.stop()


def test_concurrency_is_capped_per_queue(queue: SqliteTaskQueue, receiver: Receiver) -> None:
    for i in range(6):
        queue.enqueue(function="worker", payload={"key": f"c{i}", "sleep_s": 0.3})
    d = dispatcher_for(queue, receiver)
    futures = d.dispatch_due()
    assert len(futures) == 3  # max_concurrent_dispatches
    for f in futures:
        f.result()
    assert d.drain(timeout_s=10)
    assert len(receiver.deliveries) == 6


def test_restart_returns_leases_and_loses_nothing(tmp_path: Path, receiver: Receiver) -> None:
    path = tmp_path / "q.sqlite3"
    q1 = SqliteTaskQueue(path=path, manifest=MANIFEST)
    for i in range(5):
        q1.enqueue(function="worker", payload={"key": f"r{i}"}, name=f"r{i}")
    crashed = dispatcher_for(q1, receiver)
    # leased up to the queue's concurrency, then the process "dies" before delivering
    assert len(crashed.lease_due()) == 3
    q2 = SqliteTaskQueue(path=path, manifest=MANIFEST)
    fresh = dispatcher_for(q2, receiver)
    assert fresh.recover() == 3
    assert fresh.drain(timeout_s=10)
    assert sorted(d.body["key"] for d in receiver.deliveries) == [f"r{i}" for i in range(5)]


def test_unknown_function_and_bad_names_are_refused(queue: SqliteTaskQueue) -> None:
    with pytest.raises(TaskQueueError, match="not a task function"):
        queue.enqueue(function="api", payload={})
    with pytest.raises(TaskQueueError, match="no function"):
        queue.enqueue(function="nope", payload={})
    with pytest.raises(TaskQueueError, match="invalid task name"):
        queue.enqueue(function="worker", payload={}, name="bad name!")
    with pytest.raises(TaskQueueError, match="timezone"):
        queue.enqueue(function="worker", payload={}, schedule_time=datetime(2030, 1, 1))
