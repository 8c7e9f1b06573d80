"""Envelope encryption of user secrets: round trip, binding, tampering, rotation, masking."""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path

import pytest

from synthora.security.crypto import (
    EncryptedSecret,
    KeyringError,
    MasterKeyring,
    SecretDecryptionError,
    UnknownMasterKeyError,
    decrypt_secret,
    encrypt_secret,
    generate_master_key,
    mask_secret,
    rewrap,
)

PLAINTEXT = "sk-proj-Abc123SECRETvalue-xyz9876"
AAD = "users/u1/integrations/openai"


def _keyring(*ids: str) -> MasterKeyring:
    return MasterKeyring.from_config(",".join(f"{i}:{generate_master_key()}" for i in ids))


def _flip_last_byte(value: str) -> str:
    raw = bytearray(base64.b64decode(value))
    raw[-1] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


@pytest.fixture
def keyring() -> MasterKeyring:
    return _keyring("k1")


def test_round_trip(keyring: MasterKeyring) -> None:
    secret = encrypt_secret(plaintext=PLAINTEXT, keyring=keyring, aad=AAD)
    assert secret.v == 1
    assert secret.key_id == "k1"
    assert decrypt_secret(secret=secret, keyring=keyring, aad=AAD) == PLAINTEXT


def test_round_trip_through_json_document(keyring: MasterKeyring) -> None:
    stored = encrypt_secret(plaintext="ünïcode-ключ", keyring=keyring, aad=AAD).model_dump_json()
    loaded = EncryptedSecret.model_validate_json(stored)
    assert decrypt_secret(secret=loaded, keyring=keyring, aad=AAD) == "ünïcode-ключ"


def test_each_record_gets_a_fresh_data_key_and_nonce(keyring: MasterKeyring) -> None:
    first = encrypt_secret(plaintext=PLAINTEXT, keyring=keyring, aad=AAD)
    second = encrypt_secret(plaintext=PLAINTEXT, keyring=keyring, aad=AAD)
    assert first.ciphertext != second.ciphertext
    assert first.nonce != second.nonce
    assert first.wrapped_key != second.wrapped_key


def test_serialized_output_contains_no_plaintext(keyring: MasterKeyring) -> None:
    secret = encrypt_secret(plaintext=PLAINTEXT, keyring=keyring, aad=AAD)
    dumped = secret.model_dump_json()
    for piece in (PLAINTEXT, PLAINTEXT[8:20], PLAINTEXT[-8:]):
        assert piece not in dumped
    # Only base64 strings and the key id: a valid JSON document with known fields.
    assert set(json.loads(dumped)) == {
        "v",
        "key_id",
        "wrapped_key",
        "nonce",
        "ciphertext",
        "aad_hint",
    }
    assert AAD not in dumped


def test_wrong_aad_fails(keyring: MasterKeyring) -> None:
    secret = encrypt_secret(plaintext=PLAINTEXT, keyring=keyring, aad=AAD)
    with pytest.raises(SecretDecryptionError, match="different record"):
        decrypt_secret(secret=secret, keyring=keyring, aad="users/u2/integrations/openai")


def test_copied_ciphertext_without_hint_still_fails_on_other_record(keyring: MasterKeyring) -> None:
    # Even with the diagnostic hint stripped, GCM's associated data binds the record.
    secret = encrypt_secret(plaintext=PLAINTEXT, keyring=keyring, aad=AAD)
    stripped = secret.model_copy(update={"aad_hint": None})
    with pytest.raises(SecretDecryptionError, match="altered or belongs to another record"):
        decrypt_secret(secret=stripped, keyring=keyring, aad="users/u2/integrations/openai")
    assert decrypt_secret(secret=stripped, keyring=keyring, aad=AAD) == PLAINTEXT


@pytest.mark.parametrize("field", ["ciphertext", "nonce", "wrapped_key"])
def test_tampering_fails(keyring: MasterKeyring, field: str) -> None:
    secret = encrypt_secret(plaintext=PLAINTEXT, keyring=keyring, aad=AAD)
    tampered = secret.model_copy(update={field: _flip_last_byte(getattr(secret, field))})
    with pytest.raises(SecretDecryptionError):
        decrypt_secret(secret=tampered, keyring=keyring, aad=AAD)


def test_relabelled_key_id_fails() -> None:
    ring = _keyring("k2", "k1")
    secret = encrypt_secret(plaintext=PLAINTEXT, keyring=ring, aad=AAD)
    relabelled = secret.model_copy(update={"key_id": "k1"})
    with pytest.raises(SecretDecryptionError, match="does not unwrap"):
        decrypt_secret(secret=relabelled, keyring=ring, aad=AAD)


def test_garbled_base64_fails_clearly(keyring: MasterKeyring) -> None:
    secret = encrypt_secret(plaintext=PLAINTEXT, keyring=keyring, aad=AAD)
    broken = secret.model_copy(update={"ciphertext": "not base64!!"})
    with pytest.raises(SecretDecryptionError, match="ciphertext"):
        decrypt_secret(secret=broken, keyring=keyring, aad=AAD)


def test_unknown_key_id_fails_with_clear_error(keyring: MasterKeyring) -> None:
    secret = encrypt_secret(plaintext=PLAINTEXT, keyring=keyring, aad=AAD)
    with pytest.raises(UnknownMasterKeyError, match=r"'k1' is not configured.*configured: other"):
        decrypt_secret(secret=secret, keyring=_keyring("other"), aad=AAD)


