"""The work of each pipeline step.

Each step reads what earlier steps stored (blobs under the video's prefix and
their `outputs`), picks its provider (the integration chosen for the step, the
user's best active integration of that category, or the offline provider),
and returns `Done` with its own outputs, or `PollLater` while a provider job
runs. Steps never sleep waiting for a provider.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from synthora.logs import fields, get_logger
from synthora.pipeline.models import Step, VideoOutputs
from synthora.pipeline.runner import Done, PollLater, StepOutcome, StepRun
from synthora.providers.base import Capability
from synthora.providers.contracts import (
    CloudRenderRequest,
    CloudRenderScene,
    MediaRequest,
    VideoAIRequest,
    VoiceRequest,
    orientation_for,
)
from synthora.providers.errors import ProviderError
from synthora.providers.registry import client_for
from synthora.script.models import Script
from synthora.templates.config import TemplateConfig

log = get_logger(__name__)

OFFLINE = "offline"
CATEGORY = {
    Step.script: "script",
    Step.voice: "voice",
    Step.media: "media",
    Step.video_ai: "video_ai",
    Step.assembly: "assembly",
}
VIDEO_AI_POLL_S = 10.0
CLOUD_RENDER_POLL_S = 8.0
MAX_POLLS = 90  # 15 minutes of polling at 10 s before a job counts as failed


# --------------------------------------------------------------------------- provider choice


@dataclass
class Choice:
    provider: str  # provider id, or "offline" / "ffmpeg"
    integration_id: str | None = None
    api_key: str | None = None
    options: dict[str, str] | None = None

    @property
    def offline(self) -> bool:
        return self.integration_id is None


def choose(run: StepRun, step: Step) -> Choice:
    """The integration chosen for this step, the user's best one, or the offline provider."""
    from synthora.services.integrations import mark_used

    wanted = run.video.integrations.get(step, "auto")
    if wanted in (None, OFFLINE):
        return Choice(provider=OFFLINE)
    resolved = _resolve(run, step, None if wanted == "auto" else wanted)
    if resolved is None:
        return Choice(provider=OFFLINE)
    mark_used(platform=run.platform, uid=run.video.owner_id, integration_id=resolved.integration_id)
    return Choice(
        provider=str(resolved.provider),
        integration_id=resolved.integration_id,
        api_key=resolved.api_key,
        options=dict(resolved.options),
    )


def _resolve(run: StepRun, step: Step, integration_id: str | None) -> Any:
    """The user's integration for the step; an unusable one fails the step, not the queue."""
    from synthora.errors import ApiError
    from synthora.services.integrations import active_integration_for

    try:
        return active_integration_for(
            platform=run.platform,
            uid=run.video.owner_id,
            category=CATEGORY[step],
            integration_id=integration_id,
        )
    except ApiError as exc:
        # e.g. the integration chosen for a retry was deleted or switched off meanwhile
        raise ProviderError(
            f"the integration chosen for the {step.value} step cannot be used: {exc.message}",
            provider="synthora",
            code=exc.code,
            payload={"integration_id": integration_id, "details": exc.details},
        ) from exc


def _client(capability: Capability, choice: Choice) -> Any:
    """The client of the provider a job was submitted to (a poll asks the same one)."""
    factory = client_for(capability, choice.provider)
    if factory is None or not choice.api_key:
        raise ProviderError(
            f"{choice.provider} cannot run {capability.value} any more",
            provider=choice.provider,
            code="provider_unavailable",
        )
    return factory(choice.api_key, None, choice.options or {})


def config_of(run: StepRun) -> TemplateConfig:
    return TemplateConfig.model_validate(run.video.config)


def render_scale() -> float:
    """Renders are full size; tests and previews shrink them with SYNTHORA_RENDER_SCALE."""
    try:
        return min(1.0, max(0.1, float(os.environ.get("SYNTHORA_RENDER_SCALE", "1"))))
    except ValueError:
        return 1.0


def _load_json(run: StepRun, key: str) -> Any:
    return json.loads(run.platform.blobs.get_bytes(key))


def load_script(run: StepRun) -> Script:
    return Script.model_validate(_load_json(run, run.outputs_of(Step.script)["script_key"]))


# --------------------------------------------------------------------------- script


