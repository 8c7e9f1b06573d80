"""The storyboard: the creator reviews and edits the script before anything is rendered.

After the script step a video may wait in `review` (`VideoRecord.wants_review`:
the creator's choice, else whenever the offline writer wrote the script). While
it waits it holds no concurrency slot. The creator reads every scene's
narration, on-screen text, visual keywords and timing, edits them, reorders,
adds or deletes scenes, or pastes a whole script (`update_storyboard`); a scene
can be rewritten by the user's script model when they have one
(`regenerate_scene`). `continue_storyboard` takes a concurrency slot again (the
usual 429 when none is free) and enqueues voice, media and video AI, which read
the edited script. A repeated continue answers the video as it is.

Every edit stores the script under a new revision key
(`storyboard/script-r<n>.json`) and points the script step's outputs at it in
one transaction, so a step that starts after a continue reads exactly the
script that was continued. A storyboard left waiting longer than
`Settings.storyboard_review_hours` is marked `expired` by the daily cleanup
(`REVIEW_CLEANUP_TARGET`).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from synthora.errors import ApiError, Conflict, NotFound, ValidationFailed
from synthora.logs import fields, get_logger
from synthora.pipeline.models import (
    ACTIVE_STATUSES,
    Step,
    VideoError,
    VideoRecord,
    VideoStatus,
)
from synthora.pipeline.runner import enqueue_step, video_ref
from synthora.platform import Platform
from synthora.ports.blobs import BlobNotFound
from synthora.ports.documents import Snapshot, Transaction
from synthora.providers.base import Capability
from synthora.providers.errors import ProviderError
from synthora.providers.registry import client_for
from synthora.script.models import Script, ScriptScene, estimate_narration_seconds
from synthora.script.offline import MIN_SCENE_S, SCENE_TAIL_S, keywords_for
from synthora.services import videos
from synthora.services.expiry import CleanupTarget
from synthora.settings import get_settings
from synthora.templates.config import MAX_DURATION_S, MAX_SCENES, TemplateConfig

log = get_logger(__name__)

#: Bounds of what a creator may store (the API refuses more with a field-level 422).
MAX_NARRATION_CHARS = 600
MAX_ON_SCREEN_CHARS = 120
MAX_KEYWORDS = 8
MAX_KEYWORD_CHARS = 40
MAX_SCRIPT_CHARS = 8000
MAX_INSTRUCTIONS_CHARS = 500
#: An on-screen line made from a pasted sentence is used only when this short.
_PASTED_OVERLAY_WORDS = 6
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


# --------------------------------------------------------------------------- models


class StoryboardSceneIn(BaseModel):
    """One scene as the creator writes it; the timing is worked out from the narration."""

    model_config = ConfigDict(extra="forbid")

    narration: str = Field(
        min_length=1, max_length=MAX_NARRATION_CHARS, description="What the voice says."
    )
    on_screen_text: str = Field(
        default="", max_length=MAX_ON_SCREEN_CHARS, description="Text shown over the scene."
    )
    visual_keywords: list[str] = Field(
        default_factory=list,
        max_length=MAX_KEYWORDS,
        description="Words the visuals are chosen by (stock search, icons).",
    )

    @field_validator("narration")
    @classmethod
    def _narration(cls, value: str) -> str:
        value = " ".join(value.split())
        if not re.search(r"[A-Za-z0-9]", value):
            raise ValueError("the narration needs words to speak")
        return value

    @field_validator("on_screen_text")
    @classmethod
    def _overlay(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("visual_keywords")
    @classmethod
    def _keywords(cls, value: list[str]) -> list[str]:
        out: list[str] = []
        for item in value:
            word = " ".join(item.split())
            if not word:
                continue
            if len(word) > MAX_KEYWORD_CHARS:
                raise ValueError(f"each keyword has at most {MAX_KEYWORD_CHARS} characters")
            if word.lower() not in (o.lower() for o in out):
                out.append(word)
        return out


class StoryboardUpdate(BaseModel):
    """The whole storyboard (`scenes`, in order), or a pasted script to split into scenes."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=120)
    scenes: list[StoryboardSceneIn] | None = Field(
        default=None, min_length=1, max_length=MAX_SCENES, description="Every scene, in order."
    )
    script_text: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_SCRIPT_CHARS,
        description="A whole script: one scene per paragraph (blank line between), or the "
        "sentences shared over the template's scene count when it is one paragraph.",
    )

    @model_validator(mode="after")
    def _one_source(self) -> StoryboardUpdate:
        if (self.scenes is None) == (self.script_text is None):
            raise ValueError("send either scenes or script_text")
        return self


class RegenerateSceneRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    instructions: str | None = Field(
        default=None,
        max_length=MAX_INSTRUCTIONS_CHARS,
        description="What the rewrite should change, e.g. 'mention that the heart stops'.",
    )


class StoryboardScene(BaseModel):
    index: int
    narration: str
    on_screen_text: str
    visual_keywords: list[str]
    duration_s: float
    starts_at_s: float = Field(description="Where the scene starts in the video (estimate).")


class StoryboardLimits(BaseModel):
    max_scenes: int = MAX_SCENES
    max_narration_chars: int = MAX_NARRATION_CHARS
    max_on_screen_chars: int = MAX_ON_SCREEN_CHARS
    max_keywords: int = MAX_KEYWORDS
    max_script_chars: int = MAX_SCRIPT_CHARS
    max_duration_s: int = MAX_DURATION_S


class StoryboardOut(BaseModel):
    video_id: str
    status: VideoStatus
    editable: bool = Field(description="True while the video waits for the review.")
    title: str
    hook: str
    scenes: list[StoryboardScene]
    total_duration_s: float
    target_min_s: int
    target_max_s: int
    writer: str | None = Field(description="Who wrote the script: a provider id, or 'creator'.")
    edited: bool
    expires_at: datetime | None = Field(description="When a waiting storyboard expires.")
    can_regenerate: bool = Field(description="Whether a script model can rewrite a scene.")
    regenerate_provider: str | None
    limits: StoryboardLimits


@runtime_checkable
class SceneRewriter(Protocol):
    """A script writer that can rewrite one scene of a script in its context."""

    def rewrite_scene(
        self,
        *,
        topic: str,
        config: TemplateConfig,
        script: Script,
        index: int,
        instructions: str | None = None,
    ) -> ScriptScene: ...


# --------------------------------------------------------------------------- reads


def scene_index(value: str) -> int:
    """A scene number from the path: 0 to `MAX_SCENES` - 1; anything else names no scene (404)."""
    if not value.isdigit() or int(value) >= MAX_SCENES:
        raise NotFound(
            f"no such scene: scenes are numbered 0 to at most {MAX_SCENES - 1}",
            code="scene_not_found",
        )
    return int(value)


def _script_key(video: VideoRecord) -> str:
    key = video.steps[Step.script].outputs.get("script_key")
    if not key:
        raise Conflict("this video has no script yet", code="no_script")
    return str(key)


def _load_script(platform: Platform, video: VideoRecord) -> Script:
    try:
        data = platform.blobs.get_bytes(_script_key(video))
    except BlobNotFound:
        raise Conflict("this video's script is no longer stored", code="no_script") from None
    return Script.model_validate(json.loads(data))


def _rewriter(
    platform: Platform, video: VideoRecord
) -> tuple[SceneRewriter | None, str | None, str | None]:
    """The user's script model that can rewrite a scene: (writer, provider, integration id)."""
    from synthora.services.integrations import active_integration_for

    wanted = video.integrations.get(Step.script)
    try:
        resolved = active_integration_for(
            platform=platform,
            uid=video.owner_id,
            category="script",
            integration_id=wanted if wanted not in (None, "offline", "auto") else None,
        )
    except ApiError:
        resolved = None
    if resolved is None:
        return None, None, None
    factory = client_for(Capability.SCRIPT, resolved.provider)
    if factory is None:
        return None, None, None
    writer = factory(resolved.api_key, None, dict(resolved.options))
    if not isinstance(writer, SceneRewriter):
        return None, None, None
    return writer, resolved.provider, resolved.integration_id


def storyboard_out(platform: Platform, video: VideoRecord, script: Script) -> StoryboardOut:
    config = TemplateConfig.model_validate(video.config)
    duration = config.video_structure.duration
    scenes: list[StoryboardScene] = []
    at = 0.0
    for scene in script.scenes:
        scenes.append(
            StoryboardScene(
                index=scene.index,
                narration=scene.narration,
                on_screen_text=scene.on_screen_text,
                visual_keywords=scene.visual_keywords,
                duration_s=scene.duration_s,
                starts_at_s=round(at, 2),
            )
        )
        at += scene.duration_s
    editable = video.status == VideoStatus.review
    _, provider, _ = _rewriter(platform, video) if editable else (None, None, None)
    review = video.review
    edited = bool(review and review.edited)
    return StoryboardOut(
        video_id=video.id,
        status=video.status,
        editable=editable,
        title=script.title,
        hook=script.hook,
        scenes=scenes,
        total_duration_s=script.total_duration_s,
        target_min_s=duration.min_seconds,
        target_max_s=duration.max_seconds,
        writer="creator" if edited else video.steps[Step.script].provider,
        edited=edited,
        expires_at=video.review_expires_at if editable else None,
        can_regenerate=provider is not None,
        regenerate_provider=provider,
        limits=StoryboardLimits(),
    )


