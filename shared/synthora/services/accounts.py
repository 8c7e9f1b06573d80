"""Sign-in and the user model: `users/{uid}`, the first admin, the caller's view.

Roles live in the `role` field (free | premium | admin) and a disabled account
has `is_active: false`: exactly the fields the router's default resolver reads,
so every function refuses a disabled user without extra wiring.

The very first user to sign in becomes admin. Two first sign-ins at once must
not both become admin, so the decision is made in a transaction that reads
the singleton `app_settings/setup`: the loser's transaction is retried, sees
the admin recorded there, and creates a free user.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from synthora.errors import Forbidden, Unauthorized
from synthora.identity import (
    SESSIONS_VALID_AFTER_FIELD,
    Caller,
    forget_revocation_check,
    mirror_role_claim,
    revoked_by_sign_out,
    verify_user_token,
)
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import Transaction
from synthora.services.limits import UsageOut
from synthora.services.user_records import (
    Preferences,
    Role,
    UserField,
    UserStats,
    record_of,
    users,
)
from synthora.services.user_records import user_ref as users_user_ref
from synthora.settings import Settings

log = get_logger(__name__)

SETUP_DOC = "app_settings/setup"


class UserOut(BaseModel):
    uid: str
    email: str | None = None
    display_name: str | None = None
    photo_url: str | None = None
    role: Role = "free"
    is_active: bool = True
    created_at: datetime | None = None
    last_login_at: datetime | None = None
    preferences: Preferences = Preferences()
    stats: UserStats = UserStats()
    premium_granted_by: str | None = None


class LoginOut(BaseModel):
    user: UserOut
    is_new_user: bool
    setup_required: bool = Field(
        description="True when this sign-in made the caller the first admin (set up the platform)."
    )


class SetupStatus(BaseModel):
    admin_exists: bool
    setup_required: bool


class TokenCheck(BaseModel):
    valid: bool
    uid: str
    email: str | None = None
    user_exists: bool
    is_active: bool | None = None


def user_out(uid: str, data: dict[str, Any]) -> UserOut:
    record = record_of(data)
    return UserOut(
        uid=uid,
        email=record.email,
        display_name=record.display_name,
        photo_url=record.photo_url,
        role=record.role,
        is_active=record.is_active,
        created_at=record.created_at,
        last_login_at=record.last_login_at,
        preferences=record.preferences,
        stats=record.stats,
        premium_granted_by=record.premium_granted_by,
    )


def login(*, platform: Platform, caller: Caller) -> LoginOut:
    """Create or refresh `users/{uid}` for a verified caller; the first one becomes admin.

    With the `signups_open` feature flag off, only existing users (and the very
    first user, who sets the platform up) may sign in: 403 `signups_closed`.
    """
    from synthora.services.app_settings import get_features

    signups_open = get_features(platform=platform).signups_open
    now = datetime.now(UTC)
    user_ref = users_user_ref(platform, caller.uid)
    setup_ref = platform.documents.document(SETUP_DOC)

    def run(tx: Transaction) -> tuple[dict[str, Any], bool, bool]:
        snap = tx.get(user_ref)
        if snap.exists:
            data = snap.to_dict() or {}
            if not data.get("is_active", True):
                raise Forbidden(
                    "this account is disabled; contact the administrator", code="account_disabled"
                )
            if revoked_by_sign_out(caller, data):
                raise Unauthorized(
                    "this token is from a session you signed out of; sign in again",
                    code="token_revoked",
                )
            update: dict[str, Any] = {"last_login_at": now}
            if caller.email:
                update.update(email=caller.email, email_lower=caller.email.lower())
            if caller.picture and not data.get("photo_url"):
                update["photo_url"] = caller.picture
            tx.update(user_ref, update)
            return {**data, **update}, False, False
        setup = tx.get(setup_ref).to_dict() or {}
        first = not setup.get("admin_uid")
        if not first and not signups_open:
            raise Forbidden(
                "new sign-ups are closed on this platform; ask the administrator",
                code="signups_closed",
            )
        name = caller.name or (caller.email or "").split("@")[0] or None
        data = {
            "email": caller.email,
            "email_lower": (caller.email or "").lower() or None,
            "display_name": name[:100] if name else None,
            "display_name_lower": name[:100].lower() if name else None,
            "photo_url": caller.picture,
            "role": "admin" if first else "free",
            "is_active": True,
            "created_at": now,
            "last_login_at": now,
            "preferences": Preferences().model_dump(mode="json"),
            "stats": {"videos_created": 0},
        }
        tx.set(user_ref, data)
        if first:
            tx.set(setup_ref, {"admin_uid": caller.uid, "admin_created_at": now})
        return data, True, first

    data, is_new, first = platform.documents.run_transaction(run)
    if is_new:
        from synthora.services.notifications import notify_welcome

        notify_welcome(platform=platform, uid=caller.uid, name=data.get("display_name"))
        log.info("user created", extra=fields(uid=caller.uid, role=data["role"]))
        mirror_role_claim(caller.uid, str(data["role"]), settings=platform.settings)
    return LoginOut(user=user_out(caller.uid, data), is_new_user=is_new, setup_required=first)


def verify_token(*, platform: Platform, settings: Settings, id_token: str) -> TokenCheck:
    """Check a token without creating anything (401 when invalid)."""
    caller = verify_user_token(id_token, settings=settings)
    snap = users_user_ref(platform, caller.uid).get()
    data = snap.to_dict() or {}
    if revoked_by_sign_out(caller, data):
        raise Unauthorized(
            "this token is from a session you signed out of; sign in again", code="token_revoked"
        )
    return TokenCheck(
        valid=True,
        uid=caller.uid,
        email=caller.email,
        user_exists=snap.exists,
        is_active=bool(data.get("is_active", True)) if snap.exists else None,
    )


def refresh(*, platform: Platform, caller: Caller) -> UserOut:
    """Record activity on token refresh; creates the user if they skipped `/login`."""
    ref = users_user_ref(platform, caller.uid)
    if not ref.get().exists:
        return login(platform=platform, caller=caller).user
    ref.update({"last_login_at": datetime.now(UTC)})
    return user_out(caller.uid, ref.get().to_dict() or {})


def logout(*, platform: Platform, settings: Settings, uid: str) -> None:
    """End every session of the user, server-side (spec 4.2.2).

    Firebase Auth revokes the refresh tokens (no new ID tokens), and the
    moment is recorded in `users/{uid}` so the router refuses every ID token
    issued before it at once, on every instance (`identity.revoked_by_sign_out`).
    Our own record is written first: it alone makes every instance refuse the
    old ID tokens. A user Firebase Auth does not know has no refresh tokens to
    revoke; an Auth service that cannot be reached is a 503 (the sign-out here
    already holds; calling again finishes the revocation).
    """
    import time

    from firebase_admin import auth
    from firebase_admin import exceptions as firebase_exceptions

    from synthora.errors import ServiceUnavailable
    from synthora.identity import _firebase_app

    ref = users_user_ref(platform, uid)
    if ref.get().exists:
        ref.update({SESSIONS_VALID_AFTER_FIELD: int(time.time() * 1000)})
    forget_revocation_check(uid)
    try:
        auth.revoke_refresh_tokens(uid, app=_firebase_app(settings))
    except auth.UserNotFoundError:
        log.info("sign-out of a user unknown to Firebase Auth", extra=fields(uid=uid))
    except (firebase_exceptions.FirebaseError, OSError) as exc:
        log.warning("refresh token revocation failed", extra=fields(uid=uid, error=str(exc)))
        raise ServiceUnavailable(
            "signed out here, but the sign-in service could not be reached to end your "
            "other sessions; try again",
            code="auth_unavailable",
        ) from exc
    log.info("signed out everywhere", extra=fields(uid=uid))


def setup_status(*, platform: Platform) -> SetupStatus:
    setup = platform.documents.document(SETUP_DOC).get().to_dict() or {}
    exists = bool(setup.get("admin_uid")) or (
        users(platform).where(UserField.ROLE, "==", "admin").limit(1).count() > 0
    )
    return SetupStatus(admin_exists=exists, setup_required=not exists)


def get_user(*, platform: Platform, uid: str) -> UserOut:
    snap = users_user_ref(platform, uid).get()
    if not snap.exists:
        from synthora.errors import NotFound

        raise NotFound("user not found", code="user_not_found")
    return user_out(uid, snap.to_dict() or {})


def get_or_default(*, platform: Platform, caller: Caller) -> UserOut:
    snap = users_user_ref(platform, caller.uid).get()
    if snap.exists:
        return user_out(caller.uid, snap.to_dict() or {})
    return UserOut(
        uid=caller.uid, email=caller.email, display_name=caller.name, photo_url=caller.picture
    )


class FeatureAccess(BaseModel):
    can_generate: bool
    can_schedule: bool
    can_use_ai_suggestions: bool
    video_ai: bool
    social_posting: bool
    is_admin: bool


class MeOut(BaseModel):
    user: UserOut
    limits: UsageOut
    features: FeatureAccess


def me(*, platform: Platform, caller: Caller) -> MeOut:
    from synthora.services import limits
    from synthora.services.app_settings import get_features

    user = get_or_default(platform=platform, caller=caller)
    usage = limits.usage(platform=platform, uid=caller.uid)
    flags = get_features(platform=platform)
    can_generate = (usage.remaining_today != 0) and (
        usage.max_concurrent is None or usage.active_generations < usage.max_concurrent
    )
    return MeOut(
        user=user,
        limits=usage,
        features=FeatureAccess(
            can_generate=can_generate and not flags.maintenance_mode,
            can_schedule=usage.can_schedule and flags.social_posting,
            can_use_ai_suggestions=usage.can_use_ai_suggestions and flags.ai_suggestions,
            video_ai=flags.video_ai,
            social_posting=flags.social_posting,
            is_admin=user.role == "admin",
        ),
    )
