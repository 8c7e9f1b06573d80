"""Deleting a user: soft (disable now, purge later) or hard (everything, now), resumable.

One job document per user, `user_deletions/{uid}`:

    uid, mode: soft | hard, status: scheduled | running | done,
    phase        the phase being worked on (None before the first, and when done)
    counts       phase -> how many records (and blobs, under `<phase>_blobs`) it deleted
    requested_by, requested_at, purge_after (soft: when the daily cleanup purges),
    started_at, finished_at, run (the id of the purge run; names its tasks),
    lease_until, lease_token (while a delivery works on it)

Soft: the user is disabled at once (`is_active: false`, so the router refuses
them) and `purge_after` is set `user_purge_grace_days` ahead; the daily cleanup
(`CLEANUP_TARGET`) starts the purge then. An admin may restore the user before.

Hard (or a soft deletion whose grace period ended): one task for
`admin_user_delete` works through `PHASES` in order, a batch at a time, and
records the phase and counts on the job after every batch, so an admin can
follow it and a redelivery after a crash resumes at the recorded phase (what
was deleted is simply no longer found; nothing errors on a missing record).
After `MAX_BATCHES` batches a delivery hands over to a follow-up task under a
deterministic name. A delivery holds a lease on the job; a second delivery
at the same time is answered 503 and the queue retries it later.

What a phase removes: the Stripe subscription is cancelled at once through the
billing service; each social account is disconnected through the accounts
service (which revokes the token at the platform where the platform allows
it), then deleted with its claim and posting quota; posts; videos with their
blob folder (`videos/{uid}/`); analytics records; suggestions; notifications;
personal templates; the user's own subcollections (provider keys, audit,
usage); the Stripe customer mapping and subscription copies; last the user
document itself. The job document stays as the record that the user was deleted.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field

from synthora.errors import Conflict, Forbidden, NotFound, ServiceUnavailable
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import DocumentRef, Increment, Snapshot, Transaction
from synthora.ports.tasks import task_name
from synthora.services import analytics, notifications, posts, social_accounts, videos
from synthora.services.billing import state as billing_state
from synthora.services.expiry import CleanupTarget
from synthora.services.suggestions import generate as suggestion_generate
from synthora.services.suggestions import store as suggestion_store
from synthora.services.templates import COLLECTION as TEMPLATES
from synthora.services.user_records import read_user, user_ref

log = get_logger(__name__)

DELETIONS = "user_deletions"
FUNCTION = "admin_user_delete"
BATCH = 100
MAX_BATCHES = 50
LEASE = timedelta(minutes=5)
USER_SUBCOLLECTIONS = ("integrations", "audit", "usage")

Mode = Literal["soft", "hard"]
JobStatus = Literal["scheduled", "running", "done"]

PHASES: tuple[str, ...] = (
    "subscription",
    "social_accounts",
    "posts",
    "videos",
    "analytics",
    "suggestions",
    "notifications",
    "templates",
    "user_data",
    "billing_records",
    "user",
)


class DeleteUserRequest(BaseModel):
    mode: Mode = Field(
        default="soft",
        description="soft: disable now, purge after the grace period; hard: purge now.",
    )


class DeletionJobOut(BaseModel):
    uid: str
    mode: Mode
    status: JobStatus
    phase: str | None = None
    phases: list[str] = Field(default_factory=lambda: list(PHASES))
    counts: dict[str, int] = Field(default_factory=dict)
    requested_by: str
    requested_at: datetime
    purge_after: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None


class DeletionTask(BaseModel):
    uid: str = Field(min_length=1, max_length=128, pattern=r"^[^/]+$")
    run: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    part: int = Field(default=0, ge=0, le=10_000)


class DeletionResult(BaseModel):
    uid: str
    outcome: Literal["done", "continued", "stale"]
    phase: str | None = None
    counts: dict[str, int] = Field(default_factory=dict)


def _now() -> datetime:
    return datetime.now(UTC)


def _job_ref(platform: Platform, uid: str) -> DocumentRef:
    return platform.documents.collection(DELETIONS).document(uid)


def job_out(uid: str, data: dict[str, Any]) -> DeletionJobOut:
    return DeletionJobOut.model_validate({**data, "uid": uid})


def get_job(*, platform: Platform, uid: str) -> DeletionJobOut:
    snap = _job_ref(platform, uid).get()
    if not snap.exists:
        raise NotFound("this user has no deletion job", code="deletion_not_found")
    return job_out(uid, snap.to_dict() or {})


def find_job(*, platform: Platform, uid: str) -> DeletionJobOut | None:
    snap = _job_ref(platform, uid).get()
    return job_out(uid, snap.to_dict() or {}) if snap.exists else None


def _enqueue(platform: Platform, uid: str, run: str, part: int) -> None:
    platform.tasks.enqueue(
        function=FUNCTION,
        payload=DeletionTask(uid=uid, run=run, part=part),
        name=task_name("user-delete", uid, run, part),
    )


def request_deletion(
    *, platform: Platform, admin_uid: str, uid: str, mode: Mode, now: datetime | None = None
) -> DeletionJobOut:
    """Soft: disable and schedule the purge. Hard: start the purge task now.

    Asking again is harmless: a running or finished purge is returned as it is,
    a scheduled soft deletion asked again as soft keeps its date, as hard starts now."""
    if uid == admin_uid:
        raise Forbidden("you cannot delete your own account", code="self_delete")
    now = now or _now()
    ref = _job_ref(platform, uid)
    existing = ref.get().to_dict()
    if existing and existing.get("status") in ("running", "done"):
        return job_out(uid, existing)
    if existing is None and read_user(platform, uid) is None:
        raise NotFound("no such user", code="user_not_found")
    if mode == "soft":
        if existing is None:
            grace = timedelta(days=platform.settings.user_purge_grace_days)
            ref.set(
                {
                    "mode": "soft",
                    "status": "scheduled",
                    "phase": None,
                    "counts": {},
                    "requested_by": admin_uid,
                    "requested_at": now,
                    "purge_after": now + grace,
                }
            )
        user_ref(platform, uid).update({"is_active": False, "updated_at": now})
        log.info("user soft-deleted", extra=fields(uid=uid, by=admin_uid))
        return get_job(platform=platform, uid=uid)
    run = f"r{int(now.timestamp() * 1000)}"
    data = {
        "mode": "hard" if existing is None else existing.get("mode", "hard"),
        "status": "running",
        "phase": None,
        "counts": {},
        "requested_by": admin_uid if existing is None else existing["requested_by"],
        "requested_at": now if existing is None else existing["requested_at"],
        "purge_after": None if existing is None else existing.get("purge_after"),
        "started_at": now,
        "run": run,
    }
    ref.set(data)
    if read_user(platform, uid) is not None:
        user_ref(platform, uid).update({"is_active": False, "updated_at": now})
    _enqueue(platform, uid, run, 0)
    log.info("user purge started", extra=fields(uid=uid, by=admin_uid, run=run))
    return job_out(uid, data)


def cancel_deletion(*, platform: Platform, admin_uid: str, uid: str) -> DeletionJobOut:
    """Restore a soft-deleted user before the purge: enabled again, the job removed."""
    job = get_job(platform=platform, uid=uid)
    if job.status != "scheduled":
        raise Conflict(
            "the purge has started; a user being purged cannot be restored",
            code="deletion_started",
        )
    _job_ref(platform, uid).delete()
    user_ref(platform, uid).update({"is_active": True, "updated_at": _now()})
    log.info("user restored", extra=fields(uid=uid, by=admin_uid))
    return job


def _start_due_purge(platform: Platform, snap: Snapshot) -> int:
    """Cleanup hook: a soft deletion's grace period is over; the purge starts."""
    data = snap.to_dict() or {}
    if data.get("status") == "scheduled":
        request_deletion(
            platform=platform, admin_uid=str(data.get("requested_by")), uid=snap.id, mode="hard"
        )
    snap.reference.update({"purge_after": None})
    return 0


