"""Hailuo (MiniMax): documented request and answer shapes, refusals in base_resp."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx

from synthora.providers.contracts import VideoAIJob, VideoAIRequest
from synthora.providers.errors import ProviderError
from synthora.providers.hailuo import HAILUO_STATUS, HailuoVideo

KEY = "minimax-key-0123456789abcdef"
API = "https://api.minimax.io"
CLIP = b"\x00\x00\x00\x18ftypmp42-hailuo-clip"
OK = {"status_code": 0, "status_msg": "success"}


def provider(client: httpx.Client) -> HailuoVideo:
    return HailuoVideo(api_key=KEY, client=client)


def test_submit_text_to_video(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    route = respx_mock.post(f"{API}/v1/video_generation").mock(
        return_value=httpx.Response(200, json={"task_id": "106916112212032", "base_resp": OK})
    )
    job = provider(client).submit(
        request=VideoAIRequest(prompt="a lighthouse at dusk", duration_s=5, aspect_ratio="9:16")
    )
    sent = route.calls.last.request
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    assert json.loads(sent.content) == {
        "model": "MiniMax-Hailuo-02",
        "prompt": "a lighthouse at dusk",
        "duration": 6,
        "resolution": "768P",
        "prompt_optimizer": True,
    }
    assert (job.provider, job.job_id, job.status) == ("hailuo", "106916112212032", "queued")


def test_submit_image_to_video_sends_the_first_frame(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    route = respx_mock.post(f"{API}/v1/video_generation").mock(
        return_value=httpx.Response(200, json={"task_id": "t2", "base_resp": OK})
    )
    provider(client).submit(
        request=VideoAIRequest(prompt="pan", duration_s=8, image_url="https://cdn.test/still.jpg")
    )
    body = json.loads(route.calls.last.request.content)
    assert body["first_frame_image"] == "https://cdn.test/still.jpg"
    assert body["duration"] == 10


@pytest.mark.parametrize(
    ("code", "kind", "transient"),
    [
        (1004, "auth_refused", False),
        (2049, "auth_refused", False),
        (1008, "quota_exhausted", False),
        (1026, "content_refused", False),
        (2013, "invalid_request", False),
        (1002, "rate_limited", True),
        (1039, "rate_limited", True),
    ],
)
def test_refusals_reported_inside_http_200(
    code: int, kind: str, transient: bool, respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    body = {"task_id": "", "base_resp": {"status_code": code, "status_msg": f"refused {code}"}}
    respx_mock.post(f"{API}/v1/video_generation").mock(return_value=httpx.Response(200, json=body))
    with pytest.raises(ProviderError) as caught:
        provider(client).submit(request=VideoAIRequest(prompt="x"))
    error = caught.value
    assert (error.code, error.transient, error.payload) == (kind, transient, body)
    assert error.message == f"refused {code}"
    assert KEY not in repr(error.to_dict())


def test_unknown_base_resp_code_is_a_provider_failure(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    body = {"base_resp": {"status_code": 1033, "status_msg": "downstream error"}}
    respx_mock.post(f"{API}/v1/video_generation").mock(return_value=httpx.Response(200, json=body))
    with pytest.raises(ProviderError) as caught:
        provider(client).submit(request=VideoAIRequest(prompt="x"))
    assert (caught.value.code, caught.value.payload) == ("minimax_1033", body)


def test_http_401_is_auth_refused(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    respx_mock.post(f"{API}/v1/video_generation").mock(
        return_value=httpx.Response(401, json={"message": "unauthorized"})
    )
    with pytest.raises(ProviderError) as caught:
        provider(client).submit(request=VideoAIRequest(prompt="x"))
    assert (caught.value.status_code, caught.value.code) == (401, "auth_refused")
    assert not caught.value.transient


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Preparing", "queued"),
        ("Queueing", "queued"),
        ("Processing", "running"),
        ("Fail", "failed"),
        ("SomethingNew", "running"),
    ],
)
def test_poll_status_mapping(
    raw: str, expected: str, respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    route = respx_mock.get(f"{API}/v1/query/video_generation").mock(
        return_value=httpx.Response(
            200, json={"task_id": "t1", "status": raw, "file_id": "", "base_resp": OK}
        )
    )
    job = provider(client).poll(job_id="t1")
    assert route.calls.last.request.url.params["task_id"] == "t1"
    assert job.status == expected
    assert job.output_url is None
    assert (job.error is not None) == (expected == "failed")


def test_status_table_covers_the_documented_vocabulary() -> None:
    assert set(HAILUO_STATUS) == {"preparing", "queueing", "processing", "success", "fail"}


def test_poll_success_retrieves_the_download_url(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    task = {
        "task_id": "t1",
        "status": "Success",
        "file_id": "205258526306433",
        "video_width": 1366,
        "video_height": 768,
        "base_resp": OK,
    }
    file = {
        "file": {
            "file_id": 205258526306433,
            "bytes": 5896337,
            "created_at": 1700469398,
            "filename": "output.mp4",
            "purpose": "video_generation",
            "download_url": "https://public-cdn-video.test/output.mp4?Expires=1",
        },
        "base_resp": OK,
    }
    respx_mock.get(f"{API}/v1/query/video_generation").mock(
        return_value=httpx.Response(200, json=task)
    )
    retrieve = respx_mock.get(f"{API}/v1/files/retrieve").mock(
        return_value=httpx.Response(200, json=file)
    )
    job = provider(client).poll(job_id="t1")
    assert retrieve.calls.last.request.url.params["file_id"] == "205258526306433"
    assert job.status == "succeeded"
    assert job.output_url == "https://public-cdn-video.test/output.mp4?Expires=1"
    assert job.raw == {"task": task, "file": file}


def test_poll_success_without_file_id_is_invalid(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    respx_mock.get(f"{API}/v1/query/video_generation").mock(
        return_value=httpx.Response(
            200, json={"task_id": "t1", "status": "Success", "base_resp": OK}
        )
    )
    with pytest.raises(ProviderError) as caught:
        provider(client).poll(job_id="t1")
    assert caught.value.code == "invalid_response"


def test_poll_reports_a_moderated_video_as_content_refused(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    body = {
        "task_id": "t1",
        "status": "Fail",
        "base_resp": {"status_code": 1027, "status_msg": "output video sensitive"},
    }
    respx_mock.get(f"{API}/v1/query/video_generation").mock(
        return_value=httpx.Response(200, json=body)
    )
    with pytest.raises(ProviderError) as caught:
        provider(client).poll(job_id="t1")
    assert (caught.value.code, caught.value.payload) == ("content_refused", body)


def test_download_fetches_the_presigned_url_without_the_key(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    url = "https://public-cdn-video.test/output.mp4?Expires=1"
    route = respx_mock.get(url).mock(return_value=httpx.Response(200, content=CLIP))
    job = VideoAIJob.of(provider="hailuo", job_id="t1", status="succeeded", raw={}, output_url=url)
    out = provider(client).download(job=job, out_path=tmp_path / "clip.mp4")
    assert out.read_bytes() == CLIP
    assert "Authorization" not in route.calls.last.request.headers
