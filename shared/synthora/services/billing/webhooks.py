"""Stripe webhooks: verified, recorded once, applied from Stripe's current state.

Stripe delivers each event at least once and in no particular order
(https://docs.stripe.com/webhooks#handle-duplicate-events,
https://docs.stripe.com/webhooks#event-ordering). So:

1. the signature is checked on the exact raw body, within the tolerance
   (`SYNTHORA_STRIPE_WEBHOOK_TOLERANCE_S`, Stripe's default 300 s); a bad or
   missing signature gets 400 and changes nothing;
2. an event id already in `stripe_events` is acknowledged and nothing runs;
3. handlers never apply the payload blindly: a subscription is read back from
   Stripe and `state.sync_subscription` writes what it says now, so an old
   event that arrives late rewrites the newest state; notifications carry
   idempotency keys (invoice id, subscription id and period), so two copies of
   an event processed at the same moment still notify once;
4. the event id is recorded only after its handler succeeded: a failure
   answers 5xx and Stripe's retry runs the handler again;
5. unknown event types are acknowledged (200) and logged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import stripe
from pydantic import BaseModel

from synthora.errors import BadRequest
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.services import notifications
from synthora.services.billing import stripe_api
from synthora.services.billing.state import (
    CUSTOMERS,
    link_customer,
    resolve_uid,
    sync_subscription,
    uid_for_customer,
)
from synthora.services.expiry import CleanupTarget, default_expiry
from synthora.settings import Settings

log = get_logger(__name__)

EVENTS = "stripe_events"
EVENT_RETENTION_DAYS = 60  # longer than Stripe's 3 days of retries

CLEANUP_TARGET = CleanupTarget(name="stripe_events", collection=EVENTS)


class WebhookOut(BaseModel):
    received: bool = True
    event_id: str
    type: str
    outcome: str


Handler = Callable[[Platform, Settings, dict[str, Any]], str]


def handle_webhook(
    *, platform: Platform, settings: Settings, payload: bytes, signature: str | None
) -> WebhookOut:
    """Verify, de-duplicate and apply one delivery."""
    try:
        event = stripe_api.verify_event(settings, payload=payload, signature=signature)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        log.warning("stripe webhook refused", extra=fields(reason=str(exc)[:200]))
        raise BadRequest(
            "the Stripe-Signature header does not match this body", code="invalid_signature"
        ) from exc
    event_id, event_type = str(event.get("id")), str(event.get("type"))
    ref = platform.documents.collection(EVENTS).document(event_id)
    seen = ref.get()
    if seen.exists:
        log.info("stripe event already processed", extra=fields(event_id=event_id))
        return WebhookOut(event_id=event_id, type=event_type, outcome="duplicate")
    handler = HANDLERS.get(event_type)
    if handler is None:
        outcome = "ignored"
        log.info("stripe event type not handled", extra=fields(event_id=event_id, type=event_type))
    else:
        obj = (event.get("data") or {}).get("object") or {}
        outcome = handler(platform, settings, obj)
    now = datetime.now(UTC)
    ref.set(
        {
            "type": event_type,
            "created": datetime.fromtimestamp(int(event.get("created") or 0), tz=UTC),
            "processed_at": now,
            "outcome": outcome,
            "expires_at": default_expiry(days=EVENT_RETENTION_DAYS, now=now),
        }
    )
    log.info(
        "stripe event processed", extra=fields(event_id=event_id, type=event_type, outcome=outcome)
    )
    return WebhookOut(event_id=event_id, type=event_type, outcome=outcome)


# --------------------------------------------------------------------------- handlers


def _sync(
    platform: Platform, settings: Settings, subscription_id: str | None, uid_hint: str | None = None
) -> str:
    if not subscription_id:
        return "no_subscription"
    sub = stripe_api.retrieve_subscription(settings, subscription_id)
    result = sync_subscription(platform=platform, settings=settings, sub=sub, uid_hint=uid_hint)
    return "synced" if result.uid else "unknown_user"


def _checkout_completed(platform: Platform, settings: Settings, obj: dict[str, Any]) -> str:
    uid = obj.get("client_reference_id")
    customer_id = obj.get("customer")
    if obj.get("mode") != "subscription":
        return "ignored_mode"
    if not uid or not platform.documents.collection("users").document(str(uid)).get().exists:
        log.warning(
            "checkout for no known user",
            extra=fields(session_id=obj.get("id"), client_reference_id=uid),
        )
        return "unknown_user"
    if customer_id:
        link_customer(platform, uid=str(uid), customer_id=str(customer_id))
    return _sync(platform, settings, obj.get("subscription"), uid_hint=str(uid))


def _subscription_event(platform: Platform, settings: Settings, obj: dict[str, Any]) -> str:
    return _sync(platform, settings, obj.get("id"))


def _invoice_subscription(obj: dict[str, Any]) -> str | None:
    details = (obj.get("parent") or {}).get("subscription_details") or {}
    return details.get("subscription")


def _invoice_paid(platform: Platform, settings: Settings, obj: dict[str, Any]) -> str:
    outcome = _sync(platform, settings, _invoice_subscription(obj))
    uid = uid_for_customer(platform, obj.get("customer"))
    amount = int(obj.get("amount_paid") or 0)
    if uid and amount > 0:
        # invoice.paid and invoice.payment_succeeded share the key: one notification.
        notifications.notify_payment_success(
            platform=platform,
            uid=uid,
            amount_cents=amount,
            currency=str(obj.get("currency") or settings.stripe_currency),
            idempotency_key=f"payment-success:{obj.get('id')}",
        )
    return outcome


def _invoice_failed(platform: Platform, settings: Settings, obj: dict[str, Any]) -> str:
    outcome = _sync(platform, settings, _invoice_subscription(obj))
    uid = uid_for_customer(platform, obj.get("customer"))
    if uid:
        amount = int(obj.get("amount_due") or 0) / 100
        currency = str(obj.get("currency") or settings.stripe_currency).upper()
        notifications.notify(
            platform=platform,
            uid=uid,
            type=notifications.NotificationType.payment_failed,
            title="Payment failed",
            message=f"We could not charge your card {amount:.2f} {currency}. Update your card "
            f"to keep Premium (Settings, Subscription, Manage billing).",
            link="/settings/subscription?action=update-card",
            data={"invoice_id": obj.get("id"), "attempt": obj.get("attempt_count")},
            idempotency_key=f"payment-failed:{obj.get('id')}:{obj.get('attempt_count')}",
        )
    return outcome


def _customer_updated(platform: Platform, settings: Settings, obj: dict[str, Any]) -> str:
    uid = resolve_uid(platform, {"customer": obj.get("id"), "metadata": obj.get("metadata")})
    if uid is None:
        return "unknown_user"
    platform.documents.collection("users").document(uid).set(
        {
            "billing": {
                "email": obj.get("email"),
                "has_payment_method": bool(
                    (obj.get("invoice_settings") or {}).get("default_payment_method")
                ),
            }
        },
        merge=True,
    )
    return "updated"


def _customer_deleted(platform: Platform, settings: Settings, obj: dict[str, Any]) -> str:
    customer_id = str(obj.get("id"))
    uid = uid_for_customer(platform, customer_id)
    if uid is None:
        return "unknown_user"
    ref = platform.documents.collection("users").document(uid)
    if (ref.get().to_dict() or {}).get("stripe_customer_id") == customer_id:
        ref.update({"stripe_customer_id": None})
    platform.documents.collection(CUSTOMERS).document(customer_id).delete()
    return "unlinked"


def _acknowledged(platform: Platform, settings: Settings, obj: dict[str, Any]) -> str:
    return "acknowledged"


HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": _checkout_completed,
    "checkout.session.expired": _acknowledged,
    "customer.subscription.created": _subscription_event,
    "customer.subscription.updated": _subscription_event,
    "customer.subscription.deleted": _subscription_event,
    "customer.subscription.paused": _subscription_event,
    "customer.subscription.resumed": _subscription_event,
    "invoice.paid": _invoice_paid,
    "invoice.payment_succeeded": _invoice_paid,
    "invoice.payment_failed": _invoice_failed,
    "customer.updated": _customer_updated,
    "customer.deleted": _customer_deleted,
}