def script_step(run: StepRun) -> StepOutcome:
    from synthora.script.offline import write_script_offline

    config = config_of(run)
    choice = choose(run, Step.script)
    factory = client_for(Capability.SCRIPT, choice.provider)
    if not choice.offline and factory is not None and choice.api_key:
        writer = factory(choice.api_key, None, choice.options or {})
        script = writer.write(
            topic=run.video.topic, config=config, instructions=run.video.instructions
        )
        provider = choice.provider
    else:
        script = write_script_offline(
            topic=run.video.topic, config=config, instructions=run.video.instructions
        )
        provider = "template-writer"
    key = run.put_bytes(
        "script.json", script.model_dump_json(indent=2).encode(), content_type="application/json"
    )
    return Done(
        outputs={
            "script_key": key,
            "scenes": len(script.scenes),
            "estimated_duration_s": script.total_duration_s,
        },
        provider=provider,
        integration_id=choice.integration_id,
        updates={
            "title": script.title,
            "description": script.description,
            "hashtags": script.hashtags,
        },
    )


# --------------------------------------------------------------------------- voice


def voice_step(run: StepRun) -> StepOutcome:
    """One narration audio per scene, with word timings relative to the scene start."""
    config = config_of(run)
    script = load_script(run)
    choice = choose(run, Step.voice)
    audio = config.audio
    scenes: list[dict[str, Any]] = []
    provider_name = "local-tts"
    online = None
    if not choice.offline and choice.api_key:
        factory = client_for(Capability.VOICE, choice.provider)
        if factory is not None:
            online = factory(choice.api_key, None, choice.options or {})
            provider_name = choice.provider
    offline_speech = None
    if online is None:
        from synthora.media import VoiceSpec
        from synthora.media.voice_local import synthesize_many

        # All scenes in one go: Piper loads its voice model once.
        offline_speech = synthesize_many(
            texts=[scene.narration for scene in script.scenes],
            voice=VoiceSpec(
                gender=audio.voice_gender.value,
                tone=audio.voice_tone.value,
                speed=audio.voice_speed,
            ),
            out_dir=run.workdir / "voice",
        )
    for position, scene in enumerate(script.scenes):
        out_dir = run.workdir / f"scene{scene.index}"
        if online is not None:
            result = online.synthesize(
                request=VoiceRequest(
                    text=scene.narration,
                    gender=audio.voice_gender.value,
                    tone=audio.voice_tone.value,
                    speed=audio.voice_speed,
                ),
                out_dir=out_dir,
            )
            path, duration, voice_id = result.audio_path, result.duration_s, result.voice_id
            words = [w.model_dump() for w in result.words]
            content_type = "audio/mpeg" if result.format == "mp3" else f"audio/{result.format}"
        else:
            assert offline_speech is not None
            speech = offline_speech[position]
            path, duration, voice_id = speech.audio_path, speech.duration_s, speech.voice_id
            words = [w.model_dump() for w in speech.words]
            provider_name = speech.provider
            content_type = "audio/wav"
        key = run.put_file(
            f"voice/scene-{scene.index:02d}{path.suffix}", path, content_type=content_type
        )
        scenes.append(
            {
                "index": scene.index,
                "audio_key": key,
                "duration_s": duration,
                "voice_id": voice_id,
                "words": words,
            }
        )
    manifest_key = run.put_bytes(
        "voice.json", json.dumps({"scenes": scenes}).encode(), content_type="application/json"
    )
    return Done(
        outputs={
            "voice_key": manifest_key,
            "duration_s": round(sum(s["duration_s"] for s in scenes), 3),
            "voice_id": scenes[0]["voice_id"] if scenes else None,
        },
        provider=provider_name,
        integration_id=choice.integration_id,
    )


# --------------------------------------------------------------------------- media


