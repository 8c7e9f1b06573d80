"""The OAuth 2.0 machinery the Google, TikTok and Meta emulators share.

Each platform keeps one `OAuthServer`: its registered clients (apps), the login
choices its consent page offers, the authorization codes it issued and the
tokens they became. Platform modules decide the wire format (parameter names,
error bodies, lifetimes); this module only keeps the rules every one of them
documents:

- a code is single use, short-lived (`CODE_LIFETIME_S`) and bound to the
  client and `redirect_uri` it was issued for;
- PKCE: when the authorize request carried `code_challenge`, the token request
  must carry the matching `code_verifier` (S256: base64url(sha256(verifier)),
  RFC 7636 section 4.6; `plain` compares as is);
- tokens expire on the emulated clock and can be revoked (by the client, or by
  the control API, as a user removing the app would).

Clients: an app that was never registered through the control API is registered
on first use with the redirect URI it presents and no secret check, so local
development works with any client id; a client registered through
`POST /_emulator/<prefix>/clients` gets its secret and redirect URIs enforced,
as the real services enforce them.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from synthora_emulators.clock import Clock

CODE_LIFETIME_S = 600


class OAuthError(Exception):
    """An OAuth protocol error: `error` is the RFC 6749 code, `description` its text."""

    def __init__(self, error: str, description: str, *, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


@dataclass
class Client:
    client_id: str
    client_secret: str | None = None
    redirect_uris: list[str] = field(default_factory=list)
    registered: bool = False
    audited: bool = True
    name: str = "Synthora"

    def public(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "registered": self.registered,
            "redirect_uris": list(self.redirect_uris),
            "audited": self.audited,
            "name": self.name,
        }


@dataclass
class Choice:
    """One line of the consent page's account picker."""

    identity_id: str
    subject_id: str
    label: str
    detail: str = ""


@dataclass
class Code:
    code: str
    client_id: str
    identity_id: str
    subject_id: str
    scopes: list[str]
    redirect_uri: str
    expires_at: float
    challenge: str | None = None
    challenge_method: str = "plain"
    used: bool = False
    offline: bool = True
    issued: list[str] = field(default_factory=list)
    declined: list[str] = field(default_factory=list)


