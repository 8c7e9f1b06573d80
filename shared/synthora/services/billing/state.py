"""Our copy of a subscription, and the role that follows it.

Stripe is the source of truth. Whatever triggers a change (a webhook, an API
call of ours, the daily cron), the subscription is read back from Stripe and
`sync_subscription` writes what it says, so a stale or replayed event can never
undo a newer state: it only causes the current state to be written again.

Where it lives:
- `subscriptions/{sub_id}`: one document per Stripe subscription (user, plan,
  status, period, normalised monthly amount for MRR), read by admin statistics
  and the expiring-subscription cron;
- `users/{uid}.subscription`: a summary of the user's *current* subscription
  (an event about an older, ended subscription does not replace a live one);
- `users/{uid}.stripe_customer_id` and `stripe_customers/{cus_id}` mapping a
  Stripe customer back to its user.

The role (`users/{uid}.role`, which limits and the router read at once):
admin stays admin; otherwise premium while the current subscription is
`active` or `trialing`, or `past_due` for up to `billing_grace_days` after the
first failed payment, or while an admin grant (`premium_granted_by`) stands;
free otherwise. Stripe events never remove an admin's grant, and revoking the
grant leaves a paid subscription's premium in place.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel

from synthora.identity import mirror_role_claim
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import Transaction
from synthora.services import notifications
from synthora.settings import Settings

log = get_logger(__name__)

ENTITLED = frozenset({"active", "trialing"})
LIVE = frozenset({"active", "trialing", "past_due", "unpaid", "incomplete", "paused"})
MRR_STATUSES = frozenset({"active", "past_due"})
SUBSCRIPTIONS = "subscriptions"
CUSTOMERS = "stripe_customers"
PlanName = Literal["monthly", "annual", "other"]


class SubscriptionSummary(BaseModel):
    """What we keep of one Stripe subscription."""

    id: str
    customer_id: str
    status: str
    plan: PlanName
    price_id: str
    amount: int
    currency: str
    interval: str
    cancel_at_period_end: bool = False
    current_period_start: datetime | None = None
    current_period_end: datetime | None = None
    created_at: datetime | None = None
    canceled_at: datetime | None = None
    ended_at: datetime | None = None
    past_due_since: datetime | None = None


class SyncResult(BaseModel):
    uid: str | None
    before: SubscriptionSummary | None = None
    after: SubscriptionSummary | None = None
    role_before: str | None = None
    role_after: str | None = None
    current: bool = False


def _ts(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value else None


def plan_of(price: dict[str, Any], settings: Settings) -> PlanName:
    key = price.get("lookup_key")
    interval = (price.get("recurring") or {}).get("interval")
    if key == settings.stripe_monthly_lookup_key or (not key and interval == "month"):
        return "monthly"
    if key == settings.stripe_annual_lookup_key or (not key and interval == "year"):
        return "annual"
    return "other"


def summarise(sub: dict[str, Any], settings: Settings) -> SubscriptionSummary:
    """A Stripe subscription (API version Endive: periods on the items) as our summary."""
    items = (sub.get("items") or {}).get("data") or []
    if not items:
        raise ValueError(f"subscription {sub.get('id')} has no items")
    item = items[0]
    price = item.get("price") or {}
    recurring = price.get("recurring") or {}
    quantity = int(item.get("quantity") or 1)
    return SubscriptionSummary(
        id=str(sub["id"]),
        customer_id=str(sub["customer"]),
        status=str(sub["status"]),
        plan=plan_of(price, settings),
        price_id=str(price.get("id")),
        amount=int(price.get("unit_amount") or 0) * quantity,
        currency=str(price.get("currency") or settings.stripe_currency),
        interval=str(recurring.get("interval") or "month"),
        cancel_at_period_end=bool(sub.get("cancel_at_period_end")),
        current_period_start=_ts(item.get("current_period_start")),
        current_period_end=_ts(item.get("current_period_end")),
        created_at=_ts(sub.get("created")),
        canceled_at=_ts(sub.get("canceled_at")),
        ended_at=_ts(sub.get("ended_at")),
    )


def monthly_amount(summary: SubscriptionSummary) -> int:
    """The subscription's contribution to MRR, in minor units."""
    per = {"day": 30.0, "week": 52 / 12, "month": 1.0, "year": 1 / 12}.get(summary.interval, 1.0)
    return round(summary.amount * per)


