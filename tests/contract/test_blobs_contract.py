"""Blob store contract: every adapter must pass these (the GCS adapter reuses them)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from synthora.adapters.local_blobs import LocalBlobStore
from synthora.ports.blobs import BlobNotFound, BlobStore, InvalidBlobKey
from tests.emulators.factories import gcs_blob_store

BLOB_STORE_FACTORIES: dict[str, Callable[[Path], BlobStore]] = {
    "local": lambda tmp: LocalBlobStore(
        root=tmp / "blobs", base_url="http://127.0.0.1:1", signing_key="k" * 32
    ),
    # Cloud Storage adapter against gcp-storage-emulator (started once per test process)
    "gcs": gcs_blob_store,
}
BLOB_STORE_MARKS = {"gcs": [pytest.mark.emulator, pytest.mark.xdist_group("gcs-emulator")]}


@pytest.fixture(
    params=[
        pytest.param(n, marks=BLOB_STORE_MARKS.get(n, [])) for n in sorted(BLOB_STORE_FACTORIES)
    ]
)
def blobs(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    return BLOB_STORE_FACTORIES[request.param](tmp_path)


def test_put_get_stat_round_trip(blobs: BlobStore) -> None:
    info = blobs.put_bytes("videos/u1/v1/out.mp4", b"\x00\x01data", content_type="video/mp4")
    assert info.size == 6 and info.content_type == "video/mp4"
    assert blobs.get_bytes("videos/u1/v1/out.mp4") == b"\x00\x01data"
    stat = blobs.stat("videos/u1/v1/out.mp4")
    assert stat is not None and stat.size == 6 and stat.content_type == "video/mp4"
    assert blobs.exists("videos/u1/v1/out.mp4")
    assert blobs.stat("videos/u1/v1/missing.mp4") is None


def test_overwrite_replaces_content(blobs: BlobStore) -> None:
    blobs.put_bytes("a/b.txt", b"one", content_type="text/plain")
    blobs.put_bytes("a/b.txt", b"two!", content_type="text/plain")
    assert blobs.get_bytes("a/b.txt") == b"two!"


def test_files_in_and_out(blobs: BlobStore, tmp_path: Path) -> None:
    src = tmp_path / "in.bin"
    src.write_bytes(bytes(range(256)) * 1000)
    blobs.put_file("media/x.bin", src, content_type="application/octet-stream")
    out = blobs.download_to("media/x.bin", tmp_path / "out" / "x.bin")
    assert out.read_bytes() == src.read_bytes()
    with blobs.open_read("media/x.bin") as fh:
        assert fh.read(3) == b"\x00\x01\x02"


def test_missing_blob_raises(blobs: BlobStore, tmp_path: Path) -> None:
    with pytest.raises(BlobNotFound):
        blobs.get_bytes("nope/x")
    with pytest.raises(BlobNotFound):
        blobs.download_to("nope/x", tmp_path / "x")
    assert blobs.delete("nope/x") is False


def test_list_and_delete_prefix(blobs: BlobStore) -> None:
    for key in ("v/1/a.mp4", "v/1/b.png", "v/2/a.mp4", "w/1.txt"):
        blobs.put_bytes(key, b"x", content_type="application/octet-stream")
    assert [i.key for i in blobs.list("v/1/")] == ["v/1/a.mp4", "v/1/b.png"]
    assert blobs.delete_prefix("v/1/") == 2
    assert [i.key for i in blobs.list("v/")] == ["v/2/a.mp4"]
    assert blobs.exists("w/1.txt")
    with pytest.raises(InvalidBlobKey):
        blobs.delete_prefix("v")  # a prefix must end with '/'


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a/../../b", "a//b", "", "dir/"])
def test_unsafe_keys_are_refused(blobs: BlobStore, key: str) -> None:
    with pytest.raises(InvalidBlobKey):
        blobs.put_bytes(key, b"x", content_type="text/plain")


def test_signed_url_is_time_limited_and_names_the_key(blobs: BlobStore) -> None:
    blobs.put_bytes("v/1/out.mp4", b"x", content_type="video/mp4")
    url = httpx.URL(blobs.signed_url("v/1/out.mp4"))
    assert url.path.endswith("v/1/out.mp4")
    assert url.params  # carries its signature/expiry
