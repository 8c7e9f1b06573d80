"""The OpenAI script writer: Chat Completions with Structured Outputs.

The model is asked for the words only (title, hook, per-scene narration,
on-screen text, keywords, CTA, hashtags) through a strict `json_schema`
response format; scene durations are computed here from the narration and the
template's voice speed, exactly as the offline writer does, so the timing never
depends on a model's arithmetic.

Every failure becomes a `ProviderError` (provider "openai") carrying the
status, OpenAI's error code, Retry-After and the full error body, so the step
can show it and be retried, possibly with another integration.
"""

from __future__ import annotations

import json
from typing import Any, cast

import httpx
import httpx2
import openai
from openai.types.chat import ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from synthora.logs import fields, get_logger
from synthora.providers_errors import ProviderError, error_from_response
from synthora.script.models import Script, ScriptScene, estimate_narration_seconds
from synthora.script.offline import MIN_SCENE_S, SCENE_TAIL_S, hashtags_for, keywords_for
from synthora.templates.config import CtaType, TemplateConfig

log = get_logger(__name__)

PROVIDER = "openai"
DEFAULT_MODEL = "gpt-4o-mini"
_SCHEMA_NAME = "video_script"
# Keywords Structured Outputs may refuse in strict mode; the bounds are
# enforced by `Script` after parsing anyway.
_UNSUPPORTED_KEYWORDS = frozenset(
    {"default", "maxLength", "minLength", "maxItems", "minItems", "pattern", "format", "title"}
)


class _HttpxBridge(httpx2.BaseTransport):
    """Carries the SDK's requests over an `httpx.Client`.

    The `openai` SDK speaks through `httpx2`; every other provider call in
    Synthora goes through `httpx`. Bridging keeps one HTTP stack (its timeouts,
    proxies and the respx routes the tests use for every provider) while the
    SDK still builds the requests and parses the answers.
    """

    _HOP_HEADERS = frozenset({"host", "content-length", "content-encoding", "transfer-encoding"})

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        headers = [
            (k, v) for k, v in request.headers.multi_items() if k.lower() not in self._HOP_HEADERS
        ]
        try:
            response = self._client.request(
                request.method, str(request.url), headers=headers, content=request.read()
            )
        except httpx.TimeoutException as exc:
            raise httpx2.ReadTimeout(str(exc), request=request) from exc
        except httpx.TransportError as exc:
            raise httpx2.ConnectError(str(exc), request=request) from exc
        # httpx already decoded the body, so its encoding headers no longer apply.
        return httpx2.Response(
            response.status_code,
            headers=[
                (k, v)
                for k, v in response.headers.multi_items()
                if k.lower() not in self._HOP_HEADERS
            ],
            content=response.content,
            request=request,
        )

    def close(self) -> None:
        self._client.close()


class DraftScene(BaseModel):
    model_config = ConfigDict(extra="forbid")

    narration: str = Field(description="What the voiceover says in this scene.")
    on_screen_text: str = Field(description="At most 6 words shown over the scene.")
    visual_keywords: list[str] = Field(
        description="2-5 concrete nouns to search stock footage for."
    )
    emphasis_words: list[str] = Field(description="Up to 3 words of the narration to highlight.")


class ScriptDraft(BaseModel):
    """What the model writes; `Script` adds indexes and timings."""

    model_config = ConfigDict(extra="forbid")

    title: str
    hook: str = Field(description="The opening line; also the first words of scene 1.")
    scenes: list[DraftScene]
    cta: str = Field(description="The closing call to action; empty if none is wanted.")
    hashtags: list[str] = Field(description="Hashtags starting with #, no spaces.")
    description: str = Field(description="One or two sentences for the post.")


def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """`model`'s JSON schema in the shape strict Structured Outputs accepts.

    Every object lists all its properties as required and forbids others;
    keywords strict mode may refuse are dropped.
    """
    fixed = _strict(model.model_json_schema())
    assert isinstance(fixed, dict)
    return fixed


