"""End to end through the platform emulators: publish with the posting service, plant a
metric effect, move the emulator clock, sync, and see the numbers, history and rollups move."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from synthora.services import analytics as svc
from synthora.services import social_accounts as accounts
from tests.services.test_posts import UID, _advance, _connect, _create, _until_done, _video


def test_publish_plant_advance_sync_and_the_numbers_move(env: dict[str, Any]) -> None:
    platform, emu = env["platform"], env["emu"]
    yt = _connect(platform, "youtube")
    vid = _video(platform, env["mp4"])
    post = _create(platform, vid, [{"social_account_id": yt, "privacy": "public"}])
    assert _until_done(env, post.id, post.targets[0].id).outcome == "published"

    _advance(emu, 2 * 3600)
    now = datetime.now(UTC)
    first = svc.sync_post(platform=platform, uid=UID, post_id=post.id, now=now)
    [yt_item] = first.platforms
    assert yt_item.platform == "youtube" and yt_item.platform_post_id
    views_1 = yt_item.totals.views
    assert views_1 > 0 and len(yt_item.history) == 1
    assert yt_item.history[0].definitions == "youtube-views-2026-08-27"

    # plant a 5x effect and let four emulated days pass: the Analytics report lags 2 days, so
    # it then covers at least one whole day after the upload, whatever the hour it was made
    emu.control("google/effects", {"effects": [{"multiplier": 5}]})
    _advance(emu, 4 * 86400)
    later = now + timedelta(minutes=10)  # past the per-post cooldown
    second = svc.sync_post(platform=platform, uid=UID, post_id=post.id, now=later)
    [yt_item] = second.platforms
    assert yt_item.totals.views > 3 * views_1
    assert len(yt_item.history) == 2 and yt_item.history[0].metrics.views == views_1
    assert yt_item.totals.watch_time_s > 0  # the report has caught up with the video by now

    # the rollups moved with it and equal a recomputation from the snapshots
    ov = svc.overview(platform=platform, uid=UID, days=7)
    assert ov.totals.views == yt_item.totals.views and ov.posts_published == 1
    stored = svc.stored_rollups(platform=platform, uid=UID)
    assert stored["latest"] == svc.recompute_rollups(platform=platform, uid=UID)["latest"]
    top = svc.top_performing(platform=platform, uid=UID, days=7)
    assert top.posts[0].post_id == post.id


def test_the_hourly_cron_and_task_sync_a_connected_account(env: dict[str, Any]) -> None:
    platform, emu = env["platform"], env["emu"]
    yt = _connect(platform, "youtube")
    vid = _video(platform, env["mp4"])
    post = _create(platform, vid, [{"social_account_id": yt, "privacy": "public"}])
    assert _until_done(env, post.id, post.targets[0].id).outcome == "published"
    _advance(emu, 3600)
    plan = svc.plan_sync(platform=platform)
    assert plan.accounts == [yt]
    result = svc.sync_account(platform=platform, task=svc.AccountSyncTask(account_id=yt))
    assert result.outcome == "synced" and result.registered == 1 and result.fetched == 1
    channels = svc.channels(platform=platform, uid=UID, role="premium").channels
    assert channels and channels[0].account_id == yt and channels[0].history


def test_a_revoked_grant_stops_sync_and_notifies_once(env: dict[str, Any]) -> None:
    platform, emu = env["platform"], env["emu"]
    yt = _connect(platform, "youtube")
    vid = _video(platform, env["mp4"])
    post = _create(platform, vid, [{"social_account_id": yt, "privacy": "public"}])
    assert _until_done(env, post.id, post.targets[0].id).outcome == "published"
    pid = (platform.documents.collection(accounts.ACCOUNTS).document(yt).get().to_dict() or {})[
        "platform_account_id"
    ]
    emu.control("google/revoke", {"subject_id": pid})
    task = svc.AccountSyncTask(account_id=yt, force=True)
    assert svc.sync_account(platform=platform, task=task).outcome == "stopped"
    assert svc.sync_account(platform=platform, task=task).outcome == "stopped"
    kinds = [
        s.get("type")
        for s in platform.documents.collection("notifications").where("user_id", "==", UID).get()
    ]
    assert kinds.count("social_disconnect") == 1
    assert yt not in svc.plan_sync(platform=platform).accounts
