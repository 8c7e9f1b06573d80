"""OpenAI: the script writer (Chat Completions with Structured Outputs) and OpenAI
TTS voices, with one API key.

The OpenAI script writer: Chat Completions with Structured Outputs.

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

import functools
import json
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from synthora.logs import fields, get_logger
from synthora.media import binaries
from synthora.providers.base import (
    Capability,
    IntegrationCategory,
    KeyFormat,
    ProviderDeclaration,
    Runs,
    ValidationEndpoint,
    bearer,
)
from synthora.providers.contracts import VoiceRequest, Word
from synthora.providers.errors import ProviderError, error_from_response
from synthora.providers.http import HttpProvider, audio_duration
from synthora.providers.keycheck import (
    HttpValidator,
    bearer_probe,
    count_detail,
)
from synthora.providers.speech import (
    TimedVoiceResult,
    ToneGroup,
    estimate_words,
    split_text,
    tone_group,
)
from synthora.script.models import Script, ScriptScene, estimate_narration_seconds
from synthora.script.offline import MIN_SCENE_S, SCENE_TAIL_S, hashtags_for, keywords_for
from synthora.templates.config import CtaType, TemplateConfig

if TYPE_CHECKING:
    # The SDK (and its httpx2) is imported where a call is made, not with the
    # module: the provider registry imports every provider, and the SDK's type
    # tree alone took over a second of every function's cold start.
    import openai as openai_sdk
    from openai.types.chat import ChatCompletion
    from openai.types.shared_params import ResponseFormatJSONSchema

ID = "openai"
DISPLAY_NAME = "OpenAI"

#: OpenAI secret keys (also used by Sora).
OPENAI_KEY_FORMAT = KeyFormat(
    pattern=r"sk-[A-Za-z0-9_\-]{20,}",
    description="Secret keys start with `sk-` (project keys `sk-proj-`).",
)

log = get_logger(__name__)

M = TypeVar("M", bound=BaseModel)

DEFAULT_MODEL = "gpt-4o-mini"
_SCHEMA_NAME = "video_script"
# Keywords Structured Outputs may refuse in strict mode; the bounds are
# enforced by `Script` after parsing anyway.
_UNSUPPORTED_KEYWORDS = frozenset(
    {"default", "maxLength", "minLength", "maxItems", "minItems", "pattern", "format", "title"}
)


@functools.cache
def _bridge_class() -> type[Any]:
    """The `httpx2` transport carrying the SDK's requests over an `httpx.Client`.

    The `openai` SDK speaks through `httpx2`; every other provider call in
    Synthora goes through `httpx`. Bridging keeps one HTTP stack (its timeouts,
    proxies and the respx routes the tests use for every provider) while the
    SDK still builds the requests and parses the answers. Built on first use
    (`httpx2` is imported with the SDK, never at cold start).
    """
    import httpx2

    class HttpxBridge(httpx2.BaseTransport):  # type: ignore[misc]
        _HOP_HEADERS = frozenset(
            {"host", "content-length", "content-encoding", "transfer-encoding"}
        )

        def __init__(self, client: httpx.Client) -> None:
            self._client = client

        def handle_request(self, request: httpx2.Request) -> httpx2.Response:
            headers = [
                (k, v)
                for k, v in request.headers.multi_items()
                if k.lower() not in self._HOP_HEADERS
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

    return HttpxBridge


def _chat_completion(
    *,
    api_key: str,
    base_url: str | None,
    timeout_s: float,
    model: str,
    messages: list[dict[str, str]],
    response_format: ResponseFormatJSONSchema,
    temperature: float,
) -> ChatCompletion:
    """One Chat Completions call through the SDK; every failure as a `ProviderError`."""
    import httpx2
    import openai as openai_sdk

    transport = _bridge_class()(httpx.Client(timeout=timeout_s))
    client = openai_sdk.OpenAI(
        api_key=api_key,
        base_url=base_url,
        timeout=timeout_s,
        max_retries=0,
        http_client=httpx2.Client(transport=transport, timeout=timeout_s),
    )
    try:
        return client.chat.completions.create(
            model=model,
            messages=cast("Any", messages),
            response_format=response_format,
            temperature=temperature,
        )
    except openai_sdk.APITimeoutError as exc:
        raise ProviderError(
            f"OpenAI did not answer within {timeout_s:g} s",
            provider=ID,
            code="timeout",
            payload={"exception": type(exc).__name__, "detail": str(exc)},
        ) from None
    except openai_sdk.APIConnectionError as exc:
        raise ProviderError(
            "OpenAI could not be reached",
            provider=ID,
            code="unreachable",
            payload={"exception": type(exc).__name__, "detail": str(exc)},
        ) from None
    except openai_sdk.APIStatusError as exc:
        raise _status_error(exc) from None
    finally:
        client.close()


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
    draft = complete_structured(
        api_key=api_key,
        messages=build_messages(topic=topic, config=config, instructions=instructions),
        schema=ScriptDraft,
        schema_name=_SCHEMA_NAME,
        what="write this script",
        model=model,
        base_url=base_url,
        timeout_s=timeout_s,
        temperature=0.8,
    )
    script = draft_to_script(draft, topic=topic, config=config)
    log.info(
        "openai script written",
        extra={"fields": fields(model=model, scenes=len(script.scenes))},
    )
    return script


def complete_structured(
    *,
    api_key: str,
    messages: list[dict[str, str]],
    schema: type[M],
    schema_name: str,
    what: str,
    model: str = DEFAULT_MODEL,
    base_url: str | None = None,
    timeout_s: float = 60,
    temperature: float = 0.8,
) -> M:
    """One Chat Completions call with a strict `json_schema` response format, parsed into `schema`.

    Structured Outputs (https://platform.openai.com/docs/guides/structured-outputs):
    the answer is `choices[0].message.content` as JSON for the schema, or
    `message.refusal` when the model declines; `finish_reason == "length"` means
    it was cut off. Each of those, a transport failure and an error status
    become a `ProviderError` (provider "openai"); `what` names the task in the
    messages ("OpenAI refused to {what}").
    """
    # Retries are the caller's job (Cloud Tasks backoff, integration swap);
    # retrying inside the SDK would only hide the error and burn the deadline.
    response_format: ResponseFormatJSONSchema = {
        "type": "json_schema",
        "json_schema": {
            "name": schema_name,
            "strict": True,
            "schema": strict_json_schema(schema),
        },
    }
    completion = _chat_completion(
        api_key=api_key, base_url=base_url, timeout_s=timeout_s, model=model,
        messages=messages, response_format=response_format, temperature=temperature,
    )  # fmt: skip
    return _parse(completion, schema, what)


def _status_error(exc: openai_sdk.APIStatusError) -> ProviderError:
    # The SDK's response is an httpx2 one; it has the same status, headers and
    # body accessors that `error_from_response` reads.
    response: Any = exc.response
    err = error_from_response(ID, response)
    if err.status_code == 401:
        err.message = f"OpenAI refused the API key: {err.message}"
        err.args = (err.message,)
    return err


def _parse(completion: Any, schema: type[M], what: str) -> M:
    raw = completion.model_dump(mode="json") if hasattr(completion, "model_dump") else completion
    if not completion.choices:
        raise ProviderError(
            "OpenAI returned no choices", provider=ID, code="invalid_response", payload=raw
        )
    choice = completion.choices[0]
    message = choice.message
    if getattr(message, "refusal", None):
        raise ProviderError(
            f"OpenAI refused to {what}: {message.refusal}",
            provider=ID,
            code="refusal",
            payload=raw,
        )
    if choice.finish_reason == "length":
        raise ProviderError(
            f"OpenAI stopped before finishing (token limit) when asked to {what}",
            provider=ID,
            code="truncated",
            payload=raw,
        )
    try:
        return schema.model_validate(json.loads(message.content or ""))
    except (ValueError, ValidationError) as exc:
        raise ProviderError(
            f"OpenAI returned an answer that is not valid JSON for the schema: {exc}",
            provider=ID,
            code="invalid_response",
            payload=raw,
        ) from None


def draft_to_script(
    draft: ScriptDraft,
    *,
    topic: str,
    config: TemplateConfig,
    provider: str = ID,
    label: str = DISPLAY_NAME,
) -> Script:
    """The model's words as a `Script`, timed as the offline writer times its own.

    Shared by every chat-completions writer (OpenAI, the OpenAI-compatible
    servers); `provider`/`label` name the writer in errors.
    """
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
            f"{label} returned a script with no narration",
            provider=provider,
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
            f"{label}'s script failed validation: {exc}",
            provider=provider,
            code="invalid_response",
            payload=draft.model_dump(),
        ) from None


# --------------------------------------------------------------------------- content ideas


class IdeaDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str = Field(description="The next video's topic, 3-120 characters, no hashtags.")
    angle: str = Field(description="The angle in a few words.")
    why: str = Field(description="Which of the creator's results it builds on, in one sentence.")


class IdeasDraft(BaseModel):
    """What the model returns for content ideas."""

    model_config = ConfigDict(extra="forbid")

    ideas: list[IdeaDraft]


def build_idea_messages(
    *,
    best_topics: list[str],
    best_templates: list[str],
    best_settings: list[str],
    weak_settings: list[str],
    count: int,
) -> list[dict[str, str]]:
    """Messages grounded in the creator's own results (never invented world trends)."""
    system = (
        "You suggest topics for a creator's next short vertical videos. Build only on the "
        "creator's own results given below: follow-ups, new angles on what worked, the same "
        "shape of topic in a neighbouring subject. Do not claim anything is trending, and do "
        "not invent statistics. In `why`, name the result each idea builds on."
    )
    lines = [f"Suggest {count} video topics."]
    for title, items in (
        ("Best topics (x the creator's median views)", best_topics),
        ("Templates by performance", best_templates),
        ("Settings that performed best", best_settings),
        ("Settings that performed worst", weak_settings),
    ):
        if items:
            lines.append(f"{title}:\n" + "\n".join(f"- {i}" for i in items))
    return [{"role": "system", "content": system}, {"role": "user", "content": "\n\n".join(lines)}]


def suggest_content_ideas(
    *,
    api_key: str,
    best_topics: list[str],
    best_templates: list[str],
    best_settings: list[str],
    weak_settings: list[str],
    count: int = 5,
    model: str = DEFAULT_MODEL,
    base_url: str | None = None,
    timeout_s: float = 45,
) -> IdeasDraft:
    """Content ideas from OpenAI (Structured Outputs); raises `ProviderError` on any failure."""
    draft = complete_structured(
        api_key=api_key,
        messages=build_idea_messages(
            best_topics=best_topics,
            best_templates=best_templates,
            best_settings=best_settings,
            weak_settings=weak_settings,
            count=count,
        ),
        schema=IdeasDraft,
        schema_name="content_ideas",
        what="suggest content ideas",
        model=model,
        base_url=base_url,
        timeout_s=timeout_s,
        temperature=0.9,
    )
    log.info("openai content ideas", extra={"fields": fields(model=model, ideas=len(draft.ideas))})
    return draft


__all__ = [
    "DEFAULT_MODEL",
    "IdeasDraft",
    "ScriptDraft",
    "build_idea_messages",
    "build_messages",
    "complete_structured",
    "draft_to_script",
    "strict_json_schema",
    "suggest_content_ideas",
    "write_script_openai",
]


# --------------------------------------------------------------------------- OpenAI TTS


# Built-in voices of /v1/audio/speech, by gender impression and tone group.
OPENAI_VOICES: dict[str, dict[ToneGroup, str]] = {
    "female": {"friendly": "coral", "calm": "shimmer", "energetic": "nova", "professional": "sage"},
    "male": {"friendly": "ash", "calm": "onyx", "energetic": "echo", "professional": "onyx"},
    "neutral": {
        "friendly": "alloy",
        "calm": "alloy",
        "energetic": "alloy",
        "professional": "alloy",
    },
}

# The API refuses inputs longer than this; longer scripts are sent in chunks.
OPENAI_TTS_MAX_INPUT = 4096


class OpenAITTSVoice(HttpProvider):
    """OpenAI text-to-speech (`POST /v1/audio/speech`).

    The API returns audio only, so word timings are estimated from the measured
    duration (see `estimate_words`) and the result says so (`words_estimated`).
    """

    name = ID
    default_base_url = "https://api.openai.com/v1"

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        model: str = "gpt-4o-mini-tts",
        response_format: Literal["mp3", "wav"] = "mp3",
    ) -> None:
        super().__init__(api_key=api_key, client=client, base_url=base_url)
        self.model = model
        self.response_format = response_format

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}"}

    @staticmethod
    def choose_voice(request: VoiceRequest) -> str:
        return OPENAI_VOICES[request.gender][tone_group(request.tone)]

    def _speak(self, *, text: str, voice: str, request: VoiceRequest, out_path: Path) -> None:
        body: dict[str, object] = {
            "model": self.model,
            "input": text,
            "voice": voice,
            "response_format": self.response_format,
            "speed": request.speed,
        }
        if not self.model.startswith("tts-1"):
            # Only gpt-4o-mini-tts understands instructions; tts-1 refuses them.
            body["instructions"] = f"Speak in a {request.tone} tone."
        response = self.request(
            "POST",
            self.url("/audio/speech"),
            json_body=body,
            headers={"Accept": "audio/*"},
        )
        if not response.content:
            raise self.invalid("openai returned empty audio", None)
        out_path.write_bytes(response.content)

    def synthesize(self, *, request: VoiceRequest, out_dir: Path) -> TimedVoiceResult:
        voice = self.choose_voice(request)
        out_dir.mkdir(parents=True, exist_ok=True)
        ext = self.response_format
        audio_path = out_dir / f"voice.{ext}"
        chunks = split_text(request.text, limit=OPENAI_TTS_MAX_INPUT)

        if len(chunks) == 1:
            self._speak(text=chunks[0], voice=voice, request=request, out_path=audio_path)
            duration = audio_duration(audio_path, provider=self.name)
            words = estimate_words(chunks[0], duration_s=duration)
        else:
            words, duration = self._speak_chunks(
                chunks=chunks, voice=voice, request=request, audio_path=audio_path
            )
        return TimedVoiceResult(
            audio_path=audio_path,
            format=ext,
            duration_s=duration,
            words=words,
            provider=self.name,
            voice_id=voice,
            words_estimated=True,
            timing_method="syllable-proportional-estimate",
        )

    def _speak_chunks(
        self, *, chunks: list[str], voice: str, request: VoiceRequest, audio_path: Path
    ) -> tuple[list[Word], float]:
        """Synthesize each chunk, estimate its words on its own measured duration
        (so errors do not accumulate across chunks), then join the audio."""
        ffmpeg = binaries.ffmpeg_path()
        if ffmpeg is None:
            raise ProviderError(
                "openai: the script is longer than one request and ffmpeg is not installed",
                provider=self.name,
                code="ffmpeg_missing",
            )
        words: list[Word] = []
        offset = 0.0
        with tempfile.TemporaryDirectory(dir=audio_path.parent) as tmp:
            parts: list[Path] = []
            for index, chunk in enumerate(chunks):
                part = Path(tmp) / f"part{index:03d}.{self.response_format}"
                self._speak(text=chunk, voice=voice, request=request, out_path=part)
                length = audio_duration(part, provider=self.name)
                words.extend(estimate_words(chunk, duration_s=length, offset_s=offset))
                offset += length
                parts.append(part)
            listing = Path(tmp) / "parts.txt"
            listing.write_text("".join(f"file '{p.name}'\n" for p in parts))
            result = subprocess.run(
                [
                    *(ffmpeg, "-v", "error", "-y", "-f", "concat", "-safe", "0"),
                    *("-i", str(listing), "-c", "copy", str(audio_path)),
                ],
                capture_output=True,
                check=False,
                timeout=120,
            )
            if result.returncode != 0:
                raise ProviderError(
                    "openai: joining the audio chunks failed",
                    provider=self.name,
                    code="concat_failed",
                    payload=result.stderr.decode(errors="replace")[-2000:],
                )
        return words, audio_duration(audio_path, provider=self.name)


