"""Shared plumbing of the cloud assembly clients.

Scene timing and caption size of a `CloudRenderRequest`.

Moved out of the former `pipeline/providers/assembly.py`; the provider modules use it.
"""

from __future__ import annotations

from typing import Any, Literal

from synthora.providers.contracts import CloudRenderJob, CloudRenderRequest
from synthora.providers.http import HttpProvider

JobStatus = Literal["queued", "running", "succeeded", "failed"]

# Background music sits well under the voice.
MUSIC_VOLUME = 0.15


def scene_starts(request: CloudRenderRequest) -> list[float]:
    """Start time of each scene: scenes play back to back."""
    starts, t = [], 0.0
    for scene in request.scenes:
        starts.append(round(t, 3))
        t += scene.duration_s
    return starts


def total_duration(request: CloudRenderRequest) -> float:
    return round(sum(scene.duration_s for scene in request.scenes), 3)


def caption_font_size(request: CloudRenderRequest) -> int:
    """About 1/20 of the frame's short side: readable on a phone, fits two lines."""
    return max(24, round(min(request.width, request.height) / 20))


class RenderClient(HttpProvider):
    def _job(
        self,
        *,
        job_id: str,
        status: JobStatus,
        raw: dict[str, Any],
        output_url: str | None = None,
        error: str | None = None,
    ) -> CloudRenderJob:
        return CloudRenderJob.of(
            provider=self.name,
            job_id=job_id,
            status=status,
            raw=raw,
            output_url=output_url,
            error=error,
        )
