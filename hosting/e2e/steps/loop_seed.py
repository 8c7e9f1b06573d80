"""e2e helper (loop): give the e2e's creator a measured posting history over past days.

The browser run lasts minutes, but a post counts for the suggestions only once
it is 48 hours old. So this backdates: it copies the creator's finished video
and one of their published posts into `--videos` videos posted one a day over
the past days (the first three days ago), each with its own topic, alternating
music mood (energetic / calm) and hook style (question / bold claim), and
stores each post's lifetime views through the analytics service's own write
path (`register_items` + `record_batch`, the rollups the suggestions read).

The planted effect: energetic music gets `--lift` times the views of calm
music (the hook style has none), with a fixed +-15 % spread per video, so the
analysers must find "energetic music mood" and nothing about hooks.

The copies' platform post ids are `loop-seed-N`: the analytics sync must not
fetch them from the platform emulators, so their next sync is a year away.

    SYNTHORA_DATA_DIR=<the gateway's> python hosting/e2e/steps/loop_seed.py --uid UID

Prints one JSON line: the seeded video and post ids, the platform and account.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT / "shared")]

from synthora.analytics.base import Metrics  # noqa: E402
from synthora.platform import get_platform  # noqa: E402
from synthora.services import analytics  # noqa: E402

TOPICS = (
    "Why octopuses have three hearts",
    "How bees vote on a new home",
    "The fastest animal on Earth",
    "Why cats purr",
    "How crows use tools",
    "The deepest fish ever filmed",
    "Why flamingos are pink",
    "How whales sleep",
    "The strongest insect",
    "Why owls turn their heads",
    "How ants farm fungus",
    "The smartest bird",
    "Why zebras have stripes",
    "How geckos climb glass",
    "The longest migration",
    "Why dolphins have names",
    "How chameleons change colour",
    "The oldest living animal",
)
HOURS = (9, 13, 18, 21)
SPREAD = (0.85, 1.15, 0.95, 1.05, 1.0, 0.9, 1.1)


def _published_target(post: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    for tid, target in sorted((post.get("targets") or {}).items()):
        if target.get("status") == "published" and target.get("social_account_id"):
            return tid, target
    return None


def seed(*, uid: str, videos: int, lift: float, base_views: int) -> dict[str, Any]:
    platform = get_platform()
    docs = platform.documents
    source_video = next(
        (
            s
            for s in docs.collection("videos").where("owner_id", "==", uid).get()
            if s.get("status") == "completed" and not s.id.startswith("loop-seed-")
        ),
        None,
    )
    if source_video is None:
        raise SystemExit("no finished video of this user to copy")
    source_post = None
    for snap in docs.collection("posts").where("owner_uid", "==", uid).get():
        found = _published_target(snap.to_dict() or {})
        if found and not snap.id.startswith("loop-seed-"):
            source_post, (tid, target) = snap, found
            break
    if source_post is None:
        raise SystemExit("no published post of this user to copy")
    account_id = str(target["social_account_id"])
    now = datetime.now(UTC)
    video_ids, post_ids, views_by_item = [], [], {}
    for i in range(videos):
        energetic = i % 2 == 0
        question = (i // 2) % 2 == 0
        published = (now - timedelta(days=3 + i)).replace(
            hour=HOURS[i % len(HOURS)], minute=7, second=0, microsecond=0
        )
        video_id, post_id = f"loop-seed-{i:02d}", f"loop-seed-{i:02d}"
        video = copy.deepcopy(source_video.to_dict() or {})
        config = video.setdefault("config", {})
        config.setdefault("audio", {})["music_mood"] = "energetic" if energetic else "calm"
        config.setdefault("video_structure", {})["hook_style"] = (
            "question" if question else "bold_claim"
        )
        topic = TOPICS[i % len(TOPICS)]
        video.update(
            topic=topic,
            title=topic,
            created_at=published - timedelta(hours=2),
            updated_at=published - timedelta(hours=1),
        )
        if "id" in video:
            video["id"] = video_id
        if "completed_at" in video:
            video["completed_at"] = published - timedelta(hours=1)
        docs.collection("videos").document(video_id).set(video)
        post = copy.deepcopy(source_post.to_dict() or {})
        seeded_target = copy.deepcopy(target)
        seeded_target.update(
            status="published",
            published_at=published,
            platform_post_id=f"loop-seed-{i}",
            scheduled_at=published,
        )
        post.update(
            video_id=video_id,
            video_title=topic,
            targets={tid: seeded_target},
            created_at=published - timedelta(minutes=30),
            updated_at=published,
        )
        if "id" in post:
            post["id"] = post_id
        content = dict(post.get("content") or {})
        content["title"] = topic
        post["content"] = content
        for field in ("scheduled_at", "published_at"):
            if field in post:
                post[field] = published
        docs.collection("posts").document(post_id).set(post)
        factor = (lift if energetic else 1.0) * SPREAD[i % len(SPREAD)]
        views_by_item[f"{post_id}-{tid}"] = round(base_views * factor)
        video_ids.append(video_id)
        post_ids.append(post_id)
    analytics.register_items(platform=platform, uid=uid, account_id=account_id, now=now)
    fetched = [
        analytics.Fetched(
            item_id=item_id,
            metrics=Metrics(
                views=views, likes=views // 20, comments=views // 200, shares=views // 100
            ),
            definitions="loop-seed",
        )
        for item_id, views in views_by_item.items()
    ]
    analytics.record_batch(platform=platform, uid=uid, fetched=fetched, now=now)
    for item_id in views_by_item:
        docs.collection(analytics.ITEMS).document(item_id).update(
            {"next_sync_at": now + timedelta(days=365)}
        )
    return {
        "videos": video_ids,
        "posts": post_ids,
        "platform": target.get("platform"),
        "account_id": account_id,
        "template_id": (source_video.to_dict() or {}).get("template_id"),
        "template_name": (source_video.to_dict() or {}).get("template_name"),
        "views": views_by_item,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uid", required=True)
    parser.add_argument("--videos", type=int, default=16)
    parser.add_argument("--lift", type=float, default=2.0)
    parser.add_argument("--base-views", type=int, default=1000)
    args = parser.parse_args()
    result = seed(uid=args.uid, videos=args.videos, lift=args.lift, base_views=args.base_views)
    sys.stdout.write(json.dumps(result, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
