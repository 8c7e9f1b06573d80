"""Reading the OpenAPI document in tests: operations, and a minimal valid body per schema."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from synthora.http.openapi import ACCESS_EXTENSION, TOKEN_SCOPE_EXTENSION
from synthora.local.functions import build_openapi_document
from synthora.manifest import load_manifest
from synthora.settings import REPO_ROOT

METHODS = ("get", "post", "put", "patch", "delete")


def document() -> dict[str, Any]:
    """The document the gateway serves, built from the real manifest."""
    return build_openapi_document(
        load_manifest(REPO_ROOT / "functions" / "manifest.toml"), REPO_ROOT / "functions"
    )


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str  # upper case
    path: str  # template, e.g. /api/v1/templates/{template_id}
    access: str | None
    spec: dict[str, Any]

    @property
    def token_scope(self) -> str | None:
        """What a personal API token needs to call it ("session": no token may)."""
        value = self.spec.get(TOKEN_SCOPE_EXTENSION)
        return str(value) if value is not None else None

    @property
    def params(self) -> list[str]:
        return re.findall(r"\{([a-z_][a-z0-9_]*)\}", self.path)

    def url(self, values: dict[str, str]) -> str:
        return re.sub(r"\{([a-z_][a-z0-9_]*)\}", lambda m: values[m.group(1)], self.path)

    def body_schema(self) -> dict[str, Any] | None:
        body = self.spec.get("requestBody")
        if not body:
            return None
        return dict(body["content"]["application/json"]["schema"])


def operations(doc: dict[str, Any]) -> Iterator[Operation]:
    for path, item in doc["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is not None:
                yield Operation(
                    operation_id=op["operationId"],
                    method=method.upper(),
                    path=path,
                    access=op.get(ACCESS_EXTENSION),
                    spec=op,
                )


def minimal_instance(schema: dict[str, Any], doc: dict[str, Any]) -> Any:
    """A small value valid against `schema`: required fields only (one more if at least one
    property is required), the first enum value, the smallest length. Deterministic."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return minimal_instance(doc["components"]["schemas"][name], doc)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"]
            return minimal_instance(options[0], doc)
    kind = schema.get("type", "object")
    if kind == "object":
        props: dict[str, Any] = schema.get("properties") or {}
        names = list(schema.get("required") or [])
        for name in props:
            if len(names) >= int(schema.get("minProperties", 0)):
                break
            if name not in names:
                names.append(name)
        return {name: minimal_instance(props[name], doc) for name in names}
    if kind == "array":
        return [minimal_instance(schema.get("items") or {}, doc)] * int(schema.get("minItems", 0))
    if kind == "string":
        if schema.get("format") == "uri":
            return "https://example.com/a.png"
        return "x" * max(int(schema.get("minLength", 0)), 1)
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    return None
