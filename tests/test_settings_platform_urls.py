"""Platform base URLs: the real hosts by default, the local emulators when their URL is set."""

from __future__ import annotations

from typing import Any

import pytest

from synthora.settings import ConfigurationError, Settings


def _settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_real_hosts_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYNTHORA_PLATFORM_EMULATOR_URL", raising=False)
    settings = _settings()
    assert not settings.platforms_emulated
    assert settings.platform_bases("google") == {
        "accounts": "https://accounts.google.com",
        "oauth": "https://oauth2.googleapis.com",
        "youtube": "https://www.googleapis.com/youtube/v3",
        "youtube_upload": "https://www.googleapis.com/upload/youtube/v3",
        "youtube_analytics": "https://youtubeanalytics.googleapis.com/v2",
    }
    assert settings.platform_bases("tiktok") == {
        "auth": "https://www.tiktok.com",
        "api": "https://open.tiktokapis.com",
    }
    assert settings.platform_bases("meta") == {
        "facebook": "https://www.facebook.com/v27.0",
        "graph": "https://graph.facebook.com/v27.0",
    }


def test_emulator_url_points_every_base_at_its_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNTHORA_PLATFORM_EMULATOR_URL", "http://127.0.0.1:8090/")
    settings = _settings(graph_api_version="v27.0")
    assert settings.platforms_emulated
    assert settings.platform_bases("google")["youtube_upload"] == (
        "http://127.0.0.1:8090/google/upload/youtube/v3"
    )
    assert settings.platform_bases("tiktok")["api"] == "http://127.0.0.1:8090/tiktok"
    assert settings.platform_bases("meta")["graph"] == "http://127.0.0.1:8090/meta/v27.0"


def test_a_host_can_be_overridden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYNTHORA_PLATFORM_EMULATOR_URL", raising=False)
    monkeypatch.setenv("SYNTHORA_YOUTUBE_API_URL", "https://youtube.googleapis.com")
    assert _settings().platform_bases("google")["youtube"] == (
        "https://youtube.googleapis.com/youtube/v3"
    )


def test_production_refuses_the_emulators(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNTHORA_PLATFORM_EMULATOR_URL", "http://127.0.0.1:8090")
    with pytest.raises(ConfigurationError, match="PLATFORM_EMULATOR_URL"):
        _settings(environment="production", google_cloud_project="p", master_keys="k1:" + "a" * 44)
