"""The merged OpenAPI 3.1 document of every http function."""

from synthora.local.functions import build_openapi_document
from synthora.manifest import load_manifest
from synthora.settings import REPO_ROOT


def _doc() -> dict:  # type: ignore[type-arg]
    return build_openapi_document(
        load_manifest(REPO_ROOT / "functions" / "manifest.toml"), REPO_ROOT / "functions"
    )


def test_document_is_openapi_31_with_stable_operation_ids() -> None:
    doc = _doc()
    assert doc["openapi"] == "3.1.0"
    ids = [op["operationId"] for path in doc["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids)), "operation ids must be unique"
    assert "health-get" in ids and "videos-create" in ids and "templates-list" in ids
    for path in doc["paths"]:
        assert path.startswith("/api/v1/")


def test_every_ref_resolves_and_errors_use_the_error_body() -> None:
    doc = _doc()
    schemas = doc["components"]["schemas"]
    text = str(doc)
    import re

    for name in re.findall(r"#/components/schemas/([A-Za-z0-9_.\-\[\]]+)", text):
        assert name in schemas, f"dangling $ref {name}"
    create = doc["paths"]["/api/v1/videos"]["post"]
    assert create["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"
    }
    assert create["security"] == [{"firebase": []}]
    assert "security" not in doc["paths"]["/api/v1/health"]["get"]


def test_internal_task_functions_are_not_published() -> None:
    doc = _doc()
    assert all(not p.startswith("/_fn") and p != "/" for p in doc["paths"])
