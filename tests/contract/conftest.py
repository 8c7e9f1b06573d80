"""Document store contract fixtures: every adapter in the registry runs the same suite."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from synthora.adapters.sqlite_documents import SqliteDocumentStore
from synthora.ports.documents import DocumentStore
from tests.emulators.factories import FIRESTORE_EMULATOR_GAPS, firestore_document_store

# name -> factory(tmp_path, indexes_file) returning a fresh, empty store that checks
# every query against `indexes_file` (the Firestore adapter registers itself here too)
DOCUMENT_STORE_FACTORIES: dict[str, Callable[[Path, Path], DocumentStore]] = {
    "sqlite": lambda tmp, indexes: SqliteDocumentStore(
        path=tmp / "documents.sqlite3", indexes_file=indexes
    ),
    # google-cloud-firestore against the npm emulator (started once per test process)
    "firestore": firestore_document_store,
}
DOCUMENT_STORE_MARKS: dict[str, list[pytest.MarkDecorator]] = {
    "firestore": [pytest.mark.emulator, pytest.mark.xdist_group("firestore-emulator")],
}
# adapter -> {test name or "name[id]": reason}: known emulator gaps, xfail(strict=True)
DOCUMENT_STORE_XFAILS: dict[str, dict[str, str]] = {"firestore": FIRESTORE_EMULATOR_GAPS}

EMPTY_INDEXES: dict[str, list[Any]] = {"indexes": [], "fieldOverrides": []}


@pytest.fixture
def indexes_file(tmp_path: Path) -> Path:
    """A fresh `firestore.indexes.json` the store reads; tests add indexes to it."""
    path = tmp_path / "firestore.indexes.json"
    path.write_text(json.dumps(EMPTY_INDEXES), encoding="utf-8")
    return path


@pytest.fixture(
    params=[
        pytest.param(n, marks=DOCUMENT_STORE_MARKS.get(n, []))
        for n in sorted(DOCUMENT_STORE_FACTORIES)
    ]
)
def store(
    request: pytest.FixtureRequest, tmp_path: Path, indexes_file: Path
) -> Iterator[DocumentStore]:
    """A fresh document store of each registered adapter."""
    gaps = DOCUMENT_STORE_XFAILS.get(request.param, {})
    reason = gaps.get(request.node.name) or gaps.get(request.node.originalname)
    if reason:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    s = DOCUMENT_STORE_FACTORIES[request.param](tmp_path, indexes_file)
    yield s
    s.close()
