"""FFmpeg's `-progress` reports: frames done, an estimate, and a callback that can stop it."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthora.media import assemble
from synthora.media.assemble import FfmpegProgress, parse_progress

FRAMES = 150  # 6 s at 25 fps: long enough to be reported on at least once


def _args(out: Path) -> list[str]:
    return [
        "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=25:duration={FRAMES // 25}",
        "-c:v", "libx264", "-preset", "slow", "-pix_fmt", "yuv420p", str(out),
    ]  # fmt: skip


def test_parse_progress_reads_the_last_complete_block() -> None:
    text = (
        "frame=10\nout_time_us=400000\nprogress=continue\n"
        "frame=42\nout_time_us=1680000\nprogress=continue\n"
        "frame=5"  # a block still being written
    )
    assert parse_progress(text) == {"frame": "42", "out_time_us": "1680000"}
    assert parse_progress("frame=3\n") == {}


def test_the_estimate_comes_from_the_speed_so_far() -> None:
    p = FfmpegProgress(frames_done=50, frames_total=200, out_time_s=2.0, elapsed_s=5.0)
    assert p.fraction == 0.25
    assert p.eta_s == pytest.approx(15.0)
    assert FfmpegProgress(frames_done=0, frames_total=200, out_time_s=0, elapsed_s=1).eta_s is None


@pytest.fixture(autouse=True)
def often(monkeypatch: pytest.MonkeyPatch) -> None:
    # report every poll, so even a fast machine sees reports before ffmpeg ends
    monkeypatch.setattr(assemble, "PROGRESS_EVERY_S", 0.0)


def test_reports_count_frames_up_to_the_total(tmp_path: Path) -> None:
    seen: list[FfmpegProgress] = []
    assemble.run_ffmpeg(
        _args(tmp_path / "out.mp4"), what="test", frames_total=FRAMES, on_progress=seen.append
    )
    assert seen, "no progress report"
    frames = [p.frames_done for p in seen]
    assert frames == sorted(frames) and all(0 <= f <= FRAMES for f in frames)
    assert all(p.frames_total == FRAMES for p in seen)


class Stop(Exception):
    pass


def test_a_callback_that_raises_stops_ffmpeg(tmp_path: Path) -> None:
    def stop(progress: FfmpegProgress) -> None:
        raise Stop

    out = tmp_path / "stopped.mp4"
    with pytest.raises(Stop):
        assemble.run_ffmpeg(
            [a.replace(f"duration={FRAMES // 25}", "duration=600") for a in _args(out)],
            what="test",
            frames_total=100000,
            on_progress=stop,
        )
