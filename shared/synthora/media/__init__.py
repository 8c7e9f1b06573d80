"""Offline render engine: local TTS, generated visuals, music, captions, one-pass FFmpeg.

Public API:
    render(request=RenderRequest) -> RenderResult      (synthora.media.assemble)
    probe(path) -> ProbeResult; make_thumbnail(...)
    synthesize(text=, voice=, out_path=) -> SynthesizedSpeech   (synthora.media.voice_local)
    pick_track(mood=, seed=) -> MusicTrack | None                (synthora.media.music)
    build_ass(...) -> str                                        (synthora.media.captions)
    ffmpeg() / ffprobe_path() -> where the executables come from (synthora.media.binaries)
"""

from synthora.media.assemble import FfmpegProgress, make_thumbnail, probe, render
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
from synthora.media.music import pick_track
from synthora.media.voice_local import synthesize

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
