"""Expiring data: what a module declares so the daily cleanup removes it.

The owner of a kind of expiring data declares a `CleanupTarget`; the cleanup
service lists every target explicitly (`services.cleanup.CLEANUP_TARGETS`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from synthora.platform import Platform
from synthora.ports.documents import Snapshot


class CleanupTarget(BaseModel):
    """A collection (or collection group) whose documents expire."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{1,40}$")
    collection: str
    collection_group: bool = False
    expires_field: str = "expires_at"
    blob_fields: list[str] = Field(
        default_factory=list,
        description="Fields holding a blob key, a list of keys, or a prefix ending in '/'.",
    )
    batch_size: int = Field(default=200, ge=1, le=500)
    on_delete: Callable[[Platform, Snapshot], int] | None = Field(
        default=None,
        exclude=True,
        description="Removes extra data a record owns; returns how many blobs it removed.",
    )
    settle: Callable[[Platform, Snapshot], int] | None = Field(
        default=None,
        exclude=True,
        description="Instead of deleting: settles an expired record (e.g. marks it expired) "
        "and clears its expiry field; returns how many blobs it removed.",
    )

    model_config = ConfigDict(arbitrary_types_allowed=True)


def default_expiry(*, days: int, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) + timedelta(days=days)
