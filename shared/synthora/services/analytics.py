"""Analytics: every post's numbers kept as a history, rolled up on write, and a best-time heatmap.

Storage (docs/analytics.md has the field list and every derived figure):

    analytics_items/{post_id}-{target_id}   one published target: uid, account_id, platform,
                                            post_id, platform_post_id (or publish_id while a
                                            TikTok id is late), published_at, totals (latest
                                            lifetime metrics), next_sync_at, last_synced_at
    analytics_snapshots/{item}-{ms}         one fetch, never overwritten: fetched_at, metrics,
                                            definitions (the platform's metric-definition version)
    analytics_daily/{uid}-{YYYYMM}          rollup: days.{YYYYMMDD}.{platform}.{counter} = the
                                            growth fetched that UTC day
    analytics_latest/{uid}-{YYYYMM}         rollup: items.{item} = the item's latest totals,
                                            platform, account and publish time (month of
                                            publication); top posts and the heatmap read it
    analytics_channels/{account}-{YYYYMM}   days.{YYYYMMDD} = followers and totals that day
    analytics_sync/{account_id}             per-account sync state: backoff, failures, stop
    analytics_cooldowns/{uid}[-{post}]      manual sync cooldowns

Every snapshot is written in the same transaction as the rollups it feeds, so
the rollups always equal a recomputation from the snapshots
(`recompute_rollups`, checked by the tests).

Sync: the `analytics_sync_cron` (hourly) enqueues one `analytics_sync` task per
connected account; the task registers the account's newly published targets,
fetches the due ones in batches of the platform's id limit, and schedules each
next fetch by age (hourly for 48 h, daily to 30 days, weekly after). A 429 or
throttle backs that account off exponentially (the platform's Retry-After when
given); a dead grant goes through the social accounts service, which marks the
account `needs_reconnect` and notifies the user once; the account's sync then
stops until it is reconnected.
"""

from __future__ import annotations

import math
import statistics
import threading
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from pydantic import BaseModel, Field

from synthora.analytics import FETCHERS
from synthora.analytics.base import COUNTERS, FetchJob, Metrics, PostRef
from synthora.errors import ApiError, Forbidden, NotFound, RateLimited, ServiceUnavailable
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import ASCENDING, DocumentRef, Transaction
from synthora.ports.tasks import TaskQueueError, task_name
from synthora.providers.social import USER_AGENT, SocialPlatformError
from synthora.services import social_accounts as accounts

log = get_logger(__name__)

ITEMS = "analytics_items"
SNAPSHOTS = "analytics_snapshots"
DAILY = "analytics_daily"
LATEST = "analytics_latest"
CHANNELS = "analytics_channels"
SYNC = "analytics_sync"
COOLDOWNS = "analytics_cooldowns"
POSTS = "posts"
SYNC_FUNCTION = "analytics_sync"

#: Fetch schedule by the post's age.
FRESH = timedelta(hours=48)
MONTH = timedelta(days=30)
MANUAL_COOLDOWN = timedelta(minutes=15)
POST_COOLDOWN = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=6)
CRON_PAGE = 1000
#: The heatmap's honesty thresholds.
MIN_MEASURED_POSTS = 10
MIN_CELL_POSTS = 3
#: A post counts in the heatmap once it is this old (its first hours say little).
MEASURE_AFTER = timedelta(hours=48)

Platform_ = Literal["youtube", "tiktok", "instagram", "facebook"]
MetricName = Literal[
    "views", "likes", "comments", "shares", "saves", "watch_time_s", "subscribers_gained"
]
TopMetric = Literal["views", "likes", "comments", "shares", "saves", "engagement_rate"]

_http: httpx.Client | None = None
_http_lock = threading.Lock()


def _client() -> httpx.Client:
    global _http
    with _http_lock:
        if _http is None:
            _http = httpx.Client(
                timeout=httpx.Timeout(20.0, connect=5.0), headers={"User-Agent": USER_AGENT}
            )
        return _http


def _now() -> datetime:
    return datetime.now(UTC)


def _month(d: date | datetime) -> str:
    return f"{d.year:04d}{d.month:02d}"


def _day(d: date | datetime) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


def _months(start: date, end: date) -> list[str]:
    out: list[str] = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(float(value), tz=UTC)
    return None


# --------------------------------------------------------------------------- derived figures


def engagement_rate(totals: dict[str, Any]) -> float | None:
    """(likes + comments + shares + saves) / views; None without views. Defined once, here."""
    views = totals.get("views") or 0
    if views <= 0:
        return None
    engaged = sum(int(totals.get(k) or 0) for k in ("likes", "comments", "shares", "saves"))
    return round(engaged / views, 6)


def change(current: float, previous: float) -> float | None:
    """Relative change against the previous period; None when the previous period had nothing."""
    if not previous:
        return None
    return round((current - previous) / previous, 6)


def sync_interval(age: timedelta) -> timedelta:
    """How soon a post is fetched again: hourly for 48 h, daily to 30 days, weekly after."""
    if age < FRESH:
        return timedelta(hours=1)
    if age < MONTH:
        return timedelta(days=1)
    return timedelta(days=7)


# --------------------------------------------------------------------------- models


class AccountSyncTask(BaseModel):
    account_id: str = Field(min_length=1, max_length=128)
    force: bool = Field(default=False, description="Fetch every post now (manual sync).")


