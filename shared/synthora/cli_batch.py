"""`synthora batch FILE`: make (and post or schedule) many videos from a CSV or YAML file.

    synthora batch videos.csv                       # in this process, like `synthora generate`
    synthora batch videos.yaml --api https://synthora.example.com --token syn_pat_...

The file is read with the one batch parser (`synthora.services.batch`): every
bad row is reported with its row number and field before anything starts.

Two ways to run it:

- in process (default): the platform's own task functions in this process on
  the embedded adapters, the data kept in `--data-dir` (default
  `FILE.synthora-data/` beside the file) so an interrupted run can resume;
  each finished video is written to `--out-dir`. No accounts are connected
  there, so rows that post need `--api`;
- through the REST API of a running instance (`--api URL`, a bearer token from
  `--token` or `SYNTHORA_TOKEN`): `POST /api/v1/videos/batch` starts one row
  at a time (its key makes it idempotent), `GET /api/v1/videos/{id}/status`
  follows it, and `POST /api/v1/posts` posts or schedules the finished video.

Progress goes to stderr; the state of every row to `FILE.synthora-state.json`
(written atomically after each change): a re-run skips the rows that finished,
follows the ones that were started and never starts a row twice. The summary
table at the end goes to stdout.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol, TextIO

import httpx
from pydantic import BaseModel, Field, ValidationError

from synthora.services.batch import (
    BatchParse,
    BatchRowError,
    BatchStartOut,
    ParsedRow,
    parse_batch,
)

STATE_SUFFIX = ".synthora-state.json"
#: Refusals that pass: the row waits for a generation to finish, then starts.
WAIT_CODES = frozenset({"concurrent_limit_reached", "rate_limited"})
#: Seconds before a waiting row asks again when none of this run's rows has ended.
WAIT_S = 15.0
RowStatus = Literal["starting", "running", "completed", "failed", "refused", "error"]
PostStatus = Literal["none", "pending", "posted", "scheduled", "failed"]
#: Video states that end a row without a video (a cancel in the web app, say).
ENDED = frozenset({"failed", "cancelled", "expired"})
FINAL = frozenset({"completed", "failed", "refused", "error"})


class CliError(Exception):
    """A problem that stops the run, with a message for the terminal."""


# --------------------------------------------------------------------------- state file


class RowState(BaseModel):
    row: int
    key: str
    topic: str
    status: RowStatus
    video_id: str | None = None
    post: PostStatus = "none"
    post_id: str | None = None
    message: str | None = None
    output: str | None = None
    started_at: float | None = Field(default=None, description="Epoch seconds.")
    finished_at: float | None = None


class BatchState(BaseModel):
    version: int = 1
    file: str
    mode: Literal["local", "api"]
    api: str | None = None
    rows: dict[str, RowState] = Field(default_factory=dict, description="By row key.")


def state_path(file: Path) -> Path:
    return file.with_name(file.name + STATE_SUFFIX)


def load_state(
    path: Path, *, file: Path, mode: Literal["local", "api"], api: str | None
) -> BatchState:
    if not path.exists():
        return BatchState(file=file.name, mode=mode, api=api)
    try:
        state = BatchState.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValidationError, OSError) as exc:
        raise CliError(
            f"{path} is not a batch state file ({exc}); move it away to start over"
        ) from None
    if state.mode != mode or (mode == "api" and state.api != api):
        where = state.api or "in process"
        raise CliError(
            f"{path} records a run {where}; resume it there, or move the file away to start over"
        )
    return state


def save_state(path: Path, state: BatchState) -> None:
    """Write the state atomically: a reader (or a crash) sees the old file or the new one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(state.model_dump_json(indent=1), encoding="utf-8")
    os.replace(tmp, path)


# --------------------------------------------------------------------------- backends


class Started(BaseModel):
    status: Literal["created", "existing", "refused", "error"]
    video_id: str | None = None
    code: str | None = None
    message: str | None = None


class Progress(BaseModel):
    status: str
    progress: int
    step: str | None
    error: str | None


