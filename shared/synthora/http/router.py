"""A small HTTP layer for functions: typed routes, one error model, OpenAPI.

A function module builds a `Router`, declares routes with pydantic request and
response models, and hands every request to it:

    router = Router(group="videos", prefix="/api/v1/videos")

    @router.get("/{video_id}", name="get", response=VideoOut)
    def get_video(ctx: RequestContext, *, video_id: str) -> VideoOut: ...

    @functions_framework.http
    def videos(request):
        return router(request)

The router parses and validates path, query and body, checks the caller
(`auth=`, see `AuthPolicy`), runs the handler inside the request's trace, and
renders every failure as
`{"error": {"code", "message", "details"}}`: 4xx for anything the caller did
wrong, 500 only for our own bugs (logged with the trace id).

Declarative options every route may set:

- `check_revoked=True`: sensitive routes (reveal a key, change a role,
  billing, delete an account, connect a social account) also ask Firebase
  Auth whether the caller's sessions were revoked or the account disabled
  (cached `identity.REVOCATION_CACHE_TTL_S` per user). Every signed-in route
  already refuses a token issued before the user's last sign-out, and a user
  disabled in Firebase Auth (the console): `identity.check_not_disabled`,
  through the same cache.
- `rate_limit="<policy>"`: a policy from `synthora.http.rate_limits.POLICIES`
  (per user and per address, 429 with `Retry-After`).
- `ids=(...)`: path parameters that name documents; by default every
  parameter ending in `_id`. Each is checked with
  `synthora.ports.documents.is_document_id` before any work (404 otherwise).
- `token_scope=`: what a personal API token needs to call the route
  (`synthora.security.personal_tokens.SCOPES`, or "session": browser sessions
  only). Rarely set: by default it is derived from the route (`token_scope_of`):
  GET routes need `read`, writes need the scope their router declares with
  `Router(write_scope=...)`, and admin routes and `check_revoked` routes are
  session-only. A signed-in route that ends up with none fails the
  authorization matrix (and no token may call it).
- `signature_header="Stripe-Signature"`: the body is raw JSON the handler
  authenticates by the signature in that header (webhooks); the OpenAPI
  document states the header and the JSON object body, and the 400 a wrong
  signature gets.

Bodies are bounded before they are parsed: `max_body` bytes (413) and
`MAX_JSON_DEPTH` levels of nesting (400 `invalid_json`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

import flask
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException

from synthora.errors import (
    ApiError,
    BadRequest,
    Forbidden,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    UnsupportedMediaType,
    ValidationFailed,
    field_errors_from_pydantic,
)
from synthora.http import rate_limits
from synthora.http.security_headers import API_HEADERS
from synthora.identity import (
    Caller,
    InternalCaller,
    bearer_token,
    check_not_disabled,
    check_not_revoked,
    resolve_bearer,
    revoked_by_sign_out,
    verify_internal_call,
)
from synthora.logs import TRACE_HEADER, fields, get_logger, trace_context, trace_id_from_headers
from synthora.ports.documents import is_document_id
from synthora.security.personal_tokens import SCOPES, SESSION_ONLY
from synthora.settings import ConfigurationError, Settings, get_settings

log = get_logger(__name__)

#: Who may call a route, declared once on the route (`auth=`), enforced here and
#: published in the OpenAPI document as `x-synthora-access`; the authorization
#: matrix (tests/http/test_authorization_matrix.py) checks every caller kind
#: against it and fails for a route that declares nothing.
#:   public   anyone, signed in or not (a token that is sent must still be valid)
#:   user     any signed-in, active user; no resource of anyone else in the path
#:   owner    signed in; the path names a resource, and only its owner reaches it
#:            (anyone else gets 404, as if it did not exist)
#:   premium  signed in with the premium or admin role; free users get 403
#:   admin    administrators only
#:   internal Cloud Tasks / Cloud Scheduler only (OIDC or the local internal token)
AuthPolicy = Literal["public", "user", "owner", "premium", "admin", "internal"]
SIGNED_IN: frozenset[str] = frozenset({"user", "owner", "premium", "admin"})
Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
DEFAULT_MAX_BODY = 1_000_000
#: Deepest JSON nesting a body may have; no request model comes close.
MAX_JSON_DEPTH = 32
_JSON_SPECIAL_RE = re.compile(rb'["\\\[\]{}]')
_PARAM_RE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
#: The policy counted for every request a personal token makes (`rate_limits.POLICIES`).
TOKEN_RATE_LIMIT = "personal_token"


def token_scope_of(
    *,
    method: str,
    auth: AuthPolicy | None,
    check_revoked: bool = False,
    declared: str | None = None,
    write_scope: str | None = None,
) -> str | None:
    """The scope a personal token needs for a route, derived from what the route declares.

    None for public and internal routes (a token is not needed there) and for a
    signed-in route nothing covers (which the authorization matrix refuses, and no
    token may call). Admin routes never accept a personal token, whatever is declared.
    """
    if auth in ("public", "internal") or auth is None:
        return None
    if auth == "admin":
        return SESSION_ONLY
    if declared is not None:
        return declared
    if check_revoked:  # the sensitive routes: a fresh browser session only
        return SESSION_ONLY
    if method == "GET":
        return "read"
    return write_scope


def _check_scope_name(where: str, scope: str | None) -> None:
    if scope is not None and scope != SESSION_ONLY and scope not in SCOPES:
        known = ", ".join([*SCOPES, SESSION_ONLY])
        raise ValueError(f"{where}: unknown token scope {scope!r}; known: {known}")


class TaskInfo(BaseModel):
    """What Cloud Tasks (or Cloud Scheduler) says about this delivery."""

    queue: str | None = None
    name: str | None = None
    retry_count: int = 0
    execution_count: int = 0
    scheduler_job: str | None = None


class UserRecord(BaseModel):
    """What the router needs to know about a signed-in user."""

    uid: str
    role: str = "free"
    is_active: bool = True
    exists: bool = False
    data: dict[str, Any] = {}


UserResolver = Callable[[Caller], UserRecord]


def _default_user_resolver(caller: Caller) -> UserRecord:
    from synthora.platform import get_platform

    snap = get_platform().documents.collection("users").document(caller.uid).get()
    if not snap.exists:
        return UserRecord(uid=caller.uid)
    data = snap.to_dict() or {}
    return UserRecord(
        uid=caller.uid,
        role=str(data.get("role", "free")),
        is_active=bool(data.get("is_active", True)),
        exists=True,
        data=data,
    )


_user_resolver: UserResolver = _default_user_resolver


def set_user_resolver(resolver: UserResolver | None) -> None:
    """Let the accounts service decide roles and disabled users."""
    global _user_resolver
    _user_resolver = resolver or _default_user_resolver


@dataclass
class RequestContext:
    request: flask.Request
    settings: Settings
    trace_id: str
    caller: Caller | None = None
    user: UserRecord | None = None
    internal: InternalCaller | None = None
    task: TaskInfo | None = None
    response_headers: dict[str, str] = field(default_factory=dict)

    @property
    def uid(self) -> str:
        if self.caller is None:
            raise Unauthorized("sign in first")
        return self.caller.uid

    @property
    def is_admin(self) -> bool:
        return self.user is not None and self.user.role == "admin"

    @property
    def client_ip(self) -> str | None:
        return client_address(self.request, hops=self.settings.proxy_hops)


def client_address(request: flask.Request, *, hops: int) -> str | None:
    """The caller's address: the X-Forwarded-For entry our `hops`-th proxy wrote.

    Each proxy appends the address it received the request from, so the entries
    a client sends come first and cannot be trusted; the one `hops` places from
    the right was written by the outermost proxy we run (Firebase Hosting in
    production: `hops=2`, Hosting then Google Front End). `hops=0` (local mode)
    uses the socket's address and ignores the header.
    """
    if hops > 0:
        entries = [
            e.strip()
            for value in request.headers.getlist("X-Forwarded-For")
            for e in value.split(",")
            if e.strip()
        ]
        if len(entries) >= hops:
            return entries[-hops]
        if entries:  # fewer hops than configured: the leftmost is the nearest we have
            return entries[0]
    return request.remote_addr


@dataclass
class Route:
    method: Method
    path: str  # full path template, prefix included
    name: str
    handler: Callable[..., Any]
    auth: AuthPolicy | None  # None: not declared (served as "user"; the matrix suite fails)
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: Any
    status: int
    summary: str
    description: str
    max_body: int
    errors: tuple[int, ...]
    check_revoked: bool = False
    rate_limit: str | None = None
    ids: tuple[str, ...] | None = None
    statuses: tuple[int, ...] = ()  # other success statuses the handler may answer with
    media_type: str | None = None  # a non-JSON success body (e.g. text/csv): a flask.Response
    #: a raw JSON body the handler authenticates itself by the signature in this header
    #: (webhooks); documented as a required header and a JSON object body
    signature_header: str | None = None
    #: what a personal API token needs to call it (`token_scope_of`); None: not applicable
    #: (public, internal) or not covered (a signed-in route: the matrix fails)
    token_scope: str | None = None
    regex: re.Pattern[str] = field(init=False)
    params: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.params = _PARAM_RE.findall(self.path)
        if self.ids is None:
            self.ids = tuple(p for p in self.params if p.endswith("_id"))
        unknown = set(self.ids) - set(self.params)
        if unknown:
            raise ValueError(f"{self.path}: ids {sorted(unknown)} are not path parameters")
        if self.rate_limit is not None:
            rate_limits.get_policy(self.rate_limit)  # an unknown policy fails at import
        if self.check_revoked and self.auth not in SIGNED_IN:
            raise ValueError(f"{self.path}: check_revoked needs a signed-in caller ({self.auth=})")
        pattern = _PARAM_RE.sub(
            r"(?P<\1>[^/]+)", re.escape(self.path).replace(r"\{", "{").replace(r"\}", "}")
        )
        self.regex = re.compile(f"^{pattern}/?$")


class Router:
    """The routes of one function (one endpoint group)."""

    def __init__(
        self,
        *,
        group: str,
        prefix: str,
        function: str | None = None,
        description: str = "",
        write_scope: str | None = None,
    ) -> None:
        """`write_scope`: the personal-token scope of this group's writes (POST, PUT, PATCH,
        DELETE), or "session" when no token may make them (`token_scope_of`)."""
        _check_scope_name(f"router {group}", write_scope)
        self.write_scope = write_scope
        self.group = group
        self.prefix = prefix.rstrip("/")
        self.function = function or group
        self.description = description
        self.routes: list[Route] = []
        if flask.has_app_context():
            # functions-framework runs the function's module inside its app's context. A
            # request its catch-all rule does not match (a path holding a newline) is refused
            # by Flask before the router sees it: give that refusal the standard error body.
            flask.current_app.register_error_handler(HTTPException, _framework_refusal)

    # declaring routes ---------------------------------------------------------------

    def route(
        self,
        method: Method,
        path: str,
        *,
        name: str,
        auth: AuthPolicy | None = None,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        response: Any = None,
        status: int = 200,
        summary: str = "",
        description: str = "",
        max_body: int = DEFAULT_MAX_BODY,
        errors: tuple[int, ...] = (),
        check_revoked: bool = False,
        rate_limit: str | None = None,
        ids: tuple[str, ...] | None = None,
        statuses: tuple[int, ...] = (),
        media_type: str | None = None,
        signature_header: str | None = None,
        token_scope: str | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        _check_scope_name(f"{self.group}-{name}", token_scope)
        full = (self.prefix + path) if path not in ("", "/") else (self.prefix or "/")
        if any(r.name == name for r in self.routes):
            raise ValueError(f"duplicate operation name {self.group}-{name}")

        def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
            self.routes.append(
                Route(
                    method=method,
                    path=full,
                    name=name,
                    handler=fn,
                    auth=auth,
                    body=body,
                    query=query,
                    response=response,
                    status=status,
                    summary=summary or (fn.__doc__ or "").strip().split("\n")[0],
                    description=description,
                    max_body=max_body,
                    errors=errors,
                    check_revoked=check_revoked,
                    rate_limit=rate_limit,
                    ids=ids,
                    statuses=statuses,
                    media_type=media_type,
                    signature_header=signature_header,
                    token_scope=token_scope_of(
                        method=method,
                        auth=auth,
                        check_revoked=check_revoked,
                        declared=token_scope,
                        write_scope=self.write_scope,
                    ),
                )
            )
            # static segments win over parameters: /users/stats before /users/{id}
            self.routes.sort(key=lambda r: (len(r.params), -len(r.path)))
            return fn

        return decorator

    def get(self, path: str, **kw: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return self.route("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return self.route("POST", path, **kw)

    def put(self, path: str, **kw: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return self.route("PUT", path, **kw)

    def patch(self, path: str, **kw: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return self.route("PATCH", path, **kw)

    def delete(self, path: str, **kw: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return self.route("DELETE", path, **kw)

    # serving ------------------------------------------------------------------------

    def __call__(self, request: flask.Request) -> flask.Response:
        return self.handle(request)

    def handle(self, request: flask.Request) -> flask.Response:
        trace = trace_id_from_headers(request.headers)
        with trace_context(trace, function=self.function) as trace_id:
            try:
                response = self._handle(request, trace_id)
            except ApiError as exc:
                response = _error_response(exc)
                if exc.status >= 500:
                    log.error("request failed", extra=fields(code=exc.code, status=exc.status))
            except ConfigurationError as exc:
                log.critical("refusing to serve: configuration", extra=fields(reason=str(exc)))
                response = _error_response(
                    ApiError(
                        "this service is misconfigured and refuses to serve; see its logs",
                        code="misconfigured",
                        status=503,
                        details={"reason": str(exc)},
                    )
                )
            except Exception:
                log.exception(
                    "unhandled error", extra=fields(path=request.path, method=request.method)
                )
                response = _error_response(
                    ApiError(
                        "something went wrong on our side; it has been logged",
                        code="internal",
                        status=500,
                        details={"trace_id": trace_id},
                    )
                )
            response.headers[TRACE_HEADER] = f"{trace_id}/0;o=1"
            for key, value in API_HEADERS.items():
                response.headers.setdefault(key, value)
            return response

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        allowed: list[str] = []
        best: str | None = None  # the most specific template matching: /x/stats, not /x/{id}
        for route in self.routes:
            m = route.regex.match(path)
            if not m or (best is not None and route.path != best):
                continue
            best = route.path
            if route.method == method or (method == "HEAD" and route.method == "GET"):
                return route, m.groupdict()
            allowed.append(route.method)
        if allowed:
            raise MethodNotAllowed(
                f"{method} is not allowed on {path}",
                details={"allowed": sorted(set(allowed))},
                headers={"Allow": ", ".join(sorted(set(allowed)))},
            )
        raise NotFound(f"no route for {method} {path}", code="route_not_found")

    def _handle(self, request: flask.Request, trace_id: str) -> flask.Response:
        route, path_params = self.match(request.method, _normalise_path(request.path))
        settings = get_settings()
        ctx = RequestContext(request=request, settings=settings, trace_id=trace_id)
        # A signed-in route called with no token is refused (401) before anything is counted:
        # that answer costs nothing, and a caller must learn to sign in, not to wait.
        anonymous = route.auth in SIGNED_IN and not bearer_token(request.headers)
        if route.rate_limit is not None and not anonymous:
            self._limit(route, ctx, per="address", subject=ctx.client_ip)
        self._authenticate(route, ctx)
        if route.rate_limit is not None and ctx.caller is not None:
            self._limit(route, ctx, per="user", subject=ctx.caller.uid)
        for name in route.ids or ():
            if not is_document_id(path_params[name]):
                raise NotFound(
                    f"no such {name.removesuffix('_id')}: {name} is not a valid id",
                    details={"parameter": name},
                )
        kwargs: dict[str, Any] = dict(path_params)
        if route.query is not None:
            kwargs["query"] = _parse_query(route.query, request)
        if route.body is not None:
            kwargs["body"] = _parse_body(route.body, request, route.max_body)
        elif (
            request.method in ("POST", "PUT", "PATCH")
            and request.content_length
            and request.content_length > route.max_body
        ):
            raise PayloadTooLarge(f"request body larger than {route.max_body} bytes")
        result = route.handler(ctx, **kwargs)
        return _render(result, route, ctx)

    def _authenticate(self, route: Route, ctx: RequestContext) -> None:
        if route.auth == "public":
            token = bearer_token(ctx.request.headers)
            if token:  # optional identity on public routes; a bad token is still refused
                ctx.caller = resolve_bearer(token, settings=ctx.settings)
            return
        if route.auth == "internal":
            ctx.internal = verify_internal_call(
                ctx.request.headers, settings=ctx.settings, audience=self.audience(ctx.settings)
            )
            ctx.task = _task_info(ctx.request.headers)
            return
        token = bearer_token(ctx.request.headers)
        if not token:
            raise Unauthorized(SIGN_IN_FIRST)
        ctx.caller, ctx.user = authenticate_bearer(
            token, settings=ctx.settings, scope=route.token_scope, check_revoked=route.check_revoked
        )
        require_role(route.auth, ctx.user)

    def _limit(self, route: Route, ctx: RequestContext, *, per: Any, subject: str | None) -> None:
        from synthora.platform import get_platform

        assert route.rate_limit is not None
        if ctx.settings.rate_limits == "off":
            return
        rate_limits.enforce(
            documents=get_platform().documents,
            policy_name=route.rate_limit,
            per=per,
            subject=subject,
        )

    def audience(self, settings: Settings) -> str:
        """The URL Cloud Tasks and Cloud Scheduler put in the OIDC token's audience."""
        template = (
            settings.function_url_template or "https://{region}-{project}.cloudfunctions.net/{name}"
        )
        return template.format(
            region=settings.region,
            project=settings.project_id,
            name=self.function.replace("_", "-"),
        )


