"""Posts: cross-post a finished video to connected accounts, now or at a time, exactly once.

Storage — one document per post, `posts/{post_id}`:

    owner_uid        the user who owns the post (every read and write checks it)
    video_id         the Synthora video posted; video_title for lists
    scheduled_at     when it goes (UTC); equal to created_at for "post now"
    timezone         the IANA zone the user scheduled in (the calendar groups by it)
    revision         bumped by every edit, reschedule, cancel and "publish now"
    status           derived from the targets: scheduled | publishing | published |
                     partially_published | failed | cancelled
    due_at           earliest time a queued target may go (None: nothing queued);
                     the sweeper's only query
    platforms        platforms of the targets (list filter: array-contains)
    content          the post's defaults: title, caption, hashtags, privacy, cover_frame_s
    ai_disclosure    {ai_generated, reasons}: how the video was made, sent to each platform
    media            the video's ffprobe facts (duration, size, resolution, codecs, fps, sha256)
    targets          map target_id -> target:
        id, social_account_id, platform, account_name, order
        overrides    per-target title / caption / hashtags / privacy / cover_frame_s
        settings     the platform's own settings (YouTube category_id, made_for_kids,
                     notify_subscribers; TikTok allow_comments / allow_duet /
                     allow_stitch; Instagram share_to_feed)
        status       queued | publishing | processing | published | failed | cancelled
        revision     the target's own revision; the task name holds it
        not_before   a platform limit made it wait until then; waiting_reason says which
        platform_post_id, url, published_at
        error        {code, message, http_status, retryable, platform_response}
        retryable    whether trying again can help (the retry link is offered then)
        attempts     claims taken; claim {token, at} while a worker holds it
        upload       the platform-side progress (publishing.base.UploadState)

Scheduling: each queued target is one Cloud Task on the `posts` queue for
`posts_publish`, with `schedule_time` and the name `post-{post}-{target}-r{revision}`.
A reschedule, cancel or "publish now" bumps the target's revision, so a task
carrying an older revision finds nothing to do. The `posts_sweeper` cron
(every minute) enqueues a catch-up task for queued targets more than
`SWEEP_GRACE` overdue (a lost task, an outage), logs each one, and sends the
`scheduled_post` reminders.

Exactly once: a worker claims the target in a transaction before any platform
call (a lease of `LEASE`); every platform milestone (session URI, publish id,
container id, "publish attempted") is saved under that claim before the next
call; a redelivered task either finds the target done, finds the lease held
(503: the queue retries later), or takes over an expired lease and resumes
the saved session, asking the platform what arrived. Processing polls are
delayed tasks, never sleeping loops.

Limits: a per-account rolling 24 h counter (`post_quotas/{account_id}`) is
checked when a target is enqueued and taken in the claim transaction, and
YouTube's project-wide upload bucket is counted per Pacific day
(`post_quotas/youtube-project-{date}`); at a cap (checks.RULES), or when a
platform answers that a limit is reached (LIMIT_CODES), the target waits
(`not_before`, `waiting_reason`, back in `queued`) and the user is told when it
will go. A video with a scheduled post never
expires before it goes: scheduling pushes the video's `expires_at` past the
latest scheduled time plus `RETENTION_AFTER_POST`.
"""

from __future__ import annotations

import calendar as _calendar
import secrets
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator

from synthora.errors import (
    ApiError,
    Conflict,
    Forbidden,
    NotFound,
    ServiceUnavailable,
    ValidationFailed,
)
from synthora.http.bodies import PatchBody
from synthora.http.pagination import Page, paginate
from synthora.logs import fields, get_logger
from synthora.pipeline.models import Step, StepStatus, VideoRecord, VideoStatus
from synthora.pipeline.runner import VIDEOS
from synthora.platform import Platform
from synthora.ports.documents import (
    ASCENDING,
    DESCENDING,
    DocumentRef,
    Increment,
    Snapshot,
    Transaction,
    auto_id,
    is_document_id,
)
from synthora.ports.tasks import task_name
from synthora.publishing import PUBLISHERS
from synthora.publishing import base as publishing_base
from synthora.publishing.base import (
    USER_AGENT,
    MediaFacts,
    PostContent,
    PublishError,
    PublishJob,
    StepResult,
    UploadState,
)
from synthora.publishing.checks import RULES, AccountFacts, CheckFailure, check_target, media_facts
from synthora.services import limits, notifications
from synthora.services import social_accounts as accounts

log = get_logger(__name__)

POSTS = "posts"
QUOTAS = "post_quotas"
PUBLISH_FUNCTION = "posts_publish"
LEASE = timedelta(minutes=10)  # the default of `posting_lease_seconds`


def _lease(platform: Platform) -> timedelta:
    """How long a claim on a target holds (`SYNTHORA_POSTING_LEASE_SECONDS`, default `LEASE`)."""
    return timedelta(seconds=platform.settings.posting_lease_seconds)


SWEEP_GRACE = timedelta(minutes=2)
RETENTION_AFTER_POST = timedelta(days=7)
MAX_ATTEMPTS = 5
#: A limit that holds a target back at least this long is worth telling the user about;
#: TikTok's per-minute rate limit (about a minute) is not.
NOTIFY_WAITS_FROM = timedelta(minutes=10)
MAX_TARGETS = 10
SIGNED_URL_TTL = timedelta(minutes=30)
QUOTA_WINDOW = timedelta(hours=24)
#: Platform errors that mean "a limit is reached, try after the reset" (publishing modules).
LIMIT_CODES = frozenset(
    {
        "quota_exceeded",  # YouTube's daily upload bucket
        "upload_limit_exceeded",  # the channel's own upload limit
        "rate_limit_exceeded",  # TikTok per-token rate limits
        "spam_risk_too_many_posts",  # TikTok's per-creator daily cap
        "spam_risk_too_many_pending_share",
        "reached_active_user_cap",
        "publishing_limit",  # Instagram content_publishing_limit, Facebook Reels' cap
    }
)
#: A post's targets share its document and its up to 10 targets publish at the same moment,
#: each saving every milestone: transactions on it retry longer than the default 5 times.
POST_TX_ATTEMPTS = 30
#: A scheduled_post reminder is only sent while the post is at least this far ahead.
REMINDER_MARGIN = timedelta(minutes=1)

TargetStatus = Literal["queued", "publishing", "processing", "published", "failed", "cancelled"]
PostStatus = Literal[
    "scheduled", "publishing", "published", "partially_published", "failed", "cancelled"
]
ACTIVE: tuple[str, ...] = ("publishing", "processing")
DONE: tuple[str, ...] = ("published", "failed", "cancelled")


# --------------------------------------------------------------------------- request models


class YouTubeSettings(BaseModel, extra="forbid"):
    category_id: str = Field(default="22", pattern=r"^[0-9]{1,3}$")
    made_for_kids: bool = False
    notify_subscribers: bool = True


class TikTokSettings(BaseModel, extra="forbid"):
    allow_comments: bool = True
    allow_duet: bool = True
    allow_stitch: bool = True


class InstagramSettings(BaseModel, extra="forbid"):
    share_to_feed: bool = True


class FacebookSettings(BaseModel, extra="forbid"):
    pass


SETTINGS_MODELS: dict[str, type[BaseModel]] = {
    "youtube": YouTubeSettings,
    "tiktok": TikTokSettings,
    "instagram": InstagramSettings,
    "facebook": FacebookSettings,
}


