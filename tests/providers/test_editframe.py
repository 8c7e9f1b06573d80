"""Editframe: the HTML composition, the render payload, polling, keyed download."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx

from synthora.providers.contracts import CloudRenderJob, CloudRenderRequest, CloudRenderScene
from synthora.providers.creatomate import CreatomateRender
from synthora.providers.editframe import (
    EDITFRAME_STATUS,
    EditframeRender,
    editframe_html,
)
from synthora.providers.errors import ProviderError

KEY = "ef_secret123_apikey456"
API = "https://editframe.com/api/v1/renders"
VIDEO = b"\x00\x00\x00\x18ftypmp42-editframe-render"


def render_request(*, music: bool = True) -> CloudRenderRequest:
    return CloudRenderRequest(
        scenes=[
            CloudRenderScene(
                media_url="https://cdn.test/a.mp4?sig=1&x=2",
                media_kind="video",
                duration_s=3.5,
                caption="Tom & <Jerry>",
            ),
            CloudRenderScene(
                media_url="https://cdn.test/b.jpg", media_kind="image", duration_s=2.0, caption=" "
            ),
        ],
        voice_url="https://cdn.test/voice.mp3",
        music_url="https://cdn.test/music.mp3" if music else None,
        width=1080,
        height=1920,
        fps=30,
        font_family="Montserrat",
        caption_color="#FFEE00",
    )


def provider(client: httpx.Client) -> EditframeRender:
    return EditframeRender(api_key=KEY, client=client)


def render(status: str) -> dict[str, object]:
    return {"id": "rnd_abc123", "md5": None, "status": status, "metadata": {}}


def test_composition_sequences_scenes_and_layers_audio() -> None:
    html = editframe_html(render_request())
    assert html.startswith('<ef-timegroup mode="fixed" duration="5500ms"')
    assert "width:1080px;height:1920px" in html
    assert '<ef-timegroup mode="sequence"' in html
    # Scene 1: a muted video with its (escaped) caption; URL ampersands escaped.
    assert '<ef-timegroup mode="fixed" duration="3500ms"' in html
    assert '<ef-video src="https://cdn.test/a.mp4?sig=1&amp;x=2" mute' in html
    assert "Tom &amp; &lt;Jerry&gt;</div>" in html
    assert "font-family:'Montserrat',sans-serif" in html and "color:#FFEE00" in html
    # Scene 2: an image, no caption for blank text.
    assert '<ef-timegroup mode="fixed" duration="2000ms"' in html
    assert '<ef-image src="https://cdn.test/b.jpg"' in html
    assert html.count("<div ") == 1
    assert '<ef-audio src="https://cdn.test/voice.mp3" volume="1"></ef-audio>' in html
    assert '<ef-audio src="https://cdn.test/music.mp3" volume="0.15"></ef-audio>' in html
    # Audio sits beside the sequence, not inside it (a sequence child would be a scene).
    assert html.index("</ef-timegroup><ef-audio") > html.index('mode="sequence"')


def test_composition_without_music() -> None:
    assert "music.mp3" not in editframe_html(render_request(music=False))


def test_submit_posts_the_render_payload(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    route = respx_mock.post(API).mock(return_value=httpx.Response(200, json=render("created")))
    job = provider(client).submit(request=render_request())
    sent = route.calls.last.request
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    body = json.loads(sent.content)
    assert body == {
        "html": editframe_html(render_request()),
        "width": 1080,
        "height": 1920,
        "fps": 30,
        "duration_ms": 5500,
        "output": {"container": "mp4", "video": {"codec": "h264"}, "audio": {"codec": "aac"}},
    }
    assert (job.provider, job.job_id, job.status, job.output_url) == (
        "editframe",
        "rnd_abc123",
        "queued",
        None,
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("created", "queued"),
        ("pending", "queued"),
        ("rendering", "running"),
        ("failed", "failed"),
        ("new", "running"),
    ],
)
def test_poll_status_mapping(
    raw: str, expected: str, respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    respx_mock.get(f"{API}/rnd_abc123").mock(return_value=httpx.Response(200, json=render(raw)))
    job = provider(client).poll(job_id="rnd_abc123")
    assert (job.status, job.output_url) == (expected, None)
    assert (job.error is not None) == (expected == "failed")


def test_status_table_covers_the_documented_vocabulary() -> None:
    assert set(EDITFRAME_STATUS) == {
        "created",
        "pending",
        "rendering",
        "complete",
        "completed",
        "failed",
    }


@pytest.mark.parametrize("raw", ["complete", "completed"])
def test_poll_complete_points_at_the_download(
    raw: str, respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    respx_mock.get(f"{API}/rnd_abc123").mock(return_value=httpx.Response(200, json=render(raw)))
    job = provider(client).poll(job_id="rnd_abc123")
    assert (job.status, job.output_url) == ("succeeded", f"{API}/rnd_abc123.mp4")


@pytest.mark.parametrize(
    ("status", "code", "transient"),
    [(401, "auth_refused", False), (429, "rate_limited", True), (502, None, True)],
)
def test_http_errors_are_classified_and_kept(
    status: int,
    code: str | None,
    transient: bool,
    respx_mock: respx.MockRouter,
    client: httpx.Client,
) -> None:
    body = {"error": "Unauthorized"} if status == 401 else {"message": "upstream"}
    respx_mock.post(API).mock(return_value=httpx.Response(status, json=body))
    with pytest.raises(ProviderError) as caught:
        provider(client).submit(request=render_request())
    error = caught.value
    assert (error.status_code, error.code, error.payload, error.transient) == (
        status,
        code,
        body,
        transient,
    )
    assert KEY not in repr(error.to_dict())


def test_download_sends_the_key_to_editframe_only(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    first = respx_mock.get(f"{API}/rnd_abc123.mp4").mock(
        return_value=httpx.Response(302, headers={"Location": "https://cdn.storage.test/r.mp4"})
    )
    cdn = respx_mock.get("https://cdn.storage.test/r.mp4").mock(
        return_value=httpx.Response(200, content=VIDEO)
    )
    job = CloudRenderJob.of(
        provider="editframe",
        job_id="rnd_abc123",
        status="succeeded",
        raw={},
        output_url=f"{API}/rnd_abc123.mp4",
    )
    out = provider(client).download(job=job, out_path=tmp_path / "video.mp4")
    assert out.read_bytes() == VIDEO
    assert first.calls.last.request.headers["Authorization"] == f"Bearer {KEY}"
    assert "Authorization" not in cdn.calls.last.request.headers


def test_download_before_completion_is_refused(client: httpx.Client, tmp_path: Path) -> None:
    job = CloudRenderJob.of(provider="editframe", job_id="r", status="running", raw={})
    with pytest.raises(ProviderError) as caught:
        provider(client).download(job=job, out_path=tmp_path / "v.mp4")
    assert caught.value.code == "not_ready"


def test_renders_with_presigned_urls_are_downloaded_without_the_key(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    # The shared RenderClient.download the assembly step now uses for every provider.
    url = "https://cdn.creatomate.test/renders/a862048b.mp4"
    route = respx_mock.get(url).mock(return_value=httpx.Response(200, content=VIDEO))
    job = CloudRenderJob.of(
        provider="creatomate", job_id="a8", status="succeeded", raw={}, output_url=url
    )
    creatomate = CreatomateRender(api_key=KEY, client=client)
    assert creatomate.download(job=job, out_path=tmp_path / "v.mp4").read_bytes() == VIDEO
    assert "Authorization" not in route.calls.last.request.headers
