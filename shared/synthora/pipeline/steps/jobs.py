"""Following a provider job from delayed tasks: the one poll loop of the pipeline.

A step that submitted a job answers `PollLater`; each later delivery calls
`follow_job`, which polls once and answers the finished job, or another
`PollLater` (after `after_s`), or raises `ProviderError` with the provider's
payload when the job failed (`job_failed`) or did not finish after `MAX_POLLS`
polls (`job_timeout`). Steps never sleep waiting for a provider.
"""

from __future__ import annotations

from typing import Any, Protocol

from synthora.pipeline.runner import PollLater
from synthora.pipeline.steps.common import Choice
from synthora.providers.contracts import ProviderJob
from synthora.providers.errors import ProviderError

#: 15 minutes of polling at 10 s before a job counts as failed.
MAX_POLLS = 90


class Pollable(Protocol):
    def poll(self, *, job_id: str) -> Any: ...


def submitted(
    job: ProviderJob, *, choice: Choice, after_s: float, integration_id: str | None
) -> PollLater:
    """The first `PollLater` after a job was created."""
    return PollLater(
        after_s=after_s,
        poll={"job_id": job.job_id, "integration_id": choice.integration_id, "polls": 0},
        provider=choice.provider,
        integration_id=integration_id,
    )


def follow_job(
    client: Pollable,
    *,
    poll: dict[str, Any],
    choice: Choice,
    after_s: float,
    what: str,
    needs_output_url: bool = False,
) -> ProviderJob | PollLater:
    """Poll once: the finished job, or when to look again; raises when it failed."""
    job: ProviderJob = client.poll(job_id=str(poll["job_id"]))
    if job.status == "failed":
        raise ProviderError(
            job.error or f"the {what} failed",
            provider=choice.provider,
            code="job_failed",
            payload=job.raw,
        )
    finished = job.status == "succeeded" and (job.output_url or not needs_output_url)
    if finished:
        return job
    polls = int(poll.get("polls", 0)) + 1
    if polls >= MAX_POLLS:
        raise ProviderError(
            f"the {what} did not finish in time",
            provider=choice.provider,
            code="job_timeout",
            payload=job.raw,
        )
    return PollLater(
        after_s=after_s,
        poll={**poll, "polls": polls},
        provider=choice.provider,
        integration_id=choice.integration_id,
    )