class ContentFields(BaseModel):
    title: str | None = Field(default=None, max_length=500)
    caption: str | None = Field(default=None, max_length=70000)
    hashtags: list[str] | None = Field(default=None, max_length=100)
    privacy: str | None = Field(
        default=None,
        max_length=40,
        description="youtube: public|unlisted|private; tiktok: a creator_info privacy option "
        "value; instagram/facebook: public.",
    )
    cover_frame_s: float | None = Field(default=None, ge=0)

    @field_validator("hashtags")
    @classmethod
    def _tags(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        out = []
        for tag in value:
            tag = tag.strip().lstrip("#")
            if not tag or any(c.isspace() for c in tag) or len(tag) > 100:
                raise ValueError(f"not a hashtag: {tag!r}")
            out.append(tag)
        return out


class TargetIn(ContentFields):
    social_account_id: str = Field(min_length=1, max_length=128)
    settings: dict[str, Any] = Field(default_factory=dict)


class CreatePostRequest(ContentFields):
    video_id: str = Field(min_length=1, max_length=64)
    targets: list[TargetIn] = Field(min_length=1, max_length=MAX_TARGETS)
    scheduled_at: datetime | None = Field(
        default=None, description="When to post (with a UTC offset); omitted: now."
    )
    timezone: str | None = Field(
        default=None, max_length=64, description="IANA zone, e.g. Europe/Paris."
    )


class TargetPatch(ContentFields):
    id: str = Field(min_length=1, max_length=64)
    settings: dict[str, Any] | None = None


class UpdatePostRequest(ContentFields, PatchBody):
    """A field left out keeps its value; null is refused (nothing here can be cleared)."""

    at_least_one: ClassVar[bool] = True

    scheduled_at: datetime | None = None
    timezone: str | None = Field(default=None, max_length=64)
    targets: list[TargetPatch] | None = None


class PostListQuery(BaseModel):
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2000)
    status: PostStatus | None = None
    platform: Literal["youtube", "tiktok", "instagram", "facebook"] | None = None


class ScheduledQuery(BaseModel):
    start: datetime
    end: datetime
    limit: int = Field(default=500, ge=1, le=1000)


class CalendarQuery(BaseModel):
    tz: str | None = Field(
        default=None, max_length=64, description="IANA zone; default: the user's."
    )


# --------------------------------------------------------------------------- output models


class AiDisclosure(BaseModel):
    ai_generated: bool
    reasons: list[str]
    sent_as: dict[str, str] = Field(
        description="How each platform is told: YouTube containsSyntheticMedia, TikTok is_aigc, "
        "Meta has no API flag (recorded here and shown to the user)."
    )


class TargetError(BaseModel):
    code: str
    message: str
    http_status: int | None = None
    retryable: bool
    platform_response: Any = None


class TargetOut(BaseModel):
    id: str
    social_account_id: str
    platform: str
    account_name: str | None
    status: TargetStatus
    revision: int
    content: PostContent
    not_before: datetime | None = None
    waiting_reason: str | None = None
    platform_post_id: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    error: TargetError | None = None
    retryable: bool | None = None
    attempts: int = 0


class PostOut(BaseModel):
    id: str
    video_id: str
    video_title: str | None
    status: PostStatus
    scheduled_at: datetime
    timezone: str
    revision: int
    ai_disclosure: AiDisclosure
    targets: list[TargetOut]
    created_at: datetime
    updated_at: datetime


class PostList(BaseModel):
    items: list[PostOut]


class CalendarDay(BaseModel):
    date: date
    posts: list[PostOut]


class CalendarOut(BaseModel):
    year: int
    month: int
    timezone: str
    days: list[CalendarDay]


class PostStats(BaseModel):
    total_posts: int
    by_status: dict[str, int]
    targets_by_status: dict[str, int]
    by_platform: dict[str, int]
    scheduled_upcoming: int


class PublishTask(BaseModel):
    post_id: str = Field(min_length=1, max_length=64)
    target_id: str = Field(min_length=1, max_length=64)
    revision: int = Field(ge=0)


class PublishTaskResult(BaseModel):
    post_id: str
    target_id: str
    outcome: Literal[
        "stale", "done", "published", "processing", "waiting", "failed", "retry", "cancelled"
    ]
    status: TargetStatus | None = None
    detail: str | None = None
    limited: bool = Field(
        default=False, description="It waits for a platform limit (the user is told until when)."
    )


class SweepResult(BaseModel):
    checked: int
    enqueued: list[str]
    reminders: int


# --------------------------------------------------------------------------- helpers


def _now() -> datetime:
    return datetime.now(UTC)


def _posts(platform: Platform) -> Any:
    return platform.documents.collection(POSTS)


def _ref(platform: Platform, post_id: str) -> DocumentRef:
    ref: DocumentRef = _posts(platform).document(post_id)
    return ref


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationFailed(
            f"unknown time zone {name!r}",
            details=[
                {
                    "field": "timezone",
                    "message": "use an IANA zone such as Europe/Paris",
                    "type": "timezone",
                }
            ],
        ) from exc


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _content_of(post: dict[str, Any], target: dict[str, Any]) -> PostContent:
    base = dict(post.get("content") or {})
    for key, value in (target.get("overrides") or {}).items():
        if value is not None:
            base[key] = value
    return PostContent(
        title=base.get("title") or "",
        caption=base.get("caption") or "",
        hashtags=list(base.get("hashtags") or []),
        privacy=base.get("privacy"),
        cover_frame_s=base.get("cover_frame_s"),
        ai_generated=bool((post.get("ai_disclosure") or {}).get("ai_generated", True)),
        settings=dict(target.get("settings") or {}),
    )


def _derive(targets: dict[str, dict[str, Any]]) -> tuple[PostStatus, datetime | None]:
    states = [t["status"] for t in targets.values()]
    live = [s for s in states if s != "cancelled"]
    due = [
        max(_aware(t["scheduled_at"]), _aware(t.get("not_before") or t["scheduled_at"]))
        for t in targets.values()
        if t["status"] == "queued"
    ]
    # an active target is due for a check when its lease or its next poll is overdue, so
    # the sweeper also finds one whose poll task was lost (a crash after the record)
    due += [
        _aware(t["next_check_at"])
        for t in targets.values()
        if t["status"] in ACTIVE and t.get("next_check_at")
    ]
    due_at = min(due) if due else None
    status: PostStatus
    if not live:
        status = "cancelled"
    elif any(s in ACTIVE for s in live):
        status = "publishing"
    elif any(s == "queued" for s in live):
        status = "scheduled"
    elif all(s == "published" for s in live):
        status = "published"
    elif all(s == "failed" for s in live):
        status = "failed"
    else:
        status = "partially_published"
    return status, due_at


def _target_out(post: dict[str, Any], t: dict[str, Any]) -> TargetOut:
    return TargetOut(
        id=t["id"],
        social_account_id=t["social_account_id"],
        platform=t["platform"],
        account_name=t.get("account_name"),
        status=t["status"],
        revision=int(t.get("revision", 0)),
        content=_content_of(post, t),
        not_before=t.get("not_before"),
        waiting_reason=t.get("waiting_reason"),
        platform_post_id=t.get("platform_post_id"),
        url=t.get("url"),
        published_at=t.get("published_at"),
        error=TargetError.model_validate(t["error"]) if t.get("error") else None,
        retryable=t.get("retryable"),
        attempts=int(t.get("attempts", 0)),
    )


