"""Media providers: Pexels (videos first, photos as fallback) and Unsplash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from synthora.providers import pexels
from synthora.providers.contracts import MediaRequest
from synthora.providers.errors import ProviderError
from synthora.providers.pexels import PexelsMedia, PexelsVideoFile, best_file
from synthora.providers.unsplash import UnsplashMedia

from .conftest import needs_ffmpeg

PEXELS_KEY = "pexels-key-abc"
UNSPLASH_KEY = "unsplash-access-key"
CDN = "https://videos.pexels.com/video-files"


def vfile(w: int, h: int, quality: str = "hd", file_type: str = "video/mp4") -> dict[str, Any]:
    return {
        "id": w * 10000 + h,
        "quality": quality,
        "file_type": file_type,
        "width": w,
        "height": h,
        "fps": 25,
        "link": f"{CDN}/{w}x{h}.mp4",
    }


def pexels_video(vid: int, duration: int, files: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": vid,
        "width": 1080,
        "height": 1920,
        "duration": duration,
        "url": f"https://www.pexels.com/video/clip-{vid}/",
        "image": f"https://images.pexels.com/videos/{vid}/preview.jpeg",
        "user": {"id": 7, "name": "Ana Lens", "url": "https://www.pexels.com/@ana"},
        "video_files": files,
        "video_pictures": [],
    }


def video_page(videos: list[dict[str, Any]]) -> dict[str, Any]:
    return {"page": 1, "per_page": 15, "total_results": len(videos), "videos": videos}


# --------------------------------------------------------------------------- choice


@pytest.mark.parametrize(
    ("files", "orientation", "expected"),
    [
        # Full HD wins over 4K and SD.
        ([(2160, 3840), (1080, 1920), (540, 960)], "portrait", (1080, 1920)),
        # Within 720..1080, the largest.
        ([(720, 1280), (1080, 1920)], "portrait", (1080, 1920)),
        # Only oversized renditions: the least oversized.
        ([(2160, 3840), (1440, 2560)], "portrait", (1440, 2560)),
        # Only small renditions: the largest.
        ([(360, 640), (540, 960)], "portrait", (540, 960)),
        # Wrong orientation is never chosen.
        ([(1920, 1080), (540, 960)], "portrait", (540, 960)),
        ([(1920, 1080), (1080, 1920)], "landscape", (1920, 1080)),
        ([(1080, 1080), (1920, 1080)], "square", (1080, 1080)),
    ],
)
def test_best_file_prefers_full_hd_in_the_right_orientation(
    files: list[tuple[int, int]], orientation: str, expected: tuple[int, int]
) -> None:
    candidates = [PexelsVideoFile.model_validate(vfile(w, h)) for w, h in files]
    choice = best_file(candidates, orientation)  # type: ignore[arg-type]
    assert choice is not None
    assert (choice[1].width, choice[1].height) == expected


def test_best_file_skips_non_mp4_and_sizeless_files() -> None:
    candidates = [
        PexelsVideoFile.model_validate(vfile(1080, 1920, file_type="video/webm")),
        PexelsVideoFile(link=f"{CDN}/hls.m3u8", quality="hls"),
    ]
    assert best_file(candidates, "portrait") is None


# --------------------------------------------------------------------------- Pexels


@needs_ffmpeg
def test_pexels_downloads_best_video_and_attributes(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path, portrait_mp4: bytes
) -> None:
    too_short = pexels_video(1, 2, [vfile(1080, 1920)])
    good = pexels_video(2, 12, [vfile(2160, 3840, "uhd"), vfile(1080, 1920), vfile(540, 960, "sd")])
    search = respx_mock.get("https://api.pexels.com/videos/search").mock(
        return_value=httpx.Response(200, json=video_page([too_short, good]))
    )
    download = respx_mock.get(f"{CDN}/1080x1920.mp4").mock(
        return_value=httpx.Response(200, content=portrait_mp4)
    )
    provider = PexelsMedia(api_key=PEXELS_KEY, client=client)
    asset = provider.fetch(
        request=MediaRequest(keywords=["city", "night"], orientation="portrait", min_duration_s=3),
        out_dir=tmp_path,
    )

    sent = search.calls.last.request
    assert sent.headers["Authorization"] == PEXELS_KEY  # the bare key, no scheme
    assert dict(sent.url.params) == {
        "query": "city night",
        "orientation": "portrait",
        "per_page": "15",
    }
    # The CDN link never receives the key.
    assert "Authorization" not in download.calls.last.request.headers

    assert asset.kind == "video"
    assert asset.path.read_bytes() == portrait_mp4
    assert (asset.width, asset.height) == (72, 128)  # measured, not trusted from JSON
    assert asset.duration_s == pytest.approx(1.0, abs=0.1)
    assert asset.provider == "pexels"
    assert asset.attribution.author == "Ana Lens"
    assert asset.attribution.author_url == "https://www.pexels.com/@ana"
    assert asset.attribution.source_url == "https://www.pexels.com/video/clip-2/"
    assert asset.attribution.license == "Pexels License"


@needs_ffmpeg
def test_pexels_seed_picks_among_equally_good_videos(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path, portrait_mp4: bytes
) -> None:
    first = pexels_video(1, 10, [vfile(1080, 1920)])
    second = pexels_video(2, 10, [vfile(720, 1280)])
    worse = pexels_video(3, 10, [vfile(360, 640)])
    respx_mock.get("https://api.pexels.com/videos/search").mock(
        return_value=httpx.Response(200, json=video_page([first, worse, second]))
    )
    respx_mock.get(url__startswith=CDN).mock(return_value=httpx.Response(200, content=portrait_mp4))
    provider = PexelsMedia(api_key=PEXELS_KEY, client=client)
    asset = provider.fetch(request=MediaRequest(keywords=["sea"], seed=1), out_dir=tmp_path)
    assert asset.attribution.source_url == "https://www.pexels.com/video/clip-2/"
    asset = provider.fetch(request=MediaRequest(keywords=["sea"], seed=2), out_dir=tmp_path)
    assert asset.attribution.source_url == "https://www.pexels.com/video/clip-1/"


@needs_ffmpeg
def test_pexels_falls_back_to_a_cropped_photo(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path, portrait_jpg: bytes
) -> None:
    respx_mock.get("https://api.pexels.com/videos/search").mock(
        return_value=httpx.Response(
            200, json=video_page([pexels_video(1, 10, [vfile(1920, 1080)])])
        )
    )
    photos = respx_mock.get("https://api.pexels.com/v1/search").mock(
        return_value=httpx.Response(
            200,
            json={
                "page": 1,
                "per_page": 15,
                "photos": [
                    {
                        "id": 99,
                        "width": 3000,
                        "height": 4500,
                        "url": "https://www.pexels.com/photo/forest-99/",
                        "photographer": "Bo Tree",
                        "photographer_url": "https://www.pexels.com/@bo",
                        "src": {
                            "original": "https://images.pexels.com/photos/99/pexels-photo-99.jpeg",
                            "large2x": "https://images.pexels.com/photos/99/x.jpeg?w=940",
                        },
                    }
                ],
            },
        )
    )
    image = respx_mock.get(url__startswith="https://images.pexels.com/photos/99/").mock(
        return_value=httpx.Response(200, content=portrait_jpg)
    )
    asset = PexelsMedia(api_key=PEXELS_KEY, client=client).fetch(
        request=MediaRequest(keywords=["forest"]), out_dir=tmp_path
    )
    assert photos.calls.last.request.url.params["orientation"] == "portrait"
    params = image.calls.last.request.url.params
    assert (params["w"], params["h"], params["fit"]) == ("1080", "1920", "crop")
    assert asset.kind == "image"
    assert (asset.width, asset.height) == (54, 96)
    assert asset.duration_s is None
    assert asset.attribution.author == "Bo Tree"


def test_pexels_photo_only_when_video_not_preferred(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    videos = respx_mock.get("https://api.pexels.com/videos/search")
    respx_mock.get("https://api.pexels.com/v1/search").mock(
        return_value=httpx.Response(200, json={"page": 1, "per_page": 15, "photos": []})
    )
    with pytest.raises(ProviderError) as caught:
        PexelsMedia(api_key=PEXELS_KEY, client=client).fetch(
            request=MediaRequest(keywords=["zzz"], prefer_video=False), out_dir=tmp_path
        )
    assert not videos.called
    assert caught.value.code == "no_results"
    assert not caught.value.transient
    assert caught.value.payload == {"keywords": ["zzz"], "orientation": "portrait"}


def test_pexels_download_is_capped(
    respx_mock: respx.MockRouter,
    client: httpx.Client,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pexels, "MAX_VIDEO_BYTES", 1000)
    respx_mock.get("https://api.pexels.com/videos/search").mock(
        return_value=httpx.Response(
            200, json=video_page([pexels_video(1, 10, [vfile(1080, 1920)])])
        )
    )
    respx_mock.get(f"{CDN}/1080x1920.mp4").mock(
        return_value=httpx.Response(200, content=b"x" * 5000)
    )
    with pytest.raises(ProviderError) as caught:
        PexelsMedia(api_key=PEXELS_KEY, client=client).fetch(
            request=MediaRequest(keywords=["big"]), out_dir=tmp_path
        )
    assert caught.value.code == "too_large"
    assert list(tmp_path.iterdir()) == []  # no partial file left behind


# --------------------------------------------------------------------------- Unsplash


def unsplash_photo(pid: str) -> dict[str, Any]:
    return {
        "id": pid,
        "width": 4000,
        "height": 4000,
        "urls": {
            "raw": f"https://images.unsplash.com/photo-{pid}?ixid=abc",
            "full": f"https://images.unsplash.com/photo-{pid}?ixid=abc&q=85",
            "regular": f"https://images.unsplash.com/photo-{pid}?ixid=abc&w=1080",
        },
        "links": {
            "self": f"https://api.unsplash.com/photos/{pid}",
            "html": f"https://unsplash.com/photos/{pid}",
            "download": f"https://unsplash.com/photos/{pid}/download",
            "download_location": f"https://api.unsplash.com/photos/{pid}/download?ixid=abc",
        },
        "user": {
            "name": "Cy Sky",
            "username": "cysky",
            "links": {"html": "https://unsplash.com/@cysky"},
        },
    }


@needs_ffmpeg
def test_unsplash_tracks_the_download_and_attributes(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path, portrait_jpg: bytes
) -> None:
    search = respx_mock.get("https://api.unsplash.com/search/photos").mock(
        return_value=httpx.Response(
            200,
            json={
                "total": 2,
                "total_pages": 1,
                "results": [unsplash_photo("a1"), unsplash_photo("b2")],
            },
        )
    )
    track = respx_mock.get("https://api.unsplash.com/photos/b2/download").mock(
        return_value=httpx.Response(
            200, json={"url": "https://images.unsplash.com/photo-b2?ixid=abc"}
        )
    )
    image = respx_mock.get(url__startswith="https://images.unsplash.com/photo-b2").mock(
        return_value=httpx.Response(200, content=portrait_jpg)
    )
    asset = UnsplashMedia(api_key=UNSPLASH_KEY, client=client).fetch(
        request=MediaRequest(keywords=["mountain", "lake"], orientation="square", seed=3),
        out_dir=tmp_path,
    )
    sent = search.calls.last.request
    assert sent.headers["Authorization"] == f"Client-ID {UNSPLASH_KEY}"
    assert sent.url.params["query"] == "mountain lake"
    assert sent.url.params["orientation"] == "squarish"
    assert track.called
    assert track.calls.last.request.headers["Authorization"] == f"Client-ID {UNSPLASH_KEY}"
    assert track.calls.last.request.url.params["ixid"] == "abc"
    got = image.calls.last.request
    assert "Authorization" not in got.headers
    assert (got.url.params["w"], got.url.params["h"], got.url.params["ixid"]) == (
        "1080",
        "1080",
        "abc",
    )

    assert asset.kind == "image"
    assert asset.path.read_bytes() == portrait_jpg
    assert asset.attribution.author == "Cy Sky"
    assert (
        asset.attribution.author_url
        == "https://unsplash.com/@cysky?utm_source=synthora&utm_medium=referral"
    )
    assert asset.attribution.source_url == (
        "https://unsplash.com/photos/b2?utm_source=synthora&utm_medium=referral"
    )
    assert asset.attribution.license == "Unsplash License"


def test_unsplash_no_results(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    respx_mock.get("https://api.unsplash.com/search/photos").mock(
        return_value=httpx.Response(200, json={"total": 0, "total_pages": 0, "results": []})
    )
    with pytest.raises(ProviderError) as caught:
        UnsplashMedia(api_key=UNSPLASH_KEY, client=client).fetch(
            request=MediaRequest(keywords=["nothing"], orientation="landscape"), out_dir=tmp_path
        )
    assert caught.value.code == "no_results"
    assert not caught.value.transient


def test_unsplash_answer_in_unexpected_shape_is_not_transient(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    respx_mock.get("https://api.unsplash.com/search/photos").mock(
        return_value=httpx.Response(200, json={"results": [{"id": "x"}]})
    )
    with pytest.raises(ProviderError) as caught:
        UnsplashMedia(api_key=UNSPLASH_KEY, client=client).fetch(
            request=MediaRequest(keywords=["x"]), out_dir=tmp_path
        )
    assert caught.value.code == "invalid_response"
    assert not caught.value.transient
