"""Assembles a finished MP4 with ONE ffmpeg run, and probes/thumbnails videos.

The filter graph, per scene: a background (a still decoded once and repeated
with the `loop` filter or zoomed with `zoompan` over its single frame, or a
looped video), motion, the scene's icon overlaid; then xfade transitions
between scenes, ASS captions burnt in. Audio: the voice (per scene or one
track), a music bed ducked under it with `sidechaincompress`, and `loudnorm`
to -14 LUFS. Output: H.264 yuv420p + AAC with `+faststart`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from synthora.logs import fields, get_logger
from synthora.media import binaries, captions, layout, visuals
from synthora.media.errors import EngineUnavailableError, FfmpegError
from synthora.media.models import (
    ProbeResult,
    RenderRequest,
    RenderResult,
    StreamInfo,
    SynthesizedSpeech,
    WordTiming,
)

log = get_logger(__name__)

TARGET_LUFS = -14.0
TRUE_PEAK = -1.5  # dBTP ceiling
MOTION_MARGIN = layout.MOTION_MARGIN  # backgrounds are drawn larger than the frame, room to move
_XFADE = {
    "fade": "fade",
    "slide": "slideleft",
    "zoom": "zoomin",
    "wipe": "wipeleft",
    "dissolve": "dissolve",
}
_VIDEO_SUFFIXES = {".mp4", ".mov", ".webm", ".mkv", ".m4v", ".avi"}
_SPEECH_TAIL_S = 0.25  # silence kept after a scene's speech before the next scene
#: Videos longer than this render in segments of whole scenes about this long:
#: one ffmpeg graph holds every scene's decoded still and the encoder's
#: lookahead, so its memory grows with the scene count (see `plan_segments`).
SEGMENT_S = 40.0


class FfmpegRun(NamedTuple):
    """What one ffmpeg process cost."""

    seconds: float  # wall time
    peak_rss_bytes: int
    cpu_seconds: float  # user + system: steadier than wall time on a busy machine


@dataclass(frozen=True)
class FfmpegProgress:
    """One report of a running ffmpeg (from its `-progress` output)."""

    frames_done: int
    frames_total: int
    out_time_s: float
    elapsed_s: float

    @property
    def fraction(self) -> float:
        return min(1.0, self.frames_done / self.frames_total) if self.frames_total else 0.0

    @property
    def eta_s(self) -> float | None:
        """Seconds left at the speed so far; None until there is a speed to go by."""
        if self.frames_done <= 0 or self.elapsed_s <= 0:
            return None
        rate = self.frames_done / self.elapsed_s
        return max(0.0, (self.frames_total - self.frames_done) / rate)


#: How often a running ffmpeg's progress is handed to `on_progress`.
PROGRESS_EVERY_S = 1.0


def parse_progress(text: str) -> dict[str, str]:
    """The last complete block of ffmpeg's `-progress` key=value output."""
    blocks = text.split("progress=")
    # each block ends with "progress=continue|end"; the text after the last marker is partial
    complete = blocks[-2] if len(blocks) >= 2 else ""
    out: dict[str, str] = {}
    for line in complete.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            out[key.strip()] = value.strip()
    return out


def run_ffmpeg(
    args: list[str],
    *,
    what: str,
    timeout_s: float = 1800,
    frames_total: int | None = None,
    on_progress: Callable[[FfmpegProgress], None] | None = None,
) -> FfmpegRun:
    """Run ffmpeg with `args` and return its wall time, peak RSS and CPU time.

    Peak RSS comes from wait4's rusage of exactly this child, so concurrent
    children do not blur it. Raises FfmpegError with the stderr tail on failure.
    With `on_progress`, ffmpeg writes `-progress` reports and the callback gets
    one about every `PROGRESS_EVERY_S` (frames done of `frames_total`); when
    the callback raises, ffmpeg is killed and the exception propagates (a
    cancelled step stops here).
    """
    progress_args = ["-progress", "pipe:1", "-stats_period", "0.5"] if on_progress else []
    cmd = [
        binaries.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        *progress_args, *args,
    ]  # fmt: skip
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out if on_progress else subprocess.DEVNULL, stderr=err)
        deadline = start + timeout_s
        next_report = start + PROGRESS_EVERY_S
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            now = time.perf_counter()
            if now > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            if on_progress is not None and now >= next_report:
                next_report = now + PROGRESS_EVERY_S
                out.seek(0)
                report = parse_progress(out.read().decode(errors="replace"))
                out.seek(0, os.SEEK_END)
                if "frame" in report:
                    try:
                        on_progress(
                            FfmpegProgress(
                                frames_done=int(report["frame"]),
                                frames_total=frames_total or 0,
                                out_time_s=int(report.get("out_time_us", "0") or 0) / 1e6,
                                elapsed_s=now - start,
                            )
                        )
                    except BaseException:
                        proc.kill()
                        os.wait4(proc.pid, 0)
                        proc.returncode = -9
                        raise
            time.sleep(0.02)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # tell Popen it was reaped
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise FfmpegError(
            f"ffmpeg {what} failed", returncode=proc.returncode, stderr_tail=stderr[-4000:]
        )
    # Linux reports ru_maxrss in KiB.
    return FfmpegRun(seconds, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime)