class AccountSyncResult(BaseModel):
    account_id: str
    outcome: Literal["synced", "backing_off", "stopped", "not_found"]
    registered: int = 0
    fetched: int = 0
    missing: int = 0
    calls: int = 0
    message: str | None = None


class SyncPlan(BaseModel):
    enqueued: int
    already_enqueued: int
    skipped_backoff: int
    accounts: list[str]


class SyncRequested(BaseModel):
    accounts: list[str]
    next_allowed_at: datetime


#: The social platforms analytics can be filtered by.
SocialName = Literal["youtube", "tiktok", "instagram", "facebook"]


class PeriodQuery(BaseModel):
    """A window of whole days ending today (UTC)."""

    days: int = Field(
        default=30, ge=1, le=365, description="Window length in days, ending today (UTC)."
    )


class HeatmapQuery(BaseModel):
    days: int = Field(default=90, ge=7, le=365)
    platform: SocialName | None = None
    tz: str | None = Field(default=None, max_length=64, description="IANA zone; default mine.")


class Totals(BaseModel):
    views: int = 0
    likes: int = 0
    comments: int = 0
    shares: int = 0
    saves: int = 0
    watch_time_s: float = 0
    subscribers_gained: int = 0
    engagement_rate: float | None = None


class Figure(BaseModel):
    current: float
    previous: float
    change: float | None


class Overview(BaseModel):
    days: int
    start: date
    end: date
    totals: Totals
    previous: Totals
    changes: dict[str, float | None]
    posts_published: int
    followers: int | None
    synced_at: datetime | None


class SeriesPoint(BaseModel):
    day: date
    value: float


class TimeSeries(BaseModel):
    metric: str
    platform: str | None
    days: int
    points: list[SeriesPoint]


class PlatformRow(BaseModel):
    platform: str
    totals: Totals
    posts_published: int
    avg_views_per_post: float | None


class PlatformComparison(BaseModel):
    days: int
    platforms: list[PlatformRow]


class TopPost(BaseModel):
    post_id: str
    item_id: str
    platform: str
    title: str | None
    published_at: datetime | None
    totals: Totals
    value: float | None


class TopPosts(BaseModel):
    metric: str
    days: int
    posts: list[TopPost]


class HistoryPoint(BaseModel):
    fetched_at: datetime
    definitions: str
    metrics: Metrics


class PostPlatform(BaseModel):
    item_id: str
    platform: str
    account_id: str
    platform_post_id: str | None
    published_at: datetime | None
    last_synced_at: datetime | None
    totals: Totals
    history: list[HistoryPoint]


class PostAnalytics(BaseModel):
    post_id: str
    platforms: list[PostPlatform]
    totals: Totals


class HeatCell(BaseModel):
    weekday: int = Field(description="0 = Monday, in the user's time zone.")
    hour: int
    posts: int = Field(description="Sample size: measured posts published in this slot.")
    score: float | None = Field(description="Median of the posts' views / their account median.")


class BestSlot(BaseModel):
    weekday: int
    hour: int
    posts: int
    score: float
    above_median: int = Field(description="How many of the slot's posts beat their account median.")
    confidence: float = Field(description="1 - one-sided sign-test p-value (0-1).")
    confidence_label: Literal["low", "medium", "high"]


class Heatmap(BaseModel):
    timezone: str
    days: int
    platform: str | None
    measured_posts: int
    status: Literal["ok", "insufficient_data"]
    message: str | None
    cells: list[HeatCell]
    best_slots: list[BestSlot]


class ChannelDay(BaseModel):
    day: date
    followers: int | None = None
    total_views: int | None = None
    video_count: int | None = None
    daily_views: int | None = None
    subscribers_gained: int | None = None


class ChannelOut(BaseModel):
    account_id: str
    platform: str
    display_name: str | None
    followers: int | None
    history: list[ChannelDay]


class Channels(BaseModel):
    channels: list[ChannelOut]


# --------------------------------------------------------------------------- items


def _item_ref(platform: Platform, item_id: str) -> DocumentRef:
    return platform.documents.collection(ITEMS).document(item_id)


def _sync_ref(platform: Platform, account_id: str) -> DocumentRef:
    return platform.documents.collection(SYNC).document(account_id)


def register_items(
    *, platform: Platform, uid: str, account_id: str, now: datetime | None = None
) -> int:
    """Track this account's published targets (read from the posts documents); idempotent."""
    now = now or _now()
    created = 0
    for snap in platform.documents.collection(POSTS).where("owner_uid", "==", uid).get():
        data = snap.to_dict() or {}
        for tid, t in (data.get("targets") or {}).items():
            if t.get("social_account_id") != account_id:
                continue
            upload = t.get("upload") or {}
            published = t.get("status") == "published"
            late_tiktok = t.get("platform") == "tiktok" and upload.get("publish_id")
            if not (published or (late_tiktok and t.get("status") == "processing")):
                continue
            item_id = f"{snap.id}-{tid}"
            ref = _item_ref(platform, item_id)
            current = ref.get()
            published_at = _aware(t.get("published_at"))
            if current.exists:
                have = current.to_dict() or {}
                if t.get("platform_post_id") and not have.get("platform_post_id"):
                    ref.update({"platform_post_id": str(t["platform_post_id"])})
                if published_at and not have.get("published_at"):
                    ref.update({"published_at": published_at})
                continue
            ref.set(
                {
                    "uid": uid,
                    "account_id": account_id,
                    "platform": t.get("platform"),
                    "post_id": snap.id,
                    "target_id": tid,
                    "title": (t.get("overrides") or {}).get("title")
                    or (data.get("content") or {}).get("title")
                    or data.get("video_title"),
                    "platform_post_id": str(t["platform_post_id"])
                    if t.get("platform_post_id")
                    else None,
                    "publish_id": upload.get("publish_id"),
                    "published_at": published_at,
                    "totals": {},
                    "snapshots": 0,
                    "next_sync_at": now,
                    "last_synced_at": None,
                    "created_at": now,
                }
            )
            created += 1
    return created


