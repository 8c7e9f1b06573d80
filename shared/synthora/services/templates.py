"""Templates: system (seeded), public and personal video templates.

Storage: `templates/{id}` (see `docs/integrations.md`, "Templates"):

    name, description, category, tags, platforms,
    owner_id (None for system), is_system, is_public,
    config (TemplateConfig dump), version, system_version (seeded ones),
    created_at, updated_at, usage_count,
    # derived, for queries only:
    audience: ["all"] (system, public) + "owner:{uid}" (user templates)
    rank: 0 system / 1 others          name_lower: str

System templates are stored with `owner_id: None` and `is_public: True`.

Access rules:

- read: system and public templates for everyone signed in; a private one
  only for its owner (anybody else, admins included, gets 404 so ids don't leak);
- write (PATCH/DELETE): system templates by admins only (403 for others);
  a user template by its owner; a *public* one also by admins (moderation);
  a public template of someone else is 403 (it is visible, so 403 leaks nothing);
- seeded system templates cannot be deleted (they would come back at the
  next start); admins edit them, and a newer seeded content version replaces
  the edit.

Listing: one query over `audience` (array-contains-any of "all" and
"owner:{uid}") with the category as an equality filter, ordered system first
then by name; the platform and text filters apply while scanning, so pages
never repeat or skip items, and a page may come back short (with a cursor)
when a scan limit is reached.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator

from synthora.errors import ApiError, Conflict, Forbidden, NotFound, ValidationFailed
from synthora.http.bodies import PatchBody
from synthora.http.pagination import Page, PageQuery, decode_cursor, encode_cursor
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import (
    ASCENDING,
    DESCENDING,
    DocumentRef,
    Increment,
    Query,
    Snapshot,
    Transaction,
    auto_id,
    is_document_id,
)
from synthora.ports.documents import NotFound as DocumentMissing
from synthora.templates import system as system_templates
from synthora.templates.config import (
    MAX_TAGS,
    TargetPlatform,
    TemplateCategory,
    TemplateConfig,
    TemplateMetadata,
)
from synthora.templates.validation import TemplateValidationError, validate_template_config

log = get_logger(__name__)

COLLECTION = "templates"
# Bounds shared with `TemplateMetadata` (the template module owns them).
MAX_NAME = TemplateMetadata.model_fields["name"].metadata[-1].max_length
MAX_DESCRIPTION = TemplateMetadata.model_fields["description"].metadata[-1].max_length
MAX_TAG = 40
MAX_SEARCH = 100
#: Documents one list request may scan while applying the platform/text filters.
MAX_SCAN = 500
_COPY_PREFIX = "Copy of "


# --------------------------------------------------------------------------- models


def _clean_tags(value: list[str]) -> list[str]:
    out: list[str] = []
    for tag in value:
        tag = tag.strip().lower()
        if tag and tag not in out:
            out.append(tag)
    return out


class TemplateOut(BaseModel):
    id: str
    name: str
    description: str
    category: TemplateCategory
    tags: list[str]
    platforms: list[TargetPlatform]
    owner_id: str | None
    is_system: bool
    is_public: bool
    config: TemplateConfig
    version: int
    system_version: int | None = None
    usage_count: int
    created_at: datetime
    updated_at: datetime
    can_edit: bool = Field(description="Whether the caller may change or delete it.")
    retired: bool = Field(
        default=False,
        description="A retired system template makes no new videos; existing ones keep working.",
    )


class SkippedRecord(BaseModel):
    """A stored template the read model refuses: left out of the list, and logged."""

    id: str
    reason: str


class TemplatePage(Page[TemplateOut]):
    skipped: list[SkippedRecord] = Field(
        default_factory=list,
        description="Stored templates on this page that could not be read (logged for the"
        " operator); the rest of the list is still served.",
    )


class TemplateConfigOut(BaseModel):
    """What the pipeline reads: the config and the version it came from."""

    id: str
    name: str
    version: int
    config: TemplateConfig


class CreateTemplateRequest(TemplateMetadata):
    """A new template: metadata (name, description, category, tags, is_public) and config.

    Unknown keys are refused (422), like in the config itself.
    """

    platforms: list[TargetPlatform] | None = Field(
        default=None,
        max_length=4,
        description="Where it is meant to be posted; defaults to the config's target platforms.",
    )
    is_system: bool = Field(default=False, description="Admins only.")
    config: dict[str, Any] = Field(description="The TemplateConfig; validated in full.")

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        # TemplateMetadata strips after its length check, so "   " would pass it.
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("platforms")
    @classmethod
    def _platforms(cls, value: list[TargetPlatform] | None) -> list[TargetPlatform] | None:
        return list(dict.fromkeys(value)) if value is not None else None


class UpdateTemplateRequest(PatchBody):
    """Partial update: only the fields sent change; `config` is merged, then re-validated.

    A field left out keeps its value; none of them may be sent as null.
    """

    at_least_one = True

    name: str | None = Field(default=None, min_length=1, max_length=MAX_NAME, pattern=r"\S")
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION)
    category: TemplateCategory | None = None
    tags: list[str] | None = Field(default=None, max_length=MAX_TAGS)
    platforms: list[TargetPlatform] | None = Field(default=None, max_length=4)
    is_public: bool | None = None
    config: dict[str, Any] | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        if any(len(tag) > MAX_TAG for tag in value):
            raise ValueError(f"each tag is at most {MAX_TAG} characters")
        return _clean_tags(value)

    @field_validator("platforms")
    @classmethod
    def _platforms(cls, value: list[TargetPlatform] | None) -> list[TargetPlatform] | None:
        return list(dict.fromkeys(value)) if value is not None else None


class TemplateFilter(BaseModel):
    category: TemplateCategory | None = None
    platform: TargetPlatform | None = None
    search: str | None = Field(default=None, max_length=MAX_SEARCH)


class ListTemplatesQuery(PageQuery):
    category: TemplateCategory | None = None
    platform: TargetPlatform | None = None
    search: str | None = Field(
        default=None,
        max_length=MAX_SEARCH,
        description="Case-insensitive text in the name, description or tags.",
    )


class CountItem(BaseModel):
    id: str
    name: str
    usage_count: int
    is_system: bool


class TemplateStats(BaseModel):
    total: int
    system: int
    user: int
    public: int
    by_category: dict[str, int]
    most_used: list[CountItem]


class SeedReport(BaseModel):
    inserted: list[str] = Field(default_factory=list)
    upgraded: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)


class TemplateSnapshot(BaseModel):
    """The template a video is generated from, frozen at the time of the request."""

    id: str
    name: str
    version: int
    config: TemplateConfig


class SystemTemplateSpec(BaseModel):
    """A seeded system template, as `synthora.templates.system` defines it."""

    id: str
    name: str
    description: str
    category: TemplateCategory
    tags: list[str]
    platforms: list[TargetPlatform]
    content_version: int
    config: dict[str, Any]


# --------------------------------------------------------------------------- helpers


def _now() -> datetime:
    return datetime.now(UTC)


def _ref(platform: Platform, template_id: str) -> DocumentRef:
    return platform.documents.collection(COLLECTION).document(template_id)


def _audience(*, is_system: bool, is_public: bool, owner_id: str | None) -> list[str]:
    out: list[str] = []
    if is_system or is_public:
        out.append("all")
    if owner_id:
        out.append(f"owner:{owner_id}")
    return out


def _derived(data: dict[str, Any]) -> dict[str, Any]:
    """The query-only fields, recomputed whenever what they derive from changes."""
    return {
        "audience": _audience(
            is_system=bool(data.get("is_system")),
            is_public=bool(data.get("is_public")),
            owner_id=data.get("owner_id"),
        ),
        "rank": 0 if data.get("is_system") else 1,
        "name_lower": str(data.get("name", "")).lower(),
    }


def validation_details(
    exc: TemplateValidationError, *, prefix: str = "body.config"
) -> list[dict[str, Any]]:
    """Field errors of a `TemplateValidationError`, their paths under `prefix`."""
    raw: Any = getattr(exc, "errors", None)
    if callable(raw):
        raw = raw()
    if raw is None:
        raw = getattr(exc, "details", None)
    items: list[dict[str, Any]] = []
    for item in raw or []:
        data = item.model_dump(mode="json") if isinstance(item, BaseModel) else dict(item)
        field = str(data.get("field") or data.get("path") or data.get("loc") or "")
        data["field"] = f"{prefix}.{field}" if field else prefix
        items.append(data)
    return items or [{"field": prefix, "message": str(exc)}]


def check_config(config: dict[str, Any]) -> TemplateConfig:
    """The validated config; 422 with every field error otherwise."""
    try:
        return validate_template_config(config)
    except TemplateValidationError as exc:
        raise ValidationFailed(
            "the template config is not valid",
            code="invalid_template_config",
            details=validation_details(exc),
        ) from None


def _can_edit(data: dict[str, Any], *, uid: str, is_admin: bool) -> bool:
    if data.get("is_system"):
        return is_admin
    if data.get("owner_id") == uid:
        return True
    return is_admin and bool(data.get("is_public"))


def _readable(data: dict[str, Any], *, uid: str) -> bool:
    return bool(data.get("is_system") or data.get("is_public") or data.get("owner_id") == uid)


def to_out(snap: Snapshot, *, uid: str, is_admin: bool) -> TemplateOut:
    data = snap.to_dict() or {}
    return TemplateOut(
        id=snap.id,
        name=data["name"],
        description=data.get("description", ""),
        category=data.get("category", TemplateCategory.OTHER),
        tags=list(data.get("tags") or []),
        platforms=list(data.get("platforms") or []),
        owner_id=data.get("owner_id"),
        is_system=bool(data.get("is_system")),
        is_public=bool(data.get("is_public")),
        config=dict(data.get("config") or {}),
        version=int(data.get("version", 1)),
        system_version=data.get("system_version"),
        usage_count=int(data.get("usage_count", 0)),
        created_at=data["created_at"],
        updated_at=data["updated_at"],
        can_edit=_can_edit(data, uid=uid, is_admin=is_admin),
        retired=bool(data.get("retired")),
    )


def _page(
    snaps: list[Snapshot], *, uid: str, is_admin: bool, next_cursor: str | None
) -> TemplatePage:
    """A page of templates; a stored record that does not validate is skipped and reported."""
    items: list[TemplateOut] = []
    skipped: list[SkippedRecord] = []
    for snap in snaps:
        try:
            items.append(to_out(snap, uid=uid, is_admin=is_admin))
        except (ValidationError, KeyError, TypeError, ValueError) as exc:
            reason = _unreadable_reason(exc)
            log.warning(
                "stored template does not fit the read model; left out of the list",
                extra=fields(template_id=snap.id, reason=reason),
            )
            skipped.append(SkippedRecord(id=snap.id, reason=reason))
    return TemplatePage(
        items=items, next_cursor=next_cursor, has_more=next_cursor is not None, skipped=skipped
    )


def _unreadable_reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in exc.errors(include_url=False)[:5]
        )
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]}"
    return str(exc)[:200]


def _load_readable(platform: Platform, *, uid: str, template_id: str) -> Snapshot:
    """The template if the caller may see it; 404 otherwise (private ids never leak)."""
    if not is_document_id(template_id):
        raise NotFound("template not found", code="template_not_found")
    ensure_system_templates(platform=platform)
    snap = _ref(platform, template_id).get()
    if not snap.exists or not _readable(snap.to_dict() or {}, uid=uid):
        raise NotFound("template not found", code="template_not_found")
    return snap


def _load_writable(platform: Platform, *, uid: str, is_admin: bool, template_id: str) -> Snapshot:
    snap = _load_readable(platform, uid=uid, template_id=template_id)
    data = snap.to_dict() or {}
    if not _can_edit(data, uid=uid, is_admin=is_admin):
        if data.get("is_system"):
            raise Forbidden(
                "system templates are read-only; duplicate it to make your own version",
                code="system_template_read_only",
            )
        raise Forbidden(
            "only the template's owner can change it; duplicate it to make your own version",
            code="not_template_owner",
        )
    return snap


# --------------------------------------------------------------------------- reads


def _matches(data: dict[str, Any], flt: TemplateFilter) -> bool:
    if flt.platform is not None and flt.platform.value not in (data.get("platforms") or []):
        return False
    if flt.search:
        needle = flt.search.strip().lower()
        haystack = " ".join(
            [str(data.get("name", "")), str(data.get("description", "")), *(data.get("tags") or [])]
        ).lower()
        if needle not in haystack:
            return False
    return True


def _scan_page(
    query: Query,
    *,
    order_by: list[tuple[str, Any]],
    limit: int,
    cursor: str | None,
    keep: Callable[[dict[str, Any]], bool],
) -> tuple[list[Snapshot], str | None]:
    """One page of `query` items passing `keep`, scanning at most `MAX_SCAN` documents.

    The cursor always points at the last document *scanned and decided*, so a
    page cut short by the scan limit resumes exactly where it stopped.
    """
    q = query
    for field_path, direction in order_by:
        q = q.order_by(field_path, direction)
    after: list[Any] | None = None
    if cursor:
        values, doc_id = decode_cursor(cursor, expected_values=len(order_by))
        after = [*values, doc_id]
    kept: list[Snapshot] = []
    scanned = 0
    last: Snapshot | None = None
    batch = max(limit * 2, 20)
    while True:
        page_q = q.start_after(after) if after is not None else q
        want = min(batch, MAX_SCAN - scanned)
        snaps = page_q.limit(want).get()
        for snap in snaps:
            if keep(snap.to_dict() or {}):
                if len(kept) == limit:
                    # a further match exists: this page is full and there is more
                    return kept, _cursor_at(last, order_by)
                kept.append(snap)
            scanned += 1
            last = snap
        if len(snaps) < want:
            return kept, None  # the query is exhausted
        if scanned >= MAX_SCAN:
            # scan budget spent: hand back what matched, resume after the last scanned
            return kept, _cursor_at(last, order_by)
        after = [*(last.get(f) for f, _ in order_by), last.id]  # type: ignore[union-attr]


def _cursor_at(snap: Snapshot | None, order_by: list[tuple[str, Any]]) -> str | None:
    if snap is None:
        return None
    return encode_cursor([snap.get(f) for f, _ in order_by], snap.id)


def list_accessible(
    *,
    platform: Platform,
    uid: str,
    is_admin: bool = False,
    filters: TemplateFilter,
    limit: int = 20,
    cursor: str | None = None,
) -> TemplatePage:
    """System, public and my templates; system first, then by name."""
    ensure_system_templates(platform=platform)
    query: Query = platform.documents.collection(COLLECTION).where(
        "audience", "array-contains-any", ["all", f"owner:{uid}"]
    )
    if filters.category is not None:
        query = query.where("category", "==", filters.category.value)
    snaps, next_cursor = _scan_page(
        query,
        order_by=[("rank", ASCENDING), ("name_lower", ASCENDING)],
        limit=limit,
        cursor=cursor,
        keep=lambda data: _matches(data, filters) and (is_admin or not data.get("retired")),
    )
    return _page(snaps, uid=uid, is_admin=is_admin, next_cursor=next_cursor)


def list_system(*, platform: Platform, uid: str, is_admin: bool = False) -> list[TemplateOut]:
    """The system templates, by name (a handful: no paging)."""
    ensure_system_templates(platform=platform)
    snaps = platform.documents.collection(COLLECTION).where("is_system", "==", True).get()
    snaps = [s for s in snaps if is_admin or not s.get("retired")]
    snaps = sorted(snaps, key=lambda s: (str(s.get("name_lower", "")), s.id))
    return _page(snaps, uid=uid, is_admin=is_admin, next_cursor=None).items


def list_mine(
    *, platform: Platform, uid: str, limit: int = 20, cursor: str | None = None
) -> TemplatePage:
    """My own templates, newest first."""
    snaps, next_cursor = _scan_page(
        platform.documents.collection(COLLECTION).where("owner_id", "==", uid),
        order_by=[("created_at", DESCENDING)],
        limit=limit,
        cursor=cursor,
        keep=lambda data: not data.get("is_system"),
    )
    return _page(snaps, uid=uid, is_admin=False, next_cursor=next_cursor)


def get_template(
    *, platform: Platform, uid: str, is_admin: bool = False, template_id: str
) -> TemplateOut:
    snap = _load_readable(platform, uid=uid, template_id=template_id)
    return to_out(snap, uid=uid, is_admin=is_admin)


def get_template_config(*, platform: Platform, uid: str, template_id: str) -> TemplateConfigOut:
    snap = _load_readable(platform, uid=uid, template_id=template_id)
    return TemplateConfigOut(
        id=snap.id,
        name=snap.get("name"),
        version=int(snap.get("version", 1)),
        config=dict(snap.get("config") or {}),
    )


# --------------------------------------------------------------------------- writes


def create_template(
    *, platform: Platform, uid: str, is_admin: bool, request: CreateTemplateRequest
) -> TemplateOut:
    """A personal template (or, for admins, a system one)."""
    if request.is_system and not is_admin:
        raise Forbidden("only administrators create system templates", code="admin_only")
    config = check_config(request.config)
    platforms = (
        request.platforms if request.platforms is not None else config.platform.target_platforms
    )
    now = _now()
    data: dict[str, Any] = {
        "name": request.name,
        "description": request.description,
        "category": request.category.value,
        "tags": request.tags,
        "platforms": [p.value for p in platforms],
        "owner_id": None if request.is_system else uid,
        "is_system": request.is_system,
        # system templates are visible to everyone
        "is_public": True if request.is_system else request.is_public,
        "config": config.model_dump(mode="json"),
        "version": 1,
        "system_version": None,
        "usage_count": 0,
        "created_at": now,
        "updated_at": now,
    }
    data.update(_derived(data))
    ref = _ref(platform, auto_id())
    ref.create(data)
    log.info("template created", extra=fields(uid=uid, template_id=ref.id))
    return to_out(ref.get(), uid=uid, is_admin=is_admin)


VERSIONS = "versions"
#: The fields a version keeps (and a restore puts back).
VERSIONED_FIELDS = ("name", "description", "category", "tags", "platforms", "config")


def version_ref(ref: DocumentRef, version: int) -> DocumentRef:
    return ref.collection(VERSIONS).document(f"v{version:06d}")


def record_versions(
    tx: Transaction,
    ref: DocumentRef,
    *,
    before: dict[str, Any],
    after: dict[str, Any],
    by: str,
    at: datetime,
    note: str | None = None,
) -> None:
    """`templates/{id}/versions/v{n}`: the state before the edit (once) and the new one."""
    number = int(before.get("version", 1))
    previous = version_ref(ref, number)
    if not tx.get(previous).exists:
        tx.set(
            previous,
            {
                **{k: before.get(k) for k in VERSIONED_FIELDS},
                "version": number,
                "saved_at": before.get("updated_at") or at,
                "saved_by": None,
                "note": "before the first recorded edit",
            },
        )
    tx.set(
        version_ref(ref, number + 1),
        {
            **{k: after.get(k) for k in VERSIONED_FIELDS},
            "version": number + 1,
            "saved_at": at,
            "saved_by": by,
            "note": note,
        },
    )


def _merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge `patch` into `base` (nested objects merged, anything else replaced)."""
    out = dict(base)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def update_template(
    *,
    platform: Platform,
    uid: str,
    is_admin: bool,
    template_id: str,
    request: UpdateTemplateRequest,
    note: str | None = None,
) -> TemplateOut:
    """Change what was sent; the merged config is validated in full; version + 1.

    A system template's edit is kept in its version history (`record_versions`)."""
    changes = request.changes()
    if not changes:
        raise ValidationFailed(
            "send at least one field to change",
            details=[{"field": "body", "message": "nothing to update"}],
        )
    snap = _load_writable(platform, uid=uid, is_admin=is_admin, template_id=template_id)
    if snap.get("is_system") and changes.get("is_public") is False:
        raise ValidationFailed(
            "system templates are always visible to everyone",
            details=[{"field": "body.is_public", "message": "not settable on system templates"}],
        )
    if "config" in changes:
        merged = _merge(dict(snap.get("config") or {}), changes["config"])
        changes["config"] = check_config(merged).model_dump(mode="json")
    ref = snap.reference

    def run(tx: Transaction) -> None:
        current = tx.get(ref)
        if not current.exists:
            raise NotFound("template not found", code="template_not_found")
        before = current.to_dict() or {}
        data = {**before, **changes}
        now = _now()
        updates = {**changes, **_derived(data), "updated_at": now, "version": Increment(1)}
        if before.get("is_system"):
            record_versions(tx, ref, before=before, after=data, by=uid, at=now, note=note)
        tx.update(ref, updates)

    platform.documents.run_transaction(run)
    return to_out(ref.get(), uid=uid, is_admin=is_admin)


