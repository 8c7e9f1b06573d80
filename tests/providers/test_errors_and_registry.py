"""Every provider's failures become ProviderErrors that keep the payload, and the
registries build each provider by its catalogue id without touching the network."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from synthora.providers import registry
from synthora.providers.base import Capability
from synthora.providers.contracts import (
    CloudRenderRequest,
    CloudRenderScene,
    MediaRequest,
    VideoAIRequest,
    VoiceRequest,
)
from synthora.providers.errors import ProviderError
from synthora.providers.registry import Provider

KEY = "key-that-must-not-leak-0123456789"


def _clients(capability: Capability) -> dict[str, Any]:
    """The registry's client factories for a capability, by provider id."""
    found = {d.id: d.client_for(capability) for d in registry.runners(capability)}
    return {pid: factory for pid, factory in found.items() if factory is not None}


VOICE_PROVIDERS = _clients(Capability.VOICE)
MEDIA_PROVIDERS = _clients(Capability.MEDIA)
VIDEO_AI_PROVIDERS = _clients(Capability.VIDEO_AI)
ASSEMBLY_PROVIDERS = _clients(Capability.ASSEMBLY)

RENDER = CloudRenderRequest(
    scenes=[
        CloudRenderScene(
            media_url="https://cdn.test/a.mp4", media_kind="video", duration_s=3, caption="Hi"
        )
    ],
    voice_url="https://cdn.test/v.mp3",
    width=1080,
    height=1920,
)

# (registry, provider id, method of the first call, URL of that call, call)
Case = tuple[dict[str, Any], str, str, str, Callable[[Any, Path], object]]
CASES: list[Case] = [
    (
        VOICE_PROVIDERS,
        "elevenlabs",
        "POST",
        "https://api.elevenlabs.io/v1/text-to-speech/SAz9YHcvj6GT2YYXdXww/with-timestamps",
        lambda p, d: p.synthesize(request=VoiceRequest(text="hi"), out_dir=d),
    ),
    (
        VOICE_PROVIDERS,
        "openai",
        "POST",
        "https://api.openai.com/v1/audio/speech",
        lambda p, d: p.synthesize(request=VoiceRequest(text="hi"), out_dir=d),
    ),
    (
        MEDIA_PROVIDERS,
        "pexels",
        "GET",
        "https://api.pexels.com/videos/search",
        lambda p, d: p.fetch(request=MediaRequest(keywords=["x"]), out_dir=d),
    ),
    (
        MEDIA_PROVIDERS,
        "unsplash",
        "GET",
        "https://api.unsplash.com/search/photos",
        lambda p, d: p.fetch(request=MediaRequest(keywords=["x"]), out_dir=d),
    ),
    (
        VIDEO_AI_PROVIDERS,
        "runway",
        "POST",
        "https://api.dev.runwayml.com/v1/text_to_video",
        lambda p, d: p.submit(request=VideoAIRequest(prompt="x")),
    ),
    (
        VIDEO_AI_PROVIDERS,
        "luma",
        "GET",
        "https://api.lumalabs.ai/dream-machine/v1/generations/g1",
        lambda p, d: p.poll(job_id="g1"),
    ),
    (
        VIDEO_AI_PROVIDERS,
        "veo",
        "GET",
        "https://generativelanguage.googleapis.com/v1beta/models/veo/operations/o1",
        lambda p, d: p.poll(job_id="models/veo/operations/o1"),
    ),
    (
        ASSEMBLY_PROVIDERS,
        "creatomate",
        "POST",
        "https://api.creatomate.com/v1/renders",
        lambda p, d: p.submit(request=RENDER),
    ),
    (
        ASSEMBLY_PROVIDERS,
        "shotstack",
        "GET",
        "https://api.shotstack.io/edit/v1/render/r1",
        lambda p, d: p.poll(job_id="r1"),
    ),
]
IDS = [case[1] for case in CASES]


