"""The local scheduler: fires the manifest's cron functions like Cloud Scheduler."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from croniter import croniter

from synthora.logs import fields, get_logger
from synthora.manifest import FunctionSpec, Manifest

log = get_logger(__name__)

Fire = Callable[[FunctionSpec, datetime], None]


def next_fire_time(spec: FunctionSpec, after: datetime) -> datetime:
    """The next time after `after` that `spec.schedule` fires, in UTC."""
    if spec.schedule is None:
        raise ValueError(f"{spec.name} has no schedule")
    zone = ZoneInfo(spec.time_zone)
    local = after.astimezone(zone)
    nxt: datetime = croniter(spec.schedule, local).get_next(datetime)
    return nxt.astimezone(UTC)


class CronRunner:
    """Sleeps until the next due job, fires it, repeats. Missed runs are not replayed."""

    def __init__(
        self,
        *,
        manifest: Manifest,
        fire: Fire,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.jobs = manifest.of_kind("cron")
        self.fire = fire
        self.clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.next_runs: dict[str, datetime] = {}

    def schedule_all(self) -> None:
        now = self.clock()
        self.next_runs = {job.name: next_fire_time(job, now) for job in self.jobs}

    def due(self, now: datetime) -> list[FunctionSpec]:
        return [job for job in self.jobs if self.next_runs.get(job.name, now) <= now]

    def tick(self) -> float:
        """Fire what is due; return seconds until the next job."""
        now = self.clock()
        for job in self.due(now):
            scheduled = self.next_runs[job.name]
            self.next_runs[job.name] = next_fire_time(job, now)
            try:
                self.fire(job, scheduled)
            except Exception:  # a failed job must not stop the scheduler
                log.exception("cron job failed", extra=fields(job=job.name))
        if not self.next_runs:
            return 3600.0
        soonest = min(self.next_runs.values())
        return max(0.05, (soonest - self.clock()).total_seconds())

    def start(self) -> None:
        self.schedule_all()
        for name, when in sorted(self.next_runs.items()):
            log.info("cron job scheduled", extra=fields(job=name, next_run=when.isoformat()))
        self._thread = threading.Thread(target=self._run, name="cron", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            wait = self.tick()
            self._stop.wait(min(wait, 60.0))

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(2)
