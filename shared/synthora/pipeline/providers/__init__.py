"""Online providers for the pipeline steps, each behind the step's interface.

The registries map a provider id (as in the integrations catalogue) to a
factory `(api_key, client=None, options=None) -> provider`; `options` are the
integration's non-secret options (Shotstack's `environment`, Creatomate's
`captions`).
Building a provider makes no network call; its HTTP client is created on first
use unless one is injected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, TypeVar

import httpx

from synthora.pipeline.contracts import (
    CloudAssemblyProvider,
    MediaProvider,
    VideoAIProvider,
    VoiceProvider,
)
from synthora.pipeline.providers.assembly import CreatomateRender, ShotstackRender
from synthora.pipeline.providers.media import PexelsMedia, UnsplashMedia
from synthora.pipeline.providers.video_ai import LumaVideo, RunwayVideo, SoraVideo, VeoVideo
from synthora.pipeline.providers.voice import ElevenLabsVoice, OpenAITTSVoice, TimedVoiceResult

P_co = TypeVar("P_co", covariant=True)


class ProviderFactory(Protocol[P_co]):
    """Builds a provider from the user's key (and, in tests, an injected client)."""

    def __call__(
        self,
        api_key: str,
        client: httpx.Client | None = None,
        options: Mapping[str, str] | None = None,
    ) -> P_co: ...


def _voice_elevenlabs(
    api_key: str,
    client: httpx.Client | None = None,
    options: Mapping[str, str] | None = None,
) -> VoiceProvider:
    return ElevenLabsVoice(api_key=api_key, client=client)


def _voice_openai(
    api_key: str,
    client: httpx.Client | None = None,
    options: Mapping[str, str] | None = None,
) -> VoiceProvider:
    return OpenAITTSVoice(api_key=api_key, client=client)


def _media_pexels(
    api_key: str,
    client: httpx.Client | None = None,
    options: Mapping[str, str] | None = None,
) -> MediaProvider:
    return PexelsMedia(api_key=api_key, client=client)


def _media_unsplash(
    api_key: str,
    client: httpx.Client | None = None,
    options: Mapping[str, str] | None = None,
) -> MediaProvider:
    return UnsplashMedia(api_key=api_key, client=client)


def _video_runway(
    api_key: str,
    client: httpx.Client | None = None,
    options: Mapping[str, str] | None = None,
) -> VideoAIProvider:
    return RunwayVideo(api_key=api_key, client=client)


def _video_luma(
    api_key: str,
    client: httpx.Client | None = None,
    options: Mapping[str, str] | None = None,
) -> VideoAIProvider:
    return LumaVideo(api_key=api_key, client=client)


def _video_sora(
    api_key: str,
    client: httpx.Client | None = None,
    options: Mapping[str, str] | None = None,
) -> VideoAIProvider:
    return SoraVideo(api_key=api_key, client=client)


def _video_veo(
    api_key: str,
    client: httpx.Client | None = None,
    options: Mapping[str, str] | None = None,
) -> VideoAIProvider:
    return VeoVideo(api_key=api_key, client=client)


def _assembly_creatomate(
    api_key: str,
    client: httpx.Client | None = None,
    options: Mapping[str, str] | None = None,
) -> CloudAssemblyProvider:
    # Option `captions`: "scene" (default, one caption per scene) or
    # "transcribed" (Creatomate's word-highlighted subtitles from the voice).
    captions = (options or {}).get("captions", "scene")
    if captions not in ("scene", "transcribed"):
        raise ValueError(f"creatomate: unknown captions mode {captions!r}")
    return CreatomateRender(
        api_key=api_key,
        client=client,
        captions="transcribed" if captions == "transcribed" else "scene",
    )


def _assembly_shotstack(
    api_key: str,
    client: httpx.Client | None = None,
    options: Mapping[str, str] | None = None,
) -> CloudAssemblyProvider:
    # The integration's `environment` option picks the sandbox (`stage`) or
    # production (`v1`); each has its own key.
    environment = (options or {}).get("environment", "v1")
    if environment not in ("v1", "stage"):
        raise ValueError(f"shotstack: unknown environment {environment!r}")
    return ShotstackRender(
        api_key=api_key,
        client=client,
        environment="stage" if environment == "stage" else "v1",
    )


VOICE_PROVIDERS: dict[str, ProviderFactory[VoiceProvider]] = {
    "elevenlabs": _voice_elevenlabs,
    "openai": _voice_openai,
}
MEDIA_PROVIDERS: dict[str, ProviderFactory[MediaProvider]] = {
    "pexels": _media_pexels,
    "unsplash": _media_unsplash,
}
VIDEO_AI_PROVIDERS: dict[str, ProviderFactory[VideoAIProvider]] = {
    "runway": _video_runway,
    "luma": _video_luma,
    "sora": _video_sora,
    "veo": _video_veo,
}
ASSEMBLY_PROVIDERS: dict[str, ProviderFactory[CloudAssemblyProvider]] = {
    "creatomate": _assembly_creatomate,
    "shotstack": _assembly_shotstack,
}

__all__ = [
    "ASSEMBLY_PROVIDERS",
    "MEDIA_PROVIDERS",
    "VIDEO_AI_PROVIDERS",
    "VOICE_PROVIDERS",
    "CreatomateRender",
    "ElevenLabsVoice",
    "LumaVideo",
    "OpenAITTSVoice",
    "PexelsMedia",
    "ProviderFactory",
    "RunwayVideo",
    "ShotstackRender",
    "SoraVideo",
    "TimedVoiceResult",
    "UnsplashMedia",
    "VeoVideo",
]
