"""Google OAuth 2.0, YouTube Data API v3 and YouTube Analytics API v2 response shapes.

Sources:
- OAuth web-server flow, token and refresh responses, error codes:
  https://developers.google.com/identity/protocols/oauth2/web-server
- Revoke: same page, "Revoking a token" (200 on success, 400 invalid_token otherwise).
- userinfo (OpenID Connect): https://developers.google.com/identity/openid-connect/openid-connect
- channels.list: https://developers.google.com/youtube/v3/docs/channels/list and
  https://developers.google.com/youtube/v3/docs/channels#resource
- videos.insert / resumable protocol:
  https://developers.google.com/youtube/v3/docs/videos/insert and
  https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol
- video resource (status, statistics, processingDetails):
  https://developers.google.com/youtube/v3/docs/videos#resource
- errors: https://developers.google.com/youtube/v3/docs/errors and the JSON error format of
  https://cloud.google.com/apis/design/errors#http_mapping
- reports.query: https://developers.google.com/youtube/analytics/reference/reports/query
"""

from __future__ import annotations

from typing import Any

SCOPE_UPLOAD = "https://www.googleapis.com/auth/youtube.upload"
SCOPE_YOUTUBE = "https://www.googleapis.com/auth/youtube"
SCOPE_FORCE_SSL = "https://www.googleapis.com/auth/youtube.force-ssl"
SCOPE_READONLY = "https://www.googleapis.com/auth/youtube.readonly"
SCOPE_ANALYTICS = "https://www.googleapis.com/auth/yt-analytics.readonly"
ACCESS_TOKEN_LIFETIME_S = 3599

TOKEN_RESPONSE: dict[str, Any] = {
    "access_token": "ya29.a0AfB_example",
    "expires_in": ACCESS_TOKEN_LIFETIME_S,
    "refresh_token": "1//0gExampleRefresh",
    "scope": f"{SCOPE_UPLOAD} {SCOPE_READONLY}",
    "token_type": "Bearer",
}

# A refresh answers a new access token and no refresh_token (keep the stored one).
REFRESH_RESPONSE: dict[str, Any] = {
    "access_token": "ya29.a0AfB_refreshed",
    "expires_in": ACCESS_TOKEN_LIFETIME_S,
    "scope": f"{SCOPE_UPLOAD} {SCOPE_READONLY}",
    "token_type": "Bearer",
}

USERINFO: dict[str, Any] = {
    "sub": "110248495921238986420",
    "name": "Ada Creator",
    "given_name": "Ada",
    "picture": "https://lh3.googleusercontent.com/a/example",
    "email": "ada@example.com",
    "email_verified": True,
}

CHANNEL: dict[str, Any] = {
    "kind": "youtube#channel",
    "etag": "etag",
    "id": "UCexampleChannelId000000",
    "snippet": {
        "title": "Ada Creates",
        "description": "",
        "customUrl": "@adacreates",
        "publishedAt": "2024-01-01T00:00:00Z",
        "thumbnails": {
            "default": {"url": "https://yt3.ggpht.com/example=s88", "width": 88, "height": 88}
        },
        "localized": {"title": "Ada Creates", "description": ""},
    },
    "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": "UUexampleChannelId000000"}},
    "statistics": {
        "viewCount": "0",
        "subscriberCount": "0",
        "hiddenSubscriberCount": False,
        "videoCount": "0",
    },
}

CHANNEL_LIST: dict[str, Any] = {
    "kind": "youtube#channelListResponse",
    "etag": "etag",
    "pageInfo": {"totalResults": 1, "resultsPerPage": 5},
    "items": [CHANNEL],
}

