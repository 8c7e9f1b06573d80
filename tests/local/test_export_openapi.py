import json
from pathlib import Path

from synthora.local.export_openapi import main
from synthora.settings import REPO_ROOT


def test_the_web_clients_openapi_document_is_current(tmp_path: Path) -> None:
    target = tmp_path / "openapi.json"
    assert main([str(target)]) == 0
    fresh = json.loads(target.read_text())
    committed = json.loads((REPO_ROOT / "hosting" / "openapi.json").read_text())
    assert committed == fresh, "hosting/openapi.json is stale: run `make openapi`"
