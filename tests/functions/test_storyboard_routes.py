"""The storyboard and cancel routes of the videos function, with real Auth emulator tokens."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.pipeline.models import Step
from synthora.pipeline.runner import StepTask, load_video, run_step
from synthora.pipeline.steps import STEP_WORK
from synthora.platform import get_platform
from synthora.services.pipeline_services import PIPELINE_SERVICES
from synthora.settings import Settings
from tests.conftest import AuthEmulator
from tests.support.calls import bearer, error

pytestmark = pytest.mark.emulator
BASE = "/api/v1/videos"
FACTS = "An octopus has three hearts: two for the gills and one for the body."


@pytest.fixture
def client(settings: Settings, auth: AuthEmulator) -> FlaskClient:
    spec = get_manifest(settings.manifest_file).function("videos")
    return create_function_app(spec, settings.functions_dir).test_client()


def _in_review(client: FlaskClient, token: str, **body: Any) -> str:
    payload = {"template_id": "sys-viral-hook", "topic": "why octopuses have three hearts"}
    created = client.post(BASE, json={**payload, **body}, headers=bearer(token))
    assert created.status_code == 201, created.get_json()
    vid = str(created.get_json()["id"])
    result = run_step(
        platform=get_platform(), step=Step.script, task=StepTask(video_id=vid, generation=0),
        retry_count=0, max_attempts=5, work=STEP_WORK[Step.script], services=PIPELINE_SERVICES,
    )  # fmt: skip
    assert result.result == "review"
    return vid


def test_review_edit_and_continue(client: FlaskClient, auth: AuthEmulator) -> None:
    token = auth.sign_up("story@example.com")
    vid = _in_review(client, token)
    video = client.get(f"{BASE}/{vid}", headers=bearer(token)).get_json()
    assert video["status"] == "review" and video["review"]["waiting"] is True
    assert video["review"]["expires_at"] is not None

    board = client.get(f"{BASE}/{vid}/storyboard", headers=bearer(token))
    assert board.status_code == 200, board.get_json()
    scenes = [
        {k: s[k] for k in ("narration", "on_screen_text", "visual_keywords")}
        for s in board.get_json()["scenes"]
    ]
    scenes[1]["narration"] = FACTS
    put = client.put(f"{BASE}/{vid}/storyboard", json={"scenes": scenes}, headers=bearer(token))
    assert put.status_code == 200, put.get_json()
    assert put.get_json()["scenes"][1]["narration"] == FACTS and put.get_json()["edited"]

    go = client.post(f"{BASE}/{vid}/storyboard/continue", headers=bearer(token))
    assert go.status_code == 202, go.get_json()
    assert go.get_json()["status"] == "queued" and go.get_json()["review"]["waiting"] is False
    again = client.post(f"{BASE}/{vid}/storyboard/continue", headers=bearer(token))
    assert again.status_code == 202 and again.get_json()["status"] == "queued"
    late = client.put(f"{BASE}/{vid}/storyboard", json={"scenes": scenes}, headers=bearer(token))
    assert late.status_code == 409 and error(late)["code"] == "not_in_review"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"scenes": [], "script_text": "x"}, "body"),
        ({"scenes": []}, "body.scenes"),
        ({"scenes": [{"narration": "Hi."}] * 21}, "body.scenes"),
        ({"scenes": [{"narration": "x" * 601}]}, "body.scenes.0.narration"),
        ({"scenes": [{"narration": "!!!"}]}, "body.scenes.0.narration"),
        ({"scenes": [{"narration": "Hi.", "on_screen_text": "y" * 121}]}, "body.scenes.0"),
        ({"scenes": [{"narration": "Hi.", "visual_keywords": ["k"] * 9}]}, "body.scenes.0"),
        ({"scenes": [{"narration": "Hi.", "extra": 1}]}, "body.scenes.0"),
        ({"script_text": ""}, "body.script_text"),
        ({"script_text": "z" * 8001}, "body.script_text"),
    ],
)
def test_bad_storyboards_are_422_naming_the_field(
    client: FlaskClient, auth: AuthEmulator, body: dict[str, Any], field: str
) -> None:
    token = auth.sign_up("bad@example.com")
    vid = _in_review(client, token)
    r = client.put(f"{BASE}/{vid}/storyboard", json=body, headers=bearer(token))
    assert r.status_code == 422, r.get_json()
    fields = [d["field"] for d in error(r)["details"]]
    assert any(f.startswith(field) for f in fields), fields


def test_someone_elses_storyboard_is_not_found(client: FlaskClient, auth: AuthEmulator) -> None:
    owner = auth.sign_up("owner2@example.com")
    other = auth.sign_up("other2@example.com")
    vid = _in_review(client, owner)
    for method, path, body in [
        ("get", f"{BASE}/{vid}/storyboard", None),
        ("put", f"{BASE}/{vid}/storyboard", {"script_text": "Mine."}),
        ("post", f"{BASE}/{vid}/storyboard/continue", None),
        ("post", f"{BASE}/{vid}/storyboard/scenes/0/regenerate", {}),
        ("post", f"{BASE}/{vid}/cancel", None),
    ]:
        r = getattr(client, method)(path, json=body, headers=bearer(other))
        assert r.status_code == 404, (method, path, r.get_json())
        assert error(r)["code"] == "video_not_found"
    assert client.get(f"{BASE}/{vid}", headers=bearer(owner)).get_json()["status"] == "review"


def test_regenerate_without_a_model_and_bad_scene_numbers(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    token = auth.sign_up("regen@example.com")
    vid = _in_review(client, token)
    r = client.post(f"{BASE}/{vid}/storyboard/scenes/1/regenerate", json={}, headers=bearer(token))
    assert r.status_code == 409 and error(r)["code"] == "no_script_model"
    for bad in ("x", "-1", "20"):
        r = client.post(
            f"{BASE}/{vid}/storyboard/scenes/{bad}/regenerate", json={}, headers=bearer(token)
        )
        assert r.status_code in (404, 422), (bad, r.get_json())
    r = client.post(f"{BASE}/{vid}/storyboard/scenes/7/regenerate", json={}, headers=bearer(token))
    assert r.status_code == 404 and error(r)["code"] == "scene_not_found"
    r = client.post(
        f"{BASE}/{vid}/storyboard/scenes/0/regenerate",
        json={"instructions": "i" * 501},
        headers=bearer(token),
    )
    assert r.status_code == 422


def test_cancel_a_generation(client: FlaskClient, auth: AuthEmulator) -> None:
    token = auth.sign_up("cancel@example.com")
    created = client.post(
        BASE,
        json={"template_id": "sys-viral-hook", "topic": "a topic", "review_script": False},
        headers=bearer(token),
    ).get_json()
    vid = created["id"]
    r = client.post(f"{BASE}/{vid}/cancel", headers=bearer(token))
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "cancelled"
    assert client.post(f"{BASE}/{vid}/cancel", headers=bearer(token)).status_code == 200
    # the slot is free: another video can start at once (the free plan runs one at a time)
    second = client.post(
        BASE,
        json={"template_id": "sys-viral-hook", "topic": "another topic"},
        headers=bearer(token),
    )
    assert second.status_code == 201, second.get_json()
    r = client.post(f"{BASE}/{vid}/storyboard/continue", headers=bearer(token))
    assert r.status_code == 409 and error(r)["code"] == "not_in_review"
    # a cancelled video can be deleted
    assert client.delete(f"{BASE}/{vid}", headers=bearer(token)).status_code == 200
    assert load_video(get_platform(), vid) is None