def probe(path: Path, *, use_ffprobe: bool | None = None) -> ProbeResult:
    """Duration, size and streams of a media file.

    Uses ffprobe when there is one (see `binaries.ffprobe_path`), else reads
    the header ffmpeg prints for `ffmpeg -i FILE` (imageio-ffmpeg, as on Cloud
    Run, ships no ffprobe). `use_ffprobe=False` forces that fallback; True
    requires ffprobe. The fallback's duration has ffmpeg's 10 ms resolution.
    """
    ffprobe = binaries.ffprobe_path() if use_ffprobe is not False else None
    if ffprobe is None:
        if use_ffprobe:
            raise EngineUnavailableError(
                f"ffprobe is not available: apt-get install ffmpeg or set {binaries.FFPROBE_ENV}"
            )
        return _probe_with_ffmpeg(path)
    proc = subprocess.run(
        [ffprobe, "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proc.returncode != 0:
        raise FfmpegError(f"ffprobe {path}", returncode=proc.returncode, stderr_tail=proc.stderr)
    data = json.loads(proc.stdout)
    streams = [
        StreamInfo(
            index=int(s["index"]),
            codec_type=s.get("codec_type", "unknown"),
            codec_name=s.get("codec_name"),
            width=s.get("width"),
            height=s.get("height"),
            sample_rate=int(s["sample_rate"]) if s.get("sample_rate") else None,
        )
        for s in data.get("streams", [])
    ]
    return _probe_result(float(data.get("format", {}).get("duration", 0.0)), streams)


def _probe_result(duration_s: float, streams: list[StreamInfo]) -> ProbeResult:
    video = next((s for s in streams if s.codec_type == "video"), None)
    return ProbeResult(
        duration_s=duration_s,
        width=video.width if video else None,
        height=video.height if video else None,
        streams=streams,
    )


_DURATION = re.compile(r"^\s*Duration:\s*(?:(\d+):(\d+):(\d+(?:\.\d+)?)|N/A)", re.MULTILINE)
# "  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, mono, ..."
_STREAM = re.compile(
    r"^\s*Stream #0:(\d+)(?:\[[^\]]*\])?(?:\([^)]*\))?:\s*"
    r"(Video|Audio|Subtitle|Data|Attachment):\s*([^\s,]+)(.*)$",
    re.MULTILINE,
)
# WxH as its own token: "1080x1920", never a codec tag such as "0x31637661".
_SIZE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d*)x([1-9]\d*)(?![0-9A-Za-z])")
_RATE = re.compile(r"(?<![0-9A-Za-z.])(\d+) Hz\b")


def parse_ffmpeg_header(stderr: str) -> tuple[float, list[StreamInfo]]:
    """(duration, streams) from what `ffmpeg -hide_banner -i FILE` prints about input #0."""
    # Only the first input's section: stop at any "Output #"/next input header.
    section = stderr.split("\nOutput #", 1)[0].split("\nInput #1", 1)[0]
    duration = 0.0
    found = _DURATION.search(section)
    if found and found.group(1) is not None:
        hours, minutes, seconds = found.groups()
        duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    streams: list[StreamInfo] = []
    for match in _STREAM.finditer(section):
        index, kind, codec, rest = match.groups()
        codec_type = kind.lower()
        width = height = rate = None
        if codec_type == "video":
            size = _SIZE.search(rest)
            if size:
                width, height = int(size.group(1)), int(size.group(2))
        elif codec_type == "audio":
            hz = _RATE.search(rest)
            rate = int(hz.group(1)) if hz else None
        streams.append(
            StreamInfo(
                index=int(index),
                codec_type=codec_type,
                codec_name=codec,
                width=width,
                height=height,
                sample_rate=rate,
            )
        )
    return duration, streams


def _probe_with_ffmpeg(path: Path) -> ProbeResult:
    # ffmpeg with an input and no output prints the input's header, then exits 1
    # ("At least one output file must be specified"): the header is what we want.
    proc = subprocess.run(
        [binaries.ffmpeg(), "-hide_banner", "-nostdin", "-i", str(path)],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
        check=False,
    )
    if "Input #0" not in proc.stderr:
        raise FfmpegError(
            f"ffmpeg -i {path} (probe)", returncode=proc.returncode, stderr_tail=proc.stderr
        )
    duration, streams = parse_ffmpeg_header(proc.stderr)
    return _probe_result(duration, streams)


def make_thumbnail(
    *, video_path: Path, out_path: Path, at_s: float | None = None, width: int | None = None
) -> Path:
    """Save one frame of `video_path` as a JPEG/PNG (by suffix) at `at_s` seconds.

    Defaults to 1 s in (or the middle of shorter videos), where the hook overlay shows.
    """
    if at_s is None:
        at_s = min(1.0, probe(video_path).duration_s / 2)
    vf = f"scale={width}:-2" if width else "null"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    run_ffmpeg(
        ["-ss", f"{at_s:.3f}", "-i", str(video_path), "-frames:v", "1", "-vf", vf,
         "-q:v", "3", str(out_path)],
        what="thumbnail",
    )  # fmt: skip
    return out_path


def scene_durations(request: RenderRequest) -> list[float]:
    """Each scene's length: its own duration, stretched to fit its speech."""
    durations = [s.duration_s for s in request.scenes]
    if request.scene_speech is not None:
        for i, speech in enumerate(request.scene_speech):
            if speech is not None:
                durations[i] = max(durations[i], speech.duration_s + _SPEECH_TAIL_S)
    elif request.speech is not None:
        missing = request.speech.duration_s + _SPEECH_TAIL_S - sum(durations)
        if missing > 0:
            durations[-1] += missing
    return [round(d, 3) for d in durations]


def _global_words(request: RenderRequest, starts: list[float]) -> list[WordTiming]:
    if request.speech is not None:
        return list(request.speech.words)
    words: list[WordTiming] = []
    for start, speech in zip(starts, request.scene_speech or [], strict=False):
        if speech is None:
            continue
        words += [
            WordTiming(word=w.word, start_s=w.start_s + start, end_s=w.end_s + start)
            for w in speech.words
        ]
    return words


def _filter_path(path: Path) -> str:
    # Inside a filtergraph value: escape the characters the parser treats specially.
    text = str(path)
    for ch in ("\\", "'", ":", ",", "[", "]", ";"):
        text = text.replace(ch, "\\" + ch)
    return text


def render(
    *,
    request: RenderRequest,
    on_progress: Callable[[FfmpegProgress], None] | None = None,
    segment_s: float = SEGMENT_S,
) -> RenderResult:
    """Render `request` to `request.output_path` offline.

    A video up to `segment_s` long is one ffmpeg process doing all the media.
    A longer one is rendered in segments of whole scenes (`plan_segments`),
    each its own ffmpeg process, so the memory stays that of one segment
    whatever the duration; they are joined without a re-encode and the audio
    is mixed over the whole timeline once (`_render_segments`).

    `on_progress` gets the frames encoded so far of all of them, about once a
    second (`run_ffmpeg`).

    Raises FfmpegError (with ffmpeg's stderr tail) when ffmpeg fails and
    EngineUnavailableError when ffmpeg is not installed.
    """
    style = request.style
    width, height = request.size()
    fps = style.fps
    n = len(request.scenes)
    durations = scene_durations(request)
    starts = [sum(durations[:i]) for i in range(n)]
    total = sum(durations)
    use_xfade = style.transition != "none" and n > 1
    tr = min(style.transition_s, min(durations) / 2) if use_xfade else 0.0
    request.output_path.parent.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="synthora-render-") as tmp_name:
        tmp = Path(tmp_name)
        margin_w = _even(width * MOTION_MARGIN)
        margin_h = _even(height * MOTION_MARGIN)
        frame = layout.frame_layout(style=style, width=width, height=height)
        # Ken Burns shows the whole (larger) still at zoom 1: the icon is drawn
        # larger by the same factor; pan and static crops show it 1:1.
        still_scale = margin_h / height if style.motion == "ken_burns" else 1.0
        still_icon = _even(frame.icon_size * still_scale)
        still_icon_y = (margin_h / 2 + (frame.icon_center_y - height / 2) * still_scale) / margin_h
        accent = style.palette[-1]
        givens = [request.backgrounds[i] if request.backgrounds else None for i in range(n)]
        stems = visuals.choose_icons([(s.keywords, s.icon) for s in request.scenes])

        def picture(i: int) -> tuple[Path, str, Path | None]:
            """The scene's icon, and its still (None when the background is a video)."""
            scene = request.scenes[i]
            given = givens[i]
            moving = given is not None and given.suffix.lower() in _VIDEO_SUFFIXES
            icon_path, source = visuals.render_icon(
                keywords=scene.keywords, icon=stems[i], accent=accent,
                size=frame.icon_size if moving else still_icon, out_path=tmp / f"icon{i}.png",
            )  # fmt: skip
            if moving:
                return icon_path, source, None
            still = visuals.compose_still(
                background=given, palette=style.palette, width=margin_w, height=margin_h,
                seed=i + request.seed, icon_png=icon_path, icon_center_y=still_icon_y,
                out_path=tmp / f"still{i}.png",
            )  # fmt: skip
            return icon_path, source, still

        # The loudness pass (an ffmpeg process) and the stills (Pillow, which
        # releases the GIL while it resamples and encodes) overlap: ~0.8 s less.
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="render-prep") as pool:
            loudness = pool.submit(_measure_loudness, request, durations, total)
            pictures = list(pool.map(picture, range(n)))
            measure_s, measure_rss, loudnorm = loudness.result()
        icon_sources = [source for _, source, _ in pictures]

        def scene_chain(i: int, add_input: Callable[..., int], graph: list[str]) -> None:
            """Append the filters producing [sc{i}]: scene i's background, motion and icon."""
            icon_path, _, still = pictures[i]
            length = durations[i] + (tr if use_xfade and i < n - 1 else 0.0)
            frames = max(1, round(length * fps))
            given = givens[i]
            if still is None and given is not None:
                k = add_input("-stream_loop", "-1", "-t", f"{length:.3f}", "-i", str(given))
                ik = add_input("-i", str(icon_path))
                graph.append(
                    f"[{k}:v]scale={width}:{height}:force_original_aspect_ratio=increase,"
                    f"crop={width}:{height},fps={fps},trim=duration={length:.3f},"
                    f"setpts=PTS-STARTPTS,format=yuv420p,setsar=1[bg{i}]"
                )
                # A video moves by itself: the icon stays put (eval=init: computed once).
                graph.append(
                    f"[bg{i}][{ik}:v]overlay=x=(W-w)/2:y={frame.icon_center_y}-h/2:eval=init:"
                    f"format=auto,format=yuv420p[sc{i}]"
                )
                return
            assert still is not None
            k = add_input("-i", str(still))
            motion = _motion(style.motion, i, width, height, frames, fps)
            graph.append(f"[{k}:v]format=yuv420p,setsar=1,{motion}[sc{i}]")

        ass = captions.build_ass(
            words=_global_words(request, starts), style=style, width=width, height=height,
            layout=frame, titles=[(starts[i], starts[i] + durations[i], s.on_screen_text)
                    for i, s in enumerate(request.scenes)],
        )  # fmt: skip
        ass_path = tmp / "captions.ass"
        ass_path.write_text(ass, encoding="utf-8")
        # fontsdir: libass loads the fonts there itself, so the captions do not
        # depend on fontconfig knowing them (Cloud Run has no system fonts).
        font = captions.font_file(style.font_family)
        fontsdir = f":fontsdir='{_filter_path(font.parent)}'" if font else ""
        burn = f"ass=filename='{_filter_path(ass_path)}'{fontsdir},format=yuv420p"
        encode = [
            "-c:v", "libx264", "-preset", style.encoder_preset, "-crf", str(style.crf),
            "-pix_fmt", "yuv420p", "-profile:v", "high",
        ]  # fmt: skip
        audio_out = ["-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-movflags", "+faststart"]
        frames_total = max(1, round(total * fps))
        plan = plan_segments(durations, tr if use_xfade else 0.0, segment_s)
        if len(plan) == 1:
            inputs: list[str] = []
            graph: list[str] = []
            add_input = _input_adder(inputs)
            for i in range(n):
                scene_chain(i, add_input, graph)
            # Transitions: each scene but the last is longer by `tr`, so offsets are the starts.
            if n == 1:
                graph.append("[sc0]null[vx]")
            elif use_xfade:
                graph += _transitions(durations, tr, _XFADE[style.transition])
            else:
                graph.append("".join(f"[sc{i}]" for i in range(n)) + f"concat=n={n}:v=1:a=0[vx]")
            graph.append(f"[vx]{burn}[vout]")
            graph += _audio_graph(request, durations, total, add_input, loudnorm)
            script = tmp / "graph.txt"
            script.write_text(";\n".join(graph), encoding="utf-8")
            args = [
                *inputs,
                *binaries.filter_script_args(binaries.ffmpeg(), script),
                "-map", "[vout]", "-map", "[aout]",
                "-r", str(fps), "-t", f"{total:.3f}",
                *encode, *audio_out, str(request.output_path),
            ]  # fmt: skip
            run = run_ffmpeg(
                args, what="render", frames_total=frames_total, on_progress=on_progress
            )
            runs = [run]
        else:
            runs = _render_segments(
                plan=plan, request=request, durations=durations, starts=starts, tr=tr,
                use_xfade=use_xfade, scene_chain=scene_chain, burn=burn, encode=encode,
                audio_out=audio_out, loudnorm=loudnorm, tmp=tmp, on_progress=on_progress,
            )  # fmt: skip
        seconds = sum(r.seconds for r in runs) + measure_s
        peak = max([measure_rss] + [r.peak_rss_bytes for r in runs])
        cpu_seconds = sum(r.cpu_seconds for r in runs)

    info = probe(request.output_path)
    log.info(
        "video rendered",
        extra=fields(
            path=str(request.output_path), seconds=round(seconds, 2), peak_rss_mb=peak >> 20,
            duration_s=info.duration_s, width=width, height=height, scenes=n,
        ),
    )  # fmt: skip
    return RenderResult(
        path=request.output_path,
        duration_s=info.duration_s,
        width=info.width or width,
        height=info.height or height,
        has_audio=info.has_audio,
        ffmpeg_seconds=round(seconds, 3),
        peak_rss_bytes=peak,
        ffmpeg_cpu_seconds=round(cpu_seconds, 3),
        music=request.music,
        icons=icon_sources,
    )


