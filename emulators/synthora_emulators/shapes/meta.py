"""Meta (Facebook Login, Graph API for Pages and Instagram) response shapes, Graph v27.0.

Sources:
- versions: https://developers.facebook.com/docs/graph-api/changelog (v27.0, 2026-11-04)
- login dialog, code exchange: https://developers.facebook.com/documentation/facebook-login/guides/advanced/manual-flow
- long-lived tokens, page tokens: https://developers.facebook.com/documentation/facebook-login/guides/access-tokens/get-long-lived
- error envelope and codes: https://developers.facebook.com/docs/graph-api/guides/error-handling
- IG content publishing, containers, limit:
  https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/content-publishing,
  https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-container,
  https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/content_publishing_limit
- IG media insights (views replaces plays/impressions/video_views, v22+):
  https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights and
  https://developers.facebook.com/docs/graph-api/changelog/version22.0
- FB Reels publishing: https://developers.facebook.com/documentation/video-api/guides/reels-publishing
- FB video publishing, resumable upload:
  https://developers.facebook.com/documentation/video-api/guides/publishing and
  https://developers.facebook.com/docs/graph-api/guides/upload
- FB video insights: https://developers.facebook.com/docs/graph-api/reference/video/video_insights

Error codes and subcodes marked "Postiz" come from production handling in
gitroomhq/postiz-app (instagram.provider.ts) and third-party reports, not from
Meta's reference; see shared/reference/platform-apis.md section 8 and 11.
"""

from __future__ import annotations

from typing import Any

GRAPH_VERSION = "v27.0"
SHORT_LIVED_S = 3_600
LONG_LIVED_S = 5_183_944
CONTAINER_LIFETIME_S = 86_400
IG_QUOTA_TOTAL = 100
IG_QUOTA_DURATION_S = 86_400
FB_REELS_PER_24H = 30

TOKEN_RESPONSE: dict[str, Any] = {
    "access_token": "EAAGexample",
    "token_type": "bearer",
    "expires_in": SHORT_LIVED_S,
}
LONG_LIVED_TOKEN_RESPONSE: dict[str, Any] = {
    "access_token": "EAAGexampleLong",
    "token_type": "bearer",
    "expires_in": LONG_LIVED_S,
}

ME_ACCOUNTS: dict[str, Any] = {
    "data": [
        {
            "id": "1000000000000011",
            "name": "Ada Creates",
            "access_token": "EAAGpageToken",
            "category": "Digital creator",
            "tasks": ["ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE"],
            "instagram_business_account": {"id": "17841400000000011", "username": "adacreates"},
        }
    ],
    "paging": {"cursors": {"before": "QVFIUexample", "after": "QVFIUexample"}},
}

CONTAINER_CREATED: dict[str, Any] = {"id": "17900000000000001"}
CONTAINER_STATUS: dict[str, Any] = {
    "status_code": "FINISHED",
    "status": "Finished: Media has been uploaded and it is ready to be published.",
    "id": "17900000000000001",
}
CONTAINER_STATUS_CODES = ("IN_PROGRESS", "FINISHED", "ERROR", "EXPIRED", "PUBLISHED")
MEDIA_PUBLISHED: dict[str, Any] = {"id": "17950000000000001"}
PUBLISHING_LIMIT: dict[str, Any] = {
    "data": [
        {
            "quota_usage": 2,
            "config": {"quota_total": IG_QUOTA_TOTAL, "quota_duration": IG_QUOTA_DURATION_S},
        }
    ]
}

IG_MEDIA_METRICS = (
    "views",
    "reach",
    "likes",
    "comments",
    "shares",
    "saved",
    "total_interactions",
    "ig_reels_avg_watch_time",
    "ig_reels_video_view_total_time",
)
IG_DEPRECATED_METRICS = (
    "plays",
    "clips_replays_count",
    "ig_reels_aggregated_all_plays_count",
    "impressions",
    "video_views",
)
INSIGHTS: dict[str, Any] = {
    "data": [
        {
            "name": "views",
            "period": "lifetime",
            "values": [{"value": 1520}],
            "title": "Views",
            "description": "The number of times your reel was played or displayed.",
            "id": "17950000000000001/insights/views/lifetime",
        }
    ]
}

FB_VIDEO_METRICS = (
    "total_video_views",
    "total_video_views_unique",
    "total_video_views_autoplayed",
    "total_video_avg_time_watched",
    "total_video_view_total_time",
    "blue_reels_play_count",
    "fb_reels_total_plays",
    "fb_reels_replay_count",
    "post_video_avg_time_watched",
    "post_video_view_time",
    "post_video_social_actions",
    "post_video_likes_by_reaction_type",
)
FB_DEPRECATED_METRICS = (
    "total_video_impressions",
    "total_video_impressions_unique",
    "post_video_views_10s",
    "total_video_10s_views",
    "page_video_views_10s",
    "post_impressions_unique",
    "page_impressions_unique",
    "page_video_views",
)

