"""Faults injected into pipeline steps, for chaos runs on a local platform only.

`make chaos` (tests/chaos/) starts the gateway with

    SYNTHORA_CHAOS_FAULT_RATE=0.3   # share of step deliveries that meet a provider fault
    SYNTHORA_CHAOS_SEED=7           # the faults drawn are reproducible per task delivery

and each step delivery then, with that probability, meets what a provider does
on a bad day before its real work runs: a 500, a 429 with `Retry-After`, a
timeout (after a short wait), or, rarely, a permanent 400. They are raised as
`ProviderError`, exactly as the provider modules raise them, so the runner's
retry and failure handling is what is exercised. Each fault is appended to
`<data dir>/chaos-faults.jsonl` so the run can count them.

Outside the `local` and `test` environments the variables are ignored (and
logged): production never injects faults.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from synthora.logs import fields, get_logger
from synthora.providers.errors import ProviderError

log = get_logger(__name__)

RATE_VAR = "SYNTHORA_CHAOS_FAULT_RATE"
SEED_VAR = "SYNTHORA_CHAOS_SEED"
FAULTS_FILE = "chaos-faults.jsonl"

#: (kind, share of faults)
KINDS: tuple[tuple[str, float], ...] = (
    ("server_error", 0.4),
    ("rate_limited", 0.3),
    ("timeout", 0.25),
    ("permanent", 0.05),
)

_lock = threading.Lock()


def _draw(seed: str, key: str) -> float:
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def fault_rate() -> float:
    """The configured fault rate, 0 when off or when not on a local/test platform."""
    raw = os.environ.get(RATE_VAR)
    if not raw:
        return 0.0
    from synthora.settings import get_settings

    environment = get_settings().environment
    if environment not in ("local", "test"):
        log.warning(
            "chaos faults are ignored outside local and test", extra=fields(env=environment)
        )
        return 0.0
    return min(max(float(raw), 0.0), 1.0)


def with_faults(step: str, work: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`work` for `step`, meeting a provider fault first when the dice say so."""

    def run(step_run: Any) -> Any:
        rate = fault_rate()
        if rate > 0:
            task = step_run.task
            key = f"{step}:{task.video_id}:{task.generation}:{task.poll}:{step_run.retry_count}"
            seed = os.environ.get(SEED_VAR, "0")
            if _draw(seed, key) < rate:
                _inject(step, key, _draw(seed, key + ":kind"), step_run)
        return work(step_run)

    return run


def _inject(step: str, key: str, dice: float, step_run: Any) -> None:
    kind = KINDS[-1][0]
    total = 0.0
    for name, share in KINDS:
        total += share
        if dice < total:
            kind = name
            break
    _record(step_run, {"step": step, "key": key, "kind": kind, "at": time.time()})
    provider = f"chaos-{step}"
    if kind == "server_error":
        raise ProviderError(
            "injected: the provider answered 500", provider=provider, status_code=500
        )
    if kind == "rate_limited":
        raise ProviderError(
            "injected: too many requests", provider=provider, status_code=429, retry_after_s=1
        )
    if kind == "timeout":
        time.sleep(0.5)
        raise ProviderError("injected: the provider timed out", provider=provider, code="timeout")
    raise ProviderError(
        "injected: the provider refused the request for good", provider=provider, status_code=400
    )


def _record(step_run: Any, entry: dict[str, Any]) -> None:
    path = step_run.platform.settings.data_dir / FAULTS_FILE
    with _lock, path.open("a") as out:
        out.write(json.dumps(entry) + "\n")
