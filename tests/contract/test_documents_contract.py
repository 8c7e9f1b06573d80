"""Document store contract: Firestore semantics every adapter must keep (public API only)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from synthora.ports.documents import (
    DELETE_FIELD,
    DESCENDING,
    SERVER_TIMESTAMP,
    Aborted,
    AlreadyExists,
    ArrayRemove,
    ArrayUnion,
    DocumentStore,
    Increment,
    InvalidQuery,
    MissingIndex,
    NotFound,
    Transaction,
)

T0 = datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)


def add_index(
    indexes_file: Path, *fields: tuple[str, str], group: str, scope: str = "COLLECTION"
) -> None:
    """Append a composite index (fieldPath, ASCENDING|DESCENDING|CONTAINS) to the file."""
    config = json.loads(indexes_file.read_text())
    config["indexes"].append(
        {
            "collectionGroup": group,
            "queryScope": scope,
            "fields": [
                {"fieldPath": f, "arrayConfig": "CONTAINS"}
                if d == "CONTAINS"
                else {"fieldPath": f, "order": d}
                for f, d in fields
            ],
        }
    )
    indexes_file.write_text(json.dumps(config))


def add_override(
    indexes_file: Path, group: str, field: str, scope: str = "COLLECTION_GROUP"
) -> None:
    """Declare ascending single-field indexes on `field` for both scopes."""
    config = json.loads(indexes_file.read_text())
    config["fieldOverrides"].append(
        {
            "collectionGroup": group,
            "fieldPath": field,
            "indexes": [
                {"order": "ASCENDING", "queryScope": "COLLECTION"},
                {"order": "ASCENDING", "queryScope": scope},
            ],
        }
    )
    indexes_file.write_text(json.dumps(config))


def ids(snaps: list[Any]) -> list[str]:
    return [s.id for s in snaps]


# --------------------------------------------------------------------------- CRUD


def test_set_get_round_trips_every_value_type(store: DocumentStore) -> None:
    data = {
        "none": None,
        "t": True,
        "f": False,
        "i": -(2**63),
        "big": 2**63 - 1,
        "x": 1.5,
        "s": "héllo ✓",
        "b": b"\x00\xffbin",
        "list": [1, "a", None, {"k": b"\x01"}],
        "map": {"nested": {"deep": [T0]}},
        "when": T0,
        "other_tz": datetime(2026, 1, 2, 5, 4, 5, 7, tzinfo=timezone(timedelta(hours=2))),
        "empty_map": {},
        "empty_list": [],
        "nan": float("nan"),
        "inf": float("-inf"),
    }
    store.document("things/a").set(data)
    got = store.document("things/a").get()
    assert got.exists and got.id == "a"
    d = got.to_dict()
    assert d is not None
    nan = d.pop("nan")
    assert nan != nan
    expected = {k: v for k, v in data.items() if k != "nan"}
    assert d == expected
    assert type(d["i"]) is int and type(d["x"]) is float and type(d["t"]) is bool
    assert d["when"].tzinfo is not None and d["when"].utcoffset() == timedelta(0)
    assert d["other_tz"] == datetime(2026, 1, 2, 3, 4, 5, 7, tzinfo=UTC)
    assert got.create_time is not None and got.update_time is not None


def test_missing_document_and_times(store: DocumentStore) -> None:
    snap = store.document("things/nope").get()
    assert not snap.exists and snap.to_dict() is None and snap.get("a", 7) == 7
    ref = store.document("things/a")
    ref.set({"v": 1})
    first = ref.get()
    ref.set({"v": 2})
    second = ref.get()
    assert second.create_time == first.create_time
    assert second.update_time is not None and first.update_time is not None
    assert second.update_time > first.update_time


def test_set_replaces_create_update_delete(store: DocumentStore) -> None:
    ref = store.collection("things").document("a")
    ref.create({"a": 1, "b": 2})
    with pytest.raises(AlreadyExists):
        ref.create({"a": 3})
    ref.set({"c": 3})
    assert ref.get().to_dict() == {"c": 3}
    ref.update({"d": 4})
    assert ref.get().to_dict() == {"c": 3, "d": 4}
    with pytest.raises(NotFound):
        store.document("things/missing").update({"x": 1})
    assert not store.document("things/missing").get().exists
    ref.delete()
    assert not ref.get().exists
    ref.delete()  # deleting a missing document is fine


def test_add_generates_ids(store: DocumentStore) -> None:
    refs = [store.collection("things").add({"n": i}) for i in range(3)]
    assert len({r.id for r in refs}) == 3 and all(len(r.id) == 20 for r in refs)
    assert sorted(s.get("n") for s in store.collection("things").get()) == [0, 1, 2]


def test_merge_is_deep_and_keeps_dots_literal(store: DocumentStore) -> None:
    ref = store.document("things/a")
    ref.set({"m": {"x": 1, "y": {"z": 1}}, "keep": True})
    ref.set({"m": {"y": {"w": 2}}, "a.b": 5, "m2": {}}, merge=True)
    assert ref.get().to_dict() == {
        "m": {"x": 1, "y": {"z": 1, "w": 2}},
        "keep": True,
        "a.b": 5,
        "m2": {},
    }
    store.document("things/new").set({"n": 1}, merge=True)
    assert store.document("things/new").get().to_dict() == {"n": 1}


def test_update_field_paths(store: DocumentStore) -> None:
    ref = store.document("things/a")
    ref.set({"steps": {"script": {"status": "pending", "n": 1}, "voice": {"status": "x"}}, "s": 1})
    ref.update({"steps.script.status": "done", "new.deep.path": 1, "s": {"replaced": True}})
    assert ref.get().to_dict() == {
        "steps": {"script": {"status": "done", "n": 1}, "voice": {"status": "x"}},
        "new": {"deep": {"path": 1}},
        "s": {"replaced": True},
    }
    ref.update({"steps.voice": {"only": 1}})  # a map value replaces the whole field
    assert ref.get().get("steps.voice") == {"only": 1}
    assert ref.get().get("steps.script.n") == 1


def test_bad_writes_are_refused(store: DocumentStore) -> None:
    ref = store.document("things/a")
    ref.set({"v": 1})
    with pytest.raises(ValueError):
        ref.set({"v": DELETE_FIELD})
    with pytest.raises(ValueError):
        ref.update({})
    with pytest.raises(ValueError):
        ref.update({"a": 1, "a.b": 2})
    with pytest.raises(ValueError):
        ref.set({"nested": [[1]]})
    with pytest.raises(TypeError):
        ref.set({"v": {1, 2}})
    with pytest.raises(ValueError):
        ref.set({"v": [SERVER_TIMESTAMP]})
    assert ref.get().to_dict() == {"v": 1}


def test_invalid_paths(store: DocumentStore) -> None:
    with pytest.raises(InvalidQuery):
        store.document("things")
    with pytest.raises(InvalidQuery):
        store.collection("things/a")


# --------------------------------------------------------------------------- sentinels


def test_server_timestamp_is_commit_time_for_every_field(store: DocumentStore) -> None:
    ref = store.document("things/a")
    before = datetime.now(UTC) - timedelta(seconds=1)
    ref.set({"created": SERVER_TIMESTAMP, "m": {"at": SERVER_TIMESTAMP}})
    snap = ref.get()
    created = snap.get("created")
    assert isinstance(created, datetime) and created.tzinfo is not None
    assert before < created < datetime.now(UTC) + timedelta(seconds=1)
    assert snap.get("m.at") == created
    assert snap.update_time == created


def test_increment(store: DocumentStore) -> None:
    ref = store.document("things/a")
    ref.set({"n": 1, "s": "text"})
    ref.update({"n": Increment(2), "missing": Increment(5), "s": Increment(1), "f": Increment(0.5)})
    d = ref.get().to_dict()
    assert d == {"n": 3, "missing": 5, "s": 1, "f": 0.5}
    assert type(d["n"]) is int
    ref.set({"n": Increment(1.5)}, merge=True)
    assert ref.get().get("n") == 4.5
    ref.set({"c": Increment(3)})
    assert ref.get().to_dict() == {"c": 3}


def test_array_union_and_remove(store: DocumentStore) -> None:
    ref = store.document("things/a")
    ref.set({"tags": ["a", 1, "b", "a"]})
    ref.update({"tags": ArrayUnion(["b", "c", "c", 1.0, True])})
    assert ref.get().get("tags") == ["a", 1, "b", "a", "c", True]
    ref.update(
        {"tags": ArrayRemove(["a", 1.0]), "fresh": ArrayUnion([1]), "gone": ArrayRemove([1])}
    )
    assert ref.get().to_dict() == {"tags": ["b", "c", True], "fresh": [1], "gone": []}


def test_delete_field(store: DocumentStore) -> None:
    ref = store.document("things/a")
    ref.set({"a": 1, "m": {"x": 1, "y": 2}, "b": 2})
    ref.update({"a": DELETE_FIELD, "m.x": DELETE_FIELD, "not.there": DELETE_FIELD})
    assert ref.get().to_dict() == {"m": {"y": 2}, "b": 2}
    ref.set({"b": DELETE_FIELD, "m": {"y": DELETE_FIELD}}, merge=True)
    assert ref.get().to_dict() == {"m": {}}


# --------------------------------------------------------------------------- queries


@pytest.fixture
def people(store: DocumentStore) -> DocumentStore:
    rows: dict[str, dict[str, Any]] = {
        "ann": {"age": 30, "city": "Oslo", "tags": ["a", "b"], "score": 1.5},
        "bob": {"age": 25, "city": "Rome", "tags": ["b"], "score": 2},
        "cat": {"age": 35, "city": None, "tags": [], "score": 3},
        "dan": {"age": 25.0, "tags": ["c", ["x"][0]]},
        "eve": {"age": "30", "city": "Oslo"},
        "fay": {"city": "Rome", "age": True},
    }
    batch = store.batch()
    for k, v in rows.items():
        batch.set(store.document(f"people/{k}"), v)
    batch.commit()
    return store


@pytest.mark.parametrize(
    ("field", "op", "value", "expected"),
    [
        ("age", "==", 25, ["bob", "dan"]),
        ("age", "==", "30", ["eve"]),
        ("age", "==", True, ["fay"]),
        ("city", "==", None, ["cat"]),
        ("age", "<", 30, ["bob", "dan"]),
        ("age", "<=", 30, ["bob", "dan", "ann"]),
        ("age", ">", 25, ["ann", "cat"]),
        ("age", ">=", 30, ["ann", "cat"]),
        ("age", ">", "1", ["eve"]),
        ("city", "!=", "Oslo", ["bob", "fay"]),
        ("city", "not-in", ["Oslo"], ["bob", "fay"]),
        ("city", "in", ["Oslo", None], ["ann", "cat", "eve"]),
        ("age", "in", [25, "30"], ["bob", "dan", "eve"]),
        ("tags", "array-contains", "b", ["ann", "bob"]),
        ("tags", "array-contains-any", ["a", "c"], ["ann", "dan"]),
        ("tags", "in", [["b"], []], ["bob", "cat"]),
        ("tags", "==", ["a", "b"], ["ann"]),
    ],
)
def test_operators(
    people: DocumentStore, field: str, op: str, value: Any, expected: list[str]
) -> None:
    got = ids(people.collection("people").where(field, op, value).get())
    if op in ("<", "<=", ">", ">=", "!=", "not-in"):
        assert got == expected  # implicitly ordered by the inequality field, then id
    else:
        assert sorted(got) == sorted(expected)


def test_order_by_excludes_missing_and_orders_across_types(store: DocumentStore) -> None:
    values: dict[str, Any] = {
        "a_null": None,
        "b_true": True,
        "c_false": False,
        "d_int": 2,
        "e_float": 1.5,
        "f_nan": float("nan"),
        "g_time": T0,
        "h_str": "b",
        "i_str": "a",
        "j_bytes": b"a",
        "k_list": [1, 2],
        "l_list": [1],
        "m_map": {"a": 1},
    }
    for k, v in values.items():
        store.document(f"vals/{k}").set({"v": v})
    store.document("vals/zz_missing").set({"other": 1})
    got = ids(store.collection("vals").order_by("v").get())
    assert got == [
        "a_null",
        "c_false",
        "b_true",
        "f_nan",
        "e_float",
        "d_int",
        "g_time",
        "i_str",
        "h_str",
        "j_bytes",
        "l_list",
        "k_list",
        "m_map",
    ]
    assert ids(store.collection("vals").order_by("v", DESCENDING).get()) == got[::-1]


def test_multiple_order_by_and_id_tiebreak(store: DocumentStore, indexes_file: Path) -> None:
    add_index(indexes_file, ("g", "ASCENDING"), ("n", "DESCENDING"), group="rows")
    for i, (g, n) in enumerate([(1, 1), (2, 5), (1, 3), (2, 5), (1, 3)]):
        store.document(f"rows/r{i}").set({"g": g, "n": n})
    got = ids(store.collection("rows").order_by("g").order_by("n", DESCENDING).get())
    # ties (r2/r4, r1/r3) broken by document id in the last order's direction
    assert got == ["r4", "r2", "r0", "r3", "r1"]
    assert ids(store.collection("rows").get()) == ["r0", "r1", "r2", "r3", "r4"]


def test_limit_offset_and_cursors(store: DocumentStore) -> None:
    for i in range(10):
        store.document(f"items/i{i}").set({"n": i // 2})
    q = store.collection("items").order_by("n")
    assert ids(q.limit(3).get()) == ["i0", "i1", "i2"]
    assert ids(q.offset(8).get()) == ["i8", "i9"]
    assert ids(q.offset(2).limit(2).get()) == ["i2", "i3"]
    assert ids(q.limit(0).get()) == []
    # values only: skips every document equal on the order fields
    assert ids(q.start_after([2]).get()) == ["i6", "i7", "i8", "i9"]
    # values and an id: resumes exactly after that document
    assert ids(q.start_after([2, "i4"]).limit(2).get()) == ["i5", "i6"]
    page1 = q.limit(3).get()
    page2 = q.start_after(page1[-1]).limit(3).get()
    assert ids(page2) == ["i3", "i4", "i5"]
    desc = store.collection("items").order_by("n", DESCENDING)
    assert ids(desc.start_after([3, "i7"]).limit(3).get()) == ["i6", "i5", "i4"]
    assert ids(store.collection("items").start_after(["i7"]).get()) == ["i8", "i9"]
    assert ids(q.start_after([2]).offset(1).limit(2).get()) == ["i7", "i8"]


def test_paging_through_everything_visits_each_document_once(store: DocumentStore) -> None:
    batch = store.batch()
    for i in range(45):
        batch.set(store.document(f"pg/d{i:02d}"), {"k": i % 4})
    batch.commit()
    seen: list[str] = []
    q = store.collection("pg").order_by("k", DESCENDING).limit(7)
    page = q.get()
    while page:
        seen += ids(page)
        page = q.start_after(page[-1]).get()
    assert sorted(seen) == [f"d{i:02d}" for i in range(45)] and len(seen) == 45


def test_invalid_queries(store: DocumentStore) -> None:
    c = store.collection("things")
    with pytest.raises(InvalidQuery):
        c.where("a", "like", 1)
    with pytest.raises(InvalidQuery):
        c.where("a", "in", []).get()
    with pytest.raises(InvalidQuery):
        c.where("a", "in", list(range(31))).get()
    with pytest.raises(InvalidQuery):
        c.where("a", "!=", 1).where("a", "not-in", [2]).get()
    with pytest.raises(InvalidQuery):
        c.order_by("a").start_after([1, "id", "extra"]).get()
    with pytest.raises(InvalidQuery):
        c.limit(-1).get()
    with pytest.raises(InvalidQuery):
        c.where("a", "<", None).get()


# --------------------------------------------------------------------------- aggregations


def test_count_sum_avg(people: DocumentStore, indexes_file: Path) -> None:
    add_index(indexes_file, ("city", "ASCENDING"), ("score", "ASCENDING"), group="people")
    c = people.collection("people")
    assert c.count() == 6
    assert c.where("city", "==", "Oslo").count() == 2
    assert c.sum("score") == 6.5
    assert c.avg("score") == pytest.approx(6.5 / 3)
    assert c.where("city", "==", "Nowhere").count() == 0
    assert c.where("city", "==", "Nowhere").sum("score") == 0
    assert c.where("city", "==", "Nowhere").avg("score") is None
    ints = people.collection("ints")
    for i in range(4):
        ints.document(f"n{i}").set({"v": i})
    total = ints.sum("v")
    assert total == 6 and type(total) is int
    assert ints.order_by("v").limit(2).count() == 2


# --------------------------------------------------------------------------- hierarchy


def test_subcollections_and_collection_groups(store: DocumentStore, indexes_file: Path) -> None:
    add_override(indexes_file, "posts", "n")
    store.document("users/u1").set({"name": "one"})
    store.document("users/u1/posts/p1").set({"n": 1})
    store.document("users/u1/posts/p2").set({"n": 2})
    store.document("users/u2/posts/p1").set({"n": 3})  # parent u2 does not exist
    store.document("posts/top").set({"n": 4})
    store.document("users/u1/posts/p1/posts/deep").set({"n": 5})
    assert ids(store.collection("users").get()) == ["u1"]
    assert ids(store.document("users/u1").collection("posts").get()) == ["p1", "p2"]
    group = store.collection_group("posts").order_by("n").get()
    assert [s.reference.path for s in group] == [
        "users/u1/posts/p1",
        "users/u1/posts/p2",
        "users/u2/posts/p1",
        "posts/top",
        "users/u1/posts/p1/posts/deep",
    ]
    assert store.collection_group("posts").count() == 5
    # collection group ordered by document path, paged with snapshot cursors
    all_group = store.collection_group("posts").get()
    after = store.collection_group("posts").start_after(all_group[1]).get()
    assert [s.reference.path for s in after] == [s.reference.path for s in all_group[2:]]
    listed = [r.path for r in store.collection("users").list_documents()]
    assert listed == ["users/u1", "users/u2"]


def test_recursive_delete(store: DocumentStore) -> None:
    for p in [
        "users/u1",
        "users/u1/posts/p1",
        "users/u1/posts/p1/likes/l1",
        "users/u10",
        "users/u2",
        "users/u1x/posts/p",
    ]:
        store.document(p).set({"x": 1})
    assert store.recursive_delete(store.document("users/u1")) == 3
    assert [r.path for r in store.collection("users").list_documents()] == [
        "users/u10",
        "users/u1x",
        "users/u2",
    ]
    assert store.document("users/u10").get().exists
    assert store.recursive_delete(store.collection("users")) == 3
    assert store.collection_group("posts").count() == 0


# --------------------------------------------------------------------------- batches


def test_batch_is_atomic(store: DocumentStore) -> None:
    store.document("things/exists").set({"v": 0})
    batch = store.batch()
    batch.set(store.document("things/a"), {"v": 1})
    batch.update(store.document("things/exists"), {"v": 1})
    batch.create(store.document("things/exists"), {"v": 2})
    with pytest.raises(AlreadyExists):
        batch.commit()
    assert not store.document("things/a").get().exists
    assert store.document("things/exists").get().to_dict() == {"v": 0}

    ok = store.batch()
    ok.set(store.document("things/a"), {"v": 1, "t": SERVER_TIMESTAMP})
    ok.update(store.document("things/a"), {"w": 2, "t2": SERVER_TIMESTAMP})
    ok.delete(store.document("things/exists"))
    assert len(ok) == 3
    ok.commit()
    a = store.document("things/a").get()
    assert a.get("v") == 1 and a.get("w") == 2 and a.get("t") == a.get("t2")
    assert not store.document("things/exists").get().exists


def test_batch_limit(store: DocumentStore) -> None:
    batch = store.batch()
    for i in range(500):
        batch.set(store.document(f"many/d{i}"), {"i": i})
    with pytest.raises(InvalidQuery):
        batch.set(store.document("many/over"), {})
    batch.commit()
    assert store.collection("many").count() == 500


# --------------------------------------------------------------------------- transactions


def test_transaction_reads_then_writes(store: DocumentStore) -> None:
    store.document("acct/a").set({"bal": 10})
    store.document("acct/b").set({"bal": 0})

    def move(tx: Transaction) -> int:
        a = tx.get(store.document("acct/a"))
        others = tx.query(store.collection("acct").where("bal", "==", 0))
        tx.update(store.document("acct/a"), {"bal": a.get("bal") - 4})
        tx.update(others[0].reference, {"bal": Increment(4)})
        return len(others)

    assert store.run_transaction(move) == 1
    assert store.document("acct/a").get().get("bal") == 6
    assert store.document("acct/b").get().get("bal") == 4

    def read_after_write(tx: Transaction) -> None:
        tx.set(store.document("acct/c"), {"bal": 1})
        tx.get(store.document("acct/a"))

    with pytest.raises(InvalidQuery):
        store.run_transaction(read_after_write)
    assert not store.document("acct/c").get().exists


def test_transaction_error_in_fn_writes_nothing(store: DocumentStore) -> None:
    def boom(tx: Transaction) -> None:
        tx.get(store.document("acct/a"))
        tx.set(store.document("acct/a"), {"bal": 1})
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        store.run_transaction(boom)
    assert not store.document("acct/a").get().exists


def test_conflicting_transaction_is_retried(store: DocumentStore) -> None:
    ref = store.document("counters/c")
    ref.set({"n": 0})
    attempts = []

    def fn(tx: Transaction) -> int:
        attempts.append(1)
        n = int(tx.get(ref).get("n"))
        if len(attempts) == 1:
            ref.update({"n": 100})  # someone else writes between our read and commit
        tx.update(ref, {"n": n + 1})
        return n

    assert store.run_transaction(fn) == 100
    assert len(attempts) == 2 and ref.get().get("n") == 101


def test_query_phantom_is_a_conflict(store: DocumentStore) -> None:
    attempts = []

    def fn(tx: Transaction) -> int:
        attempts.append(1)
        found = tx.query(store.collection("jobs").where("state", "==", "open"))
        if len(attempts) == 1:
            store.document("jobs/new").set({"state": "open"})
        tx.set(store.document("meta/jobs"), {"open": len(found)})
        return len(found)

    assert store.run_transaction(fn) == 1
    assert len(attempts) == 2


def test_transaction_aborts_after_max_attempts(store: DocumentStore) -> None:
    ref = store.document("counters/c")
    ref.set({"n": 0})
    attempts = []

    def always_conflicts(tx: Transaction) -> None:
        attempts.append(1)
        tx.get(ref)
        ref.update({"n": Increment(1)})
        tx.set(store.document("counters/out"), {"done": True})

    with pytest.raises(Aborted):
        store.run_transaction(always_conflicts, max_attempts=3)
    assert len(attempts) == 3
    assert not store.document("counters/out").get().exists


def test_twenty_threads_increment_exactly_once_each(store: DocumentStore) -> None:
    ref = store.document("counters/shared")
    ref.set({"n": 0})
    errors: list[BaseException] = []
    start = threading.Barrier(20)

    def worker() -> None:
        try:
            start.wait()

            def inc(tx: Transaction) -> None:
                n = tx.get(ref).get("n")
                tx.update(ref, {"n": n + 1})

            store.run_transaction(inc, max_attempts=100)
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert ref.get().get("n") == 20


# --------------------------------------------------------------------------- indexes


def test_missing_composite_index_is_refused_then_served(
    store: DocumentStore, indexes_file: Path
) -> None:
    c = store.collection("videos")
    c.document("v1").set({"owner_id": "u1", "created_at": T0})
    c.document("v2").set({"owner_id": "u1", "created_at": T0 + timedelta(1)})
    c.document("v3").set({"owner_id": "u2", "created_at": T0})
    q = c.where("owner_id", "==", "u1").order_by("created_at", DESCENDING)
    with pytest.raises(MissingIndex) as err:
        q.get()
    expected = {
        "collectionGroup": "videos",
        "queryScope": "COLLECTION",
        "fields": [
            {"fieldPath": "owner_id", "order": "ASCENDING"},
            {"fieldPath": "created_at", "order": "DESCENDING"},
        ],
    }
    assert err.value.index == expected
    assert "videos" in str(err.value) and "firestore.indexes.json" in str(err.value)
    assert json.dumps(expected, indent=2) in str(err.value)
    with pytest.raises(MissingIndex):
        q.count()
    add_index(indexes_file, ("owner_id", "ASCENDING"), ("created_at", "DESCENDING"), group="videos")
    assert ids(q.get()) == ["v2", "v1"]
    assert q.count() == 2


def test_queries_served_by_single_field_indexes(store: DocumentStore) -> None:
    c = store.collection("videos")
    c.document("v1").set({"a": 1, "b": 2, "tags": ["x"]})
    assert ids(c.where("a", ">", 0).order_by("a", DESCENDING).get()) == ["v1"]
    assert ids(
        c.where("a", "==", 1).where("b", "==", 2).where("tags", "array-contains", "x").get()
    ) == ["v1"]
    assert ids(c.order_by("b", DESCENDING).get()) == ["v1"]
    assert c.sum("a") == 1


def test_collection_group_needs_group_scope_index(store: DocumentStore, indexes_file: Path) -> None:
    store.document("users/u1/posts/p1").set({"n": 1})
    q = store.collection_group("posts").where("n", "==", 1)
    with pytest.raises(MissingIndex) as err:
        q.get()
    assert "COLLECTION_GROUP" in str(err.value) and "fieldOverrides" in str(err.value)
    assert err.value.index["fieldPath"] == "n"
    config = json.loads(indexes_file.read_text())
    config["fieldOverrides"].append(err.value.index)
    indexes_file.write_text(json.dumps(config))
    assert ids(q.get()) == ["p1"]
    q2 = store.collection_group("posts").where("n", "==", 1).order_by("t")
    with pytest.raises(MissingIndex) as err2:
        q2.get()
    assert err2.value.index["queryScope"] == "COLLECTION_GROUP"


def test_nested_fields_timestamps_and_bytes_in_queries(store: DocumentStore) -> None:
    c = store.collection("jobs")
    for i in range(4):
        c.document(f"j{i}").set(
            {
                "steps": {"script": {"status": "done" if i % 2 else "pending"}},
                "at": T0 + timedelta(minutes=i),
                "key": bytes([i]),
            }
        )
    assert ids(c.where("steps.script.status", "==", "done").get()) == ["j1", "j3"]
    assert ids(c.where("at", ">=", T0 + timedelta(minutes=2)).get()) == ["j2", "j3"]
    assert ids(c.where("at", "<", "a string").get()) == []  # range filters stay within a type
    assert ids(c.where("key", "==", b"\x02").get()) == ["j2"]
    assert ids(c.order_by("at", DESCENDING).start_after([T0 + timedelta(minutes=2)]).get()) == [
        "j1",
        "j0",
    ]


def test_cursor_on_implicit_inequality_order(store: DocumentStore) -> None:
    for i, n in enumerate([3, 1, 2, 1, 5]):
        store.document(f"nums/d{i}").set({"n": n})
    q = store.collection("nums").where("n", ">", 1)
    first = q.limit(2).get()
    assert ids(first) == ["d2", "d0"]  # ordered by n, implicitly
    assert ids(q.start_after(first[-1]).get()) == ["d4"]
