"""Social accounts: connect YouTube, TikTok, Instagram and Facebook Pages; keep their tokens alive.

Storage (see docs/social-accounts.md):

    oauth_states/{sha256(state)}          one pending consent: user_id, platform, the
                                          PKCE verifier (encrypted), expires_at (10 min),
                                          used_at (single use)
    social_accounts/{id}                  one connected account: user_id, platform,
                                          platform_account_id, status, profile, scopes,
                                          capabilities, tokens (EncryptedSecret; aad = the
                                          document path), access/refresh expiries,
                                          refresh_at (when the cron should act),
                                          token_version, grant_generation, refresh lock
    social_account_claims/{platform-hash} which Synthora user holds a platform account
    social_selections/{id}                Pages / Instagram accounts a person is choosing
                                          from (their tokens encrypted), 10 minutes

Decisions:

- The account id is derived from (user, platform, platform account id), so the
  same platform account connected twice by one user updates one record.
- A platform account is held by one Synthora user at a time: a second user
  connecting it gets 409 `account_connected_elsewhere`. Two workspaces posting
  to one channel would double-post, and at Google one user's disconnect (which
  revokes the grant for our client) would silently cut the other's tokens.
- Disconnecting revokes at the platform where its API allows (Google, TikTok;
  Meta's revoke would remove the whole app from the person's Facebook account),
  deletes the tokens and the claim, and keeps the record (status
  `disconnected`, profile kept) so post history can still name the account.
- Refreshing takes a per-account lease in a transaction; only the holder calls
  the platform, and the rotated tokens are saved in a second transaction with
  the lease check, so two concurrent refreshes never both spend a TikTok
  refresh token. A waiting refresher sees the new `token_version` and stops.
- Only a recognised dead grant (`SocialPlatformError.kind == "dead_grant"`)
  marks an account `needs_reconnect` and notifies the user, once per grant
  (the notification key holds `grant_generation`). Transient errors back off
  and leave the account connected.
- Tokens never leave this module except through `access_token_for` (posting).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel, Field, SecretStr

from synthora.errors import (
    ApiError,
    Conflict,
    Forbidden,
    NotFound,
    ServiceUnavailable,
    ValidationFailed,
)
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import (
    DELETE_FIELD,
    DocumentRef,
    Snapshot,
    Transaction,
    auto_id,
    is_document_id,
)
from synthora.ports.tasks import TaskQueueError, task_name
from synthora.providers.social import (
    EMULATOR_PREFIX,
    PLATFORM_NAMES,
    TIMEOUT,
    USER_AGENT,
    Capabilities,
    ConnectedAccount,
    OAuthApp,
    SocialOAuthClient,
    SocialPlatform,
    SocialPlatformError,
    TokenSet,
    pkce_pair,
)
from synthora.providers.social_registry import declaration
from synthora.security.crypto import (
    EncryptedSecret,
    MasterKeyring,
    decrypt_secret,
    encrypt_secret,
)
from synthora.services.app_settings import get_features
from synthora.services.expiry import CleanupTarget
from synthora.services.notifications import notify_social_disconnected
from synthora.settings import Settings

log = get_logger(__name__)

ACCOUNTS = "social_accounts"
STATES = "oauth_states"
CLAIMS = "social_account_claims"
SELECTIONS = "social_selections"
REFRESH_FUNCTION = "social_refresh"
DOCS_URL = "docs/social-accounts.md"
DOCS_LINK = "https://github.com/synthora/synthora/blob/main/docs/social-accounts.md"

STATE_TTL = timedelta(minutes=10)
SELECTION_TTL = timedelta(minutes=10)
#: Refresh an expiring access token this long before it expires (the cron runs
#: every 10 minutes, so each token gets at least two chances).
REFRESH_MARGIN = timedelta(minutes=25)
#: Non-expiring tokens (Meta Page tokens) are re-checked this often.
CHECK_INTERVAL = timedelta(days=7)
#: How long one refresher may hold an account's lease (longer than a call's timeout).
LEASE = timedelta(seconds=60)
WAIT_POLL_S = 0.2
MAX_BACKOFF = timedelta(hours=1)
CRON_HORIZON = timedelta(minutes=10)
CRON_PAGE = 500

AccountStatus = Literal["connected", "needs_reconnect", "disconnected"]
SetupStatus = Literal["configured", "emulated", "not_configured"]


def _client_class(social: SocialPlatform) -> type[SocialOAuthClient]:
    return declaration(social).client


# --------------------------------------------------------------------------- models


class AccountListQuery(BaseModel):
    """Which of my accounts to list."""

    platform: str | None = Field(default=None, description="youtube, tiktok, instagram, facebook")
    include_disconnected: bool = Field(
        default=False, description="Also list disconnected accounts (kept for post history)."
    )


class PlatformSetup(BaseModel):
    """Whether this server can connect a platform, for the connect cards."""

    platform: SocialPlatform
    display_name: str
    status: SetupStatus
    label: str = Field(description="`Ready`, `Emulated (local)` or `Not set up on this server`.")
    docs_url: str
    redirect_uri: str
    scopes: list[str]
    uses_pkce: bool


class PlatformSetupList(BaseModel):
    items: list[PlatformSetup]
    social_posting_enabled: bool


class ConnectStart(BaseModel):
    platform: SocialPlatform
    authorization_url: str
    expires_at: datetime = Field(description="The consent must finish before this time.")


class AccountError(BaseModel):
    kind: str
    code: str
    message: str
    at: datetime


class SocialAccountOut(BaseModel):
    """A connected account as the API shows it: never a token."""

    id: str
    platform: SocialPlatform
    platform_account_id: str
    status: AccountStatus
    display_name: str
    handle: str | None = None
    avatar_url: str | None = None
    profile_url: str | None = None
    followers: int | None = None
    scopes: list[str]
    capabilities: Capabilities
    emulated: bool = False
    token_expires_at: datetime | None = Field(
        default=None, description="When the access token expires; None: it does not."
    )
    refresh_expires_at: datetime | None = None
    last_refreshed_at: datetime | None = None
    last_error: AccountError | None = None
    connected_at: datetime
    updated_at: datetime
    disconnected_at: datetime | None = None


class SocialAccountList(BaseModel):
    items: list[SocialAccountOut]


class Candidate(BaseModel):
    platform_account_id: str
    display_name: str
    handle: str | None = None
    avatar_url: str | None = None
    followers: int | None = None
    can_publish: bool
    already_connected: bool


class SelectionOut(BaseModel):
    id: str
    platform: SocialPlatform
    candidates: list[Candidate]
    expires_at: datetime


class SelectRequest(BaseModel):
    platform_account_ids: list[str] = Field(min_length=1, max_length=50)


class CallbackOutcome(BaseModel):
    """How a consent round trip ended (the callback turns it into a redirect)."""

    platform: SocialPlatform
    result: Literal["connected", "select", "error"]
    accounts: list[SocialAccountOut] = Field(default_factory=list)
    selection: SelectionOut | None = None
    error_code: str | None = None
    message: str | None = None
    missing_scopes: list[str] = Field(default_factory=list)


class ManualCallbackRequest(BaseModel):
    code: str | None = Field(default=None, max_length=4096)
    state: str = Field(min_length=16, max_length=256)
    error: str | None = Field(default=None, max_length=200)
    error_description: str | None = Field(default=None, max_length=1000)


class DisconnectOutcome(BaseModel):
    id: str
    status: AccountStatus
    revoked_at_platform: bool | None = Field(
        description="True: the platform confirmed; False: it refused or failed; "
        "None: the platform offers no revoke we use."
    )


class RefreshOutcome(BaseModel):
    account: SocialAccountOut
    result: Literal[
        "refreshed", "checked", "not_due", "refreshed_elsewhere", "needs_reconnect", "transient"
    ]
    message: str = ""


class RefreshTask(BaseModel):
    account_id: str = Field(min_length=1, max_length=128)
    token_version: int = Field(ge=0)


class RefreshTaskResult(BaseModel):
    account_id: str
    result: str


class RefreshPlan(BaseModel):
    enqueued: int
    already_enqueued: int
    accounts: list[str]


# --------------------------------------------------------------------------- errors


class SocialError(ApiError):
    status = 400
    code = "social_error"


def _flag_off() -> Forbidden:
    return Forbidden(
        "connecting social accounts is turned off on this server", code="social_posting_disabled"
    )


# --------------------------------------------------------------------------- configuration


def redirect_uri(settings: Settings, social: SocialPlatform) -> str:
    origin = (settings.social_redirect_base_url or settings.public_url).rstrip("/")
    return f"{origin}/api/v1/social-accounts/callback/{social.value}"


def web_url(settings: Settings, path: str, query: dict[str, str]) -> str:
    origin = (settings.web_app_url or settings.public_url).rstrip("/")
    return f"{origin}{path}?{urlencode(query)}" if query else f"{origin}{path}"


def _credentials(settings: Settings, social: SocialPlatform) -> tuple[str | None, str | None]:
    if social is SocialPlatform.YOUTUBE:
        client_id, secret = settings.google_client_id, settings.google_client_secret
    elif social is SocialPlatform.TIKTOK:
        client_id, secret = settings.tiktok_client_key, settings.tiktok_client_secret
    else:
        client_id, secret = settings.meta_app_id, settings.meta_app_secret
    return client_id, (secret.get_secret_value() if secret is not None else None)


def _emulator_available(settings: Settings) -> bool:
    return settings.is_local and settings.platforms_emulated


def oauth_app(settings: Settings, social: SocialPlatform) -> OAuthApp | None:
    """The operator's OAuth app; in local mode with the emulators, an emulated one."""
    client_id, secret = _credentials(settings, social)
    if client_id and secret:
        return OAuthApp(
            client_id=client_id,
            client_secret=SecretStr(secret),
            redirect_uri=redirect_uri(settings, social),
        )
    if _emulator_available(settings):
        family = EMULATOR_PREFIX[social]
        return OAuthApp(
            client_id=f"synthora-local-{family}",
            client_secret=SecretStr(f"synthora-local-{family}-secret"),
            redirect_uri=redirect_uri(settings, social),
            emulated=True,
        )
    return None


