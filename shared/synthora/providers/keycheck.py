"""Checking a user's provider key against the provider's real API: the machinery.

Each provider module declares its own validator (`DECLARATION.validator`),
usually an `HttpValidator` built from the helpers here; `registry.check_key`
is the entry point. HTTP validators make one request to the
provider's cheapest documented authenticated endpoint (see each catalogue
entry's `validation`) and turn the answer into a `ValidationResult`:

    2xx -> valid; 401 -> invalid; 403 -> forbidden (key works, lacks permission or
    plan); 429 -> rate_limited (Retry-After in seconds or as an HTTP date);
    5xx -> provider_error; timeout / connection failure -> unreachable.

Providers that do not follow that mapping get a small hook: MiniMax and
PixVerse report errors inside an HTTP 200 body, Google answers an unknown key
with 400 `API_KEY_INVALID`, AWS with 403 `InvalidClientTokenId`, Shotstack's
gateway with 403, Unsplash signals an exhausted quota with 403. The provider's
own error message is kept (scrubbed of the key). The key is never logged.

`synthora.providers.registry.check_key(provider=..., api_key=...)` is the entry point; pass an
`httpx.Client` to reuse a pool or to route requests in tests.
"""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field

from synthora.logs import fields, get_logger
from synthora.providers.errors import HttpVerdict, http_verdict, parse_retry_after

log = get_logger(__name__)

ValidationStatus = Literal[
    "valid", "invalid", "forbidden", "rate_limited", "provider_error", "unreachable"
]

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
_MAX_MESSAGE = 500
_USER_AGENT = "synthora-integration-check/1"


class ValidationResult(BaseModel):
    """The outcome of one key check, stored on the integration document."""

    model_config = ConfigDict(frozen=True)

    provider: str
    valid: bool
    status: ValidationStatus
    message: str
    http_status: int | None = None
    retry_after_s: float | None = Field(
        default=None, description="Seconds to wait before retrying, when rate limited."
    )
    details: dict[str, Any] = Field(
        default_factory=dict, description="Account facts the provider returned (quota, tier)."
    )
    checked_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


# --------------------------------------------------------------------------- HTTP plumbing

_client_lock = threading.Lock()
_shared_client: httpx.Client | None = None


def _default_client() -> httpx.Client:
    """One pooled client per process, created on first use (no import side effects)."""
    global _shared_client
    with _client_lock:
        if _shared_client is None:
            _shared_client = httpx.Client(
                timeout=DEFAULT_TIMEOUT,
                headers={"User-Agent": _USER_AGENT},
                follow_redirects=False,
            )
        return _shared_client


@dataclass(frozen=True)
class Probe:
    """The single request a validator sends."""

    method: str
    url: str
    headers: Mapping[str, str]
    params: Mapping[str, str] | None = None
    json_body: Any = None
    form: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Outcome:
    """A validator hook's verdict on a response."""

    status: ValidationStatus
    message: str | None = None


class InvalidKeyFormat(ValueError):
    """The key cannot even be sent (e.g. a key pair without its secret)."""


def json_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return None


