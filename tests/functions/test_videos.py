"""The videos function with real Auth emulator tokens: ownership, limits, retry, delete."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.pipeline.models import Step, StepStatus, VideoStatus
from synthora.pipeline.runner import load_video, video_ref
from synthora.platform import get_platform
from synthora.services.templates import get_template_for_generation
from synthora.settings import Settings
from tests.conftest import AuthEmulator
from tests.support.calls import bearer, error, uid_of

pytestmark = pytest.mark.emulator
BASE = "/api/v1/videos"


@pytest.fixture
def client(settings: Settings, auth: AuthEmulator) -> FlaskClient:
    spec = get_manifest(settings.manifest_file).function("videos")
    return create_function_app(spec, settings.functions_dir).test_client()


def create(client: FlaskClient, token: str, **body: Any) -> Any:
    payload = {"template_id": "sys-viral-hook", "topic": "why the sky is blue", **body}
    return client.post(BASE, json=payload, headers=bearer(token))


def test_create_queues_the_first_step_and_reads_back(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    token = auth.sign_up("maker@example.com")
    r = create(client, token, instructions="keep it playful")
    assert r.status_code == 201, r.get_json()
    video = r.get_json()
    assert video["status"] == "queued" and video["progress"] == 0
    assert [s["step"] for s in video["steps"]] == [s.value for s in Step]
    assert video["video_url"] is None
    vid = video["id"]
    got = client.get(f"{BASE}/{vid}", headers=bearer(token))
    assert got.status_code == 200 and got.get_json()["topic"] == "why the sky is blue"
    status = client.get(f"{BASE}/{vid}/status", headers=bearer(token)).get_json()
    assert status["current_step"] == "script"
    listed = client.get(BASE, headers=bearer(token)).get_json()
    assert [v["id"] for v in listed["items"]] == [vid]
    assert client.get(f"{BASE}?status=failed", headers=bearer(token)).get_json()["items"] == []
    stats = client.get(f"{BASE}/stats/me", headers=bearer(token)).get_json()
    assert stats["total"] == 1 and stats["by_status"]["queued"] == 1


def test_someone_elses_video_is_not_found(client: FlaskClient, auth: AuthEmulator) -> None:
    owner = auth.sign_up("owner@example.com")
    other = auth.sign_up("other@example.com")
    vid = create(client, owner).get_json()["id"]
    for method, path in [
        ("get", f"{BASE}/{vid}"),
        ("get", f"{BASE}/{vid}/status"),
        ("delete", f"{BASE}/{vid}"),
        ("post", f"{BASE}/{vid}/retry"),
    ]:
        r = getattr(client, method)(
            path, headers=bearer(other), json={} if method == "post" else None
        )
        assert r.status_code == 404, (method, path, r.get_json())
        assert error(r)["code"] == "video_not_found"
    assert client.get(BASE, headers=bearer(other)).get_json()["items"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"topic": "ab"}, "body.topic"),
        ({"topic": "x" * 201}, "body.topic"),
        ({"instructions": "y" * 1001}, "body.instructions"),
        ({"template_id": ""}, "body.template_id"),
        ({"integrations": {"finalize": "abc"}}, "body.integrations.finalize"),
    ],
)
def test_bad_requests_are_422_naming_the_field(
    client: FlaskClient, auth: AuthEmulator, body: dict[str, Any], field: str
) -> None:
    token = auth.sign_up("bad@example.com")
    r = create(client, token, **body)
    assert r.status_code == 422, r.get_json()
    assert field in [d["field"] for d in error(r)["details"]]
    assert client.get(BASE, headers=bearer(token)).get_json()["items"] == []  # nothing written


def test_unknown_template_is_404_and_writes_nothing(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    token = auth.sign_up("nt@example.com")
    r = create(client, token, template_id="no-such-template")
    assert r.status_code == 404
    assert client.get(BASE, headers=bearer(token)).get_json()["items"] == []


def test_anonymous_is_refused(client: FlaskClient) -> None:
    assert client.get(BASE).status_code == 401
    assert (
        client.post(BASE, json={"template_id": "sys-viral-hook", "topic": "abc"}).status_code == 401
    )


def test_delete_is_refused_while_generating_then_removes_files(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    token = auth.sign_up("del@example.com")
    vid = create(client, token).get_json()["id"]
    r = client.delete(f"{BASE}/{vid}", headers=bearer(token))
    assert r.status_code == 409 and error(r)["code"] == "video_generating"
    platform = get_platform()
    video = load_video(platform, vid)
    assert video is not None
    platform.blobs.put_bytes(f"{video.blob_prefix}video.mp4", b"mp4", content_type="video/mp4")
    video.status = VideoStatus.failed
    video_ref(platform, vid).set(video.model_dump())
    r = client.delete(f"{BASE}/{vid}", headers=bearer(token))
    assert r.status_code == 200 and r.get_json() == {"deleted": True, "blobs_removed": 1}
    assert client.get(f"{BASE}/{vid}", headers=bearer(token)).status_code == 404


def test_retry_only_for_failed_videos_and_swaps_the_integration(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    token = auth.sign_up("retry@example.com")
    vid = create(client, token).get_json()["id"]
    r = client.post(f"{BASE}/{vid}/retry", json={}, headers=bearer(token))
    assert r.status_code == 409 and error(r)["code"] == "not_retryable"
    platform = get_platform()
    video = load_video(platform, vid)
    assert video is not None
    video.status = VideoStatus.failed
    video.steps[Step.script].status = StepStatus.done
    video.steps[Step.voice].status = StepStatus.failed
    video.steps[Step.voice].error = {"message": "quota exceeded"}
    video_ref(platform, vid).set(video.model_dump())
    r = client.post(
        f"{BASE}/{vid}/retry", json={"integration_id": "offline"}, headers=bearer(token)
    )
    assert r.status_code == 202, r.get_json()
    body = r.get_json()
    assert body["status"] == "queued" and body["current_step"] == "voice"
    steps = {s["step"]: s for s in body["steps"]}
    assert steps["script"]["status"] == "done" and steps["voice"]["status"] == "pending"
    stored = load_video(platform, vid)
    assert stored is not None and stored.generation == 1
    assert stored.integrations[Step.voice] == "offline"
    # a retry naming someone else's / unknown integration is refused and changes nothing
    stored.status = VideoStatus.failed
    stored.steps[Step.voice].status = StepStatus.failed
    video_ref(platform, vid).set(stored.model_dump())
    r = client.post(f"{BASE}/{vid}/retry", json={"integration_id": "nope"}, headers=bearer(token))
    assert r.status_code == 404
    after = load_video(platform, vid)
    assert after is not None and after.generation == 1


def test_retry_with_another_provider_replaces_the_failed_integration_in_later_steps(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    from synthora.services import integrations as svc

    token = auth.sign_up("swap@example.com")
    platform = get_platform()
    openai_id = svc.add_integration(
        platform=platform,
        uid=uid_of(token),
        request=svc.AddIntegrationRequest(
            provider="openai",  # type: ignore[arg-type]
            api_key="sk-test-0123456789abcdefghijABCD",
        ),
    ).id
    vid = create(client, token).get_json()["id"]
    video = load_video(platform, vid)
    assert video is not None
    video.status = VideoStatus.failed
    video.steps[Step.script].status = StepStatus.failed
    video.steps[Step.script].integration_id = openai_id  # OpenAI wrote (and failed) the script
    video_ref(platform, vid).set(video.model_dump())
    r = client.post(
        f"{BASE}/{vid}/retry", json={"integration_id": "offline"}, headers=bearer(token)
    )
    assert r.status_code == 202, r.get_json()
    stored = load_video(platform, vid)
    assert stored is not None
    # the voice step would have used the same OpenAI key: it goes offline too
    assert stored.integrations[Step.script] == "offline"
    assert stored.integrations[Step.voice] == "offline"
    assert Step.media not in stored.integrations  # OpenAI never ran media
    assert stored.avoid_integrations == {openai_id: "replaced"}


def test_admin_stats_need_the_admin_role(client: FlaskClient, auth: AuthEmulator) -> None:
    token = auth.sign_up("plain@example.com")
    assert client.get(f"{BASE}/admin/stats", headers=bearer(token)).status_code == 403
    get_platform().documents.document(f"users/{uid_of(token)}").set({"role": "admin"})
    r = client.get(f"{BASE}/admin/stats", headers=bearer(token))
    assert r.status_code == 200 and set(r.get_json()) >= {"total", "by_status"}


def test_create_screen_choices_override_the_template_for_this_video_only(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    token = auth.sign_up("chooser@example.com")
    choices = {
        "aspect_ratio": "16:9", "min_seconds": 40, "max_seconds": 60, "voice_gender": "female",
        "voice_tone": "calm", "voice_speed": 1.2, "music_mood": "inspiring",
    }  # fmt: skip
    r = create(client, token, choices=choices)
    assert r.status_code == 201, r.get_json()
    config = load_video(get_platform(), r.get_json()["id"]).config
    assert config["visual_style"]["aspect_ratio"] == "16:9"
    assert config["video_structure"]["duration"] == {"min_seconds": 40, "max_seconds": 60}
    assert config["audio"]["voice_gender"] == "female"
    assert config["audio"]["voice_tone"] == "calm"
    assert config["audio"]["voice_speed"] == 1.2
    assert config["audio"]["music_mood"] == "inspiring"
    # The template itself keeps its own settings for the next video.
    template = get_template_for_generation(
        platform=get_platform(), uid=uid_of(token), template_id="sys-viral-hook"
    ).config
    assert template.visual_style.aspect_ratio.value == "9:16"
    assert template.video_structure.duration.model_dump() == {"min_seconds": 15, "max_seconds": 30}
    assert template.audio.voice_speed != 1.2


@pytest.mark.parametrize(
    ("choices", "field"),
    [
        ({"min_seconds": 45}, "body.choices.min_seconds"),  # above the template's 30 s maximum
        ({"voice_speed": 3}, "body.choices.voice_speed"),
        ({"aspect_ratio": "4:3"}, "body.choices.aspect_ratio"),
        ({"voice_tone": "sarcastic"}, "body.choices.voice_tone"),
        ({"font_family": "Comic"}, "body.choices.font_family"),
    ],
)
def test_bad_choices_are_422_naming_the_choice_and_write_nothing(
    client: FlaskClient, auth: AuthEmulator, choices: dict[str, Any], field: str
) -> None:
    token = auth.sign_up("badchoice@example.com")
    r = create(client, token, choices=choices)
    assert r.status_code == 422, r.get_json()
    assert field in [d["field"] for d in error(r)["details"]]
    assert client.get(BASE, headers=bearer(token)).get_json()["items"] == []


def test_use_video_ai_must_be_a_boolean(client: FlaskClient, auth: AuthEmulator) -> None:
    """Issue 18, finding 11: `0` is not `false` at the boundary."""
    token = auth.sign_up("strict@example.com")
    for value in (0, 1, "false"):
        r = create(client, token, use_video_ai=value)
        assert r.status_code == 422, (value, r.get_json())
        assert "body.use_video_ai" in [d["field"] for d in error(r)["details"]]
