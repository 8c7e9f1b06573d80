"""Duplicate delivery of every task and cron function in the manifest, generated from it.

Cloud Tasks delivers at least once, so every task function is delivered the
same task twice at the same moment, then once more (the queue's retry), and
what it did must be what one delivery does: the same documents (created or
changed, notifications included), the same blobs, the same tasks enqueued.

Each function declares how to reach a state where its task is due, in `CASES`
below (one `prepare` per function name, returning the task as the queue would
deliver it). A function in the manifest without a case fails
`test_every_task_function_has_a_delivery_case`. The state is prepared once and
copied, so the single and the duplicated delivery start from the same bytes.

Posting goes through the platform emulators (`THROUGH_EMULATORS`): accounts are
connected on their consent pages, the publish task's follow-ups (processing
polls) are delivered until none is left, and what the emulator received is
counted too: the same publish delivered twice at once uploads one video, makes
one published record and one notification.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import respx
from werkzeug.test import Client

from synthora.identity import INTERNAL_TOKEN_HEADER
from synthora.local.gateway import Gateway
from synthora.manifest import load_manifest
from synthora.platform import Platform, get_platform, set_platform
from synthora.settings import REPO_ROOT, reset_settings_cache
from tests.pipeline.conftest import Pipeline

#: functions whose delivery sends email: an SMTP catcher counts the messages
SENDS_EMAIL = frozenset({"notifications_email"})
MANIFEST = load_manifest(REPO_ROOT / "functions" / "manifest.toml")
QUEUED = sorted(f.name for f in MANIFEST.functions if f.kind in ("task", "cron"))


@dataclass
class Task:
    """One delivery as the queue (or the scheduler) makes it."""

    function: str
    body: dict[str, Any] | None
    name: str


Prepare = Callable[[Platform], Task]


# --------------------------------------------------------------------------- reaching each state


def _queued(platform: Platform, function: str) -> Task:
    """The task waiting in the embedded queue for `function` (the real payload)."""
    with sqlite3.connect(platform.settings.data_dir / "synthora.sqlite3") as conn:
        row = conn.execute(
            "SELECT name, payload FROM task_queue WHERE function = ? AND state = 'pending'"
            " ORDER BY id LIMIT 1",
            (function,),
        ).fetchone()
    assert row is not None, f"no queued task for {function}"
    return Task(function=function, body=json.loads(row[1]), name=row[0])


#: data folders of one generation, copied as each step function's task became due
_STAGES: dict[str, Path] = {}
_STAGE_ROOT: list[Path] = []


def _pipeline_until(platform: Platform, function: str) -> Task:
    """The state of a generation when `function`'s task is due.

    One generation is run once per session, its data folder copied each time a
    step's task became due; each case starts from its copy.
    """
    if not _STAGES:
        _run_pipeline_recording_stages()
    snapshot = _STAGES.get(function)
    assert snapshot is not None, f"the pipeline never made a {function} task due"
    data_dir = platform.settings.data_dir
    set_platform(None)
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.copytree(snapshot, data_dir)
    return _queued(get_platform(), function)


def _run_pipeline_recording_stages() -> None:
    root = _STAGE_ROOT[0]
    work = root / "run"
    saved = os.environ.get("SYNTHORA_DATA_DIR")
    os.environ["SYNTHORA_DATA_DIR"] = str(work)
    reset_settings_cache()
    set_platform(None)
    platform = get_platform()
    pipeline = Pipeline(platform)
    db = platform.settings.data_dir / "synthora.sqlite3"
    try:
        pipeline.start(video_id="dupvideo1", topic="why cats purr")
        for _ in range(50):
            with sqlite3.connect(db) as conn:
                due = [
                    r[0]
                    for r in conn.execute(
                        "SELECT function FROM task_queue WHERE state = 'pending'"
                        " AND function LIKE 'pipeline_%'"
                    )
                ]
            if not due:
                break
            for function in due:
                if function not in _STAGES:
                    _STAGES[function] = root / function
                    shutil.copytree(work, _STAGES[function])
            leased = pipeline.dispatcher.lease_due(limit=1)
            for task in leased:
                pipeline.dispatcher.deliver(task)
    finally:
        pipeline.client.close()
        set_platform(None)
        if saved is not None:
            os.environ["SYNTHORA_DATA_DIR"] = saved
        reset_settings_cache()


@pytest.fixture(scope="module", autouse=True)
def _stage_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    _STAGE_ROOT.append(tmp_path_factory.mktemp("pipeline-stages"))
    yield
    _STAGES.clear()
    _STAGE_ROOT.clear()


def _skipped_video_ai(platform: Platform) -> Task:
    """A video without an AI clip: its video_ai step is skipped, the task must be a no-op."""
    task = _pipeline_until(platform, "pipeline_assembly")
    return Task(function="pipeline_video_ai", body=task.body, name="dup-video-ai")


def _cleanup_worker(platform: Platform) -> Task:
    from synthora.services import notifications

    for n in range(3):
        out = notifications.notify_system(
            platform=platform, uid=f"user{n}", title="old", message="expired long ago"
        )
        assert out is not None
        platform.documents.document(f"notifications/{out.id}").update(
            {"expires_at": datetime.now(UTC) - timedelta(days=2)}
        )
    # the cron fans out one worker task per target
    _deliver_once(platform, Task("cleanup_cron", None, "dup-cron"))
    return _queued(platform, "cleanup_worker")


def _admin_user_delete(platform: Platform) -> Task:
    """A hard deletion of a user with a video (and its files) and notifications."""
    from synthora.services import user_deletion
    from tests.services.test_user_deletion import ADMIN, UID, _content, _user

    _user(platform, ADMIN, role="admin")
    _content(platform, UID, videos=2)
    user_deletion.request_deletion(platform=platform, admin_uid=ADMIN, uid=UID, mode="hard")
    return _queued(platform, "admin_user_delete")


def _cron(platform: Platform) -> Task:
    return Task(function="cleanup_cron", body=None, name="dup-cron")


def _integration_validate(platform: Platform) -> Task:
    from synthora.services import integrations

    integrations.add_integration(
        platform=platform,
        uid="user1",
        request=integrations.AddIntegrationRequest(provider="ffmpeg"),
    )
    return _queued(platform, "integration_validate")


def _fanout(platform: Platform) -> Task:
    from synthora.services import notifications

    for n in range(5):
        platform.documents.document(f"users/user{n}").set(
            {
                "role": "free",
                "is_active": True,
                "email": f"u{n}@example.com",
                "created_at": datetime.now(UTC) - timedelta(minutes=n),
            }
        )
    notifications.start_broadcast(
        platform=platform,
        admin_uid="admin1",
        request=notifications.BroadcastRequest(title="Hello", message="To everyone"),
    )
    return _queued(platform, "notifications_fanout")


def _email(platform: Platform) -> Task:
    """A post failed for a user who has email on: its email task is queued (SMTP: the catcher)."""
    from synthora.services import notifications

    platform.documents.document("users/mailer").set(
        {
            "role": "free",
            "is_active": True,
            "email": "mailer@example.com",
            "preferences": {"notifications": {"muted_types": [], "email": True}},
        }
    )
    notifications.notify_post_failed(
        platform=platform, uid="mailer", post_id="p1", social_platform="tiktok", error="quota"
    )
    return _queued(platform, "notifications_email")


def _subscriptions_sweep(platform: Platform) -> Task:
    """Two subscriptions ending within the window: one cancelled, one annual (both told)."""
    soon = datetime.now(UTC) + timedelta(days=2)
    for n, extra in enumerate(({"cancel_at_period_end": True}, {"plan": "annual"})):
        platform.documents.document(f"users/subscriber{n}").set(
            {"role": "premium", "is_active": True, "email": f"s{n}@example.com"}
        )
        platform.documents.document(f"subscriptions/sub_dup{n}").set(
            {
                "user_id": f"subscriber{n}",
                "status": "active",
                "current_period_end": soon,
                "cancel_at_period_end": False,
                "plan": "monthly",
                "amount": 9900,
                "currency": "usd",
                **extra,
            }
        )
    # the daily cron enqueues page 0 of each billing sweep (`expiring` first)
    _deliver_once(platform, Task("subscriptions_cron", None, "dup-subscriptions-cron"))
    return _queued(platform, "subscriptions_sweep")


def _social_refresh_cron(platform: Platform) -> Task:
    """A connected TikTok account whose access token is about to expire: one refresh is due."""
    from pydantic import SecretStr

    from synthora.providers.social import (
        Capabilities,
        ConnectedAccount,
        PlatformProfile,
        SocialPlatform,
        TokenSet,
    )
    from synthora.services import social_accounts

    social_accounts._store_account(  # the storage path every connect takes
        platform,
        uid="user1",
        social=SocialPlatform.TIKTOK,
        account=ConnectedAccount(
            profile=PlatformProfile(platform_account_id="-open", display_name="Ada"),
            tokens=TokenSet(
                access_token=SecretStr("act.0"),
                refresh_token=SecretStr("rft.0"),
                expires_in=60,
                refresh_expires_in=15552000,
            ),
            scopes=["user.info.basic"],
            capabilities=Capabilities(can_publish=False, can_read_analytics=False),
        ),
        emulated=False,
        refreshable=True,
    )
    return Task(function="social_refresh_cron", body=None, name="dup-social-refresh-cron")


def _social_refresh(platform: Platform) -> Task:
    _deliver_once(platform, _social_refresh_cron(platform))
    return _queued(platform, "social_refresh")


def _analytics_sync_cron(platform: Platform) -> Task:
    """A connected TikTok account: the hourly cron has one sync to queue."""
    _social_refresh_cron(platform)  # stores the account
    return Task("analytics_sync_cron", None, "dup-analytics-cron")


def _analytics_sync(platform: Platform) -> Task:
    """A connected TikTok account: the hourly cron queues its sync (channel figures today)."""
    _social_refresh_cron(platform)  # stores the account
    _deliver_once(platform, Task("analytics_sync_cron", None, "dup-analytics-cron"))
    return _queued(platform, "analytics_sync")


def _suggestions_creator(platform: Platform) -> None:
    """A premium creator with 75 measured posts (planted effects), and one expired suggestion."""
    from synthora.services import suggestions
    from tests.suggestions import plant
    from tests.suggestions.synthetic import history

    plant.user(platform, "creator1")
    plant.history(
        platform,
        "creator1",
        history(posts=75, best_hour=18, better_hook="question", now=datetime.now(UTC)),
    )
    suggestions.create_suggestion(
        platform=platform,
        uid="creator1",
        new=suggestions.NewSuggestion(
            type=suggestions.SuggestionType.trend,
            key="long-gone",
            title="Expired",
            body="Expired",
            evidence=suggestions.Evidence(basis=_empty_basis(), points=[]),
        ),
        now=datetime.now(UTC) - timedelta(days=60),
    )


def _empty_basis() -> Any:
    from synthora.suggestions import Basis

    return Basis(posts=0, videos=0, platforms=[], start=None, end=None, summary="none")


def _suggestions_cron(platform: Platform) -> Task:
    _suggestions_creator(platform)
    return Task("suggestions_cron", None, "dup-suggestions-cron")


def _suggestions_generate(platform: Platform) -> Task:
    """The generation task of the template suggestions (several conclusions) for the creator."""
    _suggestions_creator(platform)
    return Task(
        "suggestions_generate", {"uid": "creator1", "type": "template"}, "dup-suggest-template"
    )


POSTER = "poster1"


def _post(platform: Platform, *, scheduled_at: datetime | None = None) -> str:
    """A post of a finished video to a TikTok account connected through the emulators."""
    from synthora.pipeline.models import VideoOutputs, VideoRecord, VideoStatus, new_steps
    from synthora.services import posts
    from tests.services.test_posts import _connect

    platform.documents.collection("users").document(POSTER).set({"role": "premium"})
    account = _connect(platform, "tiktok", uid=POSTER)
    key = f"videos/{POSTER}/dupvid/video.mp4"
    data = _MP4[0]
    platform.blobs.put_bytes(key, data, content_type="video/mp4")
    record = VideoRecord(
        id="dupvid",
        owner_id=POSTER,
        template_id="t",
        template_name="Template",
        config={},
        topic="why cats purr",
        title="Why cats purr",
        description="Nobody quite knows.",
        hashtags=["cats"],
        status=VideoStatus.completed,
        steps=new_steps(use_video_ai=False),
        outputs=VideoOutputs(
            video_key=key, duration_s=4.0, width=720, height=1280, size_bytes=len(data)
        ),
        completed_at=datetime.now(UTC),
        expires_at=datetime.now(UTC) + timedelta(days=30),
    )
    platform.documents.collection("videos").document("dupvid").set(record.model_dump())
    when = {"scheduled_at": scheduled_at.isoformat()} if scheduled_at else {}
    out = posts.create_post(
        platform=platform,
        uid=POSTER,
        request=posts.CreatePostRequest.model_validate(
            {
                "video_id": "dupvid",
                "targets": [{"social_account_id": account, "privacy": "SELF_ONLY"}],
                **when,
            }
        ),
    )
    return out.id


def _posts_publish(platform: Platform) -> Task:
    """A post now: its publish task is due (the upload, then processing polls, then published)."""
    _post(platform)
    return _queued(platform, "posts_publish")


def _posts_sweeper(platform: Platform) -> Task:
    """A target overdue and unclaimed (its task was lost) and a post due in 20 minutes."""
    overdue = _post(platform, scheduled_at=datetime.now(UTC) + timedelta(hours=2))
    ref = platform.documents.document(f"posts/{overdue}")
    data = ref.get().to_dict() or {}
    past = datetime.now(UTC) - timedelta(minutes=10)
    for target in data["targets"].values():
        target["scheduled_at"] = past
    ref.set({**data, "due_at": past, "scheduled_at": past, "reminded": True})
    with sqlite3.connect(platform.settings.data_dir / "synthora.sqlite3") as conn:
        conn.execute("DELETE FROM task_queue WHERE function = 'posts_publish'")  # lost
    _post(platform, scheduled_at=datetime.now(UTC) + timedelta(minutes=20))
    return Task(function="posts_sweeper", body=None, name="dup-posts-sweeper")


#: cases that connect accounts through the platform emulators (started for them only)
THROUGH_EMULATORS = {"posts_publish", "posts_sweeper"}

#: the MP4 the posts case uploads (the session's `mp4` fixture, set by the test)
_MP4: list[bytes] = []

#: Functions that talk to the platform emulators: after the deliveries under test, the
#: follow-up tasks they enqueued (processing polls) are delivered until none is left, and
#: what the emulators received is counted as an effect too. The emulators name what they
#: create with ids of their own, so those fields are compared as present, not by value.
EMULATED_VOLATILE: dict[str, set[str]] = {
    "posts_publish": {"publish_id", "upload_url", "platform_post_id", "url", "token"},
}

#: task or cron function -> how to bring about a state where its task is due
CASES: dict[str, Prepare] = {
    "subscriptions_cron": lambda p: Task("subscriptions_cron", None, "dup-subscriptions-cron"),
    "subscriptions_sweep": _subscriptions_sweep,
    "social_refresh_cron": _social_refresh_cron,
    "social_refresh": _social_refresh,
    "posts_sweeper": _posts_sweeper,
    "posts_publish": _posts_publish,
    "analytics_sync_cron": _analytics_sync_cron,
    "analytics_sync": _analytics_sync,
    "suggestions_cron": _suggestions_cron,
    "suggestions_generate": _suggestions_generate,
    "cleanup_cron": _cron,
    "admin_user_delete": _admin_user_delete,
    "cleanup_worker": _cleanup_worker,
    "integration_validate": _integration_validate,
    "notifications_fanout": _fanout,
    "notifications_email": _email,
    "pipeline_script": lambda p: _pipeline_until(p, "pipeline_script"),
    "pipeline_voice": lambda p: _pipeline_until(p, "pipeline_voice"),
    "pipeline_media": lambda p: _pipeline_until(p, "pipeline_media"),
    "pipeline_video_ai": _skipped_video_ai,
    "pipeline_assembly": lambda p: _pipeline_until(p, "pipeline_assembly"),
    "pipeline_finalize": lambda p: _pipeline_until(p, "pipeline_finalize"),
}


# --------------------------------------------------------------------------- delivering, counting


def _headers(platform: Platform, task: Task, retry: int) -> dict[str, str]:
    headers = {INTERNAL_TOKEN_HEADER: platform.settings.secret("internal_token")}
    if task.body is None:
        headers |= {"X-CloudScheduler": "true", "X-CloudScheduler-JobName": task.function}
    else:
        headers |= {
            "X-CloudTasks-QueueName": MANIFEST.queue_for(task.function).name,
            "X-CloudTasks-TaskName": task.name,
            "X-CloudTasks-TaskRetryCount": str(retry),
            "X-CloudTasks-TaskExecutionCount": str(retry),
        }
    return headers


def _client(platform: Platform) -> Client:
    return Client(Gateway(settings=platform.settings, manifest=platform.manifest))


def _deliver_once(platform: Platform, task: Task, *, retry: int = 0) -> int:
    r = _client(platform).post(
        f"/_fn/{task.function}/", json=task.body, headers=_headers(platform, task, retry)
    )
    return r.status_code


def _deliver_twice_at_once(platform: Platform, task: Task) -> list[int]:
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    clients = [_client(platform), _client(platform)]

    def run(client: Client) -> None:
        barrier.wait()
        r = client.post(
            f"/_fn/{task.function}/", json=task.body, headers=_headers(platform, task, 0)
        )
        statuses.append(r.status_code)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    return statuses


_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
#: values that differ between two runs of the same work: trace ids, leases, and what
#: envelope encryption draws at random for each write (the same plaintext each time)
_VOLATILE = {"trace_id", "lease_until", "peak_rss_bytes", "ciphertext", "nonce", "wrapped_key"}


def _normal(value: Any, volatile: frozenset[str] = frozenset()) -> Any:
    if isinstance(value, dict) and set(value) == {"__ts__"}:
        return "<time>"
    if isinstance(value, dict):
        return {
            k: "~" if k in _VOLATILE or (k in volatile and v is not None) else _normal(v, volatile)
            for k, v in sorted(value.items())
        }
    if isinstance(value, list):
        return [_normal(v, volatile) for v in value]
    if isinstance(value, str) and _TIME.match(value):
        return "<time>"
    if isinstance(value, float):
        return "<float>"  # measurements (durations, timings); counters are integers
    return value


def _effects(platform: Platform, volatile: frozenset[str] = frozenset()) -> dict[str, Counter[str]]:
    """What is stored: documents (by collection, with content), blobs, queued tasks."""
    db = platform.settings.data_dir / "synthora.sqlite3"
    docs: Counter[str] = Counter()
    tasks: Counter[str] = Counter()
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        rows = (
            conn.execute("SELECT path, data FROM doc_documents")
            if "doc_documents" in tables
            else []
        )
        for path, data in rows:
            parts = path.split("/")
            pattern = "/".join(p if i % 2 == 0 else "*" for i, p in enumerate(parts))
            body = json.dumps(_normal(json.loads(data), volatile), sort_keys=True, default=str)
            docs[f"{pattern} {body}"] += 1
        queued = conn.execute("SELECT function FROM task_queue") if "task_queue" in tables else []
        for (function,) in queued:
            tasks[function] += 1
    blobs: Counter[str] = Counter()
    root = platform.settings.data_dir / "blobs"
    if root.exists():
        for file in root.rglob("*"):
            if file.is_file() and not file.name.endswith((".meta.json", ".tmp")):
                blobs[str(file.relative_to(root).parent)] += 1
    return {"documents": docs, "blobs": blobs, "tasks": tasks}


def _follow_up(platform: Platform, function: str, delivered: set[str]) -> None:
    """Deliver the tasks `function` enqueued for itself (processing polls) until none is new."""
    for _ in range(20):
        with sqlite3.connect(platform.settings.data_dir / "synthora.sqlite3") as conn:
            rows = conn.execute(
                "SELECT name, payload FROM task_queue WHERE function = ? AND state = 'pending'"
                " ORDER BY id",
                (function,),
            ).fetchall()
        due = [Task(function, json.loads(payload), name) for name, payload in rows]
        due = [t for t in due if t.name not in delivered]
        if not due:
            return
        for task in due:
            delivered.add(task.name)
            status = _deliver_once(platform, task)
            assert 200 <= status < 300, f"follow-up {task.name} answered {status}"
    raise AssertionError(f"{function} kept enqueuing follow-ups")


def _uploads(emulators: Any) -> dict[str, int]:
    """What TikTok received of the MP4: uploads whose bytes all arrived, and publications."""
    sha = hashlib.sha256(_MP4[0]).hexdigest()
    seen = emulators.inspect("tiktok")
    received = sum(1 for p in seen.get("posts") or [] if p.get("sha256") == sha)
    return {
        "uploads": received,
        "published": int((seen.get("published_by_sha256") or {}).get(sha, 0)),
    }


def _use(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Platform:
    monkeypatch.setenv("SYNTHORA_DATA_DIR", str(data_dir))
    reset_settings_cache()
    set_platform(None)
    return get_platform()


def _fields_apart(a: Any, b: Any, path: str = "") -> list[str]:
    """Where two JSON values differ, as dotted paths with both values."""
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for key in sorted(set(a) | set(b)):
            out += _fields_apart(a.get(key), b.get(key), f"{path}.{key}" if path else key)
        return out
    return [] if a == b else [f"{path}: once={a!r:.120} twice={b!r:.120}"]


def _diff(one: dict[str, Counter[str]], dup: dict[str, Counter[str]]) -> list[str]:
    out: list[str] = []
    for kind in one:
        extra = dup[kind] - one[kind]
        missing = one[kind] - dup[kind]
        if kind == "documents":
            for e in list(extra):
                pattern, _, body = e.partition(" ")
                twin = next((m for m in missing if m.partition(" ")[0] == pattern), None)
                if twin is not None:
                    apart = _fields_apart(json.loads(twin.partition(" ")[2]), json.loads(body))
                    out += [f"{pattern} differs at {d}" for d in apart]
                    del extra[e]
                    del missing[twin]
        out += [f"{kind} only after the duplicate: {k[:300]} x{n}" for k, n in extra.items()]
        out += [f"{kind} only after one delivery: {k[:300]} x{n}" for k, n in missing.items()]
    return out


@pytest.fixture
def tiktok_token_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[respx.MockRouter]:
    """TikTok set up, its token endpoint answering a refresh as documented (one grant)."""
    monkeypatch.setenv("SYNTHORA_TIKTOK_CLIENT_KEY", "tt-key")
    monkeypatch.setenv("SYNTHORA_TIKTOK_CLIENT_SECRET", "tt-secret-value")
    with respx.mock(assert_all_called=False) as api:
        api.route(host="127.0.0.1").pass_through()  # the platform emulators, when a case uses them
        api.post("https://open.tiktokapis.com/v2/oauth/token/").respond(
            200,
            json={
                "access_token": "act.1",
                "expires_in": 7200,
                "open_id": "-open",
                "refresh_expires_in": 15552000,
                "refresh_token": "rft.1",
                "scope": "user.info.basic",
                "token_type": "Bearer",
            },
        )
        # Display API user/info (channel figures), as documented: the `error.code == "ok"` envelope.
        api.get("https://open.tiktokapis.com/v2/user/info/").respond(
            200,
            json={
                "data": {"user": {"open_id": "-open", "follower_count": 120, "video_count": 4}},
                "error": {"code": "ok", "message": "", "log_id": "dup-log"},
            },
        )
        yield api


@pytest.fixture
def mail_catcher(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A loopback SMTP catcher every delivery of the email case sends to."""
    from synthora_emulators.mailcatcher import MailCatcher

    from synthora.services.mail import smtp

    catcher = MailCatcher().start(web=False)
    monkeypatch.setenv("SYNTHORA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SYNTHORA_SMTP_PORT", str(catcher.smtp_port))
    monkeypatch.setenv("SYNTHORA_SMTP_SECURITY", "none")
    yield catcher
    if smtp._sender is not None:
        smtp._sender.close()
        smtp._sender = None
    catcher.stop()


