"""The integrations function end to end: real Auth emulator tokens, the embedded
queue delivering `integration_validate`, provider APIs as respx routes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from flask.testing import FlaskClient

from synthora.adapters.sqlite_tasks import QueueDispatcher, SqliteTaskQueue
from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform
from synthora.settings import Settings, reset_settings_cache
from tests.conftest import AuthEmulator
from tests.support.calls import bearer, error, uid_of

OPENAI_KEY = "sk-test-0123456789abcdefghijABCD"
OPENAI_KEY_2 = "sk-proj-ZYXWVUTSRQPONMLKJIH98765"
ELEVEN_KEY = "el_0123456789abcdef0123456789abcdef"
MODELS = "https://api.openai.com/v1/models"
BASE = "/api/v1/integrations"


# --------------------------------------------------------------------------- harness


@pytest.fixture
def client(settings: Settings) -> FlaskClient:
    spec = get_manifest(settings.manifest_file).function("integrations")
    client: FlaskClient = create_function_app(spec, settings.functions_dir).test_client()
    return client


@pytest.fixture
def dispatcher(settings: Settings) -> Iterator[QueueDispatcher]:
    """Delivers queued tasks to the task function in-process, as the gateway would."""
    spec = get_manifest(settings.manifest_file).function("integration_validate")
    app = create_function_app(spec, settings.functions_dir)
    http = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://tasks.local")
    queue = get_platform().tasks
    assert isinstance(queue, SqliteTaskQueue)
    d = QueueDispatcher(
        queue=queue,
        url_for=lambda fn: "http://tasks.local/",
        internal_token=settings.secret("internal_token"),
        poll_interval_s=0.01,
        client=http,
    )
    yield d
    http.close()


@pytest.fixture
def provider_api() -> Iterator[respx.MockRouter]:
    """Provider HTTP as respx routes; anything else on loopback (the emulator) passes."""
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as mock:
        mock.route(host="127.0.0.1").pass_through()
        yield mock


def task_state(name: str) -> str | None:
    """The embedded queue's state for a named task (None when never enqueued)."""
    queue = get_platform().tasks
    assert isinstance(queue, SqliteTaskQueue)
    task = queue.get_task(name)
    return None if task is None else str(task["state"])


def add(client: FlaskClient, token: str, **body: Any) -> Any:
    return client.post(BASE, json=body, headers=bearer(token))


