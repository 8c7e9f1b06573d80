"""Benchmark: analytics reads for a creator with 2,000 posts x 90 daily snapshots.

Seeds the history through the service's own write path (`record_batch`: every
snapshot stored with the rollups it feeds, one transaction per account batch
per day) on the embedded platform (SQLite documents in a fresh temporary data
folder), then times the analytics service calls behind each endpoint, in
process (no HTTP hop): overview, time-series, platforms, top-performing and
heatmap. Prints p50/p95 per endpoint against the goal (<= 300 ms), and checks
that the rollups equal a recomputation from the snapshots.

    make bench-analytics                                  # 2,000 posts x 90 days
    .venv/bin/python bench/bench_analytics.py --posts 200 --days 30 --runs 10
    .venv/bin/python bench/bench_analytics.py --reuse DIR    # DIR: the folder a run names

Seeding 180,000 snapshots takes a while (about 45 minutes on a busy 2-core
machine); the data folder is kept and named at the end, so `--reuse` times the
reads again without seeding. The posts are published before their 90 days of
snapshots, so top-performing, platforms and the heatmap are timed over a
180-day window that holds all of them (the worst case: every post read).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 300.0
PLATFORMS = ("youtube", "tiktok", "instagram", "facebook")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--batch", type=int, default=250, help="items per write transaction")
    parser.add_argument("--reuse", help="a data folder seeded by an earlier run: time only")
    args = parser.parse_args()

    data = args.reuse or tempfile.mkdtemp(prefix="synthora-bench-analytics-")
    os.environ["SYNTHORA_DATA_DIR"] = data
    os.environ.setdefault("SYNTHORA_ENVIRONMENT", "local")
    os.environ["SYNTHORA_ENV_FILE"] = ""
    sys.path[:0] = [str(ROOT / "shared")]

    from synthora.platform import get_platform
    from synthora.services import analytics as svc

    platform = get_platform()
    docs = platform.documents
    uid = "bench-creator"
    meta_path = Path(data) / "bench-meta.json"
    if args.reuse:
        meta = json.loads(meta_path.read_text())
        now = datetime.fromisoformat(meta["now"])
        print(f"reusing {data}: {meta['posts']} posts x {meta['days']} daily snapshots")
    else:
        now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        seed(args, svc, platform, docs, uid, now, data)
        meta_path.write_text(
            json.dumps({"now": now.isoformat(), "posts": args.posts, "days": args.days})
        )
    return measure(args, svc, platform, uid, now, data)


def seed(
    args: argparse.Namespace,
    svc: Any,
    platform: Any,
    docs: Any,
    uid: str,
    now: datetime,
    data: str,
) -> None:
    from synthora.analytics.base import Metrics

    start = now - timedelta(days=args.days)
    rng = random.Random(42)
    print(
        f"seeding {args.posts} posts x {args.days} daily snapshots "
        f"({args.posts * args.days:,} snapshots) into {data} ..."
    )
    t0 = time.perf_counter()
    posts: list[tuple[str, str, str, datetime, float]] = []
    batch = docs.batch()
    for i in range(args.posts):
        social = PLATFORMS[i % len(PLATFORMS)]
        published = start - timedelta(hours=rng.randrange(0, 24 * 30))
        item_id = f"post{i:05d}-t0"
        posts.append((item_id, social, f"acc-{social}", published, rng.lognormvariate(7, 1)))
        batch.set(
            docs.collection(svc.ITEMS).document(item_id),
            {
                "uid": uid,
                "account_id": f"acc-{social}",
                "platform": social,
                "post_id": item_id[:-3],
                "target_id": "t0",
                "title": f"Post {i}",
                "platform_post_id": f"p{i}",
                "publish_id": None,
                "published_at": published,
                "totals": {},
                "snapshots": 0,
                "next_sync_at": published,
                "last_synced_at": None,
            },
        )
        if (i + 1) % 400 == 0:
            batch.commit()
            batch = docs.batch()
    batch.commit()
    for day in range(args.days):
        at = start + timedelta(days=day + 1)
        for lo in range(0, len(posts), args.batch):
            fetched = []
            for item_id, _, _, published, total in posts[lo : lo + args.batch]:
                age_h = (at - published).total_seconds() / 3600
                views = math.floor(total * (1 - math.exp(-age_h / 30)))
                fetched.append(
                    svc.Fetched(
                        item_id=item_id,
                        metrics=Metrics(
                            views=views,
                            likes=views // 25,
                            comments=views // 300,
                            shares=views // 200,
                            watch_time_s=views * 11.5,
                        ),
                        definitions="bench-v1",
                    )
                )
            svc.record_batch(platform=platform, uid=uid, fetched=fetched, now=at)
        if (day + 1) % 10 == 0:
            print(f"  day {day + 1}/{args.days} ({time.perf_counter() - t0:.0f} s)")
    print(f"seeded in {time.perf_counter() - t0:.1f} s")


def measure(
    args: argparse.Namespace, svc: Any, platform: Any, uid: str, now: datetime, data: str
) -> int:
    today = now.date()
    calls: dict[str, Callable[[], object]] = {
        "overview (30 d + previous 30 d)": lambda: svc.overview(
            platform=platform, uid=uid, days=30, today=today
        ),
        "time-series (views, 90 d)": lambda: svc.time_series(
            platform=platform, uid=uid, metric="views", days=90, today=today
        ),
        "platforms (180 d)": lambda: svc.platforms_comparison(
            platform=platform, uid=uid, days=180, today=today
        ),
        "top-performing (180 d)": lambda: svc.top_performing(
            platform=platform, uid=uid, days=180, today=today
        ),
        "heatmap (180 d, Europe/Berlin)": lambda: svc.heatmap(
            platform=platform, uid=uid, days=180, tz="Europe/Berlin", now=now
        ),
    }
    print(f"\n{'endpoint':34} {'p50 ms':>8} {'p95 ms':>8}  goal <= {GOAL_MS:.0f} ms")
    ok = True
    for name, call in calls.items():
        call()  # warm
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            call()
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]
        ok = ok and p95 <= GOAL_MS
        print(f"{name:34} {p50:8.1f} {p95:8.1f}  {'ok' if p95 <= GOAL_MS else 'SLOW'}")
    hm = svc.heatmap(platform=platform, uid=uid, days=180, tz="Europe/Berlin", now=now)
    top = svc.top_performing(platform=platform, uid=uid, days=180, limit=100, today=today)
    print(
        f"\nheatmap: {hm.measured_posts} measured posts, status {hm.status}, "
        f"{len(hm.best_slots)} best slots; top-performing ranked {len(top.posts)} posts"
    )
    t = time.perf_counter()
    diffs = svc.rollup_differences(
        svc.stored_rollups(platform=platform, uid=uid),
        svc.recompute_rollups(platform=platform, uid=uid),
    )
    same = not diffs
    for line in diffs[:10]:
        print("  differs:", line)
    print(
        f"rollups equal a recomputation from the snapshots: {same} "
        f"({time.perf_counter() - t:.1f} s to recompute)"
    )
    print(f"data kept in {data} (time again with --reuse {data})")
    return 0 if ok and same else 1


if __name__ == "__main__":
    sys.exit(main())
