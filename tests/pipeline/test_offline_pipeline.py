"""Whole generations with no API keys, through the queue and the task functions."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from synthora.media import probe
from synthora.pipeline.models import STEP_ORDER, Step, StepStatus, VideoStatus
from synthora.platform import Platform
from synthora.script.models import Script
from tests.pipeline.conftest import Pipeline

pytestmark = pytest.mark.slow

SHORT = {
    "video_structure.duration.min_seconds": 8,
    "video_structure.duration.max_seconds": 12,
    "video_structure.num_scenes": 3,
}


def _frame_luma(video: Path, at_s: float, box: tuple[float, float, float, float]) -> list[int]:
    """Grey pixels of a region (fractions of width/height) of the frame at `at_s`."""
    info = probe(video)
    assert info.width and info.height
    x0, y0, x1, y1 = box
    w, h = int((x1 - x0) * info.width), int((y1 - y0) * info.height)
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", f"{at_s:.3f}", "-i", str(video), "-frames:v", "1",
         "-vf", f"crop={w}:{h}:{int(x0 * info.width)}:{int(y0 * info.height)},format=gray",
         "-f", "rawvideo", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return list(raw)


@pytest.mark.parametrize(
    ("aspect", "size"),
    [("9:16", (270, 480)), ("16:9", (480, 270)), ("1:1", (270, 270))],
)
def test_offline_generation_makes_a_real_video(
    pipeline: Pipeline, platform: Platform, tmp_path: Path, aspect: str, size: tuple[int, int]
) -> None:
    pipeline.start(
        video_id=f"v{aspect.replace(':', '')}",
        config_changes={**SHORT, "visual_style.aspect_ratio": aspect},
    )
    video = pipeline.run(f"v{aspect.replace(':', '')}")
    assert video.status == VideoStatus.completed, video.error
    assert video.progress == 100
    assert [video.steps[s].status for s in STEP_ORDER] == [
        StepStatus.done,
        StepStatus.done,
        StepStatus.done,
        StepStatus.skipped,
        StepStatus.done,
        StepStatus.done,
    ]
    assert video.outputs is not None and video.expires_at is not None
    assert video.title and video.hashtags
    local = platform.blobs.download_to(video.outputs.video_key, tmp_path / "out.mp4")
    info = probe(local)
    assert (info.width, info.height) == size
    assert any(s.codec_type == "audio" for s in info.streams)
    script = Script.model_validate_json(
        platform.blobs.get_bytes(video.steps[Step.script].outputs["script_key"])
    )
    voice = json.loads(platform.blobs.get_bytes(video.steps[Step.voice].outputs["voice_key"]))
    spoken = sum(s["duration_s"] for s in voice["scenes"])
    # the video runs as long as the narration (each scene at least its script estimate)
    expected = sum(
        max(sc.duration_s, v["duration_s"])
        for sc, v in zip(script.scenes, voice["scenes"], strict=True)
    )
    assert abs(info.duration_s - expected) <= 0.1 * expected
    assert info.duration_s >= spoken
    assert platform.blobs.exists(video.outputs.thumbnail_key or "")


def test_captions_are_burnt_in_where_the_narration_is(
    pipeline: Pipeline, platform: Platform, tmp_path: Path
) -> None:
    common = {
        **SHORT,
        "text_style.text_position": "bottom",
        "text_style.hook_text_overlay": False,
        "visual_style.transitions": "none",
        "visual_style.camera_motion": "static",
    }
    pipeline.start(video_id="with", config_changes={**common, "text_style.caption_style": "boxed"})
    pipeline.start(
        video_id="without", config_changes={**common, "text_style.caption_style": "none"}
    )
    with_captions = pipeline.run("with")
    without = pipeline.run("without")
    assert with_captions.outputs is not None and without.outputs is not None
    a = platform.blobs.download_to(with_captions.outputs.video_key, tmp_path / "a.mp4")
    b = platform.blobs.download_to(without.outputs.video_key, tmp_path / "b.mp4")
    voice = json.loads(
        platform.blobs.get_bytes(with_captions.steps[Step.voice].outputs["voice_key"])
    )
    first_word = voice["scenes"][0]["words"][1]
    at = (first_word["start_s"] + first_word["end_s"]) / 2
    region = (0.05, 0.6, 0.95, 0.95)  # the bottom caption band
    pa, pb = _frame_luma(a, at, region), _frame_luma(b, at, region)
    differing = sum(1 for x, y in zip(pa, pb, strict=True) if abs(x - y) > 40)
    assert differing > 0.01 * len(pa), "no caption pixels where the narration is"


def test_a_step_that_fails_once_still_completes_without_redoing_steps(
    pipeline: Pipeline, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synthora.pipeline import steps

    calls = {"script": 0, "media": 0}
    real_script, real_media = steps.STEP_WORK[Step.script], steps.STEP_WORK[Step.media]

    def counting_script(run):  # type: ignore[no-untyped-def]
        calls["script"] += 1
        return real_script(run)

    def flaky_media(run):  # type: ignore[no-untyped-def]
        calls["media"] += 1
        if calls["media"] == 1:
            raise OSError("disk hiccup")
        return real_media(run)

    monkeypatch.setitem(steps.STEP_WORK, Step.script, counting_script)
    monkeypatch.setitem(steps.STEP_WORK, Step.media, flaky_media)
    pipeline.start(video_id="flaky", config_changes=SHORT)
    video = pipeline.run("flaky")
    assert video.status == VideoStatus.completed
    assert calls == {"script": 1, "media": 2}
    assert video.steps[Step.media].attempts == 2
    media_task = pipeline.queue.get_task("video-flaky-g0-media-run")
    assert media_task is not None and media_task["dispatch_count"] == 2


def test_a_duplicate_delivery_does_no_work_twice(
    pipeline: Pipeline, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synthora.pipeline import steps
    from synthora.pipeline.runner import StepTask

    pipeline.start(video_id="dup", config_changes=SHORT)
    video = pipeline.run("dup")
    assert video.status == VideoStatus.completed

    def must_not_run(run):  # type: ignore[no-untyped-def]
        raise AssertionError("a finished step ran again")

    for step in STEP_ORDER:
        monkeypatch.setitem(steps.STEP_WORK, step, must_not_run)
    for step in STEP_ORDER:
        response = pipeline.client.post(
            f"/_fn/pipeline_{step.value}",
            json=StepTask(video_id="dup", generation=0).model_dump(),
            headers={
                "X-Synthora-Internal-Token": platform.settings.secret("internal_token"),
                "X-CloudTasks-TaskRetryCount": "0",
            },
        )
        assert response.status_code == 200, response.text
        assert response.json()["result"] in ("stale", "already_done")
