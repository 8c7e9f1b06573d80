"""The posts service through the platform emulators: create, checks, publishers, scheduling,
exactly once (duplicate delivery, a crash between upload and record, a reschedule racing
the task), limits, the sweeper and the video's retention.

Accounts are connected through the emulators' consent pages; tasks are delivered by
calling the task handler the way the queue would (same payload, same revision).
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

import httpx
import pytest

from synthora.errors import Conflict, Forbidden, ServiceUnavailable, ValidationFailed
from synthora.pipeline.models import (
    Step,
    StepState,
    StepStatus,
    VideoOutputs,
    VideoRecord,
    VideoStatus,
    new_steps,
)
from synthora.platform import Platform, get_platform
from synthora.publishing.youtube import YouTubePublisher
from synthora.services import posts as svc
from synthora.services import social_accounts as accounts
from synthora.services.social_accounts import SelectRequest
from tests.conftest import PlatformEmulators
from tests.functions.test_social_accounts import ConsentForm

UID = "creator-1"


class WorkerKilled(BaseException):
    """A worker process dying mid-task (no exception handler of ours runs)."""


@pytest.fixture
def env(platform_emulators: PlatformEmulators, mp4: bytes) -> dict[str, Any]:
    platform = get_platform()
    platform.documents.collection("users").document(UID).set({"role": "premium"})
    return {"platform": platform, "emu": platform_emulators, "mp4": mp4}


def _video(
    platform: Platform, data: bytes, *, uid: str = UID, expires_in: timedelta | None = None
) -> str:
    vid = f"vid{abs(hash((uid, len(data), datetime.now(UTC).timestamp()))) % 10**9}"
    key = f"videos/{uid}/{vid}/video.mp4"
    platform.blobs.put_bytes(key, data, content_type="video/mp4")
    record = VideoRecord(
        id=vid,
        owner_id=uid,
        template_id="t",
        template_name="Template",
        config={},
        topic="three facts about octopuses",
        title="Three facts about octopuses",
        description="Octopuses have three hearts.",
        hashtags=["octopus", "facts"],
        status=VideoStatus.completed,
        steps=_made_with(script="template-writer", voice="piper"),
        outputs=VideoOutputs(
            video_key=key, duration_s=4.0, width=720, height=1280, size_bytes=len(data)
        ),
        completed_at=datetime.now(UTC),
        expires_at=datetime.now(UTC) + (expires_in or timedelta(days=30)),
    )
    platform.documents.collection("videos").document(vid).set(record.model_dump())
    return vid


def _made_with(*, script: str, voice: str, video_ai: str | None = None) -> dict[Step, StepState]:
    """The steps of a finished video, each done with the given provider."""
    steps = new_steps(use_video_ai=video_ai is not None)
    for step, provider in (
        (Step.script, script),
        (Step.voice, voice),
        (Step.media, "pexels"),
        (Step.video_ai, video_ai),
        (Step.assembly, "ffmpeg"),
        (Step.finalize, "ffmpeg"),
    ):
        if provider is not None:
            steps[step] = StepState(status=StepStatus.done, provider=provider)
    return steps


def consent(url: str) -> str:
    """Allow everything on the emulated consent page, as a browser would; the redirect target."""
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        page = browser.get(url)
        form = ConsentForm()
        form.feed(page.text)
        assert form.action and form.checked_account, page.text[:300]
        data = [("account", form.checked_account), ("decision", "allow")]
        data += [("scope", s) for s in form.scopes]
        answer = browser.post(
            urljoin(url, form.action),
            content=urlencode(data),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert answer.status_code in (302, 303), answer.text[:300]
        return answer.headers["Location"]


def _connect(platform: Platform, social: str, *, uid: str = UID) -> str:
    start = accounts.start_connect(platform=platform, uid=uid, social_platform=social)
    target = consent(start.authorization_url)
    query = {k: v[0] for k, v in parse_qs(urlparse(target).query).items()}
    outcome = accounts.complete_callback(
        platform=platform, social_platform=social, state=query["state"], code=query["code"]
    )
    if outcome.result == "select":
        assert outcome.selection is not None
        chosen = [outcome.selection.candidates[0].platform_account_id]
        listed = accounts.confirm_selection(
            platform=platform,
            uid=uid,
            selection_id=outcome.selection.id,
            request=SelectRequest(platform_account_ids=chosen),
        )
        return listed.items[0].id
    assert outcome.result == "connected", outcome
    return outcome.accounts[0].id


def _create(platform: Platform, vid: str, targets: list[dict[str, Any]], **kw: Any) -> svc.PostOut:
    return svc.create_post(
        platform=platform,
        uid=kw.pop("uid", UID),
        request=svc.CreatePostRequest.model_validate({"video_id": vid, "targets": targets, **kw}),
    )


def _deliver(platform: Platform, post_id: str, target_id: str, **kw: Any) -> svc.PublishTaskResult:
    data = platform.documents.collection("posts").document(post_id).get().to_dict() or {}
    revision = kw.pop("revision", data["targets"][target_id]["revision"])
    return svc.run_publish_task(
        platform=platform,
        task=svc.PublishTask(post_id=post_id, target_id=target_id, revision=revision),
        **kw,
    )


def _advance(emu: PlatformEmulators, seconds: float) -> None:
    emu.control("clock", {"advance_s": seconds})


def _until_done(
    env: dict[str, Any], post_id: str, target_id: str, rounds: int = 12
) -> svc.PublishTaskResult:
    result = _deliver(env["platform"], post_id, target_id)
    for _ in range(rounds):
        if result.outcome != "processing":
            return result
        _advance(env["emu"], 70)
        result = _deliver(env["platform"], post_id, target_id)
    return result


def _youtube_uploads(emu: PlatformEmulators) -> list[dict[str, Any]]:
    seen = emu.inspect("google")
    return list(seen.get("videos") or seen.get("uploads") or [])


# --------------------------------------------------------------------------- create and checks


def test_post_now_to_youtube_and_tiktok_publishes_each_once(env: dict[str, Any]) -> None:
    platform, emu = env["platform"], env["emu"]
    yt = _connect(platform, "youtube")
    tt = _connect(platform, "tiktok")
    vid = _video(platform, env["mp4"])
    post = _create(
        platform,
        vid,
        [
            {"social_account_id": yt, "settings": {"category_id": "27", "made_for_kids": False}},
            {"social_account_id": tt, "privacy": "SELF_ONLY", "settings": {"allow_duet": False}},
        ],
    )
    assert post.status == "scheduled" and [t.status for t in post.targets] == ["queued", "queued"]
    assert post.ai_disclosure.ai_generated
    for t in post.targets:  # one named task per target, carrying its revision
        assert platform.tasks.get_task(f"post-{post.id}-{t.id}-r0") is not None
    yt_t, tt_t = post.targets
    assert _deliver(platform, post.id, yt_t.id).outcome == "processing"
    assert _until_done(env, post.id, yt_t.id).outcome == "published"
    assert _until_done(env, post.id, tt_t.id).outcome == "published"
    done = svc.get_post(platform=platform, uid=UID, post_id=post.id)
    assert done.status == "published"
    yt_out = done.targets[0]
    assert yt_out.platform_post_id and yt_out.url and yt_out.url.endswith(yt_out.platform_post_id)
    assert done.targets[1].platform_post_id  # the publish id of a private TikTok post
    google = emu.inspect("google")
    assert "synthetic" in str(google) or "containsSyntheticMedia" in str(google)
    uploads = [v for v in google["videos"]] if "videos" in google else []
    assert len(uploads) == 1
    tiktok = emu.inspect("tiktok")
    posts = list(tiktok.get("posts") or [])
    assert len(posts) == 1 and posts[0]["post_info"]["is_aigc"] is True
    assert posts[0]["post_info"]["disable_duet"] is True
    # a duplicate of a finished target's task does nothing
    assert _deliver(platform, post.id, yt_t.id).outcome == "done"
    assert len(emu.inspect("google")["videos"]) == 1
    kinds = [
        s.get("type")
        for s in platform.documents.collection("notifications").where("user_id", "==", UID).get()
    ]
    assert kinds.count("post_published") == 2


def test_prepublish_checks_name_the_target_and_the_rule(env: dict[str, Any]) -> None:
    platform = env["platform"]
    yt = _connect(platform, "youtube")
    tt = _connect(platform, "tiktok")
    vid = _video(platform, env["mp4"])
    with pytest.raises(ValidationFailed) as caught:
        _create(
            platform,
            vid,
            [
                {"social_account_id": yt, "title": "x" * 101, "privacy": "friends"},
                {"social_account_id": tt},  # TikTok needs a privacy level from creator_info
            ],
        )
    details = caught.value.details
    rules = {(d["target"], d["rule"]) for d in details}
    assert ("t1-youtube", "title_length") in rules
    assert ("t1-youtube", "privacy_not_allowed") in rules
    assert ("t2-tiktok", "privacy_required") in rules
    assert all(d["field"].startswith("body.targets.") for d in details)
    assert not platform.documents.collection("posts").get()  # nothing stored


def test_scheduling_ahead_needs_a_role_that_can_schedule(env: dict[str, Any]) -> None:
    platform = env["platform"]
    platform.documents.collection("users").document(UID).set({"role": "free"})
    yt = _connect(platform, "youtube")
    vid = _video(platform, env["mp4"])
    with pytest.raises(Forbidden):
        _create(
            platform,
            vid,
            [{"social_account_id": yt}],
            scheduled_at=(datetime.now(UTC) + timedelta(hours=2)).isoformat(),
        )
    assert _create(platform, vid, [{"social_account_id": yt}]).status == "scheduled"  # now is fine


# --------------------------------------------------------------------------- exactly once


def test_youtube_resumes_after_a_broken_connection(env: dict[str, Any]) -> None:
    platform, emu = env["platform"], env["emu"]
    yt = _connect(platform, "youtube")
    post = _create(platform, _video(platform, env["mp4"]), [{"social_account_id": yt}])
    emu.control(
        "faults", {"platform": "google", "method": "PUT", "path": "/upload/*", "kind": "drop"}
    )
    assert _deliver(platform, post.id, post.targets[0].id).outcome == "processing"
    assert _until_done(env, post.id, post.targets[0].id).outcome == "published"
    assert len(emu.inspect("google")["videos"]) == 1


def test_crash_between_upload_and_record_resumes_the_same_session(
    env: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    platform, emu = env["platform"], env["emu"]
    yt = _connect(platform, "youtube")
    post = _create(platform, _video(platform, env["mp4"]), [{"social_account_id": yt}])
    tid = post.targets[0].id
    original = YouTubePublisher._uploaded

    def crash(self: YouTubePublisher, job: Any, answer: Any) -> Any:
        raise WorkerKilled("the worker died after the platform took the bytes")

    monkeypatch.setattr(YouTubePublisher, "_uploaded", crash)
    with pytest.raises(WorkerKilled):
        _deliver(platform, post.id, tid)
    monkeypatch.setattr(YouTubePublisher, "_uploaded", original)
    assert len(emu.inspect("google")["videos"]) == 1  # the bytes arrived; we never recorded it
    # the queue redelivers at once: the lease is still held, so it backs off
    with pytest.raises(ServiceUnavailable):
        _deliver(platform, post.id, tid)
    # after the lease, the redelivery asks the saved session what arrived
    later = datetime.now(UTC) + svc.LEASE + timedelta(seconds=5)
    assert _deliver(platform, post.id, tid, now=later).outcome == "processing"
    assert _until_done(env, post.id, tid).outcome == "published"
    assert len(emu.inspect("google")["videos"]) == 1


def test_an_error_after_the_upload_hands_the_claim_back_and_the_retry_resumes(
    env: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    platform, emu = env["platform"], env["emu"]
    yt = _connect(platform, "youtube")
    post = _create(platform, _video(platform, env["mp4"]), [{"social_account_id": yt}])
    tid = post.targets[0].id
    original = YouTubePublisher._uploaded

    def fails(self: YouTubePublisher, job: Any, answer: Any) -> Any:
        raise RuntimeError("the store refused the write after the platform took the bytes")

    monkeypatch.setattr(YouTubePublisher, "_uploaded", fails)
    with pytest.raises(RuntimeError):
        _deliver(platform, post.id, tid)  # answered 500: the queue retries
    monkeypatch.setattr(YouTubePublisher, "_uploaded", original)
    saved = platform.documents.collection("posts").document(post.id).get().to_dict() or {}
    assert saved["targets"][tid]["claim"] is None  # no 10-minute wait for the lease
    # the retry asks the saved session what arrived instead of uploading again
    assert _deliver(platform, post.id, tid).outcome == "processing"
    assert _until_done(env, post.id, tid).outcome == "published"
    assert len(emu.inspect("google")["videos"]) == 1


def test_duplicate_delivery_while_uploading_is_refused_and_publishes_once(
    env: dict[str, Any],
) -> None:
    platform, emu = env["platform"], env["emu"]
    tt = _connect(platform, "tiktok")
    post = _create(
        platform, _video(platform, env["mp4"]), [{"social_account_id": tt, "privacy": "SELF_ONLY"}]
    )
    tid = post.targets[0].id
    emu.control(
        "faults",
        {
            "platform": "tiktok",
            "method": "PUT",
            "path": "/upload/*",
            "kind": "delay",
            "delay_s": 1.5,
        },
    )
    results: list[Any] = []
    first = threading.Thread(target=lambda: results.append(_deliver(platform, post.id, tid)))
    first.start()
    deadline = datetime.now(UTC) + timedelta(seconds=5)
    while datetime.now(UTC) < deadline:
        data = platform.documents.collection("posts").document(post.id).get().to_dict() or {}
        if data["targets"][tid].get("claim"):
            break
    with pytest.raises(ServiceUnavailable):
        _deliver(platform, post.id, tid)  # the duplicate arrives while the first holds it
    first.join(10)
    assert results and results[0].outcome == "processing"
    assert _until_done(env, post.id, tid).outcome == "published"
    assert len(emu.inspect("tiktok")["posts"]) == 1


def test_a_reschedule_racing_the_running_task_is_refused_and_it_publishes_once(
    env: dict[str, Any],
) -> None:
    platform, emu = env["platform"], env["emu"]
    tt = _connect(platform, "tiktok")
    post = _create(
        platform, _video(platform, env["mp4"]), [{"social_account_id": tt, "privacy": "SELF_ONLY"}]
    )
    tid = post.targets[0].id
    emu.control(
        "faults",
        {
            "platform": "tiktok",
            "method": "PUT",
            "path": "/upload/*",
            "kind": "delay",
            "delay_s": 1.5,
        },
    )
    results: list[Any] = []
    task = threading.Thread(target=lambda: results.append(_deliver(platform, post.id, tid)))
    task.start()
    deadline = datetime.now(UTC) + timedelta(seconds=5)
    while datetime.now(UTC) < deadline:
        data = platform.documents.collection("posts").document(post.id).get().to_dict() or {}
        if data["targets"][tid].get("claim"):
            break
    later = datetime.now(UTC) + timedelta(hours=3)
    with pytest.raises(Conflict):  # the user moves it while it uploads
        svc.update_post(
            platform=platform,
            uid=UID,
            post_id=post.id,
            request=svc.UpdatePostRequest(scheduled_at=later),
        )
    with pytest.raises(Conflict):
        svc.delete_post(platform=platform, uid=UID, post_id=post.id)
    task.join(10)
    assert results and results[0].outcome == "processing"
    assert _until_done(env, post.id, tid).outcome == "published"
    assert len(emu.inspect("tiktok")["posts"]) == 1


def test_reschedule_and_delete_make_old_tasks_no_ops(env: dict[str, Any]) -> None:
    platform, emu = env["platform"], env["emu"]
    yt = _connect(platform, "youtube")
    at = datetime.now(UTC) + timedelta(hours=1)
    post = _create(
        platform,
        _video(platform, env["mp4"]),
        [{"social_account_id": yt}],
        scheduled_at=at.isoformat(),
    )
    tid = post.targets[0].id
    task = platform.tasks.get_task(f"post-{post.id}-{tid}-r0")
    assert task is not None
    moved = svc.update_post(
        platform=platform,
        uid=UID,
        post_id=post.id,
        request=svc.UpdatePostRequest(scheduled_at=at + timedelta(hours=1), title="New title"),
    )
    assert moved.targets[0].revision == 1 and moved.targets[0].content.title == "New title"
    assert platform.tasks.get_task(f"post-{post.id}-{tid}-r1") is not None
    # the old task fires (at its old time): it is a no-op
    stale = _deliver(platform, post.id, tid, revision=0, now=at + timedelta(seconds=1))
    assert stale.outcome == "stale"
    # the new one fired early is not taken either
    early = _deliver(platform, post.id, tid, now=at + timedelta(seconds=1))
    assert early.outcome == "waiting"
    cancelled = svc.delete_post(platform=platform, uid=UID, post_id=post.id)
    assert cancelled.status == "cancelled"
    assert (
        _deliver(platform, post.id, tid, revision=1, now=at + timedelta(hours=2)).outcome == "stale"
    )
    assert emu.inspect("google")["videos"] == []  # nothing ever reached YouTube


# --------------------------------------------------------------------------- limits, sweeper


def test_at_the_daily_cap_the_target_waits_and_the_user_is_told_when(
    env: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = env["platform"]
    monkeypatch.setattr(platform.settings, "posting_daily_cap_override", 1)
    yt = _connect(platform, "youtube")
    first = _create(platform, _video(platform, env["mp4"]), [{"social_account_id": yt}])
    assert _deliver(platform, first.id, first.targets[0].id).outcome == "processing"
    second = _create(platform, _video(platform, env["mp4"]), [{"social_account_id": yt}])
    waiting = second.targets[0]
    assert waiting.status == "queued" and waiting.not_before is not None
    assert waiting.not_before > datetime.now(UTC) + timedelta(hours=23)
    assert waiting.waiting_reason and "24 h" in waiting.waiting_reason
    assert _deliver(platform, second.id, waiting.id).outcome == "waiting"


def test_a_platform_limit_makes_the_target_wait_and_tells_the_user_when(
    env: dict[str, Any],
) -> None:
    platform, emu = env["platform"], env["emu"]
    yt = _connect(platform, "youtube")
    emu.control("google/quota", {"uploads_per_day": 0})  # YouTube answers 403 quotaExceeded
    post = _create(platform, _video(platform, env["mp4"]), [{"social_account_id": yt}])
    tid = post.targets[0].id
    result = _deliver(platform, post.id, tid)
    assert result.outcome == "waiting" and result.limited
    out = svc.get_post(platform=platform, uid=UID, post_id=post.id).targets[0]
    # back in the queue (it can still be edited or cancelled), until YouTube's reset
    assert out.status == "queued" and out.not_before is not None
    pacific = out.not_before.astimezone(svc.PACIFIC)
    assert (pacific.hour, pacific.minute) == (0, 0)
    assert out.waiting_reason and out.not_before.isoformat() in out.waiting_reason
    assert out.attempts == 0  # waiting is not a failed attempt
    assert platform.tasks.get_task(f"post-{post.id}-{tid}-r1-l") is not None
    notes = platform.documents.collection("notifications").where("user_id", "==", UID).get()
    waiting = [n.to_dict() for n in notes if n.get("type") == "scheduled_post"]
    assert len(waiting) == 1 and out.not_before.isoformat() in str(waiting[0])
    # the old task is a no-op now; the waiting target is cancelled like any queued one
    assert _deliver(platform, post.id, tid, revision=0).outcome == "stale"
    assert svc.delete_post(platform=platform, uid=UID, post_id=post.id).status == "cancelled"
    assert emu.inspect("google")["videos"] == []


def test_youtube_project_upload_bucket_is_counted_before_enqueueing(
    env: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = env["platform"]
    monkeypatch.setattr(platform.settings, "posting_youtube_uploads_per_day", 1)
    yt = _connect(platform, "youtube")
    first = _create(platform, _video(platform, env["mp4"]), [{"social_account_id": yt}])
    assert _deliver(platform, first.id, first.targets[0].id).outcome == "processing"
    second = _create(platform, _video(platform, env["mp4"]), [{"social_account_id": yt}])
    waiting = second.targets[0]
    assert waiting.status == "queued" and waiting.not_before is not None
    assert waiting.waiting_reason and "upload bucket" in waiting.waiting_reason
    assert waiting.not_before.astimezone(svc.PACIFIC).hour == 0
    assert _deliver(platform, second.id, waiting.id).outcome == "waiting"


def test_sweeper_enqueues_overdue_unclaimed_targets_and_reminds(env: dict[str, Any]) -> None:
    platform = env["platform"]
    yt = _connect(platform, "youtube")
    at = datetime.now(UTC) + timedelta(hours=2)
    post = _create(
        platform,
        _video(platform, env["mp4"]),
        [{"social_account_id": yt}],
        scheduled_at=at.isoformat(),
    )
    assert svc.sweep(platform=platform).reminders == 0  # not within 30 minutes yet
    before = at - timedelta(minutes=20)
    swept = svc.sweep(platform=platform, now=before)
    assert swept.enqueued == [] and swept.reminders == 1  # within the 30-minute window
    assert svc.sweep(platform=platform, now=before).reminders == 0  # once
    later = at + timedelta(minutes=5)
    swept = svc.sweep(platform=platform, now=later)
    assert len(swept.enqueued) == 1 and post.id in swept.enqueued[0]
    assert platform.tasks.get_task(swept.enqueued[0]) is not None


def test_no_reminder_for_a_post_already_due_or_scheduled_within_the_window(
    env: dict[str, Any],
) -> None:
    platform = env["platform"]
    yt = _connect(platform, "youtube")
    soon = datetime.now(UTC) + timedelta(minutes=10)
    _create(
        platform,
        _video(platform, env["mp4"]),
        [{"social_account_id": yt}],
        scheduled_at=soon.isoformat(),
    )
    assert svc.sweep(platform=platform).reminders == 0  # its owner scheduled it just now
    at = datetime.now(UTC) + timedelta(hours=2)
    _create(
        platform,
        _video(platform, env["mp4"]),
        [{"social_account_id": yt}],
        scheduled_at=at.isoformat(),
    )
    # the sweeper missed the window (an outage): at the due minute a reminder says nothing
    assert svc.sweep(platform=platform, now=at).reminders == 0
    kinds = [
        s.get("type")
        for s in platform.documents.collection("notifications").where("user_id", "==", UID).get()
    ]
    assert "scheduled_post" not in kinds


def test_sweeper_finds_a_target_whose_poll_task_was_lost(env: dict[str, Any]) -> None:
    platform = env["platform"]
    yt = _connect(platform, "youtube")
    post = _create(platform, _video(platform, env["mp4"]), [{"social_account_id": yt}])
    tid = post.targets[0].id
    assert _deliver(platform, post.id, tid).outcome == "processing"
    assert svc.sweep(platform=platform).enqueued == []  # its poll is not overdue
    later = datetime.now(UTC) + timedelta(minutes=5)
    swept = svc.sweep(platform=platform, now=later)
    assert len(swept.enqueued) == 1 and tid in swept.enqueued[0]
    assert _until_done(env, post.id, tid).outcome == "published"


def test_a_scheduled_post_keeps_its_video_alive(env: dict[str, Any]) -> None:
    platform = env["platform"]
    yt = _connect(platform, "youtube")
    vid = _video(platform, env["mp4"], expires_in=timedelta(days=1))
    at = datetime.now(UTC) + timedelta(days=10)
    _create(platform, vid, [{"social_account_id": yt}], scheduled_at=at.isoformat())
    expires = platform.documents.collection("videos").document(vid).get().get("expires_at")
    assert expires >= at + svc.RETENTION_AFTER_POST - timedelta(seconds=1)


# --------------------------------------------------------------------------- Instagram and Facebook


@pytest.fixture
def served(env: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Serve the video over loopback HTTP, as the gateway serves signed blob URLs locally."""
    data = env["mp4"]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "video/mp4")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/video.mp4"
    monkeypatch.setattr(env["platform"].blobs, "signed_url", lambda *a, **k: url)
    yield url
    server.shutdown()


