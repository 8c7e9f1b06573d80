"""Personal API tokens: create (shown once), list, revoke.

The format, the scopes and the check of a presented token live in
`synthora.security.personal_tokens`; the router accepts a token wherever a
Firebase ID token is accepted (`synthora.identity.resolve_bearer`), limited to
its scopes. Records live in `api_tokens/{sha256 of the token}` with the
owner's uid; the secret itself is returned once by `create_token` and never
stored. A revoked token's record is kept `KEEP_DAYS` (so it is refused as
revoked, not as unknown), an expired one `KEEP_DAYS` past its expiry; then
the daily cleanup deletes it (`CLEANUP_TARGET`, field `purge_at`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field

from synthora.errors import Conflict, NotFound
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import is_document_id
from synthora.security import personal_tokens as pat
from synthora.security.personal_tokens import TokenScope
from synthora.services.expiry import CleanupTarget

log = get_logger(__name__)

COLLECTION = pat.COLLECTION
#: Most records (active, expired or revoked, not yet purged) one listing reads.
LIST_LIMIT = 200

#: Revoked and long-expired token records; listed in `services.cleanup`.
CLEANUP_TARGET = CleanupTarget(name="api_tokens", collection=COLLECTION, expires_field="purge_at")


def _unique(scopes: list[TokenScope]) -> list[TokenScope]:
    if len(set(scopes)) != len(scopes):
        raise ValueError("each scope once")
    return sorted(scopes)


class CreateTokenRequest(BaseModel):
    name: str = Field(
        min_length=1,
        max_length=80,
        pattern=r"^\S(.*\S)?$",
        description="What the token is for (shown in Settings), e.g. `nightly batch`.",
    )
    scopes: Annotated[list[TokenScope], AfterValidator(_unique)] = Field(
        min_length=1,
        max_length=len(pat.SCOPES),
        description="What the token may do: "
        + "; ".join(f"`{k}`: {v}" for k, v in pat.SCOPES.items()),
    )
    expires_in_days: int = Field(
        default=pat.DEFAULT_DAYS,
        ge=pat.MIN_DAYS,
        le=pat.MAX_DAYS,
        description=f"Days until the token stops working ({pat.MIN_DAYS}-{pat.MAX_DAYS}).",
    )


class TokenOut(BaseModel):
    id: str = Field(description="The token's id (not the token): revoke it by this.")
    name: str
    scopes: list[TokenScope]
    hint: str = Field(description="The prefix and the last four characters of the token.")
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None = Field(
        default=None, description=f"Recorded at most once per {pat.LAST_USED_INTERVAL_S} s."
    )
    expired: bool


class CreatedToken(TokenOut):
    token: str = Field(
        description="The token itself: shown this once, stored nowhere. Send it as "
        "`Authorization: Bearer <token>`."
    )


class TokenList(BaseModel):
    items: list[TokenOut]
    max_active: int = Field(description="Most unexpired tokens one account may hold.")
    scopes: dict[str, str] = Field(description="Every scope and what it covers.")


def _aware(value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _out(doc_id: str, data: dict[str, Any], now: datetime) -> TokenOut:
    expires_at = _aware(data.get("expires_at")) or now
    return TokenOut(
        id=doc_id,
        name=str(data.get("name") or ""),
        scopes=list(data.get("scopes") or []),
        hint=str(data.get("hint") or pat.PREFIX),
        created_at=_aware(data.get("created_at")) or now,
        expires_at=expires_at,
        last_used_at=_aware(data.get("last_used_at")),
        expired=expires_at <= now,
    )


def _records(platform: Platform, uid: str) -> list[tuple[str, dict[str, Any]]]:
    snaps = (
        platform.documents.collection(COLLECTION)
        .where("owner_uid", "==", uid)
        .where("status", "==", "active")
        .limit(LIST_LIMIT)
        .get()
    )
    return [(s.id, s.to_dict() or {}) for s in snaps]


def list_tokens(*, platform: Platform, uid: str, now: datetime | None = None) -> TokenList:
    """My tokens that were not revoked (expired ones too, until purged), newest first."""
    now = now or datetime.now(UTC)
    items = [_out(doc_id, data, now) for doc_id, data in _records(platform, uid)]
    items.sort(key=lambda t: (t.created_at, t.id), reverse=True)
    return TokenList(items=items, max_active=pat.MAX_ACTIVE_TOKENS, scopes=dict(pat.SCOPES))


def create_token(
    *, platform: Platform, uid: str, request: CreateTokenRequest, now: datetime | None = None
) -> CreatedToken:
    """Issue a token: returned once with its secret, stored only as its SHA-256."""
    now = now or datetime.now(UTC)
    active = [d for _, d in _records(platform, uid) if (_aware(d.get("expires_at")) or now) > now]
    if len(active) >= pat.MAX_ACTIVE_TOKENS:
        raise Conflict(
            f"you already have {pat.MAX_ACTIVE_TOKENS} active tokens; revoke one first",
            code="too_many_tokens",
            details={"max_active": pat.MAX_ACTIVE_TOKENS},
        )
    secret = pat.new_secret()
    doc_id = pat.token_id(secret)
    expires_at = now + timedelta(days=request.expires_in_days)
    data: dict[str, Any] = {
        "owner_uid": uid,
        "name": request.name,
        "scopes": list(request.scopes),
        "hint": pat.hint(secret),
        "status": "active",
        "created_at": now,
        "expires_at": expires_at,
        "last_used_at": None,
        "purge_at": expires_at + timedelta(days=pat.KEEP_DAYS),
    }
    platform.documents.collection(COLLECTION).document(doc_id).create(data)
    log.info(
        "personal token created",
        extra=fields(uid=uid, token_id=doc_id[:12], scopes=",".join(request.scopes)),
    )
    return CreatedToken(**_out(doc_id, data, now).model_dump(), token=secret)


def revoke_token(
    *, platform: Platform, uid: str, token_id: str, now: datetime | None = None
) -> None:
    """Revoke one of my tokens: refused from the next request on (404 if not mine)."""
    now = now or datetime.now(UTC)
    ref = platform.documents.collection(COLLECTION).document(token_id)
    snap = ref.get() if is_document_id(token_id) else None
    data = snap.to_dict() if snap is not None and snap.exists else None
    if not data or data.get("owner_uid") != uid or data.get("status") != "active":
        raise NotFound("no such token", code="token_not_found")
    ref.update(
        {"status": "revoked", "revoked_at": now, "purge_at": now + timedelta(days=pat.KEEP_DAYS)}
    )
    log.info("personal token revoked", extra=fields(uid=uid, token_id=token_id[:12]))
