"""Health: version, which adapter serves each port, and whether the store answers."""

from __future__ import annotations

from typing import Literal

import httpx
from pydantic import BaseModel, Field

from synthora import __version__
from synthora.logs import fields, get_logger
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
    auth_emulator_reachable: bool | None = Field(
        default=None,
        description="Local and test mode: whether the Firebase Auth emulator the API trusts "
        "answers (sign-in fails while it does not). Null when no Auth emulator is configured.",
    )
    emulators: list[str] = Field(
        default_factory=list,
        description="Emulator variables in effect (local and test mode only: outside them the "
        "functions refuse to serve, and every answer, this one included, is 503 misconfigured).",
    )


def check_health(*, platform: Platform) -> HealthReport:
    """Report on the platform.

    `degraded` when the document store does not answer, or (local and test mode)
    when the Auth emulator the API trusts does not: nobody can sign in then.
    """
    try:
        reachable = platform.documents.ping()
    except Exception:  # any failure to reach the store is the answer itself
        log.exception("document store unreachable")
        reachable = False
    auth_host = platform.settings.firebase_auth_emulator_host
    auth_up = auth_emulator_answers(auth_host, platform.settings.project_id) if auth_host else None
    if auth_up is False:
        log.warning("the Auth emulator does not answer", extra=fields(host=auth_host))
    return HealthReport(
        status="ok" if reachable and auth_up is not False else "degraded",
        version=__version__,
        environment=platform.settings.environment,
        adapters=Adapters(**platform.adapter_names()),
        store_reachable=reachable,
        auth_emulator_reachable=auth_up,
        emulators=platform.settings.emulators_in_use(),
    )


def auth_emulator_answers(host: str, project: str) -> bool:
    """Whether the Firebase Auth emulator itself (not anything on the port) answers."""
    try:
        response = httpx.get(f"http://{host}/emulator/v1/projects/{project}/config", timeout=1.0)
    except httpx.HTTPError:
        return False
    return response.status_code == 200 and "signIn" in response.text
