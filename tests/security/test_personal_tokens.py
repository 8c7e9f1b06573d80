"""Personal API tokens: format, hashing, and the check of a presented token."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from synthora.errors import Unauthorized
from synthora.platform import Platform
from synthora.security import personal_tokens as pat

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _store(platform: Platform, token: str, **fields: object) -> str:
    doc_id = pat.token_id(token)
    data: dict[str, object] = {
        "owner_uid": "u1",
        "name": "ci",
        "scopes": ["read"],
        "status": "active",
        "created_at": NOW - timedelta(days=1),
        "expires_at": NOW + timedelta(days=29),
        "last_used_at": None,
    }
    data.update(fields)
    platform.documents.collection(pat.COLLECTION).document(doc_id).create(data)
    return doc_id


def _code(exc: pytest.ExceptionInfo[Unauthorized]) -> str:
    return exc.value.code


def test_a_new_token_is_prefixed_random_and_its_id_is_its_sha256() -> None:
    a, b = pat.new_secret(), pat.new_secret()
    assert a != b
    assert a.startswith("syn_pat_") and len(a) == len("syn_pat_") + 43
    assert pat.is_personal_token(a) and not pat.is_personal_token("eyJhbGciOi.x.y")
    assert pat.token_id(a) == hashlib.sha256(a.encode()).hexdigest()
    assert pat.hint(a) == f"syn_pat_…{a[-4:]}"


def test_a_stored_token_verifies_as_its_owner_with_its_scopes(platform: Platform) -> None:
    token = pat.new_secret()
    doc_id = _store(platform, token, scopes=["read", "posts"])
    checked = pat.verify(token, documents=platform.documents, now=NOW)
    assert (checked.id, checked.uid, checked.scopes) == (doc_id, "u1", ("read", "posts"))


@pytest.mark.parametrize(
    "token", ["syn_pat_short", "syn_pat_" + "!" * 43, "syn_pat_" + "a" * 44, "syn_pat_"]
)
def test_a_malformed_token_is_refused_as_invalid(platform: Platform, token: str) -> None:
    with pytest.raises(Unauthorized) as exc:
        pat.verify(token, documents=platform.documents, now=NOW)
    assert _code(exc) == "invalid_token"


def test_a_token_never_issued_is_invalid(platform: Platform) -> None:
    with pytest.raises(Unauthorized) as exc:
        pat.verify(pat.new_secret(), documents=platform.documents, now=NOW)
    assert _code(exc) == "invalid_token"


def test_a_revoked_token_is_refused_as_revoked(platform: Platform) -> None:
    token = pat.new_secret()
    _store(platform, token, status="revoked")
    with pytest.raises(Unauthorized) as exc:
        pat.verify(token, documents=platform.documents, now=NOW)
    assert _code(exc) == "token_revoked"


def test_a_token_is_refused_from_the_instant_it_expires(platform: Platform) -> None:
    token = pat.new_secret()
    _store(platform, token, expires_at=NOW + timedelta(seconds=1))
    pat.verify(token, documents=platform.documents, now=NOW)
    with pytest.raises(Unauthorized) as exc:
        pat.verify(token, documents=platform.documents, now=NOW + timedelta(seconds=1))
    assert _code(exc) == "token_expired"


def test_last_use_is_written_at_most_once_a_minute(platform: Platform) -> None:
    token = pat.new_secret()
    ref = platform.documents.collection(pat.COLLECTION).document(_store(platform, token))
    pat.verify(token, documents=platform.documents, now=NOW)
    assert ref.get().get("last_used_at") == NOW
    later = NOW + timedelta(seconds=pat.LAST_USED_INTERVAL_S - 1)
    pat.verify(token, documents=platform.documents, now=later)
    assert ref.get().get("last_used_at") == NOW  # throttled: not written again
    latest = NOW + timedelta(seconds=pat.LAST_USED_INTERVAL_S)
    pat.verify(token, documents=platform.documents, now=latest)
    assert ref.get().get("last_used_at") == latest
