"""Cloud assembly: the edit each provider receives, and render status mapping."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from synthora.providers.contracts import CloudRenderRequest, CloudRenderScene
from synthora.providers.creatomate import CREATOMATE_STATUS, CreatomateRender
from synthora.providers.errors import ProviderError
from synthora.providers.shotstack import SHOTSTACK_STATUS, ShotstackRender

KEY = "render-key-0123456789"
CREATOMATE = "https://api.creatomate.com/v1/renders"
SHOTSTACK = "https://api.shotstack.io/edit"


def render_request(*, music: bool = True) -> CloudRenderRequest:
    return CloudRenderRequest(
        scenes=[
            CloudRenderScene(
                media_url="https://cdn.test/a.mp4",
                media_kind="video",
                duration_s=3.5,
                caption="First",
            ),
            CloudRenderScene(
                media_url="https://cdn.test/b.jpg",
                media_kind="image",
                duration_s=2.0,
                caption="Second",
            ),
            CloudRenderScene(
                media_url="https://cdn.test/c.mp4", media_kind="video", duration_s=4.0, caption=" "
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


# --------------------------------------------------------------------------- Creatomate


def creatomate_render(status: str, **extra: object) -> dict[str, object]:
    return {
        "id": "a862048b-e45d-4e4c-8c3b-e3a0a1c7e1b1",
        "status": status,
        "url": "https://cdn.creatomate.com/renders/a862048b.mp4",
        "snapshot_url": "https://cdn.creatomate.com/snapshots/a862048b.jpg",
        "output_format": "mp4",
        "render_scale": 1,
        **extra,
    }


def test_creatomate_submit_builds_renderscript(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    route = respx_mock.post(CREATOMATE).mock(
        return_value=httpx.Response(202, json=[creatomate_render("planned")])
    )
    job = CreatomateRender(api_key=KEY, client=client).submit(request=render_request())
    sent = route.calls.last.request
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    source = json.loads(sent.content)["source"]
    assert (source["output_format"], source["width"], source["height"], source["frame_rate"]) == (
        "mp4",
        1080,
        1920,
        30,
    )
    assert source["duration"] == 9.5
    scenes = [e for e in source["elements"] if e["type"] == "composition"]
    assert [s["duration"] for s in scenes] == [3.5, 2.0, 4.0]
    assert {s["track"] for s in scenes} == {1}  # one track: scenes play back to back
    first_media, first_caption = scenes[0]["elements"]
    assert (first_media["type"], first_media["source"], first_media["fit"]) == (
        "video",
        "https://cdn.test/a.mp4",
        "cover",
    )
    assert first_media["volume"] == "0%"  # stock clips are muted under the voice
    assert (first_caption["text"], first_caption["font_family"], first_caption["fill_color"]) == (
        "First",
        "Montserrat",
        "#FFEE00",
    )
    assert scenes[1]["elements"][0]["type"] == "image"
    assert len(scenes[2]["elements"]) == 1  # a blank caption adds no text element
    voice = next(e for e in source["elements"] if e.get("name") == "Voice")
    assert (voice["type"], voice["source"], voice["time"], voice["track"]) == (
        "audio",
        "https://cdn.test/voice.mp3",
        0,
        2,
    )
    music = next(e for e in source["elements"] if e.get("name") == "Music")
    assert (music["source"], music["volume"], music["duration"]) == (
        "https://cdn.test/music.mp3",
        "15%",
        9.5,
    )
    assert (job.provider, job.job_id, job.status, job.output_url) == (
        "creatomate",
        "a862048b-e45d-4e4c-8c3b-e3a0a1c7e1b1",
        "queued",
        None,
    )


def test_creatomate_transcribed_captions_highlight_the_spoken_word(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    route = respx_mock.post(CREATOMATE).mock(
        return_value=httpx.Response(202, json=[creatomate_render("planned")])
    )
    CreatomateRender(api_key=KEY, client=client, captions="transcribed").submit(
        request=render_request()
    )
    elements = json.loads(route.calls.last.request.content)["source"]["elements"]
    scenes = [e for e in elements if e["type"] == "composition"]
    assert all(len(s["elements"]) == 1 for s in scenes)  # no per-scene caption text
    subtitles = next(e for e in elements if e.get("name") == "Subtitles")
    assert subtitles["transcript_source"] == "Voice"  # the voice element's name
    assert subtitles["transcript_effect"] == "highlight"
    assert subtitles["transcript_color"] == "#22D3EE"
    assert subtitles["duration"] == 9.5


def test_creatomate_without_music(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    route = respx_mock.post(CREATOMATE).mock(
        return_value=httpx.Response(202, json=[creatomate_render("planned")])
    )
    CreatomateRender(api_key=KEY, client=client).submit(request=render_request(music=False))
    names = [
        e.get("name") for e in json.loads(route.calls.last.request.content)["source"]["elements"]
    ]
    assert "Music" not in names


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("planned", "queued"),
        ("waiting", "queued"),
        ("transcribing", "running"),
        ("rendering", "running"),
        ("succeeded", "succeeded"),
        ("failed", "failed"),
    ],
)
def test_creatomate_poll_status_mapping(
    respx_mock: respx.MockRouter, client: httpx.Client, raw: str, expected: str
) -> None:
    extra = (
        {"error_message": "The source https://cdn.test/a.mp4 could not be fetched"}
        if raw == "failed"
        else {}
    )
    render = creatomate_render(raw, **extra)
    route = respx_mock.get(f"{CREATOMATE}/{render['id']}").mock(
        return_value=httpx.Response(200, json=render)
    )
    job = CreatomateRender(api_key=KEY, client=client).poll(job_id=str(render["id"]))
    assert route.call_count == 1
    assert job.status == expected
    assert job.output_url == (render["url"] if expected == "succeeded" else None)
    assert job.error == (extra.get("error_message") if expected == "failed" else None)
    assert job.raw == render
    assert set(CREATOMATE_STATUS) >= {raw}


def test_creatomate_error_uses_the_hint(respx_mock: respx.MockRouter, client: httpx.Client) -> None:
    payload = {
        "hint": "The element 'Voice' has an invalid source.",
        "docs": "https://creatomate.com/docs",
    }
    respx_mock.post(CREATOMATE).mock(return_value=httpx.Response(400, json=payload))
    with pytest.raises(ProviderError) as caught:
        CreatomateRender(api_key=KEY, client=client).submit(request=render_request())
    assert caught.value.message == "The element 'Voice' has an invalid source."
    assert caught.value.payload == payload
    assert caught.value.status_code == 400
    assert not caught.value.transient


# --------------------------------------------------------------------------- Shotstack


def test_shotstack_submit_builds_timeline(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    answer = {
        "success": True,
        "message": "Created",
        "response": {
            "message": "Render Successfully Queued",
            "id": "d2b46ed6-998a-4d6b-9d91-b8cf0193a655",
        },
    }
    route = respx_mock.post(f"{SHOTSTACK}/v1/render").mock(
        return_value=httpx.Response(201, json=answer)
    )
    job = ShotstackRender(api_key=KEY, client=client).submit(request=render_request())
    sent = route.calls.last.request
    assert sent.headers["x-api-key"] == KEY
    edit = json.loads(sent.content)
    assert edit["output"] == {"format": "mp4", "fps": 30, "size": {"width": 1080, "height": 1920}}
    captions, media, voice = edit["timeline"]["tracks"]  # top layer first
    assert [(c["start"], c["length"]) for c in media["clips"]] == [
        (0.0, 3.5),
        (3.5, 2.0),
        (5.5, 4.0),
    ]
    assert [c["asset"]["type"] for c in media["clips"]] == ["video", "image", "video"]
    assert media["clips"][0]["asset"]["volume"] == 0
    # "crop" keeps the aspect ratio; Shotstack's "cover" would stretch the picture.
    assert {c["fit"] for c in media["clips"]} == {"crop"}
    assert [c["asset"]["text"] for c in captions["clips"]] == ["First", "Second"]
    first = captions["clips"][0]["asset"]
    assert (first["type"], first["font"]["family"], first["font"]["color"]) == (
        "rich-text",
        "Montserrat",
        "#FFEE00",
    )
    assert voice["clips"] == [
        {
            "asset": {"type": "audio", "src": "https://cdn.test/voice.mp3", "volume": 1},
            "start": 0,
            "length": 9.5,
        }
    ]
    assert edit["timeline"]["soundtrack"]["src"] == "https://cdn.test/music.mp3"
    assert (job.job_id, job.status) == ("d2b46ed6-998a-4d6b-9d91-b8cf0193a655", "queued")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("queued", "queued"),
        ("fetching", "running"),
        ("preprocessing", "running"),
        ("rendering", "running"),
        ("saving", "running"),
        ("done", "succeeded"),
        ("failed", "failed"),
    ],
)
def test_shotstack_poll_status_mapping(
    respx_mock: respx.MockRouter, client: httpx.Client, raw: str, expected: str
) -> None:
    render = {
        "id": "d2b46ed6",
        "owner": "5ca6hu7s9k",
        "status": raw,
        "url": "https://cdn.shotstack.io/au/stage/5ca6hu7s9k/d2b46ed6.mp4"
        if raw == "done"
        else None,
        "error": "Asset could not be downloaded" if raw == "failed" else None,
    }
    route = respx_mock.get(f"{SHOTSTACK}/stage/render/d2b46ed6").mock(
        return_value=httpx.Response(
            200, json={"success": True, "message": "OK", "response": render}
        )
    )
    job = ShotstackRender(api_key=KEY, client=client, environment="stage").poll(job_id="d2b46ed6")
    assert route.calls.last.request.headers["x-api-key"] == KEY
    assert job.status == expected
    assert job.output_url == render["url"]
    assert job.error == render["error"]
    assert raw in SHOTSTACK_STATUS


def test_shotstack_unsuccessful_envelope_is_an_error(
    respx_mock: respx.MockRouter, client: httpx.Client
) -> None:
    respx_mock.get(f"{SHOTSTACK}/v1/render/r1").mock(
        return_value=httpx.Response(
            200, json={"success": False, "message": "Render not found", "response": {}}
        )
    )
    with pytest.raises(ProviderError) as caught:
        ShotstackRender(api_key=KEY, client=client).poll(job_id="r1")
    assert caught.value.message == "Render not found"
    assert not caught.value.transient
