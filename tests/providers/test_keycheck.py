"""Key validators against respx routes shaped like each provider's documented API.

Every HTTP provider goes through the same battery (success, bad key, missing
permission, 429 with Retry-After, 5xx, timeout, connection failure), asserting
the URL, method and credential header each validator really sends. FFmpeg is
checked against the real local binary.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import respx

from synthora.providers import keycheck
from synthora.providers.errors import parse_retry_after
from synthora.providers.ffmpeg import REQUIRED_FFMPEG_FILTERS
from synthora.providers.registry import Provider, all_providers, check_key, get_provider
from synthora.providers.remotion import sigv4_headers

AWS_ID = "AKIAIOSFODNN7EXAMPLE"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

Reply = tuple[int, Any, dict[str, str]]  # status, JSON body or text, headers


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Reply:
    return status, body, headers or {}


def _response(reply: Reply) -> httpx.Response:
    status, body, headers = reply
    if isinstance(body, str):
        return httpx.Response(status, text=body, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


@dataclass(frozen=True)
class Case:
    """One provider's documented request and responses."""

    provider: Provider
    method: str
    url: str  # scheme://host/path, query checked separately
    key: str
    check_auth: Callable[[httpx.Request, str], None]
    success: Reply
    bad_key: Reply
    bad_key_text: str  # provider text the result must keep
    forbidden: Reply | None
    params: dict[str, str] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


def _bearer(request: httpx.Request, key: str) -> None:
    assert request.headers["Authorization"] == f"Bearer {key}"


def _header(name: str, scheme: str | None = None) -> Callable[[httpx.Request, str], None]:
    def check(request: httpx.Request, key: str) -> None:
        assert request.headers[name] == (f"{scheme} {key}" if scheme else key)

    return check


def _runway_auth(request: httpx.Request, key: str) -> None:
    _bearer(request, key)
    assert request.headers["X-Runway-Version"] == "2024-11-06"


def _pixverse_auth(request: httpx.Request, key: str) -> None:
    assert request.headers["API-KEY"] == key
    uuid.UUID(request.headers["Ai-trace-id"])


def _aws_auth(request: httpx.Request, key: str) -> None:
    authorization = request.headers["Authorization"]
    assert authorization.startswith(f"AWS4-HMAC-SHA256 Credential={AWS_ID}/")
    assert "/us-east-1/sts/aws4_request" in authorization
    assert "SignedHeaders=host;x-amz-date" in authorization
    assert AWS_SECRET not in authorization
    assert request.headers["X-Amz-Date"].endswith("Z")


OPENAI_KEY = "sk-test-0123456789abcdefghijABCD"
_openai_401 = _json(
    401,
    {
        "error": {
            "message": "Incorrect API key provided: sk-test-*****ABCD. You can find your API "
            "key at https://platform.openai.com/account/api-keys.",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_api_key",
        }
    },
)

