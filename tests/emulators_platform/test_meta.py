"""The Meta emulator against the documented Facebook Login and Graph v27.0 shapes."""

from __future__ import annotations

import hashlib

import httpx
from synthora_emulators.shapes import meta as shapes

from tests.conftest import PlatformEmulators
from tests.emulators_platform.conftest import FileServer, consent, seen

REDIRECT = "http://127.0.0.1:8080/api/v1/social/meta/callback"
ADA = "10000000000000001"
ADA_PAGE = "1000000000000011"
ADA_IG = "17841400000000011"
SCOPES = [
    "pages_show_list",
    "pages_read_engagement",
    "pages_manage_posts",
    "read_insights",
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_insights",
]
V = shapes.GRAPH_VERSION


def graph(
    emulators: PlatformEmulators, method: str, path: str, token: str | None, **params: str
) -> httpx.Response:
    if token is not None:
        params["access_token"] = token
    url = f"{emulators.base('meta')}/{V}/{path}"
    if method == "GET":
        return httpx.get(url, params=params)
    return httpx.post(url, data=params)


def login(emulators: PlatformEmulators, scopes: list[str] | None = None) -> str:
    params = {
        "client_id": "1234567890",
        "redirect_uri": REDIRECT,
        "state": "st-3",
        "scope": ",".join(SCOPES),
        "response_type": "code",
    }
    query = consent(emulators, f"/meta/{V}/dialog/oauth", params, account=ADA, scopes=scopes)
    r = httpx.get(
        f"{emulators.base('meta')}/{V}/oauth/access_token",
        params={
            "client_id": "1234567890",
            "client_secret": "s",
            "redirect_uri": REDIRECT,
            "code": query["code"],
        },
    )
    assert r.status_code == 200, r.text
    assert set(r.json()) == set(shapes.TOKEN_RESPONSE)
    return str(r.json()["access_token"])


def long_lived(emulators: PlatformEmulators, short: str) -> str:
    r = httpx.get(
        f"{emulators.base('meta')}/{V}/oauth/access_token",
        params={
            "grant_type": "fb_exchange_token",
            "client_id": "1234567890",
            "client_secret": "s",
            "fb_exchange_token": short,
        },
    )
    assert r.json()["expires_in"] == shapes.LONG_LIVED_S
    return str(r.json()["access_token"])


def page_token(emulators: PlatformEmulators, user_token: str) -> str:
    accounts = graph(
        emulators,
        "GET",
        "me/accounts",
        user_token,
        fields="id,name,access_token,instagram_business_account{id,username}",
    ).json()
    return str(next(p["access_token"] for p in accounts["data"] if p["id"] == ADA_PAGE))


def test_login_long_lived_and_page_tokens(platform_emulators: PlatformEmulators) -> None:
    short = login(platform_emulators)
    user = long_lived(platform_emulators, short)
    body = graph(
        platform_emulators,
        "GET",
        "me/accounts",
        user,
        fields="id,name,access_token,tasks,instagram_business_account{id,username}",
    ).json()
    assert set(body) == set(shapes.ME_ACCOUNTS)
    first = body["data"][0]
    assert set(first) == set(shapes.ME_ACCOUNTS["data"][0]) - {"category"}
    assert first["instagram_business_account"] == {"id": ADA_IG, "username": "adacreates"}
    assert "instagram_business_account" not in body["data"][1]
    # Page tokens from a long-lived user token never expire.
    token = first["access_token"]
    debug = httpx.get(
        f"{platform_emulators.base('meta')}/{V}/debug_token",
        params={"input_token": token, "access_token": "1234567890|s"},
    ).json()
    assert debug["data"]["expires_at"] == 0 and debug["data"]["type"] == "PAGE"
    platform_emulators.control("clock", {"advance_s": 3 * 3600})
    assert graph(platform_emulators, "GET", "me", short).json() == shapes.TOKEN_EXPIRED
    assert graph(platform_emulators, "GET", "me", token).json()["id"] == ADA_PAGE


def test_code_errors_and_deny(platform_emulators: PlatformEmulators) -> None:
    params = {
        "client_id": "1234567890",
        "redirect_uri": REDIRECT,
        "state": "st-3",
        "scope": "pages_show_list",
    }
    denied = consent(
        platform_emulators, f"/meta/{V}/dialog/oauth", params, account=ADA, decision="deny"
    )
    assert denied["error_reason"] == "user_denied" and denied["state"] == "st-3"
    query = consent(platform_emulators, f"/meta/{V}/dialog/oauth", params, account=ADA)
    url = f"{platform_emulators.base('meta')}/{V}/oauth/access_token"
    base = {"client_id": "1234567890", "client_secret": "s", "code": query["code"]}
    r = httpx.get(url, params={**base, "redirect_uri": REDIRECT + "/other"})
    assert r.status_code == 400 and r.json()["error"]["error_subcode"] == 36008
    assert httpx.get(url, params={**base, "redirect_uri": REDIRECT}).status_code == 200
    r = httpx.get(url, params={**base, "redirect_uri": REDIRECT})
    assert r.json()["error"]["code"] == 100 and r.json()["error"]["error_subcode"] == 36009