def delete_template(*, platform: Platform, uid: str, is_admin: bool, template_id: str) -> None:
    snap = _load_writable(platform, uid=uid, is_admin=is_admin, template_id=template_id)
    if snap.get("system_version") is not None:
        raise Conflict(
            "seeded system templates cannot be deleted (they are restored at start-up); "
            "edit it instead",
            code="seeded_template",
        )
    snap.reference.delete()
    log.info("template deleted", extra=fields(uid=uid, template_id=template_id))


def duplicate_template(*, platform: Platform, uid: str, template_id: str) -> TemplateOut:
    """A private copy in my collection, named "Copy of ..."."""
    snap = _load_readable(platform, uid=uid, template_id=template_id)
    source = snap.to_dict() or {}
    now = _now()
    name = f"{_COPY_PREFIX}{source.get('name', '')}"[:MAX_NAME]
    data: dict[str, Any] = {
        "name": name,
        "description": source.get("description", ""),
        "category": source.get("category", TemplateCategory.OTHER.value),
        "tags": list(source.get("tags") or []),
        "platforms": list(source.get("platforms") or []),
        "owner_id": uid,
        "is_system": False,
        "is_public": False,
        "config": dict(source.get("config") or {}),
        "version": 1,
        "system_version": None,
        "usage_count": 0,
        "duplicated_from": snap.id,
        "created_at": now,
        "updated_at": now,
    }
    data.update(_derived(data))
    ref = _ref(platform, auto_id())
    ref.create(data)
    return to_out(ref.get(), uid=uid, is_admin=False)