# --------------------------------------------------------------------------- clients


def _voice(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> OpenAITTSVoice:
    return OpenAITTSVoice(api_key=api_key, client=client)


class OpenAIScriptWriter:
    """The script capability: `write(...)` calls `write_script_openai` with the user's key."""

    def __init__(self, *, api_key: str) -> None:
        if not api_key:
            raise ValueError("openai: an API key is required")
        self._api_key = api_key

    def __repr__(self) -> str:  # never show the key
        return "OpenAIScriptWriter()"

    def write(
        self, *, topic: str, config: TemplateConfig, instructions: str | None = None
    ) -> Script:
        return write_script_openai(
            api_key=self._api_key, topic=topic, config=config, instructions=instructions
        )

    def rewrite_scene(
        self,
        *,
        topic: str,
        config: TemplateConfig,
        script: Script,
        index: int,
        instructions: str | None = None,
    ) -> ScriptScene:
        return rewrite_scene_openai(
            api_key=self._api_key,
            topic=topic,
            config=config,
            script=script,
            index=index,
            instructions=instructions,
        )


_SCENE_SCHEMA_NAME = "video_scene"


def scene_messages(
    *, topic: str, script: Script, index: int, instructions: str | None
) -> list[dict[str, str]]:
    """Messages asking for one scene rewritten in the context of the whole storyboard."""
    scene = script.scenes[index]
    words = max(8, int(len(scene.narration.split()) * 1.2))
    outline = "\n".join(
        f"Scene {s.index + 1}{' (rewrite this one)' if s.index == index else ''}: {s.narration}"
        for s in script.scenes
    )
    system = (
        "You rewrite one scene of a short social video's script. Write for the ear: short, "
        "concrete sentences. Keep every fact the creator wrote in the scene; never invent "
        "statistics, quotes or facts you cannot be sure of. No scene labels, no stage "
        f"directions. At most {words} spoken words. The scene must follow on from the one "
        "before it and lead into the one after it."
    )
    user = f"Topic: {topic.strip()}\nThe script so far:\n{outline}"
    if instructions and instructions.strip():
        user += f"\nThe creator asks: {instructions.strip()}"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def rewrite_scene_openai(
    *,
    api_key: str,
    topic: str,
    config: TemplateConfig,
    script: Script,
    index: int,
    instructions: str | None = None,
    model: str = DEFAULT_MODEL,
    base_url: str | None = None,
    timeout_s: float = 60,
) -> ScriptScene:
    """Rewrite scene `index` of `script` (Structured Outputs, one `DraftScene`).

    The timing is worked out from the new narration as for a whole script;
    raises `ProviderError` on any failure.
    """
    if not 0 <= index < len(script.scenes):
        raise ValueError(f"no scene {index} in a script of {len(script.scenes)}")
    response_format: ResponseFormatJSONSchema = {
        "type": "json_schema",
        "json_schema": {
            "name": _SCENE_SCHEMA_NAME,
            "strict": True,
            "schema": strict_json_schema(DraftScene),
        },
    }
    completion = _chat_completion(
        api_key=api_key, base_url=base_url, timeout_s=timeout_s, model=model,
        messages=scene_messages(topic=topic, script=script, index=index, instructions=instructions),
        response_format=response_format, temperature=0.8,
    )  # fmt: skip
    raw = completion.model_dump(mode="json")
    if not completion.choices or not completion.choices[0].message.content:
        raise ProviderError(
            "OpenAI returned no scene", provider=ID, code="invalid_response", payload=raw
        )
    message = completion.choices[0].message
    if getattr(message, "refusal", None):
        raise ProviderError(
            f"OpenAI refused to rewrite this scene: {message.refusal}",
            provider=ID,
            code="refusal",
            payload=raw,
        )
    try:
        draft = DraftScene.model_validate(json.loads(message.content or ""))
        seconds = max(
            MIN_SCENE_S,
            estimate_narration_seconds(draft.narration, voice_speed=config.audio.voice_speed)
            + SCENE_TAIL_S,
        )
        return ScriptScene(
            index=index,
            narration=draft.narration,
            on_screen_text=draft.on_screen_text.strip()[:120],
            visual_keywords=(draft.visual_keywords or keywords_for(topic, draft.narration))[:10],
            duration_s=round(seconds, 2),
            emphasis_words=draft.emphasis_words[:10],
        )
    except (ValueError, ValidationError) as exc:
        raise ProviderError(
            f"OpenAI returned a scene that does not fit the schema: {exc}",
            provider=ID,
            code="invalid_response",
            payload=raw,
        ) from None


def _script_writer(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> OpenAIScriptWriter:
    return OpenAIScriptWriter(api_key=api_key)


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.SCRIPT,
    secondary_categories=(IntegrationCategory.VOICE,),
    auth=bearer(),
    docs_url="https://platform.openai.com/docs/api-reference/authentication",
    keys_url="https://platform.openai.com/api-keys",
    used_for="Writes scripts (chat completions); the same key drives OpenAI TTS voices.",
    key_format=OPENAI_KEY_FORMAT,
    key_check=ValidationEndpoint(
        method="GET",
        url="https://api.openai.com/v1/models",
        description="Lists the models the key can use; free.",
        dedicated=False,
    ),
    validator=HttpValidator(
        provider=ID,
        build=bearer_probe("https://api.openai.com/v1/models"),
        extract=count_detail("data", "model_count"),
    ),
    capabilities={
        Capability.SCRIPT: Runs(
            client=_script_writer, tests="tests/providers/test_openai_script.py"
        ),
        Capability.VOICE: Runs(client=_voice, tests="tests/providers/test_voice.py"),
    },
)