def test_instagram_reel_from_a_signed_url_publishes_once(env: dict[str, Any], served: str) -> None:
    platform, emu = env["platform"], env["emu"]
    ig = _connect(platform, "instagram")
    post = _create(platform, _video(platform, env["mp4"]), [{"social_account_id": ig}])
    tid = post.targets[0].id
    assert _deliver(platform, post.id, tid).outcome == "processing"
    result = _until_done(env, post.id, tid)
    assert result.outcome == "published", result
    out = svc.get_post(platform=platform, uid=UID, post_id=post.id).targets[0]
    assert out.url and "instagram.com/reel/" in out.url
    seen = emu.inspect("meta")
    media = seen.get("media") or seen.get("ig_media") or []
    assert len(media) == 1


def test_instagram_lost_publish_answer_is_never_published_twice(
    env: dict[str, Any], served: str
) -> None:
    platform, emu = env["platform"], env["emu"]
    ig = _connect(platform, "instagram")
    post = _create(platform, _video(platform, env["mp4"]), [{"social_account_id": ig}])
    tid = post.targets[0].id
    assert _deliver(platform, post.id, tid).outcome == "processing"  # the container exists
    _advance(emu, 60)
    emu.control(
        "faults",
        {"platform": "meta", "method": "POST", "path": "/v27.0/*/media_publish", "kind": "drop"},
    )
    lost = _deliver(platform, post.id, tid)  # media_publish sent, its answer lost
    assert lost.outcome == "retry"
    saved = platform.documents.collection("posts").document(post.id).get().to_dict() or {}
    assert saved["targets"][tid]["upload"]["publish_attempted"] is True
    later = datetime.now(UTC) + timedelta(minutes=2)
    assert _deliver(platform, post.id, tid, now=later).outcome == "published"
    seen = emu.inspect("meta")
    assert len(seen.get("media") or seen.get("ig_media") or []) == 1
    containers = seen.get("containers") or []
    assert len(containers) == 1  # the same container, never a second one


