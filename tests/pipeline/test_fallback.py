"""A broken key costs one fallback, never a failed video (when the user allows it).

Whole generations through the queue and the task functions, with a stored
OpenAI key whose calls fail the way the issue saw them (its key check said
"unreachable"): the script step falls back to the offline writer, the voice
step (OpenAI covers it too) skips the key from the start, and the video
finishes. With the `provider_fallback` preference off, the video fails with
the provider's reason.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from synthora.pipeline.models import Step, StepFallback, StepStatus, VideoStatus
from synthora.platform import Platform
from synthora.services import integrations as svc
from tests.pipeline.conftest import Pipeline

pytestmark = pytest.mark.slow

SHORT = {
    "video_structure.duration.min_seconds": 8,
    "video_structure.duration.max_seconds": 12,
    "video_structure.num_scenes": 3,
}
KEY = "sk-test-0123456789abcdefghijABCD"
CHAT = "https://api.openai.com/v1/chat/completions"
SPEECH = "https://api.openai.com/v1/audio/speech"
MODELS = "https://api.openai.com/v1/models"


def _openai(platform: Platform, uid: str = "u1") -> str:
    return svc.add_integration(
        platform=platform,
        uid=uid,
        request=svc.AddIntegrationRequest(provider="openai", api_key=KEY),  # type: ignore[arg-type]
    ).id


def _prefer(platform: Platform, *, fallback: bool, uid: str = "u1") -> None:
    platform.documents.document(f"users/{uid}").set(
        {"email": f"{uid}@example.com", "preferences": {"provider_fallback": fallback}}
    )


def _routes(router: respx.MockRouter, chat: Any) -> tuple[respx.Route, respx.Route]:
    # the key check cannot reach OpenAI either: "unreachable", so the key stays in use
    router.get(MODELS).mock(side_effect=httpx.ConnectError("no route to host"))
    chat_route = router.post(CHAT).mock(side_effect=chat)
    speech = router.post(SPEECH).mock(return_value=httpx.Response(500))
    return chat_route, speech


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (httpx.ConnectError("no route to host"), "unreachable"),
        (
            httpx.Response(
                401,
                json={
                    "error": {
                        "message": "Incorrect API key provided: sk-test-*****ABCD.",
                        "type": "invalid_request_error",
                        "param": None,
                        "code": "invalid_api_key",
                    }
                },
            ),
            "key_refused",
        ),
    ],
    ids=["unreachable", "key_refused"],
)
def test_a_failing_key_falls_back_once_and_the_video_finishes(
    pipeline: Pipeline, platform: Platform, failure: Any, reason: str
) -> None:
    iid = _openai(platform)
    with respx.mock(assert_all_called=False) as router:
        chat, speech = _routes(router, failure)
        pipeline.start(video_id="fb", topic="why octopuses have three hearts", config_changes=SHORT)
        video = pipeline.run("fb")

    assert video.status == VideoStatus.completed, video.error
    script = video.steps[Step.script]
    assert script.fallback == StepFallback.model_validate(
        {
            **script.fallback.model_dump(),  # type: ignore[union-attr]
            "from_provider": "openai",
            "from_integration_id": iid,
            "to_provider": "offline",
            "to_integration_id": None,
            "reason": reason,
        }
    )
    assert script.fallback is not None and script.fallback.to_name == "template writer"
    assert script.provider == "template-writer" and script.attempts == 1
    assert script.error is None
    # one call to the broken key in the whole video: voice skipped it up front
    assert chat.call_count == 1 and speech.call_count == 0
    voice = video.steps[Step.voice]
    assert voice.fallback is not None
    assert voice.fallback.reason == "failed_earlier" and voice.fallback.source_step == Step.script
    assert voice.fallback.to_provider == "offline" and voice.status == StepStatus.done
    assert video.avoid_integrations == {iid: reason}
    # media and assembly never used OpenAI: nothing recorded for them
    assert video.steps[Step.media].fallback is None
    assert video.steps[Step.assembly].fallback is None


def test_with_fallback_off_the_video_fails_with_the_reason(
    pipeline: Pipeline, platform: Platform
) -> None:
    _prefer(platform, fallback=False)
    _openai(platform)
    refused = httpx.Response(
        401,
        json={"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}},
    )
    with respx.mock(assert_all_called=False) as router:
        chat, _ = _routes(router, refused)
        pipeline.start(video_id="nofb", config_changes=SHORT)
        video = pipeline.run("nofb")
    assert video.status == VideoStatus.failed
    assert video.error is not None and video.error.step == Step.script
    assert "refused the API key" in video.error.message
    assert video.steps[Step.script].fallback is None and video.avoid_integrations == {}
    assert chat.call_count == 1
