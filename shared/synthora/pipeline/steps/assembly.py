"""The assembly step: FFmpeg on the worker, or a cloud render submitted then polled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from synthora.media import (
    FfmpegProgress,
    RenderRequest,
    RenderStyle,
    SceneSpec,
    SynthesizedSpeech,
    make_thumbnail,
    pick_track,
    probe,
    render,
)
from synthora.media.models import RESOLUTIONS, WordTiming
from synthora.pipeline.models import Step, StepProgress
from synthora.pipeline.runner import Done, PollLater, StepOutcome, StepRun
from synthora.pipeline.steps.common import (
    Choice,
    choose,
    choose_again,
    client,
    client_again,
    config_of,
    palette,
    render_scale,
    scene_inputs,
    used,
)
from synthora.pipeline.steps.jobs import follow_job, submitted
from synthora.providers.base import Capability
from synthora.providers.contracts import CloudRenderRequest, CloudRenderScene
from synthora.providers.registry import local_runner

CLOUD_RENDER_POLL_S = 8.0
#: The provider that assembles on the worker itself (FFmpeg).
LOCAL_ASSEMBLY = local_runner(Capability.ASSEMBLY).id


def assembly_step(run: StepRun) -> StepOutcome:
    """FFmpeg in one filter graph (default), or a cloud render provider."""
    if run.state.poll is not None:
        poll = dict(run.state.poll)
        choice = choose_again(run, Step.assembly, poll.get("integration_id"))
        return _follow_render(run, choice, poll)
    choice = choose(run, Step.assembly)
    renderer = client(Capability.ASSEMBLY, choice)
    if renderer is not None:
        return _submit_render(run, choice, renderer)
    # FFmpeg runs here: offline, or the user's FFmpeg integration (local, no key).
    ran_locally = not choice.offline and choice.provider == LOCAL_ASSEMBLY
    return _ffmpeg_assembly(run, integration_id=used(run, choice) if ran_locally else None)


def _ffmpeg_assembly(run: StepRun, *, integration_id: str | None) -> StepOutcome:
    config = config_of(run)
    script, voice, media = scene_inputs(run)
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
        palette=palette(config),
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
        ),
        on_progress=_reporter(run),
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
        provider=LOCAL_ASSEMBLY,
        integration_id=integration_id,
    )


#: Frames-done reports go to the video record at most this often.
PROGRESS_RECORD_EVERY_S = 2.0


def _reporter(run: StepRun) -> Callable[[FfmpegProgress], None]:
    """Record FFmpeg's frames done and the estimate on the step (a cancel checkpoint too)."""
    last = [0.0]

    def report(progress: FfmpegProgress) -> None:
        if progress.elapsed_s - last[0] < PROGRESS_RECORD_EVERY_S:
            return
        last[0] = progress.elapsed_s
        eta = progress.eta_s
        run.report_progress(
            StepProgress(
                fraction=round(progress.fraction, 3),
                done=progress.frames_done,
                total=progress.frames_total,
                unit="frames",
                eta_s=round(eta, 1) if eta is not None else None,
            )
        )

    return report


def _submit_render(run: StepRun, choice: Choice, provider: Any) -> StepOutcome:
    config = config_of(run)
    script, voice, media = scene_inputs(run)
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
    return submitted(
        job, choice=choice, after_s=CLOUD_RENDER_POLL_S, integration_id=used(run, choice)
    )


def _follow_render(run: StepRun, choice: Choice, poll: dict[str, Any]) -> StepOutcome:
    provider = client_again(Capability.ASSEMBLY, choice)
    job = follow_job(
        provider,
        poll=poll,
        choice=choice,
        after_s=CLOUD_RENDER_POLL_S,
        what="render",
        needs_output_url=True,
    )
    if isinstance(job, PollLater):
        return job
    # Render URLs expire at the provider: the client copies the file (with the
    # key only where the provider needs it, e.g. Editframe) into our storage.
    out = provider.download(job=job, out_path=run.workdir / "video.mp4")
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
