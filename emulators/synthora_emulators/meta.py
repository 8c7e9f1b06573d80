"""Facebook Login + Graph API (Pages, Instagram), pinned to v27.0, under `/meta`.

The three Meta hosts map to this prefix with their real paths:

    www.facebook.com        GET|POST /v27.0/dialog/oauth                    consent page
    graph.facebook.com      GET  /v27.0/oauth/access_token                  code, fb_exchange_token
                            GET  /v27.0/me, /me/accounts, /me/permissions, /debug_token
                            POST /v27.0/{ig-user}/media, /{ig-user}/media_publish
                            GET  /v27.0/{ig-user}/content_publishing_limit, /{container}
                            GET  /v27.0/{ig-media}, /{ig-media}/insights
                            POST /v27.0/{page}/video_reels (start, finish), /{page}/videos
                            POST /v27.0/{app-id}/uploads, POST|GET /v27.0/upload:{session}
                            GET  /v27.0/{video}, /{video}/video_insights
    rupload.facebook.com    POST /video-upload/v27.0/{video-id}              reel bytes or file_url

Only the pinned version is served: a call on another version is refused (code 2635),
so a client that forgets the pinned version fails here rather than in production.

Behaviour follows the pages cited in `synthora_emulators.shapes.meta`
(shared/reference/platform-apis.md sections 7-11): short-lived user tokens (1 h), the
long-lived exchange (~60 d), page tokens that never expire when derived from a
long-lived token, Reels containers whose `video_url` is fetched at creation (our
signed loopback URL), the status_code lifecycle (IN_PROGRESS -> FINISHED|ERROR, EXPIRED
after 24 h, PUBLISHED), 100 API posts per IG account per 24 h, 30 API reels per Page per
24 h, and the v22+ insights metric names (the retired ones answer error 100).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

import flask
import httpx

from synthora_emulators.clock import Clock
from synthora_emulators.core import PlatformEmulator
from synthora_emulators.faults import FaultRule, Faults
from synthora_emulators.media import probe_mp4, sha256
from synthora_emulators.metrics import Snapshot, VideoFeatures, snapshot
from synthora_emulators.oauth import (
    Choice,
    OAuthError,
    OAuthServer,
    Token,
    consent_page,
    error_page,
    with_query,
)
from synthora_emulators.shapes import clone
from synthora_emulators.shapes import meta as shapes

V = shapes.GRAPH_VERSION
DEFAULT_PROCESSING_S = 15.0
IG_PUBLISH_SCOPE = "instagram_content_publish"
IG_INSIGHTS_SCOPE = "instagram_manage_insights"
PAGE_PUBLISH_SCOPE = "pages_manage_posts"
PAGE_READ_SCOPES = {"pages_read_engagement", "read_insights"}

DEFAULT_ACCOUNTS: list[dict[str, Any]] = [
    {
        "id": "10000000000000001",
        "name": "Ada Creator",
        "pages": [
            {
                "id": "1000000000000011",
                "name": "Ada Creates",
                "category": "Digital creator",
                "instagram": {
                    "id": "17841400000000011",
                    "username": "adacreates",
                    "followers_count": 1500,
                },
            },
            {
                "id": "1000000000000012",
                "name": "Ada Clips",
                "category": "Video creator",
                "instagram": None,
            },
        ],
    },
    {
        "id": "10000000000000002",
        "name": "Ben Builder",
        "pages": [
            {
                "id": "1000000000000021",
                "name": "Ben Builds",
                "category": "Education",
                "instagram": {
                    "id": "17841400000000021",
                    "username": "benbuilds",
                    "followers_count": 90,
                },
            },
        ],
    },
]


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _new_id(prefix: str) -> str:
    return prefix + str(secrets.randbelow(10**12)).zfill(12)


class MetaEmulator(PlatformEmulator):
    prefix = "meta"
    title = "Meta (Facebook, Instagram)"

    def __init__(self, *, clock: Clock, faults: Faults) -> None:
        super().__init__(clock=clock, faults=faults)
        self._state()
        self._routes()

    def _state(self) -> None:
        self.oauth = OAuthServer(clock=self.clock, token_prefix="EAAG", refresh_prefix="EAAR")
        self.accounts: dict[str, dict[str, Any]] = {a["id"]: clone(a) for a in DEFAULT_ACCOUNTS}
        self.containers: dict[str, dict[str, Any]] = {}
        self.media: dict[str, dict[str, Any]] = {}
        self.videos: dict[str, dict[str, Any]] = {}
        self.sessions: dict[str, dict[str, Any]] = {}
        self.page_tokens: dict[tuple[str, str, bool], str] = {}
        self.ig_quota_total = shapes.IG_QUOTA_TOTAL
        self.fb_reels_per_24h = shapes.FB_REELS_PER_24H
        self.processing_s = DEFAULT_PROCESSING_S

    def reset(self) -> None:
        super().reset()
        with self.lock:
            self._state()

    # ------------------------------------------------------------------ lookups

    def error_body(self, rule: FaultRule) -> dict[str, Any]:
        if rule.status == 429:
            return clone(shapes.APP_THROTTLED)
        return clone(shapes.UNKNOWN_ERROR)

    def _pages(self) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
        """page id -> (owner account, page)."""
        return {p["id"]: (a, p) for a in self.accounts.values() for p in a["pages"]}

    def _ig_users(self) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
        """ig user id -> (owner account, page it is linked to)."""
        return {
            p["instagram"]["id"]: (a, p)
            for a in self.accounts.values()
            for p in a["pages"]
            if p.get("instagram")
        }

    def _err(self, body: dict[str, Any], status: int = 400) -> flask.Response:
        return self.json(clone(body), status)

    def _token_value(self) -> str | None:
        value = flask.request.values.get("access_token")
        if value:
            return value
        header = flask.request.headers.get("Authorization", "")
        for scheme in ("bearer ", "oauth "):
            if header.lower().startswith(scheme):
                return header[len(scheme) :].strip()
        return None

    def _auth(self, value: str | None = None) -> tuple[Token | None, flask.Response | None]:
        token, why = self.oauth.check(value if value is not None else self._token_value())
        if why == "missing":
            return None, self._err(shapes.TOKEN_REQUIRED)
        if why == "invalid":
            return None, self._err(shapes.TOKEN_INVALID)
        if why == "expired":
            return None, self._err(shapes.TOKEN_EXPIRED)
        if why == "revoked":
            assert token is not None
            body = (
                shapes.TOKEN_PASSWORD_CHANGED
                if token.revoked_reason == "password changed"
                else shapes.TOKEN_APP_REMOVED
            )
            return None, self._err(body)
        return token, None

    def _owner_of_token(self, token: Token) -> str:
        return token.identity_id

    # ------------------------------------------------------------------ routes

    def _routes(self) -> None:
        bp = self.blueprint
        bp.add_url_rule(f"/{V}/dialog/oauth", "dialog", self.dialog, methods=["GET", "POST"])
        bp.add_url_rule(
            f"/{V}/oauth/access_token", "access_token", self.access_token, methods=["GET", "POST"]
        )
        bp.add_url_rule(f"/video-upload/{V}/<video_id>", "rupload", self.rupload, methods=["POST"])
        bp.add_url_rule(
            "/<version>/<path:path>", "graph", self.graph, methods=["GET", "POST", "DELETE"]
        )

    # ------------------------------------------------------------------ login

    def _choices(self) -> list[Choice]:
        return [
            Choice(
                a["id"], a["id"], a["name"], ", ".join(p["name"] for p in a["pages"]) or "no Pages"
            )
            for a in self.accounts.values()
        ]

    def dialog(self) -> Any:
        args = flask.request.args
        redirect_uri = args.get("redirect_uri", "")
        raw_scope = args.get("scope", "")
        scopes = [s.strip() for s in raw_scope.replace(" ", ",").split(",") if s.strip()]
        if not scopes and args.get("config_id"):
            scopes = [
                "pages_show_list",
                "pages_read_engagement",
                "pages_manage_posts",
                "read_insights",
                "instagram_basic",
                IG_PUBLISH_SCOPE,
                IG_INSIGHTS_SCOPE,
            ]
        try:
            if args.get("response_type", "code") != "code":
                raise OAuthError("invalid_request", "Only response_type=code is emulated.")
            with self.lock:
                client = self.oauth.client_for_authorize(args.get("client_id", ""), redirect_uri)
        except OAuthError as exc:
            return flask.Response(
                error_page(platform="Facebook", error=exc.error, description=exc.description),
                400,
                mimetype="text/html",
            )
        state = args.get("state")
        if flask.request.method == "GET":
            with self.lock:
                choices = self._choices()
            return flask.Response(
                consent_page(
                    platform="Facebook",
                    client=client,
                    scopes=scopes,
                    choices=choices,
                    action=flask.request.full_path,
                ),
                mimetype="text/html",
            )
        form = flask.request.form
        if form.get("decision") != "allow":
            return flask.redirect(
                with_query(
                    redirect_uri,
                    {
                        "error": "access_denied",
                        "error_code": "200",
                        "error_description": "Permissions error",
                        "error_reason": "user_denied",
                        "state": state,
                    },
                )
                + "#_=_"
            )
        granted = [s for s in form.getlist("scope") if s in scopes] if "scope" in form else scopes
        with self.lock:
            choice = next((c for c in self._choices() if c.subject_id == form.get("account")), None)
            if choice is None:
                return flask.Response(
                    error_page(
                        platform="Facebook",
                        error="invalid_request",
                        description="Choose an account.",
                    ),
                    400,
                    mimetype="text/html",
                )
            code = self.oauth.issue_code(
                client=client,
                choice=choice,
                scopes=granted,
                redirect_uri=redirect_uri,
                challenge=None,
                challenge_method=None,
            )
            code.declined = [s for s in scopes if s not in granted]
        return flask.redirect(
            with_query(redirect_uri, {"code": code.code, "state": state}) + "#_=_"
        )

    def access_token(self) -> Any:
        args = flask.request.values
        with self.lock:
            client = self.oauth.clients.get(args.get("client_id", ""))
            if client is None:
                return self._err(
                    shapes.error("Error validating application. Invalid application ID.", 101)
                )
            secret = args.get("client_secret")
            if not secret or (
                client.client_secret is not None
                and not secrets.compare_digest(client.client_secret, secret)
            ):
                return self._err(shapes.error("Error validating client secret.", 1))
            if args.get("grant_type") == "fb_exchange_token":
                short, problem = self._auth(args.get("fb_exchange_token", ""))
                if problem or short is None:
                    return problem
                if short.extra.get("type") != "USER":
                    return self._err(
                        shapes.error("(#100) fb_exchange_token must be a user access token", 100)
                    )
                long = self.oauth.issue(
                    kind="access",
                    client_id=client.client_id,
                    identity_id=short.identity_id,
                    subject_id=short.subject_id,
                    scopes=short.scopes,
                    lifetime_s=shapes.LONG_LIVED_S,
                    grant_id=short.grant_id,
                    extra={"type": "USER", "long_lived": True},
                )
                body = clone(shapes.LONG_LIVED_TOKEN_RESPONSE)
                body["access_token"] = long.value
                return self.json(body)
            try:
                code = self.oauth.redeem_code(
                    client=client,
                    code_value=args.get("code", ""),
                    redirect_uri=args.get("redirect_uri", ""),
                    verifier=None,
                )
            except OAuthError as exc:
                if exc.error == "redirect_uri_mismatch":
                    return self._err(
                        shapes.error(
                            "Error validating verification code. Please make sure your "
                            "redirect_uri is identical to the one you used in the OAuth "
                            "dialog request",
                            100,
                            subcode=36008,
                        )
                    )
                if "already been used" in exc.description:
                    return self._err(
                        shapes.error("This authorization code has been used.", 100, subcode=36009)
                    )
                if "expired" in exc.description:
                    return self._err(
                        shapes.error("This authorization code has expired.", 100, subcode=36007)
                    )
                return self._err(shapes.error("Invalid verification code format.", 100))
            declined = code.declined
            token = self.oauth.issue(
                kind="access",
                client_id=client.client_id,
                identity_id=code.identity_id,
                subject_id=code.subject_id,
                scopes=code.scopes,
                lifetime_s=shapes.SHORT_LIVED_S,
                grant_id=secrets.token_hex(8),
                extra={
                    "type": "USER",
                    "long_lived": False,
                    "declined": list(declined),
                },
            )
            code.issued.append(token.value)
        body = clone(shapes.TOKEN_RESPONSE)
        body["access_token"] = token.value
        return self.json(body)

    # ------------------------------------------------------------------ Graph dispatch

    def graph(self, version: str, path: str) -> Any:
        if version != V:
            if version.startswith("v") and version[1:].replace(".", "").isdigit():
                return self._err(
                    shapes.error(
                        f"(#2635) This emulator serves Graph API {V} only (the pinned version); "
                        f"the call used {version}.",
                        2635,
                    )
                )
            return self._err(shapes.unsupported_get(version))
        parts = path.strip("/").split("/")
        if len(parts) > 2:
            return self._err(shapes.error("Unknown path components: /" + "/".join(parts[2:]), 2500))
        node, edge = parts[0], (parts[1] if len(parts) == 2 else "")
        method = flask.request.method
        # Container creation pulls video_url over HTTP, outside the lock.
        if method == "POST" and edge == "media":
            return self.create_container(node)
        if method == "POST" and edge == "videos":
            return self.page_video(node)
        with self.lock:
            if node == "debug_token":
                return self.debug_token()
            token, problem = self._auth()
            if problem or token is None:
                return problem
            if node == "me":
                if token.extra.get("type") != "USER":
                    page = self._pages().get(token.subject_id)
                    if page is None:
                        return self._err(shapes.TOKEN_INVALID)
                    return self.json({"id": page[1]["id"], "name": page[1]["name"]})
                node = token.identity_id
            key = (method, edge)
            account = self.accounts.get(node)
            if account is not None:
                if node != token.identity_id:
                    return self._err(shapes.unsupported_get(node, method.lower()))
                if key == ("GET", ""):
                    return self.json({"id": account["id"], "name": account["name"]})
                if key == ("GET", "accounts"):
                    return self.me_accounts(token, account)
                if key == ("GET", "permissions"):
                    return self.permissions(token)
            if node in self._ig_users():
                if key == ("GET", ""):
                    return self.ig_user(token, node)
                if key == ("POST", "media_publish"):
                    return self.media_publish(token, node)
                if key == ("GET", "content_publishing_limit"):
                    return self.publishing_limit(token, node)
                if key == ("GET", "media"):
                    return self.ig_media_list(token, node)
            if node in self._pages():
                if key == ("GET", ""):
                    return self.page(token, node)
                if key == ("POST", "video_reels"):
                    return self.video_reels(token, node)
            if node in self.containers and key == ("GET", ""):
                return self.container(token, node)
            if node in self.media:
                if key == ("GET", ""):
                    return self.ig_media(token, node)
                if key == ("GET", "insights"):
                    return self.ig_insights(token, node)
            if node in self.videos:
                if key == ("GET", ""):
                    return self.fb_video(token, node)
                if key == ("GET", "video_insights"):
                    return self.fb_video_insights(token, node)
            if edge == "uploads" and method == "POST":
                return self.start_upload_session(token, node)
            if node.startswith("upload:") and key in (("POST", ""), ("GET", "")):
                return self.upload_session(token, node)
            return self._err(shapes.unsupported_get(node, method.lower()))

    def debug_token(self) -> Any:
        app_token = flask.request.args.get("access_token", "")
        app_id, _, app_secret = app_token.partition("|")
        client = self.oauth.clients.get(app_id)
        if client is None or (
            client.client_secret is not None and client.client_secret != app_secret
        ):
            return self._err(
                shapes.error("Invalid OAuth access token - Cannot parse access token", 190)
            )
        token = self.oauth.tokens.get(flask.request.args.get("input_token", ""))
        now = self.clock.time()
        if token is None:
            return self.json(
                {
                    "data": {
                        "is_valid": False,
                        "error": {"code": 190, "message": "Invalid OAuth access token."},
                    }
                }
            )
        valid = not token.revoked and (token.expires_at is None or now < token.expires_at)
        data = {
            "app_id": token.client_id,
            "type": token.extra.get("type", "USER"),
            "application": client.name,
            "expires_at": 0 if token.expires_at is None else int(token.expires_at),
            "data_access_expires_at": int(token.issued_at + 90 * 86_400),
            "is_valid": valid,
            "scopes": list(token.scopes),
            "user_id": token.identity_id,
        }
        if token.extra.get("type") == "PAGE":
            data["profile_id"] = token.subject_id
        return self.json({"data": data})

    # ------------------------------------------------------------------ user, pages

    def _page_token(self, user_token: Token, page: dict[str, Any]) -> str:
        long_lived = bool(user_token.extra.get("long_lived"))
        key = (user_token.grant_id, page["id"], long_lived)
        existing = self.page_tokens.get(key)
        if existing is not None:
            token, why = self.oauth.check(existing)
            if not why:
                return existing
        lifetime = (
            None if long_lived else max(1.0, (user_token.expires_at or 0) - self.clock.time())
        )
        token = self.oauth.issue(
            kind="access",
            client_id=user_token.client_id,
            identity_id=user_token.identity_id,
            subject_id=page["id"],
            scopes=user_token.scopes,
            lifetime_s=lifetime,
            grant_id=user_token.grant_id,
            extra={"type": "PAGE"},
        )
        self.page_tokens[key] = token.value
        return token.value

    def me_accounts(self, token: Token, account: dict[str, Any]) -> Any:
        if "pages_show_list" not in token.scopes:
            return self.json({"data": []})
        fields = flask.request.args.get("fields", "id,name,access_token,category,tasks")
        data = []
        for page in account["pages"]:
            full: dict[str, Any] = {
                "id": page["id"],
                "name": page["name"],
                "category": page.get("category", ""),
                "tasks": ["ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE"],
                "access_token": self._page_token(token, page),
            }
            if page.get("instagram"):
                full["instagram_business_account"] = {
                    "id": page["instagram"]["id"],
                    "username": page["instagram"]["username"],
                }
            data.append(_select(full, fields))
        body = clone(shapes.ME_ACCOUNTS)
        body["data"] = data
        return self.json(body)

    def permissions(self, token: Token) -> Any:
        data = [{"permission": s, "status": "granted"} for s in token.scopes]
        data += [{"permission": s, "status": "declined"} for s in token.extra.get("declined", [])]
        return self.json({"data": data})

    def page(self, token: Token, page_id: str) -> Any:
        owner, page = self._pages()[page_id]
        if owner["id"] != token.identity_id:
            return self._err(shapes.unsupported_get(page_id))
        full: dict[str, Any] = {
            "id": page["id"],
            "name": page["name"],
            "category": page.get("category", ""),
        }
        if page.get("instagram"):
            full["instagram_business_account"] = {"id": page["instagram"]["id"]}
        return self.json(_select(full, flask.request.args.get("fields", "id,name")))

    def ig_user(self, token: Token, ig_id: str) -> Any:
        owner, page = self._ig_users()[ig_id]
        if owner["id"] != token.identity_id:
            return self._err(shapes.unsupported_get(ig_id))
        ig = page["instagram"]
        full = {
            "id": ig_id,
            "username": ig["username"],
            "name": page["name"],
            "followers_count": ig.get("followers_count", 0),
            "media_count": sum(1 for m in self.media.values() if m["ig_user_id"] == ig_id),
        }
        return self.json(_select(full, flask.request.args.get("fields", "id,username")))

    # ------------------------------------------------------------------ Instagram publishing

    def _ig_guard(self, token: Token, ig_id: str, scope: str) -> flask.Response | None:
        owner, _ = self._ig_users()[ig_id]
        if owner["id"] != token.identity_id:
            return self._err(shapes.unsupported_get(ig_id, flask.request.method.lower()))
        if scope not in token.scopes:
            return self._err(shapes.PERMISSION_DENIED, 403)
        return None

    def create_container(self, ig_id: str) -> Any:
        values = flask.request.values
        with self.lock:
            token, problem = self._auth()
            if problem or token is None:
                return problem
            if ig_id not in self._ig_users():
                return self._err(shapes.unsupported_get(ig_id, "post"))
            problem = self._ig_guard(token, ig_id, IG_PUBLISH_SCOPE)
            if problem:
                return problem
            media_type = values.get("media_type", "")
            if media_type != "REELS":
                message = (
                    "(#100) The media_type VIDEO is no longer supported; use REELS."
                    if media_type == "VIDEO"
                    else "(#100) Only media_type=REELS is emulated."
                )
                return self._err(shapes.error(message, 100))
            caption = values.get("caption", "")
            if len(caption) > 2200:
                return self._err(shapes.error("The caption is too long.", 100, subcode=2207010))
            url = values.get("video_url", "")
            if not url.startswith(("http://", "https://")):
                return self._err(shapes.error("(#100) The parameter video_url is required", 100))
        try:
            response = httpx.get(url, timeout=60, follow_redirects=True)
            pulled = response.content if response.status_code == 200 else None
        except httpx.HTTPError:
            pulled = None
        with self.lock:
            if pulled is None:
                return self._err(shapes.FETCH_FAILED)
            container: dict[str, Any] = {
                "id": _new_id("179"),
                "ig_user_id": ig_id,
                "client_id": token.client_id,
                "caption": caption,
                "share_to_feed": values.get("share_to_feed", "true") != "false",
                "video_url": url,
                "created_at": self.clock.time(),
                "sha256": sha256(pulled),
                "size": len(pulled),
                "publish_attempts": 0,
                "media_id": None,
            }
            probe = probe_mp4(pulled)
            planned = self.take_planned_failure()
            container["duration_s"] = probe.duration_s if probe else None
            if probe is None or not 3 <= probe.duration_s <= 900:
                container["error"] = 2207026
            elif planned is not None:
                container["error"] = int(planned.get("subcode", 2207032))
            else:
                container["error"] = None
            self.containers[container["id"]] = container
        return self.json({"id": container["id"]})

    def _container_status(self, container: dict[str, Any], now: float) -> str:
        if container["media_id"] is not None:
            return "PUBLISHED"
        if now >= container["created_at"] + shapes.CONTAINER_LIFETIME_S:
            return "EXPIRED"
        if now < container["created_at"] + self.processing_s:
            return "IN_PROGRESS"
        return "ERROR" if container["error"] else "FINISHED"

    def container(self, token: Token, container_id: str) -> Any:
        container = self.containers[container_id]
        owner, _ = self._ig_users()[container["ig_user_id"]]
        if owner["id"] != token.identity_id:
            return self._err(shapes.unsupported_get(container_id))
        code = self._container_status(container, self.clock.time())
        text = {
            "IN_PROGRESS": "In Progress: Media is still being processed.",
            "FINISHED": "Finished: Media has been uploaded and it is ready to be published.",
            "PUBLISHED": "Published: Media has been successfully published.",
            "EXPIRED": "Expired: Media was not published within 24 hours.",
            "ERROR": f"Error: Media upload has failed with error code {container['error']}",
        }[code]
        full = {"id": container_id, "status_code": code, "status": text}
        return self.json(_select(full, flask.request.args.get("fields", "id")))

    def _published_in_window(self, ig_id: str) -> int:
        since = self.clock.time() - shapes.IG_QUOTA_DURATION_S
        return sum(
            1
            for m in self.media.values()
            if m["ig_user_id"] == ig_id and m["published_at"] >= since
        )

    def media_publish(self, token: Token, ig_id: str) -> Any:
        problem = self._ig_guard(token, ig_id, IG_PUBLISH_SCOPE)
        if problem:
            return problem
        container = self.containers.get(flask.request.values.get("creation_id", ""))
        if container is None or container["ig_user_id"] != ig_id:
            return self._err(
                shapes.error("(#100) The parameter creation_id is required or invalid", 100)
            )
        container["publish_attempts"] += 1
        status = self._container_status(container, self.clock.time())
        if status == "PUBLISHED":
            return self._err(shapes.ALREADY_PUBLISHED)
        if status == "EXPIRED":
            return self._err(shapes.CONTAINER_EXPIRED)
        if status in ("IN_PROGRESS", "ERROR"):
            return self._err(shapes.NOT_READY)
        if self._published_in_window(ig_id) >= self.ig_quota_total:
            return self._err(shapes.PUBLISH_LIMIT, 403)
        media_id = _new_id("1795")
        now = self.clock.time()
        self.media[media_id] = {
            "id": media_id,
            "ig_user_id": ig_id,
            "container_id": container["id"],
            "caption": container["caption"],
            "duration_s": container["duration_s"],
            "published_at": now,
            "sha256": container["sha256"],
        }
        container["media_id"] = media_id
        return self.json({"id": media_id})

    def publishing_limit(self, token: Token, ig_id: str) -> Any:
        owner, _ = self._ig_users()[ig_id]
        if owner["id"] != token.identity_id:
            return self._err(shapes.unsupported_get(ig_id))
        item: dict[str, Any] = {"quota_usage": self._published_in_window(ig_id)}
        fields = flask.request.args.get("fields", "quota_usage")
        if "config" in fields:
            item["config"] = {
                "quota_total": self.ig_quota_total,
                "quota_duration": shapes.IG_QUOTA_DURATION_S,
            }
        return self.json({"data": [item]})

    def _ig_snapshot(self, media: dict[str, Any]) -> Snapshot:
        features = VideoFeatures(
            "instagram", media["id"], media["published_at"], media["duration_s"], media["caption"]
        )
        return snapshot(features, self.effects, self.clock.time())

    def ig_media_list(self, token: Token, ig_id: str) -> Any:
        owner, _ = self._ig_users()[ig_id]
        if owner["id"] != token.identity_id:
            return self._err(shapes.unsupported_get(ig_id))
        items = sorted(
            (m for m in self.media.values() if m["ig_user_id"] == ig_id),
            key=lambda m: m["published_at"],
            reverse=True,
        )
        fields = flask.request.args.get("fields", "id")
        return self.json({"data": [_select(self._ig_media_fields(m), fields) for m in items]})

    def _ig_media_fields(self, media: dict[str, Any]) -> dict[str, Any]:
        snap = self._ig_snapshot(media)
        _, page = self._ig_users()[media["ig_user_id"]]
        shortcode = "C" + media["id"][-10:]
        return {
            "id": media["id"],
            "caption": media["caption"],
            "media_type": "VIDEO",
            "media_product_type": "REELS",
            "permalink": f"https://www.instagram.com/reel/{shortcode}/",
            "shortcode": shortcode,
            "timestamp": _iso(media["published_at"]),
            "username": page["instagram"]["username"],
            "like_count": snap.likes,
            "comments_count": snap.comments,
        }

    def ig_media(self, token: Token, media_id: str) -> Any:
        media = self.media[media_id]
        owner, _ = self._ig_users()[media["ig_user_id"]]
        if owner["id"] != token.identity_id:
            return self._err(shapes.unsupported_get(media_id))
        return self.json(
            _select(self._ig_media_fields(media), flask.request.args.get("fields", "id"))
        )

    def ig_insights(self, token: Token, media_id: str) -> Any:
        media = self.media[media_id]
        problem = self._ig_guard(token, media["ig_user_id"], IG_INSIGHTS_SCOPE)
        if problem:
            return problem
        names = [m for m in flask.request.args.get("metric", "").split(",") if m]
        if not names:
            return self._err(shapes.error("(#100) The parameter metric is required", 100))
        for i, name in enumerate(names):
            if name in shapes.IG_DEPRECATED_METRICS:
                return self._err(shapes.deprecated_metric(name))
            if name not in shapes.IG_MEDIA_METRICS:
                return self._err(shapes.invalid_metric(i, shapes.IG_MEDIA_METRICS))
        snap = self._ig_snapshot(media)
        values = {
            "views": snap.views,
            "reach": snap.reach,
            "likes": snap.likes,
            "comments": snap.comments,
            "shares": snap.shares,
            "saved": snap.saves,
            "total_interactions": snap.likes + snap.comments + snap.shares + snap.saves,
            "ig_reels_avg_watch_time": round(snap.avg_view_duration_s * 1000),
            "ig_reels_video_view_total_time": snap.watch_time_s * 1000,
        }
        return self.json({"data": [_insight(media_id, n, values[n]) for n in names]})

    # ------------------------------------------------------------------ Facebook video

    def _page_guard(self, token: Token, page_id: str) -> flask.Response | None:
        if token.extra.get("type") != "PAGE":
            return self._err(shapes.PAGE_TOKEN_REQUIRED)
        if token.subject_id != page_id:
            return self._err(shapes.unsupported_get(page_id, flask.request.method.lower()))
        if PAGE_PUBLISH_SCOPE not in token.scopes:
            return self._err(
                shapes.error(
                    "(#200) The pages_manage_posts permission is required to publish on a Page.",
                    200,
                ),
                403,
            )
        return None

    def _new_video(self, page_id: str, kind: str, token: Token) -> dict[str, Any]:
        video: dict[str, Any] = {
            "id": _new_id("120"),
            "page_id": page_id,
            "kind": kind,
            "client_id": token.client_id,
            "data": bytearray(),
            "file_size": None,
            "uploaded_at": None,
            "sha256": None,
            "duration_s": None,
            "error": None,
            "state": None,
            "description": "",
            "title": "",
            "scheduled_at": None,
            "published_at": None,
            "finish_calls": 0,
            "created_at": self.clock.time(),
        }
        self.videos[video["id"]] = video
        return video

    def _bytes_arrived(self, video: dict[str, Any]) -> None:
        data = bytes(video["data"])
        video["uploaded_at"] = self.clock.time()
        video["sha256"] = sha256(data)
        probe = probe_mp4(data)
        planned = self.take_planned_failure()
        video["duration_s"] = probe.duration_s if probe else None
        if probe is None:
            video["error"] = "The video file you uploaded is in a format that we don't support."
        elif video["kind"] == "reel" and not 3 <= probe.duration_s <= 90:
            video["error"] = "Reels must be between 3 and 90 seconds long."
        elif planned is not None:
            video["error"] = str(planned.get("reason") or "Video processing failed.")

    def video_reels(self, token: Token, page_id: str) -> Any:
        problem = self._page_guard(token, page_id)
        if problem:
            return problem
        values = flask.request.values
        phase = values.get("upload_phase")
        if phase == "start":
            started = self._new_video(page_id, "reel", token)
            return self.json(
                {
                    "video_id": started["id"],
                    "upload_url": f"{self.base_url()}/video-upload/{V}/{started['id']}",
                }
            )
        if phase != "finish":
            return self._err(shapes.error("(#100) upload_phase must be start or finish", 100))
        video = self.videos.get(values.get("video_id", ""))
        if video is None or video["page_id"] != page_id:
            return self._err(shapes.error("(#100) Invalid video_id", 100))
        if video["uploaded_at"] is None:
            return self._err(shapes.error("(#6000) The video upload has not finished.", 6000))
        state = values.get("video_state", "PUBLISHED")
        if state not in ("PUBLISHED", "DRAFT", "SCHEDULED"):
            return self._err(shapes.error("(#100) Invalid video_state", 100))
        video["finish_calls"] += 1
        if video["state"] in ("PUBLISHED", "SCHEDULED"):
            return self.json({"success": True})
        now = self.clock.time()
        if state != "DRAFT":
            since = now - 86_400
            recent = sum(
                1
                for v in self.videos.values()
                if v["page_id"] == page_id
                and v["kind"] == "reel"
                and v["state"] in ("PUBLISHED", "SCHEDULED")
                and v["created_at"] >= since
            )
            if recent >= self.fb_reels_per_24h:
                return self._err(shapes.REELS_LIMIT)
        video["description"] = values.get("description", "")
        video["title"] = values.get("title", "")
        if state == "SCHEDULED":
            try:
                at = float(values.get("scheduled_publish_time", ""))
            except ValueError:
                return self._err(shapes.error("(#100) scheduled_publish_time is required", 100))
            if not now + 600 <= at <= now + 30 * 86_400:
                return self._err(
                    shapes.error("(#100) The specified scheduled publish time is invalid.", 100)
                )
            video["scheduled_at"] = at
        video["state"] = state
        return self.json({"success": True})

    def rupload(self, video_id: str) -> Any:
        header = flask.request.headers.get("Authorization", "")
        value = header[6:].strip() if header.lower().startswith("oauth ") else None
        file_url = flask.request.headers.get("file_url")
        body = b"" if file_url else flask.request.get_data()
        with self.lock:
            token, problem = self._auth(value or "")
            if problem or token is None:
                return problem
            video = self.videos.get(video_id)
            if video is None or video["page_id"] != token.subject_id:
                return self._err(shapes.unsupported_get(video_id, "post"))
            if video["uploaded_at"] is not None:
                return self.json({"success": True})
        if file_url:
            try:
                response = httpx.get(file_url, timeout=60, follow_redirects=True)
                pulled = response.content if response.status_code == 200 else None
            except httpx.HTTPError:
                pulled = None
            with self.lock:
                if pulled is None:
                    return self._err(shapes.error("Failed to fetch the file from file_url.", 6000))
                video["data"] = bytearray(pulled)
                self._bytes_arrived(video)
                return self.json({"success": True})
        with self.lock:
            try:
                offset = int(flask.request.headers.get("offset", "0"))
                size = int(flask.request.headers.get("file_size", ""))
            except ValueError:
                return self._err(
                    shapes.error("(#100) offset and file_size headers are required", 100)
                )
            data: bytearray = video["data"]
            if offset != len(data):
                return self.json(
                    {
                        "debug_info": {
                            "type": "OffsetMismatch",
                            "message": f"Expected offset {len(data)}",
                        },
                        "success": False,
                    },
                    400,
                )
            data.extend(body)
            video["file_size"] = size
            if len(data) >= size:
                del data[size:]
                self._bytes_arrived(video)
            return self.json({"success": True})

    def start_upload_session(self, token: Token, app_id: str) -> Any:
        if app_id != token.client_id:
            return self._err(shapes.unsupported_get(app_id, "post"))
        values = flask.request.values
        try:
            length = int(values.get("file_length", ""))
        except ValueError:
            return self._err(shapes.error("(#100) file_length is required", 100))
        if not values.get("file_type", "").startswith("video/"):
            return self._err(shapes.error("(#100) file_type must be a video type", 100))
        session_id = "upload:" + secrets.token_urlsafe(18)
        self.sessions[session_id] = {
            "id": session_id,
            "length": length,
            "data": bytearray(),
            "file_name": values.get("file_name", ""),
            "identity_id": token.identity_id,
            "handle": None,
        }
        return self.json({"id": session_id})

    def upload_session(self, token: Token, session_id: str) -> Any:
        session = self.sessions.get(session_id)
        if session is None or session["identity_id"] != token.identity_id:
            return self._err(shapes.unsupported_get(session_id))
        data: bytearray = session["data"]
        if flask.request.method == "GET":
            return self.json({"id": session_id, "file_offset": len(data)})
        try:
            offset = int(flask.request.headers.get("file_offset", ""))
        except ValueError:
            return self._err(shapes.error("(#100) The file_offset header is required", 100))
        if offset != len(data):
            return self._err(shapes.error(f"(#100) file_offset must be {len(data)}", 100))
        data.extend(flask.request.get_data())
        if len(data) < session["length"]:
            return self.json({"id": session_id, "file_offset": len(data)})
        session["handle"] = session["handle"] or "2:" + secrets.token_urlsafe(24)
        return self.json({"h": session["handle"]})

    def page_video(self, page_id: str) -> Any:
        values = flask.request.values
        with self.lock:
            token, problem = self._auth()
            if problem or token is None:
                return problem
            if page_id not in self._pages():
                return self._err(shapes.unsupported_get(page_id, "post"))
            problem = self._page_guard(token, page_id)
            if problem:
                return problem
            handle = values.get("fbuploader_video_file_chunk")
            file_url = values.get("file_url")
            session = None
            if handle:
                session = next((s for s in self.sessions.values() if s["handle"] == handle), None)
                if session is None:
                    return self._err(shapes.error("(#100) Invalid file handle", 100))
            elif not file_url:
                return self._err(
                    shapes.error("(#100) fbuploader_video_file_chunk or file_url is required", 100)
                )
            published = values.get("published", "true") != "false"
            scheduled = values.get("scheduled_publish_time")
            now = self.clock.time()
            at: float | None = None
            if scheduled:
                try:
                    at = float(scheduled)
                except ValueError:
                    return self._err(shapes.error("(#100) Invalid scheduled_publish_time", 100))
                if published or not now + 600 <= at <= now + 30 * 86_400:
                    return self._err(
                        shapes.error("(#100) The specified scheduled publish time is invalid.", 100)
                    )
            video = self._new_video(page_id, "video", token)
            video.update(
                title=values.get("title", ""),
                description=values.get("description", ""),
                state="SCHEDULED" if at else ("PUBLISHED" if published else "DRAFT"),
                scheduled_at=at,
            )
            if session is not None:
                video["data"] = bytearray(session["data"])
                self._bytes_arrived(video)
                return self.json({"id": video["id"]})
        try:
            response = httpx.get(str(file_url), timeout=60, follow_redirects=True)
            pulled = response.content if response.status_code == 200 else None
        except httpx.HTTPError:
            pulled = None
        with self.lock:
            if pulled is None:
                del self.videos[video["id"]]
                return self._err(shapes.error("(#100) Failed to fetch the file from file_url", 100))
            video["data"] = bytearray(pulled)
            self._bytes_arrived(video)
        return self.json({"id": video["id"]})

    def _fb_published_at(self, video: dict[str, Any], now: float) -> float | None:
        if video["uploaded_at"] is None or video["error"]:
            return None
        ready = float(video["uploaded_at"]) + self.processing_s
        if now < ready:
            return None
        if video["state"] == "PUBLISHED":
            return ready
        if video["state"] == "SCHEDULED" and video["scheduled_at"] is not None:
            at = max(ready, video["scheduled_at"])
            return at if now >= at else None
        return None

    def fb_video(self, token: Token, video_id: str) -> Any:
        video = self.videos[video_id]
        if (
            token.subject_id != video["page_id"]
            and token.identity_id != self._pages()[video["page_id"]][0]["id"]
        ):
            return self._err(shapes.unsupported_get(video_id))
        now = self.clock.time()
        size = len(video["data"])
        uploading = "complete" if video["uploaded_at"] is not None else "in_progress"
        if video["uploaded_at"] is None:
            processing, status = "not_started", "upload_complete" if size else "processing"
        elif video["error"]:
            processing, status = "error", "error"
        elif now < video["uploaded_at"] + self.processing_s:
            processing, status = "in_progress", "processing"
        else:
            processing, status = "complete", "ready"
        published_at = self._fb_published_at(video, now)
        publishing: dict[str, Any] = {
            "status": "complete" if published_at is not None else "not_started",
            "publish_status": "published"
            if published_at is not None
            else ("scheduled" if video["state"] == "SCHEDULED" else "draft"),
        }
        if published_at is not None:
            publishing["publish_time"] = int(published_at)
        status_obj: dict[str, Any] = {
            "video_status": status,
            "uploading_phase": {"status": uploading, "bytes_transferred": size},
            "processing_phase": {"status": processing},
            "publishing_phase": publishing,
        }
        if video["error"]:
            status_obj["processing_phase"]["errors"] = [
                {"code": 1363008, "message": video["error"]}
            ]
        full = {
            "id": video_id,
            "status": status_obj,
            "description": video["description"],
            "title": video["title"],
            "length": video["duration_s"],
            "created_time": _iso(video["created_at"]),
            "permalink_url": f"/{'reel' if video['kind'] == 'reel' else 'videos'}/{video_id}/",
            "published": published_at is not None,
        }
        return self.json(_select(full, flask.request.args.get("fields", "id")))

    def fb_video_insights(self, token: Token, video_id: str) -> Any:
        video = self.videos[video_id]
        if token.extra.get("type") != "PAGE" or token.subject_id != video["page_id"]:
            return self._err(shapes.PAGE_TOKEN_REQUIRED)
        if not PAGE_READ_SCOPES & set(token.scopes):
            return self._err(
                shapes.error(
                    "(#200) The read_insights or pages_read_engagement permission is required.", 200
                ),
                403,
            )
        names = [m for m in flask.request.args.get("metric", "").split(",") if m]
        for i, name in enumerate(names):
            if name in shapes.FB_DEPRECATED_METRICS:
                return self._err(
                    shapes.error(
                        f"(#100) The value must be a valid insights "
                        f"metric: {name} is no longer available.",
                        100,
                    )
                )
            if name not in shapes.FB_VIDEO_METRICS:
                return self._err(shapes.invalid_metric(i, shapes.FB_VIDEO_METRICS))
        published_at = self._fb_published_at(video, self.clock.time())
        if published_at is None:
            return self.json({"data": []})
        features = VideoFeatures(
            "facebook",
            video_id,
            published_at,
            video["duration_s"],
            f"{video['title']}\n{video['description']}",
        )
        snap = snapshot(features, self.effects, self.clock.time())
        reel = video["kind"] == "reel"
        values: dict[str, Any] = {
            "total_video_views": snap.views,
            "total_video_views_unique": snap.reach,
            "total_video_views_autoplayed": snap.views // 3,
            "total_video_avg_time_watched": round(snap.avg_view_duration_s * 1000),
            "total_video_view_total_time": snap.watch_time_s * 1000,
            "blue_reels_play_count": snap.views,
            "fb_reels_total_plays": snap.views,
            "fb_reels_replay_count": max(0, snap.views - snap.reach),
            "post_video_avg_time_watched": round(snap.avg_view_duration_s * 1000),
            "post_video_view_time": snap.watch_time_s * 1000,
            "post_video_social_actions": snap.likes + snap.comments + snap.shares,
            "post_video_likes_by_reaction_type": {"REACTION_LIKE": snap.likes},
        }
        if not names:
            names = [
                n
                for n in shapes.FB_VIDEO_METRICS
                if reel or not n.startswith(("blue_reels", "fb_reels", "post_video"))
            ]
        return self.json({"data": [_insight(video_id, n, values[n]) for n in names]})

    # ------------------------------------------------------------------ control

    def inspect(self) -> dict[str, Any]:
        with self.lock:
            now = self.clock.time()
            by_hash: dict[str, int] = {}
            for media in self.media.values():
                by_hash[media["sha256"]] = by_hash.get(media["sha256"], 0) + 1
            for video in self.videos.values():
                if video["sha256"] and self._fb_published_at(video, now) is not None:
                    by_hash[video["sha256"]] = by_hash.get(video["sha256"], 0) + 1
            return {
                "accounts": list(self.accounts.values()),
                **self.oauth.inspect(),
                "containers": [
                    {k: v for k, v in c.items()} | {"status_code": self._container_status(c, now)}
                    for c in self.containers.values()
                ],
                "media": list(self.media.values()),
                "videos": [
                    {k: v for k, v in video.items() if k != "data"}
                    | {
                        "size": len(video["data"]),
                        "published_at": self._fb_published_at(video, now),
                    }
                    for video in self.videos.values()
                ],
                "published_by_sha256": by_hash,
                "effects": [e.model_dump(exclude_none=True) for e in self.effects],
                "planned_failures": list(self.planned_failures),
                "ig_quota_total": self.ig_quota_total,
                "processing_s": self.processing_s,
            }

    def control(self, action: str, payload: dict[str, Any]) -> Any:
        with self.lock:
            if action == "seed_accounts":
                accounts = payload.get("accounts")
                if not isinstance(accounts, list):
                    return {"error": {"message": "accounts must be a list"}}, 400
                if payload.get("replace"):
                    self.accounts = {}
                for raw in accounts:
                    if not raw.get("id") or not isinstance(raw.get("pages", []), list):
                        return {"error": {"message": "each account needs an id"}}, 400
                    self.accounts[str(raw["id"])] = {
                        "id": str(raw["id"]),
                        "name": raw.get("name", raw["id"]),
                        "pages": [dict(p) for p in raw.get("pages", [])],
                    }
                return {"accounts": list(self.accounts.values())}
            if action == "clients":
                try:
                    return {"client": self.oauth.register(payload).public()}
                except ValueError as exc:
                    return {"error": {"message": str(exc)}}, 400
            if action == "revoke":
                reason = (
                    "password changed"
                    if payload.get("reason") == "password_changed"
                    else "app removed"
                )
                return {"revoked": self.oauth.revoke_matching(payload, reason=reason)}
            if action == "expire_tokens":
                return {"expired": self.oauth.expire_matching(payload)}
            if action == "settings":
                if "processing_s" in payload:
                    self.processing_s = max(0.0, float(payload["processing_s"]))
                if "ig_quota_total" in payload:
                    self.ig_quota_total = int(payload["ig_quota_total"])
                if "fb_reels_per_24h" in payload:
                    self.fb_reels_per_24h = int(payload["fb_reels_per_24h"])
                return {
                    "processing_s": self.processing_s,
                    "ig_quota_total": self.ig_quota_total,
                    "fb_reels_per_24h": self.fb_reels_per_24h,
                }
        return super().control(action, payload)


def _select(full: dict[str, Any], fields: str) -> dict[str, Any]:
    """Graph `fields=`: the named fields (nested `{…}` selections keep the whole object)."""
    names: list[str] = []
    depth = 0
    current = ""
    for ch in fields:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            names.append(current.strip())
            current = ""
            continue
        if depth == 0 and ch not in "{}":
            current += ch
    names.append(current.strip())
    out = {n: full[n] for n in names if n in full}
    if "id" in full:
        out.setdefault("id", full["id"])
    return out


def _insight(object_id: str, name: str, value: Any) -> dict[str, Any]:
    return {
        "name": name,
        "period": "lifetime",
        "values": [{"value": value}],
        "title": name.replace("_", " ").capitalize(),
        "description": f"Lifetime {name.replace('_', ' ')} (emulated).",
        "id": f"{object_id}/insights/{name}/lifetime",
    }
