"""Hard-deleting a user over HTTP, against the Stripe and platform emulators.

The user signs in through the Auth emulator, pays through the emulated Stripe
checkout and connects TikTok on its emulated consent page; the admin deletes
them through the `admin` function and the queue delivers the purge task to
`admin_user_delete`. Afterwards Stripe says the subscription is cancelled,
TikTok says the token was revoked by the client, and no document or file in
the embedded stores names the user except the deletion record.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from synthora.identity import INTERNAL_TOKEN_HEADER
from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform
from synthora.services.billing import stripe_api
from synthora.settings import get_settings
from tests.functions.test_subscriptions import Billing, billing
from tests.services.test_posts import _connect
from tests.services.test_user_deletion import _docs_mentioning, _files_of, _video
from tests.support.calls import bearer, uid_of

pytestmark = pytest.mark.emulator
__all__ = ["billing"]  # the fixture, shared with the subscriptions tests


def _queued(function: str) -> tuple[str, dict[str, object]]:
    db = get_platform().settings.data_dir / "synthora.sqlite3"
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT name, payload FROM task_queue WHERE function = ? AND state = 'pending'",
            (function,),
        ).fetchone()
    assert row is not None, f"no {function} task queued"
    return str(row[0]), json.loads(row[1])


def test_hard_delete_cancels_stripe_revokes_tokens_and_leaves_nothing(billing: Billing) -> None:
    settings = get_settings()
    manifest = get_manifest(settings.manifest_file)
    admin_app = create_function_app(manifest.function("admin"), settings.functions_dir)
    worker = create_function_app(manifest.function("admin_user_delete"), settings.functions_dir)
    admin = admin_app.test_client()

    token = billing.user("leaving@example.com")
    uid = uid_of(token)
    billing.subscribe(token)
    sub_id = get_platform().documents.document(f"users/{uid}").get().get("subscription")["id"]
    platform = get_platform()
    account_id = _connect(platform, "tiktok", uid=uid)
    _video(platform, uid, "leaving-video")
    assert _docs_mentioning(platform, uid) and _files_of(platform, uid)

    detail = admin.get(f"/api/v1/admin/users/{uid}", headers=bearer(billing.admin))
    assert detail.status_code == 200, detail.get_json()
    body = detail.get_json()
    assert body["subscription"]["status"] == "active" and body["videos"] == 1
    assert [a["id"] for a in body["connected_accounts"]] == [account_id]

    mine = admin.delete(
        f"/api/v1/admin/users/{uid_of(billing.admin)}?mode=hard", headers=bearer(billing.admin)
    )
    assert mine.status_code == 403 and mine.get_json()["error"]["code"] == "self_delete"

    r = admin.delete(f"/api/v1/admin/users/{uid}?mode=hard", headers=bearer(billing.admin))
    assert r.status_code == 202, r.get_json()
    assert r.get_json()["status"] == "running"
    name, payload = _queued("admin_user_delete")
    delivered = worker.test_client().post(
        "/",
        json=payload,
        headers={
            INTERNAL_TOKEN_HEADER: settings.secret("internal_token"),
            "X-CloudTasks-QueueName": "maintenance",
            "X-CloudTasks-TaskName": name,
        },
    )
    assert delivered.status_code == 200, delivered.get_json()
    assert delivered.get_json()["outcome"] == "done"
    billing.flush()  # Stripe's webhooks about the cancellation arrive after the purge

    job = admin.get(f"/api/v1/admin/users/{uid}/deletion", headers=bearer(billing.admin)).get_json()
    assert job["status"] == "done"
    assert job["counts"]["subscription"] == 1 and job["counts"]["social_accounts"] >= 1
    assert stripe_api.retrieve_subscription(settings, sub_id)["status"] == "canceled"
    tokens = billing.emulators.inspect("tiktok")["tokens"]
    assert tokens and all(t["revoked"] for t in tokens), tokens  # type: ignore[union-attr]
    assert {t["revoked_reason"] for t in tokens} == {"revoked by the client"}  # type: ignore[union-attr]
    assert _docs_mentioning(platform, uid) == [f"user_deletions/{uid}"]
    assert _files_of(platform, uid) == []
    gone = admin.get(f"/api/v1/admin/users/{uid}", headers=bearer(billing.admin))
    assert gone.status_code == 404
