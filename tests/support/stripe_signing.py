"""Signed Stripe webhook deliveries for tests, built from the emulator's documented shapes.

`signed(event, secret)` returns the exact body bytes and the `Stripe-Signature`
header Stripe would send (`t=<ts>,v1=HMAC-SHA256(secret, "<ts>.<body>")`,
https://docs.stripe.com/webhooks#verify-manually); nothing is mocked: the
webhook function verifies it with stripe-python like any real delivery.
"""

from __future__ import annotations

import time
from typing import Any

from synthora_emulators import stripe_shapes as shapes

NOW = 1_790_000_000  # a fixed moment (2026-09-21) for deterministic objects


def signed(
    event: dict[str, Any], secret: str, *, timestamp: int | None = None
) -> tuple[bytes, dict[str, str]]:
    body = shapes.webhook_payload(event)
    header = shapes.sign(body, secret=secret, timestamp=int(timestamp or time.time()))
    return body, {"Stripe-Signature": header, "Content-Type": "application/json"}


def price(plan: str = "monthly") -> dict[str, Any]:
    monthly = plan == "monthly"
    return shapes.price(
        id=f"price_{plan}",
        product="synthora_premium",
        unit_amount=500 if monthly else 5000,
        currency="usd",
        interval="month" if monthly else "year",
        created=NOW,
        lookup_key=f"synthora_premium_{plan}",
    )


def subscription(
    sub_id: str = "sub_1",
    *,
    customer: str = "cus_1",
    status: str = "active",
    plan: str = "monthly",
    start: int = NOW,
    end: int | None = None,
    cancel_at_period_end: bool = False,
    uid: str | None = None,
    ended_at: int | None = None,
) -> dict[str, Any]:
    end = end or start + (30 if plan == "monthly" else 365) * 86_400
    item = shapes.subscription_item(
        id=f"si_{sub_id}",
        subscription=sub_id,
        price=price(plan),
        created=start,
        current_period_start=start,
        current_period_end=end,
    )
    return shapes.subscription(
        id=sub_id,
        customer=customer,
        created=start,
        status=status,
        items=[item],
        billing_cycle_anchor=start,
        metadata={"uid": uid} if uid else {},
        cancel_at_period_end=cancel_at_period_end,
        cancel_at=end if cancel_at_period_end else None,
        canceled_at=start + 10 if cancel_at_period_end or status == "canceled" else None,
        ended_at=ended_at,
    )


def invoice(
    invoice_id: str = "in_1",
    *,
    sub: dict[str, Any],
    status: str = "paid",
    amount: int = 500,
    attempt_count: int = 1,
) -> dict[str, Any]:
    item = sub["items"]["data"][0]
    line = shapes.invoice_line(
        id=f"il_{invoice_id}",
        amount=amount,
        currency="usd",
        description="1 x Synthora Premium",
        price=item["price"],
        period_start=item["current_period_start"],
        period_end=item["current_period_end"],
        subscription=sub["id"],
        subscription_item=item["id"],
    )
    return shapes.invoice(
        id=invoice_id,
        customer=sub["customer"],
        created=item["current_period_start"],
        currency="usd",
        lines=[line],
        status=status,
        billing_reason="subscription_cycle",
        subscription=sub["id"],
        period_start=item["current_period_start"],
        period_end=item["current_period_end"],
        attempt_count=attempt_count,
        paid_at=item["current_period_start"] if status == "paid" else None,
    )


def checkout_session(
    *, uid: str, customer: str = "cus_1", subscription: str = "sub_1"
) -> dict[str, Any]:
    session = shapes.checkout_session(
        id="cs_test_1",
        created=NOW,
        expires_at=NOW + 86_400,
        url="https://checkout.stripe.com/c/pay/cs_test_1",
        success_url="http://app.local/done",
        cancel_url="http://app.local/cancel",
        customer=customer,
        customer_email=None,
        client_reference_id=uid,
        amount_total=500,
    )
    session.update(status="complete", payment_status="paid", subscription=subscription, url=None)
    return session


def customer(
    customer_id: str = "cus_1", *, uid: str | None = None, email: str = "a@example.com"
) -> dict[str, Any]:
    return shapes.customer(
        id=customer_id,
        created=NOW,
        email=email,
        metadata={"uid": uid} if uid else {},
        default_payment_method="pm_1",
    )


def event(
    event_type: str,
    obj: dict[str, Any],
    *,
    event_id: str,
    created: int = NOW,
    previous: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return shapes.event(
        id=event_id, type=event_type, created=created, obj=obj, previous_attributes=previous
    )