def media_step(run: StepRun) -> StepOutcome:
    """A visual per scene: stock footage/photos from the user's provider, or generated."""
    from synthora.media import visuals
    from synthora.media.models import RESOLUTIONS

    config = config_of(run)
    script = load_script(run)
    choice = choose(run, Step.media)
    aspect = config.visual_style.aspect_ratio.value
    width, height = RESOLUTIONS[aspect]
    palette = _palette(config)
    online = None
    if not choice.offline and choice.api_key:
        factory = client_for(Capability.MEDIA, choice.provider)
        if factory is not None:
            online = factory(choice.api_key, None, choice.options or {})
    assets: list[dict[str, Any]] = []
    for scene in script.scenes:
        keywords = scene.visual_keywords or run.video.topic.split()[:3]
        if online is not None:
            try:
                asset = online.fetch(
                    request=MediaRequest(
                        keywords=keywords[:10],
                        orientation=orientation_for(aspect),
                        min_duration_s=scene.duration_s,
                        seed=scene.index,
                    ),
                    out_dir=run.workdir / f"scene{scene.index}",
                )
            except ProviderError as exc:
                if exc.code != "no_results":
                    raise
                asset = None  # nothing matched: this scene gets a generated background
            if asset is not None:
                key = run.put_file(
                    f"media/scene-{scene.index:02d}{asset.path.suffix}",
                    asset.path,
                    content_type=_content_type(asset.path),
                )
                assets.append(
                    {
                        "index": scene.index,
                        "key": key,
                        "kind": asset.kind,
                        "provider": asset.provider,
                        "attribution": asset.attribution.model_dump(),
                        "keywords": keywords,
                    }
                )
                continue
        path = visuals.render_background(
            palette=palette, width=width // 2, height=height // 2, seed=scene.index,
            out_path=run.workdir / f"bg-{scene.index:02d}.png",
        )  # fmt: skip
        key = run.put_file(f"media/scene-{scene.index:02d}.png", path, content_type="image/png")
        assets.append(
            {
                "index": scene.index,
                "key": key,
                "kind": "image",
                "provider": "generated",
                "attribution": {"license": "generated"},
                "keywords": keywords,
            }
        )
    key = run.put_bytes(
        "media.json", json.dumps({"assets": assets}).encode(), content_type="application/json"
    )
    providers = sorted({a["provider"] for a in assets})
    return Done(
        outputs={"media_key": key, "assets": len(assets), "providers": providers},
        provider="+".join(providers),
        integration_id=choice.integration_id,
    )


def _palette(config: TemplateConfig) -> list[str]:
    p = config.visual_style.color_palette
    return [p.background, p.secondary, p.primary, p.accent]


def _content_type(path: Path) -> str:
    return {
        ".mp4": "video/mp4",
        ".mov": "video/quicktime",
        ".webm": "video/webm",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".png": "image/png",
        ".webp": "image/webp",
    }.get(path.suffix.lower(), "application/octet-stream")


# --------------------------------------------------------------------------- video AI


def video_ai_step(run: StepRun) -> StepOutcome:
    """An AI clip for the opening scene: submit, then poll from delayed tasks."""
    state = run.state
    if state.poll is None:
        choice = choose(run, Step.video_ai)
        factory = client_for(Capability.VIDEO_AI, choice.provider)
        if choice.offline or factory is None or not choice.api_key:
            return Done(note="no video AI integration available; the generated visuals are used")
        provider = factory(choice.api_key, None, choice.options or {})
        script = load_script(run)
        config = config_of(run)
        first = script.scenes[0]
        job = provider.submit(
            request=VideoAIRequest(
                prompt=_clip_prompt(
                    run.video.topic,
                    first.narration,
                    first.visual_keywords,
                    config.visual_style.visual_aesthetic.value,
                ),
                duration_s=min(max(first.duration_s, 4.0), 10.0),
                aspect_ratio=config.visual_style.aspect_ratio.value,
            )
        )
        return PollLater(
            after_s=VIDEO_AI_POLL_S,
            poll={"job_id": job.job_id, "integration_id": choice.integration_id, "polls": 0},
            provider=choice.provider,
            integration_id=choice.integration_id,
        )
    poll = dict(state.poll)
    choice = choose_again(run, Step.video_ai, poll.get("integration_id"))
    provider = _client(Capability.VIDEO_AI, choice)
    job = provider.poll(job_id=str(poll["job_id"]))
    if job.status == "failed":
        raise ProviderError(
            job.error or "the video AI job failed",
            provider=choice.provider,
            code="job_failed",
            payload=job.raw,
        )
    if job.status != "succeeded":
        polls = int(poll.get("polls", 0)) + 1
        if polls >= MAX_POLLS:
            raise ProviderError(
                "the video AI job did not finish in time",
                provider=choice.provider,
                code="job_timeout",
                payload=job.raw,
            )
        return PollLater(
            after_s=VIDEO_AI_POLL_S,
            poll={**poll, "polls": polls},
            provider=choice.provider,
            integration_id=choice.integration_id,
        )
    path = provider.download(job=job, out_path=run.workdir / "clip.mp4")
    key = run.put_file("media/ai-clip.mp4", path, content_type="video/mp4")
    return Done(
        outputs={"clip_key": key, "job_id": job.job_id, "scene": 0},
        provider=choice.provider,
        integration_id=choice.integration_id,
    )


def choose_again(run: StepRun, step: Step, integration_id: str | None) -> Choice:
    """The same integration as when the job was submitted (a poll must ask the same account)."""
    resolved = _resolve(run, step, integration_id)
    if resolved is None:
        raise ProviderError(
            "the integration used for this job is gone",
            provider="unknown",
            code="integration_missing",
        )
    return Choice(
        provider=str(resolved.provider),
        integration_id=resolved.integration_id,
        api_key=resolved.api_key,
        options=dict(resolved.options),
    )


