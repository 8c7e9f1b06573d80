"""What an admin does in the Firebase console reaches the app (docs/admin-console.md).

Against the Firebase Auth emulator and the embedded document store: a role
changed in the app shows in the user's custom claims; a user disabled in Auth
is refused on every route once the shared revocation cache entry is older than
`REVOCATION_CACHE_TTL_S`; an app setting edited raw in the store takes effect
once the settings cache is older than `CACHE_TTL_S`; written documents keep
native timestamps (no dates stored as strings).
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from firebase_admin import auth as firebase_auth

from synthora import identity
from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform
from synthora.services import app_settings, notifications, users
from synthora.settings import Settings, get_settings
from tests.conftest import AuthEmulator
from tests.support.calls import bearer, error, uid_of

pytestmark = pytest.mark.emulator


@pytest.fixture
def clients(settings: Settings, auth: AuthEmulator) -> dict[str, Any]:
    identity.forget_revocation_check()
    app_settings.clear_cache()
    manifest = get_manifest(settings.manifest_file)
    return {
        g: create_function_app(manifest.function(g), settings.functions_dir).test_client()
        for g in ("auth", "users", "notifications")
    }


def _signed_in(clients: dict[str, Any], auth: AuthEmulator, email: str) -> str:
    token = auth.sign_up(email)
    r = clients["auth"].post("/api/v1/auth/login", json={"id_token": token})
    assert r.status_code == 200, r.get_json()
    return token


def _age_revocation_cache(uid: str) -> None:
    """As if `REVOCATION_CACHE_TTL_S` had passed since the user was last checked."""
    checked, valid_after, disabled = identity._revocation_cache[uid]
    identity._revocation_cache[uid] = (
        checked - identity.REVOCATION_CACHE_TTL_S - 1,
        valid_after,
        disabled,
    )


def test_a_role_change_shows_in_the_users_custom_claims(
    clients: dict[str, Any], auth: AuthEmulator
) -> None:
    admin = _signed_in(clients, auth, "first-admin@example.com")  # the first user is admin
    member = _signed_in(clients, auth, "member@example.com")
    app = identity._firebase_app(get_settings())
    assert firebase_auth.get_user(uid_of(member), app=app).custom_claims == {"role": "free"}
    firebase_auth.set_custom_user_claims(uid_of(member), {"role": "free", "team": "a"}, app=app)

    users.set_role(
        platform=get_platform(), admin_uid=uid_of(admin), target_uid=uid_of(member), role="premium"
    )

    claims = firebase_auth.get_user(uid_of(member), app=app).custom_claims
    assert claims == {"role": "premium", "team": "a"}  # other claims kept
    assert firebase_auth.get_user(uid_of(admin), app=app).custom_claims == {"role": "admin"}


def test_a_user_disabled_in_the_auth_console_is_refused_on_every_route(
    clients: dict[str, Any], auth: AuthEmulator
) -> None:
    token = _signed_in(clients, auth, "to-disable@example.com")
    uid = uid_of(token)
    assert clients["users"].get("/api/v1/users/profile", headers=bearer(token)).status_code == 200

    firebase_auth.update_user(uid, disabled=True, app=identity._firebase_app(get_settings()))
    # Within the cache bound this instance may still answer from its last check...
    assert clients["users"].get("/api/v1/users/profile", headers=bearer(token)).status_code == 200
    _age_revocation_cache(uid)  # ...once it is older than REVOCATION_CACHE_TTL_S, refused
    for client, path in (
        (clients["users"], "/api/v1/users/profile"),
        (clients["notifications"], "/api/v1/notifications"),
        (clients["auth"], "/api/v1/auth/me"),
    ):
        r = client.get(path, headers=bearer(token))
        assert r.status_code == 403, (path, r.get_json())
        assert error(r)["code"] == "account_disabled"


def test_an_app_setting_edited_in_the_console_applies_within_the_cache_lifetime(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = get_platform()
    app_settings.clear_cache()
    clock = [1000.0]
    monkeypatch.setattr(app_settings.time, "monotonic", lambda: clock[0])
    assert app_settings.get_features(platform=platform).signups_open is True

    # What the Firestore console writes: the raw document, no API call, no cache flush.
    platform.documents.document("app_settings/features").set(
        {"value": {"signups_open": False}, "updated_at": datetime.now(UTC), "updated_by": "console"}
    )
    clock[0] += app_settings.CACHE_TTL_S - 1
    assert app_settings.get_features(platform=platform).signups_open is True  # still cached
    clock[0] += 2
    features = app_settings.get_features(platform=platform)
    assert features.signups_open is False
    assert app_settings.get_setting(platform=platform, key="features").updated_by == "console"

    # A wrong type typed in the console falls back to the defaults instead of failing.
    platform.documents.document("app_settings/features").set({"value": {"signups_open": "maybe"}})
    clock[0] += app_settings.CACHE_TTL_S + 1
    assert app_settings.get_features(platform=platform).signups_open is True


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _string_dates(value: Any, path: str = "") -> list[str]:
    if isinstance(value, dict):
        if set(value) == {"__ts__"}:
            return []  # the embedded store's native timestamp
        return [p for k, v in value.items() for p in _string_dates(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _string_dates(v, f"{path}[{i}]")]
    if isinstance(value, str) and _ISO_DATE.match(value):
        return [f"{path} = {value!r}"]
    return []


def test_written_documents_keep_native_timestamps_and_readable_names(
    clients: dict[str, Any], auth: AuthEmulator
) -> None:
    from synthora.services import limits

    token = _signed_in(clients, auth, "scan@example.com")
    uid = uid_of(token)
    platform = get_platform()
    soon = datetime.now(UTC) + timedelta(days=2)
    notifications.notify_scheduled_post_reminder(
        platform=platform, uid=uid, post_id="p1", scheduled_at=soon
    )
    notifications.notify_subscription_expiring(platform=platform, uid=uid, expires_at=soon)
    notifications.notify_video_failed(
        platform=platform, uid=uid, video_id="v1", title="t", error="e"
    )
    app_settings.put_setting(
        platform=platform, admin_uid=uid, key="features", value={"maintenance_mode": False}
    )
    limits.reserve_generation(platform=platform, uid=uid, video_id="v1")

    with sqlite3.connect(platform.settings.data_dir / "synthora.sqlite3") as conn:
        rows = conn.execute("SELECT path, data FROM doc_documents").fetchall()
    assert len(rows) >= 6
    found: list[str] = []
    for path, data in rows:
        doc = json.loads(data)
        found += [f"{path}{p}" for p in _string_dates(doc)]
        # readable field names: no single-letter or encoded keys at the top level
        assert all(re.fullmatch(r"[a-z][a-z0-9_]{1,40}", k) for k in doc), (path, sorted(doc))
    assert not found, "dates stored as strings:\n" + "\n".join(found)
