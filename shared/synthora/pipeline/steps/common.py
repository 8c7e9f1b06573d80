"""What every step shares: the provider choice, the video's template, stored inputs.

A step picks its provider with `choose`: the integration chosen for the step,
else the user's best integration that really runs it (the services decide,
through `run.services`), else the offline provider. `used` records that a step
really called an integration (only then is its `last_used_at` stamped).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synthora.pipeline.hooks import IntegrationRefused
from synthora.pipeline.models import CATEGORY, OFFLINE, ResolvedIntegration, Step
from synthora.pipeline.runner import StepRun
from synthora.providers.base import Capability
from synthora.providers.errors import ProviderError
from synthora.providers.registry import client_for, get_provider
from synthora.script.models import Script
from synthora.templates.config import TemplateConfig


@dataclass
class Choice:
    provider: str  # provider id, or "offline"
    integration_id: str | None = None
    api_key: str | None = None
    options: dict[str, str] | None = None

    @property
    def offline(self) -> bool:
        return self.integration_id is None


def choose(run: StepRun, step: Step) -> Choice:
    """The integration chosen for this step, the user's best one, or the offline provider.

    A step that fell back (`state.fallback`, see pipeline/fallback.py) uses the
    provider it fell back to; integrations that already failed in this video
    (`avoid_integrations`) are never chosen again.
    """
    fallback = run.state.fallback
    if fallback is not None:
        if fallback.to_integration_id is None:
            return _noted(run, Choice(provider=OFFLINE))
        resolved = _resolve(run, step, fallback.to_integration_id)
        return _noted(run, Choice(provider=OFFLINE) if resolved is None else _choice(resolved))
    wanted = run.video.integrations.get(step, "auto")
    if wanted in (None, OFFLINE):
        return _noted(run, Choice(provider=OFFLINE))
    avoid = tuple(run.video.avoid_integrations)
    if wanted in avoid:
        wanted = "auto"
    resolved = _resolve(run, step, None if wanted == "auto" else wanted, exclude=avoid)
    if resolved is None:
        return _noted(run, Choice(provider=OFFLINE))
    return _noted(run, _choice(resolved))


def _noted(run: StepRun, choice: Choice) -> Choice:
    """Keep the choice on the running step's state, so a failure can name what failed."""
    run.state.provider = choice.provider
    run.state.integration_id = choice.integration_id
    return choice


def choose_again(run: StepRun, step: Step, integration_id: str | None) -> Choice:
    """The same integration as when the job was submitted (a poll must ask the same account)."""
    resolved = _resolve(run, step, integration_id)
    if resolved is None:
        raise ProviderError(
            "the integration used for this job is gone",
            provider="unknown",
            code="integration_missing",
        )
    return _noted(run, _choice(resolved))


def _choice(resolved: ResolvedIntegration) -> Choice:
    return Choice(
        provider=resolved.provider,
        integration_id=resolved.integration_id,
        api_key=resolved.api_key,
        options=dict(resolved.options),
    )


def _resolve(
    run: StepRun, step: Step, integration_id: str | None, exclude: tuple[str, ...] = ()
) -> ResolvedIntegration | None:
    """The user's integration for the step; an unusable one fails the step, not the queue."""
    try:
        return run.services.integration_for(
            platform=run.platform,
            uid=run.video.owner_id,
            category=CATEGORY[step],
            integration_id=integration_id,
            exclude=exclude,
        )
    except IntegrationRefused as exc:
        # e.g. the integration chosen for a retry was deleted or switched off meanwhile
        raise ProviderError(
            f"the integration chosen for the {step.value} step cannot be used: {exc.message}",
            provider="synthora",
            code=exc.code,
            payload={"integration_id": integration_id, "details": exc.details},
        ) from exc


def client(capability: Capability, choice: Choice) -> Any:
    """The chosen provider's client for `capability`; None when offline or it has none."""
    if choice.offline:
        return None
    if not choice.api_key and not get_provider(choice.provider).key_optional:
        return None
    factory = client_for(capability, choice.provider)
    if factory is None:
        return None
    return factory(choice.api_key, None, choice.options or {})


def client_again(capability: Capability, choice: Choice) -> Any:
    """The client of the provider a job was submitted to (a poll asks the same one)."""
    found = client(capability, choice)
    if found is None:
        raise ProviderError(
            f"{choice.provider} cannot run {capability.value} any more",
            provider=choice.provider,
            code="provider_unavailable",
        )
    return found


def used(run: StepRun, choice: Choice) -> str | None:
    """Record that the step called the chosen integration; its id for the step's record."""
    if choice.integration_id is None:
        return None
    run.services.mark_used(
        platform=run.platform, uid=run.video.owner_id, integration_id=choice.integration_id
    )
    return choice.integration_id


def config_of(run: StepRun) -> TemplateConfig:
    return TemplateConfig.model_validate(run.video.config)


def render_scale() -> float:
    """Renders are full size; tests and previews shrink them with SYNTHORA_RENDER_SCALE."""
    try:
        return min(1.0, max(0.1, float(os.environ.get("SYNTHORA_RENDER_SCALE", "1"))))
    except ValueError:
        return 1.0


def load_json(run: StepRun, key: str) -> Any:
    return json.loads(run.platform.blobs.get_bytes(key))


def load_script(run: StepRun) -> Script:
    return Script.model_validate(load_json(run, run.outputs_of(Step.script)["script_key"]))


def palette(config: TemplateConfig) -> list[str]:
    p = config.visual_style.color_palette
    return [p.background, p.secondary, p.primary, p.accent]


def content_type(path: Path) -> str:
    return {
        ".mp4": "video/mp4",
        ".mov": "video/quicktime",
        ".webm": "video/webm",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".png": "image/png",
        ".webp": "image/webp",
    }.get(path.suffix.lower(), "application/octet-stream")


def scene_inputs(run: StepRun) -> tuple[Script, list[dict[str, Any]], list[dict[str, Any]]]:
    script = load_script(run)
    voice = load_json(run, run.outputs_of(Step.voice)["voice_key"])["scenes"]
    media = load_json(run, run.outputs_of(Step.media)["media_key"])["assets"]
    return script, voice, media