#: The daily cleanup starts the purge of soft-deleted users whose grace period ended.
CLEANUP_TARGET = CleanupTarget(
    name="user_purges",
    collection=DELETIONS,
    expires_field="purge_after",
    batch_size=50,
    settle=_start_due_purge,
)


# --------------------------------------------------------------------------- the phases

#: (records deleted, blobs deleted, more left)
PhaseResult = tuple[int, int, bool]


def _delete_all(snaps: list[Snapshot], platform: Platform) -> int:
    batch = platform.documents.batch()
    for snap in snaps:
        batch.delete(snap.reference)
    if len(batch):
        batch.commit()
    return len(snaps)


def _by_field(collection: str, field: str) -> Callable[[Platform, str], PhaseResult]:
    def run(platform: Platform, uid: str) -> PhaseResult:
        snaps = platform.documents.collection(collection).where(field, "==", uid).limit(BATCH).get()
        return _delete_all(snaps, platform), 0, len(snaps) == BATCH

    return run


def _many(*parts: Callable[[Platform, str], PhaseResult]) -> Callable[[Platform, str], PhaseResult]:
    def run(platform: Platform, uid: str) -> PhaseResult:
        for part in parts:
            n, b, more = part(platform, uid)
            if n or b or more:
                return n, b, True  # come back: the next parts run once this one is empty
        return 0, 0, False

    return run