def _run(case: Case, client: httpx.Client, tmp_path: Path) -> ProviderError:
    registry, pid, _, _, call = case
    provider = registry[pid](KEY, client)
    with pytest.raises(ProviderError) as caught:
        call(provider, tmp_path)
    error = caught.value
    assert error.provider == pid
    assert KEY not in repr(error.to_dict())
    return error


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_401_is_final_and_keeps_the_payload(
    case: Case, respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    payload = {"error": {"message": "Invalid API key", "code": "invalid_api_key"}}
    respx_mock.request(case[2], case[3]).mock(return_value=httpx.Response(401, json=payload))
    error = _run(case, client, tmp_path)
    assert (error.status_code, error.transient, error.payload) == (401, False, payload)
    assert error.message == "Invalid API key"
    assert error.code == "invalid_api_key"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_429_with_retry_after_seconds(
    case: Case, respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    respx_mock.request(case[2], case[3]).mock(
        return_value=httpx.Response(429, headers={"Retry-After": "17"}, text="Too Many Requests")
    )
    error = _run(case, client, tmp_path)
    assert (error.status_code, error.transient, error.retry_after_s) == (429, True, 17.0)
    assert error.payload == "Too Many Requests"


@pytest.mark.parametrize("case", CASES[::3], ids=IDS[::3])
def test_429_with_retry_after_http_date(
    case: Case, respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    respx_mock.request(case[2], case[3]).mock(
        return_value=httpx.Response(
            429, headers={"Retry-After": when}, json={"message": "slow down"}
        )
    )
    error = _run(case, client, tmp_path)
    assert error.transient
    assert error.retry_after_s is not None and 100 < error.retry_after_s <= 120


@pytest.mark.parametrize("status", [500, 502, 503])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_5xx_is_transient(
    case: Case, status: int, respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    respx_mock.request(case[2], case[3]).mock(
        return_value=httpx.Response(status, text="<html>oops</html>")
    )
    error = _run(case, client, tmp_path)
    assert (error.status_code, error.transient) == (status, True)


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (httpx.ReadTimeout("read timed out"), "timeout"),
        (httpx.ConnectError("refused"), "unreachable"),
    ],
)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_timeouts_and_connection_failures_are_transient(
    case: Case,
    exc: Exception,
    code: str,
    respx_mock: respx.MockRouter,
    client: httpx.Client,
    tmp_path: Path,
) -> None:
    respx_mock.request(case[2], case[3]).mock(side_effect=exc)
    error = _run(case, client, tmp_path)
    assert (error.status_code, error.code, error.transient) == (None, code, True)


# --------------------------------------------------------------------------- registry


def test_registries_use_catalogue_ids() -> None:
    catalogue = {p.value for p in Provider}
    for clients in (VOICE_PROVIDERS, MEDIA_PROVIDERS, VIDEO_AI_PROVIDERS, ASSEMBLY_PROVIDERS):
        assert set(clients) <= catalogue
    assert set(VOICE_PROVIDERS) == {"elevenlabs", "openai"}
    assert set(MEDIA_PROVIDERS) == {"pexels", "unsplash"}
    assert set(VIDEO_AI_PROVIDERS) == {"runway", "luma", "veo"}
    assert set(ASSEMBLY_PROVIDERS) == {"creatomate", "shotstack"}


@pytest.mark.parametrize(
    ("registry", "methods"),
    [
        (VOICE_PROVIDERS, ("synthesize",)),
        (MEDIA_PROVIDERS, ("fetch",)),
        (VIDEO_AI_PROVIDERS, ("submit", "poll", "download")),
        (ASSEMBLY_PROVIDERS, ("submit", "poll")),
    ],
)
def test_factories_build_providers_lazily(
    registry: dict[str, Any], methods: tuple[str, ...], respx_mock: respx.MockRouter
) -> None:
    for pid, factory in registry.items():
        provider = factory(KEY, None, {})
        assert provider.name == pid
        assert all(callable(getattr(provider, m)) for m in methods)
        assert provider._client is None  # no client (and no request) until first use
        assert KEY not in repr(provider)
    assert not respx_mock.calls


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(ValueError):
        VOICE_PROVIDERS["openai"]("", None, {})


def test_shotstack_factory_reads_the_environment_option() -> None:
    factory = ASSEMBLY_PROVIDERS["shotstack"]
    assert factory(KEY, None, {}).environment == "v1"  # type: ignore[attr-defined]
    assert factory(KEY, None, {"environment": "stage"}).environment == "stage"  # type: ignore[attr-defined]
    with pytest.raises(ValueError):
        factory(KEY, None, {"environment": "prod"})


def test_creatomate_factory_reads_the_captions_option() -> None:
    factory = ASSEMBLY_PROVIDERS["creatomate"]
    assert factory(KEY, None, {}).captions == "scene"  # type: ignore[attr-defined]
    assert factory(KEY, None, {"captions": "transcribed"}).captions == "transcribed"  # type: ignore[attr-defined]
    with pytest.raises(ValueError):
        factory(KEY, None, {"captions": "karaoke"})
