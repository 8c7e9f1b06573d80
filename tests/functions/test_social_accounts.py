"""The social accounts functions end to end over real HTTP: real Auth emulator tokens,
the platform emulators' consent pages followed as a browser would (GET the page,
submit its form with Allow or Deny), then our public callback function.

Every platform here is the emulated one: the clients run unchanged with their
base URLs pointed at the emulators (`SYNTHORA_PLATFORM_EMULATOR_URL`).
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urljoin, urlparse

import httpx
import pytest
from flask.testing import FlaskClient

from synthora.local.functions import create_function_app
from synthora.manifest import get_manifest
from synthora.platform import get_platform
from synthora.settings import Settings, get_settings
from tests.conftest import AuthEmulator, PlatformEmulators
from tests.support.calls import bearer, error, uid_of

BASE = "/api/v1/social-accounts"


# --------------------------------------------------------------------------- harness


class ConsentForm(HTMLParser):
    """The emulated consent page's form: its action, the checked account and scopes."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.accounts: list[str] = []
        self.checked_account: str | None = None
        self.scopes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.action = a.get("action") or ""
        if tag == "input" and a.get("name") == "account":
            self.accounts.append(a.get("value") or "")
            if "checked" in a:
                self.checked_account = a.get("value")
        if tag == "input" and a.get("name") == "scope" and "checked" in a:
            self.scopes.append(a.get("value") or "")


def consent(
    url: str,
    *,
    decision: str = "allow",
    drop_scopes: tuple[str, ...] = (),
    account: str | None = None,
) -> str:
    """Open the authorize URL, submit the consent form like a browser; the redirect target."""
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        page = browser.get(url)
        assert page.status_code == 200, page.text[:500]
        assert "Emulated (local)" in page.text
        form = ConsentForm()
        form.feed(page.text)
        assert form.action and form.checked_account
        data: dict[str, Any] = {
            "account": account or form.checked_account,
            "decision": decision,
            "scope": [s for s in form.scopes if s not in drop_scopes],
        }
        answer = browser.post(urljoin(url, form.action), data=data)
        assert answer.status_code in (302, 303), answer.text[:500]
        return answer.headers["Location"]


def _fn(settings: Settings, name: str) -> FlaskClient:
    spec = get_manifest(settings.manifest_file).function(name)
    client: FlaskClient = create_function_app(spec, settings.functions_dir).test_client()
    return client


@pytest.fixture
def env(platform_emulators: PlatformEmulators, auth: AuthEmulator) -> dict[str, Any]:
    settings = get_settings()
    return {
        "emulators": platform_emulators,
        "auth": auth,
        "api": _fn(settings, "social_accounts"),
        "callback": _fn(settings, "social_accounts_callback"),
        "settings": settings,
    }


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def _round_trip(env: dict[str, Any], token: str, platform: str, **consent_kw: Any) -> str:
    """Connect through the emulator's consent page; the web-app URL we redirect to."""
    api: FlaskClient = env["api"]
    start = api.post(f"{BASE}/connect/{platform}", headers=bearer(token))
    assert start.status_code == 200, start.get_json()
    target = consent(start.get_json()["authorization_url"], **consent_kw)
    redirect = urlparse(target)
    expected = urlparse(get_settings().public_url)
    # the platform sends the browser back to our public callback function
    assert (redirect.scheme, redirect.netloc) == (expected.scheme, expected.netloc)
    assert redirect.path == f"{BASE}/callback/{platform}"
    answer = env["callback"].get(f"{redirect.path}?{redirect.query}")
    assert answer.status_code == 302
    assert answer.headers["Cache-Control"] == "no-store"
    location = answer.headers["Location"]
    assert urlparse(location).path == "/social-accounts"
    return location


def _accounts(env: dict[str, Any], token: str) -> list[dict[str, Any]]:
    answer = env["api"].get(BASE, headers=bearer(token))
    assert answer.status_code == 200
    return answer.get_json()["items"]  # type: ignore[no-any-return]


def _emulator(env: dict[str, Any], method: str, path: str, **kw: Any) -> dict[str, Any]:
    r = httpx.request(method, f"{env['emulators'].url}/_emulator/{path}", timeout=10, **kw)
    r.raise_for_status()
    return r.json()  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- the full flow