def post_out(snap: Snapshot | dict[str, Any], post_id: str | None = None) -> PostOut:
    data = snap if isinstance(snap, dict) else (snap.to_dict() or {})
    pid = post_id or (snap.id if not isinstance(snap, dict) else data["id"])
    targets = sorted((data.get("targets") or {}).values(), key=lambda t: t.get("order", 0))
    return PostOut(
        id=pid,
        video_id=data["video_id"],
        video_title=data.get("video_title"),
        status=data["status"],
        scheduled_at=data["scheduled_at"],
        timezone=data.get("timezone") or "UTC",
        revision=int(data.get("revision", 0)),
        ai_disclosure=AiDisclosure.model_validate(data["ai_disclosure"]),
        targets=[_target_out(data, t) for t in targets],
        created_at=data["created_at"],
        updated_at=data["updated_at"],
    )


def _load_owned(platform: Platform, uid: str, post_id: str) -> Snapshot:
    if not is_document_id(post_id):
        raise NotFound("post not found", code="post_not_found")
    snap = _ref(platform, post_id).get()
    if not snap.exists or snap.get("owner_uid") != uid:
        raise NotFound("post not found", code="post_not_found")
    return snap


#: Script providers that are not an AI model (the offline template writer).
NON_AI_SCRIPT_PROVIDERS = frozenset({"template-writer"})


def _ai_disclosure(video: VideoRecord) -> AiDisclosure:
    """What in this video was made by AI, read from the providers its steps ran with."""
    steps = video.steps
    reasons: list[str] = []
    script = steps.get(Step.script)
    if (
        script is not None
        and script.status == StepStatus.done
        and script.provider
        and script.provider not in NON_AI_SCRIPT_PROVIDERS
    ):
        reasons.append(f"the script was written by an AI model ({script.provider})")
    voice = steps.get(Step.voice)
    if voice is not None and voice.status == StepStatus.done:
        # every voice provider, online or the local Piper voice, is text-to-speech
        reasons.append(f"the narration is a synthetic voice ({voice.provider or 'text-to-speech'})")
    clip = steps.get(Step.video_ai)
    if clip is not None and clip.status == StepStatus.done:
        reasons.append(f"it contains AI-generated video ({clip.provider or 'video AI'})")
    generated = bool(reasons)
    flag = "true" if generated else "false"
    return AiDisclosure(
        ai_generated=generated,
        reasons=reasons,
        sent_as={
            "youtube": f"status.containsSyntheticMedia={flag}",
            "tiktok": f"post_info.is_aigc={flag}",
            "instagram": "no API field; recorded on the post and shown here",
            "facebook": "no API field; recorded on the post and shown here",
        },
    )


@contextmanager
def _video_file(platform: Platform, key: str) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="synthora-post-"))
    try:
        yield platform.blobs.download_to(key, folder / "video.mp4")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _account_facts(
    platform: Platform, account_id: str, platform_name: str
) -> tuple[AccountFacts, dict[str, Any]]:
    data = (
        platform.documents.collection(accounts.ACCOUNTS).document(account_id).get().to_dict() or {}
    )
    caps = data.get("capabilities") or {}
    return (
        AccountFacts(
            status=str(data.get("status") or "disconnected"),
            scopes=list(data.get("scopes") or []),
            can_publish=bool(caps.get("can_publish", True)),
            privacy_level_options=caps.get("privacy_level_options"),
            max_video_post_duration_sec=caps.get("max_video_post_duration_sec"),
            posts_last_24h=_quota_used(platform, account_id, _now()),
        ),
        data,
    )


def _reminder_window(platform: Platform) -> timedelta:
    return timedelta(minutes=platform.settings.posting_reminder_minutes)


def daily_cap(platform: Platform, platform_name: str) -> int:
    override = platform.settings.posting_daily_cap_override
    return override if override is not None else RULES[platform_name].daily_cap


# --------------------------------------------------------------------------- quotas


def _quota_ref(platform: Platform, account_id: str) -> DocumentRef:
    return platform.documents.collection(QUOTAS).document(account_id)


def _live_slots(data: dict[str, Any], now: datetime) -> dict[str, datetime]:
    return {
        k: _aware(v) for k, v in (data.get("slots") or {}).items() if _aware(v) > now - QUOTA_WINDOW
    }


def _quota_used(platform: Platform, account_id: str, now: datetime) -> int:
    return len(_live_slots(_quota_ref(platform, account_id).get().to_dict() or {}, now))


def _quota_frees_at(slots: dict[str, datetime]) -> datetime:
    return min(slots.values()) + QUOTA_WINDOW


PACIFIC = ZoneInfo("America/Los_Angeles")


def _project_bucket_ref(platform: Platform, now: datetime) -> DocumentRef:
    """YouTube's videos.insert bucket: one counter per Pacific day for the whole project."""
    day = now.astimezone(PACIFIC).date().isoformat()
    return platform.documents.collection(QUOTAS).document(f"youtube-project-{day}")


def _next_pacific_midnight(now: datetime) -> datetime:
    local = now.astimezone(PACIFIC)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), PACIFIC)
    return midnight.astimezone(UTC)


def _project_bucket_full(platform: Platform, platform_name: str, now: datetime) -> bool:
    """Whether YouTube's project-wide upload bucket is used up for this Pacific day.

    Read outside any transaction and counted with a blind increment, so concurrent
    claims never conflict on this one document; a few concurrent claims may overshoot,
    and YouTube's own 403 quotaExceeded then makes those targets wait the same way.
    """
    if platform_name != "youtube":
        return False
    used = int((_project_bucket_ref(platform, now).get().to_dict() or {}).get("count") or 0)
    return used >= platform.settings.posting_youtube_uploads_per_day


def _project_wait(platform: Platform, now: datetime) -> tuple[datetime, str]:
    go = _next_pacific_midnight(now)
    return go, (
        f"this Google Cloud project's YouTube upload bucket "
        f"({platform.settings.posting_youtube_uploads_per_day} uploads a day) is used up; "
        f"this one goes at {go.isoformat()}, when it resets (midnight Pacific)"
    )


# --------------------------------------------------------------------------- create / read


def _field_errors(failures: list[CheckFailure], index: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {
            "field": f"body.targets.{index[f.target]}.{f.field}",
            "target": f.target,
            "rule": f.rule,
            "message": f.message,
            "type": f.rule,
        }
        for f in failures
    ]


def _load_video(platform: Platform, uid: str, video_id: str) -> VideoRecord:
    if not is_document_id(video_id):
        raise NotFound("video not found", code="video_not_found")
    snap = platform.documents.collection(VIDEOS).document(video_id).get()
    if not snap.exists or snap.get("owner_id") != uid:
        raise NotFound("video not found", code="video_not_found")
    video = VideoRecord.model_validate(snap.to_dict())
    if video.status != VideoStatus.completed or video.outputs is None:
        raise Conflict("only a finished video can be posted", code="video_not_ready")
    return video


