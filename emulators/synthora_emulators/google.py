"""Google OAuth 2.0 + YouTube Data API v3 + YouTube Analytics API v2, under `/google`.

Every Google host Synthora calls maps to this one prefix, with the real paths:

    accounts.google.com                 GET|POST /o/oauth2/v2/auth     consent page
    oauth2.googleapis.com               POST /token, POST /revoke
    openidconnect / www.googleapis.com  GET  /oauth2/v3/userinfo
    www.googleapis.com                  GET  /youtube/v3/channels?mine=true
                                        GET|PUT /youtube/v3/videos, POST (refused: no media)
                                        POST|PUT /upload/youtube/v3/videos (resumable)
    youtubeanalytics.googleapis.com     GET  /v2/reports

Behaviour follows the pages cited in `synthora_emulators.shapes.google`; the
facts and their confidence are in shared/reference/platform-apis.md sections 1-3.
Lifetimes: access token 3599 s, code 600 s, refresh token until revoked.
Upload quota: videos.insert has its own bucket, 100 per day per project (client),
reset at midnight Pacific (403 quotaExceeded); a channel can also be given a
24 h upload cap (400 uploadLimitExceeded).
"""

from __future__ import annotations

import math
import re
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import flask

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
from synthora_emulators.shapes import google as shapes

CHUNK_GRANULARITY = 256 * 1024
SESSION_LIFETIME_S = 7 * 86_400
ANALYTICS_LAG_DAYS = 2
DEFAULT_UPLOADS_PER_DAY = 100
DEFAULT_PROCESSING_S = 20.0
READ_SCOPES = {
    shapes.SCOPE_READONLY,
    shapes.SCOPE_YOUTUBE,
    shapes.SCOPE_FORCE_SSL,
    "https://www.googleapis.com/auth/youtubepartner",
}
UPLOAD_SCOPES = {
    shapes.SCOPE_UPLOAD,
    shapes.SCOPE_YOUTUBE,
    shapes.SCOPE_FORCE_SSL,
    "https://www.googleapis.com/auth/youtubepartner",
}
WRITE_SCOPES = {
    shapes.SCOPE_YOUTUBE,
    shapes.SCOPE_FORCE_SSL,
    "https://www.googleapis.com/auth/youtubepartner",
}
ANALYTICS_SCOPES = {
    shapes.SCOPE_ANALYTICS,
    shapes.SCOPE_YOUTUBE,
    "https://www.googleapis.com/auth/yt-analytics-monetary.readonly",
    "https://www.googleapis.com/auth/youtubepartner",
}
VIDEO_PARTS = {
    "snippet",
    "status",
    "statistics",
    "contentDetails",
    "processingDetails",
    "id",
    "player",
    "recordingDetails",
    "localizations",
    "topicDetails",
    "fileDetails",
    "suggestions",
    "liveStreamingDetails",
}
INSERT_PARTS = {
    "snippet",
    "status",
    "recordingDetails",
    "localizations",
    "id",
    "contentDetails",
    "player",
    "statistics",
}
PRIVACY = {"private", "public", "unlisted"}
FAILURE_REASONS = {"codec", "conversion", "emptyFile", "invalidFile", "tooSmall", "uploadAborted"}
REJECTION_REASONS = {
    "claim",
    "copyright",
    "duplicate",
    "inappropriate",
    "legal",
    "length",
    "termsOfUse",
    "trademark",
    "uploaderAccountClosed",
    "uploaderAccountSuspended",
}

DEFAULT_ACCOUNTS: list[dict[str, Any]] = [
    {
        "id": "110248495921238986420",
        "name": "Ada Creator",
        "email": "ada@example.com",
        "channels": [
            {
                "id": "UCadaCreates0000000000001",
                "title": "Ada Creates",
                "custom_url": "@adacreates",
            },
            {"id": "UCadaClips000000000000002", "title": "Ada Clips", "custom_url": "@adaclips"},
        ],
    },
    {
        "id": "110248495921238986421",
        "name": "Ben Builder",
        "email": "ben@example.com",
        "channels": [
            {"id": "UCbenBuilds00000000000003", "title": "Ben Builds", "custom_url": "@benbuilds"}
        ],
    },
    {
        "id": "110248495921238986422",
        "name": "Cy No-Channel",
        "email": "cy@example.com",
        "channels": [],
    },
]


def _pacific_day(ts: float) -> date:
    try:
        from zoneinfo import ZoneInfo

        return datetime.fromtimestamp(ts, tz=ZoneInfo("America/Los_Angeles")).date()
    except Exception:  # no tz database: Pacific standard time
        return (datetime.fromtimestamp(ts, tz=UTC) - timedelta(hours=8)).date()


