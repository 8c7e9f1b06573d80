"""Stripe set-up: the product and prices by lookup key, and (locally) the emulator's webhook.

    python -m synthora.services.billing.setup     # what `make stripe-setup` runs

With a real key it finds or creates the product and both prices (idempotent)
and prints their ids. With no key and the platform emulators configured
(`SYNTHORA_PLATFORM_EMULATOR_URL`), it does the same against the emulator and
points the emulator's webhook endpoint at this server's
`/api/v1/stripe-webhook` with the local signing secret. The local gateway runs
the same step at start (`setup_at_startup`, a start-up hook) when the emulator is in use.
"""

from __future__ import annotations

import sys

from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.services.billing import stripe_api
from synthora.settings import Settings, get_settings

log = get_logger(__name__)

WEBHOOK_PATH = "/api/v1/stripe-webhook"


def setup(settings: Settings) -> dict[str, str]:
    catalogue = stripe_api.ensure_catalogue(settings)
    out = {
        "product": catalogue.product_id,
        "monthly_price": catalogue.monthly_price_id,
        "annual_price": catalogue.annual_price_id,
        "api_version": settings.stripe_api_version,
        "api_base": settings.stripe_base_url,
    }
    if stripe_api.is_emulated(settings):
        url = settings.public_url.rstrip("/") + WEBHOOK_PATH
        stripe_api.configure_emulator_webhook(settings, url=url)
        out["webhook"] = url
    return out


def setup_at_startup(platform: Platform) -> None:
    """Start-up hook (synthora.local.startup): prepare the Stripe emulator when it stands in."""
    settings = platform.settings
    if not stripe_api.is_emulated(settings):
        return  # real Stripe: `make stripe-setup` once, webhooks configured in the dashboard
    result = setup(settings)
    log.info("stripe emulator ready", extra=fields(**result))


def main() -> int:
    settings = get_settings()
    if not stripe_api.is_configured(settings):
        sys.stderr.write(
            "billing is not configured: set SYNTHORA_STRIPE_SECRET_KEY (or run the platform "
            "emulators and set SYNTHORA_PLATFORM_EMULATOR_URL); see docs/billing.md\n"
        )
        return 2
    for key, value in setup(settings).items():
        sys.stdout.write(f"{key}: {value}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
