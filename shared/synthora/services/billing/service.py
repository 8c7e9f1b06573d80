"""Self-serve billing: plans, status, Checkout, the portal, plan changes, invoices, admin.

Every change is made in Stripe and then read back into our copy
(`state.sync_subscription`), so the caller sees the new state at once and the
webhook that follows finds nothing left to change. Idempotency keys sent to
Stripe are derived from our own ids, so a retried request never creates a
second customer, session or update.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from synthora.errors import Conflict
from synthora.identity import mirror_role_claim
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.services.accounts import UserOut, get_user, user_out
from synthora.services.app_settings import RoleLimits, get_limits
from synthora.services.billing import revenue, stripe_api
from synthora.services.billing.state import (
    LIVE,
    SUBSCRIPTIONS,
    SubscriptionSummary,
    entitled,
    grace_until,
    link_customer,
    load_summary,
    role_for,
    sync_subscription,
)
from synthora.settings import Settings

log = get_logger(__name__)

Plan = Literal["monthly", "annual"]
STATUSES = ("active", "trialing", "past_due", "unpaid", "incomplete", "paused", "canceled")
CHECKOUT_WINDOW_S = 600  # repeated checkout clicks within 10 minutes reuse one session
REVENUE_HISTORY_DAYS = 90


# --------------------------------------------------------------------------- models


class PlanFeatures(BaseModel):
    daily_videos: int | None = Field(description="Videos per day; null is unlimited.")
    max_concurrent: int | None
    retention_days: int | None = Field(description="Days a video is kept; null keeps it.")
    can_schedule: bool
    ai_suggestions: bool


class PlanOut(BaseModel):
    id: Literal["free", "monthly", "annual"]
    name: str
    amount: int = Field(description="Price in minor units (cents); 0 for free.")
    currency: str
    interval: Literal["month", "year"] | None
    monthly_equivalent: int
    features: PlanFeatures


class PlansOut(BaseModel):
    plans: list[PlanOut]
    billing_enabled: bool
    emulated: bool = Field(description="Payments go to the local Stripe emulator, not Stripe.")


class StatusOut(BaseModel):
    role: str
    is_premium: bool
    source: Literal["admin", "subscription", "admin_grant", "none"]
    plan: Literal["free", "monthly", "annual", "other"]
    status: str | None = Field(default=None, description="The Stripe subscription status.")
    cancel_at_period_end: bool = False
    current_period_end: datetime | None = None
    grace_until: datetime | None = Field(
        default=None, description="While past_due: premium stays until then."
    )
    premium_granted_by: str | None = None


class SubscriptionOut(BaseModel):
    id: str
    plan: str
    status: str
    amount: int
    currency: str
    interval: str
    cancel_at_period_end: bool
    current_period_start: datetime | None
    current_period_end: datetime | None
    created_at: datetime | None
    canceled_at: datetime | None
    ended_at: datetime | None


class DetailsOut(BaseModel):
    status: StatusOut
    subscription: SubscriptionOut | None
    has_billing_account: bool
    emulated: bool


class CheckoutRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    plan: Plan


class CheckoutOut(BaseModel):
    session_id: str
    url: str
    emulated: bool


class PortalOut(BaseModel):
    url: str
    emulated: bool


class CancelRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    at_period_end: bool = Field(
        default=True, description="Keep premium until the period ends (false: end it now)."
    )


class ChangePlanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    plan: Plan


class InvoiceOut(BaseModel):
    id: str
    number: str | None
    status: str | None
    amount_due: int
    amount_paid: int
    currency: str
    created: datetime
    period_start: datetime | None
    period_end: datetime | None
    hosted_invoice_url: str | None
    invoice_pdf: str | None


class InvoicePage(BaseModel):
    items: list[InvoiceOut]
    has_more: bool
    next_cursor: str | None


class InvoiceLineOut(BaseModel):
    description: str | None
    amount: int
    proration: bool
    period_start: datetime | None
    period_end: datetime | None


class UpcomingInvoiceOut(BaseModel):
    amount_due: int
    currency: str
    next_payment_attempt: datetime | None
    lines: list[InvoiceLineOut]


class UpcomingOut(BaseModel):
    invoice: UpcomingInvoiceOut | None = Field(
        description="Null when nothing is due next (no subscription, or it will not renew)."
    )
    plan: str | None = Field(description="The plan previewed (a change when given).")


class GrantRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: str = Field(min_length=1, max_length=128)


class PlanStatusCount(BaseModel):
    plan: str
    status: str
    count: int


class BillingStatsOut(BaseModel):
    currency: str
    mrr: int = Field(description="Monthly recurring revenue, minor units (active + past_due).")
    arr: int = Field(description="12 x MRR, minor units.")
    subscribers: int = Field(description="Subscriptions active, trialing or past_due.")
    by_plan_and_status: list[PlanStatusCount]
    churned_30d: int
    churn_rate_30d: float = Field(description="Ended in 30 days / (live now + ended in 30 days).")
    admin_granted: int
    subscribers_by_plan: dict[str, int] = Field(
        description="Live subscriptions (active, trialing, past_due) per plan."
    )
    history: list[revenue.RevenuePoint] = Field(
        description=f"Daily MRR, ARR and subscribers by plan over the last {REVENUE_HISTORY_DAYS} "
        "days (snapshots of the daily cron), oldest first, ending with today's live figures."
    )
    emulated: bool


# --------------------------------------------------------------------------- helpers


def _user(platform: Platform, uid: str) -> dict[str, Any]:
    snap = platform.documents.collection("users").document(uid).get()
    if not snap.exists:
        raise Conflict(
            "sign in first (POST /api/v1/auth/login) to create your profile",
            code="user_not_initialised",
        )
    return snap.to_dict() or {}


def _current(data: dict[str, Any]) -> SubscriptionSummary | None:
    return load_summary(data)


def _live(data: dict[str, Any]) -> SubscriptionSummary:
    summary = _current(data)
    if summary is None or summary.status not in LIVE:
        raise Conflict("you have no active subscription", code="no_subscription")
    return summary


def _features(limits: RoleLimits) -> PlanFeatures:
    return PlanFeatures(**limits.model_dump())


def _app_url(settings: Settings, path: str) -> str:
    return settings.public_url.rstrip("/") + path


# --------------------------------------------------------------------------- reading


def list_plans(*, platform: Platform, settings: Settings) -> PlansOut:
    limits = get_limits(platform=platform)
    currency = settings.stripe_currency
    monthly, annual = settings.stripe_monthly_amount, settings.stripe_annual_amount
    return PlansOut(
        plans=[
            PlanOut(
                id="free",
                name="Free",
                amount=0,
                currency=currency,
                interval=None,
                monthly_equivalent=0,
                features=_features(limits.free),
            ),
            PlanOut(
                id="monthly",
                name="Premium monthly",
                amount=monthly,
                currency=currency,
                interval="month",
                monthly_equivalent=monthly,
                features=_features(limits.premium),
            ),
            PlanOut(
                id="annual",
                name="Premium annual",
                amount=annual,
                currency=currency,
                interval="year",
                monthly_equivalent=round(annual / 12),
                features=_features(limits.premium),
            ),
        ],
        billing_enabled=stripe_api.is_configured(settings),
        emulated=stripe_api.is_emulated(settings),
    )


def _status(data: dict[str, Any], settings: Settings, now: datetime) -> StatusOut:
    summary = _current(data)
    role = role_for(data, settings, now) if data else "free"
    paid = entitled(summary, settings, now)
    if role == "admin":
        source: Literal["admin", "subscription", "admin_grant", "none"] = "admin"
    elif paid:
        source = "subscription"
    elif data.get("premium_granted_by"):
        source = "admin_grant"
    else:
        source = "none"
    plan = summary.plan if summary is not None and summary.status in LIVE else "free"
    return StatusOut(
        role=role,
        is_premium=role in ("premium", "admin"),
        source=source,
        plan=plan,
        status=summary.status if summary else None,
        cancel_at_period_end=bool(summary and summary.cancel_at_period_end),
        current_period_end=summary.current_period_end if summary else None,
        grace_until=grace_until(summary, settings),
        premium_granted_by=data.get("premium_granted_by"),
    )


def get_status(*, platform: Platform, settings: Settings, uid: str) -> StatusOut:
    data = platform.documents.collection("users").document(uid).get().to_dict() or {}
    return _status(data, settings, datetime.now(UTC))


def get_details(*, platform: Platform, settings: Settings, uid: str) -> DetailsOut:
    """Status plus the subscription as Stripe has it now (read back and stored)."""
    data = _user(platform, uid)
    summary = _current(data)
    if summary is not None and stripe_api.is_configured(settings):
        sub = stripe_api.retrieve_subscription(settings, summary.id)
        sync_subscription(platform=platform, settings=settings, sub=sub, uid_hint=uid)
        data = _user(platform, uid)
        summary = _current(data)
    return DetailsOut(
        status=_status(data, settings, datetime.now(UTC)),
        subscription=SubscriptionOut(**summary.model_dump()) if summary else None,
        has_billing_account=bool(data.get("stripe_customer_id")),
        emulated=stripe_api.is_emulated(settings),
    )


# --------------------------------------------------------------------------- checkout, portal


def ensure_customer(*, platform: Platform, settings: Settings, uid: str) -> str:
    """The user's Stripe customer, created once: concurrent calls share one idempotency key."""
    data = _user(platform, uid)
    existing = data.get("stripe_customer_id")
    if existing:
        return str(existing)
    email = data.get("email")
    email_tag = hashlib.sha256(str(email or "").encode()).hexdigest()[:12]
    customer_id = stripe_api.create_customer(
        settings, uid=uid, email=email, idempotency_key=f"synthora-customer-{uid}-{email_tag}"
    )
    return link_customer(platform, uid=uid, customer_id=customer_id)


