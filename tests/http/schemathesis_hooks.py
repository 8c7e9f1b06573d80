"""Checks of our own for the schemathesis run (loaded through SCHEMATHESIS_HOOKS).

Every refusal carries the one error body, `{"error": {"code", "message", "details"}}`
as JSON, whatever the status (405 and 404 from the gateway included), and a 405
says which methods are allowed.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis


@schemathesis.check
def standard_error_body(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 4xx/5xx answer is JSON with exactly the standard error object."""
    if response.status_code < 400:
        return None
    content_type = str(response.headers.get("content-type", [""])[0]).split(";")[0].strip()
    assert content_type == "application/json", (
        f"error answer {response.status_code} is {content_type!r}, not application/json"
    )
    try:
        body = json.loads(response.content or b"null")
    except ValueError as exc:
        raise AssertionError(f"error answer {response.status_code} is not JSON") from exc
    assert isinstance(body, dict) and set(body) == {"error"}, f"not the error body: {body!r}"
    error = body["error"]
    assert isinstance(error, dict) and {"code", "message"} <= set(error), f"bad error: {error!r}"
    assert set(error) <= {"code", "message", "details"}, f"unexpected keys in {error!r}"
    assert isinstance(error["code"], str) and error["code"], f"empty code: {error!r}"
    assert isinstance(error["message"], str) and error["message"], f"empty message: {error!r}"
    return True


@schemathesis.check
def allow_on_405(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 405 names the allowed methods in `Allow`."""
    if response.status_code != 405:
        return None
    allow = response.headers.get("allow")
    assert allow and allow[0].strip(), "405 without an Allow header"
    return True
