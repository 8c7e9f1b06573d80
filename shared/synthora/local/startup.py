"""Work the platform does once when a process starts (idempotent seeding)."""

from __future__ import annotations

from collections.abc import Callable

from synthora.logs import fields, get_logger
from synthora.platform import Platform, get_platform

log = get_logger(__name__)

_hooks: list[tuple[str, Callable[[Platform], object]]] = []


def on_startup(name: str) -> Callable[[Callable[[Platform], object]], Callable[[Platform], object]]:
    """Register an idempotent start-up hook (e.g. seeding system templates)."""

    def decorator(fn: Callable[[Platform], object]) -> Callable[[Platform], object]:
        if all(existing != name for existing, _ in _hooks):
            _hooks.append((name, fn))
        return fn

    return decorator


def run_startup(platform: Platform | None = None) -> list[str]:
    """Run every hook; a failing hook is logged and does not stop the others."""
    platform = platform or get_platform()
    ran: list[str] = []
    for name, hook in _hooks:
        try:
            hook(platform)
            ran.append(name)
        except Exception:
            log.exception("start-up hook failed", extra=fields(hook=name))
    return ran