def test_token_errors(platform_emulators: PlatformEmulators) -> None:
    assert graph(platform_emulators, "GET", "me", None).json() == shapes.TOKEN_REQUIRED
    assert graph(platform_emulators, "GET", "me", "EAAGnonsense").json() == shapes.TOKEN_INVALID
    user = login(platform_emulators)
    platform_emulators.control("meta/revoke", {"identity_id": ADA})
    assert graph(platform_emulators, "GET", "me", user).json() == shapes.TOKEN_APP_REMOVED
    user = login(platform_emulators)
    platform_emulators.control("meta/revoke", {"identity_id": ADA, "reason": "password_changed"})
    assert graph(platform_emulators, "GET", "me", user).json()["error"]["error_subcode"] == 460
    r = httpx.get(f"{platform_emulators.base('meta')}/v21.0/me", params={"access_token": user})
    assert r.status_code == 400 and r.json()["error"]["code"] == 2635


def test_reels_container_lifecycle_publish_and_limit(
    platform_emulators: PlatformEmulators, small_mp4: bytes, file_server: FileServer
) -> None:
    user = long_lived(platform_emulators, login(platform_emulators))
    url = file_server.url("/signed/reel.mp4", small_mp4)
    r = graph(
        platform_emulators,
        "POST",
        f"{ADA_IG}/media",
        user,
        media_type="REELS",
        video_url=url,
        caption="Does this work?",
    )
    container = r.json()["id"]
    assert file_server.hits == ["/signed/reel.mp4"]
    status = graph(platform_emulators, "GET", container, user, fields="status_code,status").json()
    assert status["status_code"] == "IN_PROGRESS"
    r = graph(platform_emulators, "POST", f"{ADA_IG}/media_publish", user, creation_id=container)
    assert r.json() == shapes.NOT_READY
    platform_emulators.control("clock", {"advance_s": 20})
    status = graph(platform_emulators, "GET", container, user, fields="status_code").json()
    assert status == {"id": container, "status_code": "FINISHED"}
    media = graph(
        platform_emulators, "POST", f"{ADA_IG}/media_publish", user, creation_id=container
    ).json()["id"]
    again = graph(
        platform_emulators, "POST", f"{ADA_IG}/media_publish", user, creation_id=container
    )
    assert again.json() == shapes.ALREADY_PUBLISHED
    limit = graph(
        platform_emulators,
        "GET",
        f"{ADA_IG}/content_publishing_limit",
        user,
        fields="quota_usage,config",
    ).json()
    assert set(limit["data"][0]) == set(shapes.PUBLISHING_LIMIT["data"][0])
    assert limit["data"][0]["quota_usage"] == 1
    received = seen(platform_emulators, "meta")
    assert received["published_by_sha256"] == {hashlib.sha256(small_mp4).hexdigest(): 1}
    assert received["containers"][0]["publish_attempts"] == 3
    fields = graph(
        platform_emulators, "GET", media, user, fields="permalink,media_product_type,timestamp"
    ).json()
    assert fields["media_product_type"] == "REELS" and fields["permalink"].startswith("https://")
    platform_emulators.control("meta/settings", {"ig_quota_total": 1})
    other = graph(
        platform_emulators, "POST", f"{ADA_IG}/media", user, media_type="REELS", video_url=url
    ).json()["id"]
    platform_emulators.control("clock", {"advance_s": 20})
    r = graph(platform_emulators, "POST", f"{ADA_IG}/media_publish", user, creation_id=other)
    assert r.status_code == 403 and r.json()["error"]["error_subcode"] == 2207042


