"""Shared plumbing of the cloud assembly clients.

Scene timing and caption size of a `CloudRenderRequest`.

Moved out of the former `pipeline/providers/assembly.py`; the provider modules use it.
"""

from __future__ import annotations

from synthora.providers.contracts import CloudRenderJob, CloudRenderRequest
from synthora.providers.jobs import JobClient, JobStatus

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


class RenderClient(JobClient[CloudRenderJob]):
    """A cloud render job client."""

    job_model = CloudRenderJob


__all__ = [
    "MUSIC_VOLUME",
    "JobStatus",
    "RenderClient",
    "caption_font_size",
    "scene_starts",
    "total_duration",
]
