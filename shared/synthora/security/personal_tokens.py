"""Personal API tokens: their format, their scopes, and checking one presented.

A personal token is `syn_pat_` followed by 43 URL-safe characters (256 random
bits from `secrets`). The recognisable prefix lets secret scanners and our own
router tell it from a Firebase ID token at a glance. Only the SHA-256 of the
whole token is stored: it is the id of the token's document
(`api_tokens/{sha256 hex}`), so checking a token is one read by id and the
secret itself is never written anywhere. A fast hash is right here (unlike
passwords): the secret has 256 bits of entropy, so there is nothing to guess.

A token carries scopes (what it may do, `SCOPES`), an expiry chosen at creation
(`MIN_DAYS`..`MAX_DAYS`) and its owner's uid; it acts as its owner with the
owner's role, on the routes its scopes cover. Revoking it marks the document
(`status: revoked`), so the next request with it is refused with
`token_revoked` on every instance at once. Its last use is recorded at most
once per `LAST_USED_INTERVAL_S` per token (a write per request would cost more
than the request).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel

from synthora.errors import Unauthorized
from synthora.logs import fields, get_logger
from synthora.ports.documents import DocumentStore

log = get_logger(__name__)

PREFIX = "syn_pat_"
COLLECTION = "api_tokens"
_SECRET_BYTES = 32
_TOKEN_RE = re.compile(r"^syn_pat_[A-Za-z0-9_-]{43}$")

#: What a token may do. A route's scope is derived by the router from the route itself
#: (`synthora.http.router.token_scope_of`); docs/automation.md lists what each covers.
TokenScope = Literal["read", "videos:create", "posts", "analytics"]
SCOPES: dict[str, str] = {
    "read": "Read everything you can see in the web app: videos, storyboards, templates, "
    "posts, connected accounts, analytics, suggestions, your profile and usage (GET routes).",
    "videos:create": "Make and change videos and templates: start a video, edit its "
    "storyboard, regenerate scenes, cancel, retry, delete; create, edit and delete templates.",
    "posts": "Post and schedule videos: create, edit, publish, import and delete posts; "
    "refresh or disconnect connected social accounts.",
    "analytics": "Refresh analytics from the platforms and act on suggestions: sync, "
    "generate suggestions, mark them read, dismissed or acted on.",
}
#: A route no personal token may call (admin routes, account and billing changes, token
#: management itself): only a signed-in browser session may.
SESSION_ONLY = "session"

MIN_DAYS = 1
MAX_DAYS = 365
DEFAULT_DAYS = 30
#: Most unexpired tokens one user may hold.
MAX_ACTIVE_TOKENS = 25
#: A revoked or expired token's record is kept this long (so it is refused by name), then
#: deleted by the daily cleanup.
KEEP_DAYS = 30
#: Last use is written at most this often per token.
LAST_USED_INTERVAL_S = 60


class PersonalToken(BaseModel):
    """A presented token that checked out: who it acts for and what it may do."""

    id: str
    uid: str
    name: str
    scopes: tuple[str, ...]
    expires_at: datetime


def new_secret() -> str:
    """A fresh token: the prefix and 256 random bits, URL-safe base64 without padding."""
    return PREFIX + secrets.token_urlsafe(_SECRET_BYTES)


def is_personal_token(token: str) -> bool:
    """Whether a bearer token is meant as a personal token (by its prefix)."""
    return token.startswith(PREFIX)


def token_id(token: str) -> str:
    """The id of a token's document: the SHA-256 of the whole token, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def hint(token: str) -> str:
    """What the list shows to tell tokens apart: the prefix and the last four characters."""
    return f"{PREFIX}…{token[-4:]}"


def _aware(value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def verify(token: str, *, documents: DocumentStore, now: datetime | None = None) -> PersonalToken:
    """Check a presented personal token (one read); raise `Unauthorized` with a clear code.

    `invalid_token` when it is malformed or was never issued, `token_revoked` once its
    owner revoked it, `token_expired` past its expiry. Records its last use (throttled).
    """
    if not _TOKEN_RE.match(token):
        raise Unauthorized("the personal API token is malformed", code="invalid_token")
    now = now or datetime.now(UTC)
    doc_id = token_id(token)
    snap = documents.collection(COLLECTION).document(doc_id).get()
    data = snap.to_dict() if snap.exists else None
    if not data:
        raise Unauthorized("the personal API token is not valid", code="invalid_token")
    if data.get("status") == "revoked":
        raise Unauthorized(
            "this personal API token was revoked; create a new one in Settings",
            code="token_revoked",
        )
    expires_at = _aware(data.get("expires_at"))
    if expires_at is None or expires_at <= now:
        raise Unauthorized(
            "this personal API token expired; create a new one in Settings",
            code="token_expired",
        )
    last_used = _aware(data.get("last_used_at"))
    if last_used is None or now - last_used >= timedelta(seconds=LAST_USED_INTERVAL_S):
        try:
            snap.reference.update({"last_used_at": now})
        except Exception as exc:  # a lost last-use stamp must not refuse the request
            log.warning("could not record token use", extra=fields(reason=str(exc)))
    return PersonalToken(
        id=doc_id,
        uid=str(data["owner_uid"]),
        name=str(data.get("name") or ""),
        scopes=tuple(str(s) for s in data.get("scopes") or ()),
        expires_at=expires_at,
    )
