"""Benchmark: a 1080x1920 video generated offline, through the queue (not a test).

Every step runs as its task function, delivered by the embedded queue's
dispatcher (in process, over a WSGI transport), exactly as on the local
platform. In the same run, with the render's encoder settings, ffmpeg

- encodes a static 1080x1920 colour source as long as the video (the encoder's
  cheapest content), and
- re-encodes the finished MP4 itself (decode + encode of exactly this
  content's pixels: the real floor of any render of it).

The ratios of the generation's wall time to each are the figures of merit
(goals: <= 2.5 and <= 1.3). The assembly's own split, filters against encode,
comes from running each of its ffmpeg graphs a second time into `-f null`
(no encoder) right after the real run; that extra time is taken out of the
generation's wall time. Peak memory is the assembly's largest ffmpeg
process plus this Python process (goal <= 512 MiB at every duration).

Each duration runs in its own fresh process, one after the other, and the
figures are printed side by side:

    make bench-video                               # 30 s
    make bench-video BENCH_VIDEO_ARGS="--durations 30 180"
    .venv/bin/python bench/bench_video.py --durations 30 180 [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TOPIC = "three money habits that quietly change your future"
GOAL_STATIC = 2.5
GOAL_REENCODE = 1.3
GOAL_PEAK_MIB = 512


def _encode_args(style: Any) -> list[str]:
    return [
        "-c:v", "libx264", "-preset", style.encoder_preset, "-crf", str(style.crf),
        "-pix_fmt", "yuv420p", "-profile:v", "high",
        "-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-movflags", "+faststart",
    ]  # fmt: skip


def _static_baseline(tmp: Path, *, style: Any, seconds: float) -> float:
    from synthora.media.assemble import run_ffmpeg

    return run_ffmpeg(
        [
            "-f", "lavfi", "-i", f"color=c=#334455:s=1080x1920:r={style.fps}:d={seconds:.3f}",
            "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo", "-t", f"{seconds:.3f}",
            *_encode_args(style), str(tmp / "baseline.mp4"),
        ],
        what="baseline",
    ).seconds  # fmt: skip


def _reencode(video: Path, tmp: Path, *, style: Any) -> float:
    from synthora.media.assemble import run_ffmpeg

    return run_ffmpeg(
        ["-i", str(video), *_encode_args(style), str(tmp / "reencode.mp4")], what="re-encode"
    ).seconds


class _FilterTimer:
    """Wraps the render's ffmpeg runs: after each encoding run, the same graph into -f null."""

    def __init__(self) -> None:
        self.filters_s = 0.0  # the graphs alone (decode + filters), no encoder
        self.encoding_runs_s = 0.0  # the real runs (decode + filters + encode)
        self.other_s = 0.0  # runs without an encoder (loudness pass, joins)
        self.peak_rss = 0

    def install(self) -> None:
        from synthora.media import assemble

        real = assemble.run_ffmpeg

        def timed(args: list[str], **kwargs: Any) -> Any:
            run = real(args, **kwargs)
            self.peak_rss = max(self.peak_rss, run.peak_rss_bytes)
            if str(kwargs.get("what", "")).startswith("render") and "libx264" in args:
                self.encoding_runs_s += run.seconds
                cut = args.index("-c:v")
                null = real([*args[:cut], "-f", "null", "-"], what="bench: graph only")
                self.filters_s += null.seconds
            else:
                self.other_s += run.seconds
            return run

        assemble.run_ffmpeg = timed  # type: ignore[assignment]