def _strict(node: Any) -> Any:
    if isinstance(node, list):
        return [_strict(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _UNSUPPORTED_KEYWORDS:
            continue
        if key in ("properties", "$defs") and isinstance(value, dict):
            # Maps of names to schemas: keep every name (a property may well
            # be called "title"), fix each schema.
            out[key] = {name: _strict(sub) for name, sub in value.items()}
        else:
            out[key] = _strict(value)
    if isinstance(out.get("properties"), dict):
        out["required"] = list(out["properties"])
        out["additionalProperties"] = False
    return out


def build_messages(
    *, topic: str, config: TemplateConfig, instructions: str | None
) -> list[dict[str, str]]:
    """The system and user messages, built from the template's config."""
    vs = config.video_structure
    s = config.script
    speed = config.audio.voice_speed
    words_total = int(vs.duration.target_seconds * 2.5 * speed)
    cta = (
        f'End with exactly this call to action: "{s.cta_text}".'
        if s.cta_text
        else (
            "Do not add a call to action; leave cta empty."
            if s.cta_type is CtaType.NONE
            else f"End with a short call to action of type '{s.cta_type.value}'."
        )
    )
    system = "\n".join(
        line
        for line in (
            "You write scripts for short vertical social videos. Write for the ear: short, "
            "concrete sentences a voice actor can read aloud. Never invent statistics, "
            "quotes or facts you cannot be sure of. No scene labels, no stage directions.",
            f"Hook style: {vs.hook_style.value.replace('_', ' ')}.",
            f"Structure: {vs.narrative_structure.value.replace('_', ' ')}.",
            f"Pacing: {vs.pacing.value}. Voice tone: {config.audio.voice_tone.value}.",
            f"Exactly {vs.num_scenes} scenes. The video lasts {vs.duration.min_seconds}-"
            f"{vs.duration.max_seconds} seconds: about {words_total} spoken words in total, "
            f"spread evenly over the scenes.",
            "The first scene's narration starts with the hook; the last scene's narration "
            "ends with the call to action.",
            cta,
            f"Structure guidance: {s.script_structure_prompt}" if s.script_structure_prompt else "",
            f"Tone: {s.tone_instructions}" if s.tone_instructions else "",
        )
        if line
    )
    user = f"Topic: {topic.strip()}"
    if instructions and instructions.strip():
        user += f"\nCreator's instructions: {instructions.strip()}"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def write_script_openai(
    *,
    api_key: str,
    topic: str,
    config: TemplateConfig,
    instructions: str | None = None,
    model: str = DEFAULT_MODEL,
    base_url: str | None = None,
    timeout_s: float = 60,
) -> Script:
    """Write a script with OpenAI; raises `ProviderError` on any failure."""
    if not topic.strip():
        raise ValueError("topic must not be empty")
    # Retries are the pipeline's job (Cloud Tasks backoff, integration swap);
    # retrying inside the SDK would only hide the error and burn the deadline.
    response_format: ResponseFormatJSONSchema = {
        "type": "json_schema",
        "json_schema": {
            "name": _SCHEMA_NAME,
            "strict": True,
            "schema": strict_json_schema(ScriptDraft),
        },
    }
    transport = _HttpxBridge(httpx.Client(timeout=timeout_s))
    client = openai.OpenAI(
        api_key=api_key,
        base_url=base_url,
        timeout=timeout_s,
        max_retries=0,
        http_client=httpx2.Client(transport=transport, timeout=timeout_s),
    )
    try:
        completion = client.chat.completions.create(
            model=model,
            messages=cast(
                "list[ChatCompletionMessageParam]",
                build_messages(topic=topic, config=config, instructions=instructions),
            ),
            response_format=response_format,
            temperature=0.8,
        )
    except openai.APITimeoutError as exc:
        raise ProviderError(
            f"OpenAI did not answer within {timeout_s:g} s",
            provider=PROVIDER,
            code="timeout",
            payload={"exception": type(exc).__name__, "detail": str(exc)},
        ) from None
    except openai.APIConnectionError as exc:
        raise ProviderError(
            "OpenAI could not be reached",
            provider=PROVIDER,
            code="unreachable",
            payload={"exception": type(exc).__name__, "detail": str(exc)},
        ) from None
    except openai.APIStatusError as exc:
        raise _status_error(exc) from None
    finally:
        client.close()

    draft = _parse(completion)
    script = _to_script(draft, topic=topic, config=config)
    log.info(
        "openai script written",
        extra={"fields": fields(model=model, scenes=len(script.scenes))},
    )
    return script


def _status_error(exc: openai.APIStatusError) -> ProviderError:
    # The SDK's response is an httpx2 one; it has the same status, headers and
    # body accessors that `error_from_response` reads.
    response: Any = exc.response
    err = error_from_response(PROVIDER, response)
    if err.status_code == 401:
        err.message = f"OpenAI refused the API key: {err.message}"
        err.args = (err.message,)
    return err


def _parse(completion: Any) -> ScriptDraft:
    raw = completion.model_dump(mode="json") if hasattr(completion, "model_dump") else completion
    if not completion.choices:
        raise ProviderError(
            "OpenAI returned no choices", provider=PROVIDER, code="invalid_response", payload=raw
        )
    choice = completion.choices[0]
    message = choice.message
    if getattr(message, "refusal", None):
        raise ProviderError(
            f"OpenAI refused to write this script: {message.refusal}",
            provider=PROVIDER,
            code="refusal",
            payload=raw,
        )
    if choice.finish_reason == "length":
        raise ProviderError(
            "OpenAI stopped before finishing the script (token limit)",
            provider=PROVIDER,
            code="truncated",
            payload=raw,
        )
    try:
        return ScriptDraft.model_validate(json.loads(message.content or ""))
    except (ValueError, ValidationError) as exc:
        raise ProviderError(
            f"OpenAI returned a script that is not valid JSON for the schema: {exc}",
            provider=PROVIDER,
            code="invalid_response",
            payload=raw,
        ) from None


def _to_script(draft: ScriptDraft, *, topic: str, config: TemplateConfig) -> Script:
    speed = config.audio.voice_speed
    scenes: list[ScriptScene] = []
    for i, scene in enumerate(s for s in draft.scenes if s.narration.strip()):
        seconds = max(
            MIN_SCENE_S,
            estimate_narration_seconds(scene.narration, voice_speed=speed) + SCENE_TAIL_S,
        )
        scenes.append(
            ScriptScene(
                index=i,
                narration=scene.narration,
                on_screen_text=scene.on_screen_text.strip()[:120],
                visual_keywords=(scene.visual_keywords or keywords_for(topic, scene.narration))[
                    :10
                ],
                duration_s=round(seconds, 2),
                emphasis_words=scene.emphasis_words[:10],
            )
        )
    if not scenes:
        raise ProviderError(
            "OpenAI returned a script with no narration",
            provider=PROVIDER,
            code="invalid_response",
            payload=draft.model_dump(),
        )
    d = config.video_structure.duration
    total = sum(s.duration_s for s in scenes)
    if total < d.min_seconds:  # hold visuals longer rather than change the words
        extra = (d.min_seconds - total) / len(scenes)
        scenes = [
            s.model_copy(update={"duration_s": round(s.duration_s + extra, 2)}) for s in scenes
        ]
    # Keep only well-formed tags from the model, then the template's own.
    tags = [t.strip() for t in draft.hashtags if t.strip()]
    tags = [t if t.startswith("#") else f"#{t}" for t in tags]
    tags = [t for t in tags if t[1:].replace("_", "").isalnum() and len(t) <= 51]
    hashtags = hashtags_for(topic, config.platform.suggested_hashtags)
    merged = list(dict.fromkeys([*tags, *hashtags]))[:15]
    try:
        return Script(
            title=draft.title.strip()[:120] or topic.strip()[:120],
            hook=(draft.hook.strip() or scenes[0].narration)[:300],
            scenes=scenes,
            cta=draft.cta.strip()[:300],
            hashtags=merged,
            description=draft.description.strip()[:2000],
            total_duration_s=round(sum(s.duration_s for s in scenes), 2),
        )
    except ValidationError as exc:
        raise ProviderError(
            f"OpenAI's script failed validation: {exc}",
            provider=PROVIDER,
            code="invalid_response",
            payload=draft.model_dump(),
        ) from None


__all__ = [
    "DEFAULT_MODEL",
    "ScriptDraft",
    "build_messages",
    "strict_json_schema",
    "write_script_openai",
]