def test_facebook_page_reel_publishes(env: dict[str, Any]) -> None:
    platform = env["platform"]
    fb = _connect(platform, "facebook")
    post = _create(platform, _video(platform, env["mp4"]), [{"social_account_id": fb}])
    # 720x1280 meets the Reels minimum of 540x960
    result = _until_done(env, post.id, post.targets[0].id)
    assert result.outcome == "published", result
    out = svc.get_post(platform=platform, uid=UID, post_id=post.id).targets[0]
    assert out.url and out.platform_post_id and out.platform_post_id in out.url


def test_other_users_cannot_see_a_post(env: dict[str, Any]) -> None:
    platform = env["platform"]
    yt = _connect(platform, "youtube")
    post = _create(platform, _video(platform, env["mp4"]), [{"social_account_id": yt}])
    from synthora.errors import NotFound

    with pytest.raises(NotFound):
        svc.get_post(platform=platform, uid="someone-else", post_id=post.id)
    with pytest.raises(NotFound):
        svc.delete_post(platform=platform, uid="someone-else", post_id=post.id)


def test_media_facts_come_from_ffprobe(mp4: bytes, tmp_path: Path) -> None:
    from synthora.publishing.checks import media_facts

    path = tmp_path / "clip.mp4"
    path.write_bytes(mp4)
    facts = media_facts(path)
    assert (facts.width, facts.height, facts.video_codec, facts.audio_codec) == (
        720,
        1280,
        "h264",
        "aac",
    )
    assert facts.fps == pytest.approx(30) and 3.9 <= facts.duration_s <= 4.1
    assert facts.size_bytes == len(mp4)


