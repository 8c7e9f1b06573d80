"""Typed errors of the render engine."""

from __future__ import annotations


class MediaError(Exception):
    """Base class of every render-engine error."""


class EngineUnavailableError(MediaError):
    """A required local tool (ffmpeg, a TTS engine) is not installed."""


class FfmpegError(MediaError):
    """ffmpeg or ffprobe failed; carries its exit code and the end of its stderr."""

    def __init__(self, message: str, *, returncode: int, stderr_tail: str) -> None:
        super().__init__(f"{message} (exit {returncode}): {stderr_tail[-600:]}")
        self.returncode = returncode
        self.stderr_tail = stderr_tail


class SpeechError(MediaError):
    """A TTS engine ran but produced no usable speech."""
