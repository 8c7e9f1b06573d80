"""The provider registry: complete, consistent, and usable by the API and key checks."""

from __future__ import annotations

import re
from dataclasses import FrozenInstanceError, replace
from urllib.parse import urlsplit

import pytest

from synthora.providers.base import (
    OFFLINE_FALLBACKS,
    AuthMethod,
    IntegrationCategory,
    ProviderDeclaration,
)
from synthora.providers.registry import (
    Provider,
    all_providers,
    get_provider,
    providers_by_category,
)


def test_catalogue_has_the_20_providers() -> None:
    providers = all_providers()
    assert len(providers) == 20
    assert {p.id for p in providers} == set(Provider)


def test_ids_and_names_are_unique() -> None:
    providers = all_providers()
    assert len({p.id for p in providers}) == len(providers)
    assert len({p.display_name for p in providers}) == len(providers)


def test_every_category_is_covered_by_a_primary_provider() -> None:
    grouped = providers_by_category(include_secondary=False)
    assert set(grouped) == set(IntegrationCategory)
    for category, providers in grouped.items():
        assert providers, f"no provider for {category}"


def test_expected_membership() -> None:
    grouped = providers_by_category(include_secondary=False)
    ids = {c: {p.id for p in ps} for c, ps in grouped.items()}
    assert ids[IntegrationCategory.SCRIPT] == {Provider.OPENAI, Provider.OPENAI_COMPATIBLE}
    assert ids[IntegrationCategory.VOICE] == {Provider.ELEVENLABS}
    assert ids[IntegrationCategory.MEDIA] == {Provider.PEXELS, Provider.UNSPLASH}
    assert len(ids[IntegrationCategory.VIDEO_AI]) == 10
    assert ids[IntegrationCategory.ASSEMBLY] == {
        Provider.FFMPEG,
        Provider.CREATOMATE,
        Provider.SHOTSTACK,
        Provider.REMOTION,
        Provider.EDITFRAME,
    }


def test_openai_also_serves_voice() -> None:
    voice = {p.id for p in providers_by_category()[IntegrationCategory.VOICE]}
    assert voice == {Provider.ELEVENLABS, Provider.OPENAI}
    assert get_provider(Provider.OPENAI).categories == (
        IntegrationCategory.SCRIPT,
        IntegrationCategory.VOICE,
    )


@pytest.mark.parametrize("info", all_providers(), ids=lambda i: i.id)
def test_links_are_https(info: ProviderDeclaration) -> None:
    assert info.docs_url.startswith("https://")
    assert urlsplit(info.docs_url).netloc
    if info.keys_url is not None:
        assert info.keys_url.startswith("https://")


@pytest.mark.parametrize("info", all_providers(), ids=lambda i: i.id)
def test_no_provider_is_required_and_fallbacks_match_category(info: ProviderDeclaration) -> None:
    assert info.required_for_generation is False
    assert info.offline_fallback == OFFLINE_FALLBACKS[info.category]


def test_offline_fallbacks() -> None:
    assert OFFLINE_FALLBACKS[IntegrationCategory.SCRIPT] == "template writer"
    assert OFFLINE_FALLBACKS[IntegrationCategory.VOICE] == "piper/espeak-ng"
    assert OFFLINE_FALLBACKS[IntegrationCategory.MEDIA] == "generated backgrounds"
    assert OFFLINE_FALLBACKS[IntegrationCategory.VIDEO_AI] is None
    assert OFFLINE_FALLBACKS[IntegrationCategory.ASSEMBLY] == "ffmpeg (local)"


@pytest.mark.parametrize("info", all_providers(), ids=lambda i: i.id)
def test_auth_is_described(info: ProviderDeclaration) -> None:
    if info.auth.method in (AuthMethod.BEARER, AuthMethod.HEADER):
        assert info.auth.header_name
    if info.auth.method is AuthMethod.BEARER:
        assert info.auth.scheme == "Bearer"
    assert info.needs_key == (info.id != Provider.FFMPEG)


def test_only_ffmpeg_needs_no_key_and_remotion_is_a_key_pair() -> None:
    assert get_provider("ffmpeg").auth.method is AuthMethod.NONE
    assert get_provider("remotion").auth.method is AuthMethod.KEY_SECRET


@pytest.mark.parametrize("info", all_providers(), ids=lambda i: i.id)
def test_every_provider_has_a_validator(info: ProviderDeclaration) -> None:
    assert info.validator.provider == info.id
    assert info.key_check.description


def test_key_format_hints() -> None:
    openai = get_provider("openai").key_format
    assert openai is not None
    assert openai.matches("sk-proj-" + "a" * 40)
    assert not openai.matches("pk-" + "a" * 40)
    veo = get_provider("veo").key_format
    assert veo is not None
    assert veo.matches("AIza" + "B" * 35)
    assert not veo.matches("AIza" + "B" * 10)
    shotstack = get_provider("shotstack").key_format
    assert shotstack is not None
    assert shotstack.matches("HBHjHylztJqjEeIFQxNJWB5g2mPa4lI40wX8oNVD")
    remotion = get_provider("remotion").key_format
    assert remotion is not None
    assert remotion.matches("AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    assert not remotion.matches("AKIAIOSFODNN7EXAMPLE")


def test_key_format_patterns_compile() -> None:
    for info in all_providers():
        if info.key_format is not None:
            re.compile(info.key_format.pattern)


def test_get_provider_accepts_strings_and_refuses_unknown_ids() -> None:
    assert get_provider(Provider.LUMA).id == "luma"
    with pytest.raises(KeyError, match="unknown provider 'nope'"):
        get_provider("nope")


def test_catalogue_entries_are_immutable_and_refuse_http_links() -> None:
    info = get_provider("openai")
    with pytest.raises(FrozenInstanceError):
        info.display_name = "x"  # type: ignore[misc]
    with pytest.raises(ValueError, match="https"):
        replace(info, docs_url="http://platform.openai.com/docs")


def test_key_checks_serialise_for_the_api() -> None:
    assert all_providers()[0].id == "openai"
    assert all_providers()[0].category == "script"
    assert all(isinstance(p.key_check.model_dump(mode="json")["url"], str) for p in all_providers())
