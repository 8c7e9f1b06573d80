"""Envelope encryption for user secrets (provider API keys, OAuth tokens).

Scheme (version 1):

- Each record gets a fresh random 256-bit **data key** (DEK). The plaintext is
  encrypted with AES-256-GCM under the DEK with a random 96-bit nonce and the
  record's **AAD** (e.g. `users/{uid}/integrations/{id}`) as associated data,
  so a ciphertext copied into another record does not decrypt.
- The DEK is **wrapped** with AES-256-GCM under the active **master key**
  (its own random nonce, stored in front of the wrapped bytes), with the
  master key id as associated data so a wrapped key cannot be relabelled.
- The stored `EncryptedSecret` holds only base64 strings and the master key
  id: safe in a JSON document. Master keys never leave configuration.

Master keys come from configuration (`SYNTHORA_MASTER_KEYS`, from Secret
Manager in production) as `id:BASE64,id:BASE64,...`; the **first** entry is
the active key used for new records, the others only decrypt. Rotation: put a
new key first, run `rewrap` over stored secrets (only the 60-byte wrapped DEK
changes, the ciphertext is untouched), then drop the old key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from synthora.settings import Settings

KEY_BYTES = 32
NONCE_BYTES = 12
_KEY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")
# A random 32-byte key has about 31 distinct byte values; fewer than 16 means a
# pattern (zero key, repeated text), not randomness.
_MIN_DISTINCT_BYTES = 16
_ENVELOPE_VERSION = 1
_DEK_AAD_PREFIX = b"synthora/dek/v1/"
_DATA_AAD_PREFIX = b"synthora/secret/v1/"


class KeyringError(ValueError):
    """The master-key configuration is missing, malformed or weak."""


class SecretDecryptionError(Exception):
    """A stored secret cannot be decrypted (wrong record, tampered, or wrong key)."""


class UnknownMasterKeyError(SecretDecryptionError):
    """The secret was wrapped under a master key that is not configured."""


class MasterKeyring:
    """Master keys by id, plus which one encrypts new records.

    Build it with `MasterKeyring.from_config("k2:BASE64,k1:BASE64")` (first is
    active) or `MasterKeyring(keys={...}, active_key_id=...)` with raw bytes.
    The keys never appear in `repr` or `str`.
    """

    __slots__ = ("_active", "_keys")

    def __init__(self, *, keys: Mapping[str, bytes], active_key_id: str) -> None:
        if not keys:
            raise KeyringError("at least one master key is required")
        for key_id, key in keys.items():
            _check_key(key_id=key_id, key=key)
        if active_key_id not in keys:
            raise KeyringError(f"active master key {active_key_id!r} is not in the keyring")
        self._keys: Mapping[str, bytes] = MappingProxyType(dict(keys))
        self._active = active_key_id

    @classmethod
    def from_config(cls, value: str) -> MasterKeyring:
        """Parse `id:BASE64[,id:BASE64...]`; the first entry is the active key."""
        entries = [part.strip() for part in value.split(",") if part.strip()]
        if not entries:
            raise KeyringError("master key configuration is empty; expected `id:BASE64,...`")
        keys: dict[str, bytes] = {}
        for entry in entries:
            key_id, sep, encoded = entry.partition(":")
            key_id = key_id.strip()
            if not sep:
                raise KeyringError(
                    f"master key entry for {key_id[:16]!r}... must look like `id:BASE64`"
                )
            if key_id in keys:
                raise KeyringError(f"master key id {key_id!r} appears twice")
            try:
                keys[key_id] = base64.b64decode(encoded.strip(), validate=True)
            except (binascii.Error, ValueError) as exc:
                raise KeyringError(f"master key {key_id!r} is not valid base64") from exc
        first_id = entries[0].partition(":")[0].strip()
        return cls(keys=keys, active_key_id=first_id)

    @classmethod
    def from_settings(cls, settings: Settings) -> MasterKeyring:
        """The keyring configured in `SYNTHORA_MASTER_KEYS`."""
        return cls.from_config(settings.secret("master_keys"))

    @property
    def active_key_id(self) -> str:
        return self._active

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self._keys)

    def key(self, key_id: str) -> bytes:
        """The key bytes for an id; `UnknownMasterKeyError` when not configured."""
        try:
            return self._keys[key_id]
        except KeyError:
            raise UnknownMasterKeyError(
                f"master key {key_id!r} is not configured (configured: "
                f"{', '.join(self._keys)}); it may have been removed before every secret "
                "was re-wrapped"
            ) from None

    def __repr__(self) -> str:
        return f"MasterKeyring(active={self._active!r}, key_ids={list(self._keys)!r})"

    __str__ = __repr__


class EncryptedSecret(BaseModel):
    """A secret at rest: base64 fields plus the id of the wrapping master key."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    v: Literal[1] = Field(default=1, description="Envelope format version.")
    key_id: str = Field(description="Id of the master key that wraps the data key.")
    wrapped_key: str = Field(description="base64(nonce || AES-GCM(master, data key)).")
    nonce: str = Field(description="base64 96-bit nonce of the secret's AES-GCM encryption.")
    ciphertext: str = Field(description="base64 AES-256-GCM ciphertext with its tag.")
    aad_hint: str | None = Field(
        default=None,
        description="First 12 hex chars of SHA-256(aad), to explain a record mismatch "
        "without storing the aad.",
    )


