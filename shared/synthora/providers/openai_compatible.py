"""OpenAI-compatible servers: the script writer for Ollama, LM Studio, vLLM,
OpenRouter and any other server speaking OpenAI's Chat Completions.

The user stores a base URL (http or https, loopback and LAN included: local
model servers run there), a model name and an optional key. The key check is
`GET {base}/models`; when the server lists models, the chosen one must be among
them. Scripts are written with `POST {base}/chat/completions`:

1. with `response_format: {"type": "json_schema", ...}` (Structured Outputs:
   LM Studio, vLLM, recent Ollama, OpenRouter for the models that support it);
2. when the server answers that request with 400/422 (it does not know
   `json_schema`), again with `{"type": "json_object"}` (JSON mode: Ollama's
   documented `response_format`);
3. when that is refused too, with no `response_format` at all.

The JSON schema is always repeated in the system message, and the answer is
read tolerantly (code fences, leading prose, `<think>` blocks, trailing commas)
before being validated into the same `ScriptDraft` the OpenAI writer gets and
timed by the same `draft_to_script`, so the pipeline cannot tell the writers
apart.

Every failure is a `ProviderError` (provider "openai_compatible"): 401/403 the
key was refused, 404 the model is unknown, 429 with Retry-After, 5xx, timeouts
and unreachable servers (transient), a refusal, a truncated or malformed answer.

Documentation:
- OpenAI Chat Completions and Structured Outputs:
  https://platform.openai.com/docs/api-reference/chat/create,
  https://platform.openai.com/docs/guides/structured-outputs
- Ollama OpenAI compatibility (base `http://localhost:11434/v1/`, key ignored,
  `/v1/models`, `response_format` JSON mode):
  https://docs.ollama.com/api/openai-compatibility
- LM Studio OpenAI-compatible endpoints (base `http://localhost:1234/v1`,
  `GET /v1/models`, `POST /v1/chat/completions`):
  https://lmstudio.ai/docs/api/openai-api, and its structured output
  (`response_format` `json_schema`): https://lmstudio.ai/docs/advanced/structured-output
- OpenRouter (base `https://openrouter.ai/api/v1`): https://openrouter.ai/docs/api-reference/overview
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from synthora.logs import fields, get_logger
from synthora.providers.base import (
    Capability,
    IntegrationCategory,
    OptionSpec,
    ProviderDeclaration,
    Runs,
    ValidationEndpoint,
    bearer,
)
from synthora.providers.errors import ProviderError
from synthora.providers.http import USER_AGENT, HttpProvider
from synthora.providers.keycheck import (
    HttpValidator,
    Outcome,
    Probe,
    count_detail,
)
from synthora.providers.openai import (
    DraftScene,
    ScriptDraft,
    build_messages,
    draft_to_script,
    strict_json_schema,
)
from synthora.script.models import Script
from synthora.templates.config import TemplateConfig

ID = "openai_compatible"
DISPLAY_NAME = "OpenAI-compatible (Ollama, LM Studio, vLLM, OpenRouter)"

log = get_logger(__name__)

#: Local models on a CPU take their time; the read timeout is generous.
TIMEOUT = httpx.Timeout(180.0, connect=10.0)
_MAX_URL = 500
_MODEL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/@+\-]{0,199}")

ResponseMode = Literal["json_schema", "json_object", "text"]
#: The order tried: Structured Outputs, then JSON mode, then plain text.
MODES: tuple[ResponseMode, ...] = ("json_schema", "json_object", "text")


# --------------------------------------------------------------------------- options


def check_base_url(value: str) -> str:
    """The base URL in its stored form; ValueError with a message the user can act on."""
    text = value.strip()
    if not text:
        raise ValueError("enter the server's base URL, e.g. http://localhost:11434/v1")
    if len(text) > _MAX_URL or any(ch.isspace() or not ch.isprintable() for ch in text):
        raise ValueError("the base URL must be one line without spaces (500 characters at most)")
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("the base URL must start with http:// or https://")
    if not parts.hostname:
        raise ValueError("the base URL needs a host, e.g. http://localhost:11434/v1")
    if parts.username or parts.password:
        raise ValueError("put the key in the key field, not in the URL")
    if parts.query or parts.fragment:
        raise ValueError("the base URL takes no query or fragment (?…, #…)")
    try:
        _ = parts.port
    except ValueError:
        raise ValueError("the base URL's port is not a number between 0 and 65535") from None
    return f"{parts.scheme.lower()}://{parts.netloc}{parts.path}".rstrip("/")


def check_model(value: str) -> str:
    """The model name as the server knows it (`llama3.2`, `openai/gpt-4o-mini`)."""
    text = value.strip()
    if not _MODEL_RE.fullmatch(text):
        raise ValueError(
            "enter the model name as the server lists it (letters, digits and . _ : / @ + -), "
            "e.g. llama3.2 or qwen2.5:7b"
        )
    return text


BASE_URL = OptionSpec(
    name="base_url",
    values=(),
    default="",
    description="The server's OpenAI-compatible base URL, ending before /chat/completions.",
    check=check_base_url,
    required=True,
    example="http://localhost:11434/v1",
)
MODEL = OptionSpec(
    name="model",
    values=(),
    default="",
    description="The model the server should run, as GET {base}/models lists it.",
    check=check_model,
    required=True,
    example="llama3.2",
)


# --------------------------------------------------------------------------- tolerant JSON


_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)


def _first_object(text: str) -> str | None:
    """The first balanced `{...}` in `text` (braces inside strings ignored)."""
    start = text.find("{")
    while start != -1:
        depth = 0
        in_string = False
        escaped = False
        for i in range(start, len(text)):
            ch = text[i]
            if in_string:
                if escaped:
                    escaped = False
                elif ch == "\\":
                    escaped = True
                elif ch == '"':
                    in_string = False
            elif ch == '"':
                in_string = True
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    return text[start : i + 1]
        start = text.find("{", start + 1)
    return None


def _drop_trailing_commas(text: str) -> str:
    """Remove commas directly before `}` or `]`, outside strings."""
    out: list[str] = []
    in_string = False
    escaped = False
    for i, ch in enumerate(text):
        if in_string:
            out.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch == ",":
            rest = text[i + 1 :].lstrip()
            if rest[:1] in ("}", "]"):
                continue
        out.append(ch)
    return "".join(out)


def parse_json_object(text: str) -> dict[str, Any]:
    """A JSON object from a model's answer, tolerating what models wrap it in.

    Accepts code fences, prose before or after the object, `<think>` blocks and
    trailing commas; ValueError when no object can be read.
    """
    cleaned = _THINK.sub("", text).strip()
    candidates = [cleaned]
    fenced = _FENCE.search(cleaned)
    if fenced:
        candidates.insert(0, fenced.group(1).strip())
    for candidate in candidates:
        found = _first_object(candidate)
        for attempt in (candidate, found, _drop_trailing_commas(found) if found else None):
            if not attempt:
                continue
            try:
                value = json.loads(attempt)
            except ValueError:
                continue
            if isinstance(value, dict):
                return value
    raise ValueError("the answer holds no JSON object")


# --------------------------------------------------------------------------- answer shapes


def _word_list(value: Any) -> Any:
    """Small models often write a list as one comma-separated string."""
    if isinstance(value, str):
        return [w.strip() for w in value.split(",") if w.strip()]
    if value is None:
        return []
    return value


class _LooseScene(BaseModel):
    """A scene as a model without Structured Outputs may write it."""

    model_config = ConfigDict(extra="ignore")

    narration: str
    on_screen_text: str = ""
    visual_keywords: list[str] = Field(default_factory=list)
    emphasis_words: list[str] = Field(default_factory=list)

    _words = field_validator("visual_keywords", "emphasis_words", mode="before")(
        lambda cls, v: _word_list(v)
    )


class _LooseDraft(BaseModel):
    """`ScriptDraft` with defaults for what small models forget; unknown keys ignored."""

    model_config = ConfigDict(extra="ignore")

    title: str = ""
    hook: str = ""
    scenes: list[_LooseScene] = Field(min_length=1)
    cta: str = ""
    hashtags: list[str] = Field(default_factory=list)
    description: str = ""

    _tags = field_validator("hashtags", mode="before")(lambda cls, v: _word_list(v))

    def strict(self) -> ScriptDraft:
        return ScriptDraft(
            title=self.title,
            hook=self.hook,
            scenes=[DraftScene(**s.model_dump()) for s in self.scenes],
            cta=self.cta,
            hashtags=self.hashtags,
            description=self.description,
        )


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore")

    content: str | None = None
    refusal: str | None = None


class _Choice(BaseModel):
    model_config = ConfigDict(extra="ignore")

    message: _Message
    finish_reason: str | None = None


class _Completion(BaseModel):
    model_config = ConfigDict(extra="ignore")

    choices: list[_Choice]


# --------------------------------------------------------------------------- client


def _schema_hint() -> str:
    schema = json.dumps(strict_json_schema(ScriptDraft), separators=(",", ":"))
    return (
        "Answer with one JSON object only: no prose, no code fences. It must match this "
        f"JSON schema: {schema}"
    )


class CompatibleScriptWriter(HttpProvider):
    """Writes scripts through an OpenAI-compatible server's chat completions."""

    name = ID
    timeout = TIMEOUT

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str = "",
        client: httpx.Client | None = None,
    ) -> None:
        # The key is optional (local servers ignore it), so HttpProvider's
        # "key required" check does not apply; the rest of its state does.
        self._api_key = api_key
        self._client = client
        self._owns_client = client is None
        self.base_url = check_base_url(base_url)
        self.model = check_model(model)

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}

    def error_from_response(self, response: httpx.Response) -> ProviderError:
        err = super().error_from_response(response)
        where = f"{self.base_url} ({self.model})"
        if response.status_code in (401, 403):
            err.message = f"the server at {self.base_url} refused the key: {err.message}"
        elif response.status_code == 404:
            err.code = "model_not_found"
            err.message = (
                f"{where} answered 404: the model or the endpoint does not exist "
                f"(check the model name and that the base URL ends in /v1): {err.message}"
            )
        err.args = (err.message,)
        return err

    def body(
        self,
        *,
        topic: str,
        config: TemplateConfig,
        instructions: str | None,
        mode: ResponseMode,
    ) -> dict[str, Any]:
        """The chat completions request for one response mode."""
        messages = build_messages(topic=topic, config=config, instructions=instructions)
        messages[0] = {**messages[0], "content": f"{messages[0]['content']}\n{_schema_hint()}"}
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": 0.8,
            "stream": False,
        }
        if mode == "json_schema":
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": "video_script",
                    "strict": True,
                    "schema": strict_json_schema(ScriptDraft),
                },
            }
        elif mode == "json_object":
            body["response_format"] = {"type": "json_object"}
        return body

    def write(
        self, *, topic: str, config: TemplateConfig, instructions: str | None = None
    ) -> Script:
        if not topic.strip():
            raise ValueError("topic must not be empty")
        answer: dict[str, Any] | None = None
        used: ResponseMode = MODES[0]
        for mode in MODES:
            used = mode
            try:
                response = self.request(
                    "POST",
                    self.url("/chat/completions"),
                    json_body=self.body(
                        topic=topic, config=config, instructions=instructions, mode=mode
                    ),
                )
            except ProviderError as exc:
                if exc.status_code in (400, 422) and mode != "text":
                    # The server does not take this response_format: try the next one.
                    log.info(
                        "response format refused; trying the next",
                        extra={"fields": fields(mode=mode, status=exc.status_code)},
                    )
                    continue
                raise
            answer = self.json_object(response)
            break
        assert answer is not None
        draft = self._draft(answer)
        script = draft_to_script(
            draft, topic=topic, config=config, provider=ID, label=f"{self.model} at {self.base_url}"
        )
        log.info(
            "compatible script written",
            extra={"fields": fields(model=self.model, mode=used, scenes=len(script.scenes))},
        )
        return script

    def _draft(self, answer: dict[str, Any]) -> ScriptDraft:
        completion = self.parse(_Completion, answer)
        if not completion.choices:
            raise self.invalid(f"{self.model} returned no choices", answer)
        choice = completion.choices[0]
        if choice.message.refusal:
            raise ProviderError(
                f"{self.model} refused to write this script: {choice.message.refusal}",
                provider=ID,
                code="refusal",
                payload=answer,
            )
        if choice.finish_reason == "length":
            raise ProviderError(
                f"{self.model} stopped before finishing the script (token limit)",
                provider=ID,
                code="truncated",
                payload=answer,
            )
        text = choice.message.content or ""
        try:
            return _LooseDraft.model_validate(parse_json_object(text)).strict()
        except (ValueError, ValidationError) as exc:
            raise ProviderError(
                f"{self.model} did not answer with a script in JSON: {str(exc)[:300]}",
                provider=ID,
                code="invalid_response",
                payload=answer,
            ) from None


