"""Document store port: the subset of Firestore that Synthora uses.

The shape follows `google-cloud-firestore` closely so the Firestore adapter is
a thin translation and the embedded SQLite adapter is a faithful stand-in:

    store.collection("videos").document(vid).set({...})
    store.collection("videos").where("owner_id", "==", uid) \
        .order_by("created_at", DESCENDING).limit(20).start_after([ts, doc_id]).get()
    store.run_transaction(lambda tx: ...)

Adapters implement the small set of primitives on `DocumentStore` marked
abstract; references, queries, batches and transactions are shared here.
Values are JSON-like (None, bool, int, float, str, list, dict) plus timezone-aware
`datetime` and `bytes`. Field paths use dots for nested maps (`"steps.script.status"`).
"""

from __future__ import annotations

import secrets
import string
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeVar

T = TypeVar("T")

ASCENDING: Literal["ASCENDING"] = "ASCENDING"
DESCENDING: Literal["DESCENDING"] = "DESCENDING"
Direction = Literal["ASCENDING", "DESCENDING"]

Operator = Literal[
    "==", "!=", "<", "<=", ">", ">=", "in", "not-in", "array-contains", "array-contains-any"
]
OPERATORS: frozenset[str] = frozenset(
    ["==", "!=", "<", "<=", ">", ">=", "in", "not-in", "array-contains", "array-contains-any"]
)
EQUALITY_OPERATORS: frozenset[str] = frozenset(["==", "in", "array-contains", "array-contains-any"])
INEQUALITY_OPERATORS: frozenset[str] = frozenset(["!=", "<", "<=", ">", ">=", "not-in"])
ARRAY_OPERATORS: frozenset[str] = frozenset(["array-contains", "array-contains-any"])
MAX_DISJUNCTION = 30  # Firestore's limit on `in` / `not-in` / `array-contains-any` values


# --------------------------------------------------------------------------- errors


class DocumentStoreError(Exception):
    """Base class of every document store error."""


class NotFound(DocumentStoreError):
    """The document does not exist (update on a missing document)."""


class AlreadyExists(DocumentStoreError):
    """`create` on a document that exists."""


class FailedPrecondition(DocumentStoreError):
    """The store refuses the operation as asked (e.g. a missing composite index)."""


class MissingIndex(FailedPrecondition):
    """A query needs a composite index that `firestore.indexes.json` lacks."""

    def __init__(self, message: str, *, index: dict[str, Any]) -> None:
        super().__init__(message)
        self.index = index


class InvalidQuery(DocumentStoreError):
    """A query Firestore would reject as malformed."""


class Aborted(DocumentStoreError):
    """A transaction kept conflicting and ran out of attempts."""


# --------------------------------------------------------------------------- sentinels


class _ServerTimestamp:
    _instance: _ServerTimestamp | None = None

    def __new__(cls) -> _ServerTimestamp:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SERVER_TIMESTAMP"


class _DeleteField:
    _instance: _DeleteField | None = None

    def __new__(cls) -> _DeleteField:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "DELETE_FIELD"


SERVER_TIMESTAMP = _ServerTimestamp()
DELETE_FIELD = _DeleteField()


@dataclass(frozen=True)
class Increment:
    """Add `value` to the field (a missing or non-numeric field counts as 0)."""

    value: int | float


@dataclass(frozen=True)
class ArrayUnion:
    """Append each value not already present."""

    values: tuple[Any, ...]

    def __init__(self, values: Sequence[Any]) -> None:
        object.__setattr__(self, "values", tuple(values))


@dataclass(frozen=True)
class ArrayRemove:
    """Remove every occurrence of each value."""

    values: tuple[Any, ...]

    def __init__(self, values: Sequence[Any]) -> None:
        object.__setattr__(self, "values", tuple(values))


# --------------------------------------------------------------------------- paths


_ID_ALPHABET = string.ascii_letters + string.digits


# --------------------------------------------------------------------------- values

