"""Running whole generations through the embedded queue, in process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from synthora.local.inprocess import in_process_dispatcher
from synthora.pipeline.models import SETTLED_STATUSES, VideoRecord, VideoStatus
from synthora.pipeline.runner import load_video
from synthora.platform import Platform
from synthora.services.videos import CreateVideoRequest, insert_and_start, new_video_record
from synthora.templates.system import get_system_template


class Pipeline:
    """Delivers queued tasks to the real function apps until a video settles."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.dispatcher = in_process_dispatcher(platform)
        self.queue = self.dispatcher.queue
        self.client = self.dispatcher.client

    def start(
        self,
        *,
        video_id: str,
        template_id: str = "sys-viral-hook",
        topic: str = "why the ocean is salty",
        uid: str = "u1",
        config_changes: dict[str, Any] | None = None,
        review_script: bool | None = False,
    ) -> VideoRecord:
        template = get_system_template(template_id)
        assert template is not None
        config = template.config.model_dump(mode="json")
        for path, value in (config_changes or {}).items():
            node = config
            *parents, leaf = path.split(".")
            for part in parents:
                node = node[part]
            node[leaf] = value
        record = new_video_record(
            video_id=video_id, uid=uid, template_id=template.id, template_name=template.name,
            template_version=template.version, config=config,
            request=CreateVideoRequest(
                template_id=template.id, topic=topic, review_script=review_script
            ),
            use_video_ai=False, integrations={},
        )  # fmt: skip
        return insert_and_start(platform=self.platform, video=record)

    def run(self, video_id: str, *, timeout_s: float = 240) -> VideoRecord:
        import time

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.dispatcher.drain(timeout_s=2)
            video = load_video(self.platform, video_id)
            assert video is not None
            if video.status in (*SETTLED_STATUSES, VideoStatus.review):
                return video
        raise TimeoutError(f"video {video_id} did not settle")


@pytest.fixture
def pipeline(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pipeline]:
    # Small renders keep the suite quick; the benchmark renders full size.
    monkeypatch.setenv("SYNTHORA_RENDER_SCALE", "0.25")
    p = Pipeline(platform)
    yield p
    p.client.close()