def test_connect_all_four_platforms_then_disconnect_one(env: dict[str, Any]) -> None:
    token = env["auth"].sign_up("creator@example.com")
    platforms = env["api"].get(f"{BASE}/platforms", headers=bearer(token)).get_json()
    assert {p["label"] for p in platforms["items"]} == {"Emulated (local)"}

    for name in ("youtube", "tiktok", "instagram"):
        landed = _query(_round_trip(env, token, name))
        assert landed.get("connected"), landed
        assert "error" not in landed

    # Facebook: the first emulated login manages two Pages, so the person chooses
    landed = _query(_round_trip(env, token, "facebook"))
    selection_id = landed["select"]
    choice = env["api"].get(f"{BASE}/selections/{selection_id}", headers=bearer(token))
    candidates = choice.get_json()["candidates"]
    assert len(candidates) == 2
    chosen = env["api"].post(
        f"{BASE}/selections/{selection_id}",
        headers=bearer(token),
        json={"platform_account_ids": [candidates[0]["platform_account_id"]]},
    )
    assert chosen.status_code == 200, chosen.get_json()

    accounts = _accounts(env, token)
    by_platform = {a["platform"]: a for a in accounts}
    assert set(by_platform) == {"youtube", "tiktok", "instagram", "facebook"}
    for account in accounts:
        assert account["status"] == "connected" and account["emulated"] is True
        assert account["display_name"] and account["platform_account_id"]
        assert account["capabilities"]["can_publish"] is True
    assert by_platform["instagram"]["handle"] == "adacreates"
    assert by_platform["instagram"]["followers"] == 1500
    assert by_platform["tiktok"]["capabilities"]["privacy_level_options"]
    assert by_platform["tiktok"]["capabilities"]["max_video_post_duration_sec"]
    assert by_platform["youtube"]["token_expires_at"] is not None
    assert by_platform["facebook"]["token_expires_at"] is None  # Page tokens do not expire

    # no token reached a response, and none is stored in clear
    issued = [
        t["token"]
        for prefix in ("google", "tiktok", "meta")
        for t in _emulator(env, "GET", prefix)["tokens"]
    ]
    assert len(issued) >= 6  # access and refresh tokens, Meta user and Page tokens
    raw = str([s.to_dict() for s in get_platform().documents.collection("social_accounts").get()])
    listing = env["api"].get(BASE, headers=bearer(token)).get_data(as_text=True)
    for value in issued:
        assert value not in listing and value not in raw

    # disconnect YouTube: revoked at Google, gone from the list, readable for history
    youtube = by_platform["youtube"]
    gone = env["api"].delete(f"{BASE}/{youtube['id']}", headers=bearer(token))
    assert gone.status_code == 200 and gone.get_json()["revoked_at_platform"] is True
    assert {a["platform"] for a in _accounts(env, token)} == {"tiktok", "instagram", "facebook"}
    kept = env["api"].get(f"{BASE}/{youtube['id']}", headers=bearer(token)).get_json()
    assert kept["status"] == "disconnected" and kept["display_name"] == youtube["display_name"]


def test_denied_consent_lands_on_the_page_with_the_error(env: dict[str, Any]) -> None:
    token = env["auth"].sign_up("denier@example.com")
    for name in ("youtube", "tiktok", "facebook"):
        landed = _query(_round_trip(env, token, name, decision="deny"))
        assert landed["error"] == "access_denied" and landed["platform"] == name
    assert _accounts(env, token) == []


def test_a_declined_scope_is_shown_not_discovered_at_post_time(env: dict[str, Any]) -> None:
    token = env["auth"].sign_up("partial@example.com")
    landed = _query(_round_trip(env, token, "tiktok", drop_scopes=("video.publish",)))
    assert "video.publish" in landed["missing"].split(",")
    [account] = _accounts(env, token)
    assert account["capabilities"]["can_publish"] is False
    assert "video.publish" in account["capabilities"]["missing_scopes"]


def test_replayed_callback_is_refused(env: dict[str, Any]) -> None:
    token = env["auth"].sign_up("replay@example.com")
    start = env["api"].post(f"{BASE}/connect/youtube", headers=bearer(token)).get_json()
    target = urlparse(consent(start["authorization_url"]))
    first = env["callback"].get(f"{target.path}?{target.query}")
    assert "connected" in _query(first.headers["Location"])
    again = env["callback"].get(f"{target.path}?{target.query}")
    assert _query(again.headers["Location"])["error"] == "state_used"


def test_manual_callback_for_the_single_page_app(env: dict[str, Any]) -> None:
    token = env["auth"].sign_up("spa@example.com")
    other = env["auth"].sign_up("spa-other@example.com")
    start = env["api"].post(f"{BASE}/connect/tiktok", headers=bearer(token)).get_json()
    params = _query(consent(start["authorization_url"]))
    path = f"{BASE}/callback/tiktok/manual"
    body = {"code": params["code"], "state": params["state"]}
    assert env["callback"].post(path, json=body).status_code == 401
    stolen = env["callback"].post(path, json=body, headers=bearer(other))
    assert stolen.status_code == 400 and error(stolen)["code"] == "state_invalid"
    # bound to its user: the intruder could not spend it, so its owner still can
    done = env["callback"].post(path, json=body, headers=bearer(token))
    assert done.status_code == 200 and done.get_json()["result"] == "connected"
    again = env["callback"].post(path, json=body, headers=bearer(token))
    assert again.status_code == 400 and error(again)["code"] == "state_used"
    assert _accounts(env, other) == []


def test_manual_callback_connects(env: dict[str, Any]) -> None:
    token = env["auth"].sign_up("spa2@example.com")
    start = env["api"].post(f"{BASE}/connect/youtube", headers=bearer(token)).get_json()
    params = _query(consent(start["authorization_url"]))
    done = env["callback"].post(
        f"{BASE}/callback/youtube/manual",
        json={"code": params["code"], "state": params["state"]},
        headers=bearer(token),
    )
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert body["result"] == "connected" and body["accounts"][0]["platform"] == "youtube"
    assert "token" not in done.get_data(as_text=True).replace("token_expires_at", "")