_http: httpx.Client | None = None
_http_lock = threading.Lock()


def _shared_http() -> httpx.Client:
    """One connection pool for every platform client, created on first use."""
    global _http
    if _http is None:
        with _http_lock:
            if _http is None:
                _http = httpx.Client(timeout=TIMEOUT, headers={"User-Agent": USER_AGENT})
    return _http


def client_for(settings: Settings, social: SocialPlatform) -> SocialOAuthClient:
    app = oauth_app(settings, social)
    if app is None:
        name = PLATFORM_NAMES[social]
        raise SocialError(
            f"{name} is not set up on this server; the operator can follow {DOCS_URL}",
            code="platform_not_configured",
            status=409,
            details={"platform": social.value, "docs": DOCS_LINK},
        )
    return _client_class(social)(app=app, settings=settings, http=_shared_http())


def list_platforms(*, platform: Platform) -> PlatformSetupList:
    settings = platform.settings
    items = []
    for social in SocialPlatform:
        app = oauth_app(settings, social)
        status: SetupStatus = (
            "not_configured" if app is None else ("emulated" if app.emulated else "configured")
        )
        declared = declaration(social)
        items.append(
            PlatformSetup(
                platform=social,
                display_name=PLATFORM_NAMES[social],
                status=status,
                label={
                    "configured": "Ready",
                    "emulated": "Emulated (local)",
                    "not_configured": "Not set up on this server",
                }[status],
                docs_url=DOCS_LINK,
                redirect_uri=redirect_uri(settings, social),
                scopes=list(declared.scopes),
                uses_pkce=declared.client.uses_pkce,
            )
        )
    return PlatformSetupList(
        items=items, social_posting_enabled=get_features(platform=platform).social_posting
    )


