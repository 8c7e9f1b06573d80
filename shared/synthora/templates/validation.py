"""Validate a template config and explain every problem, field by field.

`validate_template_config` returns a `TemplateConfig` or raises
`TemplateValidationError` whose `errors` are ready to be an HTTP 422 body's
details: each names the field by its dotted path inside the config
(`audio.voice_speed`, `platform.suggested_hashtags.2`), says what is wrong,
lists the allowed values for an enum (or the known keys for an unknown key) and
the range for a bounded number, string or list. The API layer adds its own
prefix (e.g. `body.config.`).
"""

from __future__ import annotations

import enum
import types
import typing
from typing import Any

import annotated_types
from pydantic import BaseModel, Field, ValidationError
from pydantic.fields import FieldInfo

from synthora.templates.config import SKIP_CROSS_FIELD, TemplateConfig, cross_field_problems


class FieldError(BaseModel):
    """One problem with one field of a template config."""

    field: str = Field(description="Dotted path inside the config; '' for the config itself.")
    message: str
    allowed: list[str] | None = Field(
        default=None, description="Allowed values (enums) or known keys (unknown key)."
    )
    min: float | None = None
    max: float | None = None


class TemplateValidationError(ValueError):
    """A template config was refused; `errors` says why, field by field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        summary = "; ".join(f"{e.field or 'config'}: {e.message}" for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"invalid template config: {summary}{more}")

    def details(self) -> list[dict[str, Any]]:
        """The errors as plain dicts (for a JSON error body)."""
        return [e.model_dump() for e in self.errors]


def validate_template_config(data: dict[str, Any]) -> TemplateConfig:
    """Parse `data` into a `TemplateConfig`, or raise with every problem found."""
    if not isinstance(data, dict):
        raise TemplateValidationError(
            [FieldError(field="", message=f"must be an object, got {type(data).__name__}")]
        )
    try:
        config = TemplateConfig.model_validate(data, context={SKIP_CROSS_FIELD: True})
    except ValidationError as exc:
        raise TemplateValidationError([_field_error(e) for e in exc.errors()]) from None
    problems = cross_field_problems(config)
    if problems:
        raise TemplateValidationError(
            [FieldError(field=p.field, message=p.message, min=p.min, max=p.max) for p in problems]
        )
    return config


# --------------------------------------------------------------------------- mapping


def _field_error(err: Any) -> FieldError:
    loc = tuple(err.get("loc", ()))
    path = ".".join(str(part) for part in loc)
    ctx = err.get("ctx") or {}
    kind = err.get("type", "")
    message = str(err.get("msg", "invalid value"))
    # Pydantic prefixes messages of custom validators; the path already says where.
    message = message.removeprefix("Value error, ")

    if kind == "extra_forbidden":
        parent = _resolve(loc[:-1])
        is_model = isinstance(parent, type) and issubclass(parent, BaseModel)
        known = sorted(parent.model_fields) if is_model else None
        return FieldError(field=path, message="unknown field", allowed=known)

    annotation, info = _annotation_at(loc)
    allowed = _enum_values(annotation)
    # A custom validator's message already says what is wrong; the field's own
    # bounds (e.g. a list's length) would mislead about it.
    lo, hi = (None, None) if kind == "value_error" else _bounds(info)
    if kind in ("string_too_long", "string_too_short", "too_long", "too_short"):
        lo = ctx.get("min_length", lo)
        hi = ctx.get("max_length", hi)
    elif kind in ("greater_than_equal", "greater_than"):
        lo = ctx.get("ge", ctx.get("gt", lo))
    elif kind in ("less_than_equal", "less_than"):
        hi = ctx.get("le", ctx.get("lt", hi))
    if allowed is not None:
        message = f"must be one of: {', '.join(allowed)}"
    return FieldError(
        field=path,
        message=message,
        allowed=allowed,
        min=float(lo) if isinstance(lo, int | float) else None,
        max=float(hi) if isinstance(hi, int | float) else None,
    )


def _strip_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    if origin is typing.Annotated:
        return typing.get_args(annotation)[0]
    return annotation


def _annotation_at(loc: tuple[Any, ...]) -> tuple[Any, FieldInfo | None]:
    """The annotation and field info that the error location points at."""
    current: Any = TemplateConfig
    info: FieldInfo | None = None
    for part in loc:
        current = _strip_optional(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else Any
            info = None  # an item's bounds are not the list's bounds
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part))
            if info is None:
                return Any, None
            current = info.annotation
        else:
            return Any, None
    return _strip_optional(current), info


def _resolve(loc: tuple[Any, ...]) -> Any:
    return _annotation_at(loc)[0] if loc else TemplateConfig


def _enum_values(annotation: Any) -> list[str] | None:
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [str(m.value) for m in annotation]
    return None


def _bounds(info: FieldInfo | None) -> tuple[float | None, float | None]:
    lo: float | None = None
    hi: float | None = None
    for meta in info.metadata if info else ():
        if isinstance(meta, annotated_types.Ge | annotated_types.Gt):
            lo = getattr(meta, "ge", getattr(meta, "gt", None))
        elif isinstance(meta, annotated_types.Le | annotated_types.Lt):
            hi = getattr(meta, "le", getattr(meta, "lt", None))
        elif isinstance(meta, annotated_types.MinLen):
            lo = meta.min_length
        elif isinstance(meta, annotated_types.MaxLen):
            hi = meta.max_length
    return lo, hi


__all__ = ["FieldError", "TemplateValidationError", "validate_template_config"]
