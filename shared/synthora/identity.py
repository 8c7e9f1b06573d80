"""Who is calling: Firebase users, and the platform's own task/cron callers.

Users present a Firebase ID token (`Authorization: Bearer <token>`), verified
with `firebase-admin` (against the Auth emulator when
`FIREBASE_AUTH_EMULATOR_HOST` is set: its tokens are unsigned, so settings
refuse that variable outside local and test mode). A token issued before the
user's last sign-out is refused (`revoked_by_sign_out`); sensitive routes also
ask Firebase Auth about revocation (`check_not_revoked`, cached briefly).

Task and cron calls are authenticated separately: in production by the
Google-signed OIDC token Cloud Tasks and Cloud Scheduler attach (audience and
service account checked); on the local
platform by a shared secret the gateway's dispatcher sends. Nobody outside can
trigger a pipeline step.

Scripts and agents present a personal API token (`syn_pat_...`, see
`synthora.security.personal_tokens`) in the same header. `resolve_bearer` is
the one entry point for both kinds: it returns a `Caller` either way, a
token's carrying its id and scopes, so every route (and the MCP server)
applies the same ownership and role checks to both.
"""

from __future__ import annotations

import hmac
import os
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from synthora.errors import Forbidden, Unauthorized
from synthora.logs import fields, get_logger
from synthora.ports.documents import DocumentStore
from synthora.security import personal_tokens
from synthora.settings import Settings

log = get_logger(__name__)

INTERNAL_TOKEN_HEADER = "X-Synthora-Internal-Token"


class Caller(BaseModel):
    """A verified Firebase user, or a personal API token acting for one."""

    uid: str
    email: str | None = None
    email_verified: bool = False
    name: str | None = None
    picture: str | None = None
    sign_in_provider: str | None = None
    claims: dict[str, Any] = Field(default_factory=dict)
    auth_time: int | None = None
    issued_at: int | None = Field(default=None, description="The token's `iat`, in seconds.")
    token_id: str | None = Field(
        default=None, description="Set when the caller is a personal API token: its id."
    )
    scopes: tuple[str, ...] | None = Field(
        default=None,
        description="A personal token's scopes; None for a browser session (no scope limits).",
    )

    @property
    def is_personal_token(self) -> bool:
        return self.token_id is not None

    def allows(self, scope: str | None) -> bool:
        """Whether this caller may call a route of `scope` (`router.token_scope_of`).

        A browser session may call anything its role allows; a personal token only
        routes whose scope it carries, never a session-only route (`scope` "session"
        or None).
        """
        if self.scopes is None:
            return True
        return scope is not None and scope in self.scopes


class InternalCaller(BaseModel):
    """Cloud Tasks, Cloud Scheduler, or the local gateway acting as them."""

    kind: str  # "oidc" | "local"
    subject: str


def bearer_token(headers: Mapping[str, str]) -> str | None:
    value = headers.get("Authorization") or headers.get("authorization") or ""
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


# --------------------------------------------------------------------------- users

_firebase_lock = threading.Lock()


def _firebase_app(settings: Settings) -> Any:
    import firebase_admin

    with _firebase_lock:
        try:
            return firebase_admin.get_app()
        except ValueError:
            pass
        if settings.firebase_auth_emulator_host:
            os.environ.setdefault(
                "FIREBASE_AUTH_EMULATOR_HOST", settings.firebase_auth_emulator_host
            )
            return firebase_admin.initialize_app(options={"projectId": settings.project_id})
        # On Cloud Run, Application Default Credentials come from the runtime service account.
        return firebase_admin.initialize_app(options={"projectId": settings.project_id})


