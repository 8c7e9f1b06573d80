"""Shared plumbing of the cloud assembly clients.

Scene timing and caption size of a `CloudRenderRequest`.

Moved out of the former `pipeline/providers/assembly.py`; the provider modules use it.
"""

from __future__ import annotations

from pathlib import Path

from synthora.providers.contracts import CloudRenderJob, CloudRenderRequest
from synthora.providers.errors import ProviderError
from synthora.providers.http import MiB
from synthora.providers.jobs import JobClient, JobStatus

# Background music sits well under the voice.
MUSIC_VOLUME = 0.15

MAX_RENDER_BYTES = 1024 * MiB


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
    """A cloud render job client, with the shared download of a finished render.

    Render URLs are usually pre-signed (Creatomate, Shotstack) and fetched
    without the key; a provider whose download needs the key (Editframe) sets
    `download_needs_auth`. Either way the key only goes to the provider's own
    host.
    """

    job_model = CloudRenderJob
    download_needs_auth = False

    def download(self, *, job: CloudRenderJob, out_path: Path) -> Path:
        """Copy the finished render to `out_path` (render URLs expire at the provider)."""
        if job.status != "succeeded" or not job.output_url:
            raise ProviderError(
                f"{self.name} render {job.job_id} has no finished video to download",
                provider=self.name,
                code="not_ready",
                payload={"job_id": job.job_id, "status": job.status},
            )
        needs_key = self.download_needs_auth and job.output_url.startswith(self.base_url + "/")
        return self.download_file(
            job.output_url, out_path, max_bytes=MAX_RENDER_BYTES, auth=needs_key
        )


__all__ = [
    "MAX_RENDER_BYTES",
    "MUSIC_VOLUME",
    "JobStatus",
    "RenderClient",
    "caption_font_size",
    "scene_starts",
    "total_duration",
]
