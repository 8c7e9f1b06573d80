"""The Stripe emulator, driven by the real `stripe` library over real HTTP.

Each test checks what Stripe documents (shapes in `synthora_emulators.stripe_shapes`):
lookup keys, idempotency, the error body, Checkout with the documented test
cards, the Billing Portal, prorations, the invoice preview, the billing clock
and webhook delivery signed as Stripe signs (checked with `stripe.Webhook`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import stripe
from synthora_emulators import stripe_shapes as shapes
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.conftest import PlatformEmulators, free_port

KEY = "sk_test_emulated_0123456789"
SECRET = "whsec_test_receiver_secret"
DAY = 86_400


class Receiver:
    """A loopback webhook endpoint that records each delivery; answers `statuses` in turn."""

    def __init__(self) -> None:
        self.requests: list[tuple[bytes, str]] = []
        self.statuses: list[int] = []
        self.port = free_port()
        self.server = make_server("127.0.0.1", self.port, self._app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def _app(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        self.requests.append((request.get_data(), request.headers.get("Stripe-Signature", "")))
        status = self.statuses.pop(0) if self.statuses else 200
        return Response(json.dumps({"received": True}), status=status)(environ, start_response)

    def events(self) -> list[dict[str, Any]]:
        """Every delivered event, verified with the stripe library's own checker."""
        out = []
        for body, header in self.requests:
            event = stripe.Webhook.construct_event(body, header, SECRET, tolerance=None)
            out.append(json.loads(body))
            assert event.id == out[-1]["id"]
        return out

    def types(self) -> list[str]:
        return [e["type"] for e in self.events()]


@pytest.fixture
def receiver(platform_emulators: PlatformEmulators) -> Iterator[Receiver]:
    r = Receiver()
    r.thread.start()
    platform_emulators.control("stripe/webhook", {"url": r.url, "secret": SECRET})
    yield r
    r.server.shutdown()


@pytest.fixture
def client(platform_emulators: PlatformEmulators) -> stripe.StripeClient:
    return stripe.StripeClient(
        KEY,
        http_client=stripe.HTTPXClient(allow_sync_methods=True),
        base_addresses={"api": platform_emulators.base("stripe")},
        max_network_retries=0,
    )


def flush(emulators: PlatformEmulators) -> list[dict[str, Any]]:
    return list(emulators.control("stripe/flush")["attempts"])  # type: ignore[call-overload]


def deliveries(emulators: PlatformEmulators) -> list[dict[str, Any]]:
    return list(emulators.inspect("stripe")["deliveries"])  # type: ignore[call-overload]


def catalogue(client: stripe.StripeClient) -> tuple[Any, Any]:
    product = client.v1.products.create(params={"name": "Synthora Premium"})
    monthly = client.v1.prices.create(
        params={
            "product": product.id,
            "unit_amount": 500,
            "currency": "usd",
            "recurring": {"interval": "month"},
            "lookup_key": "premium_monthly",
        }
    )
    annual = client.v1.prices.create(
        params={
            "product": product.id,
            "unit_amount": 5000,
            "currency": "usd",
            "recurring": {"interval": "year"},
            "lookup_key": "premium_annual",
        }
    )
    return monthly, annual


def pay(url: str, card: str = "4242 4242 4242 4242") -> httpx.Response:
    return httpx.post(url, data={"card_number": card, "card_expiry": "12 / 39", "card_cvc": "123"})


def subscribe(client: stripe.StripeClient, price: Any, card: str = "4242424242424242") -> Any:
    customer = client.v1.customers.create(params={"email": "ada@example.com"})
    session = client.v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": customer.id,
            "line_items": [{"price": price.id, "quantity": 1}],
            "success_url": "http://app.local/done?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": "http://app.local/cancelled",
            "client_reference_id": "uid-1",
            "subscription_data": {"metadata": {"uid": "uid-1"}},
        }
    )
    r = pay(session.url, card)
    assert r.status_code == 303, r.text
    session = client.v1.checkout.sessions.retrieve(session.id)
    return client.v1.subscriptions.retrieve(session.subscription)


# --------------------------------------------------------------------------- catalogue


