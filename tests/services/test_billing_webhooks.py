"""Stripe webhooks through the `stripe_webhook` function: real signatures, Stripe as respx routes.

The subscription each handler reads back is served by respx from the same
shapes the Stripe emulator answers with, so a test can make Stripe's current
state differ from the event's payload (out of order) and check which one wins.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import respx
from flask.testing import FlaskClient
from synthora_emulators import stripe_shapes as shapes

from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform, set_platform
from synthora.services import limits
from synthora.settings import Settings, reset_settings_cache
from tests.support import stripe_signing as st

SECRET = "whsec_unit_test_secret_0123456789"
API = "https://api.stripe.com"
UID = "user-1"


@pytest.fixture
def stripe_env(monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SYNTHORA_STRIPE_SECRET_KEY", "sk_test_unit_0123456789")
    monkeypatch.setenv("SYNTHORA_STRIPE_WEBHOOK_SECRET", SECRET)
    reset_settings_cache()
    set_platform(None)
    from synthora.settings import get_settings

    return get_settings()


@pytest.fixture
def hook(stripe_env: Settings) -> FlaskClient:
    spec = get_manifest(stripe_env.manifest_file).function("stripe_webhook")
    client: FlaskClient = create_function_app(spec, stripe_env.functions_dir).test_client()
    return client


class StripeState:
    """What Stripe answers now for each subscription (respx routes)."""

    def __init__(self, mock: respx.MockRouter) -> None:
        self.subs: dict[str, dict[str, Any]] = {}
        self.reads: list[str] = []
        mock.get(url__regex=rf"{API}/v1/subscriptions/(?P<sid>[^/?]+)").mock(side_effect=self._get)

    def _get(self, request: httpx.Request, sid: str) -> httpx.Response:
        self.reads.append(sid)
        if sid not in self.subs:
            return httpx.Response(
                404,
                json=shapes.error(
                    type="invalid_request_error",
                    code="resource_missing",
                    message=f"No such subscription: '{sid}'",
                    param="id",
                ),
            )
        return httpx.Response(200, json=self.subs[sid])


@pytest.fixture
def stripe_api(stripe_env: Settings) -> Iterator[StripeState]:
    with respx.mock(assert_all_called=False) as mock:
        yield StripeState(mock)


@pytest.fixture
def user() -> str:
    get_platform().documents.collection("users").document(UID).set(
        {
            "email": "a@example.com",
            "role": "free",
            "is_active": True,
            "created_at": datetime.now(UTC),
        }
    )
    return UID


def deliver(
    hook: FlaskClient, event: dict[str, Any], *, secret: str = SECRET, timestamp: int | None = None
) -> Any:
    body, headers = st.signed(event, secret, timestamp=timestamp)
    return hook.post("/api/v1/stripe-webhook", data=body, headers=headers)


def user_doc() -> dict[str, Any]:
    return get_platform().documents.collection("users").document(UID).get().to_dict() or {}


def notices(kind: str | None = None) -> list[dict[str, Any]]:
    q = get_platform().documents.collection("notifications").where("user_id", "==", UID)
    docs = [s.to_dict() or {} for s in q.get()]
    return [d for d in docs if kind is None or d["type"] == kind]


def subscribe(hook: FlaskClient, api: StripeState, sub: dict[str, Any]) -> None:
    api.subs[sub["id"]] = sub
    r = deliver(
        hook,
        st.event(
            "checkout.session.completed",
            st.checkout_session(uid=UID, subscription=sub["id"]),
            event_id="evt_checkout",
        ),
    )
    assert r.status_code == 200, r.get_json()


# --------------------------------------------------------------------------- signatures


def test_bad_signature_is_refused_and_changes_nothing(
    hook: FlaskClient, stripe_api: StripeState, user: str
) -> None:
    stripe_api.subs["sub_1"] = st.subscription(uid=UID)
    event = st.event(
        "checkout.session.completed", st.checkout_session(uid=UID), event_id="evt_forged"
    )
    r = deliver(hook, event, secret="whsec_someone_else")
    assert r.status_code == 400
    assert r.get_json()["error"]["code"] == "invalid_signature"
    body, headers = st.signed(event, SECRET)
    tampered = body.replace(b'"paid"', b'"PAID"')
    assert hook.post("/api/v1/stripe-webhook", data=tampered, headers=headers).status_code == 400
    assert hook.post("/api/v1/stripe-webhook", data=body).status_code == 400  # no header
    stale = deliver(hook, event, timestamp=int(datetime.now(UTC).timestamp()) - 301)
    assert stale.status_code == 400
    assert user_doc()["role"] == "free" and "subscription" not in user_doc()
    assert stripe_api.reads == []
    events = get_platform().documents.collection("stripe_events")
    assert not events.document("evt_forged").get().exists
    assert deliver(hook, event).status_code == 200  # the genuine one still works afterwards


def test_unknown_event_type_is_acknowledged(hook: FlaskClient, stripe_api: StripeState) -> None:
    r = deliver(
        hook, st.event("charge.refunded", {"id": "ch_1", "object": "charge"}, event_id="evt_other")
    )
    assert r.status_code == 200
    assert r.get_json()["outcome"] == "ignored"
    record = get_platform().documents.collection("stripe_events").document("evt_other").get()
    assert record.get("outcome") == "ignored"


# --------------------------------------------------------------------------- each event type


def test_checkout_completed_makes_the_user_premium(
    hook: FlaskClient, stripe_api: StripeState, user: str
) -> None:
    subscribe(hook, stripe_api, st.subscription(uid=UID))
    data = user_doc()
    assert data["role"] == "premium"
    assert data["stripe_customer_id"] == "cus_1"
    assert data["subscription"]["status"] == "active"
    assert data["subscription"]["plan"] == "monthly"
    assert limits.usage(platform=get_platform(), uid=UID).role == "premium"
    assert limits.can_schedule(platform=get_platform(), uid=UID)
    mapped = get_platform().documents.collection("stripe_customers").document("cus_1").get()
    assert mapped.get("user_id") == UID


@pytest.mark.parametrize("kind", ["created", "updated"])
def test_subscription_created_and_updated_sync_from_stripe(
    hook: FlaskClient, stripe_api: StripeState, user: str, kind: str
) -> None:
    get_platform().documents.collection("stripe_customers").document("cus_1").set({"user_id": UID})
    sub = st.subscription(status="trialing", plan="annual")
    stripe_api.subs["sub_1"] = sub
    r = deliver(hook, st.event(f"customer.subscription.{kind}", sub, event_id=f"evt_{kind}"))
    assert r.status_code == 200 and r.get_json()["outcome"] == "synced"
    assert user_doc()["role"] == "premium"
    assert user_doc()["subscription"]["plan"] == "annual"
    assert stripe_api.reads == ["sub_1"]


def test_cancel_at_period_end_keeps_premium_and_notifies(
    hook: FlaskClient, stripe_api: StripeState, user: str
) -> None:
    subscribe(hook, stripe_api, st.subscription(uid=UID))
    cancelled = st.subscription(uid=UID, cancel_at_period_end=True)
    stripe_api.subs["sub_1"] = cancelled
    deliver(
        hook,
        st.event(
            "customer.subscription.updated",
            cancelled,
            event_id="evt_c",
            previous={"cancel_at_period_end": False},
        ),
    )
    assert user_doc()["role"] == "premium"
    assert user_doc()["subscription"]["cancel_at_period_end"] is True
    sent = notices("subscription_cancelled")
    assert len(sent) == 1 and "will not renew" in sent[0]["message"]


def test_subscription_deleted_returns_the_user_to_free(
    hook: FlaskClient, stripe_api: StripeState, user: str
) -> None:
    subscribe(hook, stripe_api, st.subscription(uid=UID))
    ended = st.subscription(uid=UID, status="canceled", ended_at=st.NOW + 100)
    stripe_api.subs["sub_1"] = ended
    r = deliver(hook, st.event("customer.subscription.deleted", ended, event_id="evt_del"))
    assert r.status_code == 200
    assert user_doc()["role"] == "free"
    assert limits.usage(platform=get_platform(), uid=UID).role == "free"
    assert [n["title"] for n in notices("subscription_cancelled")] == ["Premium has ended"]


def test_invoice_paid_and_payment_succeeded_notify_once(
    hook: FlaskClient, stripe_api: StripeState, user: str
) -> None:
    sub = st.subscription(uid=UID)
    subscribe(hook, stripe_api, sub)
    inv = st.invoice(sub=sub, amount=500)
    deliver(hook, st.event("invoice.paid", inv, event_id="evt_paid"))
    deliver(hook, st.event("invoice.payment_succeeded", inv, event_id="evt_succeeded"))
    paid = notices("payment_success")
    assert len(paid) == 1 and "5.00 USD" in paid[0]["message"]
    assert user_doc()["role"] == "premium"


def test_payment_failed_keeps_premium_for_the_grace_period_then_free(
    hook: FlaskClient, stripe_api: StripeState, user: str, stripe_env: Settings
) -> None:
    sub = st.subscription(uid=UID)
    subscribe(hook, stripe_api, sub)
    past_due = st.subscription(uid=UID, status="past_due")
    stripe_api.subs["sub_1"] = past_due
    inv = st.invoice(sub=past_due, status="open", attempt_count=1)
    deliver(hook, st.event("invoice.payment_failed", inv, event_id="evt_failed"))
    data = user_doc()
    assert data["subscription"]["status"] == "past_due"
    assert data["role"] == "premium"  # grace period
    failed = notices("payment_failed")
    assert len(failed) == 1 and failed[0]["link"].startswith("/settings/subscription")
    # After the grace period the role is recomputed to free.
    from synthora.services.billing import state

    since = data["subscription"]["past_due_since"]
    later = since + timedelta(days=stripe_env.billing_grace_days, hours=1)
    assert state.role_for(data, stripe_env, later) == "free"
    assert state.role_for(data, stripe_env, since) == "premium"


def test_customer_updated_records_billing_contact(
    hook: FlaskClient, stripe_api: StripeState, user: str
) -> None:
    r = deliver(
        hook,
        st.event(
            "customer.updated", st.customer(uid=UID, email="new@example.com"), event_id="evt_cu"
        ),
    )
    assert r.get_json()["outcome"] == "updated"
    assert user_doc()["billing"] == {"email": "new@example.com", "has_payment_method": True}


def test_customer_deleted_unlinks(hook: FlaskClient, stripe_api: StripeState, user: str) -> None:
    subscribe(hook, stripe_api, st.subscription(uid=UID))
    deliver(hook, st.event("customer.deleted", st.customer(uid=UID), event_id="evt_cd"))
    assert user_doc()["stripe_customer_id"] is None


# --------------------------------------------------------------------------- delivery order


def test_duplicate_delivery_is_a_no_op(
    hook: FlaskClient, stripe_api: StripeState, user: str
) -> None:
    sub = st.subscription(uid=UID)
    subscribe(hook, stripe_api, sub)
    inv = st.invoice(sub=sub)
    first = deliver(hook, st.event("invoice.paid", inv, event_id="evt_dup"))
    reads = len(stripe_api.reads)
    again = deliver(hook, st.event("invoice.paid", inv, event_id="evt_dup"))
    assert first.get_json()["outcome"] == "synced"
    assert again.status_code == 200 and again.get_json()["outcome"] == "duplicate"
    assert len(stripe_api.reads) == reads  # nothing ran
    assert len(notices("payment_success")) == 1


def test_an_old_event_arriving_late_cannot_undo_a_cancellation(
    hook: FlaskClient, stripe_api: StripeState, user: str
) -> None:
    active = st.subscription(uid=UID)
    subscribe(hook, stripe_api, active)
    ended = st.subscription(uid=UID, status="canceled", ended_at=st.NOW + 100)
    stripe_api.subs["sub_1"] = ended
    deliver(
        hook,
        st.event("customer.subscription.deleted", ended, event_id="evt_new", created=st.NOW + 100),
    )
    # The older "active" update arrives afterwards: Stripe says canceled, so it stays free.
    late = deliver(
        hook,
        st.event("customer.subscription.updated", active, event_id="evt_old", created=st.NOW + 1),
    )
    assert late.status_code == 200
    assert user_doc()["role"] == "free"
    assert user_doc()["subscription"]["status"] == "canceled"
    assert len(notices("subscription_cancelled")) == 1


def test_events_about_an_old_subscription_leave_the_new_one_alone(
    hook: FlaskClient, stripe_api: StripeState, user: str
) -> None:
    subscribe(hook, stripe_api, st.subscription("sub_new", uid=UID))
    stripe_api.subs["sub_old"] = st.subscription(
        "sub_old", uid=UID, status="canceled", ended_at=st.NOW
    )
    deliver(
        hook,
        st.event(
            "customer.subscription.deleted", stripe_api.subs["sub_old"], event_id="evt_old_sub"
        ),
    )
    assert user_doc()["subscription"]["id"] == "sub_new"
    assert user_doc()["role"] == "premium"


def test_admin_grant_survives_stripe_events(
    hook: FlaskClient, stripe_api: StripeState, user: str
) -> None:
    get_platform().documents.collection("users").document(UID).update(
        {"role": "premium", "premium_granted_by": "admin-1"}
    )
    subscribe(hook, stripe_api, st.subscription(uid=UID))
    ended = st.subscription(uid=UID, status="canceled", ended_at=st.NOW + 5)
    stripe_api.subs["sub_1"] = ended
    deliver(hook, st.event("customer.subscription.deleted", ended, event_id="evt_g"))
    assert user_doc()["role"] == "premium"
    assert user_doc()["premium_granted_by"] == "admin-1"


def test_admin_role_is_never_changed_by_billing(
    hook: FlaskClient, stripe_api: StripeState, user: str
) -> None:
    get_platform().documents.collection("users").document(UID).update({"role": "admin"})
    subscribe(hook, stripe_api, st.subscription(uid=UID))
    ended = st.subscription(uid=UID, status="canceled", ended_at=st.NOW + 5)
    stripe_api.subs["sub_1"] = ended
    deliver(hook, st.event("customer.subscription.deleted", ended, event_id="evt_a"))
    assert user_doc()["role"] == "admin"


def test_stripe_unavailable_answers_5xx_so_stripe_retries(
    hook: FlaskClient, stripe_api: StripeState, user: str
) -> None:
    event = st.event(
        "customer.subscription.updated", st.subscription(uid=UID), event_id="evt_retry"
    )
    r = deliver(hook, event)  # Stripe answers 404 for the read-back: we cannot apply it
    assert r.status_code == 502
    assert (
        not get_platform().documents.collection("stripe_events").document("evt_retry").get().exists
    )
    stripe_api.subs["sub_1"] = st.subscription(uid=UID)
    assert deliver(hook, event).status_code == 200