@pytest.fixture
def small_renders(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SYNTHORA_RENDER_SCALE", "0.25")
    yield


# --------------------------------------------------------------------------- the suite


def test_every_task_function_has_a_delivery_case() -> None:
    missing = sorted(set(QUEUED) - set(CASES))
    stale = sorted(set(CASES) - set(QUEUED))
    assert not missing, f"add a duplicate-delivery case to CASES for: {missing}"
    assert not stale, f"CASES names functions the manifest does not have: {stale}"


@pytest.mark.parametrize("function", QUEUED)
def test_a_duplicate_delivery_does_the_work_once(
    function: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    small_renders: None,
    tiktok_token_endpoint: respx.MockRouter,
    request: pytest.FixtureRequest,
) -> None:
    prepare = CASES.get(function)
    if prepare is None:
        pytest.fail(f"{function} has no duplicate-delivery case in CASES")
    emulators: Any = None
    if function in THROUGH_EMULATORS:
        monkeypatch.delenv("SYNTHORA_TIKTOK_CLIENT_KEY")  # the emulators register their own
        monkeypatch.delenv("SYNTHORA_TIKTOK_CLIENT_SECRET")
        emulators = request.getfixturevalue("platform_emulators")
        emulators.control("tiktok/settings", {"processing_s": 0, "moderation_s": 0})
        _MP4[:] = [request.getfixturevalue("mp4")]
    catcher = request.getfixturevalue("mail_catcher") if function in SENDS_EMAIL else None
    volatile = frozenset(EMULATED_VOLATILE.get(function, ()))
    origin = tmp_path / "prepared"
    platform = _use(origin, monkeypatch)
    task = prepare(platform)
    set_platform(None)
    shutil.copytree(origin, tmp_path / "once")
    shutil.copytree(origin, tmp_path / "twice")

    before = _uploads(emulators) if function in EMULATED_VOLATILE else {}
    once = _use(tmp_path / "once", monkeypatch)
    status = _deliver_once(once, task)
    assert 200 <= status < 300, f"a single delivery of {function} answered {status}"
    if function in EMULATED_VOLATILE:
        _follow_up(once, function, {task.name})
    after_one = _effects(once, volatile)
    if catcher is not None:
        assert len(catcher.inbox.all()) == 1, "one delivery sends one email"
    between = _uploads(emulators) if function in EMULATED_VOLATILE else {}

    twice = _use(tmp_path / "twice", monkeypatch)
    statuses = _deliver_twice_at_once(twice, task)
    # a delivery that lost the race may ask to be retried (503); none may fail otherwise
    assert all(200 <= s < 300 or s == 503 for s in statuses), statuses
    retry = _deliver_once(twice, task, retry=1)  # the queue's redelivery
    assert 200 <= retry < 300, f"the redelivery of {function} answered {retry}"
    if function in EMULATED_VOLATILE:
        _follow_up(twice, function, {task.name})
    after_dup = _effects(twice, volatile)
    if catcher is not None:
        assert len(catcher.inbox.all()) == 2, "the duplicated delivery sent more than one email"

    differences = _diff(after_one, after_dup)
    assert not differences, "\n".join(differences)
    if function in EMULATED_VOLATILE:
        after = _uploads(emulators)
        one = {k: between[k] - before[k] for k in before}
        dup = {k: after[k] - between[k] for k in before}
        assert one == {"uploads": 1, "published": 1}, one  # the case does what it claims
        assert dup == one, f"at the emulator: one delivery {one}, duplicated {dup}"
        published = [
            d
            for d in after_dup["documents"]
            if d.startswith("notifications/* ") and '"post_published"' in d
        ]
        assert len(published) == 1, published