def generate_master_key() -> str:
    """A new random 256-bit master key, base64-encoded, for `id:KEY` configuration."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def encrypt_secret(*, plaintext: str, keyring: MasterKeyring, aad: str) -> EncryptedSecret:
    """Encrypt `plaintext` for the record named by `aad` under a fresh data key."""
    if not aad:
        raise ValueError("aad must name the record the secret belongs to")
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = AESGCM(data_key).encrypt(nonce, plaintext.encode("utf-8"), _data_aad(aad))
    key_id = keyring.active_key_id
    return EncryptedSecret(
        key_id=key_id,
        wrapped_key=_b64(_wrap(data_key=data_key, keyring=keyring, key_id=key_id)),
        nonce=_b64(nonce),
        ciphertext=_b64(ciphertext),
        aad_hint=_aad_hint(aad),
    )


def decrypt_secret(*, secret: EncryptedSecret, keyring: MasterKeyring, aad: str) -> str:
    """The plaintext of `secret`, which must belong to the record named by `aad`."""
    if secret.aad_hint is not None and secret.aad_hint != _aad_hint(aad):
        raise SecretDecryptionError(
            "this secret belongs to a different record (aad mismatch); refusing to decrypt"
        )
    data_key = _unwrap(secret=secret, keyring=keyring)
    try:
        plaintext = AESGCM(data_key).decrypt(
            _unb64(secret.nonce, "nonce"), _unb64(secret.ciphertext, "ciphertext"), _data_aad(aad)
        )
    except InvalidTag:
        raise SecretDecryptionError(
            "secret failed authentication: the ciphertext was altered or belongs to another record"
        ) from None
    return plaintext.decode("utf-8")


def rewrap(*, secret: EncryptedSecret, keyring: MasterKeyring) -> EncryptedSecret:
    """Re-wrap the data key under the active master key; the ciphertext is unchanged."""
    if secret.key_id == keyring.active_key_id:
        return secret
    data_key = _unwrap(secret=secret, keyring=keyring)
    key_id = keyring.active_key_id
    return secret.model_copy(
        update={
            "key_id": key_id,
            "wrapped_key": _b64(_wrap(data_key=data_key, keyring=keyring, key_id=key_id)),
        }
    )


# Prefixes kept visible by `mask_secret`, longest first so `sk-proj-` wins over `sk-`.
_KNOWN_PREFIXES = (
    "sk-proj-",
    "sk-ant-",
    "sk-",
    "sk_",
    "vk-",
    "ltxv_",
    "AIza",
    "AKIA",
    "ASIA",
    "pk_",
    "rk_",
)
_MASK = "****"
_MIN_MASKABLE = 12


def mask_secret(plaintext: str) -> str:
    """A display form of a secret: known prefix, `...`, and at most the last 4 characters.

    Secrets shorter than 12 characters are fully masked, and the prefix is kept
    only when at least 8 hidden characters remain besides it, so the mask
    never reveals a meaningful share of the key.
    """
    value = plaintext.strip()
    if len(value) < _MIN_MASKABLE:
        return _MASK
    tail = value[-4:]
    prefix = next((p for p in _KNOWN_PREFIXES if value.startswith(p)), "")
    if prefix and len(value) - len(prefix) - len(tail) < 8:
        prefix = ""
    return f"{prefix}...{tail}"


def _check_key(*, key_id: str, key: bytes) -> None:
    if not _KEY_ID.fullmatch(key_id):
        raise KeyringError(
            f"master key id {key_id[:16]!r} must be 1-64 letters, digits, `_`, `-` or `.`"
        )
    if len(key) != KEY_BYTES:
        raise KeyringError(
            f"master key {key_id!r} is {len(key)} bytes; AES-256 needs exactly {KEY_BYTES} "
            "random bytes (generate one with `generate_master_key()`)"
        )
    if len(set(key)) < _MIN_DISTINCT_BYTES:
        raise KeyringError(f"master key {key_id!r} is not random enough (repeated bytes)")


def _wrap(*, data_key: bytes, keyring: MasterKeyring, key_id: str) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(keyring.key(key_id)).encrypt(nonce, data_key, _dek_aad(key_id))


def _unwrap(*, secret: EncryptedSecret, keyring: MasterKeyring) -> bytes:
    master = keyring.key(secret.key_id)
    blob = _unb64(secret.wrapped_key, "wrapped_key")
    try:
        return AESGCM(master).decrypt(
            blob[:NONCE_BYTES], blob[NONCE_BYTES:], _dek_aad(secret.key_id)
        )
    except InvalidTag:
        raise SecretDecryptionError(
            f"data key does not unwrap under master key {secret.key_id!r}: the wrapped key "
            "was altered or the configured key with that id has changed"
        ) from None


def _dek_aad(key_id: str) -> bytes:
    return _DEK_AAD_PREFIX + key_id.encode("utf-8")


def _data_aad(aad: str) -> bytes:
    return _DATA_AAD_PREFIX + aad.encode("utf-8")


def _aad_hint(aad: str) -> str:
    return hashlib.sha256(aad.encode("utf-8")).hexdigest()[:12]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: str, field: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise SecretDecryptionError(f"stored secret field {field!r} is not valid base64") from None
