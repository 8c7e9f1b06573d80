"""What every platform emulator shares: its prefix, blueprint, state lock and hooks."""

from __future__ import annotations

import threading
from typing import Any

import flask

from synthora_emulators.clock import Clock
from synthora_emulators.faults import FaultRule, Faults


class PlatformEmulator:
    """One emulated service, mounted at `/<prefix>`.

    A subclass builds its routes on `self.blueprint` in `__init__`, keeps its
    state under `self.lock`, and may override `error_body` (the platform's own
    error envelope, used for injected faults), `inspect` (what the control API
    shows), `reset` and `control` (platform-specific control actions under
    `/_emulator/<prefix>/<action>`).
    """

    prefix: str = ""
    title: str = ""

    def __init__(self, *, clock: Clock, faults: Faults) -> None:
        if not self.prefix:
            raise TypeError(f"{type(self).__name__} must set a prefix")
        self.clock = clock
        self.faults = faults
        self.lock = threading.RLock()
        self.blueprint = flask.Blueprint(self.prefix, __name__, url_prefix=f"/{self.prefix}")

    def error_body(self, rule: FaultRule) -> dict[str, Any]:
        """The body an injected `status` fault answers with, in this platform's shape."""
        return {"error": {"code": rule.status, "message": "injected fault"}}

    def inspect(self) -> dict[str, Any]:
        return {}

    def reset(self) -> None:
        """Forget everything (tests call this between cases)."""

    def control(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        flask.abort(404)
