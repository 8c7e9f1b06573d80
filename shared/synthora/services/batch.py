"""Batch files: many videos from one CSV or YAML file.

One parser for every caller: `synthora batch FILE` (in process or through the
API), `POST /api/v1/videos/batch/validate` and `POST /api/v1/videos/batch` (the
Create page's upload). A file holds rows; each row is one video:

- `topic`, `template` (a template id): required;
- the Create screen's options: `instructions`, `use_video_ai` and the
  `VideoChoices` overrides (`aspect_ratio`, `min_seconds`, `max_seconds`,
  `voice_gender`, `voice_tone`, `voice_speed`, `music_mood`). In CSV they are
  columns; in YAML either keys of the row or of its `overrides` mapping;
- optionally `accounts` (connected account ids, separated by spaces, commas or
  semicolons in CSV, a list in YAML) to post the finished video to, with
  `schedule_at` (ISO 8601; with a UTC offset, or with `timezone`, an IANA
  zone) to schedule the post instead of posting at once;
- optionally `key`: the row's idempotency key. Without one the key is derived
  from the row's number and content, so the same file started twice creates
  each video once, and an edited row counts as a new one.

A YAML file is a list of rows, or a mapping with `rows` and optional
`defaults` (values every row starts from). Every problem is reported with its
row (1 = the first data row; 0 = the file as a whole) and field before
anything starts. Batch runs never stop for a storyboard review.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from synthora.errors import ApiError, Conflict, ErrorBody, ValidationFailed
from synthora.logs import fields, get_logger
from synthora.pipeline.runner import load_video
from synthora.platform import Platform
from synthora.services.videos import CreateVideoRequest, VideoChoices, apply_choices

log = get_logger(__name__)

#: A batch file may be at most this many characters...
MAX_BATCH_CHARS = 200_000
#: ...and hold at most this many rows.
MAX_BATCH_ROWS = 100
#: The request body's bound: the text JSON-escaped, with room to spare.
MAX_BODY = 2 * MAX_BATCH_CHARS + 4096
BatchFormat = Literal["csv", "yaml"]
CHOICE_FIELDS: tuple[str, ...] = tuple(VideoChoices.model_fields)
CSV_COLUMNS: tuple[str, ...] = (
    "key",
    "topic",
    "template",
    "instructions",
    "use_video_ai",
    *CHOICE_FIELDS,
    "accounts",
    "schedule_at",
    "timezone",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("topic", "template")
#: Codes of the refusals that come from the user's role limits.
LIMIT_CODES: frozenset[str] = frozenset(
    {"daily_limit_reached", "concurrent_limit_reached", "rate_limited"}
)
_SPLIT = re.compile(r"[\s,;]+")
_KEY = r"^[A-Za-z0-9_.:-]+$"


# --------------------------------------------------------------------------- models


class BatchRow(BaseModel):
    """One row of a batch file: one video, and optionally its post."""

    model_config = ConfigDict(extra="forbid")

    key: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        pattern=_KEY,
        description="Idempotency key of the row; default: from its number and content.",
    )
    topic: str = Field(min_length=3, max_length=200)
    template: str = Field(min_length=1, max_length=100, description="A template id.")
    instructions: str | None = Field(default=None, max_length=1000)
    use_video_ai: bool = False
    overrides: VideoChoices | None = Field(
        default=None, description="The Create screen's choices over the template's."
    )
    accounts: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="Connected account ids to post the finished video to.",
    )
    schedule_at: datetime | None = Field(
        default=None, description="Schedule the post (needs accounts); omitted: post when done."
    )
    timezone: str | None = Field(default=None, max_length=64, description="IANA zone.")

    @field_validator("topic", "instructions")
    @classmethod
    def _spaces(cls, value: str | None) -> str | None:
        return None if value is None else " ".join(value.split())

    @field_validator("accounts", mode="before")
    @classmethod
    def _accounts(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part for part in _SPLIT.split(value) if part]
        return value

    @field_validator("accounts")
    @classmethod
    def _account_ids(cls, value: list[str]) -> list[str]:
        for account in value:
            if not 0 < len(account) <= 128 or "/" in account:
                raise ValueError(f"{account!r} is not an account id")
        return list(dict.fromkeys(value))

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone, e.g. Europe/Paris") from None
        return value

    @model_validator(mode="after")
    def _schedule(self) -> BatchRow:
        if self.schedule_at is not None:
            if not self.accounts:
                raise ValueError("schedule_at needs accounts to post to")
            if self.schedule_at.tzinfo is None and self.timezone is None:
                raise ValueError(
                    "schedule_at needs a UTC offset (2026-12-24T18:00:00+01:00) or a timezone"
                )
            if self.schedule_at.tzinfo is None and self.timezone is not None:
                # read in its zone once, so every caller sees the same instant
                self.schedule_at = self.schedule_at.replace(tzinfo=ZoneInfo(self.timezone))
        return self

    def video_request(self) -> CreateVideoRequest:
        """The `POST /api/v1/videos` body of this row (no storyboard review)."""
        return CreateVideoRequest(
            template_id=self.template,
            topic=self.topic,
            instructions=self.instructions,
            use_video_ai=self.use_video_ai,
            choices=self.overrides,
            review_script=False,
        )

    def scheduled_at(self) -> datetime | None:
        """`schedule_at` as an aware instant (a naive one was read in `timezone`)."""
        return self.schedule_at


class BatchRowError(BaseModel):
    row: int = Field(description="1 = the first data row; 0 = the file as a whole.")
    field: str = Field(description="The column (CSV) or key (YAML) the error is about.")
    message: str
    type: str


class ParsedRow(BaseModel):
    row: int = Field(description="1 = the first data row.")
    key: str = Field(description="The row's idempotency key.")
    data: BatchRow


class BatchParse(BaseModel):
    format: BatchFormat
    rows: list[ParsedRow] = Field(description="The rows that are valid.")
    errors: list[BatchRowError]
    total_rows: int
    valid: bool = Field(description="Every row is valid: the batch may start.")


class BatchFileIn(BaseModel):
    text: str = Field(
        max_length=MAX_BATCH_CHARS,
        description=f"The batch file's text (CSV or YAML; at most {MAX_BATCH_ROWS} rows).",
    )
    format: BatchFormat | None = Field(
        default=None, description="Omitted: from the file name's extension, else from the text."
    )
    name: str | None = Field(default=None, max_length=200, description="The file's name.")


class BatchStartIn(BatchFileIn):
    rows: list[int] | None = Field(
        default=None,
        max_length=MAX_BATCH_ROWS,
        description="Start only these rows (1 = the first); omitted: every row.",
    )


class BatchRowResult(BaseModel):
    row: int
    key: str
    topic: str
    status: Literal["created", "existing", "refused", "error"] = Field(
        description="created; existing (started before with this key: not created again); "
        "refused by the role's limits (daily videos, concurrent generations); "
        "error (another refusal, e.g. a missing integration)."
    )
    video_id: str | None
    error: ErrorBody | None = None


class BatchStartOut(BaseModel):
    rows: list[BatchRowResult]
    created: int
    existing: int
    refused: int
    errors: int


# --------------------------------------------------------------------------- parsing


def guess_format(text: str, name: str | None = None) -> BatchFormat:
    """CSV or YAML: by the file name's extension, else by the first line of text."""
    if name:
        lower = name.lower()
        if lower.endswith((".yaml", ".yml")):
            return "yaml"
        if lower.endswith(".csv"):
            return "csv"
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith(("-", "#", "rows:", "defaults:", "---")):
            return "yaml"
        return "csv"
    return "csv"