def _transitions(durations: list[float], tr: float, transition: str, first: int = 0) -> list[str]:
    """Filters joining [sc{first}].. (one per duration) into [vx], `transition` over each overlap.

    Every scene but the last is `tr` longer than its slot. xfade has no yuv420p
    mode, so chaining it over whole scenes converted EVERY frame to yuv444p (and
    the captions ran on, and the encoder converted back from, 444): about 8 s
    of a 30 s 1080x1920 render on 2 cores. Here each scene is cut into head,
    body and tail; only the tail/head pairs (tr seconds each) go through xfade
    and back to yuv420p, and the untouched bodies are concatenated around them.
    """
    n = len(durations)
    graph: list[str] = []
    segments: list[str] = []
    for i, length in enumerate(durations):
        j = first + i
        parts = ["b"] + (["h"] if i > 0 else []) + (["t"] if i < n - 1 else [])
        graph.append(f"[sc{j}]split={len(parts)}" + "".join(f"[{p}{j}in]" for p in parts))
        if i > 0:
            graph.append(f"[h{j}in]trim=end={tr:.3f},setpts=PTS-STARTPTS[h{j}]")
            graph.append(
                f"[t{j - 1}][h{j}]xfade=transition={transition}:duration={tr:.3f}:offset=0,"
                f"format=yuv420p[x{j}]"
            )
            segments.append(f"[x{j}]")
        body_start = tr if i > 0 else 0.0
        graph.append(
            f"[b{j}in]trim=start={body_start:.3f}:end={length:.3f},setpts=PTS-STARTPTS[b{j}]"
        )
        segments.append(f"[b{j}]")
        if i < n - 1:
            graph.append(f"[t{j}in]trim=start={length:.3f},setpts=PTS-STARTPTS[t{j}]")
    graph.append("".join(segments) + f"concat=n={len(segments)}:v=1:a=0[vx]")
    return graph


