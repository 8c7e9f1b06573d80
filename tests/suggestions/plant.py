"""Store a synthetic history the way the app stores a real one (videos, posts, analytics rollup).

Videos are stored as the pipeline leaves them (completed, their template config
with the planted setting values), posts as `create_post` stores them (owner,
video, content), and each published target as the analytics rollup row
`record_batch` writes into `analytics_latest/{uid}-{YYYYMM}`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from synthora.platform import Platform
from synthora.suggestions import History
from synthora.templates.config import TemplateConfig


def user(platform: Platform, uid: str, *, role: str = "premium", tz: str = "UTC") -> None:
    platform.documents.document(f"users/{uid}").set(
        {
            "email": f"{uid}@example.com",
            "role": role,
            "is_active": True,
            "created_at": datetime(2026, 1, 1, tzinfo=UTC),
            "preferences": {"timezone": tz},
        }
    )


def video_config(settings: dict[str, str], seconds: float = 30.0) -> dict[str, Any]:
    config = TemplateConfig().model_dump(mode="json")
    vs = config["video_structure"]
    for name, value in settings.items():
        if name in ("hook_style", "narrative_structure", "pacing"):
            vs[name] = value
        elif name in ("music_mood", "voice_tone"):
            config["audio"][name] = value
        elif name == "caption_style":
            config["text_style"][name] = value
    vs["duration"] = {"min_seconds": int(seconds) - 5, "max_seconds": int(seconds) + 5}
    return config


def video(
    platform: Platform,
    uid: str,
    video_id: str,
    *,
    settings: dict[str, str],
    template_id: str = "tpl-viral-hook",
    template_name: str = "Viral Hook",
    topic: str = "why cats purr",
    seconds: float = 30.0,
    created_at: datetime | None = None,
) -> None:
    platform.documents.document(f"videos/{video_id}").set(
        {
            "id": video_id,
            "owner_id": uid,
            "template_id": template_id,
            "template_name": template_name,
            "template_version": 1,
            "config": video_config(settings, seconds),
            "topic": topic,
            "title": f"About {topic}",
            "status": "completed",
            "steps": {},
            "outputs": {
                "video_key": f"videos/{uid}/{video_id}/final.mp4",
                "duration_s": seconds,
                "width": 1080,
                "height": 1920,
                "size_bytes": 1000,
            },
            "created_at": created_at or datetime.now(UTC),
        }
    )


def history(platform: Platform, uid: str, h: History) -> None:
    """Store every observation of `h` for `uid`."""
    shards: dict[str, dict[str, Any]] = defaultdict(dict)
    for o in h.observations:
        if o.video_id:
            settings = {k: v for k, v in o.settings.items() if k != "length"}
            seconds = {"15_30s": 20.0, "30_60s": 45.0, "under_15s": 12.0}.get(
                o.settings.get("length", ""), 70.0
            )
            video(
                platform,
                uid,
                o.video_id,
                settings=settings,
                template_id=o.template_id or "tpl",
                template_name=o.template_name or "Template",
                topic=o.topic or "a topic",
                seconds=seconds,
                created_at=o.published_at - timedelta(hours=1),
            )
        platform.documents.document(f"posts/{o.post_id}").set(
            {
                "owner_uid": uid,
                "video_id": o.video_id,
                "content": {"title": o.title, "caption": o.caption, "hashtags": o.hashtags},
                "status": "published",
                "created_at": o.published_at,
            }
        )
        shard = f"{uid}-{o.published_at.year:04d}{o.published_at.month:02d}"
        shards[shard][o.item_id] = {
            "post_id": o.post_id,
            "platform": o.platform,
            "account_id": o.account_id,
            "published_at": o.published_at.timestamp(),
            "title": o.title,
            "views": o.views,
            "likes": o.likes,
            "comments": 0,
            "shares": 0,
            "saves": 0,
        }
        platform.documents.document(f"analytics_items/{o.item_id}").set(
            {"uid": uid, "platform": o.platform, "totals": {"views": o.views}}
        )
    for shard, items in shards.items():
        platform.documents.document(f"analytics_latest/{shard}").set(
            {"uid": uid, "month": shard.rsplit("-", 1)[1], "items": items}
        )