VIDEO: dict[str, Any] = {
    "kind": "youtube#video",
    "etag": "etag",
    "id": "dQw4w9WgXcQ",
    "snippet": {
        "publishedAt": "2026-12-07T12:00:00Z",
        "channelId": "UCexampleChannelId000000",
        "title": "My video",
        "description": "",
        "thumbnails": {
            "default": {
                "url": "https://i.ytimg.com/vi/dQw4w9WgXcQ/default.jpg",
                "width": 120,
                "height": 90,
            }
        },
        "channelTitle": "Ada Creates",
        "tags": [],
        "categoryId": "22",
        "liveBroadcastContent": "none",
        "localized": {"title": "My video", "description": ""},
    },
    "status": {
        "uploadStatus": "uploaded",
        "privacyStatus": "private",
        "license": "youtube",
        "embeddable": True,
        "publicStatsViewable": True,
        "madeForKids": False,
        "selfDeclaredMadeForKids": False,
        "containsSyntheticMedia": True,
    },
    "statistics": {"viewCount": "0", "likeCount": "0", "favoriteCount": "0", "commentCount": "0"},
    "contentDetails": {
        "duration": "PT30S",
        "dimension": "2d",
        "definition": "hd",
        "caption": "false",
        "licensedContent": False,
        "projection": "rectangular",
    },
    "processingDetails": {"processingStatus": "processing"},
}

VIDEO_LIST: dict[str, Any] = {
    "kind": "youtube#videoListResponse",
    "etag": "etag",
    "items": [VIDEO],
    "pageInfo": {"totalResults": 1, "resultsPerPage": 1},
}

ANALYTICS_REPORT: dict[str, Any] = {
    "kind": "youtubeAnalytics#resultTable",
    "columnHeaders": [
        {"name": "day", "columnType": "DIMENSION", "dataType": "STRING"},
        {"name": "views", "columnType": "METRIC", "dataType": "INTEGER"},
        {"name": "likes", "columnType": "METRIC", "dataType": "INTEGER"},
    ],
    "rows": [["2026-12-01", 120, 7], ["2026-12-02", 64, 3]],
}

# name -> dataType, for reports.query column headers (metrics the emulator computes).
ANALYTICS_METRICS: dict[str, str] = {
    "views": "INTEGER",
    "likes": "INTEGER",
    "comments": "INTEGER",
    "shares": "INTEGER",
    "estimatedMinutesWatched": "INTEGER",
    "averageViewDuration": "INTEGER",
    "averageViewPercentage": "FLOAT",
    "subscribersGained": "INTEGER",
    "subscribersLost": "INTEGER",
}
ANALYTICS_DIMENSIONS = ("day", "video")


def oauth_error(error: str, description: str) -> dict[str, Any]:
    """Token-endpoint error, e.g. ("invalid_grant", "Token has been expired or revoked.")."""
    return {"error": error, "error_description": description}


_GRPC_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


def api_error(
    code: int,
    reason: str,
    message: str,
    *,
    domain: str = "global",
    location: str | None = None,
    location_type: str | None = None,
) -> dict[str, Any]:
    """A Google API error: {"error": {code, message, errors[{message, domain, reason}], status}}."""
    item: dict[str, Any] = {"message": message, "domain": domain, "reason": reason}
    if location is not None:
        item["location"] = location
        item["locationType"] = location_type or "parameter"
    return {
        "error": {
            "code": code,
            "message": message,
            "errors": [item],
            "status": _GRPC_STATUS.get(code, "UNKNOWN"),
        }
    }


INVALID_CREDENTIALS = api_error(
    401,
    "authError",
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
    "or other valid authentication credential.",
    location="Authorization",
    location_type="header",
)
INSUFFICIENT_SCOPES = api_error(
    403, "insufficientPermissions", "Request had insufficient authentication scopes."
)
QUOTA_EXCEEDED = api_error(
    403,
    "quotaExceeded",
    "The request cannot be completed because you have exceeded your quota.",
    domain="youtube.quota",
)
UPLOAD_LIMIT_EXCEEDED = api_error(
    400,
    "uploadLimitExceeded",
    "The user has exceeded the number of videos they may upload.",
    domain="youtube.video",
)
RATE_LIMIT_EXCEEDED = api_error(
    429,
    "rateLimitExceeded",
    "The request cannot be completed because you have exceeded your quota.",
    domain="youtube.quota",
)
BACKEND_ERROR = api_error(503, "backendError", "Backend Error")
