"""Facebook Page video and Reels analytics: `/{video-id}/video_insights`.

Documentation followed (shared/reference/platform-apis.md section 10):
- https://developers.facebook.com/docs/graph-api/reference/video/video_insights
  (page token with `pages_read_engagement` or `read_insights`; lifetime
  metrics `total_video_views`, `total_video_views_unique`,
  `total_video_avg_time_watched` (ms), `total_video_view_total_time` (ms);
  Reels: `blue_reels_play_count`, `post_video_social_actions`,
  `post_video_likes_by_reaction_type`)
- Retired and never asked for: `total_video_impressions*`,
  `post_video_views_10s`, `total_video_10s_views`, `page_video_views`.

Asking for no metric returns the set that applies to the video (a plain video
has no Reels metrics), so one call serves both kinds. Views are
`blue_reels_play_count` for a Reel, `total_video_views` otherwise; likes come
from the reaction breakdown. `definitions` = `facebook-graph-v23-video`.
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


class FacebookAnalytics(GraphFetcher):
    platform = SocialPlatform.FACEBOOK
    batch_size = 1
    definitions = "facebook-graph-v23-video"

    def fetch_posts(self, job: FetchJob, posts: list[PostRef]) -> FetchResult:
        result = FetchResult(definitions=self.definitions)
        for ref in posts:
            if not ref.platform_post_id:
                result.missing.append(ref.key)
                continue
            try:
                body = self.graph_get(job, f"{ref.platform_post_id}/video_insights", {})
            except NoData:
                result.missing.append(ref.key)
                continue
            v = insight_values(body)
            if not v:
                result.missing.append(ref.key)
                continue
            views = v.get("blue_reels_play_count", v.get("total_video_views"))
            avg_ms = v.get("post_video_avg_time_watched", v.get("total_video_avg_time_watched"))
            total_ms = v.get("post_video_view_time", v.get("total_video_view_total_time"))
            reactions = v.get("post_video_likes_by_reaction_type")
            likes = sum(int(x) for x in reactions.values()) if isinstance(reactions, dict) else None
            result.posts.append(
                PostMetrics(
                    key=ref.key,
                    platform_post_id=ref.platform_post_id,
                    metrics=Metrics(
                        views=as_int(views),
                        reach=as_int(v.get("total_video_views_unique")),
                        likes=likes,
                        avg_view_duration_s=float(avg_ms) / 1000 if avg_ms is not None else None,
                        watch_time_s=float(total_ms) / 1000 if total_ms is not None else None,
                    ),
                )
            )
        return result

    def fetch_channel(self, job: FetchJob, *, day: date) -> ChannelFigures:
        body = self.graph_get(job, job.platform_account_id, {"fields": "id,followers_count"})
        return ChannelFigures(
            day=day, followers=as_int(body.get("followers_count")), definitions=self.definitions
        )


FETCHER = FacebookAnalytics()
