"""Cloud Tasks task queue (`google-cloud-tasks`): OIDC-authenticated HTTP tasks.

`enqueue(function=...)` creates one HTTP POST task on the queue the manifest
gives that function, addressed to the function's URL
(`function_url_template`, `{name}` = the function's deploy name). In
production the task carries an OIDC token for `tasks_service_account` with the
target URL as audience, which `synthora.identity.verify_internal_call` checks.
A task `name` de-duplicates: Cloud Tasks answers ALREADY_EXISTS for a name in
use (or used within the last hour), reported as `created=False`.

With `CLOUD_TASKS_EMULATOR_HOST` the client talks to gcloud-tasks-emulator over
an insecure channel, missing queues are created on first use, and on the local
platform the internal-token header replaces the OIDC token (the emulator
ignores OIDC).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from google.api_core import exceptions as gexc
from pydantic import BaseModel

from synthora.logs import TRACE_HEADER, current_trace_id, fields, get_logger
from synthora.manifest import Manifest, QueueSpec
from synthora.ports.tasks import TASK_NAME_RE, EnqueueResult, TaskQueue, TaskQueueError, task_name
from synthora.settings import ConfigurationError

if TYPE_CHECKING:
    from synthora.platform import Platform

log = get_logger(__name__)

DEFAULT_URL_TEMPLATE = "https://{region}-{project}.cloudfunctions.net/{name}"


class CloudTasksQueue(TaskQueue):
    """`TaskQueue` on Cloud Tasks."""

    adapter_name = "cloud-tasks"

    def __init__(
        self,
        *,
        project: str,
        region: str,
        manifest: Manifest,
        url_template: str = DEFAULT_URL_TEMPLATE,
        service_account: str | None = None,
        client: Any = None,
        emulator_host: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        create_missing_queues: bool = False,
    ) -> None:
        """`service_account` signs the OIDC token; None sends no token (emulator only)."""
        self.project = project
        self.region = region
        self.manifest = manifest
        self.url_template = url_template
        self.service_account = service_account
        self.emulator_host = emulator_host
        self.extra_headers = dict(extra_headers or {})
        self.create_missing_queues = create_missing_queues
        self._client = client
        self._lock = threading.Lock()

    @property
    def client(self) -> Any:
        if self._client is None:
            from google.cloud import tasks_v2

            with self._lock:
                if self._client is None:
                    if self.emulator_host:
                        import grpc
                        from google.cloud.tasks_v2.services.cloud_tasks.transports import (
                            CloudTasksGrpcTransport,
                        )

                        channel = grpc.insecure_channel(self.emulator_host)
                        self._client = tasks_v2.CloudTasksClient(
                            transport=CloudTasksGrpcTransport(channel=channel)
                        )
                    else:
                        self._client = tasks_v2.CloudTasksClient()
        return self._client

    # names -----------------------------------------------------------------

    def queue_path(self, function: str) -> str:
        try:
            queue = self.manifest.queue_for(function)
        except KeyError as exc:
            raise TaskQueueError(str(exc)) from exc
        return f"projects/{self.project}/locations/{self.region}/queues/{queue.name}"

    def function_url(self, function: str) -> str:
        """The target URL: `{name}` is the deploy name (hyphens), `{function}` the manifest name."""
        spec = self.manifest.function(function)
        return self.url_template.format(
            region=self.region, project=self.project, name=spec.deploy_name, function=spec.name
        )

    # requests --------------------------------------------------------------

    def build_request(
        self,
        *,
        function: str,
        payload: BaseModel | dict[str, Any],
        name: str | None = None,
        schedule_time: datetime | None = None,
        delay_s: float | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """The `tasks_v2.CreateTaskRequest` that `enqueue` sends."""
        from google.cloud import tasks_v2

        parent = self.queue_path(function)
        if name is not None and not TASK_NAME_RE.match(name):
            raise TaskQueueError(f"invalid task name {name!r}")
        body = payload.model_dump(mode="json") if isinstance(payload, BaseModel) else payload
        encoded = json.dumps(body, separators=(",", ":"), default=str).encode()
        if schedule_time is not None and schedule_time.tzinfo is None:
            raise TaskQueueError("schedule_time must be timezone-aware")
        if schedule_time is None and delay_s:
            schedule_time = datetime.now(UTC) + timedelta(seconds=delay_s)
        url = self.function_url(function)
        all_headers = {"Content-Type": "application/json", **self.extra_headers, **(headers or {})}
        trace = current_trace_id()
        if trace and TRACE_HEADER not in all_headers:
            all_headers[TRACE_HEADER] = f"{trace}/0;o=1"
        http_request = tasks_v2.HttpRequest(
            url=url,
            http_method=tasks_v2.HttpMethod.POST,
            headers=all_headers,
            body=encoded,
        )
        if self.service_account:
            http_request.oidc_token = tasks_v2.OidcToken(
                service_account_email=self.service_account, audience=url
            )
        task = tasks_v2.Task(http_request=http_request)
        if name is not None:
            task.name = f"{parent}/tasks/{name}"
        if schedule_time is not None:
            task.schedule_time = schedule_time
        return tasks_v2.CreateTaskRequest(parent=parent, task=task)

    def enqueue(
        self,
        *,
        function: str,
        payload: BaseModel | dict[str, Any],
        name: str | None = None,
        schedule_time: datetime | None = None,
        delay_s: float | None = None,
        headers: dict[str, str] | None = None,
    ) -> EnqueueResult:
        request = self.build_request(
            function=function,
            payload=payload,
            name=name,
            schedule_time=schedule_time,
            delay_s=delay_s,
            headers=headers,
        )
        queue = request.parent.rsplit("/", 1)[1]
        created = True
        try:
            task = self._create(request)
            full_name = task.name or request.task.name
        except gexc.AlreadyExists:
            created = False
            full_name = request.task.name
        except gexc.GoogleAPICallError as exc:
            raise TaskQueueError(f"Cloud Tasks refused the task for {function}: {exc}") from exc
        short = (full_name or "").rsplit("/", 1)[-1] or task_name(function, f"{time.time_ns():x}")
        log.info(
            "task enqueued" if created else "task already exists",
            extra=fields(function=function, task=short, queue=queue, created=created),
        )
        when = request.task.schedule_time if "schedule_time" in request.task else None
        return EnqueueResult(
            name=short,
            queue=queue,
            function=function,
            created=created,
            schedule_time=when,
        )

    def _create(self, request: Any) -> Any:
        try:
            return self.client.create_task(request=request)
        except (gexc.FailedPrecondition, gexc.NotFound):
            if not self.create_missing_queues:
                raise
        # emulator only: the queue is created from the manifest on first use
        self.ensure_queue(request.parent)
        return self.client.create_task(request=request)

    def ensure_queue(self, queue_path: str) -> None:
        from google.cloud import tasks_v2

        queue_name = queue_path.rsplit("/", 1)[1]
        spec = self.manifest.queues[queue_name]
        parent = queue_path.rsplit("/queues/", 1)[0]
        with contextlib.suppress(gexc.AlreadyExists):
            self.client.create_queue(
                request=tasks_v2.CreateQueueRequest(
                    parent=parent, queue=queue_resource(spec, location=parent)
                )
            )

    def info(self) -> dict[str, Any]:
        detail: dict[str, Any] = {"adapter": self.adapter_name, "region": self.region}
        if self.emulator_host:
            detail["emulator"] = self.emulator_host
        return detail

    def close(self) -> None:
        client = self._client
        if client is not None:
            transport = getattr(client, "transport", None)
            if transport is not None:
                transport.close()


def create_adapter(platform: Platform) -> CloudTasksQueue:
    """The platform's queue, from settings; production requires the OIDC service account."""
    settings = platform.settings
    emulator = settings.cloud_tasks_emulator_host
    if not emulator and not settings.tasks_service_account:
        raise ConfigurationError(
            "SYNTHORA_TASKS_SERVICE_ACCOUNT must be set: Cloud Tasks signs each task's OIDC "
            "token as that account (see docs/deploy.md)"
        )
    extra: dict[str, str] = {}
    if settings.is_local:
        from synthora.identity import INTERNAL_TOKEN_HEADER

        # the local/emulated function checks the shared secret instead of OIDC
        extra[INTERNAL_TOKEN_HEADER] = settings.secret("internal_token")
    return CloudTasksQueue(
        project=settings.project_id,
        region=settings.region,
        manifest=platform.manifest,
        url_template=settings.function_url_template
        or (
            f"{settings.public_url.rstrip('/')}/_fn/{{function}}"
            if emulator
            else DEFAULT_URL_TEMPLATE
        ),
        service_account=settings.tasks_service_account,
        emulator_host=emulator,
        extra_headers=extra,
        create_missing_queues=bool(emulator),
    )


def queue_resource(queue: QueueSpec, *, location: str) -> Any:
    """The Cloud Tasks queue a manifest queue stands for (`location` =
    `projects/P/locations/R`); the deploy reconciler compares against it too."""
    from google.cloud import tasks_v2

    retry = queue.retry
    return tasks_v2.Queue(
        name=f"{location}/queues/{queue.name}",
        rate_limits=tasks_v2.RateLimits(
            max_dispatches_per_second=queue.max_dispatches_per_second,
            max_concurrent_dispatches=queue.max_concurrent_dispatches,
        ),
        retry_config=tasks_v2.RetryConfig(
            max_attempts=retry.max_attempts,
            min_backoff=timedelta(seconds=retry.min_backoff_s),
            max_backoff=timedelta(seconds=retry.max_backoff_s),
            max_doublings=retry.max_doublings,
        ),
    )
