"""LTX: async (V2) jobs, documented error envelope, moderation and expiry."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx

from synthora.providers.contracts import VideoAIJob, VideoAIRequest
from synthora.providers.errors import ProviderError
from synthora.providers.ltx import LTX_STATUS, LtxVideo

KEY = "ltxv_0123456789abcdef"
API = "https://api.ltx.video/v2"
JOB = "a1b2c3d4-e5f6-7890-abcd-ef1234567890"
CLIP = b"\x00\x00\x00\x18ftypmp42-ltx-clip"


def provider(client: httpx.Client) -> LtxVideo:
    return LtxVideo(api_key=KEY, client=client)


def job(status: str, **extra: object) -> dict[str, object]:
    return {"id": JOB, "status": status, "created_at": "2026-01-15T10:00:00.000Z", **extra}


def ltx_error(kind: str, message: str) -> dict[str, object]:
    return {"type": "error", "error": {"type": kind, "message": message}}


def test_submit_text_to_video(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    route = respx_mock.post(f"{API}/text-to-video").mock(
        return_value=httpx.Response(202, json=job("pending"))
    )
    submitted = provider(client).submit(
        request=VideoAIRequest(prompt="an eagle over clouds", duration_s=7, aspect_ratio="16:9")
    )
    sent = route.calls.last.request
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    assert json.loads(sent.content) == {
        "prompt": "an eagle over clouds",
        "model": "ltx-2-fast",
        "duration": 8,
        "resolution": "1920x1080",
        "fps": 25,
        "generate_audio": False,
    }
    assert (submitted.provider, submitted.job_id, submitted.status) == (
        "ltx",
        f"text-to-video/{JOB}",
        "queued",
    )


def test_submit_image_to_video_uses_its_endpoint(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    route = respx_mock.post(f"{API}/image-to-video").mock(
        return_value=httpx.Response(202, json=job("pending"))
    )
    submitted = provider(client).submit(
        request=VideoAIRequest(prompt="drift", image_url="https://cdn.test/sunset.jpg")
    )
    assert (
        json.loads(route.calls.last.request.content)["image_uri"] == "https://cdn.test/sunset.jpg"
    )
    assert submitted.job_id == f"image-to-video/{JOB}"


@pytest.mark.parametrize(
    ("status", "kind_in", "message", "code", "transient"),
    [
        (401, "authentication_error", "Missing authorization header", "auth_refused", False),
        (
            402,
            "insufficient_funds_error",
            "Insufficient funds. Required: 120 credits",
            "quota_exhausted",
            False,
        ),
        (400, "invalid_request_error", "prompt is required", "invalid_request", False),
        (
            400,
            "invalid_request_error",
            "prompt violates our content policy",
            "content_refused",
            False,
        ),
        (429, "rate_limit_error", "Too many requests", "rate_limited", True),
        (500, "api_error", "Internal error", "api_error", True),
    ],
)
def test_errors_are_classified_and_kept(
    status: int,
    kind_in: str,
    message: str,
    code: str,
    transient: bool,
    respx_mock: respx.MockRouter,
    client: httpx.Client,
) -> None:
    body = ltx_error(kind_in, message)
    respx_mock.post(f"{API}/text-to-video").mock(return_value=httpx.Response(status, json=body))
    with pytest.raises(ProviderError) as caught:
        provider(client).submit(request=VideoAIRequest(prompt="x"))
    error = caught.value
    assert (error.status_code, error.code, error.payload, error.message) == (
        status,
        code,
        body,
        message,
    )
    assert error.transient is transient
    assert KEY not in repr(error.to_dict())


@pytest.mark.parametrize(
    ("raw", "expected"), [("pending", "queued"), ("processing", "running"), ("new", "running")]
)
def test_poll_status_mapping(
    raw: str, expected: str, respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    respx_mock.get(f"{API}/text-to-video/{JOB}").mock(
        return_value=httpx.Response(200, json=job(raw))
    )
    polled = provider(client).poll(job_id=f"text-to-video/{JOB}")
    assert (polled.status, polled.output_url) == (expected, None)


def test_status_table_covers_the_documented_vocabulary() -> None:
    assert set(LTX_STATUS) == {"pending", "processing", "completed", "failed"}


def test_poll_completed(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    answer = job(
        "completed",
        completed_at="2026-01-15T10:02:30.000Z",
        result={"video_url": "https://storage.googleapis.com/example/video.mp4"},
    )
    respx_mock.get(f"{API}/image-to-video/{JOB}").mock(
        return_value=httpx.Response(200, json=answer)
    )
    polled = provider(client).poll(job_id=f"image-to-video/{JOB}")
    assert (polled.status, polled.output_url, polled.job_id, polled.raw) == (
        "succeeded",
        "https://storage.googleapis.com/example/video.mp4",
        f"image-to-video/{JOB}",
        answer,
    )


def test_poll_failed_keeps_the_reason(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    answer = job("failed", error={"type": "api_error", "message": "generation failed"})
    respx_mock.get(f"{API}/text-to-video/{JOB}").mock(return_value=httpx.Response(200, json=answer))
    polled = provider(client).poll(job_id=f"text-to-video/{JOB}")
    assert (polled.status, polled.error, polled.raw) == ("failed", "generation failed", answer)


def test_poll_failed_on_moderation_is_content_refused(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    answer = job("failed", error="The generated video was blocked by content moderation")
    respx_mock.get(f"{API}/text-to-video/{JOB}").mock(return_value=httpx.Response(200, json=answer))
    with pytest.raises(ProviderError) as caught:
        provider(client).poll(job_id=f"text-to-video/{JOB}")
    assert (caught.value.code, caught.value.payload) == ("content_refused", answer)


def test_poll_of_an_expired_job_is_a_timeout(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    body = ltx_error("not_found_error", "Job not found")
    respx_mock.get(f"{API}/text-to-video/{JOB}").mock(return_value=httpx.Response(404, json=body))
    with pytest.raises(ProviderError) as caught:
        provider(client).poll(job_id=f"text-to-video/{JOB}")
    assert (caught.value.status_code, caught.value.code, caught.value.payload) == (
        404,
        "job_timeout",
        body,
    )
    assert not caught.value.transient


def test_poll_rejects_a_foreign_job_id(client: httpx.Client) -> None:
    with pytest.raises(ProviderError) as caught:
        provider(client).poll(job_id=JOB)
    assert caught.value.code == "invalid_response"


def test_download_does_not_send_the_key(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    url = "https://storage.googleapis.com/example/video.mp4"
    route = respx_mock.get(url).mock(return_value=httpx.Response(200, content=CLIP))
    done = VideoAIJob.of(provider="ltx", job_id="j", status="succeeded", raw={}, output_url=url)
    assert provider(client).download(job=done, out_path=tmp_path / "c.mp4").read_bytes() == CLIP
    assert "Authorization" not in route.calls.last.request.headers