def run_one(seconds: int, template_id: str, keep: Path | None) -> dict[str, Any]:
    """Generate one video of about `seconds` through the queue; its figures."""
    data = Path(tempfile.mkdtemp(prefix="synthora-bench-video-"))
    os.environ.update(
        SYNTHORA_DATA_DIR=str(data), SYNTHORA_ENV_FILE="", SYNTHORA_LOG_LEVEL="WARNING"
    )
    os.environ.pop("FIREBASE_AUTH_EMULATOR_HOST", None)

    from synthora.local.inprocess import in_process_dispatcher
    from synthora.logs import configure
    from synthora.media import RenderStyle
    from synthora.pipeline.models import Step, VideoStatus
    from synthora.pipeline.runner import load_video
    from synthora.platform import get_platform
    from synthora.services.videos import CreateVideoRequest, insert_and_start, new_video_record
    from synthora.templates.system import get_system_template

    configure("WARNING")
    timer = _FilterTimer()
    timer.install()
    platform = get_platform()
    template = get_system_template(template_id)
    if template is None:
        raise SystemExit(f"unknown template {template_id}")
    config = template.config.model_copy(deep=True)
    config.video_structure.duration.min_seconds = max(5, seconds - 2)
    config.video_structure.duration.max_seconds = seconds + 2
    config.video_structure.num_scenes = min(20, max(5, round(seconds / 6)))
    config.visual_style.aspect_ratio = type(config.visual_style.aspect_ratio)("9:16")
    dispatcher = in_process_dispatcher(platform)
    video = new_video_record(
        video_id="bench",
        uid="bench-user",
        template_id=template.id,
        template_name=template.name,
        template_version=template.version,
        config=config.model_dump(mode="json"),
        request=CreateVideoRequest(template_id=template.id, topic=TOPIC, review_script=False),
        use_video_ai=False,
        integrations={},
    )
    started = time.monotonic()
    insert_and_start(platform=platform, video=video)
    while True:
        dispatcher.drain(timeout_s=2)
        current = load_video(platform, "bench")
        assert current is not None
        if current.status in (VideoStatus.completed, VideoStatus.failed):
            break
    wall = time.monotonic() - started - timer.filters_s
    assembly_other_s = timer.other_s  # before the baselines below run through the same wrapper
    if current.status != VideoStatus.completed or current.outputs is None:
        raise SystemExit(f"generation failed: {current.error}")
    steps = {
        s.value: (current.steps[s].finished_at - current.steps[s].started_at).total_seconds()
        for s in current.steps
        if current.steps[s].started_at and current.steps[s].finished_at
    }
    steps[Step.assembly.value] -= timer.filters_s
    python_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    out = current.outputs
    style = RenderStyle()
    video_file = data / "bench.mp4"
    platform.blobs.download_to(out.video_key, video_file)
    static = _static_baseline(data, style=style, seconds=out.duration_s)
    reencode = _reencode(video_file, data, style=style)
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copy(video_file, keep / f"bench-{seconds}s.mp4")
    figures = {
        "seconds": seconds,
        "video": f"{out.width}x{out.height}, {out.duration_s:.1f} s, {out.size_bytes / 1e6:.1f} MB",
        "scenes": config.video_structure.num_scenes,
        "steps": steps,
        "wall": wall,
        "static": static,
        "reencode": reencode,
        "render_runs": timer.encoding_runs_s,
        "filters": timer.filters_s,
        "other_ffmpeg": assembly_other_s,
        "ffmpeg_peak": timer.peak_rss,
        "python_peak": python_peak,
    }
    platform.close()
    shutil.rmtree(data, ignore_errors=True)
    return figures


def _table(results: list[dict[str, Any]]) -> None:
    heads = [f"{r['seconds']} s" for r in results]
    rows: list[tuple[str, list[str], str]] = [
        ("video", [r["video"] for r in results], ""),
        ("scenes", [str(r["scenes"]) for r in results], ""),
    ]

    def row(label: str, values: list[str], goal: str = "") -> None:
        rows.append((label, values, goal))

    for step in results[0]["steps"]:
        row(f"  step {step} (s)", [f"{r['steps'].get(step, 0):.1f}" for r in results])
    row("generation wall, through the queue (s)", [f"{r['wall']:.1f}" for r in results])
    row("static-colour encode, same settings (s)", [f"{r['static']:.1f}" for r in results])
    row("re-encode of its own MP4, same settings (s)", [f"{r['reencode']:.1f}" for r in results])
    row(
        "generation / static encode",
        [f"{r['wall'] / r['static']:.2f}" for r in results],
        f"goal <= {GOAL_STATIC}",
    )
    row(
        "generation / re-encode",
        [f"{r['wall'] / r['reencode']:.2f}" for r in results],
        f"goal <= {GOAL_REENCODE}",
    )
    row("assembly render runs (s)", [f"{r['render_runs']:.1f}" for r in results])
    row(
        "  of which the graph alone, -f null (s)",
        [f"{r['filters']:.1f}" for r in results],
        "decode + filters",
    )
    row(
        "  the rest: encode + mux (s)",
        [f"{r['render_runs'] - r['filters']:.1f}" for r in results],
    )
    row(
        "other ffmpeg runs: loudness, join, thumbnail (s)",
        [f"{r['other_ffmpeg']:.1f}" for r in results],
    )
    row("assembly ffmpeg peak (MiB)", [f"{r['ffmpeg_peak'] / 2**20:.0f}" for r in results])
    row("python process peak (MiB)", [f"{r['python_peak'] / 2**20:.0f}" for r in results])
    row(
        "peak, ffmpeg + python (MiB)",
        [f"{(r['ffmpeg_peak'] + r['python_peak']) / 2**20:.0f}" for r in results],
        f"goal <= {GOAL_PEAK_MIB}",
    )
    width = max(len(label) for label, _, _ in rows) + 2
    col = max([12] + [len(v) + 2 for _, values, _ in rows for v in values])
    print(f"{'':<{width}}" + "".join(f"{h:>{col}}" for h in heads))
    for label, values, goal in rows:
        cells = "".join(f"{v:>{col}}" for v in values)
        print(f"{label:<{width}}{cells}  {goal}".rstrip())
    load = os.getloadavg()
    print(f"load average (1, 5, 15 min) at the end: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, default=None, help="copy the videos to this folder")
    parser.add_argument("--template", default="sys-viral-hook")
    parser.add_argument(
        "--durations", type=int, nargs="+", default=[30], help="seconds, e.g. 30 180"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(run_one(args.one, args.template, args.keep)))
        return 0
    results = []
    for seconds in args.durations:
        cmd = [sys.executable, __file__, "--one", str(seconds), "--template", args.template]
        if args.keep:
            cmd += ["--keep", str(args.keep)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            sys.stderr.write(out.stderr[-4000:])
            return 1
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        # Each duration's figures as soon as they exist (a long run may be cut short).
        sys.stderr.write(f"{seconds} s: {json.dumps(results[-1])}\n")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    _table(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
