"""An MCP server inside a function: typed tools over the streamable HTTP transport.

A function module declares tools the way it declares routes, each with the
pydantic models the REST API uses for its input and its output, and hands
every request to the endpoint:

    endpoint = McpEndpoint(name="synthora", function="mcp")

    @endpoint.tool("get_video", input=VideoRef, output=VideoOut, access="owner")
    def get_video(ctx: ToolContext, args: VideoRef) -> VideoOut: ...

    @functions_framework.http
    def mcp(request):
        return endpoint(request)

The transport is the official SDK's (`mcp`, the low-level `Server` and its
`StreamableHTTPSessionManager`, stateless with JSON answers: every POST carries
one JSON-RPC message and gets its answer, so any instance can serve any request
and nothing lives between requests). The SDK speaks ASGI and functions speak
WSGI (functions-framework on Cloud Run, the local gateway alike), so each
process runs one event loop thread for the session manager and every request is
handed to it whole (`_AsgiBridge`).

Who may call:

- the request is authenticated before any MCP message is read, by the same path
  every signed-in route takes (`router.authenticate_bearer`: the bearer token
  through `identity.resolve_bearer`, disabled accounts, closed sign-ups, a
  signed-out session): a missing or bad token is the router's 401 with the
  standard error body, never an MCP session;
- each tool declares `access` like a route's `auth=` (`user`, `owner`,
  `premium`): `premium` refuses other roles with the router's 403
  `premium_only`; `owner` tools name a resource the services check (someone
  else's is the same 404 the REST route answers);
- a personal API token reaches a tool only with the tool's `scope=` (`read` for
  read-only tools; `videos:create`, `posts` for the others), the same scopes as
  the REST routes; a missing one is the router's 403 `insufficient_scope`;
- `ids=` names the arguments that are document ids, checked as the router
  checks path ids (404 for one that cannot be an id), and `rate_limit=` applies
  the same policy as the REST route, per user and per address.

A tool's refusal is an MCP tool error (`isError: true`) whose text and
structured content are the REST error body, `{"error": {"code", "message",
"details"}}`, with the same codes and messages; arguments that do not fit the
input model are `validation_failed` with one detail per field
(`arguments.<field>`), read as strictly as a JSON request body.

Protocol: https://modelcontextprotocol.io/specification (transports: Streamable HTTP);
SDK: https://py.sdk.modelcontextprotocol.io/ (low-level server, session manager).
"""

from __future__ import annotations

import asyncio
import functools
import json
import queue
import threading
from collections.abc import Callable, Iterator, MutableMapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Literal

import anyio
import flask
import mcp_types as types
from mcp.server import Server
from mcp.server.context import ServerRequestContext
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from pydantic import BaseModel, ValidationError

from synthora.errors import (
    ApiError,
    NotFound,
    Unauthorized,
    ValidationFailed,
    field_errors_from_pydantic,
)
from synthora.http import rate_limits
from synthora.http.router import (
    ANY_TOKEN_SCOPE,
    DEFAULT_MAX_BODY,
    SIGN_IN_FIRST,
    UserRecord,
    authenticate_bearer,
    client_address,
    error_response,
    read_body,
    require_role,
    require_token_scope,
)
from synthora.http.security_headers import API_HEADERS
from synthora.identity import Caller, bearer_token
from synthora.logs import TRACE_HEADER, fields, get_logger, trace_context, trace_id_from_headers
from synthora.ports.documents import is_document_id
from synthora.security.personal_tokens import SCOPES as TOKEN_SCOPES
from synthora.settings import Settings, get_settings

log = get_logger(__name__)

#: Who may call a tool: the route levels that make sense for a signed-in agent.
ToolAccess = Literal["user", "owner", "premium"]
#: Where the authenticated caller travels with the request, into the tool handler.
_SCOPE_KEY = "synthora.mcp.caller"


