"""FFmpeg (local): assembles the final MP4 on the worker.

Scenes, transitions, burned captions, music ducking, loudness normalisation,
H.264 encode. Runs assembly locally: the pipeline's own FFmpeg assembly
(`synthora.media.assemble`, tested in tests/media/test_assemble.py).

Key check: LOCAL ffmpeg -hide_banner -filters / -encoders: Checks the binary
runs and has xfade, ass, sidechaincompress, loudnorm, zoompan, drawtext and
libx264.

Documentation: https://ffmpeg.org/ffmpeg-filters.html
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from synthora.providers.base import (
    AuthMethod,
    AuthSpec,
    Capability,
    IntegrationCategory,
    ProviderDeclaration,
    RunsLocally,
    ValidationEndpoint,
)
from synthora.providers.keycheck import (
    BaseValidator,
    ValidationResult,
)

ID = "ffmpeg"
DISPLAY_NAME = "FFmpeg (local)"


# --------------------------------------------------------------------------- key check

REQUIRED_FFMPEG_FILTERS = ("xfade", "ass", "sidechaincompress", "loudnorm", "zoompan", "drawtext")


REQUIRED_FFMPEG_ENCODERS = ("libx264",)


_FFMPEG_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class FFmpegValidator(BaseValidator):
    """Checks the local ffmpeg binary has every filter and encoder the assembly uses."""

    provider: str = ID
    binary: str = "ffmpeg"

    def validate(
        self,
        *,
        api_key: str = "",
        client: httpx.Client | None = None,
        options: Mapping[str, str] | None = None,
    ) -> ValidationResult:
        binary = (options or {}).get("binary", self.binary)
        path = shutil.which(binary)
        if path is None:
            return self._result(
                status="invalid",
                message=f"ffmpeg binary {binary!r} was not found on PATH; install FFmpeg.",
            )
        try:
            filters_out = self._run(path, "-filters")
            encoders_out = self._run(path, "-encoders")
            version_out = self._run(path, "-version")
        except (OSError, subprocess.SubprocessError) as exc:
            return self._result(status="provider_error", message=f"ffmpeg could not be run: {exc}")
        filters = _listed_names(filters_out)
        encoders = _listed_names(encoders_out)
        missing_filters = [f for f in REQUIRED_FFMPEG_FILTERS if f not in filters]
        missing_encoders = [e for e in REQUIRED_FFMPEG_ENCODERS if e not in encoders]
        # First line reads `ffmpeg version 5.1.4-0+deb12u1 Copyright ...`.
        words = version_out.split()
        version = words[2] if len(words) > 2 and words[1] == "version" else "unknown"
        details = {
            "path": path,
            "version": version,
            "missing_filters": missing_filters,
            "missing_encoders": missing_encoders,
        }
        if missing_filters or missing_encoders:
            missing = ", ".join(missing_filters + missing_encoders)
            return self._result(
                status="invalid",
                message=f"ffmpeg lacks what the assembly needs: {missing}. Install a full "
                "build (with libass, libfreetype and libx264).",
                details=details,
            )
        return self._result(
            status="valid",
            message=f"ffmpeg {version} has every filter and encoder the assembly needs.",
            details=details,
        )

    @staticmethod
    def _run(path: str, flag: str) -> str:
        completed = subprocess.run(
            [path, "-hide_banner", flag],
            capture_output=True,
            text=True,
            timeout=_FFMPEG_TIMEOUT_S,
            check=True,
        )
        return completed.stdout


_LISTING_ROW = re.compile(r"^\s*[A-Z.|]{3,6}\s+(?P<name>[A-Za-z0-9_\-]+)\s")


def _listed_names(output: str) -> set[str]:
    """Names in `ffmpeg -filters` / `-encoders` output (`FLAGS name ...` rows).

    Legend rows (`T.. = Timeline support`) have `=` where the name would be,
    which the name pattern refuses.
    """
    names: set[str] = set()
    for line in output.splitlines():
        match = _LISTING_ROW.match(line)
        if match:
            names.add(match.group("name"))
    return names


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.ASSEMBLY,
    auth=AuthSpec(method=AuthMethod.NONE, notes="Runs on the worker; no key."),
    docs_url="https://ffmpeg.org/ffmpeg-filters.html",
    used_for="Assembles the final MP4: scenes, transitions, burned captions, music "
    "ducking, loudness normalisation, H.264 encode.",
    key_check=ValidationEndpoint(
        method="LOCAL",
        url="ffmpeg -hide_banner -filters / -encoders",
        description="Checks the binary runs and has xfade, ass, sidechaincompress, "
        "loudnorm, zoompan, drawtext and libx264.",
        dedicated=True,
    ),
    validator=FFmpegValidator(),
    capabilities={
        Capability.ASSEMBLY: RunsLocally(
            description="the pipeline's own FFmpeg assembly (synthora.media.assemble)",
            tests="tests/media/test_assemble.py",
        )
    },
)