def get_storyboard(*, platform: Platform, uid: str, video_id: str) -> StoryboardOut:
    """The video's script as a storyboard (editable only while it waits for review)."""
    video = videos.get_owned_video(platform=platform, uid=uid, video_id=video_id)
    return storyboard_out(platform, video, _load_script(platform, video))


# --------------------------------------------------------------------------- edits


def _seconds(narration: str, config: TemplateConfig) -> float:
    said = estimate_narration_seconds(narration, voice_speed=config.audio.voice_speed)
    return round(max(MIN_SCENE_S, said + SCENE_TAIL_S), 2)


def _first_sentence(text: str) -> str:
    match = _SENTENCE.match(text.strip())
    return (match.group(0) if match else text).strip()


def build_script(
    *,
    previous: Script,
    scenes: list[StoryboardSceneIn],
    topic: str,
    config: TemplateConfig,
    title: str | None = None,
) -> Script:
    """A script from the creator's scenes: timings from the narration, hook from scene 1.

    Missing keywords are taken from the topic and the narration, as the offline
    writer does; the CTA is kept only while the last scene still says it.
    """
    built: list[ScriptScene] = []
    for index, scene in enumerate(scenes):
        built.append(
            ScriptScene(
                index=index,
                narration=scene.narration,
                on_screen_text=scene.on_screen_text,
                visual_keywords=scene.visual_keywords or keywords_for(topic, scene.narration),
                duration_s=_seconds(scene.narration, config),
            )
        )
    total = round(sum(s.duration_s for s in built), 2)
    if total > MAX_DURATION_S:
        raise ValidationFailed(
            f"the storyboard runs about {total:.0f} s; a video is at most {MAX_DURATION_S} s",
            code="storyboard_too_long",
            details=[
                {
                    "field": "body.scenes",
                    "message": f"about {total:.0f} s of narration; at most {MAX_DURATION_S} s",
                }
            ],
        )
    cta = previous.cta if previous.cta and previous.cta in built[-1].narration else ""
    return Script(
        title=title or previous.title,
        hook=_first_sentence(built[0].narration)[:300] or previous.hook,
        scenes=built,
        cta=cta,
        hashtags=previous.hashtags,
        description=previous.description,
        total_duration_s=total,
    )