def start_checkout(
    *, platform: Platform, settings: Settings, uid: str, plan: Plan, now: datetime | None = None
) -> CheckoutOut:
    """A Checkout Session in subscription mode for `plan` (one per user and plan per 10 min)."""
    stripe_api.stripe_config(settings)  # 503 before anything else when billing is off
    data = _user(platform, uid)
    if data.get("role") == "admin":
        raise Conflict("admins already have every premium feature", code="already_admin")
    current = _current(data)
    if current is not None and current.status in LIVE:
        raise Conflict(
            "you already have a subscription; change its plan or manage it in the portal",
            code="already_subscribed",
            details={"subscription_status": current.status, "plan": current.plan},
        )
    customer_id = ensure_customer(platform=platform, settings=settings, uid=uid)
    catalogue = stripe_api.ensure_catalogue(settings)
    window = int((now or datetime.now(UTC)).timestamp()) // CHECKOUT_WINDOW_S
    session = stripe_api.create_checkout_session(
        settings,
        uid=uid,
        customer_id=customer_id,
        price_id=catalogue.price_for(plan),
        success_url=_app_url(
            settings, "/settings/subscription?checkout=success&session_id={CHECKOUT_SESSION_ID}"
        ),
        cancel_url=_app_url(settings, "/settings/subscription?checkout=cancelled"),
        idempotency_key=f"synthora-checkout-{uid}-{plan}-{customer_id}-{window}",
    )
    log.info("checkout started", extra=fields(uid=uid, plan=plan, session_id=session["id"]))
    return CheckoutOut(
        session_id=str(session["id"]),
        url=str(session["url"]),
        emulated=stripe_api.is_emulated(settings),
    )


