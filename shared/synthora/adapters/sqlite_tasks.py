"""Embedded task queue: durable in SQLite, delivered over HTTP like Cloud Tasks.

Tasks live in the `task_queue` table of the same SQLite file as the documents.
`QueueDispatcher` (run by the local gateway) leases due tasks, POSTs them to
the task function with the `X-CloudTasks-*` headers and the local internal
token, marks them done on a 2xx and otherwise reschedules them with the queue's
exponential backoff until `max_attempts`. A lease left behind by a killed
gateway is returned to the queue on the next start, so no task is lost; a task
marked done is never delivered again.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import BaseModel

from synthora.adapters.sqlite_writes import write_lock
from synthora.logs import TRACE_HEADER, current_trace_id, fields, get_logger
from synthora.manifest import Manifest
from synthora.ports.tasks import (
    TASK_NAME_RE,
    EnqueueResult,
    QueueStats,
    TaskQueue,
    TaskQueueError,
    task_name,
)

if TYPE_CHECKING:
    from synthora.platform import Platform

log = get_logger(__name__)

INTERNAL_TOKEN_HEADER = "X-Synthora-Internal-Token"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS task_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    queue TEXT NOT NULL,
    function TEXT NOT NULL,
    payload TEXT NOT NULL,
    headers TEXT NOT NULL,
    schedule_time REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    dispatch_count INTEGER NOT NULL DEFAULT 0,
    response_count INTEGER NOT NULL DEFAULT 0,
    lease_until REAL,
    last_status INTEGER,
    last_error TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS task_queue_due ON task_queue (state, schedule_time);
"""


def _now() -> float:
    return time.time()