def split_script_text(text: str, *, scene_count: int) -> list[StoryboardSceneIn]:
    """A pasted script as scenes: one per paragraph, or its sentences shared out evenly."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(paragraphs) == 1:
        sentences = [s.strip() for s in _SENTENCE.findall(paragraphs[0]) if s.strip()]
        count = max(1, min(scene_count, len(sentences)))
        paragraphs = [
            " ".join(sentences[i * len(sentences) // count : (i + 1) * len(sentences) // count])
            for i in range(count)
        ]
    field = "body.script_text"
    if len(paragraphs) > MAX_SCENES:
        raise ValidationFailed(
            f"the script has {len(paragraphs)} paragraphs; a storyboard has at most "
            f"{MAX_SCENES} scenes",
            code="too_many_scenes",
            details=[{"field": field, "message": f"at most {MAX_SCENES} paragraphs"}],
        )
    scenes: list[StoryboardSceneIn] = []
    for number, paragraph in enumerate(paragraphs, start=1):
        if len(paragraph) > MAX_NARRATION_CHARS:
            raise ValidationFailed(
                f"paragraph {number} has {len(paragraph)} characters; a scene has at most "
                f"{MAX_NARRATION_CHARS} (add a blank line to split it)",
                code="scene_too_long",
                details=[{"field": field, "message": f"paragraph {number} is too long"}],
            )
        first = _first_sentence(paragraph).rstrip(".!?")
        overlay = first if len(first.split()) <= _PASTED_OVERLAY_WORDS else ""
        try:
            scenes.append(StoryboardSceneIn(narration=paragraph, on_screen_text=overlay[:120]))
        except ValueError:
            raise ValidationFailed(
                f"paragraph {number} has no words to speak",
                code="scene_without_words",
                details=[{"field": field, "message": f"paragraph {number} has no words"}],
            ) from None
    return scenes


def _in_review(tx: Transaction, platform: Platform, uid: str, video_id: str) -> VideoRecord:
    snap = tx.get(video_ref(platform, video_id))
    video = VideoRecord.model_validate(snap.to_dict()) if snap.exists else None
    if video is None or video.owner_id != uid:
        raise NotFound("no such video", code="video_not_found")
    if video.status != VideoStatus.review:
        raise Conflict(
            f"the storyboard can only be changed while it waits for review; this video is "
            f"{video.status.value}",
            code="not_in_review",
        )
    return video


def _save_script(
    *,
    platform: Platform,
    uid: str,
    video_id: str,
    script: Script,
    regenerated: bool = False,
) -> VideoRecord:
    """Store `script` as the next revision and point the script step at it (one transaction)."""
    ref = video_ref(platform, video_id)
    data = script.model_dump_json(indent=2).encode()

    def save(tx: Transaction) -> tuple[VideoRecord, str]:
        video = _in_review(tx, platform, uid, video_id)
        assert video.review is not None
        previous = _script_key(video)
        video.review.revision += 1
        key = f"{video.blob_prefix}storyboard/script-r{video.review.revision}.json"
        platform.blobs.put_bytes(key, data, content_type="application/json")
        outputs = video.steps[Step.script].outputs
        outputs.update(
            {
                "script_key": key,
                "scenes": len(script.scenes),
                "estimated_duration_s": script.total_duration_s,
            }
        )
        video.review.edited = True
        if regenerated:
            video.review.regenerations += 1
        video.title = script.title
        video.updated_at = datetime.now(UTC)
        tx.set(ref, video.model_dump())
        return video, previous

    video, previous = platform.documents.run_transaction(save)
    if "/storyboard/" in previous:
        platform.blobs.delete(previous)  # an earlier revision no step will read
    return video


def update_storyboard(
    *, platform: Platform, uid: str, video_id: str, update: StoryboardUpdate
) -> StoryboardOut:
    """Replace the storyboard's scenes (or split a pasted script into scenes)."""
    video = videos.get_owned_video(platform=platform, uid=uid, video_id=video_id)
    if video.status != VideoStatus.review:
        raise Conflict(
            f"the storyboard can only be changed while it waits for review; this video is "
            f"{video.status.value}",
            code="not_in_review",
        )
    config = TemplateConfig.model_validate(video.config)
    previous = _load_script(platform, video)
    scenes = update.scenes
    if scenes is None:
        assert update.script_text is not None
        scenes = split_script_text(
            update.script_text, scene_count=config.video_structure.num_scenes
        )
    script = build_script(
        previous=previous, scenes=scenes, topic=video.topic, config=config, title=update.title
    )
    saved = _save_script(platform=platform, uid=uid, video_id=video_id, script=script)
    log.info("storyboard edited", extra=fields(video_id=video_id, scenes=len(script.scenes)))
    return storyboard_out(platform, saved, script)


def regenerate_scene(
    *,
    platform: Platform,
    uid: str,
    video_id: str,
    index: int,
    request: RegenerateSceneRequest,
) -> StoryboardOut:
    """Rewrite one scene with the user's script model (409 when they have none)."""
    video = videos.get_owned_video(platform=platform, uid=uid, video_id=video_id)
    if video.status != VideoStatus.review:
        raise Conflict(
            f"a scene can only be rewritten while the storyboard waits for review; this video "
            f"is {video.status.value}",
            code="not_in_review",
        )
    script = _load_script(platform, video)
    if index >= len(script.scenes):
        raise NotFound(
            f"the storyboard has {len(script.scenes)} scenes (numbered from 0)",
            code="scene_not_found",
        )
    writer, provider, integration_id = _rewriter(platform, video)
    if writer is None or integration_id is None:
        raise Conflict(
            "rewriting a scene needs a script model: add an OpenAI integration (or another "
            "script model) on the Integrations page",
            code="no_script_model",
        )
    config = TemplateConfig.model_validate(video.config)
    try:
        scene = writer.rewrite_scene(
            topic=video.topic,
            config=config,
            script=script,
            index=index,
            instructions=request.instructions,
        )
    except ProviderError as exc:
        raise ApiError(
            f"{provider} could not rewrite the scene: {exc.message}",
            code="provider_error",
            status=502,
            details={"provider": exc.provider, "code": exc.code, "status": exc.status_code},
        ) from None
    from synthora.services.integrations import mark_used

    mark_used(platform=platform, uid=uid, integration_id=integration_id)
    scenes = [
        StoryboardSceneIn(
            narration=s.narration,
            on_screen_text=s.on_screen_text,
            visual_keywords=s.visual_keywords,
        )
        for s in script.scenes
    ]
    scenes[index] = StoryboardSceneIn(
        narration=scene.narration[:MAX_NARRATION_CHARS],
        on_screen_text=scene.on_screen_text[:MAX_ON_SCREEN_CHARS],
        visual_keywords=[k[:MAX_KEYWORD_CHARS] for k in scene.visual_keywords[:MAX_KEYWORDS]],
    )
    rebuilt = build_script(previous=script, scenes=scenes, topic=video.topic, config=config)
    saved = _save_script(
        platform=platform, uid=uid, video_id=video_id, script=rebuilt, regenerated=True
    )
    log.info("storyboard scene rewritten", extra=fields(video_id=video_id, provider=provider))
    return storyboard_out(platform, saved, rebuilt)


