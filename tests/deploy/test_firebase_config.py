import json
import re
from typing import Any

import pytest

from synthora.deploy.firebase_config import firebase_config, render
from synthora.manifest import load_manifest
from synthora.settings import REPO_ROOT


def test_committed_firebase_json_matches_the_manifest() -> None:
    manifest = load_manifest(REPO_ROOT / "functions" / "manifest.toml")
    committed = (REPO_ROOT / "firebase.json").read_text()
    assert committed == render(manifest), "firebase.json drifted: run `make firebase-json`"


def test_every_http_function_is_rewritten_and_internal_ones_are_not() -> None:
    manifest = load_manifest(REPO_ROOT / "functions" / "manifest.toml")
    config = firebase_config(manifest)
    rewrites = config["hosting"]["rewrites"]
    targets = {r["function"]["functionId"] for r in rewrites if "function" in r}
    assert targets == {f.deploy_name for f in manifest.of_kind("http")}
    for spec in manifest.of_kind("http"):
        sources = [
            r["source"]
            for r in rewrites
            if r.get("function", {}).get("functionId") == spec.deploy_name
        ]
        assert sources == [spec.route, f"{spec.route}/**"]
    # the SPA fallback comes last, after every API rewrite
    assert rewrites[-1] == {"source": "**", "destination": "/index.html"}
    assert config["emulators"]["auth"]["host"] == "127.0.0.1"
    assert config["emulators"]["ui"]["enabled"] is False
    json.dumps(config)  # serialisable as is


def test_a_nested_route_is_rewritten_before_the_route_it_nests_in() -> None:
    manifest = load_manifest(REPO_ROOT / "functions" / "manifest.toml")
    sources = [r["source"] for r in firebase_config(manifest)["hosting"]["rewrites"]]
    nested = [
        (outer.route, inner.route)
        for outer in manifest.of_kind("http")
        for inner in manifest.of_kind("http")
        if outer.route and inner.route and inner.route.startswith(outer.route + "/")
    ]
    assert nested, "the manifest has a nested route (the social accounts callback)"
    for outer, inner in nested:
        # Hosting takes the first match: `outer/**` must not shadow `inner`.
        assert sources.index(f"{inner}/**") < sources.index(f"{outer}/**")


def _glob(source: str) -> re.Pattern[str]:
    """Hosting's glob for the rules used here: `**` any path, `*` one segment."""
    pattern = re.escape(source).replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
    return re.compile(pattern if source.startswith("/") else f"/?{pattern}")


def _effective_headers(config: dict[str, Any], path: str) -> dict[str, str]:
    """The headers Hosting sends for a requested path: every matching rule, the last one wins."""
    out: dict[str, str] = {}
    for rule in config["hosting"]["headers"]:
        if _glob(rule["source"]).fullmatch(path):
            out.update({h["key"]: h["value"] for h in rule["headers"]})
    return out


@pytest.mark.parametrize(
    ("path", "cache_control"),
    [
        ("/assets/index-B1a2c3.js", "public, max-age=31536000, immutable"),
        ("/assets/CreateVideoPage-9f8e7d.css", "public, max-age=31536000, immutable"),
        ("/", "no-cache"),
        ("/index.html", "no-cache"),
        ("/videos/abc123", "no-cache"),  # the SPA rewrite serves index.html here
        ("/404.html", "no-cache"),
        ("/favicon.svg", "no-cache"),
        ("/api/v1/videos", "no-store"),
    ],
)
def test_hashed_assets_are_cached_for_a_year_and_the_page_is_revalidated(
    path: str, cache_control: str
) -> None:
    committed = json.loads((REPO_ROOT / "firebase.json").read_text())
    headers = _effective_headers(committed, path)
    assert headers["Cache-Control"] == cache_control
    # the narrower rules add caching only: the security headers still reach every path
    assert headers["X-Frame-Options"] == "DENY"
