"""Embedded document store: Firestore semantics on one SQLite file (stdlib `sqlite3`).

Documents are JSON rows in `doc_documents` (full path, parent collection path,
collection id, data, create/update time in UTC microseconds). The file is shared
with other components (the task queue), so the connection uses WAL and a busy
timeout, one connection per thread. Queries prefilter in SQL by parent path or
collection id (plus cheap equality prefilters) and evaluate Firestore's filter
and ordering rules in Python, which keeps them exact. Commits run inside
`BEGIN IMMEDIATE` and take their time from a monotonic clock row, so every
commit has a distinct update_time: that is what optimistic transactions compare.
"""

from __future__ import annotations

import base64
import copy
import json
import math
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from synthora.adapters.sqlite_writes import write_lock
from synthora.logs import get_logger
from synthora.ports.documents import (
    DELETE_FIELD,
    DESCENDING,
    INEQUALITY_OPERATORS,
    INT64_MAX,
    INT64_MIN,
    SERVER_TIMESTAMP,
    AlreadyExists,
    Direction,
    DocumentRef,
    DocumentStore,
    InvalidQuery,
    NotFound,
    Order,
    Query,
    QuerySpec,
    Snapshot,
    StoreInfo,
    Transaction,
    WriteOp,
    get_field,
    is_reserved_key,
    validate_query,
    validate_value,
)
from synthora.ports.documents import (
    Aborted as AbortedError,
)
from synthora.ports.documents import (
    ArrayRemove as _ArrayRemove,
)
from synthora.ports.documents import (
    ArrayUnion as _ArrayUnion,
)
from synthora.ports.documents import (
    Increment as _Increment,
)
from synthora.ports.indexes import IndexConfig, check_query, load_indexes

if TYPE_CHECKING:
    from synthora.platform import Platform

T = TypeVar("T")
log = get_logger(__name__)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_DOC_BYTES = 1_048_576  # Firestore's document size limit
_MISSING: Any = object()

_SCHEMA = """
CREATE TABLE IF NOT EXISTS doc_documents (
    path TEXT PRIMARY KEY,
    parent TEXT NOT NULL,
    collection_id TEXT NOT NULL,
    data TEXT NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS doc_documents_parent ON doc_documents(parent);
CREATE INDEX IF NOT EXISTS doc_documents_collection_id ON doc_documents(collection_id);
CREATE TABLE IF NOT EXISTS doc_clock (id INTEGER PRIMARY KEY CHECK (id = 1), last INTEGER NOT NULL);
"""


# --------------------------------------------------------------------------- values


def _to_micros(dt: datetime) -> int:
    delta = dt - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _from_micros(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"__ts__": _to_micros(value.astimezone(UTC))}
    if isinstance(value, bytes):
        return {"__bytes__": base64.b64encode(value).decode("ascii")}
    if isinstance(value, float) and not math.isfinite(value):
        # SQLite's JSON functions reject NaN/Infinity tokens; tag them.
        return {"__float__": repr(value)}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _object_hook(obj: dict[str, Any]) -> Any:
    # json calls this bottom-up for every object: cheaper than walking the tree again
    if len(obj) == 1:
        if "__ts__" in obj:
            return _from_micros(obj["__ts__"])
        if "__bytes__" in obj:
            return base64.b64decode(obj["__bytes__"])
        if "__float__" in obj:
            return float(obj["__float__"])
    return obj


