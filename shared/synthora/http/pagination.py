"""Cursor pagination over document queries.

A cursor is an opaque, URL-safe token holding the ordering values and the id
of the last item returned; the next page starts strictly after it, so pages
never repeat or skip items while documents are added.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from synthora.errors import BadRequest
from synthora.ports.documents import Direction, Query, Snapshot

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


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$t": value.isoformat()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$t"}:
        return datetime.fromisoformat(value["$t"])
    return value


def encode_cursor(values: list[Any], doc_id: str) -> str:
    raw = json.dumps([[_encode_value(v) for v in values], doc_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *, expected_values: int) -> tuple[list[Any], str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values, doc_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or not isinstance(doc_id, str):
            raise ValueError("shape")
        if len(values) != expected_values:
            raise ValueError("length")
        return [_decode_value(v) for v in values], doc_id
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
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
