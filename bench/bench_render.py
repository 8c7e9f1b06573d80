"""Benchmark of the offline render engine (not a test; prints figures).

Renders a 30 s 1080x1920 video with 5 scenes (generated backgrounds with Ken
Burns motion, icons, word-highlighted captions, hook overlay, ducked music,
loudnorm) and compares its wall time with ffmpeg encoding 30 s of a static
1080x1920 colour source with the same encoder settings.

    .venv/bin/python bench/bench_render.py [--motion ken_burns|pan|static] [--keep DIR]

Goal: ratio <= 4.0 and peak ffmpeg memory < 1 GiB.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from synthora.media import (
    RenderRequest,
    RenderStyle,
    SceneSpec,
    VoiceSpec,
    pick_track,
    render,
    synthesize,
)
from synthora.media.assemble import run_ffmpeg

NARRATION = [
    "Three money habits quietly change everything about your future.",
    "First, pay yourself before you pay anything else, even a little.",
    "Second, automate your savings so willpower is never part of the plan.",
    "Third, track every subscription, because small leaks sink big ships.",
    "Start today, and in a year you will thank yourself. Follow for more!",
]
KEYWORDS = [["money"], ["finance"], ["growth"], ["search"], ["success"]]


def _baseline_args(style: RenderStyle, tmp: Path) -> list[str]:
    """ffmpeg arguments encoding 30 s of a static 1080x1920 colour like the render does."""
    return [
        "-f", "lavfi", "-i", f"color=c=#334455:s=1080x1920:r={style.fps}:d=30",
        "-c:v", "libx264", "-preset", style.encoder_preset, "-crf", str(style.crf),
        "-pix_fmt", "yuv420p", "-profile:v", "high", "-movflags", "+faststart",
        str(tmp / "baseline.mp4"),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--motion", default="ken_burns", choices=["ken_burns", "pan", "static"])
    parser.add_argument("--keep", type=Path, default=None, help="keep the video in this folder")
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs of each; the best is kept (shared machines)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = args.keep or Path(tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        speech = [
            synthesize(text=text, voice=VoiceSpec(), out_path=tmp / f"voice{i}.wav")
            for i, text in enumerate(NARRATION)
        ]
        tts_s = time.perf_counter() - t0
        style = RenderStyle(
            aspect_ratio="9:16",
            motion=args.motion,
            hook_overlay="3 money habits",
            music_mood="upbeat",
        )
        scenes = [
            SceneSpec(narration=text, keywords=kw, duration_s=6.0)
            for text, kw in zip(NARRATION, KEYWORDS, strict=True)
        ]
        request = RenderRequest(
            scenes=scenes,
            style=style,
            scene_speech=speech,
            music=pick_track(mood=style.music_mood, seed=1),
            output_path=tmp / "bench.mp4",
        )
        renders = []
        baselines = []
        for _ in range(max(1, args.repeat)):
            # Interleave the two so a busy neighbour slows both alike.
            baselines.append(run_ffmpeg(_baseline_args(style, tmp), what="baseline"))
            t1 = time.perf_counter()
            result = render(request=request)
            renders.append((time.perf_counter() - t1, result))
        render_s, result = min(renders, key=lambda r: r[0])
        baseline = min(baselines, key=lambda b: b.seconds)
        baseline_s = baseline.seconds
        baseline_cpu = min(b.cpu_seconds for b in baselines)
        render_cpu = min(r.ffmpeg_cpu_seconds for _, r in renders)
    print(f"tts engine            : {speech[0].provider} ({tts_s:.2f} s for 5 scenes)")
    print(f"video                 : {result.width}x{result.height}, {result.duration_s:.2f} s")
    print(f"render wall time      : {render_s:.2f} s (ffmpeg {result.ffmpeg_seconds:.2f} s)")
    print(f"static-colour encode  : {baseline_s:.2f} s (30 s 1080x1920, same x264 settings)")
    print(f"ratio                 : {render_s / baseline_s:.2f} (goal <= 4.0)")
    print(f"peak ffmpeg RSS       : {result.peak_rss_bytes / 2**20:.0f} MiB (goal < 1024)")
    print(
        f"cpu time render/base  : {render_cpu:.2f} s / {baseline_cpu:.2f} s "
        f"= {render_cpu / baseline_cpu:.2f}"
    )
    print(f"baseline peak RSS     : {baseline.peak_rss_bytes / 2**20:.0f} MiB")
    print(
        f"best of {max(1, args.repeat)} runs each; all render walls: "
        f"{', '.join(f'{r[0]:.2f}' for r in renders)}; baselines: "
        f"{', '.join(f'{b.seconds:.2f}' for b in baselines)}"
    )


if __name__ == "__main__":
    main()