# --------------------------------------------------------------------------- seeding


def system_template_specs() -> list[SystemTemplateSpec]:
    """The seeded system templates (`synthora.templates.system`), as stored here."""
    return [
        SystemTemplateSpec(
            id=t.id,
            name=t.name,
            description=t.description,
            category=t.category,
            tags=_clean_tags(list(t.tags)),
            platforms=list(t.platforms),
            content_version=t.version,
            config=t.config.model_dump(mode="json"),
        )
        for t in system_templates.SYSTEM_TEMPLATES
    ]


def seed_system_templates(*, platform: Platform) -> SeedReport:
    """Insert missing system templates and upgrade those whose content version rose.

    Never duplicates (stable ids), never touches `usage_count` or `created_at`.
    """
    report = SeedReport()
    for spec in system_template_specs():
        config = check_config(spec.config).model_dump(mode="json")
        ref = _ref(platform, spec.id)
        content: dict[str, Any] = {
            "name": spec.name,
            "description": spec.description,
            "category": spec.category.value,
            "tags": spec.tags,
            "platforms": [p.value for p in spec.platforms],
            "owner_id": None,
            "is_system": True,
            "is_public": True,
            "config": config,
            "system_version": spec.content_version,
        }
        content.update(_derived(content))

        def run(tx: Transaction, ref: DocumentRef = ref, content: dict[str, Any] = content) -> str:
            current = tx.get(ref)
            now = _now()
            if not current.exists:
                tx.create(
                    ref,
                    {
                        **content,
                        "version": 1,
                        "usage_count": 0,
                        "created_at": now,
                        "updated_at": now,
                    },
                )
                return "inserted"
            if int(current.get("system_version") or 0) >= int(content["system_version"]):
                return "unchanged"
            tx.update(ref, {**content, "version": Increment(1), "updated_at": now})
            return "upgraded"

        outcome = platform.documents.run_transaction(run)
        getattr(report, outcome).append(spec.id)
    if report.inserted or report.upgraded:
        log.info(
            "system templates seeded",
            extra=fields(inserted=report.inserted, upgraded=report.upgraded),
        )
    return report


