"""Infra reconciliation from the manifest, asserted on the client request objects.

Fake clients keep state like the services, so a second plan after `apply` must
be all `ok` (idempotence). Queue creation also runs against gcloud-tasks-emulator
with the real `google-cloud-tasks` client.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from google.cloud import scheduler_v1, tasks_v2

from synthora.deploy.infra import (
    HttpCall,
    InfraClients,
    InfraConfig,
    Plan,
    apply_plan,
    build_plan,
    main,
    plan_queues,
)
from synthora.deploy.naming import DeployNames
from synthora.manifest import Manifest, load_manifest
from tests.conftest import FIXTURE_FUNCTIONS
from tests.deploy.fakes import FakeRest, FakeScheduler, FakeStorage, FakeTasks
from tests.emulators.fixtures import tasks_emulator  # noqa: F401 - session fixture
from tests.emulators.processes import Emulator

PROJECT = "demo-synthora"
LOCATION = f"projects/{PROJECT}/locations/us-central1"
INVOKER = f"synthora-invoker@{PROJECT}.iam.gserviceaccount.com"
URL = f"https://us-central1-{PROJECT}.cloudfunctions.net"


@pytest.fixture
def manifest() -> Manifest:
    return load_manifest(FIXTURE_FUNCTIONS / "manifest.toml").model_copy(deep=True)


@pytest.fixture
def real_manifest() -> Manifest:
    from synthora.settings import REPO_ROOT

    return load_manifest(REPO_ROOT / "functions" / "manifest.toml")


@pytest.fixture
def clients() -> InfraClients:
    return InfraClients(
        tasks=FakeTasks(), scheduler=FakeScheduler(), storage=FakeStorage(), rest=FakeRest(PROJECT)
    )


@pytest.fixture
def config() -> InfraConfig:
    return InfraConfig(names=DeployNames(project=PROJECT), video_retention_days=45)


def _sa(function: str) -> str:
    return f"fn-{function.replace('_', '-')}@{PROJECT}.iam.gserviceaccount.com"


def test_fresh_project_plan_creates_everything(
    manifest: Manifest, clients: InfraClients, config: InfraConfig
) -> None:
    plan = build_plan(manifest, config=config, clients=clients)
    verbs = {(a.resource, a.verb) for a in plan.actions}
    assert ("function", "deploy") in verbs
    assert all(a.verb in ("create", "deploy") for a in plan.actions)

    # queues: tasks_v2.CreateQueueRequest with rate limits and retry config
    (queue,) = plan.of("queue")
    request = queue.request
    assert isinstance(request, tasks_v2.CreateQueueRequest)
    assert request.parent == LOCATION
    assert request.queue.name == f"{LOCATION}/queues/probe"
    assert request.queue.rate_limits.max_dispatches_per_second == 100
    assert request.queue.rate_limits.max_concurrent_dispatches == 4
    retry = request.queue.retry_config
    assert retry.max_attempts == 4 and retry.max_doublings == 2
    assert retry.min_backoff == timedelta(seconds=0.05)
    assert retry.max_backoff == timedelta(seconds=0.2)

    # scheduler: scheduler_v1.CreateJobRequest, HTTP POST + OIDC for the invoker account
    (job,) = plan.of("scheduler_job")
    request = job.request
    assert isinstance(request, scheduler_v1.CreateJobRequest)
    assert request.parent == LOCATION
    assert request.job.name == f"{LOCATION}/jobs/synthora-probe-cron"
    assert request.job.schedule == "* * * * *" and request.job.time_zone == "Etc/UTC"
    target = request.job.http_target
    assert target.uri == f"{URL}/probe-cron"
    assert target.http_method == scheduler_v1.HttpMethod.POST
    assert target.oidc_token.service_account_email == INVOKER
    assert target.oidc_token.audience == f"{URL}/probe-cron"
    assert request.job.attempt_deadline == timedelta(seconds=15)  # clamped to the minimum

    # one service account per function plus the invoker
    accounts = plan.of("service_account")
    assert sorted(a.name for a in accounts) == sorted(
        [INVOKER, _sa("echo"), _sa("probe_task"), _sa("probe_cron")]
    )
    create = accounts[0].request
    assert isinstance(create, HttpCall) and create.method == "POST"
    assert create.url == f"https://iam.googleapis.com/v1/projects/{PROJECT}/serviceAccounts"
    assert create.body is not None and create.body["accountId"] == "synthora-invoker"

    # project IAM: http kind reads users/{uid}; an invoker gets the enqueuer role
    (project_iam,) = plan.of("project_iam")
    bindings = {
        (b["role"], m) for b in project_iam.request.body["policy"]["bindings"] for m in b["members"]
    }
    assert bindings == {
        ("roles/datastore.user", f"serviceAccount:{_sa('echo')}"),
        ("roles/cloudtasks.enqueuer", f"serviceAccount:{_sa('probe_cron')}"),
    }
    assert project_iam.request.url.endswith(f"/projects/{PROJECT}:setIamPolicy")

    # actAs on the invoker for the function that enqueues with its OIDC token
    resource_iam = {a.name: a for a in plan.of("resource_iam")}
    invoker_policy = resource_iam[INVOKER].request.body["policy"]
    assert invoker_policy["bindings"] == [
        {"role": "roles/iam.serviceAccountUser", "members": [f"serviceAccount:{_sa('probe_cron')}"]}
    ]

    # secrets: containers only, and accessor bindings for every function mounting them
    (secret,) = plan.of("secret")
    assert secret.name == "SYNTHORA_MASTER_KEYS"
    assert secret.request.url.endswith("/secrets?secretId=SYNTHORA_MASTER_KEYS")
    assert secret.request.body == {
        "replication": {"automatic": {}},
        "labels": {"managed-by": "synthora"},
    }
    assert "payload" not in str(secret.request.body)  # never a value
    accessor = resource_iam["secrets/SYNTHORA_MASTER_KEYS"].request.body["policy"]["bindings"]
    assert accessor[0]["role"] == "roles/secretmanager.secretAccessor"
    assert len(accessor[0]["members"]) == 3

    # bucket with lifecycle rules
    (bucket,) = plan.of("bucket")
    spec = bucket.request
    assert spec.name == f"{PROJECT}-synthora-media" and spec.location == "US-CENTRAL1"
    assert {"action": {"type": "Delete"}, "condition": {"age": 1, "matchesPrefix": ["tmp/"]}} in (
        spec.lifecycle_rules
    )
    assert {
        "action": {"type": "Delete"},
        "condition": {"age": 45, "matchesPrefix": ["videos/"]},
    } in spec.lifecycle_rules


def test_apply_then_plan_again_changes_nothing(
    manifest: Manifest, clients: InfraClients, config: InfraConfig
) -> None:
    plan = build_plan(manifest, config=config, clients=clients)
    applied = apply_plan(plan)
    assert len(applied) == len(plan.changes) > 0
    storage = clients.storage
    created = storage.created[0]
    assert created.iam_configuration.uniform_bucket_level_access_enabled
    assert created.iam_configuration.public_access_prevention == "enforced"
    again = build_plan(manifest, config=config, clients=clients)
    assert again.changes == [], [a.line() for a in again.changes]
    assert apply_plan(again) == []
    # the second apply sent no request at all
    assert len(clients.tasks.requests) == 1 and len(clients.scheduler.requests) == 1


def test_drift_is_updated_with_a_field_mask(
    manifest: Manifest, clients: InfraClients, config: InfraConfig
) -> None:
    apply_plan(build_plan(manifest, config=config, clients=clients))
    manifest.queues["probe"].max_concurrent_dispatches = 9
    manifest.queues["probe"].retry.max_attempts = 7
    cron = manifest.function("probe_cron")
    cron.schedule = "*/5 * * * *"
    cron.time_zone = "Europe/Paris"
    plan = build_plan(manifest, config=config, clients=clients)
    (queue,) = plan.of("queue")
    assert queue.verb == "update" and isinstance(queue.request, tasks_v2.UpdateQueueRequest)
    assert sorted(queue.request.update_mask.paths) == [
        "rate_limits.max_concurrent_dispatches",
        "retry_config.max_attempts",
    ]
    (job,) = plan.of("scheduler_job")
    assert job.verb == "update" and isinstance(job.request, scheduler_v1.UpdateJobRequest)
    assert sorted(job.request.update_mask.paths) == ["schedule", "time_zone"]
    apply_plan(plan)
    assert build_plan(manifest, config=config, clients=clients).changes == []


def test_removed_cron_job_is_deleted_and_bucket_rules_restored(
    manifest: Manifest, clients: InfraClients, config: InfraConfig
) -> None:
    apply_plan(build_plan(manifest, config=config, clients=clients))
    manifest.functions = [f for f in manifest.functions if f.name != "probe_cron"]
    manifest.function("echo").invokes = []
    bucket = clients.storage.buckets[f"{PROJECT}-synthora-media"]
    bucket.lifecycle_rules = []
    plan = build_plan(manifest, config=config, clients=clients)
    (job,) = plan.of("scheduler_job")
    assert job.verb == "delete" and isinstance(job.request, scheduler_v1.DeleteJobRequest)
    assert job.request.name == f"{LOCATION}/jobs/synthora-probe-cron"
    (bucket_action,) = plan.of("bucket")
    assert bucket_action.verb == "update" and bucket_action.detail == "lifecycle_rules"
    apply_plan(plan)
    assert bucket.patched == 1 and len(bucket.lifecycle_rules) == 2
    assert clients.scheduler.jobs == {}


def test_existing_unrelated_bindings_are_kept(
    manifest: Manifest, clients: InfraClients, config: InfraConfig
) -> None:
    rest = clients.rest
    assert isinstance(rest, FakeRest)
    rest.policies[f"projects/{PROJECT}"] = {
        "etag": "BwX",
        "bindings": [{"role": "roles/owner", "members": ["user:admin@example.com"]}],
    }
    apply_plan(build_plan(manifest, config=config, clients=clients))
    policy = rest.policies[f"projects/{PROJECT}"]
    assert policy["etag"] == "BwX"  # read-modify-write keeps the etag for concurrency control
    assert {"role": "roles/owner", "members": ["user:admin@example.com"]} in policy["bindings"]


def test_plan_prints_every_resource(real_manifest: Manifest, clients: InfraClients) -> None:
    lines: list[str] = []
    assert main(["plan", "--project", PROJECT], clients=clients, write=lines.append) == 0
    text = "\n".join(lines)
    for spec in real_manifest.functions:
        assert f"{URL}/{spec.deploy_name}" in text
        assert _sa(spec.name) in text
    for queue in real_manifest.queues:
        assert f"queue            {LOCATION}/queues/{queue}" in text
    for spec in real_manifest.of_kind("cron"):
        assert f"{LOCATION}/jobs/synthora-{spec.deploy_name}" in text
    assert "bucket           demo-synthora-synthora-media" in text
    assert "secret           SYNTHORA_MASTER_KEYS" in text
    assert lines[-1].startswith("summary: ")
    assert clients.tasks.requests == [] and clients.rest.sent == []  # plan changes nothing


def test_apply_cli(manifest: Manifest, clients: InfraClients, tmp_path: Path) -> None:
    path = tmp_path / "manifest.toml"
    path.write_text((FIXTURE_FUNCTIONS / "manifest.toml").read_text())
    lines: list[str] = []
    args = ["apply", "--project", PROJECT, "--manifest", str(path)]
    assert main(args, clients=clients, write=lines.append) == 0
    assert any(line.startswith("applied create  queue") for line in lines)
    lines.clear()
    assert main(args, clients=clients, write=lines.append) == 0
    assert lines[-1] == "applied 0 change(s)"


@pytest.mark.emulator
@pytest.mark.xdist_group("tasks-emulator")
def test_queue_creation_against_the_tasks_emulator(
    manifest: Manifest,
    tasks_emulator: Emulator,  # noqa: F811 - session fixture imported above
) -> None:
    import grpc
    from google.cloud.tasks_v2.services.cloud_tasks.transports import CloudTasksGrpcTransport

    channel = grpc.insecure_channel(tasks_emulator.host)
    client = tasks_v2.CloudTasksClient(transport=CloudTasksGrpcTransport(channel=channel))
    names = DeployNames(project="demo-infra-test", region="europe-west1")
    plan = Plan(project=names.project, actions=plan_queues(manifest, names=names, tasks=client))
    assert [a.verb for a in plan.actions] == ["create"]
    apply_plan(plan)
    queue = client.get_queue(name="projects/demo-infra-test/locations/europe-west1/queues/probe")
    assert queue.rate_limits.max_concurrent_dispatches == 4
    assert queue.retry_config.max_attempts == 4
    again = plan_queues(manifest, names=names, tasks=client)
    assert [a.verb for a in again] == ["ok"]
    channel.close()


def test_iam_writes_are_retried_while_iam_propagates() -> None:
    from synthora.deploy.infra import InfraError, _with_retries

    attempts: list[int] = []
    slept: list[float] = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise InfraError("400 Service account fn-x@p.iam.gserviceaccount.com does not exist")
        return "ok"

    assert _with_retries(flaky, delays_s=(1, 2, 4), sleep=slept.append) == "ok"
    assert slept == [1, 2]

    def always_conflicting() -> str:
        raise InfraError("409 etag mismatch")

    with pytest.raises(InfraError):
        _with_retries(always_conflicting, delays_s=(0,), sleep=slept.append)