def _input_adder(inputs: list[str]) -> Callable[..., int]:
    """`add(*args)`: append an input's arguments to `inputs`, return its input index."""

    def add(*args: str) -> int:
        inputs.extend(args)
        return sum(1 for a in inputs if a == "-i") - 1

    return add


def plan_segments(durations: list[float], tr: float, segment_s: float) -> list[tuple[int, int]]:
    """Whole scenes grouped into segments of about `segment_s`: (first, last) scene indices.

    One segment when the video is no longer than `segment_s`. A segment ends
    right after the transition into the next segment's first scene (`tr`
    seconds of it), so every transition is rendered inside one segment.
    """
    if sum(durations) <= segment_s:
        return [(0, len(durations) - 1)]
    plan: list[tuple[int, int]] = []
    first, length = 0, 0.0
    for i, d in enumerate(durations):
        if i > first and length + d > segment_s:
            plan.append((first, i - 1))
            first, length = i, 0.0
        length += d
    plan.append((first, len(durations) - 1))
    return plan


def _render_segments(
    *,
    plan: list[tuple[int, int]],
    request: RenderRequest,
    durations: list[float],
    starts: list[float],
    tr: float,
    use_xfade: bool,
    scene_chain: Callable[[int, Callable[..., int], list[str]], None],
    burn: str,
    encode: list[str],
    audio_out: list[str],
    loudnorm: str | None,
    tmp: Path,
    on_progress: Callable[[FfmpegProgress], None] | None,
) -> list[FfmpegRun]:
    """Render the video of each segment, join them with the concat demuxer, mix the audio once.

    The segments cut the timeline at whole frames (`cuts`); each is its own
    H.264 encode with the same settings, so each starts on an IDR frame (x264
    writes closed GOPs) and the concat demuxer joins them with `-c:v copy`.
    A segment renders the scenes it owns plus the head of the next one, and
    ends right after the transition into it; the next segment starts its
    first scene `tr` in. Captions are burnt per segment at timeline time.
    """
    style = request.style
    fps = style.fps
    n = len(durations)
    total = sum(durations)
    cuts = [0.0] + [starts[last + 1] + tr for _, last in plan[:-1]] + [total]
    frame_cuts = [round(c * fps) for c in cuts]
    frames_total = frame_cuts[-1]
    runs: list[FfmpegRun] = []
    listing: list[str] = []
    elapsed = 0.0
    for k, (first, last) in enumerate(plan):
        inputs: list[str] = []
        graph: list[str] = []
        add_input = _input_adder(inputs)
        ahead = use_xfade and last < n - 1  # the head of the next scene, for the transition
        owned = list(range(first, last + 1)) + ([last + 1] if ahead else [])
        for i in owned:
            scene_chain(i, add_input, graph)
        if len(owned) == 1:
            graph.append(f"[sc{first}]null[vx]")
        elif use_xfade:
            slots = [durations[i] for i in range(first, last + 1)] + ([2 * tr] if ahead else [])
            graph += _transitions(slots, tr, _XFADE[style.transition], first=first)
        else:
            graph.append("".join(f"[sc{i}]" for i in owned) + f"concat={len(owned)}:v=1:a=0[vx]")
        start = frame_cuts[k] / fps
        frames = frame_cuts[k + 1] - frame_cuts[k]
        # Half a frame early: the frame on the cut belongs to this segment whatever the rounding.
        graph.append(
            f"[vx]fps={fps},trim=start={max(0.0, start - starts[first] - 0.5 / fps):.6f},"
            f"setpts=PTS-STARTPTS,setpts=PTS+{start:.6f}/TB,{burn},setpts=PTS-STARTPTS,"
            f"tpad=stop_mode=clone:stop_duration={2 / fps:.6f}[vout]"
        )
        script = tmp / f"graph-segment{k}.txt"
        script.write_text(";\n".join(graph), encoding="utf-8")
        out = tmp / f"segment{k}.mp4"
        done_before, elapsed_before = frame_cuts[k], elapsed

        def report(
            progress: FfmpegProgress, done: int = done_before, at: float = elapsed_before
        ) -> None:
            assert on_progress is not None
            on_progress(
                FfmpegProgress(
                    frames_done=done + progress.frames_done,
                    frames_total=frames_total,
                    out_time_s=done / fps + progress.out_time_s,
                    elapsed_s=at + progress.elapsed_s,
                )
            )

        run = run_ffmpeg(
            [
                *inputs, *binaries.filter_script_args(binaries.ffmpeg(), script),
                "-map", "[vout]", "-an", "-r", str(fps), "-frames:v", str(frames),
                *encode, str(out),
            ],
            what=f"render segment {k + 1}/{len(plan)}",
            frames_total=frames,
            on_progress=report if on_progress else None,
        )  # fmt: skip
        runs.append(run)
        elapsed += run.seconds
        listing += [f"file '{out.name}'", f"duration {frames / fps:.6f}"]
    concat_list = tmp / "segments.txt"
    concat_list.write_text("\n".join(listing) + "\n", encoding="utf-8")
    inputs = ["-f", "concat", "-safe", "0", "-i", str(concat_list)]
    graph = _audio_graph(request, durations, total, _input_adder(inputs), loudnorm)
    script = tmp / "graph-audio.txt"
    script.write_text(";\n".join(graph), encoding="utf-8")
    join = run_ffmpeg(
        [
            *inputs, *binaries.filter_script_args(binaries.ffmpeg(), script),
            "-map", "0:v", "-map", "[aout]", "-c:v", "copy", "-t", f"{total:.3f}",
            *audio_out, str(request.output_path),
        ],
        what="join segments",
    )  # fmt: skip
    return [*runs, join]


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def _motion(motion: str, index: int, width: int, height: int, frames: int, fps: int) -> str:
    """Filters turning ONE decoded still (drawn larger than the frame) into `frames` frames."""
    if motion == "ken_burns":
        # zoompan emits `d` frames per input frame: the still is decoded once.
        # Alternate zooming in and out so consecutive scenes do not feel identical.
        top = layout.KEN_BURNS_ZOOM
        step = top / frames
        zoom = f"1+{step:.6f}*on" if index % 2 == 0 else f"{1 + top:.2f}-{step:.6f}*on"
        return (
            f"zoompan=z='{zoom}':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':"
            f"d={frames}:s={width}x{height}:fps={fps},setsar=1"
        )
    looped = f"loop=loop={frames - 1}:size=1:start=0,setpts=N/{fps}/TB,fps={fps}"
    if motion == "pan":
        direction = "t" if index % 2 == 0 else f"({frames / fps:.3f}-t)"
        return (
            f"{looped},crop={width}:{height}:"
            f"x='(iw-ow)*{direction}/{frames / fps:.3f}':y='(ih-oh)/2'"
        )
    return f"{looped},crop={width}:{height}"


