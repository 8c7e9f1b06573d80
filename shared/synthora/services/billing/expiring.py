"""The daily billing sweep: expiring subscriptions, annual renewals, grace periods.

`subscriptions_cron` (daily) records the day's revenue snapshot (`revenue`,
for the admin dashboard's MRR/ARR history) and enqueues page 0 of two sweeps on
`subscriptions_sweep`; each task handles one page and enqueues the next under a
deterministic name, so a redelivered task repeats nothing:

- `expiring`: live subscriptions whose period ends within
  `EXPIRING_WINDOW_DAYS`: a cancelled one will end (`subscription_expiring`,
  "Premium ends on ..."), an annual one will renew and charge ("renews on ...");
  monthly renewals are not announced. One notification per subscription and
  period (idempotency key).
- `grace`: `past_due` subscriptions whose grace period is over: read back from
  Stripe (it may have been paid meanwhile) and the role recomputed, so a user
  whose card keeps failing returns to free even if no webhook arrives.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from synthora.http.pagination import paginate
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import ASCENDING
from synthora.ports.tasks import task_name
from synthora.services import notifications
from synthora.services.billing import stripe_api
from synthora.services.billing.revenue import RevenuePoint, record_snapshot
from synthora.services.billing.state import SUBSCRIPTIONS, recompute_role, sync_subscription
from synthora.settings import Settings

log = get_logger(__name__)

SWEEP_FUNCTION = "subscriptions_sweep"
EXPIRING_WINDOW_DAYS = 3
PAGE = 100

SweepKind = Literal["expiring", "grace"]


class SweepTask(BaseModel):
    kind: SweepKind
    run_id: str = Field(pattern=r"^[0-9]{8}$", description="The day the run started, YYYYMMDD.")
    page: int = Field(default=0, ge=0)
    cursor: str | None = Field(default=None, max_length=2000)
    now: datetime | None = Field(default=None, description="The run's reference time.")


class SweepPlan(BaseModel):
    run_id: str
    tasks: list[str]
    revenue: RevenuePoint = Field(description="The day's revenue snapshot, recorded.")


class SweepResult(BaseModel):
    kind: SweepKind
    page: int
    seen: int
    notified: int = 0
    updated: int = 0
    next_task: str | None = None


def plan_sweep(*, platform: Platform, now: datetime | None = None) -> SweepPlan:
    now = now or datetime.now(UTC)
    run_id = now.strftime("%Y%m%d")
    names = []
    for kind in ("expiring", "grace"):
        name = task_name("billing", kind, run_id, 0)
        platform.tasks.enqueue(
            function=SWEEP_FUNCTION,
            payload=SweepTask(kind=kind, run_id=run_id, now=now),  # type: ignore[arg-type]
            name=name,
        )
        names.append(name)
    snapshot = record_snapshot(platform=platform, now=now)
    return SweepPlan(run_id=run_id, tasks=names, revenue=snapshot)


def run_sweep(*, platform: Platform, settings: Settings, task: SweepTask) -> SweepResult:
    now = task.now or datetime.now(UTC)
    subs = platform.documents.collection(SUBSCRIPTIONS)
    if task.kind == "expiring":
        query = (
            subs.where("status", "in", ["active", "trialing"])
            .where("current_period_end", ">", now)
            .where("current_period_end", "<=", now + timedelta(days=EXPIRING_WINDOW_DAYS))
        )
        order = [("current_period_end", ASCENDING)]
    else:
        cutoff = now - timedelta(days=settings.billing_grace_days)
        query = subs.where("status", "==", "past_due").where("past_due_since", "<=", cutoff)
        order = [("past_due_since", ASCENDING)]
    snaps, next_cursor = paginate(query, order_by=order, limit=PAGE, cursor=task.cursor)
    result = SweepResult(kind=task.kind, page=task.page, seen=len(snaps))
    for snap in snaps:
        data = snap.to_dict() or {}
        uid = data.get("user_id")
        if not uid:
            continue
        if task.kind == "expiring":
            result.notified += int(_announce(platform, str(uid), snap.id, data))
        else:
            if stripe_api.is_configured(settings):
                sub = stripe_api.retrieve_subscription(settings, snap.id)
                sync_subscription(platform=platform, settings=settings, sub=sub, now=now)
            recompute_role(platform=platform, settings=settings, uid=str(uid), now=now)
            result.updated += 1
    if next_cursor:
        name = task_name("billing", task.kind, task.run_id, task.page + 1)
        platform.tasks.enqueue(
            function=SWEEP_FUNCTION,
            payload=task.model_copy(update={"page": task.page + 1, "cursor": next_cursor}),
            name=name,
        )
        result.next_task = name
    log.info("billing sweep page", extra=fields(**result.model_dump(exclude_none=True)))
    return result


def _announce(platform: Platform, uid: str, sub_id: str, data: dict[str, object]) -> bool:
    end = data.get("current_period_end")
    if not isinstance(end, datetime):
        return False
    day = end.date().isoformat()
    if data.get("cancel_at_period_end"):
        title, message = "Your subscription is expiring", f"Premium ends on {day}."
    elif data.get("plan") == "annual":
        amount = int(data.get("amount") or 0) / 100  # type: ignore[call-overload]
        currency = str(data.get("currency") or "usd").upper()
        title = "Your annual plan renews soon"
        message = f"Premium renews on {day} for {amount:.2f} {currency}."
    else:
        return False
    out = notifications.notify(
        platform=platform,
        uid=uid,
        type=notifications.NotificationType.subscription_expiring,
        title=title,
        message=message,
        link="/settings/subscription",
        data={"subscription_id": sub_id, "period_end": end},
        idempotency_key=f"subscription-expiring:{sub_id}:{int(end.timestamp())}",
    )
    return out is not None