def test_container_errors(
    platform_emulators: PlatformEmulators, small_mp4: bytes, file_server: FileServer
) -> None:
    user = login(platform_emulators)
    r = graph(
        platform_emulators,
        "POST",
        f"{ADA_IG}/media",
        user,
        media_type="REELS",
        video_url=file_server.url("/missing", b"") + "x",
    )
    assert r.json() == shapes.FETCH_FAILED
    bad = graph(
        platform_emulators,
        "POST",
        f"{ADA_IG}/media",
        user,
        media_type="REELS",
        video_url=file_server.url("/junk.mp4", b"junk" * 100),
    ).json()["id"]
    r = graph(
        platform_emulators,
        "POST",
        f"{ADA_IG}/media",
        user,
        media_type="VIDEO",
        video_url=file_server.url("/v.mp4", small_mp4),
    )
    assert r.json()["error"]["code"] == 100
    ok = graph(
        platform_emulators,
        "POST",
        f"{ADA_IG}/media",
        user,
        media_type="REELS",
        video_url=file_server.url("/v.mp4", small_mp4),
    ).json()["id"]
    platform_emulators.control("clock", {"advance_s": 30})
    user = login(platform_emulators)
    status = graph(platform_emulators, "GET", bad, user, fields="status_code,status").json()
    assert status["status_code"] == "ERROR" and "2207026" in status["status"]
    platform_emulators.control("clock", {"advance_s": 86_400})
    user = login(platform_emulators)
    assert (
        graph(platform_emulators, "GET", ok, user, fields="status_code").json()["status_code"]
        == "EXPIRED"
    )
    r = graph(platform_emulators, "POST", f"{ADA_IG}/media_publish", user, creation_id=ok)
    assert r.json() == shapes.CONTAINER_EXPIRED


def test_missing_permission(platform_emulators: PlatformEmulators) -> None:
    user = login(platform_emulators, scopes=["pages_show_list", "instagram_basic"])
    r = graph(
        platform_emulators,
        "POST",
        f"{ADA_IG}/media",
        user,
        media_type="REELS",
        video_url="http://127.0.0.1:9/x.mp4",
    )
    assert r.status_code == 403 and r.json() == shapes.PERMISSION_DENIED
    perms = graph(platform_emulators, "GET", "me/permissions", user).json()["data"]
    assert {"permission": "instagram_content_publish", "status": "declined"} in perms


def test_insights_current_and_deprecated_names(
    platform_emulators: PlatformEmulators, small_mp4: bytes, file_server: FileServer
) -> None:
    user = long_lived(platform_emulators, login(platform_emulators))
    container = graph(
        platform_emulators,
        "POST",
        f"{ADA_IG}/media",
        user,
        media_type="REELS",
        video_url=file_server.url("/r.mp4", small_mp4),
    ).json()["id"]
    platform_emulators.control("clock", {"advance_s": 20})
    media = graph(
        platform_emulators, "POST", f"{ADA_IG}/media_publish", user, creation_id=container
    ).json()["id"]
    platform_emulators.control("clock", {"advance_s": 86_400})
    body = graph(
        platform_emulators,
        "GET",
        f"{media}/insights",
        user,
        metric="views,reach,likes,comments,shares,saved",
    ).json()
    item = body["data"][0]
    assert set(item) == set(shapes.INSIGHTS["data"][0])
    assert item["name"] == "views" and item["values"][0]["value"] > 0
    for name in ("plays", "impressions", "video_views"):
        r = graph(platform_emulators, "GET", f"{media}/insights", user, metric=f"reach,{name}")
        assert r.status_code == 400 and r.json() == shapes.deprecated_metric(name)
    r = graph(platform_emulators, "GET", f"{media}/insights", user, metric="bogus")
    assert r.json() == shapes.invalid_metric(0, shapes.IG_MEDIA_METRICS)


