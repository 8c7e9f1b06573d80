"""PixVerse: documented envelopes, trace ids, image upload, ErrCode refusals."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx
import pytest
import respx

from synthora.providers.contracts import VideoAIJob, VideoAIRequest
from synthora.providers.errors import ProviderError
from synthora.providers.pixverse import PIXVERSE_STATUS, PixVerseVideo

KEY = "sk-pixverse-0123456789abcdef"
API = "https://app-api.pixverse.ai/openapi/v2"
IMAGE = b"\x89PNG\r\n\x1a\nfake-image"
CLIP = b"\x00\x00\x00\x18ftypmp42-pixverse-clip"


def provider(client: httpx.Client) -> PixVerseVideo:
    return PixVerseVideo(api_key=KEY, client=client)


def envelope(resp: object, code: int = 0, msg: str = "success") -> dict[str, object]:
    return {"ErrCode": code, "ErrMsg": msg, "Resp": resp}


def result(status: int, url: str = "") -> dict[str, object]:
    return envelope(
        {
            "create_time": "2025-04-11T10:00:00Z",
            "id": 317208347662912,
            "modify_time": "2025-04-11T10:01:00Z",
            "negative_prompt": "",
            "outputHeight": 1280,
            "outputWidth": 720,
            "prompt": "a fox",
            "resolution_ratio": 720,
            "seed": 12345,
            "size": 2048000,
            "status": status,
            "style": "",
            "url": url,
        }
    )


def test_submit_text_sends_key_and_a_fresh_trace_id(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    route = respx_mock.post(f"{API}/video/text/generate").mock(
        return_value=httpx.Response(200, json=envelope({"video_id": 317208347662912}))
    )
    p = provider(client)
    job = p.submit(request=VideoAIRequest(prompt="a fox", duration_s=6, aspect_ratio="9:16"))
    p.submit(request=VideoAIRequest(prompt="a fox", duration_s=6, aspect_ratio="9:16"))
    first, second = (call.request for call in route.calls)
    assert first.headers["API-KEY"] == KEY
    assert "Authorization" not in first.headers
    uuid.UUID(first.headers["Ai-trace-id"])
    assert first.headers["Ai-trace-id"] != second.headers["Ai-trace-id"]
    assert json.loads(first.content) == {
        "aspect_ratio": "9:16",
        "duration": 8,
        "model": "v4.5",
        "motion_mode": "normal",
        "prompt": "a fox",
        "quality": "720p",
        "water_mark": False,
    }
    assert (job.provider, job.job_id, job.status) == ("pixverse", "317208347662912", "queued")


def test_submit_image_uploads_it_first(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    respx_mock.get("https://cdn.test/still.png").mock(
        return_value=httpx.Response(200, content=IMAGE, headers={"Content-Type": "image/png"})
    )
    upload = respx_mock.post(f"{API}/image/upload").mock(
        return_value=httpx.Response(
            200, json=envelope({"img_id": 4242, "img_url": "https://media.pixverse.ai/x.png"})
        )
    )
    generate = respx_mock.post(f"{API}/video/img/generate").mock(
        return_value=httpx.Response(200, json=envelope({"video_id": 9}))
    )
    job = provider(client).submit(
        request=VideoAIRequest(prompt="zoom", duration_s=5, image_url="https://cdn.test/still.png")
    )
    sent = upload.calls.last.request
    assert sent.headers["Content-Type"].startswith("multipart/form-data")
    assert b'name="image"' in sent.content and IMAGE in sent.content
    body = json.loads(generate.calls.last.request.content)
    assert body["img_id"] == 4242 and "aspect_ratio" not in body
    assert job.job_id == "9"


# 400012, 400017, 500020 and 500044 are documented codes; the others are
# placeholders whose ErrMsg drives the classification (the table is not complete).
@pytest.mark.parametrize(
    ("code", "msg", "kind", "transient"),
    [
        (400012, "Invalid account", "auth_refused", False),
        (10005, "API key is invalid", "auth_refused", False),
        (500090, "Insufficient balance", "quota_exhausted", False),
        (500063, "Prompt failed content moderation", "content_refused", False),
        (400017, "invalid param", "invalid_request", False),
        (500044, "Concurrent generation limit reached", "rate_limited", True),
        (500020, "No permission", "auth_refused", False),
        (500069, "Too many requests, slow down", "rate_limited", True),
    ],
)
def test_errcode_refusals_in_http_200(
    code: int,
    msg: str,
    kind: str,
    transient: bool,
    respx_mock: respx.MockRouter,
    client: httpx.Client,
) -> None:
    body = envelope(None, code=code, msg=msg)
    respx_mock.post(f"{API}/video/text/generate").mock(return_value=httpx.Response(200, json=body))
    with pytest.raises(ProviderError) as caught:
        provider(client).submit(request=VideoAIRequest(prompt="x"))
    error = caught.value
    assert (error.code, error.transient, error.payload, error.message) == (
        kind,
        transient,
        body,
        msg,
    )
    assert KEY not in repr(error.to_dict())


def test_an_unknown_errcode_stays_a_provider_failure(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    body = envelope(None, code=500001, msg="server busy")
    respx_mock.post(f"{API}/video/text/generate").mock(return_value=httpx.Response(200, json=body))
    with pytest.raises(ProviderError) as caught:
        provider(client).submit(request=VideoAIRequest(prompt="x"))
    assert (caught.value.code, caught.value.payload) == ("pixverse_500001", body)


def test_http_401_uses_the_errmsg(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    body = envelope(None, code=10005, msg="API key is invalid")
    respx_mock.get(f"{API}/video/result/1").mock(return_value=httpx.Response(401, json=body))
    with pytest.raises(ProviderError) as caught:
        provider(client).poll(job_id="1")
    error = caught.value
    assert (error.status_code, error.code, error.message) == (401, "auth_refused", body["ErrMsg"])


@pytest.mark.parametrize(("raw", "expected"), [(5, "running"), (8, "failed"), (3, "running")])
def test_poll_status_mapping(
    raw: int, expected: str, respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    respx_mock.get(f"{API}/video/result/317208347662912").mock(
        return_value=httpx.Response(200, json=result(raw))
    )
    job = provider(client).poll(job_id="317208347662912")
    assert job.status == expected
    assert job.output_url is None


def test_status_table_covers_the_documented_codes() -> None:
    assert set(PIXVERSE_STATUS) == {1, 5, 7, 8}


def test_poll_success_carries_the_url(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    answer = result(1, url="https://media.pixverse.ai/317208347662912.mp4")
    respx_mock.get(f"{API}/video/result/317208347662912").mock(
        return_value=httpx.Response(200, json=answer)
    )
    job = provider(client).poll(job_id="317208347662912")
    assert (job.status, job.output_url, job.raw) == (
        "succeeded",
        "https://media.pixverse.ai/317208347662912.mp4",
        answer,
    )


def test_poll_moderation_failure_is_content_refused(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    answer = result(7)
    respx_mock.get(f"{API}/video/result/1").mock(return_value=httpx.Response(200, json=answer))
    with pytest.raises(ProviderError) as caught:
        provider(client).poll(job_id="1")
    assert (caught.value.code, caught.value.payload) == ("content_refused", answer)


def test_download_does_not_send_the_key(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    url = "https://media.pixverse.ai/317208347662912.mp4"
    route = respx_mock.get(url).mock(return_value=httpx.Response(200, content=CLIP))
    job = VideoAIJob.of(provider="pixverse", job_id="1", status="succeeded", raw={}, output_url=url)
    assert provider(client).download(job=job, out_path=tmp_path / "c.mp4").read_bytes() == CLIP
    assert "API-KEY" not in route.calls.last.request.headers
