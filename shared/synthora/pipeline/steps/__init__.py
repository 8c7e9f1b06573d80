"""The work of each pipeline step, one module per step.

Each step reads what earlier steps stored (blobs under the video's prefix and
their `outputs`), picks its provider (`common.choose`: the integration chosen
for the step, the user's best integration that really runs it, or the offline
provider), and returns `Done` with its own outputs, or `PollLater` while a
provider job runs (`jobs.follow_job`). Steps never sleep waiting for a provider.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, MutableMapping

from synthora.pipeline.models import Step
from synthora.pipeline.runner import StepOutcome, StepRun

StepWork = Callable[[StepRun], StepOutcome]

#: Each step's module and function. A step's module (and what it needs: the
#: render engine, provider clients) is imported when the step first runs, so
#: each step's task function loads only its own step at cold start.
_WORK: dict[Step, tuple[str, str]] = {
    Step.script: ("script", "script_step"),
    Step.voice: ("voice", "voice_step"),
    Step.media: ("media", "media_step"),
    Step.video_ai: ("video_ai", "video_ai_step"),
    Step.assembly: ("assembly", "assembly_step"),
    Step.finalize: ("finalize", "finalize_step"),
}


class _StepWork(MutableMapping[Step, StepWork]):
    """`STEP_WORK[step]`: the step's work, its module imported on first use.

    Assigning a step's work replaces it (tests swap a step for a counting or
    failing one); deleting the assignment goes back to the module's own.
    """

    def __init__(self) -> None:
        self._replaced: dict[Step, StepWork] = {}

    def __getitem__(self, step: Step) -> StepWork:
        if step in self._replaced:
            return self._replaced[step]
        module, name = _WORK[step]
        work: StepWork = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        return work

    def __setitem__(self, step: Step, work: StepWork) -> None:
        if step not in _WORK:
            raise KeyError(step)
        self._replaced[step] = work

    def __delitem__(self, step: Step) -> None:
        del self._replaced[step]

    def __iter__(self) -> Iterator[Step]:
        return iter(_WORK)

    def __len__(self) -> int:
        return len(_WORK)


STEP_WORK: MutableMapping[Step, StepWork] = _StepWork()
