"""Seedance (BytePlus ModelArk): documented task shapes, Ark error codes."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx

from synthora.providers.contracts import VideoAIJob, VideoAIRequest
from synthora.providers.errors import ProviderError
from synthora.providers.seedance import SEEDANCE_STATUS, SeedanceVideo

KEY = "ark-0123456789-abcdef"
API = "https://ark.ap-southeast.bytepluses.com/api/v3"
TASKS = f"{API}/contents/generations/tasks"
CLIP = b"\x00\x00\x00\x18ftypmp42-seedance-clip"


def provider(client: httpx.Client) -> SeedanceVideo:
    return SeedanceVideo(api_key=KEY, client=client)


def task(status: str, **extra: object) -> dict[str, object]:
    return {
        "id": "cgt-20250331175019-68d9t",
        "model": "seedance-1-0-pro-250428",
        "status": status,
        "created_at": 1743414619,
        "updated_at": 1743414673,
        **extra,
    }


def ark_error(code: str, message: str, kind: str) -> dict[str, object]:
    return {"error": {"code": code, "message": message, "type": kind}}


def test_submit_text_uses_the_documented_text_commands(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    route = respx_mock.post(TASKS).mock(
        return_value=httpx.Response(200, json={"id": "cgt-20250331175019-68d9t"})
    )
    job = provider(client).submit(
        request=VideoAIRequest(prompt="a fox in snow", duration_s=4, aspect_ratio="9:16")
    )
    sent = route.calls.last.request
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    assert json.loads(sent.content) == {
        "model": "seedance-1-0-pro-250428",
        "content": [
            {
                "type": "text",
                "text": "a fox in snow --ratio 9:16 --duration 5 --resolution 720p "
                "--watermark false",
            }
        ],
    }
    assert (job.provider, job.job_id, job.status) == (
        "seedance",
        "cgt-20250331175019-68d9t",
        "queued",
    )


def test_submit_image_adds_the_first_frame(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    route = respx_mock.post(TASKS).mock(return_value=httpx.Response(200, json={"id": "cgt-1"}))
    provider(client).submit(
        request=VideoAIRequest(
            prompt="zoom", duration_s=9, aspect_ratio="16:9", image_url="https://cdn.test/a.png"
        )
    )
    content = json.loads(route.calls.last.request.content)["content"]
    assert content[0]["text"].endswith(
        "--ratio 16:9 --duration 10 --resolution 720p --watermark false"
    )
    assert content[1] == {"type": "image_url", "image_url": {"url": "https://cdn.test/a.png"}}


@pytest.mark.parametrize(
    ("status", "code", "kind", "transient"),
    [
        (401, "AuthenticationError", "auth_refused", False),
        (403, "AccountOverdueError", "quota_exhausted", False),
        (403, "AccessDenied", "auth_refused", False),
        (404, "ModelNotOpen", "auth_refused", False),
        (400, "InputTextRiskDetection", "content_refused", False),
        (400, "InputImageSensitiveContentDetected", "content_refused", False),
        (400, "InvalidParameter", "invalid_request", False),
        (429, "RateLimitExceeded.EndpointRPMExceeded", "rate_limited", True),
        (429, "SetLimitExceeded", "quota_exhausted", False),
        (500, "InternalServiceError", "InternalServiceError", True),
    ],
)
def test_ark_errors_are_classified_and_kept(
    status: int,
    code: str,
    kind: str,
    transient: bool,
    respx_mock: respx.MockRouter,
    client: httpx.Client,
) -> None:
    body = ark_error(code, f"{code}. Request id: 0217", "BadRequest")
    respx_mock.post(TASKS).mock(return_value=httpx.Response(status, json=body))
    with pytest.raises(ProviderError) as caught:
        provider(client).submit(request=VideoAIRequest(prompt="x"))
    error = caught.value
    assert (error.status_code, error.code, error.payload) == (status, kind, body)
    assert error.transient is transient
    assert error.message == f"{code}. Request id: 0217"
    assert KEY not in repr(error.to_dict())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("queued", "queued"), ("running", "running"), ("cancelled", "failed"), ("new", "running")],
)
def test_poll_status_mapping(
    raw: str, expected: str, respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    respx_mock.get(f"{TASKS}/cgt-1").mock(return_value=httpx.Response(200, json=task(raw)))
    job = provider(client).poll(job_id="cgt-1")
    assert job.status == expected
    assert job.output_url is None


def test_status_table_covers_the_documented_vocabulary() -> None:
    assert set(SEEDANCE_STATUS) == {
        "queued",
        "running",
        "succeeded",
        "failed",
        "cancelled",
        "expired",
    }


def test_poll_succeeded_carries_the_video_url(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    answer = task(
        "succeeded",
        content={"video_url": "https://ark-content.test/v.mp4?X-Tos-Signature=1"},
        usage={"completion_tokens": 108900, "total_tokens": 108900},
        resolution="720p",
        ratio="9:16",
        duration=5,
    )
    respx_mock.get(f"{TASKS}/cgt-1").mock(return_value=httpx.Response(200, json=answer))
    job = provider(client).poll(job_id="cgt-1")
    assert (job.status, job.output_url) == (
        "succeeded",
        "https://ark-content.test/v.mp4?X-Tos-Signature=1",
    )
    assert job.raw == answer


def test_poll_failed_keeps_the_error(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    answer = task("failed", error={"code": "InternalServiceError", "message": "render crashed"})
    respx_mock.get(f"{TASKS}/cgt-1").mock(return_value=httpx.Response(200, json=answer))
    job = provider(client).poll(job_id="cgt-1")
    assert (job.status, job.error, job.raw) == ("failed", "render crashed", answer)


def test_poll_moderated_output_is_content_refused(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    answer = task(
        "failed",
        error={"code": "OutputVideoSensitiveContentDetected", "message": "may be sensitive"},
    )
    respx_mock.get(f"{TASKS}/cgt-1").mock(return_value=httpx.Response(200, json=answer))
    with pytest.raises(ProviderError) as caught:
        provider(client).poll(job_id="cgt-1")
    assert (caught.value.code, caught.value.payload) == ("content_refused", answer)
    assert not caught.value.transient


def test_poll_expired_is_a_timeout(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    answer = task("expired")
    respx_mock.get(f"{TASKS}/cgt-1").mock(return_value=httpx.Response(200, json=answer))
    with pytest.raises(ProviderError) as caught:
        provider(client).poll(job_id="cgt-1")
    assert (caught.value.code, caught.value.payload) == ("job_timeout", answer)
    assert not caught.value.transient


def test_poll_succeeded_without_video_is_invalid(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    respx_mock.get(f"{TASKS}/cgt-1").mock(
        return_value=httpx.Response(200, json=task("succeeded", content={}))
    )
    with pytest.raises(ProviderError) as caught:
        provider(client).poll(job_id="cgt-1")
    assert caught.value.code == "invalid_response"


def test_download_does_not_send_the_key(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    url = "https://ark-content.test/v.mp4?X-Tos-Signature=1"
    route = respx_mock.get(url).mock(return_value=httpx.Response(200, content=CLIP))
    job = VideoAIJob.of(provider="seedance", job_id="c", status="succeeded", raw={}, output_url=url)
    assert provider(client).download(job=job, out_path=tmp_path / "c.mp4").read_bytes() == CLIP
    assert "Authorization" not in route.calls.last.request.headers
