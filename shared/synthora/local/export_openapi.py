"""Write the merged OpenAPI document (for the web app's generated client).

python -m synthora.local.export_openapi hosting/openapi.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from synthora.local.functions import build_openapi_document
from synthora.manifest import load_manifest
from synthora.settings import REPO_ROOT


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    target = Path(args[0]) if args else REPO_ROOT / "hosting" / "openapi.json"
    manifest = load_manifest(REPO_ROOT / "functions" / "manifest.toml")
    document = build_openapi_document(manifest, REPO_ROOT / "functions")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(document, indent=2, sort_keys=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
