"""Helpers for calling functions as a signed-in user and reading their answers."""

from __future__ import annotations

import base64
import json
from typing import Any


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for an ID token."""
    return {"Authorization": f"Bearer {token}"}


def uid_of(token: str) -> str:
    """The uid inside an Auth emulator ID token (a JWT: read its `user_id` claim)."""
    payload = token.split(".")[1]
    payload += "=" * (-len(payload) % 4)
    return str(json.loads(base64.urlsafe_b64decode(payload))["user_id"])


def error(response: Any) -> dict[str, Any]:
    """The `error` object of a response, asserting the body is the one error shape."""
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"]), body
    return body["error"]  # type: ignore[no-any-return]