# --------------------------------------------------------------------------- helpers


def _now() -> datetime:
    return datetime.now(UTC)


def _keyring(platform: Platform) -> MasterKeyring:
    return MasterKeyring.from_settings(platform.settings)


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def account_id_for(uid: str, social: SocialPlatform, platform_account_id: str) -> str:
    return _hash(uid, social.value, platform_account_id)[:24]


def _claim_id(social: SocialPlatform, platform_account_id: str) -> str:
    return f"{social.value}-{_hash(social.value, platform_account_id)[:32]}"


def _accounts(platform: Platform) -> Any:
    return platform.documents.collection(ACCOUNTS)


def _account_ref(platform: Platform, account_id: str) -> DocumentRef:
    return _accounts(platform).document(account_id)


def _platform_of(value: str) -> SocialPlatform:
    try:
        return SocialPlatform(value)
    except ValueError:
        raise NotFound(
            f"unknown platform {value!r}",
            code="platform_not_found",
            details={"allowed": [p.value for p in SocialPlatform]},
        ) from None


def _encrypt_tokens(platform: Platform, ref: DocumentRef, tokens: TokenSet) -> dict[str, Any]:
    payload = json.dumps(
        {
            "access_token": tokens.access_token.get_secret_value(),
            "refresh_token": (
                tokens.refresh_token.get_secret_value() if tokens.refresh_token else None
            ),
        }
    )
    return encrypt_secret(plaintext=payload, keyring=_keyring(platform), aad=ref.path).model_dump()


def _decrypt_tokens(platform: Platform, ref: DocumentRef, data: dict[str, Any]) -> TokenSet:
    stored = data.get("tokens")
    if not stored:
        raise SocialError("this account holds no tokens", code="no_tokens", status=409)
    plain = json.loads(
        decrypt_secret(
            secret=EncryptedSecret.model_validate(stored), keyring=_keyring(platform), aad=ref.path
        )
    )
    return TokenSet(
        access_token=SecretStr(plain["access_token"]),
        refresh_token=SecretStr(plain["refresh_token"]) if plain.get("refresh_token") else None,
        scopes=list(data.get("scopes") or []),
        subject=data.get("subject"),
    )


def _expiry_fields(tokens: TokenSet, refreshable: bool, now: datetime) -> dict[str, Any]:
    """Expiries and when the cron should next act for this account."""
    access_exp = now + timedelta(seconds=tokens.expires_in) if tokens.expires_in else None
    out: dict[str, Any] = {"access_expires_at": access_exp}
    if tokens.refresh_expires_in:
        out["refresh_expires_at"] = now + timedelta(seconds=tokens.refresh_expires_in)
    if access_exp is not None and refreshable:
        out["refresh_at"] = max(now, access_exp - REFRESH_MARGIN)
    else:
        out["refresh_at"] = now + CHECK_INTERVAL
    return out


def to_out(snap: Snapshot) -> SocialAccountOut:
    d = snap.to_dict() or {}
    return SocialAccountOut(
        id=snap.id,
        platform=SocialPlatform(d["platform"]),
        platform_account_id=str(d["platform_account_id"]),
        status=d.get("status", "connected"),
        display_name=str(d.get("display_name") or ""),
        handle=d.get("handle"),
        avatar_url=d.get("avatar_url"),
        profile_url=d.get("profile_url"),
        followers=d.get("followers"),
        scopes=list(d.get("scopes") or []),
        capabilities=Capabilities.model_validate(
            d.get("capabilities") or {"can_publish": False, "can_read_analytics": False}
        ),
        emulated=bool(d.get("emulated")),
        token_expires_at=d.get("access_expires_at"),
        refresh_expires_at=d.get("refresh_expires_at"),
        last_refreshed_at=d.get("last_refreshed_at"),
        last_error=AccountError.model_validate(d["last_error"]) if d.get("last_error") else None,
        connected_at=d["connected_at"],
        updated_at=d["updated_at"],
        disconnected_at=d.get("disconnected_at"),
    )


def _load_owned(platform: Platform, uid: str, account_id: str) -> Snapshot:
    """The caller's account; 404 for a missing one or anybody else's (ids never leak)."""
    if not is_document_id(account_id):
        raise NotFound("social account not found", code="social_account_not_found")
    snap = _account_ref(platform, account_id).get()
    if not snap.exists or snap.get("user_id") != uid:
        raise NotFound("social account not found", code="social_account_not_found")
    return snap


# --------------------------------------------------------------------------- state


def _state_ref(platform: Platform, state: str) -> DocumentRef:
    # Only the hash is stored: a leaked database does not hand out live states.
    return platform.documents.collection(STATES).document(_hash("oauth-state", state)[:40])


def start_connect(*, platform: Platform, uid: str, social_platform: str) -> ConnectStart:
    """A consent URL with a fresh single-use state (and PKCE challenge where accepted)."""
    social = _platform_of(social_platform)
    if not get_features(platform=platform).social_posting:
        raise _flag_off()
    client = client_for(platform.settings, social)
    state = secrets.token_urlsafe(32)
    verifier, challenge = pkce_pair() if client.uses_pkce else (None, None)
    ref = _state_ref(platform, state)
    now = _now()
    ref.create(
        {
            "user_id": uid,
            "platform": social.value,
            "verifier": (
                encrypt_secret(
                    plaintext=verifier, keyring=_keyring(platform), aad=ref.path
                ).model_dump()
                if verifier
                else None
            ),
            "redirect_uri": client.app.redirect_uri,
            "created_at": now,
            "expires_at": now + STATE_TTL,
            "used_at": None,
        }
    )
    log.info("social connect started", extra=fields(uid=uid, platform=social.value))
    return ConnectStart(
        platform=social,
        authorization_url=client.authorize_url(state=state, code_challenge=challenge),
        expires_at=now + STATE_TTL,
    )