CASES: tuple[Case, ...] = (
    Case(
        provider=Provider.OPENAI,
        method="GET",
        url="https://api.openai.com/v1/models",
        key=OPENAI_KEY,
        check_auth=_bearer,
        success=_json(
            200,
            {
                "object": "list",
                "data": [
                    {"id": "gpt-4o-mini", "object": "model", "created": 1, "owned_by": "system"},
                    {"id": "tts-1", "object": "model", "created": 1, "owned_by": "system"},
                ],
            },
        ),
        bad_key=_openai_401,
        bad_key_text="Incorrect API key provided",
        forbidden=_json(
            403,
            {
                "error": {
                    "message": "Country, region, or territory not supported",
                    "type": "request_forbidden",
                    "code": "unsupported_country_region_territory",
                }
            },
        ),
        details={"model_count": 2},
    ),
    Case(
        provider=Provider.ELEVENLABS,
        method="GET",
        url="https://api.elevenlabs.io/v1/user",
        key="sk_0123456789abcdef0123456789abcdef0123456789abcdef",
        check_auth=_header("xi-api-key"),
        success=_json(
            200,
            {
                "subscription": {
                    "tier": "creator",
                    "character_count": 1200,
                    "character_limit": 100000,
                    "status": "active",
                },
                "is_new_user": False,
                # /v1/user echoes the key; it must not reach the result.
                "xi_api_key": "sk_0123456789abcdef0123456789abcdef0123456789abcdef",
                "first_name": "Ada",
            },
        ),
        bad_key=_json(401, {"detail": {"status": "invalid_api_key", "message": "Invalid API key"}}),
        bad_key_text="Invalid API key",
        forbidden=_json(
            401,
            {
                "detail": {
                    "status": "missing_permissions",
                    "message": "The API key you used is missing the permission user_read to "
                    "execute this operation.",
                }
            },
        ),
        details={"tier": "creator", "character_count": 1200, "character_limit": 100000},
    ),
    Case(
        provider=Provider.PEXELS,
        method="GET",
        url="https://api.pexels.com/v1/search",
        key="563492ad6f91700001000001abcdef0123456789",
        check_auth=_header("Authorization"),
        params={"query": "nature", "per_page": "1"},
        success=_json(
            200,
            {"total_results": 8000, "page": 1, "per_page": 1, "photos": [{"id": 2014422}]},
            {"X-Ratelimit-Limit": "20000", "X-Ratelimit-Remaining": "19684"},
        ),
        bad_key=_json(401, {"error": "Unauthorized: invalid API key"}),
        bad_key_text="invalid API key",
        forbidden=_json(403, {"error": "Forbidden"}),
        details={"quota_limit": 20000, "quota_remaining": 19684},
    ),
    Case(
        provider=Provider.UNSPLASH,
        method="GET",
        url="https://api.unsplash.com/photos",
        key="Xy12AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abc",
        check_auth=_header("Authorization", "Client-ID"),
        params={"per_page": "1"},
        success=_json(
            200,
            [{"id": "LBI7cgq3pbM", "width": 5245, "height": 3497}],
            {"X-Ratelimit-Limit": "50", "X-Ratelimit-Remaining": "49"},
        ),
        bad_key=_json(401, {"errors": ["OAuth error: The access token is invalid"]}),
        bad_key_text="The access token is invalid",
        forbidden=_json(
            403,
            {"errors": ["OAuth error: The access token does not have the required scope"]},
            {"X-Ratelimit-Remaining": "49"},
        ),
        details={"quota_limit": 50, "quota_remaining": 49},
    ),
    Case(
        provider=Provider.RUNWAY,
        method="GET",
        url="https://api.dev.runwayml.com/v1/organization",
        key="key_0123456789abcdef0123456789abcdef",
        check_auth=_runway_auth,
        success=_json(
            200,
            {
                "tier": {"maxMonthlyCreditSpend": 10000, "models": {}},
                "creditBalance": 2500,
                "usage": {"models": {}},
            },
        ),
        bad_key=_json(401, {"error": "Invalid API key."}),
        bad_key_text="Invalid API key.",
        forbidden=_json(403, {"error": "Your organization has been disabled."}),
        details={"credit_balance": 2500, "max_monthly_credit_spend": 10000},
    ),
    Case(
        provider=Provider.VEO,
        method="GET",
        url="https://generativelanguage.googleapis.com/v1beta/models",
        key="AIzaSyD0123456789abcdefghijklmnopqrstu",
        check_auth=_header("x-goog-api-key"),
        params={"pageSize": "1000"},
        success=_json(
            200,
            {
                "models": [
                    {"name": "models/gemini-2.5-flash"},
                    {"name": "models/veo-3.0-generate-001"},
                ]
            },
        ),
        bad_key=_json(
            400,
            {
                "error": {
                    "code": 400,
                    "message": "API key not valid. Please pass a valid API key.",
                    "status": "INVALID_ARGUMENT",
                    "details": [
                        {
                            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                            "reason": "API_KEY_INVALID",
                            "domain": "googleapis.com",
                        }
                    ],
                }
            },
        ),
        bad_key_text="API key not valid",
        forbidden=_json(
            403,
            {
                "error": {
                    "code": 403,
                    "message": "Generative Language API has not been used in project 123 "
                    "before or it is disabled.",
                    "status": "PERMISSION_DENIED",
                }
            },
        ),
        details={"model_count": 2, "veo_models": ["models/veo-3.0-generate-001"]},
    ),
    Case(
        provider=Provider.LUMA,
        method="GET",
        url="https://api.lumalabs.ai/dream-machine/v1/credits",
        key="luma-0123456789abcdef0123456789abcdef",
        check_auth=_bearer,
        success=_json(200, {"credit_balance": 1234.5}),
        bad_key=_json(401, {"detail": "Invalid API key"}),
        bad_key_text="Invalid API key",
        forbidden=_json(403, {"detail": "API access requires a paid plan"}),
        details={"credit_balance": 1234.5},
    ),
    Case(
        provider=Provider.IMAGINEART,
        method="POST",
        url="https://api.vyro.ai/v2/image/generations",
        key="vk-0123456789abcdef0123456789abcdef",
        check_auth=_bearer,
        # The deliberately empty request is refused after authentication.
        success=_json(
            422,
            {
                "detail": [
                    {"loc": ["body", "prompt"], "msg": "field required", "type": "value_error"}
                ]
            },
        ),
        bad_key=_json(401, {"detail": "Invalid or expired API key"}),
        bad_key_text="Invalid or expired API key",
        forbidden=_json(403, {"detail": "Insufficient credits"}),
    ),
    Case(
        provider=Provider.PIXVERSE,
        method="GET",
        url="https://app-api.pixverse.ai/openapi/v2/account/balance",
        key="sk-pixverse-0123456789abcdef0123456789",
        check_auth=_pixverse_auth,
        success=_json(
            200,
            {
                "ErrCode": 0,
                "ErrMsg": "success",
                "Resp": {"account_id": 424242, "credit_monthly": 1000, "credit_package": 50},
            },
        ),
        # PixVerse reports errors in an HTTP 200 body.
        bad_key=_json(200, {"ErrCode": 400012, "ErrMsg": "Invalid account", "Resp": None}),
        bad_key_text="PixVerse error 400012: Invalid account",
        forbidden=_json(
            200,
            {"ErrCode": 500020, "ErrMsg": "User does not have permission for this operation"},
        ),
        details={"credit_monthly": 1000, "credit_package": 50},
    ),
    Case(
        provider=Provider.SEEDANCE,
        method="GET",
        url="https://ark.ap-southeast.bytepluses.com/api/v3/contents/generations/tasks",
        key="ark-0123456789abcdef-0123456789abcdef",
        check_auth=_bearer,
        params={"page_num": "1", "page_size": "1"},
        success=_json(200, {"items": [], "total": 0}),
        bad_key=_json(
            401,
            {
                "error": {
                    "code": "AuthenticationError",
                    "message": "The API key or AK/SK in the request is missing or invalid.",
                    "type": "Unauthorized",
                }
            },
        ),
        bad_key_text="missing or invalid",
        forbidden=_json(
            403,
            {
                "error": {
                    "code": "AccessDenied",
                    "message": "The request failed because you do not have access to the "
                    "requested resource.",
                    "type": "Forbidden",
                }
            },
        ),
        details={"task_count": 0},
    ),
    Case(
        provider=Provider.WAN,
        method="GET",
        url="https://dashscope-intl.aliyuncs.com/compatible-mode/v1/models",
        key="sk-0123456789abcdef0123456789abcdef",
        check_auth=_bearer,
        success=_json(200, {"object": "list", "data": [{"id": "wan2.2-t2v-plus"}]}),
        bad_key=_json(
            401,
            {
                "error": {
                    "message": "Incorrect API key provided. ",
                    "type": "invalid_request_error",
                    "param": None,
                    "code": "invalid_api_key",
                }
            },
        ),
        bad_key_text="Incorrect API key provided.",
        forbidden=_json(
            403,
            {"code": "AccessDenied.Unpurchased", "message": "Access to model denied."},
        ),
        details={"model_count": 1},
    ),
    Case(
        provider=Provider.HAILUO,
        method="GET",
        url="https://api.minimax.io/v2/query/video_generation",
        key="eyJhbGciOiJSUzI1NiJ9.minimax-test-key.signature",
        check_auth=_bearer,
        params={"page_num": "1", "page_size": "1"},
        success=_json(200, {"base_resp": {"status_code": 0, "status_msg": "success"}}),
        # MiniMax reports errors as HTTP 200 with base_resp.
        bad_key=_json(
            200,
            {
                "base_resp": {
                    "status_code": 1004,
                    "status_msg": "login fail: Please carry the API secret key in the "
                    "'Authorization' field of the request header",
                }
            },
        ),
        bad_key_text="login fail",
        forbidden=_json(
            200, {"base_resp": {"status_code": 1008, "status_msg": "insufficient balance"}}
        ),
    ),
    Case(
        provider=Provider.LTX,
        method="POST",
        url="https://api.ltx.video/v1/text-to-video",
        key="ltxv_0123456789abcdef0123456789abcdef",
        check_auth=_bearer,
        success=_json(
            400,
            {
                "type": "error",
                "error": {"type": "invalid_request_error", "message": "prompt: Field required"},
            },
        ),
        bad_key=_json(
            401,
            {
                "type": "error",
                "error": {"type": "authentication_error", "message": "Invalid API key"},
            },
        ),
        bad_key_text="Invalid API key",
        forbidden=_json(
            403,
            {
                "type": "error",
                "error": {"type": "permission_error", "message": "Insufficient credits"},
            },
        ),
    ),
    Case(
        provider=Provider.CREATOMATE,
        method="GET",
        url="https://api.creatomate.com/v1/templates",
        key="0123456789abcdef0123456789abcdef0123456789abcdef",
        check_auth=_bearer,
        success=_json(200, [{"id": "a1b2", "name": "Story"}, {"id": "c3d4", "name": "Promo"}]),
        bad_key=_json(401, {"hint": "The API key is invalid."}),
        bad_key_text="The API key is invalid.",
        forbidden=_json(403, {"hint": "Your subscription does not include API access."}),
        details={"template_count": 2},
    ),
    Case(
        provider=Provider.SHOTSTACK,
        method="GET",
        url="https://api.shotstack.io/edit/v1/templates",
        key="HBHjHylztJqjEeIFQxNJWB5g2mPa4lI40wX8oNVD",
        check_auth=_header("x-api-key"),
        success=_json(
            200,
            {
                "success": True,
                "message": "OK",
                "response": {"owner": "abc", "templates": [{"id": "t1", "name": "Promo"}]},
            },
        ),
        # The API gateway answers an unknown key (or another environment's) with 403.
        bad_key=_json(403, {"message": "Forbidden"}),
        bad_key_text="Forbidden",
        forbidden=None,
        details={"environment": "v1", "template_count": 1},
    ),
    Case(
        provider=Provider.REMOTION,
        method="GET",
        url="https://sts.amazonaws.com/",
        key=f"{AWS_ID}:{AWS_SECRET}",
        check_auth=_aws_auth,
        params={"Action": "GetCallerIdentity", "Version": "2011-06-15"},
        success=(
            200,
            """<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/remotion-user</Arn>
    <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>""",
            {"Content-Type": "text/xml"},
        ),
        bad_key=(
            403,
            """<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>
    <Message>The security token included in the request is invalid.</Message></Error>
  <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
</ErrorResponse>""",
            {"Content-Type": "text/xml"},
        ),
        bad_key_text="The security token included in the request is invalid.",
        forbidden=(
            403,
            """<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>
    <Message>User is not authorized to perform this action.</Message></Error></ErrorResponse>""",
            {"Content-Type": "text/xml"},
        ),
        details={
            "aws_account": "123456789012",
            "aws_arn": "arn:aws:iam::123456789012:user/remotion-user",
        },
    ),
    Case(
        provider=Provider.EDITFRAME,
        method="GET",
        url="https://editframe.com/api/v1/renders/md5/00000000000000000000000000000000",
        key="ef_0123456789abcdef0123456789abcdef",
        check_auth=_bearer,
        # A render that cannot exist: 404 proves the key was accepted.
        success=_json(404, {"error": "Render not found"}),
        bad_key=_json(401, {"error": "Unauthorized"}),
        bad_key_text="Unauthorized",
        forbidden=_json(403, {"error": "API access is not enabled for this organization"}),
    ),
)

