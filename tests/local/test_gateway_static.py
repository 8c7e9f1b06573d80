"""The local gateway serves the built web app with the caching Hosting uses (firebase.json)."""

from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug.test import Client

from synthora.local.gateway import Gateway
from synthora.manifest import get_manifest
from synthora.settings import Settings


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>Synthora</title>")
    (tmp_path / "assets" / "index-B1a2c3.js").write_text("export const hashed = 1\n")
    (tmp_path / "robots.txt").write_text("User-agent: *\n")
    return tmp_path


@pytest.fixture
def client(fixture_functions: Settings, dist: Path) -> Client:
    settings = fixture_functions.model_copy(update={"hosting_dist": dist})
    return Client(Gateway(settings=settings, manifest=get_manifest(settings.manifest_file)))


def test_a_hashed_asset_is_cached_for_a_year(client: Client) -> None:
    r = client.get("/assets/index-B1a2c3.js")
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert r.get_data(as_text=True) == "export const hashed = 1\n"


@pytest.mark.parametrize("path", ["/", "/index.html", "/videos/abc123", "/admin/users"])
def test_the_page_is_revalidated_on_every_path_that_serves_it(client: Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.mimetype == "text/html"
    assert r.headers["Cache-Control"] == "no-cache"
    assert "<title>Synthora</title>" in r.get_data(as_text=True)


def test_an_unhashed_file_is_revalidated(client: Client) -> None:
    r = client.get("/robots.txt")
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-cache"


def test_a_missing_asset_is_a_json_404_not_the_page(client: Client) -> None:
    r = client.get("/assets/index-gone.js")
    assert r.status_code == 404
    assert r.json is not None and r.json["error"]["code"] == "not_found"
    assert "immutable" not in r.headers.get("Cache-Control", "")


def test_the_api_is_not_cached(client: Client) -> None:
    r = client.get("/api/v1/nothing-here")
    assert r.headers["Cache-Control"] == "no-store"