def _consume_state(
    platform: Platform, *, state: str, social: SocialPlatform, uid: str | None
) -> tuple[str, str | None]:
    """Mark the state used (once) and return (user id, PKCE verifier)."""
    if not state or len(state) > 256:
        raise SocialError("the sign-in link is not valid; start again", code="state_invalid")
    ref = _state_ref(platform, state)
    now = _now()

    def run(tx: Transaction) -> dict[str, Any]:
        snap = tx.get(ref)
        if not snap.exists:
            raise SocialError("the sign-in link is not valid; start again", code="state_invalid")
        data = snap.to_dict() or {}
        if data.get("platform") != social.value or (uid is not None and data["user_id"] != uid):
            raise SocialError("the sign-in link is not valid; start again", code="state_invalid")
        if data.get("used_at") is not None:
            raise SocialError("this sign-in link was already used; start again", code="state_used")
        tx.update(ref, {"used_at": now})
        return data

    data = platform.documents.run_transaction(run)
    if data["expires_at"] <= now:
        raise SocialError(
            "the sign-in took longer than 10 minutes; start again", code="state_expired"
        )
    verifier = None
    if data.get("verifier"):
        verifier = decrypt_secret(
            secret=EncryptedSecret.model_validate(data["verifier"]),
            keyring=_keyring(platform),
            aad=ref.path,
        )
    return str(data["user_id"]), verifier


# --------------------------------------------------------------------------- connecting


def _platform_failure(exc: SocialPlatformError) -> SocialError:
    if exc.code == "missing_scope" or exc.missing_scopes:
        return SocialError(
            f"{PLATFORM_NAMES[exc.platform]} did not grant what Synthora needs: {exc.message}",
            code="missing_scope",
            status=400,
            details={"platform": exc.platform.value, "missing_scopes": list(exc.missing_scopes)},
        )
    if exc.kind == "transient":
        return SocialError(
            f"{PLATFORM_NAMES[exc.platform]} is not answering right now; try again shortly",
            code="platform_unavailable",
            status=503,
            details={"platform": exc.platform.value},
        )
    if exc.kind == "config":
        return SocialError(
            f"{PLATFORM_NAMES[exc.platform]} refused this server's app credentials; "
            f"the operator should check {DOCS_URL}",
            code="platform_misconfigured",
            status=502,
            details={"platform": exc.platform.value},
        )
    return SocialError(
        f"{PLATFORM_NAMES[exc.platform]} refused the connection: {exc.message}",
        code=exc.code
        if exc.code in ("no_channel", "no_pages", "no_instagram_account")
        else ("exchange_failed"),
        status=400,
        details={"platform": exc.platform.value, "platform_code": exc.code},
    )


def _store_account(
    platform: Platform,
    *,
    uid: str,
    social: SocialPlatform,
    account: ConnectedAccount,
    emulated: bool,
    refreshable: bool,
) -> SocialAccountOut:
    """Create or update the account (same user + platform account = same record)."""
    profile = account.profile
    account_id = account_id_for(uid, social, profile.platform_account_id)
    ref = _account_ref(platform, account_id)
    claim_ref = platform.documents.collection(CLAIMS).document(
        _claim_id(social, profile.platform_account_id)
    )
    now = _now()

    def run(tx: Transaction) -> bool:
        claim = tx.get(claim_ref)
        if claim.exists and claim.get("user_id") != uid:
            return False
        existing = tx.get(ref)
        old = existing.to_dict() or {}
        tokens = account.tokens.model_copy()
        if (
            tokens.refresh_token is None
            and old.get("tokens")
            and old.get("status") != ("disconnected")
        ):
            # Google sends a refresh token only when consent is shown: a
            # reconnect without one keeps the stored one.
            tokens.refresh_token = _decrypt_tokens(platform, ref, old).refresh_token
        doc: dict[str, Any] = {
            "user_id": uid,
            "platform": social.value,
            "platform_account_id": profile.platform_account_id,
            "status": "connected",
            "display_name": profile.display_name,
            "handle": profile.handle,
            "avatar_url": profile.avatar_url,
            "profile_url": profile.profile_url,
            "followers": profile.followers,
            "profile_extra": profile.extra,
            "scopes": account.scopes,
            "capabilities": account.capabilities.model_dump(),
            "subject": tokens.subject,
            "emulated": emulated,
            "tokens": _encrypt_tokens(platform, ref, tokens),
            "token_version": int(old.get("token_version", 0)) + 1,
            "grant_generation": int(old.get("grant_generation", 0)) + 1,
            "refresh_failures": 0,
            "last_error": None,
            "last_refreshed_at": now,
            "connected_at": old.get("connected_at") or now,
            "updated_at": now,
            "disconnected_at": None,
            "refresh_lock_id": None,
            "refresh_lock_until": None,
            "refresh_expires_at": None,
            **_expiry_fields(tokens, refreshable, now),
        }
        tx.set(ref, doc)
        tx.set(
            claim_ref,
            {"user_id": uid, "account_id": account_id, "platform": social.value, "claimed_at": now},
        )
        return True

    if not platform.documents.run_transaction(run):
        raise Conflict(
            f"this {PLATFORM_NAMES[social]} account is already connected to another Synthora "
            "user; they must disconnect it first",
            code="account_connected_elsewhere",
            details={"platform": social.value},
        )
    snap = ref.get()
    log.info(
        "social account connected",
        extra=fields(uid=uid, platform=social.value, account_id=account_id),
    )
    return to_out(snap)


