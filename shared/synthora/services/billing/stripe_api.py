"""Stripe: the one module that talks to it.

stripe-python is used through its HTTPX client (`stripe.HTTPXClient`), created
lazily once per (key, base URL, API version), so respx can intercept it in unit
tests and the Stripe emulator can stand in for api.stripe.com by switching the
`api` base address only. Every request pins `settings.stripe_api_version`.
Stripe objects are turned into plain dicts (`to_dict`) at this boundary: since
stripe-python 15 a `StripeObject` is not a dict, and `obj.items` may be the
subscription's items list.

Documentation followed:
- Checkout Sessions https://docs.stripe.com/api/checkout/sessions/create
- Billing Portal https://docs.stripe.com/api/customer_portal/sessions/create
- Subscriptions update https://docs.stripe.com/api/subscriptions/update
  and cancel https://docs.stripe.com/api/subscriptions/cancel
- Invoices list https://docs.stripe.com/api/invoices/list and preview
  https://docs.stripe.com/api/invoices/create_preview (`upcoming` was removed in Basil)
- Prices by lookup key https://docs.stripe.com/api/prices/list (`lookup_keys`)
- Idempotency https://docs.stripe.com/api/idempotent_requests
- Webhook signatures https://docs.stripe.com/webhooks#verify-manually
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import httpx
import stripe

from synthora.errors import ApiError, BadRequest, ServiceUnavailable
from synthora.logs import fields, get_logger
from synthora.settings import ConfigurationError, Settings

log = get_logger(__name__)

EMULATED_SECRET_KEY = "sk_test_synthora_emulated_local"
PRODUCT_ID = "synthora_premium"
Plan = Literal["monthly", "annual"]


class BillingNotConfigured(ServiceUnavailable):
    code = "billing_not_configured"


@dataclass(frozen=True)
class StripeConfig:
    secret_key: str
    base_url: str
    api_version: str
    emulated: bool
    webhook_secret: str | None
    tolerance_s: int


def is_emulated(settings: Settings) -> bool:
    """Local or test mode, no Stripe key, the platform emulators configured (`make dev`, tests)."""
    return (
        settings.is_local
        and settings.stripe_secret_key is None
        and bool(settings.platform_emulator_url)
    )


def is_configured(settings: Settings) -> bool:
    return settings.stripe_secret_key is not None or is_emulated(settings)


def stripe_config(settings: Settings) -> StripeConfig:
    """The effective Stripe configuration; refuses (503) when billing is not set up."""
    emulated = is_emulated(settings)
    if settings.stripe_secret_key is not None:
        key = settings.stripe_secret_key.get_secret_value()
    elif emulated:
        key = EMULATED_SECRET_KEY
    else:
        raise BillingNotConfigured(
            "billing is not configured on this server (set SYNTHORA_STRIPE_SECRET_KEY, "
            "see docs/billing.md)"
        )
    if not settings.is_local and not key.startswith(("sk_live_", "sk_test_", "rk_")):
        raise ConfigurationError("SYNTHORA_STRIPE_SECRET_KEY is not a Stripe secret key")
    webhook_secret: str | None = None
    if settings.stripe_webhook_secret is not None:
        webhook_secret = settings.stripe_webhook_secret.get_secret_value()
    elif settings.is_local:
        webhook_secret = local_webhook_secret(settings)
    return StripeConfig(
        secret_key=key,
        base_url=settings.stripe_base_url,
        api_version=settings.stripe_api_version,
        emulated=emulated,
        webhook_secret=webhook_secret,
        tolerance_s=settings.stripe_webhook_tolerance_s,
    )


def local_webhook_secret(settings: Settings) -> str:
    """Local mode's endpoint secret: derived from the data folder's internal token."""
    digest = hmac.new(
        settings.secret("internal_token").encode(), b"stripe-webhook", hashlib.sha256
    ).hexdigest()
    return "whsec_" + digest[:40]


_clients: dict[tuple[str, str, str], stripe.StripeClient] = {}
_lock = threading.Lock()


def get_client(settings: Settings) -> stripe.StripeClient:
    """The process's Stripe client for this configuration (created on first use)."""
    config = stripe_config(settings)
    cache_key = (config.secret_key, config.base_url, config.api_version)
    with _lock:
        client = _clients.get(cache_key)
        if client is None:
            client = stripe.StripeClient(
                config.secret_key,
                stripe_version=config.api_version,
                base_addresses={"api": config.base_url},
                http_client=stripe.HTTPXClient(timeout=30, allow_sync_methods=True),
                max_network_retries=2,
            )
            _clients[cache_key] = client
    return client


