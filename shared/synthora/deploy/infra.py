"""Reconcile Google Cloud infrastructure from the function manifest.

    python -m synthora.deploy.infra plan  --project P [--region R] [--public-url URL]
    python -m synthora.deploy.infra apply --project P [...]

`plan` reads the current state and prints one line per resource (create,
update, delete, ok) without changing anything; `apply` builds the same plan
and carries out its changes, so running it twice changes nothing the second
time. Resources, all derived from `functions/manifest.toml`:

- one service account per function (`fn-<name>`) plus the invoker account
  (`synthora-invoker`) whose OIDC token Cloud Tasks and Cloud Scheduler send;
- project IAM: the manifest's `roles` per function, plus what its kind needs
  (http functions read `users/{uid}`: `roles/datastore.user`; a function that
  `invokes` others: `roles/cloudtasks.enqueuer`);
- resource IAM: `iam.serviceAccountUser` on the invoker account for functions
  that enqueue (to attach its OIDC token), `iam.serviceAccountTokenCreator`
  on itself for functions holding a storage role (V4 URLs signed via IAM
  signBlob), `secretmanager.secretAccessor` on each secret a function mounts;
- Cloud Tasks queues with their rate limits and retry configuration
  (`google-cloud-tasks`);
- Cloud Scheduler jobs, one per cron function: HTTP POST to the function URL
  with an OIDC token of the invoker account, in the function's time zone
  (`google-cloud-scheduler`); stale `synthora-*` jobs are deleted;
- the media bucket with lifecycle rules (`tmp/` deleted after a day,
  `videos/` after the retention period), uniform access, no public access;
- Secret Manager secret containers (never their values).

Functions themselves are deployed by `cloudbuild.yaml` from the staged
bundles (`python -m synthora.deploy.stage --print-deploy-commands`); the plan
lists them too. IAM, Secret Manager and the Resource Manager are called over
their REST APIs with `google.auth` credentials (no extra client library).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from synthora.deploy.naming import INVOKER_ACCOUNT_ID, DeployNames, account_id_for
from synthora.deploy.stage import secrets_for
from synthora.manifest import FunctionSpec, Manifest, QueueSpec, load_manifest
from synthora.settings import REPO_ROOT

Verb = Literal["create", "update", "delete", "ok", "deploy"]
Resource = Literal[
    "service_account", "project_iam", "resource_iam", "secret", "bucket", "queue",
    "scheduler_job", "function",
]  # fmt: skip

SCHEDULER_JOB_PREFIX = "synthora-"
CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
IAM_API = "https://iam.googleapis.com/v1"
CRM_API = "https://cloudresourcemanager.googleapis.com/v1"
SECRETS_API = "https://secretmanager.googleapis.com/v1"

#: Roles a function's kind needs whatever the manifest says.
KIND_ROLES: dict[str, tuple[str, ...]] = {
    # every API group checks the caller's role and disabled flag in users/{uid}
    "http": ("roles/datastore.user",),
    "task": (),
    "cron": (),
}


class InfraError(RuntimeError):
    """A resource cannot be planned or applied."""


# --------------------------------------------------------------------------- plan model


@dataclass(frozen=True)
class HttpCall:
    """One REST request (IAM, Resource Manager, Secret Manager)."""

    method: Literal["GET", "POST", "PATCH", "DELETE"]
    url: str
    body: dict[str, Any] | None = None


@dataclass
class Action:
    """One step of the plan. `request` is the client request object it sends."""

    resource: Resource
    name: str
    verb: Verb
    detail: str = ""
    request: Any = None
    run: Callable[[], object] | None = field(default=None, repr=False, compare=False)

    @property
    def changes(self) -> bool:
        return self.verb in ("create", "update", "delete")

    def line(self) -> str:
        return f"{self.verb:<7} {self.resource:<16} {self.name}" + (
            f"  ({self.detail})" if self.detail else ""
        )


@dataclass
class Plan:
    project: str
    actions: list[Action] = field(default_factory=list)

    def of(self, resource: Resource) -> list[Action]:
        return [a for a in self.actions if a.resource == resource]

    @property
    def changes(self) -> list[Action]:
        return [a for a in self.actions if a.changes]

    def render(self) -> list[str]:
        lines = [f"Synthora infrastructure plan for project {self.project}"]
        lines += [a.line() for a in self.actions]
        counts: dict[str, int] = {}
        for a in self.actions:
            counts[a.verb] = counts.get(a.verb, 0) + 1
        lines.append("summary: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
        return lines


class InfraConfig(BaseModel):
    """What the reconciler needs besides the manifest."""

    names: DeployNames
    tmp_retention_days: int = Field(default=1, ge=1)
    video_retention_days: int = Field(default=30, ge=1)


# --------------------------------------------------------------------------- clients


class RestApi(Protocol):
    """The part of an authorized HTTP session the reconciler uses."""

    def read(self, call: HttpCall) -> dict[str, Any] | None:
        """Send a read; None when the resource does not exist (404)."""

    def send(self, call: HttpCall) -> dict[str, Any]:
        """Send a change; raise on any error."""


class GoogleRestApi:
    """`RestApi` over `google.auth.transport.requests.AuthorizedSession` (ADC), made lazily."""

    def __init__(self, *, session: Any = None) -> None:
        self._session = session

    @property
    def session(self) -> Any:
        if self._session is None:
            import google.auth
            from google.auth.transport.requests import AuthorizedSession

            credentials, _ = google.auth.default(scopes=[CLOUD_PLATFORM_SCOPE])
            self._session = AuthorizedSession(credentials)  # type: ignore[no-untyped-call]
        return self._session

    def _call(self, call: HttpCall) -> Any:
        return self.session.request(call.method, call.url, json=call.body, timeout=60)

    def read(self, call: HttpCall) -> dict[str, Any] | None:
        response = self._call(call)
        if response.status_code == 404:
            return None
        if response.status_code >= 400:
            raise InfraError(f"{call.method} {call.url}: {response.status_code} {response.text}")
        return dict(response.json() or {})

    def send(self, call: HttpCall) -> dict[str, Any]:
        response = self._call(call)
        if response.status_code >= 400:
            raise InfraError(f"{call.method} {call.url}: {response.status_code} {response.text}")
        return dict(response.json() or {}) if response.content else {}


class InfraClients:
    """The Google Cloud clients, each created on first use (or injected by tests)."""

    def __init__(
        self,
        *,
        tasks: Any = None,
        scheduler: Any = None,
        storage: Any = None,
        rest: RestApi | None = None,
        project: str | None = None,
    ) -> None:
        self._tasks = tasks
        self._scheduler = scheduler
        self._storage = storage
        self._rest = rest
        self._project = project

    @property
    def tasks(self) -> Any:
        if self._tasks is None:
            from google.cloud import tasks_v2

            self._tasks = tasks_v2.CloudTasksClient()
        return self._tasks

    @property
    def scheduler(self) -> Any:
        if self._scheduler is None:
            from google.cloud import scheduler_v1

            self._scheduler = scheduler_v1.CloudSchedulerClient()
        return self._scheduler

    @property
    def storage(self) -> Any:
        if self._storage is None:
            from google.cloud import storage  # type: ignore[attr-defined,unused-ignore]

            self._storage = storage.Client(project=self._project)
        return self._storage

    @property
    def rest(self) -> RestApi:
        if self._rest is None:
            self._rest = GoogleRestApi()
        return self._rest


# --------------------------------------------------------------------------- desired state


def function_roles(spec: FunctionSpec) -> list[str]:
    """Project roles of a function's service account: the manifest's plus its kind's."""
    roles = set(spec.roles) | set(KIND_ROLES[spec.kind])
    if spec.invokes:
        roles.add("roles/cloudtasks.enqueuer")
    return sorted(roles)


