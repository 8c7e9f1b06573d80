"""Deleting a user: soft (disable, purge after the grace period), hard (everything), resumable.

The whole-store checks read the embedded adapters themselves: every document
row in SQLite and every file under the blob folder, looking for the user's id.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from synthora.adapters.sqlite_tasks import SqliteTaskQueue
from synthora.errors import Conflict, Forbidden, NotFound, ServiceUnavailable
from synthora.pipeline.models import VideoOutputs, VideoRecord, VideoStatus, new_steps
from synthora.platform import Platform
from synthora.services import cleanup, notifications, user_deletion
from synthora.services.user_deletion import DeletionTask, request_deletion, run_deletion
from synthora.services.user_records import read_user

ADMIN = "admin-1"
UID = "doomed-user"
OTHER = "kept-user"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _user(platform: Platform, uid: str, role: str = "free") -> None:
    platform.documents.collection("users").document(uid).set(
        {
            "email": f"{uid}@example.com",
            "email_lower": f"{uid}@example.com",
            "role": role,
            "is_active": True,
            "created_at": NOW - timedelta(days=10),
        }
    )


def _video(platform: Platform, uid: str, vid: str) -> None:
    key = f"videos/{uid}/{vid}/video.mp4"
    platform.blobs.put_bytes(key, b"\x00" * 64, content_type="video/mp4")
    platform.blobs.put_bytes(
        f"videos/{uid}/{vid}/voice/scene-00.wav", b"x", content_type="audio/wav"
    )
    record = VideoRecord(
        id=vid,
        owner_id=uid,
        template_id="tpl",
        template_name="Template",
        config={},
        topic="octopus hearts",
        status=VideoStatus.completed,
        steps=new_steps(use_video_ai=False),
        outputs=VideoOutputs(video_key=key, duration_s=4.0, width=720, height=1280, size_bytes=64),
        created_at=NOW,
        updated_at=NOW,
    )
    platform.documents.collection("videos").document(vid).set(record.model_dump())


def _content(platform: Platform, uid: str, videos: int = 2) -> None:
    """A user with videos (and files), notifications, a personal template, keys and usage."""
    _user(platform, uid)
    for n in range(videos):
        _video(platform, uid, f"{uid}-v{n}")
    for n in range(3):
        notifications.notify_system(platform=platform, uid=uid, title=f"t{n}", message="hello")
    docs = platform.documents
    docs.collection("templates").document(f"{uid}-tpl").set(
        {"name": "Mine", "owner_id": uid, "is_system": False, "is_public": False}
    )
    docs.document(f"users/{uid}/integrations/i1").set({"provider": "openai"})
    docs.document(f"users/{uid}/usage/active").set({"videos": {}})
    docs.document(f"users/{uid}/audit/a1").set({"action": "reveal"})
    docs.collection("suggestions").document(f"{uid}-s1").set({"user_id": uid, "title": "x"})
    docs.collection("analytics_items").document(f"{uid}-item").set(
        {"uid": uid, "post_id": "p", "totals": {"views": 5}}
    )
    docs.collection("analytics_daily").document(f"{uid}-2026-12").set({"uid": uid, "days": {}})


def _docs_mentioning(platform: Platform, uid: str) -> list[str]:
    db = platform.settings.data_dir / "synthora.sqlite3"
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT path, data FROM doc_documents").fetchall()
    return sorted(path for path, data in rows if uid in path or uid in json.dumps(json.loads(data)))


def _files_of(platform: Platform, uid: str) -> list[str]:
    root = platform.settings.data_dir / "blobs"
    return sorted(str(p) for p in root.rglob("*") if p.is_file() and uid in str(p))


def _run(platform: Platform, uid: str, **kw: Any) -> user_deletion.DeletionResult:
    job = user_deletion.get_job(platform=platform, uid=uid)
    run = (platform.documents.collection("user_deletions").document(uid).get().to_dict() or {})[
        "run"
    ]
    assert job.status in ("running", "done")
    return run_deletion(platform=platform, task=DeletionTask(uid=uid, run=run), **kw)


def test_hard_delete_leaves_nothing_of_the_user_and_spares_others(platform: Platform) -> None:
    _user(platform, ADMIN, role="admin")
    _content(platform, UID)
    _content(platform, OTHER)
    kept_docs, kept_files = _docs_mentioning(platform, OTHER), _files_of(platform, OTHER)
    assert _files_of(platform, UID) and _docs_mentioning(platform, UID)

    job = request_deletion(platform=platform, admin_uid=ADMIN, uid=UID, mode="hard", now=NOW)
    assert job.status == "running" and job.mode == "hard"
    assert read_user(platform, UID).is_active is False  # refused at once, before the purge
    queue = platform.tasks
    assert isinstance(queue, SqliteTaskQueue)
    result = _run(platform, UID)
    assert result.outcome == "done"
    assert result.counts["videos"] == 2 and result.counts["videos_blobs"] == 4
    assert result.counts["notifications"] == 3 and result.counts["user_data"] == 3
    assert result.counts["user"] == 1

    # nothing left but the deletion record itself
    assert _docs_mentioning(platform, UID) == [f"user_deletions/{UID}"]
    assert _files_of(platform, UID) == []
    assert _docs_mentioning(platform, OTHER) == kept_docs
    assert _files_of(platform, OTHER) == kept_files

    done = user_deletion.get_job(platform=platform, uid=UID)
    assert done.status == "done" and done.phase is None and done.finished_at is not None
    # asked again, or redelivered: the finished job, nothing errors
    again = request_deletion(platform=platform, admin_uid=ADMIN, uid=UID, mode="hard")
    assert again.status == "done"
    assert _run(platform, UID).outcome == "done"


def test_an_admin_cannot_delete_themself_or_a_stranger(platform: Platform) -> None:
    _user(platform, ADMIN, role="admin")
    with pytest.raises(Forbidden) as refused:
        request_deletion(platform=platform, admin_uid=ADMIN, uid=ADMIN, mode="hard")
    assert refused.value.code == "self_delete"
    with pytest.raises(NotFound):
        request_deletion(platform=platform, admin_uid=ADMIN, uid="nobody", mode="soft")
    assert read_user(platform, ADMIN).is_active is True


def test_soft_delete_disables_now_and_the_cleanup_purges_after_the_grace_period(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    _user(platform, ADMIN, role="admin")
    _content(platform, UID, videos=1)
    job = request_deletion(platform=platform, admin_uid=ADMIN, uid=UID, mode="soft", now=NOW)
    grace = platform.settings.user_purge_grace_days
    assert job.status == "scheduled" and job.purge_after == NOW + timedelta(days=grace)
    assert read_user(platform, UID).is_active is False
    assert _files_of(platform, UID)  # nothing purged yet

    # asked again: the same date
    again = request_deletion(platform=platform, admin_uid=ADMIN, uid=UID, mode="soft")
    assert again.purge_after == job.purge_after

    def batch(now: datetime) -> cleanup.CleanupBatchResult:
        return cleanup.run_cleanup_batch(
            platform=platform,
            task=cleanup.CleanupTask(target="user_purges", run_id=now.strftime("%Y%m%d"), now=now),
        )

    assert batch(NOW + timedelta(days=grace - 1)).records_deleted == 0
    assert user_deletion.get_job(platform=platform, uid=UID).status == "scheduled"
    after = NOW + timedelta(days=grace, hours=1)
    assert batch(after).records_deleted == 1
    started = user_deletion.get_job(platform=platform, uid=UID)
    assert started.status == "running" and started.mode == "soft"
    assert started.purge_after is None  # settled: the next cleanup finds nothing
    assert batch(after).records_deleted == 0
    assert _run(platform, UID).outcome == "done"
    assert _docs_mentioning(platform, UID) == [f"user_deletions/{UID}"]
    assert _files_of(platform, UID) == []


def test_a_soft_deleted_user_can_be_restored_until_the_purge_starts(platform: Platform) -> None:
    _user(platform, ADMIN, role="admin")
    _user(platform, UID)
    request_deletion(platform=platform, admin_uid=ADMIN, uid=UID, mode="soft", now=NOW)
    user_deletion.cancel_deletion(platform=platform, admin_uid=ADMIN, uid=UID)
    assert read_user(platform, UID).is_active is True
    assert user_deletion.find_job(platform=platform, uid=UID) is None
    # a soft deletion turned hard cannot be undone
    request_deletion(platform=platform, admin_uid=ADMIN, uid=UID, mode="soft", now=NOW)
    request_deletion(platform=platform, admin_uid=ADMIN, uid=UID, mode="hard", now=NOW)
    with pytest.raises(Conflict):
        user_deletion.cancel_deletion(platform=platform, admin_uid=ADMIN, uid=UID)


class WorkerKilled(BaseException):
    """The worker process dying mid-task (no handler of ours runs)."""


def test_a_crash_mid_delete_resumes_at_the_recorded_phase(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    _user(platform, ADMIN, role="admin")
    _content(platform, UID, videos=5)
    monkeypatch.setattr(user_deletion, "BATCH", 2)
    request_deletion(platform=platform, admin_uid=ADMIN, uid=UID, mode="hard", now=NOW)
    real = user_deletion.PHASE_RUNNERS["videos"]
    calls = {"n": 0}

    def dies_on_the_second_batch(p: Platform, uid: str) -> tuple[int, int, bool]:
        calls["n"] += 1
        if calls["n"] == 2:
            raise WorkerKilled
        return real(p, uid)

    monkeypatch.setitem(user_deletion.PHASE_RUNNERS, "videos", dies_on_the_second_batch)
    with pytest.raises(WorkerKilled):
        _run(platform, UID, now=NOW)
    job = user_deletion.get_job(platform=platform, uid=UID)
    assert job.status == "running" and job.phase == "videos"
    assert job.counts["videos"] == 2  # the first batch was recorded
    assert "notifications" not in job.counts  # later phases have not run

    # the queue redelivers at once: the dead worker's lease still holds
    with pytest.raises(ServiceUnavailable):
        _run(platform, UID, now=NOW + timedelta(seconds=30))
    # after the lease, the redelivery resumes at the videos phase
    monkeypatch.setitem(user_deletion.PHASE_RUNNERS, "videos", real)
    result = _run(platform, UID, now=NOW + user_deletion.LEASE + timedelta(seconds=1))
    assert result.outcome == "done"
    assert result.counts["videos"] == 5 and result.counts["videos_blobs"] == 10
    assert result.counts["notifications"] == 3
    assert _docs_mentioning(platform, UID) == [f"user_deletions/{UID}"]


def test_a_failure_frees_the_job_for_an_immediate_retry(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    _user(platform, ADMIN, role="admin")
    _content(platform, UID, videos=1)
    request_deletion(platform=platform, admin_uid=ADMIN, uid=UID, mode="hard", now=NOW)
    real = user_deletion.PHASE_RUNNERS["notifications"]

    def store_down(p: Platform, uid: str) -> tuple[int, int, bool]:
        raise RuntimeError("store unavailable")

    monkeypatch.setitem(user_deletion.PHASE_RUNNERS, "notifications", store_down)
    with pytest.raises(RuntimeError):
        _run(platform, UID, now=NOW)
    assert user_deletion.get_job(platform=platform, uid=UID).phase == "notifications"
    monkeypatch.setitem(user_deletion.PHASE_RUNNERS, "notifications", real)
    assert _run(platform, UID, now=NOW + timedelta(seconds=5)).outcome == "done"


def test_a_big_user_continues_in_named_follow_up_tasks(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    _user(platform, ADMIN, role="admin")
    _content(platform, UID, videos=5)
    monkeypatch.setattr(user_deletion, "BATCH", 1)
    monkeypatch.setattr(user_deletion, "MAX_BATCHES", 3)
    job = request_deletion(platform=platform, admin_uid=ADMIN, uid=UID, mode="hard", now=NOW)
    first = _run(platform, UID)
    assert first.outcome == "continued"
    queue = platform.tasks
    assert isinstance(queue, SqliteTaskQueue)
    run = (platform.documents.collection("user_deletions").document(UID).get().to_dict() or {})[
        "run"
    ]
    follow = queue.get_task(f"user-delete-{UID}-{run}-1")
    assert follow is not None and follow["function"] == user_deletion.FUNCTION
    part = 1
    while True:
        out = run_deletion(platform=platform, task=DeletionTask(uid=UID, run=run, part=part))
        if out.outcome == "done":
            break
        part += 1
        assert part < 50
    assert job.uid == UID
    assert _docs_mentioning(platform, UID) == [f"user_deletions/{UID}"]


def test_a_task_of_an_older_run_does_nothing(platform: Platform) -> None:
    _user(platform, ADMIN, role="admin")
    _content(platform, UID, videos=1)
    request_deletion(platform=platform, admin_uid=ADMIN, uid=UID, mode="hard", now=NOW)
    out = run_deletion(platform=platform, task=DeletionTask(uid=UID, run="r1", part=0))
    assert out.outcome == "stale"
    assert _files_of(platform, UID)
