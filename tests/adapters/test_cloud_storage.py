"""Cloud Storage adapter: V4 signed URLs (key file and IAM signBlob), resumable
uploads against gcp-storage-emulator, and platform wiring.

The port behaviour itself is covered by tests/contract/test_blobs_contract.py
(the "gcs" factory runs the whole suite against the emulator).
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from google.auth.credentials import AnonymousCredentials
from google.cloud import storage

from synthora.adapters.cloud_storage import CloudStorageBlobStore, create_adapter
from synthora.platform import Platform
from synthora.ports.blobs import BlobError
from synthora.settings import Settings
from tests.emulators.fixtures import storage_emulator  # noqa: F401 - session fixture
from tests.emulators.keys import rsa_private_key_pem, signing_credentials
from tests.emulators.processes import Emulator

EMAIL = "signer@demo-synthora.iam.gserviceaccount.com"
RUNTIME_SA = "fn-videos@demo-synthora.iam.gserviceaccount.com"


def _offline_store(**kwargs: Any) -> CloudStorageBlobStore:
    client = storage.Client(project="demo-synthora", credentials=AnonymousCredentials())
    return CloudStorageBlobStore(bucket="media-bucket", client=client, **kwargs)


def _params(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_v4_signed_url_with_a_key_file() -> None:
    store = _offline_store(signing_credentials=signing_credentials(EMAIL))
    url = store.signed_url("videos/u1/v1/final.mp4", expires_in=timedelta(minutes=15))
    parts = urlsplit(url)
    assert parts.scheme == "https" and parts.netloc == "storage.googleapis.com"
    assert parts.path == "/media-bucket/videos/u1/v1/final.mp4"
    params = _params(url)
    assert params["X-Goog-Algorithm"] == "GOOG4-RSA-SHA256"
    assert params["X-Goog-Credential"].startswith(f"{EMAIL}/")
    assert params["X-Goog-Credential"].endswith("/auto/storage/goog4_request")
    assert params["X-Goog-Expires"] == "900"
    assert params["X-Goog-SignedHeaders"] == "host"
    assert len(params["X-Goog-Signature"]) == 512  # hex of a 2048-bit RSA signature


def test_signed_url_download_name_and_limits() -> None:
    store = _offline_store(signing_credentials=signing_credentials(EMAIL))
    url = store.signed_url("videos/u1/v1/final.mp4", download_name='my "video".mp4')
    assert _params(url)["response-content-disposition"] == 'attachment; filename="my video.mp4"'
    with pytest.raises(BlobError):
        store.signed_url("a/b", expires_in=timedelta(days=8))


@dataclass
class _Resp:
    status: int
    data: bytes
    headers: dict[str, str]


class _RuntimeCredentials:
    """Like Cloud Run's metadata-server credentials: a token, an email, no private key."""

    def __init__(self) -> None:
        self.token: str | None = None
        self.service_account_email = "default"
        self.refreshed = 0

    @property
    def valid(self) -> bool:
        return self.token is not None

    def refresh(self, request: Any) -> None:
        self.refreshed += 1
        self.token = "runtime-access-token"
        self.service_account_email = RUNTIME_SA


def test_cloud_run_signs_through_iam_sign_blob(monkeypatch: pytest.MonkeyPatch) -> None:
    """No key file: the runtime account's email and token go to IAM signBlob."""
    calls: list[dict[str, Any]] = []
    key = serialization.load_pem_private_key(rsa_private_key_pem("runtime"), password=None)

    class _IamCredentialsApi:
        def __call__(
            self, url: str, method: str = "GET", body: Any = None, headers: Any = None, **_: Any
        ) -> _Resp:
            payload = base64.b64decode(json.loads(body)["payload"])
            calls.append({"url": url, "method": method, "headers": headers, "payload": payload})
            signature = key.sign(payload, padding.PKCS1v15(), hashes.SHA256())  # type: ignore[union-attr,call-arg]
            data = json.dumps({"keyId": "k", "signedBlob": base64.b64encode(signature).decode()})
            return _Resp(200, data.encode(), {})

    import google.cloud.storage._signing as signing

    monkeypatch.setattr(signing.requests, "Request", _IamCredentialsApi)
    credentials = _RuntimeCredentials()
    store = _offline_store(signing_credentials=credentials)
    url = store.signed_url("videos/u1/v1/final.mp4")

    assert credentials.refreshed == 1
    assert len(calls) == 1
    call = calls[0]
    assert call["method"] == "POST"
    assert call["url"].startswith(
        f"https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/{RUNTIME_SA}:signBlob"
    )
    assert call["headers"]["Authorization"] == "Bearer runtime-access-token"
    assert call["payload"].startswith(b"GOOG4-RSA-SHA256\n")
    params = _params(url)
    assert params["X-Goog-Credential"].startswith(f"{RUNTIME_SA}/")
    # the URL carries exactly the signature IAM returned over the V4 string-to-sign
    key.public_key().verify(  # type: ignore[union-attr,call-arg]
        bytes.fromhex(params["X-Goog-Signature"]),
        call["payload"],
        padding.PKCS1v15(),
        hashes.SHA256(),
    )


