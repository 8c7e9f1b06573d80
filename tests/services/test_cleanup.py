"""The daily cleanup: fan-out per kind of expiring data, batches, blobs, idempotency."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from synthora.adapters.sqlite_tasks import SqliteTaskQueue
from synthora.platform import Platform
from synthora.services import cleanup
from synthora.services.cleanup import CleanupTask, plan_cleanup, run_cleanup_batch
from synthora.services.expiry import CleanupTarget

NOW = datetime(2026, 11, 24, 3, 17, tzinfo=UTC)


def _queue(platform: Platform) -> SqliteTaskQueue:
    assert isinstance(platform.tasks, SqliteTaskQueue)
    return platform.tasks


def test_plan_enqueues_one_task_per_target_once_a_day(platform: Platform) -> None:
    first = plan_cleanup(platform=platform, now=NOW)
    targets = cleanup.registered_targets()
    assert {"oauth_states", "expired_videos", "notifications"} <= set(targets)
    assert len(first.enqueued) == len(targets) and first.already_enqueued == []
    again = plan_cleanup(platform=platform, now=NOW + timedelta(hours=2))
    assert again.enqueued == [] and sorted(again.already_enqueued) == sorted(first.enqueued)
    task = _queue(platform).get_task("cleanup-expired_videos-20261124-0")
    assert task is not None and task["function"] == "cleanup_worker"


def test_expired_videos_go_with_their_files_and_fresh_ones_stay(platform: Platform) -> None:
    store, blobs = platform.documents, platform.blobs
    for vid, expires in (("old", NOW - timedelta(days=1)), ("new", NOW + timedelta(days=3))):
        store.collection("videos").document(vid).set(
            {"owner_id": "u1", "expires_at": expires, "status": "completed"}
        )
        for name in ("video.mp4", "thumbnail.jpg", "voice/scene-00.wav"):
            blobs.put_bytes(
                f"videos/u1/{vid}/{name}", b"x", content_type="application/octet-stream"
            )
    result = run_cleanup_batch(
        platform=platform, task=CleanupTask(target="expired_videos", run_id="20261124", now=NOW)
    )
    assert result.records_deleted == 1 and result.blobs_deleted == 3 and not result.more
    assert not store.collection("videos").document("old").get().exists
    assert store.collection("videos").document("new").get().exists
    assert [b.key for b in blobs.list("videos/u1/old/")] == []
    assert len(list(blobs.list("videos/u1/new/"))) == 3
    # a duplicate delivery finds nothing left to do
    again = run_cleanup_batch(
        platform=platform, task=CleanupTask(target="expired_videos", run_id="20261124", now=NOW)
    )
    assert again.records_deleted == 0 and again.blobs_deleted == 0


def test_big_backlogs_continue_in_named_batches(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = CleanupTarget(name="oauth_states", collection="oauth_states", batch_size=3)
    monkeypatch.setitem(cleanup.TARGETS, "oauth_states", target)
    batch = platform.documents.batch()
    for i in range(7):
        batch.set(
            platform.documents.collection("oauth_states").document(f"s{i}"),
            {"expires_at": NOW - timedelta(minutes=i + 1)},
        )
    batch.commit()
    task = CleanupTask(target="oauth_states", run_id="20261124", page=0, now=NOW)
    first = run_cleanup_batch(platform=platform, task=task)
    assert first.records_deleted == 3 and first.more
    assert first.next_task == "cleanup-oauth_states-20261124-1"
    assert _queue(platform).get_task(first.next_task) is not None
    second = run_cleanup_batch(platform=platform, task=task.model_copy(update={"page": 1}))
    third = run_cleanup_batch(platform=platform, task=task.model_copy(update={"page": 2}))
    assert (second.records_deleted, third.records_deleted) == (3, 1)
    assert not third.more and third.next_task is None
    assert platform.documents.collection("oauth_states").count() == 0


def test_unknown_target_is_refused(platform: Platform) -> None:
    with pytest.raises(KeyError, match="unknown cleanup target"):
        run_cleanup_batch(platform=platform, task=CleanupTask(target="nope", run_id="20261124"))
