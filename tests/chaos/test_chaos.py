"""Chaos: work through the real queue with provider faults and a gateway crash mid-run.

The gateway runs as a real process with its queue dispatcher, next to the
platform emulators (YouTube, TikTok) in their own process. Two workloads run
at once:

- videos: every pipeline step delivery meets, at random (seeded), what a
  provider does on a bad day: a 500, a 429, a timeout, rarely a permanent
  refusal (`synthora.pipeline.faults`);
- posts (to YouTube, TikTok or both): faults drawn at random (seeded) are
  planted in the platform emulators before the run (each is served to the
  next call it matches): 500s, 503s, 429s with `Retry-After`, a call held past
  the client's timeout (the platform still does the work), a dropped upload
  connection. The run prints how many were served.

Part-way through, the gateway is killed (SIGKILL, no clean shutdown) and
started again on the same data. Then every item must end finished, or failed
with a reason; none may be stuck, and none may have been done twice: a post's
uploads are counted at the emulators (one video per published target, none
for a target that was never claimed twice), and its notifications in the store.
The figures are printed.

    make chaos                     # 100 videos and 100 posts (CHAOS_ITEMS=100)
    make chaos CHAOS_ITEMS=30 CHAOS_POSTS=100   # fewer renders on a busy machine
    pytest -m chaos tests/chaos    # the short version in the suite (3 of each)

A target claimed when the gateway dies keeps its claim until the lease ends
(the run sets `SYNTHORA_POSTING_LEASE_SECONDS` to 2 minutes; 10 by default):
the run's budget allows for it.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from synthora.pipeline.faults import FAULTS_FILE, RATE_VAR, SEED_VAR
from synthora.pipeline.models import VideoOutputs, VideoRecord, VideoStatus, new_steps
from synthora.pipeline.runner import load_video
from synthora.platform import Platform, get_platform, set_platform
from synthora.settings import reset_settings_cache
from synthora.templates.system import get_system_template
from tests.conftest import PlatformEmulators
from tests.support.gateway import GatewayProcess

pytestmark = [
    pytest.mark.chaos,
    pytest.mark.slow,
    pytest.mark.xdist_group("chaos"),
    pytest.mark.timeout(1800),
]

ITEMS = int(os.environ.get("CHAOS_ITEMS", "3"))
#: posts cost no rendering: on a busy machine a run can post more than it renders
POSTS = int(os.environ.get("CHAOS_POSTS", str(ITEMS)))
FAULT_RATE = os.environ.get("CHAOS_FAULT_RATE", "0.3")
SEED = os.environ.get("CHAOS_SEED", "7")
#: the posting lease of the run's gateway (`SYNTHORA_POSTING_LEASE_SECONDS`)
LEASE_S = 120


@dataclass
class Outcome:
    state: str  # finished | failed | pending
    reason: str | None = None
    done_twice: list[str] = field(default_factory=list)


class Workload(Protocol):
    name: str

    def start(self, platform: Platform, count: int) -> list[str]: ...

    def outcome(self, platform: Platform, item: str) -> Outcome: ...

    def tick(self, elapsed_s: float) -> None: ...


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

    def tick(self, elapsed_s: float) -> None:
        """Faults are drawn per step delivery inside the gateway: nothing to plant."""


#: (platform, method, path) of the calls a publish makes, where faults are planted
POST_CALLS: tuple[tuple[str, str, str], ...] = (
    ("google", "POST", "/upload/youtube/v3/videos"),  # start a resumable session
    ("google", "PUT", "/upload/youtube/v3/videos"),  # send the bytes
    ("google", "GET", "/youtube/v3/videos"),  # processing status
    ("tiktok", "POST", "/v2/post/publish/creator_info/query/"),
    ("tiktok", "POST", "/v2/post/publish/video/init/"),
    ("tiktok", "PUT", "/upload/video/"),
    ("tiktok", "POST", "/v2/post/publish/status/fetch/"),
)
#: held past the publishers' 60 s read timeout: the client gives up, the platform still works
TIMEOUT_DELAY_S = 65.0
POSTER = "chaosposter"


def _unique(base: bytes, n: int) -> bytes:
    """The same MP4 with a trailing `free` box naming `n`: different bytes, same video."""
    payload = f"synthora-chaos-{n}".encode()
    return base + (8 + len(payload)).to_bytes(4, "big") + b"free" + payload


class Posts:
    """Posts of finished videos to YouTube, TikTok or both, through the platform emulators."""

    name = "posts"

    def __init__(self, emulators: PlatformEmulators, mp4: bytes, count: int) -> None:
        self.emu = emulators
        self.mp4 = mp4
        self.rng = random.Random(f"{SEED}:posts")
        self.shas: dict[str, str] = {}  # post id -> sha256 of its (unique) video bytes
        # a fault budget in proportion to the calls made (about five per target)
        self.faults_left = max(3, round(count * 2 * float(FAULT_RATE)))
        self.planted: Counter[str] = Counter()
        self.wave = 0

    def start(self, platform: Platform, count: int) -> list[str]:
        from synthora.services import posts as svc
        from tests.services.test_posts import _connect

        # one creator, one channel and one TikTok account posting 100 times a day: the caps
        # are raised for the run (Synthora's through the environment, the emulators' here)
        self.emu.control("google/quota", {"uploads_per_day": count * 4})
        self.emu.control("google/settings", {"processing_s": 5})
        # TikTok lets one creator start 6 posts a minute: the posts spread over accounts
        opens = [f"-chaos{i:02d}" for i in range(max(1, count // 6))]
        self.emu.control(
            "tiktok/seed_accounts",
            {"accounts": [{"open_id": o, "daily_post_cap": count * 4} for o in opens]},
        )
        self.emu.control("tiktok/settings", {"processing_s": 3, "moderation_s": 5})
        platform.documents.collection("users").document(POSTER).set({"role": "premium"})
        youtube = _connect(platform, "youtube", uid=POSTER)
        tiktoks = [self._connect_tiktok(platform, open_id) for open_id in opens]
        ids = []
        for n in range(count):
            vid = f"chaospostvideo{n:04d}"
            key = f"videos/{POSTER}/{vid}/video.mp4"
            data = _unique(self.mp4, n)
            platform.blobs.put_bytes(key, data, content_type="video/mp4")
            record = VideoRecord(
                id=vid,
                owner_id=POSTER,
                template_id="chaos",
                template_name="Chaos",
                config={},
                topic=f"fact number {n}",
                title=f"chaos post {n}",
                description="Posted through faults.",
                hashtags=["chaos"],
                status=VideoStatus.completed,
                steps=new_steps(use_video_ai=False),
                outputs=VideoOutputs(
                    video_key=key, duration_s=4.0, width=720, height=1280, size_bytes=len(data)
                ),
                completed_at=datetime.now(UTC),
                expires_at=datetime.now(UTC) + timedelta(days=3),
            )
            platform.documents.collection("videos").document(vid).set(record.model_dump())
            targets: list[dict[str, Any]] = []
            if n % 3 in (0, 2):
                targets.append({"social_account_id": youtube})
            if n % 3 in (1, 2):
                targets.append(
                    {"social_account_id": tiktoks[n % len(tiktoks)], "privacy": "SELF_ONLY"}
                )
            post = svc.create_post(
                platform=platform,
                uid=POSTER,
                request=svc.CreatePostRequest.model_validate(
                    {"video_id": vid, "title": f"chaos post {n}", "targets": targets}
                ),
            )
            self.shas[post.id] = hashlib.sha256(data).hexdigest()
            ids.append(post.id)
        # before the gateway starts: the first upload to each platform meets a fault for sure
        self._plant("dropped_upload", {"platform": "google", "method": "PUT", "kind": "drop"})
        self._plant("dropped_upload", {"platform": "tiktok", "method": "PUT", "kind": "drop"})
        self._plant(
            "timeout",
            {
                "platform": "tiktok",
                "method": "POST",
                "path": "/v2/post/publish/status/fetch/",
                "kind": "delay",
                "delay_s": TIMEOUT_DELAY_S,
            },
        )
        # and the rest of the budget, drawn at random now: posts go fast, and a fault planted
        # after the last matching call would never be served
        self.tick(float("inf"))
        return ids

    def _connect_tiktok(self, platform: Platform, open_id: str) -> str:
        from synthora.services import social_accounts as accounts
        from tests.functions.test_social_accounts import consent

        start = accounts.start_connect(platform=platform, uid=POSTER, social_platform="tiktok")
        back = urlparse(consent(start.authorization_url, account=open_id))
        query = {k: v[0] for k, v in parse_qs(back.query).items()}
        outcome = accounts.complete_callback(
            platform=platform, social_platform="tiktok", state=query["state"], code=query["code"]
        )
        assert outcome.result == "connected", outcome
        return outcome.accounts[0].id

    def _plant(self, kind: str, rule: dict[str, Any]) -> None:
        self.emu.control("faults", rule)
        self.planted[kind] += 1

    def fired(self) -> Counter[str]:
        """The faults the emulators served, by their kind (status, drop, delay)."""
        r = httpx.get(f"{self.emu.url}/_emulator/faults", timeout=10)
        r.raise_for_status()
        return Counter(str(f["kind"]) for f in r.json()["fired"])

    def tick(self, elapsed_s: float) -> None:
        """Plant the next wave of faults (one every few seconds until the budget is spent)."""
        while self.faults_left > 0 and self.wave * 3.0 <= elapsed_s:
            self.wave += 1
            self.faults_left -= 1
            social, method, path = self.rng.choice(POST_CALLS)
            roll = self.rng.random()
            rule: dict[str, Any] = {"platform": social, "method": method, "path": path}
            if roll < 0.1 and method == "PUT":
                kind = "dropped_upload"
                rule |= {"kind": "drop"}
            elif roll < 0.15:
                kind = "timeout"
                rule |= {"kind": "delay", "delay_s": TIMEOUT_DELAY_S}
            elif roll < 0.5:
                kind = "rate_limited"
                rule |= {"status": 429, "retry_after": self.rng.randint(1, 10)}
            elif roll < 0.6:
                kind = "unavailable"
                rule |= {"status": 503}
            else:
                kind = "server_error"
                rule |= {"status": 500}
            self._plant(kind, rule)

    def _at_emulators(self) -> tuple[Counter[str], Counter[str]]:
        google = self.emu.inspect("google")
        tiktok = self.emu.inspect("tiktok")
        youtube = Counter(str(v.get("sha256")) for v in google.get("videos") or [])
        tok = Counter(str(p.get("sha256")) for p in tiktok.get("posts") or [] if p.get("sha256"))
        return youtube, tok

    def outcome(self, platform: Platform, item: str) -> Outcome:
        from synthora.services import posts as svc

        post = svc.get_post(platform=platform, uid=POSTER, post_id=item)
        sha = self.shas[item]
        twice: list[str] = []
        youtube, tiktok = self._at_emulators_cached()
        at = {"youtube": youtube[sha], "tiktok": tiktok[sha]}
        notes = self._notes_cached(platform).get(item, Counter())
        states = [t.status for t in post.targets]
        for t in post.targets:
            if at[t.platform] > 1:
                twice.append(f"{at[t.platform]} uploads to {t.platform}")
            if t.status == "published" and at[t.platform] != 1:
                twice.append(f"published to {t.platform} but {at[t.platform]} uploads there")
        if notes["post_published"] > states.count("published"):
            twice.append(f"{notes['post_published']} published notifications")
        if notes["post_failed"] > states.count("failed"):
            twice.append(f"{notes['post_failed']} failure notifications")
        if any(s not in ("published", "failed") for s in states):
            return Outcome("pending", done_twice=twice)
        if notes["post_published"] != states.count("published"):
            twice.append(f"{notes['post_published']} published notifications")
        if "failed" in states:
            reasons = [
                f"{t.platform}: {t.error.message}" if t.error else ""
                for t in post.targets
                if t.status == "failed"
            ]
            reason = "; ".join(r for r in reasons if r) or None
            return Outcome("failed", reason=reason, done_twice=twice)
        return Outcome("finished", done_twice=twice)

    _cache: tuple[float, tuple[Counter[str], Counter[str]]] | None = None
    _notes: tuple[float, dict[str, Counter[str]]] | None = None

    def forget(self) -> None:
        """Read afresh: the final figures come from reads made after everything settled."""
        self._cache = None
        self._notes = None

    def _notes_cached(self, platform: Platform) -> dict[str, Counter[str]]:
        """The creator's notifications by post and type, read at most once a second."""
        now = time.monotonic()
        if self._notes is None or now - self._notes[0] > 1.0:
            by_post: dict[str, Counter[str]] = {}
            for snap in (
                platform.documents.collection("notifications").where("user_id", "==", POSTER).get()
            ):
                note = snap.to_dict() or {}
                post_id = str((note.get("data") or {}).get("post_id"))
                by_post.setdefault(post_id, Counter())[str(note.get("type"))] += 1
            self._notes = (now, by_post)
        return self._notes[1]

    def _at_emulators_cached(self) -> tuple[Counter[str], Counter[str]]:
        """One read of the emulators per second, not one per post."""
        now = time.monotonic()
        if self._cache is None or now - self._cache[0] > 1.0:
            self._cache = (now, self._at_emulators())
        return self._cache[1]