#: The refusal a signed-in route or tool answers a request without a token with.
SIGN_IN_FIRST = (
    "sign in first: send `Authorization: Bearer <Firebase ID token or personal API token>`"
)


#: `require_token_scope`'s scope for an entry point that checks scopes further in (MCP).
ANY_TOKEN_SCOPE = "*"


def require_token_scope(caller: Caller, scope: str | None) -> None:
    """Refuse a personal token on a route its scopes do not cover (403, with what it needs).

    `scope` is the route's `token_scope` (`token_scope_of`); browser sessions pass.
    """
    if scope == ANY_TOKEN_SCOPE and (caller.scopes is None or caller.scopes):
        return  # an entry point whose own parts check scopes (the MCP server's tools)
    if caller.allows(scope):
        return
    if scope is None or scope == SESSION_ONLY:
        raise Forbidden(
            "personal API tokens cannot call this; sign in to the web app",
            code="token_not_allowed",
        )
    raise Forbidden(
        f"this personal API token lacks the `{scope}` scope",
        code="insufficient_scope",
        details={"required": scope, "granted": list(caller.scopes or ())},
    )


def authenticate_bearer(
    token: str, *, settings: Settings, scope: str | None, check_revoked: bool = False
) -> tuple[Caller, UserRecord]:
    """Everything a signed-in request passes, for any bearer: who it is
    (`identity.resolve_bearer`), the token's scope for what is asked (`scope`, see
    `token_scope_of`; browser sessions pass), the user record (`check_user`), and a
    personal token's own rate limit. Route roles (admin, premium) are the caller's to
    check. The router uses it for every signed-in route; the MCP server for each tool.
    """
    caller = resolve_bearer(token, settings=settings)
    require_token_scope(caller, scope)
    user = check_user(caller, settings=settings, check_revoked=check_revoked)
    if caller.token_id is not None and settings.rate_limits != "off":
        from synthora.platform import get_platform

        # every request a personal token makes counts against that token's own limit
        rate_limits.enforce(
            documents=get_platform().documents,
            policy_name=TOKEN_RATE_LIMIT,
            per="token",
            subject=caller.token_id,
        )
    return caller, user


