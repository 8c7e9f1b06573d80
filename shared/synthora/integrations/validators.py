"""Check a user's provider key against the provider's real API.

One validator per catalogue provider. HTTP validators make one request to the
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

`validate_integration(provider=..., api_key=...)` is the entry point; pass an
`httpx.Client` to reuse a pool or to route requests in tests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import shutil
import subprocess
import threading
import uuid
import xml.etree.ElementTree as ET
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ConfigDict, Field

from synthora.integrations.catalog import Provider
from synthora.logs import fields, get_logger

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

    provider: Provider
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


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds: delta-seconds or an HTTP date; None when absent/garbled."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _json_body(response: httpx.Response) -> Any:
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
            found = _first_str(error, "message", "status", "code")
        elif isinstance(error, str):
            found = error
        elif isinstance(detail, dict):
            found = _first_str(detail, "message", "status")
        elif isinstance(detail, str):
            found = detail
        elif isinstance(detail, list) and detail and isinstance(detail[0], dict):
            found = _first_str(detail[0], "msg", "message")
        elif isinstance(errors, list) and errors:
            found = "; ".join(str(e) for e in errors)
        elif isinstance(base_resp, dict) and base_resp.get("status_code") not in (0, None):
            found = _first_str(base_resp, "status_msg")
        elif body.get("ErrCode") not in (0, None):
            found = _first_str(body, "ErrMsg")
        if found is None:
            found = _first_str(body, "message", "hint", "msg")
    elif body is None:
        text = response.text.strip()
        if text.startswith("<"):
            found = _xml_text(text, "Message")
        elif text:
            found = text
    if found is None:
        return None
    return found[:_MAX_MESSAGE]


def _first_str(data: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _status_for_http(code: int) -> ValidationStatus:
    if 200 <= code < 300:
        return "valid"
    if code == 401:
        return "invalid"
    if code == 403:
        return "forbidden"
    if code == 429:
        return "rate_limited"
    return "provider_error"


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

    provider: Provider

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
            extra=fields(
                provider=self.provider.value, validation_status=status, http_status=http_status
            ),
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

    provider: Provider
    build: ProbeBuilder
    accept: frozenset[int] = frozenset()
    overrides: Mapping[int, ValidationStatus] = field(default_factory=dict)
    inspect: Inspector | None = None
    extract: DetailExtractor = _no_details
    accepted_message: str | None = None

    def validate(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        options: Mapping[str, str] | None = None,
    ) -> ValidationResult:
        key = api_key.strip()
        if not key:
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
        body = _json_body(response)
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


def _bearer_probe(url: str, **extra_headers: str) -> ProbeBuilder:
    def build(key: str, options: Mapping[str, str]) -> Probe:
        return Probe("GET", url, {"Authorization": f"Bearer {key}", **extra_headers})

    return build


def _header_probe(
    url: str, header: str, *, scheme: str | None = None, params: Mapping[str, str] | None = None
) -> ProbeBuilder:
    def build(key: str, options: Mapping[str, str]) -> Probe:
        value = f"{scheme} {key}" if scheme else key
        return Probe("GET", url, {header: value}, params=params)

    return build


def _pixverse_probe(key: str, options: Mapping[str, str]) -> Probe:
    # PixVerse requires a unique trace id per request (it de-duplicates on it).
    return Probe(
        "GET",
        "https://app-api.pixverse.ai/openapi/v2/account/balance",
        {"API-KEY": key, "Ai-trace-id": str(uuid.uuid4())},
    )


_WAN_HOSTS = {
    "intl": "https://dashscope-intl.aliyuncs.com",
    "cn": "https://dashscope.aliyuncs.com",
}
_MINIMAX_HOSTS = {"global": "https://api.minimax.io", "cn": "https://api.minimaxi.com"}
SHOTSTACK_ENVIRONMENTS = ("v1", "stage")


def _option(options: Mapping[str, str], name: str, allowed: Sequence[str], default: str) -> str:
    value = options.get(name, default)
    if value not in allowed:
        raise InvalidKeyFormat(f"option {name}={value!r} must be one of {', '.join(allowed)}")
    return value


def _wan_probe(key: str, options: Mapping[str, str]) -> Probe:
    host = _WAN_HOSTS[_option(options, "region", tuple(_WAN_HOSTS), "intl")]
    return Probe("GET", f"{host}/compatible-mode/v1/models", {"Authorization": f"Bearer {key}"})


def _hailuo_probe(key: str, options: Mapping[str, str]) -> Probe:
    host = _MINIMAX_HOSTS[_option(options, "region", tuple(_MINIMAX_HOSTS), "global")]
    return Probe(
        "GET",
        f"{host}/v2/query/video_generation",
        {"Authorization": f"Bearer {key}"},
        params={"page_num": "1", "page_size": "1"},
    )


def _shotstack_probe(key: str, options: Mapping[str, str]) -> Probe:
    environment = _option(options, "environment", SHOTSTACK_ENVIRONMENTS, "v1")
    return Probe(
        "GET", f"https://api.shotstack.io/edit/{environment}/templates", {"x-api-key": key}
    )


def _ltx_probe(key: str, options: Mapping[str, str]) -> Probe:
    # No read endpoint exists; an empty body is refused before any rendering or billing.
    return Probe(
        "POST",
        "https://api.ltx.video/v1/text-to-video",
        {"Authorization": f"Bearer {key}"},
        json_body={},
    )


def _imagineart_probe(key: str, options: Mapping[str, str]) -> Probe:
    # No read endpoint is documented; a form without a prompt is refused, not generated.
    return Probe(
        "POST",
        "https://api.vyro.ai/v2/image/generations",
        {"Authorization": f"Bearer {key}"},
        form={"style": "realistic"},
    )


# ----- AWS (Remotion Lambda) -------------------------------------------------------------

_STS_HOST = "sts.amazonaws.com"
_STS_QUERY = {"Action": "GetCallerIdentity", "Version": "2011-06-15"}


def sigv4_headers(
    *,
    method: str,
    host: str,
    path: str,
    query: Mapping[str, str],
    access_key_id: str,
    secret_access_key: str,
    region: str,
    service: str,
    now: datetime,
    session_token: str | None = None,
) -> dict[str, str]:
    """AWS Signature Version 4 headers for a body-less request."""
    amz_date = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    datestamp = amz_date[:8]
    canonical_query = "&".join(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted(query.items())
    )
    headers = {"host": host, "x-amz-date": amz_date}
    if session_token:
        headers["x-amz-security-token"] = session_token
    signed = ";".join(sorted(headers))
    canonical_headers = "".join(f"{k}:{headers[k]}\n" for k in sorted(headers))
    payload_hash = hashlib.sha256(b"").hexdigest()
    canonical_request = "\n".join(
        [method, path, canonical_query, canonical_headers, signed, payload_hash]
    )
    scope = f"{datestamp}/{region}/{service}/aws4_request"
    string_to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            amz_date,
            scope,
            hashlib.sha256(canonical_request.encode()).hexdigest(),
        ]
    )
    signing_key = f"AWS4{secret_access_key}".encode()
    for part in (datestamp, region, service, "aws4_request"):
        signing_key = hmac.new(signing_key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(signing_key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    result = {
        "X-Amz-Date": amz_date,
        "Authorization": (
            f"AWS4-HMAC-SHA256 Credential={access_key_id}/{scope}, "
            f"SignedHeaders={signed}, Signature={signature}"
        ),
    }
    if session_token:
        result["X-Amz-Security-Token"] = session_token
    return result


def split_aws_key(key: str) -> tuple[str, str, str | None]:
    """`ACCESS_KEY_ID:SECRET[:SESSION_TOKEN]` -> parts; `InvalidKeyFormat` otherwise."""
    parts = key.split(":", 2)
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise InvalidKeyFormat(
            "Remotion Lambda needs an AWS key pair written as ACCESS_KEY_ID:SECRET_ACCESS_KEY."
        )
    return parts[0].strip(), parts[1].strip(), (parts[2].strip() if len(parts) == 3 else None)


def _remotion_probe(key: str, options: Mapping[str, str]) -> Probe:
    access_key_id, secret, token = split_aws_key(key)
    headers = sigv4_headers(
        method="GET",
        host=_STS_HOST,
        path="/",
        query=_STS_QUERY,
        access_key_id=access_key_id,
        secret_access_key=secret,
        region="us-east-1",
        service="sts",
        now=datetime.now(UTC),
        session_token=token,
    )
    return Probe("GET", f"https://{_STS_HOST}/", headers, params=_STS_QUERY)


# ----- inspectors for providers with their own error conventions -------------------------

_AWS_BAD_CREDENTIALS = {
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "ExpiredToken",
    "UnrecognizedClientException",
    "AuthFailure",
}


def _inspect_aws(response: httpx.Response, body: Any) -> Outcome | None:
    if response.status_code in (400, 403):
        code = _xml_text(response.text, "Code")
        if code in _AWS_BAD_CREDENTIALS:
            return Outcome("invalid", _xml_text(response.text, "Message"))
        if code == "Throttling":
            return Outcome("rate_limited")
    return None


def _inspect_google(response: httpx.Response, body: Any) -> Outcome | None:
    # Google answers an unknown key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID.
    if response.status_code == 400 and "API_KEY_INVALID" in response.text:
        return Outcome("invalid")
    return None


def _inspect_elevenlabs(response: httpx.Response, body: Any) -> Outcome | None:
    # Scoped keys without `user_read` get 401 "missing_permissions": the key itself works.
    if response.status_code == 401 and isinstance(body, dict):
        detail = body.get("detail")
        if isinstance(detail, dict) and detail.get("status") == "missing_permissions":
            return Outcome("forbidden")
    return None


def _inspect_unsplash(response: httpx.Response, body: Any) -> Outcome | None:
    # Unsplash signals an exhausted hourly quota with 403 and X-Ratelimit-Remaining: 0.
    if response.status_code == 403 and response.headers.get("X-Ratelimit-Remaining") == "0":
        return Outcome("rate_limited", "Unsplash hourly rate limit exceeded.")
    return None


_MINIMAX_INVALID = {1004, 2049}
_MINIMAX_RATE = {1002, 1039}
_MINIMAX_FORBIDDEN = {1008}  # insufficient balance


def _inspect_minimax(response: httpx.Response, body: Any) -> Outcome | None:
    if response.status_code != 200 or not isinstance(body, dict):
        return None
    base = body.get("base_resp")
    if not isinstance(base, dict):
        return None
    code = base.get("status_code")
    message = base.get("status_msg") if isinstance(base.get("status_msg"), str) else None
    if code in (0, None):
        return None
    label = f"MiniMax error {code}: {message}" if message else f"MiniMax error {code}"
    if code in _MINIMAX_INVALID:
        return Outcome("invalid", label)
    if code in _MINIMAX_RATE:
        return Outcome("rate_limited", label)
    if code in _MINIMAX_FORBIDDEN:
        return Outcome("forbidden", label)
    return Outcome("provider_error", label)


# PixVerse platform error table: 400012 invalid account, 500020 no permission for
# the operation, 500044 concurrent-generation limit reached.
_PIXVERSE_INVALID = {400012}
_PIXVERSE_FORBIDDEN = {500020}
_PIXVERSE_RATE = {500044}
_KEYISH = re.compile(r"api[\s_-]?key|auth|token|unauthori[sz]ed", re.IGNORECASE)


def _inspect_pixverse(response: httpx.Response, body: Any) -> Outcome | None:
    if response.status_code != 200 or not isinstance(body, dict):
        return None
    code = body.get("ErrCode")
    if code in (0, None):
        return None
    message = body.get("ErrMsg") if isinstance(body.get("ErrMsg"), str) else ""
    label = f"PixVerse error {code}: {message}".rstrip(": ")
    if code in _PIXVERSE_INVALID:
        return Outcome("invalid", label)
    if code in _PIXVERSE_FORBIDDEN:
        return Outcome("forbidden", label)
    if code in _PIXVERSE_RATE:
        return Outcome("rate_limited", label)
    # Codes outside the published table: a message about the key still means a bad key.
    if _KEYISH.search(message or ""):
        return Outcome("invalid", label)
    return Outcome("provider_error", label)


# ----- detail extractors -----------------------------------------------------------------


def _count(key: str, name: str) -> DetailExtractor:
    def extract(response: httpx.Response, body: Any) -> dict[str, Any]:
        items = body.get(key) if isinstance(body, dict) else body
        return {name: len(items)} if isinstance(items, list) else {}

    return extract


def _ratelimit_details(response: httpx.Response, body: Any) -> dict[str, Any]:
    details: dict[str, Any] = {}
    for header, name in (
        ("X-Ratelimit-Limit", "quota_limit"),
        ("X-Ratelimit-Remaining", "quota_remaining"),
    ):
        value = response.headers.get(header)
        if value is not None and value.isdigit():
            details[name] = int(value)
    return details


def _pick(body: Any, *paths: tuple[str, str]) -> dict[str, Any]:
    """Copy selected scalar fields (`dotted.path`, name) out of a JSON body."""
    details: dict[str, Any] = {}
    for path, name in paths:
        value: Any = body
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str | int | float | bool):
            details[name] = value
    return details


def _elevenlabs_details(response: httpx.Response, body: Any) -> dict[str, Any]:
    # The /v1/user body can echo the key (`xi_api_key`); only named fields are copied.
    return _pick(
        body,
        ("subscription.tier", "tier"),
        ("subscription.character_count", "character_count"),
        ("subscription.character_limit", "character_limit"),
    )


def _veo_details(response: httpx.Response, body: Any) -> dict[str, Any]:
    models = body.get("models") if isinstance(body, dict) else None
    if not isinstance(models, list):
        return {}
    names = [m.get("name", "") for m in models if isinstance(m, dict)]
    return {"model_count": len(names), "veo_models": [n for n in names if "veo" in n]}


def _shotstack_details(response: httpx.Response, body: Any) -> dict[str, Any]:
    details: dict[str, Any] = {"environment": response.request.url.path.split("/")[2]}
    inner = body.get("response") if isinstance(body, dict) else None
    if isinstance(inner, dict) and isinstance(inner.get("templates"), list):
        details["template_count"] = len(inner["templates"])
    return details


def _aws_details(response: httpx.Response, body: Any) -> dict[str, Any]:
    details: dict[str, Any] = {}
    account = _xml_text(response.text, "Account")
    arn = _xml_text(response.text, "Arn")
    if account:
        details["aws_account"] = account
    if arn:
        details["aws_arn"] = arn
    return details


# ----- FFmpeg ----------------------------------------------------------------------------

REQUIRED_FFMPEG_FILTERS = ("xfade", "ass", "sidechaincompress", "loudnorm", "zoompan", "drawtext")
REQUIRED_FFMPEG_ENCODERS = ("libx264",)
_FFMPEG_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class FFmpegValidator(BaseValidator):
    """Checks the local ffmpeg binary has every filter and encoder the assembly uses."""

    provider: Provider = Provider.FFMPEG
    binary: str = "ffmpeg"

    def validate(
        self,
        *,
        api_key: str = "",
        client: httpx.Client | None = None,
        options: Mapping[str, str] | None = None,
    ) -> ValidationResult:
        binary = (options or {}).get("binary", self.binary)
        path = shutil.which(binary)
        if path is None:
            return self._result(
                status="invalid",
                message=f"ffmpeg binary {binary!r} was not found on PATH; install FFmpeg.",
            )
        try:
            filters_out = self._run(path, "-filters")
            encoders_out = self._run(path, "-encoders")
            version_out = self._run(path, "-version")
        except (OSError, subprocess.SubprocessError) as exc:
            return self._result(status="provider_error", message=f"ffmpeg could not be run: {exc}")
        filters = _listed_names(filters_out)
        encoders = _listed_names(encoders_out)
        missing_filters = [f for f in REQUIRED_FFMPEG_FILTERS if f not in filters]
        missing_encoders = [e for e in REQUIRED_FFMPEG_ENCODERS if e not in encoders]
        # First line reads `ffmpeg version 5.1.4-0+deb12u1 Copyright ...`.
        words = version_out.split()
        version = words[2] if len(words) > 2 and words[1] == "version" else "unknown"
        details = {
            "path": path,
            "version": version,
            "missing_filters": missing_filters,
            "missing_encoders": missing_encoders,
        }
        if missing_filters or missing_encoders:
            missing = ", ".join(missing_filters + missing_encoders)
            return self._result(
                status="invalid",
                message=f"ffmpeg lacks what the assembly needs: {missing}. Install a full "
                "build (with libass, libfreetype and libx264).",
                details=details,
            )
        return self._result(
            status="valid",
            message=f"ffmpeg {version} has every filter and encoder the assembly needs.",
            details=details,
        )

    @staticmethod
    def _run(path: str, flag: str) -> str:
        completed = subprocess.run(
            [path, "-hide_banner", flag],
            capture_output=True,
            text=True,
            timeout=_FFMPEG_TIMEOUT_S,
            check=True,
        )
        return completed.stdout


_LISTING_ROW = re.compile(r"^\s*[A-Z.|]{3,6}\s+(?P<name>[A-Za-z0-9_\-]+)\s")


def _listed_names(output: str) -> set[str]:
    """Names in `ffmpeg -filters` / `-encoders` output (`FLAGS name ...` rows).

    Legend rows (`T.. = Timeline support`) have `=` where the name would be,
    which the name pattern refuses.
    """
    names: set[str] = set()
    for line in output.splitlines():
        match = _LISTING_ROW.match(line)
        if match:
            names.add(match.group("name"))
    return names


# ----- registry --------------------------------------------------------------------------

RUNWAY_API_VERSION = "2024-11-06"
EDITFRAME_PROBE_MD5 = "0" * 32

VALIDATORS: Mapping[Provider, BaseValidator] = {
    Provider.OPENAI: HttpValidator(
        provider=Provider.OPENAI,
        build=_bearer_probe("https://api.openai.com/v1/models"),
        extract=_count("data", "model_count"),
    ),
    Provider.ELEVENLABS: HttpValidator(
        provider=Provider.ELEVENLABS,
        build=_header_probe("https://api.elevenlabs.io/v1/user", "xi-api-key"),
        inspect=_inspect_elevenlabs,
        extract=_elevenlabs_details,
    ),
    Provider.PEXELS: HttpValidator(
        provider=Provider.PEXELS,
        build=_header_probe(
            "https://api.pexels.com/v1/search",
            "Authorization",
            params={"query": "nature", "per_page": "1"},
        ),
        extract=_ratelimit_details,
    ),
    Provider.UNSPLASH: HttpValidator(
        provider=Provider.UNSPLASH,
        build=_header_probe(
            "https://api.unsplash.com/photos",
            "Authorization",
            scheme="Client-ID",
            params={"per_page": "1"},
        ),
        inspect=_inspect_unsplash,
        extract=_ratelimit_details,
    ),
    Provider.RUNWAY: HttpValidator(
        provider=Provider.RUNWAY,
        build=_bearer_probe(
            "https://api.dev.runwayml.com/v1/organization",
            **{"X-Runway-Version": RUNWAY_API_VERSION},
        ),
        extract=lambda r, b: _pick(
            b,
            ("creditBalance", "credit_balance"),
            ("tier.maxMonthlyCreditSpend", "max_monthly_credit_spend"),
        ),
    ),
    Provider.SORA: HttpValidator(
        provider=Provider.SORA,
        build=_bearer_probe("https://api.openai.com/v1/models/sora-2"),
        # OpenAI hides models an organization cannot use behind 404.
        overrides={404: "forbidden"},
        extract=lambda r, b: _pick(b, ("id", "model")),
    ),
    Provider.VEO: HttpValidator(
        provider=Provider.VEO,
        build=_header_probe(
            "https://generativelanguage.googleapis.com/v1beta/models",
            "x-goog-api-key",
            params={"pageSize": "1000"},
        ),
        inspect=_inspect_google,
        extract=_veo_details,
    ),
    Provider.LUMA: HttpValidator(
        provider=Provider.LUMA,
        build=_bearer_probe("https://api.lumalabs.ai/dream-machine/v1/credits"),
        extract=lambda r, b: _pick(b, ("credit_balance", "credit_balance")),
    ),
    Provider.IMAGINEART: HttpValidator(
        provider=Provider.IMAGINEART,
        build=_imagineart_probe,
        accept=frozenset({400, 422}),
        accepted_message="The key was accepted (checked with a deliberately empty request).",
    ),
    Provider.PIXVERSE: HttpValidator(
        provider=Provider.PIXVERSE,
        build=_pixverse_probe,
        inspect=_inspect_pixverse,
        extract=lambda r, b: _pick(
            b, ("Resp.credit_monthly", "credit_monthly"), ("Resp.credit_package", "credit_package")
        ),
    ),
    Provider.SEEDANCE: HttpValidator(
        provider=Provider.SEEDANCE,
        build=lambda key, options: Probe(
            "GET",
            "https://ark.ap-southeast.bytepluses.com/api/v3/contents/generations/tasks",
            {"Authorization": f"Bearer {key}"},
            params={"page_num": "1", "page_size": "1"},
        ),
        extract=lambda r, b: _pick(b, ("total", "task_count")),
    ),
    Provider.WAN: HttpValidator(
        provider=Provider.WAN, build=_wan_probe, extract=_count("data", "model_count")
    ),
    Provider.HAILUO: HttpValidator(
        provider=Provider.HAILUO, build=_hailuo_probe, inspect=_inspect_minimax
    ),
    Provider.LTX: HttpValidator(
        provider=Provider.LTX,
        build=_ltx_probe,
        accept=frozenset({400, 422}),
        accepted_message="The key was accepted (checked with a deliberately empty request).",
    ),
    Provider.FFMPEG: FFmpegValidator(),
    Provider.CREATOMATE: HttpValidator(
        provider=Provider.CREATOMATE,
        build=_bearer_probe("https://api.creatomate.com/v1/templates"),
        extract=_count("templates", "template_count"),
    ),
    Provider.SHOTSTACK: HttpValidator(
        provider=Provider.SHOTSTACK,
        build=_shotstack_probe,
        # The API gateway answers an unknown key, or one from the other
        # environment, with 403 {"message": "Forbidden"}.
        overrides={403: "invalid"},
        extract=_shotstack_details,
    ),
    Provider.REMOTION: HttpValidator(
        provider=Provider.REMOTION,
        build=_remotion_probe,
        inspect=_inspect_aws,
        extract=_aws_details,
    ),
    Provider.EDITFRAME: HttpValidator(
        provider=Provider.EDITFRAME,
        # The SDK's lookupRenderByMd5 documents 404 as "no such render".
        build=_bearer_probe(f"https://editframe.com/api/v1/renders/md5/{EDITFRAME_PROBE_MD5}"),
        accept=frozenset({404}),
        accepted_message="The key was accepted (render lookup by a hash that matches nothing).",
    ),
}


def get_validator(provider: Provider | str) -> BaseValidator:
    """The validator for a provider id."""
    try:
        return VALIDATORS[Provider(provider)]
    except ValueError as exc:
        raise KeyError(f"no validator for provider {provider!r}") from exc


def validate_integration(
    *,
    provider: Provider | str,
    api_key: str,
    client: httpx.Client | None = None,
    options: Mapping[str, str] | None = None,
) -> ValidationResult:
    """Check `api_key` for `provider` against the provider's API.

    `options` carries per-provider choices: Shotstack `environment` (`v1` or
    `stage`), Wan `region` (`intl` or `cn`), Hailuo `region` (`global` or `cn`),
    FFmpeg `binary`. Never raises for a provider's answer: every outcome is a
    `ValidationResult`.
    """
    return get_validator(provider).validate(api_key=api_key, client=client, options=options)
