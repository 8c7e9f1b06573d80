"""Request bodies for partial updates: "absent" and "null" are different things.

A PATCH body lists the fields to change. A field left out keeps its stored
value; a field sent as JSON `null` is refused (422, `null_not_allowed`) unless
the model lists it in `nullable_fields`, so nothing the read model requires can
be erased by an update:

    class UpdateTemplateRequest(PatchBody):
        description: str | None = Field(default=None, max_length=500)

The annotations keep `| None` (an absent field reads as None in Python); the
JSON schema, and so the OpenAPI document and the generated client, shows each
field as optional and not nullable. The router refuses a PATCH route whose body
is not a `PatchBody` (see `synthora.http.router`), and
`tests/http/test_patch_bodies.py` checks every PATCH route of the manifest.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator
from pydantic_core import PydanticCustomError


def _drop_null(schema: dict[str, Any], cls: type[BaseModel]) -> None:
    nullable: frozenset[str] = getattr(cls, "nullable_fields", frozenset())
    if getattr(cls, "at_least_one", False):
        schema["minProperties"] = 1
    for name, prop in (schema.get("properties") or {}).items():
        if name in nullable or not isinstance(prop, dict):
            continue
        if prop.get("default", "absent") is None:
            del prop["default"]
        options = prop.get("anyOf")
        if isinstance(options, list):
            kept = [o for o in options if o != {"type": "null"}]
            if len(kept) == 1:
                del prop["anyOf"]
                prop.update(kept[0])
            else:
                prop["anyOf"] = kept


def _no_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError(
            "null_not_allowed", "must not be null; leave the field out to keep its value"
        )
    return value


class PatchBody(BaseModel):
    """Base of every PATCH body: unknown fields refused, null refused unless declared."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_drop_null)

    #: Fields where an explicit null means "clear it" (the read model allows null).
    nullable_fields: ClassVar[frozenset[str]] = frozenset()
    #: Whether an empty update is refused (the schema says `minProperties: 1`).
    at_least_one: ClassVar[bool] = False

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """A required field (no `| None`) refuses null before its type is checked, so the
        error says what is wrong. (Its own type must not need strict JSON parsing, such as a
        date-time string: a function on the raw value makes pydantic validate it as Python.)"""
        super().__pydantic_init_subclass__(**kwargs)
        required = [name for name, info in cls.model_fields.items() if info.is_required()]
        for name in required:
            cls.model_fields[name].metadata.append(BeforeValidator(_no_null))
        if required:
            cls.model_rebuild(force=True)

    # The optional ones after validation, not before: a function run on the raw input would
    # make pydantic validate the fields as Python values, and strict JSON validation (the
    # router's) would then refuse a date-time string for a `datetime` field.
    @model_validator(mode="after")
    def _refuse_null(self) -> PatchBody:
        sent_null = sorted(
            name
            for name in self.model_fields_set
            if getattr(self, name) is None and name not in self.nullable_fields
        )
        if sent_null:
            raise PydanticCustomError(
                "null_not_allowed",
                "{fields}: must not be null; leave a field out to keep its value",
                {"fields": ", ".join(sent_null), "null_fields": sent_null},
            )
        return self

    @model_validator(mode="after")
    def _not_empty(self) -> PatchBody:
        if self.at_least_one and not self.model_fields_set:
            raise PydanticCustomError("empty_update", "send at least one field to change")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields the caller sent, as JSON values."""
        return self.model_dump(exclude_unset=True, mode="json")
