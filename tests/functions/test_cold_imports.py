"""Cold start guard: importing a function's module leaves the heavy modules unloaded.

No timing (bench/bench_coldstart.py prints the figures): each function's
`main.py` is imported in a fresh interpreter, as functions-framework loads it,
and the modules it pulled in are compared with the ones that only the code
that uses them may import (the OpenAI SDK, the render engine with numpy and
Pillow, the other pipeline steps, Stripe).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_SNIPPET = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("main", sys.argv[1])
module = importlib.util.module_from_spec(spec)
sys.modules["main"] = module
spec.loader.exec_module(module)
print(json.dumps(sorted(sys.modules)))
"""

#: Modules no function may load at import: they are imported where they are used.
NEVER_AT_IMPORT = ("openai", "httpx2", "numpy", "PIL", "synthora.media.assemble")
STEPS = ("script", "voice", "media", "video_ai", "assembly", "finalize")


def _loaded(function: str) -> set[str]:
    env = {**os.environ, "SYNTHORA_ENVIRONMENT": "local"}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "shared"), str(ROOT / "emulators"), env.get("PYTHONPATH", "")]
    )
    out = subprocess.run(
        [sys.executable, "-c", _SNIPPET, str(ROOT / "functions" / function / "main.py")],
        capture_output=True, text=True, env=env, cwd=ROOT, check=True, timeout=120,
    ).stdout  # fmt: skip
    return set(json.loads(out.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "function", ["health", "videos", "pipeline_assembly", "pipeline_script", "posts"]
)
def test_importing_a_function_loads_no_heavy_module(function: str) -> None:
    loaded = _loaded(function)
    assert "flask" in loaded and "synthora" in loaded  # the import really ran
    heavy = sorted(m for m in loaded for h in NEVER_AT_IMPORT if m == h or m.startswith(h + "."))
    assert heavy == [], f"{function} imports {heavy[:10]} at cold start"


@pytest.mark.parametrize("step", ["assembly", "script"])
def test_a_step_function_loads_no_step_module_until_it_runs(step: str) -> None:
    loaded = _loaded(f"pipeline_{step}")
    steps = sorted(s for s in STEPS if f"synthora.pipeline.steps.{s}" in loaded)
    assert steps == [], steps


def test_health_loads_neither_the_provider_registry_nor_stripe() -> None:
    loaded = _loaded("health")
    assert not {"synthora.providers.registry", "stripe"} & loaded
