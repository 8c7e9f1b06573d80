"""Settings: one pydantic-settings class read from the environment.

Local mode (the default) needs nothing set: secrets are generated once per
data folder and kept in `<data_dir>/local-secrets.json`. Outside local and test
mode, every secret must be given and placeholder values are refused at start.
"""

from __future__ import annotations

import json
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]

Environment = Literal["local", "test", "production"]

_PLACEHOLDER_MARKERS = (
    "changeme",
    "change-me",
    "placeholder",
    "example",
    "xxx",
    "local-dev",
    "todo",
)
MIN_SECRET_LENGTH = 32

# The one place the Stripe API version is pinned: stripe-python 16.1.0's own version, so
# the SDK's types, the requests and the webhook endpoint's payloads all agree.
STRIPE_API_VERSION = "2026-10-28.endive"


PlatformName = Literal["google", "tiktok", "meta"]

# platform -> base name -> (settings field holding the real host, API path below it).
# The emulator prefix of each platform is its name (emulators/synthora_emulators).
PLATFORM_BASES: dict[str, dict[str, tuple[str, str]]] = {
    "google": {
        "accounts": ("google_accounts_url", ""),
        "oauth": ("google_oauth_url", ""),
        "youtube": ("youtube_api_url", "/youtube/v3"),
        "youtube_upload": ("youtube_api_url", "/upload/youtube/v3"),
        "youtube_analytics": ("youtube_analytics_url", "/v2"),
    },
    "tiktok": {"auth": ("tiktok_auth_url", ""), "api": ("tiktok_api_url", "")},
    "meta": {
        "facebook": ("facebook_url", "/{graph_version}"),
        "graph": ("graph_url", "/{graph_version}"),
    },
}

#: Firebase Hosting appends the client's address, then Google Front End appends Hosting's.
PRODUCTION_PROXY_HOPS = 2

#: Environment variables that point a client library at an emulator, and their settings.
EMULATOR_VARIABLES: dict[str, str] = {
    "FIREBASE_AUTH_EMULATOR_HOST": "firebase_auth_emulator_host",
    "FIRESTORE_EMULATOR_HOST": "firestore_emulator_host",
    "STORAGE_EMULATOR_HOST": "storage_emulator_host",
    "CLOUD_TASKS_EMULATOR_HOST": "cloud_tasks_emulator_host",
    "SYNTHORA_PLATFORM_EMULATOR_URL": "platform_emulator_url",
}


class ConfigurationError(RuntimeError):
    """The process cannot start with this configuration."""


def is_placeholder(value: str) -> bool:
    lowered = value.strip().lower()
    return not lowered or any(marker in lowered for marker in _PLACEHOLDER_MARKERS)