def _claimed_elsewhere(
    platform: Platform, uid: str, social: SocialPlatform, platform_account_id: str
) -> bool:
    claim = (
        platform.documents.collection(CLAIMS).document(_claim_id(social, platform_account_id)).get()
    )
    return claim.exists and claim.get("user_id") != uid


def _selection_out(snap: Snapshot) -> SelectionOut:
    d = snap.to_dict() or {}
    return SelectionOut(
        id=snap.id,
        platform=SocialPlatform(d["platform"]),
        candidates=[Candidate.model_validate(c) for c in d.get("candidates") or []],
        expires_at=d["expires_at"],
    )


def _create_selection(
    platform: Platform, *, uid: str, social: SocialPlatform, found: list[ConnectedAccount]
) -> SelectionOut:
    ref = platform.documents.collection(SELECTIONS).document(auto_id())
    now = _now()
    candidates = [
        Candidate(
            platform_account_id=a.profile.platform_account_id,
            display_name=a.profile.display_name,
            handle=a.profile.handle,
            avatar_url=a.profile.avatar_url,
            followers=a.profile.followers,
            can_publish=a.capabilities.can_publish,
            already_connected=_account_ref(
                platform, account_id_for(uid, social, a.profile.platform_account_id)
            )
            .get()
            .get("status")
            == "connected",
        )
        for a in found
    ]
    payload = json.dumps(
        [
            {
                **a.model_dump(mode="json", exclude={"tokens"}),
                "tokens": {
                    **a.tokens.model_dump(mode="json", exclude={"access_token", "refresh_token"}),
                    "access_token": a.tokens.access_token.get_secret_value(),
                    "refresh_token": (
                        a.tokens.refresh_token.get_secret_value()
                        if a.tokens.refresh_token
                        else None
                    ),
                },
            }
            for a in found
        ]
    )
    ref.create(
        {
            "user_id": uid,
            "platform": social.value,
            "candidates": [c.model_dump() for c in candidates],
            "secret": encrypt_secret(
                plaintext=payload, keyring=_keyring(platform), aad=ref.path
            ).model_dump(),
            "created_at": now,
            "expires_at": now + SELECTION_TTL,
            "used_at": None,
        }
    )
    return _selection_out(ref.get())


def _finish(
    platform: Platform, *, uid: str, social: SocialPlatform, code: str, verifier: str | None
) -> CallbackOutcome:
    if not get_features(platform=platform).social_posting:
        raise _flag_off()
    client = client_for(platform.settings, social)
    try:
        tokens = client.exchange_code(code=code, code_verifier=verifier)
        found = client.accounts(tokens=tokens)
    except SocialPlatformError as exc:
        log.warning(
            "social connect failed",
            extra=fields(uid=uid, platform=social.value, kind=exc.kind, code=exc.code),
        )
        raise _platform_failure(exc) from None
    if len(found) > 1:
        selection = _create_selection(platform, uid=uid, social=social, found=found)
        return CallbackOutcome(platform=social, result="select", selection=selection)
    stored = _store_account(
        platform,
        uid=uid,
        social=social,
        account=found[0],
        emulated=client.app.emulated,
        refreshable=client.refreshable,
    )
    return CallbackOutcome(
        platform=social,
        result="connected",
        accounts=[stored],
        missing_scopes=stored.capabilities.missing_scopes,
    )


def _denied(social: SocialPlatform, error: str, description: str | None) -> SocialError:
    if error == "access_denied":
        return SocialError(
            f"you declined {PLATFORM_NAMES[social]}'s consent screen; nothing was connected",
            code="access_denied",
            details={"platform": social.value},
        )
    return SocialError(
        f"{PLATFORM_NAMES[social]} ended the sign-in with {error!r}"
        + (f": {description[:200]}" if description else ""),
        code="consent_failed",
        details={"platform": social.value, "platform_error": error[:100]},
    )


def complete_callback(
    *,
    platform: Platform,
    social_platform: str,
    state: str | None,
    code: str | None,
    error: str | None = None,
    error_description: str | None = None,
    uid: str | None = None,
) -> CallbackOutcome:
    """Finish a consent: check and spend the state, exchange the code, store the account(s).

    `uid` is None for the browser redirect (the state says who started it) and
    the caller's uid for the manual callback (the state must be theirs).
    Raises `SocialError` (4xx) for every refusal.
    """
    social = _platform_of(social_platform)
    owner, verifier = _consume_state(platform, state=state or "", social=social, uid=uid)
    if error:
        raise _denied(social, error, error_description)
    if not code:
        raise SocialError("the platform sent no authorization code", code="code_missing")
    return _finish(platform, uid=owner, social=social, code=code, verifier=verifier)


def callback_redirect(
    *,
    platform: Platform,
    social_platform: str,
    state: str | None,
    code: str | None,
    error: str | None,
    error_description: str | None,
) -> str:
    """The web-app URL the browser lands on after the platform's redirect (no token in it)."""
    settings = platform.settings
    query: dict[str, str] = {"platform": social_platform[:20]}
    try:
        outcome = complete_callback(
            platform=platform,
            social_platform=social_platform,
            state=state,
            code=code,
            error=error,
            error_description=error_description,
        )
    except ApiError as exc:
        query.update(error=exc.code, message=str(exc.message)[:300])
        details = exc.details if isinstance(exc.details, dict) else {}
        if details.get("missing_scopes"):
            query["missing"] = ",".join(details["missing_scopes"])
        return web_url(settings, "/social-accounts", query)
    if outcome.result == "select" and outcome.selection is not None:
        query["select"] = outcome.selection.id
    else:
        query["connected"] = ",".join(a.id for a in outcome.accounts)
        if outcome.missing_scopes:
            query["missing"] = ",".join(outcome.missing_scopes)
    return web_url(settings, "/social-accounts", query)


