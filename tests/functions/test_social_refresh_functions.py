"""The social refresh cron and task functions, as Cloud Scheduler and Cloud Tasks call them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import respx
from flask.testing import FlaskClient

from synthora.adapters.sqlite_tasks import SqliteTaskQueue
from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform, set_platform
from synthora.services import social_accounts as svc
from synthora.services.cleanup import registered_targets
from synthora.settings import Settings, get_settings, reset_settings_cache

TT_TOKEN = "https://open.tiktokapis.com/v2/oauth/token/"


def _client(settings: Settings, name: str) -> FlaskClient:
    spec = get_manifest(settings.manifest_file).function(name)
    return create_function_app(spec, settings.functions_dir).test_client()


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SYNTHORA_TIKTOK_CLIENT_KEY", "tt-key")
    monkeypatch.setenv("SYNTHORA_TIKTOK_CLIENT_SECRET", "tt-secret-value")
    reset_settings_cache()
    set_platform(None)
    return get_settings()


def _seed_due_account(uid: str = "u1") -> str:
    """A connected TikTok account whose access token is about to expire."""
    from pydantic import SecretStr

    from synthora.providers.social import (
        Capabilities,
        ConnectedAccount,
        PlatformProfile,
        SocialPlatform,
        TokenSet,
    )

    account = svc._store_account(  # the storage path every connect takes
        get_platform(),
        uid=uid,
        social=SocialPlatform.TIKTOK,
        account=ConnectedAccount(
            profile=PlatformProfile(platform_account_id="-open", display_name="Ada"),
            tokens=TokenSet(
                access_token=SecretStr("act.0"),
                refresh_token=SecretStr("rft.0"),
                expires_in=60,
                refresh_expires_in=15552000,
            ),
            scopes=["user.info.basic"],
            capabilities=Capabilities(can_publish=False, can_read_analytics=False),
        ),
        emulated=False,
        refreshable=True,
    )
    return account.id


def test_cron_and_task_are_internal_only(settings: Settings) -> None:
    assert _client(settings, "social_refresh_cron").post("/").status_code == 403
    task = _client(settings, "social_refresh")
    assert task.post("/", json={"account_id": "a", "token_version": 1}).status_code == 403


def test_cron_fans_out_one_named_task_per_due_account_and_the_task_refreshes(
    settings: Settings,
) -> None:
    internal = {"X-Synthora-Internal-Token": settings.secret("internal_token")}
    account_id = _seed_due_account()
    cron = _client(settings, "social_refresh_cron")
    plan = cron.post("/", headers={**internal, "X-CloudScheduler-JobName": "social-refresh"})
    assert plan.status_code == 200 and plan.get_json()["accounts"] == [account_id]
    again = cron.post("/", headers={**internal, "X-CloudScheduler-JobName": "social-refresh"})
    assert again.get_json()["enqueued"] == 0 and again.get_json()["already_enqueued"] == 1
    queue = get_platform().tasks
    assert isinstance(queue, SqliteTaskQueue)
    version = get_platform().documents.document(f"social_accounts/{account_id}").get()
    body = {"account_id": account_id, "token_version": version.get("token_version")}
    task = _client(settings, "social_refresh")
    with respx.mock() as api:
        api.post(TT_TOKEN).respond(
            200,
            json={
                "access_token": "act.1",
                "expires_in": 7200,
                "open_id": "-open",
                "refresh_expires_in": 15552000,
                "refresh_token": "rft.1",
                "scope": "user.info.basic",
                "token_type": "Bearer",
            },
        )
        first = task.post("/", json=body, headers={**internal, "X-CloudTasks-TaskRetryCount": "0"})
        assert first.status_code == 200 and first.get_json()["result"] == "refreshed"
        # Cloud Tasks delivers the same task twice: nothing is spent again
        second = task.post("/", json=body, headers=internal)
        assert second.status_code == 200
        assert second.get_json()["result"] == "refreshed_elsewhere"
        assert api.calls.call_count == 1
    stored = get_platform().documents.document(f"social_accounts/{account_id}").get()
    assert stored.get("refresh_at") > datetime.now(UTC) + timedelta(hours=1)


def test_task_answers_503_on_a_transient_platform_error(settings: Settings) -> None:
    internal = {"X-Synthora-Internal-Token": settings.secret("internal_token")}
    account_id = _seed_due_account()
    version = get_platform().documents.document(f"social_accounts/{account_id}").get()
    task = _client(settings, "social_refresh")
    with respx.mock() as api:
        api.post(TT_TOKEN).respond(502)
        r = task.post(
            "/",
            json={"account_id": account_id, "token_version": version.get("token_version")},
            headers=internal,
        )
    assert r.status_code == 503  # the queue retries; the account stays connected
    stored = get_platform().documents.document(f"social_accounts/{account_id}").get()
    assert stored.get("status") == "connected"


def test_expired_selections_are_a_cleanup_target() -> None:
    assert "social_selections" in registered_targets()
    assert "oauth_states" in registered_targets()
