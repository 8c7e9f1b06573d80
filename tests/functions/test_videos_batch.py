"""The batch routes of the videos function, with real Auth emulator tokens."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.settings import Settings
from tests.conftest import AuthEmulator
from tests.support.calls import bearer, error

pytestmark = pytest.mark.emulator
BASE = "/api/v1/videos"
FILE = "topic,template\nwhy cats purr,sys-viral-hook\nwhy dogs bark,sys-viral-hook\n"


@pytest.fixture
def client(settings: Settings, auth: AuthEmulator) -> FlaskClient:
    spec = get_manifest(settings.manifest_file).function("videos")
    return create_function_app(spec, settings.functions_dir).test_client()


def test_validate_answers_rows_and_errors_and_creates_nothing(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    auth.sign_up("admin@example.com")  # the first account is the admin
    token = auth.sign_up("maker@example.com")
    text = FILE + "ab,no-such-template\n"
    r = client.post(f"{BASE}/batch/validate", json={"text": text}, headers=bearer(token))
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["valid"] is False and body["format"] == "csv" and body["total_rows"] == 3
    assert [row["row"] for row in body["rows"]] == [1, 2]
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(3, "topic")]
    listed = client.get(BASE, headers=bearer(token)).get_json()
    assert listed["items"] == []


def test_start_twice_makes_each_video_once_and_reports_refused_rows(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    auth.sign_up("admin@example.com")
    token = auth.sign_up("maker@example.com")
    first = client.post(f"{BASE}/batch", json={"text": FILE}, headers=bearer(token))
    assert first.status_code == 200, first.get_json()
    rows = first.get_json()["rows"]
    # a free user runs one generation at a time: row 2 is refused, the batch is not
    assert [r["status"] for r in rows] == ["created", "refused"]
    assert rows[1]["error"]["code"] == "concurrent_limit_reached"
    again = client.post(f"{BASE}/batch", json={"text": FILE}, headers=bearer(token)).get_json()
    assert [(r["status"], r["video_id"]) for r in again["rows"]] == [
        ("existing", rows[0]["video_id"]),
        ("refused", None),
    ]
    listed = client.get(BASE, headers=bearer(token)).get_json()["items"]
    assert [v["id"] for v in listed] == [rows[0]["video_id"]]
    assert listed[0]["topic"] == "why cats purr"


def test_a_bad_file_is_a_422_naming_each_row(client: FlaskClient, auth: AuthEmulator) -> None:
    auth.sign_up("admin@example.com")
    token = auth.sign_up("maker@example.com")
    text = "topic,template\nwhy cats purr,no-such-template\n"
    r = client.post(f"{BASE}/batch", json={"text": text}, headers=bearer(token))
    assert r.status_code == 422
    err = error(r)
    assert err["code"] == "invalid_batch"
    assert [(d["row"], d["field"]) for d in err["details"]] == [(1, "template")]
    assert client.post(f"{BASE}/batch", json={"text": text}).status_code == 401