def _load_selection(platform: Platform, uid: str, selection_id: str) -> Snapshot:
    if not is_document_id(selection_id):
        raise NotFound("selection not found", code="selection_not_found")
    snap = platform.documents.collection(SELECTIONS).document(selection_id).get()
    if not snap.exists or snap.get("user_id") != uid:
        raise NotFound("selection not found", code="selection_not_found")
    if snap.get("used_at") is not None:
        raise SocialError("this choice was already made", code="selection_used", status=409)
    if snap.get("expires_at") <= _now():
        raise SocialError(
            "the choice took longer than 10 minutes; connect again", code="selection_expired"
        )
    return snap


def get_selection(*, platform: Platform, uid: str, selection_id: str) -> SelectionOut:
    return _selection_out(_load_selection(platform, uid, selection_id))


def confirm_selection(
    *, platform: Platform, uid: str, selection_id: str, request: SelectRequest
) -> SocialAccountList:
    """Connect the chosen Pages / Instagram accounts (the others' tokens are dropped)."""
    snap = _load_selection(platform, uid, selection_id)
    ref = snap.reference
    wanted = list(dict.fromkeys(request.platform_account_ids))
    offered = {c["platform_account_id"] for c in snap.get("candidates") or []}
    unknown = [w for w in wanted if w not in offered]
    if unknown:
        raise ValidationFailed(
            "choose among the accounts offered",
            details=[{"field": "platform_account_ids", "message": f"not offered: {unknown}"}],
        )

    def spend(tx: Transaction) -> bool:
        current = tx.get(ref)
        if not current.exists or current.get("used_at") is not None:
            return False
        tx.update(ref, {"used_at": _now(), "secret": DELETE_FIELD})
        return True

    secret = snap.get("secret")
    if not platform.documents.run_transaction(spend):
        raise SocialError("this choice was already made", code="selection_used", status=409)
    social = SocialPlatform(snap.get("platform"))
    found = [
        ConnectedAccount.model_validate(item)
        for item in json.loads(
            decrypt_secret(
                secret=EncryptedSecret.model_validate(secret),
                keyring=_keyring(platform),
                aad=ref.path,
            )
        )
    ]
    app = oauth_app(platform.settings, social)
    stored: list[SocialAccountOut] = []
    refused: list[str] = []
    for account in found:
        if account.profile.platform_account_id not in wanted:
            continue
        if _claimed_elsewhere(platform, uid, social, account.profile.platform_account_id):
            refused.append(account.profile.display_name)
            continue
        stored.append(
            _store_account(
                platform,
                uid=uid,
                social=social,
                account=account,
                emulated=bool(app and app.emulated),
                refreshable=_client_class(social).refreshable,
            )
        )
    if refused and not stored:
        raise Conflict(
            "these accounts are already connected to another Synthora user: " + ", ".join(refused),
            code="account_connected_elsewhere",
            details={"platform": social.value},
        )
    return SocialAccountList(items=stored)


# --------------------------------------------------------------------------- reading


def list_accounts(
    *,
    platform: Platform,
    uid: str,
    social_platform: str | None = None,
    include_disconnected: bool = False,
) -> SocialAccountList:
    query = _accounts(platform).where("user_id", "==", uid)
    if social_platform is not None:
        query = query.where("platform", "==", _platform_of(social_platform).value)
    items = [to_out(s) for s in query.get()]
    if not include_disconnected:
        items = [a for a in items if a.status != "disconnected"]
    order = {p: i for i, p in enumerate(SocialPlatform)}
    items.sort(key=lambda a: (order[a.platform], a.display_name.lower(), a.id))
    return SocialAccountList(items=items)


def get_account(*, platform: Platform, uid: str, account_id: str) -> SocialAccountOut:
    return to_out(_load_owned(platform, uid, account_id))


# --------------------------------------------------------------------------- disconnect


def disconnect_account(*, platform: Platform, uid: str, account_id: str) -> DisconnectOutcome:
    """Revoke where allowed, delete the tokens and the claim, keep the record for history."""
    snap = _load_owned(platform, uid, account_id)
    data = snap.to_dict() or {}
    social = SocialPlatform(data["platform"])
    ref = snap.reference
    revoked: bool | None = None
    can_revoke = (
        data.get("status") != "disconnected"
        and bool(data.get("tokens"))
        and _client_class(social).revocable
        and oauth_app(platform.settings, social) is not None
    )
    if can_revoke:
        try:
            revoked = client_for(platform.settings, social).revoke(
                tokens=_decrypt_tokens(platform, ref, data)
            )
        except SocialPlatformError as exc:
            # The user asked to disconnect: the tokens go regardless.
            log.warning(
                "social revoke failed",
                extra=fields(account_id=account_id, kind=exc.kind, code=exc.code),
            )
            revoked = False
    claim_ref = platform.documents.collection(CLAIMS).document(
        _claim_id(social, str(data["platform_account_id"]))
    )
    now = _now()

    def run(tx: Transaction) -> None:
        claim = tx.get(claim_ref)
        current = tx.get(ref)
        if claim.exists and claim.get("user_id") == uid:
            tx.delete(claim_ref)
        if current.exists:
            tx.update(
                ref,
                {
                    "status": "disconnected",
                    "tokens": DELETE_FIELD,
                    "refresh_at": DELETE_FIELD,
                    "access_expires_at": None,
                    "refresh_expires_at": None,
                    "refresh_lock_id": None,
                    "refresh_lock_until": None,
                    "disconnected_at": now,
                    "updated_at": now,
                },
            )

    platform.documents.run_transaction(run)
    log.info(
        "social account disconnected",
        extra=fields(uid=uid, account_id=account_id, revoked=revoked),
    )
    return DisconnectOutcome(id=account_id, status="disconnected", revoked_at_platform=revoked)


