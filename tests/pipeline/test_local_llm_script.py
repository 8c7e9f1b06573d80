"""The real script step with an Ollama-style server on loopback.

A tiny OpenAI-shaped HTTP server (`GET /v1/models`, `POST /v1/chat/completions`)
runs on 127.0.0.1 and behaves like an older local server: it refuses
`response_format: json_schema` with 400 and answers JSON mode with the script
wrapped in a code fence. The integration is added through the integrations
service (options validated, key check run), and the pipeline's script step
writes the video's script with that model.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from synthora.pipeline.models import Step
from synthora.pipeline.runner import StepTask, load_video, run_step
from synthora.pipeline.steps import STEP_WORK
from synthora.platform import Platform
from synthora.providers.registry import check_key
from synthora.script.models import Script
from synthora.services import integrations as svc
from synthora.services.pipeline_services import PIPELINE_SERVICES
from synthora.services.videos import CreateVideoRequest, insert_and_start, new_video_record

MODEL = "llama3.2:3b"
SCENES = [
    "An octopus has three hearts.",
    "Two of them pump blood through the gills.",
    "The third sends it around the body. Follow for more.",
]


class _Server(ThreadingHTTPServer):
    requests_seen: list[dict[str, Any]]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        return

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/v1/models":
            self._send(
                200,
                {
                    "object": "list",
                    "data": [{"id": MODEL, "object": "model", "created": 1, "owned_by": "library"}],
                },
            )
        else:
            self._send(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length))
        self.server.requests_seen.append(
            {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
        )
        if self.path != "/v1/chat/completions":
            self._send(404, {"error": {"message": "not found"}})
            return
        fmt = (body.get("response_format") or {}).get("type")
        if fmt == "json_schema":
            self._send(400, {"error": {"message": "response_format json_schema not supported"}})
            return
        draft = {
            "title": "Three hearts",
            "hook": SCENES[0],
            "scenes": [
                {"narration": n, "on_screen_text": f"Fact {i + 1}", "visual_keywords": ["octopus"]}
                for i, n in enumerate(SCENES)
            ],
            "cta": "Follow for more.",
            "hashtags": ["#octopus"],
            "description": "Why octopuses have three hearts.",
        }
        content = "Here is your script:\n```json\n" + json.dumps(draft, indent=2) + "\n```"
        self._send(
            200,
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 1,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
            },
        )


@pytest.fixture
def server() -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.requests_seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_script_step_writes_with_a_local_model(platform: Platform, server: _Server) -> None:
    base = f"http://127.0.0.1:{server.server_address[1]}/v1/"
    integration = svc.add_integration(
        platform=platform,
        uid="u1",
        request=svc.AddIntegrationRequest(
            provider="openai_compatible",  # type: ignore[arg-type]
            options={"base_url": base, "model": MODEL},
        ),
    )
    assert integration.options["base_url"] == base.rstrip("/")
    check = check_key(provider="openai_compatible", api_key="", options=integration.options)
    assert check.status == "valid" and check.details == {"model_count": 1}

    record = new_video_record(
        video_id="local1",
        uid="u1",
        template_id="sys-viral-hook",
        template_name="Viral Hook",
        template_version=1,
        config={},
        request=CreateVideoRequest(
            template_id="sys-viral-hook", topic="why octopuses have three hearts"
        ),
        use_video_ai=False,
        integrations={},
    )
    insert_and_start(platform=platform, video=record)
    response = run_step(
        platform=platform,
        step=Step.script,
        task=StepTask(video_id="local1", generation=0),
        retry_count=0,
        max_attempts=5,
        work=STEP_WORK[Step.script],
        services=PIPELINE_SERVICES,
    )
    assert response.result == "done"
    video = load_video(platform, "local1")
    assert video is not None
    state = video.steps[Step.script]
    assert state.provider == "openai_compatible" and state.integration_id == integration.id
    assert state.fallback is None
    script = Script.model_validate_json(platform.blobs.get_bytes(state.outputs["script_key"]))
    assert [s.narration for s in script.scenes] == SCENES
    assert video.title == "Three hearts"

    chats = [r for r in server.requests_seen if r["path"] == "/v1/chat/completions"]
    assert [(r["body"].get("response_format") or {}).get("type") for r in chats] == [
        "json_schema",
        "json_object",
    ]
    assert all(r["body"]["model"] == MODEL and r["auth"] is None for r in chats)