def test_prices_are_found_by_lookup_key_and_keys_are_unique(client: stripe.StripeClient) -> None:
    monthly, annual = catalogue(client)
    found = client.v1.prices.list(
        params={"lookup_keys": ["premium_annual"], "expand": ["data.product"]}
    )
    assert [p.id for p in found.data] == [annual.id]
    assert found.data[0].product.name == "Synthora Premium"
    assert found.data[0].recurring.interval == "year"
    with pytest.raises(stripe.InvalidRequestError) as taken:
        client.v1.prices.create(
            params={
                "product": monthly.product,
                "unit_amount": 600,
                "currency": "usd",
                "recurring": {"interval": "month"},
                "lookup_key": "premium_monthly",
            }
        )
    assert taken.value.http_status == 400
    assert taken.value.param == "lookup_key"
    moved = client.v1.prices.create(
        params={
            "product": monthly.product,
            "unit_amount": 600,
            "currency": "usd",
            "recurring": {"interval": "month"},
            "lookup_key": "premium_monthly",
            "transfer_lookup_key": True,
        }
    )
    assert client.v1.prices.retrieve(monthly.id).lookup_key is None
    searched = client.v1.prices.search(params={"query": "lookup_key:'premium_monthly'"})
    assert [p.id for p in searched.data] == [moved.id]


# --------------------------------------------------------------------------- errors, idempotency


def test_requests_without_a_key_get_stripes_401(platform_emulators: PlatformEmulators) -> None:
    r = httpx.get(f"{platform_emulators.base('stripe')}/v1/customers")
    assert r.status_code == 401
    assert r.json()["error"]["type"] == "invalid_request_error"
    r = httpx.get(
        f"{platform_emulators.base('stripe')}/v1/customers",
        headers={"Authorization": "Bearer sk_live_realkey1234"},
    )
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "api_key_invalid"


def test_missing_objects_and_bad_params_use_stripes_error_body(
    client: stripe.StripeClient, platform_emulators: PlatformEmulators
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.customers.retrieve("cus_nope")
    assert missing.value.http_status == 404
    assert missing.value.code == "resource_missing"
    assert missing.value.json_body["error"]["message"] == "No such customer: 'cus_nope'"
    with pytest.raises(stripe.InvalidRequestError) as bad:
        client.v1.checkout.sessions.create(params={"mode": "subscription"})
    assert bad.value.param == "success_url"
    r = httpx.post(
        f"{platform_emulators.base('stripe')}/v1/charges",
        headers={"Authorization": f"Bearer {KEY}"},
    )
    assert r.status_code == 404
    assert "Unrecognized request URL" in r.json()["error"]["message"]


def test_injected_faults_answer_in_stripes_shape(
    client: stripe.StripeClient, platform_emulators: PlatformEmulators
) -> None:
    httpx.post(
        f"{platform_emulators.url}/_emulator/faults",
        json={"platform": "stripe", "path": "/v1/customers", "status": 429, "retry_after": 1},
    ).raise_for_status()
    with pytest.raises(stripe.RateLimitError):
        client.v1.customers.create(params={"email": "a@example.com"})
    httpx.post(
        f"{platform_emulators.url}/_emulator/faults",
        json={"platform": "stripe", "path": "/v1/customers", "status": 500},
    ).raise_for_status()
    with pytest.raises(stripe.APIError) as failed:
        client.v1.customers.create(params={"email": "a@example.com"})
    assert failed.value.json_body["error"]["type"] == "api_error"


def test_idempotency_key_replays_and_refuses_other_params(
    platform_emulators: PlatformEmulators,
) -> None:
    url = f"{platform_emulators.base('stripe')}/v1/customers"
    headers = {"Authorization": f"Bearer {KEY}", "Idempotency-Key": "customer:uid-1"}
    first = httpx.post(
        url, data={"email": "a@example.com", "metadata[uid]": "uid-1"}, headers=headers
    )
    again = httpx.post(
        url, data={"email": "a@example.com", "metadata[uid]": "uid-1"}, headers=headers
    )
    assert first.status_code == again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    other = httpx.post(url, data={"email": "b@example.com"}, headers=headers)
    assert other.status_code == 400
    assert other.json()["error"]["type"] == "idempotency_error"
    listed = httpx.get(url, headers={"Authorization": f"Bearer {KEY}"}).json()
    assert len(listed["data"]) == 1


def test_concurrent_requests_with_one_key_create_one_customer(
    client: stripe.StripeClient,
) -> None:
    ids: list[str] = []

    def create() -> None:
        customer = client.v1.customers.create(
            params={"email": "a@example.com"}, options={"idempotency_key": "same"}
        )
        ids.append(customer.id)

    threads = [threading.Thread(target=create) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ids) == 6 and len(set(ids)) == 1
    assert len(client.v1.customers.list().data) == 1


# --------------------------------------------------------------------------- checkout


def test_checkout_with_4242_subscribes_and_delivers_signed_events(
    client: stripe.StripeClient, platform_emulators: PlatformEmulators, receiver: Receiver
) -> None:
    monthly, _ = catalogue(client)
    customer = client.v1.customers.create(params={"email": "ada@example.com"})
    session = client.v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": customer.id,
            "line_items": [{"price": monthly.id, "quantity": 1}],
            "success_url": "http://app.local/done?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": "http://app.local/cancelled",
            "client_reference_id": "uid-1",
        }
    )
    assert session.status == "open" and session.url
    page = httpx.get(session.url)
    assert page.status_code == 200
    assert "Emulated (local) checkout" in page.text
    assert 'name="card_number"' in page.text
    done = pay(session.url)
    assert done.status_code == 303
    assert done.headers["Location"] == f"http://app.local/done?session_id={session.id}"
    session = client.v1.checkout.sessions.retrieve(session.id)
    assert (session.status, session.payment_status) == ("complete", "paid")
    sub = client.v1.subscriptions.retrieve(session.subscription)
    assert sub.status == "active" and sub.customer == customer.id
    item = sub["items"].data[0]
    assert item.price.id == monthly.id
    assert 28 * DAY <= item.current_period_end - item.current_period_start <= 31 * DAY
    invoices = client.v1.invoices.list(params={"customer": customer.id}).data
    assert [(i.status, i.amount_paid, i.billing_reason) for i in invoices] == [
        ("paid", 500, "subscription_create")
    ]
    assert invoices[0].parent.subscription_details.subscription == sub.id
    assert httpx.get(invoices[0].invoice_pdf).content.startswith(b"%PDF")
    flush(platform_emulators)
    types = receiver.types()
    for expected in (
        "checkout.session.completed",
        "customer.subscription.created",
        "invoice.paid",
        "invoice.payment_succeeded",
        "customer.updated",
    ):
        assert expected in types
    completed = next(e for e in receiver.events() if e["type"] == "checkout.session.completed")
    assert completed["data"]["object"]["client_reference_id"] == "uid-1"
    assert completed["api_version"] == shapes.API_VERSION
    assert all(d["ok"] and d["status"] == 200 for d in deliveries(platform_emulators))