# --------------------------------------------------------------------------- continue


def continue_storyboard(*, platform: Platform, uid: str, video_id: str) -> VideoRecord:
    """Take a concurrency slot again and run the rest of the pipeline on the storyboard.

    Idempotent: a video already continued is answered as it is (no second slot,
    no second set of tasks; the task names would make those no-ops anyway).
    """
    from synthora.services import limits

    video = videos.get_owned_video(platform=platform, uid=uid, video_id=video_id)
    if video.status != VideoStatus.review:
        if _continued(video):
            return video
        raise Conflict(
            f"only a storyboard waiting for review can be continued; this video is "
            f"{video.status.value}",
            code="not_in_review",
        )
    limits.reserve_generation(platform=platform, uid=uid, video_id=video_id, retry=True)
    ref = video_ref(platform, video_id)

    def resume(tx: Transaction) -> tuple[VideoRecord, bool]:
        snap = tx.get(ref)
        current = VideoRecord.model_validate(snap.to_dict()) if snap.exists else None
        if current is None or current.owner_id != uid:
            raise NotFound("no such video", code="video_not_found")
        if current.status != VideoStatus.review:
            if _continued(current):
                return current, False  # a concurrent continue won
            raise Conflict(
                f"only a storyboard waiting for review can be continued; this video is "
                f"{current.status.value}",
                code="not_in_review",
            )
        now = datetime.now(UTC)
        assert current.review is not None
        current.review.continued_at = now
        current.review_expires_at = None
        current.status = VideoStatus.queued
        current.current_step = current.first_open_step()
        current.updated_at = now
        current.progress = current.compute_progress()
        tx.set(ref, current.model_dump())
        return current, True

    try:
        resumed, started = platform.documents.run_transaction(resume)
    except Exception:
        limits.release_generation(platform=platform, uid=uid, video_id=video_id, succeeded=False)
        raise
    if started:
        for step in resumed.ready_steps():
            enqueue_step(platform, video_id=resumed.id, generation=resumed.generation, step=step)
        log.info("storyboard continued", extra=fields(video_id=video_id))
    return resumed


def _continued(video: VideoRecord) -> bool:
    return (
        video.review is not None
        and video.review.continued_at is not None
        and (video.status in ACTIVE_STATUSES or video.status == VideoStatus.completed)
    )


# --------------------------------------------------------------------------- expiry


def _expire_review(platform: Platform, snap: Snapshot) -> int:
    """Cleanup hook: a storyboard left waiting is marked expired, with the reason."""
    ref = snap.reference
    hours = get_settings().storyboard_review_hours

    def expire(tx: Transaction) -> VideoRecord | None:
        current = tx.get(ref)
        if not current.exists:
            return None
        video = VideoRecord.model_validate(current.to_dict())
        video.review_expires_at = None
        if video.status != VideoStatus.review:
            tx.set(ref, video.model_dump())  # continued or cancelled meanwhile: only unmark
            return None
        from synthora.services import limits

        now = datetime.now(UTC)
        retention = limits.retention_days_for_user(platform=platform, uid=video.owner_id)
        video.status = VideoStatus.expired
        video.current_step = None
        video.error = VideoError(
            step=Step.voice,
            provider=None,
            message=f"The storyboard waited for review for more than {hours} hours, so the "
            "video expired. Create it again to make it.",
            payload={"reason": "review_expired", "review_hours": hours},
            at=now,
        )
        video.expires_at = now + timedelta(days=retention) if retention is not None else None
        video.updated_at = now
        tx.set(ref, video.model_dump())
        return video

    expired = platform.documents.run_transaction(expire)
    if expired is not None:
        log.info("storyboard review expired", extra=fields(video_id=expired.id))
    return 0


#: Storyboards waiting for review past their time: marked expired, not deleted.
REVIEW_CLEANUP_TARGET = CleanupTarget(
    name="expired_reviews",
    collection="videos",
    expires_field="review_expires_at",
    batch_size=100,
    settle=_expire_review,
)
