"""A creator's history for the analysers: each published post joined to its video.

The analytics rollup (`analytics_latest`) gives each published target's latest
totals, platform, account and publish time; its post (`posts/{id}`) gives the
video and the text it went out with; the video (`videos/{id}`) gives the topic,
the template and the settings it was made with (its config as applied, the
Create choices included) and its length. A post whose video is gone still
counts for times and trends, without settings.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from synthora.platform import Platform
from synthora.services import analytics
from synthora.suggestions import History, Observation, settings_of
from synthora.suggestions.prediction import PlatformPrior

#: How far back the analysers look.
HISTORY_DAYS = 180


def load_history(
    *, platform: Platform, uid: str, days: int = HISTORY_DAYS, now: datetime | None = None
) -> History:
    now = now or datetime.now(UTC)
    rows = analytics.published_rows(platform=platform, uid=uid, days=days, now=now)
    docs = platform.documents
    post_ids = sorted({str(r["post_id"]) for r in rows.values()})
    posts = {
        s.id: s.to_dict() or {}
        for s in docs.get_all([docs.collection("posts").document(p) for p in post_ids])
        if s.exists
    }
    video_ids = sorted({str(p["video_id"]) for p in posts.values() if p.get("video_id")})
    videos = {
        s.id: s.to_dict() or {}
        for s in docs.get_all([docs.collection("videos").document(v) for v in video_ids])
        if s.exists and s.get("owner_id") == uid
    }
    out: list[Observation] = []
    for item_id, row in sorted(rows.items()):
        post = posts.get(str(row["post_id"]), {})
        if post and post.get("owner_uid") not in (None, uid):
            continue
        video_id = post.get("video_id")
        video: dict[str, Any] = videos.get(str(video_id), {}) if video_id else {}
        content = post.get("content") or {}
        duration = (video.get("outputs") or {}).get("duration_s")
        out.append(
            Observation(
                item_id=item_id,
                post_id=str(row["post_id"]),
                video_id=str(video_id) if video_id else None,
                platform=str(row["platform"]),
                account_id=str(row["account_id"]),
                published_at=datetime.fromtimestamp(float(row["published_at"]), tz=UTC),
                views=int(row.get("views") or 0),
                likes=int(row.get("likes") or 0),
                comments=int(row.get("comments") or 0),
                shares=int(row.get("shares") or 0),
                saves=int(row.get("saves") or 0),
                title=str(content.get("title") or row.get("title") or video.get("title") or ""),
                caption=str(content.get("caption") or video.get("description") or ""),
                hashtags=list(content.get("hashtags") or video.get("hashtags") or []),
                topic=video.get("topic"),
                template_id=video.get("template_id"),
                template_name=video.get("template_name"),
                settings=settings_of(video.get("config") or {}, duration) if video else {},
                duration_s=float(duration) if duration is not None else None,
            )
        )
    return History(
        observations=out,
        now=now,
        timezone=analytics.user_timezone(platform, uid),
    )


def platform_prior(*, platform: Platform, social: str) -> PlatformPrior:
    median, posts = analytics.platform_views_median(platform=platform, social=social)
    return PlatformPrior(platform=social, median_views=median, posts=posts)
