"""Offline renders checked with ffprobe, frame pixels and loudness measurements."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from synthora.media import assemble, binaries
from synthora.media.errors import FfmpegError
from synthora.media.models import (
    MusicTrack,
    RenderRequest,
    RenderStyle,
    SceneSpec,
    SynthesizedSpeech,
    VoiceSpec,
)
from synthora.media.voice_local import synthesize

from .conftest import requires_espeak, requires_ffmpeg, write_tone

pytestmark = [requires_ffmpeg]

NARRATION = ["Save a little.", "Automate it.", "Watch it grow!"]


@pytest.fixture(scope="module")
def voices(tmp_path_factory: pytest.TempPathFactory) -> list[SynthesizedSpeech]:
    folder = tmp_path_factory.mktemp("voices")
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng not installed")
    return [
        synthesize(text=t, voice=VoiceSpec(speed=1.3), out_path=folder / f"{i}.wav",
                   engine="espeak-ng")
        for i, t in enumerate(NARRATION)
    ]  # fmt: skip


def _request(
    out: Path, voices: list[SynthesizedSpeech], *, music: MusicTrack | None = None, **style: object
) -> RenderRequest:
    return RenderRequest(
        scenes=[
            SceneSpec(narration=t, keywords=["money"], duration_s=1.6, on_screen_text="")
            for t in NARRATION
        ],
        style=RenderStyle(fps=24, encoder_preset="ultrafast", **style),  # type: ignore[arg-type]
        scene_speech=voices,
        music=music,
        output_path=out,
        scale=0.25,
    )


def _frame(path: Path, at_s: float) -> np.ndarray:
    """One decoded RGB frame as an array."""
    info = assemble.probe(path)
    raw = subprocess.run(
        [binaries.ffmpeg(), "-v", "error", "-ss", f"{at_s:.3f}", "-i", str(path), "-frames:v", "1",
         "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    assert info.width and info.height
    return np.frombuffer(raw, np.uint8).reshape(info.height, info.width, 3)


def _loudness(path: Path) -> tuple[float, float]:
    """(integrated loudness in LUFS, true peak in dBTP) as ffmpeg's EBU R128 meter reads them."""
    err = subprocess.run(
        [binaries.ffmpeg(), "-hide_banner", "-nostats", "-i", str(path), "-af",
         "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    ).stderr  # fmt: skip
    integrated = float(re.findall(r"I:\s+(-?[\d.]+) LUFS", err)[-1])
    peak = float(re.findall(r"Peak:\s+(-?[\d.]+|-inf) dBFS", err)[-1])
    return integrated, peak


def _assert_normalised(path: Path) -> None:
    integrated, peak = _loudness(path)
    assert abs(integrated - assemble.TARGET_LUFS) <= 1.0, integrated
    assert peak <= assemble.TRUE_PEAK + 0.5, peak


def test_the_gain_is_linear_and_limited_only_when_the_peak_would_clip() -> None:
    assert assemble._linear_gain(measured_i=-20.0, measured_tp=-12.0) == "volume=6.00dB"
    quiet_but_peaky = assemble._linear_gain(measured_i=-24.0, measured_tp=-3.0)
    assert quiet_but_peaky.startswith("volume=10.00dB,alimiter=limit=0.7943:")
    assert "level=0" in quiet_but_peaky  # alimiter would otherwise renormalise to 0 dBFS
    assert assemble._linear_gain(measured_i=-10.0, measured_tp=-1.0) == "volume=-4.00dB"


@requires_espeak
@pytest.mark.slow
@pytest.mark.parametrize(
    ("ratio", "size", "transition", "motion"),
    [
        ("9:16", (270, 480), "fade", "ken_burns"),
        ("16:9", (480, 270), "slide", "pan"),
        ("1:1", (270, 270), "wipe", "static"),
    ],
)
def test_render_each_aspect_ratio(
    tmp_path: Path,
    voices: list[SynthesizedSpeech],
    ratio: str,
    size: tuple[int, int],
    transition: str,
    motion: str,
) -> None:
    request = _request(
        tmp_path / "v.mp4", voices, aspect_ratio=ratio, transition=transition, motion=motion,
        hook_overlay="Money tips",
    )  # fmt: skip
    expected = sum(assemble.scene_durations(request))
    assert 4.0 <= expected <= 6.5
    result = assemble.render(request=request)
    info = assemble.probe(result.path)
    assert (info.width, info.height) == size == (result.width, result.height)
    assert abs(info.duration_s - expected) <= 0.1 * expected
    assert info.has_audio and result.has_audio
    codecs = {s.codec_type: s.codec_name for s in info.streams}
    assert codecs == {"video": "h264", "audio": "aac"}
    assert result.ffmpeg_seconds > 0 and result.peak_rss_bytes > 10 * 2**20
    assert len(result.icons) == 3
    # +faststart: the moov atom precedes the media data.
    head = result.path.read_bytes()[:200_000]
    assert 0 <= head.find(b"moov") < head.find(b"mdat")


@requires_espeak
@pytest.mark.slow
def test_captions_are_burnt_in_where_narration_is(
    tmp_path: Path, voices: list[SynthesizedSpeech]
) -> None:
    renders = {}
    for style in ("karaoke", "none"):
        request = _request(
            tmp_path / f"{style}.mp4", voices, caption_style=style, transition="none",
            motion="static", caption_position="bottom",
        )  # fmt: skip
        renders[style] = assemble.render(request=request)
    with_captions, without = renders["karaoke"], renders["none"]
    word = voices[1].words[0]
    at = (
        assemble.scene_durations(_request(tmp_path / "x.mp4", voices))[0]
        + (word.start_s + word.end_s) / 2
    )
    a, b = _frame(with_captions.path, at), _frame(without.path, at)
    height = a.shape[0]
    # The caption band on 9:16 bottom: from 60% to 80% of the height.
    band = slice(int(height * 0.6), int(height * 0.8))
    changed = np.abs(a[band].astype(int) - b[band].astype(int)).max(axis=2) > 60
    assert changed.mean() > 0.02, "caption pixels should differ from the caption-less render"
    # Elsewhere (top 30%, no hook) the two renders match: only captions differ.
    top = slice(0, int(height * 0.3))
    assert np.abs(a[top].astype(int) - b[top].astype(int)).mean() < 3


@pytest.mark.slow
def test_music_is_ducked_under_voice_and_loudness_is_normalised(
    tmp_path: Path, tone_speech: SynthesizedSpeech, tone_music: MusicTrack
) -> None:
    # Scene 1 has 'speech' (1 kHz tone, 0-1.4 s); scene 2 is silent: only music (200 Hz).
    request = RenderRequest(
        scenes=[SceneSpec(duration_s=2.0), SceneSpec(duration_s=3.0)],
        style=RenderStyle(fps=24, encoder_preset="ultrafast", transition="none",
                          caption_style="none", music_volume=0.5),
        scene_speech=[tone_speech, None],
        music=tone_music,
        output_path=tmp_path / "m.mp4",
        scale=0.2,
    )  # fmt: skip
    result = assemble.render(request=request)
    assert result.music == tone_music
    pcm = subprocess.run(
        [binaries.ffmpeg(), "-v", "error", "-i", str(result.path), "-ac", "1", "-ar", "8000",
         "-f", "f32le", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    audio = np.frombuffer(pcm, "<f4")
    rate = 8000

    def band_rms(start: float, end: float, lo: float, hi: float) -> float:
        seg = audio[int(start * rate) : int(end * rate)]
        spectrum = np.abs(np.fft.rfft(seg)) ** 2
        freqs = np.fft.rfftfreq(len(seg), 1 / rate)
        return float(np.sqrt(spectrum[(freqs >= lo) & (freqs <= hi)].sum() / len(seg)))

    music_under_voice = band_rms(0.4, 1.3, 150, 250)
    music_alone = band_rms(3.0, 3.9, 150, 250)
    assert band_rms(0.4, 1.3, 900, 1100) > 0, "the voice is there"
    ducking_db = 20 * np.log10(music_alone / music_under_voice)
    assert ducking_db > 4, f"music only {ducking_db:.1f} dB quieter under the voice"
    _assert_normalised(result.path)


@requires_espeak
@pytest.mark.slow
def test_speech_and_music_render_is_near_minus_14_lufs(
    tmp_path: Path, voices: list[SynthesizedSpeech]
) -> None:
    music = MusicTrack(
        path=write_tone(tmp_path / "bed.wav", seconds=2.0, freq=330), mood="t", title="t",
        licence="MIT", attribution="t", source="t",
    )  # fmt: skip
    result = assemble.render(request=_request(tmp_path / "l.mp4", voices, music=music))
    _assert_normalised(result.path)


@pytest.mark.slow
def test_thumbnail_and_silent_video(tmp_path: Path) -> None:
    request = RenderRequest(
        scenes=[SceneSpec(duration_s=1.0, on_screen_text="Hello")],
        style=RenderStyle(fps=15, encoder_preset="ultrafast", music_mood="none"),
        output_path=tmp_path / "s.mp4",
        scale=0.15,
    )
    result = assemble.render(request=request)
    assert result.has_audio, "a silent track keeps players and platforms happy"
    thumb = assemble.make_thumbnail(video_path=result.path, out_path=tmp_path / "t.jpg")
    info = assemble.probe(thumb)
    assert (info.width, info.height) == (result.width, result.height)


def test_ffmpeg_failure_carries_stderr(tmp_path: Path) -> None:
    bogus = tmp_path / "not-a-video.mp4"
    bogus.write_text("nope")
    with pytest.raises(FfmpegError) as caught:
        assemble.make_thumbnail(video_path=bogus, out_path=tmp_path / "t.jpg", at_s=0)
    assert caught.value.returncode != 0
    assert "Invalid data" in caught.value.stderr_tail or "not-a-video" in caught.value.stderr_tail


@pytest.mark.slow
def test_given_image_and_video_backgrounds_with_one_speech_track(
    tmp_path: Path, tone_speech: SynthesizedSpeech
) -> None:
    image = tmp_path / "bg.png"
    clip = tmp_path / "bg.mp4"
    subprocess.run(
        [binaries.ffmpeg(), "-v", "error", "-f", "lavfi", "-i", "testsrc=s=160x120:r=10:d=1",
         "-frames:v", "1", str(image)],
        check=True,
    )  # fmt: skip
    subprocess.run(
        [binaries.ffmpeg(), "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=0.7",
         "-pix_fmt", "yuv420p", str(clip)],
        check=True,
    )  # fmt: skip
    request = RenderRequest(
        scenes=[SceneSpec(duration_s=0.6), SceneSpec(duration_s=0.6, icon="rocket")],
        style=RenderStyle(fps=15, encoder_preset="ultrafast", transition="dissolve",
                          aspect_ratio="16:9"),
        speech=tone_speech,  # 1.6 s: longer than the scenes, so the last one stretches
        backgrounds=[image, clip],
        output_path=tmp_path / "g.mp4",
        scale=0.2,
    )  # fmt: skip
    assert sum(assemble.scene_durations(request)) == pytest.approx(1.85)
    result = assemble.render(request=request)
    assert (result.width, result.height) == (384, 216)
    assert abs(result.duration_s - 1.85) <= 0.185
    assert result.has_audio


@pytest.mark.slow
@pytest.mark.parametrize("transition", ["fade", "slide"])
def test_transitions_blend_only_the_overlaps_and_keep_every_frame(
    tmp_path: Path, transition: str
) -> None:
    # Solid red, green and blue backgrounds: away from the centred icon, a
    # frame's corner says which scene (or which blend of two) it shows.
    colours = [(220, 30, 30), (30, 200, 30), (30, 30, 220)]
    backgrounds = []
    for i, colour in enumerate(colours):
        path = tmp_path / f"bg{i}.png"
        subprocess.run(
            [binaries.ffmpeg(), "-v", "error", "-f", "lavfi", "-i",
             f"color=c=0x{bytes(colour).hex()}:s=320x320", "-frames:v", "1", str(path)],
            check=True,
        )  # fmt: skip
        backgrounds.append(path)
    fps = 20
    request = RenderRequest(
        scenes=[SceneSpec(duration_s=1.0), SceneSpec(duration_s=1.0), SceneSpec(duration_s=1.0)],
        style=RenderStyle(fps=fps, encoder_preset="ultrafast", transition=transition,
                          transition_s=0.5, motion="static", caption_style="none",
                          aspect_ratio="1:1", music_mood="none"),
        backgrounds=backgrounds,
        output_path=tmp_path / "t.mp4",
        scale=0.2,
    )  # fmt: skip
    result = assemble.render(request=request)
    frames = subprocess.run(
        [binaries.ffmpeg(), "-v", "error", "-i", str(result.path), "-f", "rawvideo",
         "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    video = np.frombuffer(frames, np.uint8).reshape(-1, result.height, result.width, 3)
    assert len(video) == 3 * fps  # no frame lost or doubled where the segments meet
    corner = video[:, 4:20, 4:20].reshape(len(video), -1, 3).mean(axis=1)

    def dominant(frame: int) -> int:
        return int(np.argmax(corner[frame]))

    # Scene i shows alone from its start + the transition to its end.
    for second, scene in ((0.2, 0), (0.9, 0), (1.6, 1), (1.9, 1), (2.6, 2), (2.95, 2)):
        assert dominant(round(second * fps)) == scene, (second, corner[round(second * fps)])
    # Halfway through the first transition, both scenes are on screen.
    halfway = round(1.25 * fps)
    if transition == "fade":
        assert corner[halfway][0] > 60 and corner[halfway][1] > 60, corner[halfway]
    else:
        # slideleft: scene 2 enters from the right while the left edge still shows scene 1.
        right = video[halfway, 4:20, -20:-4].reshape(-1, 3).mean(axis=0)
        assert dominant(halfway) == 0 and int(np.argmax(right)) == 1, right
