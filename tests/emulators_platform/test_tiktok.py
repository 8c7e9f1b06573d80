"""The TikTok emulator against TikTok's documented Login Kit v2 and Content Posting shapes."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
from synthora_emulators.shapes import tiktok as shapes

from tests.conftest import PlatformEmulators
from tests.emulators_platform.conftest import FileServer, consent

REDIRECT = "https://synthora.example/api/v1/social/tiktok/callback"
ADA = "-000adaCreatesOpenId"
SCOPES = ["user.info.basic", "user.info.profile", "video.publish", "video.upload", "video.list"]


def _params(**extra: str) -> dict[str, Any]:
    return {
        "client_key": "synthora-local",
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": ",".join(SCOPES),
        "state": "st-2",
        **extra,
    }


def _token(emulators: PlatformEmulators, **form: str) -> httpx.Response:
    return httpx.post(
        emulators.base("tiktok") + "/v2/oauth/token/",
        data={"client_key": "synthora-local", "client_secret": "secret", **form},
    )


def connect(
    emulators: PlatformEmulators, account: str = ADA, scopes: list[str] | None = None
) -> dict[str, Any]:
    query = consent(
        emulators, "/tiktok/v2/auth/authorize/", _params(), account=account, scopes=scopes
    )
    r = _token(
        emulators, code=query["code"], grant_type="authorization_code", redirect_uri=REDIRECT
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def api(
    emulators: PlatformEmulators,
    path: str,
    token: str,
    json: dict[str, Any] | None = None,
    params: dict[str, str] | None = None,
) -> httpx.Response:
    return httpx.post(
        emulators.base("tiktok") + path,
        json=json,
        params=params,
        headers={"Authorization": f"Bearer {token}"},
    )


def init(
    emulators: PlatformEmulators,
    token: str,
    size: int,
    chunk: int,
    count: int,
    privacy: str = "PUBLIC_TO_EVERYONE",
    title: str = "Hello",
) -> httpx.Response:
    return api(
        emulators,
        "/v2/post/publish/video/init/",
        token,
        {
            "post_info": {
                "title": title,
                "privacy_level": privacy,
                "disable_comment": False,
                "is_aigc": True,
            },
            "source_info": {
                "source": "FILE_UPLOAD",
                "video_size": size,
                "chunk_size": chunk,
                "total_chunk_count": count,
            },
        },
    )


def put_chunks(upload_url: str, data: bytes, chunk: int, count: int) -> list[int]:
    codes = []
    for i in range(count):
        first = i * chunk
        last = len(data) - 1 if i == count - 1 else first + chunk - 1
        r = httpx.put(
            upload_url,
            content=data[first : last + 1],
            headers={
                "Content-Type": "video/mp4",
                "Content-Range": f"bytes {first}-{last}/{len(data)}",
            },
        )
        codes.append(r.status_code)
    return codes


def status(emulators: PlatformEmulators, token: str, publish_id: str) -> dict[str, Any]:
    body = api(
        emulators, "/v2/post/publish/status/fetch/", token, {"publish_id": publish_id}
    ).json()
    assert body["error"]["code"] == "ok", body
    return dict(body["data"])


# --------------------------------------------------------------------------- OAuth


def test_token_shape_and_refresh_rotation(platform_emulators: PlatformEmulators) -> None:
    tokens = connect(platform_emulators)
    assert set(tokens) == set(shapes.TOKEN_RESPONSE)
    assert tokens["expires_in"] == 7200 and tokens["open_id"] == ADA
    assert tokens["scope"] == ",".join(SCOPES)
    r = _token(
        platform_emulators, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    )
    rotated = r.json()
    assert r.status_code == 200 and rotated["refresh_token"] != tokens["refresh_token"]
    # The old refresh token stops working as soon as the new one is issued.
    r = _token(
        platform_emulators, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    )
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    assert set(r.json()) == {"error", "error_description", "log_id"}
    r = _token(
        platform_emulators, grant_type="refresh_token", refresh_token=rotated["refresh_token"]
    )
    assert r.status_code == 200


def test_code_single_use_redirect_checked_and_pkce(platform_emulators: PlatformEmulators) -> None:
    query = consent(platform_emulators, "/tiktok/v2/auth/authorize/", _params(), account=ADA)
    r = _token(
        platform_emulators,
        code=query["code"],
        grant_type="authorization_code",
        redirect_uri=REDIRECT + "x",
    )
    assert r.json()["error"] == "redirect_uri_mismatch"
    r = _token(
        platform_emulators,
        code=query["code"],
        grant_type="authorization_code",
        redirect_uri=REDIRECT,
    )
    assert r.status_code == 200
    r = _token(
        platform_emulators,
        code=query["code"],
        grant_type="authorization_code",
        redirect_uri=REDIRECT,
    )
    assert r.json()["error"] == "invalid_grant"
    import base64

    verifier = "tiktok-verifier-" + "x" * 40
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    params = _params(code_challenge=challenge, code_challenge_method="S256")
    query = consent(platform_emulators, "/tiktok/v2/auth/authorize/", params, account=ADA)
    r = _token(
        platform_emulators,
        code=query["code"],
        grant_type="authorization_code",
        redirect_uri=REDIRECT,
        code_verifier="wrong",
    )
    assert r.json()["error"] == "invalid_grant"
    query = consent(platform_emulators, "/tiktok/v2/auth/authorize/", params, account=ADA)
    r = _token(
        platform_emulators,
        code=query["code"],
        grant_type="authorization_code",
        redirect_uri=REDIRECT,
        code_verifier=verifier,
    )
    assert r.status_code == 200


def test_deny_and_bad_redirect(platform_emulators: PlatformEmulators) -> None:
    query = consent(
        platform_emulators, "/tiktok/v2/auth/authorize/", _params(), account=ADA, decision="deny"
    )
    assert query["error"] == "access_denied" and query["state"] == "st-2"
    page = httpx.get(
        platform_emulators.base("tiktok") + "/v2/auth/authorize/",
        params=_params(redirect_uri=REDIRECT + "?q=1"),
    )
    assert page.status_code == 400


def test_revoke_kills_access_and_refresh(platform_emulators: PlatformEmulators) -> None:
    tokens = connect(platform_emulators)
    r = httpx.post(
        platform_emulators.base("tiktok") + "/v2/oauth/revoke/",
        data={
            "client_key": "synthora-local",
            "client_secret": "s",
            "token": tokens["access_token"],
        },
    )
    assert r.status_code == 200 and r.json() == {}
    r = api(platform_emulators, "/v2/post/publish/creator_info/query/", tokens["access_token"])
    assert r.status_code == 401
    assert r.json() == shapes.api_error(shapes.ACCESS_TOKEN_INVALID)[1]
    r = _token(
        platform_emulators, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    )
    assert r.json()["error"] == "invalid_grant"


def test_access_token_expires_after_two_hours(platform_emulators: PlatformEmulators) -> None:
    tokens = connect(platform_emulators)
    ok = api(platform_emulators, "/v2/post/publish/creator_info/query/", tokens["access_token"])
    assert ok.json()["error"]["code"] == "ok"
    platform_emulators.control("clock", {"advance_s": 7200})
    r = api(platform_emulators, "/v2/post/publish/creator_info/query/", tokens["access_token"])
    assert r.json()["error"]["code"] == "access_token_invalid"


# --------------------------------------------------------------------------- creator, scopes


def test_creator_info_shape_and_rate_limit(platform_emulators: PlatformEmulators) -> None:
    token = connect(platform_emulators)["access_token"]
    body = api(platform_emulators, "/v2/post/publish/creator_info/query/", token).json()
    assert set(body["data"]) == set(shapes.CREATOR_INFO["data"])
    assert body["error"]["code"] == "ok"
    for _ in range(19):
        api(platform_emulators, "/v2/post/publish/creator_info/query/", token)
    r = api(platform_emulators, "/v2/post/publish/creator_info/query/", token)
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limit_exceeded"
    platform_emulators.control("clock", {"advance_s": 61})
    assert api(platform_emulators, "/v2/post/publish/creator_info/query/", token).status_code == 200


def test_missing_scope(platform_emulators: PlatformEmulators) -> None:
    token = connect(platform_emulators, scopes=["user.info.basic"])["access_token"]
    r = api(platform_emulators, "/v2/post/publish/creator_info/query/", token)
    assert r.status_code == 401 and r.json()["error"]["code"] == "scope_not_authorized"
    r = httpx.get(
        platform_emulators.base("tiktok") + "/v2/user/info/",
        params={"fields": "open_id,display_name"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.json()["data"]["user"] == {"open_id": ADA, "display_name": "Ada Creates"}


# --------------------------------------------------------------------------- posting


def test_chunk_rules_are_enforced_at_init(platform_emulators: PlatformEmulators) -> None:
    token = connect(platform_emulators)["access_token"]
    mb = 1024 * 1024
    bad = [
        (3 * mb, 1 * mb, 3),  # under 5 MB must be one chunk
        (20 * mb, 4 * mb, 5),  # chunk below 5 MB
        (200 * mb, 65 * mb, 3),  # chunk above 64 MB
        (23 * mb, 5 * mb, 5),  # count must be floor(size / chunk) = 4
    ]
    for size, chunk, count in bad:
        r = init(platform_emulators, token, size, chunk, count)
        assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_params", (size,)
    assert init(platform_emulators, token, 23 * mb, 5 * mb, 4).json()["error"]["code"] == "ok"
    assert init(platform_emulators, token, 3 * mb, 3 * mb, 1).json()["error"]["code"] == "ok"


def test_wrong_chunk_size_and_order_are_refused(
    platform_emulators: PlatformEmulators, large_mp4: bytes
) -> None:
    token = connect(platform_emulators)["access_token"]
    chunk = 5 * 1024 * 1024
    count = len(large_mp4) // chunk
    data = init(platform_emulators, token, len(large_mp4), chunk, count).json()["data"]
    url = data["upload_url"]
    short = httpx.put(
        url,
        content=large_mp4[: chunk - 1],
        headers={"Content-Range": f"bytes 0-{chunk - 2}/{len(large_mp4)}"},
    )
    assert short.status_code == 400 and short.json()["error"]["code"] == "invalid_params"
    later = httpx.put(
        url,
        content=large_mp4[chunk : 2 * chunk],
        headers={"Content-Range": f"bytes {chunk}-{2 * chunk - 1}/{len(large_mp4)}"},
    )
    assert later.status_code == 400
    assert status(platform_emulators, token, data["publish_id"])["status"] == "PROCESSING_UPLOAD"


def test_privacy_must_be_offered_and_unaudited_apps_post_self_only(
    platform_emulators: PlatformEmulators, small_mp4: bytes
) -> None:
    token = connect(platform_emulators)["access_token"]
    r = init(
        platform_emulators, token, len(small_mp4), len(small_mp4), 1, privacy="FOLLOWER_OF_CREATOR"
    )
    assert r.json()["error"]["code"] == "privacy_level_option_mismatch"
    platform_emulators.control(
        "tiktok/clients",
        {"client_id": "synthora-local", "redirect_uris": [REDIRECT], "audited": False},
    )
    token = connect(platform_emulators)["access_token"]
    r = init(platform_emulators, token, len(small_mp4), len(small_mp4), 1)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "unaudited_client_can_only_post_to_private_accounts"
    r = init(platform_emulators, token, len(small_mp4), len(small_mp4), 1, privacy="SELF_ONLY")
    data = r.json()["data"]
    assert put_chunks(data["upload_url"], small_mp4, len(small_mp4), 1) == [201]
    platform_emulators.control("clock", {"advance_s": 600})
    token = connect(platform_emulators)["access_token"]
    state = status(platform_emulators, token, data["publish_id"])
    assert state["status"] == "PUBLISH_COMPLETE"
    assert state["publicaly_available_post_id"] == []  # private posts never get a public id


def test_processing_failures(platform_emulators: PlatformEmulators, small_mp4: bytes) -> None:
    token = connect(platform_emulators)["access_token"]
    junk = b"x" * 1000
    bad = init(platform_emulators, token, len(junk), len(junk), 1).json()["data"]
    put_chunks(bad["upload_url"], junk, len(junk), 1)
    platform_emulators.control("tiktok/fail_processing", {"reason": "spam_risk_text"})
    refused = init(platform_emulators, token, len(small_mp4), len(small_mp4), 1).json()["data"]
    put_chunks(refused["upload_url"], small_mp4, len(small_mp4), 1)
    platform_emulators.control("clock", {"advance_s": 30})
    assert status(platform_emulators, token, bad["publish_id"]) == {
        "status": "FAILED",
        "fail_reason": "file_format_check_failed",
        "uploaded_bytes": len(junk),
    }
    assert status(platform_emulators, token, refused["publish_id"])["fail_reason"] == (
        "spam_risk_text"
    )


def test_pull_from_url_needs_a_verified_prefix(
    platform_emulators: PlatformEmulators, small_mp4: bytes, file_server: FileServer
) -> None:
    token = connect(platform_emulators)["access_token"]
    url = file_server.url("/blob/v.mp4", small_mp4)
    body = {
        "post_info": {"title": "Pulled", "privacy_level": "SELF_ONLY"},
        "source_info": {"source": "PULL_FROM_URL", "video_url": url},
    }
    r = api(platform_emulators, "/v2/post/publish/video/init/", token, body)
    assert r.status_code == 403 and r.json()["error"]["code"] == "url_ownership_unverified"
    platform_emulators.control("tiktok/verify_url_prefix", {"prefix": url.rsplit("/", 1)[0]})
    r = api(platform_emulators, "/v2/post/publish/video/init/", token, body)
    publish_id = r.json()["data"]["publish_id"]
    assert file_server.hits == ["/blob/v.mp4"]
    assert status(platform_emulators, token, publish_id)["status"] == "PROCESSING_DOWNLOAD"


def test_injected_fault_uses_the_envelope(platform_emulators: PlatformEmulators) -> None:
    token = connect(platform_emulators)["access_token"]
    platform_emulators.control(
        "faults",
        {"platform": "tiktok", "status": 429, "path": "/v2/post/publish/*", "retry_after": 30},
    )
    r = api(platform_emulators, "/v2/post/publish/creator_info/query/", token)
    assert r.status_code == 429 and r.headers["Retry-After"] == "30"
    assert r.json()["error"]["code"] == "rate_limit_exceeded" and "data" in r.json()


def test_daily_post_cap_and_duration_limit(
    platform_emulators: PlatformEmulators, small_mp4: bytes
) -> None:
    platform_emulators.control(
        "tiktok/seed_accounts",
        {
            "accounts": [
                {
                    "open_id": ADA,
                    "username": "adacreates",
                    "display_name": "Ada Creates",
                    "daily_post_cap": 1,
                    "max_video_post_duration_sec": 3,
                }
            ]
        },
    )
    token = connect(platform_emulators)["access_token"]
    data = init(platform_emulators, token, len(small_mp4), len(small_mp4), 1).json()["data"]
    put_chunks(data["upload_url"], small_mp4, len(small_mp4), 1)
    r = init(platform_emulators, token, len(small_mp4), len(small_mp4), 1)
    assert r.status_code == 403 and r.json()["error"]["code"] == "spam_risk_too_many_posts"
    platform_emulators.control("clock", {"advance_s": 30})
    state = status(platform_emulators, token, data["publish_id"])
    assert state["fail_reason"] == "duration_check_failed"  # 4 s video, 3 s allowed