def signs_urls(spec: FunctionSpec) -> bool:
    """Functions with a storage role may hand out V4 signed URLs (signBlob on themselves)."""
    return any(role.startswith("roles/storage.") for role in spec.roles)


def all_secrets(manifest: Manifest) -> dict[str, list[FunctionSpec]]:
    """Each secret name with the functions that mount it."""
    users: dict[str, list[FunctionSpec]] = {}
    for spec in manifest.functions:
        for secret in secrets_for(spec):
            users.setdefault(secret, []).append(spec)
    return dict(sorted(users.items()))


def _member(email: str) -> str:
    return f"serviceAccount:{email}"


def _location(names: DeployNames) -> str:
    return f"projects/{names.project}/locations/{names.region}"


def desired_queue(queue: QueueSpec, *, names: DeployNames) -> Any:
    from synthora.adapters.cloud_tasks import queue_resource

    return queue_resource(queue, location=_location(names))


_QUEUE_FIELDS: dict[str, Callable[[Any], Any]] = {
    "rate_limits.max_dispatches_per_second": lambda q: q.rate_limits.max_dispatches_per_second,
    "rate_limits.max_concurrent_dispatches": lambda q: q.rate_limits.max_concurrent_dispatches,
    "retry_config.max_attempts": lambda q: q.retry_config.max_attempts,
    "retry_config.min_backoff": lambda q: q.retry_config.min_backoff,
    "retry_config.max_backoff": lambda q: q.retry_config.max_backoff,
    "retry_config.max_doublings": lambda q: q.retry_config.max_doublings,
}