def test_declined_card_keeps_the_session_open(client: stripe.StripeClient) -> None:
    monthly, _ = catalogue(client)
    session = client.v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer_email": "bob@example.com",
            "line_items": [{"price": monthly.id, "quantity": 1}],
            "success_url": "http://app.local/done",
        }
    )
    r = pay(session.url, "4000 0000 0000 0002")
    assert r.status_code == 402
    assert "Your card was declined." in r.text
    r = pay(session.url, "4242 4242 4242 4241")
    assert r.status_code == 402 and "invalid" in r.text
    again = client.v1.checkout.sessions.retrieve(session.id)
    assert again.status == "open" and again.subscription is None
    assert client.v1.subscriptions.list().data == []


def test_authentication_card_needs_the_confirm_step(client: stripe.StripeClient) -> None:
    monthly, _ = catalogue(client)
    session = client.v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer_email": "cy@example.com",
            "line_items": [{"price": monthly.id, "quantity": 1}],
            "success_url": "http://app.local/done",
        }
    )
    challenge = pay(session.url, "4000 0025 0000 3155")
    assert challenge.status_code == 200 and "Authentication required" in challenge.text
    token = challenge.text.split('name="token" value="')[1].split('"')[0]
    failed = httpx.post(f"{session.url}/authenticate", data={"token": token, "outcome": "fail"})
    assert failed.status_code == 402
    assert client.v1.checkout.sessions.retrieve(session.id).status == "open"
    challenge = pay(session.url, "4000 0025 0000 3155")
    token = challenge.text.split('name="token" value="')[1].split('"')[0]
    ok = httpx.post(f"{session.url}/authenticate", data={"token": token, "outcome": "complete"})
    assert ok.status_code == 303
    assert client.v1.checkout.sessions.retrieve(session.id).status == "complete"


# --------------------------------------------------------------------------- subscriptions


