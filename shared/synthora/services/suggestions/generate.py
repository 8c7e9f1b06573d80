"""Generating suggestions: one task per suggestion type per user, a daily cron, on demand.

`suggestions_generate` runs one type for one user: it loads the history, runs
that type's analyser and stores one suggestion per conclusion (ids derived
from the conclusion, so a duplicate delivery or a rerun creates nothing new).
Too little data stores nothing: the analysis routes say what is missing.

`suggestions_cron` (daily) deletes one batch of expired suggestions and walks
the active premium and admin users in pages, enqueuing one task per type per
user under a name fixed by (user, type, day), so a second run the same day
enqueues nothing. `POST /generate` enqueues the same tasks for the caller,
at most once per `MANUAL_COOLDOWN`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from synthora.errors import Forbidden, RateLimited
from synthora.http.pagination import paginate
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import ASCENDING, DESCENDING, Transaction
from synthora.ports.tasks import task_name
from synthora.services.suggestions.analysis import (
    content_ideas_for,
    history_of,
    posting_times_for,
    predict_video,
)
from synthora.services.suggestions.store import (
    CleanupResult,
    Evidence,
    NewSuggestion,
    SuggestionType,
    cleanup_expired,
    create_suggestion,
    require_access,
)
from synthora.services.user_records import UserField, users
from synthora.suggestions import History, attribution, improvements, trends
from synthora.suggestions.ideas import Prefill, best_choices
from synthora.suggestions.models import median
from synthora.suggestions.posting_times import hour_label

log = get_logger(__name__)

FUNCTION = "suggestions_generate"
COOLDOWNS = "suggestion_cooldowns"
MANUAL_COOLDOWN = timedelta(minutes=15)
CRON_PAGE = 200
MAX_PREDICTIONS = 3
#: Types the tasks generate (one task each).
GENERATED: tuple[SuggestionType, ...] = tuple(SuggestionType)


class GenerateTask(BaseModel):
    uid: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")
    type: SuggestionType


class GenerateResult(BaseModel):
    uid: str
    type: SuggestionType
    outcome: Literal["generated", "not_allowed"]
    created: int = 0
    existing: int = 0


class GenerateRequest(BaseModel):
    types: list[SuggestionType] | None = Field(
        default=None, max_length=len(SuggestionType), description="Default: every type."
    )


class GenerateRequested(BaseModel):
    types: list[SuggestionType]
    enqueued: int
    next_allowed_at: datetime


class DailyPlan(BaseModel):
    users: int
    enqueued: int
    already_enqueued: int
    expired_deleted: CleanupResult


# --------------------------------------------------------------------------- builders


def _posting_time(platform: Platform, uid: str, history: History) -> list[NewSuggestion]:
    out = []
    for p in posting_times_for(platform=platform, uid=uid, history=history).platforms:
        best = next((h for h in p.best_hours if h.confidence_label != "low"), None)
        if p.status != "ok" or best is None:
            continue
        hour = int(best.value)
        points = [best.evidence, f"{best.above_median} of {best.posts} beat your median views"]
        points += [
            f"heatmap: {('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')[s.weekday]} "
            f"{s.hour:02d}:00, {s.score:.1f}x over {s.posts} posts ({s.confidence_label})"
            for s in p.heatmap_slots[:3]
        ]
        out.append(
            NewSuggestion(
                type=SuggestionType.posting_time,
                key=f"{p.platform}:{hour}",
                title=f"Post on {p.platform} at {hour_label(hour)} ({history.timezone})",
                body=(
                    f"Your {p.platform} posts at {hour_label(hour)} get {best.ratio:.1f}x your "
                    f"median views ({best.posts} posts, {best.confidence_label} confidence)."
                ),
                evidence=Evidence(
                    basis=p.basis,
                    points=points,
                    data={"platform": p.platform, "hour": hour, "best_hour": best.model_dump()},
                ),
                priority="high" if best.confidence_label == "high" else "medium",
            )
        )
    return out


def _best_template_with(history: History, dimension: str, value: str) -> str | None:
    """The creator's best-scoring template among those that had `value`."""
    by_template: dict[str, list[float]] = defaultdict(list)
    for r in history.scored():
        if r.obs.value(dimension) == value and r.obs.template_id:
            by_template[r.obs.template_id].append(r.score)
    if not by_template:
        return None
    return max(sorted(by_template), key=lambda t: median(by_template[t]))


