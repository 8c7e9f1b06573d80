"""The schedule CSV and duplicate-warning routes over HTTP: content type, download name,
413 / 422 bounds with the standard error body, and the per-row import answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform
from synthora.services import post_schedule_io as io_svc
from synthora.settings import get_settings
from tests.conftest import AuthEmulator, PlatformEmulators
from tests.functions.test_posts import BASE, _user
from tests.services.test_posts import _connect, _video
from tests.support.calls import bearer, error
from tests.support.openapi import document


@pytest.fixture
def client(platform_emulators: PlatformEmulators, auth: AuthEmulator) -> FlaskClient:
    spec = get_manifest(get_settings().manifest_file).function("posts")
    app: FlaskClient = create_function_app(spec, get_settings().functions_dir).test_client()
    return app


def test_import_export_and_conflicts_routes(
    client: FlaskClient,
    auth: AuthEmulator,
    mp4: bytes,
) -> None:
    token, uid = _user(auth, "csv@example.com")
    platform = get_platform()
    yt = _connect(platform, "youtube", uid=uid)
    vid = _video(platform, mp4, uid=uid)
    at = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    text = f"video_id,account_id,scheduled_at\n{vid},{yt},{at.isoformat()}\n"

    none = client.get(f"{BASE}/conflicts?video_id={vid}&account_ids={yt}", headers=bearer(token))
    assert none.status_code == 200 and none.get_json()["conflicts"] == []

    dry = client.post(f"{BASE}/import", json={"csv": text}, headers=bearer(token))
    assert dry.status_code == 200, dry.get_json()
    assert dry.get_json()["dry_run"] and dry.get_json()["rows"][0]["status"] == "valid"
    made = client.post(
        f"{BASE}/import", json={"csv": text, "dry_run": False}, headers=bearer(token)
    )
    assert made.get_json()["posts_created"] == 1
    post_id = made.get_json()["rows"][0]["post_id"]

    dup = client.get(f"{BASE}/conflicts?video_id={vid}&account_ids={yt}", headers=bearer(token))
    assert [(c["post_id"], c["status"]) for c in dup.get_json()["conflicts"]] == [
        (post_id, "queued")
    ]

    exported = client.get(f"{BASE}/export?status=scheduled", headers=bearer(token))
    assert exported.status_code == 200
    assert exported.mimetype == "text/csv"
    assert "synthora-schedule.csv" in exported.headers["Content-Disposition"]
    lines = exported.get_data(as_text=True).splitlines()
    assert lines[0] == ",".join(io_svc.EXPORT_COLUMNS) and post_id in lines[1]

    bad_range = client.get(
        f"{BASE}/export?start=2030-01-02T00:00:00Z&end=2030-01-01T00:00:00Z", headers=bearer(token)
    )
    assert bad_range.status_code == 422 and error(bad_range)["code"] == "validation_failed"
    too_big = client.post(
        f"{BASE}/import",
        json={"csv": "video_id,account_id,scheduled_at\n" + "x" * io_svc.MAX_IMPORT_CHARS},
        headers=bearer(token),
    )
    assert too_big.status_code == 413 and error(too_big)["code"] == "csv_too_large"
    huge_body = client.post(
        f"{BASE}/import",
        data=b'{"csv": "' + b"x" * (io_svc.IMPORT_MAX_BODY + 10) + b'"}',
        headers={**bearer(token), "Content-Type": "application/json"},
    )
    assert huge_body.status_code == 413
    no_header = client.post(f"{BASE}/import", json={"csv": "title\nhello"}, headers=bearer(token))
    assert no_header.status_code == 422 and error(no_header)["code"] == "csv_invalid"
    assert client.get(f"{BASE}/export").status_code == 401


def test_the_export_is_documented_as_csv() -> None:
    op = document()["paths"]["/api/v1/posts/export"]["get"]
    assert list(op["responses"]["200"]["content"]) == ["text/csv"]
    assert op["responses"]["422"]["content"]["application/json"]
    imp = document()["paths"]["/api/v1/posts/import"]["post"]
    assert {"413", "422"} <= set(imp["responses"])
