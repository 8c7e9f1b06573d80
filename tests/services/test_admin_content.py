"""Admin content: recent videos and posts, failed jobs of every kind, and their retry."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from synthora.errors import Conflict, NotFound
from synthora.pipeline.models import (
    Step,
    StepStatus,
    VideoError,
    VideoRecord,
    VideoStatus,
    new_steps,
)
from synthora.platform import Platform, get_platform
from synthora.services import admin_content as svc
from synthora.services import analytics
from synthora.services.admin_content import RetryRequest
from tests.conftest import PlatformEmulators
from tests.services.test_posts import _connect, _create, _video

ADMIN = "admin-1"
NOW = datetime.now(UTC)


def _failed_video(platform: Platform, vid: str, *, uid: str = "u1", age_min: int = 0) -> None:
    steps = new_steps(use_video_ai=False)
    steps[Step.script].status = StepStatus.done
    steps[Step.voice].status = StepStatus.failed
    at = NOW - timedelta(minutes=age_min)
    record = VideoRecord(
        id=vid,
        owner_id=uid,
        template_id="tpl",
        template_name="Template",
        config={},
        topic=f"topic {vid}",
        status=VideoStatus.failed,
        current_step=Step.voice,
        steps=steps,
        error=VideoError(
            step=Step.voice,
            provider="elevenlabs",
            message="401 invalid api key",
            payload={"detail": {"status": "invalid_api_key"}},
            at=at,
        ),
        created_at=at,
        updated_at=at,
    )
    platform.documents.collection("videos").document(vid).set(record.model_dump())


def _queued(platform: Platform, function: str) -> list[dict[str, Any]]:
    """The tasks waiting in the embedded queue for `function` (name and payload)."""
    with sqlite3.connect(platform.settings.data_dir / "synthora.sqlite3") as conn:
        rows = conn.execute(
            "SELECT name, payload FROM task_queue WHERE function = ? AND state = 'pending'",
            (function,),
        ).fetchall()
    return [{"name": name, "payload": json.loads(payload)} for name, payload in rows]


def test_a_failed_video_shows_its_full_error_and_retries_once(platform: Platform) -> None:
    _failed_video(platform, "old", age_min=30)
    _failed_video(platform, "new", age_min=1)
    listed = svc.failed_jobs(platform=platform, kind="video")
    assert [j.id for j in listed.items] == ["new", "old"] and listed.counts == {"video": 2}
    job = listed.items[0]
    assert (job.kind, job.stage, job.owner_id, job.retryable) == ("video", "voice", "u1", True)
    assert job.message == "401 invalid api key"
    assert job.error["payload"] == {"detail": {"status": "invalid_api_key"}}
    assert job.error["provider"] == "elevenlabs"

    out = svc.retry_job(
        platform=platform, admin_uid=ADMIN, request=RetryRequest(kind="video", id="new")
    )
    assert out.outcome == "retried"
    stored = VideoRecord.model_validate(platform.documents.document("videos/new").get().to_dict())
    assert stored.status == VideoStatus.queued and stored.generation == 1
    steps = _queued(platform, "pipeline_voice")
    assert len(steps) == 1  # through the same step task the owner's retry enqueues
    # asked again (a double click, or the owner retried meanwhile): nothing more
    again = svc.retry_job(
        platform=platform, admin_uid=ADMIN, request=RetryRequest(kind="video", id="new")
    )
    assert again.outcome == "not_failed"
    assert len(_queued(platform, "pipeline_voice")) == 1
    assert [j.id for j in svc.failed_jobs(platform=platform).items] == ["old"]
    with pytest.raises(NotFound):
        svc.retry_job(
            platform=platform, admin_uid=ADMIN, request=RetryRequest(kind="video", id="none")
        )


def test_recent_videos_newest_first_with_a_status_filter(platform: Platform) -> None:
    _failed_video(platform, "a", age_min=3)
    _failed_video(platform, "b", age_min=2)
    _failed_video(platform, "c", age_min=1)
    first = svc.recent_videos(platform=platform, limit=2, cursor=None)
    assert [v.id for v in first.items] == ["c", "b"] and first.has_more
    rest = svc.recent_videos(platform=platform, limit=2, cursor=first.next_cursor)
    assert [v.id for v in rest.items] == ["a"] and not rest.has_more
    assert (
        svc.recent_videos(platform=platform, limit=5, cursor=None, status="completed").items == []
    )
    assert (
        len(svc.recent_videos(platform=platform, limit=5, cursor=None, status="failed").items) == 3
    )


def _sync_failure(platform: Platform, account_id: str, uid: str, **state: Any) -> None:
    platform.documents.collection(analytics.SYNC).document(account_id).set({"uid": uid, **state})


def test_failed_syncs_retry_as_one_named_task_per_failure(
    platform_emulators: PlatformEmulators,
) -> None:
    platform = get_platform()
    platform.documents.collection("users").document("creator-1").set({"role": "premium"})
    account = _connect(platform, "tiktok", uid="creator-1")
    _sync_failure(
        platform, account, "creator-1", failures=2, last_error="429 rate limited", backoff_until=NOW
    )
    _sync_failure(platform, "gone-account", "u9", stopped=True, stopped_reason="needs_reconnect")
    jobs = svc.failed_jobs(platform=platform, kind="sync")
    by_id = {j.id: j for j in jobs.items}
    assert set(by_id) == {account, "gone-account"}
    assert by_id[account].retryable and by_id[account].message == "429 rate limited"
    assert by_id[account].error["failures"] == 2
    assert not by_id["gone-account"].retryable

    first = svc.retry_job(
        platform=platform, admin_uid=ADMIN, request=RetryRequest(kind="sync", id=account)
    )
    second = svc.retry_job(
        platform=platform, admin_uid=ADMIN, request=RetryRequest(kind="sync", id=account)
    )
    assert first.outcome == second.outcome == "retried" and first.task == second.task
    queued = _queued(platform, analytics.SYNC_FUNCTION)
    assert len(queued) == 1 and queued[0]["payload"] == {"account_id": account, "force": True}
    with pytest.raises(Conflict):
        svc.retry_job(
            platform=platform, admin_uid=ADMIN, request=RetryRequest(kind="sync", id="gone-account")
        )
    _sync_failure(platform, account, "creator-1", failures=0, last_error=None)
    healthy = svc.retry_job(
        platform=platform, admin_uid=ADMIN, request=RetryRequest(kind="sync", id=account)
    )
    assert healthy.outcome == "not_failed"


def test_a_failed_publish_target_retries_through_publish_now(
    platform_emulators: PlatformEmulators, mp4: bytes
) -> None:
    platform = get_platform()
    uid = "creator-1"
    platform.documents.collection("users").document(uid).set({"role": "premium"})
    account = _connect(platform, "tiktok", uid=uid)
    vid = _video(platform, mp4, uid=uid)
    post = _create(platform, vid, [{"social_account_id": account, "privacy": "SELF_ONLY"}], uid=uid)
    target_id = post.targets[0].id
    ref = platform.documents.document(f"posts/{post.id}")
    data = ref.get().to_dict() or {}
    target = data["targets"][target_id]
    error = {
        "code": "spam_risk_too_many_posts",
        "message": "Too many posts today",
        "http_status": 403,
        "retryable": True,
        "platform_response": {"error": {"code": "spam_risk_too_many_posts"}},
    }
    target.update(status="failed", retryable=True, error=error)
    ref.set({**data, "status": "failed", "due_at": None, "updated_at": NOW})
    tasks_before = len(_queued(platform, "posts_publish"))

    jobs = svc.failed_jobs(platform=platform, kind="post")
    assert len(jobs.items) == 1
    job = jobs.items[0]
    assert (job.id, job.target_id, job.stage, job.owner_id) == (post.id, target_id, "tiktok", uid)
    assert job.error["platform_response"] == error["platform_response"]
    assert recent_ids(platform) == [post.id]

    with pytest.raises(Conflict):
        svc.retry_job(
            platform=platform, admin_uid=ADMIN, request=RetryRequest(kind="post", id=post.id)
        )
    request = RetryRequest(kind="post", id=post.id, target_id=target_id)
    assert svc.retry_job(platform=platform, admin_uid=ADMIN, request=request).outcome == "retried"
    stored = ref.get().to_dict() or {}
    assert stored["targets"][target_id]["status"] == "queued"
    assert len(_queued(platform, "posts_publish")) == tasks_before + 1
    assert (
        svc.retry_job(platform=platform, admin_uid=ADMIN, request=request).outcome == "not_failed"
    )
    assert len(_queued(platform, "posts_publish")) == tasks_before + 1


def recent_ids(platform: Platform) -> list[str]:
    return [p.id for p in svc.recent_posts(platform=platform, limit=10, cursor=None).items]