CASE_IDS = [case.provider.value for case in CASES]


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    # One client for the module: building an SSL context per test is the slow part.
    with httpx.Client() as http:
        yield http


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    # Any request without a route fails the test: nothing leaves the machine.
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as mock:
        yield mock


def _route(router: respx.MockRouter, case: Case) -> respx.Route:
    parts = urlsplit(case.url)
    return router.route(method=case.method, scheme="https", host=parts.hostname, path=parts.path)


def _sent(route: respx.Route, case: Case) -> httpx.Request:
    assert route.call_count == 1
    request = route.calls.last.request
    assert request.method == case.method
    assert f"{request.url.scheme}://{request.url.host}{request.url.path}" == case.url
    for name, value in case.params.items():
        assert request.url.params[name] == value
    case.check_auth(request, case.key)
    return request


def test_every_http_provider_has_a_case() -> None:
    # Providers whose key is optional check a server the user names (its base URL
    # is an option): tests/providers/test_openai_compatible.py covers their checks.
    http_providers = {
        p.id for p in all_providers() if p.needs_key and not p.key_optional and p.retired is None
    }
    assert {case.provider for case in CASES} == http_providers


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_catalogue_validation_host_matches_the_request(case: Case) -> None:
    catalogued = get_provider(case.provider).key_check
    assert urlsplit(catalogued.url).hostname == urlsplit(case.url).hostname
    assert catalogued.method == case.method


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_success(case: Case, router: respx.MockRouter, client: httpx.Client) -> None:
    route = _route(router, case)
    route.mock(return_value=_response(case.success))
    result = check_key(provider=case.provider, api_key=case.key, client=client)
    _sent(route, case)
    assert result.status == "valid", result.message
    assert result.valid is True
    assert result.provider == case.provider
    assert result.http_status == case.success[0]
    assert result.details == case.details
    assert result.retry_after_s is None
    assert case.key not in result.model_dump_json()


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_bad_key_is_invalid_and_keeps_provider_message(
    case: Case, router: respx.MockRouter, client: httpx.Client
) -> None:
    route = _route(router, case)
    route.mock(return_value=_response(case.bad_key))
    result = check_key(provider=case.provider, api_key=case.key, client=client)
    _sent(route, case)
    assert result.status == "invalid"
    assert result.valid is False
    assert result.http_status == case.bad_key[0]
    assert case.bad_key_text in result.message


