"""Platform settings: feature flags and per-role limits, edited by an admin.

Each known key is one document `app_settings/{key}` validated by its own
pydantic schema; unknown keys are refused so a typo never silently does
nothing. Reads go through a short in-process cache (settings change rarely and
are read on every generation); a write in this process invalidates it at once,
other instances see it within `CACHE_TTL_S`.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from synthora.errors import NotFound, ValidationFailed, field_errors_from_pydantic
from synthora.logs import fields, get_logger
from synthora.platform import Platform

log = get_logger(__name__)

COLLECTION = "app_settings"
CACHE_TTL_S = 30.0


class RoleLimits(BaseModel):
    """What one role may do. `None` means unlimited."""

    model_config = ConfigDict(extra="forbid")

    daily_videos: int | None = Field(default=3, ge=0, le=10_000)
    max_concurrent: int | None = Field(default=1, ge=1, le=100)
    retention_days: int | None = Field(default=7, ge=1, le=3650)
    can_schedule: bool = False
    ai_suggestions: bool = False


class LimitsSetting(BaseModel):
    model_config = ConfigDict(extra="forbid")
    free: RoleLimits = RoleLimits()
    premium: RoleLimits = RoleLimits(
        daily_videos=20, max_concurrent=3, retention_days=30, can_schedule=True, ai_suggestions=True
    )
    admin: RoleLimits = RoleLimits(
        daily_videos=None,
        max_concurrent=None,
        retention_days=None,
        can_schedule=True,
        ai_suggestions=True,
    )


class FeatureFlags(BaseModel):
    model_config = ConfigDict(extra="forbid")
    signups_open: bool = True
    video_ai: bool = True
    social_posting: bool = True
    ai_suggestions: bool = True
    maintenance_mode: bool = False


class Announcement(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: str = Field(default="", max_length=500)
    level: str = Field(default="info", pattern=r"^(info|warning|critical)$")


SCHEMAS: dict[str, type[BaseModel]] = {
    "limits": LimitsSetting,
    "features": FeatureFlags,
    "announcement": Announcement,
}


class SettingOut(BaseModel):
    key: str
    value: dict[str, Any]
    is_default: bool
    updated_at: datetime | None = None
    updated_by: str | None = None


_cache: dict[tuple[int, str], tuple[float, SettingOut]] = {}
_lock = threading.Lock()


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _schema(key: str) -> type[BaseModel]:
    schema = SCHEMAS.get(key)
    if schema is None:
        raise NotFound(
            f"unknown setting {key!r}; known settings: {', '.join(sorted(SCHEMAS))}",
            code="unknown_setting",
        )
    return schema


def get_setting(*, platform: Platform, key: str) -> SettingOut:
    """One setting, its stored value merged over the defaults (cached briefly)."""
    schema = _schema(key)
    cache_key = (id(platform), key)
    now = time.monotonic()
    with _lock:
        hit = _cache.get(cache_key)
        if hit and now - hit[0] < CACHE_TTL_S:
            return hit[1]
    snap = platform.documents.collection(COLLECTION).document(key).get()
    data = snap.to_dict() or {}
    try:
        value = schema.model_validate(data.get("value") or {})
    except ValidationError as exc:
        # A stored value an older schema accepted (or a console edit with a wrong type)
        # must not break every request: the defaults apply, and the log says why.
        log.warning(
            "stored app setting is not valid; using the defaults",
            extra=fields(
                key=key,
                errors=[
                    ".".join(str(p) for p in e["loc"]) + ": " + e["msg"] for e in exc.errors()[:5]
                ],
            ),
        )
        value = schema()
    out = SettingOut(
        key=key,
        value=value.model_dump(mode="json"),
        is_default=not snap.exists,
        updated_at=data.get("updated_at"),
        updated_by=data.get("updated_by"),
    )
    with _lock:
        _cache[cache_key] = (now, out)
    return out


def get_limits(*, platform: Platform) -> LimitsSetting:
    return LimitsSetting.model_validate(get_setting(platform=platform, key="limits").value)


def get_features(*, platform: Platform) -> FeatureFlags:
    return FeatureFlags.model_validate(get_setting(platform=platform, key="features").value)


def get_announcement(*, platform: Platform) -> Announcement | None:
    """The announcement everyone sees (public config), or None when its message is empty."""
    value = Announcement.model_validate(get_setting(platform=platform, key="announcement").value)
    return value if value.message.strip() else None


def list_settings(*, platform: Platform) -> list[SettingOut]:
    return [get_setting(platform=platform, key=k) for k in sorted(SCHEMAS)]


def put_setting(
    *, platform: Platform, admin_uid: str, key: str, value: dict[str, Any]
) -> SettingOut:
    """Validate `value` against the key's schema and store it whole."""
    schema = _schema(key)
    try:
        parsed = schema.model_validate(value)
    except ValidationError as exc:
        raise ValidationFailed(
            f"invalid value for setting {key!r}",
            details=field_errors_from_pydantic(exc, location="body.value"),
        ) from exc
    platform.documents.collection(COLLECTION).document(key).set(
        {
            "value": parsed.model_dump(mode="json"),
            "updated_at": datetime.now(UTC),
            "updated_by": admin_uid,
        }
    )
    clear_cache()
    return get_setting(platform=platform, key=key)


def reset_setting(*, platform: Platform, admin_uid: str, key: str) -> SettingOut:
    """Delete the stored value so the defaults apply again."""
    _schema(key)
    platform.documents.collection(COLLECTION).document(key).delete()
    clear_cache()
    return get_setting(platform=platform, key=key)