def test_tiktok_refresh_rotates_through_the_emulator_and_revocation_needs_reconnect(
    env: dict[str, Any],
) -> None:
    token = env["auth"].sign_up("rotate@example.com")
    _round_trip(env, token, "tiktok")
    [account] = _accounts(env, token)
    for _ in range(2):  # each refresh spends the previous refresh token at the emulator
        r = env["api"].post(f"{BASE}/{account['id']}/refresh", headers=bearer(token))
        assert r.status_code == 200 and r.get_json()["result"] == "refreshed", r.get_json()
    # the person removes the app at TikTok: the next refresh finds a dead grant
    _emulator(env, "POST", "tiktok/revoke", json={"subject_id": account["platform_account_id"]})
    r = env["api"].post(f"{BASE}/{account['id']}/refresh", headers=bearer(token))
    assert r.get_json()["result"] == "needs_reconnect"
    [after] = _accounts(env, token)
    assert after["status"] == "needs_reconnect"
    # the user is told once for this grant
    snaps = (
        get_platform()
        .documents.collection("notifications")
        .where("user_id", "==", uid_of(token))
        .get()
    )
    assert [s.get("type") for s in snaps] == ["social_disconnect"]
    # reconnecting repairs it
    _round_trip(env, token, "tiktok")
    [repaired] = _accounts(env, token)
    assert repaired["status"] == "connected" and repaired["id"] == account["id"]


def test_transient_platform_failure_keeps_the_account_connected(env: dict[str, Any]) -> None:
    token = env["auth"].sign_up("flaky@example.com")
    _round_trip(env, token, "youtube")
    [account] = _accounts(env, token)
    _emulator(
        env,
        "POST",
        "faults",
        json={"platform": "google", "method": "POST", "path": "/token", "status": 503, "times": 1},
    )
    r = env["api"].post(f"{BASE}/{account['id']}/refresh", headers=bearer(token))
    assert r.status_code == 503 and error(r)["code"] == "platform_unavailable"
    [after] = _accounts(env, token)
    assert after["status"] == "connected" and after["last_error"]["kind"] == "transient"
    r = env["api"].post(f"{BASE}/{account['id']}/refresh", headers=bearer(token))
    assert r.status_code == 200 and r.get_json()["result"] == "refreshed"


# --------------------------------------------------------------------------- authorization


def test_routes_need_a_user_and_accounts_are_owned(env: dict[str, Any]) -> None:
    api: FlaskClient = env["api"]
    assert api.get(BASE).status_code == 401
    assert api.post(f"{BASE}/connect/youtube").status_code == 401
    owner = env["auth"].sign_up("owner-s@example.com")
    intruder = env["auth"].sign_up("intruder-s@example.com")
    _round_trip(env, owner, "youtube")
    [account] = _accounts(env, owner)
    for method, path in (
        ("get", f"{BASE}/{account['id']}"),
        ("delete", f"{BASE}/{account['id']}"),
        ("post", f"{BASE}/{account['id']}/refresh"),
    ):
        r = getattr(api, method)(path, headers=bearer(intruder))
        assert r.status_code == 404 and error(r)["code"] == "social_account_not_found"
    assert _accounts(env, intruder) == []
    # the same channel cannot be taken by a second Synthora user
    start = api.post(f"{BASE}/connect/youtube", headers=bearer(intruder)).get_json()
    target = urlparse(consent(start["authorization_url"]))
    landed = _query(env["callback"].get(f"{target.path}?{target.query}").headers["Location"])
    assert landed["error"] == "account_connected_elsewhere"
    assert _accounts(env, owner)[0]["status"] == "connected"


def test_unknown_platform_and_bad_input_are_4xx(env: dict[str, Any]) -> None:
    token = env["auth"].sign_up("bad-s@example.com")
    r = env["api"].post(f"{BASE}/connect/myspace", headers=bearer(token))
    assert r.status_code == 404 and error(r)["code"] == "platform_not_found"
    r = env["api"].get(f"{BASE}?platform=myspace", headers=bearer(token))
    assert r.status_code == 404
    r = env["callback"].get(f"{BASE}/callback/youtube?state=nope&code=x")
    assert r.status_code == 302 and _query(r.headers["Location"])["error"] == "state_invalid"
    r = env["api"].post(f"{BASE}/selections/nope", headers=bearer(token), json={})
    assert r.status_code == 422


def test_the_feature_flag_stops_new_connections(env: dict[str, Any]) -> None:
    from synthora.services.app_settings import clear_cache, put_setting

    token = env["auth"].sign_up("flag-s@example.com")
    put_setting(
        platform=get_platform(), admin_uid="a", key="features", value={"social_posting": False}
    )
    clear_cache()
    r = env["api"].post(f"{BASE}/connect/youtube", headers=bearer(token))
    assert r.status_code == 403 and error(r)["code"] == "social_posting_disabled"