def _audio_graph(
    request: RenderRequest,
    durations: list[float],
    total: float,
    add: Callable[..., int],
    loudnorm: str | None,
) -> list[str]:
    """Filters ending in [aout]: voice, ducked music, then `loudnorm` (None: no audio source)."""
    fmt = "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo"
    graph: list[str] = []
    voice = False
    if request.speech is not None:
        k = add("-i", str(request.speech.audio_path))
        graph.append(f"[{k}:a]{fmt},apad=whole_dur={total:.3f},atrim=0:{total:.3f}[voice]")
        voice = True
    elif request.scene_speech is not None and any(request.scene_speech):
        labels = []
        for i, speech in enumerate(request.scene_speech):
            d = durations[i]
            if isinstance(speech, SynthesizedSpeech):
                k = add("-i", str(speech.audio_path))
                graph.append(f"[{k}:a]{fmt},apad=whole_dur={d:.3f},atrim=0:{d:.3f}[vo{i}]")
            else:
                graph.append(f"anullsrc=r=48000:cl=stereo,atrim=0:{d:.3f},{fmt}[vo{i}]")
            labels.append(f"[vo{i}]")
        graph.append("".join(labels) + f"concat=n={len(labels)}:v=0:a=1[voice]")
        voice = True
    music = request.music is not None and request.style.music_mood != "none"
    if music and request.music is not None:
        k = add("-stream_loop", "-1", "-i", str(request.music.path))
        fade = max(0.0, total - 1.5)
        graph.append(
            f"[{k}:a]{fmt},atrim=0:{total:.3f},asetpts=PTS-STARTPTS,"
            f"volume={request.style.music_volume:.3f},afade=t=in:d=0.5,"
            f"afade=t=out:st={fade:.3f}:d=1.5[music]"
        )
    # A gentle compressor evens out speech peaks first, so the linear (exact)
    # gain to the target rarely needs the limiter (see `_linear_gain`).
    norm = (
        f"acompressor=threshold=0.1:ratio=3:attack=5:release=120:makeup=1,{loudnorm},{fmt}"
        if loudnorm
        else fmt
    )
    if voice and music:
        graph.append("[voice]asplit=2[vmain][vkey]")
        # Duck the bed ~10 dB while the voice speaks; release slowly so it does not pump.
        graph.append(
            "[music][vkey]sidechaincompress=threshold=0.02:ratio=8:attack=15:release=350:"
            "makeup=1[ducked]"
        )
        graph.append(f"[vmain][ducked]amix=inputs=2:duration=first:normalize=0,{norm}[aout]")
    elif voice:
        graph.append(f"[voice]{norm}[aout]")
    elif music:
        graph.append(f"[music]{norm}[aout]")
    else:
        graph.append(f"anullsrc=r=48000:cl=stereo,atrim=0:{total:.3f}[aout]")
    return graph


