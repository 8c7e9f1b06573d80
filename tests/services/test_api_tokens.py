"""The personal API tokens service: created once, stored as a hash, listed, revoked."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from synthora.errors import Conflict, NotFound, Unauthorized
from synthora.platform import Platform
from synthora.security import personal_tokens as pat
from synthora.services import api_tokens as service
from synthora.services.cleanup import TARGETS
from synthora.settings import Settings

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _request(**kw: object) -> service.CreateTokenRequest:
    body = {"name": "nightly batch", "scopes": ["read", "videos:create"], "expires_in_days": 30}
    body.update(kw)
    return service.CreateTokenRequest.model_validate(body)


def test_the_secret_is_returned_once_and_only_its_hash_is_stored(
    platform: Platform, settings: Settings
) -> None:
    made = service.create_token(platform=platform, uid="u1", request=_request(), now=NOW)
    assert made.token.startswith("syn_pat_")
    assert made.id == pat.token_id(made.token)
    assert made.expires_at == NOW + timedelta(days=30)
    assert made.hint.endswith(made.token[-4:])
    stored = platform.documents.collection("api_tokens").document(made.id).get().to_dict()
    assert stored is not None and made.token not in repr(stored)
    # nowhere in the whole store either: not the token, not its random part
    secret_part = made.token.removeprefix("syn_pat_")
    with sqlite3.connect(settings.data_dir / "synthora.sqlite3") as db:
        dump = "\n".join(db.iterdump())
    assert made.id in dump
    assert secret_part not in dump and secret_part[:20] not in dump
    listed = service.list_tokens(platform=platform, uid="u1", now=NOW)
    assert [t.id for t in listed.items] == [made.id]
    assert "token" not in listed.items[0].model_dump()
    assert listed.scopes == pat.SCOPES


def test_a_token_acts_only_for_its_owner_and_only_its_owner_revokes_it(
    platform: Platform,
) -> None:
    made = service.create_token(platform=platform, uid="u1", request=_request(), now=NOW)
    assert service.list_tokens(platform=platform, uid="u2", now=NOW).items == []
    with pytest.raises(NotFound):
        service.revoke_token(platform=platform, uid="u2", token_id=made.id, now=NOW)
    assert pat.verify(made.token, documents=platform.documents, now=NOW).uid == "u1"
    service.revoke_token(platform=platform, uid="u1", token_id=made.id, now=NOW)
    with pytest.raises(Unauthorized) as exc:
        pat.verify(made.token, documents=platform.documents, now=NOW)
    assert exc.value.code == "token_revoked"
    assert service.list_tokens(platform=platform, uid="u1", now=NOW).items == []
    with pytest.raises(NotFound):  # revoking twice: it is gone from the list already
        service.revoke_token(platform=platform, uid="u1", token_id=made.id, now=NOW)


def test_an_expired_token_stays_listed_as_expired(platform: Platform) -> None:
    made = service.create_token(
        platform=platform, uid="u1", request=_request(expires_in_days=1), now=NOW
    )
    later = NOW + timedelta(days=2)
    (item,) = service.list_tokens(platform=platform, uid="u1", now=later).items
    assert item.expired and item.id == made.id


def test_active_tokens_are_bounded_and_expired_ones_do_not_count(platform: Platform) -> None:
    short = service.create_token(
        platform=platform, uid="u1", request=_request(expires_in_days=1), now=NOW
    )
    for _ in range(pat.MAX_ACTIVE_TOKENS - 1):
        service.create_token(platform=platform, uid="u1", request=_request(), now=NOW)
    with pytest.raises(Conflict) as exc:
        service.create_token(platform=platform, uid="u1", request=_request(), now=NOW)
    assert exc.value.code == "too_many_tokens"
    later = NOW + timedelta(days=2)  # the short one expired: room for one more
    service.create_token(platform=platform, uid="u1", request=_request(), now=later)
    assert short.id in {t.id for t in service.list_tokens(platform=platform, uid="u1").items}


@pytest.mark.parametrize(
    "bad",
    [
        {"scopes": []},
        {"scopes": ["read", "read"]},
        {"scopes": ["admin"]},
        {"expires_in_days": 0},
        {"expires_in_days": pat.MAX_DAYS + 1},
        {"name": ""},
        {"name": " padded "},
    ],
)
def test_a_request_out_of_bounds_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        _request(**bad)


def test_revoked_and_long_expired_records_are_cleaned_up(platform: Platform) -> None:
    target = TARGETS["api_tokens"]
    assert (target.collection, target.expires_field) == ("api_tokens", "purge_at")
    made = service.create_token(platform=platform, uid="u1", request=_request(), now=NOW)
    service.revoke_token(platform=platform, uid="u1", token_id=made.id, now=NOW)
    stored = platform.documents.collection("api_tokens").document(made.id).get()
    assert stored.get("purge_at") == NOW + timedelta(days=pat.KEEP_DAYS)
