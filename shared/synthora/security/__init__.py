"""Security primitives: envelope encryption and masking of user secrets."""

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

__all__ = [
    "EncryptedSecret",
    "KeyringError",
    "MasterKeyring",
    "SecretDecryptionError",
    "UnknownMasterKeyError",
    "decrypt_secret",
    "encrypt_secret",
    "generate_master_key",
    "mask_secret",
    "rewrap",
]
