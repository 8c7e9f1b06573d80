"""The script step."""

from __future__ import annotations

from synthora.pipeline.models import Step
from synthora.pipeline.runner import Done, StepOutcome, StepRun
from synthora.pipeline.steps.common import choose, client, config_of, used
from synthora.providers.base import Capability
from synthora.script.offline import write_script_offline


def script_step(run: StepRun) -> StepOutcome:
    config = config_of(run)
    choice = choose(run, Step.script)
    writer = client(Capability.SCRIPT, choice)
    integration_id = None
    if writer is not None:
        script = writer.write(
            topic=run.video.topic, config=config, instructions=run.video.instructions
        )
        provider = choice.provider
        integration_id = used(run, choice)
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
        integration_id=integration_id,
        updates={
            "title": script.title,
            "description": script.description,
            "hashtags": script.hashtags,
        },
    )
