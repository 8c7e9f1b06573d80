"""Each fetcher against the platforms' documented shapes (synthora_emulators.shapes):
batching, field mapping, lags and empty answers, and the error classes sync acts on."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import httpx
import pytest
import respx
from pydantic import SecretStr
from synthora_emulators.shapes import clone, google, meta, tiktok

from synthora.analytics import FETCHERS
from synthora.analytics.base import FetchJob, PostRef
from synthora.providers.social import SocialPlatformError
from synthora.settings import Settings


def _job(settings: Settings, account: str = "UCexampleChannelId000000") -> FetchJob:
    return FetchJob(
        settings=settings,
        http=httpx.Client(),
        access_token=SecretStr("token-1"),
        platform_account_id=account,
    )


def _ref(key: str, pid: str | None, **kw: object) -> PostRef:
    return PostRef(
        key=key, platform_post_id=pid, published_at=datetime(2026, 12, 1, tzinfo=UTC), **kw
    )


# --------------------------------------------------------------------------- YouTube


@respx.mock
def test_youtube_batches_ids_and_maps_report_columns_by_header(settings: Settings) -> None:
    bases = settings.platform_bases("google")
    listing = clone(google.VIDEO_LIST)
    a, b = clone(google.VIDEO), clone(google.VIDEO)
    a["id"], a["statistics"] = "vidA", {"viewCount": "1200", "likeCount": "80", "commentCount": "5"}
    b["id"], b["statistics"] = "vidB", {"viewCount": "30", "likeCount": "1", "commentCount": "0"}
    listing["items"] = [a, b]
    videos = respx.get(f"{bases['youtube']}/videos").mock(
        return_value=httpx.Response(200, json=listing)
    )
    report = {
        "kind": "youtubeAnalytics#resultTable",
        # deliberately not the request order: columns are read by name
        "columnHeaders": [
            {"name": "video", "columnType": "DIMENSION", "dataType": "STRING"},
            {"name": "shares", "columnType": "METRIC", "dataType": "INTEGER"},
            {"name": "estimatedMinutesWatched", "columnType": "METRIC", "dataType": "INTEGER"},
            {"name": "averageViewDuration", "columnType": "METRIC", "dataType": "INTEGER"},
            {"name": "subscribersGained", "columnType": "METRIC", "dataType": "INTEGER"},
            {"name": "views", "columnType": "METRIC", "dataType": "INTEGER"},
        ],
        "rows": [["vidA", 9, 300, 15, 4, 1100]],
    }
    reports = respx.get(f"{bases['youtube_analytics']}/reports").mock(
        return_value=httpx.Response(200, json=report)
    )
    got = FETCHERS["youtube"].fetch_posts(
        _job(settings),
        [_ref("kA", "vidA"), _ref("kB", "vidB"), _ref("kC", "gone"), _ref("kD", None)],
    )
    assert videos.call_count == 1 and reports.call_count == 1  # one call for the whole batch
    assert videos.calls[0].request.url.params["id"] == "vidA,vidB,gone"
    assert reports.calls[0].request.url.params["filters"] == "video==vidA,vidB,gone"
    by_key = {p.key: p for p in got.posts}
    ma = by_key["kA"].metrics
    assert (ma.views, ma.likes, ma.comments, ma.shares) == (1200, 80, 5, 9)
    assert (ma.watch_time_s, ma.avg_view_duration_s, ma.subscribers_gained) == (18000.0, 15.0, 4)
    # vidB is not in the report yet (the 2-3 day lag): counters now, the rest marked lagging
    assert by_key["kB"].metrics.views == 30 and by_key["kB"].metrics.shares is None
    assert "watch_time_s" in by_key["kB"].lagging
    assert sorted(got.missing) == ["kC", "kD"]
    assert got.definitions == "youtube-views-2026-08-27"


@pytest.mark.parametrize(
    ("status", "body", "kind", "waits"),
    [
        (429, google.RATE_LIMIT_EXCEEDED, "transient", True),
        (403, google.QUOTA_EXCEEDED, "transient", False),
        (503, google.BACKEND_ERROR, "transient", False),
        (401, google.INVALID_CREDENTIALS, "dead_grant", False),
        (403, google.INSUFFICIENT_SCOPES, "refused", False),
    ],
)
@respx.mock
def test_youtube_errors_are_classified(
    settings: Settings, status: int, body: dict, kind: str, waits: bool
) -> None:
    bases = settings.platform_bases("google")
    headers = {"Retry-After": "120"} if waits else {}
    respx.get(f"{bases['youtube']}/videos").mock(
        return_value=httpx.Response(status, json=body, headers=headers)
    )
    with pytest.raises(SocialPlatformError) as caught:
        FETCHERS["youtube"].fetch_posts(_job(settings), [_ref("k", "vid")])
    assert caught.value.kind == kind
    assert (caught.value.retry_after_s == 120.0) is waits


@respx.mock
def test_youtube_channel_figures(settings: Settings) -> None:
    bases = settings.platform_bases("google")
    channel = clone(google.CHANNEL_LIST)
    channel["items"][0]["statistics"] = {
        "viewCount": "5000",
        "subscriberCount": "321",
        "hiddenSubscriberCount": False,
        "videoCount": "12",
    }
    respx.get(f"{bases['youtube']}/channels").mock(return_value=httpx.Response(200, json=channel))
    report = clone(google.ANALYTICS_REPORT)
    report["columnHeaders"] = [
        {"name": "day", "columnType": "DIMENSION", "dataType": "STRING"},
        {"name": "views", "columnType": "METRIC", "dataType": "INTEGER"},
        {"name": "subscribersGained", "columnType": "METRIC", "dataType": "INTEGER"},
    ]
    report["rows"] = [["2026-12-01", 120, 3]]
    respx.get(f"{bases['youtube_analytics']}/reports").mock(
        return_value=httpx.Response(200, json=report)
    )
    fig = FETCHERS["youtube"].fetch_channel(_job(settings), day=date(2026, 12, 1))
    assert (fig.followers, fig.total_views, fig.video_count) == (321, 5000, 12)
    assert (fig.daily_views, fig.subscribers_gained) == (120, 3)


# --------------------------------------------------------------------------- TikTok


@respx.mock
def test_tiktok_resolves_a_late_post_id_from_publish_id_then_queries(settings: Settings) -> None:
    api = settings.platform_bases("tiktok")["api"]
    status = respx.post(f"{api}/v2/post/publish/status/fetch/").mock(
        return_value=httpx.Response(200, json=clone(tiktok.STATUS_PUBLISHED))
    )
    query = respx.post(url__startswith=f"{api}/v2/video/query/").mock(
        return_value=httpx.Response(200, json=clone(tiktok.VIDEO_QUERY))
    )
    got = FETCHERS["tiktok"].fetch_posts(
        _job(settings), [_ref("k1", None, publish_id="v_pub_file~v2-1.7000000000000000000")]
    )
    assert status.call_count == 1
    sent = json.loads(query.calls[0].request.content)
    assert sent == {"filters": {"video_ids": ["7300000000000000000"]}}  # never the publish_id
    assert got.resolved_ids == {"k1": "7300000000000000000"}
    m = got.posts[0].metrics
    assert (m.views, m.likes, m.comments, m.shares) == (1200, 80, 6, 9)
    assert m.saves is None and m.watch_time_s is None  # not in the Display API: absent, not 0


@respx.mock
def test_tiktok_still_processing_is_missing_not_zero(settings: Settings) -> None:
    api = settings.platform_bases("tiktok")["api"]
    respx.post(f"{api}/v2/post/publish/status/fetch/").mock(
        return_value=httpx.Response(200, json=clone(tiktok.STATUS_PROCESSING))
    )
    query = respx.post(url__startswith=f"{api}/v2/video/query/")
    got = FETCHERS["tiktok"].fetch_posts(_job(settings), [_ref("k1", None, publish_id="p")])
    assert got.missing == ["k1"] and not got.posts and query.call_count == 0


@pytest.mark.parametrize(
    ("spec", "kind"),
    [
        (tiktok.RATE_LIMIT_EXCEEDED, "transient"),
        (tiktok.ACCESS_TOKEN_INVALID, "dead_grant"),
        (tiktok.SCOPE_NOT_AUTHORIZED, "refused"),
        (tiktok.INTERNAL, "transient"),
    ],
)
@respx.mock
def test_tiktok_errors_are_classified(settings: Settings, spec: tuple, kind: str) -> None:
    api = settings.platform_bases("tiktok")["api"]
    status, body = tiktok.api_error(spec)
    respx.post(url__startswith=f"{api}/v2/video/query/").mock(
        return_value=httpx.Response(status, json=body)
    )
    with pytest.raises(SocialPlatformError) as caught:
        FETCHERS["tiktok"].fetch_posts(_job(settings), [_ref("k", "7300000000000000000")])
    assert caught.value.kind == kind


# --------------------------------------------------------------------------- Meta


def _insights(object_id: str, values: dict[str, object]) -> dict:
    return {
        "data": [
            {
                "name": n,
                "period": "lifetime",
                "values": [{"value": v}],
                "title": n,
                "description": "",
                "id": f"{object_id}/insights/{n}/lifetime",
            }
            for n, v in values.items()
        ]
    }


@respx.mock
def test_instagram_asks_only_current_metric_names(settings: Settings) -> None:
    graph = settings.platform_bases("meta")["graph"]
    route = respx.get(f"{graph}/17950000000000001/insights").mock(
        return_value=httpx.Response(
            200,
            json=_insights(
                "17950000000000001",
                {
                    "views": 1520,
                    "reach": 1100,
                    "likes": 90,
                    "comments": 4,
                    "shares": 7,
                    "saved": 12,
                    "ig_reels_avg_watch_time": 6500,
                    "ig_reels_video_view_total_time": 9880000,
                },
            ),
        )
    )
    got = FETCHERS["instagram"].fetch_posts(_job(settings, "ig1"), [_ref("k", "17950000000000001")])
    asked = route.calls[0].request.url.params["metric"].split(",")
    assert "views" in asked and not set(asked) & set(meta.IG_DEPRECATED_METRICS)
    assert set(asked) <= set(meta.IG_MEDIA_METRICS)
    m = got.posts[0].metrics
    assert (m.views, m.reach, m.saves, m.avg_view_duration_s, m.watch_time_s) == (
        1520,
        1100,
        12,
        6.5,
        9880.0,
    )


@respx.mock
def test_instagram_empty_data_and_not_enough_viewers_are_missing(settings: Settings) -> None:
    graph = settings.platform_bases("meta")["graph"]
    respx.get(f"{graph}/m1/insights").mock(return_value=httpx.Response(200, json={"data": []}))
    respx.get(f"{graph}/m2/insights").mock(
        return_value=httpx.Response(
            400, json=meta.error("(#10) Not enough viewers for the media to show insights", 10)
        )
    )
    got = FETCHERS["instagram"].fetch_posts(
        _job(settings, "ig1"), [_ref("a", "m1"), _ref("b", "m2")]
    )
    assert got.missing == ["a", "b"] and not got.posts


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (meta.TOKEN_EXPIRED, "dead_grant"),
        (meta.APP_THROTTLED, "transient"),
        (meta.PERMISSION_DENIED, "refused"),
    ],
)
@respx.mock
def test_graph_errors_are_classified(settings: Settings, body: dict, kind: str) -> None:
    graph = settings.platform_bases("meta")["graph"]
    respx.get(f"{graph}/v1/video_insights").mock(return_value=httpx.Response(400, json=body))
    with pytest.raises(SocialPlatformError) as caught:
        FETCHERS["facebook"].fetch_posts(_job(settings, "page1"), [_ref("k", "v1")])
    assert caught.value.kind == kind


@respx.mock
def test_facebook_reel_uses_reels_plays_and_reactions(settings: Settings) -> None:
    graph = settings.platform_bases("meta")["graph"]
    respx.get(f"{graph}/v1/video_insights").mock(
        return_value=httpx.Response(
            200,
            json=_insights(
                "v1",
                {
                    "total_video_views": 400,
                    "total_video_views_unique": 350,
                    "blue_reels_play_count": 410,
                    "post_video_avg_time_watched": 4200,
                    "post_video_view_time": 1722000,
                    "post_video_likes_by_reaction_type": {"REACTION_LIKE": 20, "REACTION_LOVE": 5},
                },
            ),
        )
    )
    m = (
        FETCHERS["facebook"]
        .fetch_posts(_job(settings, "page1"), [_ref("k", "v1")])
        .posts[0]
        .metrics
    )
    assert (m.views, m.reach, m.likes, m.avg_view_duration_s, m.watch_time_s) == (
        410,
        350,
        25,
        4.2,
        1722.0,
    )


def test_each_platform_declares_its_analytics_fetcher() -> None:
    import importlib

    from synthora.providers.base import Capability
    from synthora.providers.social import Fetches
    from synthora.providers.social_registry import all_platforms

    for declaration in all_platforms():
        support = declaration.capabilities[Capability.ANALYTICS]
        assert isinstance(support, Fetches) and declaration.runs(Capability.ANALYTICS)
        module = importlib.import_module(support.fetcher)
        assert module.FETCHER is FETCHERS[declaration.id.value]
        assert module.FETCHER.platform == declaration.id


def test_each_platform_declares_the_publisher_posting_uses() -> None:
    import importlib

    from synthora.providers.base import Capability
    from synthora.providers.social import Publishes
    from synthora.providers.social_registry import all_platforms
    from synthora.publishing import PUBLISHERS

    for declaration in all_platforms():
        support = declaration.capabilities[Capability.PUBLISH]
        assert isinstance(support, Publishes) and declaration.runs(Capability.PUBLISH)
        module_name, _, class_name = support.publisher.rpartition(".")
        publisher_class = getattr(importlib.import_module(module_name), class_name)
        assert type(PUBLISHERS[declaration.id.value]) is publisher_class
