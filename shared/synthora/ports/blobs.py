"""Blob store port: media files, handed to browsers as signed URLs."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from pydantic import BaseModel

_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/\-=]{0,1023}$")


class BlobError(Exception):
    """Base class of blob errors."""


class BlobNotFound(BlobError):
    """No blob under that key."""


class InvalidBlobKey(BlobError):
    """The key is not a safe relative object name."""


def check_key(key: str) -> str:
    """Refuse keys that could escape the bucket or confuse URLs."""
    if not _KEY_RE.match(key) or ".." in key.split("/") or "//" in key or key.endswith("/"):
        raise InvalidBlobKey(f"invalid blob key {key!r}")
    return key


class BlobInfo(BaseModel):
    key: str
    size: int
    content_type: str
    updated: datetime


class BlobStore(ABC):
    adapter_name: str = "abstract"

    @abstractmethod
    def put_bytes(self, key: str, data: bytes, *, content_type: str) -> BlobInfo: ...

    @abstractmethod
    def put_file(self, key: str, path: Path, *, content_type: str) -> BlobInfo: ...

    @abstractmethod
    def get_bytes(self, key: str) -> bytes: ...

    @abstractmethod
    def download_to(self, key: str, path: Path) -> Path: ...

    @abstractmethod
    def open_read(self, key: str) -> BinaryIO: ...

    @abstractmethod
    def stat(self, key: str) -> BlobInfo | None: ...

    def exists(self, key: str) -> bool:
        return self.stat(key) is not None

    @abstractmethod
    def delete(self, key: str) -> bool:
        """Delete one blob; False when it did not exist."""

    @abstractmethod
    def list(self, prefix: str = "") -> Iterator[BlobInfo]: ...

    def delete_prefix(self, prefix: str) -> int:
        """Delete every blob under `prefix` (which must end with `/`)."""
        if not prefix.endswith("/"):
            raise InvalidBlobKey("a prefix to delete must end with '/'")
        return sum(1 for info in list(self.list(prefix)) if self.delete(info.key))

    @abstractmethod
    def signed_url(
        self,
        key: str,
        *,
        expires_in: timedelta = timedelta(hours=1),
        download_name: str | None = None,
    ) -> str:
        """A time-limited GET URL for a browser."""

    def info(self) -> dict[str, str]:
        return {"adapter": self.adapter_name}