def _by_id(collection: str, doc_id: Callable[[str], str]) -> Callable[[Platform, str], PhaseResult]:
    def run(platform: Platform, uid: str) -> PhaseResult:
        ref = platform.documents.collection(collection).document(doc_id(uid))
        if ref.get().exists:
            ref.delete()
            return 1, 0, False
        return 0, 0, False

    return run


def _subscription(platform: Platform, uid: str) -> PhaseResult:
    """Cancel a live Stripe subscription at once (our copy follows the answer)."""
    from synthora.services.billing import service as billing

    data = user_ref(platform, uid).get().to_dict() or {}
    summary = data.get("subscription") or {}
    if summary.get("status") not in billing_state.LIVE:
        return 0, 0, False
    billing.cancel(platform=platform, settings=platform.settings, uid=uid, at_period_end=False)
    return 1, 0, False


def _social_accounts(platform: Platform, uid: str) -> PhaseResult:
    """Revoke (through the accounts service) and delete each account, its claim and quota."""
    snaps = (
        platform.documents.collection(social_accounts.ACCOUNTS)
        .where("user_id", "==", uid)
        .limit(BATCH)
        .get()
    )
    for snap in snaps:
        if snap.get("status") != "disconnected":
            social_accounts.disconnect_account(platform=platform, uid=uid, account_id=snap.id)
        platform.documents.collection(posts.QUOTAS).document(snap.id).delete()
        platform.documents.collection(analytics.SYNC).document(snap.id).delete()
        snap.reference.delete()
    return len(snaps), 0, len(snaps) == BATCH


def _videos(platform: Platform, uid: str) -> PhaseResult:
    snaps = (
        platform.documents.collection(videos.VIDEOS).where("owner_id", "==", uid).limit(BATCH).get()
    )
    blobs = 0
    for snap in snaps:
        blobs += platform.blobs.delete_prefix(f"videos/{uid}/{snap.id}/")
        snap.reference.delete()
    if len(snaps) < BATCH:
        blobs += platform.blobs.delete_prefix(f"videos/{uid}/")  # anything not under a video
    return len(snaps), blobs, len(snaps) == BATCH


def _user_data(platform: Platform, uid: str) -> PhaseResult:
    for name in USER_SUBCOLLECTIONS:
        snaps = user_ref(platform, uid).collection(name).limit(BATCH).get()
        if snaps:
            return _delete_all(snaps, platform), 0, True
    return 0, 0, False


def _user(platform: Platform, uid: str) -> PhaseResult:
    ref = user_ref(platform, uid)
    if ref.get().exists:
        ref.delete()
        return 1, 0, False
    return 0, 0, False


