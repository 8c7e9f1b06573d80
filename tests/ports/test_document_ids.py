"""Which request-supplied ids may name a document."""

from __future__ import annotations

import pytest

from synthora.ports.documents import auto_id, is_document_id


@pytest.mark.parametrize("value", ["abc", "a-b_c.d", "x" * 128, "Oo92EHntBufCG0eBl9gO", "système"])
def test_plain_ids_are_accepted(value: str) -> None:
    assert is_document_id(value)


@pytest.mark.parametrize("value", ["", ".", "..", "a/b", "__name__", "x" * 129])
def test_ids_firestore_refuses_or_too_long_are_not(value: str) -> None:
    assert not is_document_id(value)


def test_the_length_limit_is_the_callers() -> None:
    assert is_document_id("x" * 64, max_length=64)
    assert not is_document_id("x" * 65, max_length=64)


def test_generated_ids_are_accepted() -> None:
    assert all(is_document_id(auto_id()) for _ in range(50))