class Posted(BaseModel):
    status: Literal["posted", "scheduled", "failed"]
    post_id: str | None = None
    message: str | None = None


class Backend(Protocol):
    def check(self, parsed: BatchParse) -> BatchParse: ...
    def start(self, row: ParsedRow) -> Started: ...
    def progress(self, video_id: str) -> Progress: ...
    def post(self, row: ParsedRow, video_id: str, *, resumed: bool) -> Posted: ...
    def finish(self, row: ParsedRow, video_id: str) -> str | None: ...
    def pump(self) -> None: ...
    def close(self) -> None: ...


class LocalBackend:
    """The platform in this process, on the embedded adapters in `data_dir`."""

    uid = "cli-user"

    def __init__(self, *, data_dir: Path, out_dir: Path) -> None:
        os.environ["SYNTHORA_DATA_DIR"] = str(data_dir)
        os.environ.setdefault("SYNTHORA_LOG_LEVEL", "WARNING")
        from synthora.local.inprocess import in_process_dispatcher
        from synthora.local.startup import run_startup
        from synthora.logs import configure
        from synthora.platform import get_platform, set_platform
        from synthora.settings import get_settings, reset_settings_cache

        reset_settings_cache()
        set_platform(None)
        settings = get_settings()
        configure(settings.log_level, settings.project_id)
        self.platform = get_platform()
        run_startup(self.platform)
        self.dispatcher = in_process_dispatcher(self.platform)
        # Tasks a killed run was delivering go back to the queue: this run delivers them.
        self.dispatcher.recover()
        self.out_dir = out_dir

    def check(self, parsed: BatchParse) -> BatchParse:
        from synthora.services.batch import check_rows

        checked = check_rows(platform=self.platform, uid=self.uid, parsed=parsed)
        errors = list(checked.errors)
        errors += [
            BatchRowError(
                row=row.row, field="accounts", type="needs_api",
                message="posting needs --api: no accounts are connected in process",
            )
            for row in checked.rows
            if row.data.accounts
        ]  # fmt: skip
        errors.sort(key=lambda e: e.row)
        bad = {e.row for e in errors}
        rows = [r for r in checked.rows if r.row not in bad]
        return checked.model_copy(update={"rows": rows, "errors": errors, "valid": not errors})

    def start(self, row: ParsedRow) -> Started:
        from synthora.services.batch import start_row

        result = start_row(platform=self.platform, uid=self.uid, row=row, enforce_limits=False)
        return Started(
            status=result.status,
            video_id=result.video_id,
            code=result.error.code if result.error else None,
            message=result.error.message if result.error else None,
        )

    def progress(self, video_id: str) -> Progress:
        from synthora.pipeline.runner import load_video

        video = load_video(self.platform, video_id)
        if video is None:
            return Progress(status="failed", progress=0, step=None, error="the video is gone")
        step = video.current_step.value if video.current_step else None
        error = video.error.message if video.error else None
        return Progress(status=video.status.value, progress=video.progress, step=step, error=error)

    def post(self, row: ParsedRow, video_id: str, *, resumed: bool) -> Posted:
        return Posted(status="failed", message="posting needs --api")

    def finish(self, row: ParsedRow, video_id: str) -> str | None:
        from synthora.pipeline.runner import load_video

        video = load_video(self.platform, video_id)
        if video is None or video.outputs is None:
            return None
        target = self.out_dir / f"row-{row.row:03d}-{video_id}.mp4"
        target.parent.mkdir(parents=True, exist_ok=True)
        self.platform.blobs.download_to(video.outputs.video_key, target)
        return str(target)

    def pump(self) -> None:
        self.dispatcher.drain(timeout_s=1)

    def close(self) -> None:
        self.platform.close()


