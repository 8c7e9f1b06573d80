"""Each platform's documented errors map to the right class (retry or not, wait how long),
and the rule tables refuse what the platforms refuse. Error bodies are the emulators'
documented shapes (synthora_emulators.shapes)."""

from __future__ import annotations

import httpx
import pytest
from synthora_emulators.shapes import google, meta, tiktok

from synthora.publishing.base import MediaFacts, PostContent
from synthora.publishing.checks import AccountFacts, check_target
from synthora.publishing.meta import graph_error
from synthora.publishing.tiktok import chunk_plan, tiktok_error
from synthora.publishing.youtube import youtube_error


def _response(status: int, body: object) -> httpx.Response:
    return httpx.Response(status, json=body)


@pytest.mark.parametrize(
    ("status", "body", "code", "retryable", "waits"),
    [
        (403, google.QUOTA_EXCEEDED, "quota_exceeded", True, True),
        (400, google.UPLOAD_LIMIT_EXCEEDED, "upload_limit_exceeded", True, True),
        (503, google.BACKEND_ERROR, "backendError", True, False),
        (401, google.INVALID_CREDENTIALS, "auth_error", False, False),
        (403, google.INSUFFICIENT_SCOPES, "insufficientPermissions", False, False),
    ],
)
def test_youtube_errors(status: int, body: object, code: str, retryable: bool, waits: bool) -> None:
    err = youtube_error(_response(status, body))
    assert (err.code, err.retryable, err.retry_after_s is not None) == (code, retryable, waits)
    assert err.payload == body  # the platform's full answer is kept


@pytest.mark.parametrize(
    ("spec", "retryable", "waits"),
    [
        (tiktok.SPAM_TOO_MANY_POSTS, True, True),
        (tiktok.RATE_LIMIT_EXCEEDED, True, True),
        (tiktok.REACHED_ACTIVE_USER_CAP, True, True),
        (tiktok.ACCESS_TOKEN_INVALID, False, False),
        (tiktok.PRIVACY_MISMATCH, False, False),
        (tiktok.INTERNAL, True, False),
    ],
)
def test_tiktok_errors(spec: tuple[int, str, str], retryable: bool, waits: bool) -> None:
    status, body = tiktok.api_error(spec)
    err = tiktok_error(_response(status, body))
    assert (err.code, err.retryable, err.retry_after_s is not None) == (spec[1], retryable, waits)


@pytest.mark.parametrize(
    ("body", "code", "retryable"),
    [
        (meta.TOKEN_EXPIRED, "auth_error", False),
        (meta.PUBLISH_LIMIT, "publishing_limit", True),
        (meta.APP_THROTTLED, "graph_4", True),
        (meta.PERMISSION_DENIED, "graph_10", False),
    ],
)
def test_graph_errors(body: dict[str, object], code: str, retryable: bool) -> None:
    err = graph_error(_response(400, body), "Instagram")
    assert (err.code, err.retryable) == (code, retryable)


def test_facebook_reels_cap_waits() -> None:
    err = graph_error(_response(400, meta.REELS_LIMIT), "Facebook")
    assert err.retryable and err.retry_after_s


@pytest.mark.parametrize(
    ("size", "plan"),
    [
        (1_000, (1_000, 1)),
        (5 * 1024 * 1024 - 1, (5 * 1024 * 1024 - 1, 1)),
        (25 * 1024 * 1024 + 7, (10 * 1024 * 1024, 2)),  # the last chunk takes the remainder
    ],
)
def test_tiktok_chunk_plan_follows_the_media_transfer_rules(
    size: int, plan: tuple[int, int]
) -> None:
    assert chunk_plan(size) == plan


FACTS = MediaFacts(
    duration_s=30, size_bytes=5_000_000, width=1080, height=1920, video_codec="h264", fps=30
)
OK_ACCOUNT = AccountFacts(
    status="connected",
    scopes=[
        "https://www.googleapis.com/auth/youtube.upload",
        "video.publish",
        "instagram_content_publish",
        "pages_manage_posts",
    ],
    privacy_level_options=["SELF_ONLY", "PUBLIC_TO_EVERYONE"],
)


def _rules(platform: str, **kw: object) -> set[str]:
    facts = FACTS.model_copy(update={k: v for k, v in kw.items() if k in MediaFacts.model_fields})
    content = PostContent(
        title=str(kw.get("title", "A title")),
        privacy=kw.get("privacy", "SELF_ONLY" if platform == "tiktok" else None),  # type: ignore[arg-type]
        hashtags=list(kw.get("hashtags", [])),  # type: ignore[call-overload]
    )
    account = kw.get("account", OK_ACCOUNT)
    assert isinstance(account, AccountFacts)
    return {
        f.rule
        for f in check_target(
            target="t", platform=platform, facts=facts, content=content, account=account
        )
    }


def test_a_good_vertical_video_passes_everywhere() -> None:
    for platform in ("youtube", "tiktok", "instagram", "facebook"):
        assert _rules(platform) == set(), platform


def test_each_rule_names_what_it_refuses() -> None:
    assert "duration" in _rules("facebook", duration_s=120)  # Reels are 3-90 s
    assert "duration" in _rules("tiktok", duration_s=2)
    assert "aspect_ratio" in _rules("facebook", width=1920, height=1080)
    assert "resolution" in _rules("facebook", width=360, height=640)
    assert "codec" in _rules("instagram", video_codec="vp9")
    assert "frame_rate" in _rules("tiktok", fps=15)
    assert "file_size" in _rules("instagram", size_bytes=400 * 1024**2)
    assert "title_length" in _rules("youtube", title="x" * 101)
    assert "hashtag_count" in _rules("instagram", hashtags=[f"t{i}" for i in range(31)])
    assert "privacy_not_allowed" in _rules("tiktok", privacy="FOLLOWER_OF_CREATOR")
    dead = OK_ACCOUNT.model_copy(update={"status": "needs_reconnect"})
    assert "account_state" in _rules("youtube", account=dead)
    no_scope = OK_ACCOUNT.model_copy(update={"scopes": []})
    assert "scopes" in _rules("tiktok", account=no_scope)
    capped = OK_ACCOUNT.model_copy(update={"posts_last_24h": 15})
    assert "tiktok_creator_daily_cap" in _rules("tiktok", account=capped)
    creator_max = OK_ACCOUNT.model_copy(update={"max_video_post_duration_sec": 20})
    assert "duration" in _rules("tiktok", account=creator_max)
