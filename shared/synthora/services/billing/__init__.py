"""Billing with Stripe: premium monthly and annual, self-serve, webhooks (docs/billing.md).

- `stripe_api`: the one module that calls Stripe (lazy client, catalogue, errors);
- `state`: our copy of each subscription and the role that follows it;
- `service`: the API's operations (plans, checkout, portal, changes, invoices, admin);
- `webhooks`: signed, de-duplicated, order-safe event handling;
- `expiring`: the daily sweep (expiring subscriptions, annual renewals, grace periods);
- `setup`: `make stripe-setup` and the local gateway's start-up hook.
"""
