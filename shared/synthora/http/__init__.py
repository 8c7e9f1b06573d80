"""HTTP layer for functions: routing, validation, errors, pagination, OpenAPI."""

from synthora.http.pagination import Page, PageQuery, decode_cursor, encode_cursor, paginate
from synthora.http.router import RequestContext, Router, TaskInfo, json_response

__all__ = [
    "Page",
    "PageQuery",
    "RequestContext",
    "Router",
    "TaskInfo",
    "decode_cursor",
    "encode_cursor",
    "json_response",
    "paginate",
]
