"""The templates function end to end with real Auth emulator tokens."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform
from synthora.services import templates as svc
from synthora.settings import Settings
from tests.conftest import AuthEmulator
from tests.support.calls import bearer, error, uid_of

BASE = "/api/v1/templates"


# --------------------------------------------------------------------------- harness


@pytest.fixture
def client(settings: Settings) -> FlaskClient:
    spec = get_manifest(settings.manifest_file).function("templates")
    client: FlaskClient = create_function_app(spec, settings.functions_dir).test_client()
    return client


@pytest.fixture
def seeded() -> list[str]:
    report = svc.seed_system_templates(platform=get_platform())
    return report.inserted


def make_admin(token: str) -> None:
    get_platform().documents.document(f"users/{uid_of(token)}").set({"role": "admin"})


def valid_config() -> dict[str, Any]:
    return dict(svc.system_template_specs()[0].config)


def create(client: FlaskClient, token: str, **overrides: Any) -> Any:
    body = {
        "name": "My template",
        "description": "Quick tips about cooking",
        "category": "educational",
        "tags": ["Food", "tips"],
        "platforms": ["tiktok"],
        "config": valid_config(),
        **overrides,
    }
    return client.post(BASE, json=body, headers=bearer(token))


def stored_count() -> int:
    return get_platform().documents.collection("templates").count()


# --------------------------------------------------------------------------- anonymous, system


def test_anonymous_is_refused_everywhere(client: FlaskClient, auth: AuthEmulator) -> None:
    for method, path in [
        ("GET", BASE),
        ("GET", f"{BASE}/system"),
        ("GET", f"{BASE}/my"),
        ("POST", BASE),
        ("GET", f"{BASE}/x"),
        ("GET", f"{BASE}/x/config"),
        ("PATCH", f"{BASE}/x"),
        ("DELETE", f"{BASE}/x"),
        ("POST", f"{BASE}/x/duplicate"),
        ("POST", f"{BASE}/seed"),
        ("GET", f"{BASE}/stats"),
    ]:
        r = client.open(path, method=method, json={})
        assert r.status_code == 401, (method, path)
        assert error(r)["code"] == "unauthenticated"


def test_system_templates_are_listed_and_read_only_for_users(
    client: FlaskClient, auth: AuthEmulator, seeded: list[str]
) -> None:
    token = auth.sign_up("sys@example.com")
    r = client.get(f"{BASE}/system", headers=bearer(token))
    assert r.status_code == 200
    items = r.get_json()["items"]
    assert len(items) == 5
    assert {i["id"] for i in items} == set(seeded)
    assert all(i["is_system"] and i["owner_id"] is None and not i["can_edit"] for i in items)
    tid = items[0]["id"]
    r = client.patch(f"{BASE}/{tid}", json={"name": "Mine now"}, headers=bearer(token))
    assert r.status_code == 403
    assert error(r)["code"] == "system_template_read_only"
    r = client.delete(f"{BASE}/{tid}", headers=bearer(token))
    assert r.status_code == 403
    r = client.get(f"{BASE}/{tid}/config", headers=bearer(token))
    assert r.status_code == 200
    assert r.get_json()["config"] == items[0]["config"]
    assert r.get_json()["version"] == 1


# --------------------------------------------------------------------------- create


def test_create_and_read_my_template(client: FlaskClient, auth: AuthEmulator) -> None:
    token = auth.sign_up("cre@example.com")
    r = create(client, token)
    assert r.status_code == 201, r.get_json()
    out = r.get_json()
    assert out["owner_id"] == uid_of(token)
    assert out["is_system"] is False and out["is_public"] is False
    assert out["version"] == 1 and out["usage_count"] == 0
    assert out["tags"] == ["food", "tips"]
    assert out["can_edit"] is True
    got = client.get(f"{BASE}/{out['id']}", headers=bearer(token)).get_json()
    assert got == out
    mine = client.get(f"{BASE}/my", headers=bearer(token)).get_json()
    assert [i["id"] for i in mine["items"]] == [out["id"]]


def test_only_admins_create_system_templates(client: FlaskClient, auth: AuthEmulator) -> None:
    user = auth.sign_up("user@example.com")
    r = create(client, user, is_system=True)
    assert r.status_code == 403
    assert error(r)["code"] == "admin_only"
    assert stored_count() == 0
    admin = auth.sign_up("admin@example.com")
    make_admin(admin)
    r = create(client, admin, is_system=True, name="House style")
    assert r.status_code == 201
    out = r.get_json()
    assert out["is_system"] is True and out["owner_id"] is None
    # visible to everyone, editable by nobody else
    seen = client.get(f"{BASE}/{out['id']}", headers=bearer(user)).get_json()
    assert seen["can_edit"] is False


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "body.name"),
        ({"name": "   "}, "body.name"),
        ({"name": "x" * 81}, "body.name"),
        ({"description": "x" * 501}, "body.description"),
        ({"colour": "red"}, "body.colour"),
        ({"category": "cat-videos"}, "body.category"),
        ({"platforms": ["myspace"]}, "body.platforms.0"),
        ({"tags": ["x" * 41]}, "body.tags.0"),
        ({"tags": [f"t{i}" for i in range(21)]}, "body.tags"),
        ({"config": "fast"}, "body.config"),
        ({"is_public": "sometimes"}, "body.is_public"),
    ],
)
def test_bad_template_fields_are_422(
    client: FlaskClient, auth: AuthEmulator, overrides: dict[str, Any], field: str
) -> None:
    token = auth.sign_up("bad@example.com")
    r = create(client, token, **overrides)
    assert r.status_code == 422, r.get_json()
    details = error(r)["details"]
    assert any(d["field"] == field for d in details), details
    assert stored_count() == 0


def test_invalid_config_is_422_with_field_errors(client: FlaskClient, auth: AuthEmulator) -> None:
    token = auth.sign_up("cfg@example.com")

    def config_errors(patch: dict[str, Any]) -> dict[str, dict[str, Any]]:
        r = create(client, token, config=svc._merge(valid_config(), patch))
        assert r.status_code == 422, r.get_json()
        err = error(r)
        assert err["code"] == "invalid_template_config"
        return {d["field"]: d for d in err["details"]}

    # an invalid enum value names the field and every allowed value
    errors = config_errors({"video_structure": {"hook_style": "interpretive-dance"}})
    enum_error = errors["body.config.video_structure.hook_style"]
    assert "bold_claim" in enum_error["allowed"] and "question" in enum_error["allowed"]
    # an out-of-range duration gives the range
    errors = config_errors({"video_structure": {"duration": {"max_seconds": 9999}}})
    assert errors["body.config.video_structure.duration.max_seconds"]["max"] == 600
    # an oversized string gives its limit
    errors = config_errors({"script": {"script_structure_prompt": "x" * 2001}})
    assert errors["body.config.script.script_structure_prompt"]["max"] == 2000
    # a typo in a key is refused, listing the known keys
    errors = config_errors({"audio": {"voice_sped": 1.2}})
    assert "voice_speed" in errors["body.config.audio.voice_sped"]["allowed"]
    # several problems are reported together
    errors = config_errors({"audio": {"voice_speed": 9}, "visual_style": {"aspect_ratio": "4:3"}})
    assert {"body.config.audio.voice_speed", "body.config.visual_style.aspect_ratio"} <= set(errors)
    assert stored_count() == 0


def test_oversized_body_is_413(client: FlaskClient, auth: AuthEmulator) -> None:
    token = auth.sign_up("big@example.com")
    r = create(client, token, description="x" * 70_000)
    assert r.status_code == 413
    assert stored_count() == 0


# --------------------------------------------------------------------------- visibility


def test_private_templates_are_invisible_to_others(client: FlaskClient, auth: AuthEmulator) -> None:
    owner = auth.sign_up("own@example.com")
    other = auth.sign_up("oth@example.com")
    admin = auth.sign_up("adm@example.com")
    make_admin(admin)
    tid = create(client, owner).get_json()["id"]
    for token in (other, admin):
        for method, path, body in [
            ("GET", f"{BASE}/{tid}", None),
            ("GET", f"{BASE}/{tid}/config", None),
            ("PATCH", f"{BASE}/{tid}", {"name": "stolen"}),
            ("DELETE", f"{BASE}/{tid}", None),
            ("POST", f"{BASE}/{tid}/duplicate", None),
        ]:
            r = client.open(path, method=method, json=body, headers=bearer(token))
            assert r.status_code == 404, (method, path)
            assert error(r)["code"] == "template_not_found"
    listed = client.get(BASE, query_string={"limit": 100}, headers=bearer(other)).get_json()
    assert tid not in [i["id"] for i in listed["items"]]
    assert all(i["is_system"] for i in listed["items"])
    assert client.get(f"{BASE}/my", headers=bearer(other)).get_json()["items"] == []
    assert client.get(f"{BASE}/{tid}", headers=bearer(owner)).status_code == 200


def test_public_templates_are_visible_but_not_writable_by_others(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    owner = auth.sign_up("pub@example.com")
    other = auth.sign_up("rd@example.com")
    tid = create(client, owner, is_public=True).get_json()["id"]
    r = client.get(f"{BASE}/{tid}", headers=bearer(other))
    assert r.status_code == 200 and r.get_json()["can_edit"] is False
    r = client.patch(f"{BASE}/{tid}", json={"name": "mine"}, headers=bearer(other))
    assert r.status_code == 403
    assert error(r)["code"] == "not_template_owner"
    assert client.delete(f"{BASE}/{tid}", headers=bearer(other)).status_code == 403
    admin = auth.sign_up("mod@example.com")
    make_admin(admin)
    assert client.delete(f"{BASE}/{tid}", headers=bearer(admin)).status_code == 204


# --------------------------------------------------------------------------- list and filters


def test_list_filters_and_pages(client: FlaskClient, auth: AuthEmulator, seeded: list[str]) -> None:
    me = auth.sign_up("lister@example.com")
    other = auth.sign_up("sharer@example.com")
    create(client, me, name="Alpha cooking", category="educational", platforms=["youtube"])
    create(client, me, name="Beta", description="A SECRET recipe", category="product")
    create(
        client, other, name="Gamma public", category="educational", is_public=True, tags=["Baking"]
    )
    create(client, other, name="Delta private", category="educational")

    def names(**params: Any) -> list[str]:
        r = client.get(BASE, query_string=params, headers=bearer(me))
        assert r.status_code == 200, r.get_json()
        return [i["name"] for i in r.get_json()["items"]]

    everything = names(limit=100)
    system_names = sorted(s.name for s in svc.system_template_specs())
    assert everything == [
        *sorted(system_names, key=str.lower),
        "Alpha cooking",
        "Beta",
        "Gamma public",
    ]
    assert "Delta private" not in everything
    assert names(category="product", limit=100) == [
        s.name for s in svc.system_template_specs() if s.category == "product"
    ] + ["Beta"]
    assert names(platform="youtube") == [
        n for n in everything if n == "Alpha cooking" or n in _names_on("youtube")
    ]
    assert names(search="secret") == ["Beta"]  # description, case-insensitive
    assert names(search="BAKING") == ["Gamma public"]  # tags
    assert names(search="nothing-matches-this") == []

    # pages of 2 walk the same list without repeats or gaps
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        body = client.get(BASE, query_string=params, headers=bearer(me)).get_json()
        seen += [i["name"] for i in body["items"]]
        cursor = body["next_cursor"]
        assert body["has_more"] is (cursor is not None)
        if cursor is None:
            break
    assert seen == everything

    for bad in ({"category": "nope"}, {"platform": "myspace"}, {"limit": 0}, {"search": "x" * 101}):
        r = client.get(BASE, query_string=bad, headers=bearer(me))
        assert r.status_code == 422, bad
    r = client.get(BASE, query_string={"cursor": "garbage!"}, headers=bearer(me))
    assert r.status_code == 400
    assert error(r)["code"] == "invalid_cursor"


def _names_on(platform: str) -> set[str]:
    return {s.name for s in svc.system_template_specs() if platform in s.platforms}


# ------------------------------------------------------------------ update, delete, duplicate


def test_patch_merges_config_and_bumps_the_version(client: FlaskClient, auth: AuthEmulator) -> None:
    token = auth.sign_up("upd@example.com")
    out = create(client, token).get_json()
    r = client.patch(
        f"{BASE}/{out['id']}",
        json={"name": "Renamed", "is_public": True, "config": GOOD_PATCH},
        headers=bearer(token),
    )
    assert r.status_code == 200, r.get_json()
    got = r.get_json()
    assert got["name"] == "Renamed" and got["is_public"] is True
    assert got["version"] == 2
    assert got["description"] == out["description"]  # untouched
    assert got["config"]["audio"]["voice_speed"] == 1.5
    # the rest of the section is kept: the patch is merged, not a replacement
    for key, value in out["config"]["audio"].items():
        if key != "voice_speed":
            assert got["config"]["audio"][key] == value
    # a bad config change is refused and changes nothing
    r = client.patch(f"{BASE}/{out['id']}", json={"config": BAD_RANGE}, headers=bearer(token))
    assert r.status_code == 422
    assert error(r)["code"] == "invalid_template_config"
    again = client.get(f"{BASE}/{out['id']}", headers=bearer(token)).get_json()
    assert again["version"] == 2 and again["config"] == got["config"]
    for body in ({}, {"name": None}, {"category": "nope"}, {"name": "x" * 81}, {"nme": "a"}):
        r = client.patch(f"{BASE}/{out['id']}", json=body, headers=bearer(token))
        assert r.status_code == 422, body
    assert client.get(f"{BASE}/{out['id']}", headers=bearer(token)).get_json()["version"] == 2
    assert (
        client.patch(f"{BASE}/nope", json={"name": "a"}, headers=bearer(token)).status_code == 404
    )


def test_making_a_template_private_hides_it_again(client: FlaskClient, auth: AuthEmulator) -> None:
    owner = auth.sign_up("flip@example.com")
    other = auth.sign_up("watcher@example.com")
    tid = create(client, owner, is_public=True).get_json()["id"]
    assert client.get(f"{BASE}/{tid}", headers=bearer(other)).status_code == 200
    listed = client.get(BASE, query_string={"search": "cooking"}, headers=bearer(other))
    assert [i["id"] for i in listed.get_json()["items"]] == [tid]
    r = client.patch(f"{BASE}/{tid}", json={"is_public": False}, headers=bearer(owner))
    assert r.status_code == 200 and r.get_json()["is_public"] is False
    assert client.get(f"{BASE}/{tid}", headers=bearer(other)).status_code == 404
    listed = client.get(BASE, query_string={"search": "cooking"}, headers=bearer(other))
    assert listed.get_json()["items"] == []


def test_duplicate_makes_a_private_copy(
    client: FlaskClient, auth: AuthEmulator, seeded: list[str]
) -> None:
    token = auth.sign_up("dup@example.com")
    source = client.get(f"{BASE}/{seeded[0]}", headers=bearer(token)).get_json()
    r = client.post(f"{BASE}/{seeded[0]}/duplicate", headers=bearer(token))
    assert r.status_code == 201
    copy = r.get_json()
    assert copy["id"] != source["id"]
    assert copy["name"] == f"Copy of {source['name']}"
    assert copy["owner_id"] == uid_of(token)
    assert copy["is_system"] is False and copy["is_public"] is False
    assert copy["config"] == source["config"]
    assert copy["usage_count"] == 0 and copy["version"] == 1
    r = client.patch(f"{BASE}/{copy['id']}", json={"name": "Tuned"}, headers=bearer(token))
    assert r.status_code == 200


def test_delete(client: FlaskClient, auth: AuthEmulator, seeded: list[str]) -> None:
    token = auth.sign_up("del@example.com")
    tid = create(client, token).get_json()["id"]
    assert client.delete(f"{BASE}/{tid}", headers=bearer(token)).status_code == 204
    assert client.get(f"{BASE}/{tid}", headers=bearer(token)).status_code == 404
    assert client.delete(f"{BASE}/{tid}", headers=bearer(token)).status_code == 404
    admin = auth.sign_up("deladmin@example.com")
    make_admin(admin)
    r = client.delete(f"{BASE}/{seeded[0]}", headers=bearer(admin))
    assert r.status_code == 409
    assert error(r)["code"] == "seeded_template"


# --------------------------------------------------------------------------- admin


def test_seed_and_stats_are_admin_only(client: FlaskClient, auth: AuthEmulator) -> None:
    user = auth.sign_up("plain@example.com")
    assert client.post(f"{BASE}/seed", headers=bearer(user)).status_code == 403
    assert client.get(f"{BASE}/stats", headers=bearer(user)).status_code == 403
    admin = auth.sign_up("boss@example.com")
    make_admin(admin)
    r = client.post(f"{BASE}/seed", headers=bearer(admin))
    assert r.status_code == 200
    assert len(r.get_json()["inserted"]) == 5
    r = client.post(f"{BASE}/seed", headers=bearer(admin))
    assert r.get_json()["inserted"] == [] and len(r.get_json()["unchanged"]) == 5

    tid = create(client, user, category="product", is_public=True).get_json()["id"]
    for _ in range(3):
        svc.record_template_use(platform=get_platform(), template_id=tid)
    stats = client.get(f"{BASE}/stats", headers=bearer(admin)).get_json()
    assert stats["total"] == 6 and stats["system"] == 5 and stats["user"] == 1
    assert stats["public"] == 1
    system_products = sum(1 for s in svc.system_template_specs() if s.category == "product")
    assert stats["by_category"]["product"] == system_products + 1
    assert sum(stats["by_category"].values()) == 6
    assert stats["most_used"][0] == {
        "id": tid,
        "name": "My template",
        "usage_count": 3,
        "is_system": False,
    }


# a config change that breaks a range
BAD_RANGE = {"video_structure": {"duration": {"max_seconds": 9999}}}
GOOD_PATCH = {"audio": {"voice_speed": 1.5}}


# --------------------------------------------------------------------------- issue 18, finding 10


def test_a_null_description_is_refused_and_the_list_keeps_working(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    token = auth.sign_up("nulls@example.com")
    out = create(client, token).get_json()
    for field in ("description", "name", "tags", "platforms", "is_public", "config"):
        r = client.patch(f"{BASE}/{out['id']}", json={field: None}, headers=bearer(token))
        assert r.status_code == 422, (field, r.get_json())
        assert f"body.{field}" in [d["field"] for d in error(r)["details"]]
    listed = client.get(f"{BASE}/my", headers=bearer(token))
    assert listed.status_code == 200
    assert [t["description"] for t in listed.get_json()["items"]] == [out["description"]]


def test_a_stored_template_that_does_not_validate_is_skipped_and_reported(
    client: FlaskClient, auth: AuthEmulator
) -> None:
    token = auth.sign_up("broken@example.com")
    good = create(client, token, name="Good one").get_json()
    bad = create(client, token, name="Broken one").get_json()
    # what the old PATCH let through: a stored record the read model refuses
    get_platform().documents.document(f"templates/{bad['id']}").update({"description": None})
    for path in (f"{BASE}/my", BASE):
        r = client.get(path, headers=bearer(token))
        assert r.status_code == 200, r.get_json()
        page = r.get_json()
        ids = [t["id"] for t in page["items"]]
        assert good["id"] in ids and bad["id"] not in ids
        assert [s["id"] for s in page["skipped"]] == [bad["id"]]
        assert "description" in page["skipped"][0]["reason"]


def test_booleans_and_integers_are_strict(client: FlaskClient, auth: AuthEmulator) -> None:
    token = auth.sign_up("strict@example.com")
    r = create(client, token, is_system=0)
    assert r.status_code == 422, r.get_json()
    assert "body.is_system" in [d["field"] for d in error(r)["details"]]
    r = create(client, token, is_public="true")
    assert r.status_code == 422
    assert stored_count() == 0
