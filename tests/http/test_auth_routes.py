"""Signed-in and admin routes against the real Firebase Auth emulator."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform
from synthora.settings import Settings
from tests.conftest import AuthEmulator

pytestmark = pytest.mark.emulator


@pytest.fixture
def client(fixture_functions: Settings, auth: AuthEmulator) -> FlaskClient:
    spec = get_manifest(fixture_functions.manifest_file).function("echo")
    return create_function_app(spec, fixture_functions.functions_dir).test_client()


def test_a_valid_emulator_token_identifies_the_caller(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    token = auth.sign_up("ana@example.com")
    r = client.get("/api/v1/echo/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["caller"]


def test_malformed_token_is_401(client: FlaskClient) -> None:
    r = client.get("/api/v1/echo/me", headers={"Authorization": "Bearer not.a.token"})
    assert r.status_code == 401
    assert r.get_json()["error"]["code"] == "invalid_token"


def test_admin_route_needs_the_admin_role(client: FlaskClient, auth: AuthEmulator) -> None:
    token = auth.sign_up("bo@example.com")
    headers = {"Authorization": f"Bearer {token}"}
    r = client.get("/api/v1/echo/admin", headers=headers)
    assert r.status_code == 403
    assert r.get_json()["error"]["code"] == "admin_only"
    uid = client.get("/api/v1/echo/me", headers=headers).get_json()["caller"]
    get_platform().documents.collection("users").document(uid).set({"role": "admin"})
    assert client.get("/api/v1/echo/admin", headers=headers).status_code == 200


def test_a_disabled_user_is_refused_everywhere(client: FlaskClient, auth: AuthEmulator) -> None:
    token = auth.sign_up("cy@example.com")
    headers = {"Authorization": f"Bearer {token}"}
    uid = client.get("/api/v1/echo/me", headers=headers).get_json()["caller"]
    get_platform().documents.collection("users").document(uid).set(
        {"role": "admin", "is_active": False}
    )
    for path in ("/api/v1/echo/me", "/api/v1/echo/admin"):
        r = client.get(path, headers=headers)
        assert r.status_code == 403
        assert r.get_json()["error"]["code"] == "account_disabled"


def test_public_route_identifies_an_optional_caller(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    token = auth.sign_up("di@example.com")
    r = client.post(
        "/api/v1/echo/items/x", json={"text": "a"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.get_json()["caller"]
