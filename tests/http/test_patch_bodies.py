"""Every PATCH route tells "absent" from "null", in the code and in the document."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from synthora.http.bodies import PatchBody
from synthora.http.router import Route
from synthora.local.functions import load_routers
from synthora.manifest import load_manifest
from synthora.settings import REPO_ROOT
from tests.support.openapi import document

PATCH_ROUTES: list[tuple[str, Route]] = [
    (f"{router.group}-{route.name}", route)
    for router in load_routers(
        load_manifest(REPO_ROOT / "functions" / "manifest.toml"), REPO_ROOT / "functions"
    )
    for route in router.routes
    if route.method == "PATCH"
]


def test_there_are_patch_routes_to_check() -> None:
    assert len(PATCH_ROUTES) >= 6


@pytest.mark.parametrize(("operation", "route"), PATCH_ROUTES, ids=[o for o, _ in PATCH_ROUTES])
def test_patch_bodies_refuse_null_where_a_value_is_required(operation: str, route: Route) -> None:
    body = route.body
    assert body is not None and issubclass(body, PatchBody), (
        f"{operation}: a PATCH body subclasses synthora.http.bodies.PatchBody"
    )
    schema = document()["components"]["schemas"][body.__name__]
    for name in body.model_fields:
        prop = schema["properties"][name]
        nullable = {"type": "null"} in prop.get("anyOf", []) or prop.get("type") == "null"
        if name in body.nullable_fields:
            assert nullable, f"{operation}.{name} is declared nullable; the schema must say so"
            continue
        assert not nullable, f"{operation}.{name}: the schema must not allow null"
        with pytest.raises(ValidationError) as err:
            body.model_validate_json(f'{{"{name}": null}}', strict=True)
        assert [e["type"] for e in err.value.errors()] == ["null_not_allowed"], err.value


def test_an_empty_update_is_refused_where_declared_and_documented() -> None:
    from synthora.services.templates import UpdateTemplateRequest

    with pytest.raises(ValidationError):
        UpdateTemplateRequest.model_validate({})
    schema = document()["components"]["schemas"]["UpdateTemplateRequest"]
    assert schema["minProperties"] == 1


def test_a_date_time_field_takes_a_date_time_string_as_the_router_validates() -> None:
    """The router validates strict JSON: a null check run on the raw input would turn that
    into Python validation, where a date-time string is no `datetime` (schemathesis found
    `PATCH /posts/{id}` refusing every `scheduled_at`)."""
    checked = 0
    for operation, route in PATCH_ROUTES:
        body = route.body
        assert body is not None
        for name, info in body.model_fields.items():
            if "datetime" not in str(info.annotation):
                continue
            value = body.model_validate_json(f'{{"{name}": "2030-01-02T03:04:05Z"}}', strict=True)
            assert getattr(value, name).year == 2030, operation
            checked += 1
    assert checked >= 1  # PATCH /posts/{id} has scheduled_at
