"""Subscriptions: plans, my status, Checkout, the portal, cancel, plan changes, invoices, admin."""

import flask
import functions_framework
from pydantic import BaseModel, Field

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.accounts import UserOut
from synthora.services.billing import service
from synthora.services.billing import setup as _setup  # noqa: F401  (registers the start-up hook)

router = Router(
    group="subscriptions",
    prefix="/api/v1/subscriptions",
    write_scope="session",
    description="Premium monthly and annual with Stripe: self-serve checkout, portal, invoices.",
)


class InvoicesQuery(BaseModel):
    limit: int = Field(default=10, ge=1, le=100)
    cursor: str | None = Field(
        default=None,
        max_length=200,
        pattern=r"^in_[A-Za-z0-9]+$",
        description="Last invoice id seen (a `next_cursor`).",
    )


class UpcomingQuery(BaseModel):
    plan: service.Plan | None = Field(
        default=None, description="Preview switching to this plan (prorations included)."
    )


@router.get("/plans", name="plans", auth="public", response=service.PlansOut)
def plans(ctx: RequestContext) -> service.PlansOut:
    """Free, monthly and annual plans with their prices and features."""
    return service.list_plans(platform=get_platform(), settings=ctx.settings)


@router.get("/status", name="status", auth="user", response=service.StatusOut)
def status(ctx: RequestContext) -> service.StatusOut:
    """My plan, role and subscription state (from our copy, no Stripe call)."""
    return service.get_status(platform=get_platform(), settings=ctx.settings, uid=ctx.uid)


@router.get(
    "/details", name="details", auth="user", response=service.DetailsOut, errors=(409, 502, 503)
)
def details(ctx: RequestContext) -> service.DetailsOut:
    """My subscription as Stripe has it now."""
    return service.get_details(platform=get_platform(), settings=ctx.settings, uid=ctx.uid)


@router.post(
    "/checkout",
    name="checkout",
    auth="user",
    body=service.CheckoutRequest,
    response=service.CheckoutOut,
    status=201,
    errors=(409, 502, 503),
    rate_limit="checkout",
    check_revoked=True,
)
def checkout(ctx: RequestContext, *, body: service.CheckoutRequest) -> service.CheckoutOut:
    """Start a Stripe Checkout for the monthly or annual plan; open `url` to pay."""
    return service.start_checkout(
        platform=get_platform(), settings=ctx.settings, uid=ctx.uid, plan=body.plan
    )


@router.post(
    "/portal", name="portal", auth="user", response=service.PortalOut, errors=(409, 502, 503)
)
def portal(ctx: RequestContext) -> service.PortalOut:
    """A Stripe Billing Portal session (card, plan, cancellation, invoices)."""
    return service.open_portal(platform=get_platform(), settings=ctx.settings, uid=ctx.uid)


@router.post(
    "/cancel",
    name="cancel",
    auth="user",
    body=service.CancelRequest,
    response=service.StatusOut,
    errors=(409, 502, 503),
)
def cancel(ctx: RequestContext, *, body: service.CancelRequest) -> service.StatusOut:
    """Cancel at the end of the period (default) or now."""
    return service.cancel(
        platform=get_platform(),
        settings=ctx.settings,
        uid=ctx.uid,
        at_period_end=body.at_period_end,
    )


@router.post(
    "/reactivate",
    name="reactivate",
    auth="user",
    response=service.StatusOut,
    errors=(409, 502, 503),
)
def reactivate(ctx: RequestContext) -> service.StatusOut:
    """Undo a cancellation before the period ends."""
    return service.reactivate(platform=get_platform(), settings=ctx.settings, uid=ctx.uid)


@router.post(
    "/change-plan",
    name="change_plan",
    auth="user",
    body=service.ChangePlanRequest,
    response=service.StatusOut,
    errors=(409, 402, 502, 503),
)
def change_plan(ctx: RequestContext, *, body: service.ChangePlanRequest) -> service.StatusOut:
    """Switch between monthly and annual, prorated."""
    return service.change_plan(
        platform=get_platform(), settings=ctx.settings, uid=ctx.uid, plan=body.plan
    )


@router.get(
    "/invoices",
    name="invoices",
    auth="user",
    query=InvoicesQuery,
    response=service.InvoicePage,
    errors=(502, 503),
)
def invoices(ctx: RequestContext, *, query: InvoicesQuery) -> service.InvoicePage:
    """My invoices, newest first, with their hosted page and PDF links."""
    return service.list_invoices(
        platform=get_platform(),
        settings=ctx.settings,
        uid=ctx.uid,
        limit=query.limit,
        cursor=query.cursor,
    )


@router.get(
    "/invoices/upcoming",
    name="upcoming_invoice",
    auth="user",
    query=UpcomingQuery,
    response=service.UpcomingOut,
    errors=(502, 503),
)
def upcoming_invoice(ctx: RequestContext, *, query: UpcomingQuery) -> service.UpcomingOut:
    """The next invoice (Stripe's invoice preview), or a plan change's."""
    return service.upcoming_invoice(
        platform=get_platform(), settings=ctx.settings, uid=ctx.uid, plan=query.plan
    )


@router.post(
    "/admin/grant-premium",
    name="admin_grant_premium",
    auth="admin",
    body=service.GrantRequest,
    response=UserOut,
    errors=(404, 409),
)
def admin_grant_premium(ctx: RequestContext, *, body: service.GrantRequest) -> UserOut:
    """Make a user premium by hand (admin); Stripe events leave it in place."""
    return service.grant_premium(
        platform=get_platform(), settings=ctx.settings, admin_uid=ctx.uid, uid=body.user_id
    )


@router.post(
    "/admin/revoke-premium",
    name="admin_revoke_premium",
    auth="admin",
    body=service.GrantRequest,
    response=UserOut,
    errors=(404, 409),
)
def admin_revoke_premium(ctx: RequestContext, *, body: service.GrantRequest) -> UserOut:
    """Remove a hand-granted premium (admin); a paid subscription keeps premium."""
    return service.revoke_premium(
        platform=get_platform(), settings=ctx.settings, admin_uid=ctx.uid, uid=body.user_id
    )


@router.get("/admin/stats", name="admin_stats", auth="admin", response=service.BillingStatsOut)
def admin_stats(ctx: RequestContext) -> service.BillingStatsOut:
    """MRR, ARR, subscribers by plan and status, 30-day churn (admin)."""
    return service.billing_stats(platform=get_platform(), settings=ctx.settings)


@functions_framework.http
def subscriptions(request: flask.Request) -> flask.Response:
    return router(request)
