"""The MCP function through the official SDK's own client (streamable HTTP) against the
local gateway served on loopback, with real Auth emulator tokens and the embedded adapters.

Every tool is called with real data and its answer compared with what the REST route
answers for the same thing (same service, same model); refusals carry the REST codes
and messages; a request without a valid token is refused before any MCP exchange.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import mcp_types as types
import pytest
from mcp.client.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.exceptions import MCPError
from werkzeug.serving import BaseWSGIServer, make_server

from synthora.local.gateway import Gateway
from synthora.manifest import get_manifest
from synthora.pipeline.models import Step
from synthora.pipeline.runner import StepTask, run_step
from synthora.pipeline.steps import STEP_WORK
from synthora.platform import get_platform
from synthora.services import api_tokens, suggestions, videos
from synthora.services import posts as posting
from synthora.services import storyboard as boards
from synthora.services.pipeline_services import PIPELINE_SERVICES
from synthora.settings import get_settings
from synthora.suggestions.models import Basis
from tests.conftest import AuthEmulator, PlatformEmulators, free_port
from tests.functions.test_analytics_functions import _seed_post
from tests.http.test_authorization_matrix import (  # the matrix's callers and expectations
    ALLOWED,
    EXPECTED,
    KINDS,
    TOKEN_KINDS,
    TOKEN_OWNER,
    Callers,
    callers,  # noqa: F401 (a fixture)
)
from tests.services.test_posts import _connect, _video
from tests.support.calls import bearer, uid_of

pytestmark = pytest.mark.emulator

TOOLS = {
    "list_templates",
    "create_video",
    "get_video",
    "get_storyboard",
    "update_storyboard",
    "continue_video",
    "list_social_accounts",
    "create_post",
    "get_post",
    "analytics_overview",
    "analytics_heatmap",
    "list_suggestions",
}
FACTS = "An octopus has three hearts: two for the gills and one for the body."


@dataclass
class Served:
    base: str

    @property
    def mcp(self) -> str:
        return f"{self.base}/api/v1/mcp"

    def rest(self, method: str, path: str, token: str, **kw: Any) -> httpx.Response:
        return httpx.request(method, f"{self.base}{path}", headers=bearer(token), **kw)


@pytest.fixture
def served(auth: AuthEmulator) -> Iterator[Served]:
    """The local gateway (every function of the manifest) on a loopback port."""
    settings = get_settings()
    gateway = Gateway(settings=settings, manifest=get_manifest(settings.manifest_file))
    server: BaseWSGIServer = make_server("127.0.0.1", free_port(), gateway, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(base=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(10)


def _user(auth: AuthEmulator, email: str, role: str = "free") -> tuple[str, str]:
    token = auth.sign_up(email)
    uid = uid_of(token)
    get_platform().documents.collection("users").document(uid).set(
        {"role": role, "preferences": {"timezone": "Europe/Berlin"}}, merge=True
    )
    return token, uid


async def _session(
    url: str, token: str, calls: list[tuple[str, dict[str, Any]]], mode: str
) -> tuple[types.ListToolsResult, list[types.CallToolResult]]:
    http = create_mcp_http_client(headers={"Authorization": f"Bearer {token}"})
    async with Client(streamable_http_client(url, http_client=http), mode=mode) as client:
        listed = await client.list_tools()
        results = [await client.call_tool(name, args) for name, args in calls]
    return listed, results


def mcp_calls(
    served: Served, token: str, *calls: tuple[str, dict[str, Any]], mode: str = "auto"
) -> list[types.CallToolResult]:
    """Call tools in one client session (the SDK's Client over streamable HTTP)."""
    return asyncio.run(_session(served.mcp, token, list(calls), mode))[1]


def mcp_call(served: Served, token: str, name: str, **args: Any) -> types.CallToolResult:
    return mcp_calls(served, token, (name, args))[0]


def ok(result: types.CallToolResult) -> Any:
    assert not result.is_error, result.structured_content
    text = result.content[0]
    assert isinstance(text, types.TextContent)
    assert json.loads(text.text) == result.structured_content
    return result.structured_content


def refused(result: types.CallToolResult) -> dict[str, Any]:
    """The REST error object a refused tool call carries (as text and as structured content)."""
    assert result.is_error, result.structured_content
    body = result.structured_content
    assert isinstance(body, dict) and set(body) == {"error"}, body
    text = result.content[0]
    assert isinstance(text, types.TextContent) and json.loads(text.text) == body
    return body["error"]  # type: ignore[no-any-return]


def _script(video_id: str) -> None:
    """Run the script step as the queue would: the video waits for its storyboard review."""
    result = run_step(
        platform=get_platform(), step=Step.script, task=StepTask(video_id=video_id, generation=0),
        retry_count=0, max_attempts=5, work=STEP_WORK[Step.script], services=PIPELINE_SERVICES,
    )  # fmt: skip
    assert result.result == "review"


# --------------------------------------------------------------------------- tools


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_tools_are_listed_with_the_rest_models_as_schemas(
    served: Served, auth: AuthEmulator, mode: str
) -> None:
    token, _ = _user(auth, f"lister-{mode}@example.com")
    listed, _ = asyncio.run(_session(served.mcp, token, [], mode))
    tools = {t.name: t for t in listed.tools}
    assert set(tools) == TOOLS
    create = tools["create_video"]
    assert create.input_schema == videos.CreateVideoRequest.model_json_schema()
    assert create.output_schema == videos.VideoOut.model_json_schema(mode="serialization")
    assert tools["create_post"].input_schema == posting.CreatePostRequest.model_json_schema()
    edit = tools["update_storyboard"].input_schema
    assert set(boards.StoryboardUpdate.model_fields) | {"video_id"} == set(edit["properties"])
    assert tools["get_video"].annotations is not None
    assert tools["get_video"].annotations.read_only_hint is True
    assert tools["create_video"].annotations is not None
    assert tools["create_video"].annotations.read_only_hint is False


def test_from_template_to_storyboard_as_rest_answers(served: Served, auth: AuthEmulator) -> None:
    token, _ = _user(auth, "maker@example.com")
    page = ok(mcp_call(served, token, "list_templates", search="viral", limit=5))
    rest_page = served.rest("GET", "/api/v1/templates?search=viral&limit=5", token).json()
    assert page == rest_page and "sys-viral-hook" in [t["id"] for t in page["items"]]

    created = ok(
        mcp_call(
            served,
            token,
            "create_video",
            template_id="sys-viral-hook",
            topic="why octopuses have three hearts",
            choices={"voice_speed": 1.1, "music_mood": "calm"},
            review_script=True,
        )
    )
    vid = created["id"]
    assert created["status"] == "queued" and created["topic"] == "why octopuses have three hearts"
    _script(vid)

    video = ok(mcp_call(served, token, "get_video", video_id=vid))
    assert video["status"] == "review" and video["review"]["waiting"] is True
    assert video == served.rest("GET", f"/api/v1/videos/{vid}", token).json()

    board = ok(mcp_call(served, token, "get_storyboard", video_id=vid))
    assert board == served.rest("GET", f"/api/v1/videos/{vid}/storyboard", token).json()
    scenes = [
        {k: s[k] for k in ("narration", "on_screen_text", "visual_keywords")}
        for s in board["scenes"]
    ]
    scenes[1]["narration"] = FACTS
    edited = ok(mcp_call(served, token, "update_storyboard", video_id=vid, scenes=scenes))
    assert edited["scenes"][1]["narration"] == FACTS and edited["edited"] is True
    assert served.rest("GET", f"/api/v1/videos/{vid}/storyboard", token).json() == edited

    going = ok(mcp_call(served, token, "continue_video", video_id=vid))
    assert going["status"] == "queued" and going["review"]["waiting"] is False
    late = refused(mcp_call(served, token, "update_storyboard", video_id=vid, scenes=scenes))
    rest_late = served.rest(
        "PUT", f"/api/v1/videos/{vid}/storyboard", token, json={"scenes": scenes}
    )
    assert rest_late.status_code == 409 and late == rest_late.json()["error"]
    assert late["code"] == "not_in_review"


def test_accounts_post_analytics_and_suggestions(
    served: Served, auth: AuthEmulator, platform_emulators: PlatformEmulators, mp4: bytes
) -> None:
    token, uid = _user(auth, "poster@example.com", role="premium")
    platform = get_platform()
    account = _connect(platform, "youtube", uid=uid)
    vid = _video(platform, mp4, uid=uid)
    _seed_post(uid, "postM")
    suggestions.create_suggestion(
        platform=platform,
        uid=uid,
        new=suggestions.NewSuggestion(
            type=suggestions.SuggestionType.posting_time,
            key="tuesday-evening",
            title="Post on Tuesdays at 18:00",
            body="Your Tuesday evening posts get twice your usual views.",
            evidence=suggestions.Evidence(
                basis=Basis(posts=12, videos=8, platforms=[], start=None, end=None, summary="12"),
                points=["12 posts"],
            ),
        ),
    )
    at = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    listed, posted, overview, heatmap, ideas = mcp_calls(
        served,
        token,
        ("list_social_accounts", {}),
        (
            "create_post",
            {
                "video_id": vid,
                "scheduled_at": at.isoformat(),
                "caption": "Three hearts!",
                "targets": [
                    {
                        "social_account_id": account,
                        "privacy": "unlisted",
                        "settings": {"category_id": "27", "made_for_kids": False},
                    }
                ],
            },
        ),
        ("analytics_overview", {"days": 7}),
        ("analytics_heatmap", {}),
        ("list_suggestions", {"limit": 10}),
    )
    accounts = ok(listed)
    assert [a["id"] for a in accounts["items"]] == [account]
    assert accounts == served.rest("GET", "/api/v1/social-accounts", token).json()

    post = ok(posted)
    assert post["status"] == "scheduled" and post["video_id"] == vid
    assert [t["social_account_id"] for t in post["targets"]] == [account]
    content = post["targets"][0]["content"]
    assert content["privacy"] == "unlisted" and content["settings"]["category_id"] == "27"
    assert content["caption"] == "Three hearts!"
    again = ok(mcp_call(served, token, "get_post", post_id=post["id"]))
    assert again == served.rest("GET", f"/api/v1/posts/{post['id']}", token).json()

    totals = ok(overview)
    assert totals["totals"]["views"] == 400
    assert totals == served.rest("GET", "/api/v1/analytics/overview?days=7", token).json()
    cells = ok(heatmap)
    assert sum(c["posts"] for c in cells["cells"]) == 1 and cells["timezone"] == "Europe/Berlin"
    assert cells == served.rest("GET", "/api/v1/analytics/heatmap", token).json()

    page = ok(ideas)
    assert [s["title"] for s in page["items"]] == ["Post on Tuesdays at 18:00"]
    assert page == served.rest("GET", "/api/v1/suggestions?limit=10", token).json()


# --------------------------------------------------------------------------- refusals


def test_someone_elses_video_and_post_are_not_found_as_in_rest(
    served: Served, auth: AuthEmulator
) -> None:
    owner, _ = _user(auth, "owner@example.com")
    other, _ = _user(auth, "other@example.com")
    created = ok(
        mcp_call(served, owner, "create_video", template_id="sys-viral-hook", topic="octopuses")
    )
    vid = created["id"]
    _script(vid)
    results = mcp_calls(
        served,
        other,
        ("get_video", {"video_id": vid}),
        ("get_storyboard", {"video_id": vid}),
        ("update_storyboard", {"video_id": vid, "script_text": "Mine now."}),
        ("continue_video", {"video_id": vid}),
    )
    rest = served.rest("GET", f"/api/v1/videos/{vid}", other)
    assert rest.status_code == 404
    for result in results:
        assert refused(result) == rest.json()["error"]
        assert rest.json()["error"]["code"] == "video_not_found"
    posts_rest = served.rest("GET", "/api/v1/posts/nosuchpost", other)
    assert (
        refused(mcp_call(served, other, "get_post", post_id="nosuchpost"))
        == (posts_rest.json()["error"])
    )
    still = ok(mcp_call(served, owner, "get_video", video_id=vid))
    assert still["status"] == "review"


def test_bad_input_role_and_unknown_tool_are_tool_errors(
    served: Served, auth: AuthEmulator
) -> None:
    token, _ = _user(auth, "careless@example.com")
    bad_topic, no_template, bad_id, premium, unknown, bad_days = mcp_calls(
        served,
        token,
        ("create_video", {"template_id": "sys-viral-hook", "topic": 5}),
        ("create_video", {"template_id": "no-such-template", "topic": "octopus hearts"}),
        ("get_video", {"video_id": "a/b"}),
        ("list_suggestions", {}),
        ("make_me_famous", {}),
        ("analytics_overview", {"days": "7"}),
    )
    err = refused(bad_topic)
    assert err["code"] == "validation_failed"
    assert [d["field"] for d in err["details"]] == ["arguments.topic"]
    # strict like a JSON body: "7" is not an integer
    assert [d["field"] for d in refused(bad_days)["details"]] == ["arguments.days"]

    rest = served.rest(
        "POST",
        "/api/v1/videos",
        token,
        json={"template_id": "no-such-template", "topic": "octopus hearts"},
    )
    assert rest.status_code == 404 and refused(no_template) == rest.json()["error"]

    assert refused(bad_id)["code"] == "not_found"
    rest_bad = served.rest("GET", "/api/v1/videos/a%2Fb", token)
    assert rest_bad.status_code == 404

    rest_premium = served.rest("GET", "/api/v1/suggestions", token)
    assert rest_premium.status_code == 403
    assert refused(premium) == rest_premium.json()["error"]
    assert rest_premium.json()["error"]["code"] == "premium_only"

    missing = refused(unknown)
    assert missing["code"] == "tool_not_found" and "create_video" in missing["details"]["tools"]


# --------------------------------------------------------------------------- authentication


def _initialize() -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "curl", "version": "1"},
        },
    }


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "unauthenticated"),
        ({"Authorization": "Bearer not-a-token"}, "invalid_token"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "unauthenticated"),
    ],
)
def test_no_valid_token_is_a_401_before_any_mcp_exchange(
    served: Served, auth: AuthEmulator, headers: dict[str, str], code: str
) -> None:
    r = httpx.post(
        served.mcp,
        json=_initialize(),
        headers={**headers, "Accept": "application/json, text/event-stream"},
    )
    assert r.status_code == 401, r.text
    assert r.json()["error"]["code"] == code and set(r.json()) == {"error"}
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="synthora"'
    assert "mcp-session-id" not in r.headers


