"""The emulator process itself: health, clock and fault injection through the control API."""

from __future__ import annotations

import httpx

from tests.conftest import PlatformEmulators


def test_health_names_the_service(platform_emulators: PlatformEmulators) -> None:
    body = httpx.get(f"{platform_emulators.url}/_emulator/health").json()
    assert body["service"] == "synthora-emulators"
    assert body["status"] == "ok"


def test_clock_moves_forward_only(platform_emulators: PlatformEmulators) -> None:
    before = httpx.get(f"{platform_emulators.url}/_emulator/clock").json()["now"]
    after = platform_emulators.control("clock", {"advance_s": 86_400})["now"]
    assert isinstance(after, float)
    assert after - before >= 86_400
    r = httpx.post(f"{platform_emulators.url}/_emulator/clock", json={"advance_s": -5})
    assert r.status_code == 400


def test_fault_rule_for_unknown_platform_is_refused(platform_emulators: PlatformEmulators) -> None:
    r = httpx.post(f"{platform_emulators.url}/_emulator/faults", json={"platform": "nope"})
    assert r.status_code == 400
    r = httpx.post(f"{platform_emulators.url}/_emulator/faults", json={"times": "many"})
    assert r.status_code == 400
