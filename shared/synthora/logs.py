"""Structured JSON logs with Cloud Logging field names, and the trace id.

Every record is one JSON line on stderr with `severity`, `message`, `time`,
`logging.googleapis.com/trace` (when a trace is active) and any `extra` fields
given as `log.info("video done", extra={"fields": {...}})` or through
`get_logger(__name__).bind(...)`. The trace id comes from the incoming
`X-Cloud-Trace-Context` / `traceparent` header and is forwarded on every task a
request enqueues, so a whole pipeline shares one trace.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import secrets
import sys
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

_trace_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("trace_id", default=None)
_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "log_context", default=None
)

TRACE_HEADER = "X-Cloud-Trace-Context"
_SEVERITY = {
    logging.DEBUG: "DEBUG",
    logging.INFO: "INFO",
    logging.WARNING: "WARNING",
    logging.ERROR: "ERROR",
    logging.CRITICAL: "CRITICAL",
}


def new_trace_id() -> str:
    return secrets.token_hex(16)


def current_trace_id() -> str | None:
    return _trace_id.get()


def trace_id_from_headers(headers: Mapping[str, str]) -> str | None:
    """Read a trace id from `X-Cloud-Trace-Context: TRACE/SPAN;o=1` or W3C `traceparent`."""
    value = headers.get(TRACE_HEADER) or headers.get(TRACE_HEADER.lower())
    if value:
        trace = value.split("/", 1)[0].strip()
        if trace and all(c in "0123456789abcdefABCDEF" for c in trace) and len(trace) <= 32:
            return trace.lower()
    parent = headers.get("traceparent")
    if parent:
        parts = parent.split("-")
        if len(parts) >= 2 and len(parts[1]) == 32:
            return parts[1].lower()
    return None


def trace_headers() -> dict[str, str]:
    """Headers that carry the current trace into a task or provider call."""
    trace = current_trace_id()
    return {TRACE_HEADER: f"{trace}/0;o=1"} if trace else {}


@contextmanager
def trace_context(trace_id: str | None, **fields: Any) -> Iterator[str]:
    """Bind a trace id (a new one when None) and log fields for the duration."""
    trace = trace_id or new_trace_id()
    token = _trace_id.set(trace)
    merged = {**(_context.get() or {}), **fields}
    ctx_token = _context.set(merged)
    try:
        yield trace
    finally:
        _trace_id.reset(token)
        _context.reset(ctx_token)


def bind(**fields: Any) -> None:
    """Add fields to every later log record in this context."""
    _context.set({**(_context.get() or {}), **fields})


class CloudLoggingFormatter(logging.Formatter):
    def __init__(self, project_id: str | None = None) -> None:
        super().__init__()
        self.project_id = project_id

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "severity": _SEVERITY.get(record.levelno, "DEFAULT"),
            "message": record.getMessage(),
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
            "logging.googleapis.com/sourceLocation": {
                "file": record.pathname,
                "line": str(record.lineno),
                "function": record.funcName,
            },
        }
        trace = _trace_id.get()
        if trace:
            project = self.project_id or os.environ.get("GOOGLE_CLOUD_PROJECT", "local")
            entry["logging.googleapis.com/trace"] = f"projects/{project}/traces/{trace}"
        context = _context.get()
        if context:
            entry.update(context)
        fields = getattr(record, "fields", None)
        if isinstance(fields, Mapping):
            entry.update(fields)
        if record.exc_info:
            entry["stack_trace"] = "".join(traceback.format_exception(*record.exc_info))
            entry.setdefault(
                "@type",
                "type.googleapis.com/google.devtools.clouderrorreporting.v1beta1.ReportedErrorEvent",
            )
        return json.dumps(entry, default=str)


_configured = False


def configure(level: str | int = "INFO", project_id: str | None = None) -> None:
    """Install the JSON formatter on the root logger (idempotent)."""
    global _configured
    root = logging.getLogger()
    if isinstance(level, str):
        level = logging.getLevelName(level.upper())
    root.setLevel(level)
    if _configured:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(CloudLoggingFormatter(project_id))
    root.handlers[:] = [handler]
    for noisy in ("werkzeug", "urllib3", "httpx", "httpcore", "google", "hpack"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    _configured = True


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(name)


def fields(**values: Any) -> dict[str, Any]:
    """Shorthand: `log.info("msg", extra=fields(video_id=vid))`."""
    return {"fields": values}