def _loads(raw: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(raw, object_hook=_object_hook)
    return data


def _dumps(data: Mapping[str, Any]) -> str:
    return json.dumps(_encode(data), separators=(",", ":"), ensure_ascii=False, allow_nan=False)


# --------------------------------------------------------------------------- ordering


def sort_key(value: Any) -> tuple[Any, ...]:
    """Firestore's cross-type order: null < bool < number < timestamp < string < bytes
    < array < map; ints and floats compare numerically, NaN below every number."""
    if value is None:
        return (0,)
    if isinstance(value, bool):
        return (1, value)
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return (2, 0, 0)
        return (2, 1, value)
    if isinstance(value, datetime):
        return (3, value)
    if isinstance(value, str):
        return (4, value)  # code-point order equals Firestore's UTF-8 byte order
    if isinstance(value, bytes):
        return (5, value)
    if isinstance(value, list | tuple):
        return (8, tuple(sort_key(v) for v in value))
    if isinstance(value, Mapping):
        return (9, tuple((k, sort_key(value[k])) for k in sorted(value)))
    raise TypeError(f"cannot order a value of type {type(value).__name__}")


def fs_equal(a: Any, b: Any) -> bool:
    """Firestore value equality (1 == 1.0, but True != 1)."""
    return sort_key(a) == sort_key(b)


def _path_key(path: str) -> tuple[str, ...]:
    return tuple(path.split("/"))


def _effective_orders(spec: QuerySpec) -> list[Order]:
    orders = list(spec.orders)
    explicit = {o.field_path for o in orders}
    for path in sorted({f.field_path for f in spec.filters if f.op in INEQUALITY_OPERATORS}):
        if path not in explicit:
            orders.append(Order(path))
    return orders


# --------------------------------------------------------------------------- filters


def _matches(values: Mapping[str, Any], spec: QuerySpec, orders: list[Order]) -> bool:
    """`values` maps each field path the query uses to its value (or _MISSING)."""
    for o in orders:
        if values[o.field_path] is _MISSING:
            return False
    for f in spec.filters:
        v = values[f.field_path]
        if v is _MISSING:
            return False
        op = f.op
        if op == "==":
            if not fs_equal(v, f.value):
                return False
        elif op == "!=":
            if v is None or fs_equal(v, f.value):
                return False
        elif op in ("<", "<=", ">", ">="):
            kv, kf = sort_key(v), sort_key(f.value)
            if kv[0] != kf[0]:  # range filters only match values of the same type
                return False
            if not (
                (op == "<" and kv < kf)
                or (op == "<=" and kv <= kf)
                or (op == ">" and kv > kf)
                or (op == ">=" and kv >= kf)
            ):
                return False
        elif op == "in":
            if not any(fs_equal(v, c) for c in f.value):
                return False
        elif op == "not-in":
            if v is None or any(fs_equal(v, c) for c in f.value):
                return False
        elif op == "array-contains":
            if not isinstance(v, list) or not any(fs_equal(x, f.value) for x in v):
                return False
        elif op == "array-contains-any" and (
            not isinstance(v, list) or not any(fs_equal(x, c) for x in v for c in f.value)
        ):
            return False
    return True


def _check_filter_values(spec: QuerySpec) -> None:
    for f in spec.filters:
        values = f.value if f.op in ("in", "not-in", "array-contains-any") else (f.value,)
        for v in values:
            try:
                validate_value(v, f"filter on {f.field_path!r}")
            except (TypeError, ValueError) as exc:
                raise InvalidQuery(str(exc)) from exc
        if f.op in ("<", "<=", ">", ">=") and (
            f.value is None or (isinstance(f.value, float) and math.isnan(f.value))
        ):
            raise InvalidQuery(f"{f.op!r} cannot compare with null or NaN; use '==' or '!='")


# --------------------------------------------------------------------------- writes


def _split_field_path(path: str) -> list[str]:
    parts = path.split(".")
    if not path or any(not p for p in parts):
        raise ValueError(f"invalid field path {path!r}")
    return parts


def _resolve(value: Any, current: Any, now: datetime, where: str) -> Any:
    """Apply a sentinel to the current value (MISSING when replaced); copy plain values."""
    if value is SERVER_TIMESTAMP:
        return now
    if isinstance(value, _Increment):
        base = current if isinstance(current, int | float) and not isinstance(current, bool) else 0
        return base + value.value
    if isinstance(value, _ArrayUnion):
        out = list(current) if isinstance(current, list) else []
        for v in value.values:
            if not any(fs_equal(v, x) for x in out):
                out.append(v)
        return out
    if isinstance(value, _ArrayRemove):
        kept = list(current) if isinstance(current, list) else []
        return [x for x in kept if not any(fs_equal(x, v) for v in value.values)]
    if value is DELETE_FIELD:
        raise ValueError(f"{where}: DELETE_FIELD nested inside a map value is not allowed")
    if isinstance(value, Mapping):
        return {k: _resolve(v, _MISSING, now, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return list(value)
    return value


def _set_path(doc: dict[str, Any], parts: list[str], value: Any) -> None:
    cur = doc
    for p in parts[:-1]:
        nxt = cur.get(p)
        if not isinstance(nxt, dict):
            nxt = {}
            cur[p] = nxt
        cur = nxt
    cur[parts[-1]] = value


def _delete_path(doc: dict[str, Any], parts: list[str]) -> None:
    cur: Any = doc
    for p in parts[:-1]:
        cur = cur.get(p) if isinstance(cur, dict) else None
        if not isinstance(cur, dict):
            return
    cur.pop(parts[-1], None)


def _get_path(doc: Mapping[str, Any], parts: list[str]) -> Any:
    cur: Any = doc
    for p in parts:
        if not isinstance(cur, Mapping) or p not in cur:
            return _MISSING
        cur = cur[p]
    return cur


def _leaves(data: Mapping[str, Any], prefix: list[str]) -> Iterator[tuple[list[str], Any]]:
    for k, v in data.items():
        if isinstance(v, Mapping) and v:
            yield from _leaves(v, [*prefix, k])
        else:
            yield [*prefix, k], v


def _check_op(op: WriteOp) -> None:
    if op.kind == "delete":
        return
    data = op.data or {}
    if not isinstance(data, Mapping):
        raise TypeError(f"{op.path}: document data must be a dict")
    if op.kind == "update":
        if not data:
            raise ValueError(f"{op.path}: update needs at least one field")
        paths = []
        for key, v in data.items():
            if not isinstance(key, str):
                raise TypeError(f"{op.path}: field paths must be strings")
            parts = _split_field_path(key)
            for p in parts:
                if is_reserved_key(p):
                    raise ValueError(f"{op.path}: field name {p!r} is reserved")
            paths.append(parts)
            validate_value(v, f"{op.path}:{key}")
            if isinstance(v, Mapping):
                _no_nested_delete(v, f"{op.path}:{key}")
        for a in paths:
            for b in paths:
                if a is not b and len(a) < len(b) and b[: len(a)] == a:
                    raise ValueError(
                        f"{op.path}: field paths {'.'.join(a)!r} and {'.'.join(b)!r} conflict"
                    )
        return
    validate_value(data, op.path)
    if not op.merge:
        for _, v in _leaves(data, []):
            if v is DELETE_FIELD:
                raise ValueError(f"{op.path}: DELETE_FIELD is only valid in update or merge")


def _plain(value: Any) -> bool:
    """No sentinel (server timestamp, transform, delete) anywhere in the value."""
    if value is SERVER_TIMESTAMP or value is DELETE_FIELD:
        return False
    if isinstance(value, _Increment | _ArrayUnion | _ArrayRemove):
        return False
    if isinstance(value, Mapping):
        return all(_plain(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    return True


def _no_nested_delete(value: Mapping[str, Any], where: str) -> None:
    for k, v in value.items():
        if v is DELETE_FIELD:
            raise ValueError(f"{where}.{k}: DELETE_FIELD nested inside a map value is not allowed")
        if isinstance(v, Mapping):
            _no_nested_delete(v, f"{where}.{k}")


def _apply(op: WriteOp, current: dict[str, Any] | None, now: datetime) -> dict[str, Any] | None:
    """The document after `op` (None = deleted); raises NotFound / AlreadyExists."""
    if op.kind == "delete":
        return None
    data = op.data or {}
    if op.kind == "create" and current is not None:
        raise AlreadyExists(f"document {op.path} already exists")
    if op.kind == "update":
        if current is None:
            raise NotFound(f"document {op.path} does not exist")
        doc = copy.deepcopy(current)
        for key, v in data.items():
            parts = _split_field_path(key)
            if v is DELETE_FIELD:
                _delete_path(doc, parts)
            else:
                _set_path(doc, parts, _resolve(v, _get_path(doc, parts), now, key))
        return doc
    if op.kind == "set" and op.merge:
        doc = copy.deepcopy(current or {})
        for parts, v in _leaves(data, []):
            if v is DELETE_FIELD:
                _delete_path(doc, parts)
            else:
                _set_path(doc, parts, _resolve(v, _get_path(doc, parts), now, ".".join(parts)))
        return doc
    return {k: _resolve(v, _MISSING, now, k) for k, v in data.items()}


# --------------------------------------------------------------------------- the adapter


_Row = tuple[str, dict[str, Any], str, int, int]  # path, field values, raw data, ct, ut


def _json_path_safe(field_path: str) -> bool:
    return not any('"' in p or "\\" in p or is_reserved_key(p) for p in field_path.split("."))


def _json_path(field_path: str) -> str:
    return "$." + ".".join(f'"{p}"' for p in field_path.split("."))


def _extracted(cols: tuple[Any, ...], fields: list[str]) -> dict[str, Any] | None:
    """Field values from json_type/json_extract column pairs; None to parse the row."""
    out: dict[str, Any] = {}
    for i, fp in enumerate(fields):
        jtype, value = cols[2 * i], cols[2 * i + 1]
        if jtype is None:
            out[fp] = _MISSING
        elif jtype == "null":
            out[fp] = None
        elif jtype == "true":
            out[fp] = True
        elif jtype == "false":
            out[fp] = False
        elif jtype in ("integer", "text"):
            out[fp] = value
        elif jtype in ("object", "array"):
            out[fp] = json.loads(value, object_hook=_object_hook)
        else:
            # 'real': SQLite's own float parsing may differ from Python's in the last
            # bit, so read such rows the exact way
            return None
    return out


class _Conflict(Exception):
    pass


class SqliteTransaction(Transaction):
    """Records what it reads; the store verifies those reads at commit."""

    def __init__(self, store: SqliteDocumentStore) -> None:
        super().__init__()
        self._store = store
        self.read_docs: dict[str, int | None] = {}
        self.read_queries: list[tuple[QuerySpec, list[tuple[str, int]]]] = []

    def _reads_allowed(self) -> None:
        if self._ops:
            raise InvalidQuery("a transaction must do all its reads before its writes")

    def get(self, ref: DocumentRef) -> Snapshot:
        """Read a document, remembering its version."""
        self._reads_allowed()
        snap = self._store._get(ref.path)
        self.read_docs[ref.path] = (
            None if snap.update_time is None else _to_micros(snap.update_time)
        )
        return snap

    def query(self, query: Query) -> list[Snapshot]:
        """Run a query, remembering the versions of what it returned."""
        self._reads_allowed()
        validate_query(query.spec)
        snaps = self._store._run_query(query.spec)
        self.read_queries.append((query.spec, _versions(snaps)))
        return snaps


def _versions(snaps: list[Snapshot]) -> list[tuple[str, int]]:
    return [(s.reference.path, _to_micros(s.update_time)) for s in snaps if s.update_time]


class SqliteDocumentStore(DocumentStore):
    """Firestore-compatible document store in one SQLite file."""

    adapter_name = "sqlite"

    def __init__(
        self,
        *,
        path: str | Path,
        indexes_file: str | Path | None = None,
        busy_timeout_ms: int = 30_000,
    ) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._all_conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        self._indexes_file = None if indexes_file is None else Path(indexes_file)
        self._indexes: IndexConfig | None = None
        self._indexes_stamp: tuple[int, int] | None = None
        if self._indexes_file is not None:
            self._load_indexes()
        conn = self._conn()
        conn.executescript(_SCHEMA)

    # connections -----------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # autocommit mode: transactions are opened explicitly with BEGIN IMMEDIATE
            conn = sqlite3.connect(
                self.path,
                timeout=self._busy_timeout_ms / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.execute(f"PRAGMA busy_timeout={int(self._busy_timeout_ms)}")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            with self._conns_lock:
                self._all_conns.append(conn)
        return conn

    def close(self) -> None:
        """Close every connection this store opened."""
        with self._conns_lock:
            conns, self._all_conns = self._all_conns, []
        for c in conns:
            c.close()
        self._local = threading.local()

    @contextmanager
    def _write_tx(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        with write_lock(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _commit_time(self, conn: sqlite3.Connection) -> int:
        # strictly increasing across every writer of the file, so versions never repeat
        now = _to_micros(datetime.now(UTC))
        row = conn.execute("SELECT last FROM doc_clock WHERE id = 1").fetchone()
        t = now if row is None else max(now, int(row[0]) + 1)
        conn.execute(
            "INSERT INTO doc_clock(id, last) VALUES (1, ?) "
            "ON CONFLICT(id) DO UPDATE SET last = excluded.last",
            (t,),
        )
        return t

    # indexes ---------------------------------------------------------------

    def _load_indexes(self) -> None:
        assert self._indexes_file is not None
        try:
            st = os.stat(self._indexes_file)
        except FileNotFoundError as exc:
            raise FileNotFoundError(f"index file {self._indexes_file} does not exist") from exc
        stamp = (st.st_mtime_ns, st.st_size)
        if stamp != self._indexes_stamp:
            self._indexes = load_indexes(self._indexes_file)
            self._indexes_stamp = stamp

    def _check_index(self, spec: QuerySpec, aggregate_field: str | None = None) -> None:
        if self._indexes_file is None:
            return
        self._load_indexes()  # picks up edits to the file without a restart
        assert self._indexes is not None
        check_query(spec, self._indexes, aggregate_field=aggregate_field)

    # reads -----------------------------------------------------------------

    def _snapshot(self, path: str, row: tuple[str, int, int] | None) -> Snapshot:
        ref = DocumentRef(self, path)
        if row is None:
            return Snapshot(ref, None)
        return Snapshot(ref, _loads(row[0]), _from_micros(row[1]), _from_micros(row[2]))

    def _get(self, path: str) -> Snapshot:
        path = DocumentRef(self, path).path
        row = (
            self._conn()
            .execute(
                "SELECT data, create_time, update_time FROM doc_documents WHERE path = ?", (path,)
            )
            .fetchone()
        )
        return self._snapshot(path, row)

    def _candidates(
        self, conn: sqlite3.Connection, spec: QuerySpec, extract: list[str]
    ) -> list[tuple[Any, ...]]:
        cols = "".join(", json_type(data, ?), json_extract(data, ?)" for _ in extract)
        col_args: list[Any] = []
        for fp in extract:
            col_args += [_json_path(fp)] * 2
        if spec.all_descendants:
            if spec.parent:
                sql = (
                    f"SELECT path, data, create_time, update_time{cols} FROM doc_documents "
                    "WHERE collection_id = ? AND path > ? AND path < ?"
                )
                args: list[Any] = [
                    *col_args,
                    spec.collection_id,
                    spec.parent + "/",
                    spec.parent + "0",
                ]
            else:
                sql = (
                    f"SELECT path, data, create_time, update_time{cols} FROM doc_documents "
                    "WHERE collection_id = ?"
                )
                args = [*col_args, spec.collection_id]
        else:
            sql = (
                f"SELECT path, data, create_time, update_time{cols} FROM doc_documents "
                "WHERE parent = ?"
            )
            args = [*col_args, spec.collection_path]
        # Cheap SQL prefilter for string/number equality: a superset of the true
        # matches (SQLite equates 1, 1.0 and true), re-checked exactly in Python.
        for f in spec.filters:
            if not _json_path_safe(f.field_path):
                continue
            jpath = _json_path(f.field_path)
            vals = list(f.value) if f.op == "in" else [f.value] if f.op == "==" else []
            if vals and all(
                isinstance(v, str)
                or (isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v))
                for v in vals
            ):
                sql += f" AND json_extract(data, ?) IN ({','.join('?' * len(vals))})"
                args += [jpath, *vals]
        return conn.execute(sql, args).fetchall()

    def _rows(
        self,
        spec: QuerySpec,
        conn: sqlite3.Connection | None = None,
        extra_field: str | None = None,
    ) -> list[_Row]:
        """Matching rows in query order, after cursor, offset and limit; data still raw."""
        _check_filter_values(spec)
        conn = conn or self._conn()
        orders = _effective_orders(spec)
        fields = list(
            dict.fromkeys(
                [
                    *(f.field_path for f in spec.filters),
                    *(o.field_path for o in orders),
                    *([extra_field] if extra_field else []),
                ]
            )
        )
        # Let SQLite pull out just the fields the query uses, so most rows are never
        # parsed in Python; fall back to parsing when a path cannot be expressed.
        extract = fields if all(_json_path_safe(fp) for fp in fields) else []
        docs: list[_Row] = []
        for row in self._candidates(conn, spec, extract):
            path, raw, ct, ut = row[:4]
            values = _extracted(row[4:], extract) if extract else None
            if values is None:
                data = _loads(raw)
                values = {fp: get_field(data, fp, _MISSING) for fp in fields}
            if _matches(values, spec, orders):
                docs.append((path, values, raw, ct, ut))
        last_dir: Direction = orders[-1].direction if orders else "ASCENDING"
        # stable multi-pass sort: document name last (in the last order's direction)
        docs.sort(key=lambda d: _path_key(d[0]), reverse=last_dir == DESCENDING)
        for o in reversed(orders):
            fp = o.field_path
            docs.sort(
                key=lambda d, fp=fp: sort_key(d[1][fp]),  # type: ignore[misc]
                reverse=o.direction == DESCENDING,
            )
        if spec.start_after is not None:
            docs = self._after_cursor(spec, orders, docs, conn)
        if spec.offset:
            docs = docs[spec.offset :]
        if spec.limit is not None:
            docs = docs[: spec.limit]
        return docs

    def _select(self, spec: QuerySpec, conn: sqlite3.Connection | None = None) -> list[Snapshot]:
        return [
            Snapshot(DocumentRef(self, p), _loads(raw), _from_micros(ct), _from_micros(ut))
            for p, _, raw, ct, ut in self._rows(spec, conn)
        ]

    def _after_cursor(
        self,
        spec: QuerySpec,
        orders: list[Order],
        docs: list[_Row],
        conn: sqlite3.Connection,
    ) -> list[_Row]:
        assert spec.start_after is not None
        values = list(spec.start_after[: len(spec.orders)])
        cursor_path: str | None = None
        if len(spec.start_after) == len(spec.orders) + 1:
            name = spec.start_after[-1]
            if not isinstance(name, str) or not name:
                raise InvalidQuery("the last start_after value must be a document id or path")
            if "/" in name:
                cursor_path = DocumentRef(self, name).path
            elif spec.all_descendants:
                raise InvalidQuery(
                    "a collection-group cursor needs the full document path, not a bare id"
                )
            else:
                cursor_path = f"{spec.collection_path}/{name}"
            if len(orders) > len(spec.orders):
                # implicit inequality orders sit between the given values and the name:
                # take their values from the cursor document itself
                row = conn.execute(
                    "SELECT data FROM doc_documents WHERE path = ?", (cursor_path,)
                ).fetchone()
                if row is None:
                    raise InvalidQuery(f"cursor document {cursor_path} does not exist")
                cdata = _loads(row[0])
                values += [get_field(cdata, o.field_path) for o in orders[len(spec.orders) :]]
        keys = [sort_key(v) for v in values]
        n = len(keys)
        last_desc = (orders[-1].direction if orders else "ASCENDING") == DESCENDING

        def after(d: _Row) -> bool:
            for o, k in zip(orders[:n], keys, strict=True):
                dk = sort_key(d[1][o.field_path])
                if dk != k:
                    return (dk > k) != (o.direction == DESCENDING)
            if cursor_path is None or n < len(orders):
                return False  # equal on the cursor prefix: start_after skips it
            pk, ck = _path_key(d[0]), _path_key(cursor_path)
            return pk != ck and (pk > ck) != last_desc

        return [d for d in docs if after(d)]

    def _run_query(self, spec: QuerySpec) -> list[Snapshot]:
        self._check_index(spec)
        return self._select(spec)

    def _aggregate(
        self, spec: QuerySpec, kind: Literal["count", "sum", "avg"], field_path: str | None
    ) -> int | float | None:
        if kind not in ("count", "sum", "avg"):
            raise InvalidQuery(f"unknown aggregation {kind!r}")
        if kind != "count" and not field_path:
            raise InvalidQuery(f"{kind} needs a field path")
        self._check_index(spec, aggregate_field=None if kind == "count" else field_path)
        rows = self._rows(spec, extra_field=field_path if kind != "count" else None)
        if kind == "count":
            return len(rows)
        assert field_path is not None
        nums = [
            v
            for r in rows
            if isinstance(v := r[1][field_path], int | float) and not isinstance(v, bool)
        ]
        if kind == "avg":
            return sum(nums) / len(nums) if nums else None
        total: int | float = sum(nums)
        if isinstance(total, int) and not INT64_MIN <= total <= INT64_MAX:
            total = float(total)  # Firestore turns an overflowing integer sum into a double
        return total

    def _list_documents(self, collection_path: str) -> list[str]:
        prefix = collection_path + "/"
        rows = (
            self._conn()
            .execute(
                "SELECT path FROM doc_documents WHERE path > ? AND path < ?",
                (prefix, collection_path + "0"),
            )
            .fetchall()
        )
        # like Firestore, a missing document that has subcollections is listed too
        depth = collection_path.count("/") + 2
        out = {"/".join(p.split("/")[:depth]) for (p,) in rows}
        return sorted(out, key=_path_key)

    # writes ----------------------------------------------------------------

    def _prepare(self, ops: list[WriteOp]) -> dict[str, str]:
        """The stored JSON of each document a plain `set` or `create` replaces whole.

        Such a write needs nothing from the stored document or the commit time, so it
        is encoded before the write lock is taken and the lock is held for less.
        """
        counts: dict[str, int] = {}
        for op in ops:
            path = DocumentRef(self, op.path).path
            counts[path] = counts.get(path, 0) + 1
        out: dict[str, str] = {}
        for op in ops:
            path = DocumentRef(self, op.path).path
            plain_kind = op.kind == "create" or (op.kind == "set" and not op.merge)
            if counts[path] == 1 and plain_kind and _plain(op.data or {}):
                raw = _dumps(op.data or {})
                if len(raw.encode()) > _MAX_DOC_BYTES:
                    raise ValueError(f"document {path} exceeds Firestore's 1 MiB limit")
                out[path] = raw
        return out

    def _apply_ops(
        self,
        conn: sqlite3.Connection,
        ops: list[WriteOp],
        prepared: dict[str, str] | None = None,
    ) -> None:
        t = self._commit_time(conn)
        now = _from_micros(t)
        prepared = prepared or {}
        state: dict[str, tuple[dict[str, Any] | None, int | None]] = {}
        for op in ops:
            path = DocumentRef(self, op.path).path
            if path in prepared:
                row = conn.execute(
                    "SELECT create_time FROM doc_documents WHERE path = ?", (path,)
                ).fetchone()
                if op.kind == "create" and row is not None:
                    raise AlreadyExists(f"document {op.path} already exists")
                parts = path.split("/")
                conn.execute(
                    "INSERT INTO doc_documents(path, parent, collection_id, data, create_time, "
                    "update_time) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET "
                    "data = excluded.data, update_time = excluded.update_time",
                    (path, "/".join(parts[:-1]), parts[-2], prepared[path], t, t),
                )
                continue
            if path not in state:
                row = conn.execute(
                    "SELECT data, create_time FROM doc_documents WHERE path = ?", (path,)
                ).fetchone()
                state[path] = (None, None) if row is None else (_loads(row[0]), int(row[1]))
            cur, ct = state[path]
            new = _apply(op, cur, now)
            state[path] = (new, None if new is None else (ct if cur is not None else None))
        for path, (doc, ct) in state.items():
            if doc is None:
                conn.execute("DELETE FROM doc_documents WHERE path = ?", (path,))
                continue
            raw = _dumps(doc)
            if len(raw.encode()) > _MAX_DOC_BYTES:
                raise ValueError(f"document {path} exceeds Firestore's 1 MiB limit")
            parts = path.split("/")
            conn.execute(
                "INSERT INTO doc_documents(path, parent, collection_id, data, create_time, "
                "update_time) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET "
                "data = excluded.data, update_time = excluded.update_time",
                (path, "/".join(parts[:-1]), parts[-2], raw, ct if ct is not None else t, t),
            )

    def _commit(self, ops: list[WriteOp]) -> None:
        for op in ops:
            _check_op(op)
        prepared = self._prepare(ops)
        with self._write_tx() as conn:
            self._apply_ops(conn, ops, prepared)

    def _recursive_delete(self, path: str) -> int:
        parts = [p for p in path.strip("/").split("/") if p]
        norm = "/".join(parts)
        with self._write_tx() as conn:
            if len(parts) % 2 == 0:
                cur = conn.execute(
                    "DELETE FROM doc_documents WHERE path = ? OR (path > ? AND path < ?)",
                    (norm, norm + "/", norm + "0"),
                )
            else:
                cur = conn.execute(
                    "DELETE FROM doc_documents WHERE path > ? AND path < ?",
                    (norm + "/", norm + "0"),
                )
            return int(cur.rowcount)

    # transactions ----------------------------------------------------------

    def _verify(self, conn: sqlite3.Connection, tx: SqliteTransaction) -> None:
        for path, version in tx.read_docs.items():
            row = conn.execute(
                "SELECT update_time FROM doc_documents WHERE path = ?", (path,)
            ).fetchone()
            if (None if row is None else int(row[0])) != version:
                raise _Conflict(path)
        for spec, seen in tx.read_queries:
            now = [(path, ut) for path, _, _, _, ut in self._rows(spec, conn)]
            if now != seen:
                raise _Conflict(spec.collection_path)

    def run_transaction(self, fn: Callable[[Transaction], T], *, max_attempts: int = 5) -> T:
        """Run `fn` optimistically; retry with jittered backoff on conflict."""
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        for attempt in range(1, max_attempts + 1):
            tx = SqliteTransaction(self)
            result = fn(tx)
            for op in tx.writes:
                _check_op(op)
            prepared = self._prepare(tx.writes)
            try:
                with self._write_tx() as conn:
                    self._verify(conn, tx)
                    self._apply_ops(conn, tx.writes, prepared)
                return result
            except _Conflict as conflict:
                log.debug(
                    "transaction conflict",
                    extra={"fields": {"attempt": attempt, "on": str(conflict)}},
                )
                if attempt < max_attempts:
                    time.sleep(random.uniform(0, 0.005 * min(2**attempt, 32)))
        raise AbortedError(f"transaction still conflicting after {max_attempts} attempts")

    # health ----------------------------------------------------------------

    def ping(self) -> bool:
        """True when the SQLite file answers a trivial SELECT."""
        try:
            return bool(self._conn().execute("SELECT 1").fetchone() == (1,))
        except sqlite3.Error:
            return False

    def info(self) -> StoreInfo:
        """Adapter name and the database file."""
        detail: dict[str, Any] = {"path": str(self.path)}
        if self._indexes_file is not None:
            detail["indexes_file"] = str(self._indexes_file)
        return StoreInfo(adapter=self.adapter_name, detail=detail)


def create_adapter(platform: Platform) -> SqliteDocumentStore:
    """The platform's embedded document store (SQLite file from settings)."""
    return SqliteDocumentStore(
        path=platform.settings.sqlite_path, indexes_file=platform.settings.indexes_file
    )
