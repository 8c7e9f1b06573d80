"""The OpenAI writer against Chat Completions routes shaped like OpenAI's documentation."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from synthora.providers.errors import ProviderError
from synthora.providers.openai import (
    ScriptDraft,
    build_messages,
    strict_json_schema,
    write_script_openai,
)
from synthora.templates.config import TemplateConfig
from synthora.templates.system import SYSTEM_TEMPLATES
from synthora.templates.validation import validate_template_config

URL = "https://api.openai.com/v1/chat/completions"
CONFIG = SYSTEM_TEMPLATES[0].config  # Viral Hook: 5 scenes, 15-30 s, speed 1.15

DRAFT: dict[str, Any] = {
    "title": "Morning routines that stick",
    "hook": "Your morning decides your day.",
    "scenes": [
        {
            "narration": "Your morning decides your day. Here is how to win it.",
            "on_screen_text": "Win your morning",
            "visual_keywords": ["sunrise", "coffee"],
            "emphasis_words": ["morning"],
        },
        {
            "narration": "First, put your phone in another room.",
            "on_screen_text": "Phone away",
            "visual_keywords": ["phone", "bedroom"],
            "emphasis_words": ["phone"],
        },
        {
            "narration": "Next, drink a glass of water before coffee.",
            "on_screen_text": "Water first",
            "visual_keywords": [],
            "emphasis_words": [],
        },
        {
            "narration": "Then move for five minutes, even just a walk.",
            "on_screen_text": "Move",
            "visual_keywords": ["walk"],
            "emphasis_words": ["move"],
        },
        {
            "narration": "Small wins, every morning. Follow for more.",
            "on_screen_text": "Follow for more",
            "visual_keywords": ["smile"],
            "emphasis_words": [],
        },
    ],
    "cta": "Follow for more.",
    "hashtags": ["#morningroutine", "productivity", "not valid!"],
    "description": "Three habits for a better morning.",
}


def _completion(
    content: str | None, *, refusal: str | None = None, finish: str = "stop"
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-abc123",
        "object": "chat.completion",
        "created": 1732440000,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "logprobs": None,
                "finish_reason": finish,
            }
        ],
        "usage": {"prompt_tokens": 320, "completion_tokens": 210, "total_tokens": 530},
        "system_fingerprint": "fp_0ba0d124f1",
    }


def _write(**kwargs: Any) -> Any:
    return write_script_openai(api_key="sk-test", topic="morning routines", config=CONFIG, **kwargs)


@respx.mock
def test_success_builds_a_timed_script() -> None:
    route = respx.post(URL).mock(
        return_value=httpx.Response(200, json=_completion(json.dumps(DRAFT)))
    )
    script = _write(instructions="keep it upbeat")

    request = route.calls.last.request
    assert request.headers["Authorization"] == "Bearer sk-test"
    body = json.loads(request.content)
    assert body["model"] == "gpt-4o-mini"
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"]["required"] == list(ScriptDraft.model_fields)
    system = body["messages"][0]["content"]
    assert "bold claim" in system and "Exactly 5 scenes" in system and "15-30 seconds" in system
    assert CONFIG.script.script_structure_prompt in system
    assert "keep it upbeat" in body["messages"][1]["content"]

    assert [s.index for s in script.scenes] == [0, 1, 2, 3, 4]
    assert script.total_duration_s == pytest.approx(sum(s.duration_s for s in script.scenes))
    assert script.total_duration_s >= 15
    assert script.scenes[2].visual_keywords  # filled from the narration when the model gave none
    assert script.hashtags[:2] == ["#morningroutine", "#productivity"]
    assert "#fyp" in script.hashtags and all(" " not in h for h in script.hashtags)
    assert script.cta == "Follow for more."


@respx.mock
def test_base_url_is_honoured() -> None:
    route = respx.post("http://127.0.0.1:9/v1/chat/completions").mock(
        return_value=httpx.Response(200, json=_completion(json.dumps(DRAFT)))
    )
    _write(base_url="http://127.0.0.1:9/v1", model="gpt-4o")
    assert json.loads(route.calls.last.request.content)["model"] == "gpt-4o"


@respx.mock
def test_unauthorized() -> None:
    body = {
        "error": {
            "message": "Incorrect API key provided: sk-test. You can find your API key at "
            "https://platform.openai.com/account/api-keys.",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_api_key",
        }
    }
    respx.post(URL).mock(return_value=httpx.Response(401, json=body))
    with pytest.raises(ProviderError) as info:
        _write()
    err = info.value
    assert (err.provider, err.status_code, err.code) == ("openai", 401, "invalid_api_key")
    assert err.payload == body
    assert "API key" in err.message and not err.transient


@respx.mock
def test_rate_limited_with_retry_after() -> None:
    body = {
        "error": {
            "message": "Rate limit reached for gpt-4o-mini on requests per min (RPM).",
            "type": "requests",
            "param": None,
            "code": "rate_limit_exceeded",
        }
    }
    route = respx.post(URL).mock(
        return_value=httpx.Response(429, json=body, headers={"Retry-After": "20"})
    )
    with pytest.raises(ProviderError) as info:
        _write()
    err = info.value
    assert (err.status_code, err.code, err.retry_after_s) == (429, "rate_limit_exceeded", 20.0)
    assert err.transient and err.payload == body
    assert route.call_count == 1  # no hidden SDK retries


@respx.mock
def test_server_error() -> None:
    body = {
        "error": {
            "message": "The server had an error while processing your request. Sorry about that!",
            "type": "server_error",
            "param": None,
            "code": None,
        }
    }
    respx.post(URL).mock(return_value=httpx.Response(500, json=body))
    with pytest.raises(ProviderError) as info:
        _write()
    assert info.value.status_code == 500 and info.value.transient
    assert info.value.code == "server_error" and info.value.payload == body


@respx.mock
def test_timeout() -> None:
    respx.post(URL).mock(side_effect=httpx.ReadTimeout("timed out"))
    with pytest.raises(ProviderError) as info:
        _write(timeout_s=1)
    assert info.value.code == "timeout" and info.value.status_code is None
    assert info.value.transient


@respx.mock
def test_unreachable() -> None:
    respx.post(URL).mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(ProviderError) as info:
        _write()
    assert info.value.code == "unreachable"


@respx.mock
def test_refusal() -> None:
    respx.post(URL).mock(
        return_value=httpx.Response(
            200, json=_completion(None, refusal="I'm sorry, I can't help with that request.")
        )
    )
    with pytest.raises(ProviderError) as info:
        _write()
    err = info.value
    assert err.code == "refusal" and "can't help" in err.message
    assert isinstance(err.payload, dict)
    assert err.payload["choices"][0]["message"]["refusal"]


@pytest.mark.parametrize(
    "content",
    ["{not json", json.dumps({"title": "x"}), json.dumps({**DRAFT, "scenes": []})],
    ids=["broken-json", "missing-fields", "no-scenes"],
)
@respx.mock
def test_invalid_content(content: str) -> None:
    respx.post(URL).mock(return_value=httpx.Response(200, json=_completion(content)))
    with pytest.raises(ProviderError) as info:
        _write()
    assert info.value.code == "invalid_response"
    assert info.value.payload is not None


@respx.mock
def test_truncated() -> None:
    respx.post(URL).mock(
        return_value=httpx.Response(200, json=_completion('{"title": "x', finish="length"))
    )
    with pytest.raises(ProviderError) as info:
        _write()
    assert info.value.code == "truncated"


def test_schema_is_strict_everywhere() -> None:
    schema = strict_json_schema(ScriptDraft)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "properties" in node:
                assert node["additionalProperties"] is False
                assert node["required"] == list(node["properties"])
            assert "default" not in node and "maxLength" not in node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert "title" in schema["properties"]


def _with_script(**changes: str) -> TemplateConfig:
    data = CONFIG.model_dump(mode="json")
    data["script"].update(changes)
    return validate_template_config(data)


def test_prompt_reflects_cta_settings() -> None:
    none = _with_script(cta_type="none")
    assert (
        "leave cta empty" in build_messages(topic="x", config=none, instructions=None)[0]["content"]
    )
    exact = _with_script(cta_text="Visit synthora.dev")
    prompt = build_messages(topic="x", config=exact, instructions=None)[0]["content"]
    assert '"Visit synthora.dev"' in prompt


@respx.mock
def test_the_registry_script_client_writes_through_the_same_request() -> None:
    """The pipeline's script client (`OpenAIScriptWriter`, from the registry) sends
    the documented request with the user's key and returns the timed script."""
    from synthora.providers.base import Capability
    from synthora.providers.openai import OpenAIScriptWriter
    from synthora.providers.registry import client_for

    route = respx.post(URL).mock(
        return_value=httpx.Response(200, json=_completion(json.dumps(DRAFT)))
    )
    factory = client_for(Capability.SCRIPT, "openai")
    assert factory is not None
    writer = factory("sk-test", None, {})
    assert isinstance(writer, OpenAIScriptWriter)
    assert "sk-test" not in repr(writer)
    script = writer.write(topic="morning routines", config=CONFIG, instructions=None)
    assert route.calls.last.request.headers["Authorization"] == "Bearer sk-test"
    assert script.title == "Morning routines that stick"
    assert len(script.scenes) == 5
