"""The video AI step: an AI clip for the opening scene, submitted then polled."""

from __future__ import annotations

from synthora.pipeline.models import Step
from synthora.pipeline.runner import Done, PollLater, StepOutcome, StepRun
from synthora.pipeline.steps.common import (
    choose,
    choose_again,
    client,
    client_again,
    config_of,
    load_script,
    used,
)
from synthora.pipeline.steps.jobs import follow_job, submitted
from synthora.providers.base import Capability
from synthora.providers.contracts import VideoAIRequest

VIDEO_AI_POLL_S = 10.0


def video_ai_step(run: StepRun) -> StepOutcome:
    """Submit on the first delivery, then poll from delayed tasks until the clip is ready."""
    state = run.state
    if state.poll is None:
        choice = choose(run, Step.video_ai)
        provider = client(Capability.VIDEO_AI, choice)
        if provider is None:
            return Done(note="no video AI integration available; the generated visuals are used")
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
        return submitted(
            job, choice=choice, after_s=VIDEO_AI_POLL_S, integration_id=used(run, choice)
        )
    poll = dict(state.poll)
    choice = choose_again(run, Step.video_ai, poll.get("integration_id"))
    provider = client_again(Capability.VIDEO_AI, choice)
    outcome = follow_job(
        provider, poll=poll, choice=choice, after_s=VIDEO_AI_POLL_S, what="video AI job"
    )
    if isinstance(outcome, PollLater):
        return outcome
    path = provider.download(job=outcome, out_path=run.workdir / "clip.mp4")
    key = run.put_file("media/ai-clip.mp4", path, content_type="video/mp4")
    return Done(
        outputs={"clip_key": key, "job_id": outcome.job_id, "scene": 0},
        provider=choice.provider,
        integration_id=choice.integration_id,
    )


def _clip_prompt(topic: str, narration: str, keywords: list[str], aesthetic: str) -> str:
    subject = ", ".join(keywords[:4]) or topic
    return (
        f"A {aesthetic.replace('_', ' ')} vertical short-video opening shot about {topic}: "
        f"{subject}. {narration[:300]} No text, no captions, no logos."
    )[:2000]