# --------------------------------------------------------------------------- recording


class Fetched(BaseModel):
    """One item's fetched lifetime metrics (the input of `record_batch`)."""

    item_id: str
    metrics: Metrics
    definitions: str
    platform_post_id: str | None = None


def _merge(prev: dict[str, Any], metrics: Metrics) -> dict[str, Any]:
    new = dict(prev)
    for name, value in metrics.model_dump().items():
        if value is not None:
            new[name] = value
    return new


def record_batch(
    *, platform: Platform, uid: str, fetched: list[Fetched], now: datetime | None = None
) -> int:
    """Store each fetch as a snapshot and update the rollups, all in one transaction."""
    if not fetched:
        return 0
    now = now or _now()
    docs = platform.documents
    daily_ref = docs.collection(DAILY).document(f"{uid}-{_month(now)}")
    item_refs = [_item_ref(platform, f.item_id) for f in fetched]

    def work(tx: Transaction) -> int:
        items = [tx.get(r) for r in item_refs]
        daily = tx.get(daily_ref).to_dict() or {"uid": uid, "month": _month(now), "days": {}}
        shards: dict[str, str] = {}
        for snap in items:
            item = snap.to_dict() or {}
            published = _aware(item.get("published_at")) or now
            shards[snap.id] = f"{uid}-{_month(published)}"
        latest_docs: dict[str, dict[str, Any]] = {}
        for shard in sorted(set(shards.values())):
            latest_docs[shard] = tx.get(docs.collection(LATEST).document(shard)).to_dict() or {
                "uid": uid,
                "month": shard.rsplit("-", 1)[1],
                "items": {},
            }
        writes = 0
        for f, snap in zip(fetched, items, strict=True):
            item = snap.to_dict()
            if item is None or item.get("uid") != uid:
                continue
            published = _aware(item.get("published_at")) or now
            shard = shards[snap.id]
            prev = item.get("totals") or {}
            totals = _merge(prev, f.metrics)
            day = daily["days"].setdefault(_day(now), {})
            bucket = day.setdefault(str(item["platform"]), {})
            for name in COUNTERS:
                delta = float(totals.get(name) or 0) - float(prev.get(name) or 0)
                if delta:
                    bucket[name] = bucket.get(name, 0) + delta
            latest_docs[shard]["items"][snap.id] = {
                "post_id": item["post_id"],
                "platform": item["platform"],
                "account_id": item["account_id"],
                "published_at": published.timestamp(),
                "title": item.get("title"),
                **{k: totals.get(k) for k in (*COUNTERS, "reach", "avg_view_duration_s")},
            }
            stamp = int(now.timestamp() * 1000)
            tx.create(
                docs.collection(SNAPSHOTS).document(f"{snap.id}-{stamp}"),
                {
                    "uid": uid,
                    "item_id": snap.id,
                    "platform": item["platform"],
                    "account_id": item["account_id"],
                    "fetched_at": now,
                    "definitions": f.definitions,
                    "metrics": f.metrics.model_dump(),
                },
            )
            age = now - published
            update: dict[str, Any] = {
                "totals": totals,
                "last_synced_at": now,
                "next_sync_at": now + sync_interval(age),
                "snapshots": int(item.get("snapshots", 0)) + 1,
                "definitions": f.definitions,
            }
            if f.platform_post_id and not item.get("platform_post_id"):
                update["platform_post_id"] = f.platform_post_id
            tx.update(snap.reference, update)
            writes += 1
        tx.set(daily_ref, daily)
        for shard, body in latest_docs.items():
            tx.set(docs.collection(LATEST).document(shard), body)
        return writes

    return docs.run_transaction(work)


def recompute_rollups(*, platform: Platform, uid: str) -> dict[str, Any]:
    """The daily and latest rollups rebuilt from the snapshots alone (for checks and repairs)."""
    snaps = platform.documents.collection(SNAPSHOTS).where("uid", "==", uid).get()
    by_item: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in snaps:
        by_item[str(s.get("item_id"))].append(s.to_dict() or {})
    daily: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    latest: dict[str, dict[str, Any]] = {}
    for item_id, rows in by_item.items():
        rows.sort(key=lambda r: _aware(r["fetched_at"]) or _now())
        totals: dict[str, Any] = {}
        for row in rows:
            new = _merge(totals, Metrics(**row["metrics"]))
            bucket = daily[_day(_aware(row["fetched_at"]) or _now())][row["platform"]]
            for name in COUNTERS:
                delta = float(new.get(name) or 0) - float(totals.get(name) or 0)
                if delta:
                    bucket[name] = bucket.get(name, 0) + delta
            totals = new
        latest[item_id] = {k: totals.get(k) for k in COUNTERS}
    return {"daily": {d: dict(p) for d, p in daily.items()}, "latest": latest}


