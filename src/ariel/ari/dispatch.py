"""One ARI request from bytes to answer, with no web framework.

Theory of operation: the HTTP layer (``app.py``) and REST-over-WebSocket both
hand an :class:`HttpIn` to :meth:`Dispatcher.handle` and send back the
:class:`HttpOut`. The order of checks is the reference's: credentials (401),
write access for read-only users (403), a trailing slash (404), the API docs,
route lookup (404), pre-flight OPTIONS, method (405), capability (501),
parameters (400), then the resource handler. Only documented codes leave a
handler; an unplanned exception becomes a 500 for that request alone.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from ariel.ari.auth import Authenticator, credentials_from
from ariel.ari.cors import CorsPolicy
from ariel.ari.debug import AriDebug, request_app
from ariel.ari.handler import AriError, AriRequest, AriResponse, Handler, handler_name
from ariel.ari.jsonout import dumps
from ariel.ari.metrics import RestMetrics
from ariel.ari.router import RouteMatch, RouteTable
from ariel.arispec import REGISTRY, ParamError, api_declaration, openapi_document, parse_params
from ariel.arispec.types import Operation
from ariel.config import AriConf, AriUser
from ariel.core.system import Core

__all__ = ["Dispatcher", "HttpIn", "HttpOut", "load_handlers"]

log = logging.getLogger("ariel.ari")

REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    412: "Precondition Failed",
    413: "Request Entity Too Large",
    422: "Unprocessable Entity",
    426: "Upgrade Required",
    500: "Internal Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
}

#: Largest request body accepted (the reference's HTTP server limit).
MAX_BODY = 40960


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpIn:
    """A request: ``path`` is relative to ``/ari`` with no leading slash."""

    method: str
    path: str
    query: Sequence[tuple[str, str]] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    content_type: str | None = None
    base_url: str = ""
    host: str | None = None
    over_websocket: bool = False
    peer: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpOut:
    """An answer: status, headers and body bytes (JSON unless ``content_type`` says)."""

    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str | None = "application/json"

    @property
    def reason(self) -> str:
        """The status line's reason phrase."""
        return REASONS.get(self.status, "Unknown")


def load_handlers(table: RouteTable) -> dict[str, Handler]:
    """Find the handler of every operation in ``ariel.ari.resources``."""
    handlers: dict[str, Handler] = {}
    modules: dict[str, ModuleType] = {}
    for op in table.operations:
        if op.resource not in modules:
            modules[op.resource] = importlib.import_module(f"ariel.ari.resources.{op.resource}")
        func = getattr(modules[op.resource], handler_name(op.nickname), None)
        if func is not None:
            handlers[op.id] = func
    return handlers


