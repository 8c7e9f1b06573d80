"""Embedded blob store: a local folder with HMAC-signed, time-limited URLs.

Signed URLs point at the gateway's `/_blobs/<key>?expires=..&sig=..` route,
which checks the signature and serves the file with HTTP Range support so a
browser can seek in a video.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import mimetypes
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import quote, urlencode

from synthora.ports.blobs import BlobInfo, BlobNotFound, BlobStore, InvalidBlobKey, check_key

if TYPE_CHECKING:
    from synthora.platform import Platform

BLOB_ROUTE = "/_blobs/"
_META_SUFFIX = ".__meta__.json"


def sign_blob_url(*, key: str, expires: int, download_name: str | None, secret: bytes) -> str:
    message = f"GET\n{key}\n{expires}\n{download_name or ''}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


class LocalBlobStore(BlobStore):
    adapter_name = "local-folder"

    def __init__(self, *, root: Path, base_url: str, signing_key: str) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self.base_url = base_url.rstrip("/")
        self._secret = signing_key.encode()

    # paths -----------------------------------------------------------------

    def path_for(self, key: str) -> Path:
        check_key(key)
        if key.endswith(_META_SUFFIX):
            raise InvalidBlobKey(f"invalid blob key {key!r}")
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise InvalidBlobKey(f"invalid blob key {key!r}")
        return path

    def _meta_path(self, path: Path) -> Path:
        return path.with_name(path.name + _META_SUFFIX)

    def _write_meta(self, path: Path, content_type: str) -> None:
        self._meta_path(path).write_text(json.dumps({"content_type": content_type}))

    def _info(self, key: str, path: Path) -> BlobInfo:
        st = path.stat()
        content_type = "application/octet-stream"
        meta = self._meta_path(path)
        if meta.exists():
            content_type = json.loads(meta.read_text()).get("content_type", content_type)
        else:
            content_type = mimetypes.guess_type(path.name)[0] or content_type
        return BlobInfo(
            key=key,
            size=st.st_size,
            content_type=content_type,
            updated=datetime.fromtimestamp(st.st_mtime, UTC),
        )

    # writes: temp file + rename, so a reader never sees half a blob -------------

    def put_bytes(self, key: str, data: bytes, *, content_type: str) -> BlobInfo:
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        self._write_meta(path, content_type)
        os.replace(tmp, path)
        return self._info(key, path)

    def put_file(self, key: str, path: Path, *, content_type: str) -> BlobInfo:
        target = self.path_for(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        os.close(fd)
        shutil.copyfile(path, tmp)
        self._write_meta(target, content_type)
        os.replace(tmp, target)
        return self._info(key, target)

    # reads -------------------------------------------------------------------

    def get_bytes(self, key: str) -> bytes:
        path = self.path_for(key)
        if not path.is_file():
            raise BlobNotFound(key)
        return path.read_bytes()

    def download_to(self, key: str, path: Path) -> Path:
        source = self.path_for(key)
        if not source.is_file():
            raise BlobNotFound(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
        return path

    def open_read(self, key: str) -> BinaryIO:
        path = self.path_for(key)
        if not path.is_file():
            raise BlobNotFound(key)
        return path.open("rb")

    def stat(self, key: str) -> BlobInfo | None:
        path = self.path_for(key)
        return self._info(key, path) if path.is_file() else None

    def delete(self, key: str) -> bool:
        path = self.path_for(key)
        self._meta_path(path).unlink(missing_ok=True)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        # prune empty folders up to the root so prefixes really disappear
        parent = path.parent
        while parent != self.root and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
        return True

    def list(self, prefix: str = "") -> Iterator[BlobInfo]:
        if prefix:
            check_key(prefix.rstrip("/") or "x")
        base = self.root
        for path in sorted(base.rglob("*")):
            if not path.is_file() or path.name.endswith(_META_SUFFIX):
                continue
            if path.name.startswith(".upload-"):
                continue
            key = path.relative_to(base).as_posix()
            if key.startswith(prefix):
                yield self._info(key, path)

    # signed URLs -------------------------------------------------------------

    def signed_url(
        self,
        key: str,
        *,
        expires_in: timedelta = timedelta(hours=1),
        download_name: str | None = None,
    ) -> str:
        check_key(key)
        expires = int(time.time() + expires_in.total_seconds())
        params = {"expires": str(expires)}
        if download_name:
            params["download"] = download_name
        params["sig"] = sign_blob_url(
            key=key, expires=expires, download_name=download_name, secret=self._secret
        )
        return f"{self.base_url}{BLOB_ROUTE}{quote(key)}?{urlencode(params)}"

    def verify(self, *, key: str, expires: str, sig: str, download_name: str | None) -> bool:
        """True when the signature matches and the URL has not expired."""
        try:
            when = int(expires)
        except ValueError:
            return False
        if when < time.time():
            return False
        expected = sign_blob_url(
            key=key, expires=when, download_name=download_name, secret=self._secret
        )
        return hmac.compare_digest(expected, sig)

    def info(self) -> dict[str, str]:
        return {"adapter": self.adapter_name, "root": str(self.root)}


def create_adapter(platform: Platform) -> LocalBlobStore:
    """The platform's local-folder blob store, signing URLs with the blob key."""
    settings = platform.settings
    return LocalBlobStore(
        root=settings.blob_dir,
        base_url=settings.public_url,
        signing_key=settings.secret("blob_signing_key"),
    )