def test_same_interval_change_prorates_onto_the_next_invoice(client: stripe.StripeClient) -> None:
    monthly, _ = catalogue(client)
    pricier = client.v1.prices.create(
        params={
            "product": monthly.product,
            "unit_amount": 1000,
            "currency": "usd",
            "recurring": {"interval": "month"},
        }
    )
    sub = subscribe(client, monthly)
    item = sub["items"].data[0]
    preview = client.v1.invoices.create_preview(
        params={
            "subscription": sub.id,
            "subscription_details": {"items": [{"id": item.id, "price": pricier.id}]},
        }
    )
    prorations = [
        line.amount
        for line in preview.lines.data
        if line.parent.subscription_item_details.proration
    ]
    assert len(prorations) == 2 and prorations[0] < 0 < prorations[1]
    assert preview.amount_due == 1000 + sum(prorations)
    updated = client.v1.subscriptions.update(
        sub.id, params={"items": [{"id": item.id, "price": pricier.id}]}
    )
    assert updated["items"].data[0].price.id == pricier.id
    assert updated["items"].data[0].current_period_end == item.current_period_end
    assert len(client.v1.invoices.list(params={"subscription": sub.id}).data) == 1
    upcoming = client.v1.invoices.create_preview(params={"subscription": sub.id})
    assert upcoming.amount_due == preview.amount_due


def test_monthly_to_annual_invoices_now_with_credit(client: stripe.StripeClient) -> None:
    monthly, annual = catalogue(client)
    sub = subscribe(client, monthly)
    item = sub["items"].data[0]
    updated = client.v1.subscriptions.update(
        sub.id,
        params={
            "items": [{"id": item.id, "price": annual.id}],
            "proration_behavior": "create_prorations",
        },
    )
    new_item = updated["items"].data[0]
    assert new_item.price.recurring.interval == "year"
    assert 365 * DAY <= new_item.current_period_end - new_item.current_period_start <= 366 * DAY
    latest = client.v1.invoices.retrieve(updated.latest_invoice)
    assert latest.status == "paid" and latest.billing_reason == "subscription_update"
    amounts = sorted(line.amount for line in latest.lines.data)
    assert amounts[0] < 0 and amounts[-1] == 5000
    assert latest.amount_paid == 5000 + amounts[0]


def test_cancel_at_period_end_resume_and_cancel_now(
    client: stripe.StripeClient, platform_emulators: PlatformEmulators, receiver: Receiver
) -> None:
    monthly, _ = catalogue(client)
    sub = subscribe(client, monthly)
    sub = client.v1.subscriptions.update(sub.id, params={"cancel_at_period_end": True})
    assert sub.cancel_at_period_end and sub.cancel_at == sub["items"].data[0].current_period_end
    with pytest.raises(stripe.InvalidRequestError) as none:
        client.v1.invoices.create_preview(params={"subscription": sub.id})
    assert none.value.code == "invoice_upcoming_none"
    sub = client.v1.subscriptions.update(sub.id, params={"cancel_at_period_end": False})
    assert not sub.cancel_at_period_end and sub.cancel_at is None
    ended = client.v1.subscriptions.cancel(sub.id)
    assert ended.status == "canceled" and ended.ended_at
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.subscriptions.update(sub.id, params={"cancel_at_period_end": False})
    flush(platform_emulators)
    updates = [e for e in receiver.events() if e["type"] == "customer.subscription.updated"]
    assert [u["data"]["previous_attributes"]["cancel_at_period_end"] for u in updates] == [
        False,
        True,
    ]
    assert receiver.types()[-1] == "customer.subscription.deleted"


def test_clock_renews_then_ends_a_cancelled_subscription(
    client: stripe.StripeClient, platform_emulators: PlatformEmulators, receiver: Receiver
) -> None:
    monthly, _ = catalogue(client)
    sub = subscribe(client, monthly)
    first_end = sub["items"].data[0].current_period_end
    flush(platform_emulators)
    receiver.requests.clear()
    platform_emulators.control("clock", {"advance_s": 31 * DAY + 60})
    flush(platform_emulators)
    renewed = client.v1.subscriptions.retrieve(sub.id)
    assert renewed.status == "active"
    assert renewed["items"].data[0].current_period_start == first_end
    assert set(receiver.types()) == {
        "invoice.paid",
        "invoice.payment_succeeded",
        "customer.subscription.updated",
    }
    cycle = client.v1.invoices.list(params={"subscription": sub.id}).data[0]
    assert (cycle.billing_reason, cycle.status, cycle.amount_paid) == (
        "subscription_cycle",
        "paid",
        500,
    )
    client.v1.subscriptions.update(sub.id, params={"cancel_at_period_end": True})
    platform_emulators.control("clock", {"advance_s": 31 * DAY + 60})
    flush(platform_emulators)
    assert client.v1.subscriptions.retrieve(sub.id).status == "canceled"
    assert receiver.types()[-1] == "customer.subscription.deleted"
    assert len(client.v1.invoices.list(params={"subscription": sub.id}).data) == 2


