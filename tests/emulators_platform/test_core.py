"""The emulator process itself: health, clock and fault injection through the control API."""

from __future__ import annotations

import time

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


def test_fault_rules_count_down_and_are_listed(platform_emulators: PlatformEmulators) -> None:
    base = f"{platform_emulators.url}/_emulator/faults"
    r = httpx.post(
        base, json={"platform": "tiktok", "path": "/v2/user/*", "status": 503, "times": 2}
    )
    assert r.status_code == 201
    assert [rule["times"] for rule in httpx.get(base).json()["pending"]] == [2]
    url = platform_emulators.base("tiktok") + "/v2/user/info/"
    assert [httpx.get(url).status_code for _ in range(3)] == [503, 503, 401]
    listing = httpx.get(base).json()
    assert listing["pending"] == [] and len(listing["fired"]) == 2
    httpx.post(base, json={"platform": "tiktok", "kind": "delay", "delay_s": 0.3})
    started = time.monotonic()
    assert httpx.get(url).status_code == 401  # delayed, then answered normally
    assert time.monotonic() - started >= 0.3
    assert httpx.delete(base).json() == {"cleared": True}