def stored_rollups(*, platform: Platform, uid: str) -> dict[str, Any]:
    """The rollups as maintained on write, in `recompute_rollups`' shape."""
    daily: dict[str, Any] = {}
    for snap in platform.documents.collection(DAILY).where("uid", "==", uid).get():
        for d, plats in (snap.get("days") or {}).items():
            cleaned = {p: {k: v for k, v in m.items() if v} for p, m in plats.items()}
            daily[d] = {p: m for p, m in cleaned.items() if m}
    latest: dict[str, Any] = {}
    for snap in platform.documents.collection(LATEST).where("uid", "==", uid).get():
        for item_id, row in (snap.get("items") or {}).items():
            latest[item_id] = {k: row.get(k) for k in COUNTERS}
    return {"daily": {d: p for d, p in daily.items() if p}, "latest": latest}


def rollup_differences(stored: dict[str, Any], recomputed: dict[str, Any]) -> list[str]:
    """Where two rollups disagree (beyond float summation order); empty when they match."""
    out: list[str] = []

    def walk(a: Any, b: Any, path: str) -> None:
        if isinstance(a, dict) or isinstance(b, dict):
            a, b = a if isinstance(a, dict) else {}, b if isinstance(b, dict) else {}
            for key in sorted(set(a) | set(b)):
                walk(a.get(key), b.get(key), f"{path}/{key}")
            return
        x, y = float(a or 0), float(b or 0)
        if not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-6):
            out.append(f"{path}: {x} != {y}")

    walk(stored, recomputed, "")
    return out


# --------------------------------------------------------------------------- sync


def _backoff(failures: int, retry_after_s: float | None) -> timedelta:
    wait = timedelta(minutes=2 ** min(failures, 10))
    if retry_after_s:
        wait = max(wait, timedelta(seconds=retry_after_s))
    return min(wait, MAX_BACKOFF)


def _set_state(platform: Platform, account_id: str, data: dict[str, Any]) -> None:
    _sync_ref(platform, account_id).set(data, merge=True)


def sync_account(
    *,
    platform: Platform,
    task: AccountSyncTask,
    now: datetime | None = None,
    only_items: list[str] | None = None,
    http: httpx.Client | None = None,
) -> AccountSyncResult:
    """One account's sync: register new posts, fetch the due ones in batches, back off on 429."""
    now = now or _now()
    aid = task.account_id
    account = platform.documents.collection(accounts.ACCOUNTS).document(aid).get().to_dict()
    if account is None:
        return AccountSyncResult(account_id=aid, outcome="not_found")
    uid = str(account["user_id"])
    if account.get("status") != "connected":
        _set_state(platform, aid, {"stopped": True, "stopped_reason": account.get("status")})
        return AccountSyncResult(account_id=aid, outcome="stopped", message="account not connected")
    state = _sync_ref(platform, aid).get().to_dict() or {}
    until = _aware(state.get("backoff_until"))
    if until and until > now and only_items is None:
        return AccountSyncResult(
            account_id=aid, outcome="backing_off", message=f"until {until.isoformat()}"
        )
    social = str(account["platform"])
    fetcher = FETCHERS[social]
    registered = register_items(platform=platform, uid=uid, account_id=aid, now=now)
    query = platform.documents.collection(ITEMS).where("account_id", "==", aid)
    if not task.force and only_items is None:
        query = query.where("next_sync_at", "<=", now)
    due = [s for s in query.get() if only_items is None or s.id in only_items]
    result = AccountSyncResult(account_id=aid, outcome="synced", registered=registered)
    try:
        token = accounts.access_token_for(platform=platform, account_id=aid)
    except ServiceUnavailable as exc:
        return _back_off(platform, aid, state, result, None, exc.message, now)
    except ApiError as exc:
        _set_state(platform, aid, {"stopped": True, "stopped_reason": exc.code, "updated_at": now})
        result.outcome, result.message = "stopped", exc.message
        return result
    job = FetchJob(
        settings=platform.settings,
        http=http or _client(),
        access_token=token,
        platform_account_id=str(account["platform_account_id"]),
    )
    done: set[str] = set()
    for attempt in range(2):
        try:
            _fetch_due(
                platform, fetcher, job, uid, [s for s in due if s.id not in done], now, result, done
            )
            today = now.date()
            if state.get("channel_day") != _day(today):
                figures = fetcher.fetch_channel(job, day=today)
                result.calls += 1
                _store_channel(
                    platform, aid, uid, social, figures.model_dump(exclude={"definitions"})
                )
                _set_state(platform, aid, {"channel_day": _day(today)})
            break
        except SocialPlatformError as exc:
            if exc.transient:
                return _back_off(platform, aid, state, result, exc.retry_after_s, exc.message, now)
            if exc.dead_grant:
                # The accounts service decides: a refresh that works was only an expired
                # token (retry once with the new one); a dead grant marks the account
                # needs_reconnect and notifies the user once.
                outcome = accounts.refresh_account(platform=platform, account_id=aid, force=True)
                if outcome.result == "needs_reconnect":
                    _set_state(
                        platform,
                        aid,
                        {"stopped": True, "stopped_reason": "needs_reconnect", "updated_at": now},
                    )
                    result.outcome, result.message = "stopped", exc.message
                    return result
                if attempt == 0 and outcome.result in ("refreshed", "checked"):
                    job.access_token = accounts.access_token_for(platform=platform, account_id=aid)
                    continue
            log.warning(
                "analytics fetch refused",
                extra=fields(account_id=aid, platform=social, code=exc.code, kind=exc.kind),
            )
            result.message = exc.message
            break
    _set_state(
        platform,
        aid,
        {
            "uid": uid,
            "failures": 0,
            "backoff_until": None,
            "stopped": False,
            "last_sync_at": now,
            "last_error": result.message,
        },
    )
    log.info(
        "analytics account synced",
        extra=fields(account_id=aid, platform=social, fetched=result.fetched, calls=result.calls),
    )
    return result