@dataclass
class Token:
    value: str
    kind: str  # "access" | "refresh"
    client_id: str
    identity_id: str
    subject_id: str
    scopes: list[str]
    issued_at: float
    expires_at: float | None
    revoked: bool = False
    revoked_reason: str = ""
    grant_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def public(self, now: float) -> dict[str, Any]:
        return {
            "token": self.value,
            "kind": self.kind,
            "client_id": self.client_id,
            "identity_id": self.identity_id,
            "subject_id": self.subject_id,
            "scopes": list(self.scopes),
            "expires_in": None if self.expires_at is None else round(self.expires_at - now),
            "revoked": self.revoked,
            "revoked_reason": self.revoked_reason,
            "grant_id": self.grant_id,
        }


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OAuthServer:
    """Clients, codes and tokens of one platform, on the emulated clock."""

    def __init__(self, *, clock: Clock, token_prefix: str, refresh_prefix: str) -> None:
        self.clock = clock
        self.token_prefix = token_prefix
        self.refresh_prefix = refresh_prefix
        self.clients: dict[str, Client] = {}
        self.codes: dict[str, Code] = {}
        self.tokens: dict[str, Token] = {}

    # ------------------------------------------------------------------ clients

    def register(self, body: dict[str, Any]) -> Client:
        client_id = str(body.get("client_id") or "").strip()
        if not client_id:
            raise ValueError("client_id is required")
        client = Client(
            client_id=client_id,
            client_secret=body.get("client_secret") or None,
            redirect_uris=[str(u) for u in body.get("redirect_uris") or []],
            registered=True,
            audited=bool(body.get("audited", True)),
            name=str(body.get("name") or "Synthora"),
        )
        self.clients[client_id] = client
        return client

    def client_for_authorize(self, client_id: str, redirect_uri: str) -> Client:
        """The client of an authorize request; unknown ids are registered on first use."""
        if not client_id:
            raise OAuthError("invalid_request", "Missing required parameter: client_id")
        if not redirect_uri:
            raise OAuthError("invalid_request", "Missing required parameter: redirect_uri")
        client = self.clients.get(client_id)
        if client is None:
            client = Client(client_id=client_id, redirect_uris=[redirect_uri])
            self.clients[client_id] = client
        elif redirect_uri not in client.redirect_uris:
            if client.registered:
                raise OAuthError(
                    "redirect_uri_mismatch",
                    f"The redirect URI in the request, {redirect_uri}, does not match the ones "
                    "authorized for the OAuth client.",
                )
            client.redirect_uris.append(redirect_uri)
        return client

    def authenticate(self, client_id: str, client_secret: str | None) -> Client:
        """The client of a token request, its secret checked when one was registered."""
        client = self.clients.get(client_id or "")
        if client is None:
            if not client_id:
                raise OAuthError("invalid_request", "Missing required parameter: client_id")
            raise OAuthError("invalid_client", "The OAuth client was not found.", status=401)
        if not client_secret:
            raise OAuthError("invalid_request", "Missing required parameter: client_secret")
        if client.client_secret is not None and not secrets.compare_digest(
            client.client_secret, client_secret
        ):
            raise OAuthError("invalid_client", "Unauthorized", status=401)
        return client

    # ------------------------------------------------------------------ codes

    def issue_code(
        self,
        *,
        client: Client,
        choice: Choice,
        scopes: list[str],
        redirect_uri: str,
        challenge: str | None,
        challenge_method: str | None,
        offline: bool = True,
    ) -> Code:
        code = Code(
            code=secrets.token_urlsafe(24),
            client_id=client.client_id,
            identity_id=choice.identity_id,
            subject_id=choice.subject_id,
            scopes=scopes,
            redirect_uri=redirect_uri,
            expires_at=self.clock.time() + CODE_LIFETIME_S,
            challenge=challenge or None,
            challenge_method="S256" if (challenge_method or "").upper() == "S256" else "plain",
            offline=offline,
        )
        self.codes[code.code] = code
        return code

    def redeem_code(
        self, *, client: Client, code_value: str, redirect_uri: str, verifier: str | None
    ) -> Code:
        """Check and consume a code; a replayed code revokes what it issued (RFC 6749 4.1.2)."""
        code = self.codes.get(code_value or "")
        if code is None or code.client_id != client.client_id:
            raise OAuthError("invalid_grant", "Malformed auth code.")
        if code.used:
            for value in code.issued:
                self.revoke(value, reason="authorization code replayed")
            raise OAuthError("invalid_grant", "Authorization code has already been used.")
        if self.clock.time() > code.expires_at:
            raise OAuthError("invalid_grant", "Authorization code has expired.")
        if redirect_uri != code.redirect_uri:
            raise OAuthError("redirect_uri_mismatch", "Bad Request")
        if code.challenge is not None:
            if not verifier:
                raise OAuthError("invalid_grant", "Missing code verifier.")
            expected = s256(verifier) if code.challenge_method == "S256" else verifier
            if not secrets.compare_digest(expected, code.challenge):
                raise OAuthError("invalid_grant", "Invalid code verifier.")
        code.used = True
        return code

    # ------------------------------------------------------------------ tokens

    def issue(
        self,
        *,
        kind: str,
        client_id: str,
        identity_id: str,
        subject_id: str,
        scopes: list[str],
        lifetime_s: float | None,
        grant_id: str,
        extra: dict[str, Any] | None = None,
    ) -> Token:
        prefix = self.token_prefix if kind == "access" else self.refresh_prefix
        now = self.clock.time()
        token = Token(
            value=prefix + secrets.token_urlsafe(32),
            kind=kind,
            client_id=client_id,
            identity_id=identity_id,
            subject_id=subject_id,
            scopes=list(scopes),
            issued_at=now,
            expires_at=None if lifetime_s is None else now + lifetime_s,
            grant_id=grant_id,
            extra=dict(extra or {}),
        )
        self.tokens[token.value] = token
        return token

    def check(self, value: str | None, *, kind: str = "access") -> tuple[Token | None, str]:
        """(token, "") when usable, else (token or None, why: missing/invalid/expired/revoked)."""
        if not value:
            return None, "missing"
        token = self.tokens.get(value)
        if token is None or token.kind != kind:
            return None, "invalid"
        if token.revoked:
            return token, "revoked"
        if token.expires_at is not None and self.clock.time() >= token.expires_at:
            return token, "expired"
        return token, ""

    def revoke(self, value: str, *, reason: str = "revoked") -> bool:
        token = self.tokens.get(value)
        if token is None:
            return False
        token.revoked = True
        token.revoked_reason = reason
        return True

    def revoke_grant(self, grant_id: str, *, reason: str) -> int:
        count = 0
        for token in self.tokens.values():
            if token.grant_id == grant_id and not token.revoked:
                token.revoked = True
                token.revoked_reason = reason
                count += 1
        return count

    def revoke_matching(self, body: dict[str, Any], *, reason: str) -> list[str]:
        """Control API: revoke by `token`, or every token of a `subject_id`/`identity_id`."""
        revoked: list[str] = []
        for token in self.tokens.values():
            if token.revoked:
                continue
            if (
                token.value == body.get("token")
                or (body.get("subject_id") and token.subject_id == body.get("subject_id"))
                or (body.get("identity_id") and token.identity_id == body.get("identity_id"))
            ):
                token.revoked = True
                token.revoked_reason = reason
                revoked.append(token.value)
        return revoked

    def expire_matching(self, body: dict[str, Any]) -> list[str]:
        """Control API: make matching access tokens expire now (as if their lifetime passed)."""
        now = self.clock.time()
        expired: list[str] = []
        for token in self.tokens.values():
            if token.kind != "access" or token.revoked:
                continue
            if (
                token.value == body.get("token")
                or (body.get("subject_id") and token.subject_id == body.get("subject_id"))
                or body.get("all")
            ):
                token.expires_at = now - 1
                expired.append(token.value)
        return expired

    def inspect(self) -> dict[str, Any]:
        now = self.clock.time()
        return {
            "clients": [c.public() for c in self.clients.values()],
            "tokens": [t.public(now) for t in self.tokens.values()],
            "codes_issued": len(self.codes),
        }