def verify_user_token(token: str, *, settings: Settings, check_revoked: bool = False) -> Caller:
    """Verify a Firebase ID token; raise `Unauthorized` with a clear reason otherwise."""
    from firebase_admin import auth

    app = _firebase_app(settings)
    try:
        claims = auth.verify_id_token(token, app=app, check_revoked=check_revoked)
    except auth.RevokedIdTokenError as exc:
        raise Unauthorized("your session was revoked; sign in again", code="token_revoked") from exc
    except auth.ExpiredIdTokenError as exc:
        raise Unauthorized("your session expired; sign in again", code="token_expired") from exc
    except auth.UserDisabledError as exc:
        raise Forbidden("this account is disabled", code="account_disabled") from exc
    except (auth.InvalidIdTokenError, ValueError) as exc:
        raise Unauthorized("the ID token is not valid", code="invalid_token") from exc
    except auth.CertificateFetchError as exc:
        raise Unauthorized(
            "could not fetch the certificates needed to verify the token", code="auth_unavailable"
        ) from exc
    # Against the Auth emulator firebase-admin skips the signature and the expiry
    # checks; the expiry is checked here in every mode, so an expired token is
    # refused locally exactly as in production.
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or exp <= time.time():
        raise Unauthorized("your session expired; sign in again", code="token_expired")
    firebase = claims.get("firebase") or {}
    return Caller(
        uid=claims["uid"],
        email=claims.get("email"),
        email_verified=bool(claims.get("email_verified", False)),
        name=claims.get("name"),
        picture=claims.get("picture"),
        sign_in_provider=firebase.get("sign_in_provider"),
        claims={k: v for k, v in claims.items() if k not in ("firebase",)},
        auth_time=claims.get("auth_time"),
        issued_at=claims.get("iat"),
    )


def verify_personal_token(
    token: str, *, documents: DocumentStore | None = None, now: datetime | None = None
) -> Caller:
    """Check a personal API token (one read by its hash); a `Caller` acting for its owner."""
    if documents is None:
        from synthora.platform import get_platform

        documents = get_platform().documents
    checked = personal_tokens.verify(token, documents=documents, now=now)
    return Caller(
        uid=checked.uid,
        sign_in_provider="personal_token",
        token_id=checked.id,
        scopes=checked.scopes,
    )


def resolve_bearer(
    token: str,
    *,
    settings: Settings,
    documents: DocumentStore | None = None,
    check_revoked: bool = False,
) -> Caller:
    """Who a bearer token is: a personal API token (`syn_pat_...`) or a Firebase ID token.

    Raises `Unauthorized` with a clear code (`invalid_token`, `token_expired`,
    `token_revoked`, ...) otherwise. The caller's user record (role, disabled)
    is checked by the router (`synthora.http.router.check_user`), for both kinds.
    """
    if personal_tokens.is_personal_token(token):
        return verify_personal_token(token, documents=documents)
    return verify_user_token(token, settings=settings, check_revoked=check_revoked)


# --------------------------------------------------------------------------- custom claims


def auth_admin_available(settings: Settings) -> bool:
    """Whether Firebase Auth can be called: production, or local/test with the Auth emulator."""
    return bool(settings.firebase_auth_emulator_host) or not settings.is_local


def mirror_role_claim(uid: str, role: str, *, settings: Settings) -> bool:
    """Copy the user's role into their Firebase custom claims (`{"role": ...}`).

    The `users/{uid}` document stays the source of truth (the API reads the role
    from it on every request); the claim lets the Firebase console's Users tab
    show it, and reaches the user's ID token at its next refresh (within an hour).
    Other custom claims are kept. A failure is logged, never raised: the role
    change itself has been made.
    """
    if not auth_admin_available(settings):
        return False
    from firebase_admin import auth

    app = _firebase_app(settings)
    try:
        record = auth.get_user(uid, app=app)
        claims = dict(record.custom_claims or {})
        if claims.get("role") == role:
            return True
        claims["role"] = role
        auth.set_custom_user_claims(uid, claims, app=app)
    except auth.UserNotFoundError:
        log.info("no Firebase Auth user to mirror the role to", extra=fields(uid=uid, role=role))
        return False
    except Exception as exc:  # transport or permission problems: the role change stands
        log.warning(
            "could not mirror the role into custom claims",
            extra=fields(uid=uid, role=role, reason=str(exc)),
        )
        return False
    log.info("role mirrored into custom claims", extra=fields(uid=uid, role=role))
    return True


