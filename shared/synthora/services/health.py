"""Health: version, which adapter serves each port, and whether the store answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from synthora import __version__
from synthora.logs import get_logger
from synthora.platform import Platform

log = get_logger(__name__)


class Adapters(BaseModel):
    documents: str
    tasks: str
    blobs: str
    scheduler: str
    auth: str


class HealthReport(BaseModel):
    status: Literal["ok", "degraded"]
    version: str
    environment: str
    adapters: Adapters
    store_reachable: bool
    emulators: list[str] = Field(
        default_factory=list,
        description="Emulator variables in effect (local and test mode only: outside them the "
        "functions refuse to serve, and every answer, this one included, is 503 misconfigured).",
    )


def check_health(*, platform: Platform) -> HealthReport:
    """Report on the platform; `degraded` when the document store does not answer."""
    try:
        reachable = platform.documents.ping()
    except Exception:  # any failure to reach the store is the answer itself
        log.exception("document store unreachable")
        reachable = False
    return HealthReport(
        status="ok" if reachable else "degraded",
        version=__version__,
        environment=platform.settings.environment,
        adapters=Adapters(**platform.adapter_names()),
        store_reachable=reachable,
        emulators=platform.settings.emulators_in_use(),
    )
