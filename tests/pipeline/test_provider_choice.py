"""Readiness tells the truth and the step uses what readiness names.

A key that cannot run a step (key check only, retired) is listed with the
reason and never ranked; `last_used_at` is stamped only on the integration a
step really called.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from types import MappingProxyType
from typing import Any

import httpx
import pytest
import respx

from synthora.errors import ValidationFailed
from synthora.pipeline.models import Step, StepStatus, VideoRecord
from synthora.pipeline.runner import StepTask, load_video, run_step
from synthora.pipeline.steps import STEP_WORK
from synthora.platform import Platform
from synthora.providers import registry
from synthora.providers.base import STEP_CAPABILITY, IntegrationCategory, KeyCheckOnly
from synthora.services import integrations as svc
from synthora.services.pipeline_services import PIPELINE_SERVICES
from synthora.services.videos import CreateVideoRequest, insert_and_start, new_video_record

RUNWAY = "https://api.dev.runwayml.com"
KEYS = {
    "openai": "sk-test-0123456789abcdefghijABCD",
    "sora": "sk-test-0123456789abcdefghijABCD",
    "veo": "AIza" + "B" * 35,
    "imagineart": "vk-0123456789abcdefghijklmn",
    "wan": "sk-0123456789abcdefghijklmn",
    "shotstack": "HBHjHylztJqjEeIFQxNJWB5g2mPa4lI40wX8oNVD",
    "remotion": "AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
}


def _add(platform: Platform, provider: str, *, status: str = "valid", uid: str = "u1") -> str:
    info = registry.get_provider(provider)
    key = KEYS.get(provider, f"{provider}-key-0123456789") if info.needs_key else None
    # required free-text options (a server's base URL and model) take their examples
    options = {o.name: o.example for o in info.options if o.required and o.example}
    iid = svc.add_integration(
        platform=platform,
        uid=uid,
        request=svc.AddIntegrationRequest(provider=provider, api_key=key, options=options),  # type: ignore[arg-type]
    ).id
    _set(platform, iid, **{"validation.status": status}, uid=uid)
    return iid


def _set(platform: Platform, iid: str, uid: str = "u1", **updates: Any) -> None:
    platform.documents.document(f"users/{uid}/integrations/{iid}").update(updates)


def _last_used(platform: Platform, iid: str) -> Any:
    return platform.documents.document(f"users/u1/integrations/{iid}").get().get("last_used_at")


def _step(platform: Platform, step: Step) -> Any:
    return run_step(
        platform=platform,
        step=step,
        task=StepTask(video_id="vid1", generation=0),
        retry_count=0,
        max_attempts=5,
        work=STEP_WORK[step],
        services=PIPELINE_SERVICES,
    )


@pytest.fixture
def key_check_only(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Make a provider key-check-only for a test, whatever its module declares
    (so these tests keep their meaning once that provider's client lands)."""

    def apply(provider: str) -> None:
        declared = registry.get_provider(provider)
        changed = replace(
            declared,
            capabilities={
                STEP_CAPABILITY[c]: KeyCheckOnly(reason="no client in this test")
                for c in declared.categories
            },
        )
        swapped = tuple(changed if d.id == provider else d for d in registry.DECLARATIONS)
        monkeypatch.setattr(registry, "DECLARATIONS", swapped)
        monkeypatch.setattr(registry, "_BY_ID", MappingProxyType({d.id: d for d in swapped}))

    return apply


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
        use_video_ai=True,
        integrations={},
    )
    return insert_and_start(platform=platform, video=record)


def test_with_hailuo_and_runway_keys_readiness_names_runway_and_the_step_uses_it(
    platform: Platform,
    video: VideoRecord,
    respx_mock: respx.MockRouter,
    key_check_only: Callable[[str], None],
) -> None:
    key_check_only("hailuo")
    hailuo = _add(platform, "hailuo")
    runway = _add(platform, "runway", status="pending")

    readiness = svc.integration_readiness(platform=platform, uid="u1")
    step = next(s for s in readiness.steps if s.step == IntegrationCategory.VIDEO_AI)
    assert (step.source, step.provider, step.integration_id) == ("integration", "runway", runway)
    assert [(n.integration_id, n.provider) for n in step.not_used] == [(hailuo, "hailuo")]
    assert step.not_used[0].reason == "key check only: no client in this test"

    submit = respx_mock.post(f"{RUNWAY}/v1/text_to_video").mock(
        return_value=httpx.Response(200, json={"id": "task-123"})
    )
    assert _step(platform, Step.script).result == "done"  # offline writer: no OpenAI key
    assert _step(platform, Step.video_ai).result == "polling"
    assert submit.called
    stored = load_video(platform, "vid1")
    assert stored is not None
    state = stored.steps[Step.video_ai]
    assert (state.provider, state.integration_id) == ("runway", runway)
    assert state.poll is not None and state.poll["job_id"] == "task-123"
    assert _last_used(platform, runway) is not None
    assert _last_used(platform, hailuo) is None


