"""The pipeline resumes from voice after the storyboard review, and stops when cancelled."""

from __future__ import annotations

import json

import pytest

from synthora.errors import Conflict
from synthora.pipeline.models import Step, StepStatus, VideoStatus
from synthora.pipeline.runner import (
    Done,
    StepRun,
    StepTask,
    load_video,
    run_step,
    step_task_name,
)
from synthora.pipeline.steps import STEP_WORK
from synthora.platform import Platform
from synthora.script.models import Script
from synthora.services import limits
from synthora.services import storyboard as sb
from synthora.services.pipeline_services import PIPELINE_SERVICES
from synthora.services.video_generation import cancel_video
from tests.pipeline.conftest import Pipeline

SHORT = {
    "video_structure.duration.min_seconds": 8,
    "video_structure.duration.max_seconds": 20,
    "video_structure.num_scenes": 3,
}
FACTS = "Two hearts pump blood through the gills. The third one stops while the octopus swims."


@pytest.mark.slow
def test_the_video_is_made_from_the_reviewed_storyboard(
    pipeline: Pipeline, platform: Platform
) -> None:
    pipeline.start(
        video_id="story1",
        topic="why octopuses have three hearts",
        config_changes=SHORT,
        review_script=None,  # the default: review what the offline writer wrote
    )
    waiting = pipeline.run("story1")
    assert waiting.status == VideoStatus.review, waiting.error
    assert waiting.steps[Step.voice].status == StepStatus.pending
    board = sb.get_storyboard(platform=platform, uid="u1", video_id="story1")
    scenes = [
        sb.StoryboardSceneIn(narration=s.narration, on_screen_text=s.on_screen_text)
        for s in board.scenes
    ]
    scenes[1] = sb.StoryboardSceneIn(narration=FACTS, on_screen_text="Three hearts")
    sb.update_storyboard(
        platform=platform, uid="u1", video_id="story1",
        update=sb.StoryboardUpdate(scenes=scenes),
    )  # fmt: skip
    sb.continue_storyboard(platform=platform, uid="u1", video_id="story1")
    sb.continue_storyboard(platform=platform, uid="u1", video_id="story1")  # a double click

    video = pipeline.run("story1")
    assert video.status == VideoStatus.completed, video.error
    script = Script.model_validate(
        json.loads(platform.blobs.get_bytes(video.steps[Step.script].outputs["script_key"]))
    )
    assert script.scenes[1].narration == FACTS
    voice = json.loads(platform.blobs.get_bytes(video.steps[Step.voice].outputs["voice_key"]))
    spoken = " ".join(w["word"] for w in voice["scenes"][1]["words"]).lower()
    assert "gills" in spoken and "octopus" in spoken
    assert video.steps[Step.script].attempts == 1  # the script was not written again
    assert limits.usage(platform=platform, uid="u1").active_generations == 0


def _start_running(pipeline: Pipeline, video_id: str) -> None:
    pipeline.start(video_id=video_id, config_changes=SHORT)
    limits.reserve_generation(platform=pipeline.platform, uid="u1", video_id=video_id)


def test_cancel_stops_the_running_step_at_its_next_checkpoint(
    pipeline: Pipeline, platform: Platform
) -> None:
    _start_running(pipeline, "c1")
    seen: list[str] = []

    def work(run: StepRun) -> Done:
        first = run.put_bytes("partial-1.bin", b"one", content_type="application/octet-stream")
        seen.append(first)
        cancel_video(platform=platform, uid="u1", video_id="c1")  # the creator clicks Cancel
        # the slot is free at once, before the step has even noticed
        assert limits.usage(platform=platform, uid="u1").active_generations == 0
        run.put_bytes("partial-2.bin", b"two", content_type="application/octet-stream")
        seen.append("not reached")
        return Done()

    result = run_step(
        platform=platform, step=Step.script, task=StepTask(video_id="c1", generation=0),
        retry_count=0, max_attempts=5, work=work, services=PIPELINE_SERVICES,
    )  # fmt: skip
    assert result.result == "cancelled"
    assert len(seen) == 1  # the second upload never happened
    assert platform.blobs.stat(seen[0]) is None  # its partial file is gone
    assert list(platform.blobs.list("videos/u1/c1/")) == []
    video = load_video(platform, "c1")
    assert video is not None and video.status == VideoStatus.cancelled
    assert all(video.steps[s].status != StepStatus.running for s in video.steps)
    # a task delivered after the cancel is a no-op
    late = run_step(
        platform=platform, step=Step.script, task=StepTask(video_id="c1", generation=0),
        retry_count=1, max_attempts=5, work=STEP_WORK[Step.script], services=PIPELINE_SERVICES,
    )  # fmt: skip
    assert late.result == "stale"
    assert list(platform.blobs.list("videos/u1/c1/")) == []


def test_a_step_finishing_after_the_cancel_keeps_nothing(
    pipeline: Pipeline, platform: Platform
) -> None:
    _start_running(pipeline, "c2")

    def work(run: StepRun) -> Done:
        key = run.put_bytes("script.json", b"{}", content_type="application/json")
        cancel_video(platform=platform, uid="u1", video_id="c2")
        return Done(outputs={"script_key": key})

    result = run_step(
        platform=platform, step=Step.script, task=StepTask(video_id="c2", generation=0),
        retry_count=0, max_attempts=5, work=work, services=PIPELINE_SERVICES,
    )  # fmt: skip
    assert result.result == "cancelled" and result.next_tasks == []
    assert list(platform.blobs.list("videos/u1/c2/")) == []
    assert pipeline.queue.get_task(step_task_name("c2", 0, Step.voice)) is None


def test_cancel_is_idempotent_and_only_for_generations_in_progress(
    pipeline: Pipeline, platform: Platform
) -> None:
    _start_running(pipeline, "c3")
    first = cancel_video(platform=platform, uid="u1", video_id="c3")
    again = cancel_video(platform=platform, uid="u1", video_id="c3")
    assert first.status == again.status == VideoStatus.cancelled
    assert first.updated_at == again.updated_at
    # the queued script task finds the video cancelled
    pipeline.dispatcher.drain(timeout_s=30)
    video = load_video(platform, "c3")
    assert video is not None and video.status == VideoStatus.cancelled
    assert video.steps[Step.script].status == StepStatus.pending
    assert list(platform.blobs.list("videos/u1/c3/")) == []

    pipeline.start(video_id="done1", config_changes=SHORT)
    platform.documents.document("videos/done1").update({"status": "completed"})
    with pytest.raises(Conflict) as refused:
        cancel_video(platform=platform, uid="u1", video_id="done1")
    assert refused.value.code == "not_cancellable"