def seed_at_startup(platform: Platform) -> None:
    """The start-up hook (listed in `synthora.local.startup.STARTUP_HOOKS`)."""
    seed_system_templates(platform=platform)
    _seeded.add(platform)


# Platforms already seeded in this process (weak: a test's platform may go away).
_seeded: weakref.WeakSet[Platform] = weakref.WeakSet()
_seed_lock = threading.Lock()


def ensure_system_templates(*, platform: Platform) -> None:
    """Seed once per process and platform before the first read.

    The local gateway seeds at start (`local.startup.STARTUP_HOOKS`); a Cloud Run instance has
    no start-up hook, so its first template read seeds instead (five cheap
    reads when nothing changed) and a fresh deployment never shows an empty
    template list.
    """
    if platform in _seeded:
        return
    with _seed_lock:
        if platform in _seeded:
            return
        seed_system_templates(platform=platform)
        _seeded.add(platform)


# --------------------------------------------------------------------------- stats


def template_stats(*, platform: Platform, most_used: int = 10) -> TemplateStats:
    """Counts by category, system vs user, public, and the most used templates."""
    col = platform.documents.collection(COLLECTION)
    total = col.count()
    system = col.where("is_system", "==", True).count()
    # system templates are stored public too; `public` counts users' shared ones
    public = col.where("is_public", "==", True).count() - system
    by_category = {c.value: col.where("category", "==", c.value).count() for c in TemplateCategory}
    top = col.order_by("usage_count", DESCENDING).limit(most_used).get()
    return TemplateStats(
        total=total,
        system=system,
        user=total - system,
        public=public,
        by_category=by_category,
        most_used=[
            CountItem(
                id=s.id,
                name=str(s.get("name", "")),
                usage_count=int(s.get("usage_count", 0)),
                is_system=bool(s.get("is_system")),
            )
            for s in top
        ],
    )


# --------------------------------------------------------------------------- pipeline API


class TemplateUnusable(ApiError):
    """A stored template whose config no longer validates."""

    status = 409
    code = "template_config_invalid"


def get_template_for_generation(
    *, platform: Platform, uid: str, template_id: str
) -> TemplateSnapshot:
    """The template to generate from, if `uid` may use it (404 otherwise)."""
    snap = _load_readable(platform, uid=uid, template_id=template_id)
    if snap.get("retired"):
        raise Conflict(
            "this template is retired; pick another template",
            code="template_retired",
        )
    try:
        config = validate_template_config(dict(snap.get("config") or {}))
    except TemplateValidationError as exc:
        raise TemplateUnusable(
            "this template's config is no longer valid; edit it or pick another template",
            details=validation_details(exc, prefix="config"),
        ) from None
    return TemplateSnapshot(
        id=snap.id, name=str(snap.get("name")), version=int(snap.get("version", 1)), config=config
    )


def record_template_use(*, platform: Platform, template_id: str) -> None:
    """Count one more video made from the template (a deleted one is ignored)."""
    if not is_document_id(template_id):
        return
    with contextlib.suppress(DocumentMissing):
        _ref(platform, template_id).update({"usage_count": Increment(1)})
