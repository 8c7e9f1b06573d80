"""Benchmark: GET /api/v1/health through the gateway vs a bare functions-framework app.

Both serve the same function with the same gunicorn settings; `hey` (Debian)
generates the load on loopback. Rounds alternate between the two servers and
the median round is reported. Goal: gateway requests/s >= 0.8 x bare.

    make bench                      # or: .venv/bin/python bench/bench_gateway.py --seconds 8
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, timeout_s: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer")


def run_hey(url: str, seconds: int, concurrency: int) -> tuple[float, float, int]:
    out = subprocess.run(
        ["hey", "-z", f"{seconds}s", "-c", str(concurrency), "-o", "csv", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    ok = [r for r in rows if r["status-code"] == "200"]
    latencies = sorted(float(r["response-time"]) for r in ok)
    if not latencies:
        raise RuntimeError("no successful responses")
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    return len(ok) / seconds, p95 * 1000, len(rows) - len(ok)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("hey"):
        print("installing the load generator `hey` (Debian package)...")
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "hey"], check=True, stdout=subprocess.DEVNULL
        )

    data = Path(tempfile.mkdtemp(prefix="synthora-bench-"))
    env = {
        **os.environ,
        "SYNTHORA_ENVIRONMENT": "local",
        "SYNTHORA_DATA_DIR": str(data),
        "SYNTHORA_LOG_LEVEL": "WARNING",
        "SYNTHORA_ENV_FILE": "",
    }
    env.pop("FIREBASE_AUTH_EMULATOR_HOST", None)
    bare_port, gw_port = free_port(), free_port()
    procs = [
        subprocess.Popen(
            [
                str(Path(PY).with_name("functions-framework")),
                "--target",
                "health",
                "--source",
                str(ROOT / "functions/health/main.py"),
                "--host",
                "127.0.0.1",
                "--port",
                str(bare_port),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [
                PY,
                "-m",
                "synthora.local.gateway",
                "--no-auth-emulator",
                "--no-platform-emulators",
                "--port",
                str(gw_port),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        bare_url = f"http://127.0.0.1:{bare_port}/api/v1/health"
        gw_url = f"http://127.0.0.1:{gw_port}/api/v1/health"
        wait_ready(bare_url)
        wait_ready(gw_url)
        for url in (bare_url, gw_url):  # warm up
            run_hey(url, 2, args.concurrency)
        bare, gateway = [], []
        for i in range(args.rounds):
            bare.append(run_hey(bare_url, args.seconds, args.concurrency))
            gateway.append(run_hey(gw_url, args.seconds, args.concurrency))
            print(
                f"round {i + 1}: bare {bare[-1][0]:8.0f} req/s p95 {bare[-1][1]:6.1f} ms | "
                f"gateway {gateway[-1][0]:8.0f} req/s p95 {gateway[-1][1]:6.1f} ms"
            )
        b_rps = statistics.median(r[0] for r in bare)
        g_rps = statistics.median(r[0] for r in gateway)
        b_p95 = statistics.median(r[1] for r in bare)
        g_p95 = statistics.median(r[1] for r in gateway)
        errors = sum(r[2] for r in bare + gateway)
        print()
        print(
            f"GET /api/v1/health, {args.concurrency} connections, {args.seconds} s x "
            f"{args.rounds} rounds (median), {os.cpu_count()} cores"
        )
        print(f"  bare functions-framework : {b_rps:8.0f} req/s   p95 {b_p95:6.1f} ms")
        print(f"  local gateway            : {g_rps:8.0f} req/s   p95 {g_p95:6.1f} ms")
        print(f"  ratio gateway/bare       : {g_rps / b_rps:8.2f}   (goal >= 0.80)")
        print(f"  p95 ratio gateway/bare   : {g_p95 / b_p95:8.2f}")
        print(f"  non-200 responses        : {errors}")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(10)
        shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
