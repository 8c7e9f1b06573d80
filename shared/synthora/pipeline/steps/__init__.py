"""The work of each pipeline step, one module per step.

Each step reads what earlier steps stored (blobs under the video's prefix and
their `outputs`), picks its provider (`common.choose`: the integration chosen
for the step, the user's best integration that really runs it, or the offline
provider), and returns `Done` with its own outputs, or `PollLater` while a
provider job runs (`jobs.follow_job`). Steps never sleep waiting for a provider.
"""

from __future__ import annotations

from collections.abc import Callable

from synthora.pipeline.models import Step
from synthora.pipeline.runner import StepOutcome, StepRun
from synthora.pipeline.steps.assembly import assembly_step
from synthora.pipeline.steps.finalize import finalize_step
from synthora.pipeline.steps.media import media_step
from synthora.pipeline.steps.script import script_step
from synthora.pipeline.steps.video_ai import video_ai_step
from synthora.pipeline.steps.voice import voice_step

STEP_WORK: dict[Step, Callable[[StepRun], StepOutcome]] = {
    Step.script: script_step,
    Step.voice: voice_step,
    Step.media: media_step,
    Step.video_ai: video_ai_step,
    Step.assembly: assembly_step,
    Step.finalize: finalize_step,
}
