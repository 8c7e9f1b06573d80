"""Task queue port: Cloud Tasks semantics.

`enqueue` asks for an HTTP POST of `payload` (JSON) to the task function named
`function`, on the queue the manifest gives that function. Delivery is
at-least-once; a `name` de-duplicates (enqueueing an existing name is a no-op
that reports `created=False`); `schedule_time`/`delay_s` postpone delivery.
Handlers receive the `X-CloudTasks-*` headers and must be idempotent.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from datetime import datetime
from typing import Any

from pydantic import BaseModel

TASK_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,500}$")


class TaskQueueError(Exception):
    """The queue could not take the task."""


class EnqueueResult(BaseModel):
    name: str
    queue: str
    function: str
    created: bool
    schedule_time: datetime | None = None


class QueueStats(BaseModel):
    queue: str
    pending: int
    leased: int
    done: int
    failed: int


def task_name(*parts: str | int) -> str:
    """Build a valid, deterministic task name from parts (unsafe characters become `-`)."""
    raw = "-".join(str(p) for p in parts if str(p))
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", raw).strip("-")
    if not cleaned:
        raise TaskQueueError("task name is empty")
    return cleaned[:500]


class TaskQueue(ABC):
    adapter_name: str = "abstract"

    @abstractmethod
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
        """Queue one HTTP task for `function`."""

    def info(self) -> dict[str, Any]:
        return {"adapter": self.adapter_name}

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources."""
