"""Stored suggestions: one record per conclusion, per user, with its state.

Records live in the top-level `suggestions` collection (field `user_id`). A
record's id is derived from (user, type, key), where the key names the
conclusion ("hook_style=question"), not its figures: generating again finds
the record already there and creates nothing, so a duplicate task delivery,
a second run the same day or a conclusion that still holds tomorrow never
shows twice, and a dismissed suggestion stays dismissed until it expires and
is cleaned up.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

from synthora.errors import Forbidden, NotFound
from synthora.http.pagination import PageQuery, paginate
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import DESCENDING, AlreadyExists, Snapshot
from synthora.services.app_settings import get_features
from synthora.services.limits import limits_for_role, role_of
from synthora.services.videos import get_owned_video
from synthora.suggestions.ideas import Prefill
from synthora.suggestions.models import Basis

log = get_logger(__name__)

COLLECTION = "suggestions"
BATCH_WRITES = 500
CLEANUP_BATCH = 500


class SuggestionType(StrEnum):
    posting_time = "posting_time"
    content_idea = "content_idea"
    template = "template"
    trend = "trend"
    prediction = "prediction"
    improvement = "improvement"


#: How long each kind of suggestion stays relevant.
LIFETIME: dict[SuggestionType, timedelta] = {
    SuggestionType.posting_time: timedelta(days=14),
    SuggestionType.content_idea: timedelta(days=7),
    SuggestionType.template: timedelta(days=30),
    SuggestionType.trend: timedelta(days=14),
    SuggestionType.prediction: timedelta(days=7),
    SuggestionType.improvement: timedelta(days=14),
}

Priority = Literal["high", "medium", "low"]


class SuggestionListQuery(PageQuery):
    """Which of my suggestions to list."""

    type: SuggestionType | None = None
    read: bool | None = None
    dismissed: bool = False


class Evidence(BaseModel):
    """The data a suggestion rests on."""

    basis: Basis
    points: list[str] = Field(description="Each figure, in words.")
    data: dict[str, Any] = Field(default_factory=dict, description="The figures themselves.")


class Outcome(BaseModel):
    """How the video made from an acted-on suggestion did against the creator's median."""

    video_id: str
    status: Literal["measured", "not_posted", "not_measured_yet"]
    posts: int = 0
    views: int = 0
    ratio: float | None = Field(
        default=None, description="Median over its posts of views / the account's median."
    )


class SuggestionOut(BaseModel):
    id: str
    type: SuggestionType
    title: str
    body: str
    evidence: Evidence
    priority: Priority
    prefill: Prefill | None = None
    read: bool = False
    dismissed: bool = False
    acted: bool = False
    acted_video_id: str | None = None
    created_at: datetime
    read_at: datetime | None = None
    acted_at: datetime | None = None
    expires_at: datetime


class SuggestionPage(BaseModel):
    items: list[SuggestionOut]
    next_cursor: str | None = None
    has_more: bool = False
    unread_count: int


class UnreadCount(BaseModel):
    total: int
    by_type: dict[str, int]


class BulkResult(BaseModel):
    updated: int


class ActedRequest(BaseModel):
    video_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The video made from this suggestion (its results are then measured).",
    )


class CleanupResult(BaseModel):
    deleted: int
    more: bool


class NewSuggestion(BaseModel):
    type: SuggestionType
    key: str = Field(min_length=1, max_length=300, description="Names the conclusion.")
    title: str = Field(max_length=200)
    body: str = Field(max_length=2000)
    evidence: Evidence
    priority: Priority = "medium"
    prefill: Prefill | None = None


def _coll(platform: Platform) -> Any:
    return platform.documents.collection(COLLECTION)


def suggestion_id(uid: str, type: SuggestionType, key: str) -> str:
    return hashlib.sha256(f"{uid}\x00{type.value}\x00{key}".encode()).hexdigest()[:40]


def _out(snap: Snapshot) -> SuggestionOut:
    d = snap.to_dict() or {}
    return SuggestionOut.model_validate({**d, "id": snap.id})


def require_access(*, platform: Platform, uid: str) -> None:
    """Suggestions need the role's `ai_suggestions` limit and the `ai_suggestions` flag."""
    if not get_features(platform=platform).ai_suggestions:
        raise Forbidden("suggestions are turned off on this server", code="ai_suggestions_disabled")
    role = role_of(platform=platform, uid=uid)
    if not limits_for_role(platform=platform, role=role).ai_suggestions:
        raise Forbidden("suggestions are a premium feature", code="premium_required")


def create_suggestion(
    *, platform: Platform, uid: str, new: NewSuggestion, now: datetime | None = None
) -> tuple[SuggestionOut, bool]:
    """Store one suggestion; (the record, created). The same conclusion twice: the existing one."""
    now = now or datetime.now(UTC)
    ref = _coll(platform).document(suggestion_id(uid, new.type, new.key))
    record = {
        "user_id": uid,
        "type": new.type.value,
        "key": new.key,
        "title": new.title,
        "body": new.body,
        "evidence": new.evidence.model_dump(mode="json"),
        "priority": new.priority,
        "prefill": new.prefill.model_dump(mode="json") if new.prefill else None,
        "read": False,
        "read_at": None,
        "dismissed": False,
        "acted": False,
        "acted_at": None,
        "acted_video_id": None,
        "created_at": now,
        "expires_at": now + LIFETIME[new.type],
    }
    try:
        ref.create(record)
    except AlreadyExists:
        return _out(ref.get()), False
    log.info("suggestion created", extra=fields(uid=uid, type=new.type.value))
    return _out(ref.get()), True