class Settings(BaseSettings):
    """Everything configurable, from `SYNTHORA_*` and the standard Google variables."""

    model_config = SettingsConfigDict(
        env_prefix="SYNTHORA_", env_file=".env", extra="ignore", populate_by_name=True
    )

    environment: Environment = "local"
    log_level: str = "INFO"
    data_dir: Path = Field(default=REPO_ROOT / ".synthora")
    public_url: str = Field(
        default="http://127.0.0.1:8080",
        description="Base URL the local gateway is reached at (signed URLs, task delivery).",
    )
    manifest_file: Path = Field(default=REPO_ROOT / "functions" / "manifest.toml")
    functions_dir: Path = Field(default=REPO_ROOT / "functions")
    indexes_file: Path | None = Field(default=REPO_ROOT / "firestore.indexes.json")
    hosting_dist: Path = Field(default=REPO_ROOT / "hosting" / "dist")

    # secrets (generated per data folder in local mode)
    internal_token: SecretStr | None = None
    blob_signing_key: SecretStr | None = None
    master_keys: SecretStr | None = Field(
        default=None, description="Envelope-encryption master keys, `id:base64,...`, first active."
    )

    # Google Cloud
    google_cloud_project: str | None = Field(
        default=None, validation_alias=AliasChoices("GOOGLE_CLOUD_PROJECT", "SYNTHORA_PROJECT")
    )
    region: str = "us-central1"
    bucket: str | None = None
    tasks_service_account: str | None = Field(
        default=None, description="Service account whose OIDC token Cloud Tasks/Scheduler send."
    )
    function_url_template: str | None = Field(
        default=None,
        description="URL of a deployed function, `{name}` replaced, e.g. "
        "https://{region}-{project}.cloudfunctions.net/{name}",
    )
    firebase_auth_emulator_host: str | None = Field(
        default=None, validation_alias=AliasChoices("FIREBASE_AUTH_EMULATOR_HOST")
    )
    firestore_emulator_host: str | None = Field(
        default=None, validation_alias=AliasChoices("FIRESTORE_EMULATOR_HOST")
    )
    storage_emulator_host: str | None = Field(
        default=None, validation_alias=AliasChoices("STORAGE_EMULATOR_HOST")
    )
    cloud_tasks_emulator_host: str | None = Field(
        default=None, validation_alias=AliasChoices("CLOUD_TASKS_EMULATOR_HOST")
    )
    firebase_api_key: str = Field(
        default="demo-api-key", description="Web API key handed to the browser (public)."
    )
    auth_emulator_port: int = 9099
    rate_limits: Literal["on", "off"] = Field(
        default="on",
        description="`off` turns the per-route rate limits off (local and test mode only: "
        "load and chaos runs); production refuses it.",
    )
    trusted_proxy_hops: int | None = Field(
        default=None,
        ge=0,
        le=10,
        description="How many proxies we run append to X-Forwarded-For in front of a "
        "function: the client address is that many entries from the right. Default: 2 in "
        "production (Firebase Hosting, then Google Front End), 0 locally (the socket address).",
    )

    # Social platforms: real hosts by default; `platform_emulator_url` (set by `make dev`
    # when no real app credentials are configured, and by the tests) points them all at
    # the local emulators. Clients get their bases from `platform_bases()`.
    google_accounts_url: str = "https://accounts.google.com"
    google_oauth_url: str = "https://oauth2.googleapis.com"
    youtube_api_url: str = "https://www.googleapis.com"
    youtube_analytics_url: str = "https://youtubeanalytics.googleapis.com"
    tiktok_auth_url: str = "https://www.tiktok.com"
    tiktok_api_url: str = "https://open.tiktokapis.com"
    facebook_url: str = "https://www.facebook.com"
    graph_url: str = "https://graph.facebook.com"
    graph_api_version: str = "v27.0"
    # Posting (docs/posting.md).
    posting_daily_cap_override: int | None = Field(
        default=None,
        ge=1,
        description="Posts per account per 24 h for every platform instead of each platform's "
        "documented cap (the posting benchmark raises it with the emulators' quotas).",
    )
    posting_youtube_uploads_per_day: int = Field(
        default=100,
        ge=1,
        description="The videos.insert bucket of your Google Cloud project (uploads per Pacific "
        "day, shared by every channel; 100 unless Google granted more).",
    )
    storyboard_review_hours: int = Field(
        default=72,
        ge=1,
        le=24 * 30,
        description="How long a storyboard waits for the creator's review before the video "
        "is marked expired (docs/storyboard.md).",
    )
    posting_lease_seconds: int = Field(
        default=600,
        ge=60,
        le=3600,
        description="How long a publishing worker's claim on a target holds before another "
        "may take it over (a worker that died mid-upload); longer than the slowest upload.",
    )
    posting_reminder_minutes: int = Field(
        default=30, ge=1, le=1440, description="The scheduled_post reminder goes this long before."
    )
    platform_emulator_url: str | None = Field(
        default=None,
        description="Base URL of the local platform emulators (python -m synthora_emulators); "
        "when set, every platform base is <url>/<prefix>. Never set in production.",
    )

    @property
    def platforms_emulated(self) -> bool:
        """Whether the social platforms are the local emulators ("Emulated (local)" in the UI)."""
        return bool(self.platform_emulator_url)

    def platform_bases(self, platform: PlatformName) -> dict[str, str]:
        """The base URLs one platform's client uses, by name (no trailing slash).

        google: accounts, oauth, youtube, youtube_upload, youtube_analytics;
        tiktok: auth, api; meta: facebook, graph (both with the pinned Graph version).
        """
        bases: dict[str, str] = {}
        for name, (field, path) in PLATFORM_BASES[platform].items():
            if self.platform_emulator_url:
                host = self.platform_emulator_url.rstrip("/") + "/" + platform
            else:
                host = str(getattr(self, field)).rstrip("/")
            bases[name] = host + path.format(graph_version=self.graph_api_version)
        return bases

    # Billing with Stripe (docs/billing.md); `platform_emulator_url` above also points the
    # Stripe client at `<url>/stripe` while no Stripe key is set.
    stripe_secret_key: SecretStr | None = Field(
        default=None, description="Stripe secret key (sk_test_... or sk_live_...)."
    )
    stripe_webhook_secret: SecretStr | None = Field(
        default=None, description="Signing secret of the webhook endpoint (whsec_...)."
    )
    stripe_api_base: str = Field(
        default="https://api.stripe.com", description="Stripe API host (the emulator overrides)."
    )
    stripe_api_version: str = Field(
        default=STRIPE_API_VERSION,
        description="The Stripe API version every request and the webhook endpoint use.",
    )
    stripe_currency: str = Field(default="usd", pattern=r"^[a-z]{3}$")
    stripe_monthly_amount: int = Field(default=500, ge=50, description="Minor units per month.")
    stripe_annual_amount: int = Field(default=5000, ge=50, description="Minor units per year.")
    stripe_product_name: str = "Synthora Premium"
    stripe_monthly_lookup_key: str = "synthora_premium_monthly"
    stripe_annual_lookup_key: str = "synthora_premium_annual"
    stripe_webhook_tolerance_s: int = Field(default=300, ge=1)
    billing_grace_days: int = Field(
        default=3, ge=0, le=30, description="Days a past_due subscription keeps premium."
    )
    user_purge_grace_days: int = Field(
        default=30,
        ge=0,
        le=365,
        description="Days a soft-deleted user stays disabled before the daily cleanup purges "
        "everything of theirs (docs/admin.md).",
    )

    @property
    def stripe_base_url(self) -> str:
        """Where the Stripe client sends requests: the emulator when it runs and no key is set."""
        if self.platform_emulator_url and self.stripe_secret_key is None:
            return self.platform_emulator_url.rstrip("/") + "/stripe"
        return self.stripe_api_base.rstrip("/")

    # Social platforms (docs/social-accounts.md): each platform's OAuth app. A
    # platform whose id or secret is missing is "not set up on this server",
    # except in local mode with the platform emulators, where emulator client
    # ids are used and the platform is labelled "Emulated (local)".
    google_client_id: str | None = Field(
        default=None, description="Google OAuth web client id used for YouTube."
    )
    google_client_secret: SecretStr | None = None
    tiktok_client_key: str | None = Field(
        default=None, description="TikTok Login Kit client key (TikTok's name for the id)."
    )
    tiktok_client_secret: SecretStr | None = None
    meta_app_id: str | None = Field(
        default=None, description="Meta app id, used by Facebook Login for Pages and Instagram."
    )
    meta_app_secret: SecretStr | None = None
    social_redirect_base_url: str | None = Field(
        default=None,
        description="Public origin the platforms redirect back to (the Hosting URL); "
        "defaults to public_url. Redirect URIs are "
        "<origin>/api/v1/social-accounts/callback/<platform>.",
    )
    web_app_url: str | None = Field(
        default=None, description="Where the web app is served; defaults to public_url."
    )

    # Email notifications (docs/notifications.md): any SMTP provider. Unset host = no
    # email is sent. `make dev` points these at the local mail catcher
    # (python -m synthora_emulators.mailcatcher); the password comes from Secret Manager
    # (SYNTHORA_SMTP_PASSWORD, mounted into notifications_email) like every other secret.
    smtp_host: str | None = Field(
        default=None, description="SMTP server host; email notifications are off while unset."
    )
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: Literal["starttls", "ssl", "none"] = Field(
        default="starttls",
        description="starttls (port 587), ssl (implicit TLS, port 465) or none (the local "
        "mail catcher; refused for a non-loopback host in production).",
    )
    smtp_username: str | None = None
    smtp_password: SecretStr | None = Field(
        default=None, description="SMTP password or API key (Secret Manager in production)."
    )
    smtp_from: str = Field(
        default="Synthora <no-reply@synthora.localhost>",
        max_length=300,
        description="The From header of every email, e.g. `Synthora <no-reply@example.com>`.",
    )
    smtp_timeout_s: float = Field(default=20.0, gt=0, le=120)
    mail_catcher_url: str | None = Field(
        default=None,
        description="The local mail catcher's web inbox (set by `make dev`; never in production).",
    )

    @property
    def email_enabled(self) -> bool:
        """Whether email notifications are sent (an SMTP host is configured)."""
        return bool(self.smtp_host)

    @property
    def is_local(self) -> bool:
        return self.environment in ("local", "test")

    @property
    def proxy_hops(self) -> int:
        """Entries at the right end of X-Forwarded-For written by proxies we trust."""
        if self.trusted_proxy_hops is not None:
            return self.trusted_proxy_hops
        return 0 if self.is_local else PRODUCTION_PROXY_HOPS

    def emulators_in_use(self) -> list[str]:
        """The emulator variables set, in the settings or the process environment.

        Any of them makes a client library trust a fake service (the Auth emulator's
        tokens carry no signature), so outside local and test mode they are refused.
        """
        found = []
        for name, attr in EMULATOR_VARIABLES.items():
            if getattr(self, attr) or os.environ.get(name):
                found.append(name)
        return found

    @property
    def project_id(self) -> str:
        return self.google_cloud_project or "demo-synthora"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "synthora.sqlite3"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @model_validator(mode="after")
    def _secrets(self) -> Settings:
        if self.is_local:
            self._fill_local_secrets()
            return self
        problems: list[str] = []
        emulators = self.emulators_in_use()
        if emulators:
            problems.append(
                f"{', '.join(emulators)} set: emulators are for local and test mode only "
                "(the Auth emulator's unsigned tokens would be accepted)"
            )
        if self.rate_limits == "off":
            problems.append("SYNTHORA_RATE_LIMITS=off is for local and test mode only")
        for name in ("master_keys",):
            value = getattr(self, name)
            if value is None or is_placeholder(value.get_secret_value()):
                problems.append(f"SYNTHORA_{name.upper()} is missing or a placeholder")
        for name in ("internal_token", "blob_signing_key"):
            value = getattr(self, name)
            if value is not None and (
                is_placeholder(value.get_secret_value())
                or len(value.get_secret_value()) < MIN_SECRET_LENGTH
            ):
                problems.append(
                    f"SYNTHORA_{name.upper()} is a placeholder or shorter than "
                    f"{MIN_SECRET_LENGTH} characters"
                )
        if not self.google_cloud_project:
            problems.append("GOOGLE_CLOUD_PROJECT must be set in production")
        if self.platform_emulator_url:
            problems.append("SYNTHORA_PLATFORM_EMULATOR_URL (local emulators) is set")
        if (
            self.smtp_host
            and self.smtp_security == "none"
            and self.smtp_host not in ("127.0.0.1", "::1", "localhost")
        ):
            problems.append(
                "SYNTHORA_SMTP_SECURITY=none sends passwords and mail in clear text: "
                "use starttls or ssl"
            )
        if problems:
            raise ConfigurationError("refusing to start in production: " + "; ".join(problems))
        return self

    def _fill_local_secrets(self) -> None:
        wanted = {
            "internal_token": lambda: secrets.token_urlsafe(32),
            "blob_signing_key": lambda: secrets.token_urlsafe(32),
            "master_keys": _new_master_keys,
        }
        missing = [k for k in wanted if getattr(self, k) is None]
        if not missing:
            return
        stored = _load_or_create_local_secrets(self.data_dir, wanted)
        for key in missing:
            object.__setattr__(self, key, SecretStr(stored[key]))

    def secret(self, name: str) -> str:
        value = getattr(self, name)
        if value is None:
            raise ConfigurationError(f"setting {name} is not configured")
        return str(value.get_secret_value())


def _new_master_keys() -> str:
    import base64

    return "local1:" + base64.b64encode(secrets.token_bytes(32)).decode()


def _load_or_create_local_secrets(data_dir: Path, wanted: dict[str, Any]) -> dict[str, str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "local-secrets.json"
    stored: dict[str, str] = {}
    if path.exists():
        stored = json.loads(path.read_text())
    changed = False
    for key, make in wanted.items():
        if key not in stored:
            stored[key] = make()
            changed = True
    if changed:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(stored, indent=2))
        os.chmod(tmp, 0o600)
        tmp.replace(path)
    return stored


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once). `SYNTHORA_ENV_FILE=""` ignores `.env`."""
    env_file = os.environ.get("SYNTHORA_ENV_FILE", ".env") or None
    return Settings(_env_file=env_file)  # type: ignore[call-arg]


def reset_settings_cache() -> None:
    get_settings.cache_clear()
