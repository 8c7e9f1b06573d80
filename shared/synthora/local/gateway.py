"""The local gateway: the whole platform in one process.

It mounts every function of the manifest (http functions under their route
prefix, as Firebase Hosting rewrites would; task and cron functions under
`/_fn/<name>`), serves signed blob URLs with Range support, the merged OpenAPI
document, and the built web app with SPA fallback; it runs the embedded queue
dispatcher and the cron scheduler, and starts the Firebase Auth emulator and, when no
real platform credentials are configured, the platform emulators (YouTube, TikTok,
Meta, Stripe: `python -m synthora_emulators`, see docs/emulators.md).

It trusts the Auth emulator's tokens (they carry no signature), so it listens
on loopback only while the emulator is in use: any other `--host` is refused.
Every answer carries the security headers of `synthora.http.security_headers`
(the web app's Content-Security-Policy included), and gunicorn's own refusals
are JSON without a `Server` banner (`synthora.local.server`).

    python -m synthora.local.gateway        # PORT=8080 by default
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import flask
import httpx
from werkzeug.exceptions import HTTPException, RequestedRangeNotSatisfiable

from synthora.errors import ApiError, Forbidden, NotFound
from synthora.http.router import error_response
from synthora.http.security_headers import (
    API_HEADERS,
    CACHE_IMMUTABLE,
    CACHE_REVALIDATE,
    web_headers,
)
from synthora.identity import INTERNAL_TOKEN_HEADER
from synthora.local.cron import CronRunner
from synthora.local.functions import build_openapi_document, create_function_app
from synthora.logs import configure, fields, get_logger
from synthora.manifest import FunctionSpec, Manifest
from synthora.settings import REPO_ROOT, Settings

log = get_logger(__name__)

DEFAULT_PORT = 8080
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Gateway:
    """A WSGI app routing to every function, plus the gateway's own routes."""

    def __init__(self, *, settings: Settings, manifest: Manifest) -> None:
        self.settings = settings
        self.manifest = manifest
        self.http_mounts: list[tuple[str, WSGIApp]] = []
        self.internal_mounts: dict[str, WSGIApp] = {}
        for spec in manifest.functions:
            app = create_function_app(spec, settings.functions_dir)
            if spec.kind == "http":
                assert spec.route is not None
                self.http_mounts.append((spec.route, app))
            else:
                self.internal_mounts[spec.name] = app
        self.http_mounts.sort(key=lambda item: -len(item[0]))
        self.openapi = build_openapi_document(manifest, settings.functions_dir)
        self.own = self._own_app()

    # routing ----------------------------------------------------------------------

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path: str = environ.get("PATH_INFO", "/") or "/"
        if path.startswith("/api/"):
            for prefix, app in self.http_mounts:
                if path == prefix or path.startswith(prefix + "/"):
                    return app(environ, start_response)
            return self.own(environ, start_response)
        if path.startswith("/_fn/"):
            name, _, rest = path[len("/_fn/") :].partition("/")
            app = self.internal_mounts.get(name)
            if app is not None:
                environ = dict(environ)
                environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + f"/_fn/{name}"
                environ["PATH_INFO"] = "/" + rest
                return app(environ, start_response)
        return self.own(environ, start_response)

    def _own_app(self) -> flask.Flask:
        app = flask.Flask("synthora-gateway", static_folder=None)
        dist = self.settings.hosting_dist
        openapi_body = json.dumps(self.openapi)
        s = self.settings
        page_headers = web_headers(
            auth_emulator_url=(
                f"http://{s.firebase_auth_emulator_host}" if s.firebase_auth_emulator_host else None
            ),
            extra_origins=(_origin(s.public_url),),
        )

        @app.after_request
        def security_headers(response: flask.Response) -> flask.Response:
            path = flask.request.path
            api = path.startswith(("/api/", "/_fn/", "/_blobs/"))
            for key, value in (API_HEADERS if api else page_headers).items():
                response.headers.setdefault(key, value)
            if path.startswith("/_blobs/"):
                # media is loaded by <video>/<img> from the page's origin or the public URL
                response.headers.pop("Cross-Origin-Resource-Policy", None)
            return response

        @app.errorhandler(HTTPException)
        def http_error(exc: HTTPException) -> flask.Response:
            allowed = getattr(exc, "valid_methods", None)
            return error_response(
                ApiError(
                    exc.description or exc.name,
                    code=exc.name.lower().replace(" ", "_"),
                    status=exc.code or 500,
                    headers={"Allow": ", ".join(allowed)} if allowed else None,
                )
            )

        @app.get("/api/v1/openapi.json")
        def openapi() -> flask.Response:
            return flask.Response(openapi_body, mimetype="application/json")

        @app.route("/api/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
        def unknown_api(rest: str) -> flask.Response:
            return error_response(NotFound(f"no API route /api/{rest}", code="route_not_found"))

        @app.route("/_fn/<path:rest>", methods=["GET", "POST"])
        def unknown_function(rest: str) -> flask.Response:
            return error_response(NotFound("no such function", code="route_not_found"))

        @app.get("/_blobs/<path:key>")
        def blob(key: str) -> flask.Response:
            return self._serve_blob(key)

        @app.get("/", defaults={"path": ""})
        @app.get("/<path:path>")
        def web(path: str) -> flask.Response:
            return _serve_web(dist, path)

        return app

    def _serve_blob(self, key: str) -> flask.Response:
        from synthora.adapters.local_blobs import LocalBlobStore
        from synthora.platform import get_platform

        blobs = get_platform().blobs
        if not isinstance(blobs, LocalBlobStore):
            return error_response(NotFound("blobs are served by Cloud Storage here"))
        args = flask.request.args
        download = args.get("download")
        try:
            ok = blobs.verify(
                key=key,
                expires=args.get("expires", ""),
                sig=args.get("sig", ""),
                download_name=download,
            )
        except ValueError:
            ok = False
        if not ok:
            return error_response(
                Forbidden("this link is invalid or has expired", code="invalid_signature")
            )
        try:
            path = blobs.path_for(key)
        except ValueError:
            return error_response(NotFound("no such file"))
        info = blobs.stat(key)
        if info is None:
            return error_response(NotFound("no such file"))
        try:
            response = flask.send_file(
                path,
                mimetype=info.content_type,
                conditional=True,  # Range and If-None-Match, so a browser can seek
                as_attachment=download is not None,
                download_name=download,
                max_age=300,
            )
        except RequestedRangeNotSatisfiable:
            return error_response(
                ApiError(
                    f"the requested range is outside the file ({info.size} bytes)",
                    code="range_not_satisfiable",
                    status=416,
                    details={"size": info.size},
                    headers={"Content-Range": f"bytes */{info.size}"},
                )
            )
        response.headers["Accept-Ranges"] = "bytes"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _serve_web(dist: Path, path: str) -> flask.Response:
    index = dist / "index.html"
    if not index.is_file():
        return flask.Response(
            "<!doctype html><title>Synthora</title><body style='font-family:sans-serif;"
            "background:#0b0b12;color:#eee;padding:3rem'><h1>Synthora API is running</h1>"
            "<p>The web app has not been built: run <code>make web</code> (make dev does it).</p>"
            "<p><a style='color:#7dd3fc' href='/api/v1/health'>/api/v1/health</a></p></body>",
            status=200,
            mimetype="text/html",
        )
    if path:
        candidate = (dist / path).resolve()
        if dist.resolve() in candidate.parents and candidate.is_file():
            response = flask.send_file(candidate, conditional=True)
            if "/assets/" in f"/{path}":
                response.headers["Cache-Control"] = CACHE_IMMUTABLE
            else:
                response.headers["Cache-Control"] = CACHE_REVALIDATE
            return response
        if "." in path.rsplit("/", 1)[-1] and mimetypes.guess_type(path)[0]:
            return error_response(NotFound(f"no file /{path}"))
    response = flask.send_file(index, mimetype="text/html")
    response.headers["Cache-Control"] = CACHE_REVALIDATE
    return response


# --------------------------------------------------------------------------- background


class Background:
    """The queue dispatcher and cron of one gateway worker process."""

    def __init__(self, *, settings: Settings, manifest: Manifest, base_url: str) -> None:
        self.settings = settings
        self.manifest = manifest
        self.base_url = base_url.rstrip("/")
        self.dispatcher: Any = None
        self.cron: CronRunner | None = None

    def url_for(self, function: str) -> str:
        return f"{self.base_url}/_fn/{function}"

    def start(self) -> None:
        from synthora.adapters.sqlite_tasks import QueueDispatcher, SqliteTaskQueue
        from synthora.platform import get_platform

        platform = get_platform()
        if isinstance(platform.tasks, SqliteTaskQueue):
            self.dispatcher = QueueDispatcher(
                queue=platform.tasks,
                url_for=self.url_for,
                internal_token=self.settings.secret("internal_token"),
            )
            self.dispatcher.start()
        self.cron = CronRunner(manifest=self.manifest, fire=self.fire_cron)
        self.cron.start()

    def fire_cron(self, job: FunctionSpec, scheduled: datetime) -> None:
        log.info("cron firing", extra=fields(job=job.name))
        response = httpx.post(
            self.url_for(job.name),
            headers={
                INTERNAL_TOKEN_HEADER: self.settings.secret("internal_token"),
                "X-CloudScheduler": "true",
                "X-CloudScheduler-JobName": job.deploy_name,
                "X-CloudScheduler-ScheduleTime": scheduled.isoformat(),
                "User-Agent": "Google-Cloud-Scheduler",
            },
            timeout=job.timeout_s,
        )
        if response.status_code >= 300:
            log.error(
                "cron job answered with an error",
                extra=fields(job=job.name, status=response.status_code, body=response.text[:500]),
            )

    def stop(self) -> None:
        if self.cron:
            self.cron.stop()
        if self.dispatcher:
            self.dispatcher.stop()


# --------------------------------------------------------------------------- auth emulator


def _firebase_bin() -> Path:
    return REPO_ROOT / "tools" / "node_modules" / ".bin" / "firebase"


def start_auth_emulator(settings: Settings) -> subprocess.Popen[bytes] | None:
    """Start the Firebase Auth emulator on 127.0.0.1, keeping users in the data folder."""
    binary = _firebase_bin()
    if not binary.exists():
        log.error("firebase-tools is not installed; run `make install` (sign-in will not work)")
        return None
    host = f"127.0.0.1:{settings.auth_emulator_port}"
    if _port_open("127.0.0.1", settings.auth_emulator_port):
        if emulator_answers(host, settings.project_id):
            log.info("an Auth emulator already answers; reusing it", extra=fields(host=host))
        else:
            log.error(
                "the Auth emulator's port is taken by something else; sign-in will not work",
                extra=fields(host=host, hint="free the port or set SYNTHORA_AUTH_EMULATOR_PORT"),
            )
        return None
    export_dir = settings.data_dir / "auth-emulator"
    config = write_auth_emulator_config(settings)
    cmd = [
        str(binary),
        "emulators:start",
        "--only",
        "auth",
        "--project",
        settings.project_id,
        "--config",
        str(config),
        "--export-on-exit",
        str(export_dir),
    ]
    if (export_dir / "firebase-export-metadata.json").exists():
        cmd += ["--import", str(export_dir)]
    log_path = settings.data_dir / "auth-emulator.log"
    log_file = log_path.open("ab")
    # Its own temp folder: firebase-tools keeps a hub locator per project there,
    # which a second instance (another data folder, another port) must not share.
    tmp = settings.data_dir / "auth-emulator-tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        cmd,
        cwd=REPO_ROOT,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "TMPDIR": str(tmp)},
    )
    log.info(
        "starting the Auth emulator",
        extra=fields(host=host, data_dir=str(export_dir), log=str(log_path)),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.error("the Auth emulator exited", extra=fields(log=str(log_path)))
            return None
        # Ready when it answers as the emulator, not merely when the port is
        # open: an emulator still shutting down can hold the port for a moment.
        if emulator_answers(host, settings.project_id) and proc.poll() is None:
            log.info("Auth emulator ready", extra=fields(host=host))
            return proc
        time.sleep(0.25)
    log.warning(
        "the Auth emulator does not answer yet after 60 s (a busy machine); carrying on, "
        "health reports degraded until it does",
        extra=fields(host=host, log=str(log_path)),
    )
    return proc


def stop_process(proc: subprocess.Popen[bytes] | None, timeout_s: float = 15) -> None:
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGINT)  # SIGINT lets the emulator export its users
        proc.wait(timeout_s)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(5)  # reap it, so its exit is seen (poll) and no zombie is left


