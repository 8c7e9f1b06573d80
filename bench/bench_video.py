"""Benchmark: a 30 s 1080x1920 video generated offline, through the queue (not a test).

Every step runs as its task function, delivered by the embedded queue's
dispatcher (in process, over a WSGI transport), exactly as on the local
platform. In the same run, ffmpeg encodes 30 s of a static 1080x1920 colour
source with the render's encoder settings; the ratio of the two wall times is
the figure of merit. Goal: ratio <= 4.0, assembly peak memory < 1 GiB.

    make bench-video      # or: .venv/bin/python bench/bench_video.py [--keep out.mp4]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

TOPIC = "three money habits that quietly change your future"


def _static_baseline(tmp: Path, *, preset: str, crf: int, fps: int) -> float:
    from synthora.media.assemble import run_ffmpeg

    run = run_ffmpeg(
        [
            "-f", "lavfi", "-i", f"color=c=#334455:s=1080x1920:r={fps}:d=30",
            "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo", "-t", "30",
            "-c:v", "libx264", "-preset", preset, "-crf", str(crf),
            "-pix_fmt", "yuv420p", "-profile:v", "high",
            "-c:a", "aac", "-b:a", "160k", "-movflags", "+faststart",
            str(tmp / "baseline.mp4"),
        ],
        what="baseline",
    )  # fmt: skip
    return run.seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, default=None, help="copy the video here")
    parser.add_argument("--template", default="sys-viral-hook")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="synthora-bench-video-"))
    os.environ.update(
        SYNTHORA_DATA_DIR=str(data), SYNTHORA_ENV_FILE="", SYNTHORA_LOG_LEVEL="WARNING"
    )
    os.environ.pop("FIREBASE_AUTH_EMULATOR_HOST", None)

    from synthora.local.inprocess import in_process_dispatcher
    from synthora.logs import configure
    from synthora.pipeline.models import Step, VideoStatus
    from synthora.pipeline.runner import load_video
    from synthora.platform import get_platform
    from synthora.services.videos import CreateVideoRequest, insert_and_start, new_video_record
    from synthora.templates.system import get_system_template

    configure("WARNING")
    platform = get_platform()
    template = get_system_template(args.template)
    if template is None:
        sys.stderr.write(f"unknown template {args.template}\n")
        return 2
    config = template.config.model_copy(deep=True)
    config.video_structure.duration.min_seconds = 28
    config.video_structure.duration.max_seconds = 32
    config.video_structure.num_scenes = 5
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
    wall = time.monotonic() - started
    if current.status != VideoStatus.completed or current.outputs is None:
        sys.stderr.write(f"generation failed: {current.error}\n")
        return 1
    assembly = current.steps[Step.assembly].outputs
    steps = {
        s.value: (current.steps[s].finished_at - current.steps[s].started_at).total_seconds()
        for s in current.steps
        if current.steps[s].started_at and current.steps[s].finished_at
    }
    from synthora.media import RenderStyle

    style = RenderStyle()
    baseline = _static_baseline(data, preset=style.encoder_preset, crf=style.crf, fps=style.fps)
    if args.keep:
        platform.blobs.download_to(current.outputs.video_key, args.keep)
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    out = current.outputs
    print(
        f"video: {out.width}x{out.height}, {out.duration_s:.1f} s, {out.size_bytes / 1e6:.1f} MB,"
        f" voice: {current.steps[Step.voice].provider}"
    )
    print("step wall times: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()))
    print(f"generation wall time (through the queue) : {wall:7.1f} s")
    print(f"ffmpeg, 30 s static 1080x1920, same enc.  : {baseline:7.1f} s")
    print(f"ratio                                    : {wall / baseline:7.2f}   (goal <= 4.0)")
    print(
        f"assembly ffmpeg peak memory              : "
        f"{assembly['peak_rss_bytes'] / 2**20:7.0f} MiB (goal < 1024)"
    )
    print(f"bench process peak memory (all steps)    : {self_peak / 2**20:7.0f} MiB")
    platform.close()
    shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