class Dispatcher:
    """Serves ARI requests against one Core."""

    def __init__(
        self,
        core: Core,
        conf: AriConf,
        *,
        prefix: str = "",
        metrics: RestMetrics | None = None,
    ) -> None:
        self.core = core
        self.metrics = metrics
        self.conf = conf
        self.prefix = prefix
        self.table = RouteTable(REGISTRY.operations)
        self.handlers = load_handlers(self.table)
        self.auth = Authenticator(conf)
        self.cors = CorsPolicy(conf.allowed_origins)
        #: ``ari set debug``: which applications have their traffic printed.
        self.debug = AriDebug()

    # -- answers -------------------------------------------------------
    def json(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> HttpOut:
        """A JSON answer, pretty when configured."""
        return HttpOut(
            status=status, body=dumps(body, pretty=self.conf.pretty), headers=headers or {}
        )

    def error(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> HttpOut:
        """An ``{"message": ...}`` answer."""
        return self.json(status, {"message": message}, headers)

    # -- checks shared with the WebSocket upgrade ----------------------
    def authenticate(self, req: HttpIn) -> AriUser | HttpOut:
        """The caller, or the 401 to send."""
        user = self.auth.authenticate(credentials_from(req.headers, req.query))
        if user is None:
            realm = self.conf.auth_realm
            return self.error(
                401,
                "Authentication required",
                {"WWW-Authenticate": f'Basic realm="{realm}"'},
            )
        return user

    # -- the pipeline --------------------------------------------------
    async def handle(self, req: HttpIn) -> HttpOut:
        """Answer one request."""
        debug = self.debug.enabled(request_app(req.query, req.body, req.content_type))
        if debug:
            self.debug.request(req.peer, req.headers, req.query, req.body)
        out = await self._handle(req)
        if debug:
            self.debug.response(req.peer, out.status, out.reason, out.headers, out.body)
        extra = self.cors.simple_headers(req.headers)
        if extra and "Access-Control-Allow-Origin" not in out.headers:
            out = HttpOut(
                status=out.status,
                body=out.body,
                headers={**out.headers, **extra},
                content_type=out.content_type,
            )
        return out

    async def _handle(self, req: HttpIn) -> HttpOut:
        user = self.authenticate(req)
        if isinstance(user, HttpOut):
            return user
        if user.read_only and req.method not in ("GET", "OPTIONS"):
            return self.error(403, "Write access denied")
        if req.path.endswith("/"):
            return self.error(
                404, f"ARI URLs do not end with a slash. Try /ari/{req.path.rstrip('/')}"
            )
        if req.path.startswith("api-docs/"):
            return self._docs(req)
        if req.path == "openapi.json" and req.method == "GET":
            return self.json(200, openapi_document(self._base(req)))
        route = self.table.match(req.path)
        if route is None:
            return self.error(404, "Resource not found")
        allow = route.allowed_methods()
        if req.method == "OPTIONS":
            headers = {"Allow": ",".join(["OPTIONS", *allow])}
            headers.update(self.cors.preflight_headers(req.headers, ["OPTIONS", *allow]))
            return HttpOut(status=204, headers=headers, content_type=None)
        op = route.operations.get(req.method)
        if op is None:
            return self.error(405, "Invalid method", {"Allow": ",".join(allow)})
        if self.metrics is None:
            return await self._invoke(req, op, route, user)
        started = time.perf_counter()
        out = await self._invoke(req, op, route, user)
        self.metrics.observe(
            f"{op.resource}.{op.nickname}", out.status, time.perf_counter() - started
        )
        return out

    async def _invoke(
        self, req: HttpIn, op: Operation, route: RouteMatch, user: AriUser
    ) -> HttpOut:
        if op.upgrade == "websocket":
            if req.over_websocket:
                return self.error(400, "Can't upgrade to websocket from a websocket")
            return HttpOut(
                status=426,
                body=b'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n'
                b"<title>426 Upgrade Required</title>\n</head><body>\n<h1>Upgrade Required</h1>\n"
                b"<p>Upgrade to a WebSocket is required for this resource.</p>\n</body></html>\n",
                headers={"Upgrade": "websocket"},
                content_type="text/html",
            )
        handler = self.handlers.get(op.id)
        if not op.available or handler is None:
            # The reference looks the object up first: an unknown one is a 404
            # even where the operation itself is not served yet.
            missing = self._missing_object(op, route.path_params)
            return self.error(404, missing) if missing else self.error(501, "Not implemented")
        if len(req.body) > MAX_BODY:
            return self.error(413, "Request body too large")
        try:
            parsed = parse_params(
                op,
                path=route.path_params,
                query=req.query,
                body=req.body,
                content_type=req.content_type,
            )
        except ParamError as exc:
            return self.error(exc.status, exc.message)
        request = AriRequest(
            operation=op,
            params=parsed.values,
            body=parsed.body_json,
            core=self.core,
            user=user.name,
            base_url=req.base_url,
        )
        try:
            return self._render(await handler(request))
        except AriError as exc:
            return self.json(exc.status, exc.body)
        except Exception:
            log.exception("%s %s failed", req.method, req.path)
            return self.error(500, "Internal Server Error")

    def _missing_object(self, op: Operation, path: Mapping[str, str]) -> str | None:
        """The reference's 404 message when the object a path names does not exist."""
        core = self.core
        if op.resource == "channels" and op.nickname != "originateWithId":
            channel_id = path.get("channelId")
            if channel_id is not None and channel_id not in core.channels:
                if op.nickname.startswith("snoop"):
                    return "Provided channel was not found"
                return "Channel not found"
        if op.resource == "bridges" and op.nickname != "createWithId":
            bridge_id = path.get("bridgeId")
            if bridge_id is not None and bridge_id not in core.bridges:
                return "Bridge not found"
        if op.resource == "playbacks" and path.get("playbackId") not in core.playbacks:
            return "Playback not found"
        live = op.resource == "recordings" and "/live/" in op.path
        if live and path.get("recordingName") not in core.live_recordings:
            return "Recording not found"
        return None

    def _render(self, answer: AriResponse) -> HttpOut:
        if answer.raw is not None:
            return HttpOut(
                status=answer.status,
                body=answer.raw,
                headers=dict(answer.headers),
                content_type=answer.content_type or "application/octet-stream",
            )
        if answer.body is None and answer.status in (202, 204):
            return HttpOut(status=answer.status, headers=dict(answer.headers), content_type=None)
        return self.json(answer.status, answer.body, answer.headers)

    def _base(self, req: HttpIn) -> str:
        return f"{req.base_url}{self.prefix}/ari"

    def _docs(self, req: HttpIn) -> HttpOut:
        if req.method != "GET":
            return self.error(405, "Unsupported method")
        name = req.path.removeprefix("api-docs/")
        base = self._base(req) if req.host else None
        if name == "resources.json":
            from ariel.arispec import resource_listing

            return self.json(200, resource_listing(base))
        if name.endswith(".json"):
            resource = name.removesuffix(".json")
            if resource in {r.name for r in REGISTRY.resources}:
                return self.json(200, api_declaration(resource, base))
        return self.error(404, "Resource not found")
