"""The analyses the API shows and the generators store: the analysers over a loaded history.

Content ideas use the creator's OpenAI key when they have one (the script
integration, provider `openai`): the model gets the creator's best topics,
templates and setting values (`synthora.suggestions.ideas.grounding`) and
answers through Structured Outputs. A refusal, a malformed answer or any
provider error falls back to the offline ideas, with `ai_error` saying why.
With too little history no model is asked: there is nothing to ground it in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from synthora.errors import ApiError
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.providers import openai as openai_provider
from synthora.providers.errors import ProviderError
from synthora.services import analytics, integrations
from synthora.services.suggestions.history import load_history, platform_prior
from synthora.services.videos import get_owned_video
from synthora.suggestions import (
    History,
    PredictionInput,
    attribution,
    improvements,
    offline_ideas,
    posting_times,
    predict,
    settings_of,
    trends,
)
from synthora.suggestions.attribution import Attribution
from synthora.suggestions.ideas import Idea, Ideas, Prefill, best_choices, grounding
from synthora.suggestions.improvements import Improvements
from synthora.suggestions.posting_times import PostingTimes, Slot
from synthora.suggestions.prediction import Prediction
from synthora.suggestions.trends import Trends

log = get_logger(__name__)

HEATMAP_DAYS = 90
SocialName = Literal["youtube", "tiktok", "instagram", "facebook"]


class VideoPrediction(Prediction):
    video_id: str
    template_id: str
    planned_hour: int | None = Field(description="Local hour the prediction assumes (or none).")


def history_of(*, platform: Platform, uid: str, now: datetime | None = None) -> History:
    return load_history(platform=platform, uid=uid, now=now)


def attribution_for(*, platform: Platform, uid: str, history: History | None = None) -> Attribution:
    return attribution(history or history_of(platform=platform, uid=uid))


def posting_times_for(
    *, platform: Platform, uid: str, history: History | None = None
) -> PostingTimes:
    history = history or history_of(platform=platform, uid=uid)
    slots: dict[str, list[Slot]] = {}
    for social in sorted({o.platform for o in history.observations}):
        heat = analytics.heatmap(
            platform=platform,
            uid=uid,
            days=HEATMAP_DAYS,
            social=social,
            tz=history.timezone,
            now=history.now,
        )
        slots[social] = [Slot.model_validate(b.model_dump()) for b in heat.best_slots]
    return posting_times(history, slots=slots)


def trends_for(*, platform: Platform, uid: str, history: History | None = None) -> Trends:
    return trends(history or history_of(platform=platform, uid=uid))


def improvements_for(
    *, platform: Platform, uid: str, history: History | None = None
) -> Improvements:
    return improvements(history or history_of(platform=platform, uid=uid))


def _openai_key(platform: Platform, uid: str) -> str | None:
    try:
        found = integrations.active_integration_for(
            platform=platform, uid=uid, category="script", provider="openai"
        )
    except ApiError:
        return None  # a key that cannot be decrypted: the offline ideas still work
    return found.api_key if found is not None else None


def content_ideas_for(
    *, platform: Platform, uid: str, history: History | None = None, use_ai: bool = True
) -> Ideas:
    history = history or history_of(platform=platform, uid=uid)
    offline = offline_ideas(history)
    key = _openai_key(platform, uid) if use_ai else None
    if key is None or offline.status != "ok":
        return offline
    ground = grounding(history)
    attr = attribution(history)
    choices, evidence = best_choices(attr)
    template = attr.dimension("template")
    best_template_name = template.values[0].value if template and template.values else None
    template_id = next(
        (
            o.template_id
            for o in history.observations
            if best_template_name and o.template_name == best_template_name
        ),
        offline.ideas[0].prefill.template_id,
    )
    try:
        draft = openai_provider.suggest_content_ideas(
            api_key=key,
            best_topics=ground.best_topics,
            best_templates=ground.best_templates,
            best_settings=ground.best_settings,
            weak_settings=ground.weak_settings,
        )
    except ProviderError as exc:
        log.warning(
            "openai content ideas failed; offline ideas shown",
            extra=fields(uid=uid, code=exc.code, status=exc.status_code),
        )
        return offline.model_copy(update={"ai_error": f"{exc.code}: {exc.message}"})
    ideas = []
    for d in draft.ideas:
        topic = " ".join(d.topic.split())[:200]
        if len(topic) < 3:
            continue
        why = d.why.strip()
        if evidence:
            why += " Pre-filled with your best settings (" + "; ".join(evidence) + ")."
        ideas.append(
            Idea(
                topic=topic,
                angle=d.angle.strip(),
                why=why,
                source="openai",
                prefill=Prefill(template_id=template_id, topic=topic, choices=choices),
            )
        )
    if not ideas:
        return offline.model_copy(update={"ai_error": "invalid_response: no usable ideas"})
    return Ideas(status="ok", message=None, basis=offline.basis, source="openai", ideas=ideas[:5])


def predict_video(
    *,
    platform: Platform,
    uid: str,
    video_id: str,
    social: SocialName | None = None,
    hour: int | None = None,
    history: History | None = None,
) -> VideoPrediction:
    """The expected views of one of my videos, on a platform, at a planned local hour."""
    video = get_owned_video(platform=platform, uid=uid, video_id=video_id)
    history = history or history_of(platform=platform, uid=uid)
    targets = ((video.config.get("platform") or {}).get("target_platforms")) or ["tiktok"]
    chosen = social or str(targets[0])
    duration = video.outputs.duration_s if video.outputs else None
    settings = settings_of(video.config, duration)
    result = predict(
        history,
        PredictionInput(
            platform=chosen, settings=settings, template=video.template_name, hour=hour
        ),
        prior=platform_prior(platform=platform, social=chosen),
    )
    return VideoPrediction(
        **result.model_dump(), video_id=video.id, template_id=video.template_id, planned_hour=hour
    )
