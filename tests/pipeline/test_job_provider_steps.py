"""The video-AI and assembly steps drive the new job clients through the registry:
a finished poll is downloaded (with the key only where the provider needs it),
and a provider-side expiry fails the step as a timeout."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import respx

from synthora.pipeline.models import StepState
from synthora.pipeline.runner import Done
from synthora.pipeline.steps import assembly, video_ai
from synthora.pipeline.steps.common import Choice
from synthora.providers.errors import ProviderError

KEY = "step-test-key-0123456789"
CLIP = b"\x00\x00\x00\x18ftypmp42-step-clip"


class FakeRun(SimpleNamespace):
    """The parts of a StepRun the poll phase of the two steps uses."""

    def put_file(self, name: str, path: Path, *, content_type: str) -> str:
        self.stored[name] = (path.read_bytes(), content_type)
        return f"videos/v1/{name}"


def fake_run(tmp_path: Path, poll: dict[str, Any]) -> Any:
    return FakeRun(state=StepState(poll=poll), workdir=tmp_path, stored={})


def use(monkeypatch: pytest.MonkeyPatch, step: Any, provider: str, **options: str) -> None:
    """The integration a poll asks again (normally read back from the user's store)."""
    choice = Choice(provider=provider, integration_id="int-1", api_key=KEY, options=dict(options))
    monkeypatch.setattr(step, "choose_again", lambda *args, **kwargs: choice)


def test_video_ai_poll_downloads_a_finished_hailuo_clip(
    monkeypatch: pytest.MonkeyPatch, respx_mock: respx.MockRouter, tmp_path: Path
) -> None:
    use(monkeypatch, video_ai, "hailuo", region="global")
    ok = {"status_code": 0, "status_msg": "success"}
    respx_mock.get("https://api.minimax.io/v1/query/video_generation").mock(
        return_value=httpx.Response(
            200, json={"task_id": "t1", "status": "Success", "file_id": "77", "base_resp": ok}
        )
    )
    respx_mock.get("https://api.minimax.io/v1/files/retrieve").mock(
        return_value=httpx.Response(
            200, json={"file": {"download_url": "https://cdn.test/t1.mp4"}, "base_resp": ok}
        )
    )
    cdn = respx_mock.get("https://cdn.test/t1.mp4").mock(
        return_value=httpx.Response(200, content=CLIP)
    )
    run = fake_run(tmp_path, {"job_id": "t1", "integration_id": "int-1", "polls": 3})
    outcome = video_ai.video_ai_step(run)
    assert isinstance(outcome, Done)
    assert outcome.outputs == {
        "clip_key": "videos/v1/media/ai-clip.mp4",
        "job_id": "t1",
        "scene": 0,
    }
    assert (outcome.provider, outcome.integration_id) == ("hailuo", "int-1")
    assert run.stored["media/ai-clip.mp4"] == (CLIP, "video/mp4")
    assert "Authorization" not in cdn.calls.last.request.headers


def test_video_ai_poll_of_an_expired_seedance_task_fails_as_a_timeout(
    monkeypatch: pytest.MonkeyPatch, respx_mock: respx.MockRouter, tmp_path: Path
) -> None:
    use(monkeypatch, video_ai, "seedance")
    answer = {"id": "cgt-1", "model": "seedance-1-0-pro-250428", "status": "expired"}
    respx_mock.get(
        "https://ark.ap-southeast.bytepluses.com/api/v3/contents/generations/tasks/cgt-1"
    ).mock(return_value=httpx.Response(200, json=answer))
    run = fake_run(tmp_path, {"job_id": "cgt-1", "integration_id": "int-1", "polls": 0})
    with pytest.raises(ProviderError) as caught:
        video_ai.video_ai_step(run)
    assert (caught.value.code, caught.value.transient, caught.value.payload) == (
        "job_timeout",
        False,
        answer,
    )


def test_video_ai_poll_of_a_failed_wan_task_is_job_failed(
    monkeypatch: pytest.MonkeyPatch, respx_mock: respx.MockRouter, tmp_path: Path
) -> None:
    use(monkeypatch, video_ai, "wan", region="intl")
    answer = {
        "request_id": "r1",
        "output": {"task_id": "w1", "task_status": "FAILED", "code": "InternalError"},
    }
    respx_mock.get("https://dashscope-intl.aliyuncs.com/api/v1/tasks/w1").mock(
        return_value=httpx.Response(200, json=answer)
    )
    run = fake_run(tmp_path, {"job_id": "w1", "integration_id": "int-1", "polls": 0})
    with pytest.raises(ProviderError) as caught:
        video_ai.video_ai_step(run)
    assert (caught.value.code, caught.value.payload) == ("job_failed", answer)


@pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
    reason="ffmpeg/ffprobe not installed",
)
def test_assembly_poll_copies_a_finished_editframe_render_with_the_key(
    monkeypatch: pytest.MonkeyPatch, respx_mock: respx.MockRouter, tmp_path: Path
) -> None:
    rendered = tmp_path / "made.mp4"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-v", "error", "-y",
         "-f", "lavfi", "-i", "testsrc=size=72x128:rate=10:duration=1",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(rendered)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    use(monkeypatch, assembly, "editframe")
    api = "https://editframe.com/api/v1/renders"
    respx_mock.get(f"{api}/rnd_1").mock(
        return_value=httpx.Response(
            200, json={"id": "rnd_1", "md5": None, "status": "complete", "metadata": {}}
        )
    )
    mp4 = respx_mock.get(f"{api}/rnd_1.mp4").mock(
        return_value=httpx.Response(200, content=rendered.read_bytes())
    )
    workdir = tmp_path / "work"
    workdir.mkdir()
    run = fake_run(workdir, {"job_id": "rnd_1", "integration_id": "int-1", "polls": 2})
    outcome = assembly.assembly_step(run)
    assert isinstance(outcome, Done)
    assert outcome.provider == "editframe"
    assert outcome.outputs["video_key"] == "videos/v1/video.mp4"
    assert outcome.outputs["job_id"] == "rnd_1"
    assert (outcome.outputs["width"], outcome.outputs["height"]) == (72, 128)
    assert run.stored["video.mp4"] == (rendered.read_bytes(), "video/mp4")
    assert mp4.calls.last.request.headers["Authorization"] == f"Bearer {KEY}"
