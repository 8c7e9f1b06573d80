"""The one error every external provider call raises, and the one HTTP mapping.

`http_verdict` is the status-to-meaning mapping both the key checks
(`keycheck`) and the clients (`error_from_response`, `ProviderError.transient`)
use; `parse_retry_after` the one Retry-After parser.

It keeps the provider's full error payload so a failed pipeline step can show
it to the user and be retried (possibly with another integration).
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal

import httpx


class ProviderError(Exception):
    """A provider refused or failed a request."""

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        status_code: int | None = None,
        code: str | None = None,
        retry_after_s: float | None = None,
        payload: Any | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.provider = provider
        self.status_code = status_code
        self.code = code
        self.retry_after_s = retry_after_s
        self.payload = payload

    @property
    def transient(self) -> bool:
        """Worth retrying later: rate limits, provider outages, timeouts."""
        if self.status_code is None:
            return self.code in ("timeout", "unreachable")
        return is_transient(self.status_code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "message": self.message,
            "status_code": self.status_code,
            "code": self.code,
            "retry_after_s": self.retry_after_s,
            "payload": self.payload,
        }

    def __repr__(self) -> str:
        return f"ProviderError({self.provider!r}, {self.status_code}, {self.message!r})"


#: What an HTTP status says about a provider call, for key checks and clients alike.
HttpVerdict = Literal[
    "ok", "auth_refused", "forbidden", "rate_limited", "server_error", "client_error"
]

#: Statuses worth retrying besides 429 and 5xx: timeout, conflict, too early.
_RETRYABLE = frozenset({408, 409, 425})


def http_verdict(status_code: int) -> HttpVerdict:
    """2xx ok; 401 auth refused; 403 forbidden (key works, lacks permission or plan);
    429 rate limited or quota exhausted; 5xx server error; anything else client error."""
    if 200 <= status_code < 300:
        return "ok"
    if status_code == 401:
        return "auth_refused"
    if status_code == 403:
        return "forbidden"
    if status_code == 429:
        return "rate_limited"
    if status_code >= 500:
        return "server_error"
    return "client_error"


def is_transient(status_code: int) -> bool:
    """Worth retrying later: rate limits, provider outages, timeouts."""
    return (
        http_verdict(status_code) in ("rate_limited", "server_error") or status_code in _RETRYABLE
    )


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds: delta-seconds or an HTTP date; None when absent/garbled."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def error_from_response(
    provider: str, response: httpx.Response, *, message: str | None = None
) -> ProviderError:
    """Build a ProviderError from a non-2xx response, keeping the body."""
    payload: Any
    try:
        payload = response.json()
    except ValueError:
        payload = response.text[:4000]
    detail = message
    if detail is None and isinstance(payload, dict):
        err = payload.get("error") or payload.get("detail") or payload.get("message")
        if isinstance(err, dict):
            detail = str(err.get("message") or err.get("msg") or err)
        elif err:
            detail = str(err)
    if not detail:
        detail = f"{provider} answered HTTP {response.status_code}"
    code = None
    if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
        raw = payload["error"].get("code") or payload["error"].get("type")
        code = str(raw) if raw is not None else None
    return ProviderError(
        detail,
        provider=provider,
        status_code=response.status_code,
        code=code,
        retry_after_s=parse_retry_after(response.headers.get("Retry-After")),
        payload=payload,
    )


def error_from_exception(provider: str, exc: httpx.HTTPError) -> ProviderError:
    """Timeouts and connection failures, as ProviderErrors with no status."""
    code = "timeout" if isinstance(exc, httpx.TimeoutException) else "unreachable"
    return ProviderError(
        f"{provider} could not be reached: {type(exc).__name__}",
        provider=provider,
        code=code,
        payload={"exception": type(exc).__name__, "detail": str(exc)},
    )