def check_user(caller: Caller, *, settings: Settings, check_revoked: bool = False) -> UserRecord:
    """The caller's user record, refusing a disabled account, closed sign-ups and ended
    sessions: the checks every signed-in request passes, whatever the bearer (a Firebase
    ID token or a personal token, see `identity.resolve_bearer`)."""
    user = _user_resolver(caller)
    if not user.is_active:
        raise Forbidden(
            "this account is disabled; contact the administrator", code="account_disabled"
        )
    if caller.is_personal_token and not user.exists:
        raise Unauthorized(
            "the account this personal API token belongs to no longer exists",
            code="invalid_token",
        )
    if not user.exists and not _signups_open():
        raise Forbidden(
            "new sign-ups are closed on this platform; ask the administrator",
            code="signups_closed",
        )
    # A personal token outlives browser sign-outs (it is revoked on its own, in Settings).
    if not caller.is_personal_token and revoked_by_sign_out(caller, user.data):
        raise Unauthorized("you signed out of this session; sign in again", code="token_revoked")
    if check_revoked and not caller.is_personal_token:
        check_not_revoked(caller, settings=settings)
    else:  # disabled in the Firebase console: refused on every route (cached 30 s)
        check_not_disabled(caller, settings=settings)
    return user


def require_role(auth: AuthPolicy | None, user: UserRecord) -> None:
    """Refuse a signed-in caller whose role the policy does not admit (admin, premium)."""
    if auth == "admin" and user.role != "admin":
        raise Forbidden("administrators only", code="admin_only")
    if auth == "premium" and user.role not in ("premium", "admin"):
        raise Forbidden("this needs a premium account", code="premium_only")