# --------------------------------------------------------------------------- revocation

#: How long a revocation check against Firebase Auth is reused for one user.
REVOCATION_CACHE_TTL_S = 30.0

_revocation_cache: dict[
    str, tuple[float, int, bool]
] = {}  # uid -> (checked, valid_after_ms, disabled)
_revocation_lock = threading.Lock()


#: Field of `users/{uid}` set at sign-out: tokens issued before it (ms) are refused.
SESSIONS_VALID_AFTER_FIELD = "sessions_valid_after_ms"


def revoked_by_sign_out(caller: Caller, user_data: Mapping[str, Any]) -> bool:
    """Whether the token was issued before the user last signed out.

    Sign-out revokes the refresh tokens in Firebase Auth and records the moment
    in the user's document, which every signed-in request reads anyway: so a
    signed-out ID token stops working at once, on every instance, at no cost.
    `iat` has whole seconds, so a token issued in the second of the sign-out
    is refused too (sign in again a second later).
    """
    valid_after = user_data.get(SESSIONS_VALID_AFTER_FIELD)
    if not isinstance(valid_after, int) or isinstance(valid_after, bool):
        return False
    return (caller.issued_at or 0) * 1000 <= valid_after


def forget_revocation_check(uid: str | None = None) -> None:
    """Drop cached revocation checks (one user's after a sign-out, or all in tests)."""
    with _revocation_lock:
        if uid is None:
            _revocation_cache.clear()
        else:
            _revocation_cache.pop(uid, None)


def _auth_state(
    caller: Caller, *, settings: Settings, fail_closed: bool
) -> tuple[int, bool] | None:
    """(tokens_valid_after_ms, disabled) from Firebase Auth, cached per user and process.

    None when Auth could not be asked and `fail_closed` is off (ordinary routes keep
    working through an Auth outage; sensitive routes refuse).
    """
    from firebase_admin import auth

    now = time.monotonic()
    with _revocation_lock:
        hit = _revocation_cache.get(caller.uid)
    if hit is None or now - hit[0] >= REVOCATION_CACHE_TTL_S:
        try:
            record = auth.get_user(caller.uid, app=_firebase_app(settings))
        except auth.UserNotFoundError as exc:
            raise Unauthorized(
                "this account no longer exists; sign in again", code="token_revoked"
            ) from exc
        except Exception as exc:  # transport errors
            log.warning("revocation check failed", extra=fields(uid=caller.uid, reason=str(exc)))
            if not fail_closed:
                return None
            raise Unauthorized(
                "could not confirm your session; try again", code="auth_unavailable"
            ) from exc
        hit = (now, int(record.tokens_valid_after_timestamp or 0), bool(record.disabled))
        with _revocation_lock:
            _revocation_cache[caller.uid] = hit
    return hit[1], hit[2]


def _refuse_disabled(disabled: bool) -> None:
    if disabled:
        raise Forbidden(
            "this account is disabled; contact the administrator", code="account_disabled"
        )


def check_not_revoked(caller: Caller, *, settings: Settings) -> None:
    """Refuse a token issued before the user's sessions were revoked, or of a disabled user.

    The same check `verify_id_token(check_revoked=True)` makes (firebase-admin
    `_check_jwt_revoked_or_disabled`: `iat * 1000 < tokens_valid_after_timestamp`),
    with the user record fetched from Firebase Auth at most once per
    `REVOCATION_CACHE_TTL_S` per user and process. Routes declare
    `check_revoked=True` to get it.
    """
    state = _auth_state(caller, settings=settings, fail_closed=True)
    assert state is not None
    valid_after_ms, disabled = state
    _refuse_disabled(disabled)
    if (caller.issued_at or 0) * 1000 < valid_after_ms:
        raise Unauthorized("your session was revoked; sign in again", code="token_revoked")