@contextmanager
def stripe_errors(action: str) -> Iterator[None]:
    """Stripe's exceptions as our error body; the cause is logged, never the key."""
    try:
        yield
    except stripe.CardError as exc:
        raise ApiError(
            exc.user_message or "the card was declined",
            code="payment_failed",
            status=402,
            details={"decline_code": getattr(exc, "code", None)},
        ) from exc
    except stripe.RateLimitError as exc:
        raise ServiceUnavailable(
            "the payment provider is busy; try again in a moment",
            code="billing_busy",
            headers={"Retry-After": "5"},
        ) from exc
    except stripe.AuthenticationError as exc:
        log.error("stripe refused our key", extra=fields(action=action))
        raise BillingNotConfigured("billing is misconfigured on this server") from exc
    except stripe.StripeError as exc:
        log.warning(
            "stripe call failed",
            extra=fields(
                action=action,
                error=type(exc).__name__,
                status=exc.http_status,
                code=exc.code,
                stripe_message=str(exc.user_message or exc)[:300],
            ),
        )
        raise ApiError(
            "the payment provider could not complete this request; try again later",
            code="billing_provider_error",
            status=502,
        ) from exc


def as_dict(obj: Any) -> dict[str, Any]:
    return dict(obj.to_dict(for_json=True))


# --------------------------------------------------------------------------- calls


def create_customer(
    settings: Settings, *, uid: str, email: str | None, idempotency_key: str
) -> str:
    params: dict[str, Any] = {"metadata": {"uid": uid}}
    if email:
        params["email"] = email
    with stripe_errors("customers.create"):
        customer = get_client(settings).v1.customers.create(
            params=params,  # type: ignore[arg-type]
            options={"idempotency_key": idempotency_key},
        )
    return str(customer.id)


def create_checkout_session(
    settings: Settings,
    *,
    uid: str,
    customer_id: str,
    price_id: str,
    success_url: str,
    cancel_url: str,
    idempotency_key: str,
) -> dict[str, Any]:
    params: dict[str, Any] = {
        "mode": "subscription",
        "customer": customer_id,
        "client_reference_id": uid,
        "line_items": [{"price": price_id, "quantity": 1}],
        "success_url": success_url,
        "cancel_url": cancel_url,
        "metadata": {"uid": uid},
        "subscription_data": {"metadata": {"uid": uid}},
    }
    with stripe_errors("checkout.sessions.create"):
        session = get_client(settings).v1.checkout.sessions.create(
            params=params,  # type: ignore[arg-type]
            options={"idempotency_key": idempotency_key},
        )
    return as_dict(session)


def retrieve_checkout_session(settings: Settings, session_id: str) -> dict[str, Any]:
    with stripe_errors("checkout.sessions.retrieve"):
        return as_dict(get_client(settings).v1.checkout.sessions.retrieve(session_id))


def create_portal_session(
    settings: Settings, *, customer_id: str, return_url: str
) -> dict[str, Any]:
    with stripe_errors("billing_portal.sessions.create"):
        session = get_client(settings).v1.billing_portal.sessions.create(
            params={"customer": customer_id, "return_url": return_url}
        )
    return as_dict(session)


def retrieve_subscription(settings: Settings, subscription_id: str) -> dict[str, Any]:
    with stripe_errors("subscriptions.retrieve"):
        return as_dict(get_client(settings).v1.subscriptions.retrieve(subscription_id))


def update_subscription(
    settings: Settings, subscription_id: str, *, params: dict[str, Any], idempotency_key: str
) -> dict[str, Any]:
    with stripe_errors("subscriptions.update"):
        sub = get_client(settings).v1.subscriptions.update(
            subscription_id,
            params=params,  # type: ignore[arg-type]
            options={"idempotency_key": idempotency_key},
        )
    return as_dict(sub)


def cancel_subscription_now(
    settings: Settings, subscription_id: str, *, idempotency_key: str
) -> dict[str, Any]:
    with stripe_errors("subscriptions.cancel"):
        sub = get_client(settings).v1.subscriptions.cancel(
            subscription_id, options={"idempotency_key": idempotency_key}
        )
    return as_dict(sub)


def list_invoices(
    settings: Settings, *, customer_id: str, limit: int, starting_after: str | None
) -> dict[str, Any]:
    params: dict[str, Any] = {"customer": customer_id, "limit": limit}
    if starting_after:
        params["starting_after"] = starting_after
    try:
        with stripe_errors("invoices.list"):
            return as_dict(get_client(settings).v1.invoices.list(params=params))  # type: ignore[arg-type]
    except ApiError as exc:
        cause = exc.__cause__
        if (
            starting_after
            and isinstance(cause, stripe.InvalidRequestError)
            and getattr(cause, "param", None) == "starting_after"
        ):  # a cursor that is none of this customer's invoices: the caller's mistake
            raise BadRequest(
                "this page cursor is not one of your invoices", code="invalid_cursor"
            ) from cause
        raise