def _clip_prompt(topic: str, narration: str, keywords: list[str], aesthetic: str) -> str:
    subject = ", ".join(keywords[:4]) or topic
    return (
        f"A {aesthetic.replace('_', ' ')} vertical short-video opening shot about {topic}: "
        f"{subject}. {narration[:300]} No text, no captions, no logos."
    )[:2000]


# --------------------------------------------------------------------------- assembly


def assembly_step(run: StepRun) -> StepOutcome:
    """FFmpeg in one filter graph (default), or a cloud render provider."""
    choice = choose(run, Step.assembly)
    if not choice.offline and choice.api_key and client_for(Capability.ASSEMBLY, choice.provider):
        return _cloud_assembly(run, choice)
    return _ffmpeg_assembly(run, note=None)


def _scene_inputs(run: StepRun) -> tuple[Script, list[dict[str, Any]], list[dict[str, Any]]]:
    script = load_script(run)
    voice = _load_json(run, run.outputs_of(Step.voice)["voice_key"])["scenes"]
    media = _load_json(run, run.outputs_of(Step.media)["media_key"])["assets"]
    return script, voice, media


def _ffmpeg_assembly(run: StepRun, *, note: str | None) -> StepOutcome:
    from synthora.media import (
        RenderRequest,
        RenderStyle,
        SceneSpec,
        SynthesizedSpeech,
        make_thumbnail,
        pick_track,
        render,
    )
    from synthora.media.models import WordTiming

    config = config_of(run)
    script, voice, media = _scene_inputs(run)
    clip_key = run.outputs_of(Step.video_ai).get("clip_key")
    speeches: list[SynthesizedSpeech | None] = []
    backgrounds: list[Path | None] = []
    scenes: list[SceneSpec] = []
    for scene, spoken, asset in zip(script.scenes, voice, media, strict=True):
        audio = run.fetch(
            spoken["audio_key"], f"voice-{scene.index:02d}{Path(spoken['audio_key']).suffix}"
        )
        speeches.append(
            SynthesizedSpeech(
                audio_path=audio,
                duration_s=max(float(spoken["duration_s"]), 0.1),
                words=[WordTiming(**w) for w in spoken["words"] if w.get("word")],
                sample_rate=48000,
                provider="voice-step",
                voice_id=str(spoken.get("voice_id") or ""),
            )
        )
        source_key = clip_key if (clip_key and scene.index == 0) else asset["key"]
        backgrounds.append(
            run.fetch(source_key, f"media-{scene.index:02d}{Path(source_key).suffix}")
        )
        scenes.append(
            SceneSpec(
                narration=scene.narration,
                on_screen_text=scene.on_screen_text,
                keywords=scene.visual_keywords,
                duration_s=scene.duration_s,
            )
        )
    text = config.text_style
    audio = config.audio
    style = RenderStyle(
        aspect_ratio=config.visual_style.aspect_ratio.value,
        palette=_palette(config),
        font_family=text.font_family,
        caption_style=text.caption_style.value,
        caption_position=text.text_position.value,
        transition=config.visual_style.transitions.value,
        motion=config.visual_style.camera_motion.value,
        hook_overlay=script.hook[:120] if text.hook_text_overlay else None,
        music_mood=audio.music_mood.value,
        music_volume=audio.music_volume,
    )
    music = pick_track(mood=style.music_mood, seed=run.video.id)
    out = run.workdir / "video.mp4"
    result = render(
        request=RenderRequest(
            scenes=scenes, style=style, scene_speech=speeches, backgrounds=backgrounds,
            music=music, output_path=out, scale=render_scale(),
        )
    )  # fmt: skip
    thumb = make_thumbnail(
        video_path=out, out_path=run.workdir / "thumbnail.jpg", width=min(result.width, 540)
    )
    video_key = run.put_file("video.mp4", out, content_type="video/mp4")
    thumb_key = run.put_file("thumbnail.jpg", thumb, content_type="image/jpeg")
    return Done(
        outputs={
            "video_key": video_key,
            "thumbnail_key": thumb_key,
            "duration_s": round(result.duration_s, 3),
            "width": result.width,
            "height": result.height,
            "ffmpeg_seconds": round(result.ffmpeg_seconds, 3),
            "peak_rss_bytes": result.peak_rss_bytes,
            "music": music.model_dump(mode="json", exclude={"path"}) if music else None,
        },
        provider="ffmpeg",
        note=note,
    )


