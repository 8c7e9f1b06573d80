"""User management: one's own profile, and the admin's view of every user.

Admin lists are served by indexed queries (prefix search on the lower-cased
email or name, role and status filters, cursor pagination) and counts by
aggregation; nothing here reads every user document.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, UrlConstraints

from synthora.errors import BadRequest, Conflict, Forbidden, ValidationFailed
from synthora.http.bodies import PatchBody
from synthora.http.pagination import paginate
from synthora.identity import mirror_role_claim
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import ASCENDING, DESCENDING
from synthora.services.accounts import UserOut, get_user, user_out
from synthora.services.mail.service import EmailCategory
from synthora.services.notifications import NotificationType
from synthora.services.user_records import (
    ROLES,
    Role,
    UserField,
    record_of,
    user_ref,
    users,
)

log = get_logger(__name__)


class NotificationPreferencesPatch(BaseModel):
    """Notification preferences as sent: only known types can be muted."""

    model_config = ConfigDict(extra="forbid")

    muted_types: list[NotificationType] = Field(default_factory=list, max_length=20)
    email: bool = True
    email_unsubscribed: list[EmailCategory] = Field(
        default_factory=list,
        max_length=10,
        description="Email categories turned off while email is on (an unsubscribe link adds "
        "one); omitted = none.",
    )


class ProfilePatch(PatchBody):
    """The fields to change; a field left out keeps its value, none may be null."""

    display_name: str | None = Field(default=None, min_length=1, max_length=100, pattern=r"\S")
    photo_url: Annotated[HttpUrl, UrlConstraints(max_length=1000)] | None = Field(
        default=None, description="Avatar URL (http or https, at most 1000 characters)."
    )
    notifications: NotificationPreferencesPatch | None = None
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    provider_fallback: bool | None = Field(
        default=None,
        description="Let a failing step use the next runnable provider (on by default).",
    )


class UserPage(BaseModel):
    items: list[UserOut]
    next_cursor: str | None = None
    has_more: bool = False


class UserStatsOut(BaseModel):
    total: int
    active: int
    disabled: int
    by_role: dict[str, int]


def update_profile(*, platform: Platform, uid: str, patch: ProfilePatch) -> UserOut:
    """Change one's own display name, avatar and preferences."""
    ref = user_ref(platform, uid)
    snap = ref.get()
    if not snap.exists:
        raise Conflict(
            "sign in first (POST /api/v1/auth/login) to create your profile",
            code="user_not_initialised",
        )
    update: dict[str, Any] = {"updated_at": datetime.now(UTC)}
    if patch.display_name is not None:
        name = patch.display_name.strip()
        if not name:
            raise ValidationFailed(
                "display_name cannot be blank",
                details=[{"field": "body.display_name", "message": "blank"}],
            )
        update.update(display_name=name, display_name_lower=name.lower())
    if patch.photo_url is not None:
        if patch.photo_url.scheme not in ("http", "https"):  # HttpUrl: only these; kept as a guard
            raise BadRequest("photo_url must be an http(s) URL")
        update["photo_url"] = str(patch.photo_url)
    if patch.notifications is not None:
        known = {t.value for t in NotificationType}
        bad = [t for t in patch.notifications.muted_types if t not in known]
        if bad:
            raise ValidationFailed(
                f"unknown notification types: {', '.join(bad)}",
                details=[{"field": "body.notifications.muted_types", "message": "unknown type"}],
            )
        prefs = patch.notifications.model_dump(mode="json")
        if "email_unsubscribed" in patch.notifications.model_fields_set:
            prefs["email_unsubscribed"] = sorted(set(prefs["email_unsubscribed"]))
        else:  # a client that does not know the field keeps what an unsubscribe link set
            stored = record_of(snap.to_dict()).preferences.notifications
            prefs["email_unsubscribed"] = stored.email_unsubscribed
        update[UserField.NOTIFICATION_PREFERENCES] = prefs
    if patch.language is not None:
        update[UserField.LANGUAGE] = patch.language
    if patch.provider_fallback is not None:
        update[UserField.PROVIDER_FALLBACK] = patch.provider_fallback
    ref.update(update)
    return user_out(uid, ref.get().to_dict() or {})


