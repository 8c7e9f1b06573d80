"""A real MP4 through a chunked YouTube resumable upload and a chunked TikTok upload, then
metrics read back after the clock moves, with planted effects that analysis must find."""

from __future__ import annotations

import hashlib
import struct
from datetime import UTC, datetime, timedelta

import httpx

from tests.conftest import PlatformEmulators
from tests.emulators_platform import test_google as yt
from tests.emulators_platform import test_tiktok as tt
from tests.emulators_platform.conftest import clock_now, seen

CHUNK = 256 * 1024


def _padded(mp4: bytes, pad: int, tag: int) -> bytes:
    """The MP4 with a trailing `free` box: same video, different bytes (no duplicate)."""
    return mp4 + struct.pack(">I4s", pad + 8, b"free") + bytes([tag]) * pad


def _resumable(emulators: PlatformEmulators, token: str, data: bytes, title: str) -> str:
    r = yt.start_upload(
        emulators,
        token,
        len(data),
        {
            "snippet": {"title": title, "description": "Made by Synthora"},
            "status": {
                "privacyStatus": "public",
                "selfDeclaredMadeForKids": False,
                "containsSyntheticMedia": True,
            },
        },
    )
    session = r.headers["Location"]
    sent = 0
    while True:
        end = min(sent + CHUNK, len(data))
        r = httpx.put(
            session,
            content=data[sent:end],
            headers={"Content-Range": f"bytes {sent}-{end - 1}/{len(data)}"},
        )
        if r.status_code == 200:
            return str(r.json()["id"])
        assert r.status_code == 308
        sent = int(r.headers["Range"].rsplit("-", 1)[1]) + 1


def test_youtube_upload_and_metrics_with_a_planted_title_effect(
    platform_emulators: PlatformEmulators, small_mp4: bytes
) -> None:
    platform_emulators.control("google/effects", {"title_question": 3})
    token = yt.connect(platform_emulators)["access_token"]
    files = {
        f"Video {i}{'?' if i % 2 else '.'}": _padded(small_mp4, 600 * 1024, i) for i in range(4)
    }
    ids = {
        title: _resumable(platform_emulators, token, data, title) for title, data in files.items()
    }
    received = seen(platform_emulators, "google")
    hashes = {v["id"]: v["sha256"] for v in received["videos"]}
    for title, data in files.items():
        assert hashes[ids[title]] == hashlib.sha256(data).hexdigest()
    assert all(v["duration_s"] == 4.0 and v["times_published"] == 1 for v in received["videos"])

    def views(token: str) -> dict[str, int]:
        r = httpx.get(
            platform_emulators.base("google") + "/youtube/v3/videos",
            params={"part": "statistics,status", "id": ",".join(ids.values())},
            headers={"Authorization": f"Bearer {token}"},
        )
        return {item["id"]: int(item["statistics"]["viewCount"]) for item in r.json()["items"]}

    platform_emulators.control("clock", {"advance_s": 86_400})
    token = yt.connect(platform_emulators)["access_token"]
    day1 = views(token)
    platform_emulators.control("clock", {"advance_s": 9 * 86_400})
    token = yt.connect(platform_emulators)["access_token"]
    day10 = views(token)
    assert all(day10[i] > day1[i] > 0 for i in ids.values())  # counters only grow
    question = [day10[ids[t]] for t in files if t.endswith("?")]
    plain = [day10[ids[t]] for t in files if t.endswith(".")]
    assert min(question) > max(plain)  # the planted effect is there to be found

    now = datetime.fromtimestamp(clock_now(platform_emulators), tz=UTC)
    report = httpx.get(
        platform_emulators.base("google") + "/v2/reports",
        params={
            "ids": "channel==MINE",
            "startDate": (now - timedelta(days=30)).date().isoformat(),
            "endDate": now.date().isoformat(),
            "metrics": "views,likes,comments",
            "dimensions": "day",
            "sort": "day",
        },
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    daily = sum(row[1] for row in report["rows"])
    assert 0 < daily <= sum(day10.values())


def test_tiktok_chunked_upload_and_metrics_with_a_planted_hour_effect(
    platform_emulators: PlatformEmulators, large_mp4: bytes
) -> None:
    tokens = tt.connect(platform_emulators)
    chunk = 5 * 1024 * 1024
    count = len(large_mp4) // chunk
    assert count == 2

    def post(token: str, title: str) -> str:
        data = tt.init(platform_emulators, token, len(large_mp4), chunk, count, title=title).json()[
            "data"
        ]
        assert tt.put_chunks(data["upload_url"], large_mp4, chunk, count) == [206, 201]
        return str(data["publish_id"])

    first = post(tokens["access_token"], "Morning cut")
    # Published 10 s (processing) after the last chunk, which arrived just before now.
    now = clock_now(platform_emulators)
    hours = sorted({datetime.fromtimestamp(now + d, tz=UTC).hour for d in (0, 10)})
    platform_emulators.control("tiktok/effects", {"hours": hours, "multiplier": 5})
    assert tt.status(platform_emulators, tokens["access_token"], first)["status"] == (
        "PROCESSING_UPLOAD"
    )
    platform_emulators.control("clock", {"advance_s": 15})
    state = tt.status(platform_emulators, tokens["access_token"], first)
    assert state["status"] == "PUBLISH_COMPLETE"
    assert state["publicaly_available_post_id"] == []  # moderation still running
    platform_emulators.control("clock", {"advance_s": 2 * 3600})
    # The access token is dead after 2 h: refresh (rotating) and carry on.
    r = tt._token(
        platform_emulators, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    )
    tokens = r.json()
    state = tt.status(platform_emulators, tokens["access_token"], first)
    first_id = str(state["publicaly_available_post_id"][0])
    second = post(tokens["access_token"], "Later cut")
    platform_emulators.control("clock", {"advance_s": 120})
    state = tt.status(platform_emulators, tokens["access_token"], second)
    second_id = str(state["publicaly_available_post_id"][0])

    platform_emulators.control("clock", {"advance_s": 10 * 86_400})
    tokens = tt._token(
        platform_emulators, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    ).json()
    r = tt.api(
        platform_emulators,
        "/v2/video/query/",
        tokens["access_token"],
        {"filters": {"video_ids": [first_id, second_id]}},
        params={"fields": "id,title,view_count,like_count,comment_count,share_count"},
    )
    body = r.json()
    assert body["error"]["code"] == "ok"
    videos = {v["id"]: v for v in body["data"]["videos"]}
    assert set(videos) == {first_id, second_id}
    assert videos[first_id]["view_count"] > videos[second_id]["view_count"] > 0
    assert videos[first_id]["like_count"] > 0
    received = seen(platform_emulators, "tiktok")
    assert received["published_by_sha256"] == {hashlib.sha256(large_mp4).hexdigest(): 2}
