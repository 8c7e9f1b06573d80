"""What the four social platform modules share: OAuth app config, tokens, profiles, errors.

Each platform module (`youtube`, `tiktok`, `facebook`, `instagram`) holds one
`SocialOAuthClient` subclass speaking that platform's documented OAuth and
profile calls over httpx. The HTTP client is created on first use (or
injected by tests); base URLs come from `Settings.platform_bases`, so the
same code talks to the real hosts or to the platform emulators.

Errors are classified once, here, because the rest of Synthora acts on the
class and never on a platform's wording (shared/reference/platform-apis.md
section 0): only a recognised **dead grant** (`invalid_grant`, Graph code
190, a refused TikTok refresh) may mark an account "needs reconnect"; a
**transient** error (network, 5xx, 429, platform throttles) is retried and
never disconnects; **refused** is a request the platform will not do as sent
(missing scope, bad parameter); **config** is the operator's OAuth app being
wrong (bad client id or secret), which no user action repairs.

Tokens are `SecretStr` everywhere, so a model printed or logged shows `**********`.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal, Protocol

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from synthora.providers.base import Capability
from synthora.providers.errors import parse_retry_after
from synthora.settings import PlatformName, Settings

TIMEOUT = httpx.Timeout(20.0, connect=5.0)
USER_AGENT = "Synthora/0.1 (+https://github.com/synthora)"


class SocialPlatform(StrEnum):
    YOUTUBE = "youtube"
    TIKTOK = "tiktok"
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"


PLATFORM_NAMES: Mapping[SocialPlatform, str] = {
    SocialPlatform.YOUTUBE: "YouTube",
    SocialPlatform.TIKTOK: "TikTok",
    SocialPlatform.INSTAGRAM: "Instagram",
    SocialPlatform.FACEBOOK: "Facebook",
}

#: The platform family in settings (`Settings.platform_bases`), also the emulator prefix.
EMULATOR_PREFIX: Mapping[SocialPlatform, PlatformName] = {
    SocialPlatform.YOUTUBE: "google",
    SocialPlatform.TIKTOK: "tiktok",
    SocialPlatform.INSTAGRAM: "meta",
    SocialPlatform.FACEBOOK: "meta",
}

ErrorKind = Literal["dead_grant", "transient", "refused", "config"]


class SocialPlatformError(Exception):
    """A platform call failed; `kind` says what Synthora may do about it."""

    def __init__(
        self,
        *,
        platform: SocialPlatform,
        kind: ErrorKind,
        code: str,
        message: str,
        http_status: int | None = None,
        retry_after_s: float | None = None,
        missing_scopes: tuple[str, ...] = (),
    ) -> None:
        super().__init__(f"{platform.value}: {code}: {message}")
        self.platform = platform
        self.kind = kind
        self.code = code
        self.message = message
        self.http_status = http_status
        self.retry_after_s = retry_after_s
        self.missing_scopes = missing_scopes

    @property
    def dead_grant(self) -> bool:
        return self.kind == "dead_grant"

    @property
    def transient(self) -> bool:
        return self.kind == "transient"


class OAuthApp(BaseModel):
    """The operator's OAuth app for one platform, and where the platform redirects back."""

    model_config = ConfigDict(frozen=True)

    client_id: str
    client_secret: SecretStr
    redirect_uri: str
    emulated: bool = False


class TokenSet(BaseModel):
    """What a token endpoint answered. Lifetimes in seconds, as the platform sent them."""

    access_token: SecretStr
    refresh_token: SecretStr | None = None
    expires_in: int | None = Field(default=None, description="None: does not expire.")
    refresh_expires_in: int | None = None
    scopes: list[str] = Field(default_factory=list)
    subject: str | None = Field(default=None, description="TikTok open_id; Meta user id.")


class Capabilities(BaseModel):
    """What the connected account can do for Synthora, known at connect time."""

    can_publish: bool
    can_read_analytics: bool
    missing_scopes: list[str] = Field(default_factory=list)
    privacy_level_options: list[str] | None = Field(
        default=None, description="TikTok creator_info: who a post may be shown to."
    )
    max_video_post_duration_sec: int | None = Field(
        default=None, description="TikTok creator_info: the longest video this creator may post."
    )
    comment_disabled: bool | None = None
    duet_disabled: bool | None = None
    stitch_disabled: bool | None = None
    notes: list[str] = Field(default_factory=list)


