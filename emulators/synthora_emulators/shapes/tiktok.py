"""TikTok Login Kit v2, Content Posting API and Display API response shapes.

Sources:
- token: https://developers.tiktok.com/doc/oauth-get-a-user-access-token (updated 2026-11-02)
- refresh (rotating refresh tokens, access 2 h, refresh 180 d):
  https://developers.tiktok.com/docs/en/oauth-refresh-a-user-access-token and
  https://developers.tiktok.com/docs/zh-Hans/oauth-user-access-token-management (2026-11-05)
- revoke: https://developers.tiktok.com/docs/en/oauth-revoke-a-user-access-token
- OAuth errors: https://developers.tiktok.com/doc/oauth-error-handling
- creator_info: https://developers.tiktok.com/doc/content-posting-api-reference-query-creator-info
- video/init (direct post): https://developers.tiktok.com/doc/content-posting-api-reference-direct-post
- chunk rules: https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide
- status/fetch: https://developers.tiktok.com/doc/content-posting-api-reference-get-video-status
  (`publicaly_available_post_id` is spelled so by the API)
- video/query and video/list: https://developers.tiktok.com/doc/tiktok-api-v2-video-query
- unaudited apps: https://developers.tiktok.com/doc/content-sharing-guidelines
- user/info: https://developers.tiktok.com/doc/tiktok-api-v2-get-user-info
"""

from __future__ import annotations

from typing import Any

ACCESS_TOKEN_LIFETIME_S = 7_200
REFRESH_TOKEN_LIFETIME_S = 180 * 86_400
MIN_CHUNK = 5 * 1024 * 1024
MAX_CHUNK = 64 * 1024 * 1024
MAX_FINAL_CHUNK = 128 * 1024 * 1024
MAX_CHUNKS = 1000
PRIVACY_LEVELS = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"]
STATUSES = (
    "PROCESSING_UPLOAD",
    "PROCESSING_DOWNLOAD",
    "SEND_TO_USER_INBOX",
    "PUBLISH_COMPLETE",
    "FAILED",
)

TOKEN_RESPONSE: dict[str, Any] = {
    "access_token": "act.example",
    "expires_in": ACCESS_TOKEN_LIFETIME_S,
    "open_id": "-000example-open-id",
    "refresh_expires_in": REFRESH_TOKEN_LIFETIME_S,
    "refresh_token": "rft.example",
    "scope": "user.info.basic,video.publish,video.list",
    "token_type": "Bearer",
}


def oauth_error(
    error: str, description: str, log_id: str = "20261207000000EMULATED"
) -> dict[str, Any]:
    """Token-endpoint error: {"error", "error_description", "log_id"}."""
    return {"error": error, "error_description": description, "log_id": log_id}


def envelope(
    data: dict[str, Any],
    code: str = "ok",
    message: str = "",
    log_id: str = "20261207000000EMULATED",
) -> dict[str, Any]:
    """Every non-OAuth answer: success is `error.code == "ok"`, whatever the HTTP status."""
    return {"data": data, "error": {"code": code, "message": message, "log_id": log_id}}


USER_INFO: dict[str, Any] = envelope(
    {
        "user": {
            "open_id": "-000example-open-id",
            "union_id": "example-union-id",
            "avatar_url": "https://p16-sign.tiktokcdn.com/example.jpeg",
            "display_name": "Ada Creates",
            "username": "adacreates",
        }
    }
)

CREATOR_INFO: dict[str, Any] = envelope(
    {
        "creator_avatar_url": "https://p16-sign.tiktokcdn.com/example.jpeg",
        "creator_username": "adacreates",
        "creator_nickname": "Ada Creates",
        "privacy_level_options": ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"],
        "comment_disabled": False,
        "duet_disabled": False,
        "stitch_disabled": True,
        "max_video_post_duration_sec": 600,
    }
)

VIDEO_INIT: dict[str, Any] = envelope(
    {
        "publish_id": "v_pub_file~v2-1.7000000000000000000",
        "upload_url": "https://open-upload.tiktokapis.com/video/?upload_id=7000000000000000000&upload_token=example",
    }
)

STATUS_PROCESSING: dict[str, Any] = envelope(
    {"status": "PROCESSING_UPLOAD", "uploaded_bytes": 1048576}
)
STATUS_PUBLISHED: dict[str, Any] = envelope(
    {
        "status": "PUBLISH_COMPLETE",
        "publicaly_available_post_id": [7300000000000000000],
        "uploaded_bytes": 1048576,
    }
)
STATUS_FAILED: dict[str, Any] = envelope(
    {"status": "FAILED", "fail_reason": "file_format_check_failed", "uploaded_bytes": 1048576}
)

VIDEO_FIELDS = (
    "id",
    "create_time",
    "title",
    "video_description",
    "duration",
    "cover_image_url",
    "share_url",
    "embed_link",
    "view_count",
    "like_count",
    "comment_count",
    "share_count",
)

VIDEO_QUERY: dict[str, Any] = envelope(
    {
        "videos": [
            {
                "id": "7300000000000000000",
                "title": "My video",
                "view_count": 1200,
                "like_count": 80,
                "comment_count": 6,
                "share_count": 9,
            }
        ],
        "cursor": 0,
        "has_more": False,
    }
)

# (HTTP status, error.code, message) for the documented API errors the emulator sends.
ACCESS_TOKEN_INVALID = (
    401,
    "access_token_invalid",
    "The access token is invalid or not found in the request.",
)
SCOPE_NOT_AUTHORIZED = (
    401,
    "scope_not_authorized",
    "The user did not authorize the scope required for completing this request.",
)
RATE_LIMIT_EXCEEDED = (
    429,
    "rate_limit_exceeded",
    "API rate limit was exceeded, only X requests per time window are allowed.",
)
INVALID_PARAMS = (400, "invalid_params", "The request parameters are invalid.")
UNAUDITED_PRIVATE_ONLY = (
    403,
    "unaudited_client_can_only_post_to_private_accounts",
    "Unaudited clients can only post to a private account.",
)
PRIVACY_MISMATCH = (
    400,
    "privacy_level_option_mismatch",
    "The privacy_level is not one of the creator's privacy_level_options.",
)
SPAM_TOO_MANY_POSTS = (
    403,
    "spam_risk_too_many_posts",
    "The daily post cap for this user is reached.",
)
REACHED_ACTIVE_USER_CAP = (
    403,
    "reached_active_user_cap",
    "The daily number of users who can post through this client is reached.",
)
INTERNAL = (500, "internal_error", "Something went wrong. Please try again later.")


def api_error(spec: tuple[int, str, str], message: str | None = None) -> tuple[int, dict[str, Any]]:
    status, code, default = spec
    return status, envelope({}, code=code, message=message or default)