def open_portal(*, platform: Platform, settings: Settings, uid: str) -> PortalOut:
    data = _user(platform, uid)
    customer_id = data.get("stripe_customer_id")
    if not customer_id:
        raise Conflict("you have no billing account yet; subscribe first", code="no_customer")
    session = stripe_api.create_portal_session(
        settings,
        customer_id=str(customer_id),
        return_url=_app_url(settings, "/settings/subscription"),
    )
    return PortalOut(url=str(session["url"]), emulated=stripe_api.is_emulated(settings))


# --------------------------------------------------------------------------- changes


def _apply(platform: Platform, settings: Settings, uid: str, sub: dict[str, Any]) -> StatusOut:
    sync_subscription(platform=platform, settings=settings, sub=sub, uid_hint=uid)
    return get_status(platform=platform, settings=settings, uid=uid)


def cancel(
    *, platform: Platform, settings: Settings, uid: str, at_period_end: bool = True
) -> StatusOut:
    """Cancel at the period's end (premium until then) or at once."""
    summary = _live(_user(platform, uid))
    if at_period_end:
        if summary.cancel_at_period_end:
            return get_status(platform=platform, settings=settings, uid=uid)
        sub = stripe_api.update_subscription(
            settings,
            summary.id,
            params={"cancel_at_period_end": True},
            idempotency_key=f"synthora-cancel-{summary.id}-{_period_key(summary)}",
        )
    else:
        sub = stripe_api.cancel_subscription_now(
            settings, summary.id, idempotency_key=f"synthora-cancel-now-{summary.id}"
        )
    log.info("subscription cancelled", extra=fields(uid=uid, at_period_end=at_period_end))
    return _apply(platform, settings, uid, sub)


