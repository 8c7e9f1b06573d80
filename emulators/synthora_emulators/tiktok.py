"""TikTok Login Kit v2 + Content Posting API + Display API, under `/tiktok`.

Both TikTok hosts map to this prefix with their real paths:

    www.tiktok.com          GET|POST /v2/auth/authorize/                consent page
    open.tiktokapis.com     POST /v2/oauth/token/, POST /v2/oauth/revoke/
                            GET  /v2/user/info/
                            POST /v2/post/publish/creator_info/query/
                            POST /v2/post/publish/video/init/           direct post
                            POST /v2/post/publish/inbox/video/init/     upload to inbox
                            POST /v2/post/publish/status/fetch/
                            POST /v2/video/query/, POST /v2/video/list/
    open-upload (upload_url) PUT /upload/video/?upload_id=…&upload_token=…

Behaviour follows the pages cited in `synthora_emulators.shapes.tiktok`
(shared/reference/platform-apis.md sections 4-6): access tokens live 2 h, refresh
tokens 180 d and rotate on every refresh (the old one stops working at once);
every API answer is the `{"data", "error": {"code": "ok"|…}}` envelope; FILE_UPLOAD
chunk rules are enforced at init and on every PUT; status goes PROCESSING_UPLOAD ->
PUBLISH_COMPLETE (or SEND_TO_USER_INBOX / FAILED) and the public post id appears
only after a further moderation delay; an unaudited client may only post SELF_ONLY.
Rate limits per token per minute: creator_info 20, init 6, status 30.
"""

from __future__ import annotations

import re
import secrets
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
    consent_page,
    error_page,
    with_query,
)
from synthora_emulators.shapes import clone
from synthora_emulators.shapes import tiktok as shapes

DEFAULT_PROCESSING_S = 10.0
DEFAULT_MODERATION_S = 60.0
UPLOAD_URL_LIFETIME_S = 3_600
DEFAULT_DAILY_POST_CAP = 15
UNAUDITED_USER_CAP = 5
RATE_LIMITS = {"creator_info": 20, "init": 6, "status": 30}

DEFAULT_ACCOUNTS: list[dict[str, Any]] = [
    {
        "open_id": "-000adaCreatesOpenId",
        "union_id": "ada-union",
        "username": "adacreates",
        "display_name": "Ada Creates",
        "privacy_level_options": ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"],
        "max_video_post_duration_sec": 600,
        "comment_disabled": False,
        "duet_disabled": False,
        "stitch_disabled": True,
        "follower_count": 1200,
    },
    {
        "open_id": "-000benBuildsOpenId0",
        "union_id": "ben-union",
        "username": "benbuilds",
        "display_name": "Ben Builds",
        "privacy_level_options": ["PUBLIC_TO_EVERYONE", "FOLLOWER_OF_CREATOR", "SELF_ONLY"],
        "max_video_post_duration_sec": 180,
        "comment_disabled": False,
        "duet_disabled": True,
        "stitch_disabled": True,
        "follower_count": 80,
    },
]
USER_FIELDS = {
    "open_id": "user.info.basic",
    "union_id": "user.info.basic",
    "avatar_url": "user.info.basic",
    "avatar_url_100": "user.info.basic",
    "avatar_large_url": "user.info.basic",
    "display_name": "user.info.basic",
    "username": "user.info.profile",
    "bio_description": "user.info.profile",
    "profile_deep_link": "user.info.profile",
    "is_verified": "user.info.profile",
    "follower_count": "user.info.stats",
    "following_count": "user.info.stats",
    "likes_count": "user.info.stats",
    "video_count": "user.info.stats",
}