def preview_invoice(
    settings: Settings,
    *,
    customer_id: str,
    subscription_id: str,
    item_id: str | None = None,
    price_id: str | None = None,
) -> dict[str, Any] | None:
    """The next invoice (or a plan change's), None when nothing is coming."""
    params: dict[str, Any] = {"customer": customer_id, "subscription": subscription_id}
    if item_id and price_id:
        params["subscription_details"] = {
            "items": [{"id": item_id, "price": price_id}],
            "proration_behavior": "create_prorations",
        }
    with stripe_errors("invoices.create_preview"):
        try:
            preview = get_client(settings).v1.invoices.create_preview(
                params=params  # type: ignore[arg-type]
            )
        except stripe.InvalidRequestError as exc:
            if exc.code == "invoice_upcoming_none":
                return None
            raise
    return as_dict(preview)


def verify_event(settings: Settings, *, payload: bytes, signature: str | None) -> dict[str, Any]:
    """The event, if `signature` is Stripe's over these exact bytes within the tolerance."""
    config = stripe_config(settings)
    if not config.webhook_secret:
        raise BillingNotConfigured("the Stripe webhook secret is not configured")
    if not signature:
        raise stripe.SignatureVerificationError("no Stripe-Signature header", signature, payload)
    event = stripe.Webhook.construct_event(
        payload, signature, config.webhook_secret, tolerance=config.tolerance_s
    )
    return as_dict(event)


# --------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class Catalogue:
    product_id: str
    monthly_price_id: str
    annual_price_id: str

    def price_for(self, plan: Plan) -> str:
        return self.monthly_price_id if plan == "monthly" else self.annual_price_id


def ensure_catalogue(settings: Settings) -> Catalogue:
    """Find the product and both prices by lookup key, creating what is missing.

    Idempotent and safe to run at once from several processes: creations carry
    idempotency keys derived from the configuration, and a price whose amount or
    currency no longer matches the configuration is replaced by a new one that
    takes over its lookup key (`transfer_lookup_key`); subscribers keep theirs.
    Not cached: two reads per checkout or plan change, always the account's truth.
    """
    wanted: dict[Plan, tuple[str, int, str]] = {
        "monthly": (settings.stripe_monthly_lookup_key, settings.stripe_monthly_amount, "month"),
        "annual": (settings.stripe_annual_lookup_key, settings.stripe_annual_amount, "year"),
    }
    client = get_client(settings)
    currency = settings.stripe_currency
    with stripe_errors("catalogue"):
        try:
            product = client.v1.products.retrieve(PRODUCT_ID)
        except stripe.InvalidRequestError as exc:
            if exc.http_status != 404:
                raise
            product = client.v1.products.create(
                params={
                    "id": PRODUCT_ID,
                    "name": settings.stripe_product_name,
                    "metadata": {"app": "synthora"},
                },
                options={"idempotency_key": f"synthora-product-{PRODUCT_ID}"},
            )
        found = client.v1.prices.list(
            params={"lookup_keys": [key for key, _, _ in wanted.values()], "limit": 10}
        )
        by_key = {str(p.lookup_key): p for p in found.data}
        ids: dict[str, str] = {}
        for plan, (lookup_key, amount, interval) in wanted.items():
            price = by_key.get(lookup_key)
            if (
                price is not None
                and price.active
                and price.unit_amount == amount
                and price.currency == currency
                and price.recurring is not None
                and price.recurring.interval == interval
            ):
                ids[plan] = str(price.id)
                continue
            created = client.v1.prices.create(
                params={
                    "product": PRODUCT_ID,
                    "currency": currency,
                    "unit_amount": amount,
                    "recurring": {"interval": interval},  # type: ignore[typeddict-item]
                    "lookup_key": lookup_key,
                    "transfer_lookup_key": True,
                    "nickname": f"Premium {plan}",
                    "metadata": {"plan": plan},
                },
                options={
                    "idempotency_key": f"synthora-price-{lookup_key}-{amount}-{currency}-{interval}"
                },
            )
            log.info(
                "stripe price created",
                extra=fields(plan=plan, price_id=created.id, amount=amount, currency=currency),
            )
            ids[plan] = str(created.id)
    return Catalogue(
        product_id=str(product.id), monthly_price_id=ids["monthly"], annual_price_id=ids["annual"]
    )


def configure_emulator_webhook(settings: Settings, *, url: str) -> dict[str, Any]:
    """Point the local Stripe emulator's webhook endpoint at `url` with our secret (local only)."""
    config = stripe_config(settings)
    if not config.emulated or not settings.platform_emulator_url:
        raise ConfigurationError("the Stripe emulator is not in use")
    r = httpx.post(
        settings.platform_emulator_url.rstrip("/") + "/_emulator/stripe/webhook",
        json={"url": url, "secret": config.webhook_secret, "api_version": config.api_version},
        timeout=10,
    )
    r.raise_for_status()
    return {"url": url, "api_version": config.api_version}