def _xml_text(text: str, tag: str) -> str | None:
    """First element named `tag` in an XML document, ignoring namespaces."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return None
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == tag and element.text:
            return element.text.strip()
    return None


def provider_message(response: httpx.Response, body: Any) -> str | None:
    """The provider's own error text, from the documented error shapes.

    OpenAI/Ark/DashScope/Gemini `{"error": {"message"}}`; Runway `{"error": "..."}`;
    ElevenLabs/Luma `{"detail": ...}`; Unsplash `{"errors": [...]}`; Shotstack/Creatomate
    `{"message"}` or `{"hint"}`; MiniMax `base_resp.status_msg`; PixVerse `ErrMsg`;
    AWS XML `<Message>`; otherwise a short plain-text body.
    """
    found: str | None = None
    if isinstance(body, dict):
        error = body.get("error")
        detail = body.get("detail")
        errors = body.get("errors")
        base_resp = body.get("base_resp")
        if isinstance(error, dict):
            found = first_str(error, "message", "status", "code")
        elif isinstance(error, str):
            found = error
        elif isinstance(detail, dict):
            found = first_str(detail, "message", "status")
        elif isinstance(detail, str):
            found = detail
        elif isinstance(detail, list) and detail and isinstance(detail[0], dict):
            found = first_str(detail[0], "msg", "message")
        elif isinstance(errors, list) and errors:
            found = "; ".join(str(e) for e in errors)
        elif isinstance(base_resp, dict) and base_resp.get("status_code") not in (0, None):
            found = first_str(base_resp, "status_msg")
        elif body.get("ErrCode") not in (0, None):
            found = first_str(body, "ErrMsg")
        if found is None:
            found = first_str(body, "message", "hint", "msg")
    elif body is None:
        text = response.text.strip()
        if text.startswith("<"):
            found = _xml_text(text, "Message")
        elif text:
            found = text
    if found is None:
        return None
    return found[:_MAX_MESSAGE]


def first_str(data: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


_VALIDATION_STATUS: dict[HttpVerdict, ValidationStatus] = {
    "ok": "valid",
    "auth_refused": "invalid",
    "forbidden": "forbidden",
    "rate_limited": "rate_limited",
    "server_error": "provider_error",
    "client_error": "provider_error",
}


def _status_for_http(code: int) -> ValidationStatus:
    return _VALIDATION_STATUS[http_verdict(code)]


_DEFAULT_MESSAGES: dict[ValidationStatus, str] = {
    "valid": "The key works.",
    "invalid": "The provider rejected the key.",
    "forbidden": "The key is valid but lacks the permission or plan this feature needs.",
    "rate_limited": "The provider is rate limiting this key; try again later.",
    "provider_error": "The provider returned an error; try again later.",
    "unreachable": "The provider could not be reached.",
}


def _scrub(text: str, secret: str) -> str:
    """Remove the key (and each part of a key pair) from provider text."""
    for part in {secret, *secret.split(":")}:
        if len(part) >= 6:
            text = text.replace(part, "[redacted]")
    return text


def _scrub_details(details: Mapping[str, Any], secret: str) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in details.items():
        clean[key] = _scrub(value, secret) if isinstance(value, str) else value
    return clean


# --------------------------------------------------------------------------- validators


class BaseValidator(ABC):
    """Checks one provider's credential."""

    provider: str

    @abstractmethod
    def validate(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        options: Mapping[str, str] | None = None,
    ) -> ValidationResult:
        """Check `api_key` and say what the provider thinks of it."""

    def _result(
        self,
        *,
        status: ValidationStatus,
        message: str | None = None,
        http_status: int | None = None,
        retry_after_s: float | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> ValidationResult:
        result = ValidationResult(
            provider=self.provider,
            valid=status == "valid",
            status=status,
            message=message or _DEFAULT_MESSAGES[status],
            http_status=http_status,
            retry_after_s=retry_after_s,
            details=dict(details or {}),
        )
        log.info(
            "integration validated",
            extra=fields(provider=self.provider, validation_status=status, http_status=http_status),
        )
        return result


ProbeBuilder = Callable[[str, Mapping[str, str]], Probe]
Inspector = Callable[[httpx.Response, Any], Outcome | None]
DetailExtractor = Callable[[httpx.Response, Any], dict[str, Any]]


def _no_details(response: httpx.Response, body: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class HttpValidator(BaseValidator):
    """A validator that sends one `Probe` and maps the response.

    `accept` lists non-2xx statuses that still prove the key was accepted (a
    404 for a resource that cannot exist, a 400/422 for a deliberately empty
    request). `overrides` remaps statuses a provider uses differently.
    `inspect` sees every response first and may decide on its own.
    """

    provider: str
    build: ProbeBuilder
    accept: frozenset[int] = frozenset()
    overrides: Mapping[int, ValidationStatus] = field(default_factory=dict)
    inspect: Inspector | None = None
    extract: DetailExtractor = _no_details
    accepted_message: str | None = None
    #: An empty key is sent as no key at all (local OpenAI-compatible servers).
    key_optional: bool = False

    def validate(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        options: Mapping[str, str] | None = None,
    ) -> ValidationResult:
        key = api_key.strip()
        if not key and not self.key_optional:
            return self._result(status="invalid", message="No key was given.")
        try:
            probe = self.build(key, options or {})
        except InvalidKeyFormat as exc:
            return self._result(status="invalid", message=str(exc))
        http = client or _default_client()
        try:
            response = http.request(
                probe.method,
                probe.url,
                headers=dict(probe.headers),
                params=dict(probe.params) if probe.params is not None else None,
                json=probe.json_body,
                data=dict(probe.form) if probe.form is not None else None,
                timeout=DEFAULT_TIMEOUT,
            )
        except httpx.TimeoutException:
            return self._result(
                status="unreachable", message="The provider did not answer in time."
            )
        except httpx.TransportError as exc:
            return self._result(
                status="unreachable",
                message=f"Could not connect to the provider ({type(exc).__name__}).",
            )
        return self._interpret(response=response, key=key)

    def _interpret(self, *, response: httpx.Response, key: str) -> ValidationResult:
        code = response.status_code
        body = json_body(response)
        outcome = self.inspect(response, body) if self.inspect else None
        if outcome is None:
            if code in self.accept:
                outcome = Outcome("valid", self.accepted_message)
            else:
                outcome = Outcome(self.overrides.get(code, _status_for_http(code)))
        provider_text = provider_message(response, body)
        message = outcome.message
        if outcome.status != "valid":
            message = message or provider_text or _DEFAULT_MESSAGES[outcome.status]
            if outcome.status == "provider_error" and not (500 <= code < 600) and code >= 300:
                message = f"Unexpected HTTP {code} from the provider: {message}"
        retry_after = (
            parse_retry_after(response.headers.get("Retry-After"))
            if outcome.status == "rate_limited"
            else None
        )
        details: dict[str, Any] = {}
        if outcome.status == "valid":
            try:
                details = self.extract(response, body)
            except (KeyError, TypeError, ValueError, AttributeError):
                # A changed success shape must not turn a working key into an error.
                details = {}
        return self._result(
            status=outcome.status,
            message=_scrub(message, key) if message else None,
            http_status=code,
            retry_after_s=retry_after,
            details=_scrub_details(details, key),
        )


# ----- probe builders ------------------------------------------------------------------


def bearer_probe(url: str, **extra_headers: str) -> ProbeBuilder:
    def build(key: str, options: Mapping[str, str]) -> Probe:
        return Probe("GET", url, {"Authorization": f"Bearer {key}", **extra_headers})

    return build


def header_probe(
    url: str, header: str, *, scheme: str | None = None, params: Mapping[str, str] | None = None
) -> ProbeBuilder:
    def build(key: str, options: Mapping[str, str]) -> Probe:
        value = f"{scheme} {key}" if scheme else key
        return Probe("GET", url, {header: value}, params=params)

    return build


def option_of(options: Mapping[str, str], name: str, allowed: Sequence[str], default: str) -> str:
    value = options.get(name, default)
    if value not in allowed:
        raise InvalidKeyFormat(f"option {name}={value!r} must be one of {', '.join(allowed)}")
    return value


# ----- AWS (Remotion Lambda) -------------------------------------------------------------


# ----- inspectors for providers with their own error conventions -------------------------


# ----- detail extractors -----------------------------------------------------------------


def count_detail(key: str, name: str) -> DetailExtractor:
    def extract(response: httpx.Response, body: Any) -> dict[str, Any]:
        items = body.get(key) if isinstance(body, dict) else body
        return {name: len(items)} if isinstance(items, list) else {}

    return extract


def ratelimit_details(response: httpx.Response, body: Any) -> dict[str, Any]:
    details: dict[str, Any] = {}
    for header, name in (
        ("X-Ratelimit-Limit", "quota_limit"),
        ("X-Ratelimit-Remaining", "quota_remaining"),
    ):
        value = response.headers.get(header)
        if value is not None and value.isdigit():
            details[name] = int(value)
    return details


def pick_details(body: Any, *paths: tuple[str, str]) -> dict[str, Any]:
    """Copy selected scalar fields (`dotted.path`, name) out of a JSON body."""
    details: dict[str, Any] = {}
    for path, name in paths:
        value: Any = body
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str | int | float | bool):
            details[name] = value
    return details


# ----- FFmpeg ----------------------------------------------------------------------------


# ----- registry --------------------------------------------------------------------------


@dataclass(frozen=True)
class RetiredValidator(BaseValidator):
    """A retired provider's check: no request, the key is reported as unusable."""

    provider: str
    reason: str

    def validate(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        options: Mapping[str, str] | None = None,
    ) -> ValidationResult:
        return self._result(status="forbidden", message=self.reason)
