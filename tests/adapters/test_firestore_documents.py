"""Firestore adapter with the real google-cloud-firestore client against
@firestore-emulator/server (started by the test session on 127.0.0.1).

The port contract suite (tests/contract/test_documents_contract.py) runs
against this adapter too; these tests pin the translation details. What the
npm emulator does not implement is marked xfail(strict=True) with the reason,
so the day it starts working the marker has to go.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from google.api_core import exceptions as gexc

from synthora.adapters.firestore_documents import (
    FirestoreDocumentStore,
    _translate,
    create_adapter,
    from_firestore,
    to_firestore,
)
from synthora.platform import Platform
from synthora.ports.documents import (
    DELETE_FIELD,
    DESCENDING,
    SERVER_TIMESTAMP,
    AlreadyExists,
    ArrayRemove,
    ArrayUnion,
    FailedPrecondition,
    Increment,
    MissingIndex,
    NotFound,
    Transaction,
)
from synthora.settings import Settings
from tests.emulators.fixtures import firestore_emulator  # noqa: F401 - session fixture
from tests.emulators.processes import Emulator

pytestmark = [pytest.mark.emulator, pytest.mark.xdist_group("firestore-emulator")]

CURSORS = "@firestore-emulator/server 0.3.15 ignores start_after/end_before/offset"
GROUPS = "@firestore-emulator/server 0.3.15 returns nothing for collection-group queries"
ISOLATION = "@firestore-emulator/server 0.3.15 does not isolate transactions (lost updates)"
DELETE = "@firestore-emulator/server 0.3.15 ignores DELETE_FIELD"
SET_MERGES = "@firestore-emulator/server 0.3.15 merges a set() without merge instead of replacing"
ATOMIC = "@firestore-emulator/server 0.3.15 applies a failing batch's earlier writes (not atomic)"
AVG_EMPTY = "@firestore-emulator/server 0.3.15 answers NaN, not null, for avg over no documents"
LISTING = "@firestore-emulator/server 0.3.15 lacks ListDocuments/ListCollectionIds"


@pytest.fixture
def store(firestore_emulator: Emulator) -> FirestoreDocumentStore:  # noqa: F811
    """A fresh, empty database: the emulator keeps one per project id."""
    return FirestoreDocumentStore(
        project=f"demo-{uuid.uuid4().hex[:12]}", emulator_host=firestore_emulator.host
    )


def _seed(store: FirestoreDocumentStore) -> None:
    videos = store.collection("videos")
    for i in range(6):
        videos.document(f"v{i}").set(
            {
                "owner": "u1" if i % 2 else "u2",
                "n": i,
                "status": ["draft", "rendering", "done"][i % 3],
                "tags": ["all", f"t{i}"],
            }
        )


def test_crud_and_errors(store: FirestoreDocumentStore) -> None:
    ref = store.collection("users").document("u1")
    assert ref.get().exists is False
    ref.create({"name": "Ada", "profile": {"lang": "en"}, "blob": b"\x00\x01"})
    with pytest.raises(AlreadyExists):
        ref.create({"name": "again"})
    ref.update({"profile.lang": "fr", "plan": "free"})
    snap = ref.get()
    assert snap.data == {
        "name": "Ada",
        "profile": {"lang": "fr"},
        "blob": b"\x00\x01",
        "plan": "free",
    }
    assert snap.create_time is not None and snap.update_time is not None
    ref.set({"profile": {"tz": "UTC"}}, merge=True)
    assert ref.get().get("profile") == {"lang": "fr", "tz": "UTC"}
    with pytest.raises(NotFound):
        store.document("users/missing").update({"a": 1})
    ref.delete()
    assert not ref.get().exists


@pytest.mark.xfail(strict=True, reason=SET_MERGES)
def test_set_without_merge_replaces(store: FirestoreDocumentStore) -> None:
    ref = store.document("users/u1")
    ref.set({"name": "Ada", "plan": "free"})
    ref.set({"only": 1})
    assert ref.get().data == {"only": 1}


def test_values_round_trip(store: FirestoreDocumentStore) -> None:
    when = datetime(2026, 11, 24, 9, 30, 15, 123456, tzinfo=UTC)
    ref = store.document("videos/v1")
    ref.set({"at": when, "nested": {"list": [1, 2.5, "x", None, True]}, "empty": {}})
    data = ref.get().data
    assert data is not None
    assert data["at"] == when and type(data["at"]) is datetime
    assert data["nested"] == {"list": [1, 2.5, "x", None, True]}


def test_sentinels(store: FirestoreDocumentStore) -> None:
    ref = store.document("counters/c")
    before = datetime.now(UTC) - timedelta(seconds=5)
    ref.set({"n": 1, "tags": ["a", "b"], "at": SERVER_TIMESTAMP})
    ref.update({"n": Increment(2), "tags": ArrayUnion(["b", "c"])})
    ref.update({"tags": ArrayRemove(["a"]), "missing": Increment(5)})
    data = ref.get().data
    assert data is not None
    assert data["n"] == 3 and data["tags"] == ["b", "c"] and data["missing"] == 5
    assert data["at"] >= before


@pytest.mark.xfail(strict=True, reason=DELETE)
def test_delete_field(store: FirestoreDocumentStore) -> None:
    ref = store.document("counters/c")
    ref.set({"a": 1, "b": 2})
    ref.update({"b": DELETE_FIELD})
    assert ref.get().data == {"a": 1}


def test_queries_and_aggregations(store: FirestoreDocumentStore) -> None:
    _seed(store)
    videos = store.collection("videos")
    assert [s.id for s in videos.where("owner", "==", "u1").get()] == ["v1", "v3", "v5"]
    assert [s.id for s in videos.order_by("n", DESCENDING).limit(2).get()] == ["v5", "v4"]
    assert [s.id for s in videos.where("status", "in", ["done", "draft"]).order_by("n").get()] == [
        "v0",
        "v2",
        "v3",
        "v5",
    ]
    assert [s.id for s in videos.where("tags", "array-contains", "t4").get()] == ["v4"]
    assert [
        s.id for s in videos.where("tags", "array-contains-any", ["t1", "t2"]).order_by("n").get()
    ] == ["v1", "v2"]
    assert [s.id for s in videos.where("n", ">=", 4).get()] == ["v4", "v5"]
    assert [s.id for s in videos.where("owner", "==", "u2").where("n", ">", 1).get()] == [
        "v2",
        "v4",
    ]
    assert videos.count() == 6
    assert videos.where("owner", "==", "u1").count() == 3
    assert videos.sum("n") == 15
    assert videos.where("owner", "==", "u2").avg("n") == 2.0
    assert videos.where("owner", "==", "nobody").sum("n") == 0
    assert videos.where("owner", "==", "nobody").count() == 0


@pytest.mark.xfail(strict=True, reason=AVG_EMPTY)
def test_avg_of_nothing_is_none(store: FirestoreDocumentStore) -> None:
    assert store.collection("videos").avg("n") is None


@pytest.mark.xfail(strict=True, reason=CURSORS)
def test_start_after_cursor(store: FirestoreDocumentStore) -> None:
    _seed(store)
    page = store.collection("videos").order_by("n").limit(2)
    first = page.get()
    second = page.start_after(first[-1]).get()
    assert [s.id for s in second] == ["v2", "v3"]


@pytest.mark.xfail(strict=True, reason=CURSORS)
def test_offset(store: FirestoreDocumentStore) -> None:
    _seed(store)
    assert [s.id for s in store.collection("videos").order_by("n").offset(4).get()] == ["v4", "v5"]


def test_subcollections(store: FirestoreDocumentStore) -> None:
    user = store.document("users/u1")
    user.set({"name": "Ada"})
    user.collection("integrations").document("openai").set({"category": "script"})
    user.collection("integrations").document("pexels").set({"category": "media"})
    store.document("users/u2/integrations/openai").set({"category": "script"})
    got = user.collection("integrations").where("category", "==", "script").get()
    assert [s.reference.path for s in got] == ["users/u1/integrations/openai"]
    assert user.collection("integrations").count() == 2


@pytest.mark.xfail(strict=True, reason=GROUPS)
def test_collection_group(store: FirestoreDocumentStore) -> None:
    store.document("users/u1/integrations/openai").set({"category": "script"})
    store.document("users/u2/integrations/openai").set({"category": "script"})
    got = store.collection_group("integrations").where("category", "==", "script").get()
    assert sorted(s.reference.path for s in got) == [
        "users/u1/integrations/openai",
        "users/u2/integrations/openai",
    ]


@pytest.mark.xfail(strict=True, reason=LISTING)
def test_list_documents(store: FirestoreDocumentStore) -> None:
    store.document("users/a").set({})
    store.document("users/b").set({})
    assert [r.id for r in store.collection("users").list_documents()] == ["a", "b"]


@pytest.mark.xfail(strict=True, reason=LISTING)
def test_recursive_delete(store: FirestoreDocumentStore) -> None:
    store.document("users/u1").set({"a": 1})
    store.document("users/u1/integrations/x").set({"b": 2})
    assert store.recursive_delete(store.document("users/u1")) == 2
    assert not store.document("users/u1/integrations/x").get().exists


def test_batch_is_atomic(store: FirestoreDocumentStore) -> None:
    store.document("a/1").set({"v": 1})
    batch = store.batch()
    batch.set(store.document("a/2"), {"v": 2})
    batch.update(store.document("a/1"), {"v": Increment(1)})
    batch.delete(store.document("a/3"))
    batch.commit()
    assert store.document("a/1").get().get("v") == 2 and store.document("a/2").get().exists


@pytest.mark.xfail(strict=True, reason=ATOMIC)
def test_failing_batch_writes_nothing(store: FirestoreDocumentStore) -> None:
    store.document("a/1").set({"v": 1})
    failing = store.batch()
    failing.set(store.document("a/4"), {"v": 4})
    failing.create(store.document("a/1"), {"v": 0})  # exists: the whole batch fails
    with pytest.raises(AlreadyExists):
        failing.commit()
    assert not store.document("a/4").get().exists


def test_transaction_reads_then_writes(store: FirestoreDocumentStore) -> None:
    _seed(store)
    counter = store.document("stats/videos")
    counter.set({"done": 0})

    def count_done(tx: Transaction) -> int:
        done = tx.query(store.collection("videos").where("status", "==", "done"))
        current = tx.get(counter)
        tx.update(counter, {"done": current.get("done") + len(done), "at": SERVER_TIMESTAMP})
        tx.set(store.document("stats/log"), {"last": len(done)})
        return len(done)

    assert store.run_transaction(count_done) == 2
    assert counter.get().get("done") == 2 and store.document("stats/log").get().get("last") == 2


def test_transaction_error_discards_writes(store: FirestoreDocumentStore) -> None:
    store.document("a/1").set({"v": 1})

    def broken(tx: Transaction) -> None:
        tx.set(store.document("a/1"), {"v": 99})
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        store.run_transaction(broken)
    assert store.document("a/1").get().get("v") == 1


@pytest.mark.xfail(strict=True, reason=ISOLATION)
def test_concurrent_transactions_do_not_lose_updates(store: FirestoreDocumentStore) -> None:
    ref = store.document("stats/counter")
    ref.set({"n": 0})
    barrier = threading.Barrier(4)

    def bump(tx: Transaction) -> None:
        value = tx.get(ref).get("n")
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=10)  # every transaction has read before any commits
        tx.update(ref, {"n": value + 1})

    threads = [
        threading.Thread(target=store.run_transaction, args=(bump,), kwargs={"max_attempts": 10})
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert ref.get().get("n") == 4


def test_ping_info_and_create_adapter(
    store: FirestoreDocumentStore,
    firestore_emulator: Emulator,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert store.ping() is True
    info = store.info()
    assert info.adapter == "firestore" and info.detail["emulator"] == firestore_emulator.host
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", firestore_emulator.host)
    from synthora.settings import reset_settings_cache

    reset_settings_cache()
    platform = Platform(Settings())
    adapter = create_adapter(platform)
    assert adapter.emulator_host == firestore_emulator.host and adapter.ping()
    adapter.close()


# --------------------------------------------------------------------------- no emulator needed


def test_error_translation() -> None:
    index_error = gexc.FailedPrecondition(
        "The query requires an index. You can create it here: "
        "https://console.firebase.google.com/v1/r/project/p/firestore/indexes?create_composite=abc"
    )
    translated = _translate(index_error, what="query videos")
    assert isinstance(translated, MissingIndex)
    assert translated.index["create_url"].endswith("create_composite=abc")
    other = _translate(gexc.FailedPrecondition("too much contention"), what="commit")
    assert isinstance(other, FailedPrecondition) and not isinstance(other, MissingIndex)
    assert isinstance(_translate(gexc.NotFound("no doc"), what="update"), NotFound)
    assert isinstance(_translate(gexc.Conflict("exists"), what="create"), AlreadyExists)


def test_value_translation() -> None:
    from google.cloud import firestore
    from google.cloud.firestore_v1.transforms import ArrayUnion as NativeUnion
    from google.cloud.firestore_v1.transforms import Increment as NativeIncrement

    out = to_firestore(
        {"at": SERVER_TIMESTAMP, "gone": DELETE_FIELD, "n": Increment(2), "tags": ArrayUnion(["a"])}
    )
    assert out["at"] is firestore.SERVER_TIMESTAMP and out["gone"] is firestore.DELETE_FIELD
    assert isinstance(out["n"], NativeIncrement) and out["n"].value == 2
    assert isinstance(out["tags"], NativeUnion) and out["tags"].values == ["a"]
    assert to_firestore({"t": (1, 2)}) == {"t": [1, 2]}
    assert from_firestore({"a": [{"b": 1}]}) == {"a": [{"b": 1}]}


def test_contention_is_retried_by_firestore_then_aborted(
    store: FirestoreDocumentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The emulator never aborts, so contention is injected at the client's commit RPC:
    Firestore's own @transactional loop re-runs the function; exhausting it is `Aborted`."""
    from google.cloud.firestore_v1 import transaction as native

    from synthora.ports.documents import Aborted

    real_commit = native.Transaction._commit
    commits: list[int] = []
    conflicts = {"left": 2}

    def contended(self: native.Transaction) -> object:
        commits.append(1)
        if conflicts["left"] > 0:
            conflicts["left"] -= 1
            raise gexc.Aborted("too much contention on these documents")
        return real_commit(self)

    monkeypatch.setattr(native.Transaction, "_commit", contended)
    runs: list[int] = []

    def bump(tx: Transaction) -> int:
        runs.append(1)
        current = tx.get(store.document("stats/c")).get("n", 0)
        tx.set(store.document("stats/c"), {"n": current + 1})
        return len(runs)

    assert store.run_transaction(bump, max_attempts=5) == 3
    assert len(commits) == 3 and store.document("stats/c").get().get("n") == 1

    conflicts["left"] = 100
    runs.clear()
    with pytest.raises(Aborted, match="3 attempts"):
        store.run_transaction(bump, max_attempts=3)
    assert len(runs) == 3 and store.document("stats/c").get().get("n") == 1
