"""In-memory stand-ins for the Google Cloud clients the infra reconciler calls.

They keep state like the services do and record every request object, so tests
assert on exactly what would be sent (`tasks_v2.CreateQueueRequest`, ...).
"""

from __future__ import annotations

import copy
from typing import Any

from google.api_core import exceptions
from google.cloud import scheduler_v1, tasks_v2

from synthora.deploy.infra import HttpCall


class FakeTasks:
    def __init__(self) -> None:
        self.queues: dict[str, tasks_v2.Queue] = {}
        self.requests: list[Any] = []

    def list_queues(self, *, request: tasks_v2.ListQueuesRequest) -> list[tasks_v2.Queue]:
        return [q for n, q in self.queues.items() if n.startswith(request.parent + "/")]

    def create_queue(self, *, request: tasks_v2.CreateQueueRequest) -> tasks_v2.Queue:
        self.requests.append(request)
        if request.queue.name in self.queues:
            raise exceptions.AlreadyExists(request.queue.name)
        self.queues[request.queue.name] = tasks_v2.Queue(request.queue)
        return self.queues[request.queue.name]

    def update_queue(self, *, request: tasks_v2.UpdateQueueRequest) -> tasks_v2.Queue:
        self.requests.append(request)
        self.queues[request.queue.name] = tasks_v2.Queue(request.queue)
        return self.queues[request.queue.name]


class FakeScheduler:
    def __init__(self) -> None:
        self.jobs: dict[str, scheduler_v1.Job] = {}
        self.requests: list[Any] = []

    def list_jobs(self, *, request: scheduler_v1.ListJobsRequest) -> list[scheduler_v1.Job]:
        return [j for n, j in self.jobs.items() if n.startswith(request.parent + "/")]

    def create_job(self, *, request: scheduler_v1.CreateJobRequest) -> scheduler_v1.Job:
        self.requests.append(request)
        self.jobs[request.job.name] = scheduler_v1.Job(request.job)
        return self.jobs[request.job.name]

    def update_job(self, *, request: scheduler_v1.UpdateJobRequest) -> scheduler_v1.Job:
        self.requests.append(request)
        self.jobs[request.job.name] = scheduler_v1.Job(request.job)
        return self.jobs[request.job.name]

    def delete_job(self, *, request: scheduler_v1.DeleteJobRequest) -> None:
        self.requests.append(request)
        del self.jobs[request.name]


class _IamConfig:
    def __init__(self) -> None:
        self.uniform_bucket_level_access_enabled = False
        self.public_access_prevention = "inherited"


class FakeBucket:
    def __init__(self, name: str) -> None:
        self.name = name
        self.lifecycle_rules: list[dict[str, Any]] = []
        self.cors: list[dict[str, Any]] = []
        self.iam_configuration = _IamConfig()
        self.location: str | None = None
        self.patched = 0

    def patch(self) -> None:
        self.patched += 1


class FakeStorage:
    def __init__(self) -> None:
        self.buckets: dict[str, FakeBucket] = {}
        self.created: list[FakeBucket] = []

    def lookup_bucket(self, name: str) -> FakeBucket | None:
        return self.buckets.get(name)

    def bucket(self, name: str) -> FakeBucket:
        return FakeBucket(name)

    def create_bucket(self, bucket: FakeBucket, *, location: str) -> FakeBucket:
        bucket.location = location
        self.buckets[bucket.name] = bucket
        self.created.append(bucket)
        return bucket


class FakeRest:
    """IAM, Resource Manager and Secret Manager REST, enough for the reconciler."""

    def __init__(self, project: str) -> None:
        self.project = project
        self.accounts: dict[str, dict[str, Any]] = {}
        self.secrets: dict[str, dict[str, Any]] = {}
        self.policies: dict[str, dict[str, Any]] = {f"projects/{project}": {"bindings": []}}
        self.sent: list[HttpCall] = []

    def _resource(self, url: str) -> str:
        path = url.split("/v1/", 1)[1].split("?", 1)[0]
        return path.split(":", 1)[0]

    def read(self, call: HttpCall) -> dict[str, Any] | None:
        resource = self._resource(call.url)
        if call.url.endswith(":getIamPolicy"):
            if "/serviceAccounts/" in resource and resource.rsplit("/", 1)[1] not in self.accounts:
                return None
            if "/secrets/" in resource and resource.rsplit("/", 1)[1] not in self.secrets:
                return None
            return copy.deepcopy(self.policies.get(resource, {}))
        if "/serviceAccounts/" in resource:
            return self.accounts.get(resource.rsplit("/", 1)[1])
        if "/secrets/" in resource:
            return self.secrets.get(resource.rsplit("/", 1)[1])
        raise AssertionError(f"unexpected read {call}")

    def send(self, call: HttpCall) -> dict[str, Any]:
        self.sent.append(call)
        resource = self._resource(call.url)
        assert call.body is not None
        if call.url.endswith(":setIamPolicy"):
            self.policies[resource] = copy.deepcopy(call.body["policy"])
            return call.body["policy"]
        if resource.endswith("/serviceAccounts"):
            email = f"{call.body['accountId']}@{self.project}.iam.gserviceaccount.com"
            self.accounts[email] = {"email": email, **call.body["serviceAccount"]}
            return self.accounts[email]
        if resource.endswith("/secrets"):
            secret_id = call.url.split("secretId=", 1)[1]
            self.secrets[secret_id] = {"name": f"{resource}/{secret_id}", **call.body}
            return self.secrets[secret_id]
        raise AssertionError(f"unexpected send {call}")