@pytest.mark.parametrize("case", [c for c in CASES if c.forbidden], ids=lambda c: c.provider.value)
def test_missing_permission_is_forbidden(
    case: Case, router: respx.MockRouter, client: httpx.Client
) -> None:
    assert case.forbidden is not None
    route = _route(router, case)
    route.mock(return_value=_response(case.forbidden))
    result = check_key(provider=case.provider, api_key=case.key, client=client)
    _sent(route, case)
    assert result.status == "forbidden", result.message
    assert result.valid is False
    assert result.http_status == case.forbidden[0]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_rate_limited_with_retry_after_seconds(
    case: Case, router: respx.MockRouter, client: httpx.Client
) -> None:
    route = _route(router, case)
    route.mock(
        return_value=httpx.Response(
            429,
            json={"error": {"message": "Rate limit reached, slow down"}},
            headers={"Retry-After": "17"},
        )
    )
    result = check_key(provider=case.provider, api_key=case.key, client=client)
    _sent(route, case)
    assert result.status == "rate_limited"
    assert result.valid is False
    assert result.retry_after_s == 17.0
    assert "slow down" in result.message


def test_rate_limited_with_retry_after_http_date(
    router: respx.MockRouter, client: httpx.Client
) -> None:
    when = datetime.now(UTC) + timedelta(seconds=120)
    router.get("https://api.lumalabs.ai/dream-machine/v1/credits").mock(
        return_value=httpx.Response(
            429,
            json={"detail": "Too many requests"},
            headers={"Retry-After": format_datetime(when, usegmt=True)},
        )
    )
    result = check_key(provider="luma", api_key="luma-key-123456", client=client)
    assert result.status == "rate_limited"
    assert result.retry_after_s is not None
    assert 100 <= result.retry_after_s <= 121


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_server_error_is_provider_error(
    case: Case, router: respx.MockRouter, client: httpx.Client
) -> None:
    route = _route(router, case)
    route.mock(return_value=httpx.Response(503, text="Service Unavailable: upstream overloaded"))
    result = check_key(provider=case.provider, api_key=case.key, client=client)
    _sent(route, case)
    assert result.status == "provider_error"
    assert result.valid is False
    assert result.http_status == 503
    assert "upstream overloaded" in result.message


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
@pytest.mark.parametrize("error", [httpx.ConnectTimeout, httpx.ReadTimeout, httpx.ConnectError])
def test_timeout_or_connection_failure_is_unreachable(
    case: Case, error: type[Exception], router: respx.MockRouter, client: httpx.Client
) -> None:
    route = _route(router, case)
    route.mock(side_effect=error)
    result = check_key(provider=case.provider, api_key=case.key, client=client)
    _sent(route, case)
    assert result.status == "unreachable"
    assert result.valid is False
    assert result.http_status is None


