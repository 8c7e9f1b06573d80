"""Wan (DashScope): documented task shapes, regions and DashScope error codes."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx

from synthora.providers.contracts import VideoAIJob, VideoAIRequest
from synthora.providers.errors import ProviderError
from synthora.providers.wan import WAN_STATUS, WanVideo

KEY = "sk-0123456789abcdefghijklmn"
INTL = "https://dashscope-intl.aliyuncs.com"
SUBMIT = f"{INTL}/api/v1/services/aigc/video-generation/video-synthesis"
CLIP = b"\x00\x00\x00\x18ftypmp42-wan-clip"
TASK_ID = "0385dc79-5ff8-4d82-bcb6-xxxxxx"


def provider(client: httpx.Client, **kwargs: object) -> WanVideo:
    return WanVideo(api_key=KEY, client=client, **kwargs)  # type: ignore[arg-type]


def created() -> dict[str, object]:
    return {
        "output": {"task_status": "PENDING", "task_id": TASK_ID},
        "request_id": "4909100c-7b5a-9f92-bfe5-xxxxxx",
    }


def task(status: str, **output: object) -> dict[str, object]:
    return {
        "request_id": "caa62a12-8841-41a6-8af2-xxxxxx",
        "output": {
            "task_id": TASK_ID,
            "task_status": status,
            "submit_time": "2025-09-29 14:18:52.331",
            **output,
        },
    }


def test_submit_text_to_video(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    route = respx_mock.post(SUBMIT).mock(return_value=httpx.Response(200, json=created()))
    job = provider(client).submit(
        request=VideoAIRequest(prompt="a kitten in moonlight", duration_s=6.4, aspect_ratio="9:16")
    )
    sent = route.calls.last.request
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    assert sent.headers["X-DashScope-Async"] == "enable"
    assert json.loads(sent.content) == {
        "model": "wan2.6-t2v",
        "input": {"prompt": "a kitten in moonlight"},
        "parameters": {
            "size": "720*1280",
            "duration": 6,
            "prompt_extend": True,
            "watermark": False,
        },
    }
    assert (job.provider, job.job_id, job.status) == ("wan", TASK_ID, "queued")


def test_submit_image_to_video(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    route = respx_mock.post(SUBMIT).mock(return_value=httpx.Response(200, json=created()))
    provider(client).submit(
        request=VideoAIRequest(prompt="pan", duration_s=1, image_url="https://cdn.test/a.jpg")
    )
    body = json.loads(route.calls.last.request.content)
    assert body["model"] == "wan2.6-i2v"
    assert body["input"] == {"prompt": "pan", "img_url": "https://cdn.test/a.jpg"}
    assert body["parameters"]["resolution"] == "720P"
    assert body["parameters"]["duration"] == 2
    assert "size" not in body["parameters"]


def test_the_cn_region_uses_the_beijing_host(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    route = respx_mock.get(f"https://dashscope.aliyuncs.com/api/v1/tasks/{TASK_ID}").mock(
        return_value=httpx.Response(200, json=task("RUNNING"))
    )
    assert provider(client, region="cn").poll(job_id=TASK_ID).status == "running"
    assert route.called


@pytest.mark.parametrize(
    ("status", "code", "kind", "transient"),
    [
        (401, "InvalidApiKey", "auth_refused", False),
        (400, "Arrearage", "quota_exhausted", False),
        (403, "AllocationQuota.FreeTierOnly", "quota_exhausted", False),
        (400, "DataInspectionFailed", "content_refused", False),
        (400, "InvalidParameter", "invalid_request", False),
        (429, "Throttling.RateQuota", "rate_limited", True),
        (500, "InternalError", "InternalError", True),
    ],
)
def test_dashscope_errors_are_classified_and_kept(
    status: int,
    code: str,
    kind: str,
    transient: bool,
    respx_mock: respx.MockRouter,
    client: httpx.Client,
) -> None:
    body = {"code": code, "message": f"{code} happened", "request_id": "r-1"}
    respx_mock.post(SUBMIT).mock(return_value=httpx.Response(status, json=body))
    with pytest.raises(ProviderError) as caught:
        provider(client).submit(request=VideoAIRequest(prompt="x"))
    error = caught.value
    assert (error.status_code, error.code, error.payload) == (status, kind, body)
    assert error.transient is transient
    assert error.message == f"{code} happened"
    assert KEY not in repr(error.to_dict())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("PENDING", "queued"), ("RUNNING", "running"), ("CANCELED", "failed"), ("NEW", "running")],
)
def test_poll_status_mapping(
    raw: str, expected: str, respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    respx_mock.get(f"{INTL}/api/v1/tasks/{TASK_ID}").mock(
        return_value=httpx.Response(200, json=task(raw))
    )
    assert provider(client).poll(job_id=TASK_ID).status == expected


def test_status_table_covers_the_documented_vocabulary() -> None:
    assert set(WAN_STATUS) == {"PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED", "UNKNOWN"}


def test_poll_succeeded(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    answer = task(
        "SUCCEEDED",
        video_url="https://dashscope-result-sh.oss.test/v.mp4?Expires=1",
        orig_prompt="a kitten",
    )
    answer["usage"] = {"duration": 5, "video_count": 1, "SR": 720}
    respx_mock.get(f"{INTL}/api/v1/tasks/{TASK_ID}").mock(
        return_value=httpx.Response(200, json=answer)
    )
    job = provider(client).poll(job_id=TASK_ID)
    assert (job.status, job.output_url, job.raw) == (
        "succeeded",
        "https://dashscope-result-sh.oss.test/v.mp4?Expires=1",
        answer,
    )


def test_poll_failed_keeps_code_and_message(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    answer = task("FAILED", code="InternalError", message="generation crashed")
    respx_mock.get(f"{INTL}/api/v1/tasks/{TASK_ID}").mock(
        return_value=httpx.Response(200, json=answer)
    )
    job = provider(client).poll(job_id=TASK_ID)
    assert (job.status, job.error, job.raw) == ("failed", "generation crashed", answer)


def test_poll_failed_on_moderation_is_content_refused(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    answer = task("FAILED", code="DataInspectionFailed", message="Output data may contain...")
    respx_mock.get(f"{INTL}/api/v1/tasks/{TASK_ID}").mock(
        return_value=httpx.Response(200, json=answer)
    )
    with pytest.raises(ProviderError) as caught:
        provider(client).poll(job_id=TASK_ID)
    assert (caught.value.code, caught.value.payload) == ("content_refused", answer)


def test_poll_unknown_task_is_a_timeout(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    answer = task("UNKNOWN")
    respx_mock.get(f"{INTL}/api/v1/tasks/{TASK_ID}").mock(
        return_value=httpx.Response(200, json=answer)
    )
    with pytest.raises(ProviderError) as caught:
        provider(client).poll(job_id=TASK_ID)
    assert (caught.value.code, caught.value.payload) == ("job_timeout", answer)


def test_download_does_not_send_the_key(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    url = "https://dashscope-result-sh.oss.test/v.mp4?Expires=1"
    route = respx_mock.get(url).mock(return_value=httpx.Response(200, content=CLIP))
    job = VideoAIJob.of(provider="wan", job_id=TASK_ID, status="succeeded", raw={}, output_url=url)
    assert provider(client).download(job=job, out_path=tmp_path / "c.mp4").read_bytes() == CLIP
    assert "Authorization" not in route.calls.last.request.headers
