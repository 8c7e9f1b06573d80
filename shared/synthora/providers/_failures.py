"""The failure kinds every job provider maps its own error vocabulary onto.

Providers report refusals in very different ways: an HTTP status with a JSON
body (LTX, BytePlus ModelArk, DashScope), HTTP 200 with an error code in the
body (MiniMax `base_resp`, PixVerse `ErrCode`), or a finished job whose status
says it failed (every provider). Each client maps its vocabulary onto these
`ProviderError.code` values and keeps the provider's full answer in
`ProviderError.payload`:

- `auth_refused`: the key is unknown, revoked or lacks access (final).
- `quota_exhausted`: no credits, balance or free quota left (final until the
  user tops up; retrying with the same key cannot help).
- `rate_limited`: too many requests or concurrent jobs (transient).
- `content_refused`: the prompt, the image or the generated video was blocked
  by the provider's moderation (final for this input).
- `job_failed`: the provider accepted the job, then it failed (final).
- `job_timeout`: the job expired at the provider, or did not finish within
  the pipeline's poll budget (final).
- `invalid_request`: the provider refused the request's parameters (final).

HTTP-level failures keep their real `status_code` (so `ProviderError.transient`
still reads 429 and 5xx as worth retrying); failures reported inside a 2xx body
have no status code and rely on the code (`rate_limited` is transient).
`auth_refused`, `quota_exhausted` and `content_refused` are never transient,
whatever the status (BytePlus answers 429 for a spent quota).
"""

from __future__ import annotations

from typing import Any, Literal

import httpx

from synthora.providers.errors import ProviderError, error_from_response

FailureKind = Literal[
    "auth_refused",
    "quota_exhausted",
    "rate_limited",
    "content_refused",
    "job_failed",
    "job_timeout",
    "invalid_request",
]

AUTH_REFUSED: FailureKind = "auth_refused"
QUOTA_EXHAUSTED: FailureKind = "quota_exhausted"
RATE_LIMITED: FailureKind = "rate_limited"
CONTENT_REFUSED: FailureKind = "content_refused"
JOB_FAILED: FailureKind = "job_failed"
JOB_TIMEOUT: FailureKind = "job_timeout"
INVALID_REQUEST: FailureKind = "invalid_request"

_BY_STATUS: dict[int, FailureKind] = {
    400: INVALID_REQUEST,
    401: AUTH_REFUSED,
    402: QUOTA_EXHAUSTED,
    403: AUTH_REFUSED,
    422: INVALID_REQUEST,
    429: RATE_LIMITED,
}


def kind_for_status(status_code: int) -> FailureKind | None:
    """The usual meaning of an HTTP status; None for statuses that say nothing
    more than "the provider failed" (5xx, 404...)."""
    return _BY_STATUS.get(status_code)


def failure(
    provider: str,
    kind: FailureKind,
    message: str,
    *,
    payload: Any,
    status_code: int | None = None,
    retry_after_s: float | None = None,
) -> ProviderError:
    """A classified ProviderError that keeps the provider's whole answer."""
    return ProviderError(
        message,
        provider=provider,
        status_code=status_code,
        code=kind,
        retry_after_s=retry_after_s,
        payload=payload,
    )


def http_failure(
    provider: str,
    response: httpx.Response,
    *,
    kind: FailureKind | None = None,
    message: str | None = None,
) -> ProviderError:
    """A non-2xx answer: status, Retry-After and body kept, code classified.

    `kind` overrides the status-based guess (a provider that answers 400 for an
    exhausted balance); without either, the provider's own code stays.
    """
    error = error_from_response(provider, response, message=message)
    classified = kind or kind_for_status(response.status_code)
    if classified is not None:
        error.code = classified
    return error


def mentions(text: str | None, *needles: str) -> bool:
    """Case-insensitive substring test over a provider's code or message."""
    if not text:
        return False
    lowered = text.lower()
    return any(needle in lowered for needle in needles)
