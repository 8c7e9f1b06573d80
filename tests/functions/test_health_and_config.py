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