def _media(platform: Platform, video: VideoRecord) -> MediaFacts:
    """The video file's facts, probed once per rendered file and kept on the video."""
    assert video.outputs is not None
    ref = platform.documents.collection(VIDEOS).document(video.id)
    cached = (ref.get().to_dict() or {}).get("posting_media") or {}
    if (
        cached.get("video_key") == video.outputs.video_key
        and (cached.get("facts") or {}).get("size_bytes") == video.outputs.size_bytes
    ):
        return MediaFacts.model_validate(cached["facts"])
    with _video_file(platform, video.outputs.video_key) as path:
        facts = media_facts(path)
    ref.set(
        {"posting_media": {"video_key": video.outputs.video_key, "facts": facts.model_dump()}},
        merge=True,
    )
    return facts


def _keep_video_until(platform: Platform, video_id: str, until: datetime) -> None:
    """A video with a scheduled post never expires before it goes."""
    ref = platform.documents.collection(VIDEOS).document(video_id)

    def run(tx: Transaction) -> None:
        data = tx.get(ref).to_dict() or {}
        expires = data.get("expires_at")
        keep = until + RETENTION_AFTER_POST
        if expires is not None and _aware(expires) < keep:
            tx.update(ref, {"expires_at": keep})

    platform.documents.run_transaction(run, max_attempts=POST_TX_ATTEMPTS)


def _enqueue(
    platform: Platform,
    post_id: str,
    target: dict[str, Any],
    *,
    at: datetime | None,
    suffix: str = "",
) -> str:
    name = task_name("post", post_id, target["id"], f"r{target['revision']}", suffix)
    platform.tasks.enqueue(
        function=PUBLISH_FUNCTION,
        payload=PublishTask(
            post_id=post_id, target_id=target["id"], revision=int(target["revision"])
        ),
        name=name,
        schedule_time=at if at is not None and at > _now() else None,
    )
    return name


def _validate_settings(platform_name: str, settings: dict[str, Any], where: str) -> dict[str, Any]:
    try:
        return SETTINGS_MODELS[platform_name].model_validate(settings).model_dump()
    except ValidationError as exc:
        raise ValidationFailed(
            f"settings for {platform_name} are not valid",
            details=[
                {
                    "field": f"{where}.settings.{'.'.join(str(p) for p in e['loc'])}",
                    "message": e["msg"],
                    "type": e["type"],
                }
                for e in exc.errors(include_url=False)
            ],
        ) from exc


def create_post(*, platform: Platform, uid: str, request: CreatePostRequest) -> PostOut:
    """Validate every target against its platform's rules, store the post, enqueue its targets."""
    now = _now()
    at = _aware(request.scheduled_at) if request.scheduled_at else None
    if at is not None and at > now + timedelta(minutes=1):
        if not limits.can_schedule(platform=platform, uid=uid):
            raise Forbidden(
                "scheduling ahead is part of a plan with scheduling; post now instead",
                code="scheduling_not_allowed",
            )
        if at > now + timedelta(days=365):
            raise ValidationFailed(
                "schedule at most a year ahead",
                details=[
                    {
                        "field": "body.scheduled_at",
                        "message": "at most 365 days ahead",
                        "type": "range",
                    }
                ],
            )
    when = at if at is not None and at > now else now
    tz = request.timezone or _user_timezone(platform, uid)
    _zone(tz)
    video = _load_video(platform, uid, request.video_id)
    facts = _media(platform, video)
    disclosure = _ai_disclosure(video)
    defaults = {
        "title": request.title if request.title is not None else (video.title or ""),
        "caption": request.caption if request.caption is not None else (video.description or ""),
        "hashtags": request.hashtags if request.hashtags is not None else list(video.hashtags),
        "privacy": request.privacy,
        "cover_frame_s": request.cover_frame_s,
    }
    post_id = auto_id()
    targets: dict[str, dict[str, Any]] = {}
    failures: list[CheckFailure] = []
    index: dict[str, int] = {}
    seen: set[str] = set()
    for i, t in enumerate(request.targets):
        if t.social_account_id in seen:
            raise ValidationFailed(
                "each account can be a target once",
                details=[
                    {
                        "field": f"body.targets.{i}.social_account_id",
                        "message": "duplicate account",
                        "type": "duplicate",
                    }
                ],
            )
        seen.add(t.social_account_id)
        try:
            account = accounts.get_account(
                platform=platform, uid=uid, account_id=t.social_account_id
            )
        except NotFound as exc:
            raise ValidationFailed(
                "a target account is not one of yours",
                details=[
                    {
                        "field": f"body.targets.{i}.social_account_id",
                        "message": "unknown account",
                        "type": "not_found",
                    }
                ],
            ) from exc
        name = account.platform.value
        tid = f"t{i + 1}-{name}"
        index[tid] = i
        overrides = t.model_dump(
            include={"title", "caption", "hashtags", "privacy", "cover_frame_s"}
        )
        target: dict[str, Any] = {
            "id": tid,
            "order": i,
            "social_account_id": account.id,
            "platform": name,
            "account_name": account.display_name,
            "account_handle": account.handle,
            "overrides": overrides,
            "settings": _validate_settings(name, t.settings, f"body.targets.{i}"),
            "status": "queued",
            "revision": 0,
            "scheduled_at": when,
            "not_before": None,
            "waiting_reason": None,
            "attempts": 0,
            "claim": None,
            "upload": UploadState().model_dump(),
            "error": None,
            "retryable": None,
            "platform_post_id": None,
            "url": None,
            "published_at": None,
        }
        probe_post = {"content": defaults, "ai_disclosure": disclosure.model_dump()}
        facts_acc, _ = _account_facts(platform, account.id, name)
        found = check_target(
            target=tid,
            platform=name,
            facts=facts,
            content=_content_of(probe_post, target),
            account=facts_acc,
            check_cap=False,
        )
        failures += found
        targets[tid] = target
    if failures:
        raise ValidationFailed(
            f"{len(failures)} platform rule(s) not met; each error names the target and the rule",
            code="prepublish_check_failed",
            details=_field_errors(failures, index),
        )
    # Limits counted before enqueueing: at a cap, the target waits and says until when.
    for target in targets.values():
        cap = daily_cap(platform, target["platform"])
        slots = _live_slots(
            _quota_ref(platform, target["social_account_id"]).get().to_dict() or {}, when
        )
        if len(slots) >= cap:
            target["not_before"] = max(when, _quota_frees_at(slots))
            target["waiting_reason"] = (
                f"{RULES[target['platform']].name} allows {cap} posts per 24 h on this account; "
                f"this one goes at {target['not_before'].isoformat()}"
            )
        elif _project_bucket_full(platform, target["platform"], when):
            target["not_before"], target["waiting_reason"] = _project_wait(platform, when)
    status, due_at = _derive(targets)
    record = {
        "owner_uid": uid,
        "video_id": video.id,
        "video_title": video.title,
        "scheduled_at": when,
        "timezone": tz,
        "revision": 0,
        "status": status,
        "due_at": due_at,
        "platforms": sorted({t["platform"] for t in targets.values()}),
        "account_ids": sorted(t["social_account_id"] for t in targets.values()),
        "content": defaults,
        "ai_disclosure": disclosure.model_dump(),
        "media": facts.model_dump(),
        "video_key": video.outputs.video_key if video.outputs else None,
        "targets": targets,
        # the reminder is for posts scheduled further ahead than its window
        "reminded": at is None or at <= now + _reminder_window(platform),
        "created_at": now,
        "updated_at": now,
    }
    _keep_video_until(
        platform, video.id, max([when, *(t["not_before"] or when for t in targets.values())])
    )
    _ref(platform, post_id).create(record)
    for target in targets.values():
        go = target["not_before"] or when
        _enqueue(platform, post_id, target, at=go)
        if target["not_before"]:
            _notify_waiting(platform, record, post_id, target)
    log.info(
        "post created",
        extra=fields(post_id=post_id, targets=len(targets), scheduled=at is not None and at > now),
    )
    return post_out({**record, "id": post_id})


