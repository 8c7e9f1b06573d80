"""Fixtures for provider tests: real tiny media made with ffmpeg, and a client.

Audio and video returned by mocked APIs are real files so that duration and
size probing (ffprobe) is exercised for real.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

needs_ffmpeg = pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
    reason="ffmpeg/ffprobe not installed",
)


def _ffmpeg(tmp: Path, name: str, *args: str) -> bytes:
    out = tmp / name
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-v", "error", "-y", *args, str(out)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return out.read_bytes()


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not installed")
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def mp3_1500ms(media_dir: Path) -> bytes:
    """1.5 s of a 440 Hz tone as MP3."""
    return _ffmpeg(
        media_dir, "tone.mp3", "-f", "lavfi", "-i", "sine=frequency=440:duration=1.5",
        "-c:a", "libmp3lame", "-b:a", "64k",
    )  # fmt: skip


@pytest.fixture(scope="session")
def mp3_1000ms(media_dir: Path) -> bytes:
    """1.0 s of silence as MP3 (same codec settings as mp3_1500ms, so they concat)."""
    return _ffmpeg(
        media_dir, "silence.mp3", "-f", "lavfi", "-i", "sine=frequency=220:duration=1.0",
        "-c:a", "libmp3lame", "-b:a", "64k",
    )  # fmt: skip


@pytest.fixture(scope="session")
def portrait_mp4(media_dir: Path) -> bytes:
    """A 1 s 72x128 H.264 clip (portrait)."""
    return _ffmpeg(
        media_dir, "clip.mp4", "-f", "lavfi", "-i", "testsrc=size=72x128:rate=10:duration=1",
        "-c:v", "libx264", "-pix_fmt", "yuv420p",
    )  # fmt: skip


@pytest.fixture(scope="session")
def portrait_jpg(media_dir: Path) -> bytes:
    """A 54x96 JPEG (portrait)."""
    return _ffmpeg(
        media_dir, "still.jpg", "-f", "lavfi", "-i", "color=c=blue:size=54x96",
        "-frames:v", "1",
    )  # fmt: skip


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    """An injected client; respx intercepts it like any other."""
    with httpx.Client(timeout=5.0) as c:
        yield c