def test_a_key_check_only_key_alone_is_never_used(
    platform: Platform,
    video: VideoRecord,
    respx_mock: respx.MockRouter,
    key_check_only: Callable[[str], None],
) -> None:
    key_check_only("hailuo")
    hailuo = _add(platform, "hailuo")
    readiness = svc.integration_readiness(platform=platform, uid="u1")
    step = next(s for s in readiness.steps if s.step == IntegrationCategory.VIDEO_AI)
    assert (step.source, step.provider, step.available) == ("none", None, False)
    assert step.not_used[0].provider == "hailuo"
    assert IntegrationCategory.VIDEO_AI in readiness.missing_categories

    _step(platform, Step.script)
    assert _step(platform, Step.video_ai).result == "done"
    stored = load_video(platform, "vid1")
    assert stored is not None
    assert stored.steps[Step.video_ai].status == StepStatus.done
    assert stored.steps[Step.video_ai].integration_id is None
    assert not respx_mock.calls
    assert _last_used(platform, hailuo) is None


def test_an_offline_step_stamps_nothing(platform: Platform, video: VideoRecord) -> None:
    runway = _add(platform, "runway")
    _step(platform, Step.script)
    assert _last_used(platform, runway) is None  # the script step used no integration


def test_a_key_check_only_integration_named_for_a_step_is_refused(
    platform: Platform, key_check_only: Callable[[str], None]
) -> None:
    key_check_only("remotion")
    remotion = _add(platform, "remotion")
    with pytest.raises(svc.IntegrationUnavailable, match="key check only"):
        svc.active_integration_for(
            platform=platform, uid="u1", category="assembly", integration_id=remotion
        )


def test_a_stored_sora_key_is_listed_as_retired_and_never_ranked(platform: Platform) -> None:
    # A key saved before the shutdown (new Sora integrations are refused).
    iid = _add(platform, "veo")
    _set(platform, iid, provider="sora")
    readiness = svc.integration_readiness(platform=platform, uid="u1")
    step = next(s for s in readiness.steps if s.step == IntegrationCategory.VIDEO_AI)
    assert step.source == "none"
    assert step.not_used[0].reason.startswith("retired: OpenAI shut down")
    listed = svc.get_integration(platform=platform, uid="u1", integration_id=iid)
    assert listed.provider_status == "retired"
    assert svc.active_integration_for(platform=platform, uid="u1", category="video_ai") is None


def test_new_sora_integrations_are_refused(platform: Platform) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _add(platform, "sora")
    assert caught.value.code == "provider_retired"


def test_the_catalogue_shows_what_each_provider_really_runs(
    key_check_only: Callable[[str], None],
) -> None:
    key_check_only("hailuo")
    catalogue = {p.id: p for c in svc.list_providers().categories for p in c.providers}
    assert catalogue["hailuo"].status == "key_check_only"
    assert catalogue["hailuo"].capabilities[0].runs is False
    assert catalogue["runway"].status == "active" and catalogue["runway"].status_reason is None
    assert catalogue["sora"].status == "retired"
    assert "September 2026" in (catalogue["sora"].status_reason or "")
    assert catalogue["creatomate"].options == {"captions": ["scene", "transcribed"]}


@pytest.mark.parametrize("provider", [d.id for d in registry.all_providers() if not d.retired])
def test_every_steps_choice_is_a_provider_that_runs_it(platform: Platform, provider: str) -> None:
    """With any one provider connected (and validated), each step it covers either
    runs that provider, because it runs the step, or says why not and falls back."""
    iid = _add(platform, provider)
    info = registry.get_provider(provider)
    readiness = svc.integration_readiness(platform=platform, uid="u1")
    for step in readiness.steps:
        capability = STEP_CAPABILITY[step.step]
        if step.provider is not None:
            assert registry.get_provider(step.provider).runs(capability)
        if step.step in info.categories:
            if info.runs(capability):
                assert step.integration_id == iid
            else:
                assert step.integration_id is None
                assert [n.integration_id for n in step.not_used] == [iid]
        resolved = svc.active_integration_for(platform=platform, uid="u1", category=step.step)
        if resolved is not None:
            assert registry.get_provider(resolved.provider).runs(capability)