def test_the_sdk_client_without_a_token_cannot_connect(served: Served, auth: AuthEmulator) -> None:
    async def connect() -> None:
        async with Client(served.mcp) as client:
            await client.list_tools()

    with pytest.raises(ExceptionGroup) as caught:
        asyncio.run(connect())
    assert caught.group_contains(MCPError, depth=None)


def test_a_disabled_account_is_refused_like_rest(served: Served, auth: AuthEmulator) -> None:
    token, uid = _user(auth, "disabled@example.com")
    get_platform().documents.collection("users").document(uid).set({"is_active": False}, merge=True)
    r = httpx.post(served.mcp, json=_initialize(), headers=bearer(token))
    rest = served.rest("GET", "/api/v1/videos", token)
    assert r.status_code == rest.status_code == 403
    assert r.json() == rest.json() and r.json()["error"]["code"] == "account_disabled"


def test_a_signed_in_caller_gets_an_mcp_answer(served: Served, auth: AuthEmulator) -> None:
    token, _ = _user(auth, "raw@example.com")
    r = httpx.post(
        served.mcp,
        json=_initialize(),
        headers={**bearer(token), "Accept": "application/json, text/event-stream"},
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["id"] == 1 and body["result"]["serverInfo"]["name"] == "synthora"
    assert "tools" in body["result"]["capabilities"]


# --------------------------------------------------------------------------- the matrix's callers


def test_every_caller_of_the_matrix_is_answered_as_a_user_route_and_per_tool(
    callers: Callers,  # noqa: F811 (the fixture imported above)
) -> None:
    """The MCP endpoint has no OpenAPI operation, so the generated authorization matrix does
    not reach it: every caller kind of the matrix is checked here against the matrix's own
    expectations (the endpoint as a `user` route, `list_suggestions` as a `premium` one)."""
    wrong: list[str] = []
    for kind in KINDS:
        r = callers.http.open(
            "/api/v1/mcp",
            method="POST",
            headers={
                **callers.headers(kind),
                "Accept": "application/json, text/event-stream",
                "MCP-Protocol-Version": "2025-06-18",
            },
            json={
                "jsonrpc": "2.0",
                "id": 7,
                "method": "tools/call",
                "params": {"name": "list_suggestions", "arguments": {}},
            },
        )
        who = TOKEN_OWNER if kind in TOKEN_KINDS else kind  # a token acts as its owner
        endpoint = EXPECTED["user"][who]
        if endpoint != ALLOWED:
            if r.status_code != endpoint or set(r.get_json()) != {"error"}:
                wrong.append(f"{kind}: expected {endpoint}, got {r.status_code}")
            continue
        result = r.get_json()["result"]
        if kind in TOKEN_KINDS and TOKEN_KINDS[kind] != "read":  # the tool needs `read`
            code = result["structuredContent"]["error"]["code"] if result["isError"] else None
            if code != "insufficient_scope":
                wrong.append(f"{kind}: list_suggestions not refused as insufficient_scope")
            continue
        premium = EXPECTED["premium"][who]
        if premium == ALLOWED and result["isError"]:
            wrong.append(f"{kind}: list_suggestions refused: {result['structuredContent']}")
        if premium != ALLOWED and (
            not result["isError"] or result["structuredContent"]["error"]["code"] != "premium_only"
        ):
            wrong.append(f"{kind}: list_suggestions not refused as premium_only: {result}")
    assert not wrong, wrong


def test_a_personal_token_reaches_the_tools_its_scopes_cover_until_revoked(
    served: Served, auth: AuthEmulator
) -> None:
    _, uid = _user(auth, "mcp-token@example.com", role="premium")
    platform = get_platform()
    created = api_tokens.create_token(
        platform=platform,
        uid=uid,
        request=api_tokens.CreateTokenRequest(name="agent", scopes=["read"], expires_in_days=7),
    )
    listed, made = mcp_calls(
        served,
        created.token,
        ("list_templates", {}),
        ("create_video", {"template_id": "x", "topic": "a topic for a video"}),
    )
    assert ok(listed)["items"]
    error = refused(made)
    assert error["code"] == "insufficient_scope" and error["details"]["required"] == "videos:create"
    api_tokens.revoke_token(platform=platform, uid=uid, token_id=created.id)
    answer = httpx.post(
        served.mcp,
        headers={
            "Authorization": f"Bearer {created.token}",
            "Accept": "application/json, text/event-stream",
        },
        json=_initialize(),
    )
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "token_revoked"


def test_a_body_over_the_limit_is_the_rest_413(served: Served, auth: AuthEmulator) -> None:
    token, _ = _user(auth, "big@example.com")
    r = httpx.post(
        served.mcp,
        content=b'{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"'
        + b"a" * 1_000_001
        + b'"}}',
        headers={**bearer(token), "Content-Type": "application/json"},
    )
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
