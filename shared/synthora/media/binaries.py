"""Where the render engine finds its executables, in one place.

- ffmpeg: `SYNTHORA_FFMPEG`, else `ffmpeg` on PATH, else the static build
  shipped in the `imageio-ffmpeg` wheel (what Cloud Run's Python runtime has:
  it installs no system packages).
- ffprobe: `SYNTHORA_FFPROBE`, else `ffprobe` on PATH, else None; `probe()`
  then reads `ffmpeg -i` instead (imageio-ffmpeg ships no ffprobe).

Nothing is cached: tests (and operators) change PATH and the variables at run
time, and a lookup costs microseconds next to the processes it starts.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

from synthora.media.errors import EngineUnavailableError

FFMPEG_ENV = "SYNTHORA_FFMPEG"
FFPROBE_ENV = "SYNTHORA_FFPROBE"


def _from_env(variable: str) -> str | None:
    """The executable named by `variable`; '' (unset or empty) means "not set".

    A set variable that names no executable file is taken as an explicit "this
    machine has none" (so tests can hide a tool), not silently skipped.
    """
    value = os.environ.get(variable, "").strip()
    if not value:
        return None
    found = shutil.which(value)
    if found is None and Path(value).is_file() and os.access(value, os.X_OK):
        found = value
    return found or ""


def bundled_ffmpeg() -> str | None:
    """The static ffmpeg inside the `imageio-ffmpeg` wheel, or None when not installed."""
    if importlib.util.find_spec("imageio_ffmpeg") is None:
        return None
    import imageio_ffmpeg  # a plain wheel: importing it starts nothing

    try:
        path = imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:  # installed without its binary (e.g. the sdist)
        return None
    return path if path and Path(path).is_file() else None


def ffmpeg_path() -> str | None:
    """ffmpeg to run: $SYNTHORA_FFMPEG, PATH, then imageio-ffmpeg; None when none exists."""
    configured = _from_env(FFMPEG_ENV)
    if configured is not None:
        return configured or None
    return shutil.which("ffmpeg") or bundled_ffmpeg()


def ffprobe_path() -> str | None:
    """ffprobe to run: $SYNTHORA_FFPROBE, then PATH; None when there is none."""
    configured = _from_env(FFPROBE_ENV)
    if configured is not None:
        return configured or None
    return shutil.which("ffprobe")


def ffmpeg() -> str:
    """ffmpeg's path; raises EngineUnavailableError when there is none."""
    path = ffmpeg_path()
    if path is None:
        raise EngineUnavailableError(
            "ffmpeg is not available: apt-get install ffmpeg, pip install imageio-ffmpeg, "
            f"or set {FFMPEG_ENV}"
        )
    return path


@functools.lru_cache(maxsize=8)
def ffmpeg_major_version(path: str) -> int | None:
    """The major version of the ffmpeg at `path` (None: a git build or unreadable)."""
    try:
        proc = subprocess.run(
            [path, "-hide_banner", "-version"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"ffmpeg version n?(\d+)\.", proc.stdout)
    return int(found.group(1)) if found else None


def filter_script_args(path: str, script: Path) -> list[str]:
    """Arguments reading a -filter_complex graph from `script`, for the ffmpeg at `path`.

    FFmpeg 7 added `-/filter_complex FILE` and FFmpeg 8 removed the old
    `-filter_complex_script FILE` (Debian 12 has 5.1, imageio-ffmpeg 0.8 has 9).
    """
    major = ffmpeg_major_version(path)
    if major is not None and major < 7:
        return ["-filter_complex_script", str(script)]
    return ["-/filter_complex", str(script)]


def describe() -> dict[str, str | None]:
    """Which executables the engine would use right now (for logs and health checks)."""
    return {"ffmpeg": ffmpeg_path(), "ffprobe": ffprobe_path()}