def _rfc3339(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_rfc3339(value: str) -> float | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.timestamp()


def _iso_duration(seconds: float) -> str:
    total = max(0, math.floor(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    out = "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "")
    return out + (f"{s}S" if s or out == "PT" else "")


class GoogleEmulator(PlatformEmulator):
    prefix = "google"
    title = "Google (YouTube)"

    def __init__(self, *, clock: Clock, faults: Faults) -> None:
        super().__init__(clock=clock, faults=faults)
        self._state()
        self._routes()

    def _state(self) -> None:
        self.oauth = OAuthServer(clock=self.clock, token_prefix="ya29.", refresh_prefix="1//")
        self.accounts: dict[str, dict[str, Any]] = {a["id"]: clone(a) for a in DEFAULT_ACCOUNTS}
        self.sessions: dict[str, dict[str, Any]] = {}
        self.videos: dict[str, dict[str, Any]] = {}
        self.insert_calls: dict[tuple[str, date], int] = {}
        self.uploads_per_day = DEFAULT_UPLOADS_PER_DAY
        self.processing_s = DEFAULT_PROCESSING_S

    def reset(self) -> None:
        super().reset()
        with self.lock:
            self._state()

    # ------------------------------------------------------------------ shared bits

    def error_body(self, rule: FaultRule) -> dict[str, Any]:
        if rule.status == 429:
            return clone(shapes.RATE_LIMIT_EXCEEDED)
        if rule.status == 403:
            return clone(shapes.QUOTA_EXCEEDED)
        reason = "backendError" if rule.status >= 500 else "badRequest"
        return shapes.api_error(
            rule.status, reason, "Backend Error" if rule.status >= 500 else "Bad Request"
        )

    def _channel(self, channel_id: str) -> dict[str, Any] | None:
        for account in self.accounts.values():
            for channel in account["channels"]:
                if channel["id"] == channel_id:
                    found: dict[str, Any] = channel
                    return found
        return None

    def _choices(self) -> list[Choice]:
        out: list[Choice] = []
        for account in self.accounts.values():
            if not account["channels"]:
                out.append(
                    Choice(
                        account["id"],
                        account["id"],
                        account["name"],
                        f"{account['email']} (no YouTube channel)",
                    )
                )
            for channel in account["channels"]:
                out.append(
                    Choice(
                        account["id"],
                        channel["id"],
                        channel["title"],
                        f"{account['name']} <{account['email']}>",
                    )
                )
        return out

    def _auth(self, allowed: set[str]) -> tuple[Any, flask.Response | None]:
        header = flask.request.headers.get("Authorization", "")
        value = header[7:].strip() if header.lower().startswith("bearer ") else None
        value = value or flask.request.args.get("access_token")
        token, why = self.oauth.check(value)
        if why:
            return None, self.json(
                clone(shapes.INVALID_CREDENTIALS),
                401,
                {
                    "WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", '
                    'error="invalid_token"'
                },
            )
        assert token is not None
        if not allowed & set(token.scopes):
            return None, self.json(
                clone(shapes.INSUFFICIENT_SCOPES),
                403,
                {
                    "WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", '
                    'error="insufficient_scope"'
                },
            )
        return token, None

    @staticmethod
    def _bad(
        reason: str,
        message: str,
        status: int = 400,
        *,
        domain: str = "youtube.video",
        location: str | None = None,
    ) -> flask.Response:
        return PlatformEmulator.json(
            shapes.api_error(status, reason, message, domain=domain, location=location), status
        )

    # ------------------------------------------------------------------ routes

    def _routes(self) -> None:
        bp = self.blueprint
        bp.add_url_rule("/o/oauth2/v2/auth", "authorize", self.authorize, methods=["GET", "POST"])
        bp.add_url_rule("/token", "token", self.token, methods=["POST"])
        bp.add_url_rule("/revoke", "revoke", self.revoke, methods=["POST"])
        bp.add_url_rule("/oauth2/v3/userinfo", "userinfo", self.userinfo, methods=["GET"])
        bp.add_url_rule("/youtube/v3/channels", "channels", self.channels, methods=["GET"])
        bp.add_url_rule(
            "/youtube/v3/videos", "videos", self.videos_route, methods=["GET", "PUT", "POST"]
        )
        bp.add_url_rule("/upload/youtube/v3/videos", "upload", self.upload, methods=["POST", "PUT"])
        bp.add_url_rule("/v2/reports", "reports", self.reports, methods=["GET"])

    # ------------------------------------------------------------------ OAuth

    def authorize(self) -> Any:
        args = flask.request.args
        redirect_uri = args.get("redirect_uri", "")
        try:
            if args.get("response_type") != "code":
                raise OAuthError(
                    "unsupported_response_type", "Invalid response_type: only 'code' is emulated."
                )
            scopes = [s for s in args.get("scope", "").split() if s]
            if not scopes:
                raise OAuthError("invalid_request", "Missing required parameter: scope")
            method = args.get("code_challenge_method")
            if args.get("code_challenge") and method not in (None, "S256", "plain"):
                raise OAuthError("invalid_request", "Invalid code_challenge_method")
            with self.lock:
                client = self.oauth.client_for_authorize(args.get("client_id", ""), redirect_uri)
        except OAuthError as exc:
            return flask.Response(
                error_page(platform="Google", error=exc.error, description=exc.description),
                400,
                mimetype="text/html",
            )
        state = args.get("state")
        if flask.request.method == "GET":
            with self.lock:
                choices = self._choices()
            return flask.Response(
                consent_page(
                    platform="Google",
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
                with_query(redirect_uri, {"error": "access_denied", "state": state})
            )
        granted = [s for s in form.getlist("scope") if s in scopes] if "scope" in form else scopes
        with self.lock:
            choice = next((c for c in self._choices() if c.subject_id == form.get("account")), None)
            if choice is None:
                return flask.Response(
                    error_page(
                        platform="Google", error="invalid_request", description="Choose an account."
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
                challenge_method=method,
                offline=args.get("access_type") == "offline",
            )
        return flask.redirect(
            with_query(
                redirect_uri, {"code": code.code, "state": state, "scope": " ".join(granted)}
            )
        )

    def _token_error(self, exc: OAuthError) -> flask.Response:
        status = 401 if exc.error == "invalid_client" else 400
        return self.json(shapes.oauth_error(exc.error, exc.description), status)

    def token(self) -> Any:
        form = flask.request.form
        grant = form.get("grant_type")
        try:
            with self.lock:
                client = self.oauth.authenticate(
                    form.get("client_id", ""), form.get("client_secret")
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
                    body = clone(shapes.TOKEN_RESPONSE)
                    body["access_token"] = access.value
                    body["scope"] = " ".join(code.scopes)
                    code.issued.append(access.value)
                    if code.offline:
                        refresh = self.oauth.issue(
                            kind="refresh",
                            client_id=client.client_id,
                            identity_id=code.identity_id,
                            subject_id=code.subject_id,
                            scopes=code.scopes,
                            lifetime_s=None,
                            grant_id=grant_id,
                        )
                        body["refresh_token"] = refresh.value
                        code.issued.append(refresh.value)
                    else:
                        body.pop("refresh_token")
                    return self.json(body)
                if grant == "refresh_token":
                    old, why = self.oauth.check(form.get("refresh_token"), kind="refresh")
                    if why or old is None or old.client_id != client.client_id:
                        raise OAuthError("invalid_grant", "Token has been expired or revoked.")
                    access = self.oauth.issue(
                        kind="access",
                        client_id=client.client_id,
                        identity_id=old.identity_id,
                        subject_id=old.subject_id,
                        scopes=old.scopes,
                        lifetime_s=shapes.ACCESS_TOKEN_LIFETIME_S,
                        grant_id=old.grant_id,
                    )
                    body = clone(shapes.REFRESH_RESPONSE)
                    body["access_token"] = access.value
                    body["scope"] = " ".join(old.scopes)
                    return self.json(body)
                raise OAuthError("unsupported_grant_type", f"Invalid grant_type: {grant}")
        except OAuthError as exc:
            return self._token_error(exc)

    def revoke(self) -> Any:
        value = flask.request.args.get("token") or flask.request.form.get("token")
        with self.lock:
            token = self.oauth.tokens.get(value or "")
            if token is None or token.revoked:
                return self.json(
                    shapes.oauth_error("invalid_token", "Token expired or revoked"), 400
                )
            # Revoking either token of a grant ends the whole grant.
            self.oauth.revoke_grant(token.grant_id, reason="revoked by the client")
        return self.json({})

    def userinfo(self) -> Any:
        header = flask.request.headers.get("Authorization", "")
        value = header[7:].strip() if header.lower().startswith("bearer ") else None
        with self.lock:
            token, why = self.oauth.check(value)
            if why or token is None:
                return self.json(
                    {"error": "invalid_request", "error_description": "Invalid Credentials"}, 401
                )
            account = self.accounts.get(token.identity_id, {})
        body = clone(shapes.USERINFO)
        body.update(
            sub=token.identity_id,
            name=account.get("name", ""),
            given_name=str(account.get("name", "")).split(" ")[0],
            email=account.get("email", ""),
        )
        return self.json(body)

    # ------------------------------------------------------------------ channels

    def channels(self) -> Any:
        with self.lock:
            token, problem = self._auth(READ_SCOPES)
            if problem:
                return problem
            args = flask.request.args
            if not args.get("part"):
                return self._bad(
                    "required", "Required parameter: part", domain="global", location="part"
                )
            if args.get("mine") != "true" and not args.get("id"):
                return self._bad(
                    "missingRequiredParameter",
                    "No filter selected. Expected one of: mine, id, forHandle, "
                    "forUsername, managedByMe, categoryId",
                    domain="youtube.parameter",
                )
            wanted = set(args.get("id", "").split(",")) if args.get("id") else {token.subject_id}
            items = []
            for channel_id in wanted:
                channel = self._channel(channel_id)
                if channel is not None:
                    items.append(self._channel_resource(channel, args["part"].split(",")))
        body = clone(shapes.CHANNEL_LIST)
        body["items"] = items
        body["pageInfo"] = {"totalResults": len(items), "resultsPerPage": 5}
        return self.json(body)

    def _channel_resource(self, channel: dict[str, Any], parts: list[str]) -> dict[str, Any]:
        resource = clone(shapes.CHANNEL)
        resource["id"] = channel["id"]
        resource["snippet"]["title"] = channel["title"]
        resource["snippet"]["localized"]["title"] = channel["title"]
        resource["snippet"]["customUrl"] = channel.get("custom_url", "")
        resource["contentDetails"]["relatedPlaylists"]["uploads"] = "UU" + channel["id"][2:]
        now = self.clock.time()
        views = videos = 0
        for video in self.videos.values():
            if video["channel_id"] == channel["id"]:
                videos += 1
                snap = self._snapshot(video, now)
                views += snap.views if snap else 0
        resource["statistics"].update(
            viewCount=str(views), videoCount=str(videos), subscriberCount=str(views // 150)
        )
        return {k: v for k, v in resource.items() if k in ("kind", "etag", "id") or k in parts}

    # ------------------------------------------------------------------ upload

    def upload(self) -> Any:
        if flask.request.args.get("upload_id"):
            return self._upload_chunk(flask.request.args["upload_id"])
        if flask.request.method != "POST":
            return self._bad("badRequest", "Missing upload_id", domain="global")
        if flask.request.args.get("uploadType") != "resumable":
            return self._bad(
                "badRequest",
                "Only uploadType=resumable is emulated (media and multipart are not).",
                domain="global",
                location="uploadType",
            )
        with self.lock:
            token, problem = self._auth(UPLOAD_SCOPES)
            if problem:
                return problem
            return self._start_session(token)

    def _start_session(self, token: Any) -> flask.Response:
        args = flask.request.args
        parts = [p for p in args.get("part", "").split(",") if p]
        if not parts:
            return self._bad(
                "required", "Required parameter: part", domain="global", location="part"
            )
        unexpected = [p for p in parts if p not in INSERT_PARTS]
        if unexpected:
            return self._bad(
                "unexpectedPart", f"'{unexpected[0]}'", domain="youtube.part", location="part"
            )
        channel = self._channel(token.subject_id)
        if channel is None:
            return self._bad(
                "youtubeSignupRequired",
                "Unauthorized. The user has a Google account but no YouTube channel.",
                401,
                domain="youtube.header",
            )
        metadata = flask.request.get_json(silent=True) or {}
        snippet = metadata.get("snippet") or {}
        status = metadata.get("status") or {}
        title = str(snippet.get("title") or "")
        if len(title) > 100 or "<" in title or ">" in title:
            return self._bad(
                "invalidTitle", "The request metadata specifies an invalid video title."
            )
        if len(str(snippet.get("description") or "")) > 5000:
            return self._bad(
                "invalidDescription", "The request metadata specifies an invalid video description."
            )
        category = snippet.get("categoryId")
        if category is not None and not str(category).isdigit():
            return self._bad(
                "invalidCategoryId",
                "The snippet.categoryId property specifies an invalid category ID.",
            )
        privacy = status.get("privacyStatus", "public")
        if privacy not in PRIVACY:
            return self._bad(
                "invalidValue", f"Invalid value for privacyStatus: {privacy}", domain="global"
            )
        publish_at = None
        if status.get("publishAt"):
            publish_at = _parse_rfc3339(str(status["publishAt"]))
            if publish_at is None or publish_at <= self.clock.time():
                return self._bad(
                    "invalidPublishAt",
                    "The request metadata specifies an invalid scheduled publishing time.",
                )
        # Quota: videos.insert has its own per-project bucket (S-YT-Q), then the channel cap.
        day = _pacific_day(self.clock.time())
        used = self.insert_calls.get((token.client_id, day), 0)
        if used >= self.uploads_per_day:
            return self.json(clone(shapes.QUOTA_EXCEEDED), 403)
        cap = channel.get("upload_limit_24h")
        if cap is not None:
            since = self.clock.time() - 86_400
            recent = sum(
                1
                for v in self.videos.values()
                if v["channel_id"] == channel["id"] and v["uploaded_at"] >= since
            )
            if recent >= int(cap):
                return self.json(clone(shapes.UPLOAD_LIMIT_EXCEEDED), 400)
        self.insert_calls[(token.client_id, day)] = used + 1
        total_header = flask.request.headers.get("X-Upload-Content-Length")
        total = int(total_header) if total_header and total_header.isdigit() else None
        upload_id = "ADPycd" + secrets.token_urlsafe(24)
        self.sessions[upload_id] = {
            "upload_id": upload_id,
            "channel_id": channel["id"],
            "client_id": token.client_id,
            "parts": parts,
            "metadata": metadata,
            "publish_at": publish_at,
            "privacy": privacy,
            "notify_subscribers": args.get("notifySubscribers", "true") != "false",
            "total": total,
            "content_type": flask.request.headers.get("X-Upload-Content-Type"),
            "data": bytearray(),
            "created_at": self.clock.time(),
            "video_id": None,
            "puts": 0,
        }
        query = urlencode(
            {"uploadType": "resumable", "part": ",".join(parts), "upload_id": upload_id}
        )
        location = f"{self.base_url()}/upload/youtube/v3/videos?{query}"
        response = flask.Response(b"", 200)
        response.headers["Location"] = location
        response.headers["X-GUploader-UploadID"] = upload_id
        return response

    def _upload_chunk(self, upload_id: str) -> Any:
        if flask.request.method != "PUT":
            return self._bad("badRequest", "Use PUT on the upload session URI.", domain="global")
        body = flask.request.get_data()
        with self.lock:
            session = self.sessions.get(upload_id)
            if session is None or self.clock.time() > session["created_at"] + SESSION_LIFETIME_S:
                return self.json(
                    shapes.api_error(404, "notFound", "Upload session not found."), 404
                )
            session["puts"] += 1
            if session["video_id"] is not None:
                return self.json(
                    self._video_resource(self.videos[session["video_id"]], ["snippet", "status"]),
                    200,
                )
            data: bytearray = session["data"]
            content_range = flask.request.headers.get("Content-Range", "")
            probe = re.fullmatch(r"bytes \*/(\d+|\*)", content_range)
            ranged = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+|\*)", content_range)
            if probe:
                if probe.group(1) != "*":
                    session["total"] = session["total"] or int(probe.group(1))
                if session["total"] is not None and len(data) == session["total"]:
                    return self._finish(session)
                return self._resume_incomplete(len(data))
            if ranged:
                first, last = int(ranged.group(1)), int(ranged.group(2))
                total = None if ranged.group(3) == "*" else int(ranged.group(3))
                if last < first or len(body) != last - first + 1:
                    return self._bad(
                        "badRequest",
                        "The Content-Range does not match the request body length.",
                        domain="global",
                    )
                if session["total"] is not None and total is not None and total != session["total"]:
                    return self._bad(
                        "badRequest",
                        "The Content-Range total does not match X-Upload-Content-Length.",
                        domain="global",
                    )
                if total is not None:
                    session["total"] = total
                if first > len(data):
                    # A gap: the server keeps what it has; the client must resend from Range.
                    return self._resume_incomplete(len(data))
                body = body[len(data) - first :]
            elif content_range:
                return self._bad(
                    "badRequest", f"Invalid Content-Range: {content_range}", domain="global"
                )
            else:
                session["total"] = session["total"] or len(body)
            complete_after = len(data) + len(body)
            if session["total"] is not None and complete_after >= session["total"]:
                data.extend(body[: session["total"] - len(data)])
                return self._finish(session)
            # A non-final chunk is kept up to the last 256 KiB boundary (resumable protocol):
            # the 308's Range tells the client where to continue.
            keep = (complete_after // CHUNK_GRANULARITY) * CHUNK_GRANULARITY - len(data)
            if keep > 0:
                data.extend(body[:keep])
            return self._resume_incomplete(len(data))

    @staticmethod
    def _resume_incomplete(received: int) -> flask.Response:
        response = flask.Response(b"", 308)
        if received > 0:
            response.headers["Range"] = f"bytes=0-{received - 1}"
        return response

    def _finish(self, session: dict[str, Any]) -> flask.Response:
        data = bytes(session["data"])
        now = self.clock.time()
        video_id = secrets.token_urlsafe(8)[:11].replace("-", "x").replace("_", "y")
        snippet = dict(session["metadata"].get("snippet") or {})
        status = dict(session["metadata"].get("status") or {})
        client = self.oauth.clients.get(session["client_id"])
        locked_private = client is not None and not client.audited
        probe = probe_mp4(data)
        digest = sha256(data)
        outcome, reason = "processed", ""
        planned = self.take_planned_failure()
        if not data:
            outcome, reason = "failed", "emptyFile"
        elif probe is None:
            outcome, reason = "failed", "invalidFile"
        elif planned is not None:
            outcome = "rejected" if planned.get("kind") == "rejected" else "failed"
            default = "inappropriate" if outcome == "rejected" else "conversion"
            reason = str(planned.get("reason") or default)
        elif any(
            v["sha256"] == digest
            and v["channel_id"] == session["channel_id"]
            and v["outcome"] == "processed"
            for v in self.videos.values()
        ):
            outcome, reason = "rejected", "duplicate"
        video = {
            "id": video_id,
            "channel_id": session["channel_id"],
            "upload_id": session["upload_id"],
            "client_id": session["client_id"],
            "title": str(snippet.get("title") or "unknown"),
            "description": str(snippet.get("description") or ""),
            "tags": list(snippet.get("tags") or []),
            "category_id": str(snippet.get("categoryId") or "22"),
            "privacy": "private" if locked_private else session["privacy"],
            "publish_at": None if locked_private else session["publish_at"],
            "locked_private": locked_private,
            "made_for_kids": bool(status.get("selfDeclaredMadeForKids", False)),
            "synthetic": status.get("containsSyntheticMedia"),
            "notify_subscribers": session["notify_subscribers"],
            "uploaded_at": now,
            "processed_at": now + self.processing_s,
            "outcome": outcome,
            "reason": reason,
            "sha256": digest,
            "size": len(data),
            "duration_s": probe.duration_s if probe else None,
            "width": probe.width if probe else 0,
            "height": probe.height if probe else 0,
        }
        self.videos[video_id] = video
        session["video_id"] = video_id
        return self.json(self._video_resource(video, ["snippet", "status"]), 200)

    # ------------------------------------------------------------------ videos

    def _public_since(self, video: dict[str, Any], now: float) -> float | None:
        """When the video became public (metrics start then), or None while it is not."""
        if video["outcome"] != "processed" or now < video["processed_at"]:
            return None
        processed_at = float(video["processed_at"])
        if video["privacy"] == "public":
            return processed_at
        publish_at = video["publish_at"]
        if video["privacy"] == "private" and publish_at is not None and now >= publish_at:
            return max(float(publish_at), processed_at)
        return None

    def _snapshot(self, video: dict[str, Any], now: float) -> Snapshot | None:
        since = self._public_since(video, now)
        if since is None:
            return None
        features = VideoFeatures(
            "youtube",
            video["id"],
            since,
            video["duration_s"],
            f"{video['title']}\n{video['description']}",
        )
        return snapshot(features, self.effects, now)

    def _video_resource(self, video: dict[str, Any], parts: list[str]) -> dict[str, Any]:
        now = self.clock.time()
        resource = clone(shapes.VIDEO)
        resource["id"] = video["id"]
        since = self._public_since(video, now)
        snippet = resource["snippet"]
        channel = self._channel(video["channel_id"]) or {"title": ""}
        snippet.update(
            publishedAt=_rfc3339(since if since is not None else video["uploaded_at"]),
            channelId=video["channel_id"],
            title=video["title"],
            description=video["description"],
            channelTitle=channel["title"],
            tags=video["tags"],
            categoryId=video["category_id"],
            localized={"title": video["title"], "description": video["description"]},
        )
        snippet["thumbnails"]["default"]["url"] = (
            f"https://i.ytimg.com/vi/{video['id']}/default.jpg"
        )
        if not video["tags"]:
            snippet.pop("tags")
        status = resource["status"]
        processing = now < video["processed_at"]
        if processing:
            status["uploadStatus"] = "uploaded"
        elif video["outcome"] == "processed":
            status["uploadStatus"] = "processed"
        else:
            status["uploadStatus"] = video["outcome"]
            key = "failureReason" if video["outcome"] == "failed" else "rejectionReason"
            status[key] = video["reason"]
        privacy = "public" if since is not None else video["privacy"]
        status["privacyStatus"] = privacy
        if video["publish_at"] is not None and since is None:
            status["publishAt"] = _rfc3339(video["publish_at"])
        status["madeForKids"] = status["selfDeclaredMadeForKids"] = video["made_for_kids"]
        if video["synthetic"] is None:
            status.pop("containsSyntheticMedia")
        else:
            status["containsSyntheticMedia"] = bool(video["synthetic"])
        snap = self._snapshot(video, now)
        resource["statistics"] = {
            "viewCount": str(snap.views if snap else 0),
            "likeCount": str(snap.likes if snap else 0),
            "favoriteCount": "0",
            "commentCount": str(snap.comments if snap else 0),
        }
        resource["contentDetails"]["duration"] = _iso_duration(video["duration_s"] or 0)
        if processing:
            resource["processingDetails"] = {"processingStatus": "processing"}
        elif video["outcome"] == "failed":
            resource["processingDetails"] = {
                "processingStatus": "failed",
                "processingFailureReason": "transcodeFailed",
            }
        elif video["outcome"] == "rejected":
            resource["processingDetails"] = {"processingStatus": "terminated"}
        else:
            resource["processingDetails"] = {"processingStatus": "succeeded"}
        return {k: v for k, v in resource.items() if k in ("kind", "etag", "id") or k in parts}

    def videos_route(self) -> Any:
        method = flask.request.method
        with self.lock:
            if method == "POST":
                token, problem = self._auth(UPLOAD_SCOPES)
                if problem:
                    return problem
                return self._bad(
                    "mediaBodyRequired", "The request does not include the video content."
                )
            if method == "PUT":
                token, problem = self._auth(WRITE_SCOPES)
                if problem:
                    return problem
                return self._update(token)
            token, problem = self._auth(READ_SCOPES)
            if problem:
                return problem
            args = flask.request.args
            parts = [p for p in args.get("part", "").split(",") if p]
            if not parts:
                return self._bad(
                    "required", "Required parameter: part", domain="global", location="part"
                )
            unknown = [p for p in parts if p not in VIDEO_PARTS]
            if unknown:
                return self._bad(
                    "unknownPart", f"'{unknown[0]}'", domain="youtube.part", location="part"
                )
            ids = [i for i in args.get("id", "").split(",") if i]
            if not ids:
                return self._bad(
                    "missingRequiredParameter",
                    "No filter selected. Expected one of: id, chart, myRated",
                    domain="youtube.parameter",
                )
            if len(ids) > 50:
                return self._bad(
                    "badRequest", "Too many ids: at most 50.", domain="global", location="id"
                )
            items = []
            for video_id in ids:
                video = self.videos.get(video_id)
                if video is None:
                    continue
                own = video["channel_id"] == token.subject_id
                if not own and self._public_since(video, self.clock.time()) is None:
                    continue
                visible = (
                    parts
                    if own
                    else [
                        p
                        for p in parts
                        if p not in ("processingDetails", "fileDetails", "suggestions")
                    ]
                )
                items.append(self._video_resource(video, visible))
        body = clone(shapes.VIDEO_LIST)
        body["items"] = items
        body["pageInfo"] = {"totalResults": len(items), "resultsPerPage": len(items)}
        return self.json(body)

    def _update(self, token: Any) -> flask.Response:
        body = flask.request.get_json(silent=True) or {}
        video = self.videos.get(str(body.get("id") or ""))
        if video is None or video["channel_id"] != token.subject_id:
            return self._bad(
                "videoNotFound", "The video that you are trying to update cannot be found.", 404
            )
        parts = [p for p in flask.request.args.get("part", "").split(",") if p]
        if "snippet" in parts and body.get("snippet"):
            snippet = body["snippet"]
            if "title" in snippet:
                if not snippet["title"] or len(str(snippet["title"])) > 100:
                    return self._bad(
                        "invalidTitle", "The request metadata specifies an invalid video title."
                    )
                video["title"] = str(snippet["title"])
            if "description" in snippet:
                video["description"] = str(snippet["description"])
        if "status" in parts and body.get("status"):
            status = body["status"]
            privacy = status.get("privacyStatus", video["privacy"])
            if privacy not in PRIVACY:
                return self._bad(
                    "invalidValue", f"Invalid value for privacyStatus: {privacy}", domain="global"
                )
            publish_at = None
            if status.get("publishAt"):
                publish_at = _parse_rfc3339(str(status["publishAt"]))
                if publish_at is None or publish_at <= self.clock.time():
                    return self._bad(
                        "invalidPublishAt",
                        "The request metadata specifies an invalid scheduled publishing time.",
                    )
            if not video["locked_private"]:
                video["privacy"] = privacy
                video["publish_at"] = publish_at if privacy == "private" else None
        return self.json(self._video_resource(video, parts or ["snippet", "status"]))

    # ------------------------------------------------------------------ analytics

    def reports(self) -> Any:
        with self.lock:
            token, problem = self._auth(ANALYTICS_SCOPES)
            if problem:
                return problem
            args = flask.request.args
            for name in ("ids", "startDate", "endDate", "metrics"):
                if not args.get(name):
                    return self.json(
                        shapes.api_error(400, "required", "Required", location=name), 400
                    )
            ids = args["ids"]
            if ids == "channel==MINE":
                channel_id = token.subject_id
            elif ids.startswith("channel==") and ids[9:] == token.subject_id:
                channel_id = ids[9:]
            else:
                return self.json(shapes.api_error(403, "forbidden", "Forbidden"), 403)
            try:
                start = date.fromisoformat(args["startDate"])
                end = date.fromisoformat(args["endDate"])
            except ValueError:
                return self.json(
                    shapes.api_error(400, "badRequest", "Invalid value at 'start_date'"), 400
                )
            if end < start:
                return self.json(
                    shapes.api_error(
                        400, "badRequest", "The query's start date is after its end date."
                    ),
                    400,
                )
            metrics = [m for m in args["metrics"].split(",") if m]
            for metric in metrics:
                if metric not in shapes.ANALYTICS_METRICS:
                    return self.json(
                        shapes.api_error(
                            400,
                            "badRequest",
                            f"Unknown identifier ({metric}) given in field parameters.metrics.",
                        ),
                        400,
                    )
            dims = [d for d in args.get("dimensions", "").split(",") if d]
            for dim in dims:
                if dim not in shapes.ANALYTICS_DIMENSIONS:
                    return self.json(
                        shapes.api_error(
                            400,
                            "badRequest",
                            f"Unknown identifier ({dim}) given in field parameters.dimensions.",
                        ),
                        400,
                    )
            if len(dims) > 1:
                return self.json(
                    shapes.api_error(400, "badRequest", "The query is not supported."), 400
                )
            wanted: set[str] | None = None
            filters = args.get("filters", "")
            if filters:
                match = re.fullmatch(r"video==([\w,-]+)", filters)
                if not match:
                    return self.json(
                        shapes.api_error(
                            400, "badRequest", f"Unknown identifier in filters: {filters}"
                        ),
                        400,
                    )
                wanted = set(match.group(1).split(","))
            videos = [
                v
                for v in self.videos.values()
                if v["channel_id"] == channel_id and (wanted is None or v["id"] in wanted)
            ]
            rows = self._rows(videos, start, end, dims, metrics)
        sort = args.get("sort", "")
        headers = [{"name": d, "columnType": "DIMENSION", "dataType": "STRING"} for d in dims]
        headers += [
            {"name": m, "columnType": "METRIC", "dataType": shapes.ANALYTICS_METRICS[m]}
            for m in metrics
        ]
        if sort:
            key = sort.lstrip("-")
            names = [h["name"] for h in headers]
            if key not in names:
                return self.json(
                    shapes.api_error(
                        400,
                        "badRequest",
                        f"Unknown identifier ({key}) given in field parameters.sort.",
                    ),
                    400,
                )
            idx = names.index(key)
            rows.sort(key=lambda r: r[idx], reverse=sort.startswith("-"))
        start_index = max(1, int(args.get("startIndex", "1") or 1))
        rows = rows[start_index - 1 :]
        if args.get("maxResults"):
            rows = rows[: int(args["maxResults"])]
        body: dict[str, Any] = {"kind": "youtubeAnalytics#resultTable", "columnHeaders": headers}
        if rows:
            body["rows"] = rows
        return self.json(body)

    def _rows(
        self,
        videos: list[dict[str, Any]],
        start: date,
        end: date,
        dims: list[str],
        metrics: list[str],
    ) -> list[list[Any]]:
        now = self.clock.time()
        last_day = datetime.fromtimestamp(now, tz=UTC).date() - timedelta(days=ANALYTICS_LAG_DAYS)
        end = min(end, last_day)
        if end < start:
            return []

        def at(video: dict[str, Any], ts: float) -> Snapshot | None:
            return self._snapshot(video, min(ts, now))

        def day_ts(d: date) -> float:
            return datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()

        def values(vids: list[dict[str, Any]], t0: float, t1: float) -> list[Any] | None:
            acc = {
                "views": 0,
                "likes": 0,
                "comments": 0,
                "shares": 0,
                "watch": 0,
                "subs": 0,
                "lost": 0,
                "duration": 0.0,
            }
            live = False
            for video in vids:
                a, b = at(video, t0), at(video, t1)
                if b is None:
                    continue
                live = True
                a_views = a.views if a else 0
                acc["views"] += b.views - a_views
                acc["likes"] += b.likes - (a.likes if a else 0)
                acc["comments"] += b.comments - (a.comments if a else 0)
                acc["shares"] += b.shares - (a.shares if a else 0)
                acc["watch"] += b.watch_time_s - (a.watch_time_s if a else 0)
                acc["subs"] += b.views // 150 - a_views // 150
                acc["lost"] += b.views // 2000 - a_views // 2000
                acc["duration"] = max(acc["duration"], video["duration_s"] or 0)
            if not live:
                return None
            avg = acc["watch"] / acc["views"] if acc["views"] else 0
            out = {
                "views": acc["views"],
                "likes": acc["likes"],
                "comments": acc["comments"],
                "shares": acc["shares"],
                "estimatedMinutesWatched": acc["watch"] // 60,
                "averageViewDuration": round(avg),
                "averageViewPercentage": round(100 * avg / acc["duration"], 2)
                if acc["duration"]
                else 0.0,
                "subscribersGained": acc["subs"],
                "subscribersLost": acc["lost"],
            }
            return [out[m] for m in metrics]

        t_start, t_end = day_ts(start), day_ts(end + timedelta(days=1))
        rows: list[list[Any]] = []
        if dims == ["day"]:
            d = start
            while d <= end:
                row = values(videos, day_ts(d), day_ts(d + timedelta(days=1)))
                if row is not None:
                    rows.append([d.isoformat(), *row])
                d += timedelta(days=1)
        elif dims == ["video"]:
            for video in videos:
                row = values([video], t_start, t_end)
                if row is not None:
                    rows.append([video["id"], *row])
        else:
            row = values(videos, t_start, t_end)
            if row is not None:
                rows.append(row)
        return rows

    # ------------------------------------------------------------------ control

    def inspect(self) -> dict[str, Any]:
        with self.lock:
            now = self.clock.time()
            by_hash: dict[str, int] = {}
            for video in self.videos.values():
                by_hash[video["sha256"]] = by_hash.get(video["sha256"], 0) + 1
            return {
                "accounts": list(self.accounts.values()),
                **self.oauth.inspect(),
                "uploads": [
                    {
                        "upload_id": s["upload_id"],
                        "channel_id": s["channel_id"],
                        "received": len(s["data"]),
                        "total": s["total"],
                        "puts": s["puts"],
                        "created_at": s["created_at"],
                        "metadata": s["metadata"],
                        "video_id": s["video_id"],
                    }
                    for s in self.sessions.values()
                ],
                "videos": [
                    {
                        "id": v["id"],
                        "channel_id": v["channel_id"],
                        "sha256": v["sha256"],
                        "size": v["size"],
                        "duration_s": v["duration_s"],
                        "title": v["title"],
                        "privacy": v["privacy"],
                        "outcome": v["outcome"],
                        "reason": v["reason"],
                        "public_since": self._public_since(v, now),
                        "times_published": by_hash[v["sha256"]],
                    }
                    for v in self.videos.values()
                ],
                "published_by_sha256": by_hash,
                "quota": {
                    "uploads_per_day": self.uploads_per_day,
                    "used_today": {
                        k[0]: n for k, n in self.insert_calls.items() if k[1] == _pacific_day(now)
                    },
                },
                "effects": [e.model_dump(exclude_none=True) for e in self.effects],
                "planned_failures": list(self.planned_failures),
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
                for account in accounts:
                    if not account.get("id") or not isinstance(account.get("channels", []), list):
                        return {"error": {"message": "each account needs an id"}}, 400
                    self.accounts[str(account["id"])] = {
                        "id": str(account["id"]),
                        "name": account.get("name", account["id"]),
                        "email": account.get("email", f"{account['id']}@example.com"),
                        "channels": [dict(c) for c in account.get("channels", [])],
                    }
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
            if action == "quota":
                if "uploads_per_day" in payload:
                    self.uploads_per_day = int(payload["uploads_per_day"])
                return {"uploads_per_day": self.uploads_per_day}
            if action == "settings":
                if "processing_s" in payload:
                    self.processing_s = max(0.0, float(payload["processing_s"]))
                return {"processing_s": self.processing_s}
        return super().control(action, payload)
