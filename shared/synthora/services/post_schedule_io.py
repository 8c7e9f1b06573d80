"""The schedule as CSV (export and import) and the duplicate-schedule warning.

Export (`GET /api/v1/posts/export`): one row per target, in `EXPORT_COLUMNS` order,
times in ISO 8601 UTC. A cell that a spreadsheet would read as a formula (it starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a
leading apostrophe (OWASP "CSV Injection"), and import takes that apostrophe off
again, so an exported file can be imported back.

Import (`POST /api/v1/posts/import`): a JSON body with the CSV text. Columns
`IMPORT_COLUMNS` (`video_id`, `account_id` and `scheduled_at` required; other
columns, such as the export's, are ignored). Rows with the same video and the
same instant become one post with one target per row. Every row is checked with
the rules `POST /posts` applies (ownership, a finished video, scheduling allowed
for the role, each platform's pre-publish table) and answered with its own
field-level errors; unless `partial` is set, nothing is created when any row is
invalid. Creation goes through `posts.create_post`, the path of `POST /posts`.

Duplicate warning (`GET /api/v1/posts/conflicts`): the targets of the same video
to the same accounts that are queued, publishing, processing or already
published. A warning, never a refusal: the dialog shows it before the user
submits, and import reports it on each row.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, ValidationError

from synthora.errors import ApiError, PayloadTooLarge, ValidationFailed
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import ASCENDING, is_document_id
from synthora.publishing.checks import check_target
from synthora.services import limits, posts
from synthora.services import social_accounts as accounts

log = get_logger(__name__)

EXPORT_COLUMNS: tuple[str, ...] = (
    "post_id",
    "target_id",
    "video_id",
    "video_title",
    "account_id",
    "platform",
    "status",
    "scheduled_at",
    "time_zone",
    "title",
    "caption",
    "hashtags",
    "privacy",
    "platform_url",
    "error",
)
IMPORT_COLUMNS: tuple[str, ...] = (
    "video_id",
    "account_id",
    "scheduled_at",
    "time_zone",
    "title",
    "caption",
    "hashtags",
    "privacy",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("video_id", "account_id", "scheduled_at")
#: The CSV text may be at most this many characters (413 beyond)...
MAX_IMPORT_CHARS = 512_000
#: ...and hold at most this many data rows (422 beyond).
MAX_IMPORT_ROWS = 500
#: The request body's bound: the CSV text JSON-escaped, with room to spare.
IMPORT_MAX_BODY = 2 * MAX_IMPORT_CHARS + 4096
#: An export covers at most this many posts (422 beyond: narrow the range).
MAX_EXPORT_POSTS = 5000
#: Targets in these states count as "already there" for the duplicate warning.
CONFLICT_STATES: tuple[str, ...] = ("queued", "publishing", "processing", "published")
#: A spreadsheet reads a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_TAG_SPLIT = re.compile(r"[\s,]+")


# --------------------------------------------------------------------------- models


class ExportQuery(BaseModel):
    start: datetime | None = Field(default=None, description="Scheduled at or after (ISO 8601).")
    end: datetime | None = Field(default=None, description="Scheduled before (ISO 8601).")
    status: posts.PostStatus | None = Field(default=None, description="Only posts in this state.")


class ImportRequest(BaseModel):
    csv: str = Field(
        description=f"The CSV text, header row first (at most {MAX_IMPORT_CHARS} characters "
        f"and {MAX_IMPORT_ROWS} rows). Columns: {', '.join(IMPORT_COLUMNS)}."
    )
    dry_run: bool = Field(default=True, description="Check every row, create nothing.")
    partial: bool = Field(
        default=False,
        description="Create the posts whose rows are all valid even when other rows are not.",
    )
    time_zone: str | None = Field(
        default=None,
        max_length=64,
        description="IANA zone for rows without time_zone and times without an offset; "
        "default: the user's.",
    )


class RowError(BaseModel):
    field: str = Field(description="The CSV column the error is about.")
    message: str
    type: str


class RowResult(BaseModel):
    row: int = Field(description="The line of the CSV (the header is line 1).")
    status: Literal["valid", "invalid", "created", "not_created"]
    group: int | None = Field(
        default=None, description="Rows with the same group become one post (same video, time)."
    )
    scheduled_at: datetime | None = None
    post_id: str | None = None
    errors: list[RowError] = Field(default_factory=list)
    warnings: list[str] = Field(
        default_factory=list, description="E.g. the video is already scheduled to this account."
    )


class ImportResult(BaseModel):
    dry_run: bool
    valid: bool = Field(description="Every row is valid.")
    rows: list[RowResult]
    posts_planned: int
    posts_created: int
    created: list[posts.PostOut]


class ConflictsQuery(BaseModel):
    video_id: str = Field(min_length=1, max_length=64)
    account_ids: str | None = Field(
        default=None,
        max_length=1400,
        description="Comma-separated social account ids; omitted: every account.",
    )


class ConflictTarget(BaseModel):
    post_id: str
    target_id: str
    account_id: str
    account_name: str | None
    platform: str
    status: posts.TargetStatus
    scheduled_at: datetime
    url: str | None = None


class ConflictsOut(BaseModel):
    video_id: str
    conflicts: list[ConflictTarget]


# --------------------------------------------------------------------------- helpers


def escape_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def unescape_cell(value: str) -> str:
    """Undo `escape_cell` (an exported file imports back)."""
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _iso(value: datetime | None) -> str:
    if value is None:
        return ""
    return posts._aware(value).astimezone(UTC).isoformat().replace("+00:00", "Z")


def _zone_or_none(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


# --------------------------------------------------------------------------- export


def export_csv(*, platform: Platform, uid: str, query: ExportQuery) -> str:
    """My schedule as CSV text, one row per target, oldest scheduled first."""
    start = posts._aware(query.start) if query.start else None
    end = posts._aware(query.end) if query.end else None
    if start is not None and end is not None and end <= start:
        raise ValidationFailed(
            "the range must end after it starts",
            details=[{"field": "query.end", "message": "after start", "type": "range"}],
        )
    q = posts._posts(platform).where("owner_uid", "==", uid)
    if start is not None:
        q = q.where("scheduled_at", ">=", start)
    if end is not None:
        q = q.where("scheduled_at", "<", end)
    snaps = q.order_by("scheduled_at", ASCENDING).limit(MAX_EXPORT_POSTS + 1).get()
    if len(snaps) > MAX_EXPORT_POSTS:
        raise ValidationFailed(
            f"more than {MAX_EXPORT_POSTS} posts in this range; choose a shorter one",
            code="export_too_large",
            details=[{"field": "query.start", "message": "narrow the range", "type": "range"}],
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    rows = 0
    for snap in snaps:
        post = posts.post_out(snap)
        if query.status is not None and post.status != query.status:
            continue
        for t in post.targets:
            cells = [
                post.id,
                t.id,
                post.video_id,
                post.video_title or "",
                t.social_account_id,
                t.platform,
                t.status,
                _iso(post.scheduled_at),
                post.timezone,
                t.content.title,
                t.content.caption,
                " ".join(f"#{tag}" for tag in t.content.hashtags),
                t.content.privacy or "",
                t.url or "",
                t.error.message if t.error else "",
            ]
            writer.writerow([escape_cell(str(c)) for c in cells])
            rows += 1
    log.info("schedule exported", extra=fields(rows=rows))
    return out.getvalue()


# --------------------------------------------------------------------------- conflicts


def find_conflicts(
    *, platform: Platform, uid: str, video_id: str, account_ids: list[str] | None
) -> list[ConflictTarget]:
    """Targets of this video to these accounts that are queued, publishing or published."""
    if not is_document_id(video_id):
        return []
    wanted = set(account_ids) if account_ids else None
    snaps = (
        posts._posts(platform)
        .where("owner_uid", "==", uid)
        .where("video_id", "==", video_id)
        .limit(1000)
        .get()
    )
    out: list[ConflictTarget] = []
    for snap in snaps:
        post = posts.post_out(snap)
        for t in post.targets:
            if t.status not in CONFLICT_STATES:
                continue
            if wanted is not None and t.social_account_id not in wanted:
                continue
            out.append(
                ConflictTarget(
                    post_id=post.id,
                    target_id=t.id,
                    account_id=t.social_account_id,
                    account_name=t.account_name,
                    platform=t.platform,
                    status=t.status,
                    scheduled_at=post.scheduled_at,
                    url=t.url,
                )
            )
    out.sort(key=lambda c: (c.scheduled_at, c.post_id, c.target_id))
    return out


def conflicts(*, platform: Platform, uid: str, query: ConflictsQuery) -> ConflictsOut:
    ids = [a.strip() for a in (query.account_ids or "").split(",") if a.strip()]
    if len(ids) > 50:
        raise ValidationFailed(
            "at most 50 accounts",
            details=[{"field": "query.account_ids", "message": "at most 50", "type": "too_long"}],
        )
    return ConflictsOut(
        video_id=query.video_id,
        conflicts=find_conflicts(
            platform=platform, uid=uid, video_id=query.video_id, account_ids=ids or None
        ),
    )


# --------------------------------------------------------------------------- import


class _Row(BaseModel):
    """One parsed data row (before the platform checks)."""

    line: int
    video_id: str
    account_id: str
    at: datetime
    time_zone: str
    title: str | None
    caption: str | None
    hashtags: list[str] | None
    privacy: str | None


def _read_rows(text: str) -> tuple[list[dict[str, str]], list[int]]:
    """The data rows as dicts keyed by lower-case column, and the line each starts on."""
    if len(text) > MAX_IMPORT_CHARS:
        raise PayloadTooLarge(
            f"the CSV is larger than {MAX_IMPORT_CHARS} characters; split it",
            code="csv_too_large",
        )
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise _csv_error(str(exc), 1) from exc
    if not header or not any(h.strip() for h in header):
        raise ValidationFailed(
            "the CSV has no header row",
            code="csv_invalid",
            details=[{"field": "body.csv", "message": "no header row", "type": "csv"}],
        )
    columns = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ValidationFailed(
            f"the CSV lacks the column(s) {', '.join(missing)}",
            code="csv_invalid",
            details=[
                {"field": "body.csv", "message": f"missing column {c}", "type": "missing_column"}
                for c in missing
            ],
        )
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    try:
        start = reader.line_num + 1
        for cells in reader:
            if not any(c.strip() for c in cells):
                start = reader.line_num + 1
                continue
            if len(rows) >= MAX_IMPORT_ROWS:
                raise ValidationFailed(
                    f"at most {MAX_IMPORT_ROWS} rows per import; split the file",
                    code="csv_too_many_rows",
                    details=[
                        {
                            "field": "body.csv",
                            "message": f"at most {MAX_IMPORT_ROWS} rows",
                            "type": "too_many_rows",
                        }
                    ],
                )
            rows.append(
                {
                    col: unescape_cell(cells[i].strip()) if i < len(cells) else ""
                    for i, col in enumerate(columns)
                    if col in IMPORT_COLUMNS
                }
            )
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _csv_error(str(exc), reader.line_num) from exc
    if not rows:
        raise ValidationFailed(
            "the CSV has no data rows",
            code="csv_invalid",
            details=[{"field": "body.csv", "message": "no data rows", "type": "csv"}],
        )
    return rows, lines


def _csv_error(message: str, line: int) -> ValidationFailed:
    return ValidationFailed(
        f"the CSV cannot be read at line {line}: {message}",
        code="csv_invalid",
        details=[{"field": "body.csv", "message": f"line {line}: {message}", "type": "csv"}],
    )


def _parse_row(
    cells: dict[str, str], line: int, default_tz: str
) -> tuple[_Row | None, list[RowError]]:
    errors: list[RowError] = []

    def err(field: str, message: str, kind: str) -> None:
        errors.append(RowError(field=field, message=message, type=kind))

    video_id = cells.get("video_id", "")
    account_id = cells.get("account_id", "")
    if not video_id:
        err("video_id", "required", "missing")
    elif not is_document_id(video_id):
        err("video_id", "not a video id", "not_found")
    if not account_id:
        err("account_id", "required", "missing")
    elif len(account_id) > 128:
        err("account_id", "at most 128 characters", "too_long")
    tz_name = cells.get("time_zone") or default_tz
    zone = _zone_or_none(tz_name)
    if zone is None:
        err("time_zone", f"unknown time zone {tz_name!r}; use an IANA zone", "timezone")
    at: datetime | None = None
    raw_at = cells.get("scheduled_at", "")
    if not raw_at:
        err("scheduled_at", "required", "missing")
    else:
        try:
            parsed = datetime.fromisoformat(raw_at.replace("Z", "+00:00"))
        except ValueError:
            err("scheduled_at", "use ISO 8601, e.g. 2027-03-01T09:30:00+01:00", "datetime")
        else:
            if parsed.tzinfo is None and zone is not None:
                parsed = parsed.replace(tzinfo=zone)
            if parsed.tzinfo is not None:
                at = parsed.astimezone(UTC)
    tags: list[str] | None = None
    raw_tags = cells.get("hashtags", "")
    if raw_tags:
        tags = [t.lstrip("#") for t in _TAG_SPLIT.split(raw_tags) if t.lstrip("#")]
    content: dict[str, Any] = {
        "title": cells.get("title") or None,
        "caption": cells.get("caption") or None,
        "hashtags": tags,
        "privacy": cells.get("privacy") or None,
    }
    try:
        posts.ContentFields.model_validate(content)
    except ValidationError as exc:
        for e in exc.errors(include_url=False):
            err(str(e["loc"][0]), e["msg"], e["type"])
    if errors or at is None:
        return None, errors
    return (
        _Row(
            line=line,
            video_id=video_id,
            account_id=account_id,
            at=at,
            time_zone=tz_name,
            **content,
        ),
        [],
    )


def _column_of(check_field: str) -> str:
    if check_field.startswith("video"):
        return "video_id"
    if check_field.startswith("account") or check_field.startswith("settings"):
        return "account_id"
    return check_field if check_field in IMPORT_COLUMNS else "account_id"


def _check_group(
    platform: Platform, uid: str, group: list[_Row], now: datetime, can_schedule: bool
) -> dict[int, list[RowError]]:
    """The checks of `POST /posts` for one post, answered per row (by CSV line)."""
    errors: dict[int, list[RowError]] = {r.line: [] for r in group}

    def all_rows(field: str, message: str, kind: str) -> None:
        for r in group:
            errors[r.line].append(RowError(field=field, message=message, type=kind))

    at = group[0].at
    if at <= now:
        all_rows("scheduled_at", "in the past; choose a time ahead", "past")
    elif at > now + timedelta(minutes=1) and not can_schedule:
        all_rows("scheduled_at", "scheduling ahead needs a plan with scheduling", "forbidden")
    elif at > now + timedelta(days=365):
        all_rows("scheduled_at", "at most 365 days ahead", "range")
    if len(group) > posts.MAX_TARGETS:
        all_rows("account_id", f"at most {posts.MAX_TARGETS} accounts per post", "too_many")
    try:
        video = posts._load_video(platform, uid, group[0].video_id)
    except ApiError as exc:
        all_rows("video_id", exc.message, exc.code)
        return errors
    try:
        facts = posts._media(platform, video)
    except ApiError as exc:
        all_rows("video_id", exc.message, exc.code)
        return errors
    defaults = {
        "title": video.title or "",
        "caption": video.description or "",
        "hashtags": list(video.hashtags),
        "privacy": None,
        "cover_frame_s": None,
    }
    probe_post = {"content": defaults, "ai_disclosure": {"ai_generated": True}}
    seen: set[str] = set()
    for r in group:
        if r.account_id in seen:
            errors[r.line].append(
                RowError(
                    field="account_id",
                    message="this account is already a target of this post",
                    type="duplicate",
                )
            )
            continue
        seen.add(r.account_id)
        try:
            account = accounts.get_account(platform=platform, uid=uid, account_id=r.account_id)
        except ApiError:
            errors[r.line].append(
                RowError(field="account_id", message="not one of your accounts", type="not_found")
            )
            continue
        name = account.platform.value
        target = {
            "overrides": {
                "title": r.title,
                "caption": r.caption,
                "hashtags": r.hashtags,
                "privacy": r.privacy,
            },
            "settings": posts.SETTINGS_MODELS[name]().model_dump(),
        }
        facts_acc, _ = posts._account_facts(platform, account.id, name)
        for f in check_target(
            target=f"row {r.line}",
            platform=name,
            facts=facts,
            content=posts._content_of(probe_post, target),
            account=facts_acc,
            check_cap=False,
        ):
            errors[r.line].append(
                RowError(field=_column_of(f.field), message=f.message, type=f.rule)
            )
    return errors


def import_csv(*, platform: Platform, uid: str, request: ImportRequest) -> ImportResult:
    """Check every row like `POST /posts` would; create the posts unless dry_run."""
    now = posts._now()
    default_tz = request.time_zone or posts._user_timezone(platform, uid)
    if _zone_or_none(default_tz) is None:
        raise ValidationFailed(
            f"unknown time zone {default_tz!r}",
            details=[
                {"field": "body.time_zone", "message": "use an IANA zone", "type": "timezone"}
            ],
        )
    cells, lines = _read_rows(request.csv)
    results: dict[int, RowResult] = {}
    groups: dict[tuple[str, datetime], list[_Row]] = {}
    for raw, line in zip(cells, lines, strict=True):
        row, errors = _parse_row(raw, line, default_tz)
        if row is None:
            results[line] = RowResult(row=line, status="invalid", errors=errors)
            continue
        groups.setdefault((row.video_id, row.at), []).append(row)
        results[line] = RowResult(row=line, status="valid", scheduled_at=row.at)
    can_schedule = limits.can_schedule(platform=platform, uid=uid)
    group_ok: list[bool] = []
    ordered = list(groups.values())
    for index, group in enumerate(ordered):
        found = _check_group(platform, uid, group, now, can_schedule)
        existing = find_conflicts(
            platform=platform,
            uid=uid,
            video_id=group[0].video_id,
            account_ids=[r.account_id for r in group],
        )
        for r in group:
            res = results[r.line]
            res.group = index
            res.errors = found[r.line]
            res.status = "invalid" if res.errors else "valid"
            res.warnings = [
                f"this video is already {c.status} to this account (post {c.post_id}, "
                f"{_iso(c.scheduled_at)})"
                for c in existing
                if c.account_id == r.account_id
            ]
        group_ok.append(all(not found[r.line] for r in group))
    valid = all(r.status == "valid" for r in results.values())
    created: list[posts.PostOut] = []
    if not request.dry_run and (valid or request.partial):
        for group, ok in zip(ordered, group_ok, strict=True):
            if not ok:
                for r in group:
                    results[r.line].status = "not_created"
                continue
            created_post = _create_group(platform, uid, group, results)
            if created_post is not None:
                created.append(created_post)
    elif not request.dry_run:
        for res in results.values():
            if res.status == "valid":
                res.status = "not_created"
    log.info(
        "schedule import",
        extra=fields(
            rows=len(results), groups=len(ordered), created=len(created), dry_run=request.dry_run
        ),
    )
    return ImportResult(
        dry_run=request.dry_run,
        valid=valid,
        rows=[results[k] for k in sorted(results)],
        posts_planned=sum(group_ok),
        posts_created=len(created),
        created=created,
    )


def _create_group(
    platform: Platform, uid: str, group: list[_Row], results: dict[int, RowResult]
) -> posts.PostOut | None:
    """One post through `posts.create_post`; its errors land on the rows they name."""
    request = posts.CreatePostRequest(
        video_id=group[0].video_id,
        scheduled_at=group[0].at,
        timezone=group[0].time_zone,
        targets=[
            posts.TargetIn(
                social_account_id=r.account_id,
                title=r.title,
                caption=r.caption,
                hashtags=r.hashtags,
                privacy=r.privacy,
            )
            for r in group
        ],
    )
    try:
        post = posts.create_post(platform=platform, uid=uid, request=request)
    except ApiError as exc:
        for i, r in enumerate(group):
            mine = [
                d
                for d in (exc.details or [])
                if isinstance(d, dict) and str(d.get("field", "")).startswith(f"body.targets.{i}.")
            ]
            res = results[r.line]
            res.status = "not_created"
            res.errors = [
                RowError(
                    field=_column_of(str(d["field"]).split(".", 3)[-1]),
                    message=str(d.get("message", exc.message)),
                    type=str(d.get("type", exc.code)),
                )
                for d in mine
            ] or [RowError(field="video_id", message=exc.message, type=exc.code)]
        return None
    for r in group:
        results[r.line].status = "created"
        results[r.line].post_id = post.id
    return post
