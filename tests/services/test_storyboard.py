"""The storyboard review: the pipeline stops after the script, the creator edits, continues.

The script step runs for real (the offline writer); the steps after it are
only enqueued here (the whole render is in tests/pipeline/test_storyboard_pipeline.py).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import respx

from synthora.adapters.sqlite_tasks import SqliteTaskQueue
from synthora.errors import Conflict, NotFound, RateLimited, ValidationFailed
from synthora.pipeline.models import Step, StepStatus, VideoRecord, VideoStatus
from synthora.pipeline.runner import StepTask, load_video, run_step, step_task_name
from synthora.pipeline.steps import STEP_WORK
from synthora.platform import Platform
from synthora.script.models import Script
from synthora.services import integrations, limits
from synthora.services import storyboard as sb
from synthora.services.cleanup import CleanupTask, run_cleanup_batch
from synthora.services.pipeline_services import PIPELINE_SERVICES
from synthora.services.videos import CreateVideoRequest, insert_and_start, new_video_record
from synthora.settings import get_settings
from synthora.templates.system import get_system_template

UID = "u1"
FACTS = (
    "An octopus has two hearts for its gills and one for its body. "
    "The body heart stops while it swims."
)


def _start(platform: Platform, video_id: str, *, review_script: bool | None = None) -> None:
    template = get_system_template("sys-viral-hook")
    assert template is not None
    record = new_video_record(
        video_id=video_id, uid=UID, template_id=template.id, template_name=template.name,
        template_version=template.version, config=template.config.model_dump(mode="json"),
        request=CreateVideoRequest(
            template_id=template.id, topic="why octopuses have three hearts",
            review_script=review_script,
        ),
        use_video_ai=False, integrations={},
    )  # fmt: skip
    limits.reserve_generation(platform=platform, uid=UID, video_id=video_id)
    insert_and_start(platform=platform, video=record)


def _script(platform: Platform, video_id: str, *, retry: int = 0) -> Any:
    return run_step(
        platform=platform,
        step=Step.script,
        task=StepTask(video_id=video_id, generation=0),
        retry_count=retry,
        max_attempts=5,
        work=STEP_WORK[Step.script],
        services=PIPELINE_SERVICES,
    )


def _video(platform: Platform, video_id: str) -> VideoRecord:
    video = load_video(platform, video_id)
    assert video is not None
    return video


def _queued(platform: Platform, video_id: str, step: Step) -> bool:
    assert isinstance(platform.tasks, SqliteTaskQueue)
    return platform.tasks.get_task(step_task_name(video_id, 0, step)) is not None


def _active(platform: Platform) -> int:
    return limits.usage(platform=platform, uid=UID).active_generations


@pytest.fixture
def in_review(platform: Platform) -> str:
    _start(platform, "vr1")
    assert _script(platform, "vr1").result == "review"
    return "vr1"


def test_an_offline_script_stops_for_review_and_frees_the_slot(
    platform: Platform, in_review: str
) -> None:
    video = _video(platform, in_review)
    assert video.status == VideoStatus.review
    assert video.steps[Step.script].status == StepStatus.done
    assert video.review is not None and video.review.wanted
    hours = get_settings().storyboard_review_hours
    assert video.review_expires_at is not None
    assert video.review_expires_at - video.review.started_at == timedelta(hours=hours)  # type: ignore[operator]
    assert not _queued(platform, in_review, Step.voice)
    assert not _queued(platform, in_review, Step.media)
    assert _active(platform) == 0
    # a script task delivered again while waiting does nothing
    assert _script(platform, in_review, retry=1).result == "stale"
    # a stray voice task delivered while waiting does nothing either
    stray = run_step(
        platform=platform, step=Step.voice, task=StepTask(video_id=in_review, generation=0),
        retry_count=0, max_attempts=5, work=STEP_WORK[Step.voice], services=PIPELINE_SERVICES,
    )  # fmt: skip
    assert stray.result == "stale"
    assert _video(platform, in_review).steps[Step.voice].status == StepStatus.pending


def test_review_can_be_turned_off_and_on(platform: Platform) -> None:
    _start(platform, "off", review_script=False)
    assert _script(platform, "off").result == "done"
    assert _video(platform, "off").status == VideoStatus.processing
    assert _queued(platform, "off", Step.voice)


def test_the_storyboard_shows_every_scene_with_its_timing(
    platform: Platform, in_review: str
) -> None:
    board = sb.get_storyboard(platform=platform, uid=UID, video_id=in_review)
    assert board.editable and board.writer == "template-writer" and not board.edited
    assert board.can_regenerate is False
    assert len(board.scenes) == 5  # the Viral Hook template's scene count
    assert [s.index for s in board.scenes] == list(range(5))
    assert board.scenes[0].starts_at_s == 0
    for before, after in zip(board.scenes, board.scenes[1:], strict=False):
        assert after.starts_at_s == pytest.approx(before.starts_at_s + before.duration_s)
    assert all(s.narration and s.visual_keywords for s in board.scenes)
    assert board.total_duration_s == pytest.approx(sum(s.duration_s for s in board.scenes))


def test_edit_reorder_add_delete_then_continue_runs_on_the_edited_script(
    platform: Platform, in_review: str
) -> None:
    board = sb.get_storyboard(platform=platform, uid=UID, video_id=in_review)
    scenes = [
        sb.StoryboardSceneIn(
            narration=s.narration,
            on_screen_text=s.on_screen_text,
            visual_keywords=s.visual_keywords,
        )
        for s in board.scenes
    ]
    last = scenes.pop()  # delete the last scene ...
    scenes[1], scenes[2] = scenes[2], scenes[1]  # ... swap two ...
    scenes.insert(1, sb.StoryboardSceneIn(narration=FACTS, on_screen_text="Three hearts"))
    scenes.append(last)  # ... and put the last back at the end
    out = sb.update_storyboard(
        platform=platform,
        uid=UID,
        video_id=in_review,
        update=sb.StoryboardUpdate(scenes=scenes, title="Three hearts"),
    )
    assert out.edited and out.writer == "creator" and len(out.scenes) == 6
    assert out.scenes[1].narration == FACTS
    assert out.scenes[1].visual_keywords  # filled from the topic and the narration
    assert "octopuses" in out.scenes[1].visual_keywords
    assert out.scenes[2].narration == board.scenes[2].narration
    assert out.scenes[3].narration == board.scenes[1].narration
    assert out.title == "Three hearts"

    video = _video(platform, in_review)
    stored = Script.model_validate(
        json.loads(platform.blobs.get_bytes(video.steps[Step.script].outputs["script_key"]))
    )
    assert stored.scenes[1].narration == FACTS
    assert video.steps[Step.script].outputs["scenes"] == 6
    assert video.title == "Three hearts"

    resumed = sb.continue_storyboard(platform=platform, uid=UID, video_id=in_review)
    assert resumed.status == VideoStatus.queued
    assert _queued(platform, in_review, Step.voice) and _queued(platform, in_review, Step.media)
    assert _active(platform) == 1
    # the storyboard is read-only from now on
    with pytest.raises(Conflict) as refused:
        sb.update_storyboard(
            platform=platform, uid=UID, video_id=in_review,
            update=sb.StoryboardUpdate(script_text="Too late."),
        )  # fmt: skip
    assert refused.value.code == "not_in_review"
    assert not sb.get_storyboard(platform=platform, uid=UID, video_id=in_review).editable


def test_continue_twice_is_one_continue(platform: Platform, in_review: str) -> None:
    first = sb.continue_storyboard(platform=platform, uid=UID, video_id=in_review)
    second = sb.continue_storyboard(platform=platform, uid=UID, video_id=in_review)
    assert first.status == second.status == VideoStatus.queued
    assert second.review is not None and first.review is not None
    assert second.review.continued_at == first.review.continued_at
    assert _active(platform) == 1
    assert _queued(platform, in_review, Step.voice)


def test_continue_needs_a_free_slot(platform: Platform, in_review: str) -> None:
    # the review freed its slot; another generation takes the free user's only one
    limits.reserve_generation(platform=platform, uid=UID, video_id="other")
    with pytest.raises(RateLimited) as refused:
        sb.continue_storyboard(platform=platform, uid=UID, video_id=in_review)
    assert refused.value.code == "concurrent_limit_reached"
    assert _video(platform, in_review).status == VideoStatus.review
    limits.release_generation(platform=platform, uid=UID, video_id="other", succeeded=True)
    assert sb.continue_storyboard(platform=platform, uid=UID, video_id=in_review).status == (
        VideoStatus.queued
    )


def test_a_pasted_script_becomes_scenes(platform: Platform, in_review: str) -> None:
    text = f"Octopuses have three hearts.\n\n{FACTS}\n\nBlue blood needs the extra push."
    out = sb.update_storyboard(
        platform=platform, uid=UID, video_id=in_review,
        update=sb.StoryboardUpdate(script_text=text),
    )  # fmt: skip
    assert [s.narration for s in out.scenes] == [
        "Octopuses have three hearts.",
        FACTS,
        "Blue blood needs the extra push.",
    ]
    assert out.hook == "Octopuses have three hearts."
    assert out.scenes[0].on_screen_text == "Octopuses have three hearts"
    # one paragraph is shared over the template's scene count, sentence by sentence
    one = " ".join(f"Sentence number {n} is here." for n in range(1, 11))
    spread = sb.update_storyboard(
        platform=platform, uid=UID, video_id=in_review,
        update=sb.StoryboardUpdate(script_text=one),
    )  # fmt: skip
    assert len(spread.scenes) == 5
    assert " ".join(s.narration for s in spread.scenes) == one


@pytest.mark.parametrize(
    ("update", "code"),
    [
        ({"script_text": "\n\n".join(["A line."] * 21)}, "too_many_scenes"),
        ({"script_text": "word " * 130}, "scene_too_long"),
        ({"scenes": [{"narration": "word " * 119 + "end."}] * 20}, "storyboard_too_long"),
    ],
)
def test_limits_are_422_naming_the_field(
    platform: Platform, in_review: str, update: dict[str, Any], code: str
) -> None:
    before = _video(platform, in_review).steps[Step.script].outputs["script_key"]
    with pytest.raises(ValidationFailed) as refused:
        sb.update_storyboard(
            platform=platform,
            uid=UID,
            video_id=in_review,
            update=sb.StoryboardUpdate.model_validate(update),
        )
    assert refused.value.code == code
    assert refused.value.details[0]["field"].startswith("body.")
    assert _video(platform, in_review).steps[Step.script].outputs["script_key"] == before


def test_only_the_owner_sees_or_changes_the_storyboard(platform: Platform, in_review: str) -> None:
    with pytest.raises(NotFound):
        sb.get_storyboard(platform=platform, uid="someone-else", video_id=in_review)
    with pytest.raises(NotFound):
        sb.continue_storyboard(platform=platform, uid="someone-else", video_id=in_review)
    with pytest.raises(NotFound):
        sb.update_storyboard(
            platform=platform, uid="someone-else", video_id=in_review,
            update=sb.StoryboardUpdate(script_text="Mine now."),
        )  # fmt: skip


def test_a_waiting_storyboard_expires_with_a_reason(platform: Platform, in_review: str) -> None:
    _start(platform, "fresh")  # another one, reviewed in time
    assert _script(platform, "fresh").result == "review"
    sb.continue_storyboard(platform=platform, uid=UID, video_id="fresh")
    later = datetime.now(UTC) + timedelta(hours=get_settings().storyboard_review_hours, minutes=1)
    result = run_cleanup_batch(
        platform=platform, task=CleanupTask(target="expired_reviews", run_id="20991231", now=later)
    )
    assert result.records_deleted == 1
    video = _video(platform, in_review)
    assert video.status == VideoStatus.expired and video.review_expires_at is None
    assert video.error is not None and "waited for review" in video.error.message
    assert video.error.payload["reason"] == "review_expired"
    assert _video(platform, "fresh").status == VideoStatus.queued
    with pytest.raises(Conflict):
        sb.continue_storyboard(platform=platform, uid=UID, video_id=in_review)
    # a second run finds nothing left to expire
    again = run_cleanup_batch(
        platform=platform, task=CleanupTask(target="expired_reviews", run_id="20991231", now=later)
    )
    assert again.records_deleted == 0


def test_regenerating_needs_a_script_model(platform: Platform, in_review: str) -> None:
    with pytest.raises(Conflict) as refused:
        sb.regenerate_scene(
            platform=platform, uid=UID, video_id=in_review, index=1,
            request=sb.RegenerateSceneRequest(),
        )  # fmt: skip
    assert refused.value.code == "no_script_model"
    for named_no_scene in ("99", "x1", "-1"):
        with pytest.raises(NotFound) as missing:
            sb.scene_index(named_no_scene)
        assert missing.value.code == "scene_not_found"
    assert sb.scene_index("3") == 3


CHAT = "https://api.openai.com/v1/chat/completions"


def _completion(content: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "chatcmpl-abc123",
        "object": "chat.completion",
        "created": 1732440000,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": json.dumps(content), "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 320, "completion_tokens": 40, "total_tokens": 360},
    }


def _openai(platform: Platform) -> str:
    iid = integrations.add_integration(
        platform=platform,
        uid=UID,
        request=integrations.AddIntegrationRequest(
            provider="openai", api_key="sk-test-0123456789abcdefghijABCD"
        ),
    ).id
    platform.documents.document(f"users/{UID}/integrations/{iid}").update(
        {"validation.status": "valid"}
    )
    return iid


@respx.mock
def test_one_scene_is_rewritten_by_the_users_model(platform: Platform) -> None:
    _start(platform, "vm", review_script=True)
    iid = _openai(platform)
    scene = {
        "narration": "Two hearts pump blood through the gills; the third feeds the body.",
        "on_screen_text": "Two for the gills",
        "visual_keywords": ["octopus", "heart"],
        "emphasis_words": ["gills"],
    }
    draft = {
        "title": "Three hearts",
        "hook": "Octopuses have three hearts.",
        "scenes": [{**scene, "narration": f"Scene {n} of the octopus story."} for n in range(1, 6)],
        "cta": "",
        "hashtags": ["#octopus"],
        "description": "Why three hearts.",
    }
    route = respx.post(CHAT).mock(
        side_effect=[
            httpx.Response(200, json=_completion(draft)),
            httpx.Response(200, json=_completion(scene)),
        ]
    )
    # a model wrote it and the creator asked for the review
    assert _script(platform, "vm").result == "review"
    before = sb.get_storyboard(platform=platform, uid=UID, video_id="vm")
    assert before.can_regenerate and before.regenerate_provider == "openai"
    out = sb.regenerate_scene(
        platform=platform, uid=UID, video_id="vm", index=2,
        request=sb.RegenerateSceneRequest(instructions="explain the gills"),
    )  # fmt: skip
    assert out.scenes[2].narration == scene["narration"]
    assert out.scenes[2].visual_keywords == ["octopus", "heart"]
    assert [s.narration for i, s in enumerate(out.scenes) if i != 2] == [
        s.narration for i, s in enumerate(before.scenes) if i != 2
    ]
    body = json.loads(route.calls.last.request.content)
    assert body["response_format"]["json_schema"]["name"] == "video_scene"
    assert "explain the gills" in body["messages"][1]["content"]
    assert "Scene 3 (rewrite this one)" in body["messages"][1]["content"]
    video = _video(platform, "vm")
    assert video.review is not None and video.review.regenerations == 1
    used = platform.documents.document(f"users/{UID}/integrations/{iid}").get()
    assert used.get("last_used_at") is not None


@respx.mock
def test_a_model_failure_is_a_502_with_the_providers_code(platform: Platform) -> None:
    _start(platform, "vf", review_script=True)
    assert _script(platform, "vf").result == "review"  # offline writer (no key yet)
    _openai(platform)
    respx.post(CHAT).mock(
        return_value=httpx.Response(
            429,
            json={"error": {"message": "Rate limit reached", "type": "requests", "code": None}},
        )
    )
    with pytest.raises(Exception) as failed:
        sb.regenerate_scene(
            platform=platform, uid=UID, video_id="vf", index=0,
            request=sb.RegenerateSceneRequest(),
        )  # fmt: skip
    error: Any = failed.value
    assert error.status == 502 and error.code == "provider_error"
    assert error.details["status"] == 429
