"""One error model for every function.

Every refusal is an `ApiError` rendered as
`{"error": {"code": "...", "message": "...", "details": ...}}` with its HTTP
status. Codes are stable, lower-case identifiers that clients may switch on.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable error code.")
    message: str = Field(description="Human-readable explanation.")
    details: Any | None = Field(default=None, description="Structured context, e.g. field errors.")


class ErrorResponse(BaseModel):
    error: ErrorBody


class ApiError(Exception):
    """An error that maps to an HTTP response."""

    status: int = 400
    code: str = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: Any | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.details = details
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return ErrorResponse(
            error=ErrorBody(code=self.code, message=self.message, details=self.details)
        ).model_dump(mode="json")


class BadRequest(ApiError):
    status = 400
    code = "bad_request"


class Unauthorized(ApiError):
    status = 401
    code = "unauthenticated"


class Forbidden(ApiError):
    status = 403
    code = "forbidden"


class NotFound(ApiError):
    status = 404
    code = "not_found"


class MethodNotAllowed(ApiError):
    status = 405
    code = "method_not_allowed"


class Conflict(ApiError):
    status = 409
    code = "conflict"


class PayloadTooLarge(ApiError):
    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(ApiError):
    status = 415
    code = "unsupported_media_type"


class ValidationFailed(ApiError):
    status = 422
    code = "validation_failed"


class RateLimited(ApiError):
    status = 429
    code = "rate_limited"


class ServiceUnavailable(ApiError):
    status = 503
    code = "unavailable"


def field_errors_from_pydantic(exc: Any, *, location: str) -> list[dict[str, Any]]:
    """Turn a pydantic ValidationError into stable field-error details."""
    out: list[dict[str, Any]] = []
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err.get("loc", ())]
        fields = (err.get("ctx") or {}).get("null_fields")
        if err.get("type") == "null_not_allowed" and isinstance(fields, list) and fields:
            # PatchBody reports the fields sent as null together: one detail per field,
            # so a form shows each message under its own field.
            for name in fields:
                out.append(
                    {
                        "field": ".".join([location, *loc, str(name)]),
                        "message": "must not be null; leave the field out to keep its value",
                        "type": "null_not_allowed",
                    }
                )
            continue
        item: dict[str, Any] = {
            "field": ".".join([location, *loc]) if loc else location,
            "message": err.get("msg", "invalid"),
            "type": err.get("type", "value_error"),
        }
        ctx = err.get("ctx") or {}
        for key in ("expected", "ge", "gt", "le", "lt", "min_length", "max_length", "pattern"):
            if key in ctx:
                item[key] = ctx[key] if isinstance(ctx[key], int | float | str) else str(ctx[key])
        out.append(item)
    return out
