"""What every platform emulator shares: its prefix, blueprint, state lock and hooks."""

from __future__ import annotations

import threading
from typing import Any

import flask
from pydantic import ValidationError

from synthora_emulators.clock import Clock
from synthora_emulators.faults import FaultRule, Faults
from synthora_emulators.metrics import Effect


class PlatformEmulator:
    """One emulated service, mounted at `/<prefix>`.

    A subclass builds its routes on `self.blueprint` in `__init__`, keeps its
    state under `self.lock`, and may override `error_body` (the platform's own
    error envelope, used for injected faults), `inspect` (what the control API
    shows), `reset` and `control` (platform-specific control actions under
    `/_emulator/<prefix>/<action>`).

    The social platforms also share planted metric effects (`self.effects`, the
    `effects` control action) and a queue of planted processing failures
    (`self.planned_failures`, the `fail_processing` action).
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
        self.effects: list[Effect] = []
        self.planned_failures: list[dict[str, Any]] = []

    def error_body(self, rule: FaultRule) -> dict[str, Any]:
        """The body an injected `status` fault answers with, in this platform's shape."""
        return {"error": {"code": rule.status, "message": "injected fault"}}

    def inspect(self) -> dict[str, Any]:
        return {}

    def reset(self) -> None:
        """Forget everything (tests call this between cases)."""
        self.effects = []
        self.planned_failures = []

    def control(self, action: str, payload: dict[str, Any]) -> Any:
        """Shared actions: `effects` and `fail_processing`; anything else is 404."""
        if action == "effects":
            return self._control_effects(payload)
        if action == "fail_processing":
            count = int(payload.get("count", 1))
            if count < 1 or count > 1000:
                return {"error": {"message": "count must be 1-1000"}}, 400
            with self.lock:
                for _ in range(count):
                    self.planned_failures.append(dict(payload))
            return {"planned_failures": len(self.planned_failures)}
        flask.abort(404)

    def take_planned_failure(self) -> dict[str, Any] | None:
        with self.lock:
            return self.planned_failures.pop(0) if self.planned_failures else None

    def _control_effects(self, payload: dict[str, Any]) -> Any:
        with self.lock:
            if payload.get("clear"):
                self.effects = []
            raw = payload.get("effects")
            items = raw if isinstance(raw, list) else ([] if payload.get("clear") else [payload])
            try:
                parsed = [Effect.model_validate(item) for item in items]
            except ValidationError as exc:
                return {
                    "error": {
                        "message": "invalid effect",
                        "details": exc.errors(include_url=False, include_context=False),
                    }
                }, 400
            self.effects.extend(parsed)
            return {"effects": [e.model_dump(exclude_none=True) for e in self.effects]}

    # ------------------------------------------------------------------ helpers for routes

    def base_url(self) -> str:
        """This platform's base as the client reached it, e.g. http://127.0.0.1:8090/google."""
        return flask.request.host_url.rstrip("/") + "/" + self.prefix

    @staticmethod
    def json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> flask.Response:
        response = flask.jsonify(body)
        response.status_code = status
        for key, value in (headers or {}).items():
            response.headers[key] = value
        return response