REEL_START: dict[str, Any] = {
    "video_id": "1200000000000001",
    "upload_url": f"https://rupload.facebook.com/video-upload/{GRAPH_VERSION}/1200000000000001",
}
SUCCESS: dict[str, Any] = {"success": True}
UPLOAD_SESSION: dict[str, Any] = {"id": "upload:MTphdHRhY2htZW50example"}
UPLOAD_HANDLE: dict[str, Any] = {"h": "2:c2FtcGxlLm1wNA==:video/mp4:example"}
VIDEO_STATUS: dict[str, Any] = {
    "status": {
        "video_status": "ready",
        "uploading_phase": {"status": "complete", "bytes_transferred": 1048576},
        "processing_phase": {"status": "complete"},
        "publishing_phase": {
            "status": "complete",
            "publish_status": "published",
            "publish_time": 1796659200,
        },
    },
    "id": "1200000000000001",
}


def error(
    message: str,
    code: int,
    *,
    subcode: int | None = None,
    type_: str = "OAuthException",
    user_title: str | None = None,
    user_msg: str | None = None,
    is_transient: bool | None = None,
    fbtrace_id: str = "AEmulatedTraceId",
) -> dict[str, Any]:
    """The Graph error envelope: {"error": {message, type, code, error_subcode?, fbtrace_id}}."""
    body: dict[str, Any] = {"message": message, "type": type_, "code": code}
    if subcode is not None:
        body["error_subcode"] = subcode
    if is_transient is not None:
        body["is_transient"] = is_transient
    if user_title is not None:
        body["error_user_title"] = user_title
    if user_msg is not None:
        body["error_user_msg"] = user_msg
    body["fbtrace_id"] = fbtrace_id
    return {"error": body}


TOKEN_REQUIRED = error(
    "An active access token must be used to query information about the current user.", 2500
)
TOKEN_INVALID = error("Invalid OAuth access token - Cannot parse access token", 190)
TOKEN_EXPIRED = error("Error validating access token: Session has expired.", 190, subcode=463)
TOKEN_APP_REMOVED = error(
    "Error validating access token: The user has not authorized application.", 190, subcode=458
)
TOKEN_PASSWORD_CHANGED = error(
    "Error validating access token: The session has been invalidated "
    "because the user changed their password.",
    190,
    subcode=460,
)
PERMISSION_DENIED = error("(#10) Application does not have permission for this action", 10)
PAGE_TOKEN_REQUIRED = error("(#210) A page access token is required to request this resource.", 210)
APP_THROTTLED = error("(#4) Application request limit reached", 4, is_transient=True)
UNKNOWN_ERROR = error("An unknown error has occurred.", 1, is_transient=True)
# Postiz: 9007/2207027 when publishing an unfinished container.
NOT_READY = error(
    "Media ID is not available",
    9007,
    subcode=2207027,
    user_title="Media not ready",
    user_msg="The media is not ready for publishing, please wait for a moment",
)
# Postiz: 9004/2207052 when Meta cannot fetch video_url.
FETCH_FAILED = error(
    "Media download has failed.: The media could not be fetched from the URI provided.",
    9004,
    subcode=2207052,
    is_transient=False,
    user_title="Media download has failed.",
    user_msg="The media could not be fetched from this URI.",
)
CONTAINER_EXPIRED = error(
    "The media container has expired.",
    9007,
    subcode=2207008,
    user_title="Media expired",
    user_msg="The media container was not published within 24 hours.",
)
ALREADY_PUBLISHED = error(
    "Media ID is not available",
    9007,
    subcode=2207006,
    user_title="Media not found",
    user_msg="The media has already been published.",
)
# Postiz: subcode 2207042; the top-level code is the emulator's reading (application limit).
PUBLISH_LIMIT = error(
    "Application request limit reached",
    4,
    subcode=2207042,
    is_transient=False,
    user_title="Publishing limit reached",
    user_msg="You reached the maximum number of posts that can be published "
    "through the API in 24 hours.",
)
REELS_LIMIT = error(
    "(#32) Page request limit reached: a Page can publish 30 reels through the API in 24 hours.", 32
)


def unsupported_get(object_id: str, method: str = "get") -> dict[str, Any]:
    return error(
        f"Unsupported {method} request. Object with ID '{object_id}' does not exist, cannot be "
        "loaded due to missing permissions, or does not support this operation.",
        100,
        subcode=33,
        type_="GraphMethodException",
    )


def deprecated_metric(name: str, replacement: str = "views") -> dict[str, Any]:
    return error(
        f"(#100) Starting from version v22.0 and above, the {name} metric is no longer "
        f"supported for the queried media. Please use {replacement} instead.",
        100,
    )


def invalid_metric(index: int, allowed: tuple[str, ...]) -> dict[str, Any]:
    return error(
        f"(#100) metric[{index}] must be one of the following values: " + ", ".join(allowed), 100
    )
