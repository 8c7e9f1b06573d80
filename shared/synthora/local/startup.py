"""Work the platform does once when a process starts (idempotent seeding).

The hooks are listed here explicitly; nothing registers itself by being
imported. A hook takes the platform and must be safe to run again.
"""

from __future__ import annotations

from collections.abc import Callable

from synthora.logs import fields, get_logger
from synthora.platform import Platform, get_platform
from synthora.services.templates import seed_at_startup

log = get_logger(__name__)

#: (name, hook) in the order they run.
STARTUP_HOOKS: tuple[tuple[str, Callable[[Platform], object]], ...] = (
    ("seed_templates", seed_at_startup),
)


def run_startup(platform: Platform | None = None) -> list[str]:
    """Run every hook; a failing hook is logged and does not stop the others."""
    platform = platform or get_platform()
    ran: list[str] = []
    for name, hook in STARTUP_HOOKS:
        try:
            hook(platform)
            ran.append(name)
        except Exception:
            log.exception("start-up hook failed", extra=fields(hook=name))
    return ran