def test_credentials_without_key_or_email_fail_clearly() -> None:
    class _NoIdentity(_RuntimeCredentials):
        def refresh(self, request: Any) -> None:
            self.token = "t"

    store = _offline_store(signing_credentials=_NoIdentity())
    with pytest.raises(BlobError, match="cannot sign URLs"):
        store.signed_url("a/b")


def test_chunk_size_must_suit_resumable_uploads() -> None:
    with pytest.raises(ValueError):
        CloudStorageBlobStore(bucket="b", chunk_size=1000)


def test_create_adapter_uses_settings() -> None:
    settings = Settings(
        environment="production",
        master_keys="p1:" + "A" * 43 + "=",
        google_cloud_project="demo-synthora",
        bucket="my-media",
    )
    store = create_adapter(Platform(settings))
    assert store.bucket_name == "my-media" and store.emulator_host is None
    assert store.info() == {"adapter": "cloud-storage", "bucket": "my-media"}
    default = create_adapter(Platform(settings.model_copy(update={"bucket": None})))
    assert default.bucket_name == "demo-synthora-synthora-media"


# --------------------------------------------------------------------------- emulator


@pytest.fixture
def emulated(storage_emulator: Emulator, tmp_path: Path) -> CloudStorageBlobStore:  # noqa: F811
    return CloudStorageBlobStore(
        bucket=f"t-{os.urandom(6).hex()}",
        project="demo-synthora",
        emulator_host=f"http://{storage_emulator.host}",
        chunk_size=256 * 1024,
        resumable_threshold=256 * 1024,
        signing_credentials=signing_credentials(EMAIL),
        create_bucket=True,
    )


@pytest.mark.emulator
@pytest.mark.xdist_group("gcs-emulator")
def test_large_file_goes_up_resumably_in_chunks(
    emulated: CloudStorageBlobStore,
    tmp_path: Path,
    storage_emulator: Emulator,  # noqa: F811
) -> None:
    src = tmp_path / "render.mp4"
    src.write_bytes(os.urandom(3 * 256 * 1024 + 123))
    info = emulated.put_file("videos/u/v/final.mp4", src, content_type="video/mp4")
    assert info.size == src.stat().st_size and info.content_type == "video/mp4"
    log = storage_emulator.log()
    assert "uploadType=resumable" in log  # the chunked resumable protocol was used
    out = emulated.download_to("videos/u/v/final.mp4", tmp_path / "dl" / "final.mp4")
    assert out.read_bytes() == src.read_bytes()
    with emulated.open_read("videos/u/v/final.mp4") as fh:
        fh.seek(256 * 1024)
        assert fh.read(10) == src.read_bytes()[256 * 1024 : 256 * 1024 + 10]


@pytest.mark.emulator
@pytest.mark.xdist_group("gcs-emulator")
def test_signed_url_points_at_the_emulator_and_serves_the_object(
    emulated: CloudStorageBlobStore,
) -> None:
    emulated.put_bytes("tmp/clip.txt", b"hello", content_type="text/plain")
    url = emulated.signed_url("tmp/clip.txt")
    assert url.startswith(emulated.emulator_host or "")
    response = httpx.get(url)
    # the emulator does not verify signatures, but serves the object at the signed path
    assert response.status_code == 200 and response.content == b"hello"


@pytest.mark.emulator
@pytest.mark.xdist_group("gcs-emulator")
def test_platform_on_the_emulator_signs_without_a_key_file(
    storage_emulator: Emulator,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """STORAGE_EMULATOR_HOST alone: bucket created on first use, URLs still V4-shaped."""
    from synthora.platform import get_platform
    from synthora.settings import reset_settings_cache

    monkeypatch.setenv("STORAGE_EMULATOR_HOST", f"http://{storage_emulator.host}")
    monkeypatch.setenv("SYNTHORA_BUCKET", f"p-{os.urandom(6).hex()}")
    reset_settings_cache()
    blobs = get_platform().blobs
    assert blobs.adapter_name == "cloud-storage"
    blobs.put_bytes("videos/u/v/a.txt", b"hi", content_type="text/plain")
    url = blobs.signed_url("videos/u/v/a.txt")
    assert _params(url)["X-Goog-Algorithm"] == "GOOG4-RSA-SHA256"
    assert httpx.get(url).content == b"hi"
