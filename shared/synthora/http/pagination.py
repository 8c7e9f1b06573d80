"""Cursor pagination over document queries.

A cursor is an opaque, URL-safe token holding the ordering values and the id
of the last item returned; the next page starts strictly after it, so pages
never repeat or skip items while documents are added.

Cursors are signed (HMAC-SHA256 with a key derived from the platform's master
keys): a cursor the server did not issue, or one altered by hand, is a 400
`invalid_cursor`, never a query built from whatever it decodes to. The decoded
values are checked as well (a document id, timestamps with a time zone,
scalars). Rotating the master keys invalidates outstanding cursors; clients
start the list again.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from synthora.errors import BadRequest
from synthora.ports.documents import Direction, Query, Snapshot, is_document_id

T = TypeVar("T")


class PageQuery(BaseModel):
    limit: int = Field(default=20, ge=1, le=100, description="Items per page (1-100).")
    cursor: str | None = Field(
        default=None, max_length=2000, description="`next_cursor` from the previous page."
    )


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` to get the next page."
    )
    has_more: bool = False


_SIGNATURE_BYTES = 16


def _signing_key() -> bytes:
    from synthora.settings import get_settings

    material = get_settings().secret("master_keys").encode()
    return hmac.new(material, b"synthora/pagination-cursor/v1", hashlib.sha256).digest()


def _sign(payload: bytes) -> bytes:
    return hmac.new(_signing_key(), payload, hashlib.sha256).digest()[:_SIGNATURE_BYTES]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode())


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$t": value.isoformat()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) != {"$t"} or not isinstance(value["$t"], str):
            raise ValueError("nested value")
        parsed = datetime.fromisoformat(value["$t"])
        if parsed.tzinfo is None:
            raise ValueError("timestamp without a time zone")
        return parsed
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise ValueError("unsupported value")


def encode_cursor(values: list[Any], doc_id: str) -> str:
    raw = json.dumps([[_encode_value(v) for v in values], doc_id], separators=(",", ":")).encode()
    return f"{_b64(raw)}.{_b64(_sign(raw))}"


def decode_cursor(cursor: str, *, expected_values: int) -> tuple[list[Any], str]:
    """The values and document id of a cursor this server issued; 400 otherwise."""
    try:
        body, _, signature = cursor.partition(".")
        raw = _unb64(body)
        if not hmac.compare_digest(_unb64(signature), _sign(raw)):
            raise ValueError("signature")
        values, doc_id = json.loads(raw)
        if not isinstance(values, list) or not isinstance(doc_id, str):
            raise ValueError("shape")
        if len(values) != expected_values or not is_document_id(doc_id):
            raise ValueError("length or id")
        return [_decode_value(v) for v in values], doc_id
    except (ValueError, TypeError, binascii.Error, RecursionError) as exc:
        raise BadRequest(
            "the cursor is not valid for this list; start again without it",
            code="invalid_cursor",
        ) from exc


def paginate(
    query: Query,
    *,
    order_by: list[tuple[str, Direction]],
    limit: int,
    cursor: str | None,
) -> tuple[list[Snapshot], str | None]:
    """Run `query` ordered by `order_by` (plus document id), one page after `cursor`."""
    q = query
    for field_path, direction in order_by:
        q = q.order_by(field_path, direction)
    if cursor:
        values, doc_id = decode_cursor(cursor, expected_values=len(order_by))
        q = q.start_after([*values, doc_id])
    snaps = q.limit(limit + 1).get()
    has_more = len(snaps) > limit
    snaps = snaps[:limit]
    next_cursor = None
    if has_more and snaps:
        last = snaps[-1]
        next_cursor = encode_cursor([last.get(f) for f, _ in order_by], last.id)
    return snaps, next_cursor