def _template(platform: Platform, uid: str, history: History) -> list[NewSuggestion]:
    attr = attribution(history)
    choices, _ = best_choices(attr)
    out = []
    for d in attr.dimensions:
        if d.best is None:
            continue
        others = [v for v in d.values if v.value != d.best.value]
        points = [d.best.evidence, *(v.evidence for v in others[:3])]
        template_id = _best_template_with(history, d.dimension, d.best.value)
        out.append(
            NewSuggestion(
                type=SuggestionType.template,
                key=f"{d.dimension}={d.best.value}",
                title=f"{d.best.label[0].upper()}{d.best.label[1:]} work best for you",
                body=(
                    f"{d.best.evidence} ({d.best.confidence_label} confidence), against "
                    + ", ".join(f"{v.label} {v.ratio:.1f}x" for v in others[:3])
                    + "."
                ),
                evidence=Evidence(
                    basis=attr.basis,
                    points=points,
                    data={"dimension": d.dimension, "values": [v.model_dump() for v in d.values]},
                ),
                priority="high" if d.best.confidence_label == "high" else "medium",
                prefill=Prefill(template_id=template_id, choices=choices) if template_id else None,
            )
        )
    return out


def _content_idea(platform: Platform, uid: str, history: History) -> list[NewSuggestion]:
    ideas = content_ideas_for(platform=platform, uid=uid, history=history)
    return [
        NewSuggestion(
            type=SuggestionType.content_idea,
            key=f"idea:{idea.topic.lower()}",
            title=idea.topic,
            body=f"{idea.angle[:1].upper()}{idea.angle[1:]}. {idea.why}",
            evidence=Evidence(
                basis=ideas.basis,
                points=[idea.why],
                data={"source": idea.source, "based_on_video_ids": idea.based_on_video_ids},
            ),
            priority="medium",
            prefill=idea.prefill,
        )
        for idea in ideas.ideas[:3]
    ]


def _trend(platform: Platform, uid: str, history: History) -> list[NewSuggestion]:
    result = trends(history)
    out = []
    for t in [*result.rising[:3], *result.falling[:3]]:
        template_id = (
            next((o.template_id for o in history.observations if o.template_name == t.value), None)
            if t.kind == "template" and t.direction == "rising"
            else None
        )
        verb = "is rising" if t.direction == "rising" else "is falling"
        out.append(
            NewSuggestion(
                type=SuggestionType.trend,
                key=f"{t.kind}:{t.value}:{t.direction}",
                title=f"{t.label[0].upper()}{t.label[1:]} {verb} in your results",
                body=t.evidence + ".",
                evidence=Evidence(basis=result.basis, points=[t.evidence], data=t.model_dump()),
                priority="high" if t.direction == "falling" and t.kind == "template" else "low",
                prefill=Prefill(template_id=template_id) if template_id else None,
            )
        )
    return out


def _improvement(platform: Platform, uid: str, history: History) -> list[NewSuggestion]:
    result = improvements(history)
    return [
        NewSuggestion(
            type=SuggestionType.improvement,
            key=f"post:{p.post_id}",
            title=f"How '{p.title or 'this post'}' could do better"[:200],
            body=" ".join(t.message for t in p.tips),
            evidence=Evidence(
                basis=result.basis,
                points=[
                    f"{p.views} views: {p.ratio:.1f}x your median",
                    *(t.evidence for t in p.tips),
                ],
                data=p.model_dump(),
            ),
            priority="medium",
        )
        for p in result.posts
    ]


def _unposted_videos(platform: Platform, uid: str, history: History) -> list[str]:
    posted = {o.video_id for o in history.observations}
    q = (
        platform.documents.collection("videos")
        .where("owner_id", "==", uid)
        .where("status", "==", "completed")
        .order_by("created_at", DESCENDING)
        .limit(10)
    )
    return [s.id for s in q.get() if s.id not in posted][:MAX_PREDICTIONS]


def _prediction(platform: Platform, uid: str, history: History) -> list[NewSuggestion]:
    times = posting_times_for(platform=platform, uid=uid, history=history)
    best_hour = {p.platform: int(p.best_hours[0].value) for p in times.platforms if p.best_hours}
    out = []
    for video_id in _unposted_videos(platform, uid, history):
        first = predict_video(platform=platform, uid=uid, video_id=video_id, history=history)
        hour = best_hour.get(first.platform)
        pred = (
            predict_video(platform=platform, uid=uid, video_id=video_id, history=history, hour=hour)
            if hour is not None
            else first
        )
        if pred.status != "ok" or pred.low is None or pred.high is None:
            continue
        when = f" at {hour_label(hour)}" if hour is not None else ""
        out.append(
            NewSuggestion(
                type=SuggestionType.prediction,
                key=f"video:{video_id}:{pred.platform}",
                title=f"Expect {pred.low:,}-{pred.high:,} views on {pred.platform}{when}",
                body=(
                    f"About {pred.expected_views:,} views expected; "
                    + (
                        "; ".join(f"{f.label} {f.effect:.2f}x" for f in pred.factors[:3])
                        or "no setting of this video has enough history to move it"
                    )
                    + "."
                ),
                evidence=Evidence(
                    basis=pred.basis,
                    points=[
                        f"{f.label}: {f.raw_ratio:.1f}x over {f.posts} posts" for f in pred.factors
                    ],
                    data=pred.model_dump(mode="json"),
                ),
                priority="low",
            )
        )
    return out


