"""The shapes are one source of truth: importable by unit tests' respx routes, each cited."""

from __future__ import annotations

import json

import httpx
import respx
from synthora_emulators import shapes
from synthora_emulators.shapes import google, meta, tiktok


def test_every_shapes_module_cites_its_documentation() -> None:
    for module in (google, meta, tiktok):
        assert module.__doc__ is not None
        assert "https://developers." in module.__doc__


def test_shapes_are_plain_json() -> None:
    for module in (google, meta, tiktok):
        for name in dir(module):
            value = getattr(module, name)
            if name.isupper() and not name.startswith("_") and isinstance(value, dict):
                assert json.loads(json.dumps(value)) == value, name


def test_a_respx_route_answers_with_a_shape() -> None:
    with respx.mock:
        respx.post("https://open.tiktokapis.com/v2/post/publish/creator_info/query/").respond(
            200, json=tiktok.CREATOR_INFO
        )
        body = httpx.post("https://open.tiktokapis.com/v2/post/publish/creator_info/query/").json()
    assert body["error"]["code"] == "ok"
    assert "SELF_ONLY" in body["data"]["privacy_level_options"]


def test_clone_leaves_the_constant_alone() -> None:
    copy = shapes.clone(google.VIDEO)
    copy["status"]["privacyStatus"] = "public"
    assert google.VIDEO["status"]["privacyStatus"] == "private"
    assert (
        google.api_error(403, "quotaExceeded", "m", domain="youtube.quota")["error"]["status"]
        == "PERMISSION_DENIED"
    )
    assert meta.error("m", 190, subcode=463)["error"]["error_subcode"] == 463
