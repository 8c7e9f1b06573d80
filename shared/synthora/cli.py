"""`synthora` command line: try the pipeline with no server, or run a batch file.

    synthora generate --topic "why cats purr" --template sys-viral-hook --out video.mp4
    synthora batch videos.csv [--api URL --token TOKEN]   (see synthora.cli_batch)

The command runs the same task functions as the platform, in this process:
the embedded queue's dispatcher delivers each step to the function apps
through an in-process WSGI transport instead of over the network.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TextIO


def _say(out: TextIO, text: str) -> None:
    out.write(text + "\n")
    out.flush()


def generate(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="synthora-"))
    os.environ["SYNTHORA_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("SYNTHORA_LOG_LEVEL", "WARNING")
    from synthora.platform import set_platform
    from synthora.settings import reset_settings_cache

    reset_settings_cache()
    set_platform(None)

    from synthora.errors import ApiError
    from synthora.local.inprocess import in_process_dispatcher
    from synthora.local.startup import run_startup
    from synthora.logs import configure
    from synthora.pipeline.models import VideoStatus
    from synthora.pipeline.runner import load_video
    from synthora.platform import get_platform
    from synthora.services.video_generation import create_video
    from synthora.services.videos import CreateVideoRequest
    from synthora.settings import get_settings

    settings = get_settings()
    configure(settings.log_level, settings.project_id)
    platform = get_platform()
    run_startup(platform)
    dispatcher = in_process_dispatcher(platform)
    try:
        request = CreateVideoRequest(
            template_id=args.template,
            topic=args.topic,
            instructions=args.instructions,
            review_script=False,  # nobody is there to review a storyboard
        )
        video = create_video(
            platform=platform, uid="cli-user", request=request, enforce_limits=False
        )
    except ApiError as exc:
        _say(out, f"error: {exc.message}")
        return 2
    _say(out, f"video {video.id}: {args.topic!r} with template {video.template_name}")
    started = time.monotonic()
    last = ""
    while True:
        dispatcher.drain(timeout_s=1)
        current = load_video(platform, video.id)
        assert current is not None
        line = f"  {current.progress:3d}%  {current.current_step or 'done'}"
        if line != last:
            _say(out, line)
            last = line
        if current.status in (VideoStatus.completed, VideoStatus.failed):
            break
        if time.monotonic() - started > args.timeout:
            _say(out, "error: timed out")
            return 1
    if current.status == VideoStatus.failed or current.outputs is None:
        err = current.error
        _say(out, f"failed at {err.step if err else '?'}: {err.message if err else 'unknown'}")
        return 1
    target = Path(args.out)
    target.parent.mkdir(parents=True, exist_ok=True)
    platform.blobs.download_to(current.outputs.video_key, target)
    _say(
        out,
        f"wrote {target} ({current.outputs.duration_s:.1f} s, "
        f"{current.outputs.width}x{current.outputs.height}) in {time.monotonic() - started:.1f} s",
    )
    if not args.data_dir:
        platform.close()
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="synthora", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="make a video offline, in this process")
    gen.add_argument("--topic", required=True)
    gen.add_argument("--template", default="sys-viral-hook", help="template id")
    gen.add_argument("--instructions", default=None)
    gen.add_argument("--out", default="video.mp4")
    gen.add_argument("--data-dir", default=None, help="keep data here (default: a temp folder)")
    gen.add_argument("--timeout", type=float, default=600)
    from synthora.cli_batch import add_parser, batch

    add_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "generate":
        return generate(args)
    if args.command == "batch":
        return batch(args)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