def _script_writer(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> CompatibleScriptWriter:
    return CompatibleScriptWriter(
        base_url=DECLARATION.option_value(options, "base_url"),
        model=DECLARATION.option_value(options, "model"),
        api_key=api_key,
        client=client,
    )


# --------------------------------------------------------------------------- key check


def _probe(key: str, options: Mapping[str, str]) -> Probe:
    base = check_base_url(options.get("base_url", ""))
    headers = {"User-Agent": USER_AGENT}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return Probe("GET", f"{base}/models", headers)


def _model_listed(options: Mapping[str, str]) -> Any:
    def inspect(response: httpx.Response, body: Any) -> Outcome | None:
        if not response.is_success or not isinstance(body, dict):
            return None
        listed = [m.get("id") for m in body.get("data") or [] if isinstance(m, dict)]
        model = options.get("model", "").strip()
        if listed and model and model not in listed:
            shown = ", ".join(str(m) for m in listed[:10])
            return Outcome(
                "invalid",
                f"the server does not list the model {model!r}; it lists: {shown}",
            )
        return None

    return inspect


class CompatibleValidator(HttpValidator):
    """`GET {base}/models` (key optional); the chosen model must be listed when any are."""

    def validate(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        options: Mapping[str, str] | None = None,
    ) -> Any:
        opts = dict(options or {})
        try:
            check_base_url(opts.get("base_url", ""))
            check_model(opts.get("model", ""))
        except ValueError as exc:
            return self._result(status="invalid", message=str(exc))
        checker = HttpValidator(
            provider=ID,
            build=_probe,
            inspect=_model_listed(opts),
            extract=count_detail("data", "model_count"),
            key_optional=True,
        )
        return checker.validate(api_key=api_key, client=client, options=opts)


DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.SCRIPT,
    auth=bearer(notes="Optional: local servers (Ollama, LM Studio) need no key."),
    docs_url="https://docs.ollama.com/api/openai-compatibility",
    used_for="Writes scripts with any model behind an OpenAI-compatible server "
    "(Ollama, LM Studio, vLLM, OpenRouter): base URL, model name, optional key.",
    key_check=ValidationEndpoint(
        method="GET",
        url="{base_url}/models",
        description="Lists the server's models; the chosen model must be among them.",
        dedicated=False,
    ),
    validator=CompatibleValidator(provider=ID, build=_probe, key_optional=True),
    options=(BASE_URL, MODEL),
    key_optional=True,
    capabilities={
        Capability.SCRIPT: Runs(
            client=_script_writer, tests="tests/providers/test_openai_compatible.py"
        ),
    },
)
