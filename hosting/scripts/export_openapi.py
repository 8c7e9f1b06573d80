"""Export hosting/openapi.json from the backend, for `npm run gen:api`.

    /work/main/.venv/bin/python hosting/scripts/export_openapi.py [--preview]

1. The document the backend itself exports (`synthora.local.export_openapi`):
   every http function in functions/manifest.toml.
2. `TemplateConfig` (synthora.templates.config) added to components, so the
   template editor's selects come from the backend's enums. The API types a
   template's `config` as a free object; this names its real shape.
3. `--preview`: function folders that exist but are not in the manifest yet
   (e.g. `videos` while its pipeline lands) are loaded too, with modules they
   import that do not exist yet stubbed out (only their routes' models matter).
4. Paths from scripts/openapi-seed.json (auth) whose group the backend does not
   export yet, so the app's sign-in keeps compiling until that group lands.

Once every group is in the manifest, steps 3-4 add nothing.
"""

from __future__ import annotations

import importlib
import json
import sys
import types
from pathlib import Path
from typing import Any

from synthora.http.openapi import build_openapi
from synthora.http.router import Router
from synthora.local.functions import load_router
from synthora.manifest import FunctionSpec, load_manifest
from synthora.settings import REPO_ROOT

HOSTING = Path(__file__).resolve().parent.parent
FUNCTIONS = REPO_ROOT / "functions"


class _Stub(types.ModuleType):
    def __getattr__(self, name: str) -> Any:  # any attribute: a do-nothing callable
        if name.startswith("__"):
            raise AttributeError(name)
        return lambda *a, **k: None


def _load_unlisted(name: str) -> Router:
    spec = FunctionSpec.model_construct(name=name, kind="http", entry_point=name)
    for _ in range(10):
        try:
            return load_router(spec, FUNCTIONS)
        except ImportError as exc:
            missing = exc.name or ""
            if not isinstance(exc, ModuleNotFoundError):  # `from pkg import missing`
                missing = missing + "." + str(exc).split("'")[1]
            if not missing.startswith("synthora."):
                raise
            sys.modules.pop(f"synthora_functions.{name}", None)
            stub = _Stub(missing)
            sys.modules[missing] = stub
            parent, _, child = missing.rpartition(".")
            setattr(importlib.import_module(parent), child, stub)
    raise RuntimeError(f"could not load {name}")


def main(argv: list[str]) -> int:
    preview = "--preview" in argv
    manifest = load_manifest(FUNCTIONS / "manifest.toml")
    listed = {s.name for s in manifest.functions}
    routers = [load_router(s, FUNCTIONS) for s in manifest.functions if s.kind == "http"]
    if preview:
        for folder in sorted(FUNCTIONS.iterdir()):
            if folder.name not in listed and (folder / "main.py").is_file():
                try:
                    routers.append(_load_unlisted(folder.name))
                    sys.stderr.write(f"preview: included unlisted function {folder.name}\n")
                except Exception as exc:  # a folder still being written: leave it out
                    sys.stderr.write(f"preview: skipped {folder.name}: {exc}\n")
    doc = build_openapi(routers)
    schemas = doc["components"]["schemas"]

    from synthora.templates.config import TemplateConfig

    config_schema = TemplateConfig.model_json_schema(ref_template="#/components/schemas/{model}")
    for key, value in config_schema.pop("$defs", {}).items():
        schemas.setdefault(key, value)
    schemas.setdefault("TemplateConfig", config_schema)

    seed = json.loads((HOSTING / "scripts" / "openapi-seed.json").read_text())
    groups = {"/".join(p.split("/")[:4]) for p in doc["paths"]}
    added = []
    for path, item in seed["paths"].items():
        if "/".join(path.split("/")[:4]) not in groups:
            doc["paths"][path] = item
            added.append(path)
    if added:
        for key, value in seed["components"]["schemas"].items():
            schemas.setdefault(key, value)
        for key, value in seed["components"].get("responses", {}).items():
            doc["components"].setdefault("responses", {}).setdefault(key, value)
    if added:
        sys.stderr.write(f"seed: kept {', '.join(added)} (not exported by the backend yet)\n")
    doc["paths"] = dict(sorted(doc["paths"].items()))
    doc["components"]["schemas"] = dict(sorted(schemas.items()))
    (HOSTING / "openapi.json").write_text(json.dumps(doc, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