def row_key(row: int, data: BatchRow) -> str:
    """The row's key: its own, else a digest of its number and content."""
    if data.key:
        return data.key
    content = json.dumps(data.model_dump(mode="json"), sort_keys=True)
    return f"r{row}-" + hashlib.sha256(f"{row}\n{content}".encode()).hexdigest()[:16]


def _field(loc: tuple[int | str, ...], *, flat: bool) -> str:
    parts = [str(p) for p in loc]
    if not parts:
        return "row"
    if flat and len(parts) >= 2 and parts[0] == "overrides":
        return parts[1]
    if flat and len(parts) >= 2 and parts[0] == "accounts":
        return "accounts"
    return ".".join(parts) or "row"


def _errors(row: int, exc: ValidationError, *, flat: bool) -> list[BatchRowError]:
    out = []
    for err in exc.errors(include_url=False):
        message = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown field"
        field = _field(tuple(err["loc"]), flat=flat)
        if field == "row" and message.startswith("schedule_at"):
            field = "schedule_at"  # the row-level check of schedule_at with accounts
        out.append(BatchRowError(row=row, field=field, message=message, type=str(err["type"])))
    return out


def _csv_rows(text: str) -> tuple[list[dict[str, Any]], list[BatchRowError]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        return [], [BatchRowError(row=0, field="file", message="the file is empty", type="empty")]
    reader.fieldnames = header
    errors = [
        BatchRowError(
            row=0, field=name, type="unknown_column",
            message=f"unknown column; the columns are {', '.join(CSV_COLUMNS)}",
        )
        for name in header
        if name not in CSV_COLUMNS
    ]  # fmt: skip
    errors += [
        BatchRowError(row=0, field=name, message="this column is required", type="missing")
        for name in REQUIRED_COLUMNS
        if name not in header
    ]
    if any(e.type == "missing" for e in errors):
        return [], errors  # every row would repeat the missing column
    rows: list[dict[str, Any]] = []
    for record in reader:
        cells: dict[str, Any] = {
            k: v.strip()
            for k, v in record.items()
            if k in CSV_COLUMNS and isinstance(v, str) and v.strip()
        }
        if not cells and not any(isinstance(v, str) and v.strip() for v in record.values()):
            continue  # a blank line
        overrides = {k: cells.pop(k) for k in CHOICE_FIELDS if k in cells}
        if overrides:
            cells["overrides"] = overrides
        if None in record:  # more cells than columns
            cells["__extra__"] = record[None]
        rows.append(cells)
    return rows, errors


def _yaml_rows(text: str) -> tuple[list[Any], list[BatchRowError]]:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        return [], [
            BatchRowError(row=0, field="file", message=f"{problem}{where}", type="yaml_syntax")
        ]
    defaults: dict[str, Any] = {}
    if isinstance(doc, dict):
        unknown = set(doc) - {"rows", "defaults"}
        if unknown:
            return [], [
                BatchRowError(
                    row=0, field=str(sorted(map(str, unknown))[0]), type="unknown_field",
                    message="a batch file is a list of rows, or a mapping of rows and defaults",
                )
            ]  # fmt: skip
        raw_defaults = doc.get("defaults") or {}
        if not isinstance(raw_defaults, dict):
            return [], [
                BatchRowError(row=0, field="defaults", message="defaults is a mapping", type="type")
            ]
        defaults = raw_defaults
        doc = doc.get("rows")
    if doc is None:
        return [], [
            BatchRowError(row=0, field="file", message="the file has no rows", type="empty")
        ]
    if not isinstance(doc, list):
        return [], [
            BatchRowError(row=0, field="rows", message="the rows are a YAML list", type="type")
        ]
    rows: list[Any] = []
    for item in doc:
        if not isinstance(item, dict):
            rows.append(item)
            continue
        merged: dict[str, Any] = {**defaults, **item}
        overrides = dict(defaults.get("overrides") or {}) if isinstance(defaults, dict) else {}
        if isinstance(item.get("overrides"), dict):
            overrides.update(item["overrides"])
        elif "overrides" in item:
            overrides = item["overrides"]
        for name in CHOICE_FIELDS:
            if name in merged:
                value = merged.pop(name)
                if isinstance(overrides, dict):
                    overrides.setdefault(name, value)
        if overrides:
            merged["overrides"] = overrides
        else:
            merged.pop("overrides", None)
        rows.append(merged)
    return rows, []


def parse_batch(
    text: str, *, format: BatchFormat | None = None, name: str | None = None
) -> BatchParse:
    """Every row of a batch file, checked; the errors name their row and field."""
    fmt = format or guess_format(text, name)
    if len(text) > MAX_BATCH_CHARS:
        error = BatchRowError(
            row=0, field="file", type="too_long",
            message=f"the file has more than {MAX_BATCH_CHARS} characters",
        )  # fmt: skip
        return BatchParse(format=fmt, rows=[], errors=[error], total_rows=0, valid=False)
    try:
        raw, errors = _csv_rows(text) if fmt == "csv" else _yaml_rows(text)
    except (csv.Error, ValueError, RecursionError) as exc:
        # a cell beyond the csv module's size limit, a YAML date that is no date...
        error = BatchRowError(
            row=0, field="file", type="unreadable", message=f"the file cannot be read: {exc}"
        )
        return BatchParse(format=fmt, rows=[], errors=[error], total_rows=0, valid=False)
    if not raw and not errors:
        errors.append(
            BatchRowError(row=0, field="file", message="the file has no rows", type="empty")
        )
    if len(raw) > MAX_BATCH_ROWS:
        errors.append(
            BatchRowError(
                row=0, field="file", type="too_many_rows",
                message=f"{len(raw)} rows; a batch holds at most {MAX_BATCH_ROWS}",
            )
        )  # fmt: skip
        raw = raw[:MAX_BATCH_ROWS]
    rows: list[ParsedRow] = []
    keys: dict[str, int] = {}
    for number, cells in enumerate(raw, start=1):
        if not isinstance(cells, dict):
            errors.append(
                BatchRowError(row=number, field="row", message="a row is a mapping", type="type")
            )
            continue
        if "__extra__" in cells:
            errors.append(
                BatchRowError(
                    row=number, field="row", type="extra_cells",
                    message="this row has more cells than the header has columns",
                )
            )  # fmt: skip
            continue
        try:
            data = BatchRow.model_validate({str(k): v for k, v in cells.items()})
        except ValidationError as exc:
            errors += _errors(number, exc, flat=fmt == "csv")
            continue
        key = row_key(number, data)
        if key in keys:
            errors.append(
                BatchRowError(
                    row=number, field="key", type="duplicate",
                    message=f"the same key as row {keys[key]}",
                )
            )  # fmt: skip
            continue
        keys[key] = number
        rows.append(ParsedRow(row=number, key=key, data=data))
    errors.sort(key=lambda e: e.row)
    return BatchParse(format=fmt, rows=rows, errors=errors, total_rows=len(raw), valid=not errors)


# --------------------------------------------------------------------------- checks and start


def check_rows(*, platform: Platform, uid: str, parsed: BatchParse) -> BatchParse:
    """`parsed` with the checks that need the store: each template is usable by `uid`
    and each row's overrides work with it."""
    from synthora.services.templates import get_template_for_generation

    errors = list(parsed.errors)
    good: list[ParsedRow] = []
    templates: dict[str, Any] = {}
    for row in parsed.rows:
        tid = row.data.template
        try:
            if tid not in templates:
                templates[tid] = get_template_for_generation(
                    platform=platform, uid=uid, template_id=tid
                )
            template = templates[tid]
        except ApiError as exc:
            templates[tid] = exc
            template = exc
        if isinstance(template, ApiError):
            errors.append(
                BatchRowError(row=row.row, field="template", message=template.message,
                              type=template.code)
            )  # fmt: skip
            continue
        try:
            apply_choices(template.config, row.data.overrides)
        except ValidationFailed as exc:
            errors.append(
                BatchRowError(row=row.row, field="overrides", message=exc.message, type=exc.code)
            )
            continue
        good.append(row)
    errors.sort(key=lambda e: e.row)
    return parsed.model_copy(update={"rows": good, "errors": errors, "valid": not errors})


def video_id_for(uid: str, key: str) -> str:
    """The video a row makes: the same user and key always name the same video."""
    return "b" + hashlib.sha256(f"{uid}\n{key}".encode()).hexdigest()[:27]


def start_row(
    *, platform: Platform, uid: str, row: ParsedRow, enforce_limits: bool = True
) -> BatchRowResult:
    """Create the row's video unless its key made one already; limits refuse one row."""
    from synthora.services.video_generation import create_video

    video_id = video_id_for(uid, row.key)
    topic = row.data.topic
    existing = load_video(platform, video_id)
    if existing is not None and existing.owner_id == uid:
        return BatchRowResult(
            row=row.row, key=row.key, topic=topic, status="existing", video_id=video_id
        )
    try:
        video = create_video(
            platform=platform,
            uid=uid,
            request=row.data.video_request(),
            enforce_limits=enforce_limits,
            video_id=video_id,
        )
    except Conflict as exc:
        if exc.code != "video_exists":
            raise
        return BatchRowResult(
            row=row.row, key=row.key, topic=topic, status="existing", video_id=video_id
        )
    except ApiError as exc:
        status: Literal["refused", "error"] = (
            "refused" if exc.code in LIMIT_CODES or exc.status == 429 else "error"
        )
        log.info(
            "batch row not started",
            extra=fields(uid=uid, row=row.row, code=exc.code, status=status),
        )
        return BatchRowResult(
            row=row.row, key=row.key, topic=topic, status=status, video_id=None,
            error=ErrorBody(code=exc.code, message=exc.message, details=exc.details),
        )  # fmt: skip
    return BatchRowResult(
        row=row.row, key=row.key, topic=topic, status="created", video_id=video.id
    )


def validate_batch(*, platform: Platform, uid: str, request: BatchFileIn) -> BatchParse:
    """The file's rows and every row's errors (nothing is created)."""
    parsed = parse_batch(request.text, format=request.format, name=request.name)
    return check_rows(platform=platform, uid=uid, parsed=parsed)


def start_batch(
    *, platform: Platform, uid: str, request: BatchStartIn, enforce_limits: bool = True
) -> BatchStartOut:
    """Start the file's rows (or the chosen ones); 422 with every row error when one is bad.

    Each row is created once per key (a second start answers `existing`), and a
    row refused by the role's limits is answered as such while the others start.
    """
    parsed = validate_batch(platform=platform, uid=uid, request=request)
    wanted = set(request.rows) if request.rows is not None else None
    if wanted is not None:
        known = {r.row for r in parsed.rows} | {e.row for e in parsed.errors if e.row > 0}
        missing = sorted(n for n in wanted if n not in known)
        if missing:
            raise ValidationFailed(
                f"the file has no row {missing[0]}",
                code="batch_row_not_found",
                details=[
                    {"field": "body.rows", "message": f"no row {n}", "type": "missing"}
                    for n in missing
                ],
            )
    errors = [e for e in parsed.errors if e.row == 0 or wanted is None or e.row in wanted]
    if errors:
        raise ValidationFailed(
            f"the batch file has {len(errors)} error(s); fix them and start again",
            code="invalid_batch",
            details=[e.model_dump(mode="json") for e in errors],
        )
    results = [
        start_row(platform=platform, uid=uid, row=row, enforce_limits=enforce_limits)
        for row in parsed.rows
        if wanted is None or row.row in wanted
    ]
    counts = {s: sum(1 for r in results if r.status == s) for s in ("created", "existing")}
    return BatchStartOut(
        rows=results,
        created=counts["created"],
        existing=counts["existing"],
        refused=sum(1 for r in results if r.status == "refused"),
        errors=sum(1 for r in results if r.status == "error"),
    )