class ApiBackend:
    """A running instance's REST API, with a bearer token (Firebase ID or personal token)."""

    def __init__(
        self,
        *,
        url: str,
        token: str,
        text: str,
        name: str,
        poll_s: float = 2.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.client = httpx.Client(
            base_url=url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
            transport=transport,
        )
        self.text = text
        self.name = name
        self.poll_s = poll_s

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise CliError(f"cannot reach {self.client.base_url}: {exc}") from None
        if response.status_code in (401, 403) and path.endswith("/validate"):
            raise CliError(f"the API refused the token: {_message(response)}")
        return response

    def check(self, parsed: BatchParse) -> BatchParse:
        response = self._call(
            "POST",
            "/api/v1/videos/batch/validate",
            json={"text": self.text, "name": self.name, "format": parsed.format},
        )
        if response.status_code != 200:
            raise CliError(f"the API did not check the file: {_message(response)}")
        return BatchParse.model_validate(response.json())

    def start(self, row: ParsedRow) -> Started:
        response = self._call(
            "POST",
            "/api/v1/videos/batch",
            json={"text": self.text, "name": self.name, "rows": [row.row]},
        )
        if response.status_code == 429:
            return Started(status="refused", code=_code(response), message=_message(response))
        if response.status_code != 200:
            return Started(status="error", code=_code(response), message=_message(response))
        result = BatchStartOut.model_validate(response.json()).rows[0]
        return Started(
            status=result.status,
            video_id=result.video_id,
            code=result.error.code if result.error else None,
            message=result.error.message if result.error else None,
        )

    def progress(self, video_id: str) -> Progress:
        response = self._call("GET", f"/api/v1/videos/{video_id}/status")
        if response.status_code == 404:
            return Progress(status="failed", progress=0, step=None, error="the video is gone")
        if response.status_code != 200:
            # A passing failure (a restart, a rate limit): ask again on the next turn.
            return Progress(status="running", progress=0, step=None, error=None)
        body = response.json()
        error = body.get("error") or {}
        return Progress(
            status=str(body["status"]),
            progress=int(body.get("progress") or 0),
            step=body.get("current_step"),
            error=error.get("message") if isinstance(error, dict) else None,
        )

    def post(self, row: ParsedRow, video_id: str, *, resumed: bool) -> Posted:
        accounts = row.data.accounts
        if resumed:
            # The run stopped while posting: a post the server made then is not made again.
            found = self._call(
                "GET",
                "/api/v1/posts/conflicts",
                params={"video_id": video_id, "account_ids": ",".join(accounts)},
            )
            if found.status_code == 200 and found.json().get("conflicts"):
                first = found.json()["conflicts"][0]
                return Posted(status="posted", post_id=first.get("post_id"), message="found")
        at = row.data.scheduled_at()
        body: dict[str, Any] = {
            "video_id": video_id,
            "targets": [{"social_account_id": account} for account in accounts],
        }
        if at is not None:
            body["scheduled_at"] = at.isoformat()
        if row.data.timezone:
            body["timezone"] = row.data.timezone
        response = self._call("POST", "/api/v1/posts", json=body)
        if response.status_code != 201:
            return Posted(status="failed", message=_message(response))
        post = response.json()
        scheduled = at is not None and at > datetime.now(UTC)
        return Posted(status="scheduled" if scheduled else "posted", post_id=post.get("id"))

    def finish(self, row: ParsedRow, video_id: str) -> str | None:
        return None

    def pump(self) -> None:
        time.sleep(self.poll_s)

    def close(self) -> None:
        self.client.close()


def _code(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return f"http_{response.status_code}"


def _message(response: httpx.Response) -> str:
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return f"HTTP {response.status_code}"
    message = str(error.get("message"))
    details = error.get("details")
    if isinstance(details, list) and details and isinstance(details[0], dict):
        first = details[0]
        message += f" ({first.get('field')}: {first.get('message')})"
    return message


# --------------------------------------------------------------------------- progress


class Bar:
    """One line on stderr: a redrawn bar on a terminal, a line per change otherwise."""

    def __init__(self, stream: TextIO, total: int) -> None:
        self.stream = stream
        self.total = total
        self.tty = stream.isatty()
        self.last = ""

    def show(self, done: int, label: str) -> None:
        width = 24
        filled = int(width * done / self.total) if self.total else width
        line = f"[{'#' * filled}{'-' * (width - filled)}] {done}/{self.total}  {label}"
        if line == self.last:
            return
        self.last = line
        if self.tty:
            self.stream.write("\r" + line[:120].ljust(120))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def end(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


# --------------------------------------------------------------------------- the run


def report_errors(errors: list[BatchRowError], out: TextIO) -> None:
    out.write(f"the batch file has {len(errors)} error(s); nothing was started:\n")
    for e in errors:
        where = "file" if e.row == 0 else f"row {e.row}"
        out.write(f"  {where}, {e.field}: {e.message}\n")


def summary(state: BatchState, rows: list[ParsedRow], out: TextIO) -> None:
    header = ("row", "topic", "status", "video", "post", "duration")
    lines: list[tuple[str, ...]] = []
    for row in rows:
        s = state.rows.get(row.key)
        if s is None:
            lines.append((str(row.row), row.data.topic, "not started", "", "", ""))
            continue
        status = s.status if not s.message else f"{s.status}: {s.message}"
        post = "" if s.post == "none" else s.post + (f" {s.post_id}" if s.post_id else "")
        took = (
            f"{s.finished_at - s.started_at:.0f} s"
            if s.started_at is not None and s.finished_at is not None
            else ""
        )
        lines.append((str(row.row), row.data.topic[:40], status[:60], s.video_id or "", post, took))
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    for line in (header, *lines):
        out.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip() + "\n")
    out.flush()


def run(
    *,
    parsed: BatchParse,
    backend: Backend,
    state: BatchState,
    save: Callable[[BatchState], None],
    parallel: int,
    timeout_s: float,
    err: TextIO,
) -> BatchState:
    """Start, follow and post every row not finished in `state`; the state is saved on change."""
    rows = parsed.rows
    by_key = {r.key: r for r in rows}
    bar = Bar(err, len(rows))

    def finished() -> int:
        return sum(1 for r in rows if r.key in state.rows and state.rows[r.key].status in FINAL)

    def update(row: ParsedRow, **changes: Any) -> RowState:
        current = state.rows.get(row.key) or RowState(
            row=row.row, key=row.key, topic=row.data.topic, status="starting"
        )
        state.rows[row.key] = current.model_copy(update=changes)
        save(state)
        return state.rows[row.key]

    # Rows refused (limits) or not started (an error) are tried again; a made video is not.
    pending = [
        r
        for r in rows
        if r.key not in state.rows
        or state.rows[r.key].status not in ("completed", "failed")
        or (state.rows[r.key].status == "completed" and state.rows[r.key].post == "pending")
    ]
    flying: dict[str, ParsedRow] = {}
    hold_until = 0.0
    started = time.monotonic()
    label = "starting"
    while pending or flying:
        if time.monotonic() - started > timeout_s:
            bar.end()
            raise CliError(f"timed out after {timeout_s:.0f} s; run the command again to resume")
        while pending and len(flying) < parallel and time.monotonic() >= hold_until:
            row = pending[0]
            known = state.rows.get(row.key)
            if known is not None and known.video_id and known.status in ("running", "completed"):
                flying[row.key] = pending.pop(0)  # started before: follow it
                continue
            # Recorded before the call: a run killed during it asks again with the same key.
            update(row, status="starting")
            outcome = backend.start(row)
            if outcome.status in ("created", "existing"):
                began = known.started_at if known and known.started_at else time.time()
                update(
                    row, status="running", video_id=outcome.video_id, message=None, started_at=began
                )
                flying[row.key] = pending.pop(0)
                continue
            if outcome.status == "refused" and outcome.code in WAIT_CODES:
                # Ask again once one of ours ends, else in a while (the route's rate limit
                # counts every start).
                label = f"row {row.row} waits: {outcome.message}"
                hold_until = time.monotonic() + WAIT_S
                break
            update(
                row,
                status=outcome.status,
                message=outcome.message,
                finished_at=time.time(),
            )
            pending.pop(0)
        bar.show(finished(), label)
        if not flying and not pending:
            break
        backend.pump()
        for key in list(flying):
            row = by_key[key]
            s = state.rows[key]
            video_id = s.video_id
            assert video_id is not None
            if s.status == "running":
                p = backend.progress(video_id)
                label = f"row {row.row}: {p.progress}% {p.step or p.status}"
                if p.status in ENDED:
                    message = p.error or (None if p.status == "failed" else p.status)
                    update(row, status="failed", message=message, finished_at=time.time())
                    flying.pop(key)
                    hold_until = 0.0
                    continue
                if p.status != "completed":
                    continue
                output = backend.finish(row, video_id)
                s = update(
                    row,
                    status="completed",
                    output=output,
                    finished_at=time.time(),
                    post="pending" if row.data.accounts else "none",
                )
            if s.status == "completed" and s.post == "pending":
                resumed = s.post_id is None and s.message == "posting"
                update(row, message="posting")
                posted = backend.post(row, video_id, resumed=resumed)
                update(row, post=posted.status, post_id=posted.post_id, message=posted.message)
            flying.pop(key)
            hold_until = 0.0  # a slot is free: the waiting row may start
        bar.show(finished(), label)
    bar.show(finished(), "done")
    bar.end()
    return state


def batch(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    file = Path(args.file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        out.write(f"error: cannot read {file}: {exc}\n")
        return 2
    parsed = parse_batch(text, format=args.format, name=file.name)
    if not parsed.valid:
        report_errors(parsed.errors, out)
        return 2
    mode: Literal["local", "api"] = "api" if args.api else "local"
    token = args.token or os.environ.get("SYNTHORA_TOKEN")
    backend: Backend
    try:
        if mode == "api":
            if not token:
                out.write("error: --api needs a token: --token or SYNTHORA_TOKEN\n")
                return 2
            backend = ApiBackend(url=args.api, token=token, text=text, name=file.name,
                                 poll_s=args.poll)  # fmt: skip
        else:
            data_dir = (
                Path(args.data_dir)
                if args.data_dir
                else file.with_name(file.name + ".synthora-data")
            )
            out_dir = Path(args.out_dir) if args.out_dir else file.with_name(file.stem + "-videos")
            backend = LocalBackend(data_dir=data_dir, out_dir=out_dir)
        path = state_path(file)
        state = load_state(path, file=file, mode=mode, api=args.api)
        try:
            checked = backend.check(parsed)
            if not checked.valid:
                report_errors(checked.errors, out)
                return 2
            state = run(
                parsed=checked,
                backend=backend,
                state=state,
                save=lambda s: save_state(path, s),
                parallel=max(1, args.parallel),
                timeout_s=args.timeout,
                err=err,
            )
        finally:
            backend.close()
    except CliError as exc:
        out.write(f"error: {exc}\n")
        return 1
    summary(state, checked.rows, out)
    ok = all(
        state.rows[r.key].status == "completed" and state.rows[r.key].post != "failed"
        for r in checked.rows
    )
    return 0 if ok else 1


def add_parser(sub: Any) -> None:
    """The `batch` sub-command's arguments."""
    p = sub.add_parser(
        "batch",
        help="make many videos from a CSV or YAML file (in process, or through --api)",
        description="Rows: topic, template, the Create screen's overrides, optionally accounts "
        "and schedule_at. Resumable: a re-run skips what finished. See docs/automation.md.",
    )
    p.add_argument("file", help="the batch file (.csv, .yaml or .yml)")
    p.add_argument("--format", choices=("csv", "yaml"), default=None)
    p.add_argument("--api", default=None, help="base URL of a running instance")
    p.add_argument("--token", default=None, help="bearer token (default: $SYNTHORA_TOKEN)")
    p.add_argument("--parallel", type=int, default=1, help="rows generating at once")
    p.add_argument("--poll", type=float, default=2.0, help="seconds between status calls (--api)")
    p.add_argument(
        "--data-dir", default=None, help="in process: data (default: FILE.synthora-data)"
    )
    p.add_argument("--out-dir", default=None, help="in process: videos (default: FILE-videos)")
    p.add_argument("--timeout", type=float, default=3600, help="seconds for the whole run")
