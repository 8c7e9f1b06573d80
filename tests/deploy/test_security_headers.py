"""The web app's security headers in firebase.json, and a page that runs under its CSP."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from synthora.deploy.firebase_config import firebase_config
from synthora.http.security_headers import web_csp
from synthora.manifest import load_manifest
from synthora.settings import REPO_ROOT


def _hosting_headers() -> dict[str, str]:
    config = firebase_config(load_manifest(REPO_ROOT / "functions" / "manifest.toml"))
    every = next(h for h in config["hosting"]["headers"] if h["source"] == "**")
    return {h["key"]: h["value"] for h in every["headers"]}


def _directives(csp: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}


def test_hosting_sends_every_security_header() -> None:
    headers = _hosting_headers()
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    csp = _directives(headers["Content-Security-Policy"])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["script-src"][0] == "'self'"
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(csp["script-src"])
    # Google sign-in (popup) works: its script, its frame, its token endpoints
    assert "https://apis.google.com" in csp["script-src"]
    assert "https://*.firebaseapp.com" in csp["frame-src"]
    assert "https://securetoken.googleapis.com" in csp["connect-src"]
    # signed media URLs from Cloud Storage play
    assert "https://storage.googleapis.com" in csp["media-src"]


def test_the_local_policy_adds_the_emulator_and_still_no_inline_script() -> None:
    csp = _directives(web_csp(auth_emulator_url="http://127.0.0.1:9099"))
    assert csp["script-src"] == _directives(web_csp())["script-src"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert csp["connect-src"][:2] == ["'self'", "http://127.0.0.1:9099"]
    assert "http://127.0.0.1:9099" in csp["frame-src"]


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self.external: list[str] = []
        self.handlers: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        self.handlers += [k for k in named if k.startswith("on")]
        if tag == "script":
            self._in_script = "src" not in named
            if "src" in named:
                self.external.append(str(named["src"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append(data)


def _scripts(html: str) -> _Scripts:
    parser = _Scripts()
    parser.feed(html)
    return parser


def test_the_page_source_has_no_inline_script() -> None:
    page = _scripts((REPO_ROOT / "hosting" / "index.html").read_text())
    assert page.inline == [] and page.handlers == []
    assert "/theme-init.js" in page.external
    assert (REPO_ROOT / "hosting" / "public" / "theme-init.js").is_file()


def test_the_built_page_has_no_inline_script() -> None:
    """`npm run build` output, when present (make web / make dev build it)."""
    built = REPO_ROOT / "hosting" / "dist" / "index.html"
    if not built.is_file():
        pytest.skip("hosting/dist is not built here; the source page is checked above")
    page = _scripts(built.read_text())
    assert page.inline == [] and page.handlers == []
    assert all(re.match(r"^/(assets/|theme-init\.js)", src) for src in page.external), page.external
