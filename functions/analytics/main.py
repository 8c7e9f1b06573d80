"""Analytics: totals, time series, platforms, top posts, the best-time heatmap, sync."""

from typing import Literal

import flask
import functions_framework
from pydantic import BaseModel, Field

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services import analytics as service

router = Router(
    group="analytics",
    prefix="/api/v1/analytics",
    write_scope="analytics",
    description="Post metrics history, rollups and the creator's own best posting times.",
)

Days = Field(default=30, ge=1, le=365, description="Window length in days, ending today (UTC).")
SocialName = Literal["youtube", "tiktok", "instagram", "facebook"]


PeriodQuery = service.PeriodQuery
HeatmapQuery = service.HeatmapQuery


class SeriesQuery(BaseModel):
    metric: Literal[
        "views",
        "likes",
        "comments",
        "shares",
        "saves",
        "watch_time_s",
        "subscribers_gained",
        "engagement_rate",
    ] = "views"
    days: int = Days
    platform: SocialName | None = None


class TopQuery(BaseModel):
    metric: Literal["views", "likes", "comments", "shares", "saves", "engagement_rate"] = "views"
    days: int = Days
    sort: Literal["desc", "asc"] = "desc"
    limit: int = Field(default=10, ge=1, le=100)
    platform: SocialName | None = None


@router.get("/overview", name="overview", auth="user", query=PeriodQuery, response=service.Overview)
def overview(ctx: RequestContext, *, query: PeriodQuery) -> service.Overview:
    """Totals over the last `days` and their change against the `days` before."""
    return service.overview(platform=get_platform(), uid=ctx.uid, days=query.days)


@router.get(
    "/time-series", name="time_series", auth="user", query=SeriesQuery, response=service.TimeSeries
)
def time_series(ctx: RequestContext, *, query: SeriesQuery) -> service.TimeSeries:
    """One metric per day (growth fetched that day), optionally one platform."""
    return service.time_series(
        platform=get_platform(),
        uid=ctx.uid,
        metric=query.metric,
        days=query.days,
        social=query.platform,
    )


@router.get(
    "/platforms",
    name="platforms",
    auth="user",
    query=PeriodQuery,
    response=service.PlatformComparison,
)
def platforms(ctx: RequestContext, *, query: PeriodQuery) -> service.PlatformComparison:
    """Each platform's totals, posts and average views per post over the window."""
    return service.platforms_comparison(platform=get_platform(), uid=ctx.uid, days=query.days)


@router.get(
    "/top-performing", name="top_performing", auth="user", query=TopQuery, response=service.TopPosts
)
def top_performing(ctx: RequestContext, *, query: TopQuery) -> service.TopPosts:
    """Posts published in the window, ranked by a metric (lifetime totals)."""
    return service.top_performing(
        platform=get_platform(),
        uid=ctx.uid,
        metric=query.metric,
        days=query.days,
        sort=query.sort,
        limit=query.limit,
        social=query.platform,
    )


@router.get(
    "/heatmap",
    name="heatmap",
    auth="user",
    query=HeatmapQuery,
    response=service.Heatmap,
    errors=(422,),
)
def heatmap(ctx: RequestContext, *, query: HeatmapQuery) -> service.Heatmap:
    """Weekday x hour from my own posts, normalised per account, with sample sizes."""
    return service.heatmap(
        platform=get_platform(), uid=ctx.uid, days=query.days, social=query.platform, tz=query.tz
    )


@router.get(
    "/posts/{post_id}", name="post", auth="owner", response=service.PostAnalytics, errors=(404,)
)
def post(ctx: RequestContext, *, post_id: str) -> service.PostAnalytics:
    """One post per platform: latest totals and every stored snapshot."""
    return service.post_analytics(platform=get_platform(), uid=ctx.uid, post_id=post_id)


@router.post(
    "/sync", name="sync", auth="user", response=service.SyncRequested, status=202, errors=(404, 429)
)
def sync(ctx: RequestContext) -> service.SyncRequested:
    """Sync all my accounts now (one task per account); once every 15 minutes."""
    return service.request_sync(platform=get_platform(), uid=ctx.uid)


@router.post(
    "/sync/{post_id}",
    name="sync_post",
    auth="user",
    response=service.PostAnalytics,
    errors=(404, 429, 503),
)
def sync_post(ctx: RequestContext, *, post_id: str) -> service.PostAnalytics:
    """Fetch one post's numbers now; once every 5 minutes per post."""
    return service.sync_post(platform=get_platform(), uid=ctx.uid, post_id=post_id)


@router.get("/channels", name="channels", auth="premium", response=service.Channels, errors=(403,))
def channels(ctx: RequestContext) -> service.Channels:
    """Followers and channel totals by day per account (premium)."""
    role = ctx.user.role if ctx.user is not None else "free"
    return service.channels(platform=get_platform(), uid=ctx.uid, role=role)


@functions_framework.http
def analytics(request: flask.Request) -> flask.Response:
    return router(request)
