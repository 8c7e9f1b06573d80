"""Production verification of Cloud Tasks / Scheduler OIDC tokens, fully offline.

Tokens are RS256-signed with a locally generated key; google-auth's real
`verify_oauth2_token` checks them against certs served by an injected transport
(no network), then `verify_internal_call` checks the service account.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pytest

from synthora.errors import Forbidden, Unauthorized
from synthora.identity import google_oidc_verifier, verify_internal_call
from synthora.settings import Settings
from tests.emulators.keys import certs_json, google_style_id_token

SA = "synthora-invoker@demo-synthora.iam.gserviceaccount.com"
URL = "https://us-central1-demo-synthora.cloudfunctions.net/cleanup-worker"


@dataclass
class _Response:
    status: int
    data: bytes
    headers: dict[str, str]


class _CertsTransport:
    """A google-auth transport that serves locally generated certs for any URL."""

    def __init__(self, seed: str = "default") -> None:
        self.body = certs_json(seed).encode()
        self.urls: list[str] = []

    def __call__(self, url: str, method: str = "GET", **_: Any) -> _Response:
        self.urls.append(url)
        return _Response(200, self.body, {"content-type": "application/json"})


@pytest.fixture
def prod() -> Settings:
    return Settings(
        environment="production",
        master_keys="p1:" + "A" * 43 + "=",
        google_cloud_project="demo-synthora",
        tasks_service_account=SA,
    )


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _verify(token: str, settings: Settings) -> object:
    verifier = google_oidc_verifier(_CertsTransport())
    return verify_internal_call(
        _headers(token), settings=settings, audience=URL, oidc_verify=verifier
    )


def _token(**overrides: Any) -> str:
    claims = {"aud": URL, "email": SA, "email_verified": True, "sub": "1234", **overrides}
    return google_style_id_token(claims)


def test_valid_token_from_the_invoker_account_is_accepted(prod: Settings) -> None:
    transport = _CertsTransport()
    caller = verify_internal_call(
        _headers(_token()), settings=prod, audience=URL, oidc_verify=google_oidc_verifier(transport)
    )
    assert caller.kind == "oidc" and caller.subject == SA
    assert transport.urls == ["https://www.googleapis.com/oauth2/v1/certs"]


def test_wrong_audience_is_refused(prod: Settings) -> None:
    token = _token(aud="https://us-central1-demo-synthora.cloudfunctions.net/other")
    with pytest.raises(Unauthorized):
        verify_internal_call(
            _headers(token),
            settings=prod,
            audience=URL,
            oidc_verify=google_oidc_verifier(_CertsTransport()),
        )


def test_other_service_account_is_forbidden(prod: Settings) -> None:
    token = _token(email="intruder@evil-project.iam.gserviceaccount.com")
    with pytest.raises(Forbidden):
        verify_internal_call(
            _headers(token),
            settings=prod,
            audience=URL,
            oidc_verify=google_oidc_verifier(_CertsTransport()),
        )
    unverified = _token(email_verified=False)
    with pytest.raises(Forbidden):
        verify_internal_call(
            _headers(unverified),
            settings=prod,
            audience=URL,
            oidc_verify=google_oidc_verifier(_CertsTransport()),
        )


def test_expired_or_foreign_signed_tokens_are_refused(prod: Settings) -> None:
    old = int(time.time()) - 7200
    expired = _token(iat=old, exp=old + 600)
    with pytest.raises(Unauthorized):
        verify_internal_call(
            _headers(expired),
            settings=prod,
            audience=URL,
            oidc_verify=google_oidc_verifier(_CertsTransport()),
        )
    # signed by another key that claims the genuine key id
    foreign = google_style_id_token(
        {"aud": URL, "email": SA, "email_verified": True}, seed="attacker", key_id="key-default"
    )
    with pytest.raises(Unauthorized):
        verify_internal_call(
            _headers(foreign),
            settings=prod,
            audience=URL,
            oidc_verify=google_oidc_verifier(_CertsTransport()),
        )


def test_missing_token_and_wrong_issuer_are_refused(prod: Settings) -> None:
    with pytest.raises(Unauthorized):
        verify_internal_call({}, settings=prod, audience=URL)
    token = _token(iss="https://evil.example")
    with pytest.raises(Unauthorized):
        verify_internal_call(
            _headers(token),
            settings=prod,
            audience=URL,
            oidc_verify=google_oidc_verifier(_CertsTransport()),
        )
