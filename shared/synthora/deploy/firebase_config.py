"""`firebase.json`, generated from the manifest so Hosting rewrites never drift.

`python -m synthora.deploy.firebase_config` rewrites the file; a test fails
when the committed file differs from what the manifest produces.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from synthora.http.security_headers import (
    CACHE_IMMUTABLE,
    CACHE_NO_STORE,
    CACHE_REVALIDATE,
    web_headers,
)
from synthora.manifest import Manifest, load_manifest
from synthora.settings import REPO_ROOT


def hosting_rewrites(manifest: Manifest, *, region: str) -> list[dict[str, Any]]:
    rewrites: list[dict[str, Any]] = []
    # Hosting applies the first matching rewrite: a route nested in another goes
    # first; the others keep manifest order.
    http = manifest.of_kind("http")
    routes = [s.route or "" for s in http]

    def depth(route: str) -> int:
        return sum(1 for other in routes if route.startswith(other + "/"))

    specs = sorted(http, key=lambda s: -depth(s.route or ""))
    for spec in specs:
        assert spec.route is not None
        target = {"functionId": spec.deploy_name, "region": region}
        rewrites.append({"source": spec.route, "function": target})
        rewrites.append({"source": f"{spec.route}/**", "function": target})
    # the SPA answers every other path
    rewrites.append({"source": "**", "destination": "/index.html"})
    return rewrites


def hosting_headers() -> list[dict[str, Any]]:
    """Hosting's header rules, most general first.

    When several rules match a path, Hosting applies them in order and the
    last one that sets a header wins (firebase/firebase-tools#9467, #8917), so
    `**` (security headers, revalidate) comes first and the narrower `/api/**`
    and `/assets/**` after it. The rules match the requested path, before the
    SPA rewrite, so `/videos/abc` (served `index.html`) gets `no-cache` from `**`.
    """
    return [
        {
            "source": "**",
            "headers": [
                *({"key": k, "value": v} for k, v in web_headers().items()),
                {"key": "Cache-Control", "value": CACHE_REVALIDATE},
            ],
        },
        {"source": "/api/**", "headers": [{"key": "Cache-Control", "value": CACHE_NO_STORE}]},
        {"source": "/assets/**", "headers": [{"key": "Cache-Control", "value": CACHE_IMMUTABLE}]},
    ]


def firebase_config(manifest: Manifest, *, region: str = "us-central1") -> dict[str, Any]:
    return {
        "hosting": {
            "public": "hosting/dist",
            "cleanUrls": True,
            "ignore": ["firebase.json", "**/.*", "**/node_modules/**"],
            "rewrites": hosting_rewrites(manifest, region=region),
            "headers": hosting_headers(),
        },
        "firestore": {"rules": "firestore.rules", "indexes": "firestore.indexes.json"},
        "emulators": {
            "auth": {"host": "127.0.0.1", "port": 9099},
            "ui": {"enabled": False},
            "singleProjectMode": True,
        },
    }


def render(manifest: Manifest, *, region: str = "us-central1") -> str:
    return json.dumps(firebase_config(manifest, region=region), indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    manifest = load_manifest(REPO_ROOT / "functions" / "manifest.toml")
    target = Path(args[0]) if args else REPO_ROOT / "firebase.json"
    target.write_text(render(manifest))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