def scheduler_job_name(spec: FunctionSpec, *, names: DeployNames) -> str:
    return f"{_location(names)}/jobs/{SCHEDULER_JOB_PREFIX}{spec.deploy_name}"


def desired_job(spec: FunctionSpec, *, names: DeployNames) -> Any:
    from google.cloud import scheduler_v1

    url = names.function_url(spec.deploy_name)
    # Cloud Scheduler accepts an attempt deadline of 15 s to 30 min for HTTP targets.
    deadline = min(max(spec.timeout_s, 15), 1800)
    return scheduler_v1.Job(
        name=scheduler_job_name(spec, names=names),
        description=spec.description or f"Synthora cron {spec.name}",
        schedule=spec.schedule,
        time_zone=spec.time_zone,
        attempt_deadline=timedelta(seconds=deadline),
        http_target=scheduler_v1.HttpTarget(
            uri=url,
            http_method=scheduler_v1.HttpMethod.POST,
            headers={"Content-Type": "application/json"},
            body=b"{}",
            oidc_token=scheduler_v1.OidcToken(
                service_account_email=names.invoker_service_account, audience=url
            ),
        ),
    )


_JOB_FIELDS: dict[str, Callable[[Any], Any]] = {
    "description": lambda j: j.description,
    "schedule": lambda j: j.schedule,
    "time_zone": lambda j: j.time_zone,
    "attempt_deadline": lambda j: j.attempt_deadline,
    "http_target.uri": lambda j: j.http_target.uri,
    "http_target.http_method": lambda j: j.http_target.http_method,
    "http_target.body": lambda j: j.http_target.body,
    "http_target.oidc_token.service_account_email": (
        lambda j: j.http_target.oidc_token.service_account_email
    ),
    "http_target.oidc_token.audience": lambda j: j.http_target.oidc_token.audience,
}


class BucketSpec(BaseModel):
    """The media bucket as it should be (`request` of a bucket action)."""

    name: str
    location: str
    lifecycle_rules: list[dict[str, Any]]
    cors: list[dict[str, Any]]
    uniform_bucket_level_access: bool = True
    public_access_prevention: str = "enforced"


def desired_bucket(config: InfraConfig) -> BucketSpec:
    names = config.names
    return BucketSpec(
        name=names.media_bucket,
        location=names.region.upper(),
        lifecycle_rules=[
            {
                "action": {"type": "Delete"},
                "condition": {"age": config.tmp_retention_days, "matchesPrefix": ["tmp/"]},
            },
            {
                "action": {"type": "Delete"},
                "condition": {"age": config.video_retention_days, "matchesPrefix": ["videos/"]},
            },
        ],
        cors=[
            {
                "origin": [names.host],
                "method": ["GET", "HEAD"],
                "responseHeader": ["Content-Type", "Content-Range", "Accept-Ranges"],
                "maxAgeSeconds": 3600,
            }
        ],
    )


# --------------------------------------------------------------------------- planners


