"""Index rules: which composite index a query needs, and the refusal message."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from synthora.ports.documents import FieldFilter, MissingIndex, Order, QuerySpec
from synthora.ports.indexes import (
    IndexConfig,
    check_query,
    load_indexes,
    parse_indexes,
    required_index,
)
from synthora.settings import REPO_ROOT


def spec(
    *filters: tuple[str, str, Any], orders: tuple[tuple[str, str], ...] = (), group: bool = False
) -> QuerySpec:
    return QuerySpec(
        parent="",
        collection_id="videos",
        all_descendants=group,
        filters=tuple(FieldFilter(f, op, v) for f, op, v in filters),
        orders=tuple(Order(f, d) for f, d in orders),  # type: ignore[arg-type]
    )


def asc(f: str) -> dict[str, str]:
    return {"fieldPath": f, "order": "ASCENDING"}


def desc(f: str) -> dict[str, str]:
    return {"fieldPath": f, "order": "DESCENDING"}


def contains(f: str) -> dict[str, str]:
    return {"fieldPath": f, "arrayConfig": "CONTAINS"}


CASES: list[tuple[str, QuerySpec, list[dict[str, str]] | None]] = [
    ("no filters", spec(), None),
    ("one equality", spec(("a", "==", 1)), None),
    ("one range", spec(("a", ">", 1)), None),
    ("range and order on same field", spec(("a", ">", 1), orders=(("a", "DESCENDING"),)), None),
    ("one order desc", spec(orders=(("a", "DESCENDING"),)), None),
    ("equality and order on same field", spec(("a", "==", 1), orders=(("a", "ASCENDING"),)), None),
    ("merged equalities", spec(("a", "==", 1), ("b", "in", [1]), ("t", "array-contains", 1)), None),
    (
        "equality + order",
        spec(("owner", "==", "u"), orders=(("at", "DESCENDING"),)),
        [asc("owner"), desc("at")],
    ),
    ("equality + range", spec(("owner", "==", "u"), ("at", ">", 1)), [asc("owner"), asc("at")]),
    (
        "not-equal is an inequality",
        spec(("owner", "==", "u"), ("s", "!=", 1)),
        [asc("owner"), asc("s")],
    ),
    (
        "not-in is an inequality",
        spec(("owner", "==", "u"), ("s", "not-in", [1])),
        [asc("owner"), asc("s")],
    ),
    (
        "array-contains + order",
        spec(("tags", "array-contains", "x"), orders=(("r", "ASCENDING"),)),
        [contains("tags"), asc("r")],
    ),
    ("two orders", spec(orders=(("a", "ASCENDING"), ("b", "DESCENDING"))), [asc("a"), desc("b")]),
    (
        "range on other field than order",
        spec(("b", ">", 1), orders=(("a", "DESCENDING"),)),
        [desc("a"), asc("b")],
    ),
    ("two ranges ordered by path", spec(("z", ">", 1), ("b", "<", 1)), [asc("b"), asc("z")]),
]


@pytest.mark.parametrize(("name", "query", "fields"), CASES, ids=[c[0] for c in CASES])
def test_required_index(name: str, query: QuerySpec, fields: list[dict[str, str]] | None) -> None:
    got = required_index(query)
    if fields is None:
        assert got is None
        check_query(query, IndexConfig())  # nothing needed, nothing declared
    else:
        assert got == {"collectionGroup": "videos", "queryScope": "COLLECTION", "fields": fields}
        with pytest.raises(MissingIndex) as err:
            check_query(query, IndexConfig())
        assert err.value.index == got
        assert "'videos'" in str(err.value) and json.dumps(got, indent=2) in str(err.value)
        check_query(query, parse_indexes({"indexes": [got]}))


def test_equality_fields_match_in_any_order_but_ordered_fields_do_not() -> None:
    q = spec(("a", "==", 1), ("b", "==", 2), orders=(("c", "DESCENDING"),))
    swapped = {"collectionGroup": "videos", "fields": [desc("b"), asc("a"), desc("c")]}
    check_query(q, parse_indexes({"indexes": [swapped]}))
    wrong_dir = {"collectionGroup": "videos", "fields": [asc("a"), asc("b"), asc("c")]}
    other_group = {"collectionGroup": "posts", "fields": [asc("a"), asc("b"), desc("c")]}
    group_scope = {
        "collectionGroup": "videos",
        "queryScope": "COLLECTION_GROUP",
        "fields": [asc("a"), asc("b"), desc("c")],
    }
    extra = {"collectionGroup": "videos", "fields": [asc("a"), asc("b"), desc("c"), asc("d")]}
    for ix in (wrong_dir, other_group, group_scope, extra):
        with pytest.raises(MissingIndex):
            check_query(q, parse_indexes({"indexes": [ix]}))


def test_aggregated_field_counts_as_an_indexed_field() -> None:
    q = spec(("city", "==", "x"))
    assert required_index(q, aggregate_field="score") is not None
    assert required_index(spec(), aggregate_field="score") is None
    with pytest.raises(MissingIndex):
        check_query(q, IndexConfig(), aggregate_field="score")


def test_collection_group_scope() -> None:
    check_query(spec(group=True), IndexConfig())  # plain group listing needs nothing
    single = spec(("n", "==", 1), group=True)
    assert required_index(single) is None
    with pytest.raises(MissingIndex) as err:
        check_query(single, IndexConfig())
    assert "COLLECTION_GROUP" in str(err.value) and "fieldOverrides" in str(err.value)
    check_query(single, parse_indexes({"fieldOverrides": [err.value.index]}))
    composite = spec(("n", "==", 1), orders=(("t", "ASCENDING"),), group=True)
    needed = required_index(composite)
    assert needed is not None and needed["queryScope"] == "COLLECTION_GROUP"
    with pytest.raises(MissingIndex):
        check_query(composite, parse_indexes({"indexes": [dict(needed, queryScope="COLLECTION")]}))
    check_query(composite, parse_indexes({"indexes": [needed]}))


def test_field_override_can_disable_a_single_field_index() -> None:
    config = parse_indexes(
        {"fieldOverrides": [{"collectionGroup": "videos", "fieldPath": "blob", "indexes": []}]}
    )
    with pytest.raises(MissingIndex) as err:
        check_query(spec(("blob", "==", 1)), config)
    assert "disabled" in str(err.value)
    check_query(spec(("other", "==", 1)), config)


def test_bad_index_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        parse_indexes({"indexes": [{"collectionGroup": "v", "fields": [{"fieldPath": "a"}]}]})
    with pytest.raises(ValueError):
        parse_indexes(
            {"indexes": [{"collectionGroup": "v", "queryScope": "WORLD", "fields": [asc("a")]}]}
        )
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_indexes(bad)
    with pytest.raises(FileNotFoundError):
        load_indexes(tmp_path / "missing.json")


def test_repo_index_file_loads() -> None:
    config = load_indexes(REPO_ROOT / "firestore.indexes.json")
    assert isinstance(config, IndexConfig)
