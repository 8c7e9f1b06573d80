"""Firestore index rules: which index a query needs, checked against `firestore.indexes.json`.

The embedded document store refuses, like Firestore, a query whose index is not
declared, so no query reaches production without its index. Rules (modelled on
Firestore's documented behaviour):

- Fields a query touches: filter fields, order_by fields, and the field of a
  `sum`/`avg` aggregation (Firestore computes those from an index scan).
- Equality fields are those filtered with `==`, `in`, `array-contains` or
  `array-contains-any` (the array operators need `arrayConfig: CONTAINS`).
  Ordered fields are the explicit order_by fields, then every inequality field
  (`<`, `<=`, `>`, `>=`, `!=`, `not-in`) not already ordered, ASCENDING, in
  field-path order (Firestore's implicit ordering), then the aggregated field.
  A field both equality-filtered and ordered counts as ordered.
- A query touching at most one field is served by the automatic single-field
  index: no composite index is needed.
- A query with only equality filters on several fields and no ordering is
  served by merging single-field indexes: no composite index is needed.
- Anything else needs a composite index whose fields are the equality fields
  (any order) followed by the ordered fields in order with matching directions.
- Collection-group queries (`all_descendants`) need indexes with queryScope
  `COLLECTION_GROUP`. Automatic single-field indexes exist only for the
  COLLECTION scope, so a single-field collection-group query (and each field of
  an index-merged one) needs a `fieldOverrides` entry with a COLLECTION_GROUP
  index for that field.
- A `fieldOverrides` entry replaces the automatic single-field indexes of its
  field: a COLLECTION-scope query on that field needs the entry to list it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from synthora.ports.documents import (
    ARRAY_OPERATORS,
    ASCENDING,
    EQUALITY_OPERATORS,
    INEQUALITY_OPERATORS,
    MissingIndex,
    QuerySpec,
)

QueryScope = Literal["COLLECTION", "COLLECTION_GROUP"]


class IndexField(BaseModel):
    """One field of a composite index: either an `order` or an `arrayConfig`."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    field_path: str = Field(alias="fieldPath", min_length=1)
    order: Literal["ASCENDING", "DESCENDING"] | None = None
    array_config: Literal["CONTAINS"] | None = Field(default=None, alias="arrayConfig")

    @model_validator(mode="after")
    def _one_kind(self) -> IndexField:
        if (self.order is None) == (self.array_config is None):
            raise ValueError(f"field {self.field_path!r} needs exactly one of order / arrayConfig")
        return self

    def to_json(self) -> dict[str, str]:
        """The field as written in `firestore.indexes.json`."""
        if self.array_config is not None:
            return {"fieldPath": self.field_path, "arrayConfig": self.array_config}
        return {"fieldPath": self.field_path, "order": str(self.order)}


class CompositeIndex(BaseModel):
    """One entry of `indexes`."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    collection_group: str = Field(alias="collectionGroup", min_length=1)
    query_scope: QueryScope = Field(default="COLLECTION", alias="queryScope")
    fields: tuple[IndexField, ...] = Field(min_length=1)


class OverrideIndex(BaseModel):
    """One single-field index of a field override."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    order: Literal["ASCENDING", "DESCENDING"] | None = None
    array_config: Literal["CONTAINS"] | None = Field(default=None, alias="arrayConfig")
    query_scope: QueryScope = Field(default="COLLECTION", alias="queryScope")


class FieldOverride(BaseModel):
    """One entry of `fieldOverrides`: the single-field indexes of one field."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    collection_group: str = Field(alias="collectionGroup", min_length=1)
    field_path: str = Field(alias="fieldPath", min_length=1)
    indexes: tuple[OverrideIndex, ...] = ()


class IndexConfig(BaseModel):
    """The whole `firestore.indexes.json`."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    indexes: tuple[CompositeIndex, ...] = ()
    field_overrides: tuple[FieldOverride, ...] = Field(default=(), alias="fieldOverrides")


def parse_indexes(data: Any) -> IndexConfig:
    """Validate the parsed JSON of an indexes file; ValueError names what is wrong."""
    try:
        return IndexConfig.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"invalid firestore.indexes.json: {exc}") from exc


