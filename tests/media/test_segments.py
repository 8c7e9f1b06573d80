"""Long videos render in segments joined without a re-encode: the joins must not show.

Tiny fixtures (solid-colour backgrounds, 20 fps, 1:1 at 0.2 scale) rendered
with a 2 s segment length, so a 4 s video is two segments; the same request
rendered in one pass is the reference.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from synthora.media import assemble, binaries
from synthora.media.models import RenderRequest, RenderStyle, SceneSpec, SynthesizedSpeech

from .conftest import requires_ffmpeg, write_tone

FPS = 20
# Scene i's background: its corner's strongest channel says which scene shows.
COLOURS = [(220, 30, 30), (30, 200, 30), (30, 30, 220), (220, 30, 30)]
CHANNEL = [0, 1, 2, 0]


def test_plan_cuts_whole_scenes_and_keeps_short_videos_in_one_pass() -> None:
    assert assemble.plan_segments([6.0] * 5, 0.5, 40.0) == [(0, 4)]
    assert assemble.plan_segments([1.0] * 4, 0.5, 2.0) == [(0, 1), (2, 3)]
    assert assemble.plan_segments([9.0] * 20, 0.5, 40.0) == [
        (0, 3), (4, 7), (8, 11), (12, 15), (16, 19),
    ]  # fmt: skip
    # A scene longer than a segment is a segment of its own.
    assert assemble.plan_segments([1.0, 5.0, 1.0], 0.5, 2.0) == [(0, 0), (1, 1), (2, 2)]


def _backgrounds(tmp: Path) -> list[Path]:
    paths = []
    for i, colour in enumerate(COLOURS):
        path = tmp / f"bg{i}.png"
        subprocess.run(
            [binaries.ffmpeg(), "-v", "error", "-f", "lavfi", "-i",
             f"color=c=0x{bytes(colour).hex()}:s=320x320", "-frames:v", "1", str(path)],
            check=True,
        )  # fmt: skip
        paths.append(path)
    return paths


def _request(tmp: Path, name: str, backgrounds: list[Path], voice: Path) -> RenderRequest:
    # Only the third scene speaks: a 1 kHz tone from its very start.
    speech = SynthesizedSpeech(
        audio_path=voice, duration_s=0.6, words=[], sample_rate=22050, provider="test",
        voice_id="tone",
    )  # fmt: skip
    return RenderRequest(
        scenes=[SceneSpec(duration_s=1.0) for _ in COLOURS],
        style=RenderStyle(fps=FPS, encoder_preset="ultrafast", transition="fade",
                          transition_s=0.5, motion="static", caption_style="none",
                          aspect_ratio="1:1", music_mood="none"),
        backgrounds=backgrounds,
        scene_speech=[None, None, speech, None],
        output_path=tmp / f"{name}.mp4",
        scale=0.2,
    )  # fmt: skip


def _frames(path: Path, width: int, height: int) -> np.ndarray:
    raw = subprocess.run(
        [binaries.ffmpeg(), "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt",
         "rgb24", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3)


def _audio(path: Path) -> np.ndarray:
    raw = subprocess.run(
        [binaries.ffmpeg(), "-v", "error", "-i", str(path), "-f", "f32le", "-ac", "1", "-ar",
         "48000", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, np.float32)


@requires_ffmpeg
@pytest.mark.slow
def test_segments_join_with_every_frame_the_transition_across_the_join_and_audio_in_sync(
    tmp_path: Path,
) -> None:
    backgrounds = _backgrounds(tmp_path)
    voice = write_tone(tmp_path / "voice.wav", seconds=0.6, freq=1000)
    one = assemble.render(request=_request(tmp_path, "one", backgrounds, voice))
    runs: list[str] = []
    real = assemble.run_ffmpeg

    def counting(args: list[str], **kwargs: object) -> assemble.FfmpegRun:
        runs.append(str(kwargs.get("what")))
        return real(args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(assemble, "run_ffmpeg", counting)
        split = assemble.render(
            request=_request(tmp_path, "split", backgrounds, voice), segment_s=2.0
        )
    assert runs == ["render segment 1/2", "render segment 2/2", "join segments"]

    video = _frames(split.path, split.width, split.height)
    reference = _frames(one.path, one.width, one.height)
    assert len(video) == len(reference) == 4 * FPS  # no frame lost or doubled at the join
    assert abs(split.duration_s - 4.0) <= 1 / FPS
    corner = video[:, 2:10, 2:10].reshape(len(video), -1, 3).mean(axis=1)
    corner_one = reference[:, 2:10, 2:10].reshape(len(reference), -1, 3).mean(axis=1)
    # Away from the transitions (where the one-pass render's own output timing
    # may shift a blend by a frame or two), the joined video is the one-pass one.
    steady = [
        f for f in range(len(video))
        if not any(t - 0.1 <= f / FPS <= t + 0.65 for t in (1.0, 2.0, 3.0))
    ]  # fmt: skip
    difference = np.abs(corner[steady] - corner_one[steady]).max(axis=1)
    assert difference.max() < 12, dict(zip(steady, difference, strict=True))
    # Each transition blends only within its window: tr seconds from its scene start.
    for f in range(len(video)):
        pure = max(corner[f]) > 190
        if not pure:
            assert any(t <= f / FPS <= t + 0.5 + 1 / FPS for t in (1.0, 2.0, 3.0)), f

    def channel(frame: int) -> int:
        return int(np.argmax(corner[frame]))

    for second, scene in ((0.2, 0), (0.9, 0), (1.6, 1), (1.9, 1), (2.6, 2), (2.95, 2),
                          (3.6, 3), (3.95, 3)):  # fmt: skip
        frame = min(len(video) - 1, round(second * FPS))
        assert channel(frame) == CHANNEL[scene], (second, corner[frame])
    # The transition into scene 2 (2.0-2.5 s) lies in the first segment and blends both;
    # the first frame of the second segment (2.5 s) shows scene 2 alone.
    halfway = round(2.25 * FPS)
    assert corner[halfway][1] > 60 and corner[halfway][2] > 60, corner[halfway]
    assert channel(round(2.5 * FPS)) == 2 and corner[round(2.5 * FPS)][1] < 60

    # Audio: mixed once over the whole timeline, as long as the video, the tone on cue.
    audio = _audio(split.path)
    assert abs(len(audio) / 48000 - 4.0) <= 0.05
    onset = int(np.argmax(np.abs(audio) > 0.05)) / 48000
    onset_one = int(np.argmax(np.abs(_audio(one.path)) > 0.05)) / 48000
    assert abs(onset - 2.0) <= 1 / FPS and abs(onset - onset_one) <= 0.005, (onset, onset_one)
