"""The suggestions HTTP group over real Auth emulator tokens: premium gating (role, limit,
flag), every analysis route over a stored history, the suggestion lifecycle, "make this"
pre-fills, the closed loop and the generate cooldown."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient

from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform
from synthora.services import app_settings
from synthora.services import suggestions as service
from synthora.settings import get_settings
from synthora.suggestions import Basis
from tests.conftest import AuthEmulator
from tests.suggestions import plant
from tests.suggestions.synthetic import history
from tests.support.calls import bearer, error, uid_of

BASE = "/api/v1/suggestions"


@pytest.fixture
def client(auth: AuthEmulator) -> FlaskClient:
    settings = get_settings()
    spec = get_manifest(settings.manifest_file).function("suggestions")
    app: FlaskClient = create_function_app(spec, settings.functions_dir).test_client()
    return app


def _user(auth: AuthEmulator, email: str, role: str) -> tuple[dict[str, str], str]:
    token = auth.sign_up(email)
    uid = uid_of(token)
    plant.user(get_platform(), uid, role=role)
    return bearer(token), uid


def test_free_users_and_a_switched_off_flag_are_refused(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    free, _ = _user(auth, "free@example.com", "free")
    r = client.get(BASE, headers=free)
    assert r.status_code == 403 and error(r)["code"] == "premium_only"
    premium, _ = _user(auth, "premium@example.com", "premium")
    assert client.get(BASE, headers=premium).status_code == 200
    app_settings.put_setting(
        platform=get_platform(), admin_uid="admin", key="features", value={"ai_suggestions": False}
    )
    r = client.get(f"{BASE}/analysis/trends", headers=premium)
    assert r.status_code == 403 and error(r)["code"] == "ai_suggestions_disabled"


def test_with_too_little_history_each_analysis_says_what_it_needs(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    h, uid = _user(auth, "new@example.com", "premium")
    plant.history(get_platform(), uid, history(posts=4, now=datetime.now(UTC)))
    for path in ("performance", "content-ideas", "trends", "improvements"):
        body = client.get(f"{BASE}/analysis/{path}", headers=h).get_json()
        assert body["status"] == "insufficient_data", path
        assert body["message"].startswith("Not enough data yet: 4 measured posts"), path
    times = client.get(f"{BASE}/analysis/posting-times", headers=h).get_json()
    assert times["platforms"][0]["message"] == (
        "Not enough data yet: 4 measured posts on tiktok; this needs at least 10."
    )


def test_a_creator_with_history_gets_cited_suggestions_and_makes_one(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    h, uid = _user(auth, "creator@example.com", "premium")
    platform = get_platform()
    plant.history(
        platform,
        uid,
        history(posts=75, best_hour=18, better_hook="question", now=datetime.now(UTC)),
    )
    perf = client.get(f"{BASE}/analysis/performance", headers=h).get_json()
    hook = next(d for d in perf["dimensions"] if d["dimension"] == "hook_style")
    assert hook["best"]["value"] == "question"
    times = client.get(f"{BASE}/analysis/posting-times", headers=h).get_json()
    assert times["platforms"][0]["best_hours"][0]["value"] == "18"

    r = client.post(f"{BASE}/generate", headers=h, json={})
    assert r.status_code == 202 and r.get_json()["enqueued"] == len(service.SuggestionType)
    again = client.post(f"{BASE}/generate", headers=h, json={})
    assert again.status_code == 429 and int(again.headers["Retry-After"]) > 0
    for t in service.SuggestionType:  # what the queued tasks do
        service.run_generate(platform=platform, task=service.GenerateTask(uid=uid, type=t))

    page = client.get(f"{BASE}?type=template&limit=50", headers=h).get_json()
    made = next(i for i in page["items"] if i["title"] == "Question hooks work best for you")
    assert made["evidence"]["points"][0].startswith("question hooks: ")
    assert made["prefill"]["template_id"]
    count = client.get(f"{BASE}/unread-count", headers=h).get_json()
    assert count["total"] == page["unread_count"] > 0

    # "make this": a video from the pre-fill, then recorded as acted on with it
    plant.video(platform, uid, "made-from-it", settings={"hook_style": "question"})
    acted = client.post(f"{BASE}/{made['id']}/acted", headers=h, json={"video_id": "made-from-it"})
    assert acted.status_code == 200 and acted.get_json()["acted_video_id"] == "made-from-it"
    detail = client.get(f"{BASE}/{made['id']}", headers=h).get_json()
    assert detail["outcome"] == {
        "video_id": "made-from-it",
        "status": "not_posted",
        "posts": 0,
        "views": 0,
        "ratio": None,
    }
    loop = client.get(f"{BASE}/analysis/outcomes", headers=h).get_json()
    assert loop["acted"] == 1 and loop["status"] == "insufficient_data"

    pred = client.get(f"{BASE}/analysis/predict/made-from-it?hour=18", headers=h).get_json()
    assert pred["status"] == "ok" and pred["low"] < pred["expected_views"] < pred["high"]
    assert pred["planned_hour"] == 18

    everything = client.get(f"{BASE}?limit=50", headers=h).get_json()["items"]
    assert {i["type"] for i in everything} >= {"template", "posting_time", "content_idea"}
    other = next(i for i in everything if i["id"] != made["id"])
    assert client.post(f"{BASE}/{other['id']}/dismiss", headers=h).get_json()["dismissed"]
    dismissed = client.get(f"{BASE}?dismissed=true", headers=h).get_json()
    assert [i["id"] for i in dismissed["items"]] == [other["id"]]
    assert client.post(f"{BASE}/read-all", headers=h).status_code == 200
    assert client.get(f"{BASE}/unread-count", headers=h).get_json()["total"] == 0


def test_ownership_and_bad_input(client: FlaskClient, auth: AuthEmulator) -> None:
    h, uid = _user(auth, "owner@example.com", "premium")
    other, _ = _user(auth, "other@example.com", "premium")
    plant.video(get_platform(), uid, "mine", settings={})
    s, _ = service.create_suggestion(
        platform=get_platform(),
        uid=uid,
        new=service.NewSuggestion(
            type=service.SuggestionType.trend,
            key="k",
            title="t",
            body="b",
            evidence=service.Evidence(
                basis=Basis(posts=0, videos=0, platforms=[], start=None, end=None, summary="-"),
                points=[],
            ),
        ),
    )
    assert client.get(f"{BASE}/{s.id}", headers=other).status_code == 404
    assert client.post(f"{BASE}/{s.id}/read", headers=other).status_code == 404
    assert client.get(f"{BASE}/analysis/predict/mine", headers=other).status_code == 404
    bad = client.get(f"{BASE}/analysis/predict/mine?hour=25", headers=h)
    assert bad.status_code == 422
    r = client.post(f"{BASE}/{s.id}/acted", headers=h, json={"video_id": "../x"})
    assert r.status_code == 422
    r = client.post(f"{BASE}/{s.id}/acted", headers=h, json={"video_id": "not-mine"})
    assert r.status_code == 404 and error(r)["code"] == "video_not_found"
    assert client.get(f"{BASE}?type=nonsense", headers=h).status_code == 422