def write_auth_emulator_config(settings: Settings) -> Path:
    """A firebase-tools config for this instance: the Auth emulator on its own port.

    The repository's `firebase.json` is the deployed configuration and names the
    default port (9099); a second local instance with another
    `SYNTHORA_AUTH_EMULATOR_PORT` needs its own, and its own hub and logging
    ports, so two instances never fight over the same ones.
    """
    config = settings.data_dir / "auth-emulator.firebase.json"
    config.write_text(
        json.dumps(
            {
                "emulators": {
                    "auth": {"host": "127.0.0.1", "port": settings.auth_emulator_port},
                    "ui": {"enabled": False},
                    "hub": {"host": "127.0.0.1", "port": _free_port()},
                    "logging": {"host": "127.0.0.1", "port": _free_port()},
                    "singleProjectMode": True,
                }
            },
            indent=2,
        )
    )
    return config


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def auth_emulator_host_from_env(environ: dict[str, str]) -> str:
    """The Auth emulator address the gateway points the API at: its configured port."""
    raw = environ.get("SYNTHORA_AUTH_EMULATOR_PORT", "9099")
    try:
        port = int(raw)
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise SystemExit(f"SYNTHORA_AUTH_EMULATOR_PORT={raw!r} is not a port number (1-65535)")
    return f"127.0.0.1:{port}"


