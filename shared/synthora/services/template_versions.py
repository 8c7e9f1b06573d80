"""System template management for admins: version history, restore, retire, config preview.

Every edit of a system template (`templates.update_template`) keeps the state it
replaced and the new one in `templates/{id}/versions/v{n}` (name, description,
category, tags, platforms, config, who saved it and when). Restoring a version
is an edit like any other: the template gets that version's content under a new
version number, so nothing in the history is lost.

Retiring hides a system template from new videos (the lists and
`get_template_for_generation` leave it out); videos already made from it keep
working, because a video keeps its own copy of the config it was made with.

The preview is the config the pipeline would use: the stored config validated,
with every default filled in, and the fields where it differs from the
template's current config (for a version).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from synthora.errors import Conflict, NotFound
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import DocumentRef, Snapshot, is_document_id
from synthora.services import templates
from synthora.templates.config import TemplateConfig

log = get_logger(__name__)


class TemplateVersionOut(BaseModel):
    version: int
    name: str
    description: str = ""
    category: str | None = None
    tags: list[str] = Field(default_factory=list)
    platforms: list[str] = Field(default_factory=list)
    config: dict[str, Any]
    saved_at: datetime | None = None
    saved_by: str | None = None
    note: str | None = None
    current: bool = False


class TemplateVersionList(BaseModel):
    template_id: str
    current_version: int
    items: list[TemplateVersionOut]


class RetireRequest(BaseModel):
    retired: bool = Field(description="True hides it from new videos; False brings it back.")


class ConfigPreview(BaseModel):
    template_id: str
    version: int
    config: TemplateConfig = Field(description="The config with every default filled in.")
    seconds_per_scene: float
    filled_by_default: list[str] = Field(
        description="Fields the stored config leaves out (the defaults apply)."
    )
    differs_from_current: list[str] = Field(
        default_factory=list, description="Fields where this version differs from the current."
    )


def version_number(value: str) -> int:
    """A version as written in a path ("3"); anything else names no version (404)."""
    if not value.isascii() or not value.isdigit() or len(value) > 7 or int(value) < 1:
        raise NotFound(f"no version {value[:20]!r}", code="version_not_found")
    return int(value)


def _system(platform: Platform, template_id: str) -> Snapshot:
    if not is_document_id(template_id):
        raise NotFound("template not found", code="template_not_found")
    snap = platform.documents.collection(templates.COLLECTION).document(template_id).get()
    if not snap.exists or not snap.get("is_system"):
        raise NotFound("no such system template", code="template_not_found")
    return snap


def _version_out(data: dict[str, Any], current: int) -> TemplateVersionOut:
    out = TemplateVersionOut.model_validate(
        {**data, "name": data.get("name") or "", "config": data.get("config") or {}}
    )
    out.current = out.version == current
    return out


def list_versions(*, platform: Platform, template_id: str) -> TemplateVersionList:
    snap = _system(platform, template_id)
    current = int(snap.get("version", 1))
    snaps = snap.reference.collection(templates.VERSIONS).get()
    items = sorted(
        (_version_out(s.to_dict() or {}, current) for s in snaps),
        key=lambda v: v.version,
        reverse=True,
    )
    if not any(v.current for v in items):
        # never edited since versions are kept: the current state is the only version
        data = snap.to_dict() or {}
        items.insert(
            0,
            _version_out(
                {
                    **{k: data.get(k) for k in templates.VERSIONED_FIELDS},
                    "version": current,
                    "saved_at": data.get("updated_at"),
                },
                current,
            ),
        )
    return TemplateVersionList(template_id=template_id, current_version=current, items=items)


def _version_ref(platform: Platform, template_id: str, version: int) -> DocumentRef:
    ref = platform.documents.collection(templates.COLLECTION).document(template_id)
    return templates.version_ref(ref, version)


def get_version(*, platform: Platform, template_id: str, version: int) -> TemplateVersionOut:
    listed = list_versions(platform=platform, template_id=template_id)
    for item in listed.items:
        if item.version == version:
            return item
    raise NotFound(f"version {version} is not in the history", code="version_not_found")


def restore_version(
    *, platform: Platform, admin_uid: str, template_id: str, version: int
) -> templates.TemplateOut:
    """Put a version's content back, as a new version (the history keeps everything)."""
    chosen = get_version(platform=platform, template_id=template_id, version=version)
    if chosen.current:
        raise Conflict(f"version {version} is the current version", code="already_current")
    request = templates.UpdateTemplateRequest.model_validate(
        {
            "name": chosen.name,
            "description": chosen.description,
            "tags": chosen.tags,
            "config": chosen.config,
            **({"category": chosen.category} if chosen.category else {}),
            **({"platforms": chosen.platforms} if chosen.platforms else {}),
        }
    )
    out = templates.update_template(
        platform=platform,
        uid=admin_uid,
        is_admin=True,
        template_id=template_id,
        request=request,
        note=f"restored from version {version}",
    )
    log.info(
        "template version restored",
        extra=fields(template_id=template_id, version=version, by=admin_uid),
    )
    return out


def set_retired(
    *, platform: Platform, admin_uid: str, template_id: str, retired: bool
) -> templates.TemplateOut:
    snap = _system(platform, template_id)
    now = datetime.now(UTC)
    snap.reference.update(
        {"retired": retired, "retired_at": now if retired else None, "updated_at": now}
    )
    log.info(
        "template retired" if retired else "template back in use",
        extra=fields(template_id=template_id, by=admin_uid),
    )
    return templates.to_out(snap.reference.get(), uid=admin_uid, is_admin=True)


def _paths(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(_paths(inner, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def preview(*, platform: Platform, template_id: str, version: int | None = None) -> ConfigPreview:
    """The config the pipeline would use for the template (or one of its versions)."""
    snap = _system(platform, template_id)
    current_config = dict(snap.get("config") or {})
    if version is None:
        number, stored = int(snap.get("version", 1)), current_config
    else:
        chosen = get_version(platform=platform, template_id=template_id, version=version)
        number, stored = chosen.version, chosen.config
    config = templates.check_config(stored)
    full = _paths(config.model_dump(mode="json"))
    given = _paths(stored)
    current_full = _paths(templates.check_config(current_config).model_dump(mode="json"))
    return ConfigPreview(
        template_id=template_id,
        version=number,
        config=config,
        seconds_per_scene=round(config.seconds_per_scene, 2),
        filled_by_default=sorted(p for p in full if p not in given),
        differs_from_current=sorted(
            p for p in set(full) | set(current_full) if full.get(p) != current_full.get(p)
        ),
    )