# --------------------------------------------------------------------------- AI disclosure


@pytest.mark.parametrize(
    ("made", "expected", "mentions"),
    [
        ({"script": "template-writer", "voice": "piper"}, True, ["synthetic voice (piper)"]),
        (
            {"script": "openai", "voice": "elevenlabs"},
            True,
            ["AI model (openai)", "synthetic voice (elevenlabs)"],
        ),
        (
            {"script": "openai", "voice": "piper", "video_ai": "runway"},
            True,
            ["AI model (openai)", "AI-generated video (runway)"],
        ),
    ],
)
def test_ai_disclosure_follows_how_the_video_was_made(
    made: dict[str, str], expected: bool, mentions: list[str]
) -> None:
    video = VideoRecord(
        id="v1",
        owner_id=UID,
        template_id="t",
        template_name="T",
        config={},
        topic="x",
        steps=_made_with(**made),
    )
    out = svc._ai_disclosure(video)
    assert out.ai_generated is expected
    text = " | ".join(out.reasons)
    for m in mentions:
        assert m in text
    if made["script"] == "template-writer":
        assert "AI model" not in text  # the offline template writer is not an AI model
    assert out.sent_as["youtube"] == "status.containsSyntheticMedia=true"


def test_a_video_with_no_ai_step_is_not_labelled() -> None:
    steps = new_steps(use_video_ai=False)
    steps[Step.script] = StepState(status=StepStatus.done, provider="template-writer")
    steps[Step.voice] = StepState(status=StepStatus.skipped)
    video = VideoRecord(
        id="v2", owner_id=UID, template_id="t", template_name="T", config={}, topic="x", steps=steps
    )
    out = svc._ai_disclosure(video)
    assert out.ai_generated is False and out.reasons == []
    assert out.sent_as["tiktok"] == "post_info.is_aigc=false"


