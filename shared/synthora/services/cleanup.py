"""Daily cleanup: expired records and the blobs they own.

Each kind of expiring data is a `CleanupTarget` (`services/expiry.py`) declared
by the module that owns the data and listed explicitly in `CLEANUP_TARGETS`. The cron function
enqueues one task per target, named by target and day so a second cron run the
same day adds nothing. Each task deletes one batch (records and their blobs)
and, while more remain, enqueues the next batch under a deterministic name.
Deleting is idempotent, so a duplicate delivery is harmless.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, Field

from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import Snapshot
from synthora.ports.tasks import task_name
from synthora.services import (
    api_tokens,
    notifications,
    social_accounts,
    storyboard,
    user_deletion,
    videos,
)
from synthora.services.billing import webhooks as stripe_events
from synthora.services.expiry import CleanupTarget

log = get_logger(__name__)

WORKER = "cleanup_worker"


class CleanupTask(BaseModel):
    target: str
    run_id: str = Field(pattern=r"^[0-9]{8}$", description="The day the run started, YYYYMMDD.")
    page: int = Field(default=0, ge=0)
    now: datetime | None = Field(default=None, description="Cut-off; the run's start time.")


class CleanupBatchResult(BaseModel):
    target: str
    records_deleted: int
    blobs_deleted: int
    more: bool
    next_task: str | None = None


class CleanupPlan(BaseModel):
    run_id: str
    enqueued: list[str]
    already_enqueued: list[str]


#: OAuth state records are short-lived by design (social connect flows).
OAUTH_STATES = CleanupTarget(name="oauth_states", collection="oauth_states")

#: Rate-limit counters (synthora.http.rate_limits): one per key and window.
RATE_LIMITS = CleanupTarget(name="rate_limits", collection="rate_limits")

#: Every kind of expiring data, listed explicitly (the owners declare theirs).
CLEANUP_TARGETS: tuple[CleanupTarget, ...] = (
    OAUTH_STATES,
    RATE_LIMITS,
    stripe_events.CLEANUP_TARGET,
    videos.CLEANUP_TARGET,
    storyboard.REVIEW_CLEANUP_TARGET,
    notifications.CLEANUP_TARGET,
    social_accounts.CLEANUP_TARGET,
    user_deletion.CLEANUP_TARGET,
    api_tokens.CLEANUP_TARGET,
)
TARGETS: dict[str, CleanupTarget] = {target.name: target for target in CLEANUP_TARGETS}


def registered_targets() -> dict[str, CleanupTarget]:
    return dict(TARGETS)


def plan_cleanup(*, platform: Platform, now: datetime | None = None) -> CleanupPlan:
    """Enqueue the first batch of every target (once per day)."""
    now = now or datetime.now(UTC)
    run_id = now.strftime("%Y%m%d")
    enqueued: list[str] = []
    existing: list[str] = []
    for target in sorted(TARGETS):
        name = task_name("cleanup", target, run_id, 0)
        result = platform.tasks.enqueue(
            function=WORKER,
            payload=CleanupTask(target=target, run_id=run_id, page=0, now=now),
            name=name,
        )
        (enqueued if result.created else existing).append(name)
    log.info("cleanup planned", extra=fields(run_id=run_id, enqueued=len(enqueued)))
    return CleanupPlan(run_id=run_id, enqueued=enqueued, already_enqueued=existing)


def _blob_refs(snap: Snapshot, blob_fields: list[str]) -> list[str]:
    refs: list[str] = []
    for f in blob_fields:
        value = snap.get(f)
        if isinstance(value, str) and value:
            refs.append(value)
        elif isinstance(value, list):
            refs.extend(v for v in value if isinstance(v, str) and v)
        elif isinstance(value, dict):
            refs.extend(v for v in value.values() if isinstance(v, str) and v)
    return refs


def run_cleanup_batch(*, platform: Platform, task: CleanupTask) -> CleanupBatchResult:
    """Delete one batch of expired records of `task.target` with their blobs."""
    target = TARGETS.get(task.target)
    if target is None:
        raise KeyError(f"unknown cleanup target {task.target!r}")
    cutoff = task.now or datetime.now(UTC)
    store = platform.documents
    base = (
        store.collection_group(target.collection)
        if target.collection_group
        else store.collection(target.collection)
    )
    expired = base.where(target.expires_field, "<=", cutoff).limit(target.batch_size).get()
    blobs_deleted = 0
    batch = store.batch()
    for snap in expired:
        if target.settle is not None:
            blobs_deleted += target.settle(platform, snap)
            continue
        for ref in _blob_refs(snap, target.blob_fields):
            if ref.endswith("/"):
                blobs_deleted += platform.blobs.delete_prefix(ref)
            elif platform.blobs.delete(ref):
                blobs_deleted += 1
        if target.on_delete is not None:
            blobs_deleted += target.on_delete(platform, snap)
        batch.delete(snap.reference)
    batch.commit()
    more = len(expired) == target.batch_size
    next_name = None
    if more:
        next_name = task_name("cleanup", target.name, task.run_id, task.page + 1)
        platform.tasks.enqueue(
            function=WORKER,
            payload=CleanupTask(
                target=target.name, run_id=task.run_id, page=task.page + 1, now=cutoff
            ),
            name=next_name,
        )
    log.info(
        "cleanup batch done",
        extra=fields(target=target.name, records=len(expired), blobs=blobs_deleted, more=more),
    )
    return CleanupBatchResult(
        target=target.name,
        records_deleted=len(expired),
        blobs_deleted=blobs_deleted,
        more=more,
        next_task=next_name,
    )
