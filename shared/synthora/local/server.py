"""What the local gateway's gunicorn says on its own: JSON errors, no `Server` banner.

gunicorn answers some requests before any application sees them (a header
line too long: 431, a malformed request line: 400, a URI too long: 414) with
an HTML page, and names itself in a `Server: gunicorn` header on every answer.
`harden_gunicorn()` makes those answers the API's JSON error body and drops
the banner. gunicorn has no setting for either, so the two functions it uses
are replaced, in the gateway process only (workers inherit them at fork):

- `gunicorn.util.write_error(sock, status, reason, message)`, which
  `Worker.handle_error` calls to write its refusal;
- `gunicorn.http.wsgi.Response`, whose `default_headers()` adds `Server`.

On Cloud Run the Google Front End answers such requests and sets its own
`Server` header, so deployed functions need neither.
"""

from __future__ import annotations

import json
from typing import Any

from synthora.http.security_headers import API_HEADERS

_CODES = {
    400: "bad_request",
    403: "forbidden",
    414: "uri_too_long",
    417: "expectation_failed",
    431: "headers_too_large",
    500: "internal",
    501: "not_implemented",
}

_hardened = False


def error_bytes(status: int, reason: str, message: str) -> bytes:
    """A complete HTTP/1.1 answer carrying the standard error body."""
    body = json.dumps(
        {
            "error": {
                "code": _CODES.get(status, "bad_request"),
                "message": f"{reason}: {message}" if message else reason,
                "details": None,
            }
        },
        separators=(",", ":"),
    ).encode()
    headers = [
        f"HTTP/1.1 {status} {reason}",
        "Connection: close",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        "Cache-Control: no-store",
        *(f"{k}: {v}" for k, v in API_HEADERS.items()),
    ]
    return ("\r\n".join(headers) + "\r\n\r\n").encode("latin-1") + body


def harden_gunicorn() -> None:
    """Install the JSON error writer and the banner-less response (idempotent)."""
    global _hardened
    if _hardened:
        return
    import gunicorn.http.wsgi
    import gunicorn.util

    def write_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
        gunicorn.util.write_nonblock(sock, error_bytes(status_int, reason, mesg))

    base = gunicorn.http.wsgi.Response

    class Response(base):  # type: ignore[misc, valid-type]
        def default_headers(self) -> list[str]:
            return [h for h in super().default_headers() if not h.lower().startswith("server:")]

    gunicorn.util.write_error = write_error
    gunicorn.http.wsgi.Response = Response
    _hardened = True
