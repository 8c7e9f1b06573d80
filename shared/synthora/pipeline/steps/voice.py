"""The voice step."""

from __future__ import annotations

import json
from typing import Any

from synthora.pipeline.models import Step
from synthora.pipeline.runner import Done, StepOutcome, StepRun
from synthora.pipeline.steps.common import choose, client, config_of, load_script, used
from synthora.providers.base import Capability
from synthora.providers.contracts import VoiceRequest


def voice_step(run: StepRun) -> StepOutcome:
    """One narration audio per scene, with word timings relative to the scene start."""
    config = config_of(run)
    script = load_script(run)
    choice = choose(run, Step.voice)
    audio = config.audio
    scenes: list[dict[str, Any]] = []
    provider_name = "local-tts"
    online = client(Capability.VOICE, choice)
    if online is not None:
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
        integration_id=used(run, choice) if online is not None else None,
    )
