import json

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
