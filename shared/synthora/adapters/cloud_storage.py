"""Cloud Storage blob store (`google-cloud-storage`), V4 signed URLs.

- Small payloads go up in one multipart request; files larger than
  `resumable_threshold` use a resumable upload in `chunk_size` pieces, so a
  long render survives a dropped connection.
- Signed URLs are V4. With a key-file service account the library signs
  locally; on Cloud Run there is no private key, so the URL is signed through
  the IAM `signBlob` API by passing the runtime account's email and access
  token (`service_account_email` + `access_token` of `generate_signed_url`);
  that account needs `roles/iam.serviceAccountTokenCreator` on itself
  (granted by `synthora.deploy.infra`).
- `STORAGE_EMULATOR_HOST` points the client at an emulator with anonymous
  credentials; the bucket is then created on first use.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from google.api_core import exceptions as gexc

from synthora.ports.blobs import BlobError, BlobInfo, BlobNotFound, BlobStore, check_key

if TYPE_CHECKING:
    from synthora.platform import Platform

DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024  # a multiple of 256 KiB, as resumable uploads require
_CHUNK_QUANTUM = 256 * 1024


class CloudStorageBlobStore(BlobStore):
    """`BlobStore` on one Cloud Storage bucket."""

    adapter_name = "cloud-storage"

    def __init__(
        self,
        *,
        bucket: str,
        project: str | None = None,
        client: Any = None,
        emulator_host: str | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        resumable_threshold: int = DEFAULT_CHUNK_SIZE,
        signing_credentials: Any = None,
        create_bucket: bool = False,
    ) -> None:
        """`client` may be injected; otherwise it is created on first use.

        `signing_credentials` signs URLs when given (e.g. a service-account key);
        otherwise the client's credentials sign, via IAM signBlob when they hold
        no private key.
        """
        if chunk_size <= 0 or chunk_size % _CHUNK_QUANTUM:
            raise ValueError("chunk_size must be a positive multiple of 256 KiB")
        self.bucket_name = bucket
        self.project = project
        self.emulator_host = emulator_host
        self.chunk_size = chunk_size
        self.resumable_threshold = resumable_threshold
        self._client = client
        self._signing_credentials = signing_credentials
        self._create_bucket = create_bucket
        self._bucket: Any = None
        self._lock = threading.Lock()

    # clients ---------------------------------------------------------------

    @property
    def client(self) -> Any:
        if self._client is None:
            from google.cloud import storage  # type: ignore[attr-defined,unused-ignore]

            with self._lock:
                if self._client is None:
                    if self.emulator_host:
                        from google.auth.credentials import AnonymousCredentials

                        endpoint = self.emulator_host
                        if not endpoint.startswith("http"):
                            endpoint = f"http://{endpoint}"
                        self._client = storage.Client(
                            project=self.project or "demo-synthora",
                            credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
                            client_options={"api_endpoint": endpoint},
                        )
                    else:
                        self._client = storage.Client(project=self.project)
        return self._client

    @property
    def bucket(self) -> Any:
        if self._bucket is None:
            bucket = self.client.bucket(self.bucket_name)
            if self._create_bucket and self.client.lookup_bucket(self.bucket_name) is None:
                with contextlib.suppress(gexc.Conflict):
                    bucket = self.client.create_bucket(self.bucket_name)
            self._bucket = bucket
        return self._bucket

    # helpers ---------------------------------------------------------------

    def _blob(self, key: str, *, chunk_size: int | None = None) -> Any:
        return self.bucket.blob(check_key(key), chunk_size=chunk_size)

    def _info(self, blob: Any) -> BlobInfo:
        updated = blob.updated or datetime.now(UTC)
        return BlobInfo(
            key=blob.name,
            size=int(blob.size or 0),
            content_type=blob.content_type or "application/octet-stream",
            updated=updated,
        )

    # writes ----------------------------------------------------------------

    def put_bytes(self, key: str, data: bytes, *, content_type: str) -> BlobInfo:
        if len(data) > self.resumable_threshold:
            return self._put_resumable(key, io.BytesIO(data), content_type=content_type)
        blob = self._blob(key)
        blob.upload_from_string(data, content_type=content_type)
        return self._info(blob)

    def put_file(self, key: str, path: Path, *, content_type: str) -> BlobInfo:
        """Upload a file; above `resumable_threshold` as a resumable upload in chunks."""
        if path.stat().st_size > self.resumable_threshold:
            with path.open("rb") as fh:
                return self._put_resumable(key, fh, content_type=content_type)
        blob = self._blob(key)
        blob.upload_from_filename(str(path), content_type=content_type)
        return self._info(blob)

    def _put_resumable(self, key: str, stream: BinaryIO, *, content_type: str) -> BlobInfo:
        # No `size`: the library then always runs the resumable protocol, one
        # `chunk_size` PUT at a time (with a size <= 8 MiB it would send one multipart).
        blob = self._blob(key, chunk_size=self.chunk_size)
        blob.upload_from_file(stream, content_type=content_type)
        return self._info(blob)

    def delete(self, key: str) -> bool:
        try:
            self._blob(key).delete()
        except gexc.NotFound:
            return False
        return True

    # reads -----------------------------------------------------------------

    def get_bytes(self, key: str) -> bytes:
        try:
            return bytes(self._blob(key).download_as_bytes())
        except gexc.NotFound as exc:
            raise BlobNotFound(key) from exc

    def download_to(self, key: str, path: Path) -> Path:
        """Download to `path` atomically (a partial download never appears there)."""
        blob = self._blob(key, chunk_size=self.chunk_size)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        os.close(fd)
        try:
            blob.download_to_filename(tmp)
            os.replace(tmp, path)
        except gexc.NotFound as exc:
            raise BlobNotFound(key) from exc
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return path

    def open_read(self, key: str) -> BinaryIO:
        """A streaming reader that fetches `chunk_size` ranges as it is read."""
        blob = self._blob(key)
        try:
            blob.reload()
        except gexc.NotFound as exc:
            raise BlobNotFound(key) from exc
        return cast(BinaryIO, blob.open("rb", chunk_size=self.chunk_size))

    def stat(self, key: str) -> BlobInfo | None:
        blob = self.bucket.get_blob(check_key(key))
        return None if blob is None else self._info(blob)

    def list(self, prefix: str = "") -> Iterator[BlobInfo]:
        for blob in self.client.list_blobs(self.bucket_name, prefix=prefix or None):
            yield self._info(blob)

    # signed URLs -----------------------------------------------------------

    def signed_url(
        self,
        key: str,
        *,
        expires_in: timedelta = timedelta(hours=1),
        download_name: str | None = None,
    ) -> str:
        """A V4 GET URL; signed locally with a key, else through IAM signBlob."""
        if expires_in <= timedelta(0) or expires_in > timedelta(days=7):
            raise BlobError("V4 signed URLs last between 1 second and 7 days")
        blob = self._blob(key)
        kwargs: dict[str, Any] = {
            "version": "v4",
            "expiration": expires_in,
            "method": "GET",
        }
        if download_name:
            safe = download_name.replace('"', "").replace("\\", "")
            kwargs["response_disposition"] = f'attachment; filename="{safe}"'
        if self.emulator_host:
            endpoint = self.emulator_host
            kwargs["api_access_endpoint"] = (
                endpoint if endpoint.startswith("http") else f"http://{endpoint}"
            )
            if self._signing_credentials is None:
                # the emulator checks no signature: sign with a throwaway local key
                kwargs["credentials"] = _ephemeral_signing_credentials()
                return str(blob.generate_signed_url(**kwargs))
        kwargs.update(self._signing_kwargs())
        return str(blob.generate_signed_url(**kwargs))

    def _signing_kwargs(self) -> dict[str, Any]:
        credentials = self._signing_credentials or getattr(self.client, "_credentials", None)
        if credentials is None:
            raise BlobError("no credentials to sign URLs with")
        if hasattr(credentials, "sign_bytes") and getattr(credentials, "signer", None) is not None:
            return {"credentials": credentials}
        # Cloud Run / Compute Engine credentials hold no private key: sign through IAM.
        from google.auth.transport.requests import Request

        email = getattr(credentials, "service_account_email", None)
        if not credentials.valid or not email or email == "default":
            credentials.refresh(Request())
            email = getattr(credentials, "service_account_email", None)
        if not email or email == "default":
            raise BlobError(
                "cannot sign URLs: the credentials have neither a private key nor a "
                "service account email (set GOOGLE_APPLICATION_CREDENTIALS or run as a "
                "service account)"
            )
        return {"service_account_email": email, "access_token": credentials.token}

    # info ------------------------------------------------------------------

    def info(self) -> dict[str, str]:
        detail = {"adapter": self.adapter_name, "bucket": self.bucket_name}
        if self.emulator_host:
            detail["emulator"] = self.emulator_host
        return detail


_ephemeral: Any = None


def _ephemeral_signing_credentials() -> Any:
    """A service-account credential with a key generated in memory (emulator URLs only)."""
    global _ephemeral
    if _ephemeral is None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from google.oauth2 import service_account

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        _ephemeral = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            {
                "type": "service_account",
                "client_email": "emulator@demo-synthora.iam.gserviceaccount.com",
                "private_key": pem,
                "private_key_id": "emulator",
                "token_uri": "https://oauth2.googleapis.com/token",
            }
        )
    return _ephemeral


def create_adapter(platform: Platform) -> CloudStorageBlobStore:
    """The platform's blob store: the configured bucket (or `<project>-synthora-media`)."""
    settings = platform.settings
    bucket = settings.bucket or f"{settings.project_id}-synthora-media"
    return CloudStorageBlobStore(
        bucket=bucket,
        project=settings.project_id,
        emulator_host=settings.storage_emulator_host,
        create_bucket=bool(settings.storage_emulator_host),
    )