def _fetch_due(
    platform: Platform,
    fetcher: Any,
    job: FetchJob,
    uid: str,
    due: list[Any],
    now: datetime,
    result: AccountSyncResult,
    done: set[str],
) -> None:
    """Fetch the due items in batches of the platform's id limit and record each batch."""
    for start in range(0, len(due), fetcher.batch_size):
        batch = due[start : start + fetcher.batch_size]
        refs = [
            PostRef(
                key=s.id,
                platform_post_id=s.get("platform_post_id"),
                publish_id=s.get("publish_id"),
                published_at=_aware(s.get("published_at")),
            )
            for s in batch
        ]
        got = fetcher.fetch_posts(job, refs)
        result.calls += 1
        fetched = [
            Fetched(
                item_id=p.key,
                metrics=p.metrics,
                definitions=got.definitions,
                platform_post_id=got.resolved_ids.get(p.key),
            )
            for p in got.posts
        ]
        result.fetched += record_batch(platform=platform, uid=uid, fetched=fetched, now=now)
        for key in got.missing:
            result.missing += 1
            snap = next(s for s in batch if s.id == key)
            published = _aware(snap.get("published_at")) or now
            update: dict[str, Any] = {
                "next_sync_at": now + min(sync_interval(now - published), timedelta(hours=6)),
                "missing_since": snap.get("missing_since") or now,
            }
            if key in got.resolved_ids:
                update["platform_post_id"] = got.resolved_ids[key]
            _item_ref(platform, key).update(update)
        done.update(s.id for s in batch)


def _back_off(
    platform: Platform,
    aid: str,
    state: dict[str, Any],
    result: AccountSyncResult,
    retry_after_s: float | None,
    message: str,
    now: datetime,
) -> AccountSyncResult:
    failures = int(state.get("failures", 0)) + 1
    until = now + _backoff(failures, retry_after_s)
    _set_state(platform, aid, {"failures": failures, "backoff_until": until, "last_error": message})
    log.warning("analytics sync backing off", extra=fields(account_id=aid, failures=failures))
    result.outcome = "backing_off"
    result.message = f"{message}; retrying after {until.isoformat()}"
    return result


def _store_channel(
    platform: Platform, account_id: str, uid: str, social: str, figures: dict[str, Any]
) -> None:
    day: date = figures.pop("day")
    ref = platform.documents.collection(CHANNELS).document(f"{account_id}-{_month(day)}")
    ref.set(
        {
            "uid": uid,
            "account_id": account_id,
            "platform": social,
            "month": _month(day),
            "days": {_day(day): figures},
        },
        merge=True,
    )


def plan_sync(*, platform: Platform, now: datetime | None = None) -> SyncPlan:
    """The hourly cron: one named sync task per connected account (not backing off)."""
    now = now or _now()
    snaps = (
        platform.documents.collection(accounts.ACCOUNTS)
        .where("status", "==", "connected")
        .limit(CRON_PAGE)
        .get()
    )
    enqueued = already = skipped = 0
    ids: list[str] = []
    for snap in snaps:
        state = _sync_ref(platform, snap.id).get().to_dict() or {}
        until = _aware(state.get("backoff_until"))
        if until and until > now:
            skipped += 1
            continue
        name = task_name("analytics-sync", snap.id, _day(now), f"{now.hour:02d}")
        try:
            res = platform.tasks.enqueue(
                function=SYNC_FUNCTION, payload=AccountSyncTask(account_id=snap.id), name=name
            )
        except TaskQueueError as exc:
            log.warning(
                "analytics sync not queued", extra=fields(account_id=snap.id, reason=str(exc))
            )
            continue
        enqueued += int(res.created)
        already += int(not res.created)
        ids.append(snap.id)
    return SyncPlan(
        enqueued=enqueued, already_enqueued=already, skipped_backoff=skipped, accounts=ids
    )


def _cooldown(platform: Platform, key: str, period: timedelta, now: datetime) -> datetime:
    """Take the cooldown or raise 429 with Retry-After; returns when the next is allowed."""
    ref = platform.documents.collection(COOLDOWNS).document(key)

    def work(tx: Transaction) -> datetime | None:
        last = _aware((tx.get(ref).to_dict() or {}).get("at"))
        if last and last + period > now:
            return last + period
        tx.set(ref, {"at": now})
        return None

    blocked = platform.documents.run_transaction(work)
    if blocked is not None:
        wait = max(1, math.ceil((blocked - now).total_seconds()))
        raise RateLimited(
            f"a manual sync ran recently; try again in {wait} s",
            code="sync_cooldown",
            headers={"Retry-After": str(wait)},
            details={"retry_after_s": wait},
        )
    return now + period