def reactivate(*, platform: Platform, settings: Settings, uid: str) -> StatusOut:
    """Undo a cancellation at period end (an ended subscription needs a new checkout)."""
    data = _user(platform, uid)
    summary = _current(data)
    if summary is None or summary.status not in LIVE:
        raise Conflict(
            "this subscription has ended; start a new checkout to subscribe again",
            code="subscription_ended",
        )
    if not summary.cancel_at_period_end:
        raise Conflict("your subscription is not cancelled", code="not_cancelled")
    sub = stripe_api.update_subscription(
        settings,
        summary.id,
        params={"cancel_at_period_end": False},
        idempotency_key=f"synthora-reactivate-{summary.id}-{_period_key(summary)}",
    )
    return _apply(platform, settings, uid, sub)


def change_plan(*, platform: Platform, settings: Settings, uid: str, plan: Plan) -> StatusOut:
    """Switch monthly <-> annual with proration (an interval change bills at once)."""
    summary = _live(_user(platform, uid))
    if summary.plan == plan:
        raise Conflict(f"you are already on the {plan} plan", code="same_plan")
    catalogue = stripe_api.ensure_catalogue(settings)
    live = stripe_api.retrieve_subscription(settings, summary.id)
    item_id = live["items"]["data"][0]["id"]
    price_id = catalogue.price_for(plan)
    sub = stripe_api.update_subscription(
        settings,
        summary.id,
        params={
            "items": [{"id": item_id, "price": price_id}],
            "proration_behavior": "create_prorations",
            "cancel_at_period_end": False,
        },
        idempotency_key=f"synthora-change-{summary.id}-{price_id}-{_period_key(summary)}",
    )
    log.info("plan changed", extra=fields(uid=uid, plan=plan, subscription_id=summary.id))
    return _apply(platform, settings, uid, sub)


def _period_key(summary: SubscriptionSummary) -> int:
    end = summary.current_period_end
    return int(end.timestamp()) if end else 0


# --------------------------------------------------------------------------- invoices