BUILDERS = {
    SuggestionType.posting_time: _posting_time,
    SuggestionType.template: _template,
    SuggestionType.content_idea: _content_idea,
    SuggestionType.trend: _trend,
    SuggestionType.improvement: _improvement,
    SuggestionType.prediction: _prediction,
}


def run_generate(
    *, platform: Platform, task: GenerateTask, now: datetime | None = None
) -> GenerateResult:
    """Generate one type of suggestion for one user (idempotent: one record per conclusion)."""
    try:
        require_access(platform=platform, uid=task.uid)
    except Forbidden:  # a user who lost access (or the flag turned off) gets nothing
        return GenerateResult(uid=task.uid, type=task.type, outcome="not_allowed")
    history = history_of(platform=platform, uid=task.uid, now=now)
    created = existing = 0
    for new in BUILDERS[task.type](platform, task.uid, history):
        _, was_created = create_suggestion(platform=platform, uid=task.uid, new=new, now=now)
        created += was_created
        existing += not was_created
    log.info(
        "suggestions generated",
        extra=fields(uid=task.uid, type=task.type.value, created=created, existing=existing),
    )
    return GenerateResult(
        uid=task.uid, type=task.type, outcome="generated", created=created, existing=existing
    )


def _enqueue(
    platform: Platform, uid: str, types: list[SuggestionType], stamp: str
) -> tuple[int, int]:
    enqueued = already = 0
    for t in types:
        result = platform.tasks.enqueue(
            function=FUNCTION,
            payload=GenerateTask(uid=uid, type=t),
            name=task_name("suggest", uid, t.value, stamp),
        )
        if result.created:
            enqueued += 1
        else:
            already += 1
    return enqueued, already


def request_generate(
    *, platform: Platform, uid: str, request: GenerateRequest, now: datetime | None = None
) -> GenerateRequested:
    """Generate my suggestions now, in the background; once every 15 minutes."""
    require_access(platform=platform, uid=uid)
    now = now or datetime.now(UTC)
    ref = platform.documents.collection(COOLDOWNS).document(uid)

    def claim(tx: Transaction) -> datetime:
        data = tx.get(ref).to_dict() or {}
        until = data.get("until")
        if until is not None and until.replace(tzinfo=until.tzinfo or UTC) > now:
            raise RateLimited(
                "suggestions were generated moments ago; try again later",
                code="generate_cooldown",
                details={"next_allowed_at": until.isoformat()},
                headers={"Retry-After": str(max(1, int((until - now).total_seconds())))},
            )
        nxt = now + MANUAL_COOLDOWN
        tx.set(ref, {"uid": uid, "until": nxt})
        return nxt

    next_allowed = platform.documents.run_transaction(claim)
    types = list(dict.fromkeys(request.types or GENERATED))
    enqueued, _ = _enqueue(platform, uid, types, now.strftime("%Y%m%d%H%M%S"))
    return GenerateRequested(types=types, enqueued=enqueued, next_allowed_at=next_allowed)


def plan_daily(*, platform: Platform, now: datetime | None = None) -> DailyPlan:
    """Delete one batch of expired suggestions; one task per type per premium user today."""
    now = now or datetime.now(UTC)
    cleaned = cleanup_expired(platform=platform, now=now)
    day = now.strftime("%Y%m%d")
    q = (
        users(platform)
        .where(UserField.IS_ACTIVE, "==", True)
        .where(UserField.ROLE, "in", ["premium", "admin"])
    )
    cursor: str | None = None
    total = enqueued = already = 0
    while True:
        snaps, cursor = paginate(
            q, order_by=[(UserField.CREATED_AT, ASCENDING)], limit=CRON_PAGE, cursor=cursor
        )
        for snap in snaps:
            total += 1
            e, a = _enqueue(platform, snap.id, list(GENERATED), day)
            enqueued += e
            already += a
        if not cursor:
            break
    log.info("daily suggestions planned", extra=fields(users=total, enqueued=enqueued))
    return DailyPlan(
        users=total, enqueued=enqueued, already_enqueued=already, expired_deleted=cleaned
    )
