"""Stripe object shapes: the one source of truth for the emulator and the unit tests.

Every builder returns a plain dict shaped like the object the Stripe API
returns (API version Endive, so with Basil's moves already applied: billing
periods on the subscription *items*, an invoice's subscription under
`parent.subscription_details`). The Stripe emulator answers with these, and
the unit tests' respx routes and signed webhook payloads are built from the
same functions, so the two cannot drift apart.

Sources (read 2026-12):
- Products https://docs.stripe.com/api/products/object
- Prices (lookup keys) https://docs.stripe.com/api/prices/object
- Customers https://docs.stripe.com/api/customers/object
- Checkout Sessions https://docs.stripe.com/api/checkout/sessions/object
- Billing Portal sessions https://docs.stripe.com/api/customer_portal/sessions/object
- Subscriptions https://docs.stripe.com/api/subscriptions/object (periods moved to items in
  2025-03-31.basil: https://docs.stripe.com/changelog/basil)
- Invoices https://docs.stripe.com/api/invoices/object and the preview
  https://docs.stripe.com/api/invoices/create_preview (the old `upcoming` endpoint is gone)
- Events https://docs.stripe.com/api/events/object
- Errors https://docs.stripe.com/api/errors
- Webhook signatures https://docs.stripe.com/webhooks#verify-manually
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

# The API version the emulator renders, and that Synthora pins (stripe-python 16.1.0's).
API_VERSION = "2026-10-28.endive"

ERROR_DOCS = "https://docs.stripe.com/error-codes"


def list_object(url: str, data: list[dict[str, Any]], *, has_more: bool = False) -> dict[str, Any]:
    return {"object": "list", "data": data, "has_more": has_more, "url": url}


def product(
    *,
    id: str,
    name: str,
    created: int,
    metadata: dict[str, str] | None = None,
    active: bool = True,
    description: str | None = None,
) -> dict[str, Any]:
    return {
        "id": id,
        "object": "product",
        "active": active,
        "created": created,
        "updated": created,
        "default_price": None,
        "description": description,
        "livemode": False,
        "metadata": metadata or {},
        "name": name,
        "type": "service",
    }


def price(
    *,
    id: str,
    product: str | dict[str, Any],
    unit_amount: int,
    currency: str,
    interval: str,
    created: int,
    lookup_key: str | None = None,
    interval_count: int = 1,
    active: bool = True,
    metadata: dict[str, str] | None = None,
    nickname: str | None = None,
) -> dict[str, Any]:
    return {
        "id": id,
        "object": "price",
        "active": active,
        "billing_scheme": "per_unit",
        "created": created,
        "currency": currency,
        "livemode": False,
        "lookup_key": lookup_key,
        "metadata": metadata or {},
        "nickname": nickname,
        "product": product,
        "recurring": {
            "interval": interval,
            "interval_count": interval_count,
            "meter": None,
            "usage_type": "licensed",
        },
        "tax_behavior": "unspecified",
        "type": "recurring",
        "unit_amount": unit_amount,
        "unit_amount_decimal": str(unit_amount),
    }


def customer(
    *,
    id: str,
    created: int,
    email: str | None = None,
    name: str | None = None,
    metadata: dict[str, str] | None = None,
    default_payment_method: str | None = None,
) -> dict[str, Any]:
    return {
        "id": id,
        "object": "customer",
        "balance": 0,
        "created": created,
        "currency": None,
        "delinquent": False,
        "description": None,
        "email": email,
        "invoice_prefix": id[-8:].upper(),
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": default_payment_method,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": metadata or {},
        "name": name,
        "preferred_locales": [],
    }


def deleted(*, id: str, object: str) -> dict[str, Any]:
    return {"id": id, "object": object, "deleted": True}


def payment_method(
    *,
    id: str,
    created: int,
    last4: str,
    brand: str,
    exp_month: int,
    exp_year: int,
    customer: str | None,
) -> dict[str, Any]:
    return {
        "id": id,
        "object": "payment_method",
        "billing_details": {"address": None, "email": None, "name": None, "phone": None},
        "card": {
            "brand": brand,
            "country": "US",
            "exp_month": exp_month,
            "exp_year": exp_year,
            "funding": "credit",
            "last4": last4,
        },
        "created": created,
        "customer": customer,
        "livemode": False,
        "metadata": {},
        "type": "card",
    }


def checkout_session(
    *,
    id: str,
    created: int,
    expires_at: int,
    url: str,
    success_url: str,
    cancel_url: str | None,
    customer: str | None,
    customer_email: str | None,
    client_reference_id: str | None,
    metadata: dict[str, str] | None = None,
    mode: str = "subscription",
    amount_total: int = 0,
    currency: str = "usd",
) -> dict[str, Any]:
    return {
        "id": id,
        "object": "checkout.session",
        "amount_subtotal": amount_total,
        "amount_total": amount_total,
        "cancel_url": cancel_url,
        "client_reference_id": client_reference_id,
        "created": created,
        "currency": currency,
        "customer": customer,
        "customer_details": {"email": customer_email} if customer_email else None,
        "customer_email": customer_email,
        "expires_at": expires_at,
        "invoice": None,
        "livemode": False,
        "metadata": metadata or {},
        "mode": mode,
        "payment_status": "unpaid",
        "status": "open",
        "subscription": None,
        "success_url": success_url,
        "ui_mode": "hosted_page",
        "url": url,
    }


def portal_session(
    *,
    id: str,
    created: int,
    customer: str,
    url: str,
    return_url: str | None,
    flow: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "id": id,
        "object": "billing_portal.session",
        "configuration": "bpc_emulated_default",
        "created": created,
        "customer": customer,
        "flow": flow,
        "livemode": False,
        "locale": None,
        "on_behalf_of": None,
        "return_url": return_url,
        "url": url,
    }


def subscription_item(
    *,
    id: str,
    subscription: str,
    price: dict[str, Any],
    created: int,
    current_period_start: int,
    current_period_end: int,
    quantity: int = 1,
) -> dict[str, Any]:
    return {
        "id": id,
        "object": "subscription_item",
        "created": created,
        "current_period_end": current_period_end,
        "current_period_start": current_period_start,
        "metadata": {},
        "price": price,
        "quantity": quantity,
        "subscription": subscription,
    }


def subscription(
    *,
    id: str,
    customer: str,
    created: int,
    status: str,
    items: list[dict[str, Any]],
    billing_cycle_anchor: int,
    metadata: dict[str, str] | None = None,
    cancel_at_period_end: bool = False,
    cancel_at: int | None = None,
    canceled_at: int | None = None,
    ended_at: int | None = None,
    latest_invoice: str | None = None,
    default_payment_method: str | None = None,
    trial_end: int | None = None,
    currency: str = "usd",
) -> dict[str, Any]:
    return {
        "id": id,
        "object": "subscription",
        "billing_cycle_anchor": billing_cycle_anchor,
        "billing_mode": {"type": "flexible"},
        "cancel_at": cancel_at,
        "cancel_at_period_end": cancel_at_period_end,
        "canceled_at": canceled_at,
        "cancellation_details": {"comment": None, "feedback": None, "reason": None},
        "collection_method": "charge_automatically",
        "created": created,
        "currency": currency,
        "customer": customer,
        "default_payment_method": default_payment_method,
        "ended_at": ended_at,
        "items": list_object(f"/v1/subscription_items?subscription={id}", items),
        "latest_invoice": latest_invoice,
        "livemode": False,
        "metadata": metadata or {},
        "pause_collection": None,
        "start_date": created,
        "status": status,
        "trial_end": trial_end,
        "trial_start": created if trial_end else None,
    }


def invoice_line(
    *,
    id: str,
    amount: int,
    currency: str,
    description: str,
    price: dict[str, Any],
    period_start: int,
    period_end: int,
    subscription: str | None,
    subscription_item: str | None,
    proration: bool = False,
    quantity: int = 1,
) -> dict[str, Any]:
    return {
        "id": id,
        "object": "line_item",
        "amount": amount,
        "currency": currency,
        "description": description,
        "livemode": False,
        "metadata": {},
        "parent": {
            "type": "subscription_item_details",
            "invoice_item_details": None,
            "subscription_item_details": {
                "invoice_item": None,
                "proration": proration,
                "proration_details": {"credited_items": None},
                "subscription": subscription,
                "subscription_item": subscription_item,
            },
        },
        "period": {"end": period_end, "start": period_start},
        "pricing": {
            "type": "price_details",
            "price_details": {"price": price["id"], "product": _id_of(price["product"])},
            "unit_amount_decimal": price.get("unit_amount_decimal"),
        },
        "quantity": quantity,
    }


def invoice(
    *,
    id: str | None,
    customer: str,
    created: int,
    currency: str,
    lines: list[dict[str, Any]],
    status: str,
    billing_reason: str,
    subscription: str | None,
    period_start: int,
    period_end: int,
    number: str | None = None,
    hosted_invoice_url: str | None = None,
    invoice_pdf: str | None = None,
    customer_email: str | None = None,
    subscription_metadata: dict[str, str] | None = None,
    attempt_count: int = 0,
    next_payment_attempt: int | None = None,
    paid_at: int | None = None,
) -> dict[str, Any]:
    total = sum(int(line["amount"]) for line in lines)
    due = max(total, 0)
    paid = due if status == "paid" else 0
    return {
        "id": id,
        "object": "invoice",
        "account_country": "US",
        "amount_due": due,
        "amount_paid": paid,
        "amount_remaining": due - paid,
        "attempt_count": attempt_count,
        "attempted": attempt_count > 0,
        "auto_advance": status not in ("paid", "void"),
        "billing_reason": billing_reason,
        "collection_method": "charge_automatically",
        "created": created,
        "currency": currency,
        "customer": customer,
        "customer_email": customer_email,
        "ending_balance": 0 if status == "paid" else None,
        "hosted_invoice_url": hosted_invoice_url,
        "invoice_pdf": invoice_pdf,
        "lines": list_object(
            f"/v1/invoices/{id}/lines" if id else "/v1/invoices/upcoming/lines", lines
        ),
        "livemode": False,
        "metadata": {},
        "next_payment_attempt": next_payment_attempt,
        "number": number,
        "parent": (
            {
                "type": "subscription_details",
                "quote_details": None,
                "subscription_details": {
                    "metadata": subscription_metadata or {},
                    "subscription": subscription,
                },
            }
            if subscription
            else None
        ),
        "period_end": period_end,
        "period_start": period_start,
        "starting_balance": 0,
        "status": status,
        "status_transitions": {
            "finalized_at": created if status != "draft" else None,
            "marked_uncollectible_at": None,
            "paid_at": paid_at,
            "voided_at": None,
        },
        "subtotal": total,
        "total": total,
    }


def event(
    *,
    id: str,
    type: str,
    created: int,
    obj: dict[str, Any],
    previous_attributes: dict[str, Any] | None = None,
    api_version: str = API_VERSION,
    request_id: str | None = None,
    idempotency_key: str | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {"object": obj}
    if previous_attributes is not None:
        data["previous_attributes"] = previous_attributes
    return {
        "id": id,
        "object": "event",
        "api_version": api_version,
        "created": created,
        "data": data,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": request_id, "idempotency_key": idempotency_key},
        "type": type,
    }


def error(
    *,
    type: str,
    message: str,
    code: str | None = None,
    param: str | None = None,
    decline_code: str | None = None,
) -> dict[str, Any]:
    """Stripe's error body: `{"error": {type, code, message, param, doc_url}}`."""
    body: dict[str, Any] = {"type": type, "message": message}
    if code:
        body["code"] = code
        body["doc_url"] = f"{ERROR_DOCS}#{code.replace('_', '-')}"
    if param:
        body["param"] = param
    if decline_code:
        body["decline_code"] = decline_code
    return {"error": body}


# --------------------------------------------------------------------------- webhooks


def webhook_payload(event_obj: dict[str, Any]) -> bytes:
    """The exact bytes Stripe POSTs (pretty-printed JSON, as Stripe sends it)."""
    return json.dumps(event_obj, indent=2).encode()


def sign(payload: bytes, *, secret: str, timestamp: int) -> str:
    """The `Stripe-Signature` header: `t=<ts>,v1=<HMAC-SHA256(secret, "<ts>.<payload>")>`."""
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _id_of(value: str | dict[str, Any]) -> str:
    return value if isinstance(value, str) else str(value["id"])
