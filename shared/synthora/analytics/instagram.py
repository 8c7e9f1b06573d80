"""Instagram analytics: media insights with the current metric names (Graph v22+).

Documentation followed (shared/reference/platform-apis.md section 9):
- https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights
  (`views, reach, likes, comments, shares, saved, total_interactions,
  ig_reels_avg_watch_time, ig_reels_video_view_total_time`; lifetime period;
  missing data is an empty data set, not 0; data delayed up to 48 h)
- https://developers.facebook.com/blog/post/2025/01/21/graph-api-v22-and-marketing-api-v22/
  (`plays`, `clips_replays_count`, `ig_reels_aggregated_all_plays_count`,
  `impressions` and `video_views` are retired; `views` replaces them)

The retired names are never asked for. Each snapshot carries
`definitions` = `instagram-graph-v22-views`. Watch times arrive in milliseconds.
"""

from __future__ import annotations

from datetime import date

from synthora.analytics.base import (
    ChannelFigures,
    FetchJob,
    FetchResult,
    Metrics,
    PostMetrics,
    PostRef,
    as_int,
)
from synthora.analytics.graph import GraphFetcher, NoData, insight_values
from synthora.providers.social import SocialPlatform

METRICS = (
    "views",
    "reach",
    "likes",
    "comments",
    "shares",
    "saved",
    "ig_reels_avg_watch_time",
    "ig_reels_video_view_total_time",
)


class InstagramAnalytics(GraphFetcher):
    platform = SocialPlatform.INSTAGRAM
    batch_size = 1
    definitions = "instagram-graph-v22-views"

    def fetch_posts(self, job: FetchJob, posts: list[PostRef]) -> FetchResult:
        result = FetchResult(definitions=self.definitions)
        for ref in posts:
            if not ref.platform_post_id:
                result.missing.append(ref.key)
                continue
            try:
                body = self.graph_get(
                    job, f"{ref.platform_post_id}/insights", {"metric": ",".join(METRICS)}
                )
            except NoData:
                result.missing.append(ref.key)
                continue
            values = insight_values(body)
            if not values:
                result.missing.append(ref.key)
                continue
            avg_ms = values.get("ig_reels_avg_watch_time")
            total_ms = values.get("ig_reels_video_view_total_time")
            result.posts.append(
                PostMetrics(
                    key=ref.key,
                    platform_post_id=ref.platform_post_id,
                    metrics=Metrics(
                        views=as_int(values.get("views")),
                        reach=as_int(values.get("reach")),
                        likes=as_int(values.get("likes")),
                        comments=as_int(values.get("comments")),
                        shares=as_int(values.get("shares")),
                        saves=as_int(values.get("saved")),
                        avg_view_duration_s=float(avg_ms) / 1000 if avg_ms is not None else None,
                        watch_time_s=float(total_ms) / 1000 if total_ms is not None else None,
                    ),
                )
            )
        return result

    def fetch_channel(self, job: FetchJob, *, day: date) -> ChannelFigures:
        body = self.graph_get(
            job, job.platform_account_id, {"fields": "id,followers_count,media_count"}
        )
        return ChannelFigures(
            day=day,
            followers=as_int(body.get("followers_count")),
            video_count=as_int(body.get("media_count")),
            definitions=self.definitions,
        )


FETCHER = InstagramAnalytics()
