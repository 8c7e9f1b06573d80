"""The posts HTTP group over real Auth emulator tokens and the platform emulators:
routes, ownership, field-level 422s, cursors, the calendar in the user's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform
from synthora.settings import get_settings
from tests.conftest import AuthEmulator, PlatformEmulators
from tests.services.test_posts import _connect, _video
from tests.support.calls import bearer, error, uid_of

BASE = "/api/v1/posts"


@pytest.fixture
def client(platform_emulators: PlatformEmulators, auth: AuthEmulator) -> FlaskClient:
    settings = get_settings()
    spec = get_manifest(settings.manifest_file).function("posts")
    app: FlaskClient = create_function_app(spec, settings.functions_dir).test_client()
    return app


def _user(auth: AuthEmulator, email: str, role: str = "premium") -> tuple[str, str]:
    token = auth.sign_up(email)
    uid = uid_of(token)
    get_platform().documents.collection("users").document(uid).set(
        {"role": role, "preferences": {"timezone": "America/New_York"}}, merge=True
    )
    return token, uid


def test_routes_create_list_get_calendar_stats_and_cancel(
    client: FlaskClient, auth: AuthEmulator, mp4: bytes
) -> None:
    token, uid = _user(auth, "poster@example.com")
    platform = get_platform()
    yt = _connect(platform, "youtube", uid=uid)
    vid = _video(platform, mp4, uid=uid)
    # 02:30 UTC on the 2nd is still the 1st in New York
    now = datetime.now(UTC)
    year, month = (now.year + 1, 3)
    at = datetime(year, month, 2, 2, 30, tzinfo=UTC)
    body: dict[str, Any] = {
        "video_id": vid,
        "scheduled_at": at.isoformat(),
        "targets": [{"social_account_id": yt, "settings": {"category_id": "22"}}],
    }
    created = client.post(BASE, json=body, headers=bearer(token))
    assert created.status_code == 201, created.get_json()
    post = created.get_json()
    assert post["status"] == "scheduled" and post["timezone"] == "America/New_York"
    again = client.post(BASE, json={**body, "scheduled_at": None}, headers=bearer(token))
    assert again.status_code == 201

    page = client.get(f"{BASE}?limit=1", headers=bearer(token)).get_json()
    assert len(page["items"]) == 1 and page["has_more"] and page["next_cursor"]
    rest = client.get(f"{BASE}?limit=1&cursor={page['next_cursor']}", headers=bearer(token))
    assert {page["items"][0]["id"], rest.get_json()["items"][0]["id"]} == {
        post["id"],
        again.get_json()["id"],
    }
    only_tt = client.get(f"{BASE}?platform=tiktok", headers=bearer(token)).get_json()
    assert only_tt["items"] == []

    cal = client.get(f"{BASE}/calendar/{year}/{month}", headers=bearer(token)).get_json()
    assert [d["date"] for d in cal["days"]] == [f"{year}-03-01"]
    utc = client.get(f"{BASE}/calendar/{year}/{month}?tz=UTC", headers=bearer(token)).get_json()
    assert [d["date"] for d in utc["days"]] == [f"{year}-03-02"]
    window = {
        "start": (at - timedelta(days=1)).isoformat(),
        "end": (at + timedelta(days=1)).isoformat(),
    }
    scheduled = client.get(f"{BASE}/scheduled", query_string=window, headers=bearer(token))
    assert [p["id"] for p in scheduled.get_json()["items"]] == [post["id"]]

    stats = client.get(f"{BASE}/stats/me", headers=bearer(token)).get_json()
    assert stats["total_posts"] == 2 and stats["scheduled_upcoming"] == 1

    other, _ = _user(auth, "other@example.com")
    assert client.get(f"{BASE}/{post['id']}", headers=bearer(other)).status_code == 404
    assert client.delete(f"{BASE}/{post['id']}", headers=bearer(other)).status_code == 404
    gone = client.delete(f"{BASE}/{post['id']}", headers=bearer(token))
    assert gone.status_code == 200 and gone.get_json()["status"] == "cancelled"
    assert client.get(BASE).status_code == 401


def test_bad_input_is_a_clear_4xx(client: FlaskClient, auth: AuthEmulator, mp4: bytes) -> None:
    token, uid = _user(auth, "bad@example.com", role="free")
    platform = get_platform()
    yt = _connect(platform, "youtube", uid=uid)
    vid = _video(platform, mp4, uid=uid)
    r = client.post(BASE, json={"video_id": vid, "targets": []}, headers=bearer(token))
    assert r.status_code == 422
    r = client.post(
        BASE,
        json={"video_id": vid, "targets": [{"social_account_id": yt, "title": "<b>" * 40}]},
        headers=bearer(token),
    )
    assert r.status_code == 422 and error(r)["code"] == "prepublish_check_failed"
    assert {d["rule"] for d in error(r)["details"]} == {"title_length", "title_characters"}
    ahead = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    r = client.post(
        BASE,
        json={"video_id": vid, "scheduled_at": ahead, "targets": [{"social_account_id": yt}]},
        headers=bearer(token),
    )
    assert r.status_code == 403 and error(r)["code"] == "scheduling_not_allowed"
    assert client.get(f"{BASE}/calendar/2026/13", headers=bearer(token)).status_code == 404
    assert client.get(f"{BASE}/nope", headers=bearer(token)).status_code == 404
