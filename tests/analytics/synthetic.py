"""Synthetic analytics histories with known answers, written through the service's own
write path (`record_batch`), so rollups are maintained exactly as in production."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from synthora.analytics.base import Metrics
from synthora.platform import Platform
from synthora.services import analytics as svc


def add_item(
    platform: Platform,
    *,
    uid: str,
    item_id: str,
    account_id: str,
    social: str,
    published_at: datetime,
    title: str | None = None,
) -> None:
    platform.documents.collection(svc.ITEMS).document(item_id).set(
        {
            "uid": uid,
            "account_id": account_id,
            "platform": social,
            "post_id": item_id.split("-")[0],
            "target_id": "t0",
            "title": title or item_id,
            "platform_post_id": f"p{item_id}",
            "publish_id": None,
            "published_at": published_at,
            "totals": {},
            "snapshots": 0,
            "next_sync_at": published_at,
            "last_synced_at": None,
        }
    )


def curve(total: float, age_h: float) -> int:
    """Lifetime views after age_h hours for a post that ends near `total`."""
    return math.floor(total * (1 - math.exp(-age_h / 24)))


def seed_heatmap_history(
    platform: Platform,
    *,
    uid: str,
    tz: str,
    posts: int,
    best: tuple[int, int] | None,
    now: datetime,
    seed: int = 7,
    viral: tuple[int, int] | None = None,
) -> None:
    """`posts` posts spread over 80 days at random local weekday/hours across two accounts of
    very different size; posts in the `best` local (weekday, hour) get 3x their account's
    usual views; one `viral` post gets 100x. One snapshot each, taken `now`."""
    rng = random.Random(seed)
    zone = ZoneInfo(tz)
    accounts = [("accBig", "youtube", 20_000.0), ("accSmall", "tiktok", 300.0)]
    fetched: list[svc.Fetched] = []
    for i in range(posts):
        account, social, base = accounts[i % 2]
        day = now.astimezone(zone).date() - timedelta(days=3 + rng.randrange(77))
        if best is not None and i % 8 in (0, 1):
            # step back to the planted local weekday, keep the hour
            while day.weekday() != best[0]:
                day -= timedelta(days=1)
            hour = best[1]
        else:
            hour = rng.choice([h for h in range(7, 23) if best is None or h != best[1]])
        local = datetime(day.year, day.month, day.day, hour, rng.randrange(60), tzinfo=zone)
        total = base * rng.uniform(0.7, 1.3)
        if best is not None and (local.weekday(), local.hour) == best:
            total *= 3
        if viral is not None and i == 1:
            local = local.replace(hour=viral[1])
            while local.weekday() != viral[0]:
                local -= timedelta(days=1)
            total *= 100
        published = local.astimezone(UTC)
        item_id = f"post{i}-t0"
        add_item(
            platform,
            uid=uid,
            item_id=item_id,
            account_id=account,
            social=social,
            published_at=published,
        )
        views = curve(total, (now - published).total_seconds() / 3600)
        fetched.append(
            svc.Fetched(
                item_id=item_id,
                metrics=Metrics(views=views, likes=views // 20),
                definitions="test-v1",
            )
        )
    for start in range(0, len(fetched), 50):
        svc.record_batch(platform=platform, uid=uid, fetched=fetched[start : start + 50], now=now)
