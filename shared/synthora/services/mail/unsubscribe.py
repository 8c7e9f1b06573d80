"""Signed unsubscribe links: one user, one email category, no sign-in needed.

A token is `base64url(payload).base64url(mac)`, the payload
`{"u": uid, "c": category, "k": master key id}` and the mac an HMAC-SHA256
(truncated to 16 bytes) under a key derived from that master key
(`SYNTHORA_MASTER_KEYS`) for this purpose only. Keys are looked up by id, so
links in emails already sent keep working after a key rotation while the old
key stays in the keyring. A changed byte anywhere, an unknown key id or an
unknown category is refused with one answer: `invalid_unsubscribe_token`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json

from pydantic import BaseModel, ValidationError

from synthora.errors import BadRequest
from synthora.security.crypto import MasterKeyring, UnknownMasterKeyError
from synthora.settings import Settings

_PURPOSE = b"synthora/email-unsubscribe/v1"
_MAC_BYTES = 16
MAX_TOKEN_LENGTH = 512


class UnsubscribeClaims(BaseModel):
    uid: str
    category: str


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode())


def _mac(keyring: MasterKeyring, key_id: str, payload: bytes) -> bytes:
    key = hmac.new(keyring.key(key_id), _PURPOSE, hashlib.sha256).digest()
    return hmac.new(key, payload, hashlib.sha256).digest()[:_MAC_BYTES]


def make_token(*, settings: Settings, uid: str, category: str) -> str:
    keyring = MasterKeyring.from_settings(settings)
    key_id = keyring.active_key_id
    payload = json.dumps({"u": uid, "c": category, "k": key_id}, separators=(",", ":")).encode()
    return f"{_b64(payload)}.{_b64(_mac(keyring, key_id, payload))}"


def _invalid() -> BadRequest:
    return BadRequest(
        "this unsubscribe link is not valid (it may have been cut or changed); "
        "turn email off in Settings > Notifications instead",
        code="invalid_unsubscribe_token",
    )


def read_token(*, settings: Settings, token: str, categories: frozenset[str]) -> UnsubscribeClaims:
    """The user and category a token names; `invalid_unsubscribe_token` (400) otherwise."""
    if len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1:
        raise _invalid()
    encoded_payload, encoded_mac = token.split(".")
    try:
        payload = _unb64(encoded_payload)
        mac = _unb64(encoded_mac)
        data = json.loads(payload)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _invalid() from None
    if not isinstance(data, dict) or not isinstance(data.get("k"), str):
        raise _invalid()
    keyring = MasterKeyring.from_settings(settings)
    try:
        expected = _mac(keyring, data["k"], payload)
    except UnknownMasterKeyError:
        raise _invalid() from None
    if not hmac.compare_digest(mac, expected):
        raise _invalid()
    try:
        claims = UnsubscribeClaims(uid=data.get("u"), category=data.get("c"))
    except ValidationError:
        raise _invalid() from None
    if claims.category not in categories or not claims.uid:
        raise _invalid()
    return claims
