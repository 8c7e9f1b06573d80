"""The daily billing sweep: expiring and renewal notices, grace periods; cron and task functions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import respx
from flask.testing import FlaskClient

from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform, set_platform
from synthora.services.billing import expiring, state
from synthora.settings import Settings, get_settings, reset_settings_cache
from tests.support import stripe_signing as st

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def billing_settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SYNTHORA_STRIPE_SECRET_KEY", "sk_test_unit_0123456789")
    monkeypatch.setenv("SYNTHORA_STRIPE_WEBHOOK_SECRET", "whsec_unit")
    reset_settings_cache()
    set_platform(None)
    return get_settings()


def add_user(uid: str, role: str = "free") -> None:
    get_platform().documents.collection("users").document(uid).set(
        {"email": f"{uid}@example.com", "role": role, "is_active": True, "created_at": NOW}
    )


def add_subscription(
    settings: Settings,
    uid: str,
    sub_id: str,
    *,
    plan: str,
    ends_in: timedelta,
    cancel: bool = False,
    status: str = "active",
) -> dict[str, Any]:
    add_user(uid)
    get_platform().documents.collection("stripe_customers").document(f"cus_{uid}").set(
        {"user_id": uid}
    )
    end = int((NOW + ends_in).timestamp())
    sub = st.subscription(
        sub_id,
        customer=f"cus_{uid}",
        plan=plan,
        status=status,
        start=end - 30 * 86_400,
        end=end,
        cancel_at_period_end=cancel,
    )
    state.sync_subscription(platform=get_platform(), settings=settings, sub=sub, now=NOW)
    return sub


def notices(uid: str, kind: str = "subscription_expiring") -> list[dict[str, Any]]:
    q = get_platform().documents.collection("notifications").where("user_id", "==", uid)
    return [d for d in (s.to_dict() or {} for s in q.get()) if d["type"] == kind]


def test_expiring_sweep_announces_endings_and_annual_renewals_once(
    billing_settings: Settings,
) -> None:
    add_subscription(
        billing_settings, "ends", "sub_ends", plan="monthly", ends_in=timedelta(days=2), cancel=True
    )
    add_subscription(
        billing_settings, "renews", "sub_renews", plan="annual", ends_in=timedelta(days=1)
    )
    add_subscription(
        billing_settings, "monthly", "sub_monthly", plan="monthly", ends_in=timedelta(days=1)
    )
    add_subscription(
        billing_settings, "later", "sub_later", plan="annual", ends_in=timedelta(days=20)
    )
    task = expiring.SweepTask(kind="expiring", run_id="20261201", now=NOW)
    result = expiring.run_sweep(platform=get_platform(), settings=billing_settings, task=task)
    assert (result.seen, result.notified) == (3, 2)
    assert [n["message"] for n in notices("ends")] == ["Premium ends on 2026-12-03."]
    assert len(notices("renews")) == 1
    assert "renews on 2026-12-02 for 50.00 USD" in notices("renews")[0]["message"]
    assert notices("monthly") == [] and notices("later") == []
    again = expiring.run_sweep(platform=get_platform(), settings=billing_settings, task=task)
    assert again.seen == 3
    assert len(notices("ends")) == 1 and len(notices("renews")) == 1


def test_expiring_sweep_pages_through_the_queue(
    billing_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(expiring, "PAGE", 2)
    for i in range(3):
        add_subscription(
            billing_settings, f"u{i}", f"sub_{i}", plan="annual", ends_in=timedelta(hours=10 + i)
        )
    first = expiring.run_sweep(
        platform=get_platform(),
        settings=billing_settings,
        task=expiring.SweepTask(kind="expiring", run_id="20261201", now=NOW),
    )
    assert first.seen == 2 and first.next_task == "billing-expiring-20261201-1"
    queued = get_platform().tasks.get_task(first.next_task)  # type: ignore[attr-defined]
    assert queued is not None
    body = expiring.SweepTask.model_validate_json(queued["payload"])
    second = expiring.run_sweep(platform=get_platform(), settings=billing_settings, task=body)
    assert second.seen == 1 and second.next_task is None
    assert sum(len(notices(f"u{i}")) for i in range(3)) == 3


@pytest.fixture
def stripe_reads(billing_settings: Settings) -> Iterator[dict[str, dict[str, Any]]]:
    subs: dict[str, dict[str, Any]] = {}
    with respx.mock(assert_all_called=False) as mock:
        mock.get(url__regex=r"https://api.stripe.com/v1/subscriptions/(?P<sid>[^/?]+)").mock(
            side_effect=lambda request, sid: httpx.Response(200, json=subs[sid])
        )
        yield subs


def test_grace_sweep_returns_an_unpaid_user_to_free(
    billing_settings: Settings, stripe_reads: dict[str, dict[str, Any]]
) -> None:
    sub = add_subscription(
        billing_settings,
        "late",
        "sub_late",
        plan="monthly",
        ends_in=timedelta(days=25),
        status="past_due",
    )
    stripe_reads["sub_late"] = sub
    users = get_platform().documents.collection("users")
    assert users.document("late").get().get("role") == "premium"  # in grace
    assert users.document("late").get().get("subscription")["past_due_since"] == NOW
    early = expiring.SweepTask(kind="grace", run_id="20261201", now=NOW + timedelta(days=1))
    assert (
        expiring.run_sweep(platform=get_platform(), settings=billing_settings, task=early).seen == 0
    )
    task = expiring.SweepTask(
        kind="grace",
        run_id="20261201",
        now=NOW + timedelta(days=billing_settings.billing_grace_days, minutes=1),
    )
    result = expiring.run_sweep(platform=get_platform(), settings=billing_settings, task=task)
    assert result.updated == 1
    assert users.document("late").get().get("role") == "free"


def test_grace_sweep_keeps_a_user_whose_payment_went_through(
    billing_settings: Settings, stripe_reads: dict[str, dict[str, Any]]
) -> None:
    add_subscription(
        billing_settings,
        "paid",
        "sub_paid",
        plan="monthly",
        ends_in=timedelta(days=25),
        status="past_due",
    )
    stripe_reads["sub_paid"] = st.subscription("sub_paid", customer="cus_paid")  # active again
    users = get_platform().documents.collection("users")
    since = users.document("paid").get().get("subscription")["past_due_since"]
    task = expiring.SweepTask(kind="grace", run_id="20261201", now=since + timedelta(days=30))
    expiring.run_sweep(platform=get_platform(), settings=billing_settings, task=task)
    assert users.document("paid").get().get("role") == "premium"
    assert users.document("paid").get().get("subscription")["status"] == "active"


def _client(settings: Settings, name: str) -> FlaskClient:
    spec = get_manifest(settings.manifest_file).function(name)
    client: FlaskClient = create_function_app(spec, settings.functions_dir).test_client()
    return client


def test_cron_and_task_functions_are_internal(billing_settings: Settings) -> None:
    internal = {"X-Synthora-Internal-Token": billing_settings.secret("internal_token")}
    cron = _client(billing_settings, "subscriptions_cron")
    assert cron.post("/").status_code == 403
    plan = cron.post("/", headers={**internal, "X-CloudScheduler-JobName": "subscriptions"})
    assert plan.status_code == 200
    names = plan.get_json()["tasks"]
    assert [n.split("-")[1] for n in names] == ["expiring", "grace"]
    sweep = _client(billing_settings, "subscriptions_sweep")
    assert sweep.post("/", json={"kind": "expiring", "run_id": "20261201"}).status_code == 403
    ok = sweep.post("/", json={"kind": "expiring", "run_id": "20261201"}, headers=internal)
    assert ok.status_code == 200 and ok.get_json()["seen"] == 0
    bad = sweep.post("/", json={"kind": "everything", "run_id": "20261201"}, headers=internal)
    assert bad.status_code == 422
