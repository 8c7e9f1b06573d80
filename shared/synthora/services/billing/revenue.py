"""Revenue figures: MRR, ARR and subscribers by plan, now and day by day.

The current figures are Firestore aggregations over `subscriptions` (each
document carries `mrr_amount`, its monthly contribution in minor units, kept
by the webhook sync). History cannot be recomputed exactly afterwards (plan
changes, prorations), so the daily `subscriptions_cron` records one snapshot a
day in `billing_revenue/{YYYYMMDD}`; recording the same day again overwrites
it with the newer figures (idempotent). `history` reads the last `days`
snapshots and ends with today's live figures, so the admin chart always shows
the present even before the first cron run.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, Field

from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import ASCENDING
from synthora.services.billing.state import MRR_STATUSES, SUBSCRIPTIONS

log = get_logger(__name__)

REVENUE = "billing_revenue"
PLANS = ("monthly", "annual", "other")
LIVE_STATUSES = ("active", "trialing", "past_due")
MAX_HISTORY_DAYS = 366


class RevenuePoint(BaseModel):
    day: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="UTC day, YYYY-MM-DD.")
    mrr: int = Field(description="Monthly recurring revenue that day, minor units.")
    arr: int = Field(description="12 x MRR, minor units.")
    subscribers: int = Field(description="Subscriptions active, trialing or past_due.")
    by_plan: dict[str, int] = Field(
        description="Live subscriptions per plan: monthly, annual, other."
    )


def current(*, platform: Platform, now: datetime | None = None) -> RevenuePoint:
    """Today's figures, from aggregations only."""
    now = now or datetime.now(UTC)
    subs = platform.documents.collection(SUBSCRIPTIONS)
    mrr = int(subs.where("status", "in", sorted(MRR_STATUSES)).sum("mrr_amount") or 0)
    by_plan = {
        plan: subs.where("status", "in", list(LIVE_STATUSES)).where("plan", "==", plan).count()
        for plan in PLANS
    }
    return RevenuePoint(
        day=now.strftime("%Y-%m-%d"),
        mrr=mrr,
        arr=mrr * 12,
        subscribers=sum(by_plan.values()),
        by_plan=by_plan,
    )


def record_snapshot(*, platform: Platform, now: datetime | None = None) -> RevenuePoint:
    """Store today's figures under the day's id (run by the daily cron; idempotent)."""
    point = current(platform=platform, now=now)
    doc_id = point.day.replace("-", "")
    platform.documents.collection(REVENUE).document(doc_id).set(point.model_dump())
    log.info("revenue snapshot recorded", extra=fields(day=point.day, mrr=point.mrr))
    return point


def history(*, platform: Platform, days: int, now: datetime | None = None) -> list[RevenuePoint]:
    """The snapshots of the last `days` days, oldest first, ending with today's live figures."""
    now = now or datetime.now(UTC)
    days = max(1, min(days, MAX_HISTORY_DAYS))
    first = (now - timedelta(days=days - 1)).strftime("%Y-%m-%d")
    today = current(platform=platform, now=now)
    snaps = (
        platform.documents.collection(REVENUE)
        .where("day", ">=", first)
        .order_by("day", direction=ASCENDING)
        .get()
    )
    points = [RevenuePoint.model_validate(s.to_dict() or {}) for s in snaps]
    return [p for p in points if p.day < today.day] + [today]