class _Connections:
    """One SQLite connection per thread, WAL mode, shared file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self.connect() as conn:
            conn.executescript(_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        yield self._conn()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        with write_lock(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")


class SqliteTaskQueue(TaskQueue):
    """The embedded `TaskQueue`: enqueue writes a row; `QueueDispatcher` delivers it."""

    adapter_name = "sqlite-queue"

    def __init__(self, *, path: Path, manifest: Manifest) -> None:
        self.manifest = manifest
        self.db = _Connections(path)
        self.wakeup = threading.Event()

    def enqueue(
        self,
        *,
        function: str,
        payload: BaseModel | dict[str, Any],
        name: str | None = None,
        schedule_time: datetime | None = None,
        delay_s: float | None = None,
        headers: dict[str, str] | None = None,
    ) -> EnqueueResult:
        try:
            queue = self.manifest.queue_for(function)
        except KeyError as exc:
            raise TaskQueueError(str(exc)) from exc
        if name is not None and not TASK_NAME_RE.match(name):
            raise TaskQueueError(f"invalid task name {name!r}")
        body = payload.model_dump(mode="json") if isinstance(payload, BaseModel) else payload
        encoded = json.dumps(body, separators=(",", ":"), default=str)
        due = _now()
        if schedule_time is not None:
            if schedule_time.tzinfo is None:
                raise TaskQueueError("schedule_time must be timezone-aware")
            due = schedule_time.timestamp()
        elif delay_s:
            due += delay_s
        all_headers = dict(headers or {})
        trace = current_trace_id()
        if trace and TRACE_HEADER not in all_headers:
            all_headers[TRACE_HEADER] = f"{trace}/0;o=1"
        task = name or task_name(function, f"{time.time_ns():x}")
        now = _now()
        with self.db.write() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO task_queue (name, queue, function, payload, headers,"
                " schedule_time, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
                (task, queue.name, function, encoded, json.dumps(all_headers), due, now, now),
            )
            created = cur.rowcount == 1
        if created:
            self.wakeup.set()
        log.debug(
            "task enqueued" if created else "task already exists",
            extra=fields(task=task, queue=queue.name, function=function),
        )
        return EnqueueResult(
            name=task,
            queue=queue.name,
            function=function,
            created=created,
            schedule_time=datetime.fromtimestamp(due, UTC),
        )

    # inspection (tests, health, admin) -------------------------------------------

    def stats(self) -> list[QueueStats]:
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT queue, state, COUNT(*) AS n FROM task_queue GROUP BY queue, state"
            ).fetchall()
        out: dict[str, dict[str, int]] = {q: {} for q in self.manifest.queues}
        for row in rows:
            out.setdefault(row["queue"], {})[row["state"]] = row["n"]
        return [
            QueueStats(
                queue=q,
                pending=c.get("pending", 0),
                leased=c.get("leased", 0),
                done=c.get("done", 0),
                failed=c.get("failed", 0),
            )
            for q, c in sorted(out.items())
        ]

    def get_task(self, name: str) -> dict[str, Any] | None:
        with self.db.connect() as conn:
            row = conn.execute("SELECT * FROM task_queue WHERE name = ?", (name,)).fetchone()
        return dict(row) if row else None

    def purge_finished(self, *, older_than_s: float) -> int:
        """Forget done tasks older than the window (their names become reusable)."""
        with self.db.write() as conn:
            cur = conn.execute(
                "DELETE FROM task_queue WHERE state = 'done' AND updated_at < ?",
                (_now() - older_than_s,),
            )
            return cur.rowcount

    def info(self) -> dict[str, Any]:
        return {"adapter": self.adapter_name, "path": str(self.db.path)}


@dataclass(frozen=True)
class LeasedTask:
    id: int
    name: str
    queue: str
    function: str
    payload: str
    headers: dict[str, str]
    dispatch_count: int
    response_count: int
    schedule_time: float


class QueueDispatcher:
    """Delivers due tasks over HTTP; one instance per gateway process."""

    def __init__(
        self,
        *,
        queue: SqliteTaskQueue,
        url_for: Callable[[str], str],
        internal_token: str,
        poll_interval_s: float = 0.5,
        client: httpx.Client | None = None,
    ) -> None:
        self.queue = queue
        self.url_for = url_for
        self.internal_token = internal_token
        self.poll_interval_s = poll_interval_s
        self._client = client
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        workers = sum(q.max_concurrent_dispatches for q in queue.manifest.queues.values())
        self._pool = ThreadPoolExecutor(max_workers=max(workers, 1), thread_name_prefix="task")
        self._in_flight: dict[str, int] = {}
        self._lock = threading.Lock()
        self._client_lock = threading.Lock()
        self._last_dispatch: dict[str, float] = {}

    @property
    def client(self) -> httpx.Client:
        # One client for every delivery thread: building one loads the CA bundle, and
        # the first due burst used to build dozens at once (seconds of CPU before the
        # first task went out)
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    self._client = httpx.Client(timeout=None)
        return self._client

    def recover(self) -> int:
        """Return every lease to the queue: the process holding it is gone."""
        with self.queue.db.write() as conn:
            cur = conn.execute(
                "UPDATE task_queue SET state = 'pending', lease_until = NULL, updated_at = ?"
                " WHERE state = 'leased'",
                (_now(),),
            )
            count = cur.rowcount
        if count:
            log.info("returned leased tasks to the queue", extra=fields(count=count))
        return count

    def start(self) -> None:
        self.recover()
        _ = self.client  # built now, not by the first due burst
        self._thread = threading.Thread(target=self._run, name="queue-dispatcher", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        self.queue.wakeup.set()
        if self._thread:
            self._thread.join(timeout_s)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                futures = self.dispatch_due()
            except Exception:  # keep the dispatcher alive whatever a tick does
                log.exception("queue dispatcher tick failed")
                futures = []
            if not futures:
                # sleep until the next task falls due (Cloud Tasks dispatches at its
                # schedule_time), or until an enqueue or a finished delivery wakes us
                self.queue.wakeup.wait(self._idle_wait())
                self.queue.wakeup.clear()
            else:
                # wait a little for capacity before the next scan
                time.sleep(0.01)

    def _idle_wait(self) -> float:
        """Seconds until the next pending task falls due, at most `poll_interval_s`.

        Tasks already due but waiting for their queue's capacity are not counted: a
        finished delivery sets the wakeup event for those.
        """
        now = _now()
        with self.queue.db.connect() as conn:
            row = conn.execute(
                "SELECT MIN(schedule_time) FROM task_queue"
                " WHERE state = 'pending' AND schedule_time > ?",
                (now,),
            ).fetchone()
        if row is None or row[0] is None:
            return self.poll_interval_s
        return min(self.poll_interval_s, max(0.0, float(row[0]) - now))

    def _capacity(self, queue: str) -> int:
        spec = self.queue.manifest.queues[queue]
        with self._lock:
            return spec.max_concurrent_dispatches - self._in_flight.get(queue, 0)

    def lease_due(self, *, limit: int = 32) -> list[LeasedTask]:
        """Lease the due tasks the queues have capacity for."""
        now = _now()
        leased: list[LeasedTask] = []
        with self.queue.db.write() as conn:
            rows = conn.execute(
                "SELECT * FROM task_queue WHERE state = 'pending' AND schedule_time <= ?"
                " ORDER BY schedule_time, id LIMIT ?",
                (now, limit),
            ).fetchall()
            taken: dict[str, int] = {}
            for row in rows:
                queue = row["queue"]
                if queue not in self.queue.manifest.queues:
                    continue
                if taken.get(queue, 0) >= self._capacity(queue):
                    continue
                spec = self.queue.manifest.function(row["function"])
                conn.execute(
                    "UPDATE task_queue SET state = 'leased', lease_until = ?, updated_at = ?"
                    " WHERE id = ?",
                    (now + spec.timeout_s + 30, now, row["id"]),
                )
                taken[queue] = taken.get(queue, 0) + 1
                leased.append(
                    LeasedTask(
                        id=row["id"],
                        name=row["name"],
                        queue=queue,
                        function=row["function"],
                        payload=row["payload"],
                        headers=json.loads(row["headers"]),
                        dispatch_count=row["dispatch_count"],
                        response_count=row["response_count"],
                        schedule_time=row["schedule_time"],
                    )
                )
        return leased

    def dispatch_due(self) -> list[Future[None]]:
        futures: list[Future[None]] = []
        for task in self.lease_due():
            with self._lock:
                self._in_flight[task.queue] = self._in_flight.get(task.queue, 0) + 1
            futures.append(self._pool.submit(self._deliver_and_release, task))
        return futures

    def _deliver_and_release(self, task: LeasedTask) -> None:
        try:
            self.deliver(task)
        finally:
            with self._lock:
                self._in_flight[task.queue] -= 1
            self.queue.wakeup.set()

    def deliver(self, task: LeasedTask) -> int | None:
        """POST one task; record the outcome. Returns the HTTP status (None on no response)."""
        spec = self.queue.manifest.function(task.function)
        headers = {
            **task.headers,
            "Content-Type": "application/json",
            "User-Agent": "Google-Cloud-Tasks",
            "X-CloudTasks-QueueName": task.queue,
            "X-CloudTasks-TaskName": task.name,
            "X-CloudTasks-TaskRetryCount": str(task.dispatch_count),
            "X-CloudTasks-TaskExecutionCount": str(task.response_count),
            "X-CloudTasks-TaskETA": f"{task.schedule_time:.6f}",
            INTERNAL_TOKEN_HEADER: self.internal_token,
        }
        status: int | None = None
        error: str | None = None
        try:
            response = self.client.post(
                self.url_for(task.function),
                content=task.payload.encode(),
                headers=headers,
                timeout=spec.timeout_s,
            )
            status = response.status_code
            if not 200 <= status < 300:
                error = response.text[:2000]
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        self._record(task, status, error)
        return status

    def _record(self, task: LeasedTask, status: int | None, error: str | None) -> None:
        now = _now()
        dispatches = task.dispatch_count + 1
        responses = task.response_count + (1 if status is not None else 0)
        policy = self.queue.manifest.queues[task.queue].retry
        with self.queue.db.write() as conn:
            if status is not None and 200 <= status < 300:
                conn.execute(
                    "UPDATE task_queue SET state = 'done', dispatch_count = ?, response_count = ?,"
                    " last_status = ?, last_error = NULL, lease_until = NULL, updated_at = ?"
                    " WHERE id = ? AND state = 'leased'",
                    (dispatches, responses, status, now, task.id),
                )
                return
            if dispatches >= policy.max_attempts:
                conn.execute(
                    "UPDATE task_queue SET state = 'failed', dispatch_count = ?,"
                    " response_count = ?,"
                    " last_status = ?, last_error = ?, lease_until = NULL, updated_at = ?"
                    " WHERE id = ?",
                    (dispatches, responses, status, error, now, task.id),
                )
                log.error(
                    "task failed permanently",
                    extra=fields(task=task.name, queue=task.queue, status=status, error=error),
                )
                return
            delay = policy.backoff_s(task.dispatch_count)
            conn.execute(
                "UPDATE task_queue SET state = 'pending', dispatch_count = ?, response_count = ?,"
                " last_status = ?, last_error = ?, lease_until = NULL, schedule_time = ?,"
                " updated_at = ? WHERE id = ?",
                (dispatches, responses, status, error, now + delay, now, task.id),
            )
        log.warning(
            "task will be retried",
            extra=fields(task=task.name, queue=task.queue, status=status, retry_in_s=delay),
        )

    def drain(self, *, timeout_s: float = 30.0) -> bool:
        """Deliver until no task is leased or due before the timeout (tests and the CLI).

        Retries scheduled within the window are waited for; True when drained.
        """
        deadline = time.monotonic() + timeout_s
        horizon = _now() + timeout_s
        while time.monotonic() < deadline:
            for future in self.dispatch_due():
                future.result()
            with self.queue.db.connect() as conn:
                busy = conn.execute(
                    "SELECT COUNT(*) FROM task_queue WHERE state = 'leased'"
                    " OR (state = 'pending' AND schedule_time <= ?)",
                    (horizon,),
                ).fetchone()[0]
            if not busy:
                return True
            time.sleep(0.02)
        return False


def create_adapter(platform: Platform) -> SqliteTaskQueue:
    """The platform's embedded task queue (same SQLite file, the manifest's queues)."""
    return SqliteTaskQueue(path=platform.settings.sqlite_path, manifest=platform.manifest)