@dataclass(frozen=True)
class ToolContext:
    """What a tool handler knows about its call (the MCP analogue of `RequestContext`)."""

    caller: Caller
    user: UserRecord
    settings: Settings
    trace_id: str
    client_ip: str | None

    @property
    def uid(self) -> str:
        return self.caller.uid

    @property
    def is_admin(self) -> bool:
        return self.user.role == "admin"

    @property
    def role(self) -> str:
        return self.user.role


ToolHandler = Callable[[ToolContext, Any], BaseModel]


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    input: type[BaseModel]
    output: type[BaseModel]
    handler: ToolHandler
    access: ToolAccess
    read_only: bool
    ids: tuple[str, ...]
    rate_limit: str | None
    scope: str

    def definition(self) -> types.Tool:
        return types.Tool(
            name=self.name,
            description=self.description,
            input_schema=self.input.model_json_schema(mode="validation"),
            output_schema=self.output.model_json_schema(mode="serialization"),
            annotations=types.ToolAnnotations(
                read_only_hint=self.read_only, destructive_hint=False if self.read_only else None
            ),
        )


class McpEndpoint:
    """The tools of one MCP function, served over streamable HTTP."""

    def __init__(
        self,
        *,
        name: str,
        function: str,
        instructions: str = "",
        version: str = "",
        max_body: int = DEFAULT_MAX_BODY,
    ) -> None:
        self.function = function
        self.max_body = max_body
        self.tools: dict[str, Tool] = {}
        self._definitions: list[types.Tool] | None = None
        self.server: Server[Any] = Server(
            name,
            version=version,
            instructions=instructions or None,
            on_list_tools=self._list_tools,
            on_call_tool=self._call_tool,
        )
        self._bridge = _AsgiBridge(self.server, max_body=max_body)

    # declaring tools ----------------------------------------------------------------

    def tool(
        self,
        name: str,
        *,
        input: type[BaseModel],
        output: type[BaseModel],
        access: ToolAccess,
        read_only: bool = False,
        ids: tuple[str, ...] = (),
        rate_limit: str | None = None,
        scope: str | None = None,
        description: str = "",
    ) -> Callable[[ToolHandler], ToolHandler]:
        if name in self.tools:
            raise ValueError(f"duplicate tool {name}")
        # a personal API token's scope for the tool: `read` for read-only tools, else named
        needed = scope or ("read" if read_only else None)
        if needed not in TOKEN_SCOPES:
            raise ValueError(f"tool {name}: scope must be one of {sorted(TOKEN_SCOPES)}")
        unknown = set(ids) - set(input.model_fields)
        if unknown:
            raise ValueError(f"tool {name}: ids {sorted(unknown)} are not input fields")
        if rate_limit is not None:
            rate_limits.get_policy(rate_limit)  # an unknown policy fails at import

        def decorator(fn: ToolHandler) -> ToolHandler:
            self.tools[name] = Tool(
                name=name,
                description=description or (fn.__doc__ or "").strip(),
                input=input,
                output=output,
                handler=fn,
                access=access,
                read_only=read_only,
                ids=ids,
                rate_limit=rate_limit,
                scope=needed,
            )
            return fn

        return decorator

    # MCP handlers (on the event loop) -----------------------------------------------

    async def _list_tools(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        if self._definitions is None:  # the schemas are fixed once the module is imported
            self._definitions = [t.definition() for t in self.tools.values()]
        return types.ListToolsResult(tools=self._definitions)

    async def _call_tool(
        self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        who: ToolContext = ctx.request.scope[_SCOPE_KEY]  # type: ignore[union-attr]
        run = functools.partial(self.run_tool, who, params.name, dict(params.arguments or {}))
        try:
            result = await anyio.to_thread.run_sync(run)
        except ApiError as exc:
            return _error_result(exc)
        payload = result.model_dump(mode="json")
        return types.CallToolResult(
            content=[types.TextContent(text=json.dumps(payload, separators=(",", ":")))],
            structured_content=payload,
        )

    # one call, the way a route runs (in a worker thread) ---------------------------

    def run_tool(self, who: ToolContext, name: str, arguments: dict[str, Any]) -> BaseModel:
        """Check, validate and run one tool call; raise the `ApiError` a route would."""
        with trace_context(who.trace_id, function=self.function, tool=name):
            try:
                tool = self.tools.get(name)
                if tool is None:
                    raise NotFound(
                        f"no tool named {name!r}",
                        code="tool_not_found",
                        details={"tools": sorted(self.tools)},
                    )
                require_token_scope(who.caller, tool.scope)
                require_role(tool.access, who.user)
                args = _parse_arguments(tool.input, arguments)
                for field in tool.ids:
                    value = getattr(args, field)
                    if value is not None and not is_document_id(value):
                        raise NotFound(
                            f"no such {field.removesuffix('_id')}: {field} is not a valid id",
                            details={"parameter": field},
                        )
                if tool.rate_limit is not None and who.settings.rate_limits != "off":
                    self._limit(tool.rate_limit, per="address", subject=who.client_ip)
                    self._limit(tool.rate_limit, per="user", subject=who.uid)
                result = tool.handler(who, args)
                log.info("mcp tool called", extra=fields(tool=name))
                return result
            except ApiError as exc:
                log.info(
                    "mcp tool refused", extra=fields(tool=name, code=exc.code, status=exc.status)
                )
                raise
            except Exception as exc:
                log.exception("mcp tool failed", extra=fields(tool=name))
                raise ApiError(
                    "something went wrong on our side; it has been logged",
                    code="internal",
                    status=500,
                    details={"trace_id": who.trace_id},
                ) from exc

    @staticmethod
    def _limit(policy: str, *, per: Any, subject: str | None) -> None:
        from synthora.platform import get_platform

        rate_limits.enforce(
            documents=get_platform().documents, policy_name=policy, per=per, subject=subject
        )

    # serving (WSGI) -----------------------------------------------------------------

    def __call__(self, request: flask.Request) -> flask.Response:
        return self.handle(request)

    def handle(self, request: flask.Request) -> flask.Response:
        with trace_context(trace_id_from_headers(request.headers), function=self.function) as tid:
            try:
                who = self._authenticate(request, tid)
                body = read_body(request, self.max_body) if request.method == "POST" else b""
                response = self._bridge.serve(request, body, extra_scope={_SCOPE_KEY: who})
            except ApiError as exc:
                response = error_response(exc)
                if exc.status == 401:  # RFC 6750: name the scheme a client should use
                    response.headers["WWW-Authenticate"] = 'Bearer realm="synthora"'
            except Exception:
                log.exception("mcp request failed", extra=fields(method=request.method))
                response = error_response(
                    ApiError(
                        "something went wrong on our side; it has been logged",
                        code="internal",
                        status=500,
                        details={"trace_id": tid},
                    )
                )
            response.headers[TRACE_HEADER] = f"{tid}/0;o=1"
            for key, value in API_HEADERS.items():
                response.headers.setdefault(key, value)
            return response

    def _authenticate(self, request: flask.Request, trace_id: str) -> ToolContext:
        settings = get_settings()
        token = bearer_token(request.headers)
        if not token:
            raise Unauthorized(SIGN_IN_FIRST)
        # a personal token opens the session; each tool then checks its own scope
        caller, user = authenticate_bearer(token, settings=settings, scope=ANY_TOKEN_SCOPE)
        return ToolContext(
            caller=caller,
            user=user,
            settings=settings,
            trace_id=trace_id,
            client_ip=client_address(request, hops=settings.proxy_hops),
        )


def _parse_arguments(model: type[BaseModel], arguments: dict[str, Any]) -> BaseModel:
    """Read arguments as the router reads a JSON body: strictly (a boolean is a boolean)."""
    try:
        return model.model_validate_json(json.dumps(arguments), strict=True)
    except ValidationError as exc:
        raise ValidationFailed(
            "the tool's arguments are not valid",
            details=field_errors_from_pydantic(exc, location="arguments"),
        ) from exc


def _error_result(exc: ApiError) -> types.CallToolResult:
    body = exc.body()
    return types.CallToolResult(
        content=[types.TextContent(text=json.dumps(body, separators=(",", ":")))],
        structured_content=body,
        is_error=True,
    )


# --------------------------------------------------------------------------- WSGI -> ASGI


_DONE = object()


class _AsgiBridge:
    """Serve WSGI requests through the SDK's ASGI session manager on one event loop thread.

    The loop and the session manager start with the first request of the process
    (clients are created lazily) and live as long as the process. Each request's
    body is read whole by the function (bounded by `max_body`) and handed over;
    the answer's messages come back through a queue, so a streamed answer (SSE)
    streams through to the client.
    """

    def __init__(self, server: Server[Any], *, max_body: int) -> None:
        self.server = server
        self.max_body = max_body
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._manager: StreamableHTTPSessionManager | None = None

    def _start(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is not None:
                return self._loop
            manager = StreamableHTTPSessionManager(
                app=self.server,
                json_response=True,
                stateless=True,
                max_request_body_size=self.max_body,
            )
            loop = asyncio.new_event_loop()
            ready = threading.Event()

            async def run() -> None:
                async with manager.run():
                    ready.set()
                    await asyncio.Event().wait()  # until the process ends

            def main() -> None:
                asyncio.set_event_loop(loop)
                loop.run_until_complete(run())

            threading.Thread(target=main, name="mcp-event-loop", daemon=True).start()
            if not ready.wait(30):
                raise RuntimeError("the MCP session manager did not start")
            self._loop, self._manager = loop, manager
            return loop

    def serve(
        self, request: flask.Request, body: bytes, *, extra_scope: dict[str, Any]
    ) -> flask.Response:
        loop = self._start()
        assert self._manager is not None
        scope = _asgi_scope(request, extra_scope)
        messages: queue.Queue[Any] = queue.Queue()
        future: Future[None] = asyncio.run_coroutine_threadsafe(
            _exchange(self._manager, scope, body, messages), loop
        )
        start = messages.get()
        if start is _DONE or isinstance(start, BaseException):
            future.result()  # raise what the coroutine raised
            raise RuntimeError("the MCP transport answered nothing")
        status: int = start["status"]
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in start["headers"]]

        def stream() -> Iterator[bytes]:
            try:
                while True:
                    item = messages.get()
                    if item is _DONE or isinstance(item, BaseException):
                        return
                    if item.get("body"):
                        yield item["body"]
                    if not item.get("more_body", False):
                        return
            finally:
                if not future.done():
                    future.cancel()  # the client went away mid-stream

        response = flask.Response(stream(), status=status)
        response.headers.clear()
        for key, value in headers:
            response.headers.add(key, value)
        response.headers.setdefault("Cache-Control", "no-store")
        return response


async def _exchange(
    manager: StreamableHTTPSessionManager,
    scope: dict[str, Any],
    body: bytes,
    messages: queue.Queue[Any],
) -> None:
    answered = asyncio.Event()
    sent_body = False

    async def receive() -> dict[str, Any]:
        nonlocal sent_body
        if not sent_body:
            sent_body = True
            return {"type": "http.request", "body": body, "more_body": False}
        await answered.wait()
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] in ("http.response.start", "http.response.body"):
            messages.put(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            answered.set()

    try:
        await manager.handle_request(scope, receive, send)
    except BaseException as exc:
        messages.put(exc)
        raise
    finally:
        answered.set()
        messages.put(_DONE)


def _asgi_scope(request: flask.Request, extra: dict[str, Any]) -> dict[str, Any]:
    environ = request.environ
    server_port = int(environ.get("SERVER_PORT") or 80)
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": environ.get("SERVER_PROTOCOL", "HTTP/1.1").removeprefix("HTTP/"),
        "method": request.method,
        "scheme": request.scheme,
        "path": request.path,
        "raw_path": request.path.encode(),
        "root_path": "",
        "query_string": request.query_string,
        "headers": [
            (key.lower().encode("latin-1"), value.encode("latin-1"))
            for key, value in request.headers.items()
        ],
        "server": (environ.get("SERVER_NAME", "localhost"), server_port),
        "client": (request.remote_addr or "", 0),
        "state": {},
        **extra,
    }