def _user_timezone(platform: Platform, uid: str) -> str:
    data = platform.documents.collection("users").document(uid).get().to_dict() or {}
    tz = (data.get("preferences") or {}).get("timezone") or data.get("timezone") or "UTC"
    try:
        ZoneInfo(str(tz))
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return str(tz)


def get_post(*, platform: Platform, uid: str, post_id: str) -> PostOut:
    return post_out(_load_owned(platform, uid, post_id))


def list_posts(*, platform: Platform, uid: str, query: PostListQuery) -> Page[PostOut]:
    q = _posts(platform).where("owner_uid", "==", uid)
    if query.status:
        q = q.where("status", "==", query.status)
    if query.platform:
        q = q.where("platforms", "array-contains", query.platform)
    snaps, cursor = paginate(
        q, order_by=[("created_at", DESCENDING)], limit=query.limit, cursor=query.cursor
    )
    return Page[PostOut](
        items=[post_out(s) for s in snaps], next_cursor=cursor, has_more=cursor is not None
    )


def list_scheduled(*, platform: Platform, uid: str, query: ScheduledQuery) -> PostList:
    start, end = _aware(query.start), _aware(query.end)
    if end <= start or end - start > timedelta(days=92):
        raise ValidationFailed(
            "the range must be positive and at most 92 days",
            details=[
                {"field": "query.end", "message": "after start, within 92 days", "type": "range"}
            ],
        )
    snaps = (
        _posts(platform)
        .where("owner_uid", "==", uid)
        .where("scheduled_at", ">=", start)
        .where("scheduled_at", "<", end)
        .order_by("scheduled_at", ASCENDING)
        .limit(query.limit)
        .get()
    )
    return PostList(items=[post_out(s) for s in snaps])


def calendar_month(
    *, platform: Platform, uid: str, year: int, month: int, tz: str | None
) -> CalendarOut:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise NotFound("no such month", code="month_not_found")
    zone_name = tz or _user_timezone(platform, uid)
    zone = _zone(zone_name)
    first = datetime(year, month, 1, tzinfo=zone)
    last_day = _calendar.monthrange(year, month)[1]
    after = first + timedelta(days=last_day)
    snaps = (
        _posts(platform)
        .where("owner_uid", "==", uid)
        .where("scheduled_at", ">=", first.astimezone(UTC))
        .where("scheduled_at", "<", after.astimezone(UTC))
        .order_by("scheduled_at", ASCENDING)
        .limit(2000)
        .get()
    )
    days: dict[date, list[PostOut]] = {}
    for snap in snaps:
        out = post_out(snap)
        day = _aware(out.scheduled_at).astimezone(zone).date()
        days.setdefault(day, []).append(out)
    return CalendarOut(
        year=year,
        month=month,
        timezone=zone_name,
        days=[CalendarDay(date=d, posts=days[d]) for d in sorted(days)],
    )


def post_stats(*, platform: Platform, uid: str) -> PostStats:
    snaps = _posts(platform).where("owner_uid", "==", uid).get()
    by_status: dict[str, int] = {}
    by_target: dict[str, int] = {}
    by_platform: dict[str, int] = {}
    upcoming = 0
    now = _now()
    for snap in snaps:
        data = snap.to_dict() or {}
        by_status[data["status"]] = by_status.get(data["status"], 0) + 1
        if data["status"] == "scheduled" and _aware(data["scheduled_at"]) > now:
            upcoming += 1
        for t in (data.get("targets") or {}).values():
            by_target[t["status"]] = by_target.get(t["status"], 0) + 1
            by_platform[t["platform"]] = by_platform.get(t["platform"], 0) + 1
    return PostStats(
        total_posts=len(snaps),
        by_status=by_status,
        targets_by_status=by_target,
        by_platform=by_platform,
        scheduled_upcoming=upcoming,
    )


# --------------------------------------------------------------------------- edit / cancel / now


def _mutate(platform: Platform, uid: str, post_id: str, change: Any) -> dict[str, Any]:
    ref = _ref(platform, post_id)
    _load_owned(platform, uid, post_id)

    def run(tx: Transaction) -> dict[str, Any]:
        data = tx.get(ref).to_dict() or {}
        change(data)
        data["status"], data["due_at"] = _derive(data["targets"])
        data["updated_at"] = _now()
        tx.set(ref, data)
        return data

    return platform.documents.run_transaction(run, max_attempts=POST_TX_ATTEMPTS)


def update_post(
    *, platform: Platform, uid: str, post_id: str, request: UpdatePostRequest
) -> PostOut:
    """Reschedule or edit, while no target is publishing; queued targets get new tasks."""
    now = _now()
    at = _aware(request.scheduled_at) if request.scheduled_at else None
    if (
        at is not None
        and at > now + timedelta(minutes=1)
        and not limits.can_schedule(platform=platform, uid=uid)
    ):
        raise Forbidden(
            "scheduling ahead is part of a plan with scheduling", code="scheduling_not_allowed"
        )
    if request.timezone:
        _zone(request.timezone)
    snap = _load_owned(platform, uid, post_id)
    current = snap.to_dict() or {}
    facts = MediaFacts.model_validate(current["media"])
    touched: list[str] = []

    def change(data: dict[str, Any]) -> None:
        targets = data["targets"]
        if any(t["status"] in ACTIVE for t in targets.values()):
            raise Conflict(
                "a target is publishing right now; edit when it finishes", code="post_publishing"
            )
        queued = [t for t in targets.values() if t["status"] == "queued"]
        if not queued:
            raise Conflict("nothing in this post is still queued", code="post_not_editable")
        for key in ("title", "caption", "hashtags", "privacy", "cover_frame_s"):
            value = getattr(request, key)
            if value is not None:
                data["content"][key] = value
        for patch in request.targets or []:
            t = targets.get(patch.id)
            if t is None:
                raise NotFound(f"no target {patch.id} in this post", code="target_not_found")
            for key in ("title", "caption", "hashtags", "privacy", "cover_frame_s"):
                value = getattr(patch, key)
                if value is not None:
                    t["overrides"][key] = value
            if patch.settings is not None:
                t["settings"] = _validate_settings(
                    t["platform"], patch.settings, f"body.targets.{patch.id}"
                )
        if request.timezone:
            data["timezone"] = request.timezone
        when = max(at, now) if at is not None else None
        if when is not None:
            data["scheduled_at"] = when
        data["revision"] = int(data.get("revision", 0)) + 1
        failures: list[CheckFailure] = []
        for t in queued:
            if when is not None:
                t["scheduled_at"] = when
            t["revision"] = int(t["revision"]) + 1
            acc, _ = _account_facts(platform, t["social_account_id"], t["platform"])
            failures += check_target(
                target=t["id"],
                platform=t["platform"],
                facts=facts,
                content=_content_of(data, t),
                account=acc,
                check_cap=False,
            )
            touched.append(t["id"])
        if failures:
            order = {tid: int(targets[tid]["order"]) for tid in targets}
            raise ValidationFailed(
                "platform rule(s) not met",
                code="prepublish_check_failed",
                details=_field_errors(failures, order),
            )
        if when is not None:
            data["reminded"] = when <= now + _reminder_window(platform)

    data = _mutate(platform, uid, post_id, change)
    _keep_video_until(platform, data["video_id"], _aware(data["scheduled_at"]))
    for tid in touched:
        t = data["targets"][tid]
        _enqueue(
            platform,
            post_id,
            t,
            at=max(_aware(t["scheduled_at"]), _aware(t.get("not_before") or t["scheduled_at"])),
        )
    return post_out({**data, "id": post_id})