def test_rotation_rewrap_then_old_key_removed() -> None:
    old_key, new_key = generate_master_key(), generate_master_key()
    before = MasterKeyring.from_config(f"k1:{old_key}")
    secret = encrypt_secret(plaintext=PLAINTEXT, keyring=before, aad=AAD)

    during = MasterKeyring.from_config(f"k2:{new_key},k1:{old_key}")
    assert decrypt_secret(secret=secret, keyring=during, aad=AAD) == PLAINTEXT
    rotated = rewrap(secret=secret, keyring=during)
    assert rotated.key_id == "k2"
    assert rotated.ciphertext == secret.ciphertext
    assert rotated.nonce == secret.nonce
    assert rotated.wrapped_key != secret.wrapped_key

    after = MasterKeyring.from_config(f"k2:{new_key}")
    assert decrypt_secret(secret=rotated, keyring=after, aad=AAD) == PLAINTEXT
    with pytest.raises(UnknownMasterKeyError):
        decrypt_secret(secret=secret, keyring=after, aad=AAD)


def test_rewrap_under_active_key_is_a_no_op(keyring: MasterKeyring) -> None:
    secret = encrypt_secret(plaintext=PLAINTEXT, keyring=keyring, aad=AAD)
    assert rewrap(secret=secret, keyring=keyring) == secret


def test_first_configured_key_is_active() -> None:
    ring = _keyring("new", "old")
    assert ring.active_key_id == "new"
    assert ring.key_ids == ("new", "old")


def test_keyring_repr_hides_keys() -> None:
    key = generate_master_key()
    ring = MasterKeyring.from_config(f"k1:{key}")
    assert key not in repr(ring)
    assert key not in str(ring)
    assert "k1" in repr(ring)


def test_generate_master_key_is_32_random_bytes() -> None:
    first, second = generate_master_key(), generate_master_key()
    assert len(base64.b64decode(first)) == 32
    assert first != second


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        ("", "empty"),
        ("k1", "id:BASE64"),
        (f"k1:{base64.b64encode(bytes(range(16))).decode()}", "16 bytes"),
        (f"k1:{base64.b64encode(b'a' * 32).decode()}", "not random enough"),
        (f"k1:{base64.b64encode(bytes(32)).decode()}", "not random enough"),
        ("k1:%%%not-base64%%%", "not valid base64"),
        ("bad id:" + "A" * 44, "must be 1-64"),
        ("k1:{k},k1:{k}", "appears twice"),
    ],
)
def test_keyring_refuses_bad_configuration(config: str, problem: str) -> None:
    config = config.replace("{k}", generate_master_key())
    with pytest.raises(KeyringError, match=problem):
        MasterKeyring.from_config(config)


def test_keyring_constructor_checks_active_id() -> None:
    with pytest.raises(KeyringError, match="not in the keyring"):
        MasterKeyring(keys={"k1": secrets.token_bytes(32)}, active_key_id="k2")


def test_aad_is_required(keyring: MasterKeyring) -> None:
    with pytest.raises(ValueError, match="aad"):
        encrypt_secret(plaintext=PLAINTEXT, keyring=keyring, aad="")


@pytest.mark.parametrize(
    ("plaintext", "masked"),
    [
        ("sk-proj-abcdefghijklmnopqrstuvwxyz1234", "sk-proj-...1234"),
        ("sk-abcdefghijklmnopqrstuvwxyzABCD", "sk-...ABCD"),
        ("sk_0123456789abcdef0123456789abcdefwxyz", "sk_...wxyz"),
        ("AIzaSyA1234567890abcdefghijklmnopqrstu", "AIza...rstu"),
        ("HBHjHylztJqjEeIFQxNJWB5g2mPa4lI40wX8oNVD", "...oNVD"),
        ("short", "****"),
        ("", "****"),
        ("elevenchars", "****"),
        # Long enough to show the tail, too short to also show the prefix.
        ("sk-12345678ab", "...78ab"),
    ],
)
def test_mask_secret(plaintext: str, masked: str) -> None:
    assert mask_secret(plaintext) == masked


def test_mask_never_shows_more_than_four_trailing_characters() -> None:
    for length in range(0, 80):
        value = secrets.token_hex(40)[:length]
        masked = mask_secret(value)
        visible_tail = masked.rsplit("...", 1)[-1] if "..." in masked else ""
        assert len(visible_tail) <= 4
        if length < 12:
            assert masked == "****"


def test_keyring_from_local_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from synthora.settings import Settings

    monkeypatch.delenv("SYNTHORA_MASTER_KEYS", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray `.env` from the checkout
    settings = Settings(environment="test", data_dir=tmp_path)
    ring = MasterKeyring.from_settings(settings)
    assert ring.active_key_id == "local1"
    secret = encrypt_secret(plaintext=PLAINTEXT, keyring=ring, aad=AAD)
    # The same data folder gives the same keyring, so stored secrets survive a restart.
    again = MasterKeyring.from_settings(Settings(environment="test", data_dir=tmp_path))
    assert decrypt_secret(secret=secret, keyring=again, aad=AAD) == PLAINTEXT