def test_the_claim_lease_is_a_setting(platform: Platform) -> None:
    """`SYNTHORA_POSTING_LEASE_SECONDS` sets how long a claim holds; 10 minutes by default."""
    from pydantic import ValidationError

    from synthora.settings import Settings

    assert svc._lease(platform) == svc.LEASE == timedelta(minutes=10)
    shorter = platform.settings.model_copy(update={"posting_lease_seconds": 120})
    assert svc._lease(type("P", (), {"settings": shorter})()) == timedelta(minutes=2)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="posting_lease_seconds"):
        Settings(posting_lease_seconds=5)


def test_tiktok_rate_limit_is_a_short_wait_not_a_failed_attempt(env: dict[str, Any]) -> None:
    """TikTok lets one token start 6 posts a minute; the 7th and 8th wait a minute and go."""
    platform, emu = env["platform"], env["emu"]
    tt = _connect(platform, "tiktok")
    posts = [
        _create(
            platform,
            _video(platform, env["mp4"]),
            [{"social_account_id": tt, "privacy": "SELF_ONLY"}],
        )
        for _ in range(8)
    ]
    first = [_deliver(platform, p.id, p.targets[0].id) for p in posts]
    assert [r.outcome for r in first[:6]] == ["processing"] * 6
    assert [r.outcome for r in first[6:]] == ["waiting"] * 2 and all(r.limited for r in first[6:])
    for p in posts[6:]:
        out = svc.get_post(platform=platform, uid=UID, post_id=p.id).targets[0]
        assert out.status == "queued" and out.attempts == 0 and out.not_before is not None
    _advance(emu, 70)
    later = datetime.now(UTC) + timedelta(seconds=70)
    for p in posts[6:]:  # their "w" tasks come due a minute later
        assert _deliver(platform, p.id, p.targets[0].id, now=later).outcome == "processing"
    for p in posts:
        assert _until_done(env, p.id, p.targets[0].id).outcome == "published"
    assert len(emu.inspect("tiktok")["posts"]) == 8
    kinds = [
        s.get("type")
        for s in platform.documents.collection("notifications").where("user_id", "==", UID).get()
    ]
    # a one-minute wait is not worth a notification; the publish is
    assert kinds.count("scheduled_post") == 0 and kinds.count("post_published") == 8


