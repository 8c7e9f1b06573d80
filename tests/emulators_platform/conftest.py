"""Fixtures for the platform emulators' own tests: real MP4s, a loopback file server, OAuth."""

from __future__ import annotations

import shutil
import struct
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from tests.conftest import PlatformEmulators, free_port


def _ffmpeg() -> str:
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError):
        found = shutil.which("ffmpeg")
        if found is None:
            pytest.skip("no ffmpeg (imageio-ffmpeg or system) to make a test MP4")
        return found


@pytest.fixture(scope="session")
def small_mp4(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real 4 s, 180x320 H.264/AAC MP4 (about 50 KB)."""
    out = tmp_path_factory.mktemp("mp4") / "small.mp4"
    subprocess.run(
        [
            _ffmpeg(),
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=180x320:rate=24",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440",
            "-t",
            "4",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            str(out),
        ],
        check=True,
        timeout=120,
    )
    return Path(out).read_bytes()


@pytest.fixture(scope="session")
def large_mp4(small_mp4: bytes) -> bytes:
    """The same MP4 followed by an 11 MiB `free` box: still a valid MP4, and big enough for
    two TikTok chunks (each at least 5 MB)."""
    pad = 11 * 1024 * 1024
    return small_mp4 + struct.pack(">I4s", pad + 8, b"free") + b"\0" * pad


class FileServer:
    """Serves registered bytes over loopback HTTP, as our signed blob URLs do."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.hits: list[str] = []
        files, hits = self.files, self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                body = files.get(urlparse(self.path).path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "video/mp4")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str, body: bytes) -> str:
        self.files[path] = body
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def file_server() -> Iterator[FileServer]:
    server = FileServer()
    try:
        yield server
    finally:
        server.close()


def consent(
    emulators: PlatformEmulators,
    authorize_path: str,
    params: dict[str, str],
    *,
    account: str,
    scopes: list[str] | None = None,
    decision: str = "allow",
) -> dict[str, str]:
    """Open the consent page, check it says it is emulated, submit it; the redirect's query."""
    url = emulators.url + authorize_path
    page = httpx.get(url, params=params)
    assert page.status_code == 200, page.text
    assert "Emulated (local)" in page.text
    assert f'value="{account}"' in page.text
    form: dict[str, object] = {"decision": decision, "account": account}
    if scopes is not None:
        form["scope"] = scopes
    r = httpx.post(url, params=params, data=form)
    assert r.status_code == 302, r.text
    location = r.headers["Location"]
    assert location.startswith(params["redirect_uri"])
    return {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}


def clock_now(emulators: PlatformEmulators) -> float:
    """The emulated clock's current time (epoch seconds)."""
    value = emulators.control("clock")["now"]
    assert isinstance(value, float)
    return value


def seen(emulators: PlatformEmulators, prefix: str) -> dict[str, Any]:
    """What one platform emulator received (its control API inspection)."""
    return dict(emulators.inspect(prefix))