def raw_database_text() -> str:
    """Every row of every table of the embedded store's SQLite file, as text."""
    import sqlite3

    path = get_platform().settings.sqlite_path
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        rows = [repr(row) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"')]
    finally:
        conn.close()
    assert rows, "nothing stored"
    return "\n".join(rows)


def all_stored_values() -> list[tuple[str, str]]:
    """Every string in every stored document, with its document path."""
    store = get_platform().documents
    out: list[tuple[str, str]] = []

    def walk(path: str, value: Any) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(path, v)
        elif isinstance(value, list):
            for v in value:
                walk(path, v)
        elif isinstance(value, str):
            out.append((path, value))

    for group in ("integrations", "audit"):
        for snap in store.collection_group(group).get():
            walk(snap.reference.path, snap.to_dict())
            # the raw JSON form too, as an adapter would persist it
            out.append((snap.reference.path, json.dumps(snap.to_dict(), default=str)))
    return out


# --------------------------------------------------------------------------- auth and catalogue


def test_anonymous_callers_are_refused_but_the_catalogue_is_public(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    for method, path in [
        ("GET", BASE),
        ("POST", BASE),
        ("GET", f"{BASE}/status"),
        ("GET", f"{BASE}/available"),
        ("POST", f"{BASE}/abc/reveal"),
        ("PATCH", f"{BASE}/abc/toggle"),
    ]:
        r = client.open(path, method=method, json={})
        assert r.status_code == 401, (method, path)
        assert error(r)["code"] == "unauthenticated"
    r = client.get(f"{BASE}/providers")
    assert r.status_code == 200
    categories = {c["category"]: c for c in r.get_json()["categories"]}
    assert list(categories) == ["script", "voice", "media", "video_ai", "assembly"]
    voice = [p["id"] for p in categories["voice"]["providers"]]
    assert voice == ["openai", "elevenlabs"]  # OpenAI covers voice as a secondary category
    assert categories["video_ai"]["optional"] is True
    assert categories["assembly"]["offline_fallback"] == "ffmpeg (local)"
    shotstack = next(p for p in categories["assembly"]["providers"] if p["id"] == "shotstack")
    assert shotstack["options"] == {"environment": ["v1", "stage"]}


def test_available_marks_what_i_configured(
    client: FlaskClient, auth: AuthEmulator, provider_api: respx.MockRouter
) -> None:
    token = auth.sign_up("ava@example.com")
    created = add(client, token, provider="openai", api_key=OPENAI_KEY).get_json()
    r = client.get(f"{BASE}/available", headers=bearer(token))
    assert r.status_code == 200
    items = {i["id"]: i for i in r.get_json()["items"]}
    from synthora.providers.registry import all_providers

    assert set(items) == {p.id for p in all_providers()}  # every provider, once
    assert items["openai"]["configured"] is True
    assert items["openai"]["integration_id"] == created["id"]
    assert items["openai"]["validation_status"] == "pending"
    assert items["openai"]["key_format"].startswith("Secret keys start with")
    assert items["pexels"]["configured"] is False
    assert items["ffmpeg"]["needs_key"] is False


# --------------------------------------------------------------------------- add + background check


def test_add_stores_only_ciphertext_and_shows_a_masked_key(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    token = auth.sign_up("ann@example.com")
    r = add(client, token, provider="openai", api_key=f"  {OPENAI_KEY}\n")
    assert r.status_code == 201, r.get_json()
    out = r.get_json()
    assert out["provider"] == "openai"
    assert out["categories"] == ["script", "voice"]
    assert out["masked_key"] == "sk-...ABCD"
    assert out["validation"]["status"] == "pending"
    assert out["validation"]["valid"] is None
    assert out["is_active"] is True
    assert OPENAI_KEY not in r.get_data(as_text=True)

    raw = raw_database_text()
    assert "users/" in raw and "masked_key" in raw  # the integration really is in there
    assert OPENAI_KEY not in raw and OPENAI_KEY[3:-4] not in raw
    stored = all_stored_values()
    assert stored, "the integration was not stored"
    for path, value in stored:
        assert OPENAI_KEY not in value, path
        assert OPENAI_KEY[3:-4] not in value, path  # not even the middle of the key

    listed = client.get(BASE, headers=bearer(token)).get_json()
    assert [i["id"] for i in listed["items"]] == [out["id"]]
    assert OPENAI_KEY not in json.dumps(listed)
    assert listed["categories_covered"] == ["script", "voice"]
    assert listed["can_generate"] is True

    assert task_state(f"integration-validate-{out['id']}-1") == "pending"


@pytest.mark.parametrize(
    ("response", "status", "valid", "http_status", "message_part"),
    [
        (
            httpx.Response(200, json={"object": "list", "data": [{"id": "gpt-4o"}]}),
            "valid",
            True,
            200,
            "works",
        ),
        (
            httpx.Response(
                401,
                json={
                    "error": {
                        "message": "Incorrect API key provided: sk-test-*****ABCD.",
                        "code": "invalid_api_key",
                    }
                },
            ),
            "invalid",
            False,
            401,
            "Incorrect API key provided",
        ),
        (
            httpx.Response(
                429,
                headers={"Retry-After": "20"},
                json={"error": {"message": "Rate limit reached for requests"}},
            ),
            "rate_limited",
            False,
            429,
            "Rate limit reached",
        ),
        (
            httpx.Response(503, json={"error": {"message": "The engine is currently overloaded"}}),
            "provider_error",
            False,
            503,
            "overloaded",
        ),
        (httpx.TimeoutException("read timed out"), "unreachable", False, None, ""),
    ],
    ids=["ok", "401", "429", "5xx", "timeout"],
)
def test_add_then_background_check_stores_the_providers_verdict(
    client: FlaskClient,
    auth: AuthEmulator,
    dispatcher: QueueDispatcher,
    provider_api: respx.MockRouter,
    response: Any,
    status: str,
    valid: bool,
    http_status: int | None,
    message_part: str,
) -> None:
    token = auth.sign_up("val@example.com")
    route = provider_api.get(MODELS)
    if isinstance(response, Exception):
        route.mock(side_effect=response)
    else:
        route.mock(return_value=response)
    created = add(client, token, provider="openai", api_key=OPENAI_KEY).get_json()

    assert dispatcher.drain(timeout_s=10)
    assert route.call_count == 1
    sent = route.calls.last.request
    assert sent.headers["Authorization"] == f"Bearer {OPENAI_KEY}"

    listed = client.get(BASE, headers=bearer(token)).get_json()
    validation = listed["items"][0]["validation"]
    assert validation["status"] == status
    assert validation["valid"] is valid
    assert validation["http_status"] == http_status
    assert message_part in validation["message"]
    assert validation["checked_at"] is not None
    assert validation["seq"] == 1
    if status == "rate_limited":
        assert validation["retry_after_s"] == 20
    assert task_state(f"integration-validate-{created['id']}-1") == "done"
    for path, value in all_stored_values():
        assert OPENAI_KEY not in value, path
    assert OPENAI_KEY not in raw_database_text()  # nor in a stored provider message


def test_a_duplicate_delivery_does_not_check_twice(
    client: FlaskClient,
    auth: AuthEmulator,
    settings: Settings,
    provider_api: respx.MockRouter,
) -> None:
    token = auth.sign_up("dup@example.com")
    route = provider_api.get(MODELS).mock(return_value=httpx.Response(401, json={}))
    created = add(client, token, provider="openai", api_key=OPENAI_KEY).get_json()
    spec = get_manifest(settings.manifest_file).function("integration_validate")
    task_client = create_function_app(spec, settings.functions_dir).test_client()
    headers = {"X-Synthora-Internal-Token": settings.secret("internal_token")}
    body = {"uid": uid_of(token), "integration_id": created["id"], "seq": 1}
    first = task_client.post("/", json=body, headers=headers)
    second = task_client.post("/", json=body, headers=headers)
    assert first.get_json() == {"outcome": "validated", "status": "invalid", "notified": True}
    assert second.get_json()["outcome"] == "already_done"
    assert second.get_json()["notified"] is False  # the owner is told once
    assert route.call_count == 1
    # and nobody else may post to the task function
    r = task_client.post("/", json=body)
    assert r.status_code == 403


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        (
            {"provider": "openai", "api_key": "not-an-openai-key"},
            "invalid_key_format",
            "body.api_key",
        ),
        ({"provider": "myspace", "api_key": OPENAI_KEY}, "validation_failed", "body.provider"),
        ({"provider": "openai"}, "validation_failed", "body.api_key"),
        ({"provider": "openai", "api_key": ""}, "validation_failed", "body.api_key"),
        (
            {"provider": "openai", "api_key": "sk-" + "a" * 5000},
            "validation_failed",
            "body.api_key",
        ),
        (
            {"provider": "elevenlabs", "api_key": "has space inside key"},
            "validation_failed",
            "body.api_key",
        ),
        ({"provider": "ffmpeg", "api_key": "anything-at-all"}, "validation_failed", "body.api_key"),
        (
            {"provider": "ffmpeg", "options": {"binary": "/bin/sh"}},
            "validation_failed",
            "body.options.binary",
        ),
        (
            {"provider": "shotstack", "api_key": "a" * 40, "options": {"environment": "prod"}},
            "validation_failed",
            "body.options.environment",
        ),
        (
            {"provider": "openai", "api_key": OPENAI_KEY, "options": {"region": "cn"}},
            "validation_failed",
            "body.options.region",
        ),
    ],
)
def test_bad_adds_are_4xx_and_store_nothing(
    client: FlaskClient, auth: AuthEmulator, body: dict[str, Any], code: str, field: str
) -> None:
    token = auth.sign_up("bad@example.com")
    r = add(client, token, **body)
    assert r.status_code == 422, r.get_json()
    err = error(r)
    assert err["code"] == code
    assert any(d["field"] == field for d in err["details"]), err
    assert "not-an-openai-key" not in json.dumps(err)  # the key is never echoed
    assert get_platform().documents.collection_group("integrations").get() == []


def test_second_integration_for_the_same_provider_is_a_conflict(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    token = auth.sign_up("twice@example.com")
    first = add(client, token, provider="openai", api_key=OPENAI_KEY).get_json()
    r = add(client, token, provider="openai", api_key=OPENAI_KEY_2)
    assert r.status_code == 409
    err = error(r)
    assert err["code"] == "integration_exists"
    assert err["details"]["integration_id"] == first["id"]
    assert f"PATCH /api/v1/integrations/{first['id']}" in err["message"]
    assert len(get_platform().documents.collection_group("integrations").get()) == 1
    # another user may connect the same provider
    other = auth.sign_up("other@example.com")
    assert add(client, other, provider="openai", api_key=OPENAI_KEY).status_code == 201


def test_ffmpeg_needs_no_key(client: FlaskClient, auth: AuthEmulator) -> None:
    token = auth.sign_up("ff@example.com")
    r = add(client, token, provider="ffmpeg")
    assert r.status_code == 201
    assert r.get_json()["masked_key"] is None
    r = client.post(f"{BASE}/{r.get_json()['id']}/reveal", headers=bearer(token))
    assert r.status_code == 404
    assert error(r)["code"] == "no_key"


# --------------------------------------------------------------------------- someone else's


def test_someone_elses_integration_is_not_found_everywhere(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    owner = auth.sign_up("owner@example.com")
    intruder = auth.sign_up("intruder@example.com")
    iid = add(client, owner, provider="openai", api_key=OPENAI_KEY).get_json()["id"]
    for method, path, body in [
        ("PATCH", f"{BASE}/{iid}", {"api_key": OPENAI_KEY_2}),
        ("DELETE", f"{BASE}/{iid}", None),
        ("POST", f"{BASE}/{iid}/validate", None),
        ("POST", f"{BASE}/{iid}/reveal", None),
        ("PATCH", f"{BASE}/{iid}/toggle", {}),
        ("PATCH", f"{BASE}/nope-not-there", {"api_key": OPENAI_KEY_2}),
    ]:
        r = client.open(path, method=method, json=body, headers=bearer(intruder))
        assert r.status_code == 404, (method, path, r.get_json())
        assert error(r)["code"] == "integration_not_found"
        assert OPENAI_KEY not in r.get_data(as_text=True)
    mine = client.get(BASE, headers=bearer(owner)).get_json()["items"][0]
    assert mine["masked_key"] == "sk-...ABCD" and mine["is_active"] is True
    assert client.get(BASE, headers=bearer(intruder)).get_json()["items"] == []


# --------------------------------------------------------------------------- update, toggle, delete


def test_patch_replaces_the_key_and_makes_the_old_check_stale(
    client: FlaskClient,
    auth: AuthEmulator,
    dispatcher: QueueDispatcher,
    provider_api: respx.MockRouter,
) -> None:
    token = auth.sign_up("pat@example.com")
    route = provider_api.get(MODELS).mock(return_value=httpx.Response(200, json={"data": []}))
    iid = add(client, token, provider="openai", api_key=OPENAI_KEY).get_json()["id"]
    r = client.patch(f"{BASE}/{iid}", json={"api_key": OPENAI_KEY_2}, headers=bearer(token))
    assert r.status_code == 200, r.get_json()
    out = r.get_json()
    assert out["masked_key"] == "sk-proj-...8765"
    assert out["key_version"] == 2
    assert out["validation"]["status"] == "pending"

    assert dispatcher.drain(timeout_s=10)
    # the first task (for the old key) found itself stale: one provider call, new key
    assert route.call_count == 1
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {OPENAI_KEY_2}"
    got = client.get(BASE, headers=bearer(token)).get_json()["items"][0]
    assert got["validation"]["status"] == "valid"
    assert got["validation"]["key_version"] == 2

    r = client.patch(f"{BASE}/{iid}", json={}, headers=bearer(token))
    assert r.status_code == 422
    r = client.patch(f"{BASE}/{iid}", json={"api_key": "nope"}, headers=bearer(token))
    assert r.status_code == 422
    assert error(r)["code"] == "invalid_key_format"
    revealed = client.post(f"{BASE}/{iid}/reveal", headers=bearer(token)).get_json()
    assert revealed["api_key"] == OPENAI_KEY_2  # the refused update changed nothing


def test_toggle_and_delete(client: FlaskClient, auth: AuthEmulator) -> None:
    token = auth.sign_up("tog@example.com")
    iid = add(client, token, provider="openai", api_key=OPENAI_KEY).get_json()["id"]
    r = client.patch(f"{BASE}/{iid}/toggle", headers=bearer(token))
    assert r.status_code == 200 and r.get_json()["is_active"] is False
    status = client.get(f"{BASE}/status", headers=bearer(token)).get_json()
    assert status["steps"][0]["source"] == "offline"
    r = client.patch(f"{BASE}/{iid}/toggle", json={"is_active": True}, headers=bearer(token))
    assert r.get_json()["is_active"] is True
    r = client.patch(f"{BASE}/{iid}/toggle", json={"is_active": "maybe"}, headers=bearer(token))
    assert r.status_code == 422

    r = client.delete(f"{BASE}/{iid}", headers=bearer(token))
    assert r.status_code == 204
    assert client.delete(f"{BASE}/{iid}", headers=bearer(token)).status_code == 404
    assert client.get(BASE, headers=bearer(token)).get_json()["items"] == []


def test_check_for_a_deleted_integration_does_nothing(
    client: FlaskClient,
    auth: AuthEmulator,
    dispatcher: QueueDispatcher,
    provider_api: respx.MockRouter,
) -> None:
    token = auth.sign_up("gone@example.com")
    route = provider_api.get(MODELS).mock(return_value=httpx.Response(200, json={}))
    iid = add(client, token, provider="openai", api_key=OPENAI_KEY).get_json()["id"]
    client.delete(f"{BASE}/{iid}", headers=bearer(token))
    assert dispatcher.drain(timeout_s=10)
    assert route.call_count == 0
    assert task_state(f"integration-validate-{iid}-1") == "done"


# --------------------------------------------------------------------------- validate on demand


def test_validate_on_demand_queued_and_inline(
    client: FlaskClient,
    auth: AuthEmulator,
    dispatcher: QueueDispatcher,
    provider_api: respx.MockRouter,
) -> None:
    token = auth.sign_up("chk@example.com")
    route = provider_api.get(MODELS).mock(return_value=httpx.Response(200, json={}))
    iid = add(client, token, provider="openai", api_key=OPENAI_KEY).get_json()["id"]
    assert dispatcher.drain(timeout_s=10)
    assert route.call_count == 1

    r = client.post(f"{BASE}/{iid}/validate", headers=bearer(token))
    assert r.status_code == 202
    body = r.get_json()
    assert body["mode"] == "queued"
    assert body["task"] == f"integration-validate-{iid}-2"
    assert body["integration"]["validation"]["status"] == "pending"
    assert dispatcher.drain(timeout_s=10)
    assert route.call_count == 2

    route.mock(return_value=httpx.Response(401, json={"error": {"message": "revoked key"}}))
    r = client.post(f"{BASE}/{iid}/validate?sync=true", headers=bearer(token))
    assert r.status_code == 200
    body = r.get_json()
    assert body["mode"] == "inline"
    assert body["integration"]["validation"]["status"] == "invalid"
    assert body["integration"]["validation"]["message"] == "revoked key"
    assert route.call_count == 3
    r = client.post(f"{BASE}/{iid}/validate?sync=perhaps", headers=bearer(token))
    assert r.status_code == 422


# --------------------------------------------------------------------------- reveal


def test_reveal_returns_the_key_to_its_owner_and_audits_it(
    client: FlaskClient, auth: AuthEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # behind one trusted proxy: the address it appended is the caller's, not the one sent
    monkeypatch.setenv("SYNTHORA_TRUSTED_PROXY_HOPS", "1")
    reset_settings_cache()
    token = auth.sign_up("rev@example.com")
    iid = add(client, token, provider="openai", api_key=OPENAI_KEY).get_json()["id"]
    r = client.post(
        f"{BASE}/{iid}/reveal",
        headers={
            **bearer(token),
            "User-Agent": "pytest-browser/1",
            "X-Forwarded-For": "198.51.100.66, 203.0.113.9",
        },
    )
    assert r.status_code == 200
    assert r.get_json() == {"id": iid, "provider": "openai", "api_key": OPENAI_KEY}
    assert r.headers["Cache-Control"] == "no-store"
    audits = get_platform().documents.collection_group("audit").get()
    assert len(audits) == 1
    record = audits[0].to_dict()
    assert record is not None
    uid = uid_of(token)
    assert audits[0].reference.path.startswith(f"users/{uid}/audit/")
    assert record["action"] == "integration.reveal"
    assert record["actor_uid"] == uid
    assert record["integration_id"] == iid
    assert record["client_ip"] == "203.0.113.9"
    assert record["user_agent"] == "pytest-browser/1"
    assert record["at"] is not None


def test_reveals_are_rate_limited(client: FlaskClient, auth: AuthEmulator) -> None:
    token = auth.sign_up("many@example.com")
    iid = add(client, token, provider="openai", api_key=OPENAI_KEY).get_json()["id"]
    for _ in range(10):
        assert client.post(f"{BASE}/{iid}/reveal", headers=bearer(token)).status_code == 200
    r = client.post(f"{BASE}/{iid}/reveal", headers=bearer(token))
    assert r.status_code == 429
    assert error(r)["code"] == "rate_limited"
    assert int(r.headers["Retry-After"]) > 0
    assert OPENAI_KEY not in r.get_data(as_text=True)
    assert len(get_platform().documents.collection_group("audit").get()) == 10


# --------------------------------------------------------------------------- readiness


def test_status_without_integrations_uses_offline_providers(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    token = auth.sign_up("new@example.com")
    r = client.get(f"{BASE}/status", headers=bearer(token))
    assert r.status_code == 200
    body = r.get_json()
    assert body["can_generate"] is True
    steps = {s["step"]: s for s in body["steps"]}
    assert list(steps) == ["script", "voice", "media", "video_ai", "assembly"]
    assert steps["script"] == {
        "step": "script",
        "source": "offline",
        "provider": None,
        "provider_name": "template writer",
        "integration_id": None,
        "validation_status": None,
        "available": True,
        "note": "no usable integration: the local offline provider runs",
        "not_used": [],
    }
    assert steps["voice"]["provider_name"] == "piper/espeak-ng"
    assert steps["video_ai"]["source"] == "none"
    assert steps["video_ai"]["provider_name"] == "not available"
    assert steps["video_ai"]["available"] is False
    assert body["missing_categories"] == ["script", "voice", "media", "video_ai", "assembly"]


def test_status_prefers_valid_primary_providers(
    client: FlaskClient,
    auth: AuthEmulator,
    dispatcher: QueueDispatcher,
    provider_api: respx.MockRouter,
) -> None:
    token = auth.sign_up("pref@example.com")
    provider_api.get(MODELS).mock(return_value=httpx.Response(200, json={"data": []}))
    provider_api.get("https://api.elevenlabs.io/v1/user").mock(
        return_value=httpx.Response(200, json={"subscription": {"tier": "free"}})
    )
    openai = add(client, token, provider="openai", api_key=OPENAI_KEY).get_json()
    eleven = add(client, token, provider="elevenlabs", api_key=ELEVEN_KEY).get_json()
    # Sora is retired (OpenAI shut its Videos API down): a new key is refused.
    retired = add(client, token, provider="sora", api_key=OPENAI_KEY)
    assert retired.status_code == 422
    assert retired.get_json()["error"]["code"] == "provider_retired"
    assert dispatcher.drain(timeout_s=10)

    steps = {
        s["step"]: s
        for s in client.get(f"{BASE}/status", headers=bearer(token)).get_json()["steps"]
    }
    assert steps["script"]["integration_id"] == openai["id"]
    assert steps["script"]["validation_status"] == "valid"
    # ElevenLabs' primary category is voice: it wins over OpenAI TTS
    assert steps["voice"]["integration_id"] == eleven["id"]
    assert steps["voice"]["provider_name"] == "ElevenLabs"
    assert steps["video_ai"]["source"] == "none"
    assert steps["media"]["source"] == "offline"

    client.patch(f"{BASE}/{eleven['id']}/toggle", headers=bearer(token))
    steps = {
        s["step"]: s
        for s in client.get(f"{BASE}/status", headers=bearer(token)).get_json()["steps"]
    }
    assert steps["voice"]["provider"] == "openai"
