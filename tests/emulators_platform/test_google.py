"""The Google emulator against Google's documented OAuth, YouTube Data v3 and Analytics shapes."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from synthora_emulators.shapes import google as shapes

from tests.conftest import PlatformEmulators
from tests.emulators_platform.conftest import clock_now, consent, seen

REDIRECT = "http://127.0.0.1:8080/api/v1/social/youtube/callback"
ADA = "UCadaCreates0000000000001"
SCOPES = [shapes.SCOPE_UPLOAD, shapes.SCOPE_READONLY, shapes.SCOPE_ANALYTICS]


def _params(**extra: str) -> dict[str, Any]:
    return {
        "client_id": "synthora-local",
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": " ".join(SCOPES),
        "state": "st-1",
        "access_type": "offline",
        "prompt": "consent",
        **extra,
    }


def _exchange(emulators: PlatformEmulators, code: str, **extra: str) -> httpx.Response:
    return httpx.post(
        emulators.base("google") + "/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": "synthora-local",
            "client_secret": "secret",
            "redirect_uri": REDIRECT,
            **extra,
        },
    )


def connect(
    emulators: PlatformEmulators, channel: str = ADA, scopes: list[str] | None = None
) -> dict[str, Any]:
    query = consent(
        emulators, "/google/o/oauth2/v2/auth", _params(), account=channel, scopes=scopes
    )
    r = _exchange(emulators, query["code"])
    assert r.status_code == 200, r.text
    return dict(r.json())


def _auth(token: str) -> dict[str, Any]:
    return {"Authorization": f"Bearer {token}"}


def start_upload(
    emulators: PlatformEmulators, token: str, size: int, metadata: dict[str, Any]
) -> httpx.Response:
    return httpx.post(
        emulators.base("google") + "/upload/youtube/v3/videos",
        params={"uploadType": "resumable", "part": "snippet,status"},
        headers={
            **_auth(token),
            "X-Upload-Content-Length": str(size),
            "X-Upload-Content-Type": "video/mp4",
        },
        json=metadata,
    )


def upload(
    emulators: PlatformEmulators, token: str, data: bytes, metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    r = start_upload(
        emulators,
        token,
        len(data),
        metadata or {"snippet": {"title": "Clip"}, "status": {"privacyStatus": "public"}},
    )
    assert r.status_code == 200, r.text
    r = httpx.put(r.headers["Location"], content=data, headers={"Content-Type": "video/mp4"})
    assert r.status_code == 200, r.text
    return dict(r.json())


# --------------------------------------------------------------------------- OAuth


def test_consent_code_exchange_and_refresh_keeps_refresh_token(
    platform_emulators: PlatformEmulators,
) -> None:
    query = consent(platform_emulators, "/google/o/oauth2/v2/auth", _params(), account=ADA)
    assert query["state"] == "st-1"
    r = _exchange(platform_emulators, query["code"])
    body = r.json()
    assert set(shapes.TOKEN_RESPONSE) <= set(body)
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3599
    # Single use: a replay fails and revokes what the code issued.
    again = _exchange(platform_emulators, query["code"])
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    r = httpx.get(
        platform_emulators.base("google") + "/youtube/v3/channels",
        params={"part": "id", "mine": "true"},
        headers=_auth(body["access_token"]),
    )
    assert r.status_code == 401


def test_refresh_returns_access_token_only(platform_emulators: PlatformEmulators) -> None:
    tokens = connect(platform_emulators)
    r = httpx.post(
        platform_emulators.base("google") + "/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": "synthora-local",
            "client_secret": "secret",
        },
    )
    assert r.status_code == 200
    assert "refresh_token" not in r.json()
    assert set(r.json()) == set(shapes.REFRESH_RESPONSE)
    # The old refresh token still works (Google keeps it).
    r = httpx.post(
        platform_emulators.base("google") + "/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": "synthora-local",
            "client_secret": "secret",
        },
    )
    assert r.status_code == 200


def test_deny_redirects_with_access_denied(platform_emulators: PlatformEmulators) -> None:
    query = consent(
        platform_emulators, "/google/o/oauth2/v2/auth", _params(), account=ADA, decision="deny"
    )
    assert query == {"error": "access_denied", "state": "st-1"}


def test_code_checks_redirect_uri_expiry_and_registered_secret(
    platform_emulators: PlatformEmulators,
) -> None:
    query = consent(platform_emulators, "/google/o/oauth2/v2/auth", _params(), account=ADA)
    r = _exchange(platform_emulators, query["code"], redirect_uri="http://127.0.0.1:9/other")
    assert r.status_code == 400 and r.json()["error"] == "redirect_uri_mismatch"
    query = consent(platform_emulators, "/google/o/oauth2/v2/auth", _params(), account=ADA)
    platform_emulators.control("clock", {"advance_s": 601})
    r = _exchange(platform_emulators, query["code"])
    assert r.json() == shapes.oauth_error("invalid_grant", "Authorization code has expired.")
    platform_emulators.control(
        "google/clients",
        {"client_id": "registered", "client_secret": "right", "redirect_uris": [REDIRECT]},
    )
    r = httpx.post(
        platform_emulators.base("google") + "/token",
        data={
            "grant_type": "authorization_code",
            "code": "x",
            "client_id": "registered",
            "client_secret": "wrong",
            "redirect_uri": REDIRECT,
        },
    )
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    page = httpx.get(
        platform_emulators.base("google") + "/o/oauth2/v2/auth",
        params={**_params(), "client_id": "registered", "redirect_uri": "http://evil.example/cb"},
    )
    assert page.status_code == 400 and "redirect_uri_mismatch" in page.text


def test_pkce_s256_verified(platform_emulators: PlatformEmulators) -> None:
    verifier = "v" * 50
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    params = _params(code_challenge=challenge.decode(), code_challenge_method="S256")
    query = consent(platform_emulators, "/google/o/oauth2/v2/auth", params, account=ADA)
    r = _exchange(platform_emulators, query["code"], code_verifier="w" * 50)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    query = consent(platform_emulators, "/google/o/oauth2/v2/auth", params, account=ADA)
    assert _exchange(platform_emulators, query["code"]).status_code == 400  # verifier missing
    query = consent(platform_emulators, "/google/o/oauth2/v2/auth", params, account=ADA)
    assert _exchange(platform_emulators, query["code"], code_verifier=verifier).status_code == 200


def test_revoke_ends_the_grant(platform_emulators: PlatformEmulators) -> None:
    tokens = connect(platform_emulators)
    r = httpx.post(
        platform_emulators.base("google") + "/revoke",
        params={"token": tokens["refresh_token"]},
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 200
    r = httpx.post(
        platform_emulators.base("google") + "/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": "synthora-local",
            "client_secret": "secret",
        },
    )
    assert r.json() == shapes.oauth_error("invalid_grant", "Token has been expired or revoked.")
    again = httpx.post(
        platform_emulators.base("google") + "/revoke", params={"token": tokens["refresh_token"]}
    )
    assert again.status_code == 400 and again.json()["error"] == "invalid_token"


def test_expired_and_control_revoked_tokens_answer_401(
    platform_emulators: PlatformEmulators,
) -> None:
    tokens = connect(platform_emulators)
    url = platform_emulators.base("google") + "/youtube/v3/channels"
    params = {"part": "snippet", "mine": "true"}
    assert httpx.get(url, params=params, headers=_auth(tokens["access_token"])).status_code == 200
    platform_emulators.control("clock", {"advance_s": 3600})
    r = httpx.get(url, params=params, headers=_auth(tokens["access_token"]))
    assert r.status_code == 401 and r.json() == shapes.INVALID_CREDENTIALS
    assert "invalid_token" in r.headers["WWW-Authenticate"]
    platform_emulators.control("google/revoke", {"subject_id": ADA})
    r = httpx.post(
        platform_emulators.base("google") + "/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": "synthora-local",
            "client_secret": "secret",
        },
    )
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"


# --------------------------------------------------------------------------- channels


def test_channels_mine_follows_the_picked_channel(platform_emulators: PlatformEmulators) -> None:
    tokens = connect(platform_emulators, channel="UCadaClips000000000000002")
    r = httpx.get(
        platform_emulators.base("google") + "/youtube/v3/channels",
        params={"part": "id,snippet,statistics,contentDetails", "mine": "true"},
        headers=_auth(tokens["access_token"]),
    )
    body = r.json()
    assert body["kind"] == shapes.CHANNEL_LIST["kind"]
    item = body["items"][0]
    assert set(item) == set(shapes.CHANNEL)
    assert item["id"] == "UCadaClips000000000000002"
    assert item["snippet"]["title"] == "Ada Clips"
    assert isinstance(item["statistics"]["subscriberCount"], str)


def test_missing_scope_is_insufficient_permissions(platform_emulators: PlatformEmulators) -> None:
    tokens = connect(platform_emulators, scopes=[shapes.SCOPE_UPLOAD])
    r = httpx.get(
        platform_emulators.base("google") + "/youtube/v3/channels",
        params={"part": "id", "mine": "true"},
        headers=_auth(tokens["access_token"]),
    )
    assert r.status_code == 403 and r.json() == shapes.INSUFFICIENT_SCOPES
    r = httpx.get(
        platform_emulators.base("google") + "/v2/reports",
        params={
            "ids": "channel==MINE",
            "startDate": "2026-01-01",
            "endDate": "2026-01-02",
            "metrics": "views",
        },
        headers=_auth(tokens["access_token"]),
    )
    assert r.status_code == 403


def test_seeded_accounts_appear_on_the_picker(platform_emulators: PlatformEmulators) -> None:
    platform_emulators.control(
        "google/seed_accounts",
        {
            "accounts": [
                {
                    "id": "9",
                    "name": "Dee",
                    "email": "dee@example.com",
                    "channels": [
                        {"id": "UCdee1", "title": "Dee One"},
                        {"id": "UCdee2", "title": "Dee Two"},
                    ],
                }
            ]
        },
    )
    tokens = connect(platform_emulators, channel="UCdee2")
    r = httpx.get(
        platform_emulators.base("google") + "/youtube/v3/channels",
        params={"part": "snippet", "mine": "true"},
        headers=_auth(tokens["access_token"]),
    )
    assert r.json()["items"][0]["snippet"]["title"] == "Dee Two"


# --------------------------------------------------------------------------- uploads


def test_resumable_upload_in_chunks_with_308_and_range(
    platform_emulators: PlatformEmulators, small_mp4: bytes
) -> None:
    token = connect(platform_emulators)["access_token"]
    r = start_upload(
        platform_emulators,
        token,
        len(small_mp4),
        {"snippet": {"title": "Chunked"}, "status": {"privacyStatus": "private"}},
    )
    assert r.status_code == 200 and r.content == b""
    session = r.headers["Location"]
    assert "upload_id=" in session
    # A chunk that is not a multiple of 256 KiB is kept up to the last boundary only.
    data = small_mp4 + b"\0" * (300 * 1024)  # > 256 KiB so a partial chunk is possible
    r = start_upload(platform_emulators, token, len(data), {"snippet": {"title": "Big"}})
    session = r.headers["Location"]
    first = httpx.put(
        session,
        content=data[: 300 * 1024],
        headers={"Content-Range": f"bytes 0-{300 * 1024 - 1}/{len(data)}"},
    )
    assert first.status_code == 308
    assert first.headers["Range"] == f"bytes=0-{256 * 1024 - 1}"
    rest = httpx.put(
        session,
        content=data[256 * 1024 :],
        headers={"Content-Range": f"bytes {256 * 1024}-{len(data) - 1}/{len(data)}"},
    )
    assert rest.status_code == 200
    video = rest.json()
    assert video["kind"] == "youtube#video"
    assert video["status"]["uploadStatus"] == "uploaded"
    assert video["status"]["privacyStatus"] == "public"  # omitted privacyStatus means public


def test_status_probe_and_resume_after_a_dropped_chunk(
    platform_emulators: PlatformEmulators, small_mp4: bytes
) -> None:
    token = connect(platform_emulators)["access_token"]
    data = small_mp4 + b"\0" * (600 * 1024)
    session = start_upload(platform_emulators, token, len(data), {}).headers["Location"]
    probe = httpx.put(session, headers={"Content-Range": f"bytes */{len(data)}"})
    assert probe.status_code == 308 and "Range" not in probe.headers  # nothing received yet
    chunk = 512 * 1024
    ok = httpx.put(
        session, content=data[:chunk], headers={"Content-Range": f"bytes 0-{chunk - 1}/{len(data)}"}
    )
    assert ok.status_code == 308
    platform_emulators.control(
        "faults",
        {
            "platform": "google",
            "kind": "drop",
            "method": "PUT",
            "path": "/upload/youtube/v3/videos",
        },
    )
    with pytest.raises(httpx.TransportError):
        httpx.put(
            session,
            content=data[chunk:],
            headers={"Content-Range": f"bytes {chunk}-{len(data) - 1}/{len(data)}"},
        )
    probe = httpx.put(session, headers={"Content-Range": f"bytes */{len(data)}"})
    assert probe.status_code == 308 and probe.headers["Range"] == f"bytes=0-{chunk - 1}"
    done = httpx.put(
        session,
        content=data[chunk:],
        headers={"Content-Range": f"bytes {chunk}-{len(data) - 1}/{len(data)}"},
    )
    assert done.status_code == 200
    probe = httpx.put(session, headers={"Content-Range": f"bytes */{len(data)}"})
    assert probe.status_code == 200 and probe.json()["id"] == done.json()["id"]
    uploads = seen(platform_emulators, "google")["videos"]
    assert uploads[0]["sha256"] == hashlib.sha256(data).hexdigest()


def test_injected_5xx_uses_googles_error_body(
    platform_emulators: PlatformEmulators, small_mp4: bytes
) -> None:
    token = connect(platform_emulators)["access_token"]
    platform_emulators.control(
        "faults", {"platform": "google", "status": 503, "method": "POST", "path": "/upload/*"}
    )
    r = start_upload(platform_emulators, token, len(small_mp4), {})
    assert r.status_code == 503
    assert r.json()["error"]["errors"][0]["reason"] == "backendError"
    assert start_upload(platform_emulators, token, len(small_mp4), {}).status_code == 200


def test_metadata_is_validated(platform_emulators: PlatformEmulators) -> None:
    token = connect(platform_emulators)["access_token"]
    cases = [
        ({"snippet": {"title": "x" * 101}}, "invalidTitle"),
        ({"snippet": {"title": "ok", "categoryId": "music"}}, "invalidCategoryId"),
        (
            {"status": {"privacyStatus": "private", "publishAt": "2001-01-01T00:00:00Z"}},
            "invalidPublishAt",
        ),
    ]
    for metadata, reason in cases:
        r = start_upload(platform_emulators, token, 10, metadata)
        assert r.status_code == 400
        assert r.json()["error"]["errors"][0]["reason"] == reason
    r = httpx.post(
        platform_emulators.base("google") + "/upload/youtube/v3/videos",
        params={"uploadType": "resumable", "part": "snippet,fileDetails"},
        headers=_auth(token),
        json={},
    )
    assert r.json()["error"]["errors"][0]["reason"] == "unexpectedPart"
    r = httpx.post(
        platform_emulators.base("google") + "/youtube/v3/videos",
        params={"part": "snippet"},
        headers=_auth(token),
        json={},
    )
    assert r.json()["error"]["errors"][0]["reason"] == "mediaBodyRequired"


def test_upload_quota_and_channel_cap(platform_emulators: PlatformEmulators) -> None:
    token = connect(platform_emulators)["access_token"]
    platform_emulators.control("google/quota", {"uploads_per_day": 1})
    assert start_upload(platform_emulators, token, 10, {}).status_code == 200
    r = start_upload(platform_emulators, token, 10, {})
    assert r.status_code == 403 and r.json() == shapes.QUOTA_EXCEEDED
    platform_emulators.control("google/quota", {"uploads_per_day": 100})
    platform_emulators.control(
        "google/seed_accounts",
        {
            "accounts": [
                {
                    "id": "110248495921238986420",
                    "name": "Ada Creator",
                    "email": "ada@example.com",
                    "channels": [{"id": ADA, "title": "Ada Creates", "upload_limit_24h": 0}],
                }
            ]
        },
    )
    r = start_upload(platform_emulators, token, 10, {})
    assert r.status_code == 400 and r.json() == shapes.UPLOAD_LIMIT_EXCEEDED


def test_no_channel_is_youtube_signup_required(platform_emulators: PlatformEmulators) -> None:
    token = connect(platform_emulators, channel="110248495921238986422")["access_token"]
    r = start_upload(platform_emulators, token, 10, {})
    assert r.status_code == 401
    assert r.json()["error"]["errors"][0]["reason"] == "youtubeSignupRequired"


def test_processing_outcomes(platform_emulators: PlatformEmulators, small_mp4: bytes) -> None:
    token = connect(platform_emulators)["access_token"]
    garbage = upload(platform_emulators, token, b"not a video at all")
    platform_emulators.control(
        "google/fail_processing", {"kind": "rejected", "reason": "inappropriate"}
    )
    refused = upload(platform_emulators, token, small_mp4)
    fine = upload(platform_emulators, token, small_mp4 + b"\0")
    duplicate = upload(platform_emulators, token, small_mp4 + b"\0")
    platform_emulators.control("clock", {"advance_s": 30})
    ids = ",".join(v["id"] for v in (garbage, refused, fine, duplicate))
    r = httpx.get(
        platform_emulators.base("google") + "/youtube/v3/videos",
        params={"part": "status,processingDetails", "id": ids},
        headers=_auth(token),
    )
    by_id = {v["id"]: v for v in r.json()["items"]}
    assert by_id[garbage["id"]]["status"]["uploadStatus"] == "failed"
    assert by_id[garbage["id"]]["status"]["failureReason"] == "invalidFile"
    assert by_id[refused["id"]]["status"]["rejectionReason"] == "inappropriate"
    assert by_id[fine["id"]]["status"]["uploadStatus"] == "processed"
    assert by_id[fine["id"]]["processingDetails"]["processingStatus"] == "succeeded"
    assert by_id[duplicate["id"]]["status"]["rejectionReason"] == "duplicate"


def test_scheduled_private_upload_goes_public_at_publish_at(
    platform_emulators: PlatformEmulators, small_mp4: bytes
) -> None:
    token = connect(platform_emulators)["access_token"]
    at = datetime.fromtimestamp(clock_now(platform_emulators), tz=UTC) + timedelta(hours=2)
    video = upload(
        platform_emulators,
        token,
        small_mp4,
        {
            "snippet": {"title": "Later"},
            "status": {"privacyStatus": "private", "publishAt": at.strftime("%Y-%m-%dT%H:%M:%SZ")},
        },
    )
    url = platform_emulators.base("google") + "/youtube/v3/videos"
    params = {"part": "status,statistics", "id": str(video["id"])}
    item = httpx.get(url, params=params, headers=_auth(token)).json()["items"][0]
    assert item["status"]["privacyStatus"] == "private" and "publishAt" in item["status"]
    platform_emulators.control("clock", {"advance_s": 3 * 3600})
    fresh = connect(platform_emulators)["access_token"]
    item = httpx.get(url, params=params, headers=_auth(fresh)).json()["items"][0]
    assert item["status"]["privacyStatus"] == "public" and "publishAt" not in item["status"]
    assert int(item["statistics"]["viewCount"]) > 0


def test_unaudited_project_locks_uploads_private(
    platform_emulators: PlatformEmulators, small_mp4: bytes
) -> None:
    platform_emulators.control(
        "google/clients",
        {"client_id": "synthora-local", "redirect_uris": [REDIRECT], "audited": False},
    )
    token = connect(platform_emulators)["access_token"]
    video = upload(platform_emulators, token, small_mp4)
    assert video["status"]["privacyStatus"] == "private"


def test_analytics_by_day_and_errors(
    platform_emulators: PlatformEmulators, small_mp4: bytes
) -> None:
    token = connect(platform_emulators)["access_token"]
    upload(platform_emulators, token, small_mp4)
    platform_emulators.control("clock", {"advance_s": 5 * 86400})
    token = connect(platform_emulators)["access_token"]
    now = datetime.fromtimestamp(clock_now(platform_emulators), tz=UTC)
    url = platform_emulators.base("google") + "/v2/reports"
    params = {
        "ids": "channel==MINE",
        "startDate": (now - timedelta(days=10)).date().isoformat(),
        "endDate": now.date().isoformat(),
        "metrics": "views,likes,averageViewDuration",
        "dimensions": "day",
        "sort": "day",
    }
    body = httpx.get(url, params=params, headers=_auth(token)).json()
    assert body["kind"] == shapes.ANALYTICS_REPORT["kind"]
    assert [h["name"] for h in body["columnHeaders"]] == [
        "day",
        "views",
        "likes",
        "averageViewDuration",
    ]
    days = [row[0] for row in body["rows"]]
    assert days == sorted(days)
    assert days[-1] == (now.date() - timedelta(days=2)).isoformat()  # the reporting lag
    assert sum(row[1] for row in body["rows"]) > 0
    empty = httpx.get(
        url,
        params={**params, "startDate": "2020-01-01", "endDate": "2020-01-02"},
        headers=_auth(token),
    ).json()
    assert "rows" not in empty
    r = httpx.get(url, params={**params, "metrics": "plays"}, headers=_auth(token))
    assert r.status_code == 400
    assert r.json()["error"]["message"] == (
        "Unknown identifier (plays) given in field parameters.metrics."
    )
    r = httpx.get(url, params={k: v for k, v in params.items() if k != "ids"}, headers=_auth(token))
    assert r.status_code == 400 and r.json()["error"]["errors"][0]["reason"] == "required"


def test_videos_update_needs_more_than_the_upload_scope(
    platform_emulators: PlatformEmulators, small_mp4: bytes
) -> None:
    token = connect(platform_emulators)["access_token"]
    video = upload(platform_emulators, token, small_mp4)
    url = platform_emulators.base("google") + "/youtube/v3/videos"
    change = {"id": video["id"], "status": {"privacyStatus": "unlisted"}}
    r = httpx.put(url, params={"part": "status"}, json=change, headers=_auth(token))
    assert r.status_code == 403 and r.json() == shapes.INSUFFICIENT_SCOPES
    params = _params(scope=f"{shapes.SCOPE_YOUTUBE} {shapes.SCOPE_UPLOAD}")
    query = consent(platform_emulators, "/google/o/oauth2/v2/auth", params, account=ADA)
    full = _exchange(platform_emulators, query["code"]).json()["access_token"]
    r = httpx.put(url, params={"part": "status"}, json=change, headers=_auth(full))
    assert r.status_code == 200 and r.json()["status"]["privacyStatus"] == "unlisted"
    r = httpx.put(
        url, params={"part": "status"}, json={**change, "id": "nope"}, headers=_auth(full)
    )
    assert r.status_code == 404
    assert r.json()["error"]["errors"][0]["reason"] == "videoNotFound"


def test_unknown_upload_session_is_404(platform_emulators: PlatformEmulators) -> None:
    r = httpx.put(
        platform_emulators.base("google") + "/upload/youtube/v3/videos",
        params={"uploadType": "resumable", "upload_id": "gone"},
        headers={"Content-Range": "bytes */10"},
    )
    assert r.status_code == 404 and r.json()["error"]["code"] == 404