#: Firestore's integer range.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def is_reserved_key(key: str) -> bool:
    """Firestore reserves field names of the `__name__` form."""
    return len(key) >= 4 and key.startswith("__") and key.endswith("__")


def validate_value(value: Any, where: str = "value", *, in_array: bool = False) -> None:
    """Raise TypeError/ValueError for anything Firestore would not store.

    Every adapter checks written values (and filter values) with this one
    function, before any request, so the embedded store and Firestore refuse
    the same things with the same messages.
    """
    if value is None or isinstance(value, bool | str | bytes | float):
        return
    if isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            raise ValueError(f"{where}: integer {value} does not fit in 64 bits")
        return
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                f"{where}: naive datetime {value.isoformat()} refused; "
                "pass a timezone-aware datetime (e.g. datetime.now(UTC))"
            )
        return
    if isinstance(value, list | tuple):
        if in_array:
            raise ValueError(f"{where}: Firestore does not store an array directly inside an array")
        for i, item in enumerate(value):
            validate_value(item, f"{where}[{i}]", in_array=True)
        return
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError(f"{where}: map keys must be strings, not {type(k).__name__}")
            if not k:
                raise ValueError(f"{where}: empty field name")
            if is_reserved_key(k):
                raise ValueError(f"{where}: field name {k!r} is reserved (__name__ form)")
            validate_value(v, f"{where}.{k}")
        return
    if (
        value is SERVER_TIMESTAMP
        or value is DELETE_FIELD
        or isinstance(value, Increment | ArrayUnion | ArrayRemove)
    ):
        if in_array:
            raise ValueError(f"{where}: {value!r} cannot be used inside an array")
        if isinstance(value, Increment) and (
            not isinstance(value.value, int | float) or isinstance(value.value, bool)
        ):
            raise TypeError(f"{where}: Increment takes an int or float, not {value.value!r}")
        if isinstance(value, ArrayUnion | ArrayRemove):
            for i, item in enumerate(value.values):
                validate_value(item, f"{where}[{i}]", in_array=True)
        return
    raise TypeError(f"{where}: unsupported value type {type(value).__name__}")