def _use(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Platform:
    monkeypatch.setenv("SYNTHORA_DATA_DIR", str(data_dir))
    reset_settings_cache()
    set_platform(None)
    return get_platform()


def _queue_figures(db: Path, pattern: str = "pipeline_%") -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT state, COUNT(*), SUM(dispatch_count) FROM task_queue"
            " WHERE function LIKE ? GROUP BY state",
            (pattern,),
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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mp4: bytes
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    emulators = PlatformEmulators(tmp_path)
    emulators.start()
    posting = {
        "SYNTHORA_PLATFORM_EMULATOR_URL": emulators.url,
        "SYNTHORA_POSTING_DAILY_CAP_OVERRIDE": str(POSTS * 4),
        # A claim held by the killed gateway runs out in 2 minutes, not the default 10:
        # longer than any upload here (every call times out at 60 s), so no takeover races
        # a live worker, and the run does not sit out a production-sized lease.
        "SYNTHORA_POSTING_LEASE_SECONDS": str(LEASE_S),
    }
    for name, value in posting.items():
        monkeypatch.setenv(name, value)
    gateway = GatewayProcess(
        data,
        background=True,
        env={RATE_VAR: FAULT_RATE, SEED_VAR: SEED, "SYNTHORA_RENDER_SCALE": "0.25", **posting},
    )
    posts = Posts(emulators, mp4, POSTS)
    workloads: list[Workload] = [Videos(), posts]
    started = time.monotonic()
    try:
        platform = _use(data, monkeypatch)
        # the posts are created before the gateway starts, so none is published unfaulted
        items = {w.name: w.start(platform, POSTS if w is posts else ITEMS) for w in workloads}
        gateway.start()
        run_started = time.monotonic()

        def tick() -> None:
            for w in workloads:
                w.tick(time.monotonic() - run_started)

        def outcomes() -> dict[str, dict[str, Outcome]]:
            return {w.name: {i: w.outcome(platform, i) for i in items[w.name]} for w in workloads}

        # crash once a third of the items are done (or after a minute), mid-flight
        crash_after = max(1, (ITEMS + POSTS) // 6)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            tick()
            settled = sum(o.state != "pending" for per in outcomes().values() for o in per.values())
            if settled >= crash_after:
                break
            time.sleep(0.5)
        gateway.kill()
        time.sleep(1)
        gateway.start()

        # a post target claimed at the crash waits out its lease (LEASE_S) before retrying
        budget = LEASE_S + 300 + ITEMS * 30 + POSTS * 3
        deadline = time.monotonic() + budget
        while time.monotonic() < deadline:
            tick()
            now = outcomes()
            if all(o.state != "pending" for per in now.values() for o in per.values()):
                break
            time.sleep(2)
        posts.forget()
        final = outcomes()
        fired = posts.fired()
    finally:
        gateway.stop()
        emulators.stop()
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
    report["faults_injected"] = {
        "videos": dict(faults),
        "posts_planted": dict(posts.planted),
        "posts_served": dict(fired),
    }
    report["queue"] = queue
    # (a post's retry or poll task may still wait for its time after the post ended: a no-op)
    report["posts_queue"] = _queue_figures(data / "synthora.sqlite3", "posts_publish")
    print("\nchaos run:", json.dumps(report, indent=2))

    assert sum(faults.values()) > 0, "no fault was injected: the run proves nothing"
    assert fired["drop"] >= 1 and fired["delay"] >= 1, fired  # a dropped upload, a timeout
    assert gateway.starts == 2
    assert not stuck, f"stuck: {stuck}\n{gateway.log_tail()}"
    assert not twice, f"done twice: {twice}"
    assert not no_reason, f"failed without a reason: {no_reason}"
    assert queue.get("tasks_pending", 0) == 0 and queue.get("tasks_leased", 0) == 0, queue
