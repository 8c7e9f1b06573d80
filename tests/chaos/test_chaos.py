"""Chaos: work through the real queue with provider faults and a gateway crash mid-run.

The gateway runs as a real process with its queue dispatcher, and every
pipeline step delivery meets, at random (seeded), what a provider does on a
bad day: a 500, a 429, a timeout, rarely a permanent refusal
(`synthora.pipeline.faults`). Part-way through, the gateway is killed
(SIGKILL, no clean shutdown) and started again on the same data. Then every
item must end finished, or failed with a reason; none may be stuck, and none
may have been done twice. The figures are printed.

    make chaos                     # 100 videos (CHAOS_ITEMS=100)
    pytest -m chaos tests/chaos    # the short version in the suite (3 videos)

What is generated is a list of workloads (`WORKLOADS`): videos today; posts
join by adding a `Workload` (start N items through the API or services, read
each one's outcome, list what it did twice) once posting exists.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pytest

from synthora.pipeline.faults import FAULTS_FILE, RATE_VAR, SEED_VAR
from synthora.pipeline.models import VideoStatus
from synthora.pipeline.runner import load_video
from synthora.platform import Platform, get_platform, set_platform
from synthora.settings import reset_settings_cache
from synthora.templates.system import get_system_template
from tests.support.gateway import GatewayProcess

pytestmark = [
    pytest.mark.chaos,
    pytest.mark.slow,
    pytest.mark.xdist_group("chaos"),
    pytest.mark.timeout(1800),
]

ITEMS = int(os.environ.get("CHAOS_ITEMS", "3"))
FAULT_RATE = os.environ.get("CHAOS_FAULT_RATE", "0.3")
SEED = os.environ.get("CHAOS_SEED", "7")


@dataclass
class Outcome:
    state: str  # finished | failed | pending
    reason: str | None = None
    done_twice: list[str] = field(default_factory=list)


class Workload(Protocol):
    name: str

    def start(self, platform: Platform, count: int) -> list[str]: ...

    def outcome(self, platform: Platform, item: str) -> Outcome: ...


class Videos:
    """Video generations through the pipeline queue (offline providers, small renders)."""

    name = "videos"

    def start(self, platform: Platform, count: int) -> list[str]:
        from synthora.services.videos import CreateVideoRequest, insert_and_start, new_video_record

        template = get_system_template("sys-viral-hook")
        assert template is not None
        ids = []
        for n in range(count):
            video_id = f"chaos{n:04d}"
            record = new_video_record(
                video_id=video_id,
                uid=f"chaosuser{n % 10}",
                template_id=template.id,
                template_name=template.name,
                template_version=template.version,
                config=template.config.model_dump(mode="json"),
                request=CreateVideoRequest(
                    template_id=template.id, topic=f"fact number {n}", review_script=False
                ),
                use_video_ai=False,
                integrations={},
            )
            insert_and_start(platform=platform, video=record)
            ids.append(video_id)
        return ids

    def outcome(self, platform: Platform, item: str) -> Outcome:
        video = load_video(platform, item)
        assert video is not None, item
        twice: list[str] = []
        notes = [
            s.to_dict() or {}
            for s in platform.documents.collection("notifications")
            .where("user_id", "==", video.owner_id)
            .get()
        ]
        about = Counter(
            n.get("type") for n in notes if (n.get("data") or {}).get("video_id") == item
        )
        if video.status == VideoStatus.completed:
            if about["video_complete"] != 1:
                twice.append(f"{about['video_complete']} completion notifications")
            return Outcome("finished", done_twice=twice)
        if video.status == VideoStatus.failed:
            if about["video_failed"] != 1:
                twice.append(f"{about['video_failed']} failure notifications")
            reason = video.error.message if video.error else None
            return Outcome("failed", reason=reason, done_twice=twice)
        return Outcome("pending")


WORKLOADS: list[Workload] = [Videos()]


def _use(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Platform:
    monkeypatch.setenv("SYNTHORA_DATA_DIR", str(data_dir))
    reset_settings_cache()
    set_platform(None)
    return get_platform()


def _queue_figures(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT state, COUNT(*), SUM(dispatch_count) FROM task_queue"
            " WHERE function LIKE 'pipeline_%' GROUP BY state"
        ).fetchall()
    by_state = {state: count for state, count, _ in rows}
    deliveries = sum(d or 0 for _, _, d in rows)
    tasks = sum(by_state.values())
    return {
        "tasks": tasks,
        "deliveries": deliveries,
        **{f"tasks_{k}": v for k, v in by_state.items()},
    }


def test_every_item_ends_once_despite_faults_and_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    gateway = GatewayProcess(
        data,
        background=True,
        env={RATE_VAR: FAULT_RATE, SEED_VAR: SEED, "SYNTHORA_RENDER_SCALE": "0.25"},
    )
    gateway.start()
    started = time.monotonic()
    try:
        platform = _use(data, monkeypatch)
        items = {w.name: w.start(platform, ITEMS) for w in WORKLOADS}

        def outcomes() -> dict[str, dict[str, Outcome]]:
            return {w.name: {i: w.outcome(platform, i) for i in items[w.name]} for w in WORKLOADS}

        # crash once a third of the items are done (or after a minute), mid-flight
        crash_after = max(1, ITEMS // 3)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            settled = sum(o.state != "pending" for per in outcomes().values() for o in per.values())
            if settled >= crash_after:
                break
            time.sleep(0.5)
        gateway.kill()
        time.sleep(1)
        gateway.start()

        budget = 180 + ITEMS * 30
        deadline = time.monotonic() + budget
        while time.monotonic() < deadline:
            now = outcomes()
            if all(o.state != "pending" for per in now.values() for o in per.values()):
                break
            time.sleep(1)
        final = outcomes()
    finally:
        gateway.stop()
    seconds = time.monotonic() - started

    faults = Counter()
    faults_path = data / FAULTS_FILE
    if faults_path.exists():
        for line in faults_path.read_text().splitlines():
            faults[json.loads(line)["kind"]] += 1
    queue = _queue_figures(data / "synthora.sqlite3")
    report: dict[str, object] = {"seconds": round(seconds, 1), "gateway_starts": gateway.starts}
    stuck: list[str] = []
    twice: list[str] = []
    no_reason: list[str] = []
    for name, per in final.items():
        states = Counter(o.state for o in per.values())
        reasons = Counter((o.reason or "")[:80] for o in per.values() if o.state == "failed")
        report[name] = {
            "items": len(per),
            "finished": states["finished"],
            "failed": states["failed"],
            "stuck": states["pending"],
            "done_twice": sum(1 for o in per.values() if o.done_twice),
            "failure_reasons": dict(reasons),
        }
        stuck += [f"{name}/{i}" for i, o in per.items() if o.state == "pending"]
        twice += [f"{name}/{i}: {o.done_twice}" for i, o in per.items() if o.done_twice]
        no_reason += [f"{name}/{i}" for i, o in per.items() if o.state == "failed" and not o.reason]
    report["faults_injected"] = dict(faults)
    report["queue"] = queue
    print("\nchaos run:", json.dumps(report, indent=2))

    assert sum(faults.values()) > 0, "no fault was injected: the run proves nothing"
    assert gateway.starts == 2
    assert not stuck, f"stuck: {stuck}\n{gateway.log_tail()}"
    assert not twice, f"done twice: {twice}"
    assert not no_reason, f"failed without a reason: {no_reason}"
    assert queue.get("tasks_pending", 0) == 0 and queue.get("tasks_leased", 0) == 0, queue