def delete_post(*, platform: Platform, uid: str, post_id: str) -> PostOut:
    """Cancel whatever is queued; refused while a target is publishing."""

    def change(data: dict[str, Any]) -> None:
        targets = data["targets"]
        if any(t["status"] in ACTIVE for t in targets.values()):
            raise Conflict(
                "a target is publishing right now; it cannot be called back", code="post_publishing"
            )
        for t in targets.values():
            if t["status"] == "queued":
                t["status"] = "cancelled"
                t["revision"] = int(t["revision"]) + 1
        data["revision"] = int(data.get("revision", 0)) + 1

    data = _mutate(platform, uid, post_id, change)
    return post_out({**data, "id": post_id})


def publish_now(
    *, platform: Platform, uid: str, post_id: str, target_id: str | None = None
) -> PostOut:
    """Send the queued targets now (or retry one failed target that can be retried)."""
    now = _now()
    touched: list[str] = []

    def change(data: dict[str, Any]) -> None:
        for t in data["targets"].values():
            if target_id is not None and t["id"] != target_id:
                continue
            retry = t["status"] == "failed" and t.get("retryable")
            if t["status"] == "queued" or retry:
                t["status"] = "queued"
                t["scheduled_at"] = now
                t["revision"] = int(t["revision"]) + 1
                t["error"] = None
                t["retryable"] = None
                if retry:
                    t["upload"] = t.get("upload") or UploadState().model_dump()
                    t["attempts"] = 0
                touched.append(t["id"])
        if not touched:
            raise Conflict("nothing here is queued or can be retried", code="nothing_to_publish")
        data["revision"] = int(data.get("revision", 0)) + 1

    data = _mutate(platform, uid, post_id, change)
    _keep_video_until(platform, data["video_id"], now)  # a retry days later still finds it
    for tid in touched:
        t = data["targets"][tid]
        _enqueue(platform, post_id, t, at=_aware(t.get("not_before") or now))
    return post_out({**data, "id": post_id})


# --------------------------------------------------------------------------- the publish task


class _ClaimLost(Exception):
    """Another worker took the target over (its lease had expired)."""


def _write_target(
    platform: Platform, post_id: str, target_id: str, token: str | None, update: dict[str, Any]
) -> dict[str, Any]:
    """Change one target, only while `token` still holds its claim (None: no claim needed)."""
    ref = _ref(platform, post_id)

    def run(tx: Transaction) -> dict[str, Any]:
        data = tx.get(ref).to_dict() or {}
        t = data["targets"][target_id]
        if token is not None and (t.get("claim") or {}).get("token") != token:
            raise _ClaimLost(target_id)
        t.update(update)
        data["status"], data["due_at"] = _derive(data["targets"])
        data["updated_at"] = _now()
        tx.set(ref, data)
        return data

    return platform.documents.run_transaction(run, max_attempts=POST_TX_ATTEMPTS)


def _claim(
    platform: Platform, task: PublishTask, now: datetime
) -> tuple[str, dict[str, Any], dict[str, Any], str] | PublishTaskResult:
    ref = _ref(platform, task.post_id)

    def run(tx: Transaction) -> tuple[str, dict[str, Any], dict[str, Any], str] | PublishTaskResult:
        snap = tx.get(ref)
        data = snap.to_dict() or {}
        t = (data.get("targets") or {}).get(task.target_id)
        if not snap.exists or t is None:
            return PublishTaskResult(
                post_id=task.post_id, target_id=task.target_id, outcome="stale", detail="gone"
            )
        if int(t.get("revision", 0)) != task.revision:
            return PublishTaskResult(
                post_id=task.post_id,
                target_id=task.target_id,
                outcome="stale",
                status=t["status"],
                detail="older revision",
            )
        if t["status"] in DONE:
            return PublishTaskResult(
                post_id=task.post_id, target_id=task.target_id, outcome="done", status=t["status"]
            )
        claim = t.get("claim") or {}
        if claim and _aware(claim["at"]) > now - _lease(platform):
            raise ServiceUnavailable(
                "another delivery holds this target; try later", code="target_busy"
            )
        previous = t["status"]
        if previous == "queued":
            go = max(_aware(t["scheduled_at"]), _aware(t.get("not_before") or t["scheduled_at"]))
            if go > now + timedelta(seconds=5):
                return PublishTaskResult(
                    post_id=task.post_id,
                    target_id=task.target_id,
                    outcome="waiting",
                    status="queued",
                    detail=f"not before {go.isoformat()}",
                )
            cap = daily_cap(platform, t["platform"])
            qref = _quota_ref(platform, t["social_account_id"])
            slots = _live_slots(tx.get(qref).to_dict() or {}, now)
            key = f"{task.post_id}:{task.target_id}"
            if key not in slots and len(slots) >= cap:
                frees = _quota_frees_at(slots)
                t["not_before"] = frees
                t["waiting_reason"] = (
                    f"{RULES[t['platform']].name} allows {cap} posts per 24 h on this account; "
                    f"this one goes at {frees.isoformat()}"
                )
                t["revision"] = int(t["revision"]) + 1
                data["status"], data["due_at"] = _derive(data["targets"])
                tx.set(ref, data)
                return PublishTaskResult(
                    post_id=task.post_id,
                    target_id=task.target_id,
                    outcome="waiting",
                    status="queued",
                    detail=t["waiting_reason"],
                    limited=True,
                )
            if key not in slots and _project_bucket_full(platform, t["platform"], now):
                t["not_before"], t["waiting_reason"] = _project_wait(platform, now)
                t["revision"] = int(t["revision"]) + 1
                data["status"], data["due_at"] = _derive(data["targets"])
                tx.set(ref, data)
                return PublishTaskResult(
                    post_id=task.post_id,
                    target_id=task.target_id,
                    outcome="waiting",
                    status="queued",
                    detail=t["waiting_reason"],
                    limited=True,
                )
            if key not in slots and t["platform"] == "youtube":
                tx.set(
                    _project_bucket_ref(platform, now),
                    {"count": Increment(1), "updated_at": now},
                    merge=True,
                )
            slots[key] = now
            tx.set(qref, {"slots": slots, "updated_at": now})
            t["status"] = "publishing"
            t["not_before"] = None
            t["waiting_reason"] = None
        token = secrets.token_hex(8)
        t["claim"] = {"token": token, "at": now}
        t["next_check_at"] = now + _lease(platform)
        t["attempts"] = int(t.get("attempts", 0)) + 1
        data["status"], data["due_at"] = _derive(data["targets"])
        data["updated_at"] = now
        tx.set(ref, data)
        return token, data, t, previous

    return platform.documents.run_transaction(run, max_attempts=POST_TX_ATTEMPTS)


