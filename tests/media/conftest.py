"""Fixtures for the render engine tests: small synthetic media, no network."""

from __future__ import annotations

import shutil
import wave
from pathlib import Path

import numpy as np
import pytest
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
    shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
    reason="ffmpeg/ffprobe not installed",
)
requires_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="no espeak-ng")
