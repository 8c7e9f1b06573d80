"""The cleanup cron and worker functions, as Cloud Scheduler and Cloud Tasks call them."""

from __future__ import annotations

from flask.testing import FlaskClient

from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.settings import Settings


def _client(settings: Settings, name: str) -> FlaskClient:
    spec = get_manifest(settings.manifest_file).function(name)
    return create_function_app(spec, settings.functions_dir).test_client()


def test_cron_fans_out_and_worker_runs_a_batch(settings: Settings) -> None:
    internal = {"X-Synthora-Internal-Token": settings.secret("internal_token")}
    cron = _client(settings, "cleanup_cron")
    assert cron.post("/").status_code == 403  # nobody else may trigger it
    plan = cron.post("/", headers={**internal, "X-CloudScheduler-JobName": "cleanup-cron"})
    assert plan.status_code == 200
    assert any(name.startswith("cleanup-expired_videos-") for name in plan.get_json()["enqueued"])
    worker = _client(settings, "cleanup_worker")
    body = {"target": "oauth_states", "run_id": "20261124"}
    r = worker.post("/", json=body, headers=internal)
    assert r.status_code == 200 and r.get_json()["records_deleted"] == 0
    bad = worker.post("/", json={**body, "target": "everything"}, headers=internal)
    assert (
        bad.status_code == 422 and "oauth_states" in bad.get_json()["error"]["details"]["allowed"]
    )
    malformed = worker.post("/", json={"target": "oauth_states", "run_id": "yesterday"},
                            headers=internal)  # fmt: skip
    assert malformed.status_code == 422