_LOUDNORM = f"loudnorm=I={TARGET_LUFS}:TP={TRUE_PEAK}:LRA=11"


def _measure_loudness(
    request: RenderRequest, durations: list[float], total: float
) -> tuple[float, int, str | None]:
    """First pass over the audio alone: (seconds, peak RSS, second-pass filter).

    Single-pass (dynamic) loudnorm lands 1-2 LU under target on short speech;
    measuring first lets the render apply an exact linear gain. The meter is
    ffmpeg's EBU R128 scanner (`ebur128`, true peak on): the same figures as
    loudnorm's own first pass at a third of its cost, about 0.5 s for a 30 s
    video. None: there is no audio source.
    """
    inputs: list[str] = []

    def add(*args: str) -> int:
        inputs.extend(args)
        return sum(1 for a in inputs if a == "-i") - 1

    # framelog=verbose keeps its 10-per-second lines out of the info-level log.
    graph = _audio_graph(request, durations, total, add, "ebur128=peak=true:framelog=verbose")
    if not inputs:
        return 0.0, 0, None
    cmd = [
        binaries.ffmpeg(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", *inputs,
        "-filter_complex", ";".join(graph), "-map", "[aout]", "-f", "null", "-",
    ]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise FfmpegError("ffmpeg loudness pass failed", returncode=proc.returncode,
                          stderr_tail=proc.stderr[-4000:])  # fmt: skip
    summary = proc.stderr[proc.stderr.rfind("Integrated loudness:") :]
    integrated = _SUMMARY_I.search(summary)
    peak = _SUMMARY_PEAK.search(summary)
    if integrated is None or peak is None:
        log.warning("loudness pass gave no figures; using one-pass loudnorm")
        return seconds, 0, _LOUDNORM
    measured = float(integrated.group(1))
    if measured <= -69.9 or peak.group(1) == "-inf":  # silence: nothing to normalise
        return seconds, 0, "anull"
    return seconds, 0, _linear_gain(measured_i=measured, measured_tp=float(peak.group(1)))


_SUMMARY_I = re.compile(r"I:\s+(-?[\d.]+) LUFS")
_SUMMARY_PEAK = re.compile(r"Peak:\s+(-?[\d.]+|-inf) dBFS")


def _linear_gain(*, measured_i: float, measured_tp: float) -> str:
    """The second pass: one exact gain to the target loudness, as loudnorm's linear mode.

    loudnorm itself would apply the same gain but resamples to 192 kHz to
    watch true peaks, about 1.2 s of the render's one filter thread for a
    30 s video. A plain `volume` costs nothing; when the gain would push the
    measured true peak over the ceiling, a limiter holds sample peaks 0.5 dB
    under it (the margin covers inter-sample peaks).
    """
    gain = TARGET_LUFS - measured_i
    filters = [f"volume={gain:.2f}dB"]
    if measured_tp + gain > TRUE_PEAK:
        limit = 10 ** ((TRUE_PEAK - 0.5) / 20)
        filters.append(f"alimiter=limit={limit:.4f}:attack=5:release=50:level=0")
    return ",".join(filters)
