"""Remotion Lambda: Renders the React composition on AWS Lambda in the user's account.

Key check only: the key can be saved and checked, but Synthora has no client
for it yet, so no pipeline step uses it and ranking never picks it (the
catalogue and readiness say so).

Key check: GET
https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15:
Remotion has no API key: only the AWS key pair is checkable (STS
GetCallerIdentity needs no permission). Whether the Remotion Lambda function
and bucket are deployed, and the Lambda/S3 permissions, surface at render
time.

Documentation: https://www.remotion.dev/docs/lambda/setup
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from synthora.providers.base import (
    AuthMethod,
    AuthSpec,
    Capability,
    IntegrationCategory,
    KeyFormat,
    ProviderDeclaration,
    ValidationEndpoint,
    not_yet_run,
)
from synthora.providers.keycheck import (
    HttpValidator,
    InvalidKeyFormat,
    Outcome,
    Probe,
    _xml_text,
)

ID = "remotion"
DISPLAY_NAME = "Remotion Lambda"


# --------------------------------------------------------------------------- key check

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


def _aws_details(response: httpx.Response, body: Any) -> dict[str, Any]:
    details: dict[str, Any] = {}
    account = _xml_text(response.text, "Account")
    arn = _xml_text(response.text, "Arn")
    if account:
        details["aws_account"] = account
    if arn:
        details["aws_arn"] = arn
    return details


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.ASSEMBLY,
    auth=AuthSpec(
        method=AuthMethod.KEY_SECRET,
        notes="AWS access key pair of the account running Remotion Lambda, stored as "
        "`ACCESS_KEY_ID:SECRET_ACCESS_KEY`; requests are SigV4-signed.",
    ),
    docs_url="https://www.remotion.dev/docs/lambda/setup",
    keys_url="https://console.aws.amazon.com/iam/home#/users",
    used_for="Renders the React composition on AWS Lambda in the user's account.",
    key_format=KeyFormat(
        pattern=r"(AKIA|ASIA)[A-Z0-9]{16}:[A-Za-z0-9/+=]{40}",
        description="`ACCESS_KEY_ID:SECRET_ACCESS_KEY` (AWS key ids start AKIA/ASIA).",
    ),
    key_check=ValidationEndpoint(
        method="GET",
        url="https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
        description="Remotion has no API key: only the AWS key pair is checkable (STS "
        "GetCallerIdentity needs no permission). Whether the Remotion Lambda function "
        "and bucket are deployed, and the Lambda/S3 permissions, surface at render time.",
        dedicated=False,
    ),
    validator=HttpValidator(
        provider=ID,
        build=_remotion_probe,
        inspect=_inspect_aws,
        extract=_aws_details,
    ),
    capabilities={Capability.ASSEMBLY: not_yet_run(DISPLAY_NAME, "cloud assembly")},
)