def grace_until(summary: SubscriptionSummary | None, settings: Settings) -> datetime | None:
    if summary is None or summary.status != "past_due" or summary.past_due_since is None:
        return None
    return summary.past_due_since + timedelta(days=settings.billing_grace_days)


def entitled(summary: SubscriptionSummary | None, settings: Settings, now: datetime) -> bool:
    if summary is None:
        return False
    if summary.status in ENTITLED:
        return True
    until = grace_until(summary, settings)
    return until is not None and now < until


def role_for(data: dict[str, Any], settings: Settings, now: datetime) -> str:
    """The role a user document implies (admin is never changed by billing)."""
    if data.get("role") == "admin":
        return "admin"
    summary = load_summary(data)
    if entitled(summary, settings, now) or data.get("premium_granted_by"):
        return "premium"
    return "free"


def load_summary(data: dict[str, Any]) -> SubscriptionSummary | None:
    raw = data.get("subscription")
    if not isinstance(raw, dict) or not raw.get("id"):
        return None
    return SubscriptionSummary.model_validate(raw)


def uid_for_customer(platform: Platform, customer_id: str | None) -> str | None:
    if not customer_id:
        return None
    snap = platform.documents.collection(CUSTOMERS).document(customer_id).get()
    return str(snap.get("user_id")) if snap.exists and snap.get("user_id") else None


def link_customer(platform: Platform, *, uid: str, customer_id: str) -> str:
    """Record `customer_id` for `uid` unless one is already recorded; returns the one kept."""
    user_ref = platform.documents.collection("users").document(uid)
    map_ref = platform.documents.collection(CUSTOMERS).document(customer_id)

    def run(tx: Transaction) -> str:
        data = tx.get(user_ref).to_dict() or {}
        kept = str(data.get("stripe_customer_id") or customer_id)
        if not data.get("stripe_customer_id"):
            tx.set(user_ref, {"stripe_customer_id": customer_id}, merge=True)
        tx.set(map_ref, {"user_id": uid, "linked_at": datetime.now(UTC)}, merge=True)
        return kept

    kept: str = platform.documents.run_transaction(run)
    if kept != customer_id:
        log.warning(
            "user already has another stripe customer",
            extra=fields(uid=uid, kept=kept, other=customer_id),
        )
    return kept


def resolve_uid(
    platform: Platform, sub: dict[str, Any], *, uid_hint: str | None = None
) -> str | None:
    uid = uid_for_customer(platform, str(sub.get("customer") or ""))
    if uid:
        return uid
    meta_uid = (sub.get("metadata") or {}).get("uid")
    candidate = uid_hint or meta_uid
    if candidate and platform.documents.collection("users").document(candidate).get().exists:
        return str(candidate)
    return None


