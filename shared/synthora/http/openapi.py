"""OpenAPI 3.1 document generated from the routers of every http function."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from synthora import __version__
from synthora.errors import ErrorResponse
from synthora.http.router import Route, Router

_ERROR_TEXT = {
    400: "Bad request: the body is not JSON (`invalid_json`), a cursor is not one this list"
    " issued (`invalid_cursor`), or a path id is malformed",
    401: "Not signed in, or the token is invalid or expired",
    403: "Signed in but not allowed (role, disabled account, or not yours to change)",
    404: "Not found (or not yours)",
    409: "Conflict with the current state",
    413: "Body too large",
    415: "Unsupported media type: send application/json",
    422: "Validation failed: `details` lists each field",
    429: "Too many requests: see Retry-After",
    503: "Temporarily unavailable: retry later",
}

#: The one id check (`synthora.ports.documents.is_document_id`) as a schema: ids
#: the platform issues are letters, digits, `_`, `-` and `.`, up to 128
#: characters; anything else in a path answers 404 (or 400), never 500.
ID_SCHEMA: dict[str, Any] = {
    "type": "string",
    "minLength": 1,
    "maxLength": 128,
    "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$",
}

#: The extension carrying each operation's declared access (`Router.route(auth=...)`).
ACCESS_EXTENSION = "x-synthora-access"
#: What a personal API token needs to call the operation (`router.token_scope_of`):
#: a scope of `synthora.security.personal_tokens.SCOPES`, or "session" (browser only).
TOKEN_SCOPE_EXTENSION = "x-synthora-token-scope"


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
                    "bearerFormat": "Firebase ID token or personal API token (syn_pat_...)",
                    "description": "A Firebase ID token (the web app), or a personal API "
                    "token created in Settings, limited to its scopes "
                    "(`x-synthora-token-scope` on each operation; docs/automation.md).",
                }
            },
        },
    }


def error_statuses(route: Route) -> set[int]:
    """Every error status the router (and the route's own `errors=`) can answer with."""
    codes = set(route.errors)
    codes.add(401)  # no token, or a token that is invalid or expired (public routes too)
    if route.auth != "public":
        codes.add(403)  # disabled account, role, or not the owner's to change
    if route.rate_limit is not None or route.auth in ("user", "owner", "premium", "admin"):
        # over the route's rate limit, or a personal token over its own (`Retry-After`)
        codes.add(429)
    if route.params:
        codes |= {400, 404}
    if route.query is not None:
        codes.add(422)
        if "cursor" in route.query.model_fields:
            codes.add(400)
    if route.body is not None:
        codes |= {400, 413, 415, 422}
    elif route.signature_header:
        codes |= {400, 413}  # a signature that does not match (or is missing)
    elif route.method in ("POST", "PUT", "PATCH"):
        codes.add(413)
    return codes


def _body_required(model: type[BaseModel]) -> bool:
    if getattr(model, "at_least_one", False):  # a PATCH body that must change something
        return True
    return any(info.is_required() for info in model.model_fields.values())


def _operation(router: Router, route: Route, ref: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": f"{router.group}-{route.name}",
        "tags": [router.group],
        "summary": route.summary or route.name.replace("_", " "),
    }
    if route.auth is not None:
        op[ACCESS_EXTENSION] = route.auth
    if route.token_scope is not None:
        op[TOKEN_SCOPE_EXTENSION] = route.token_scope
    if route.description:
        op["description"] = route.description
    params: list[dict[str, Any]] = [
        {"name": p, "in": "path", "required": True, "schema": dict(ID_SCHEMA)} for p in route.params
    ]
    if route.query is not None:
        params.extend(_query_parameters(route.query, schemas))
    if route.signature_header:
        params.append(
            {
                "name": route.signature_header,
                "in": "header",
                "required": True,
                "description": "The sender's signature of the exact body bytes "
                "(400 `invalid_signature` when it does not match).",
                "schema": {"type": "string", "minLength": 1, "maxLength": 4096},
            }
        )
    if params:
        op["parameters"] = params
    if route.body is not None:
        op["requestBody"] = {
            "required": _body_required(route.body),
            "content": {"application/json": {"schema": ref(route.body, "validation")}},
        }
    elif route.signature_header:
        op["requestBody"] = {
            "required": True,
            "description": "The event as the sender signed it, read as raw bytes.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    responses: dict[str, Any] = {}
    if route.media_type is not None:
        responses[str(route.status)] = {
            "description": "OK",
            "content": {route.media_type: {"schema": {"type": "string"}}},
        }
    elif isinstance(route.response, type) and issubclass(route.response, BaseModel):
        responses[str(route.status)] = {
            "description": "OK",
            "content": {"application/json": {"schema": ref(route.response, "serialization")}},
        }
    else:
        responses["204" if route.status == 200 else str(route.status)] = {"description": "Done"}
    for status in route.statuses:
        responses[str(status)] = dict(next(iter(responses.values())))
    error_schema = ref(ErrorResponse, "serialization")
    for code in sorted(error_statuses(route)):
        responses[str(code)] = {
            "description": _ERROR_TEXT.get(code, "Error"),
            "content": {"application/json": {"schema": error_schema}},
        }
    op["responses"] = responses
    if route.auth != "public":
        op["security"] = [{"firebase": []}]
    return op
