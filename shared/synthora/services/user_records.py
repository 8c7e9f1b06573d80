"""The `users/{uid}` document: its typed model, and the one module that opens it.

Fields (written at sign-in by `accounts.login`, changed by `users` and `limits`):

    email, email_lower, display_name, display_name_lower, photo_url,
    role: free | premium | admin, is_active, created_at, last_login_at,
    updated_at, preferences: {notifications: {muted_types, email, email_unsubscribed}, language,
    provider_fallback},
    stats: {videos_created}, premium_granted_by

Other services read and query it only through this module: `user_ref`,
`read_user`, `users` (for queries, with the field names in `UserField`) and
`usage_collection` (`users/{uid}/usage`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from synthora.platform import Platform
from synthora.ports.documents import CollectionRef, DocumentRef

USERS = "users"

Role = Literal["free", "premium", "admin"]
ROLES: tuple[Role, ...] = ("free", "premium", "admin")


class UserField(StrEnum):
    """Field paths of the user document, for queries and partial updates."""

    EMAIL_LOWER = "email_lower"
    DISPLAY_NAME_LOWER = "display_name_lower"
    ROLE = "role"
    IS_ACTIVE = "is_active"
    CREATED_AT = "created_at"
    VIDEOS_CREATED = "stats.videos_created"
    NOTIFICATION_PREFERENCES = "preferences.notifications"
    LANGUAGE = "preferences.language"
    PROVIDER_FALLBACK = "preferences.provider_fallback"


class NotificationPreferences(BaseModel):
    muted_types: list[str] = Field(default_factory=list, max_length=20)
    email: bool = True
    email_unsubscribed: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Email categories turned off (by an unsubscribe link or in Settings): "
        "videos, posts, billing, accounts, announcements.",
    )


class Preferences(BaseModel):
    notifications: NotificationPreferences = NotificationPreferences()
    language: str = Field(default="en", max_length=10)
    provider_fallback: bool = Field(
        default=True,
        description="When a step's provider is unreachable, refuses the key or exhausts its "
        "retries, use the next runnable provider for that step (ending with the local one) "
        "instead of failing the video.",
    )


class UserStats(BaseModel):
    videos_created: int = 0


class UserRecord(BaseModel):
    """The stored user document (unknown fields are ignored, missing ones defaulted)."""

    model_config = ConfigDict(extra="ignore")

    email: str | None = None
    email_lower: str | None = None
    display_name: str | None = None
    display_name_lower: str | None = None
    photo_url: str | None = None
    role: Role = "free"
    is_active: bool = True
    created_at: datetime | None = None
    last_login_at: datetime | None = None
    updated_at: datetime | None = None
    preferences: Preferences = Preferences()
    stats: UserStats = UserStats()
    premium_granted_by: str | None = None

    @field_validator("role", mode="before")
    @classmethod
    def _known_role(cls, value: Any) -> str:
        return value if value in ROLES else "free"

    @field_validator("preferences", "stats", mode="before")
    @classmethod
    def _none_is_default(cls, value: Any) -> Any:
        return {} if value is None else value

    @field_validator("is_active", mode="before")
    @classmethod
    def _truthy(cls, value: Any) -> bool:
        return True if value is None else bool(value)


def users(platform: Platform) -> CollectionRef:
    """The `users` collection (for queries; filter with `UserField` names)."""
    return platform.documents.collection(USERS)


def user_ref(platform: Platform, uid: str) -> DocumentRef:
    return users(platform).document(uid)


def record_of(data: dict[str, Any] | None) -> UserRecord:
    """The typed view of a user document's data."""
    return UserRecord.model_validate(data or {})


def read_user(platform: Platform, uid: str) -> UserRecord | None:
    """The user's record; None when they never signed in."""
    snap = user_ref(platform, uid).get()
    return record_of(snap.to_dict()) if snap.exists else None


def usage_collection(platform: Platform, uid: str) -> CollectionRef:
    """`users/{uid}/usage`: the daily and active-generation counters (`limits`)."""
    return user_ref(platform, uid).collection("usage")