def sync_subscription(
    *,
    platform: Platform,
    settings: Settings,
    sub: dict[str, Any],
    uid_hint: str | None = None,
    now: datetime | None = None,
) -> SyncResult:
    """Write what Stripe says about `sub` (a freshly read subscription) and the role it implies."""
    now = now or datetime.now(UTC)
    summary = summarise(sub, settings)
    uid = resolve_uid(platform, sub, uid_hint=uid_hint)
    if uid is None:
        log.warning(
            "stripe subscription for no known user",
            extra=fields(subscription_id=summary.id, customer_id=summary.customer_id),
        )
        return SyncResult(uid=None, after=summary)
    user_ref = platform.documents.collection("users").document(uid)
    sub_ref = platform.documents.collection(SUBSCRIPTIONS).document(summary.id)

    def run(tx: Transaction) -> SyncResult:
        user = tx.get(user_ref).to_dict() or {}
        stored = tx.get(sub_ref).to_dict() or {}
        previous = (
            SubscriptionSummary.model_validate(
                {k: v for k, v in stored.items() if k in SubscriptionSummary.model_fields}
            )
            if stored
            else None
        )
        after = summary.model_copy()
        if after.status == "past_due":
            after.past_due_since = (previous.past_due_since if previous else None) or now
        current = load_summary(user)
        is_current = (
            current is None
            or current.id == after.id
            or current.status not in LIVE
            or after.status in LIVE
        )
        tx.set(
            sub_ref,
            {
                **after.model_dump(),
                "user_id": uid,
                "mrr_amount": monthly_amount(after) if after.status in MRR_STATUSES else 0,
                "updated_at": now,
            },
        )
        role_before = str(user.get("role", "free"))
        update: dict[str, Any] = {
            "stripe_customer_id": user.get("stripe_customer_id") or after.customer_id
        }
        if is_current:
            update["subscription"] = after.model_dump()
            role_after = role_for({**user, "subscription": update["subscription"]}, settings, now)
        else:
            role_after = role_for(user, settings, now)
        update["role"] = role_after
        update["updated_at"] = now
        tx.set(user_ref, update, merge=True)
        return SyncResult(
            uid=uid,
            before=previous,
            after=after,
            role_before=role_before,
            role_after=role_after,
            current=is_current,
        )

    result: SyncResult = platform.documents.run_transaction(run)
    platform.documents.collection(CUSTOMERS).document(summary.customer_id).set(
        {"user_id": uid}, merge=True
    )
    if result.role_before != result.role_after:
        log.info(
            "role follows subscription",
            extra=fields(
                uid=uid,
                subscription_id=summary.id,
                status=summary.status,
                role_before=result.role_before,
                role_after=result.role_after,
            ),
        )
    _notify_transitions(platform, result)
    return result


def _notify_transitions(platform: Platform, result: SyncResult) -> None:
    before, after, uid = result.before, result.after, result.uid
    if uid is None or after is None:
        return
    was_ended = before is not None and before.status not in LIVE
    if after.status not in LIVE and not was_ended:
        notifications.notify(
            platform=platform,
            uid=uid,
            type=notifications.NotificationType.subscription_cancelled,
            title="Premium has ended",
            message="Your premium subscription has ended; your account is on the free plan "
            "now. You can subscribe again at any time.",
            link="/settings/subscription",
            data={"subscription_id": after.id, "ended": True},
            idempotency_key=f"subscription-ended:{after.id}",
        )
        return
    scheduled_before = before is not None and before.cancel_at_period_end
    if after.status in LIVE and after.cancel_at_period_end and not scheduled_before:
        end = after.current_period_end
        when = end.date().isoformat() if end else "the end of the period"
        notifications.notify(
            platform=platform,
            uid=uid,
            type=notifications.NotificationType.subscription_cancelled,
            title="Subscription cancelled",
            message=f"Your subscription will not renew. Premium stays until {when}.",
            link="/settings/subscription",
            data={"subscription_id": after.id, "ends_at": end},
            idempotency_key=f"subscription-cancel-scheduled:{after.id}:"
            f"{int(end.timestamp()) if end else 0}",
        )


def recompute_role(
    *, platform: Platform, settings: Settings, uid: str, now: datetime | None = None
) -> str:
    """Write the role the user document implies now (admin grants, grace periods)."""
    ref = platform.documents.collection("users").document(uid)
    now = now or datetime.now(UTC)

    def run(tx: Transaction) -> tuple[str, bool]:
        data = tx.get(ref).to_dict() or {}
        role = role_for(data, settings, now)
        changed = data.get("role") != role
        if changed:
            tx.update(ref, {"role": role, "updated_at": now})
        return role, changed

    role, changed = platform.documents.run_transaction(run)
    if changed:
        mirror_role_claim(uid, role, settings=settings)
    return str(role)