def _signups_open() -> bool:
    """The `signups_open` flag: off, an account with no user record is refused everywhere."""
    from synthora.platform import get_platform
    from synthora.services.app_settings import get_features

    return get_features(platform=get_platform()).signups_open


def _normalise_path(path: str) -> str:
    return path if path == "/" else path.rstrip("/")


def _task_info(headers: Any) -> TaskInfo:
    def as_int(name: str) -> int:
        try:
            return int(headers.get(name, "0"))
        except ValueError:
            return 0

    return TaskInfo(
        queue=headers.get("X-CloudTasks-QueueName"),
        name=headers.get("X-CloudTasks-TaskName"),
        retry_count=as_int("X-CloudTasks-TaskRetryCount"),
        execution_count=as_int("X-CloudTasks-TaskExecutionCount"),
        scheduler_job=headers.get("X-CloudScheduler-JobName"),
    )


_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


def _iso_datetimes(key: str, value: str | list[str]) -> None:
    """A date-time in a query is ISO 8601 text, as the schema says (`format: date-time`);
    pydantic alone would also read a number ("0.5") as a Unix time."""
    for item in value if isinstance(value, list) else [value]:
        if _NUMBER.fullmatch(item):
            raise ValidationFailed(
                "the query string is not valid",
                details=[
                    {
                        "field": f"query.{key}",
                        "message": "an ISO 8601 date-time, such as 2026-01-31T09:00:00Z",
                        "type": "datetime_from_date_parsing",
                    }
                ],
            )


