"""Stripe webhook endpoint: signature on the raw body, each event applied once."""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.billing import webhooks

router = Router(
    group="stripe_webhook",
    prefix="/api/v1/stripe-webhook",
    description="Stripe events (signed with the endpoint's secret; no user token).",
)


@router.post(
    "",
    name="receive",
    auth="public",
    response=webhooks.WebhookOut,
    max_body=512_000,
    errors=(400, 502, 503),
    signature_header="Stripe-Signature",
)
def receive(ctx: RequestContext) -> webhooks.WebhookOut:
    """Receive one Stripe event (Stripe-Signature checked on the exact bytes)."""
    return webhooks.handle_webhook(
        platform=get_platform(),
        settings=ctx.settings,
        payload=ctx.request.get_data(cache=True),
        signature=ctx.request.headers.get("Stripe-Signature"),
    )


@functions_framework.http
def stripe_webhook(request: flask.Request) -> flask.Response:
    return router(request)
