"""Loading the functions the manifest lists, as the local gateway and tools need them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from synthora.http.router import Router
from synthora.manifest import FunctionSpec, Manifest


def function_source(spec: FunctionSpec, functions_dir: Path) -> Path:
    path = functions_dir / spec.name / "main.py"
    if not path.is_file():
        raise FileNotFoundError(f"function {spec.name}: expected its module at {path}")
    return path


def create_function_app(spec: FunctionSpec, functions_dir: Path) -> Any:
    """The Flask app functions-framework builds for this function, as Cloud Run would."""
    import functions_framework

    return functions_framework.create_app(
        target=spec.entry_point, source=str(function_source(spec, functions_dir))
    )


def load_router(spec: FunctionSpec, functions_dir: Path) -> Router:
    """Import a function module under a unique name and return its `router`."""
    source = function_source(spec, functions_dir)
    module_name = f"synthora_functions.{spec.name}"
    module: ModuleType | None = sys.modules.get(module_name)
    if module is None:
        loader_spec = importlib.util.spec_from_file_location(module_name, source)
        if loader_spec is None or loader_spec.loader is None:
            raise ImportError(f"cannot load {source}")
        module = importlib.util.module_from_spec(loader_spec)
        sys.modules[module_name] = module
        loader_spec.loader.exec_module(module)
    router = getattr(module, "router", None)
    if not isinstance(router, Router):
        raise TypeError(f"function {spec.name} must define a module-level `router`")
    return router


def load_routers(manifest: Manifest, functions_dir: Path) -> list[Router]:
    return [load_router(spec, functions_dir) for spec in manifest.functions]


def build_openapi_document(manifest: Manifest, functions_dir: Path) -> dict[str, Any]:
    from synthora.http.openapi import build_openapi

    http = [s for s in manifest.functions if s.kind == "http"]
    return build_openapi([load_router(s, functions_dir) for s in http])