def load_indexes(path: str | Path) -> IndexConfig:
    """Read and validate `firestore.indexes.json`."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"index file {p} does not exist") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{p} is not valid JSON: {exc}") from exc
    return parse_indexes(data)


# --------------------------------------------------------------------------- rules


def _shape(
    spec: QuerySpec, aggregate_field: str | None
) -> tuple[dict[str, dict[str, str]], list[dict[str, str]]]:
    """(equality fields -> index field JSON, ordered fields as index field JSON)."""
    ordered: list[dict[str, str]] = []
    seen: set[str] = set()
    for o in spec.orders:
        if o.field_path not in seen:
            ordered.append({"fieldPath": o.field_path, "order": o.direction})
            seen.add(o.field_path)
    for path in sorted({f.field_path for f in spec.filters if f.op in INEQUALITY_OPERATORS}):
        if path not in seen:
            ordered.append({"fieldPath": path, "order": ASCENDING})
            seen.add(path)
    if aggregate_field is not None and aggregate_field not in seen:
        equality_paths = {f.field_path for f in spec.filters if f.op in EQUALITY_OPERATORS}
        if aggregate_field not in equality_paths:
            ordered.append({"fieldPath": aggregate_field, "order": ASCENDING})
            seen.add(aggregate_field)
    equality: dict[str, dict[str, str]] = {}
    for f in spec.filters:
        if f.op not in EQUALITY_OPERATORS or f.field_path in seen:
            continue
        if f.op in ARRAY_OPERATORS:
            equality[f.field_path] = {"fieldPath": f.field_path, "arrayConfig": "CONTAINS"}
        else:
            equality.setdefault(f.field_path, {"fieldPath": f.field_path, "order": ASCENDING})
    return equality, ordered


def _scope(spec: QuerySpec) -> QueryScope:
    return "COLLECTION_GROUP" if spec.all_descendants else "COLLECTION"


def required_index(spec: QuerySpec, *, aggregate_field: str | None = None) -> dict[str, Any] | None:
    """The composite index `spec` needs, as `firestore.indexes.json` JSON; None if none."""
    equality, ordered = _shape(spec, aggregate_field)
    if len(equality) + len(ordered) <= 1 or not ordered:
        return None
    return {
        "collectionGroup": spec.collection_id,
        "queryScope": _scope(spec),
        "fields": [*equality.values(), *ordered],
    }


def _index_matches(index: CompositeIndex, needed: dict[str, Any]) -> bool:
    if index.collection_group != needed["collectionGroup"]:
        return False
    if index.query_scope != needed["queryScope"]:
        return False
    have = [f.to_json() for f in index.fields]
    want: list[dict[str, str]] = needed["fields"]
    if len(have) != len(want):
        return False
    # Equality fields may come in any order and, when ordered, in either direction.
    eq_count = len(want) - _ordered_count(needed)
    have_eq, want_eq = have[:eq_count], want[:eq_count]

    def eq_key(f: dict[str, str]) -> tuple[str, str]:
        return (f["fieldPath"], "CONTAINS" if "arrayConfig" in f else "ORDER")

    if sorted(map(eq_key, have_eq)) != sorted(map(eq_key, want_eq)):
        return False
    return have[eq_count:] == want[eq_count:]


def _ordered_count(needed: dict[str, Any]) -> int:
    return int(needed.get("_ordered", 0))


def _single_field_ok(
    config: IndexConfig, group: str, field: dict[str, str], scope: QueryScope
) -> bool:
    for override in config.field_overrides:
        if override.collection_group == group and override.field_path == field["fieldPath"]:
            for idx in override.indexes:
                if idx.query_scope != scope:
                    continue
                if "arrayConfig" in field and idx.array_config == "CONTAINS":
                    return True
                if "order" in field and idx.order is not None:
                    # either direction of a single-field index serves an equality filter,
                    # and Firestore scans a single-field index both ways for ordering
                    return True
            return False
    return scope == "COLLECTION"  # automatic single-field indexes are COLLECTION scope only


def _override_json(group: str, field: dict[str, str], scope: QueryScope) -> dict[str, Any]:
    idx: dict[str, str] = {"queryScope": scope}
    if "arrayConfig" in field:
        idx["arrayConfig"] = "CONTAINS"
    else:
        idx["order"] = field["order"]
    return {"collectionGroup": group, "fieldPath": field["fieldPath"], "indexes": [idx]}


def check_query(
    spec: QuerySpec, indexes: IndexConfig, *, aggregate_field: str | None = None
) -> None:
    """Raise `MissingIndex` when `indexes` lacks what `spec` needs (see module docstring)."""
    equality, ordered = _shape(spec, aggregate_field)
    scope = _scope(spec)
    group = spec.collection_id
    fields = [*equality.values(), *ordered]
    if not fields:
        return
    composite: dict[str, Any] | None = None
    if ordered and len(fields) > 1:
        composite = {"collectionGroup": group, "queryScope": scope, "fields": fields}
        needed = dict(composite, _ordered=len(ordered))
        if any(_index_matches(ix, needed) for ix in indexes.indexes):
            return
        text = json.dumps(composite, indent=2)
        raise MissingIndex(
            f"the query on collection {'group ' if spec.all_descendants else ''}{group!r} "
            f'needs a composite index; add this to "indexes" in firestore.indexes.json:\n{text}',
            index=composite,
        )
    # single-field or index-merged equality query: every field needs a single-field index
    for f in fields:
        if _single_field_ok(indexes, group, f, scope):
            continue
        override = _override_json(group, f, scope)
        if len(fields) > 1:
            merged = {"collectionGroup": group, "queryScope": scope, "fields": fields}
            needed = dict(merged, _ordered=0)
            if any(_index_matches(ix, needed) for ix in indexes.indexes):
                return
        text = json.dumps(override, indent=2)
        what = (
            "a collection-group query on a single field needs a COLLECTION_GROUP single-field index"
            if scope == "COLLECTION_GROUP"
            else "its single-field index is disabled by a field override"
        )
        raise MissingIndex(
            f"the query on collection {'group ' if spec.all_descendants else ''}{group!r} "
            f'uses field {f["fieldPath"]!r}: {what}; add this to "fieldOverrides" in '
            f"firestore.indexes.json:\n{text}",
            index=override,
        )
