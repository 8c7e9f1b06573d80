"""ImagineArt (Vyro Imagine API): multipart submit, status answers, refusals."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import respx

from synthora.providers.contracts import VideoAIJob, VideoAIRequest
from synthora.providers.errors import ProviderError
from synthora.providers.imagineart import ImagineArtVideo

KEY = "vk-ad08a8e86d1a84404e5837be47d39ab4"
API = "https://api.vyro.ai/v2/video"
CLIP = b"\x00\x00\x00\x18ftypmp42-imagine-clip"
SIGNED = "https://r2.cloudflarestorage.test/video-to-video/processed/02b0?X-Amz-Signature=1"


def provider(client: httpx.Client) -> ImagineArtVideo:
    return ImagineArtVideo(api_key=KEY, client=client)


def status_answer(video: dict[str, object], status: str = "success") -> dict[str, object]:
    return {"status": status, "video": video}


def test_submit_posts_the_documented_form(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    route = respx_mock.post(f"{API}/text-to-video").mock(
        return_value=httpx.Response(200, json={"id": "1265", "status": "processing"})
    )
    job = provider(client).submit(
        request=VideoAIRequest(
            prompt="a flying dinosaur", aspect_ratio="9:16", image_url="https://cdn.test/a.png"
        )
    )
    sent = route.calls.last.request
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    assert sent.headers["Content-Type"].startswith("multipart/form-data")
    body = sent.content.decode()
    for name, value in (
        ("prompt", "a flying dinosaur"),
        ("style", "fast-svd"),
        ("aspect_ratio", "9:16"),
    ):
        assert f'name="{name}"\r\n\r\n{value}\r\n' in body
    assert "cdn.test" not in body  # text-to-video only: the image is not sent
    assert (job.provider, job.job_id, job.status) == ("imagineart", "1265", "queued")


@pytest.mark.parametrize(
    ("status", "body", "code", "transient"),
    [
        (401, {"detail": "Invalid token"}, "auth_refused", False),
        (402, {"detail": "Insufficient credits"}, "quota_exhausted", False),
        (400, {"detail": "Not enough credits to run this request"}, "quota_exhausted", False),
        (400, {"detail": "NSFW content detected in prompt"}, "content_refused", False),
        (400, {"detail": "style is invalid"}, "invalid_request", False),
        (429, {"detail": "Too many requests"}, "rate_limited", True),
        (500, {"detail": "Internal server error"}, None, True),
    ],
)
def test_errors_are_classified_and_kept(
    status: int,
    body: dict[str, object],
    code: str | None,
    transient: bool,
    respx_mock: respx.MockRouter,
    client: httpx.Client,
) -> None:
    respx_mock.post(f"{API}/text-to-video").mock(return_value=httpx.Response(status, json=body))
    with pytest.raises(ProviderError) as caught:
        provider(client).submit(request=VideoAIRequest(prompt="x"))
    error = caught.value
    assert (error.status_code, error.code, error.payload) == (status, code, body)
    assert error.message == body["detail"]
    assert error.transient is transient
    assert KEY not in repr(error.to_dict())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("pending", "queued"), ("processing", "running"), ("failed", "failed"), ("new", "running")],
)
def test_poll_status_mapping(
    raw: str, expected: str, respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    answer = status_answer({"uuid": "1265", "status": raw, "url": {}})
    respx_mock.get(f"{API}/1265/status").mock(return_value=httpx.Response(200, json=answer))
    job = provider(client).poll(job_id="1265")
    assert (job.status, job.output_url) == (expected, None)


def test_poll_finished_with_a_url(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    answer = status_answer(
        {
            "uuid": "1265",
            "created_at": "2025-03-04T07:09:25.048523Z",
            "status": "finished",
            "url": {"generation": SIGNED, "thumbnail": "https://cdn.test/t.jpg"},
        }
    )
    respx_mock.get(f"{API}/1265/status").mock(return_value=httpx.Response(200, json=answer))
    job = provider(client).poll(job_id="1265")
    assert (job.status, job.output_url, job.raw) == ("succeeded", SIGNED, answer)


def test_poll_reference_example_with_a_url_list(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    # The reference's "Status by ID" example: no status string, a list of URLs.
    answer = status_answer(
        {
            "code": 2,
            "created_at": "2025-04-10T14:27:02.166676Z",
            "id": 1265,
            "settings": {
                "prompt": "a flying dinosaur",
                "style_id": "11002",
                "variation": "text_to_video",
            },
            "url": {"generation": [SIGNED]},
        }
    )
    respx_mock.get(f"{API}/1265/status").mock(return_value=httpx.Response(200, json=answer))
    job = provider(client).poll(job_id="1265")
    assert (job.status, job.output_url) == ("succeeded", SIGNED)


def test_poll_error_answer_is_a_failed_job(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    answer = {"status": "error", "message": "generation failed"}
    respx_mock.get(f"{API}/1265/status").mock(return_value=httpx.Response(200, json=answer))
    job = provider(client).poll(job_id="1265")
    assert (job.status, job.error, job.raw) == ("failed", "generation failed", answer)


def test_poll_nsfw_error_is_content_refused(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    answer = {"status": "error", "message": "NSFW content detected"}
    respx_mock.get(f"{API}/1265/status").mock(return_value=httpx.Response(200, json=answer))
    with pytest.raises(ProviderError) as caught:
        provider(client).poll(job_id="1265")
    assert (caught.value.code, caught.value.payload) == ("content_refused", answer)


def test_poll_finished_without_url_is_invalid(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    answer = status_answer({"uuid": "1265", "status": "completed", "url": {"generation": []}})
    respx_mock.get(f"{API}/1265/status").mock(return_value=httpx.Response(200, json=answer))
    with pytest.raises(ProviderError) as caught:
        provider(client).poll(job_id="1265")
    assert caught.value.code == "invalid_response"


def test_download_does_not_send_the_key(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    route = respx_mock.get(SIGNED).mock(return_value=httpx.Response(200, content=CLIP))
    job = VideoAIJob.of(
        provider="imagineart", job_id="1265", status="succeeded", raw={}, output_url=SIGNED
    )
    assert provider(client).download(job=job, out_path=tmp_path / "c.mp4").read_bytes() == CLIP
    assert "Authorization" not in route.calls.last.request.headers