PHASE_RUNNERS: dict[str, Callable[[Platform, str], PhaseResult]] = {
    "subscription": _subscription,
    "social_accounts": _many(
        _social_accounts,
        _by_field(social_accounts.CLAIMS, "user_id"),
        _by_field(social_accounts.SELECTIONS, "user_id"),
        _by_field(social_accounts.STATES, "user_id"),
    ),
    "posts": _by_field(posts.POSTS, "owner_uid"),
    "videos": _videos,
    "analytics": _many(
        _by_field(analytics.ITEMS, "uid"),
        _by_field(analytics.SNAPSHOTS, "uid"),
        _by_field(analytics.DAILY, "uid"),
        _by_field(analytics.LATEST, "uid"),
        _by_field(analytics.CHANNELS, "uid"),
        _by_field(analytics.SYNC, "uid"),
        _by_id(analytics.COOLDOWNS, lambda uid: uid),
    ),
    "suggestions": _many(
        _by_field(suggestion_store.COLLECTION, "user_id"),
        _by_id(suggestion_generate.COOLDOWNS, lambda uid: uid),
    ),
    "notifications": _by_field(notifications.COLLECTION, "user_id"),
    "templates": _by_field(TEMPLATES, "owner_id"),
    "user_data": _user_data,
    "billing_records": _many(
        _by_field(billing_state.SUBSCRIPTIONS, "user_id"),
        _by_field(billing_state.CUSTOMERS, "user_id"),
    ),
    "user": _user,
}
assert tuple(PHASE_RUNNERS) == PHASES


# --------------------------------------------------------------------------- the task


def _claim(platform: Platform, task: DeletionTask, now: datetime) -> dict[str, Any]:
    ref = _job_ref(platform, task.uid)
    token = secrets.token_hex(8)

    def work(tx: Transaction) -> dict[str, Any] | None:
        data = tx.get(ref).to_dict()
        if data is None or data.get("run") != task.run or data.get("status") != "running":
            return data
        until = data.get("lease_until")
        if until is not None and until.replace(tzinfo=until.tzinfo or UTC) > now:
            raise ServiceUnavailable(
                "another delivery is deleting this user; try again later", code="deletion_busy"
            )
        tx.update(ref, {"lease_until": now + LEASE, "lease_token": token})
        return {**data, "lease_token": token}

    return platform.documents.run_transaction(work) or {}


def run_deletion(
    *, platform: Platform, task: DeletionTask, now: datetime | None = None
) -> DeletionResult:
    """Work through the phases from the recorded one; hand over after `MAX_BATCHES`."""
    now = now or _now()
    data = _claim(platform, task, now)
    ref = _job_ref(platform, task.uid)
    if data.get("run") != task.run or data.get("status") != "running":
        # an older run's task, or the job is already done
        return DeletionResult(
            uid=task.uid,
            outcome="done" if data.get("status") == "done" else "stale",
            counts=data.get("counts") or {},
        )
    try:
        return _work(platform, task, data)
    except Exception:
        # a failure we see (a platform down, a store error): free the job for the retry
        # at once; a delivery that dies without coming here leaves the lease to expire
        ref.update({"lease_until": None, "lease_token": None})
        raise


def _work(platform: Platform, task: DeletionTask, data: dict[str, Any]) -> DeletionResult:
    ref = _job_ref(platform, task.uid)
    start = PHASES.index(data["phase"]) if data.get("phase") in PHASES else 0
    batches = 0
    for phase in PHASES[start:]:
        if data.get("phase") != phase:
            ref.update({"phase": phase})
            data["phase"] = phase
        while True:
            records, blobs, more = PHASE_RUNNERS[phase](platform, task.uid)
            counts: dict[str, Any] = {}
            if records:
                counts[f"counts.{phase}"] = Increment(records)
            if blobs:
                counts[f"counts.{phase}_blobs"] = Increment(blobs)
            if counts:
                ref.update(counts)
            if not more:
                break
            batches += 1
            if batches >= MAX_BATCHES:
                ref.update({"lease_until": None, "lease_token": None})
                _enqueue(platform, task.uid, task.run, task.part + 1)
                return DeletionResult(uid=task.uid, outcome="continued", phase=phase)
    ref.update(
        {
            "status": "done",
            "phase": None,
            "finished_at": _now(),
            "lease_until": None,
            "lease_token": None,
        }
    )
    final = ref.get().to_dict() or {}
    log.info("user purged", extra=fields(uid=task.uid, counts=final.get("counts")))
    return DeletionResult(uid=task.uid, outcome="done", counts=final.get("counts") or {})
