"""Locally generated service-account keys and OIDC tokens: no network, no real account."""

from __future__ import annotations

import json
import time
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


@lru_cache(maxsize=4)
def rsa_private_key_pem(seed: str = "default") -> bytes:
    """A fresh 2048-bit RSA key per seed (cached for the process)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_cert_pem(seed: str = "default") -> bytes:
    """A self-signed certificate for `rsa_private_key_pem(seed)`, like Google's JWKS certs."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    key = serialization.load_pem_private_key(rsa_private_key_pem(seed), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"test-{seed}")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def service_account_info(
    email: str = "signer@demo-synthora.iam.gserviceaccount.com", seed: str = "default"
) -> dict[str, Any]:
    """A service-account key file's content, with a locally generated key."""
    return {
        "type": "service_account",
        "project_id": email.split("@", 1)[1].split(".", 1)[0],
        "private_key_id": f"key-{seed}",
        "private_key": rsa_private_key_pem(seed).decode(),
        "client_email": email,
        "client_id": "1234567890",
        "token_uri": "https://oauth2.googleapis.com/token",
    }


def signing_credentials(email: str = "signer@demo-synthora.iam.gserviceaccount.com") -> Any:
    from google.oauth2 import service_account

    return service_account.Credentials.from_service_account_info(service_account_info(email))


def google_style_id_token(
    claims: dict[str, Any], *, seed: str = "default", key_id: str | None = None
) -> str:
    """An RS256 JWT shaped like the OIDC tokens Cloud Tasks/Scheduler send."""
    from google.auth import crypt, jwt

    signer = crypt.RSASigner.from_string(
        rsa_private_key_pem(seed).decode(), key_id=key_id or f"key-{seed}"
    )
    now = int(time.time())
    payload = {"iss": "https://accounts.google.com", "iat": now, "exp": now + 600, **claims}
    return jwt.encode(signer, payload).decode()


def certs_json(seed: str = "default") -> str:
    return json.dumps({f"key-{seed}": public_cert_pem(seed).decode()})