def test_tiktok_creator_settings_are_read_live_before_each_post(env: dict[str, Any]) -> None:
    """Changed in the TikTok app after connecting: comments off, fewer privacy choices."""
    platform, emu = env["platform"], env["emu"]
    tt = _connect(platform, "tiktok")
    listed = emu.inspect("tiktok")["accounts"]
    account = next(a for a in listed if a["open_id"] == "-000adaCreatesOpenId")
    emu.control(
        "tiktok/seed_accounts",
        {
            "accounts": [
                {
                    **account,
                    "comment_disabled": True,
                    "privacy_level_options": ["FOLLOWER_OF_CREATOR", "SELF_ONLY"],
                }
            ]
        },
    )
    ok = _create(
        platform, _video(platform, env["mp4"]), [{"social_account_id": tt, "privacy": "SELF_ONLY"}]
    )
    assert _until_done(env, ok.id, ok.targets[0].id).outcome == "published"
    sent = emu.inspect("tiktok")["posts"][0]["post_info"]
    # the creator turned comments off in the app: posted with comments off, not refused
    assert sent["disable_comment"] is True and sent["privacy_level"] == "SELF_ONLY"
    gone = _create(
        platform,
        _video(platform, env["mp4"]),
        [{"social_account_id": tt, "privacy": "MUTUAL_FOLLOW_FRIENDS"}],
    )
    failed = _deliver(platform, gone.id, gone.targets[0].id)
    assert failed.outcome == "failed"
    out = svc.get_post(platform=platform, uid=UID, post_id=gone.id).targets[0]
    assert out.error and out.error.code == "privacy_level_option_mismatch"
    assert "FOLLOWER_OF_CREATOR, SELF_ONLY" in out.error.message
    assert len(emu.inspect("tiktok")["posts"]) == 1  # nothing was started for the refused one
