"""Fallback rules at the level of one step delivery (pipeline/fallback.py).

Retries first for what retrying can fix; the fallback on the last attempt;
one fallback per step at most; a user's explicit choice of a failed
integration is not retried in a later step.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from synthora.pipeline.fallback import reason_for
from synthora.pipeline.models import Step, StepStatus, VideoRecord
from synthora.pipeline.runner import RetryStep, StepTask, load_video, run_step
from synthora.pipeline.steps import STEP_WORK
from synthora.platform import Platform
from synthora.providers.errors import ProviderError
from synthora.services import integrations as svc
from synthora.services.pipeline_services import PIPELINE_SERVICES
from synthora.services.videos import CreateVideoRequest, insert_and_start, new_video_record

KEY = "sk-test-0123456789abcdefghijABCD"
CHAT = "https://api.openai.com/v1/chat/completions"
LOCAL = "http://127.0.0.1:9/v1"


def _add(platform: Platform, provider: str, **kwargs: Any) -> str:
    iid = svc.add_integration(
        platform=platform,
        uid="u1",
        request=svc.AddIntegrationRequest(provider=provider, **kwargs),  # type: ignore[arg-type]
    ).id
    platform.documents.document(f"users/u1/integrations/{iid}").update(
        {"validation.status": "valid"}
    )
    return iid


@pytest.fixture
def video(platform: Platform) -> VideoRecord:
    record = new_video_record(
        video_id="vid1",
        uid="u1",
        template_id="sys-viral-hook",
        template_name="Viral Hook",
        template_version=1,
        config={},
        request=CreateVideoRequest(
            template_id="sys-viral-hook", topic="sleep science", review_script=False
        ),
        use_video_ai=False,
        integrations={},
    )
    return insert_and_start(platform=platform, video=record)


def _script(platform: Platform, *, retry: int, max_attempts: int = 3) -> Any:
    return run_step(
        platform=platform,
        step=Step.script,
        task=StepTask(video_id="vid1", generation=0),
        retry_count=retry,
        max_attempts=max_attempts,
        work=STEP_WORK[Step.script],
        services=PIPELINE_SERVICES,
    )


def test_reasons() -> None:
    def err(**kw: Any) -> ProviderError:
        return ProviderError("x", provider="p", **kw)

    assert reason_for(err(code="unreachable"), final_attempt=False) == "unreachable"
    assert reason_for(err(status_code=401), final_attempt=False) == "key_refused"
    assert reason_for(err(status_code=403), final_attempt=False) == "key_refused"
    assert reason_for(err(status_code=503), final_attempt=False) is None  # retried first
    assert reason_for(err(status_code=503), final_attempt=True) == "retries_exhausted"
    assert reason_for(err(code="timeout"), final_attempt=True) == "retries_exhausted"
    assert reason_for(err(status_code=404), final_attempt=True) is None  # a real answer
    assert reason_for(err(code="refusal"), final_attempt=True) is None


@respx.mock
def test_retries_first_then_falls_back_on_the_last_attempt(
    platform: Platform, video: VideoRecord
) -> None:
    iid = _add(platform, "openai", api_key=KEY)
    chat = respx.post(CHAT).mock(
        return_value=httpx.Response(503, json={"error": {"message": "overloaded"}})
    )
    with pytest.raises(RetryStep):
        _script(platform, retry=0)
    stored = load_video(platform, "vid1")
    assert stored is not None and stored.steps[Step.script].fallback is None
    assert _script(platform, retry=2).result == "done"
    stored = load_video(platform, "vid1")
    assert stored is not None
    state = stored.steps[Step.script]
    assert state.fallback is not None and state.fallback.reason == "retries_exhausted"
    assert state.fallback.from_integration_id == iid and state.provider == "template-writer"
    assert chat.call_count == 2


@respx.mock
def test_at_most_one_fallback_per_step(platform: Platform, video: VideoRecord) -> None:
    openai_id = _add(platform, "openai", api_key=KEY)
    local_id = _add(platform, "openai_compatible", options={"base_url": LOCAL, "model": "llama3.2"})
    chat = respx.post(CHAT).mock(
        return_value=httpx.Response(401, json={"error": {"message": "Incorrect API key"}})
    )
    local = respx.post(f"{LOCAL}/chat/completions").mock(
        side_effect=httpx.ConnectError("connection refused")
    )
    with pytest.raises(RetryStep):  # the fallback target is unreachable: retried
        _script(platform, retry=0)
    stored = load_video(platform, "vid1")
    assert stored is not None
    state = stored.steps[Step.script]
    assert state.fallback is not None
    assert (state.fallback.from_integration_id, state.fallback.to_integration_id) == (
        openai_id,
        local_id,
    )
    assert _script(platform, retry=2).result == "failed"  # no second fallback
    stored = load_video(platform, "vid1")
    assert stored is not None and stored.status.value == "failed"
    state = stored.steps[Step.script]
    assert state.status == StepStatus.failed and state.fallback is not None
    assert state.fallback.to_integration_id == local_id and state.integration_id == local_id
    assert chat.call_count == 1 and local.call_count == 2
    assert stored.error is not None and "could not be reached" in stored.error.message
