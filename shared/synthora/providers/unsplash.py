"""Unsplash: Stock photos for scenes.

Runs media: the client below; documented request/response shapes are tested in
tests/providers/test_media.py.

Key check: GET https://api.unsplash.com/photos?per_page=1: Lists one editorial
photo; X-Ratelimit-* headers give the hourly quota.

Documentation: https://unsplash.com/documentation
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
    Outcome,
    header_probe,
    ratelimit_details,
)
from synthora.providers.stock import MAX_IMAGE_BYTES, TARGET_SIZE, no_results, pick_seeded

ID = "unsplash"
DISPLAY_NAME = "Unsplash"

UNSPLASH_ORIENTATION: dict[Orientation, str] = {
    "portrait": "portrait",
    "landscape": "landscape",
    "square": "squarish",
}
# Unsplash's guidelines ask for these on every link back to Unsplash.
UNSPLASH_UTM = "utm_source=synthora&utm_medium=referral"


class _UnsplashUserLinks(BaseModel):
    html: str | None = None


class _UnsplashUser(BaseModel):
    name: str | None = None
    username: str | None = None
    links: _UnsplashUserLinks = Field(default_factory=_UnsplashUserLinks)


class _UnsplashUrls(BaseModel):
    raw: str
    regular: str | None = None


class _UnsplashLinks(BaseModel):
    html: str | None = None
    download_location: str


class _UnsplashPhoto(BaseModel):
    id: str
    width: int = 0
    height: int = 0
    urls: _UnsplashUrls
    links: _UnsplashLinks
    user: _UnsplashUser = Field(default_factory=_UnsplashUser)


class _UnsplashSearch(BaseModel):
    results: list[_UnsplashPhoto] = Field(default_factory=list)


def _with_utm(url: str | None) -> str | None:
    if not url:
        return None
    return f"{url}{'&' if urlsplit(url).query else '?'}{UNSPLASH_UTM}"


class UnsplashMedia(HttpProvider):
    """Unsplash: `GET /search/photos`, then the photo and its download tracking.

    Auth is `Authorization: Client-ID <access key>`. The API guidelines require
    calling `links.download_location` whenever a photo is used; we do it before
    downloading the file itself.
    """

    name = ID
    default_base_url = "https://api.unsplash.com"
    per_page = 10

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
    ) -> None:
        super().__init__(api_key=api_key, client=client, base_url=base_url)

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Client-ID {self._api_key}", "Accept-Version": "v1"}

    def fetch(self, *, request: MediaRequest, out_dir: Path) -> MediaAsset:
        response = self.request(
            "GET",
            self.url("/search/photos"),
            params={
                "query": " ".join(request.keywords),
                "orientation": UNSPLASH_ORIENTATION[request.orientation],
                "per_page": self.per_page,
                "content_filter": "high",
            },
        )
        page = self.parse(_UnsplashSearch, self.json_object(response))
        if not page.results:
            raise no_results(self.name, request, "photos")
        photo: _UnsplashPhoto = pick_seeded(page.results, request.seed)

        # Required by the API guidelines; it is an authenticated API call (counts
        # against the hourly quota) and answers {"url": ...}. The key only goes to
        # the API host itself, whatever the response told us.
        same_host = urlsplit(photo.links.download_location).netloc == urlsplit(self.base_url).netloc
        self.request("GET", photo.links.download_location, auth=same_host)

        width, height = TARGET_SIZE[request.orientation]
        # Dynamic resizing on the raw URL (imgix): the frame size, cropped on the
        # most interesting region, as a JPEG.
        params = urlencode(
            {"w": width, "h": height, "fit": "crop", "crop": "entropy", "fm": "jpg", "q": 85}
        )
        sep = "&" if urlsplit(photo.urls.raw).query else "?"
        path = self.download_file(
            f"{photo.urls.raw}{sep}{params}",
            out_dir / f"unsplash-{photo.id}.jpg",
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
                author=photo.user.name or photo.user.username,
                author_url=_with_utm(photo.user.links.html),
                source_url=_with_utm(photo.links.html),
                license="Unsplash License",
            ),
        )


# --------------------------------------------------------------------------- key check


def _inspect_unsplash(response: httpx.Response, body: Any) -> Outcome | None:
    # Unsplash signals an exhausted hourly quota with 403 and X-Ratelimit-Remaining: 0.
    if response.status_code == 403 and response.headers.get("X-Ratelimit-Remaining") == "0":
        return Outcome("rate_limited", "Unsplash hourly rate limit exceeded.")
    return None


# --------------------------------------------------------------------------- clients


def _media(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> UnsplashMedia:
    return UnsplashMedia(api_key=api_key, client=client)


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.MEDIA,
    auth=AuthSpec(
        method=AuthMethod.HEADER,
        header_name="Authorization",
        scheme="Client-ID",
        notes="The application's Access Key.",
    ),
    docs_url="https://unsplash.com/documentation",
    keys_url="https://unsplash.com/oauth/applications",
    used_for="Stock photos for scenes.",
    key_check=ValidationEndpoint(
        method="GET",
        url="https://api.unsplash.com/photos?per_page=1",
        description="Lists one editorial photo; X-Ratelimit-* headers give the hourly quota.",
        dedicated=False,
    ),
    validator=HttpValidator(
        provider=ID,
        build=header_probe(
            "https://api.unsplash.com/photos",
            "Authorization",
            scheme="Client-ID",
            params={"per_page": "1"},
        ),
        inspect=_inspect_unsplash,
        extract=ratelimit_details,
    ),
    capabilities={Capability.MEDIA: Runs(client=_media, tests="tests/providers/test_media.py")},
)