def plan_service_accounts(manifest: Manifest, *, names: DeployNames, rest: RestApi) -> list[Action]:
    wanted: list[tuple[str, str, str]] = [
        (
            INVOKER_ACCOUNT_ID,
            "Synthora invoker",
            "OIDC identity of Cloud Tasks and Cloud Scheduler calls",
        )
    ]
    for spec in manifest.functions:
        wanted.append(
            (account_id_for(spec.name), f"Synthora {spec.name}", f"Runtime of function {spec.name}")
        )
    actions: list[Action] = []
    for account_id, display, description in wanted:
        email = f"{account_id}@{names.project}.iam.gserviceaccount.com"
        current = rest.read(
            HttpCall("GET", f"{IAM_API}/projects/{names.project}/serviceAccounts/{email}")
        )
        if current is not None:
            actions.append(Action("service_account", email, "ok"))
            continue
        call = HttpCall(
            "POST",
            f"{IAM_API}/projects/{names.project}/serviceAccounts",
            {
                "accountId": account_id,
                "serviceAccount": {"displayName": display, "description": description},
            },
        )
        actions.append(
            Action(
                "service_account",
                email,
                "create",
                description,
                call,
                run=partial(rest.send, call),
            )
        )
    return actions


def _missing_bindings(
    policy: dict[str, Any] | None, wanted: Iterable[tuple[str, str]]
) -> list[tuple[str, str]]:
    have = {
        (b.get("role"), m)
        for b in (policy or {}).get("bindings", [])
        if not b.get("condition")
        for m in b.get("members", [])
    }
    return [(role, member) for role, member in wanted if (role, member) not in have]


def _add_bindings(policy: dict[str, Any], bindings: Iterable[tuple[str, str]]) -> dict[str, Any]:
    policy = {**policy, "bindings": [dict(b) for b in policy.get("bindings", [])]}
    for role, member in bindings:
        for b in policy["bindings"]:
            if b.get("role") == role and not b.get("condition"):
                if member not in b.setdefault("members", []):
                    b["members"] = [*b["members"], member]
                break
        else:
            policy["bindings"].append({"role": role, "members": [member]})
    return policy


IAM_RETRY_DELAYS_S: tuple[float, ...] = (2, 4, 8, 16)


