"""The one job helper every create-then-poll client shares.

A job client's `submit` creates the job and `poll` reads its state once; both
answer a `ProviderJob` built by `JobClient._job`, which keeps the output URL
only for a finished job and the error only for a failed one, and always the
provider's raw answer. The pipeline schedules each poll as a delayed task
(`synthora.pipeline.steps.jobs.follow_job`); nothing here sleeps or loops.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Generic, TypeVar

from synthora.providers.contracts import JobStatus, ProviderJob
from synthora.providers.errors import ProviderError
from synthora.providers.http import HttpProvider

J = TypeVar("J", bound=ProviderJob)

__all__ = ["JobClient", "JobStatus", "job_status"]


class JobClient(HttpProvider, Generic[J]):
    """An HTTP client whose work is a provider job of type `job_model`."""

    job_model: ClassVar[type[ProviderJob]]

    def _job(
        self,
        *,
        job_id: str,
        status: JobStatus,
        raw: dict[str, Any],
        output_url: str | None = None,
        error: str | None = None,
    ) -> J:
        job = self.job_model.of(
            provider=self.name,
            job_id=job_id,
            status=status,
            raw=raw,
            output_url=output_url,
            error=error,
        )
        return job  # type: ignore[return-value]


def job_status(
    provider: str, table: Mapping[str, JobStatus], value: str, raw: dict[str, Any]
) -> JobStatus:
    """A provider's status word mapped to ours; an undocumented one is an error."""
    try:
        return table[value]
    except KeyError:
        raise ProviderError(
            f"{provider} answered an unknown job status {value!r}",
            provider=provider,
            code="unknown_status",
            payload=raw,
        ) from None
