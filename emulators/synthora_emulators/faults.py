"""Fault injection: the next N matching calls fail the way the real service fails.

A rule matches on the platform prefix, an HTTP method (or any) and a path
pattern (fnmatch-style, against the path below the prefix). Its `kind` says
what happens:

- `status`: answer `status` with `body` (the platform module supplies its own
  error body when `body` is absent) and `Retry-After` when `retry_after` is set;
- `drop`: close the connection without an answer (a dropped upload);
- `delay`: sleep `delay_s` before handling (a timeout from the client's side).

Rules are consumed in order; `times` counts down to zero and the rule goes.
"""

from __future__ import annotations

import fnmatch
import threading
from typing import Any, Literal

from pydantic import BaseModel, Field

FaultKind = Literal["status", "drop", "delay"]


class FaultRule(BaseModel):
    platform: str = Field(
        description="Emulator prefix, e.g. 'youtube', 'tiktok', 'meta', 'stripe'."
    )
    path: str = Field(default="*", description="fnmatch pattern against the path below the prefix.")
    method: str = "*"
    kind: FaultKind = "status"
    status: int = 500
    body: dict[str, Any] | None = None
    retry_after: int | None = None
    delay_s: float = 0.0
    times: int = Field(default=1, ge=1, le=100_000)


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self.fired: list[dict[str, Any]] = []

    def add(self, rule: FaultRule) -> None:
        with self._lock:
            self._rules.append(rule)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
            self.fired.clear()

    def pending(self) -> list[FaultRule]:
        with self._lock:
            return [rule.model_copy() for rule in self._rules]

    def take(self, *, platform: str, method: str, path: str) -> FaultRule | None:
        """The first rule matching this call, counted down; None when none matches."""
        with self._lock:
            for rule in self._rules:
                if rule.platform != platform:
                    continue
                if rule.method not in ("*", method.upper()):
                    continue
                if not fnmatch.fnmatchcase(path, rule.path):
                    continue
                rule.times -= 1
                if rule.times <= 0:
                    self._rules.remove(rule)
                self.fired.append(
                    {"platform": platform, "method": method, "path": path, "kind": rule.kind}
                )
                return rule.model_copy()
        return None