def request_sync(*, platform: Platform, uid: str, now: datetime | None = None) -> SyncRequested:
    """Manual sync of all my accounts: one forced task per account, at most every 15 minutes."""
    now = now or _now()
    mine = [
        s
        for s in platform.documents.collection(accounts.ACCOUNTS).where("user_id", "==", uid).get()
        if s.get("status") == "connected"
    ]
    if not mine:
        raise NotFound("connect a social account first", code="no_connected_accounts")
    next_at = _cooldown(platform, uid, MANUAL_COOLDOWN, now)
    ids = []
    for snap in mine:
        platform.tasks.enqueue(
            function=SYNC_FUNCTION,
            payload=AccountSyncTask(account_id=snap.id, force=True),
            name=task_name("analytics-manual", snap.id, int(now.timestamp())),
        )
        ids.append(snap.id)
    return SyncRequested(accounts=ids, next_allowed_at=next_at)


def _owned_post(platform: Platform, uid: str, post_id: str) -> dict[str, Any]:
    if not post_id or "/" in post_id:
        raise NotFound("post not found", code="post_not_found")
    data = platform.documents.collection(POSTS).document(post_id).get().to_dict()
    if data is None or data.get("owner_uid") != uid:
        raise NotFound("post not found", code="post_not_found")
    return data


def sync_post(
    *, platform: Platform, uid: str, post_id: str, now: datetime | None = None
) -> PostAnalytics:
    """Fetch one post's numbers now (every platform it went to), at most every 5 minutes."""
    now = now or _now()
    data = _owned_post(platform, uid, post_id)
    _cooldown(platform, f"{uid}-{post_id}", POST_COOLDOWN, now)
    by_account: dict[str, list[str]] = defaultdict(list)
    for tid, t in (data.get("targets") or {}).items():
        if t.get("social_account_id"):
            by_account[str(t["social_account_id"])].append(f"{post_id}-{tid}")
    for aid, items in by_account.items():
        outcome = sync_account(
            platform=platform,
            task=AccountSyncTask(account_id=aid, force=True),
            now=now,
            only_items=items,
        )
        if outcome.outcome == "backing_off":
            raise ServiceUnavailable(
                outcome.message or "the platform is limiting us", code="platform_busy"
            )
    return post_analytics(platform=platform, uid=uid, post_id=post_id)


# --------------------------------------------------------------------------- reads


def _daily(
    platform: Platform, uid: str, start: date, end: date
) -> dict[str, dict[str, dict[str, float]]]:
    refs = [
        platform.documents.collection(DAILY).document(f"{uid}-{m}") for m in _months(start, end)
    ]
    out: dict[str, dict[str, dict[str, float]]] = {}
    lo, hi = _day(start), _day(end)
    for snap in platform.documents.get_all(refs):
        for d, plats in (snap.get("days") or {}).items():
            if lo <= d <= hi:
                out[d] = plats
    return out


def _latest(platform: Platform, uid: str, start: date, end: date) -> dict[str, dict[str, Any]]:
    refs = [
        platform.documents.collection(LATEST).document(f"{uid}-{m}") for m in _months(start, end)
    ]
    out: dict[str, dict[str, Any]] = {}
    lo = datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp()
    hi = (datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=1)).timestamp()
    for snap in platform.documents.get_all(refs):
        for item_id, row in (snap.get("items") or {}).items():
            if lo <= float(row.get("published_at") or 0) < hi:
                out[item_id] = row
    return out


def _sum(days: Iterable[dict[str, dict[str, float]]], platform_name: str | None = None) -> Totals:
    acc: dict[str, float] = defaultdict(float)
    for plats in days:
        for p, metrics in plats.items():
            if platform_name and p != platform_name:
                continue
            for k, v in metrics.items():
                acc[k] += float(v)
    totals = Totals(**{k: (acc[k] if k == "watch_time_s" else round(acc[k])) for k in COUNTERS})
    totals.engagement_rate = engagement_rate(totals.model_dump())
    return totals


def _window(days: int, today: date | None = None) -> tuple[date, date]:
    end = today or _now().date()
    return end - timedelta(days=days - 1), end


def overview(
    *, platform: Platform, uid: str, days: int = 30, today: date | None = None
) -> Overview:
    start, end = _window(days, today)
    prev_start = start - timedelta(days=days)
    daily = _daily(platform, uid, prev_start, end)
    cur = _sum(v for d, v in daily.items() if d >= _day(start))
    prev = _sum(v for d, v in daily.items() if d < _day(start))
    changes = {k: change(float(getattr(cur, k)), float(getattr(prev, k))) for k in COUNTERS}
    cur_er, prev_er = cur.engagement_rate, prev.engagement_rate
    changes["engagement_rate"] = change(cur_er, prev_er) if cur_er is not None and prev_er else None
    posts = _latest(platform, uid, start, end)
    followers = None
    synced_at = None
    for s in platform.documents.collection(SYNC).where("uid", "==", uid).get():
        at = _aware(s.get("last_sync_at"))
        if at and (synced_at is None or at > synced_at):
            synced_at = at
    for ch in channels_latest(platform, uid):
        if ch.followers is not None:
            followers = (followers or 0) + ch.followers
    return Overview(
        days=days,
        start=start,
        end=end,
        totals=cur,
        previous=prev,
        changes=changes,
        posts_published=len({row["post_id"] for row in posts.values()}),
        followers=followers,
        synced_at=synced_at,
    )