def test_failing_card_makes_renewal_past_due_until_the_card_is_updated(
    client: stripe.StripeClient, platform_emulators: PlatformEmulators, receiver: Receiver
) -> None:
    monthly, annual = catalogue(client)
    sub = subscribe(client, monthly)
    portal = client.v1.billing_portal.sessions.create(
        params={"customer": sub.customer, "return_url": "http://app.local/settings"}
    )
    assert portal.url and "Emulated (local)" in httpx.get(portal.url).text
    card = {"card_expiry": "12/39", "card_cvc": "123", "action": "update_card"}
    r = httpx.post(portal.url, data={**card, "card_number": "4000000000000341"})
    assert r.status_code == 200 and "0341" in r.text
    platform_emulators.control("clock", {"advance_s": 31 * DAY + 60})
    flush(platform_emulators)
    assert client.v1.subscriptions.retrieve(sub.id).status == "past_due"
    assert "invoice.payment_failed" in receiver.types()
    r = httpx.post(portal.url, data={**card, "card_number": "4242424242424242"})
    assert r.status_code == 200
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"
    assert all(
        i.status == "paid" for i in client.v1.invoices.list(params={"subscription": sub.id}).data
    )
    # The portal's own actions: cancel, renew, change plan.
    httpx.post(portal.url, data={"action": "cancel", "subscription": sub.id})
    assert client.v1.subscriptions.retrieve(sub.id).cancel_at_period_end
    httpx.post(portal.url, data={"action": "renew", "subscription": sub.id})
    assert not client.v1.subscriptions.retrieve(sub.id).cancel_at_period_end
    httpx.post(
        portal.url, data={"action": "change_plan", "subscription": sub.id, "price": annual.id}
    )
    changed = client.v1.subscriptions.retrieve(sub.id)
    assert changed["items"].data[0].price.id == annual.id


# --------------------------------------------------------------------------- delivery switches


def test_failed_delivery_is_retried_later(
    client: stripe.StripeClient, platform_emulators: PlatformEmulators, receiver: Receiver
) -> None:
    receiver.statuses = [500]
    client.v1.customers.create(params={"email": "a@example.com"})
    flush(platform_emulators)
    assert [(d["attempt"], d["status"]) for d in deliveries(platform_emulators)] == [(1, 500)]
    flush(platform_emulators)
    assert len(deliveries(platform_emulators)) == 1  # the retry is not due yet
    platform_emulators.control("clock", {"advance_s": 61})
    flush(platform_emulators)
    seen = deliveries(platform_emulators)
    assert [(d["attempt"], d["status"], d["ok"]) for d in seen] == [
        (1, 500, False),
        (2, 200, True),
    ]
    assert seen[0]["next_retry_in_s"] == 60
    assert seen[1]["response"] == '{"received": true}'
    assert len(receiver.requests) == 2


def test_duplicate_and_out_of_order_switches(
    client: stripe.StripeClient, platform_emulators: PlatformEmulators, receiver: Receiver
) -> None:
    platform_emulators.control("stripe/duplicate", {"count": 1})
    client.v1.customers.create(params={"email": "one@example.com"})
    flush(platform_emulators)
    ids = [e["id"] for e in receiver.events()]
    assert len(ids) == 2 and ids[0] == ids[1]
    receiver.requests.clear()
    platform_emulators.control("stripe/hold", {"on": True})
    first = client.v1.customers.create(params={"email": "two@example.com"})
    client.v1.customers.update(first.id, params={"name": "Two"})
    assert flush(platform_emulators) == []
    platform_emulators.control("stripe/release", {"order": "reverse"})
    assert receiver.types() == ["customer.updated", "customer.created"]
    platform_emulators.control("stripe/redeliver", {"event_id": receiver.events()[0]["id"]})
    flush(platform_emulators)
    assert receiver.types() == ["customer.updated", "customer.created", "customer.updated"]


def test_signature_is_stripes_scheme(
    client: stripe.StripeClient, platform_emulators: PlatformEmulators, receiver: Receiver
) -> None:
    client.v1.customers.create(params={"email": "a@example.com"})
    flush(platform_emulators)
    body, header = receiver.requests[0]
    parts = dict(p.split("=", 1) for p in header.split(","))
    assert header == shapes.sign(body, secret=SECRET, timestamp=int(parts["t"]))
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(body, header, "whsec_other", tolerance=None)
