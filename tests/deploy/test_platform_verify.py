"""Adapter selection and the start-up check that refuses a production platform
without Google Cloud credentials."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthora.platform import Platform, get_platform
from synthora.settings import ConfigurationError, Settings, reset_settings_cache

MASTER = "p1:" + "A" * 43 + "="
SA = "synthora-invoker@demo-synthora.iam.gserviceaccount.com"


@pytest.fixture(autouse=True)
def _no_auth_emulator(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production refuses emulator variables; the suite's Auth emulator must not leak in."""
    monkeypatch.delenv("FIREBASE_AUTH_EMULATOR_HOST", raising=False)
    reset_settings_cache()


def _prod(**overrides: object) -> Settings:
    base: dict[str, object] = {
        "environment": "production",
        "master_keys": MASTER,
        "google_cloud_project": "demo-synthora",
        "tasks_service_account": SA,
    }
    return Settings(**{**base, **overrides})  # type: ignore[arg-type]


def _no_credentials() -> None:
    from google.auth.exceptions import DefaultCredentialsError

    raise DefaultCredentialsError("Your default credentials were not found.")


def test_embedded_defaults_need_nothing(settings: Settings) -> None:
    platform = Platform(settings)
    names = platform.verify(find_credentials=_no_credentials)
    assert names["documents"] == "sqlite" and names["tasks"] == "sqlite-queue"
    assert names["blobs"] == "local-folder" and names["scheduler"] == "gateway-cron"


def test_emulators_switch_adapters_without_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", "127.0.0.1:8681")
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", "http://127.0.0.1:9023")
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", "127.0.0.1:9022")
    reset_settings_cache()
    platform = get_platform()
    names = platform.verify(find_credentials=_no_credentials)
    assert (names["documents"], names["tasks"], names["blobs"]) == (
        "firestore",
        "cloud-tasks",
        "cloud-storage",
    )
    assert platform.blobs.info()["emulator"] == "http://127.0.0.1:9023"
    assert platform.tasks.info()["emulator"] == "127.0.0.1:9022"


def test_production_selects_google_cloud_adapters() -> None:
    names = Platform(_prod()).verify(find_credentials=lambda: ("creds", "demo-synthora"))
    assert names == {
        "documents": "firestore",
        "tasks": "cloud-tasks",
        "blobs": "cloud-storage",
        "scheduler": "cloud-scheduler",
        "auth": "firebase-auth",
    }


def test_production_without_credentials_fails_with_a_clear_message() -> None:
    with pytest.raises(ConfigurationError) as excinfo:
        Platform(_prod()).verify(find_credentials=_no_credentials)
    message = str(excinfo.value)
    assert "no Google Cloud credentials" in message
    assert "documents, tasks, blobs" in message
    assert "gcloud auth application-default login" in message


def test_production_with_an_unreadable_key_file_fails_at_first_use(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The real google.auth lookup, with no network: a key file path that does not exist."""
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "missing.json"))
    monkeypatch.setenv("SYNTHORA_ENVIRONMENT", "production")
    monkeypatch.setenv("SYNTHORA_MASTER_KEYS", MASTER)
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "demo-synthora")
    monkeypatch.setenv("SYNTHORA_TASKS_SERVICE_ACCOUNT", SA)
    reset_settings_cache()
    with pytest.raises(ConfigurationError, match=r"missing\.json"):
        get_platform()


def test_production_queue_needs_its_oidc_account() -> None:
    with pytest.raises(ConfigurationError, match="SYNTHORA_TASKS_SERVICE_ACCOUNT"):
        Platform(_prod(tasks_service_account=None)).verify(find_credentials=lambda: None)