_http: httpx.Client | None = None
_http_lock = threading.Lock()


def _client() -> httpx.Client:
    """The one HTTP client of this process (built once: the first targets due together
    would otherwise each build one, loading the CA bundle each time)."""
    global _http
    if _http is None:
        with _http_lock:
            if _http is None:
                _http = httpx.Client(
                    timeout=publishing_base.TIMEOUT, headers={"User-Agent": USER_AGENT}
                )
    return _http


def access_token(*, platform: Platform, account_id: str) -> SecretStr:
    """A fresh access token for posting (the social accounts service refreshes when due)."""
    return accounts.access_token_for(platform=platform, account_id=account_id)


def run_publish_task(
    *, platform: Platform, task: PublishTask, now: datetime | None = None
) -> PublishTaskResult:
    """One delivery of a target's task: claim, check, upload or poll, record; idempotent."""
    now = now or _now()
    claimed = _claim(platform, task, now)
    if isinstance(claimed, PublishTaskResult):
        if claimed.limited:
            data = _ref(platform, task.post_id).get().to_dict() or {}
            t = data["targets"][task.target_id]
            _keep_video_until(platform, data["video_id"], _aware(t["not_before"]))
            _enqueue(platform, task.post_id, t, at=_aware(t["not_before"]), suffix="w")
            _notify_waiting(platform, data, task.post_id, t)
        return claimed
    token, data, t, previous = claimed
    try:
        return _advance(platform, task, token, data, t, previous)
    except _ClaimLost:
        return PublishTaskResult(
            post_id=task.post_id, target_id=task.target_id, outcome="stale", detail="claim lost"
        )
    except Exception:
        # This delivery is done with the target (the queue will retry it): hand the claim
        # back so the retry resumes from the saved milestones now, not when the lease ends.
        # Only a worker that dies without getting here leaves the lease to run out.
        _release(platform, task.post_id, task.target_id, token)
        raise


def _release(platform: Platform, pid: str, tid: str, token: str) -> None:
    try:
        _write_target(platform, pid, tid, token, {"claim": None})
    except Exception:  # the lease then runs out on its own
        log.exception("could not release a post target's claim", extra=fields(post_id=pid))


def _advance(
    platform: Platform,
    task: PublishTask,
    token: str,
    data: dict[str, Any],
    t: dict[str, Any],
    previous: str,
) -> PublishTaskResult:
    """One step of a claimed target: checks (first time), then the platform's next call."""
    pid, tid = task.post_id, task.target_id
    content = _content_of(data, t)
    facts = MediaFacts.model_validate(data["media"])
    if previous == "queued":
        acc, _ = _account_facts(platform, t["social_account_id"], t["platform"])
        failures = check_target(
            target=tid,
            platform=t["platform"],
            facts=facts,
            content=content,
            account=acc,
            check_cap=False,
        )
        if failures:
            error = PublishError(
                "; ".join(f.message for f in failures),
                code=failures[0].rule,
                retryable=False,
                payload=[f.model_dump() for f in failures],
            )
            return _failed(platform, pid, tid, token, data, t, error)
    try:
        secret = access_token(platform=platform, account_id=t["social_account_id"])
    except ApiError as exc:
        retry = exc.status >= 500
        error = PublishError(exc.message, code=exc.code, retryable=retry, http_status=exc.status)
        return (
            _retry_or_fail(platform, pid, tid, token, data, t, error)
            if retry
            else _failed(platform, pid, tid, token, data, t, error)
        )
    state = UploadState.model_validate(t.get("upload") or {})

    def save(new: UploadState) -> None:
        _write_target(
            platform,
            pid,
            tid,
            token,
            {"upload": new.model_dump(), "claim": {"token": token, "at": _now()}},
        )

    with _video_file(platform, data["video_key"]) as path:
        job = PublishJob(
            settings=platform.settings,
            http=_client(),
            access_token=secret,
            platform_account_id=_platform_account_id(platform, t["social_account_id"]),
            account_handle=t.get("account_handle"),
            video_path=path,
            facts=facts,
            content=content,
            state=state,
            save=save,
            signed_url=lambda: platform.blobs.signed_url(
                data["video_key"], expires_in=SIGNED_URL_TTL
            ),
        )
        try:
            result = PUBLISHERS[t["platform"]].step(job)
        except PublishError as error:
            return _retry_or_fail(platform, pid, tid, token, data, t, error)
    return _record(platform, pid, tid, token, t, result)


def _platform_account_id(platform: Platform, account_id: str) -> str:
    data = (
        platform.documents.collection(accounts.ACCOUNTS).document(account_id).get().to_dict() or {}
    )
    return str(data["platform_account_id"])


def _record(
    platform: Platform, pid: str, tid: str, token: str, t: dict[str, Any], result: StepResult
) -> PublishTaskResult:
    now = _now()
    if result.status == "processing":
        polls = result.state.polls
        poll_s = result.poll_after_s or 15.0
        data = _write_target(
            platform,
            pid,
            tid,
            token,
            {
                "status": "processing",
                "claim": None,
                "upload": result.state.model_dump(),
                "next_check_at": now + timedelta(seconds=poll_s) + SWEEP_GRACE,
            },
        )
        target = data["targets"][tid]
        _enqueue_poll(platform, pid, target, polls, result.poll_after_s or 15.0)
        return PublishTaskResult(
            post_id=pid, target_id=tid, outcome="processing", status="processing"
        )
    data = _write_target(
        platform,
        pid,
        tid,
        token,
        {
            "status": "published",
            "claim": None,
            "upload": result.state.model_dump(),
            "platform_post_id": result.platform_post_id,
            "url": result.url,
            "published_at": now,
            "error": None,
            "retryable": None,
            "not_before": None,
            "waiting_reason": None,
        },
    )
    notifications.notify_post_published(
        platform=platform,
        uid=data["owner_uid"],
        post_id=pid,
        social_platform=RULES[t["platform"]].name,
        url=result.url,
        idempotency_key=f"post-published-{pid}-{tid}",
    )
    log.info(
        "post target published", extra=fields(post_id=pid, target_id=tid, platform=t["platform"])
    )
    return PublishTaskResult(post_id=pid, target_id=tid, outcome="published", status="published")


def _enqueue_poll(
    platform: Platform, pid: str, target: dict[str, Any], polls: int, delay: float
) -> None:
    name = task_name(
        "post",
        pid,
        target["id"],
        f"r{target['revision']}",
        f"p{polls}-a{target.get('attempts', 0)}",
    )
    platform.tasks.enqueue(
        function=PUBLISH_FUNCTION,
        payload=PublishTask(post_id=pid, target_id=target["id"], revision=int(target["revision"])),
        name=name,
        delay_s=delay,
    )