class TikTokEmulator(PlatformEmulator):
    prefix = "tiktok"
    title = "TikTok"

    def __init__(self, *, clock: Clock, faults: Faults) -> None:
        super().__init__(clock=clock, faults=faults)
        self._state()
        self._routes()

    def _state(self) -> None:
        self.oauth = OAuthServer(clock=self.clock, token_prefix="act.", refresh_prefix="rft.")
        self.accounts: dict[str, dict[str, Any]] = {
            a["open_id"]: clone(a) for a in DEFAULT_ACCOUNTS
        }
        self.posts: dict[str, dict[str, Any]] = {}
        self.calls: dict[tuple[str, str], list[float]] = {}
        self.verified_prefixes: list[str] = []
        self.processing_s = DEFAULT_PROCESSING_S
        self.moderation_s = DEFAULT_MODERATION_S

    def reset(self) -> None:
        super().reset()
        with self.lock:
            self._state()

    # ------------------------------------------------------------------ shared bits

    def error_body(self, rule: FaultRule) -> dict[str, Any]:
        spec = shapes.RATE_LIMIT_EXCEEDED if rule.status == 429 else shapes.INTERNAL
        return shapes.api_error(spec)[1]

    def _err(self, spec: tuple[int, str, str], message: str | None = None) -> flask.Response:
        status, body = shapes.api_error(spec, message)
        return self.json(body, status)

    def _auth(self, scope: str | None) -> tuple[Any, flask.Response | None]:
        header = flask.request.headers.get("Authorization", "")
        value = header[7:].strip() if header.lower().startswith("bearer ") else None
        token, why = self.oauth.check(value)
        if why:
            return None, self._err(shapes.ACCESS_TOKEN_INVALID)
        assert token is not None
        if scope is not None and scope not in token.scopes:
            return None, self._err(shapes.SCOPE_NOT_AUTHORIZED)
        return token, None

    def _rate(self, token: Any, kind: str) -> flask.Response | None:
        now = self.clock.time()
        key = (token.value, kind)
        recent = [t for t in self.calls.get(key, []) if t > now - 60]
        if len(recent) >= RATE_LIMITS[kind]:
            self.calls[key] = recent
            return self._err(shapes.RATE_LIMIT_EXCEEDED)
        recent.append(now)
        self.calls[key] = recent
        return None

    # ------------------------------------------------------------------ routes

    def _routes(self) -> None:
        bp = self.blueprint
        bp.add_url_rule("/v2/auth/authorize/", "authorize", self.authorize, methods=["GET", "POST"])
        bp.add_url_rule("/v2/oauth/token/", "token", self.token, methods=["POST"])
        bp.add_url_rule("/v2/oauth/revoke/", "revoke", self.revoke, methods=["POST"])
        bp.add_url_rule("/v2/user/info/", "user_info", self.user_info, methods=["GET"])
        bp.add_url_rule(
            "/v2/post/publish/creator_info/query/",
            "creator_info",
            self.creator_info,
            methods=["POST"],
        )
        bp.add_url_rule("/v2/post/publish/video/init/", "init", self.init_direct, methods=["POST"])
        bp.add_url_rule(
            "/v2/post/publish/inbox/video/init/", "inbox_init", self.init_inbox, methods=["POST"]
        )
        bp.add_url_rule("/upload/video/", "upload", self.upload, methods=["PUT"])
        bp.add_url_rule("/v2/post/publish/status/fetch/", "status", self.status, methods=["POST"])
        bp.add_url_rule("/v2/video/query/", "video_query", self.video_query, methods=["POST"])
        bp.add_url_rule("/v2/video/list/", "video_list", self.video_list, methods=["POST"])

    # ------------------------------------------------------------------ OAuth

    def _choices(self) -> list[Choice]:
        return [
            Choice(a["open_id"], a["open_id"], a["display_name"], "@" + a["username"])
            for a in self.accounts.values()
        ]

    def authorize(self) -> Any:
        args = flask.request.args
        redirect_uri = args.get("redirect_uri", "")
        scopes = [s.strip() for s in args.get("scope", "").split(",") if s.strip()]
        try:
            if args.get("response_type") != "code":
                raise OAuthError("invalid_request", "response_type must be code")
            if not scopes:
                raise OAuthError("invalid_scope", "scope is required")
            if "#" in redirect_uri or "?" in redirect_uri or len(redirect_uri) >= 512:
                raise OAuthError(
                    "invalid_request",
                    "redirect_uri must be static: no query or fragment, < 512 chars",
                )
            with self.lock:
                client = self.oauth.client_for_authorize(args.get("client_key", ""), redirect_uri)
        except OAuthError as exc:
            return flask.Response(
                error_page(platform="TikTok", error=exc.error, description=exc.description),
                400,
                mimetype="text/html",
            )
        state = args.get("state")
        if flask.request.method == "GET":
            with self.lock:
                choices = self._choices()
            return flask.Response(
                consent_page(
                    platform="TikTok",
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
                        "error_description": "The user denied the authorization request.",
                        "state": state,
                    },
                )
            )
        granted = [s for s in form.getlist("scope") if s in scopes] if "scope" in form else scopes
        with self.lock:
            choice = next((c for c in self._choices() if c.subject_id == form.get("account")), None)
            if choice is None:
                return flask.Response(
                    error_page(
                        platform="TikTok", error="invalid_request", description="Choose an account."
                    ),
                    400,
                    mimetype="text/html",
                )
            code = self.oauth.issue_code(
                client=client,
                choice=choice,
                scopes=granted,
                redirect_uri=redirect_uri,
                challenge=args.get("code_challenge"),
                challenge_method=args.get("code_challenge_method"),
            )
        return flask.redirect(
            with_query(
                redirect_uri, {"code": code.code, "scopes": ",".join(granted), "state": state}
            )
        )

    def _token_body(self, access: Any, refresh: Any) -> dict[str, Any]:
        now = self.clock.time()
        body = clone(shapes.TOKEN_RESPONSE)
        body.update(
            access_token=access.value,
            expires_in=shapes.ACCESS_TOKEN_LIFETIME_S,
            open_id=access.subject_id,
            refresh_token=refresh.value,
            refresh_expires_in=round(refresh.expires_at - now),
            scope=",".join(access.scopes),
        )
        return body

    def token(self) -> Any:
        form = flask.request.form
        grant = form.get("grant_type")
        try:
            with self.lock:
                client = self.oauth.authenticate(
                    form.get("client_key", ""), form.get("client_secret")
                )
                if grant == "authorization_code":
                    code = self.oauth.redeem_code(
                        client=client,
                        code_value=form.get("code", ""),
                        redirect_uri=form.get("redirect_uri", ""),
                        verifier=form.get("code_verifier"),
                    )
                    grant_id = secrets.token_hex(8)
                    access = self.oauth.issue(
                        kind="access",
                        client_id=client.client_id,
                        identity_id=code.identity_id,
                        subject_id=code.subject_id,
                        scopes=code.scopes,
                        lifetime_s=shapes.ACCESS_TOKEN_LIFETIME_S,
                        grant_id=grant_id,
                    )
                    refresh = self.oauth.issue(
                        kind="refresh",
                        client_id=client.client_id,
                        identity_id=code.identity_id,
                        subject_id=code.subject_id,
                        scopes=code.scopes,
                        lifetime_s=shapes.REFRESH_TOKEN_LIFETIME_S,
                        grant_id=grant_id,
                    )
                    code.issued += [access.value, refresh.value]
                    return self.json(self._token_body(access, refresh))
                if grant == "refresh_token":
                    old, why = self.oauth.check(form.get("refresh_token"), kind="refresh")
                    if why or old is None or old.client_id != client.client_id:
                        raise OAuthError("invalid_grant", "Refresh token is invalid or expired.")
                    # Rotation: the old refresh token stops working as the new one is issued.
                    self.oauth.revoke(old.value, reason="rotated")
                    access = self.oauth.issue(
                        kind="access",
                        client_id=client.client_id,
                        identity_id=old.identity_id,
                        subject_id=old.subject_id,
                        scopes=old.scopes,
                        lifetime_s=shapes.ACCESS_TOKEN_LIFETIME_S,
                        grant_id=old.grant_id,
                    )
                    refresh = self.oauth.issue(
                        kind="refresh",
                        client_id=client.client_id,
                        identity_id=old.identity_id,
                        subject_id=old.subject_id,
                        scopes=old.scopes,
                        lifetime_s=None,
                        grant_id=old.grant_id,
                    )
                    refresh.expires_at = old.expires_at  # the grant's 180 days keep running
                    return self.json(self._token_body(access, refresh))
                raise OAuthError("unsupported_grant_type", f"grant_type {grant} not supported")
        except OAuthError as exc:
            return self.json(
                shapes.oauth_error(exc.error, exc.description),
                401 if exc.error == "invalid_client" else 400,
            )

    def revoke(self) -> Any:
        form = flask.request.form
        try:
            with self.lock:
                client = self.oauth.authenticate(
                    form.get("client_key", ""), form.get("client_secret")
                )
                token, why = self.oauth.check(form.get("token"))
                if token is None or why or token.client_id != client.client_id:
                    raise OAuthError("invalid_request", "The token is invalid or revoked.")
                self.oauth.revoke_grant(token.grant_id, reason="revoked by the client")
        except OAuthError as exc:
            return self.json(
                shapes.oauth_error(exc.error, exc.description),
                401 if exc.error == "invalid_client" else 400,
            )
        return self.json({})

    # ------------------------------------------------------------------ user and creator

    def user_info(self) -> Any:
        with self.lock:
            token, problem = self._auth("user.info.basic")
            if problem:
                return problem
            fields = [f for f in flask.request.args.get("fields", "").split(",") if f]
            if not fields or any(f not in USER_FIELDS for f in fields):
                return self._err(shapes.INVALID_PARAMS, "fields is missing or has an unknown field")
            for field in fields:
                if USER_FIELDS[field] not in token.scopes:
                    return self._err(shapes.SCOPE_NOT_AUTHORIZED)
            account = self.accounts.get(token.subject_id, {})
            user = {
                "open_id": account.get("open_id"),
                "union_id": account.get("union_id"),
                "avatar_url": f"https://p16-sign.tiktokcdn.com/{account.get('username')}.jpeg",
                "display_name": account.get("display_name"),
                "username": account.get("username"),
                "follower_count": account.get("follower_count", 0),
                "following_count": 12,
                "likes_count": sum(p["snap"].likes for p in self._public_posts(token.subject_id)),
                "video_count": len(self._public_posts(token.subject_id)),
            }
        return self.json(shapes.envelope({"user": {f: user.get(f) for f in fields}}))

    def creator_info(self) -> Any:
        with self.lock:
            token, problem = self._auth("video.publish")
            if problem:
                return problem
            limited = self._rate(token, "creator_info")
            if limited:
                return limited
            account = self.accounts[token.subject_id]
        body = clone(shapes.CREATOR_INFO)
        body["data"].update(
            creator_avatar_url=f"https://p16-sign.tiktokcdn.com/{account['username']}.jpeg",
            creator_username=account["username"],
            creator_nickname=account["display_name"],
            privacy_level_options=list(account["privacy_level_options"]),
            comment_disabled=account["comment_disabled"],
            duet_disabled=account["duet_disabled"],
            stitch_disabled=account["stitch_disabled"],
            max_video_post_duration_sec=account["max_video_post_duration_sec"],
        )
        return self.json(body)

    # ------------------------------------------------------------------ posting

    def init_direct(self) -> Any:
        return self._init(inbox=False)

    def init_inbox(self) -> Any:
        return self._init(inbox=True)

    def _init(self, *, inbox: bool) -> Any:
        with self.lock:
            token, problem = self._auth("video.upload" if inbox else "video.publish")
            if problem:
                return problem
            limited = self._rate(token, "init")
            if limited:
                return limited
            body = flask.request.get_json(silent=True)
            if not isinstance(body, dict):
                return self._err(shapes.INVALID_PARAMS, "The request body must be JSON.")
            account = self.accounts[token.subject_id]
            client = self.oauth.clients[token.client_id]
            post_info = body.get("post_info") or {}
            source = body.get("source_info") or {}
            title = str(post_info.get("title") or "")
            if len(title.encode("utf-16-le")) // 2 > 2200:
                return self._err(shapes.INVALID_PARAMS, "post_info.title exceeds 2200 characters")
            privacy = post_info.get("privacy_level")
            if not inbox:
                if privacy not in shapes.PRIVACY_LEVELS:
                    return self._err(shapes.INVALID_PARAMS, "post_info.privacy_level is required")
                if privacy not in account["privacy_level_options"]:
                    return self._err(shapes.PRIVACY_MISMATCH)
                if not client.audited and privacy != "SELF_ONLY":
                    return self._err(shapes.UNAUDITED_PRIVATE_ONLY)
                now = self.clock.time()
                if not client.audited:
                    posters = {
                        p["open_id"]
                        for p in self.posts.values()
                        if p["client_id"] == client.client_id and p["created_at"] > now - 86_400
                    }
                    if token.subject_id not in posters and len(posters) >= UNAUDITED_USER_CAP:
                        return self._err(shapes.REACHED_ACTIVE_USER_CAP)
                cap = int(account.get("daily_post_cap", DEFAULT_DAILY_POST_CAP))
                today = sum(
                    1
                    for p in self.posts.values()
                    if p["open_id"] == token.subject_id
                    and not p["inbox"]
                    and p["created_at"] > now - 86_400
                )
                if today >= cap:
                    return self._err(shapes.SPAM_TOO_MANY_POSTS)
            kind = source.get("source")
            post: dict[str, Any] = {
                "publish_id": f"v_{'inbox' if inbox else 'pub'}_file~v2-1."
                f"{secrets.randbelow(10**18) + 7 * 10**18}",
                "open_id": token.subject_id,
                "client_id": token.client_id,
                "inbox": inbox,
                "title": title,
                "privacy": privacy if not inbox else "SELF_ONLY",
                "post_info": post_info,
                "source": kind,
                "created_at": self.clock.time(),
                "data": bytearray(),
                "chunks_received": 0,
                "uploaded_at": None,
                "outcome": None,
                "fail_reason": "",
                "post_id": None,
                "sha256": None,
                "duration_s": None,
                "puts": 0,
            }
            if kind == "FILE_UPLOAD":
                problem_text = _check_chunk_plan(source)
                if problem_text:
                    return self._err(shapes.INVALID_PARAMS, problem_text)
                post.update(
                    video_size=int(source["video_size"]),
                    chunk_size=int(source["chunk_size"]),
                    total_chunk_count=int(source["total_chunk_count"]),
                    upload_token=secrets.token_urlsafe(16),
                )
                self.posts[post["publish_id"]] = post
                upload_url = (
                    f"{self.base_url()}/upload/video/?upload_id="
                    f"{post['publish_id'].rsplit('.', 1)[1]}"
                    f"&upload_token={post['upload_token']}"
                )
                post["upload_id"] = post["publish_id"].rsplit(".", 1)[1]
                data = {"publish_id": post["publish_id"], "upload_url": upload_url}
                return self.json(shapes.envelope(data))
            if kind == "PULL_FROM_URL":
                url = str(source.get("video_url") or "")
                if not any(url.startswith(p) for p in self.verified_prefixes):
                    return self.json(
                        shapes.envelope(
                            {},
                            code="url_ownership_unverified",
                            message="Please review our URL ownership verification rules.",
                        ),
                        403,
                    )
                post["video_url"] = url
                self.posts[post["publish_id"]] = post
            else:
                return self._err(
                    shapes.INVALID_PARAMS, "source_info.source must be FILE_UPLOAD or PULL_FROM_URL"
                )
        # Pulled outside the lock: the URL may be served by a slow or loopback server.
        try:
            response = httpx.get(post["video_url"], timeout=30, follow_redirects=True)
            pulled: bytes | None = response.content if response.status_code == 200 else None
        except httpx.HTTPError:
            pulled = None
        with self.lock:
            if pulled is None:
                post.update(
                    outcome="FAILED", fail_reason="video_pull_failed", uploaded_at=self.clock.time()
                )
            else:
                post["data"] = bytearray(pulled)
                self._complete(post)
        return self.json(shapes.envelope({"publish_id": post["publish_id"]}))

    def upload(self) -> Any:
        args = flask.request.args
        body = flask.request.get_data()
        with self.lock:
            post = next(
                (p for p in self.posts.values() if p.get("upload_id") == args.get("upload_id")),
                None,
            )
            if post is None or not secrets.compare_digest(
                post.get("upload_token", ""), args.get("upload_token", "")
            ):
                return self._err(shapes.INVALID_PARAMS, "Unknown upload_id or upload_token.")
            if self.clock.time() > post["created_at"] + UPLOAD_URL_LIFETIME_S:
                return self._err(shapes.INVALID_PARAMS, "The upload_url has expired.")
            post["puts"] += 1
            match = re.fullmatch(
                r"bytes (\d+)-(\d+)/(\d+)", flask.request.headers.get("Content-Range", "")
            )
            if match is None:
                return self._err(
                    shapes.INVALID_PARAMS,
                    "Content-Range: bytes {first}-{last}/{total} is required.",
                )
            first, last, total = (int(g) for g in match.groups())
            size, chunk, count = post["video_size"], post["chunk_size"], post["total_chunk_count"]
            if total != size:
                return self._err(
                    shapes.INVALID_PARAMS, "Content-Range total does not match video_size."
                )
            if len(body) != last - first + 1:
                return self._err(
                    shapes.INVALID_PARAMS, "Content-Length does not match Content-Range."
                )
            if first % chunk or first // chunk >= count:
                return self._err(
                    shapes.INVALID_PARAMS, "The chunk does not start on a chunk boundary."
                )
            index = first // chunk
            expected_len = chunk if index < count - 1 else size - chunk * (count - 1)
            if len(body) != expected_len:
                return self._err(
                    shapes.INVALID_PARAMS,
                    f"Chunk {index} must be {expected_len} bytes, got {len(body)}.",
                )
            if index > post["chunks_received"]:
                return self._err(shapes.INVALID_PARAMS, "Chunks must be uploaded in order.")
            if post["uploaded_at"] is not None:
                return flask.Response(b"", 201)
            data: bytearray = post["data"]
            data[first : last + 1] = body
            post["chunks_received"] = max(post["chunks_received"], index + 1)
            if post["chunks_received"] < count:
                return flask.Response(b"", 206)
            self._complete(post)
            return flask.Response(b"", 201)

    def _complete(self, post: dict[str, Any]) -> None:
        """All bytes are in: decide now how processing will end (it is revealed on the clock)."""
        data = bytes(post["data"])
        post["uploaded_at"] = self.clock.time()
        post["sha256"] = sha256(data)
        probe = probe_mp4(data)
        account = self.accounts.get(post["open_id"], {})
        planned = self.take_planned_failure()
        if probe is None:
            post.update(outcome="FAILED", fail_reason="file_format_check_failed")
            return
        post["duration_s"] = probe.duration_s
        if probe.duration_s > account.get("max_video_post_duration_sec", 600):
            post.update(outcome="FAILED", fail_reason="duration_check_failed")
        elif planned is not None:
            post.update(outcome="FAILED", fail_reason=str(planned.get("reason") or "internal"))
        elif post["inbox"]:
            post["outcome"] = "SEND_TO_USER_INBOX"
        else:
            post["outcome"] = "PUBLISH_COMPLETE"
            if post["privacy"] == "PUBLIC_TO_EVERYONE":
                post["post_id"] = str(7 * 10**18 + secrets.randbelow(10**18))

    def _state_of(self, post: dict[str, Any], now: float) -> dict[str, Any]:
        uploaded = len(post["data"])
        if post["uploaded_at"] is None:
            return {"status": "PROCESSING_UPLOAD", "uploaded_bytes": uploaded}
        ready = post["uploaded_at"] + self.processing_s
        if now < ready:
            status = (
                "PROCESSING_DOWNLOAD" if post["source"] == "PULL_FROM_URL" else "PROCESSING_UPLOAD"
            )
            out = {"status": status, "uploaded_bytes": uploaded}
            if post["source"] == "PULL_FROM_URL":
                out["downloaded_bytes"] = uploaded
            return out
        out = {"status": post["outcome"], "uploaded_bytes": uploaded}
        if post["source"] == "PULL_FROM_URL":
            out["downloaded_bytes"] = uploaded
        if post["outcome"] == "FAILED":
            out["fail_reason"] = post["fail_reason"]
        if post["outcome"] == "PUBLISH_COMPLETE":
            visible = post["post_id"] is not None and now >= ready + self.moderation_s
            out["publicaly_available_post_id"] = [int(post["post_id"])] if visible else []
        return out

    def status(self) -> Any:
        with self.lock:
            token, problem = self._auth(None)
            if problem:
                return problem
            if not ({"video.publish", "video.upload"} & set(token.scopes)):
                return self._err(shapes.SCOPE_NOT_AUTHORIZED)
            limited = self._rate(token, "status")
            if limited:
                return limited
            body = flask.request.get_json(silent=True) or {}
            post = self.posts.get(str(body.get("publish_id") or ""))
            if post is None or post["open_id"] != token.subject_id:
                return self._err(shapes.INVALID_PARAMS, "publish_id is invalid.")
            return self.json(shapes.envelope(self._state_of(post, self.clock.time())))

    # ------------------------------------------------------------------ display API

    def _published_at(self, post: dict[str, Any]) -> float:
        return float(post["uploaded_at"]) + self.processing_s

    def _public_posts(self, open_id: str) -> list[dict[str, Any]]:
        """Public posts visible now, each with its metrics snapshot under "snap"."""
        now = self.clock.time()
        out = []
        for post in self.posts.values():
            if post["open_id"] != open_id or post["post_id"] is None:
                continue
            published = self._published_at(post)
            if now < published + self.moderation_s:
                continue
            out.append({**post, "snap": self._snapshot(post, now)})
        return out

    def _snapshot(self, post: dict[str, Any], now: float) -> Snapshot:
        features = VideoFeatures(
            "tiktok", post["post_id"], self._published_at(post), post["duration_s"], post["title"]
        )
        return snapshot(features, self.effects, now)

    def _video(self, post: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        snap: Snapshot = post["snap"]
        account = self.accounts.get(post["open_id"], {})
        full = {
            "id": post["post_id"],
            "create_time": int(self._published_at(post)),
            "title": post["title"],
            "video_description": post["title"],
            "duration": round(post["duration_s"] or 0),
            "cover_image_url": f"https://p16-sign.tiktokcdn.com/obj/{post['post_id']}.jpeg",
            "share_url": f"https://www.tiktok.com/@{account.get('username')}/video/"
            f"{post['post_id']}",
            "embed_link": f"https://www.tiktok.com/player/v1/{post['post_id']}",
            "view_count": snap.views,
            "like_count": snap.likes,
            "comment_count": snap.comments,
            "share_count": snap.shares,
        }
        return {f: full[f] for f in fields}

    def _fields(self) -> tuple[list[str], flask.Response | None]:
        fields = [f for f in flask.request.args.get("fields", "").split(",") if f]
        if not fields or any(f not in shapes.VIDEO_FIELDS for f in fields):
            return [], self._err(shapes.INVALID_PARAMS, "fields is missing or has an unknown field")
        return fields, None

    def video_query(self) -> Any:
        with self.lock:
            token, problem = self._auth("video.list")
            if problem:
                return problem
            fields, problem = self._fields()
            if problem:
                return problem
            body = flask.request.get_json(silent=True) or {}
            ids = (body.get("filters") or {}).get("video_ids")
            if not isinstance(ids, list) or not ids or len(ids) > 20:
                return self._err(shapes.INVALID_PARAMS, "filters.video_ids must hold 1-20 ids")
            posts = {p["post_id"]: p for p in self._public_posts(token.subject_id)}
            videos = [self._video(posts[str(i)], fields) for i in ids if str(i) in posts]
        return self.json(shapes.envelope({"videos": videos, "cursor": 0, "has_more": False}))

    def video_list(self) -> Any:
        with self.lock:
            token, problem = self._auth("video.list")
            if problem:
                return problem
            fields, problem = self._fields()
            if problem:
                return problem
            body = flask.request.get_json(silent=True) or {}
            max_count = int(body.get("max_count", 20))
            if not 1 <= max_count <= 20:
                return self._err(shapes.INVALID_PARAMS, "max_count must be 1-20")
            cursor = body.get("cursor")
            posts = sorted(
                self._public_posts(token.subject_id), key=self._published_at, reverse=True
            )
            if cursor is not None:
                posts = [p for p in posts if self._published_at(p) * 1000 < int(cursor)]
            page = posts[:max_count]
            next_cursor = int(self._published_at(page[-1]) * 1000) if page else 0
            videos = [self._video(p, fields) for p in page]
        return self.json(
            shapes.envelope(
                {"videos": videos, "cursor": next_cursor, "has_more": len(posts) > max_count}
            )
        )

    # ------------------------------------------------------------------ control

    def inspect(self) -> dict[str, Any]:
        with self.lock:
            now = self.clock.time()
            by_hash: dict[str, int] = {}
            for post in self.posts.values():
                if post["sha256"] and post["outcome"] == "PUBLISH_COMPLETE":
                    by_hash[post["sha256"]] = by_hash.get(post["sha256"], 0) + 1
            return {
                "accounts": list(self.accounts.values()),
                **self.oauth.inspect(),
                "posts": [
                    {
                        "publish_id": p["publish_id"],
                        "open_id": p["open_id"],
                        "client_id": p["client_id"],
                        "inbox": p["inbox"],
                        "title": p["title"],
                        "privacy": p["privacy"],
                        "source": p["source"],
                        "post_info": p["post_info"],
                        "sha256": p["sha256"],
                        "size": len(p["data"]),
                        "duration_s": p["duration_s"],
                        "chunks_received": p["chunks_received"],
                        "puts": p["puts"],
                        "post_id": p["post_id"],
                        **self._state_of(p, now),
                    }
                    for p in self.posts.values()
                ],
                "published_by_sha256": by_hash,
                "effects": [e.model_dump(exclude_none=True) for e in self.effects],
                "planned_failures": list(self.planned_failures),
                "verified_url_prefixes": list(self.verified_prefixes),
                "processing_s": self.processing_s,
                "moderation_s": self.moderation_s,
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
                    if not raw.get("open_id"):
                        return {"error": {"message": "each account needs an open_id"}}, 400
                    account = clone(DEFAULT_ACCOUNTS[0])
                    account.update(raw)
                    account.setdefault("username", raw["open_id"])
                    self.accounts[str(raw["open_id"])] = account
                return {"accounts": list(self.accounts.values())}
            if action == "clients":
                try:
                    return {"client": self.oauth.register(payload).public()}
                except ValueError as exc:
                    return {"error": {"message": str(exc)}}, 400
            if action == "revoke":
                return {
                    "revoked": self.oauth.revoke_matching(payload, reason="revoked by the user")
                }
            if action == "expire_tokens":
                return {"expired": self.oauth.expire_matching(payload)}
            if action == "verify_url_prefix":
                prefix = str(payload.get("prefix") or "")
                if not prefix.startswith(("http://", "https://")):
                    return {"error": {"message": "prefix must be an http(s) URL prefix"}}, 400
                self.verified_prefixes.append(prefix)
                return {"verified_url_prefixes": list(self.verified_prefixes)}
            if action == "settings":
                if "processing_s" in payload:
                    self.processing_s = max(0.0, float(payload["processing_s"]))
                if "moderation_s" in payload:
                    self.moderation_s = max(0.0, float(payload["moderation_s"]))
                return {"processing_s": self.processing_s, "moderation_s": self.moderation_s}
        return super().control(action, payload)


def _check_chunk_plan(source: dict[str, Any]) -> str:
    """The media transfer guide's FILE_UPLOAD rules; an empty string when the plan is valid."""
    try:
        size = int(source["video_size"])
        chunk = int(source["chunk_size"])
        count = int(source["total_chunk_count"])
    except (KeyError, TypeError, ValueError):
        return "source_info needs video_size, chunk_size and total_chunk_count"
    if size <= 0 or chunk <= 0 or count <= 0:
        return "video_size, chunk_size and total_chunk_count must be positive"
    if size < shapes.MIN_CHUNK:
        if chunk != size or count != 1:
            return "a video under 5 MB is one chunk with chunk_size equal to video_size"
        return ""
    if not shapes.MIN_CHUNK <= chunk <= shapes.MAX_CHUNK:
        return "chunk_size must be between 5 MB and 64 MB"
    if count != size // chunk:
        return "total_chunk_count must be floor(video_size / chunk_size)"
    if count > shapes.MAX_CHUNKS:
        return "at most 1000 chunks"
    if size - chunk * (count - 1) > shapes.MAX_FINAL_CHUNK:
        return "the final chunk may not exceed 128 MB"
    return ""
