"""Video AI providers: submit, one poll per call (status mapping), download."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import httpx
import pytest
import respx

from synthora.providers.contracts import VideoAIJob, VideoAIRequest
from synthora.providers.errors import ProviderError
from synthora.providers.luma import LUMA_STATUS, LumaVideo
from synthora.providers.runway import RUNWAY_STATUS, RunwayVideo
from synthora.providers.veo import VeoVideo

KEY = "secret-video-key"
CLIP = b"\x00\x00\x00\x18ftypmp42-fake-clip-bytes"
IMAGE = b"\x89PNG\r\n\x1a\nfake-image"


# --------------------------------------------------------------------------- Runway

RUNWAY = "https://api.dev.runwayml.com"


def test_runway_text_to_video(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    route = respx_mock.post(f"{RUNWAY}/v1/text_to_video").mock(
        return_value=httpx.Response(200, json={"id": "task-123"})
    )
    job = RunwayVideo(api_key=KEY, client=client).submit(
        request=VideoAIRequest(prompt="a fox in snow", duration_s=4, aspect_ratio="9:16")
    )
    sent = route.calls.last.request
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    assert sent.headers["X-Runway-Version"] == "2024-11-06"
    assert json.loads(sent.content) == {
        "model": "gen4.5",
        "promptText": "a fox in snow",
        "ratio": "720:1280",
        "duration": 5,
    }
    assert (job.provider, job.job_id, job.status) == ("runway", "task-123", "queued")


def test_runway_image_to_video(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    route = respx_mock.post(f"{RUNWAY}/v1/image_to_video").mock(
        return_value=httpx.Response(200, json={"id": "task-9"})
    )
    RunwayVideo(api_key=KEY, client=client).submit(
        request=VideoAIRequest(
            prompt="slow zoom", duration_s=8, aspect_ratio="16:9", image_url="https://x.test/a.png"
        )
    )
    body = json.loads(route.calls.last.request.content)
    assert body["model"] == "gen4_turbo"
    assert body["promptImage"] == "https://x.test/a.png"
    assert body["ratio"] == "1280:720"
    assert body["duration"] == 10


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PENDING", "queued"),
        ("THROTTLED", "queued"),
        ("RUNNING", "running"),
        ("SUCCEEDED", "succeeded"),
        ("FAILED", "failed"),
        ("CANCELLED", "failed"),
        ("SOMETHING_NEW", "running"),
    ],
)
def test_runway_poll_status_mapping(
    respx_mock: respx.MockRouter, client: httpx.Client, raw: str, expected: str
) -> None:
    task = {
        "id": "task-1",
        "status": raw,
        "createdAt": "2026-11-24T09:00:00Z",
        "output": ["https://dnznrvs05pmza.cloudfront.net/out.mp4"] if raw == "SUCCEEDED" else None,
        "failure": "Prompt was rejected by moderation" if raw == "FAILED" else None,
        "failureCode": "SAFETY.INPUT.TEXT" if raw == "FAILED" else None,
    }
    route = respx_mock.get(f"{RUNWAY}/v1/tasks/task-1").mock(
        return_value=httpx.Response(200, json=task)
    )
    job = RunwayVideo(api_key=KEY, client=client).poll(job_id="task-1")
    assert route.call_count == 1  # one request per poll, never a loop
    assert job.status == expected
    assert job.raw == task
    if expected == "succeeded":
        assert job.output_url == "https://dnznrvs05pmza.cloudfront.net/out.mp4"
    else:
        assert job.output_url is None
    if raw == "FAILED":
        assert job.error == "Prompt was rejected by moderation"
    if raw == "CANCELLED":
        assert job.error == "task cancelled"


def test_status_tables_cover_documented_vocabularies() -> None:
    assert set(RUNWAY_STATUS) == {
        "PENDING",
        "THROTTLED",
        "RUNNING",
        "SUCCEEDED",
        "FAILED",
        "CANCELLED",
    }
    assert set(LUMA_STATUS) == {"queued", "dreaming", "completed", "failed"}


def test_runway_download_does_not_send_the_key_to_the_cdn(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    cdn = respx_mock.get("https://dnznrvs05pmza.cloudfront.net/out.mp4").mock(
        return_value=httpx.Response(200, content=CLIP)
    )
    job = VideoAIJob(
        provider="runway",
        job_id="t",
        status="succeeded",
        output_url="https://dnznrvs05pmza.cloudfront.net/out.mp4",
    )
    path = RunwayVideo(api_key=KEY, client=client).download(job=job, out_path=tmp_path / "c.mp4")
    assert path.read_bytes() == CLIP
    assert "Authorization" not in cdn.calls.last.request.headers


def test_download_before_success_is_refused(client: httpx.Client, tmp_path: Path) -> None:
    job = VideoAIJob(provider="luma", job_id="g", status="running")
    with pytest.raises(ProviderError) as caught:
        LumaVideo(api_key=KEY, client=client).download(job=job, out_path=tmp_path / "x.mp4")
    assert caught.value.code == "not_ready"


# --------------------------------------------------------------------------- Luma

LUMA = "https://api.lumalabs.ai/dream-machine/v1/generations"


def luma_generation(state: str, **extra: object) -> dict[str, object]:
    return {
        "id": "0b2c-gen",
        "generation_type": "video",
        "state": state,
        "failure_reason": None,
        "created_at": "2026-11-24T09:00:00Z",
        "assets": None,
        "model": "ray-2",
        "request": {},
        **extra,
    }


def test_luma_submit_with_image_keyframe(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    route = respx_mock.post(LUMA).mock(
        return_value=httpx.Response(201, json=luma_generation("queued"))
    )
    job = LumaVideo(api_key=KEY, client=client).submit(
        request=VideoAIRequest(
            prompt="waves", duration_s=7, aspect_ratio="1:1", image_url="https://x.test/i.jpg"
        )
    )
    sent = route.calls.last.request
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    assert json.loads(sent.content) == {
        "prompt": "waves",
        "model": "ray-2",
        "aspect_ratio": "1:1",
        "resolution": "720p",
        "duration": "9s",
        "keyframes": {"frame0": {"type": "image", "url": "https://x.test/i.jpg"}},
    }
    assert (job.job_id, job.status) == ("0b2c-gen", "queued")


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("queued", "queued"),
        ("dreaming", "running"),
        ("completed", "succeeded"),
        ("failed", "failed"),
    ],
)
def test_luma_poll_status_mapping(
    respx_mock: respx.MockRouter, client: httpx.Client, state: str, expected: str
) -> None:
    extra: dict[str, object] = {}
    if state == "completed":
        extra["assets"] = {
            "video": "https://storage.cdn-luma.com/out.mp4",
            "image": "https://s/i.jpg",
        }
    if state == "failed":
        extra["failure_reason"] = "400: prompt not allowed"
    respx_mock.get(f"{LUMA}/0b2c-gen").mock(
        return_value=httpx.Response(200, json=luma_generation(state, **extra))
    )
    job = LumaVideo(api_key=KEY, client=client).poll(job_id="0b2c-gen")
    assert job.status == expected
    assert job.output_url == (
        "https://storage.cdn-luma.com/out.mp4" if state == "completed" else None
    )
    assert job.error == ("400: prompt not allowed" if state == "failed" else None)


def test_luma_completed_without_video_is_invalid(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    respx_mock.get(f"{LUMA}/0b2c-gen").mock(
        return_value=httpx.Response(200, json=luma_generation("completed", assets={}))
    )
    with pytest.raises(ProviderError) as caught:
        LumaVideo(api_key=KEY, client=client).poll(job_id="0b2c-gen")
    assert caught.value.code == "invalid_response"


# --------------------------------------------------------------------------- Veo

GEMINI = "https://generativelanguage.googleapis.com"
OP = "models/veo-3.1-generate-preview/operations/op123"


def test_veo_submit_inlines_the_image(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    respx_mock.get("https://img.test/first.jpg").mock(
        return_value=httpx.Response(200, content=IMAGE, headers={"Content-Type": "image/jpeg"})
    )
    route = respx_mock.post(
        f"{GEMINI}/v1beta/models/veo-3.1-generate-preview:predictLongRunning"
    ).mock(return_value=httpx.Response(200, json={"name": OP}))
    job = VeoVideo(api_key=KEY, client=client).submit(
        request=VideoAIRequest(
            prompt="sunrise",
            duration_s=5,
            aspect_ratio="9:16",
            image_url="https://img.test/first.jpg",
        )
    )
    sent = route.calls.last.request
    assert sent.headers["x-goog-api-key"] == KEY
    assert "key=" not in str(sent.url)  # the key never travels in the URL
    assert json.loads(sent.content) == {
        "instances": [
            {
                "prompt": "sunrise",
                "image": {
                    "bytesBase64Encoded": base64.b64encode(IMAGE).decode(),
                    "mimeType": "image/jpeg",
                },
            }
        ],
        "parameters": {"aspectRatio": "9:16", "durationSeconds": 6},
    }
    assert (job.job_id, job.status) == (OP, "queued")


@pytest.mark.parametrize(
    ("operation", "expected", "output", "error"),
    [
        ({"name": OP}, "running", None, None),
        ({"name": OP, "done": False, "metadata": {}}, "running", None, None),
        (
            {
                "name": OP,
                "done": True,
                "response": {
                    "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta."
                    "PredictLongRunningResponse",
                    "generateVideoResponse": {
                        "generatedSamples": [
                            {"video": {"uri": f"{GEMINI}/v1beta/files/abc:download?alt=media"}}
                        ]
                    },
                },
            },
            "succeeded",
            f"{GEMINI}/v1beta/files/abc:download?alt=media",
            None,
        ),
        (
            {"name": OP, "done": True, "error": {"code": 3, "message": "Invalid duration"}},
            "failed",
            None,
            "Invalid duration",
        ),
        (
            {
                "name": OP,
                "done": True,
                "response": {
                    "generateVideoResponse": {
                        "raiMediaFilteredCount": 1,
                        "raiMediaFilteredReasons": ["The prompt could not be submitted."],
                    }
                },
            },
            "failed",
            None,
            "The prompt could not be submitted.",
        ),
    ],
)
def test_veo_poll_status_mapping(
    respx_mock: respx.MockRouter,
    client: httpx.Client,
    operation: dict[str, object],
    expected: str,
    output: str | None,
    error: str | None,
) -> None:
    route = respx_mock.get(f"{GEMINI}/v1beta/{OP}").mock(
        return_value=httpx.Response(200, json=operation)
    )
    job = VeoVideo(api_key=KEY, client=client).poll(job_id=OP)
    assert route.calls.last.request.headers["x-goog-api-key"] == KEY
    assert (job.status, job.output_url, job.error) == (expected, output, error)


def test_veo_download_drops_the_key_when_redirected_elsewhere(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    uri = f"{GEMINI}/v1beta/files/abc:download?alt=media"
    first = respx_mock.get(uri).mock(
        return_value=httpx.Response(
            302, headers={"Location": "https://storage.googleapis.test/blob/abc.mp4"}
        )
    )
    storage = respx_mock.get("https://storage.googleapis.test/blob/abc.mp4").mock(
        return_value=httpx.Response(200, content=CLIP)
    )
    job = VideoAIJob(provider="veo", job_id=OP, status="succeeded", output_url=uri)
    path = VeoVideo(api_key=KEY, client=client).download(job=job, out_path=tmp_path / "v.mp4")
    assert path.read_bytes() == CLIP
    assert first.calls.last.request.headers["x-goog-api-key"] == KEY
    assert "x-goog-api-key" not in storage.calls.last.request.headers