# --------------------------------------------------------------------------- refresh


def _due(data: dict[str, Any], now: datetime) -> bool:
    refresh_at = data.get("refresh_at")
    return refresh_at is None or refresh_at <= now


def _backoff(failures: int) -> timedelta:
    return min(MAX_BACKOFF, timedelta(minutes=2) * (2 ** max(0, failures - 1)))


def _acquire(
    platform: Platform, ref: DocumentRef, *, holder: str, force: bool, seen_version: int | None
) -> tuple[str, dict[str, Any]]:
    now = _now()

    def run(tx: Transaction) -> tuple[str, dict[str, Any]]:
        snap = tx.get(ref)
        if not snap.exists:
            return "gone", {}
        data = snap.to_dict() or {}
        if data.get("status") != "connected":
            return "not_connected", data
        if seen_version is not None and int(data.get("token_version", 0)) != seen_version:
            return "refreshed_elsewhere", data
        lock_until = data.get("refresh_lock_until")
        if data.get("refresh_lock_id") and lock_until is not None and lock_until > now:
            return "busy", data
        if not force and not _due(data, now):
            return "not_due", data
        tx.update(ref, {"refresh_lock_id": holder, "refresh_lock_until": now + LEASE})
        return "acquired", data

    return platform.documents.run_transaction(run)


def _release_with(
    platform: Platform, ref: DocumentRef, *, holder: str, updates: dict[str, Any]
) -> bool:
    """Apply `updates` and drop the lease, if the lease is still ours."""

    def run(tx: Transaction) -> bool:
        snap = tx.get(ref)
        if not snap.exists or snap.get("refresh_lock_id") != holder:
            return False
        tx.update(ref, {**updates, "refresh_lock_id": None, "refresh_lock_until": None})
        return True

    return platform.documents.run_transaction(run)


