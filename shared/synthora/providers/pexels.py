"""Pexels: Stock photos and videos for scenes.

Runs media: the client below; documented request/response shapes are tested in
tests/providers/test_media.py.

Key check: GET https://api.pexels.com/v1/search?query=nature&per_page=1: A
one-result photo search; the X-Ratelimit-* headers give the quota.

Documentation: https://www.pexels.com/api/documentation/
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
from pydantic import BaseModel, Field

from synthora.providers.base import (
    AuthMethod,
    AuthSpec,
    Capability,
    IntegrationCategory,
    ProviderDeclaration,
    Runs,
    ValidationEndpoint,
)
from synthora.providers.contracts import Attribution, MediaAsset, MediaRequest, Orientation
from synthora.providers.http import HttpProvider, probe
from synthora.providers.keycheck import (
    HttpValidator,
    header_probe,
    ratelimit_details,
)
from synthora.providers.stock import (
    MAX_IMAGE_BYTES,
    MAX_VIDEO_BYTES,
    TARGET_SIZE,
    fits_orientation,
    no_results,
    pick_seeded,
)

ID = "pexels"
DISPLAY_NAME = "Pexels"


class _PexelsUser(BaseModel):
    name: str | None = None
    url: str | None = None


class PexelsVideoFile(BaseModel):
    id: int | None = None
    quality: str | None = None
    file_type: str | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    link: str


class _PexelsVideo(BaseModel):
    id: int
    width: int = 0
    height: int = 0
    duration: float = 0
    url: str | None = None
    user: _PexelsUser = Field(default_factory=_PexelsUser)
    video_files: list[PexelsVideoFile] = Field(default_factory=list)


class _PexelsVideoPage(BaseModel):
    videos: list[_PexelsVideo] = Field(default_factory=list)


class _PexelsPhotoSrc(BaseModel):
    original: str
    large2x: str | None = None


class _PexelsPhoto(BaseModel):
    id: int
    width: int = 0
    height: int = 0
    url: str | None = None
    photographer: str | None = None
    photographer_url: str | None = None
    src: _PexelsPhotoSrc


class _PexelsPhotoPage(BaseModel):
    photos: list[_PexelsPhoto] = Field(default_factory=list)


def file_tier(file: PexelsVideoFile, orientation: Orientation) -> int | None:
    """How suitable a Pexels rendition is (lower is better), None if unusable.

    0: short side 720..1080 px, a full-HD frame at most (sharp, cheap to fetch);
    1: larger (2K/4K: fine, but a bigger download);  2: smaller than 720 px.
    """
    if not file.width or not file.height or not file.link:
        return None
    if file.file_type and file.file_type != "video/mp4":
        return None
    if not fits_orientation(file.width, file.height, orientation):
        return None
    short = min(file.width, file.height)
    if 720 <= short <= 1080:
        return 0
    return 1 if short > 1080 else 2


def best_file(
    files: list[PexelsVideoFile], orientation: Orientation
) -> tuple[int, PexelsVideoFile] | None:
    """The most suitable rendition: best tier; within it, the largest frame for
    tiers 0 and 2, the smallest for tier 1 (least oversized)."""
    scored = [(t, f) for f in files if (t := file_tier(f, orientation)) is not None]
    if not scored:
        return None
    tier = min(t for t, _ in scored)
    same = [f for t, f in scored if t == tier]

    def area(f: PexelsVideoFile) -> int:
        return (f.width or 0) * (f.height or 0)

    chosen = min(same, key=area) if tier == 1 else max(same, key=area)
    return tier, chosen


class PexelsMedia(HttpProvider):
    """Pexels: `GET /videos/search`, falling back to `GET /v1/search` for photos.

    Auth is the bare key in `Authorization`. Attribution: the creator's name and
    Pexels page, licence "Pexels License".
    """

    name = ID
    default_base_url = "https://api.pexels.com"
    per_page = 15

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
    ) -> None:
        super().__init__(api_key=api_key, client=client, base_url=base_url)

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": self._api_key}

    def fetch(self, *, request: MediaRequest, out_dir: Path) -> MediaAsset:
        if request.prefer_video:
            asset = self._fetch_video(request, out_dir)
            if asset is not None:
                return asset
        return self._fetch_photo(request, out_dir)

    def _query(self, request: MediaRequest) -> dict[str, Any]:
        return {
            "query": " ".join(request.keywords),
            "orientation": request.orientation,
            "per_page": self.per_page,
        }

    def _fetch_video(self, request: MediaRequest, out_dir: Path) -> MediaAsset | None:
        response = self.request("GET", self.url("/videos/search"), params=self._query(request))
        page = self.parse(_PexelsVideoPage, self.json_object(response))
        ranked: list[tuple[int, _PexelsVideo, PexelsVideoFile]] = []
        for video in page.videos:
            if video.duration < request.min_duration_s:
                continue
            choice = best_file(video.video_files, request.orientation)
            if choice is not None:
                ranked.append((choice[0], video, choice[1]))
        if not ranked:
            return None
        best_tier = min(tier for tier, _, _ in ranked)
        _, video, file = pick_seeded([r for r in ranked if r[0] == best_tier], request.seed)

        path = self.download_file(
            file.link, out_dir / f"pexels-video-{video.id}.mp4", max_bytes=MAX_VIDEO_BYTES
        )
        measured = probe(path)
        return MediaAsset(
            kind="video",
            path=path,
            width=(measured and measured.width) or file.width or video.width,
            height=(measured and measured.height) or file.height or video.height,
            duration_s=(measured and measured.duration_s) or float(video.duration),
            provider=self.name,
            attribution=Attribution(
                author=video.user.name,
                author_url=video.user.url,
                source_url=video.url,
                license="Pexels License",
            ),
        )

    def _fetch_photo(self, request: MediaRequest, out_dir: Path) -> MediaAsset:
        response = self.request("GET", self.url("/v1/search"), params=self._query(request))
        page = self.parse(_PexelsPhotoPage, self.json_object(response))
        if not page.photos:
            raise no_results(self.name, request, "videos or photos")
        # Pexels already filters by orientation; keep exact fits first when sizes are known.
        fitting = [
            p for p in page.photos if fits_orientation(p.width, p.height, request.orientation)
        ]
        photo = pick_seeded(fitting or page.photos, request.seed)
        width, height = TARGET_SIZE[request.orientation]
        # Pexels image URLs take resize parameters: ask for the frame size, cropped,
        # instead of downloading a 6000 px original.
        sep = "&" if urlsplit(photo.src.original).query else "?"
        params = urlencode(
            {"auto": "compress", "cs": "tinysrgb", "fit": "crop", "w": width, "h": height}
        )
        path = self.download_file(
            f"{photo.src.original}{sep}{params}",
            out_dir / f"pexels-photo-{photo.id}.jpg",
            max_bytes=MAX_IMAGE_BYTES,
        )
        measured = probe(path)
        return MediaAsset(
            kind="image",
            path=path,
            width=(measured and measured.width) or width,
            height=(measured and measured.height) or height,
            provider=self.name,
            attribution=Attribution(
                author=photo.photographer,
                author_url=photo.photographer_url,
                source_url=photo.url,
                license="Pexels License",
            ),
        )


# --------------------------------------------------------------------------- clients


def _media(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> PexelsMedia:
    return PexelsMedia(api_key=api_key, client=client)


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.MEDIA,
    auth=AuthSpec(
        method=AuthMethod.HEADER,
        header_name="Authorization",
        notes="The bare key, no scheme.",
    ),
    docs_url="https://www.pexels.com/api/documentation/",
    keys_url="https://www.pexels.com/api/new/",
    used_for="Stock photos and videos for scenes.",
    key_check=ValidationEndpoint(
        method="GET",
        url="https://api.pexels.com/v1/search?query=nature&per_page=1",
        description="A one-result photo search; the X-Ratelimit-* headers give the quota.",
        dedicated=False,
    ),
    validator=HttpValidator(
        provider=ID,
        build=header_probe(
            "https://api.pexels.com/v1/search",
            "Authorization",
            params={"query": "nature", "per_page": "1"},
        ),
        extract=ratelimit_details,
    ),
    capabilities={Capability.MEDIA: Runs(client=_media, tests="tests/providers/test_media.py")},
)
