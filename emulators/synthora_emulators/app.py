"""The emulator process: every platform under its prefix, plus the control API.

Control API (all JSON, under `/_emulator/`):

- `GET  health`                     -> {"status": "ok", "platforms": [...], "now": ...}
- `GET  clock` / `POST clock`       -> read; body {"advance_s": 3600} or {"factor": 60}
- `POST faults` / `GET faults` / `DELETE faults`
                                    -> add a FaultRule, list pending rules and fired ones, clear
- `POST reset`                      -> every platform forgets its state; faults cleared
- `GET  <prefix>`                   -> that platform's `inspect()`
- `POST <prefix>/<action>`          -> that platform's `control(action, body)`
"""

from __future__ import annotations

import contextlib
import socket
import time
from typing import Any

import flask
from pydantic import ValidationError

from synthora_emulators.clock import Clock
from synthora_emulators.core import PlatformEmulator
from synthora_emulators.faults import FaultRule, Faults

CONTROL_PREFIX = "/_emulator"


class _DropConnection(Exception):
    """Raised to close the socket without an answer."""


def platform_classes() -> list[type[PlatformEmulator]]:
    """Every platform module's emulator class, in mount order."""
    classes: list[type[PlatformEmulator]] = []
    # Platform modules are imported here, explicitly (no registration by import side effect).
    import importlib

    for module_name, class_name in PLATFORM_MODULES:
        try:
            module = importlib.import_module(f"synthora_emulators.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"synthora_emulators.{module_name}":
                continue  # not built yet in this checkout
            raise
        classes.append(getattr(module, class_name))
    return classes


# (module, class) of each platform emulator.
PLATFORM_MODULES: list[tuple[str, str]] = [
    ("google", "GoogleEmulator"),
    ("tiktok", "TikTokEmulator"),
    ("meta", "MetaEmulator"),
    ("stripe", "StripeEmulator"),
]


class EmulatorApp:
    def __init__(self, *, clock_factor: float = 1.0) -> None:
        self.clock = Clock(factor=clock_factor)
        self.faults = Faults()
        self.platforms: dict[str, PlatformEmulator] = {}
        self.flask = flask.Flask("synthora_emulators")
        self.flask.config["MAX_CONTENT_LENGTH"] = 1024 * 1024 * 1024
        for cls in platform_classes():
            platform = cls(clock=self.clock, faults=self.faults)
            self.platforms[platform.prefix] = platform
            self.flask.register_blueprint(platform.blueprint)
        self.flask.before_request(self._inject_fault)
        self.flask.register_error_handler(_DropConnection, _drop)
        self._control_routes()

    # ------------------------------------------------------------------ faults

    def _inject_fault(self) -> flask.Response | None:
        path = flask.request.path
        if path.startswith(CONTROL_PREFIX):
            return None
        prefix, _, rest = path.lstrip("/").partition("/")
        platform = self.platforms.get(prefix)
        if platform is None:
            return None
        rule = self.faults.take(platform=prefix, method=flask.request.method, path="/" + rest)
        if rule is None:
            return None
        if rule.kind == "delay":
            time.sleep(rule.delay_s)
            return None
        if rule.kind == "drop":
            # Read part of the body (as a broken upload would have sent), then hang up.
            stream = flask.request.environ.get("wsgi.input")
            if stream is not None:
                stream.read(min(flask.request.content_length or 0, 64 * 1024))
            raise _DropConnection
        body = rule.body if rule.body is not None else platform.error_body(rule)
        response = flask.jsonify(body)
        response.status_code = rule.status
        if rule.retry_after is not None:
            response.headers["Retry-After"] = str(rule.retry_after)
        return response

    # ------------------------------------------------------------------ control API

    def _control_routes(self) -> None:
        app = self.flask

        @app.get(f"{CONTROL_PREFIX}/health")
        def health() -> Any:
            return {
                "status": "ok",
                "service": "synthora-emulators",
                "platforms": sorted(self.platforms),
                "now": self.clock.time(),
                "clock_factor": self.clock.factor,
            }

        @app.route(f"{CONTROL_PREFIX}/clock", methods=["GET", "POST"])
        def clock() -> Any:
            if flask.request.method == "POST":
                body = flask.request.get_json(silent=True) or {}
                try:
                    if "factor" in body:
                        self.clock.set_factor(float(body["factor"]))
                    if "advance_s" in body:
                        self.clock.advance(float(body["advance_s"]))
                except (TypeError, ValueError) as exc:
                    return {"error": {"message": str(exc)}}, 400
            return {
                "now": self.clock.time(),
                "iso": self.clock.now().isoformat(),
                "factor": self.clock.factor,
            }

        @app.route(f"{CONTROL_PREFIX}/faults", methods=["GET", "POST", "DELETE"])
        def faults() -> Any:
            if flask.request.method == "POST":
                try:
                    rule = FaultRule.model_validate(flask.request.get_json(silent=True) or {})
                except ValidationError as exc:
                    return {
                        "error": {
                            "message": "invalid fault rule",
                            "details": exc.errors(include_url=False, include_context=False),
                        }
                    }, 400
                if rule.platform not in self.platforms:
                    return {"error": {"message": f"unknown platform {rule.platform!r}"}}, 400
                self.faults.add(rule)
                return {"added": rule.model_dump()}, 201
            if flask.request.method == "DELETE":
                self.faults.clear()
                return {"cleared": True}
            return {
                "pending": [rule.model_dump() for rule in self.faults.pending()],
                "fired": list(self.faults.fired),
            }

        @app.post(f"{CONTROL_PREFIX}/reset")
        def reset() -> Any:
            self.faults.clear()
            for platform in self.platforms.values():
                platform.reset()
            return {"reset": sorted(self.platforms)}

        @app.get(f"{CONTROL_PREFIX}/<prefix>")
        def inspect(prefix: str) -> Any:
            platform = self.platforms.get(prefix)
            if platform is None:
                return {"error": {"message": f"unknown platform {prefix!r}"}}, 404
            return platform.inspect()

        @app.post(f"{CONTROL_PREFIX}/<prefix>/<action>")
        def control(prefix: str, action: str) -> Any:
            platform = self.platforms.get(prefix)
            if platform is None:
                return {"error": {"message": f"unknown platform {prefix!r}"}}, 404
            return platform.control(action, flask.request.get_json(silent=True) or {})

    # ------------------------------------------------------------------ WSGI

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.flask(environ, start_response)


def _drop(exc: _DropConnection) -> flask.Response:
    """Hang up without a status line: the client sees a broken connection, as mid-upload.

    Flask hands exceptions raised in `before_request` to error handlers (they never
    reach the WSGI caller), so the socket is shut here; werkzeug's server then fails
    to write the response and closes quietly.
    """
    sock = flask.request.environ.get("werkzeug.socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    return flask.Response(b"", 500)


def create_app(*, clock_factor: float = 1.0) -> EmulatorApp:
    return EmulatorApp(clock_factor=clock_factor)
