"""Shared plumbing of the stock media clients.

Orientation fit, deterministic pick, size caps.

Moved out of the former `pipeline/providers/media.py`; the provider modules use it.
"""

from __future__ import annotations

from typing import Any

from synthora.providers.contracts import MediaRequest, Orientation
from synthora.providers.errors import ProviderError
from synthora.providers.http import MiB

MAX_VIDEO_BYTES = 250 * MiB
MAX_IMAGE_BYTES = 40 * MiB

# Frame size we aim for per orientation (the assembly renders 1080p).
TARGET_SIZE: dict[Orientation, tuple[int, int]] = {
    "portrait": (1080, 1920),
    "landscape": (1920, 1080),
    "square": (1080, 1080),
}


def no_results(provider: str, request: MediaRequest, what: str) -> ProviderError:
    """Nothing matched: not transient, the pipeline should try other keywords/providers."""
    return ProviderError(
        f"{provider} found no {what} for {' '.join(request.keywords)!r}",
        provider=provider,
        code="no_results",
        payload={"keywords": request.keywords, "orientation": request.orientation},
    )


def fits_orientation(width: int, height: int, orientation: Orientation) -> bool:
    if orientation == "portrait":
        return height > width
    if orientation == "landscape":
        return width > height
    return abs(width - height) <= 0.1 * max(width, height)


def pick_seeded(candidates: list[Any], seed: int) -> Any:
    return candidates[seed % len(candidates)]