def time_series(
    *,
    platform: Platform,
    uid: str,
    metric: str,
    days: int = 30,
    social: str | None = None,
    today: date | None = None,
) -> TimeSeries:
    start, end = _window(days, today)
    daily = _daily(platform, uid, start, end)
    points = []
    for i in range(days):
        d = start + timedelta(days=i)
        plats = daily.get(_day(d), {})
        if metric == "engagement_rate":
            value = _sum([plats], social).engagement_rate or 0.0
        else:
            value = sum(
                float(m.get(metric, 0)) for p, m in plats.items() if social is None or p == social
            )
        points.append(SeriesPoint(day=d, value=round(value, 6)))
    return TimeSeries(metric=metric, platform=social, days=days, points=points)


def platforms_comparison(
    *, platform: Platform, uid: str, days: int = 30, today: date | None = None
) -> PlatformComparison:
    start, end = _window(days, today)
    daily = _daily(platform, uid, start, end)
    posts = _latest(platform, uid, start, end)
    names = sorted(
        {p for plats in daily.values() for p in plats} | {r["platform"] for r in posts.values()}
    )
    rows = []
    for name in names:
        totals = _sum(daily.values(), name)
        own = [r for r in posts.values() if r["platform"] == name and r.get("views") is not None]
        rows.append(
            PlatformRow(
                platform=name,
                totals=totals,
                posts_published=len([r for r in posts.values() if r["platform"] == name]),
                avg_views_per_post=round(statistics.fmean(r["views"] for r in own), 2)
                if own
                else None,
            )
        )
    return PlatformComparison(days=days, platforms=rows)


def _totals_of(row: dict[str, Any]) -> Totals:
    totals = Totals(**{k: row.get(k) or 0 for k in COUNTERS})
    totals.engagement_rate = engagement_rate(row)
    return totals


def top_performing(
    *,
    platform: Platform,
    uid: str,
    metric: str = "views",
    days: int = 30,
    sort: Literal["desc", "asc"] = "desc",
    limit: int = 10,
    social: str | None = None,
    today: date | None = None,
) -> TopPosts:
    start, end = _window(days, today)
    rows = [
        (item_id, r)
        for item_id, r in _latest(platform, uid, start, end).items()
        if social is None or r["platform"] == social
    ]

    def value(r: dict[str, Any]) -> float | None:
        if metric == "engagement_rate":
            return engagement_rate(r)
        v = r.get(metric)
        return float(v) if v is not None else None

    measured = [(i, r, value(r)) for i, r in rows if value(r) is not None]
    measured.sort(key=lambda x: x[2] or 0.0, reverse=sort == "desc")
    return TopPosts(
        metric=metric,
        days=days,
        posts=[
            TopPost(
                post_id=r["post_id"],
                item_id=i,
                platform=r["platform"],
                title=r.get("title"),
                published_at=_aware(r.get("published_at")),
                totals=_totals_of(r),
                value=v,
            )
            for i, r, v in measured[:limit]
        ],
    )


def post_analytics(*, platform: Platform, uid: str, post_id: str) -> PostAnalytics:
    _owned_post(platform, uid, post_id)
    items = platform.documents.collection(ITEMS).where("post_id", "==", post_id).get()
    out = []
    for snap in items:
        item = snap.to_dict() or {}
        if item.get("uid") != uid:
            continue
        history = [
            HistoryPoint(
                fetched_at=_aware(h.get("fetched_at")) or _now(),
                definitions=str(h.get("definitions")),
                metrics=Metrics(**(h.get("metrics") or {})),
            )
            for h in platform.documents.collection(SNAPSHOTS)
            .where("item_id", "==", snap.id)
            .order_by("fetched_at", ASCENDING)
            .get()
        ]
        out.append(
            PostPlatform(
                item_id=snap.id,
                platform=str(item.get("platform")),
                account_id=str(item.get("account_id")),
                platform_post_id=item.get("platform_post_id"),
                published_at=_aware(item.get("published_at")),
                last_synced_at=_aware(item.get("last_synced_at")),
                totals=_totals_of(item.get("totals") or {}),
                history=history,
            )
        )
    grand: dict[str, float] = defaultdict(float)
    for p in out:
        for k in COUNTERS:
            grand[k] += float(getattr(p.totals, k))
    return PostAnalytics(post_id=post_id, platforms=out, totals=_totals_of(dict(grand)))


def user_timezone(platform: Platform, uid: str) -> str:
    data = platform.documents.collection("users").document(uid).get().to_dict() or {}
    tz = (data.get("preferences") or {}).get("timezone") or data.get("timezone") or "UTC"
    try:
        ZoneInfo(str(tz))
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return str(tz)


def _sign_test_confidence(above: int, n: int) -> float:
    """1 - P(X >= above) for X ~ Binomial(n, 1/2): how unlikely this many wins are by chance."""
    p = sum(math.comb(n, k) for k in range(above, n + 1)) / 2**n
    return round(1 - p, 4)


