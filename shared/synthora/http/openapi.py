"""OpenAPI 3.1 document generated from the routers of every http function."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from synthora import __version__
from synthora.errors import ErrorResponse
from synthora.http.router import Route, Router

_ERROR_TEXT = {
    400: "Bad request",
    401: "Not signed in or invalid token",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    413: "Body too large",
    415: "Unsupported media type",
    422: "Validation failed",
    429: "Too many requests",
}


def _models(routers: list[Router]) -> list[type[BaseModel]]:
    seen: dict[str, type[BaseModel]] = {}
    for router in routers:
        for route in router.routes:
            for model in (route.body, route.query, route.response):
                if isinstance(model, type) and issubclass(model, BaseModel):
                    seen[f"{model.__module__}.{model.__qualname__}"] = model
    seen["synthora.errors.ErrorResponse"] = ErrorResponse
    return list(seen.values())


def _query_parameters(model: type[BaseModel], schemas: dict[str, Any]) -> list[dict[str, Any]]:
    params = []
    full = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, prop in (full.get("properties") or {}).items():
        info = model.model_fields[name]
        params.append(
            {
                "name": name,
                "in": "query",
                "required": info.is_required(),
                "schema": prop,
                **({"description": info.description} if info.description else {}),
            }
        )
    for name, schema in (full.get("$defs") or {}).items():
        schemas.setdefault(name, schema)
    return params


def build_openapi(routers: list[Router], *, title: str = "Synthora API") -> dict[str, Any]:
    """Merge the public routes of every router into one OpenAPI 3.1 document."""
    public = [r for r in routers]
    models = _models(public)
    keyed = [(m, "validation") for m in models] + [(m, "serialization") for m in models]
    refs, defs = models_json_schema(keyed, ref_template="#/components/schemas/{model}")
    schemas: dict[str, Any] = dict(defs.get("$defs", {}))

    def ref(model: type[BaseModel], mode: str) -> dict[str, Any]:
        return dict(refs[(model, mode)])  # type: ignore[index]

    paths: dict[str, Any] = {}
    tags = []
    for router in public:
        visible = [r for r in router.routes if r.auth != "internal"]
        if not visible:
            continue
        tags.append({"name": router.group, "description": router.description})
        for route in visible:
            paths.setdefault(route.path, {})[route.method.lower()] = _operation(
                router, route, ref, schemas
            )
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": __version__},
        "servers": [{"url": "/"}],
        "tags": tags,
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {
                "firebase": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "Firebase ID token",
                }
            },
        },
    }


def _operation(router: Router, route: Route, ref: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": f"{router.group}-{route.name}",
        "tags": [router.group],
        "summary": route.summary or route.name.replace("_", " "),
    }
    if route.description:
        op["description"] = route.description
    params: list[dict[str, Any]] = [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
        for p in route.params
    ]
    if route.query is not None:
        params.extend(_query_parameters(route.query, schemas))
    if params:
        op["parameters"] = params
    if route.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(route.body, "validation")}},
        }
    responses: dict[str, Any] = {}
    if isinstance(route.response, type) and issubclass(route.response, BaseModel):
        responses[str(route.status)] = {
            "description": "OK",
            "content": {"application/json": {"schema": ref(route.response, "serialization")}},
        }
    else:
        responses["204" if route.status == 200 else str(route.status)] = {"description": "Done"}
    error_codes = set(route.errors) | {422} if (route.body or route.query) else set(route.errors)
    if route.auth != "public":
        error_codes |= {401, 403}
    if route.params:
        error_codes.add(404)
    error_schema = ref(ErrorResponse, "serialization")
    for code in sorted(error_codes):
        responses[str(code)] = {
            "description": _ERROR_TEXT.get(code, "Error"),
            "content": {"application/json": {"schema": error_schema}},
        }
    op["responses"] = responses
    if route.auth != "public":
        op["security"] = [{"firebase": []}]
    return op