def _parse_query(model: type[BaseModel], request: flask.Request) -> BaseModel:
    data: dict[str, Any] = {}
    for key in request.args:
        values = request.args.getlist(key)
        annotation = model.model_fields.get(key)
        is_list = annotation is not None and "list" in str(annotation.annotation)
        data[key] = values if is_list else values[-1]
        if annotation is not None and "datetime" in str(annotation.annotation):
            _iso_datetimes(key, data[key])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(
            "the query string is not valid",
            details=field_errors_from_pydantic(exc, location="query"),
        ) from exc


def _parse_body(model: type[BaseModel], request: flask.Request, max_body: int) -> BaseModel:
    raw = read_body(request, max_body)
    if not raw.strip():
        payload: Any = {}
    else:
        mimetype = request.mimetype or ""
        if mimetype and mimetype != "application/json" and not mimetype.endswith("+json"):
            raise UnsupportedMediaType("send the body as application/json")
        if json_depth(raw, stop_above=MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
            raise BadRequest(
                f"the body nests more than {MAX_JSON_DEPTH} levels deep",
                code="invalid_json",
                details={"max_depth": MAX_JSON_DEPTH},
            )
        try:
            payload = json.loads(raw, parse_float=_json_number)
        except RecursionError as exc:  # json_depth bounds it; this is the last guard
            raise BadRequest("the body nests too deeply", code="invalid_json") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadRequest(
                "the body is not valid JSON",
                code="invalid_json",
                details={"position": getattr(exc, "pos", None)},
            ) from exc
    if not isinstance(payload, dict):
        raise ValidationFailed(
            "the body must be a JSON object",
            details=[{"field": "body", "message": "expected an object", "type": "dict_type"}],
        )
    try:
        # Strict as JSON: a boolean is `true`/`false` and an integer is a JSON
        # integer, never 0/1 or "5" (what the schema says is what is accepted).
        return model.model_validate_json(json.dumps(payload), strict=True)
    except ValidationError as exc:
        raise ValidationFailed(
            "the request body is not valid",
            details=field_errors_from_pydantic(exc, location="body"),
        ) from exc


def _json_number(text: str) -> float | int:
    """A JSON number with a fraction: `426.0` is an integer to JSON Schema (and so to the
    OpenAPI document), so an integral value within float precision is read as one."""
    value = float(text)
    if value.is_integer() and abs(value) <= 2**53:
        return int(value)
    return value


def read_body(request: flask.Request, max_body: int) -> bytes:
    """The raw body, reading at most `max_body + 1` bytes (413 beyond `max_body`)."""
    if request.content_length is not None and request.content_length > max_body:
        raise PayloadTooLarge(
            f"request body larger than {max_body} bytes", details={"max_bytes": max_body}
        )
    chunks: list[bytes] = []
    size = 0
    while size <= max_body:  # a stream may answer a read with fewer bytes than asked
        chunk = request.stream.read(min(65_536, max_body + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    raw = b"".join(chunks)
    if len(raw) > max_body:
        raise PayloadTooLarge(
            f"request body larger than {max_body} bytes", details={"max_bytes": max_body}
        )
    return raw


def json_depth(raw: bytes, *, stop_above: int | None = None) -> int:
    """How deeply `raw` nests arrays and objects, without parsing it (strings skipped).

    One linear pass over the special characters only; with `stop_above`, it
    returns as soon as the nesting exceeds that bound.
    """
    depth = deepest = 0
    in_string = False
    skip_to = -1
    for match in _JSON_SPECIAL_RE.finditer(raw):
        pos = match.start()
        if pos < skip_to:
            continue  # the character after a backslash
        char = raw[pos]
        if in_string:
            if char == 0x5C:  # backslash: the next character is escaped
                skip_to = pos + 2
            elif char == 0x22:
                in_string = False
        elif char == 0x22:
            in_string = True
        elif char in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_above is not None and deepest > stop_above:
                    return deepest
        elif char in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def json_response(
    payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> flask.Response:
    body = json.dumps(payload, default=_json_default, separators=(",", ":"))
    response = flask.Response(body, status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _render(result: Any, route: Route, ctx: RequestContext) -> flask.Response:
    if isinstance(result, flask.Response):
        response = result
    else:
        status = route.status
        if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], int):
            result, status = result
        if result is None:
            response = flask.Response(status=204 if status == 200 else status)
        else:
            if isinstance(result, BaseModel):
                payload = result.model_dump(mode="json")
            elif (
                route.response is not None
                and isinstance(route.response, type)
                and issubclass(route.response, BaseModel)
            ):
                payload = route.response.model_validate(result).model_dump(mode="json")
            else:
                payload = result
            response = json_response(payload, status)
    for key, value in ctx.response_headers.items():
        response.headers[key] = value
    return response


def _error_response(exc: ApiError) -> flask.Response:
    return json_response(exc.body(), exc.status, exc.headers)


def error_response(exc: ApiError) -> flask.Response:
    """Render an `ApiError` outside a router (gateway 404s, blob route)."""
    return _error_response(exc)


def _framework_refusal(exc: HTTPException) -> flask.Response:
    if (exc.code or 500) == 404:
        error: ApiError = NotFound("no such route", code="route_not_found")
    else:
        code = exc.name.lower().replace(" ", "_")
        error = ApiError(exc.description or exc.name, code=code, status=exc.code or 500)
    response = _error_response(error)
    for key, value in API_HEADERS.items():
        response.headers.setdefault(key, value)
    return response