def _base(platform: Platform, uid: str, *, dismissed: bool) -> Any:
    return _coll(platform).where("user_id", "==", uid).where("dismissed", "==", dismissed)


def unread_count(*, platform: Platform, uid: str) -> UnreadCount:
    base = _base(platform, uid, dismissed=False).where("read", "==", False)
    by_type = {t.value: base.where("type", "==", t.value).count() for t in SuggestionType}
    return UnreadCount(total=base.count(), by_type={k: v for k, v in by_type.items() if v})


def list_suggestions(
    *,
    platform: Platform,
    uid: str,
    limit: int,
    cursor: str | None,
    type: SuggestionType | None = None,
    read: bool | None = None,
    dismissed: bool = False,
) -> SuggestionPage:
    q = _base(platform, uid, dismissed=dismissed)
    if read is not None:
        q = q.where("read", "==", read)
    if type is not None:
        q = q.where("type", "==", type.value)
    snaps, next_cursor = paginate(
        q, order_by=[("created_at", DESCENDING)], limit=limit, cursor=cursor
    )
    return SuggestionPage(
        items=[_out(s) for s in snaps],
        next_cursor=next_cursor,
        has_more=next_cursor is not None,
        unread_count=_base(platform, uid, dismissed=False).where("read", "==", False).count(),
    )


def owned_ref(platform: Platform, uid: str, suggestion_id: str) -> Any:
    ref = _coll(platform).document(suggestion_id)
    snap = ref.get()
    # Someone else's suggestion is reported exactly like a missing one.
    if not snap.exists or snap.get("user_id") != uid:
        raise NotFound("suggestion not found", code="suggestion_not_found")
    return ref


def get_suggestion(*, platform: Platform, uid: str, suggestion_id: str) -> SuggestionOut:
    return _out(owned_ref(platform, uid, suggestion_id).get())


def mark_read(*, platform: Platform, uid: str, suggestion_id: str) -> SuggestionOut:
    ref = owned_ref(platform, uid, suggestion_id)
    if not ref.get().get("read"):
        ref.update({"read": True, "read_at": datetime.now(UTC)})
    return _out(ref.get())


def mark_all_read(*, platform: Platform, uid: str) -> BulkResult:
    q = _base(platform, uid, dismissed=False).where("read", "==", False)
    update = {"read": True, "read_at": datetime.now(UTC)}
    done = 0
    while True:
        snaps = q.limit(BATCH_WRITES).get()
        if not snaps:
            return BulkResult(updated=done)
        batch = platform.documents.batch()
        for snap in snaps:
            batch.update(snap.reference, update)
        batch.commit()
        done += len(snaps)
        if len(snaps) < BATCH_WRITES:
            return BulkResult(updated=done)


def dismiss(*, platform: Platform, uid: str, suggestion_id: str) -> SuggestionOut:
    ref = owned_ref(platform, uid, suggestion_id)
    snap = ref.get()
    if not snap.get("dismissed"):
        update: dict[str, Any] = {"dismissed": True}
        if not snap.get("read"):
            update.update(read=True, read_at=datetime.now(UTC))
        ref.update(update)
    return _out(ref.get())


def mark_acted(
    *, platform: Platform, uid: str, suggestion_id: str, request: ActedRequest
) -> SuggestionOut:
    """Record that the user acted on it, with the video made from it when there is one.

    The video must be the user's (someone else's is a 404, like a missing one);
    acting again with a video fills in the video, but never replaces one.
    """
    ref = owned_ref(platform, uid, suggestion_id)
    snap = ref.get()
    update: dict[str, Any] = {}
    if request.video_id is not None and not snap.get("acted_video_id"):
        # someone else's video is a 404 like a missing one
        get_owned_video(platform=platform, uid=uid, video_id=request.video_id)
        update["acted_video_id"] = request.video_id
    if not snap.get("acted"):
        now = datetime.now(UTC)
        update.update(acted=True, acted_at=now)
        if not snap.get("read"):
            update.update(read=True, read_at=now)
    if update:
        ref.update(update)
    return _out(ref.get())


def cleanup_expired(
    *, platform: Platform, now: datetime | None = None, limit: int = CLEANUP_BATCH
) -> CleanupResult:
    """Delete up to `limit` expired suggestions (one batch); `more` when some remain."""
    now = now or datetime.now(UTC)
    snaps = _coll(platform).where("expires_at", "<", now).limit(limit).get()
    if snaps:
        batch = platform.documents.batch()
        for snap in snaps:
            batch.delete(snap.reference)
        batch.commit()
    log.info("expired suggestions deleted", extra=fields(deleted=len(snaps)))
    return CleanupResult(deleted=len(snaps), more=len(snaps) == limit)
