from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform
from synthora.settings import Settings


def _client(settings: Settings, name: str) -> FlaskClient:
    spec = get_manifest(settings.manifest_file).function(name)
    return create_function_app(spec, settings.functions_dir).test_client()


def test_health_reports_version_adapters_and_store(settings: Settings) -> None:
    r = _client(settings, "health").get("/api/v1/health")
    assert r.status_code == 200
    body = r.get_json()
    assert body["status"] == "ok" and body["store_reachable"] is True
    assert body["adapters"] == {
        "documents": "sqlite",
        "tasks": "sqlite-queue",
        "blobs": "local-folder",
        "scheduler": "gateway-cron",
        # the suite's Auth emulator, when a test before this one started it
        "auth": "firebase-auth-emulator"
        if settings.firebase_auth_emulator_host
        else "firebase-auth",
    }


def test_health_is_503_when_the_store_does_not_answer(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = get_platform().documents

    def down() -> bool:
        raise OSError("disk gone")

    monkeypatch.setattr(store, "ping", down)
    r = _client(settings, "health").get("/api/v1/health")
    assert r.status_code == 503
    assert r.get_json()["status"] == "degraded" and r.get_json()["store_reachable"] is False


def test_config_hands_the_browser_the_emulator(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
    from synthora.settings import reset_settings_cache

    reset_settings_cache()
    body = _client(settings, "config").get("/api/v1/config").get_json()
    assert body["auth_emulator_url"] == "http://127.0.0.1:9099"
    assert body["firebase"]["projectId"] == "demo-synthora"
    assert body["environment"] == "test"


EMULATOR_VARIABLES = [
    ("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099"),
    ("FIRESTORE_EMULATOR_HOST", "127.0.0.1:8088"),
    ("STORAGE_EMULATOR_HOST", "http://127.0.0.1:9023"),
    ("CLOUD_TASKS_EMULATOR_HOST", "127.0.0.1:8123"),
    ("SYNTHORA_PLATFORM_EMULATOR_URL", "http://127.0.0.1:9500"),
]


def _production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FIREBASE_AUTH_EMULATOR_HOST", raising=False)  # the suite's emulator
    monkeypatch.setenv("SYNTHORA_ENVIRONMENT", "production")
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "synthora-prod")
    monkeypatch.setenv("SYNTHORA_MASTER_KEYS", "p1:" + "A" * 43 + "=")


@pytest.mark.parametrize(("name", "value"), EMULATOR_VARIABLES)
def test_outside_local_an_emulator_variable_refuses_the_start(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    from synthora.settings import ConfigurationError, get_settings, reset_settings_cache

    _production(monkeypatch)
    reset_settings_cache()
    get_settings()  # production without emulators starts
    monkeypatch.setenv(name, value)
    reset_settings_cache()
    with pytest.raises(ConfigurationError, match=name):
        get_settings()


def test_every_function_answers_503_misconfigured_with_an_emulator_in_production(
    fixture_functions: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forged (unsigned) token never gets near a handler: nothing is served."""
    from synthora.settings import reset_settings_cache

    echo = _client(fixture_functions, "echo")
    _production(monkeypatch)
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
    reset_settings_cache()
    for path in ("/api/v1/echo/me", "/api/v1/echo/items"):
        r = echo.get(path, headers={"Authorization": "Bearer eyJhbGciOiJub25lIn0.e30."})
        assert r.status_code == 503
        body = r.get_json()["error"]
        assert body["code"] == "misconfigured"
        assert "FIREBASE_AUTH_EMULATOR_HOST" in body["details"]["reason"]


def test_health_lists_the_emulators_in_use_locally(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synthora.platform import set_platform
    from synthora.settings import reset_settings_cache

    monkeypatch.delenv("FIREBASE_AUTH_EMULATOR_HOST", raising=False)
    reset_settings_cache()
    set_platform(None)
    assert _client(settings, "health").get("/api/v1/health").get_json()["emulators"] == []
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
    monkeypatch.setenv("SYNTHORA_PLATFORM_EMULATOR_URL", "http://127.0.0.1:9500")
    reset_settings_cache()
    set_platform(None)
    body = _client(settings, "health").get("/api/v1/health").get_json()
    assert body["emulators"] == ["FIREBASE_AUTH_EMULATOR_HOST", "SYNTHORA_PLATFORM_EMULATOR_URL"]


def test_the_announcement_reaches_everyone_through_the_public_config(settings: Settings) -> None:
    from synthora.services import app_settings

    app_settings.clear_cache()
    client = _client(settings, "config")
    assert client.get("/api/v1/config").get_json()["announcement"] is None
    app_settings.put_setting(
        platform=get_platform(),
        admin_uid="admin",
        key="announcement",
        value={"message": "Maintenance tonight at 22:00 UTC", "level": "warning"},
    )
    body = client.get("/api/v1/config").get_json()
    assert body["announcement"] == {
        "message": "Maintenance tonight at 22:00 UTC",
        "level": "warning",
    }


def test_health_is_degraded_when_the_configured_auth_emulator_is_down(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sign-in cannot work without the emulator the API trusts: health says so."""
    from synthora.platform import set_platform
    from synthora.settings import reset_settings_cache
    from tests.conftest import free_port

    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", f"127.0.0.1:{free_port()}")  # nothing there
    reset_settings_cache()
    set_platform(None)
    r = _client(settings, "health").get("/api/v1/health")
    assert r.status_code == 503
    body = r.get_json()
    assert body["status"] == "degraded"
    assert body["store_reachable"] is True and body["auth_emulator_reachable"] is False


def test_health_reports_a_running_auth_emulator(
    settings: Settings, auth: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synthora.platform import set_platform
    from synthora.settings import reset_settings_cache

    reset_settings_cache()
    set_platform(None)
    body = _client(settings, "health").get("/api/v1/health").get_json()
    assert body["status"] == "ok" and body["auth_emulator_reachable"] is True