def heatmap(
    *,
    platform: Platform,
    uid: str,
    days: int = 90,
    social: str | None = None,
    tz: str | None = None,
    now: datetime | None = None,
) -> Heatmap:
    """Weekday x hour of publication in the user's zone, each post scored against its account.

    A post's score is its views divided by the median views of the same account's
    measured posts in the window, so one account's size or one viral post does not
    paint the map; a cell's score is the median of its posts' scores and carries
    its sample size. Best slots need MIN_CELL_POSTS posts, beat 1.0, and come with a
    sign-test confidence. Below MIN_MEASURED_POSTS measured posts nothing is ranked.
    """
    now = now or _now()
    zone_name = tz or user_timezone(platform, uid)
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        from synthora.errors import ValidationFailed

        raise ValidationFailed(
            f"unknown time zone {zone_name!r}", code="invalid_timezone"
        ) from None
    start, end = _window(days, now.date())
    cutoff = (now - MEASURE_AFTER).timestamp()
    # (account, publish time, views) of the measured posts: one pass over the rollup rows
    rows: list[tuple[str, float, float]] = []
    for r in _latest(platform, uid, start, end).values():
        views, at = r.get("views"), float(r["published_at"])
        if views is not None and at <= cutoff and (social is None or r["platform"] == social):
            rows.append((r["account_id"], at, float(views)))
    by_account: dict[str, list[float]] = defaultdict(list)
    for account, _, views in rows:
        by_account[account].append(views)
    medians = {a: statistics.median(v) for a, v in by_account.items()}
    cells: dict[tuple[int, int], list[float]] = defaultdict(list)
    for account, at, views in rows:
        base = medians[account]
        if base <= 0:
            continue
        local = datetime.fromtimestamp(at, zone)
        cells[(local.weekday(), local.hour)].append(views / base)
    out_cells = [
        HeatCell(
            weekday=wd,
            hour=h,
            posts=len(cells.get((wd, h), [])),
            score=round(statistics.median(cells[(wd, h)]), 4) if cells.get((wd, h)) else None,
        )
        for wd in range(7)
        for h in range(24)
    ]
    measured = len(rows)
    best: list[BestSlot] = []
    message = None
    if measured < MIN_MEASURED_POSTS:
        message = (
            f"{measured} measured post(s) in the last {days} days; best times need at least "
            f"{MIN_MEASURED_POSTS} posts older than 48 hours. Keep posting at varied times."
        )
    else:
        for (wd, h), scores in cells.items():
            if len(scores) < MIN_CELL_POSTS:
                continue
            score = statistics.median(scores)
            if score <= 1.0:
                continue
            above = sum(1 for s in scores if s > 1.0)
            conf = _sign_test_confidence(above, len(scores))
            label: Literal["low", "medium", "high"] = (
                "high" if conf >= 0.95 else "medium" if conf >= 0.8 else "low"
            )
            best.append(
                BestSlot(
                    weekday=wd,
                    hour=h,
                    posts=len(scores),
                    score=round(score, 4),
                    above_median=above,
                    confidence=conf,
                    confidence_label=label,
                )
            )
        best.sort(key=lambda b: (b.confidence, b.score), reverse=True)
        best = best[:5]
        if not best:
            message = (
                f"No time slot has {MIN_CELL_POSTS}+ posts that beat your typical performance yet; "
                "the cells show what there is."
            )
    return Heatmap(
        timezone=zone_name,
        days=days,
        platform=social,
        measured_posts=measured,
        status="ok" if best else "insufficient_data",
        message=message,
        cells=out_cells,
        best_slots=best,
    )


def channels_latest(platform: Platform, uid: str, months: int = 3) -> list[ChannelOut]:
    today = _now().date()
    start = today - timedelta(days=31 * (months - 1))
    out = []
    for acc in platform.documents.collection(accounts.ACCOUNTS).where("user_id", "==", uid).get():
        refs = [
            platform.documents.collection(CHANNELS).document(f"{acc.id}-{m}")
            for m in _months(start, today)
        ]
        history: list[ChannelDay] = []
        for snap in platform.documents.get_all(refs):
            for d, fig in sorted((snap.get("days") or {}).items()):
                history.append(ChannelDay(day=date(int(d[:4]), int(d[4:6]), int(d[6:])), **fig))
        if not history:
            continue
        out.append(
            ChannelOut(
                account_id=acc.id,
                platform=str(acc.get("platform")),
                display_name=acc.get("display_name"),
                followers=history[-1].followers,
                history=history,
            )
        )
    return out


def channels(*, platform: Platform, uid: str, role: str) -> Channels:
    """Channel-level figures per account (followers, totals by day): premium."""
    if role not in ("premium", "admin"):
        raise Forbidden("channel analytics are a premium feature", code="premium_required")
    return Channels(channels=channels_latest(platform, uid))


def published_rows(
    *, platform: Platform, uid: str, days: int, now: datetime | None = None
) -> dict[str, dict[str, Any]]:
    """Every published target of the user in the window, with its latest totals (rollup rows).

    The rows top posts and the heatmap read: post_id, platform, account_id,
    published_at (epoch seconds), title and the lifetime counters. Used by the
    suggestions analysers.
    """
    start, end = _window(days, (now or _now()).date())
    return _latest(platform, uid, start, end)


def platform_views_median(
    *, platform: Platform, social: str, sample: int = 1000
) -> tuple[float, int]:
    """The median lifetime views of measured targets on one platform, across every user.

    At most `sample` targets are read (one single-field query); returns
    (median, how many). The suggestions' performance prediction uses it as its
    prior when a creator's own history on the platform is thin.
    """
    snaps = platform.documents.collection(ITEMS).where("platform", "==", social).limit(sample).get()
    views = [
        float((s.get("totals") or {}).get("views") or 0)
        for s in snaps
        if (s.get("totals") or {}).get("views") is not None
    ]
    return (statistics.median(views) if views else 0.0), len(views)