def test_facebook_reel_upload_publish_and_insights(
    platform_emulators: PlatformEmulators, small_mp4: bytes
) -> None:
    user = long_lived(platform_emulators, login(platform_emulators))
    page = page_token(platform_emulators, user)
    r = graph(platform_emulators, "POST", f"{ADA_PAGE}/video_reels", user, upload_phase="start")
    assert r.json() == shapes.PAGE_TOKEN_REQUIRED
    start = graph(
        platform_emulators, "POST", f"{ADA_PAGE}/video_reels", page, upload_phase="start"
    ).json()
    assert set(start) == set(shapes.REEL_START)
    r = httpx.post(
        start["upload_url"],
        content=small_mp4,
        headers={"Authorization": f"OAuth {page}", "offset": "0", "file_size": str(len(small_mp4))},
    )
    assert r.json() == shapes.SUCCESS
    r = graph(
        platform_emulators,
        "POST",
        f"{ADA_PAGE}/video_reels",
        page,
        upload_phase="finish",
        video_id=start["video_id"],
        video_state="PUBLISHED",
        description="Reel?",
    )
    assert r.json() == shapes.SUCCESS
    status = graph(platform_emulators, "GET", start["video_id"], page, fields="status").json()
    assert set(status) == set(shapes.VIDEO_STATUS)
    assert status["status"]["video_status"] == "processing"
    platform_emulators.control("clock", {"advance_s": 6 * 3600})
    status = graph(platform_emulators, "GET", start["video_id"], page, fields="status").json()
    assert status["status"]["video_status"] == "ready"
    assert status["status"]["publishing_phase"]["publish_status"] == "published"
    body = graph(
        platform_emulators,
        "GET",
        f"{start['video_id']}/video_insights",
        page,
        metric="blue_reels_play_count,post_video_avg_time_watched",
    ).json()
    assert body["data"][0]["values"][0]["value"] > 0
    r = graph(
        platform_emulators,
        "GET",
        f"{start['video_id']}/video_insights",
        page,
        metric="post_video_views_10s",
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == 100


def test_facebook_page_video_via_resumable_upload(
    platform_emulators: PlatformEmulators, small_mp4: bytes
) -> None:
    user = long_lived(platform_emulators, login(platform_emulators))
    page = page_token(platform_emulators, user)
    session = graph(
        platform_emulators,
        "POST",
        "1234567890/uploads",
        user,
        file_name="v.mp4",
        file_length=str(len(small_mp4)),
        file_type="video/mp4",
    ).json()["id"]
    assert session.startswith("upload:")
    url = f"{platform_emulators.base('meta')}/{V}/{session}"
    half = len(small_mp4) // 2
    r = httpx.post(
        url,
        content=small_mp4[:half],
        headers={"Authorization": f"OAuth {user}", "file_offset": "0"},
    )
    assert r.json()["file_offset"] == half
    assert httpx.get(url, headers={"Authorization": f"OAuth {user}"}).json() == {
        "id": session,
        "file_offset": half,
    }
    handle = httpx.post(
        url,
        content=small_mp4[half:],
        headers={"Authorization": f"OAuth {user}", "file_offset": str(half)},
    ).json()["h"]
    video = graph(
        platform_emulators,
        "POST",
        f"{ADA_PAGE}/videos",
        page,
        title="Long form",
        description="d",
        fbuploader_video_file_chunk=handle,
    ).json()["id"]
    platform_emulators.control("clock", {"advance_s": 3600})
    body = graph(
        platform_emulators, "GET", f"{video}/video_insights", page, metric="total_video_views"
    ).json()
    assert body["data"][0]["name"] == "total_video_views"
    assert body["data"][0]["values"][0]["value"] > 0


def _reel(emulators: PlatformEmulators, page: str, data: bytes) -> tuple[str, httpx.Response]:
    start = graph(emulators, "POST", f"{ADA_PAGE}/video_reels", page, upload_phase="start").json()
    httpx.post(
        start["upload_url"],
        content=data,
        headers={"Authorization": f"OAuth {page}", "offset": "0", "file_size": str(len(data))},
    )
    finish = graph(
        emulators,
        "POST",
        f"{ADA_PAGE}/video_reels",
        page,
        upload_phase="finish",
        video_id=start["video_id"],
        video_state="PUBLISHED",
    )
    return str(start["video_id"]), finish


def test_reels_limit_and_planted_failures(
    platform_emulators: PlatformEmulators, small_mp4: bytes, file_server: FileServer
) -> None:
    user = long_lived(platform_emulators, login(platform_emulators))
    page = page_token(platform_emulators, user)
    platform_emulators.control("meta/settings", {"fb_reels_per_24h": 1})
    platform_emulators.control("meta/fail_processing", {"reason": "Video processing failed."})
    failed, finish = _reel(platform_emulators, page, small_mp4)
    assert finish.json() == shapes.SUCCESS
    _, refused = _reel(platform_emulators, page, small_mp4)
    assert refused.json() == shapes.REELS_LIMIT
    platform_emulators.control("clock", {"advance_s": 60})
    status = graph(platform_emulators, "GET", failed, page, fields="status").json()["status"]
    assert status["video_status"] == "error"
    assert status["processing_phase"]["errors"][0]["message"] == "Video processing failed."
    platform_emulators.control("meta/fail_processing", {"subcode": 2207001})
    container = graph(
        platform_emulators,
        "POST",
        f"{ADA_IG}/media",
        user,
        media_type="REELS",
        video_url=file_server.url("/spam.mp4", small_mp4),
    ).json()["id"]
    platform_emulators.control("clock", {"advance_s": 60})
    body = graph(platform_emulators, "GET", container, user, fields="status_code,status").json()
    assert body["status_code"] == "ERROR" and "2207001" in body["status"]
