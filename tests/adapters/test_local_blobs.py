"""Local blob signatures, and serving through the gateway with Range support."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.test import Client

from synthora.adapters.local_blobs import LocalBlobStore
from synthora.local.gateway import Gateway
from synthora.manifest import get_manifest
from synthora.platform import get_platform
from synthora.settings import Settings


@pytest.fixture
def gateway_client(fixture_functions: Settings) -> Client:
    gateway = Gateway(
        settings=fixture_functions, manifest=get_manifest(fixture_functions.manifest_file)
    )
    return Client(gateway)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_signature_checks(tmp_path: object) -> None:
    store = LocalBlobStore(root=tmp_path / "b", base_url="http://x", signing_key="s" * 32)  # type: ignore[operator]
    url = store.signed_url("k/v.mp4", download_name="v.mp4")
    q = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert store.verify(key="k/v.mp4", expires=q["expires"], sig=q["sig"], download_name="v.mp4")
    assert not store.verify(
        key="k/other.mp4", expires=q["expires"], sig=q["sig"], download_name="v.mp4"
    )
    assert not store.verify(
        key="k/v.mp4", expires=str(int(q["expires"]) + 1), sig=q["sig"], download_name="v.mp4"
    )
    assert not store.verify(key="k/v.mp4", expires=q["expires"], sig=q["sig"], download_name=None)
    expired = store.signed_url("k/v.mp4", expires_in=timedelta(seconds=-5))
    q = {k: v[0] for k, v in parse_qs(urlsplit(expired).query).items()}
    assert not store.verify(key="k/v.mp4", expires=q["expires"], sig=q["sig"], download_name=None)


def test_gateway_serves_signed_blobs_with_ranges(gateway_client: Client) -> None:
    blobs = get_platform().blobs
    data = bytes(range(256)) * 40
    blobs.put_bytes("videos/u/v/out.mp4", data, content_type="video/mp4")
    path = _path(blobs.signed_url("videos/u/v/out.mp4"))
    full = gateway_client.get(path)
    assert full.status_code == 200
    assert full.headers["Content-Type"] == "video/mp4"
    assert full.headers["Accept-Ranges"] == "bytes"
    assert full.data == data
    part = gateway_client.get(path, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.data == data[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(data)}"
    tail = gateway_client.get(path, headers={"Range": "bytes=-10"})
    assert tail.data == data[-10:]


def test_gateway_refuses_tampered_or_expired_links(gateway_client: Client) -> None:
    blobs = get_platform().blobs
    blobs.put_bytes("videos/u/v/out.mp4", b"secret", content_type="video/mp4")
    path = _path(blobs.signed_url("videos/u/v/out.mp4"))
    tampered = path.replace("videos/u/", "videos/x/")
    r = gateway_client.get(tampered)
    assert r.status_code == 403
    assert r.json["error"]["code"] == "invalid_signature"
    expired = _path(blobs.signed_url("videos/u/v/out.mp4", expires_in=timedelta(seconds=-1)))
    assert gateway_client.get(expired).status_code == 403
    assert gateway_client.get("/_blobs/videos/u/v/out.mp4").status_code == 403


def test_download_name_sets_attachment(gateway_client: Client) -> None:
    blobs = get_platform().blobs
    blobs.put_bytes("v/out.mp4", b"abc", content_type="video/mp4")
    r = gateway_client.get(_path(blobs.signed_url("v/out.mp4", download_name="my video.mp4")))
    assert r.status_code == 200
    assert "attachment" in r.headers["Content-Disposition"]
