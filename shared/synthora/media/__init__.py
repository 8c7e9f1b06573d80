"""Offline render engine: local TTS, generated visuals, music, captions, one-pass FFmpeg.

Public API:
    render(request=RenderRequest) -> RenderResult      (synthora.media.assemble)
    probe(path) -> ProbeResult; make_thumbnail(...)
    synthesize(text=, voice=, out_path=) -> SynthesizedSpeech   (synthora.media.voice_local)
    pick_track(mood=, seed=) -> MusicTrack | None                (synthora.media.music)
    build_ass(...) -> str                                        (synthora.media.captions)
    ffmpeg() / ffprobe_path() -> where the executables come from (synthora.media.binaries)

The models and errors are imported with the package; the engine's modules
(numpy, Pillow, the FFmpeg graph builder) only when one of their names is
first used, so a function that merely names a model type does not pay for
them at cold start (bench/bench_coldstart.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from synthora.media.errors import EngineUnavailableError, FfmpegError, MediaError, SpeechError
from synthora.media.models import (
    MusicTrack,
    ProbeResult,
    RenderRequest,
    RenderResult,
    RenderStyle,
    SceneSpec,
    SynthesizedSpeech,
    VoiceSpec,
    WordTiming,
)

if TYPE_CHECKING:
    from synthora.media.assemble import FfmpegProgress, make_thumbnail, probe, render
    from synthora.media.music import pick_track
    from synthora.media.voice_local import synthesize

#: Names served from the engine's modules, imported on first use.
_LAZY = {
    "FfmpegProgress": "synthora.media.assemble",
    "make_thumbnail": "synthora.media.assemble",
    "probe": "synthora.media.assemble",
    "render": "synthora.media.assemble",
    "pick_track": "synthora.media.music",
    "synthesize": "synthora.media.voice_local",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "EngineUnavailableError",
    "FfmpegError",
    "FfmpegProgress",
    "MediaError",
    "MusicTrack",
    "ProbeResult",
    "RenderRequest",
    "RenderResult",
    "RenderStyle",
    "SceneSpec",
    "SpeechError",
    "SynthesizedSpeech",
    "VoiceSpec",
    "WordTiming",
    "make_thumbnail",
    "pick_track",
    "probe",
    "render",
    "synthesize",
]