# --------------------------------------------------------------------------- consent page


def consent_page(
    *,
    platform: str,
    client: Client,
    scopes: list[str],
    choices: list[Choice],
    action: str,
    error: str = "",
) -> str:
    """The emulated consent page: an account picker, the scopes as checkboxes, Allow and Deny.

    A plain form (no script): it posts back to `action` (the authorize URL with
    its query) with `account`, the `scope` values left checked and `decision`.
    """
    esc = html.escape
    rows = "\n".join(
        f'<label class="choice"><input type="radio" name="account" value="{esc(c.subject_id)}"'
        f"{' checked' if i == 0 else ''}> <strong>{esc(c.label)}</strong>"
        f' <span class="detail">{esc(c.detail)}</span></label>'
        for i, c in enumerate(choices)
    )
    scope_rows = "\n".join(
        f'<label class="scope"><input type="checkbox" name="scope" value="{esc(s)}" checked>'
        f" {esc(s)}</label>"
        for s in scopes
    )
    problem = f'<p class="error" role="alert">{esc(error)}</p>' if error else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in with {esc(platform)} (Emulated, local)</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; }}
.banner {{ background: #fff3cd; border: 1px solid #e0c060; padding: .5rem .75rem; }}
label {{ display: block; padding: .4rem 0; }} .detail {{ color: #555; font-size: .9em; }}
.error {{ color: #a00; }} button {{ font-size: 1rem; padding: .5rem 1.2rem; margin-right: .5rem; }}
</style></head>
<body>
<p class="banner"><strong>Emulated (local)</strong>: no real {esc(platform)} account is used.</p>
<h1>{esc(client.name)} wants to access your {esc(platform)} account</h1>
<p>App: <code>{esc(client.client_id)}</code></p>
{problem}
<form method="post" action="{esc(action)}">
<fieldset><legend>Choose an account</legend>
{rows}
</fieldset>
<fieldset><legend>Permissions</legend>
{scope_rows}
</fieldset>
<p><button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></p>
</form>
</body></html>
"""


def error_page(*, platform: str, error: str, description: str) -> str:
    esc = html.escape
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Error: {esc(error)} ({esc(platform)}, emulated)</title></head><body>"
        '<p class="banner"><strong>Emulated (local)</strong></p>'
        f"<h1>Error 400: {esc(error)}</h1><p>{esc(description)}</p></body></html>"
    )


def with_query(url: str, params: dict[str, str | None]) -> str:
    sep = "&" if "?" in url else "?"
    return url + sep + urlencode({k: v for k, v in params.items() if v is not None})