def _failed(
    platform: Platform,
    pid: str,
    tid: str,
    token: str,
    data: dict[str, Any],
    t: dict[str, Any],
    error: PublishError,
) -> PublishTaskResult:
    _write_target(
        platform,
        pid,
        tid,
        token,
        {"status": "failed", "claim": None, "error": error.as_dict(), "retryable": error.retryable},
    )
    notifications.notify_post_failed(
        platform=platform,
        uid=data["owner_uid"],
        post_id=pid,
        social_platform=RULES[t["platform"]].name,
        error=error.message + (f" — retry from /posts/{pid}" if error.retryable else ""),
        idempotency_key=f"post-failed-{pid}-{tid}-r{t['revision']}",
    )
    log.warning(
        "post target failed",
        extra=fields(post_id=pid, target_id=tid, code=error.code, retryable=error.retryable),
    )
    return PublishTaskResult(
        post_id=pid, target_id=tid, outcome="failed", status="failed", detail=error.message
    )


def _retry_or_fail(
    platform: Platform,
    pid: str,
    tid: str,
    token: str,
    data: dict[str, Any],
    t: dict[str, Any],
    error: PublishError,
) -> PublishTaskResult:
    if error.code in LIMIT_CODES and error.retry_after_s:
        return _wait_for_limit(platform, pid, tid, token, data, t, error)
    if not error.retryable or int(t.get("attempts", 0)) >= MAX_ATTEMPTS:
        return _failed(platform, pid, tid, token, data, t, error)
    delay = error.retry_after_s or 30.0 * 2 ** (int(t.get("attempts", 1)) - 1)
    fresh = _ref(platform, pid).get().to_dict() or {}
    status = fresh["targets"][tid]["status"]
    _write_target(
        platform,
        pid,
        tid,
        token,
        {
            "claim": None,
            "error": error.as_dict(),
            "retryable": True,
            "status": status,
            "next_check_at": _now() + timedelta(seconds=delay) + SWEEP_GRACE,
        },
    )
    target = fresh["targets"][tid]
    name = task_name("post", pid, tid, f"r{target['revision']}", f"a{target.get('attempts', 0)}")
    platform.tasks.enqueue(
        function=PUBLISH_FUNCTION,
        payload=PublishTask(post_id=pid, target_id=tid, revision=int(target["revision"])),
        name=name,
        delay_s=delay,
    )
    log.info(
        "post target will retry",
        extra=fields(post_id=pid, target_id=tid, code=error.code, delay_s=delay),
    )
    return PublishTaskResult(
        post_id=pid, target_id=tid, outcome="retry", status=status, detail=error.message
    )


def _wait_for_limit(
    platform: Platform,
    pid: str,
    tid: str,
    token: str,
    data: dict[str, Any],
    t: dict[str, Any],
    error: PublishError,
) -> PublishTaskResult:
    """The platform said a limit is reached: the target waits for it, the user is told when.

    Nothing was published (limits are enforced before a post is made), so a target
    whose bytes never completed goes back to queued, where it can still be edited,
    rescheduled or cancelled; the saved upload session is kept and resumed. The wait
    does not count as a failed attempt.
    """
    assert error.retry_after_s is not None
    now = _now()
    go = now + timedelta(seconds=error.retry_after_s)
    fresh = _ref(platform, pid).get().to_dict() or {}
    state = UploadState.model_validate(fresh["targets"][tid].get("upload") or {})
    back_to_queue = not state.bytes_done and not state.publish_attempted
    status: TargetStatus = "queued" if back_to_queue else fresh["targets"][tid]["status"]
    revision = int(t["revision"]) + 1
    reason = f"{error.message}; this one goes at {go.isoformat()}"
    written = _write_target(
        platform,
        pid,
        tid,
        token,
        {
            "status": status,
            "claim": None,
            "revision": revision,
            "not_before": go,
            "waiting_reason": reason,
            "error": error.as_dict(),
            "retryable": True,
            "attempts": max(0, int(t.get("attempts", 1)) - 1),
            "next_check_at": None if back_to_queue else go + SWEEP_GRACE,
        },
    )
    target = written["targets"][tid]
    _keep_video_until(platform, written["video_id"], go)
    _enqueue(platform, pid, target, at=go, suffix="l")
    _notify_waiting(platform, written, pid, target)
    log.warning(
        "post target waits for a platform limit",
        extra=fields(post_id=pid, target_id=tid, code=error.code, until=go.isoformat()),
    )
    return PublishTaskResult(
        post_id=pid, target_id=tid, outcome="waiting", status=status, detail=reason, limited=True
    )


def _notify_waiting(platform: Platform, data: dict[str, Any], pid: str, t: dict[str, Any]) -> None:
    """Tell the user when a limit holds a target back for long (not for a per-minute limit)."""
    if _aware(t["not_before"]) - _now() < NOTIFY_WAITS_FROM:
        return
    notifications.notify(
        platform=platform,
        uid=data["owner_uid"],
        type=notifications.NotificationType.scheduled_post,
        title=f"Your {RULES[t['platform']].name} post is waiting",
        message=str(t.get("waiting_reason") or "a platform limit was reached"),
        link=f"/posts/{pid}",
        data={
            "post_id": pid,
            "target_id": t["id"],
            "not_before": _aware(t["not_before"]),
        },
        idempotency_key=f"post-waiting-{pid}-{t['id']}-r{t['revision']}",
    )


# --------------------------------------------------------------------------- the sweeper


def sweep(*, platform: Platform, now: datetime | None = None, limit: int = 500) -> SweepResult:
    """Cron: enqueue a catch-up task for anything due and unclaimed, log it; send reminders."""
    now = now or _now()
    snaps = _posts(platform).where("due_at", "<=", now - SWEEP_GRACE).limit(limit).get()
    enqueued: list[str] = []
    minute = now.strftime("%Y%m%d%H%M")
    for snap in snaps:
        data = snap.to_dict() or {}
        for t in (data.get("targets") or {}).values():
            if t["status"] == "queued":
                go = max(
                    _aware(t["scheduled_at"]), _aware(t.get("not_before") or t["scheduled_at"])
                )
            elif t["status"] in ACTIVE and t.get("next_check_at"):
                go = _aware(t["next_check_at"])  # its poll or retry task was lost
            else:
                continue
            if go > now - SWEEP_GRACE:
                continue
            name = _enqueue(platform, snap.id, t, at=None, suffix=f"s{minute}")
            enqueued.append(name)
            log.warning(
                "post target overdue and unclaimed; enqueued a catch-up task",
                # (an active target's catch-up task waits out a live lease with a 503)
                extra=fields(
                    post_id=snap.id,
                    target_id=t["id"],
                    due=go.isoformat(),
                    late_s=(now - go).total_seconds(),
                ),
            )
    reminders = 0
    # Only posts still ahead: a reminder at (or after) the moment a post goes says nothing,
    # and a burst of them at the minute the posts are due would hold up their publishing.
    upcoming = (
        _posts(platform)
        .where("reminded", "==", False)
        .where("due_at", ">", now + REMINDER_MARGIN)
        .where("due_at", "<=", now + _reminder_window(platform))
        .limit(limit)
        .get()
    )
    for snap in upcoming:
        data = snap.to_dict() or {}
        notifications.notify_scheduled_post_reminder(
            platform=platform,
            uid=data["owner_uid"],
            post_id=snap.id,
            scheduled_at=_aware(data["scheduled_at"]),
            idempotency_key=f"post-reminder-{snap.id}-r{data.get('revision', 0)}",
        )
        _ref(platform, snap.id).update({"reminded": True})
        reminders += 1
    return SweepResult(checked=len(snaps), enqueued=enqueued, reminders=reminders)