def _with_retries(
    fn: Callable[[], object],
    *,
    delays_s: Iterable[float] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> object:
    """Call `fn`, retrying on `InfraError` after each delay (IAM propagation, etag races)."""
    import time

    pause = sleep or time.sleep
    for delay in IAM_RETRY_DELAYS_S if delays_s is None else delays_s:
        try:
            return fn()
        except InfraError:
            pause(delay)
    return fn()


def _policy_action(
    *,
    resource: Resource,
    name: str,
    get_call: HttpCall,
    set_url: str,
    wanted: list[tuple[str, str]],
    rest: RestApi,
    missing_resource_ok: bool = False,
) -> Action:
    """Read a resource's IAM policy now; at apply time read it again and add what is missing."""
    policy = rest.read(get_call)
    if policy is None and not missing_resource_ok:
        raise InfraError(f"cannot read the IAM policy of {name}")
    missing = _missing_bindings(policy, wanted)
    if not missing:
        return Action(resource, name, "ok", f"{len(wanted)} binding(s) present")
    detail = "; ".join(f"{role} -> {member}" for role, member in missing)

    def read_modify_write() -> object:
        current = rest.read(get_call) or {}
        still = _missing_bindings(current, wanted)
        if not still:
            return current
        return rest.send(HttpCall("POST", set_url, {"policy": _add_bindings(current, still)}))

    def run() -> object:
        # IAM is eventually consistent: an account created a moment ago may be unknown
        # for a few seconds, and a concurrent change makes the etag stale (409).
        return _with_retries(read_modify_write)

    request = HttpCall("POST", set_url, {"policy": _add_bindings(policy or {}, missing)})
    return Action(resource, name, "create", f"add {detail}", request, run=run)


def plan_project_iam(manifest: Manifest, *, names: DeployNames, rest: RestApi) -> list[Action]:
    wanted = [
        (role, _member(names.function_service_account(spec.name)))
        for spec in manifest.functions
        for role in function_roles(spec)
    ]
    base = f"{CRM_API}/projects/{names.project}"
    return [
        _policy_action(
            resource="project_iam",
            name=f"projects/{names.project}",
            get_call=HttpCall(
                "POST", f"{base}:getIamPolicy", {"options": {"requestedPolicyVersion": 3}}
            ),
            set_url=f"{base}:setIamPolicy",
            wanted=wanted,
            rest=rest,
        )
    ]


def plan_account_iam(manifest: Manifest, *, names: DeployNames, rest: RestApi) -> list[Action]:
    """actAs on the invoker account for enqueuers; signBlob on themselves for URL signers."""
    per_account: dict[str, list[tuple[str, str]]] = {}
    for spec in manifest.functions:
        me = names.function_service_account(spec.name)
        if spec.invokes:
            per_account.setdefault(names.invoker_service_account, []).append(
                ("roles/iam.serviceAccountUser", _member(me))
            )
        if signs_urls(spec):
            per_account.setdefault(me, []).append(
                ("roles/iam.serviceAccountTokenCreator", _member(me))
            )
    actions = []
    for email, wanted in sorted(per_account.items()):
        base = f"{IAM_API}/projects/{names.project}/serviceAccounts/{email}"
        actions.append(
            _policy_action(
                resource="resource_iam",
                name=email,
                get_call=HttpCall("POST", f"{base}:getIamPolicy", {}),
                set_url=f"{base}:setIamPolicy",
                wanted=wanted,
                rest=rest,
                missing_resource_ok=True,  # created earlier in the same apply
            )
        )
    return actions


def plan_secrets(manifest: Manifest, *, names: DeployNames, rest: RestApi) -> list[Action]:
    """Secret containers (never values) and accessor bindings for the functions that mount them."""
    actions: list[Action] = []
    for secret, users in all_secrets(manifest).items():
        base = f"{SECRETS_API}/projects/{names.project}/secrets/{secret}"
        current = rest.read(HttpCall("GET", base))
        if current is None:
            call = HttpCall(
                "POST",
                f"{SECRETS_API}/projects/{names.project}/secrets?secretId={secret}",
                {"replication": {"automatic": {}}, "labels": {"managed-by": "synthora"}},
            )
            actions.append(
                Action(
                    "secret",
                    secret,
                    "create",
                    "empty container; add a version with `gcloud secrets versions add`",
                    call,
                    run=partial(rest.send, call),
                )
            )
        else:
            actions.append(Action("secret", secret, "ok"))
        wanted = [
            ("roles/secretmanager.secretAccessor", _member(names.function_service_account(s.name)))
            for s in users
        ]
        actions.append(
            _policy_action(
                resource="resource_iam",
                name=f"secrets/{secret}",
                get_call=HttpCall("GET", f"{base}:getIamPolicy"),
                set_url=f"{base}:setIamPolicy",
                wanted=wanted,
                rest=rest,
                missing_resource_ok=True,
            )
        )
    return actions


def _normalise_rules(rules: Iterable[Any]) -> list[dict[str, Any]]:
    return sorted(
        (
            {
                "action": dict(r["action"]),
                "condition": {k: v for k, v in dict(r["condition"]).items()},
            }
            for r in rules
        ),
        key=repr,
    )


def plan_buckets(config: InfraConfig, *, storage: Any) -> list[Action]:
    want = desired_bucket(config)
    current = storage.lookup_bucket(want.name)
    if current is None:

        def create() -> object:
            bucket = storage.bucket(want.name)
            bucket.iam_configuration.uniform_bucket_level_access_enabled = True
            bucket.iam_configuration.public_access_prevention = want.public_access_prevention
            bucket.lifecycle_rules = want.lifecycle_rules
            bucket.cors = want.cors
            return storage.create_bucket(bucket, location=want.location)

        detail = (
            f"{want.location}, delete tmp/ after {config.tmp_retention_days}d, "
            f"videos/ after {config.video_retention_days}d"
        )
        return [Action("bucket", want.name, "create", detail, want, run=create)]
    changed: list[str] = []
    if _normalise_rules(current.lifecycle_rules) != _normalise_rules(want.lifecycle_rules):
        changed.append("lifecycle_rules")
    if [dict(c) for c in (current.cors or [])] != want.cors:
        changed.append("cors")
    iam = current.iam_configuration
    if not iam.uniform_bucket_level_access_enabled:
        changed.append("uniform_bucket_level_access")
    if iam.public_access_prevention != want.public_access_prevention:
        changed.append("public_access_prevention")
    if not changed:
        return [Action("bucket", want.name, "ok")]

    def update() -> object:
        current.lifecycle_rules = want.lifecycle_rules
        current.cors = want.cors
        current.iam_configuration.uniform_bucket_level_access_enabled = True
        current.iam_configuration.public_access_prevention = want.public_access_prevention
        current.patch()
        return current

    return [Action("bucket", want.name, "update", ", ".join(changed), want, run=update)]


def plan_queues(manifest: Manifest, *, names: DeployNames, tasks: Any) -> list[Action]:
    from google.cloud import tasks_v2
    from google.protobuf import field_mask_pb2

    existing = {
        q.name: q
        for q in tasks.list_queues(request=tasks_v2.ListQueuesRequest(parent=_location(names)))
    }
    actions: list[Action] = []
    for queue in manifest.queues.values():
        want = desired_queue(queue, names=names)
        r = queue.retry
        detail = (
            f"{queue.max_dispatches_per_second:g}/s, {queue.max_concurrent_dispatches} concurrent, "
            f"{r.max_attempts} attempts, backoff {r.min_backoff_s:g}-{r.max_backoff_s:g}s "
            f"x{r.max_doublings} doublings"
        )
        have = existing.get(want.name)
        if have is None:
            request = tasks_v2.CreateQueueRequest(parent=_location(names), queue=want)
            actions.append(
                Action(
                    "queue",
                    want.name,
                    "create",
                    detail,
                    request,
                    run=partial(tasks.create_queue, request=request),
                )
            )
            continue
        paths = [p for p, get in _QUEUE_FIELDS.items() if get(have) != get(want)]
        if not paths:
            actions.append(Action("queue", want.name, "ok", detail))
            continue
        request = tasks_v2.UpdateQueueRequest(
            queue=want, update_mask=field_mask_pb2.FieldMask(paths=paths)
        )
        actions.append(
            Action(
                "queue",
                want.name,
                "update",
                "changed: " + ", ".join(paths),
                request,
                run=partial(tasks.update_queue, request=request),
            )
        )
    return actions


def plan_scheduler_jobs(manifest: Manifest, *, names: DeployNames, scheduler: Any) -> list[Action]:
    from google.cloud import scheduler_v1
    from google.protobuf import field_mask_pb2

    parent = _location(names)
    existing = {
        j.name: j for j in scheduler.list_jobs(request=scheduler_v1.ListJobsRequest(parent=parent))
    }
    actions: list[Action] = []
    wanted_names = set()
    for spec in manifest.of_kind("cron"):
        want = desired_job(spec, names=names)
        wanted_names.add(want.name)
        detail = (
            f"{spec.schedule!r} {spec.time_zone} -> POST {want.http_target.uri} "
            f"(OIDC {names.invoker_service_account})"
        )
        have = existing.get(want.name)
        if have is None:
            request = scheduler_v1.CreateJobRequest(parent=parent, job=want)
            actions.append(
                Action(
                    "scheduler_job",
                    want.name,
                    "create",
                    detail,
                    request,
                    run=partial(scheduler.create_job, request=request),
                )
            )
            continue
        paths = [p for p, get in _JOB_FIELDS.items() if get(have) != get(want)]
        if not paths:
            actions.append(Action("scheduler_job", want.name, "ok", detail))
            continue
        request = scheduler_v1.UpdateJobRequest(
            job=want, update_mask=field_mask_pb2.FieldMask(paths=paths)
        )
        actions.append(
            Action(
                "scheduler_job",
                want.name,
                "update",
                "changed: " + ", ".join(paths),
                request,
                run=partial(scheduler.update_job, request=request),
            )
        )
    prefix = f"{parent}/jobs/{SCHEDULER_JOB_PREFIX}"
    for name in sorted(existing):
        if name.startswith(prefix) and name not in wanted_names:
            request = scheduler_v1.DeleteJobRequest(name=name)
            actions.append(
                Action(
                    "scheduler_job",
                    name,
                    "delete",
                    "no cron function in the manifest",
                    request,
                    run=partial(scheduler.delete_job, request=request),
                )
            )
    return actions


def plan_functions(manifest: Manifest, *, names: DeployNames) -> list[Action]:
    """Functions are deployed by cloudbuild.yaml; listed so the plan shows everything."""
    actions = []
    for spec in manifest.functions:
        access = (
            "public via Hosting " + (spec.route or "")
            if spec.kind == "http"
            else f"private, run.invoker -> {names.invoker_service_account}"
        )
        detail = (
            f"{spec.kind}, {spec.memory}, {spec.timeout_s}s, "
            f"as {names.function_service_account(spec.name)}, {access}, "
            f"roles {function_roles(spec) or 'none'}"
        )
        actions.append(Action("function", names.function_url(spec.deploy_name), "deploy", detail))
    return actions


def build_plan(manifest: Manifest, *, config: InfraConfig, clients: InfraClients) -> Plan:
    """Read the current state and list every action, in the order `apply` runs them."""
    names = config.names
    plan = Plan(project=names.project)
    plan.actions += plan_service_accounts(manifest, names=names, rest=clients.rest)
    plan.actions += plan_project_iam(manifest, names=names, rest=clients.rest)
    plan.actions += plan_account_iam(manifest, names=names, rest=clients.rest)
    plan.actions += plan_secrets(manifest, names=names, rest=clients.rest)
    plan.actions += plan_buckets(config, storage=clients.storage)
    plan.actions += plan_queues(manifest, names=names, tasks=clients.tasks)
    plan.actions += plan_scheduler_jobs(manifest, names=names, scheduler=clients.scheduler)
    plan.actions += plan_functions(manifest, names=names)
    return plan


def apply_plan(plan: Plan, *, write: Callable[[str], None] | None = None) -> list[Action]:
    """Carry out every change of `plan` in order; returns the actions applied."""
    applied = []
    for action in plan.changes:
        if action.run is None:
            continue
        action.run()
        applied.append(action)
        if write is not None:
            write("applied " + action.line())
    return applied


# --------------------------------------------------------------------------- CLI


def _stdout_writer(line: str) -> None:
    sys.stdout.write(line + "\n")


def main(
    argv: list[str] | None = None,
    *,
    clients: InfraClients | None = None,
    write: Callable[[str], None] = _stdout_writer,
) -> int:
    parser = argparse.ArgumentParser(prog="python -m synthora.deploy.infra", description=__doc__)
    parser.add_argument("command", choices=["plan", "apply"])
    parser.add_argument("--project", required=True)
    parser.add_argument("--region", default="us-central1")
    parser.add_argument("--public-url", help="https://<host> of the web app")
    parser.add_argument("--bucket", help="media bucket name (default <project>-synthora-media)")
    parser.add_argument("--video-retention-days", type=int, default=30)
    parser.add_argument("--manifest", default=str(REPO_ROOT / "functions" / "manifest.toml"))
    args = parser.parse_args(argv)
    from pathlib import Path

    names = DeployNames(
        project=args.project,
        region=args.region,
        public_url=args.public_url,
        media_bucket_name=args.bucket,
    )
    config = InfraConfig(names=names, video_retention_days=args.video_retention_days)
    manifest = load_manifest(Path(args.manifest))
    from google.auth.exceptions import DefaultCredentialsError

    clients = clients or InfraClients(project=args.project)
    try:
        plan = build_plan(manifest, config=config, clients=clients)
    except DefaultCredentialsError as exc:
        write(
            f"no Google Cloud credentials ({exc}): run `gcloud auth application-default "
            "login` or set GOOGLE_APPLICATION_CREDENTIALS, then try again"
        )
        return 2
    for line in plan.render():
        write(line)
    if args.command == "apply":
        applied = apply_plan(plan, write=write)
        write(f"applied {len(applied)} change(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
