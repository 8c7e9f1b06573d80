"""The provider table in docs/providers/README.md is generated from the registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthora.providers import catalogue_doc
from synthora.providers.registry import all_providers

DOC = Path(__file__).resolve().parents[2] / "docs" / "providers" / "README.md"


def test_the_committed_table_matches_the_registry() -> None:
    text = DOC.read_text()
    assert catalogue_doc.render(text) == text, (
        "docs/providers/README.md is stale: run `python -m synthora.providers.catalogue_doc`"
    )


def test_every_provider_has_a_row_saying_what_it_runs() -> None:
    table = catalogue_doc.table()
    for info in all_providers():
        row = next(line for line in table.splitlines() if f"(`{info.id}`)" in line)
        if info.retired is not None:
            assert "retired since" in row
        elif info.status == "key_check_only":
            assert "key check only" in row


def test_a_document_without_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="marker"):
        catalogue_doc.render("# no table here\n")
