"""The function manifest: the single source of truth for what is deployed.

`functions/manifest.toml` lists every function (name, kind http|task|cron,
entry point, route prefix, queue, schedule, memory, timeout, secrets,
requirement groups) and every queue with its retry policy. The local gateway
mounts from it, `firebase.json` rewrites are generated from it, `infra/`
reconciles queues and scheduler jobs from it and deploy stages bundles from it.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

FunctionKind = Literal["http", "task", "cron"]
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
_MEMORY_RE = re.compile(r"^\d+(Mi|Gi)$")


class RetryPolicy(BaseModel):
    """Cloud Tasks retry configuration for a queue."""

    model_config = ConfigDict(extra="forbid")

    max_attempts: int = Field(default=5, ge=1, le=100)
    min_backoff_s: float = Field(default=1.0, gt=0)
    max_backoff_s: float = Field(default=300.0, gt=0)
    max_doublings: int = Field(default=5, ge=0, le=16)

    @model_validator(mode="after")
    def _order(self) -> RetryPolicy:
        if self.max_backoff_s < self.min_backoff_s:
            raise ValueError("max_backoff_s must be >= min_backoff_s")
        return self

    def backoff_s(self, retry_count: int) -> float:
        """Delay before retry number `retry_count + 1`, the way Cloud Tasks computes it.

        The interval starts at min_backoff, doubles `max_doublings` times, then
        grows linearly by the last doubled interval, capped at max_backoff.
        """
        if retry_count < 0:
            raise ValueError("retry_count must be >= 0")
        if retry_count <= self.max_doublings:
            delay = self.min_backoff_s * (2**retry_count)
        else:
            # e.g. min 10 s, 3 doublings: 10, 20, 40, 80, then 160, 240, ... (steps of 80)
            doubled = self.min_backoff_s * (2**self.max_doublings)
            delay = doubled * (1 + retry_count - self.max_doublings)
        return float(min(delay, self.max_backoff_s))


class QueueSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    retry: RetryPolicy = Field(default_factory=RetryPolicy)
    max_dispatches_per_second: float = Field(default=50.0, gt=0)
    max_concurrent_dispatches: int = Field(default=4, ge=1, le=1000)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not re.match(r"^[a-z][a-z0-9-]{0,62}$", value):
            raise ValueError("queue names are lower-case letters, digits and '-'")
        return value


class FunctionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    kind: FunctionKind
    entry_point: str
    description: str = ""
    route: str | None = Field(default=None, description="Route prefix for http functions.")
    queue: str | None = Field(default=None, description="Queue a task function is fed from.")
    schedule: str | None = Field(default=None, description="Cron expression for cron functions.")
    time_zone: str = "Etc/UTC"
    memory: str = "256Mi"
    cpu: float = 1
    timeout_s: int = Field(default=60, ge=1, le=3600)
    min_instances: int = 0
    max_instances: int = 20
    concurrency: int = 80
    secrets: list[str] = Field(default_factory=list)
    requirements: list[str] = Field(
        default_factory=list, description="Extra requirement groups beyond the core."
    )
    roles: list[str] = Field(
        default_factory=list, description="IAM roles its service account needs."
    )
    invokes: list[str] = Field(
        default_factory=list, description="Task functions this one enqueues."
    )

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME_RE.match(value):
            raise ValueError("function names are snake_case, 2-41 characters")
        return value

    @field_validator("memory")
    @classmethod
    def _memory(cls, value: str) -> str:
        if not _MEMORY_RE.match(value):
            raise ValueError("memory looks like 256Mi or 1Gi")
        return value

    @model_validator(mode="after")
    def _kind_fields(self) -> FunctionSpec:
        if self.kind == "http":
            if not self.route or not self.route.startswith("/api/v1/"):
                raise ValueError(f"http function {self.name} needs a route under /api/v1/")
            if self.queue or self.schedule:
                raise ValueError(f"http function {self.name} takes no queue or schedule")
        elif self.kind == "task":
            if not self.queue:
                raise ValueError(f"task function {self.name} needs a queue")
            if self.route or self.schedule:
                raise ValueError(f"task function {self.name} takes no route or schedule")
        else:
            if not self.schedule or not croniter.is_valid(self.schedule):
                raise ValueError(f"cron function {self.name} needs a valid cron schedule")
            if self.route:
                raise ValueError(f"cron function {self.name} takes no route")
        return self

    @property
    def deploy_name(self) -> str:
        """Cloud Run service names use hyphens."""
        return self.name.replace("_", "-")

    @property
    def internal(self) -> bool:
        """Task and cron functions are never reachable through Hosting."""
        return self.kind != "http"

    @property
    def local_path(self) -> str:
        """Where the local gateway mounts the function."""
        return self.route if self.route else f"/_fn/{self.name}"


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    queues: dict[str, QueueSpec]
    functions: list[FunctionSpec]

    @model_validator(mode="after")
    def _consistent(self) -> Manifest:
        names = [f.name for f in self.functions]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ValueError(f"duplicate function names: {sorted(dupes)}")
        # A route may nest inside another (the social accounts callback under
        # the social accounts group): the longest matching prefix wins, in the
        # gateway and in the generated Hosting rewrites alike. Equal routes overlap.
        routes = [f.route for f in self.functions if f.route]
        for i, a in enumerate(routes):
            for b in routes[i + 1 :]:
                if a == b:
                    raise ValueError(f"routes overlap: {a} and {b}")
        by_name = {f.name: f for f in self.functions}
        for f in self.functions:
            if f.queue and f.queue not in self.queues:
                raise ValueError(f"function {f.name} names unknown queue {f.queue}")
            for target in f.invokes:
                if target not in by_name or by_name[target].kind != "task":
                    raise ValueError(f"function {f.name} invokes {target}, not a task function")
        return self

    def function(self, name: str) -> FunctionSpec:
        for f in self.functions:
            if f.name == name:
                return f
        raise KeyError(f"no function named {name!r} in the manifest")

    def of_kind(self, kind: FunctionKind) -> list[FunctionSpec]:
        return [f for f in self.functions if f.kind == kind]

    def queue_for(self, function: str) -> QueueSpec:
        spec = self.function(function)
        if spec.kind != "task" or spec.queue is None:
            raise KeyError(f"{function} is not a task function")
        return self.queues[spec.queue]


def load_manifest(path: Path) -> Manifest:
    raw = tomllib.loads(path.read_text())
    queues = {
        name: QueueSpec(name=name, **body) for name, body in (raw.get("queues") or {}).items()
    }
    return Manifest(queues=queues, functions=raw.get("functions") or [])


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> Manifest:
    return load_manifest(Path(path))


def get_manifest(path: Path | None = None) -> Manifest:
    """The manifest from settings (cached while the file is unchanged)."""
    if path is None:
        from synthora.settings import get_settings

        path = get_settings().manifest_file
    return _cached(str(path), path.stat().st_mtime)
