"""Admin content management: recent videos and posts, failed jobs and their retry.

A failed job is one of three kinds, each read by an indexed query:

- `video`: a generation that failed in a pipeline step (`videos`, status
  failed, newest change first); its error is the step, provider, message
  and the provider's payload. Retry restarts it from the failed step through
  `videos.retry_video`, the same path as the owner's retry button;
- `post`: a publishing target that failed (`posts` with status failed or
  partially published); its error is the platform's code, message, HTTP
  status and answer. Retry sends that target again through
  `posts.publish_now`, as the owner's retry does (only targets the platform
  error allows to be retried);
- `sync`: an analytics sync that stopped or is backing off
  (`analytics_sync/{account_id}`); retry enqueues a forced sync of the
  account for the `analytics_sync` task, as the manual sync does.

A retry is idempotent: a job that is no longer failed (retried already, by the
admin or the owner) is answered with outcome `not_failed` and nothing is
enqueued; a sync retry is a named task per failure, so asking twice queues one.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from synthora.errors import Conflict, NotFound
from synthora.http.pagination import paginate
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import DESCENDING
from synthora.ports.tasks import task_name
from synthora.services import analytics, posts, videos
from synthora.services import social_accounts as accounts

log = get_logger(__name__)

JobKind = Literal["video", "post", "sync"]
FAILED_POST_STATUSES = ["failed", "partially_published"]


class RecentVideo(BaseModel):
    id: str
    owner_id: str
    title: str | None = None
    topic: str
    template_id: str
    template_name: str
    status: str
    created_at: datetime | None = None
    updated_at: datetime | None = None


class RecentVideoPage(BaseModel):
    items: list[RecentVideo]
    next_cursor: str | None = None
    has_more: bool = False


class RecentPostTarget(BaseModel):
    id: str
    platform: str
    status: str
    account_name: str | None = None


class RecentPost(BaseModel):
    id: str
    owner_id: str
    video_id: str
    video_title: str | None = None
    status: str
    scheduled_at: datetime | None = None
    created_at: datetime | None = None
    targets: list[RecentPostTarget]


class RecentPostPage(BaseModel):
    items: list[RecentPost]
    next_cursor: str | None = None
    has_more: bool = False


class FailedJob(BaseModel):
    kind: JobKind
    id: str = Field(description="The video id, post id or social account id.")
    target_id: str | None = Field(default=None, description="The post's failed target.")
    owner_id: str
    title: str
    stage: str = Field(description="The pipeline step, the platform, or 'analytics'.")
    message: str
    error: dict[str, Any] = Field(description="The full error as stored.")
    retryable: bool
    failed_at: datetime | None = None


class FailedJobList(BaseModel):
    items: list[FailedJob]
    counts: dict[str, int]


class RetryRequest(BaseModel):
    kind: JobKind
    id: str = Field(min_length=1, max_length=128, pattern=r"^[^/]+$")
    target_id: str | None = Field(default=None, min_length=1, max_length=128, pattern=r"^[^/]+$")


class RetryOut(BaseModel):
    kind: JobKind
    id: str
    target_id: str | None = None
    outcome: Literal["retried", "not_failed"]
    task: str | None = Field(default=None, description="The sync task's name (sync retries).")


# --------------------------------------------------------------------------- recent content


def recent_videos(
    *, platform: Platform, limit: int, cursor: str | None, status: str | None = None
) -> RecentVideoPage:
    q: Any = platform.documents.collection(videos.VIDEOS)
    if status is not None:
        q = q.where("status", "==", status)
    snaps, next_cursor = paginate(
        q, order_by=[("created_at", DESCENDING)], limit=limit, cursor=cursor
    )
    items = [RecentVideo.model_validate({**(s.to_dict() or {}), "id": s.id}) for s in snaps]
    return RecentVideoPage(items=items, next_cursor=next_cursor, has_more=next_cursor is not None)


def recent_posts(*, platform: Platform, limit: int, cursor: str | None) -> RecentPostPage:
    q = platform.documents.collection(posts.POSTS)
    snaps, next_cursor = paginate(
        q, order_by=[("created_at", DESCENDING)], limit=limit, cursor=cursor
    )
    items: list[RecentPost] = []
    for s in snaps:
        data = s.to_dict() or {}
        targets = sorted((data.get("targets") or {}).values(), key=lambda t: t.get("order", 0))
        items.append(
            RecentPost(
                id=s.id,
                owner_id=str(data.get("owner_uid")),
                video_id=str(data.get("video_id")),
                video_title=data.get("video_title"),
                status=str(data.get("status")),
                scheduled_at=data.get("scheduled_at"),
                created_at=data.get("created_at"),
                targets=[
                    RecentPostTarget(
                        id=str(t["id"]),
                        platform=str(t.get("platform")),
                        status=str(t.get("status")),
                        account_name=t.get("account_name"),
                    )
                    for t in targets
                ],
            )
        )
    return RecentPostPage(items=items, next_cursor=next_cursor, has_more=next_cursor is not None)


# --------------------------------------------------------------------------- failed jobs


def _failed_videos(platform: Platform, limit: int) -> list[FailedJob]:
    snaps = (
        platform.documents.collection(videos.VIDEOS)
        .where("status", "==", "failed")
        .order_by("updated_at", DESCENDING)
        .limit(limit)
        .get()
    )
    out: list[FailedJob] = []
    for s in snaps:
        data = s.to_dict() or {}
        error = data.get("error") or {}
        out.append(
            FailedJob(
                kind="video",
                id=s.id,
                owner_id=str(data.get("owner_id")),
                title=str(data.get("title") or data.get("topic") or s.id),
                stage=str(error.get("step") or "pipeline"),
                message=str(error.get("message") or "failed without a message"),
                error=error,
                retryable=True,
                failed_at=error.get("at") or data.get("updated_at"),
            )
        )
    return out


def _failed_targets(platform: Platform, limit: int) -> list[FailedJob]:
    snaps = (
        platform.documents.collection(posts.POSTS)
        .where("status", "in", FAILED_POST_STATUSES)
        .order_by("updated_at", DESCENDING)
        .limit(limit)
        .get()
    )
    out: list[FailedJob] = []
    for s in snaps:
        data = s.to_dict() or {}
        for t in sorted((data.get("targets") or {}).values(), key=lambda t: t.get("order", 0)):
            if t.get("status") != "failed":
                continue
            error = t.get("error") or {}
            out.append(
                FailedJob(
                    kind="post",
                    id=s.id,
                    target_id=str(t["id"]),
                    owner_id=str(data.get("owner_uid")),
                    title=str(data.get("video_title") or data.get("video_id")),
                    stage=str(t.get("platform")),
                    message=str(error.get("message") or "failed without a message"),
                    error=error,
                    retryable=bool(t.get("retryable")),
                    failed_at=data.get("updated_at"),
                )
            )
    return out[:limit]


def _sync_job(platform: Platform, account_id: str, state: dict[str, Any]) -> FailedJob:
    account = (
        platform.documents.collection(accounts.ACCOUNTS).document(account_id).get().to_dict() or {}
    )
    message = state.get("last_error") or state.get("stopped_reason") or "sync failed"
    return FailedJob(
        kind="sync",
        id=account_id,
        owner_id=str(state.get("uid") or account.get("user_id")),
        title=str(account.get("display_name") or account_id),
        stage=f"analytics ({account.get('platform', 'unknown')})",
        message=str(message),
        error={
            k: state.get(k)
            for k in ("failures", "backoff_until", "last_error", "stopped", "stopped_reason")
            if state.get(k) is not None
        },
        retryable=account.get("status") == "connected",
        failed_at=state.get("updated_at") or state.get("backoff_until"),
    )


def _failed_syncs(platform: Platform, limit: int) -> list[FailedJob]:
    coll = platform.documents.collection(analytics.SYNC)
    seen: dict[str, FailedJob] = {}
    for snap in [
        *coll.where("stopped", "==", True).limit(limit).get(),
        *coll.where("failures", ">", 0).limit(limit).get(),
    ]:
        if snap.id not in seen:
            seen[snap.id] = _sync_job(platform, snap.id, snap.to_dict() or {})
    return list(seen.values())[:limit]


def failed_jobs(
    *, platform: Platform, kind: JobKind | None = None, limit: int = 50
) -> FailedJobList:
    """The newest failures of each kind (at most `limit` of each), newest first."""
    readers = {"video": _failed_videos, "post": _failed_targets, "sync": _failed_syncs}
    items: list[FailedJob] = []
    counts: dict[str, int] = {}
    for name, read in readers.items():
        if kind is not None and name != kind:
            continue
        found = read(platform, limit)
        counts[name] = len(found)
        items.extend(found)
    stamp = datetime.min.replace(tzinfo=None)
    items.sort(
        key=lambda j: j.failed_at.replace(tzinfo=None) if j.failed_at else stamp, reverse=True
    )
    return FailedJobList(items=items, counts=counts)


# --------------------------------------------------------------------------- retry


def _retry_video(platform: Platform, admin_uid: str, video_id: str) -> RetryOut:
    snap = platform.documents.collection(videos.VIDEOS).document(video_id).get()
    if not snap.exists:
        raise NotFound("no such video", code="video_not_found")
    owner = str(snap.get("owner_id"))
    try:
        videos.retry_video(
            platform=platform, uid=owner, video_id=video_id, request=videos.RetryVideoRequest()
        )
    except Conflict as exc:
        if exc.code != "not_retryable":
            raise
        return RetryOut(kind="video", id=video_id, outcome="not_failed")
    log.info("admin retried video", extra=fields(video_id=video_id, by=admin_uid))
    return RetryOut(kind="video", id=video_id, outcome="retried")


def _retry_post(
    platform: Platform, admin_uid: str, post_id: str, target_id: str | None
) -> RetryOut:
    if target_id is None:
        raise Conflict("name the failed target (target_id) to retry", code="target_required")
    snap = platform.documents.collection(posts.POSTS).document(post_id).get()
    if not snap.exists:
        raise NotFound("no such post", code="post_not_found")
    target = (snap.get("targets") or {}).get(target_id)
    if target is None:
        raise NotFound("no such target in this post", code="target_not_found")
    if target.get("status") != "failed":
        return RetryOut(kind="post", id=post_id, target_id=target_id, outcome="not_failed")
    if not target.get("retryable"):
        raise Conflict(
            "the platform's answer says trying again will not help; the owner must change "
            "the post or reconnect the account",
            code="not_retryable",
        )
    posts.publish_now(
        platform=platform, uid=str(snap.get("owner_uid")), post_id=post_id, target_id=target_id
    )
    log.info("admin retried post", extra=fields(post_id=post_id, target=target_id, by=admin_uid))
    return RetryOut(kind="post", id=post_id, target_id=target_id, outcome="retried")


def _retry_sync(platform: Platform, admin_uid: str, account_id: str) -> RetryOut:
    state = platform.documents.collection(analytics.SYNC).document(account_id).get().to_dict()
    if state is None:
        raise NotFound("no sync record for this account", code="sync_not_found")
    if not state.get("stopped") and not int(state.get("failures") or 0):
        return RetryOut(kind="sync", id=account_id, outcome="not_failed")
    account = platform.documents.collection(accounts.ACCOUNTS).document(account_id).get().to_dict()
    if account is None or account.get("status") != "connected":
        raise Conflict(
            "the account is not connected; its owner must reconnect it first",
            code="account_not_connected",
        )
    # one task per failure: the failure count and error name it, so asking twice queues one
    digest = hashlib.sha256(str(state.get("last_error")).encode()).hexdigest()[:12]
    marker = f"{int(state.get('failures') or 0)}-{digest}"
    name = task_name("analytics-admin-retry", account_id, marker)
    platform.tasks.enqueue(
        function=analytics.SYNC_FUNCTION,
        payload=analytics.AccountSyncTask(account_id=account_id, force=True),
        name=name,
    )
    log.info("admin retried sync", extra=fields(account_id=account_id, by=admin_uid))
    return RetryOut(kind="sync", id=account_id, outcome="retried", task=name)


def retry_job(*, platform: Platform, admin_uid: str, request: RetryRequest) -> RetryOut:
    if request.kind == "video":
        return _retry_video(platform, admin_uid, request.id)
    if request.kind == "post":
        return _retry_post(platform, admin_uid, request.id, request.target_id)
    return _retry_sync(platform, admin_uid, request.id)
