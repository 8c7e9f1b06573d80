"""Firestore document store (`google-cloud-firestore`), the production documents adapter.

A thin translation of `synthora.ports.documents` onto the Firestore client:
paths, sentinels (server timestamp, delete field, increment, array union and
remove), where/order/limit/offset/cursor queries, count/sum/avg aggregations,
batched writes and transactions. Transactions run under Firestore's own
`@transactional` retry (optimistic concurrency, `max_attempts`); exhausting it
raises the port's `Aborted`. A query that needs a composite index Firestore
lacks raises `MissingIndex` with the console link Firestore returns.

`FIRESTORE_EMULATOR_HOST` (or `emulator_host=`) talks to an emulator over an
insecure channel with anonymous credentials. Given an `indexes_file`, queries
are also checked against `firestore.indexes.json` before they are sent (the
embedded store's rules, `synthora.ports.indexes`), so a missing composite index
shows up against an emulator too, which enforces none.
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from google.api_core import exceptions as gexc

from synthora.ports.documents import (
    DELETE_FIELD,
    DESCENDING,
    SERVER_TIMESTAMP,
    Aborted,
    AlreadyExists,
    ArrayRemove,
    ArrayUnion,
    DocumentRef,
    DocumentStore,
    DocumentStoreError,
    FailedPrecondition,
    Increment,
    InvalidQuery,
    MissingIndex,
    NotFound,
    Query,
    QuerySpec,
    Snapshot,
    StoreInfo,
    Transaction,
    WriteOp,
    validate_value,
)

if TYPE_CHECKING:
    from synthora.platform import Platform

T = TypeVar("T")

_OPERATORS = {
    "==": "==",
    "!=": "!=",
    "<": "<",
    "<=": "<=",
    ">": ">",
    ">=": ">=",
    "in": "in",
    "not-in": "not-in",
    "array-contains": "array_contains",
    "array-contains-any": "array_contains_any",
}
_INDEX_LINK = re.compile(r"https://console\.firebase\.google\.com\S+")
_PING_DOCUMENT = "_synthora/ping"


# --------------------------------------------------------------------------- values


def to_firestore(value: Any) -> Any:
    """Port values and sentinels -> Firestore client values."""
    from google.cloud import firestore

    if value is SERVER_TIMESTAMP:
        return firestore.SERVER_TIMESTAMP
    if value is DELETE_FIELD:
        return firestore.DELETE_FIELD
    if isinstance(value, Increment):
        return firestore.Increment(value.value)
    if isinstance(value, ArrayUnion):
        return firestore.ArrayUnion([to_firestore(v) for v in value.values])
    if isinstance(value, ArrayRemove):
        return firestore.ArrayRemove([to_firestore(v) for v in value.values])
    if isinstance(value, Mapping):
        return {str(k): to_firestore(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_firestore(v) for v in value]
    return value


def _check_update_paths(data: Mapping[str, Any]) -> None:
    """Firestore refuses an empty update and one path that is a prefix of another."""
    if not data:
        raise ValueError("an update needs at least one field")
    paths = set(data)
    for path in paths:
        parts = path.split(".")
        for i in range(1, len(parts)):
            prefix = ".".join(parts[:i])
            if prefix in paths:
                raise ValueError(f"conflicting field paths in one update: {prefix!r} and {path!r}")


def _check_filter_values(spec: QuerySpec) -> None:
    for f in spec.filters:
        values = f.value if f.op in ("in", "not-in", "array-contains-any") else (f.value,)
        for v in values:
            try:
                validate_value(v, f"filter on {f.field_path!r}", in_array=False)
            except (TypeError, ValueError) as exc:
                raise InvalidQuery(str(exc)) from exc
        if f.op in ("<", "<=", ">", ">=") and (
            f.value is None or (isinstance(f.value, float) and math.isnan(f.value))
        ):
            raise InvalidQuery(f"{f.op!r} cannot compare with null or NaN; use '==' or '!='")


def from_firestore(value: Any) -> Any:
    """Firestore values -> plain port values (datetimes lose the nanosecond subclass)."""
    if isinstance(value, datetime):
        return datetime(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            tzinfo=value.tzinfo,
        )
    if isinstance(value, Mapping):
        return {k: from_firestore(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_firestore(v) for v in value]
    return value


def _translate(exc: gexc.GoogleAPICallError, *, what: str) -> DocumentStoreError:
    message = f"{what}: {exc.message if hasattr(exc, 'message') else exc}"
    if isinstance(exc, gexc.NotFound):
        return NotFound(message)
    if isinstance(exc, gexc.AlreadyExists | gexc.Conflict):
        return AlreadyExists(message)
    if isinstance(exc, gexc.Aborted):
        return Aborted(message)
    if isinstance(exc, gexc.FailedPrecondition):
        link = _INDEX_LINK.search(str(exc))
        if "index" in str(exc).lower():
            return MissingIndex(message, index={"create_url": link.group(0) if link else None})
        return FailedPrecondition(message)
    if isinstance(exc, gexc.InvalidArgument):
        return InvalidQuery(message)
    return DocumentStoreError(message)


# --------------------------------------------------------------------------- transaction


class _FirestoreTransaction(Transaction):
    """Port transaction over one attempt of a Firestore transaction."""

    def __init__(self, store: FirestoreDocumentStore, native: Any) -> None:
        super().__init__()
        self._store = store
        self._native = native

    def _reads_allowed(self) -> None:
        if self._ops:
            raise InvalidQuery("a transaction must do all its reads before its writes")

    def get(self, ref: DocumentRef) -> Snapshot:
        self._reads_allowed()
        doc = self._store.client.document(ref.path)
        try:
            return self._store._snapshot(ref.path, doc.get(transaction=self._native))
        except gexc.GoogleAPICallError as exc:
            raise _translate(exc, what=f"transaction get {ref.path}") from exc

    def query(self, query: Query) -> list[Snapshot]:
        from synthora.ports.documents import validate_query

        self._reads_allowed()
        validate_query(query.spec)
        native = self._store._prepare_query(query.spec)
        try:
            docs = native.get(transaction=self._native)
        except gexc.GoogleAPICallError as exc:
            raise _translate(exc, what="transaction query") from exc
        return [self._store._snapshot(d.reference.path, d) for d in docs]


# --------------------------------------------------------------------------- the store


class FirestoreDocumentStore(DocumentStore):
    """`DocumentStore` on Cloud Firestore."""

    adapter_name = "firestore"

    def __init__(
        self,
        *,
        project: str,
        database: str | None = None,
        client: Any = None,
        emulator_host: str | None = None,
        indexes_file: Path | None = None,
    ) -> None:
        """`client` may be injected; otherwise it is created on first use.

        `indexes_file` turns on the client-side index check (emulators, tests).
        """
        self.project = project
        self.database = database
        self.emulator_host = emulator_host
        self.indexes_file = indexes_file
        self._client = client
        self._lock = threading.Lock()
        self._indexes: Any = None
        self._indexes_stamp: tuple[int, int] | None = None

    @property
    def client(self) -> Any:
        if self._client is None:
            from google.cloud import firestore

            with self._lock:
                if self._client is None:
                    if self.emulator_host:
                        from google.auth.credentials import AnonymousCredentials

                        client = firestore.Client(
                            project=self.project,
                            database=self.database,
                            credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
                        )
                        # the client reads FIRESTORE_EMULATOR_HOST at construction; an
                        # explicit host (tests, settings) is applied the same way
                        client._emulator_host = self.emulator_host
                        self._client = client
                    else:
                        self._client = firestore.Client(
                            project=self.project, database=self.database
                        )
        return self._client

    # snapshots -------------------------------------------------------------

    def _snapshot(self, path: str, doc: Any) -> Snapshot:
        ref = DocumentRef(self, path)
        if not doc.exists:
            return Snapshot(reference=ref, data=None)
        return Snapshot(
            reference=ref,
            data=from_firestore(doc.to_dict() or {}),
            create_time=from_firestore(doc.create_time) if doc.create_time else None,
            update_time=from_firestore(doc.update_time) if doc.update_time else None,
        )

    # primitives ------------------------------------------------------------

    def _get(self, path: str) -> Snapshot:
        try:
            return self._snapshot(path, self.client.document(path).get())
        except gexc.GoogleAPICallError as exc:
            raise _translate(exc, what=f"get {path}") from exc

    def get_all(self, refs: Sequence[DocumentRef]) -> list[Snapshot]:
        """One batched read, in the order asked."""
        if not refs:
            return []
        natives = [self.client.document(r.path) for r in refs]
        try:
            found = {d.reference.path: d for d in self.client.get_all(natives)}
        except gexc.GoogleAPICallError as exc:
            raise _translate(exc, what="get_all") from exc
        return [self._snapshot(r.path, found[r.path]) for r in refs]

    def _apply(self, writer: Any, op: WriteOp) -> None:
        if op.data is not None:
            validate_value(op.data, op.path)
        if op.kind == "update":
            _check_update_paths(op.data or {})
        ref = self.client.document(op.path)
        data = to_firestore(op.data or {})
        if op.kind == "set":
            writer.set(ref, data, merge=op.merge)
        elif op.kind == "update":
            writer.update(ref, data)
        elif op.kind == "create":
            writer.create(ref, data)
        else:
            writer.delete(ref)

    def _commit(self, ops: list[WriteOp]) -> None:
        batch = self.client.batch()
        for op in ops:
            self._apply(batch, op)
        try:
            batch.commit()
        except gexc.GoogleAPICallError as exc:
            raise _translate(exc, what="commit") from exc

    def _check_index(self, spec: QuerySpec, aggregate_field: str | None = None) -> None:
        if self.indexes_file is None:
            return
        from synthora.ports.indexes import check_query, load_indexes

        st = os.stat(self.indexes_file)
        stamp = (st.st_mtime_ns, st.st_size)
        with self._lock:
            if stamp != self._indexes_stamp:
                self._indexes = load_indexes(self.indexes_file)
                self._indexes_stamp = stamp
            indexes = self._indexes
        check_query(spec, indexes, aggregate_field=aggregate_field)

    def _prepare_query(self, spec: QuerySpec, aggregate_field: str | None = None) -> Any:
        """Validate values and indexes, then build the client query."""
        _check_filter_values(spec)
        self._check_index(spec, aggregate_field)
        return self._native_query(spec)

    def _native_query(self, spec: QuerySpec) -> Any:
        from google.cloud import firestore
        from google.cloud.firestore_v1.base_query import FieldFilter

        if spec.all_descendants:
            query: Any = self.client.collection_group(spec.collection_id)
        else:
            query = self.client.collection(spec.collection_path)
        for f in spec.filters:
            value = list(f.value) if isinstance(f.value, tuple) else f.value
            query = query.where(
                filter=FieldFilter(f.field_path, _OPERATORS[f.op], to_firestore(value))
            )
        for order in spec.orders:
            direction = (
                firestore.Query.DESCENDING
                if order.direction == DESCENDING
                else firestore.Query.ASCENDING
            )
            query = query.order_by(order.field_path, direction=direction)
        if spec.start_after is not None:
            cursor = [to_firestore(v) for v in spec.start_after]
            if len(cursor) > len(spec.orders) and spec.all_descendants:
                # across a collection group the document is named by its full path
                name = str(cursor[-1])
                if name.count("/") % 2 != 1:
                    raise InvalidQuery("a collection-group cursor needs a full document path")
                cursor[-1] = self.client.document(name)
            query = query.start_after(cursor)
        if spec.offset:
            query = query.offset(spec.offset)
        if spec.limit is not None:
            query = query.limit(spec.limit)
        return query

    def _run_query(self, spec: QuerySpec) -> list[Snapshot]:
        query = self._prepare_query(spec)
        try:
            return [self._snapshot(d.reference.path, d) for d in query.stream()]
        except gexc.GoogleAPICallError as exc:
            raise _translate(exc, what=f"query {spec.collection_path}") from exc

    def _aggregate(
        self, spec: QuerySpec, kind: Literal["count", "sum", "avg"], field_path: str | None
    ) -> int | float | None:
        query = self._prepare_query(spec, field_path if kind != "count" else None)
        if kind == "count":
            aggregation = query.count(alias="result")
        elif kind == "sum":
            aggregation = query.sum(field_path, alias="result")
        else:
            aggregation = query.avg(field_path, alias="result")
        try:
            results = aggregation.get()
        except gexc.GoogleAPICallError as exc:
            raise _translate(exc, what=f"{kind} {spec.collection_path}") from exc
        value = results[0][0].value if results and results[0] else None
        if kind == "count":
            return int(value or 0)
        if kind == "sum":
            return 0 if value is None else value
        return None if value is None else float(value)

    def _list_documents(self, collection_path: str) -> list[str]:
        try:
            refs = list(self.client.collection(collection_path).list_documents())
        except gexc.GoogleAPICallError as exc:
            raise _translate(exc, what=f"list {collection_path}") from exc
        return sorted(ref.path for ref in refs)

    def _recursive_delete(self, path: str) -> int:
        parts = path.split("/")
        ref = self.client.collection(path) if len(parts) % 2 == 1 else self.client.document(path)
        try:
            return int(self.client.recursive_delete(ref))
        except gexc.GoogleAPICallError as exc:
            raise _translate(exc, what=f"recursive delete {path}") from exc

    # transactions ----------------------------------------------------------

    def run_transaction(self, fn: Callable[[Transaction], T], *, max_attempts: int = 5) -> T:
        """Run `fn` under Firestore's transactional retry (reads, then buffered writes)."""
        from google.cloud import firestore

        def attempt(native: Any) -> T:
            tx = _FirestoreTransaction(self, native)
            result = fn(tx)
            for op in tx.writes:
                self._apply(native, op)
            return result

        transaction = self.client.transaction(max_attempts=max_attempts)
        try:
            return firestore.transactional(attempt)(transaction)  # type: ignore[no-any-return]
        except ValueError as exc:
            # google-cloud-firestore: "Failed to commit transaction in N attempts."
            if "attempts" in str(exc):
                raise Aborted(str(exc)) from exc
            raise
        except gexc.GoogleAPICallError as exc:
            raise _translate(exc, what="transaction") from exc

    # health ----------------------------------------------------------------

    def ping(self) -> bool:
        try:
            self.client.document(_PING_DOCUMENT).get()
        except gexc.GoogleAPICallError:
            return False
        return True

    def info(self) -> StoreInfo:
        detail: dict[str, Any] = {"project": self.project, "database": self.database or "(default)"}
        if self.emulator_host:
            detail["emulator"] = self.emulator_host
        return StoreInfo(adapter=self.adapter_name, detail=detail)

    def close(self) -> None:
        client = self._client
        if client is not None:
            client.close()


def create_adapter(platform: Platform) -> FirestoreDocumentStore:
    """The platform's document store: the project's default database (or the emulator).

    Against an emulator, queries are also checked against `firestore.indexes.json`
    (production Firestore enforces its indexes itself).
    """
    settings = platform.settings
    emulator = settings.firestore_emulator_host
    return FirestoreDocumentStore(
        project=settings.project_id,
        emulator_host=emulator,
        indexes_file=settings.indexes_file if emulator else None,
    )
