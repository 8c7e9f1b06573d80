"""Benchmark: N post targets due in the same minute, published through the local gateway.

Starts the platform emulators and the local gateway (its queue dispatcher
delivers the `posts_publish` tasks), connects many emulated YouTube channels
through the emulators' consent pages, makes one small real MP4 per target
(each with a unique `free` box, since YouTube rejects the same bytes twice on
a channel), and schedules every target for the same minute. The emulators'
daily upload quota and Synthora's per-account cap are raised for the run (and
the output says so). Prints:

- lateness measured at the emulator: each target's scheduled time to the
  creation of its upload session (its first upload request), p50/p95/p99
  (goal p99 <= 5 s);
- time from the scheduled minute until every target is published;
- the gateway's peak memory (sum of the RSS of its process tree, sampled);
- publishes per target read from the emulator (goal: exactly one each).

    make bench-posting                                  # 10,000 targets
    .venv/bin/python bench/bench_posting.py --targets 300 --accounts 30
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import IO
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

import httpx

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
UID = "bench-creator"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer")


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.scopes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.action = a.get("action") or ""
        if tag == "input" and a.get("name") == "scope" and "checked" in a:
            self.scopes.append(a.get("value") or "")


def consent(url: str, account: str) -> dict[str, str]:
    with httpx.Client(follow_redirects=False, timeout=20) as browser:
        page = browser.get(url)
        form = _Form()
        form.feed(page.text)
        data = [("account", account), ("decision", "allow")] + [("scope", s) for s in form.scopes]
        answer = browser.post(
            urljoin(url, form.action),
            content=urlencode(data),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        target = answer.headers["Location"]
    return {k: v[0] for k, v in parse_qs(urlparse(target).query).items()}


def make_mp4(path: Path) -> bytes:
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=360x640:rate=30",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=44100",
            "-t",
            "3",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            str(path),
        ],
        check=True,
    )
    return path.read_bytes()


def unique(base: bytes, n: int) -> bytes:
    payload = f"synthora-bench-{n}".encode()
    return base + (8 + len(payload)).to_bytes(4, "big") + b"free" + payload


def tree_rss(pid: int) -> int:
    """RSS in bytes of a process and all its descendants."""
    total = 0
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(stat[1]), []).append(int(entry.name))
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
        stack.extend(children.get(p, []))
    return total


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and all its descendants."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = stat
        children.setdefault(int(stat[1]), []).append(int(entry.name))
    total, stack = 0.0, [pid]
    while stack:
        p = stack.pop()
        if p in stats:
            total += (int(stats[p][11]) + int(stats[p][12])) / tick
        stack.extend(children.get(p, []))
    return total


def floor_rate(url: str, token: str, n: int, threads: int) -> float:
    """First upload requests a second the emulator alone answers (no Synthora in the way).

    The same request Synthora's YouTube publisher makes first (a resumable session with
    the video's metadata), from `threads` keep-alive clients. Its titles start with
    "floor", so they never count as a target's upload.
    """
    headers = {
        "Authorization": f"Bearer {token}",
        "X-Upload-Content-Length": "1000",
        "X-Upload-Content-Type": "video/mp4",
    }
    params = {"uploadType": "resumable", "part": "snippet,status"}

    def run(k: int) -> None:
        with httpx.Client(timeout=60) as client:
            for i in range(k, n, threads):
                body = {"snippet": {"title": f"floor {i}"}, "status": {"privacyStatus": "private"}}
                client.post(url, params=params, json=body, headers=headers).raise_for_status()

    t0 = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(run, range(threads)))
    return n / (time.monotonic() - t0)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--targets", type=int, default=10_000)
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--setup-threads", type=int, default=4)
    parser.add_argument(
        "--floor-requests",
        type=int,
        default=1000,
        help="after the run, time this many bare first-upload requests at the emulator",
    )
    parser.add_argument(
        "--log-dir", type=Path, default=None, help="keep the gateway's and emulators' logs here"
    )
    args = parser.parse_args()
    accounts_n = max(1, min(args.accounts, args.targets))

    # a terminated run still stops the gateway and the emulators (the finally below)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="synthora-bench-posting-"))
    emu_port, gw_port = free_port(), free_port()
    emu_url = f"http://127.0.0.1:{emu_port}"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "shared"), str(ROOT / "emulators")]),
        "SYNTHORA_ENVIRONMENT": "local",
        "SYNTHORA_DATA_DIR": str(work / "data"),
        "SYNTHORA_LOG_LEVEL": "INFO" if args.log_dir else "WARNING",
        "SYNTHORA_ENV_FILE": "",
        "SYNTHORA_EMULATOR_PORT": str(emu_port),
        "SYNTHORA_PLATFORM_EMULATOR_URL": emu_url,
        "SYNTHORA_PUBLIC_URL": f"http://127.0.0.1:{gw_port}",
        "SYNTHORA_POSTING_DAILY_CAP_OVERRIDE": str(args.targets + 10),
        "SYNTHORA_POSTING_YOUTUBE_UPLOADS_PER_DAY": str(args.targets * 2),
    }
    env.pop("FIREBASE_AUTH_EMULATOR_HOST", None)
    os.environ.update({k: v for k, v in env.items() if k.startswith("SYNTHORA_")})
    sys.path[:0] = [str(ROOT / "shared")]
    if args.log_dir:
        args.log_dir.mkdir(parents=True, exist_ok=True)

    def log_to(name: str) -> int | IO[bytes]:
        return (args.log_dir / name).open("wb") if args.log_dir else subprocess.DEVNULL

    emu = subprocess.Popen(
        [PY, "-m", "synthora_emulators"],
        env=env,
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=log_to("emulators.log"),
    )
    gateway: subprocess.Popen[bytes] | None = None
    try:
        wait_ready(f"{emu_url}/_emulator/health")
        httpx.post(
            f"{emu_url}/_emulator/google/quota",
            json={"uploads_per_day": args.targets * 2 + args.floor_requests},
        )
        httpx.post(f"{emu_url}/_emulator/google/settings", json={"processing_s": 2})
        channels = [f"UCbench{i:05d}" for i in range(accounts_n)]
        httpx.post(
            f"{emu_url}/_emulator/google/seed_accounts",
            json={
                "accounts": [
                    {"id": f"g{i}", "name": f"Bench {i}", "channels": [{"id": c, "title": c}]}
                    for i, c in enumerate(channels)
                ]
            },
        ).raise_for_status()

        from synthora.pipeline.models import VideoOutputs, VideoRecord, VideoStatus, new_steps
        from synthora.platform import get_platform
        from synthora.services import posts as svc
        from synthora.services import social_accounts as accounts

        platform = get_platform()
        platform.documents.collection("users").document(UID).set({"role": "premium"})
        print(f"connecting {accounts_n} emulated YouTube channels ...", flush=True)

        def connect(channel: str) -> str:
            start = accounts.start_connect(platform=platform, uid=UID, social_platform="youtube")
            q = consent(start.authorization_url, channel)
            out = accounts.complete_callback(
                platform=platform, social_platform="youtube", state=q["state"], code=q["code"]
            )
            return out.accounts[0].id

        with ThreadPoolExecutor(args.setup_threads) as pool:
            account_ids = list(pool.map(connect, channels))
        # one post per video, each to up to 10 different channels (a post's limit), so a
        # channel never gets the same bytes twice; every target has its own title
        per_post = min(svc.MAX_TARGETS, accounts_n)
        posts_n = -(-args.targets // per_post)
        base = make_mp4(work / "base.mp4")
        print(f"making {posts_n} videos ({len(base)} bytes each) ...", flush=True)
        videos = []
        for n in range(posts_n):
            vid = f"benchvid{n:06d}"
            key = f"videos/{UID}/{vid}/video.mp4"
            data = unique(base, n)
            platform.blobs.put_bytes(key, data, content_type="video/mp4")
            record = VideoRecord(
                id=vid,
                owner_id=UID,
                template_id="bench",
                template_name="Bench",
                config={},
                topic="bench",
                title=f"bench video {n}",
                description="bench",
                hashtags=[],
                status=VideoStatus.completed,
                steps=new_steps(use_video_ai=False),
                outputs=VideoOutputs(
                    video_key=key, duration_s=3.0, width=360, height=640, size_bytes=len(data)
                ),
                completed_at=datetime.now(UTC),
                expires_at=datetime.now(UTC) + timedelta(days=3),
            )
            platform.documents.collection("videos").document(vid).set(record.model_dump())
            videos.append(vid)
        plan: list[list[tuple[str, str]]] = []  # per post: (account id, title) per target
        for n in range(args.targets):
            post, slot = divmod(n, per_post)
            if slot == 0:
                plan.append([])
            plan[post].append((account_ids[(post * per_post + slot) % accounts_n], f"bench {n}"))

        def create(n: int, at: datetime) -> None:
            svc.create_post(
                platform=platform,
                uid=UID,
                request=svc.CreatePostRequest.model_validate(
                    {
                        "video_id": videos[n],
                        "scheduled_at": at.isoformat(),
                        "targets": [
                            {"social_account_id": acc, "title": title} for acc, title in plan[n]
                        ],
                    }
                ),
            )

        # the gateway runs from now on: its queue holds the tasks until they fall due
        print("starting the gateway ...", flush=True)
        gateway = subprocess.Popen(
            [
                PY,
                "-m",
                "synthora.local.gateway",
                "--no-auth-emulator",
                "--no-platform-emulators",
                "--port",
                str(gw_port),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log_to("gateway.log"),
        )
        wait_ready(f"http://127.0.0.1:{gw_port}/api/v1/health", timeout_s=600)
        # schedule far enough ahead that every post is created before the minute: time a
        # sample of creations on this (shared, noisy) machine and leave twice that
        sample_n = min(20, posts_n)
        t0 = time.monotonic()
        for n in range(sample_n):
            create(n, datetime.now(UTC) + timedelta(hours=6))
        per_create = (time.monotonic() - t0) / sample_n
        lead = 60 + per_create * posts_n * 2.0 / min(args.setup_threads, 2)
        due = (datetime.now(UTC) + timedelta(seconds=lead)).replace(second=0, microsecond=0)
        due += timedelta(minutes=1)
        sampled = svc.list_posts(platform=platform, uid=UID, query=svc.PostListQuery(limit=100))
        for item in sampled.items:
            svc.delete_post(platform=platform, uid=UID, post_id=item.id)
        t0 = time.monotonic()
        print(
            f"scheduling {args.targets} targets in {posts_n} posts for {due.isoformat()} ...",
            flush=True,
        )
        scheduled = {title: due for targets in plan for _, title in targets}
        with ThreadPoolExecutor(args.setup_threads) as pool:
            list(pool.map(lambda n: create(n, due), range(posts_n)))
        late_setup = datetime.now(UTC) > due
        print(f"created in {time.monotonic() - t0:.0f} s", flush=True)
        peak = 0
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                assert gateway is not None
                peak = max(peak, tree_rss(gateway.pid))
                time.sleep(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        if gateway.poll() is not None:  # busy draining, it may not answer health in time
            raise RuntimeError(f"the gateway exited with {gateway.returncode}")
        cpu_start = tree_cpu(gateway.pid), tree_cpu(emu.pid)
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            published = (
                platform.documents.collection("posts").where("status", "==", "published").count()
            )
            if published >= posts_n:
                break
            time.sleep(3)
        stop.set()
        sampler.join(2)
        cpu_gateway = tree_cpu(gateway.pid) - cpu_start[0]
        cpu_emulator = tree_cpu(emu.pid) - cpu_start[1]
        done_at: list[datetime] = []
        for snap in platform.documents.collection("posts").where("owner_uid", "==", UID).get():
            for t in (snap.to_dict() or {}).get("targets", {}).values():
                if t["status"] == "published" and t.get("published_at"):
                    done_at.append(t["published_at"])
        published_targets = len(done_at)
        all_done = max(done_at) if done_at else datetime.now(UTC)
        seen = httpx.get(f"{emu_url}/_emulator/google", timeout=60).json()
        first_request: dict[str, float] = {}
        for upload in seen["uploads"]:
            title = (upload.get("metadata") or {}).get("snippet", {}).get("title", "")
            if title.startswith("floor"):
                continue
            at = float(upload["created_at"])
            first_request[title] = min(first_request.get(title, at), at)
        per_target: dict[str, int] = {}
        for video in seen["videos"]:
            per_target[video["title"]] = per_target.get(video["title"], 0) + 1
        lateness = [max(0.0, at - due.timestamp()) for at in first_request.values()]
        floor = 0.0
        if args.floor_requests > 0:
            from synthora.settings import get_settings

            upload_url = f"{get_settings().platform_bases('google')['youtube_upload']}/videos"
            token = accounts.access_token_for(platform=platform, account_id=account_ids[0])
            floor = floor_rate(upload_url, token.get_secret_value(), args.floor_requests, 8)
        counts = [per_target.get(t, 0) for t in scheduled]
        print()
        print(
            f"Posting benchmark: {args.targets} targets due at {due.isoformat()} on "
            f"{accounts_n} emulated YouTube channels"
        )
        print(
            f"  quotas raised for the run: the emulator's YouTube upload bucket and Synthora's "
            f"count of it to {args.targets * 2} uploads/day, Synthora's per-account cap to "
            f"{args.targets + 10} per 24 h; emulated YouTube processing takes 2 s"
        )
        if late_setup:
            print("  WARNING: creating the posts ran past the scheduled minute")
        print(f"  machine load average      : {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        if lateness:
            spread = max(first_request.values()) - min(first_request.values())
            print(
                f"  lateness at the emulator  : p50 {statistics.median(lateness):6.2f} s   "
                f"p95 {pct(lateness, 95):6.2f} s   p99 {pct(lateness, 99):6.2f} s   "
                f"(goal p99 <= 5 s; min {min(lateness):.2f} s; {len(lateness)} targets "
                "reached the emulator)"
            )
            print(
                f"  upload starts per second  : {len(lateness) / max(spread, 0.001):6.1f} "
                f"(first to last upload request: {spread:.1f} s)"
            )
        if floor:
            need = args.targets / 0.99 / 5.0  # p99 <= 5 s: 99 % of the starts within 5 s
            print(
                f"  emulator floor            : {floor:6.1f} first upload requests/s with nothing "
                f"but the emulator answering ({args.floor_requests} bare requests, 8 clients); "
                f"{args.targets} starts take >= {args.targets / floor:.1f} s at that rate, "
                f"p99 <= 5 s needs {need:.0f}/s"
            )
        print(
            f"  all published after       : {(all_done - due).total_seconds():6.1f} s "
            f"({published_targets}/{args.targets} targets published; YouTube processing "
            "polled every 15 s)"
        )
        print(
            f"  CPU per target            : gateway {cpu_gateway / args.targets * 1000:6.1f} ms, "
            f"emulators {cpu_emulator / args.targets * 1000:6.1f} ms (upload, processing polls, "
            f"bookkeeping; {os.cpu_count()} cores shared with the rest of the machine)"
        )
        print(
            f"  gateway peak memory       : {peak / 1024 / 1024:6.0f} MiB "
            "(process tree RSS; no goal set)"
        )
        print(
            f"  publishes per target      : min {min(counts)}  max {max(counts)}  "
            f"exactly once: {sum(1 for c in counts if c == 1)}/{len(counts)} (goal: all)"
        )
        return 0 if counts and min(counts) == max(counts) == 1 else 1
    finally:
        for proc in (gateway, emu):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()


if __name__ == "__main__":
    raise SystemExit(main())
