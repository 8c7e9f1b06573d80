"""Benchmark: cold start of every function against a bare functions-framework app.

For each function of the manifest, a fresh interpreter imports its module
(`functions/<name>/main.py`, as functions-framework loads it) and reports the
import time; the baseline is a fresh interpreter importing `functions_framework`
and `flask` alone. Rounds alternate between the baseline and the functions and
the median of each is reported with its ratio (goal: <= 1.3 for every function).

With `--ready`, it also starts each HTTP function under functions-framework's own
server and measures the time from process start to the first answered request.

    make bench-coldstart            # or: .venv/bin/python bench/bench_coldstart.py --rounds 5
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
GOAL_RATIO = 1.3

_IMPORT_SNIPPET = """
import importlib.util, json, sys, time
t0 = time.perf_counter()
import functions_framework, flask
t1 = time.perf_counter()
path = sys.argv[1]
if path:
    spec = importlib.util.spec_from_file_location("main", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["main"] = module
    spec.loader.exec_module(module)
t2 = time.perf_counter()
print(json.dumps({"total": t2 - t0, "framework": t1 - t0, "modules": len(sys.modules)}))
"""


def _env() -> dict[str, str]:
    env = {**os.environ, "SYNTHORA_ENVIRONMENT": "local", "PYTHONDONTWRITEBYTECODE": "0"}
    env.setdefault("SYNTHORA_DATA_DIR", str(ROOT / ".synthora" / "bench-coldstart"))
    return env


def import_time(module_path: str) -> dict[str, float]:
    out = subprocess.run(
        [PY, "-c", _IMPORT_SNIPPET, module_path],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=ROOT,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ready_time(name: str, entry_point: str) -> float:
    import httpx

    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [
            PY,
            "-m",
            "functions_framework",
            "--target",
            entry_point,
            "--source",
            str(ROOT / "functions" / name / "main.py"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
        cwd=ROOT,
    )
    try:
        deadline = started + 60
        while time.perf_counter() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=0.5)
                return time.perf_counter() - started
            except httpx.HTTPError:
                time.sleep(0.01)
        raise TimeoutError(f"{name} never answered")
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--ready", action="store_true", help="also measure request-ready time")
    parser.add_argument("--only", nargs="*", help="function names to measure")
    args = parser.parse_args()

    manifest = tomllib.loads((ROOT / "functions" / "manifest.toml").read_text())
    functions = [f for f in manifest["functions"] if not args.only or f["name"] in set(args.only)]
    baseline: list[float] = []
    timings: dict[str, list[float]] = {f["name"]: [] for f in functions}
    modules: dict[str, float] = {}
    for _ in range(args.rounds):
        baseline.append(import_time("")["total"])
        for f in functions:
            result = import_time(str(ROOT / "functions" / f["name"] / "main.py"))
            timings[f["name"]].append(result["total"])
            modules[f["name"]] = result["modules"]
    base = statistics.median(baseline)
    print(f"bare functions-framework + flask import: {base * 1000:.0f} ms", end="")
    print(f" (median of {args.rounds})")
    print(f"{'function':<24}{'import ms':>10}{'ratio':>8}{'modules':>9}  goal <= {GOAL_RATIO}")
    worst = 0.0
    for f in functions:
        median = statistics.median(timings[f["name"]])
        ratio = median / base
        worst = max(worst, ratio)
        mark = "ok" if ratio <= GOAL_RATIO else "over"
        print(
            f"{f['name']:<24}{median * 1000:>10.0f}{ratio:>8.2f}{modules[f['name']]:>9.0f}  {mark}"
        )
    print(f"worst ratio: {worst:.2f} (goal <= {GOAL_RATIO})")
    if args.ready:
        print(f"\n{'http function':<24}{'ready ms':>10}")
        for f in functions:
            if f["kind"] != "http":
                continue
            print(f"{f['name']:<24}{ready_time(f['name'], f['entry_point']) * 1000:>10.0f}")


if __name__ == "__main__":
    main()