# ----- provider-specific behaviour ------------------------------------------------------


def test_echoed_key_is_redacted_and_never_logged(
    router: respx.MockRouter, client: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    router.get("https://api.openai.com/v1/models").mock(
        return_value=httpx.Response(
            401, json={"error": {"message": f"Incorrect API key provided: {OPENAI_KEY}"}}
        )
    )
    with caplog.at_level(logging.DEBUG):
        result = check_key(provider="openai", api_key=OPENAI_KEY, client=client)
    assert result.status == "invalid"
    assert OPENAI_KEY not in result.model_dump_json()
    assert "[redacted]" in result.message
    for record in caplog.records:
        assert OPENAI_KEY not in record.getMessage()
        assert OPENAI_KEY not in str(getattr(record, "fields", ""))
    assert any(getattr(r, "fields", {}).get("provider") == "openai" for r in caplog.records)


def test_unexpected_client_error_is_provider_error(
    router: respx.MockRouter, client: httpx.Client
) -> None:
    router.get("https://api.lumalabs.ai/dream-machine/v1/credits").mock(
        return_value=httpx.Response(404, json={"detail": "Not Found"})
    )
    result = check_key(provider="luma", api_key="luma-key-123456", client=client)
    assert result.status == "provider_error"
    assert "Unexpected HTTP 404" in result.message
    assert "Not Found" in result.message


def test_unsplash_exhausted_quota_is_rate_limited(
    router: respx.MockRouter, client: httpx.Client
) -> None:
    router.get("https://api.unsplash.com/photos").mock(
        return_value=httpx.Response(
            403, text="Rate Limit Exceeded", headers={"X-Ratelimit-Remaining": "0"}
        )
    )
    result = check_key(provider="unsplash", api_key="access-key-123456", client=client)
    assert result.status == "rate_limited"


@pytest.mark.parametrize(
    ("code", "status"),
    [(2049, "invalid"), (1002, "rate_limited"), (1039, "rate_limited"), (1013, "provider_error")],
)
def test_minimax_body_codes(
    code: int, status: str, router: respx.MockRouter, client: httpx.Client
) -> None:
    router.get("https://api.minimax.io/v2/query/video_generation").mock(
        return_value=httpx.Response(
            200, json={"base_resp": {"status_code": code, "status_msg": "some reason"}}
        )
    )
    result = check_key(provider="hailuo", api_key="minimax-key-123", client=client)
    assert result.status == status
    assert f"MiniMax error {code}: some reason" in result.message


@pytest.mark.parametrize(
    ("code", "message", "status"),
    [
        (500044, "Reached the limit for concurrent generations.", "rate_limited"),
        (999001, "api key not found", "invalid"),
        (500100, "system busy", "provider_error"),
    ],
)
def test_pixverse_body_codes(
    code: int, message: str, status: str, router: respx.MockRouter, client: httpx.Client
) -> None:
    router.get("https://app-api.pixverse.ai/openapi/v2/account/balance").mock(
        return_value=httpx.Response(200, json={"ErrCode": code, "ErrMsg": message})
    )
    result = check_key(provider="pixverse", api_key="pixverse-key-1", client=client)
    assert result.status == status
    assert message in result.message


def test_pixverse_unknown_body_error_is_provider_error(
    router: respx.MockRouter, client: httpx.Client
) -> None:
    router.get("https://app-api.pixverse.ai/openapi/v2/account/balance").mock(
        return_value=httpx.Response(200, json={"ErrCode": 500100, "ErrMsg": "system busy"})
    )
    result = check_key(provider="pixverse", api_key="pixverse-key-1", client=client)
    assert result.status == "provider_error"
    assert "system busy" in result.message


def test_pixverse_sends_a_fresh_trace_id_per_request(
    router: respx.MockRouter, client: httpx.Client
) -> None:
    route = router.get("https://app-api.pixverse.ai/openapi/v2/account/balance").mock(
        return_value=httpx.Response(200, json={"ErrCode": 0, "ErrMsg": "success", "Resp": {}})
    )
    for _ in range(2):
        check_key(provider="pixverse", api_key="pixverse-key-1", client=client)
    traces = {call.request.headers["Ai-trace-id"] for call in route.calls}
    assert len(traces) == 2


def test_shotstack_stage_environment(router: respx.MockRouter, client: httpx.Client) -> None:
    route = router.get("https://api.shotstack.io/edit/stage/templates").mock(
        return_value=httpx.Response(
            200, json={"success": True, "message": "OK", "response": {"templates": []}}
        )
    )
    result = check_key(
        provider="shotstack",
        api_key="HBHjHylztJqjEeIFQxNJWB5g2mPa4lI40wX8oNVD",
        client=client,
        options={"environment": "stage"},
    )
    assert route.call_count == 1
    assert result.status == "valid"
    assert result.details == {"environment": "stage", "template_count": 0}


def test_shotstack_unknown_environment_is_refused_without_a_request(
    router: respx.MockRouter, client: httpx.Client
) -> None:
    result = check_key(
        provider="shotstack", api_key="x" * 40, client=client, options={"environment": "prod"}
    )
    assert result.status == "invalid"
    assert "environment" in result.message
    assert not router.calls


@pytest.mark.parametrize(
    ("provider", "options", "url"),
    [
        ("wan", {"region": "cn"}, "https://dashscope.aliyuncs.com/compatible-mode/v1/models"),
        ("hailuo", {"region": "cn"}, "https://api.minimaxi.com/v2/query/video_generation"),
    ],
)
def test_region_options(
    provider: str, options: dict[str, str], url: str, router: respx.MockRouter, client: httpx.Client
) -> None:
    route = router.get(url).mock(
        return_value=httpx.Response(200, json={"data": [], "base_resp": {"status_code": 0}})
    )
    result = check_key(
        provider=provider, api_key="sk-region-test-key", client=client, options=options
    )
    assert route.call_count == 1
    assert result.status == "valid"


@pytest.mark.parametrize("key", ["AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE:", ":secret"])
def test_remotion_needs_a_key_pair(
    key: str, router: respx.MockRouter, client: httpx.Client
) -> None:
    result = check_key(provider="remotion", api_key=key, client=client)
    assert result.status == "invalid"
    assert "ACCESS_KEY_ID:SECRET_ACCESS_KEY" in result.message
    assert not router.calls


def test_remotion_session_token_is_signed(router: respx.MockRouter, client: httpx.Client) -> None:
    route = router.get("https://sts.amazonaws.com/").mock(
        return_value=httpx.Response(200, text="<GetCallerIdentityResponse/>")
    )
    result = check_key(
        provider="remotion", api_key=f"ASIAIOSFODNN7EXAMPLE:{AWS_SECRET}:token123", client=client
    )
    assert result.status == "valid"
    request = route.calls.last.request
    assert request.headers["X-Amz-Security-Token"] == "token123"
    assert "SignedHeaders=host;x-amz-date;x-amz-security-token" in request.headers["Authorization"]


def test_sigv4_matches_the_aws_test_suite_get_vanilla_vector() -> None:
    # aws-sig-v4-test-suite "get-vanilla": GET / on example.amazonaws.com.
    headers = sigv4_headers(
        method="GET",
        host="example.amazonaws.com",
        path="/",
        query={},
        access_key_id="AKIDEXAMPLE",
        secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        region="us-east-1",
        service="service",
        now=datetime(2015, 8, 30, 12, 36, 0, tzinfo=UTC),
    )
    assert headers["X-Amz-Date"] == "20150830T123600Z"
    assert headers["Authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, "
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    )


@pytest.mark.parametrize("key", ["", "   "])
def test_empty_key_is_invalid_without_a_request(
    key: str, router: respx.MockRouter, client: httpx.Client
) -> None:
    result = check_key(provider="openai", api_key=key, client=client)
    assert result.status == "invalid"
    assert not router.calls


def test_key_is_stripped_before_sending(router: respx.MockRouter, client: httpx.Client) -> None:
    route = router.get("https://api.openai.com/v1/models").mock(
        return_value=httpx.Response(200, json={"data": []})
    )
    check_key(provider="openai", api_key=f"  {OPENAI_KEY}\n", client=client)
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {OPENAI_KEY}"


def test_unknown_provider() -> None:
    with pytest.raises(KeyError, match="unknown provider"):
        check_key(provider="myspace", api_key="k")


def test_success_with_unexpected_body_is_still_valid(
    router: respx.MockRouter, client: httpx.Client
) -> None:
    router.get("https://api.dev.runwayml.com/v1/organization").mock(
        return_value=httpx.Response(200, text="ok")
    )
    result = check_key(provider="runway", api_key="key_runway_123", client=client)
    assert result.status == "valid"
    assert result.details == {}


def test_default_client_is_created_lazily_and_reused(router: respx.MockRouter) -> None:

    router.get("https://api.lumalabs.ai/dream-machine/v1/credits").mock(
        return_value=httpx.Response(200, json={"credit_balance": 1})
    )
    first = check_key(provider="luma", api_key="luma-key-123456")
    shared = keycheck._shared_client
    second = check_key(provider="luma", api_key="luma-key-123456")
    assert first.valid and second.valid
    assert shared is not None
    assert keycheck._shared_client is shared


# ----- Retry-After ------------------------------------------------------------------------


def test_parse_retry_after() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("30", now=now) == 30.0
    assert parse_retry_after(" 2.5 ", now=now) == 2.5
    assert parse_retry_after("-5", now=now) == 0.0
    assert parse_retry_after("Thu, 01 Jan 2026 12:01:30 GMT", now=now) == 90.0
    assert parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after("", now=now) is None
    assert parse_retry_after(None, now=now) is None


# ----- FFmpeg -----------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed here")
def test_ffmpeg_real_binary() -> None:
    result = check_key(provider="ffmpeg", api_key="")
    assert result.status == "valid", result.message
    assert result.details["missing_filters"] == []
    assert result.details["missing_encoders"] == []
    assert result.details["version"] != "unknown"


def test_ffmpeg_missing_binary() -> None:
    result = check_key(provider="ffmpeg", api_key="", options={"binary": "synthora-no-such-ffmpeg"})
    assert result.status == "invalid"
    assert "not found" in result.message


def _fake_ffmpeg(tmp_path: Path, *, filters: list[str], encoders: list[str]) -> Path:
    filter_rows = "\n".join(f" ... {name:<16} V->V       A filter." for name in filters)
    encoder_rows = "\n".join(f" V....D {name:<20} An encoder" for name in encoders)
    script = tmp_path / "ffmpeg"
    script.write_text(
        "#!/bin/sh\n"
        'case "$2" in\n'
        f"  -filters) printf '%s\\n' 'Filters:' '  T.. = Timeline support' '{filter_rows}' ;;\n"
        f"  -encoders) printf '%s\\n' 'Encoders:' ' V..... = Video' ' ------' '{encoder_rows}' ;;\n"
        "  -version) echo 'ffmpeg version 9.9-test Copyright (c) the FFmpeg developers' ;;\n"
        "esac\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as a fake ffmpeg")
def test_ffmpeg_without_needed_filters_is_invalid(tmp_path: Path) -> None:
    present = [f for f in REQUIRED_FFMPEG_FILTERS if f not in ("ass", "zoompan")]
    fake = _fake_ffmpeg(tmp_path, filters=present, encoders=["libopenh264"])
    result = check_key(provider="ffmpeg", api_key="", options={"binary": str(fake)})
    assert result.status == "invalid"
    assert result.details["missing_filters"] == ["ass", "zoompan"]
    assert result.details["missing_encoders"] == ["libx264"]
    assert "ass, zoompan, libx264" in result.message
    assert result.details["version"] == "9.9-test"


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as a fake ffmpeg")
def test_ffmpeg_complete_fake_build_is_valid(tmp_path: Path) -> None:
    fake = _fake_ffmpeg(tmp_path, filters=list(REQUIRED_FFMPEG_FILTERS), encoders=["libx264"])
    result = check_key(provider="ffmpeg", api_key="", options={"binary": str(fake)})
    assert result.status == "valid", result.message


def test_validators_cover_every_provider() -> None:
    assert {p.validator.provider for p in all_providers()} == set(Provider)


def test_a_retired_provider_is_never_called(respx_mock: respx.MockRouter) -> None:
    """Sora's API is shut down: its check sends nothing and says why."""
    result = check_key(provider="sora", api_key=OPENAI_KEY)
    assert not respx_mock.calls
    assert (result.valid, result.status) == (False, "forbidden")
    assert "shut down" in result.message
