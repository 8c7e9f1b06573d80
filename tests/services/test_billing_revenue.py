"""Revenue history: the daily cron's snapshots and the admin stats' MRR/ARR series."""

from __future__ import annotations

from datetime import timedelta

from synthora.platform import get_platform
from synthora.services.billing import expiring, revenue, service
from synthora.settings import Settings
from tests.services.test_billing_sweep import NOW, add_subscription, billing_settings

__all__ = ["billing_settings"]  # the fixture, shared with the sweep tests

DAY = timedelta(days=1)
MONTHLY, ANNUAL = 500, 5000  # the default prices, minor units


def test_cron_records_one_snapshot_a_day_and_the_stats_chart_them(
    billing_settings: Settings,
) -> None:
    platform = get_platform()
    day0 = NOW - 2 * DAY
    add_subscription(billing_settings, "u1", "sub_1", plan="monthly", ends_in=20 * DAY)
    first = expiring.plan_sweep(platform=platform, now=day0)
    assert first.revenue.model_dump() == {
        "day": "2026-11-29",
        "mrr": MONTHLY,
        "arr": MONTHLY * 12,
        "subscribers": 1,
        "by_plan": {"monthly": 1, "annual": 0, "other": 0},
    }

    add_subscription(billing_settings, "u2", "sub_2", plan="annual", ends_in=300 * DAY)
    # The cron redelivered the same day: the day's snapshot is overwritten, not added.
    expiring.plan_sweep(platform=platform, now=day0 + DAY)
    again = expiring.plan_sweep(platform=platform, now=day0 + DAY + timedelta(hours=1))
    annual_mrr = round(ANNUAL / 12)
    assert again.revenue.mrr == MONTHLY + annual_mrr
    assert len(platform.documents.collection(revenue.REVENUE).get()) == 2

    add_subscription(billing_settings, "u3", "sub_3", plan="monthly", ends_in=10 * DAY)
    stats = service.billing_stats(platform=platform, settings=billing_settings, now=NOW)
    assert [(p.day, p.mrr, p.arr, p.subscribers) for p in stats.history] == [
        ("2026-11-29", MONTHLY, MONTHLY * 12, 1),
        ("2026-11-30", MONTHLY + annual_mrr, (MONTHLY + annual_mrr) * 12, 2),
        # today: live figures, recorded by no cron yet
        ("2026-12-01", 2 * MONTHLY + annual_mrr, (2 * MONTHLY + annual_mrr) * 12, 3),
    ]
    assert stats.subscribers_by_plan == {"monthly": 2, "annual": 1, "other": 0}
    assert stats.history[-1].mrr == stats.mrr


def test_history_keeps_only_the_requested_days_and_live_figures_win_for_today(
    billing_settings: Settings,
) -> None:
    platform = get_platform()
    add_subscription(billing_settings, "u1", "sub_1", plan="monthly", ends_in=20 * DAY)
    for back in (120, 89, 1, 0):
        expiring.plan_sweep(platform=platform, now=NOW - back * DAY)
    add_subscription(billing_settings, "u2", "sub_2", plan="monthly", ends_in=20 * DAY)
    points = revenue.history(platform=platform, days=90, now=NOW)
    assert [p.day for p in points] == ["2026-09-03", "2026-11-30", "2026-12-01"]
    assert points[-1].subscribers == 2  # not the morning snapshot's 1
    assert [p.day for p in revenue.history(platform=platform, days=1, now=NOW)] == ["2026-12-01"]
