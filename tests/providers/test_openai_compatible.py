"""The OpenAI-compatible writer and key check, through routes shaped like the OpenAI
Chat Completions and Models documentation (which Ollama and LM Studio follow)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from synthora.errors import ValidationFailed
from synthora.providers.errors import ProviderError
from synthora.providers.openai_compatible import (
    DECLARATION,
    CompatibleScriptWriter,
    check_base_url,
    parse_json_object,
)
from synthora.providers.registry import check_key
from synthora.services.integrations.catalogue import check_key as check_submitted_key
from synthora.services.integrations.catalogue import check_options
from synthora.templates.system import SYSTEM_TEMPLATES

BASE = "http://127.0.0.1:11434/v1"
CHAT = f"{BASE}/chat/completions"
MODELS = f"{BASE}/models"
CONFIG = SYSTEM_TEMPLATES[0].config  # 5 scenes, 15-30 s

DRAFT: dict[str, Any] = {
    "title": "Why octopuses have three hearts",
    "hook": "An octopus has three hearts, and it needs every one.",
    "scenes": [
        {
            "narration": "An octopus has three hearts, and it needs every one.",
            "on_screen_text": "Three hearts",
            "visual_keywords": ["octopus", "heart"],
            "emphasis_words": ["three"],
        },
        {
            "narration": "Two hearts push blood through the gills to pick up oxygen.",
            "on_screen_text": "Two for the gills",
            "visual_keywords": ["gills", "water"],
            "emphasis_words": ["gills"],
        },
        {
            "narration": "The third pumps that blood to the rest of the body.",
            "on_screen_text": "One for the body",
            "visual_keywords": ["octopus"],
            "emphasis_words": [],
        },
        {
            "narration": "Their blood is blue, carried by copper, and it flows slowly.",
            "on_screen_text": "Blue blood",
            "visual_keywords": ["copper"],
            "emphasis_words": ["blue"],
        },
        {
            "narration": "So three hearts keep it moving. Follow for more ocean facts.",
            "on_screen_text": "Follow for more",
            "visual_keywords": ["ocean"],
            "emphasis_words": [],
        },
    ],
    "cta": "Follow for more ocean facts.",
    "hashtags": ["#octopus", "ocean"],
    "description": "Why an octopus needs three hearts.",
}


def _completion(
    content: str | None, *, refusal: str | None = None, finish: str = "stop"
) -> dict[str, Any]:
    """`POST /v1/chat/completions` answer, as OpenAI documents it (Ollama echoes the shape)."""
    return {
        "id": "chatcmpl-123",
        "object": "chat.completion",
        "created": 1732440000,
        "model": "llama3.2",
        "system_fingerprint": "fp_ollama",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "finish_reason": finish,
            }
        ],
        "usage": {"prompt_tokens": 300, "completion_tokens": 200, "total_tokens": 500},
    }


def _writer(key: str = "") -> CompatibleScriptWriter:
    return CompatibleScriptWriter(base_url=BASE + "/", model="llama3.2", api_key=key)


def _write(key: str = "") -> Any:
    return _writer(key).write(topic="why octopuses have three hearts", config=CONFIG)


def _error(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "code": code}}


# --------------------------------------------------------------------------- writing


@respx.mock
def test_structured_output_request_and_script() -> None:
    route = respx.post(CHAT).mock(
        return_value=httpx.Response(200, json=_completion(json.dumps(DRAFT)))
    )
    script = _write()
    request = route.calls.last.request
    assert "Authorization" not in request.headers  # no key: no header at all
    body = json.loads(request.content)
    assert body["model"] == "llama3.2" and body["stream"] is False
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert "scenes" in fmt["json_schema"]["schema"]["properties"]
    assert "JSON schema" in body["messages"][0]["content"]  # repeated for weaker servers
    assert "octopuses" in body["messages"][1]["content"]
    assert len(route.calls) == 1
    assert [s.index for s in script.scenes] == [0, 1, 2, 3, 4]
    assert script.scenes[1].narration.startswith("Two hearts push blood")
    assert script.title == "Why octopuses have three hearts"
    assert script.total_duration_s >= 15
    assert "#octopus" in script.hashtags and "#ocean" in script.hashtags


@respx.mock
def test_key_is_sent_as_bearer_when_given() -> None:
    route = respx.post(CHAT).mock(
        return_value=httpx.Response(200, json=_completion(json.dumps(DRAFT)))
    )
    _write(key="sk-or-v1-abc")
    assert route.calls.last.request.headers["Authorization"] == "Bearer sk-or-v1-abc"


@respx.mock
def test_400_on_json_schema_falls_back_to_json_mode_then_text() -> None:
    answers = iter(
        [
            httpx.Response(400, json=_error(400, "response_format json_schema not supported")),
            httpx.Response(400, json=_error(400, "invalid response_format type")),
            httpx.Response(200, json=_completion("Here it is:\n" + json.dumps(DRAFT))),
        ]
    )
    route = respx.post(CHAT).mock(side_effect=lambda request: next(answers))
    script = _write()
    formats = [json.loads(c.request.content).get("response_format") for c in route.calls]
    assert formats[0]["type"] == "json_schema"
    assert formats[1] == {"type": "json_object"}
    assert formats[2] is None
    assert len(script.scenes) == 5


@respx.mock
def test_json_mode_answer_with_fences_and_trailing_commas() -> None:
    text = json.dumps(DRAFT, indent=1).replace('"three"', '"three",', 1)  # [..., ]
    text = text[:-2] + ",\n}"  # {..., }
    with pytest.raises(ValueError):
        json.loads(text)
    answers = iter(
        [
            httpx.Response(422, json={"detail": "response_format: extra fields not permitted"}),
            httpx.Response(200, json=_completion(f"<think>ok</think>```json\n{text}\n```")),
        ]
    )
    respx.post(CHAT).mock(side_effect=lambda request: next(answers))
    script = _write()
    assert script.scenes[0].on_screen_text == "Three hearts"


def test_tolerant_parse() -> None:
    assert parse_json_object('Sure! {"a": [1, 2,], "b": "x, }",} Hope it helps') == {
        "a": [1, 2],
        "b": "x, }",
    }
    assert parse_json_object('```\n{"a": 1}\n```') == {"a": 1}
    with pytest.raises(ValueError):
        parse_json_object("I cannot help with that.")


@respx.mock
def test_small_models_forgetting_fields_and_writing_strings_for_lists() -> None:
    loose = {
        "scenes": [
            {"narration": s["narration"], "visual_keywords": "octopus, heart"}
            for s in DRAFT["scenes"]
        ]
    }
    respx.post(CHAT).mock(return_value=httpx.Response(200, json=_completion(json.dumps(loose))))
    script = _write()
    assert script.scenes[0].visual_keywords == ["octopus", "heart"]
    assert script.title == "why octopuses have three hearts"  # the topic stands in


@respx.mock
def test_401_key_refused() -> None:
    respx.post(CHAT).mock(
        return_value=httpx.Response(401, json=_error(401, "No auth credentials found", "401"))
    )
    with pytest.raises(ProviderError) as info:
        _write(key="sk-or-v1-wrong")
    err = info.value
    assert err.status_code == 401 and not err.transient
    assert "refused the key" in err.message and "No auth credentials found" in err.message
    assert err.payload["error"]["message"] == "No auth credentials found"


@respx.mock
def test_404_unknown_model() -> None:
    respx.post(CHAT).mock(
        return_value=httpx.Response(
            404, json=_error(404, 'model "llama9" not found, try pulling it first')
        )
    )
    with pytest.raises(ProviderError) as info:
        _write()
    assert info.value.status_code == 404
    assert info.value.code == "model_not_found"
    assert "llama9" in info.value.message and not info.value.transient


@respx.mock
def test_429_keeps_retry_after() -> None:
    respx.post(CHAT).mock(
        return_value=httpx.Response(
            429, headers={"Retry-After": "17"}, json=_error(429, "Rate limit exceeded")
        )
    )
    with pytest.raises(ProviderError) as info:
        _write()
    assert info.value.retry_after_s == 17 and info.value.transient


@respx.mock
def test_5xx_is_transient() -> None:
    respx.post(CHAT).mock(return_value=httpx.Response(503, text="model is loading"))
    with pytest.raises(ProviderError) as info:
        _write()
    assert info.value.status_code == 503 and info.value.transient
    assert info.value.payload == "model is loading"


@respx.mock
def test_timeout_and_unreachable() -> None:
    respx.post(CHAT).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(ProviderError) as info:
        _write()
    assert info.value.code == "timeout" and info.value.transient
    respx.post(CHAT).mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(ProviderError) as info:
        _write()
    assert info.value.code == "unreachable" and info.value.transient


@respx.mock
def test_malformed_json_answer() -> None:
    respx.post(CHAT).mock(
        return_value=httpx.Response(200, json=_completion('{"title": "x", "scenes": [{"narr'))
    )
    with pytest.raises(ProviderError) as info:
        _write()
    assert info.value.code == "invalid_response" and not info.value.transient
    assert info.value.payload["choices"][0]["message"]["content"].startswith('{"title"')


@respx.mock
def test_body_that_is_not_json() -> None:
    respx.post(CHAT).mock(return_value=httpx.Response(200, text="<html>proxy login</html>"))
    with pytest.raises(ProviderError) as info:
        _write()
    assert info.value.code == "invalid_response"


@respx.mock
def test_refusal_and_truncation() -> None:
    respx.post(CHAT).mock(
        return_value=httpx.Response(200, json=_completion(None, refusal="I can't help with that."))
    )
    with pytest.raises(ProviderError) as info:
        _write()
    assert info.value.code == "refusal" and "can't help" in info.value.message
    respx.post(CHAT).mock(
        return_value=httpx.Response(200, json=_completion('{"title": "', finish="length"))
    )
    with pytest.raises(ProviderError) as info:
        _write()
    assert info.value.code == "truncated"


# --------------------------------------------------------------------------- options


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("http://localhost:11434/v1/", "http://localhost:11434/v1"),
        (" HTTPS://openrouter.ai/api/v1 ", "https://openrouter.ai/api/v1"),
        ("http://192.168.1.20:1234/v1", "http://192.168.1.20:1234/v1"),
    ],
)
def test_base_url_accepted(raw: str, stored: str) -> None:
    assert check_base_url(raw) == stored


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("ftp://host/v1", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("localhost:11434/v1", "http:// or https://"),
        ("http://user:pw@host/v1", "key field"),
        ("http://host/v1?x=1", "query"),
        ("http://host:99999/v1", "port"),
        ("http:///v1", "host"),
        ("", "base URL"),
    ],
)
def test_base_url_refused_with_a_clear_message(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_base_url(raw)


def test_options_through_the_catalogue_give_4xx_details() -> None:
    stored = check_options(DECLARATION, {"base_url": "http://localhost:1234/v1/", "model": "qwen"})
    assert stored == {"base_url": "http://localhost:1234/v1", "model": "qwen"}
    with pytest.raises(ValidationFailed) as info:
        check_options(DECLARATION, {"base_url": "gopher://x", "model": "bad model name"})
    assert info.value.status == 422
    fields = {d["field"]: d["message"] for d in info.value.details}
    assert "http://" in fields["body.options.base_url"]
    assert "model name" in fields["body.options.model"]
    with pytest.raises(ValidationFailed) as info:
        check_options(DECLARATION, {})
    assert {d["field"] for d in info.value.details} == {
        "body.options.base_url",
        "body.options.model",
    }
    assert check_submitted_key(DECLARATION, None) is None  # the key is optional
    assert check_submitted_key(DECLARATION, "sk-or-v1-abc") == "sk-or-v1-abc"


# --------------------------------------------------------------------------- key check

_MODEL_LIST = {
    "object": "list",
    "data": [
        {"id": "llama3.2", "object": "model", "created": 1732440000, "owned_by": "library"},
        {"id": "qwen2.5:7b", "object": "model", "created": 1732440000, "owned_by": "library"},
    ],
}
OPTIONS = {"base_url": BASE, "model": "llama3.2"}


def test_key_check_lists_models_without_a_key() -> None:
    with respx.mock:
        route = respx.get(MODELS).mock(return_value=httpx.Response(200, json=_MODEL_LIST))
        result = check_key(provider="openai_compatible", api_key="", options=OPTIONS)
    assert result.status == "valid" and result.details == {"model_count": 2}
    assert "Authorization" not in route.calls.last.request.headers


def test_key_check_sends_the_key_and_needs_the_model_listed() -> None:
    with respx.mock:
        route = respx.get(MODELS).mock(return_value=httpx.Response(200, json=_MODEL_LIST))
        result = check_key(
            provider="openai_compatible",
            api_key="sk-or-v1-abc",
            options={**OPTIONS, "model": "mistral"},
        )
    assert route.calls.last.request.headers["Authorization"] == "Bearer sk-or-v1-abc"
    assert result.status == "invalid"
    assert "mistral" in result.message and "llama3.2" in result.message


def test_key_check_server_listing_nothing_accepts_the_model() -> None:
    with respx.mock:
        respx.get(MODELS).mock(return_value=httpx.Response(200, json={"data": []}))
        result = check_key(provider="openai_compatible", api_key="", options=OPTIONS)
    assert result.status == "valid"


@pytest.mark.parametrize(
    ("reply", "status"),
    [
        (httpx.Response(401, json=_error(401, "Invalid API key")), "invalid"),
        (httpx.Response(403, json=_error(403, "Forbidden")), "forbidden"),
        (httpx.Response(429, headers={"Retry-After": "5"}), "rate_limited"),
        (httpx.Response(502, text="bad gateway"), "provider_error"),
    ],
)
def test_key_check_failures(reply: httpx.Response, status: str) -> None:
    with respx.mock:
        respx.get(MODELS).mock(return_value=reply)
        result = check_key(provider="openai_compatible", api_key="k-123456", options=OPTIONS)
    assert result.status == status


def test_key_check_unreachable_and_bad_options() -> None:
    with respx.mock:
        respx.get(MODELS).mock(side_effect=httpx.ConnectError("refused"))
        assert (
            check_key(provider="openai_compatible", api_key="", options=OPTIONS).status
            == "unreachable"
        )
    result = check_key(
        provider="openai_compatible", api_key="", options={"base_url": "ftp://x", "model": "m"}
    )
    assert result.status == "invalid" and "http://" in result.message