class PlatformProfile(BaseModel):
    """One postable account (a channel, a TikTok user, a Page, an IG professional account)."""

    platform_account_id: str
    display_name: str
    handle: str | None = None
    avatar_url: str | None = None
    profile_url: str | None = None
    followers: int | None = None
    extra: dict[str, Any] = Field(default_factory=dict)


class ConnectedAccount(BaseModel):
    """A profile plus the tokens that act for it and what they allow."""

    profile: PlatformProfile
    tokens: TokenSet
    scopes: list[str]
    capabilities: Capabilities


def pkce_pair() -> tuple[str, str]:
    """A fresh PKCE verifier (43 chars, RFC 7636 4.1) and its S256 challenge."""
    verifier = secrets.token_urlsafe(32)
    return verifier, s256(verifier)


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def missing(required: tuple[str, ...] | list[str], granted: list[str]) -> list[str]:
    have = set(granted)
    return [s for s in required if s not in have]


class SocialOAuthClient(ABC):
    """One platform's OAuth client and profile reader.

    Building makes no network call; the httpx client is created on first use
    unless injected (tests pass a respx-mocked or emulator-bound client).
    """

    platform: SocialPlatform
    #: Whether the authorize request carries a PKCE S256 challenge.
    uses_pkce: bool = True
    #: Whether the platform issues refresh tokens that renew the access token.
    refreshable: bool = True
    #: Whether the platform's API lets us revoke the grant.
    revocable: bool = True

    def __init__(
        self, *, app: OAuthApp, settings: Settings, http: httpx.Client | None = None
    ) -> None:
        self.app = app
        self.settings = settings
        self._http = http

    def __repr__(self) -> str:  # never the secret
        return f"{type(self).__name__}(client_id={self.app.client_id!r})"

    @property
    def http(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(timeout=TIMEOUT, headers={"User-Agent": USER_AGENT})
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    @property
    def bases(self) -> dict[str, str]:
        """This platform's base URLs from settings (real hosts, or the emulators)."""
        return self.settings.platform_bases(EMULATOR_PREFIX[self.platform])

    # -- the flow -------------------------------------------------------------------

    @abstractmethod
    def authorize_url(self, *, state: str, code_challenge: str | None) -> str:
        """Where the browser goes to consent."""

    @abstractmethod
    def exchange_code(self, *, code: str, code_verifier: str | None) -> TokenSet:
        """The callback's code for tokens."""

    @abstractmethod
    def accounts(self, *, tokens: TokenSet) -> list[ConnectedAccount]:
        """The postable accounts these tokens reach, each with its own tokens."""

    @abstractmethod
    def refresh(self, *, platform_account_id: str, tokens: TokenSet) -> TokenSet:
        """Renew (or for non-expiring tokens, re-check) the account's tokens."""

    @abstractmethod
    def revoke(self, *, tokens: TokenSet) -> bool:
        """Revoke at the platform; True when the platform confirmed."""

    # -- shared plumbing --------------------------------------------------------------

    def error(
        self,
        kind: ErrorKind,
        code: str,
        message: str,
        *,
        status: int | None = None,
        retry_after_s: float | None = None,
        missing_scopes: tuple[str, ...] = (),
    ) -> SocialPlatformError:
        return SocialPlatformError(
            platform=self.platform,
            kind=kind,
            code=code,
            message=message,
            http_status=status,
            retry_after_s=retry_after_s,
            missing_scopes=missing_scopes,
        )

    def send(self, method: str, url: str, **kw: Any) -> httpx.Response:
        """One call; network failures become transient errors (the URL never holds a token)."""
        return send_call(self.http, self.error, method, url, **kw)

    def json_of(self, response: httpx.Response) -> dict[str, Any]:
        return json_object(response, self.error)

    def transient_status(self, response: httpx.Response) -> SocialPlatformError | None:
        return throttled(response, self.error)


def oauth_token_error(client: SocialOAuthClient, response: httpx.Response) -> SocialPlatformError:
    """Classify an RFC 6749 token-endpoint error (`{"error", "error_description"}`)."""
    transient = client.transient_status(response)
    if transient is not None:
        return transient
    try:
        body = response.json()
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    code = str(body.get("error") or f"http_{response.status_code}")
    description = str(body.get("error_description") or "the platform refused the token request")
    if code == "invalid_grant":
        return client.error("dead_grant", code, description, status=response.status_code)
    if code in ("invalid_client", "unauthorized_client"):
        return client.error("config", code, description, status=response.status_code)
    if code in ("temporarily_unavailable", "server_error"):
        return client.error("transient", code, description, status=response.status_code)
    return client.error("refused", code, description, status=response.status_code)


@dataclass(frozen=True)
class Connects:
    """The platform module's OAuth client connects, refreshes and revokes accounts."""

    client: type[SocialOAuthClient]
    tests: str

    kind: Literal["oauth"] = "oauth"


@dataclass(frozen=True)
class Planned:
    """Not run by Synthora yet; the reason names what will run it (docs say so too)."""

    reason: str

    kind: Literal["planned"] = "planned"


@dataclass(frozen=True)
class Fetches:
    """The platform's analytics fetcher (`synthora.analytics.<platform>.FETCHER`) reads its
    numbers; named by module path so declaring it imports nothing."""

    fetcher: str
    tests: str

    kind: Literal["fetcher"] = "fetcher"


@dataclass(frozen=True)
class Publishes:
    """The platform's publisher (`synthora.publishing.PUBLISHERS[<platform>]`, an instance of
    the class named here by module path) uploads and publishes posts; named by path so
    declaring it imports nothing."""

    publisher: str
    tests: str

    kind: Literal["publisher"] = "publisher"


SocialSupport = Connects | Fetches | Publishes | Planned


@dataclass(frozen=True)
class SocialDeclaration:
    """One social platform's module declaration (`DECLARATION`), in the providers' shape:
    id, display name, docs, credentials (an OAuth app, not a user key), the scopes
    asked for, and what runs each capability (`CONNECT`, `PUBLISH`, `ANALYTICS`)."""

    id: SocialPlatform
    display_name: str
    docs_url: str
    #: Settings holding the operator's OAuth app (docs/social-accounts.md).
    client_id_setting: str
    client_secret_setting: str
    scopes: tuple[str, ...]
    publish_scopes: tuple[str, ...]
    analytics_scopes: tuple[str, ...]
    capabilities: Mapping[Capability, SocialSupport]

    def __post_init__(self) -> None:
        if not self.docs_url.startswith("https://"):
            raise ValueError("platform docs must be an https URL")
        if not isinstance(self.capabilities.get(Capability.CONNECT), Connects):
            raise ValueError(f"{self.id}: a social platform must declare how it connects")
        unknown = set(self.capabilities) - {
            Capability.CONNECT,
            Capability.PUBLISH,
            Capability.ANALYTICS,
        }
        if unknown:
            raise ValueError(f"{self.id}: not a social capability: {sorted(unknown)}")

    @property
    def client(self) -> type[SocialOAuthClient]:
        support = self.capabilities[Capability.CONNECT]
        assert isinstance(support, Connects)
        return support.client

    def runs(self, capability: Capability) -> bool:
        return isinstance(self.capabilities.get(capability), (Connects, Fetches, Publishes))


# --------------------------------------------------------------------------- shared HTTP handling
# One reading of a platform's HTTP answers for the account clients here and the
# analytics fetchers (`synthora.analytics.base`): each passes its own error factory.


class ErrorFactory(Protocol):
    def __call__(
        self,
        kind: ErrorKind,
        code: str,
        message: str,
        *,
        status: int | None = None,
        retry_after_s: float | None = None,
    ) -> SocialPlatformError: ...


def send_call(
    http: httpx.Client, error: ErrorFactory, method: str, url: str, **kw: Any
) -> httpx.Response:
    """One call; network failures and timeouts become transient errors."""
    try:
        return http.request(method, url, **kw)
    except httpx.TimeoutException:
        raise error("transient", "timeout", "the platform did not answer in time") from None
    except httpx.HTTPError as exc:
        raise error(
            "transient", "network", f"could not reach the platform ({type(exc).__name__})"
        ) from None


def json_object(response: httpx.Response, error: ErrorFactory) -> dict[str, Any]:
    """The answer's JSON object; anything else is refused (transient on a 5xx)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        kind: ErrorKind = "transient" if response.status_code >= 500 else "refused"
        raise error(
            kind,
            "unexpected_response",
            f"the platform answered HTTP {response.status_code} without a JSON object",
            status=response.status_code,
        )
    return body


def throttled(response: httpx.Response, error: ErrorFactory) -> SocialPlatformError | None:
    """A 429 or 5xx as a transient error carrying its Retry-After; else None."""
    if response.status_code == 429 or response.status_code >= 500:
        return error(
            "transient",
            "rate_limited" if response.status_code == 429 else "platform_unavailable",
            f"the platform answered HTTP {response.status_code}; retry later",
            status=response.status_code,
            retry_after_s=parse_retry_after(response.headers.get("Retry-After")),
        )
    return None
