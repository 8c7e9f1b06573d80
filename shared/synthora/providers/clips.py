"""Shared plumbing of the video-AI clients.

Download a finished clip, fetch a reference image, pick an allowed duration.

Moved out of the former `pipeline/providers/video_ai.py`; the provider modules use it.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

import httpx

from synthora.providers.contracts import VideoAIJob
from synthora.providers.errors import ProviderError
from synthora.providers.http import MiB
from synthora.providers.jobs import JobClient, JobStatus

MAX_CLIP_BYTES = 300 * MiB
MAX_REFERENCE_IMAGE_BYTES = 20 * MiB


def nearest_allowed(value: float, allowed: tuple[int, ...]) -> int:
    """The shortest allowed duration that covers `value`, else the longest."""
    for option in allowed:
        if option >= value - 1e-6:
            return option
    return allowed[-1]


class VideoClient(JobClient[VideoAIJob]):
    """A video-AI job client. Shared download: most result URLs are pre-signed and
    take no key."""

    job_model = VideoAIJob
    download_needs_auth = False

    def download(self, *, job: VideoAIJob, out_path: Path) -> Path:
        if job.status != "succeeded" or not job.output_url:
            raise ProviderError(
                f"{self.name} job {job.job_id} has no finished video to download",
                provider=self.name,
                code="not_ready",
                payload={"job_id": job.job_id, "status": job.status},
            )
        return self._fetch_file(job.output_url, out_path)

    def _fetch_file(self, url: str, out_path: Path) -> Path:
        return self.download_file(
            url, out_path, max_bytes=MAX_CLIP_BYTES, auth=self.download_needs_auth
        )

    def _fetch_image(self, url: str) -> tuple[bytes, str]:
        """Fetch a reference image for APIs that want bytes, not a URL."""
        try:
            response = self.client.get(url)
        except httpx.HTTPError as exc:
            raise ProviderError(
                f"{self.name}: the reference image could not be fetched",
                provider=self.name,
                code="image_unreachable",
                payload={"url": url, "exception": type(exc).__name__},
            ) from exc
        if response.is_error or not response.content:
            raise ProviderError(
                f"{self.name}: the reference image answered HTTP {response.status_code}",
                provider=self.name,
                code="image_unreachable",
                payload={"url": url, "status_code": response.status_code},
            )
        if len(response.content) > MAX_REFERENCE_IMAGE_BYTES:
            raise self._too_large(url, len(response.content), MAX_REFERENCE_IMAGE_BYTES)
        mime = response.headers.get("Content-Type", "").split(";")[0].strip()
        if not mime.startswith("image/"):
            mime = mimetypes.guess_type(url)[0] or "image/jpeg"
        return response.content, mime


__all__ = ["MAX_CLIP_BYTES", "JobStatus", "VideoClient", "nearest_allowed"]