def refresh_account(
    *,
    platform: Platform,
    account_id: str,
    uid: str | None = None,
    force: bool = False,
    if_version: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> RefreshOutcome:
    """Renew the account's tokens under its lease.

    `force` refreshes even when not due (the API's "refresh now"). A caller
    that finds another refresh in flight waits for it and reports its result
    instead of spending the refresh token a second time. `if_version` is the
    token version the caller saw: when the tokens were renewed since, nothing
    is refreshed again ("refreshed_elsewhere").
    """
    if uid is not None:
        _load_owned(platform, uid, account_id)
    elif not is_document_id(account_id):
        raise NotFound("social account not found", code="social_account_not_found")
    ref = _account_ref(platform, account_id)
    holder = secrets.token_hex(8)
    seen_version: int | None = if_version
    deadline = time.monotonic() + LEASE.total_seconds() + 5
    while True:
        verdict, data = _acquire(
            platform, ref, holder=holder, force=force, seen_version=seen_version
        )
        if verdict == "gone":
            raise NotFound("social account not found", code="social_account_not_found")
        if verdict == "not_connected":
            status = data.get("status")
            result: Any = "needs_reconnect" if status == "needs_reconnect" else "not_due"
            return RefreshOutcome(
                account=to_out(ref.get()),
                result=result,
                message="reconnect this account" if status == "needs_reconnect" else "",
            )
        if verdict in ("not_due", "refreshed_elsewhere"):
            return RefreshOutcome(account=to_out(ref.get()), result=verdict)
        if verdict == "busy":
            seen_version = int(data.get("token_version", 0))
            if time.monotonic() > deadline:
                raise ServiceUnavailable(
                    "another refresh of this account is still running; try again",
                    code="refresh_in_progress",
                )
            sleep(WAIT_POLL_S)
            continue
        break
    return _refresh_holding(platform, ref, data, holder=holder)


def _refresh_holding(
    platform: Platform, ref: DocumentRef, data: dict[str, Any], *, holder: str
) -> RefreshOutcome:
    social = SocialPlatform(data["platform"])
    now = _now()
    try:
        client = client_for(platform.settings, social)
        tokens = _decrypt_tokens(platform, ref, data)
        renewed = client.refresh(
            platform_account_id=str(data["platform_account_id"]), tokens=tokens
        )
    except SocialPlatformError as exc:
        return _refresh_failed(platform, ref, data, holder=holder, exc=exc)
    except SocialError as exc:  # the platform stopped being configured
        _release_with(platform, ref, holder=holder, updates={})
        raise exc
    renewed_fields = {
        "tokens": _encrypt_tokens(platform, ref, renewed),
        "scopes": renewed.scopes or list(data.get("scopes") or []),
        "token_version": int(data.get("token_version", 0)) + 1,
        "last_refreshed_at": now,
        "last_error": None,
        "refresh_failures": 0,
        "updated_at": now,
        **_expiry_fields(renewed, client.refreshable, now),
    }
    if "refresh_expires_at" not in renewed_fields:
        renewed_fields["refresh_expires_at"] = data.get("refresh_expires_at")
    if not _release_with(platform, ref, holder=holder, updates=renewed_fields):
        # Our lease ran out and someone else took over while we were calling the
        # platform: the account changed under us; keep what is stored.
        log.error(
            "social refresh lost its lease",
            extra=fields(account_id=ref.id, platform=social.value),
        )
        raise ServiceUnavailable(
            "the refresh took too long and was superseded; try again", code="refresh_superseded"
        )
    log.info("social tokens refreshed", extra=fields(account_id=ref.id, platform=social.value))
    return RefreshOutcome(
        account=to_out(ref.get()), result="checked" if not client.refreshable else "refreshed"
    )


def _refresh_failed(
    platform: Platform,
    ref: DocumentRef,
    data: dict[str, Any],
    *,
    holder: str,
    exc: SocialPlatformError,
) -> RefreshOutcome:
    now = _now()
    error = {"kind": exc.kind, "code": exc.code, "message": exc.message[:500], "at": now}
    log.warning(
        "social refresh failed",
        extra=fields(account_id=ref.id, platform=exc.platform.value, kind=exc.kind, code=exc.code),
    )
    if exc.dead_grant:
        first = _release_with(
            platform,
            ref,
            holder=holder,
            updates={
                "status": "needs_reconnect",
                "last_error": error,
                "refresh_at": DELETE_FIELD,
                "updated_at": now,
            },
        )
        if first:
            notify_social_disconnected(
                platform=platform,
                uid=str(data["user_id"]),
                account_id=ref.id,
                social_platform=PLATFORM_NAMES[exc.platform],
                reason=(
                    f"Synthora can no longer act for {data.get('display_name') or 'this account'}"
                    f" ({exc.message[:200]}). Reconnect it on the Social Accounts page."
                ),
                idempotency_key=f"social-disconnect:{ref.id}:{data.get('grant_generation', 0)}",
            )
        return RefreshOutcome(
            account=to_out(ref.get()), result="needs_reconnect", message=exc.message
        )
    failures = int(data.get("refresh_failures", 0)) + 1
    _release_with(
        platform,
        ref,
        holder=holder,
        updates={
            "last_error": error,
            "refresh_failures": failures,
            "refresh_at": now + _backoff(failures),
            "updated_at": now,
        },
    )
    return RefreshOutcome(account=to_out(ref.get()), result="transient", message=exc.message)


def refresh_now(*, platform: Platform, uid: str, account_id: str) -> RefreshOutcome:
    """The API's "refresh now": forced, owner only; a transient failure is a 503."""
    outcome = refresh_account(platform=platform, account_id=account_id, uid=uid, force=True)
    if outcome.result == "transient":
        raise ServiceUnavailable(
            f"{PLATFORM_NAMES[outcome.account.platform]} is not answering right now "
            f"({outcome.message}); the account stays connected and will be retried",
            code="platform_unavailable",
        )
    return outcome


def access_token_for(*, platform: Platform, account_id: str) -> SecretStr:
    """A working access token for posting and analytics, refreshed first when due.

    Raises `SocialError` (`needs_reconnect`) when the grant is dead and
    `ServiceUnavailable` when the platform cannot renew it right now.
    """
    ref = _account_ref(platform, account_id)
    snap = ref.get()
    data = snap.to_dict() or {}
    if not snap.exists or data.get("status") == "disconnected":
        raise NotFound("social account not found", code="social_account_not_found")
    expires = data.get("access_expires_at")
    if (
        data.get("status") == "connected"
        and expires is not None
        and expires <= _now() + (timedelta(minutes=5))
    ):
        # Two callers at once (a duplicate delivery) must not both spend the refresh
        # token: the second finds the version moved on and uses the renewed tokens.
        outcome = refresh_account(
            platform=platform,
            account_id=account_id,
            force=True,
            if_version=int(data.get("token_version", 0)),
        )
        if outcome.result == "transient":
            raise ServiceUnavailable(outcome.message, code="platform_unavailable")
        snap = ref.get()
        data = snap.to_dict() or {}
    if data.get("status") != "connected":
        raise SocialError("this account needs reconnecting", code="needs_reconnect", status=409)
    return _decrypt_tokens(platform, ref, data).access_token


# --------------------------------------------------------------------------- cron + task


def plan_refreshes(*, platform: Platform, now: datetime | None = None) -> RefreshPlan:
    """Enqueue one refresh task per connected account due within the horizon."""
    now = now or _now()
    cutoff = now + CRON_HORIZON
    snaps = _accounts(platform).where("refresh_at", "<=", cutoff).limit(CRON_PAGE).get()
    enqueued = already = 0
    ids: list[str] = []
    for snap in snaps:
        if snap.get("status") != "connected":
            continue
        version = int(snap.get("token_version", 0))
        name = task_name(
            "social-refresh", snap.id, version, int(snap.get("refresh_at").timestamp())
        )
        try:
            result = platform.tasks.enqueue(
                function=REFRESH_FUNCTION,
                payload=RefreshTask(account_id=snap.id, token_version=version),
                name=name,
            )
        except TaskQueueError as exc:
            log.warning(
                "social refresh not queued", extra=fields(account_id=snap.id, reason=str(exc))
            )
            continue
        if result.created:
            enqueued += 1
        else:
            already += 1
        ids.append(snap.id)
    return RefreshPlan(enqueued=enqueued, already_enqueued=already, accounts=ids)


def run_refresh_task(*, platform: Platform, task: RefreshTask) -> RefreshTaskResult:
    """One account's scheduled refresh; idempotent (a refreshed account is no longer due).

    A transient failure raises 503 so the queue retries the delivery.
    """
    snap = _account_ref(platform, task.account_id).get()
    if not snap.exists:
        return RefreshTaskResult(account_id=task.account_id, result="gone")
    if int(snap.get("token_version", 0)) != task.token_version:
        return RefreshTaskResult(account_id=task.account_id, result="refreshed_elsewhere")
    outcome = refresh_account(platform=platform, account_id=task.account_id)
    if outcome.result == "transient":
        raise ServiceUnavailable(outcome.message, code="platform_unavailable")
    return RefreshTaskResult(account_id=task.account_id, result=outcome.result)


# --------------------------------------------------------------------------- cleanup

# `oauth_states` is listed by the cleanup module itself; the Pages a person was
# choosing from (their tokens encrypted) go once their 10 minutes are over.
CLEANUP_TARGET = CleanupTarget(name="social_selections", collection=SELECTIONS)