def _dt(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value else None


def list_invoices(
    *, platform: Platform, settings: Settings, uid: str, limit: int, cursor: str | None
) -> InvoicePage:
    data = _user(platform, uid)
    customer_id = data.get("stripe_customer_id")
    if not customer_id:
        return InvoicePage(items=[], has_more=False, next_cursor=None)
    page = stripe_api.list_invoices(
        settings, customer_id=str(customer_id), limit=limit, starting_after=cursor
    )
    items = [
        InvoiceOut(
            id=str(inv["id"]),
            number=inv.get("number"),
            status=inv.get("status"),
            amount_due=int(inv.get("amount_due") or 0),
            amount_paid=int(inv.get("amount_paid") or 0),
            currency=str(inv.get("currency")),
            created=datetime.fromtimestamp(int(inv["created"]), tz=UTC),
            period_start=_dt(inv.get("period_start")),
            period_end=_dt(inv.get("period_end")),
            hosted_invoice_url=inv.get("hosted_invoice_url"),
            invoice_pdf=inv.get("invoice_pdf"),
        )
        for inv in page.get("data") or []
    ]
    has_more = bool(page.get("has_more"))
    return InvoicePage(
        items=items, has_more=has_more, next_cursor=items[-1].id if has_more and items else None
    )


def upcoming_invoice(
    *, platform: Platform, settings: Settings, uid: str, plan: Plan | None = None
) -> UpcomingOut:
    """The next invoice, or what switching to `plan` would bill (prorations included)."""
    data = _user(platform, uid)
    summary = _current(data)
    if summary is None or summary.status not in LIVE:
        return UpcomingOut(invoice=None, plan=None)
    item_id = price_id = None
    if plan is not None and plan != summary.plan:
        live = stripe_api.retrieve_subscription(settings, summary.id)
        item_id = str(live["items"]["data"][0]["id"])
        price_id = stripe_api.ensure_catalogue(settings).price_for(plan)
    preview = stripe_api.preview_invoice(
        settings,
        customer_id=summary.customer_id,
        subscription_id=summary.id,
        item_id=item_id,
        price_id=price_id,
    )
    if preview is None:
        return UpcomingOut(invoice=None, plan=plan or summary.plan)
    lines = []
    for line in (preview.get("lines") or {}).get("data") or []:
        details = ((line.get("parent") or {}).get("subscription_item_details")) or {}
        period = line.get("period") or {}
        lines.append(
            InvoiceLineOut(
                description=line.get("description"),
                amount=int(line.get("amount") or 0),
                proration=bool(details.get("proration")),
                period_start=_dt(period.get("start")),
                period_end=_dt(period.get("end")),
            )
        )
    return UpcomingOut(
        invoice=UpcomingInvoiceOut(
            amount_due=int(preview.get("amount_due") or 0),
            currency=str(preview.get("currency")),
            next_payment_attempt=_dt(preview.get("next_payment_attempt")),
            lines=lines,
        ),
        plan=plan or summary.plan,
    )


# --------------------------------------------------------------------------- admin


def grant_premium(*, platform: Platform, settings: Settings, admin_uid: str, uid: str) -> UserOut:
    """Premium by hand: stays whatever Stripe says until an admin revokes it."""
    user = get_user(platform=platform, uid=uid)
    if user.role == "admin":
        raise Conflict("admins already have every premium feature", code="already_admin")
    ref = platform.documents.collection("users").document(uid)
    ref.update(
        {
            "role": "premium",
            "premium_granted_by": admin_uid,
            "premium_granted_at": datetime.now(UTC),
            "updated_at": datetime.now(UTC),
        }
    )
    log.info("premium granted", extra=fields(uid=uid, by=admin_uid))
    mirror_role_claim(uid, "premium", settings=settings)
    return user_out(uid, ref.get().to_dict() or {})


def revoke_premium(*, platform: Platform, settings: Settings, admin_uid: str, uid: str) -> UserOut:
    """Remove an admin grant; a paid subscription keeps its premium."""
    user = get_user(platform=platform, uid=uid)
    if user.role != "premium":
        raise Conflict("this user is not premium", code="not_premium")
    ref = platform.documents.collection("users").document(uid)
    data = ref.get().to_dict() or {}
    now = datetime.now(UTC)
    role = role_for({**data, "premium_granted_by": None}, settings, now)
    ref.update({"premium_granted_by": None, "role": role, "updated_at": now})
    log.info("premium grant revoked", extra=fields(uid=uid, by=admin_uid, role=role))
    mirror_role_claim(uid, role, settings=settings)
    return user_out(uid, ref.get().to_dict() or {})


def billing_stats(
    *, platform: Platform, settings: Settings, now: datetime | None = None
) -> BillingStatsOut:
    """MRR, ARR, subscribers by plan and status, 30-day churn, and the daily history."""
    now = now or datetime.now(UTC)
    subs = platform.documents.collection(SUBSCRIPTIONS)
    mrr = int(subs.where("status", "in", ["active", "past_due"]).sum("mrr_amount") or 0)
    counts: list[PlanStatusCount] = []
    for status in STATUSES:
        for plan in ("monthly", "annual", "other"):
            n = subs.where("status", "==", status).where("plan", "==", plan).count()
            if n:
                counts.append(PlanStatusCount(plan=plan, status=status, count=n))
    live = sum(c.count for c in counts if c.status in ("active", "trialing", "past_due"))
    churned = subs.where("ended_at", ">=", now - timedelta(days=30)).count()
    granted = platform.documents.collection("users").where("premium_granted_by", "!=", None).count()
    history = revenue.history(platform=platform, days=REVENUE_HISTORY_DAYS, now=now)
    return BillingStatsOut(
        currency=settings.stripe_currency,
        mrr=mrr,
        arr=mrr * 12,
        subscribers=live,
        by_plan_and_status=counts,
        churned_30d=churned,
        churn_rate_30d=round(churned / (live + churned), 4) if live + churned else 0.0,
        admin_granted=granted,
        subscribers_by_plan=history[-1].by_plan,
        history=history,
        emulated=stripe_api.is_emulated(settings),
    )
