"""Fixtures for the render engine tests: small synthetic media, no network."""

from __future__ import annotations

import shutil
import wave
from pathlib import Path

import numpy as np
import pytest

from synthora.media import binaries
from synthora.media.models import MusicTrack, SynthesizedSpeech, WordTiming


def write_tone(path: Path, *, seconds: float, freq: float, on_s: float | None = None) -> Path:
    """A mono 16-bit WAV sine at `freq`; silent after `on_s` seconds when given."""
    rate = 22050
    t = np.arange(int(seconds * rate)) / rate
    audio = 0.5 * np.sin(2 * np.pi * freq * t)
    if on_s is not None:
        audio[t >= on_s] = 0.0
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((audio * 32767).astype("<i2").tobytes())
    return path


@pytest.fixture
def tone_speech(tmp_path: Path) -> SynthesizedSpeech:
    """1 kHz 'speech' for 1.4 s with made-up word times, as one scene's voice."""
    path = write_tone(tmp_path / "voice.wav", seconds=1.6, freq=1000, on_s=1.4)
    words = [
        WordTiming(word="alpha", start_s=0.1, end_s=0.5),
        WordTiming(word="beta", start_s=0.55, end_s=0.9),
        WordTiming(word="gamma.", start_s=0.95, end_s=1.4),
    ]
    return SynthesizedSpeech(
        audio_path=path, duration_s=1.6, words=words, sample_rate=22050,
        provider="test", voice_id="tone",
    )  # fmt: skip


@pytest.fixture
def tone_music(tmp_path: Path) -> MusicTrack:
    """A steady 200 Hz bed, so ducking can be measured apart from the 1 kHz voice."""
    path = write_tone(tmp_path / "music.wav", seconds=3.0, freq=200)
    return MusicTrack(
        path=path, mood="test", title="tone", licence="MIT", attribution="test", source="test"
    )


requires_ffmpeg = pytest.mark.skipif(
    binaries.ffmpeg_path() is None, reason="no ffmpeg (system or imageio-ffmpeg)"
)
requires_ffprobe = pytest.mark.skipif(binaries.ffprobe_path() is None, reason="no ffprobe")
requires_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="no espeak-ng")


def hide_tools(monkeypatch: pytest.MonkeyPatch, folder: Path, *names: str) -> Path:
    """Point PATH at `folder`, holding links to every executable on PATH but `names`.

    Simulates a machine without those programs (Cloud Run has none of ffmpeg,
    ffprobe, espeak-ng, rsvg-convert, fc-match) while keeping the rest usable.
    """
    import os

    folder.mkdir(parents=True, exist_ok=True)
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not directory or not Path(directory).is_dir():
            continue
        for entry in Path(directory).iterdir():
            link = folder / entry.name
            if entry.name in names or link.exists() or link.is_symlink():
                continue
            if entry.is_file() and os.access(entry, os.X_OK):
                link.symlink_to(entry)
    monkeypatch.setenv("PATH", str(folder))
    for name in names:
        assert shutil.which(name) is None, name
    return folder