def list_users(
    *,
    platform: Platform,
    limit: int,
    cursor: str | None,
    search: str | None = None,
    search_by: Literal["email", "name"] = "email",
    role: Role | None = None,
    is_active: bool | None = None,
) -> UserPage:
    """Admin list: optional prefix search on email or name, role/status filters."""
    q: Any = users(platform)
    if role is not None:
        q = q.where(UserField.ROLE, "==", role)
    if is_active is not None:
        q = q.where(UserField.IS_ACTIVE, "==", is_active)
    if search:
        field = UserField.EMAIL_LOWER if search_by == "email" else UserField.DISPLAY_NAME_LOWER
        prefix = search.strip().lower()
        q = q.where(field, ">=", prefix).where(field, "<", prefix + "\uf8ff")
        order: list[tuple[str, Any]] = [(field, ASCENDING)]
    else:
        order = [(UserField.CREATED_AT, DESCENDING)]
    snaps, next_cursor = paginate(q, order_by=order, limit=limit, cursor=cursor)
    return UserPage(
        items=[user_out(s.id, s.to_dict() or {}) for s in snaps],
        next_cursor=next_cursor,
        has_more=next_cursor is not None,
    )


def _set(platform: Platform, uid: str, update: dict[str, Any]) -> UserOut:
    get_user(platform=platform, uid=uid)  # 404 for an unknown user, before any write
    ref = user_ref(platform, uid)
    ref.update({**update, "updated_at": datetime.now(UTC)})
    return user_out(uid, ref.get().to_dict() or {})


def set_role(*, platform: Platform, admin_uid: str, target_uid: str, role: Role) -> UserOut:
    if target_uid == admin_uid and role != "admin":
        raise Forbidden("you cannot remove your own admin role", code="self_demotion")
    out = _set(platform, target_uid, {"role": role})
    log.info("role changed", extra=fields(uid=target_uid, role=role, by=admin_uid))
    mirror_role_claim(target_uid, role, settings=platform.settings)
    return out


def set_status(*, platform: Platform, admin_uid: str, target_uid: str, is_active: bool) -> UserOut:
    if target_uid == admin_uid and not is_active:
        raise Forbidden("you cannot disable your own account", code="self_disable")
    out = _set(platform, target_uid, {"is_active": is_active})
    log.info("status changed", extra=fields(uid=target_uid, is_active=is_active, by=admin_uid))
    return out


def grant_premium(*, platform: Platform, admin_uid: str, target_uid: str) -> UserOut:
    user = get_user(platform=platform, uid=target_uid)
    if user.role == "admin":
        raise Conflict("admins already have every premium feature", code="already_admin")
    out = _set(platform, target_uid, {"role": "premium", "premium_granted_by": admin_uid})
    mirror_role_claim(target_uid, "premium", settings=platform.settings)
    return out


def revoke_premium(*, platform: Platform, admin_uid: str, target_uid: str) -> UserOut:
    """Remove an admin grant; a paid Stripe subscription keeps its premium (docs/billing.md)."""
    from synthora.services.billing import service as billing

    return billing.revoke_premium(
        platform=platform, settings=platform.settings, admin_uid=admin_uid, uid=target_uid
    )


def user_stats(*, platform: Platform) -> UserStatsOut:
    everyone = users(platform)
    by_role = {r: everyone.where(UserField.ROLE, "==", r).count() for r in ROLES}
    disabled = everyone.where(UserField.IS_ACTIVE, "==", False).count()
    total = everyone.count()
    return UserStatsOut(total=total, active=total - disabled, disabled=disabled, by_role=by_role)