def _cloud_assembly(run: StepRun, choice: Choice) -> StepOutcome:
    from synthora.media.models import RESOLUTIONS

    provider = _client(Capability.ASSEMBLY, choice)
    state = run.state
    if state.poll is None:
        config = config_of(run)
        script, voice, media = _scene_inputs(run)
        width, height = RESOLUTIONS[config.visual_style.aspect_ratio.value]
        ttl = timedelta(hours=6)
        scenes = [
            CloudRenderScene(
                media_url=run.platform.blobs.signed_url(asset["key"], expires_in=ttl),
                media_kind=asset["kind"],
                duration_s=max(float(spoken["duration_s"]) + 0.3, scene.duration_s),
                caption=scene.narration,
            )
            for scene, spoken, asset in zip(script.scenes, voice, media, strict=True)
        ]
        job = provider.submit(
            request=CloudRenderRequest(
                scenes=scenes,
                voice_url=run.platform.blobs.signed_url(voice[0]["audio_key"], expires_in=ttl),
                width=width,
                height=height,
                caption_color=config.visual_style.color_palette.text,
                highlight_color=config.visual_style.color_palette.accent,
            )
        )
        return PollLater(
            after_s=CLOUD_RENDER_POLL_S,
            poll={"job_id": job.job_id, "polls": 0},
            provider=choice.provider,
            integration_id=choice.integration_id,
        )
    poll = dict(state.poll)
    job = provider.poll(job_id=str(poll["job_id"]))
    if job.status == "failed":
        raise ProviderError(
            job.error or "the render failed",
            provider=choice.provider,
            code="job_failed",
            payload=job.raw,
        )
    if job.status != "succeeded" or not job.output_url:
        polls = int(poll.get("polls", 0)) + 1
        if polls >= MAX_POLLS:
            raise ProviderError(
                "the render did not finish in time",
                provider=choice.provider,
                code="job_timeout",
                payload=job.raw,
            )
        return PollLater(
            after_s=CLOUD_RENDER_POLL_S,
            poll={**poll, "polls": polls},
            provider=choice.provider,
            integration_id=choice.integration_id,
        )
    # Render URLs expire at the provider: copy the file into our own storage.
    out = provider.download(job=job, out_path=run.workdir / "video.mp4")
    from synthora.media import make_thumbnail, probe

    info = probe(out)
    thumb = make_thumbnail(video_path=out, out_path=run.workdir / "thumbnail.jpg", width=540)
    return Done(
        outputs={
            "video_key": run.put_file("video.mp4", out, content_type="video/mp4"),
            "thumbnail_key": run.put_file("thumbnail.jpg", thumb, content_type="image/jpeg"),
            "duration_s": round(info.duration_s, 3),
            "width": info.width or 0,
            "height": info.height or 0,
            "job_id": job.job_id,
        },
        provider=choice.provider,
        integration_id=choice.integration_id,
    )


# --------------------------------------------------------------------------- finalize


def finalize_step(run: StepRun) -> StepOutcome:
    """Record the outputs, the expiry, and tell whoever needs to know."""
    from synthora.media import probe

    assembly = run.outputs_of(Step.assembly)
    stat = run.platform.blobs.stat(assembly["video_key"])
    if stat is None:
        raise ProviderError(
            "the assembled video is missing from storage", provider="storage", code="missing_output"
        )
    local = run.fetch(assembly["video_key"], "final.mp4")
    info = probe(local)
    if not any(s.codec_type == "audio" for s in info.streams):
        raise ProviderError(
            "the assembled video has no audio stream", provider="ffmpeg", code="invalid_output"
        )
    outputs = VideoOutputs(
        video_key=assembly["video_key"],
        thumbnail_key=assembly.get("thumbnail_key"),
        duration_s=round(info.duration_s, 3),
        width=info.width or 0,
        height=info.height or 0,
        size_bytes=stat.size,
    )
    from synthora.pipeline.lifecycle import retention_days, video_completed

    retention = retention_days(platform=run.platform, uid=run.video.owner_id)
    expires_at = datetime.now(UTC) + timedelta(days=retention) if retention is not None else None
    video_completed(platform=run.platform, video=run.video)
    log.info("video finalized", extra=fields(duration_s=outputs.duration_s, size=stat.size))
    return Done(
        outputs={"duration_s": outputs.duration_s, "size_bytes": stat.size},
        provider="synthora",
        updates={"outputs": outputs.model_dump(), "expires_at": expires_at},
    )


STEP_WORK: dict[Step, Callable[[StepRun], StepOutcome]] = {
    Step.script: script_step,
    Step.voice: voice_step,
    Step.media: media_step,
    Step.video_ai: video_ai_step,
    Step.assembly: assembly_step,
    Step.finalize: finalize_step,
}
