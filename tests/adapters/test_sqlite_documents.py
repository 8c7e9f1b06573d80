"""SQLite document store: behaviour specific to the embedded adapter."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from synthora.adapters.sqlite_documents import SqliteDocumentStore
from synthora.ports.documents import (
    DESCENDING,
    ArrayUnion,
    Increment,
    InvalidQuery,
    Transaction,
)


@pytest.fixture
def store(tmp_path: Path) -> SqliteDocumentStore:
    return SqliteDocumentStore(path=tmp_path / "db" / "synthora.sqlite3")


def test_data_survives_reopening_the_file(tmp_path: Path) -> None:
    path = tmp_path / "synthora.sqlite3"
    first = SqliteDocumentStore(path=path)
    when = datetime(2026, 5, 6, 7, 8, 9, 654321, tzinfo=UTC)
    first.document("users/u1").set({"at": when, "raw": b"\x00"})
    first.document("users/u1/posts/p1").set({"n": 1})
    created = first.document("users/u1").get().create_time
    first.close()
    again = SqliteDocumentStore(path=path)
    snap = again.document("users/u1").get()
    assert snap.to_dict() == {"at": when, "raw": b"\x00"} and snap.create_time == created
    assert again.collection_group("posts").count() == 1
    assert again.info().adapter == "sqlite" and again.info().detail["path"] == str(path)
    assert again.ping()


def test_uses_wal_and_prefixed_tables_beside_other_components(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE task_queue (id INTEGER PRIMARY KEY)")
    other.commit()
    store = SqliteDocumentStore(path=path)
    store.document("a/b").set({"x": 1})
    tables = {r[0] for r in other.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "task_queue" in tables
    assert {t for t in tables if t != "task_queue"} <= {t for t in tables if t.startswith("doc_")}
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other.close()


def test_naive_datetime_is_refused(store: SqliteDocumentStore) -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        store.document("a/b").set({"at": datetime(2026, 1, 1)})
    with pytest.raises(ValueError, match="naive datetime"):
        store.document("a/b").set({"m": {"at": [datetime(2026, 1, 1)]}})
    with pytest.raises(InvalidQuery, match="naive datetime"):
        store.collection("a").where("at", "==", datetime(2026, 1, 1)).get()
    assert not store.document("a/b").get().exists


def test_other_refusals(store: SqliteDocumentStore) -> None:
    with pytest.raises(ValueError, match="64 bits"):
        store.document("a/b").set({"n": 2**63})
    with pytest.raises(ValueError, match="reserved"):
        store.document("a/b").set({"__ts__": 1})
    with pytest.raises(TypeError, match="Increment"):
        store.document("a/b").set({"n": Increment("1")})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="naive"):
        store.document("a/b").set({"l": ArrayUnion([datetime(2026, 1, 1)])})
    with pytest.raises(ValueError, match="max_attempts"):
        store.run_transaction(lambda tx: None, max_attempts=0)


def test_no_index_checks_without_an_indexes_file(store: SqliteDocumentStore) -> None:
    store.document("v/1").set({"a": 1, "b": 2})
    q = store.collection("v").where("a", "==", 1).order_by("b", DESCENDING)
    assert [s.id for s in q.get()] == ["1"]


def test_missing_indexes_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        SqliteDocumentStore(path=tmp_path / "x.sqlite3", indexes_file=tmp_path / "none.json")


def test_threads_write_and_read_concurrently(store: SqliteDocumentStore) -> None:
    errors: list[BaseException] = []

    def writer(k: int) -> None:
        try:
            for i in range(25):
                store.document(f"t{k}/d{i}").set({"i": i})
                assert store.collection(f"t{k}").count() == i + 1
        except BaseException as exc:  # re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert sum(store.collection(f"t{k}").count() for k in range(8)) == 200


def test_two_store_objects_on_one_file_serialize_transactions(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    a, b = SqliteDocumentStore(path=path), SqliteDocumentStore(path=path)
    a.document("c/n").set({"n": 0})

    def inc(s: SqliteDocumentStore) -> None:
        def fn(tx: Transaction) -> None:
            tx.update(s.document("c/n"), {"n": tx.get(s.document("c/n")).get("n") + 1})

        for _ in range(10):
            s.run_transaction(fn, max_attempts=100)

    threads = [threading.Thread(target=inc, args=(s,)) for s in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert b.document("c/n").get().get("n") == 20


def test_a_large_collection_queries_correctly(store: SqliteDocumentStore) -> None:
    # Speed at this size is measured by bench/bench_documents.py, not asserted here.
    n = 5_000
    for chunk in range(0, n, 500):
        batch = store.batch()
        for i in range(chunk, chunk + 500):
            batch.set(
                store.document(f"videos/v{i:05d}"),
                {"owner_id": f"u{i % 100}", "n": i, "status": "done" if i % 3 else "failed"},
            )
        batch.commit()
    owned = store.collection("videos").where("owner_id", "==", "u7").get()
    page = store.collection("videos").order_by("n", DESCENDING).limit(20).get()
    assert len(owned) == 50 and all(s.get("owner_id") == "u7" for s in owned)
    assert [s.id for s in page] == [f"v{i:05d}" for i in range(n - 1, n - 21, -1)]
    assert store.collection("videos").count() == n
    assert store.collection("videos").where("status", "==", "failed").count() == len(range(0, n, 3))