def check_not_disabled(caller: Caller, *, settings: Settings) -> None:
    """Refuse a user disabled (or deleted) in Firebase Auth, e.g. from the Firebase console.

    Every signed-in route runs it. It shares the revocation check's cache: one
    `auth.get_user` per user per process per `REVOCATION_CACHE_TTL_S` (30 s), so a
    user disabled in the console is refused within 30 s on every instance (at once
    on an instance that had not checked them in the last 30 s), at the cost of at
    most two Auth lookups per active user per minute per instance. If Auth cannot
    be reached the request goes on (logged): the app's own `is_active` flag and
    the token's signature still hold.
    """
    if not auth_admin_available(settings):
        return
    state = _auth_state(caller, settings=settings, fail_closed=False)
    if state is not None:
        _refuse_disabled(state[1])


# --------------------------------------------------------------------------- internal

OidcVerifier = Callable[[str, str], Mapping[str, Any]]


_certs_transport: Any = None


def _cached_certs_transport() -> Any:
    """One google-auth transport whose session caches Google's certs (Cache-Control)."""
    global _certs_transport
    if _certs_transport is None:
        import cachecontrol
        import requests
        from google.auth.transport import requests as google_requests

        _certs_transport = google_requests.Request(
            session=cachecontrol.CacheControl(requests.Session())
        )
    return _certs_transport


def google_oidc_verifier(request: Any = None) -> OidcVerifier:
    """Verify a Google-signed OIDC token (signature, expiry, issuer, audience).

    `request` is a google-auth transport used to fetch Google's public certs;
    by default one cached session is shared, so certs are not fetched per call.
    Tests inject a transport that serves locally generated certs.
    """

    def verify(token: str, audience: str) -> Mapping[str, Any]:
        from google.oauth2 import id_token

        transport = request if request is not None else _cached_certs_transport()
        claims = id_token.verify_oauth2_token(  # type: ignore[no-untyped-call]
            token, transport, audience=audience
        )
        return dict(claims)

    return verify


def _google_oidc_verify(token: str, audience: str) -> Mapping[str, Any]:
    return google_oidc_verifier()(token, audience)


def verify_internal_call(
    headers: Mapping[str, str],
    *,
    settings: Settings,
    audience: str,
    oidc_verify: OidcVerifier | None = None,
) -> InternalCaller:
    """Accept only Cloud Tasks / Cloud Scheduler (OIDC) or the local dispatcher (secret)."""
    if settings.is_local:
        presented = headers.get(INTERNAL_TOKEN_HEADER) or headers.get(INTERNAL_TOKEN_HEADER.lower())
        expected = settings.secret("internal_token")
        if presented and hmac.compare_digest(presented.encode(), expected.encode()):
            return InternalCaller(kind="local", subject="local-gateway")
        raise Forbidden(
            "internal endpoint: only the task queue and scheduler may call it", code="internal_only"
        )
    token = bearer_token(headers)
    if not token:
        raise Unauthorized(
            "an OIDC token from Cloud Tasks or Cloud Scheduler is required", code="internal_only"
        )
    verify = oidc_verify or _google_oidc_verify
    try:
        claims = verify(token, audience)
    except Exception as exc:  # google-auth raises ValueError and transport errors
        log.warning("rejected internal call", extra=fields(reason=str(exc)))
        raise Unauthorized(
            "the OIDC token is not valid for this function", code="internal_only"
        ) from exc
    expected_sa = settings.tasks_service_account
    email = str(claims.get("email") or "")
    if not expected_sa or email != expected_sa or not claims.get("email_verified", False):
        raise Forbidden(
            "the OIDC token belongs to an unexpected service account", code="internal_only"
        )
    return InternalCaller(kind="oidc", subject=email)
