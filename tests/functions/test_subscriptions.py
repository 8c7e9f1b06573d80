"""The subscriptions and stripe_webhook functions against the Stripe emulator, over real HTTP.

Real Firebase Auth emulator tokens call the `subscriptions` function; the real
stripe library talks to the Stripe emulator; the emulator delivers signed
webhooks to the `stripe_webhook` function served on a loopback port; the
checkout and portal pages are driven with plain form POSTs, as a browser would.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform, set_platform
from synthora.services import limits
from synthora.services.billing import setup as billing_setup
from synthora.settings import get_settings, reset_settings_cache
from tests.conftest import AuthEmulator, PlatformEmulators, free_port
from tests.support.calls import bearer, error, uid_of

pytestmark = pytest.mark.emulator
DAY = 86_400
BASE = "/api/v1/subscriptions"


@dataclass
class Billing:
    clients: dict[str, FlaskClient]
    emulators: PlatformEmulators
    auth: AuthEmulator
    admin: str  # token
    webhook_url: str

    def call(self, token: str | None, method: str, path: str, body: Any = None) -> Any:
        headers = bearer(token) if token else {}
        return self.clients["subscriptions"].open(
            BASE + path, method=method, json=body, headers=headers
        )

    def user(self, email: str) -> str:
        token = self.auth.sign_up(email)
        r = self.clients["auth"].post("/api/v1/auth/login", json={"id_token": token})
        assert r.status_code == 200, r.get_json()
        return token

    def flush(self) -> None:
        self.emulators.control("stripe/flush")

    def subscribe(
        self, token: str, plan: str = "monthly", card: str = "4242424242424242"
    ) -> dict[str, Any]:
        r = self.call(token, "POST", "/checkout", {"plan": plan})
        assert r.status_code == 201, r.get_json()
        paid = httpx.post(
            r.get_json()["url"],
            data={"card_number": card, "card_expiry": "12/39", "card_cvc": "123"},
        )
        assert paid.status_code == 303, paid.text
        self.flush()
        return dict(r.get_json())

    def notices(self, token: str, kind: str) -> list[dict[str, Any]]:
        q = (
            get_platform()
            .documents.collection("notifications")
            .where("user_id", "==", uid_of(token))
        )
        return [d for d in (s.to_dict() or {} for s in q.get()) if d["type"] == kind]

    def deliveries(self) -> list[dict[str, Any]]:
        return list(self.emulators.inspect("stripe")["deliveries"])  # type: ignore[call-overload]


@pytest.fixture
def billing(
    auth: AuthEmulator, platform_emulators: PlatformEmulators, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Billing]:
    port = free_port()
    monkeypatch.setenv("SYNTHORA_PUBLIC_URL", f"http://127.0.0.1:{port}")
    reset_settings_cache()
    set_platform(None)
    settings = get_settings()
    manifest = get_manifest(settings.manifest_file)
    apps = {
        name: create_function_app(manifest.function(name), settings.functions_dir)
        for name in ("auth", "subscriptions", "stripe_webhook")
    }
    server = make_server("127.0.0.1", port, apps["stripe_webhook"], threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    result = billing_setup.setup(settings)  # catalogue + the emulator's webhook endpoint
    world = Billing(
        clients={name: app.test_client() for name, app in apps.items()},
        emulators=platform_emulators,
        auth=auth,
        admin="",
        webhook_url=result["webhook"],
    )
    world.admin = world.user("admin@example.com")  # the first user becomes admin
    try:
        yield world
    finally:
        server.shutdown()


# --------------------------------------------------------------------------- the whole loop


def test_upgrade_cancel_and_return_to_free_at_period_end(billing: Billing) -> None:
    token = billing.user("creator@example.com")
    uid = uid_of(token)
    assert billing.call(token, "GET", "/status").get_json()["plan"] == "free"
    assert limits.usage(platform=get_platform(), uid=uid).role == "free"

    r = billing.call(token, "POST", "/checkout", {"plan": "monthly"})
    assert r.status_code == 201
    checkout = r.get_json()
    assert checkout["emulated"] is True
    page = httpx.get(checkout["url"])
    assert "Emulated (local) checkout" in page.text and "5.00 USD" in page.text
    paid = httpx.post(
        checkout["url"],
        data={"card_number": "4242 4242 4242 4242", "card_expiry": "12 / 39", "card_cvc": "123"},
    )
    assert paid.status_code == 303
    assert paid.headers["Location"].startswith(billing.webhook_url.split("/api/")[0])
    assert f"session_id={checkout['session_id']}" in paid.headers["Location"]
    billing.flush()

    status = billing.call(token, "GET", "/status").get_json()
    assert (status["role"], status["plan"], status["status"]) == ("premium", "monthly", "active")
    assert status["source"] == "subscription"
    assert limits.usage(platform=get_platform(), uid=uid).role == "premium"
    assert limits.can_schedule(platform=get_platform(), uid=uid)
    assert len(billing.notices(token, "payment_success")) == 1

    invoices = billing.call(token, "GET", "/invoices").get_json()
    assert [(i["status"], i["amount_paid"]) for i in invoices["items"]] == [("paid", 500)]
    assert httpx.get(invoices["items"][0]["invoice_pdf"]).content.startswith(b"%PDF")
    upcoming = billing.call(token, "GET", "/invoices/upcoming").get_json()
    assert upcoming["invoice"]["amount_due"] == 500

    cancelled = billing.call(token, "POST", "/cancel", {}).get_json()
    assert cancelled["cancel_at_period_end"] is True and cancelled["role"] == "premium"
    billing.flush()
    assert len(billing.notices(token, "subscription_cancelled")) == 1
    assert billing.call(token, "GET", "/invoices/upcoming").get_json()["invoice"] is None

    billing.emulators.control("clock", {"advance_s": 32 * DAY})
    billing.flush()
    status = billing.call(token, "GET", "/status").get_json()
    assert (status["role"], status["plan"], status["status"]) == ("free", "free", "canceled")
    assert limits.usage(platform=get_platform(), uid=uid).role == "free"
    ended = billing.notices(token, "subscription_cancelled")
    assert sorted(n["title"] for n in ended) == ["Premium has ended", "Subscription cancelled"]
    assert len(billing.notices(token, "payment_success")) == 1
    deliveries = billing.deliveries()
    assert deliveries and all(d["ok"] for d in deliveries)
    assert {"checkout.session.completed", "customer.subscription.deleted"} <= {
        d["type"] for d in deliveries
    }


def test_duplicated_and_reordered_deliveries_change_nothing_more(billing: Billing) -> None:
    token = billing.user("dup@example.com")
    billing.emulators.control("stripe/duplicate", {"count": 50})
    billing.subscribe(token)
    assert len(billing.notices(token, "payment_success")) == 1
    outcomes = [d["response"] for d in billing.deliveries()]
    assert any('"outcome":"duplicate"' in (o or "") for o in outcomes)
    # Cancel then hold: the "cancel" update and a later "renew" update arrive reversed.
    billing.emulators.control("stripe/hold", {"on": True})
    billing.call(token, "POST", "/cancel", {})
    billing.call(token, "POST", "/reactivate")
    billing.emulators.control("stripe/release", {"order": "reverse"})
    billing.flush()
    status = billing.call(token, "GET", "/status").get_json()
    assert status["cancel_at_period_end"] is False and status["role"] == "premium"


# --------------------------------------------------------------------------- the API


def test_plans_are_public_with_features(billing: Billing) -> None:
    body = billing.call(None, "GET", "/plans").get_json()
    plans = {p["id"]: p for p in body["plans"]}
    assert (plans["monthly"]["amount"], plans["annual"]["amount"]) == (500, 5000)
    assert plans["annual"]["interval"] == "year"
    assert plans["monthly"]["features"]["can_schedule"] is True
    assert plans["free"]["features"]["can_schedule"] is False
    assert body["billing_enabled"] is True and body["emulated"] is True


def test_concurrent_checkouts_create_one_customer(billing: Billing) -> None:
    token = billing.user("racer@example.com")
    app = billing.clients["subscriptions"].application
    answers: list[Any] = []

    def go() -> None:
        answers.append(
            app.test_client().post(
                f"{BASE}/checkout", json={"plan": "annual"}, headers=bearer(token)
            )
        )

    threads = [threading.Thread(target=go) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [201] * 5
    counts = billing.emulators.inspect("stripe")["objects"]
    assert counts["customer"] == 1  # type: ignore[index]
    stored = get_platform().documents.collection("users").document(uid_of(token)).get()
    assert stored.get("stripe_customer_id")


def test_checkout_refuses_a_second_subscription_and_admins(billing: Billing) -> None:
    token = billing.user("twice@example.com")
    billing.subscribe(token)
    r = billing.call(token, "POST", "/checkout", {"plan": "annual"})
    assert r.status_code == 409 and error(r)["code"] == "already_subscribed"
    r = billing.call(billing.admin, "POST", "/checkout", {"plan": "monthly"})
    assert r.status_code == 409 and error(r)["code"] == "already_admin"
    assert billing.call(token, "POST", "/checkout", {"plan": "weekly"}).status_code == 422
    assert billing.call(None, "POST", "/checkout", {"plan": "monthly"}).status_code == 401


def test_change_plan_prorates_and_bills_the_annual_plan_now(billing: Billing) -> None:
    token = billing.user("changer@example.com")
    billing.subscribe(token)
    preview = billing.call(token, "GET", "/invoices/upcoming?plan=annual").get_json()
    lines = preview["invoice"]["lines"]
    assert any(line["proration"] and line["amount"] < 0 for line in lines)
    assert preview["invoice"]["amount_due"] < 5000
    status = billing.call(token, "POST", "/change-plan", {"plan": "annual"}).get_json()
    assert status["plan"] == "annual" and status["role"] == "premium"
    billing.flush()
    invoices = billing.call(token, "GET", "/invoices").get_json()["items"]
    assert len(invoices) == 2 and invoices[0]["amount_paid"] == preview["invoice"]["amount_due"]
    r = billing.call(token, "POST", "/change-plan", {"plan": "annual"})
    assert r.status_code == 409 and error(r)["code"] == "same_plan"
    details = billing.call(token, "GET", "/details").get_json()
    assert details["subscription"]["interval"] == "year"
    assert details["subscription"]["amount"] == 5000


def test_reactivate_cancel_now_and_portal(billing: Billing) -> None:
    token = billing.user("quitter@example.com")
    r = billing.call(token, "POST", "/portal")
    assert r.status_code == 409 and error(r)["code"] == "no_customer"
    billing.subscribe(token)
    r = billing.call(token, "POST", "/reactivate")
    assert r.status_code == 409 and error(r)["code"] == "not_cancelled"
    billing.call(token, "POST", "/cancel", {"at_period_end": True})
    assert billing.call(token, "POST", "/reactivate").get_json()["cancel_at_period_end"] is False
    portal = billing.call(token, "POST", "/portal").get_json()
    assert "Emulated (local) billing portal" in httpx.get(portal["url"]).text
    now = billing.call(token, "POST", "/cancel", {"at_period_end": False}).get_json()
    assert (now["role"], now["status"]) == ("free", "canceled")
    r = billing.call(token, "POST", "/reactivate")
    assert r.status_code == 409 and error(r)["code"] == "subscription_ended"
    assert billing.call(token, "POST", "/cancel", {}).status_code == 409


def test_admin_grants_revokes_and_sees_revenue(billing: Billing) -> None:
    free = billing.user("gift@example.com")
    paying = billing.user("payer@example.com")
    billing.subscribe(paying)
    r = billing.call(free, "POST", "/admin/grant-premium", {"user_id": uid_of(free)})
    assert r.status_code == 403
    granted = billing.call(
        billing.admin, "POST", "/admin/grant-premium", {"user_id": uid_of(free)}
    ).get_json()
    assert granted["role"] == "premium"
    assert billing.call(free, "GET", "/status").get_json()["source"] == "admin_grant"
    billing.call(billing.admin, "POST", "/admin/grant-premium", {"user_id": uid_of(paying)})
    revoked = billing.call(
        billing.admin, "POST", "/admin/revoke-premium", {"user_id": uid_of(paying)}
    ).get_json()
    assert revoked["role"] == "premium"  # the paid subscription is untouched
    revoked = billing.call(
        billing.admin, "POST", "/admin/revoke-premium", {"user_id": uid_of(free)}
    ).get_json()
    assert revoked["role"] == "free"
    r = billing.call(billing.admin, "POST", "/admin/grant-premium", {"user_id": "nobody"})
    assert r.status_code == 404
    stats = billing.call(billing.admin, "GET", "/admin/stats").get_json()
    assert (stats["mrr"], stats["arr"], stats["subscribers"]) == (500, 6000, 1)
    assert stats["by_plan_and_status"] == [{"plan": "monthly", "status": "active", "count": 1}]
    assert stats["churned_30d"] == 0
    assert stats["subscribers_by_plan"] == {"monthly": 1, "annual": 0, "other": 0}
    assert [(p["mrr"], p["subscribers"]) for p in stats["history"]] == [(500, 1)]
    assert billing.call(paying, "GET", "/admin/stats").status_code == 403


def test_failed_renewal_keeps_premium_in_grace_and_notifies(billing: Billing) -> None:
    token = billing.user("late@example.com")
    billing.subscribe(token)
    portal = billing.call(token, "POST", "/portal").get_json()["url"]
    httpx.post(
        portal,
        data={
            "action": "update_card",
            "card_number": "4000000000000341",
            "card_expiry": "12/39",
            "card_cvc": "123",
        },
    )
    billing.emulators.control("clock", {"advance_s": 31 * DAY})
    billing.flush()
    status = billing.call(token, "GET", "/status").get_json()
    assert status["status"] == "past_due" and status["role"] == "premium"
    assert status["grace_until"] is not None
    assert len(billing.notices(token, "payment_failed")) == 1


def test_billing_off_answers_503(auth: AuthEmulator) -> None:
    settings = get_settings()
    manifest = get_manifest(settings.manifest_file)
    subs = create_function_app(
        manifest.function("subscriptions"), settings.functions_dir
    ).test_client()
    hook = create_function_app(
        manifest.function("stripe_webhook"), settings.functions_dir
    ).test_client()
    login = create_function_app(manifest.function("auth"), settings.functions_dir).test_client()
    token = auth.sign_up("solo@example.com")
    login.post("/api/v1/auth/login", json={"id_token": token})
    r = subs.post(f"{BASE}/checkout", json={"plan": "monthly"}, headers=bearer(token))
    assert r.status_code == 503 and error(r)["code"] == "billing_not_configured"
    assert subs.get(f"{BASE}/plans").get_json()["billing_enabled"] is False
    assert (
        hook.post(
            "/api/v1/stripe-webhook", data=b"{}", headers={"Stripe-Signature": "t=1,v1=00"}
        ).status_code
        == 503
    )
