"""Synthetic creator histories with planted effects, for the analysers' tests.

Views are a base times log-normal noise times each planted multiplier, drawn
from a seeded generator, so every history is the same on every run.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from synthora.suggestions import History, Observation

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
HOURS = (9, 12, 15, 18, 21)
HOOKS = ("question", "bold_claim", "story_opener")
TEMPLATES = ("Viral Hook", "Explainer", "Story Time")
TOPICS = (
    "why cats purr",
    "how to save money",
    "a reusable water bottle",
    "coffee vs tea",
    "the 10 second plank",
    "why the sky is blue",
    "how to sleep better",
)


def history(
    *,
    posts: int = 60,
    days: int = 90,
    timezone: str = "UTC",
    best_hour: int | None = None,
    hour_lift: float = 3.0,
    better_hook: str | None = None,
    hook_lift: float = 1.8,
    declining_template: str | None = None,
    platforms: tuple[str, ...] = ("tiktok",),
    base_views: float = 1000.0,
    noise: float = 0.25,
    seed: int = 7,
    now: datetime = NOW,
) -> History:
    rng = random.Random(seed)
    zone = ZoneInfo(timezone)
    start = now - timedelta(days=days)
    out: list[Observation] = []
    for i in range(posts):
        platform = platforms[i % len(platforms)]
        hour = HOURS[i % len(HOURS)]
        hook = HOOKS[(i // len(HOURS)) % len(HOOKS)]
        template = TEMPLATES[i % len(TEMPLATES) if i % 2 else (i // 2) % len(TEMPLATES)]
        day = start + timedelta(days=(days - 3) * i / max(posts - 1, 1))
        local = datetime(day.year, day.month, day.day, hour, 30, tzinfo=zone)
        published = local.astimezone(UTC)
        views = base_views * math.exp(rng.gauss(0, noise))
        if best_hour is not None and hour == best_hour:
            views *= hour_lift
        if better_hook is not None and hook == better_hook:
            views *= hook_lift
        if declining_template is not None and template == declining_template:
            views *= 2.0 if published < now - timedelta(days=28) else 0.4
        topic = TOPICS[i % len(TOPICS)]
        out.append(
            Observation(
                item_id=f"item{i}",
                post_id=f"post{i}",
                video_id=f"video{i}",
                platform=platform,
                account_id=f"acc-{platform}",
                published_at=published,
                views=round(views),
                likes=round(views / 20),
                title=f"Video {i} about {topic}",
                caption="A caption" if i % 3 else "",
                hashtags=["#a", "#b", "#c"][: i % 4],
                topic=topic,
                template_id=f"tpl-{template.lower().replace(' ', '-')}",
                template_name=template,
                settings={
                    "hook_style": hook,
                    "music_mood": ("calm", "upbeat")[i % 2],
                    "length": ("15_30s", "30_60s")[(i // 3) % 2],
                },
                duration_s=30.0,
            )
        )
    return History(observations=out, now=now, timezone=timezone)
