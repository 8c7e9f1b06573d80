"""The analytics HTTP group over real Auth emulator tokens: every route answers its model,
validates its query, checks ownership, gates `channels` on premium, and the manual sync's
cooldown is a 429 with Retry-After. The cron and task functions are internal only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from synthora.analytics.base import Metrics
from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform
from synthora.services import analytics as svc
from synthora.settings import get_settings
from tests.analytics.synthetic import add_item
from tests.conftest import AuthEmulator
from tests.support.calls import bearer, error, uid_of

BASE = "/api/v1/analytics"


def _app(name: str) -> FlaskClient:
    settings = get_settings()
    spec = get_manifest(settings.manifest_file).function(name)
    app: FlaskClient = create_function_app(spec, settings.functions_dir).test_client()
    return app


@pytest.fixture
def client(auth: AuthEmulator) -> FlaskClient:
    return _app("analytics")


def _user(auth: AuthEmulator, email: str, role: str = "free") -> tuple[str, str]:
    token = auth.sign_up(email)
    uid = uid_of(token)
    get_platform().documents.collection("users").document(uid).set(
        {"role": role, "preferences": {"timezone": "Europe/Berlin"}}, merge=True
    )
    return token, uid


def _seed_post(uid: str, post_id: str) -> None:
    platform = get_platform()
    now = datetime.now(UTC)
    platform.documents.collection("posts").document(post_id).set(
        {"owner_uid": uid, "targets": {"t0": {"social_account_id": "acc", "platform": "youtube"}}}
    )
    add_item(
        platform,
        uid=uid,
        item_id=f"{post_id}-t0",
        account_id="acc",
        social="youtube",
        published_at=now - timedelta(days=3),
    )
    for day, views in ((2, 100), (1, 250), (0, 400)):
        svc.record_batch(
            platform=platform,
            uid=uid,
            fetched=[
                svc.Fetched(
                    item_id=f"{post_id}-t0",
                    metrics=Metrics(views=views, likes=views // 10),
                    definitions="youtube-views-2026-08-27",
                )
            ],
            now=now - timedelta(days=day),
        )


def test_routes_answer_from_the_rollups(client: FlaskClient, auth: AuthEmulator) -> None:
    token, uid = _user(auth, "stats@example.com")
    _seed_post(uid, "postA")
    h = bearer(token)
    ov = client.get(f"{BASE}/overview?days=7", headers=h)
    assert ov.status_code == 200, ov.get_json()
    assert ov.get_json()["totals"]["views"] == 400
    series = client.get(f"{BASE}/time-series?metric=views&days=3", headers=h).get_json()
    assert [p["value"] for p in series["points"]] == [100.0, 150.0, 150.0]
    plats = client.get(f"{BASE}/platforms?days=7", headers=h).get_json()
    assert [p["platform"] for p in plats["platforms"]] == ["youtube"]
    top = client.get(f"{BASE}/top-performing?metric=engagement_rate", headers=h).get_json()
    assert top["posts"][0]["post_id"] == "postA" and top["posts"][0]["value"] == 0.1
    detail = client.get(f"{BASE}/posts/postA", headers=h).get_json()
    assert [p["metrics"]["views"] for p in detail["platforms"][0]["history"]] == [100, 250, 400]
    hm = client.get(f"{BASE}/heatmap", headers=h).get_json()
    assert hm["status"] == "insufficient_data" and hm["timezone"] == "Europe/Berlin"
    assert sum(c["posts"] for c in hm["cells"]) == 1 and hm["best_slots"] == []


def test_bad_queries_ownership_and_premium(client: FlaskClient, auth: AuthEmulator) -> None:
    token, uid = _user(auth, "owner@example.com")
    other, _ = _user(auth, "other@example.com", role="premium")
    _seed_post(uid, "postB")
    assert client.get(f"{BASE}/overview").status_code == 401
    bad = client.get(f"{BASE}/time-series?metric=bogus", headers=bearer(token))
    assert bad.status_code == 422 and error(bad)["code"]
    assert client.get(f"{BASE}/overview?days=0", headers=bearer(token)).status_code == 422
    tz = client.get(f"{BASE}/heatmap?tz=Mars/Olympus", headers=bearer(token))
    assert tz.status_code == 422
    assert client.get(f"{BASE}/posts/postB", headers=bearer(other)).status_code == 404
    assert client.post(f"{BASE}/sync/postB", headers=bearer(other)).status_code == 404
    assert client.get(f"{BASE}/channels", headers=bearer(token)).status_code == 403
    assert client.get(f"{BASE}/channels", headers=bearer(other)).status_code == 200


def test_manual_sync_cooldown_is_a_429(client: FlaskClient, auth: AuthEmulator) -> None:
    token, uid = _user(auth, "sync@example.com")
    assert client.post(f"{BASE}/sync", headers=bearer(token)).status_code == 404  # no accounts
    get_platform().documents.collection("social_accounts").document("acc1").set(
        {"user_id": uid, "platform": "youtube", "platform_account_id": "UC1", "status": "connected"}
    )
    first = client.post(f"{BASE}/sync", headers=bearer(token))
    assert first.status_code == 202 and first.get_json()["accounts"] == ["acc1"]
    second = client.post(f"{BASE}/sync", headers=bearer(token))
    assert second.status_code == 429 and int(second.headers["Retry-After"]) > 0


@pytest.mark.parametrize("name", ["analytics_sync", "analytics_sync_cron"])
def test_task_and_cron_are_internal(auth: AuthEmulator, name: str) -> None:
    token, _ = _user(auth, f"{name}@example.com", role="admin")
    app = _app(name)
    assert app.post("/", json={"account_id": "x"}, headers=bearer(token)).status_code in (401, 403)