def auto_id() -> str:
    """A 20-character random id, like Firestore's."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(20))


def is_document_id(value: str, *, max_length: int = 128) -> bool:
    """Whether `value` (say, a segment of a request URL) can name one document.

    Firestore refuses `.`, `..`, `__x__` and slashes; services check ids taken
    from requests with this before they reach the store, and answer 404.
    """
    return (
        0 < len(value) <= max_length
        and "/" not in value
        and value not in (".", "..")
        and not (value.startswith("__") and value.endswith("__"))
    )


def split_path(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    if not parts:
        raise InvalidQuery("empty path")
    for p in parts:
        if p in (".", "..") or (p.startswith("__") and p.endswith("__")):
            raise InvalidQuery(f"invalid path segment {p!r}")
    return parts


# --------------------------------------------------------------------------- snapshots


@dataclass(frozen=True)
class Snapshot:
    """A document as read: `exists` is False for a missing document."""

    reference: DocumentRef
    data: dict[str, Any] | None
    create_time: datetime | None = None
    update_time: datetime | None = None

    @property
    def id(self) -> str:
        return self.reference.id

    @property
    def exists(self) -> bool:
        return self.data is not None

    def to_dict(self) -> dict[str, Any] | None:
        return None if self.data is None else dict(self.data)

    def get(self, field_path: str, default: Any = None) -> Any:
        return get_field(self.data or {}, field_path, default)


def get_field(data: Mapping[str, Any], field_path: str, default: Any = None) -> Any:
    cur: Any = data
    for part in field_path.split("."):
        if not isinstance(cur, Mapping) or part not in cur:
            return default
        cur = cur[part]
    return cur


_MISSING = object()


def has_field(data: Mapping[str, Any], field_path: str) -> bool:
    return get_field(data, field_path, _MISSING) is not _MISSING


# --------------------------------------------------------------------------- writes


@dataclass(frozen=True)
class WriteOp:
    """One write inside a batch or transaction.

    kind: "set" (replace, or merge when `merge`), "update" (document must exist;
    keys are field paths), "create" (must not exist), "delete".
    """

    kind: Literal["set", "update", "create", "delete"]
    path: str
    data: dict[str, Any] | None = None
    merge: bool = False


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class FieldFilter:
    field_path: str
    op: str
    value: Any


@dataclass(frozen=True)
class Order:
    field_path: str
    direction: Direction = ASCENDING


@dataclass(frozen=True)
class QuerySpec:
    """Everything an adapter needs to run a query."""

    parent: str  # path of the parent document ("" for a root collection)
    collection_id: str
    all_descendants: bool = False  # collection-group query
    filters: tuple[FieldFilter, ...] = ()
    orders: tuple[Order, ...] = ()
    limit: int | None = None
    # values for the order_by fields, optionally followed by a document id
    start_after: tuple[Any, ...] | None = None
    offset: int = 0

    @property
    def collection_path(self) -> str:
        return f"{self.parent}/{self.collection_id}" if self.parent else self.collection_id


def validate_query(spec: QuerySpec) -> None:
    """Reject the queries Firestore rejects as malformed."""
    not_in_seen = False
    ne_seen = False
    array_seen = 0
    disjunctions = 0
    for f in spec.filters:
        if f.op not in OPERATORS:
            raise InvalidQuery(f"unsupported operator {f.op!r}; use one of {sorted(OPERATORS)}")
        if f.op in ("in", "not-in", "array-contains-any"):
            if not isinstance(f.value, list | tuple) or not f.value:
                raise InvalidQuery(f"{f.op!r} needs a non-empty list")
            if len(f.value) > MAX_DISJUNCTION:
                raise InvalidQuery(f"{f.op!r} accepts at most {MAX_DISJUNCTION} values")
            disjunctions += 1
        if f.op == "not-in":
            if not_in_seen:
                raise InvalidQuery("a query can have only one 'not-in' filter")
            not_in_seen = True
        if f.op == "!=":
            ne_seen = True
        if f.op in ARRAY_OPERATORS:
            array_seen += 1
    if not_in_seen and ne_seen:
        raise InvalidQuery("'not-in' cannot be combined with '!='")
    if array_seen > 1:
        raise InvalidQuery("a query can have at most one array-contains / array-contains-any")
    if spec.limit is not None and spec.limit < 0:
        raise InvalidQuery("limit must be >= 0")
    if spec.start_after is not None and len(spec.start_after) not in (
        len(spec.orders),
        len(spec.orders) + 1,
    ):
        raise InvalidQuery(
            "start_after takes one value per order_by field, optionally followed by a document id"
        )


class Query:
    """Immutable query builder; every method returns a new query."""

    def __init__(self, store: DocumentStore, spec: QuerySpec) -> None:
        self._store = store
        self.spec = spec

    def _with(self, **changes: Any) -> Query:
        from dataclasses import replace

        return Query(self._store, replace(self.spec, **changes))

    def where(self, field_path: str, op: str, value: Any) -> Query:
        if op not in OPERATORS:
            raise InvalidQuery(f"unsupported operator {op!r}")
        if isinstance(value, list):
            value = tuple(value)
        return self._with(filters=(*self.spec.filters, FieldFilter(field_path, op, value)))

    def order_by(self, field_path: str, direction: Direction = ASCENDING) -> Query:
        if direction not in (ASCENDING, DESCENDING):
            raise InvalidQuery(f"direction must be ASCENDING or DESCENDING, not {direction!r}")
        return self._with(orders=(*self.spec.orders, Order(field_path, direction)))

    def limit(self, count: int) -> Query:
        return self._with(limit=count)

    def offset(self, count: int) -> Query:
        return self._with(offset=count)

    def start_after(self, cursor: Sequence[Any] | Snapshot) -> Query:
        if isinstance(cursor, Snapshot):
            values = [cursor.get(o.field_path) for o in self.spec.orders]
            # a bare id is ambiguous across a collection group: pass the full path there
            name = cursor.reference.path if self.spec.all_descendants else cursor.id
            return self._with(start_after=(*values, name))
        return self._with(start_after=tuple(cursor))

    def get(self) -> list[Snapshot]:
        validate_query(self.spec)
        return self._store._run_query(self.spec)

    def stream(self) -> Iterator[Snapshot]:
        yield from self.get()

    def count(self) -> int:
        validate_query(self.spec)
        return self._store._aggregate(self.spec, "count", None)  # type: ignore[return-value]

    def sum(self, field_path: str) -> int | float:
        validate_query(self.spec)
        return self._store._aggregate(self.spec, "sum", field_path)

    def avg(self, field_path: str) -> float | None:
        validate_query(self.spec)
        result = self._store._aggregate(self.spec, "avg", field_path)
        return None if result is None else float(result)


class CollectionRef(Query):
    def __init__(self, store: DocumentStore, path: str) -> None:
        parts = split_path(path)
        if len(parts) % 2 != 1:
            raise InvalidQuery(f"{path!r} is a document path, not a collection path")
        self.path = "/".join(parts)
        self.id = parts[-1]
        parent = "/".join(parts[:-1])
        super().__init__(store, QuerySpec(parent=parent, collection_id=self.id))

    def document(self, doc_id: str | None = None) -> DocumentRef:
        return DocumentRef(self._store, f"{self.path}/{doc_id or auto_id()}")

    def add(self, data: dict[str, Any]) -> DocumentRef:
        ref = self.document()
        ref.create(data)
        return ref

    def list_documents(self) -> list[DocumentRef]:
        return [DocumentRef(self._store, p) for p in self._store._list_documents(self.path)]


class DocumentRef:
    def __init__(self, store: DocumentStore, path: str) -> None:
        parts = split_path(path)
        if len(parts) % 2 != 0:
            raise InvalidQuery(f"{path!r} is a collection path, not a document path")
        self._store = store
        self.path = "/".join(parts)
        self.id = parts[-1]

    def __repr__(self) -> str:
        return f"DocumentRef({self.path!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DocumentRef) and other.path == self.path

    def __hash__(self) -> int:
        return hash(self.path)

    @property
    def parent(self) -> CollectionRef:
        return CollectionRef(self._store, self.path.rsplit("/", 1)[0])

    def collection(self, collection_id: str) -> CollectionRef:
        return CollectionRef(self._store, f"{self.path}/{collection_id}")

    def get(self) -> Snapshot:
        return self._store._get(self.path)

    def set(self, data: dict[str, Any], *, merge: bool = False) -> None:
        self._store._commit([WriteOp("set", self.path, dict(data), merge)])

    def update(self, data: dict[str, Any]) -> None:
        self._store._commit([WriteOp("update", self.path, dict(data))])

    def create(self, data: dict[str, Any]) -> None:
        self._store._commit([WriteOp("create", self.path, dict(data))])

    def delete(self) -> None:
        self._store._commit([WriteOp("delete", self.path)])


class WriteBatch:
    """Writes applied atomically on `commit` (at most 500, like Firestore)."""

    MAX_WRITES = 500

    def __init__(self, store: DocumentStore) -> None:
        self._store = store
        self._ops: list[WriteOp] = []

    def _add(self, op: WriteOp) -> WriteBatch:
        if len(self._ops) >= self.MAX_WRITES:
            raise InvalidQuery(f"a batch holds at most {self.MAX_WRITES} writes")
        self._ops.append(op)
        return self

    def set(self, ref: DocumentRef, data: dict[str, Any], *, merge: bool = False) -> WriteBatch:
        return self._add(WriteOp("set", ref.path, dict(data), merge))

    def update(self, ref: DocumentRef, data: dict[str, Any]) -> WriteBatch:
        return self._add(WriteOp("update", ref.path, dict(data)))

    def create(self, ref: DocumentRef, data: dict[str, Any]) -> WriteBatch:
        return self._add(WriteOp("create", ref.path, dict(data)))

    def delete(self, ref: DocumentRef) -> WriteBatch:
        return self._add(WriteOp("delete", ref.path))

    def __len__(self) -> int:
        return len(self._ops)

    def commit(self) -> None:
        if self._ops:
            self._store._commit(list(self._ops))
        self._ops = []


class Transaction(ABC):
    """Reads first, then writes; committed atomically if nothing read has changed."""

    def __init__(self) -> None:
        self._ops: list[WriteOp] = []

    @abstractmethod
    def get(self, ref: DocumentRef) -> Snapshot: ...

    @abstractmethod
    def query(self, query: Query) -> list[Snapshot]: ...

    def set(self, ref: DocumentRef, data: dict[str, Any], *, merge: bool = False) -> None:
        self._ops.append(WriteOp("set", ref.path, dict(data), merge))

    def update(self, ref: DocumentRef, data: dict[str, Any]) -> None:
        self._ops.append(WriteOp("update", ref.path, dict(data)))

    def create(self, ref: DocumentRef, data: dict[str, Any]) -> None:
        self._ops.append(WriteOp("create", ref.path, dict(data)))

    def delete(self, ref: DocumentRef) -> None:
        self._ops.append(WriteOp("delete", ref.path))

    @property
    def writes(self) -> list[WriteOp]:
        return list(self._ops)


# --------------------------------------------------------------------------- the port


@dataclass
class StoreInfo:
    adapter: str
    detail: dict[str, Any] = field(default_factory=dict)


class DocumentStore(ABC):
    """The document port. Adapters implement the underscored primitives."""

    adapter_name: str = "abstract"

    # public API ----------------------------------------------------------

    def collection(self, path: str) -> CollectionRef:
        return CollectionRef(self, path)

    def document(self, path: str) -> DocumentRef:
        return DocumentRef(self, path)

    def collection_group(self, collection_id: str) -> Query:
        if "/" in collection_id:
            raise InvalidQuery("a collection group is a collection id, not a path")
        return Query(self, QuerySpec(parent="", collection_id=collection_id, all_descendants=True))

    def batch(self) -> WriteBatch:
        return WriteBatch(self)

    def get_all(self, refs: Sequence[DocumentRef]) -> list[Snapshot]:
        return [self._get(r.path) for r in refs]

    def recursive_delete(self, ref: DocumentRef | CollectionRef) -> int:
        """Delete a document or collection with everything beneath it; returns the count."""
        return self._recursive_delete(ref.path)

    @abstractmethod
    def run_transaction(self, fn: Callable[[Transaction], T], *, max_attempts: int = 5) -> T:
        """Run `fn` in a transaction, retrying it on contention; raise `Aborted` when spent."""

    @abstractmethod
    def ping(self) -> bool:
        """True when the backing store answers."""

    def info(self) -> StoreInfo:
        return StoreInfo(adapter=self.adapter_name)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""

    # primitives ------------------------------------------------------------

    @abstractmethod
    def _get(self, path: str) -> Snapshot: ...

    @abstractmethod
    def _commit(self, ops: list[WriteOp]) -> None: ...

    @abstractmethod
    def _run_query(self, spec: QuerySpec) -> list[Snapshot]: ...

    @abstractmethod
    def _aggregate(
        self, spec: QuerySpec, kind: Literal["count", "sum", "avg"], field_path: str | None
    ) -> int | float | None: ...

    @abstractmethod
    def _list_documents(self, collection_path: str) -> list[str]: ...

    @abstractmethod
    def _recursive_delete(self, path: str) -> int: ...