def emulator_answers(host: str, project: str) -> bool:
    """Whether the Firebase Auth emulator (not just anything) answers at `host`."""
    from synthora.services.health import auth_emulator_answers

    return auth_emulator_answers(host, project)


def _port_open(host: str, port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


# --------------------------------------------------------------------------- platform emulators

# Any of these set means real platform apps are configured: the emulators are not started.
REAL_PLATFORM_CREDENTIALS = (
    "SYNTHORA_GOOGLE_CLIENT_ID",
    "SYNTHORA_TIKTOK_CLIENT_KEY",
    "SYNTHORA_META_APP_ID",
    "SYNTHORA_STRIPE_SECRET_KEY",
)
DEFAULT_PLATFORM_EMULATOR_PORT = 8090


def platform_emulators_wanted(environ: dict[str, str]) -> bool:
    """Start the local platform emulators unless real credentials or an emulator URL are set."""
    if environ.get("SYNTHORA_PLATFORM_EMULATOR_URL"):
        return False
    return not any(environ.get(name) for name in REAL_PLATFORM_CREDENTIALS)


def platform_emulators_answer(url: str) -> bool:
    """Whether the platform emulators (not just anything) answer at `url`."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url}/_emulator/health", timeout=2) as response:
            body = json.loads(response.read() or b"{}")
            return bool(response.status == 200 and body.get("service") == "synthora-emulators")
    except (urllib.error.URLError, OSError, ValueError):
        return False


def start_platform_emulators(settings: Settings, port: int) -> subprocess.Popen[bytes] | None:
    """Start `python -m synthora_emulators` on 127.0.0.1:`port` (a separate process: the
    gateway never imports the emulators), ready when it answers its health route."""
    url = f"http://127.0.0.1:{port}"
    if _port_open("127.0.0.1", port):
        if platform_emulators_answer(url):
            log.info("platform emulators already answer; reusing them", extra=fields(url=url))
        else:
            log.error(
                "the platform emulators' port is taken by something else",
                extra=fields(url=url, hint="free the port or set SYNTHORA_EMULATOR_PORT"),
            )
        return None
    env = {
        **os.environ,
        "SYNTHORA_EMULATOR_PORT": str(port),
        "PYTHONPATH": os.pathsep.join(
            [str(REPO_ROOT / "emulators"), str(REPO_ROOT / "shared")]
            + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        ),
    }
    log_file = (settings.data_dir / "platform-emulators.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "synthora_emulators"],
        cwd=REPO_ROOT,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.error("the platform emulators exited; see .synthora/platform-emulators.log")
            return None
        if platform_emulators_answer(url):
            log.info("platform emulators ready (Emulated, local)", extra=fields(url=url))
            return proc
        time.sleep(0.2)
    log.error("the platform emulators did not start within 30 s")
    return proc


# --------------------------------------------------------------------------- mail catcher

DEFAULT_MAIL_SMTP_PORT = 1025
DEFAULT_MAIL_WEB_PORT = 8025


def mail_catcher_wanted(environ: dict[str, str]) -> bool:
    """Run the local mail catcher unless a real SMTP server is configured."""
    return not environ.get("SYNTHORA_SMTP_HOST")


def mail_catcher_answers(url: str) -> bool:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url}/_mail/health", timeout=2) as response:
            body = json.loads(response.read() or b"{}")
            return bool(response.status == 200 and body.get("service") == "synthora-mailcatcher")
    except (urllib.error.URLError, OSError, ValueError):
        return False


def start_mail_catcher(
    settings: Settings, *, smtp_port: int, web_port: int
) -> subprocess.Popen[bytes] | None:
    """Start `python -m synthora_emulators.mailcatcher` (SMTP + web inbox, loopback only)."""
    url = f"http://127.0.0.1:{web_port}"
    if _port_open("127.0.0.1", web_port) or _port_open("127.0.0.1", smtp_port):
        if mail_catcher_answers(url):
            log.info("mail catcher already answers; reusing it", extra=fields(url=url))
        else:
            log.error(
                "the mail catcher's ports are taken by something else",
                extra=fields(
                    url=url, hint="free them or set SYNTHORA_MAIL_SMTP_PORT/SYNTHORA_MAIL_WEB_PORT"
                ),
            )
        return None
    env = {
        **os.environ,
        "SYNTHORA_MAIL_SMTP_PORT": str(smtp_port),
        "SYNTHORA_MAIL_WEB_PORT": str(web_port),
        "PYTHONPATH": os.pathsep.join(
            [str(REPO_ROOT / "emulators")]
            + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        ),
    }
    log_file = (settings.data_dir / "mail-catcher.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "synthora_emulators.mailcatcher"],
        cwd=REPO_ROOT,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env=env,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.error("the mail catcher exited; see .synthora/mail-catcher.log")
            return None
        if mail_catcher_answers(url):
            log.info("mail catcher ready", extra=fields(url=url))
            return proc
        time.sleep(0.2)
    log.error("the mail catcher did not start within 15 s")
    return proc


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Run the whole Synthora platform locally.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", DEFAULT_PORT)))
    parser.add_argument(
        "--no-auth-emulator", action="store_true", help="do not start the Firebase Auth emulator"
    )
    parser.add_argument(
        "--no-background",
        action="store_true",
        help="do not run the queue dispatcher and cron (benchmarks)",
    )
    parser.add_argument(
        "--no-mail-catcher",
        action="store_true",
        help="do not start the local mail catcher (email stays off unless SMTP is set)",
    )
    parser.add_argument(
        "--no-platform-emulators",
        action="store_true",
        help="do not start the YouTube/TikTok/Meta/Stripe emulators",
    )
    args = parser.parse_args(argv)

    if not args.no_auth_emulator:
        os.environ.setdefault(
            "FIREBASE_AUTH_EMULATOR_HOST", auth_emulator_host_from_env(dict(os.environ))
        )
    platform_port = 0
    if not args.no_platform_emulators and platform_emulators_wanted(dict(os.environ)):
        platform_port = int(
            os.environ.get("SYNTHORA_EMULATOR_PORT", DEFAULT_PLATFORM_EMULATOR_PORT)
        )
        # Set before the settings are read: every platform client points at the emulators.
        os.environ["SYNTHORA_PLATFORM_EMULATOR_URL"] = f"http://127.0.0.1:{platform_port}"
    mail_ports: tuple[int, int] | None = None
    if not args.no_mail_catcher and mail_catcher_wanted(dict(os.environ)):
        mail_ports = (
            int(os.environ.get("SYNTHORA_MAIL_SMTP_PORT", DEFAULT_MAIL_SMTP_PORT)),
            int(os.environ.get("SYNTHORA_MAIL_WEB_PORT", DEFAULT_MAIL_WEB_PORT)),
        )
        # Set before the settings are read: email notifications go to the catcher.
        os.environ["SYNTHORA_SMTP_HOST"] = "127.0.0.1"
        os.environ["SYNTHORA_SMTP_PORT"] = str(mail_ports[0])
        os.environ["SYNTHORA_SMTP_SECURITY"] = "none"
        os.environ["SYNTHORA_MAIL_CATCHER_URL"] = f"http://127.0.0.1:{mail_ports[1]}"
    if os.environ.get("FIREBASE_AUTH_EMULATOR_HOST") and not is_loopback(args.host):
        sys.stderr.write(
            f"refusing to listen on {args.host}: with the Auth emulator the gateway accepts "
            "unsigned sign-in tokens, so it listens on loopback only (127.0.0.1, ::1)\n"
        )
        return 2
    os.environ.setdefault("SYNTHORA_PUBLIC_URL", f"http://{args.host}:{args.port}")

    from synthora.manifest import get_manifest
    from synthora.settings import get_settings

    settings = get_settings()
    configure(settings.log_level, settings.project_id)
    manifest = get_manifest(settings.manifest_file)
    settings.data_dir.mkdir(parents=True, exist_ok=True)

    emulator = None
    if not args.no_auth_emulator:
        emulator = start_auth_emulator(settings)
    platforms = start_platform_emulators(settings, platform_port) if platform_port else None
    mail_catcher = (
        start_mail_catcher(settings, smtp_port=mail_ports[0], web_port=mail_ports[1])
        if mail_ports
        else None
    )

    gateway = Gateway(settings=settings, manifest=manifest)
    background = Background(
        settings=settings, manifest=manifest, base_url=f"http://127.0.0.1:{args.port}"
    )

    def post_worker_init(worker: Any) -> None:
        from synthora.local.startup import run_startup

        run_startup()
        if not args.no_background:
            background.start()

    def worker_exit(server: Any, worker: Any) -> None:
        background.stop()

    from functions_framework._http.gunicorn import GunicornApplication

    from synthora.local.server import harden_gunicorn

    harden_gunicorn()

    url = f"http://{args.host}:{args.port}"
    log.info(
        "Synthora is running",
        extra=fields(
            url=url,
            functions=len(manifest.functions),
            data_dir=str(settings.data_dir.resolve()),
            auth_emulator=settings.firebase_auth_emulator_host,
        ),
    )
    sys.stderr.write(
        f"\n  Synthora is running at {url}\n"
        f"  API health: {url}/api/v1/health   (PORT sets the port; default {DEFAULT_PORT})\n"
        f"  Data folder: {settings.data_dir.resolve()}   Ctrl-C stops everything.\n"
        + (
            f"  Platforms: Emulated (local) at {settings.platform_emulator_url}\n"
            if settings.platforms_emulated
            else ""
        )
        + (
            f"  Mail catcher (every email sent): {settings.mail_catcher_url}\n"
            if settings.mail_catcher_url
            else ""
        )
        + "\n"
    )
    try:
        GunicornApplication(
            gateway,
            args.host,
            args.port,
            False,
            post_worker_init=post_worker_init,
            worker_exit=worker_exit,
            graceful_timeout=10,
        ).run()
    finally:
        stop_process(emulator)
        stop_process(platforms)
        stop_process(mail_catcher)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
