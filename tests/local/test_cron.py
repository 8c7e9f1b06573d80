from datetime import UTC, datetime

from synthora.local.cron import CronRunner, next_fire_time
from synthora.manifest import FunctionSpec, Manifest


def _manifest(schedule: str, tz: str = "Etc/UTC") -> Manifest:
    return Manifest.model_validate(
        {
            "queues": {},
            "functions": [
                {
                    "name": "job",
                    "kind": "cron",
                    "entry_point": "job",
                    "schedule": schedule,
                    "time_zone": tz,
                }
            ],
        }
    )


def test_next_fire_time_in_utc_and_in_a_time_zone() -> None:
    spec = _manifest("17 3 * * *").functions[0]
    after = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert next_fire_time(spec, after) == datetime(2026, 11, 25, 3, 17, tzinfo=UTC)
    ny = _manifest("0 9 * * *", "America/New_York").functions[0]
    # 09:00 in New York in November is 14:00 UTC
    assert next_fire_time(ny, after) == datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


def test_runner_fires_due_jobs_once_and_reschedules() -> None:
    now = [datetime(2026, 11, 24, 9, 0, 30, tzinfo=UTC)]
    fired: list[tuple[str, datetime]] = []

    def fire(spec: FunctionSpec, scheduled: datetime) -> None:
        fired.append((spec.name, scheduled))

    runner = CronRunner(manifest=_manifest("* * * * *"), fire=fire, clock=lambda: now[0])
    runner.schedule_all()
    assert runner.tick() > 0 and fired == []
    now[0] = datetime(2026, 11, 24, 9, 1, 0, tzinfo=UTC)
    runner.tick()
    runner.tick()  # the same minute fires once
    assert fired == [("job", datetime(2026, 11, 24, 9, 1, tzinfo=UTC))]
    assert runner.next_runs["job"] == datetime(2026, 11, 24, 9, 2, tzinfo=UTC)


def test_a_failing_job_does_not_stop_the_scheduler() -> None:
    now = [datetime(2026, 11, 24, 9, 0, 30, tzinfo=UTC)]

    def fire(spec: FunctionSpec, scheduled: datetime) -> None:
        raise RuntimeError("down")

    runner = CronRunner(manifest=_manifest("* * * * *"), fire=fire, clock=lambda: now[0])
    runner.schedule_all()
    now[0] = datetime(2026, 11, 24, 9, 1, 0, tzinfo=UTC)
    assert runner.tick() > 0
    assert runner.next_runs["job"] == datetime(2026, 11, 24, 9, 2, tzinfo=UTC)
