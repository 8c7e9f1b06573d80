"""YouTube analytics: videos.list statistics (50 ids a call) and Analytics reports.

Documentation followed (shared/reference/platform-apis.md sections 2.5 and 3):
- https://developers.google.com/youtube/v3/docs/videos/list (`part=statistics`,
  at most 50 ids; counts are strings)
- https://developers.google.com/youtube/analytics/reference/reports/query
  (`ids=channel==MINE`, `dimensions=video` or `day`, `filters=video==A,B`;
  `rows` is omitted when there is no data; map columns by `columnHeaders`)
- https://developers.google.com/youtube/analytics/data_model (data lags 2-3 days)

Views, likes and comments come from videos.list (near real time); watch time,
average view duration, shares and subscribers gained come from the Analytics
report, which lags by days: those fields are marked `lagging` and stay absent
until the report has them. View semantics changed on 2025-03-31 (Shorts) and
2026-08-27 (all formats count at playback start), so every snapshot carries
`definitions` = `youtube-views-2026-08-27`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from synthora.analytics.base import (
    AnalyticsFetcher,
    ChannelFigures,
    FetchJob,
    FetchResult,
    Metrics,
    PostMetrics,
    PostRef,
    as_int,
)
from synthora.providers.social import SocialPlatform, SocialPlatformError

REPORT_METRICS = (
    "views",
    "estimatedMinutesWatched",
    "averageViewDuration",
    "shares",
    "subscribersGained",
)


class YouTubeAnalytics(AnalyticsFetcher):
    platform = SocialPlatform.YOUTUBE
    batch_size = 50
    definitions = "youtube-views-2026-08-27"

    def _error(self, response: httpx.Response) -> SocialPlatformError:
        throttled = self.throttled(response)
        try:
            body = response.json()
        except ValueError:
            body = {}
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        errors = error.get("errors") or [{}]
        reason = str(
            errors[0].get("reason") or error.get("status") or f"http_{response.status_code}"
        )
        message = str(error.get("message") or "YouTube refused the request")
        if reason in ("rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"):
            return self.error(
                "transient",
                reason,
                message,
                status=response.status_code,
                retry_after_s=throttled.retry_after_s if throttled else None,
            )
        if throttled is not None:
            return throttled
        if response.status_code == 401:
            return self.error("dead_grant", reason, message, status=401)
        return self.error("refused", reason, message, status=response.status_code)

    def _get(self, job: FetchJob, url: str, params: dict[str, str]) -> dict[str, Any]:
        response = self.send(
            job,
            "GET",
            url,
            params=params,
            headers={"Authorization": f"Bearer {job.access_token.get_secret_value()}"},
        )
        if response.status_code != 200:
            raise self._error(response)
        return self.body(response)

    def fetch_posts(self, job: FetchJob, posts: list[PostRef]) -> FetchResult:
        wanted = {p.platform_post_id: p for p in posts if p.platform_post_id}
        result = FetchResult(definitions=self.definitions)
        result.missing = [p.key for p in posts if not p.platform_post_id]
        if not wanted:
            return result
        bases = self.bases(job.settings)
        body = self._get(
            job,
            f"{bases['youtube']}/videos",
            {"part": "statistics", "id": ",".join(wanted)},
        )
        stats: dict[str, dict[str, Any]] = {}
        for item in body.get("items") or []:
            stats[str(item.get("id"))] = item.get("statistics") or {}
        # The report: one row per video over its whole life (dimension=video).
        starts = [p.published_at for p in wanted.values() if p.published_at is not None]
        start = min(starts).date() if starts else datetime.now(UTC).date() - timedelta(days=90)
        report = self._get(
            job,
            f"{bases['youtube_analytics']}/reports",
            {
                "ids": "channel==MINE",
                "startDate": start.isoformat(),
                "endDate": datetime.now(UTC).date().isoformat(),
                "metrics": ",".join(REPORT_METRICS),
                "dimensions": "video",
                "filters": "video==" + ",".join(wanted),
            },
        )
        rows = _rows(report)
        by_video = {str(r.get("video")): r for r in rows}
        for video_id, ref in wanted.items():
            if video_id not in stats:
                result.missing.append(ref.key)
                continue
            s = stats[video_id]
            row = by_video.get(video_id)
            metrics = Metrics(
                views=as_int(s.get("viewCount")),
                likes=as_int(s.get("likeCount")),
                comments=as_int(s.get("commentCount")),
            )
            lagging: list[str] = []
            if row is not None:
                minutes = row.get("estimatedMinutesWatched")
                metrics.watch_time_s = float(minutes) * 60 if minutes is not None else None
                avg = row.get("averageViewDuration")
                metrics.avg_view_duration_s = float(avg) if avg is not None else None
                metrics.shares = as_int(row.get("shares"))
                metrics.subscribers_gained = as_int(row.get("subscribersGained"))
            else:
                lagging = ["watch_time_s", "avg_view_duration_s", "shares", "subscribers_gained"]
            result.posts.append(
                PostMetrics(
                    key=ref.key, platform_post_id=video_id, metrics=metrics, lagging=lagging
                )
            )
        return result

    def fetch_channel(self, job: FetchJob, *, day: date) -> ChannelFigures:
        bases = self.bases(job.settings)
        body = self._get(
            job, f"{bases['youtube']}/channels", {"part": "statistics", "mine": "true"}
        )
        items = body.get("items") or []
        stats = (items[0].get("statistics") or {}) if items else {}
        figures = ChannelFigures(
            day=day,
            followers=None
            if stats.get("hiddenSubscriberCount")
            else as_int(stats.get("subscriberCount")),
            total_views=as_int(stats.get("viewCount")),
            video_count=as_int(stats.get("videoCount")),
            definitions=self.definitions,
        )
        report = self._get(
            job,
            f"{bases['youtube_analytics']}/reports",
            {
                "ids": "channel==MINE",
                "startDate": day.isoformat(),
                "endDate": day.isoformat(),
                "metrics": "views,subscribersGained",
                "dimensions": "day",
            },
        )
        for row in _rows(report):
            if row.get("day") == day.isoformat():
                figures.daily_views = as_int(row.get("views"))
                figures.subscribers_gained = as_int(row.get("subscribersGained"))
        return figures


def _rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """A result table's rows as dicts keyed by `columnHeaders` names (never by position)."""
    names = [str(h.get("name")) for h in report.get("columnHeaders") or []]
    return [dict(zip(names, row, strict=False)) for row in report.get("rows") or []]


FETCHER = YouTubeAnalytics()
