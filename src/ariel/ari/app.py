"""The HTTP server: the only module that imports the web framework (aiohttp).

It turns aiohttp requests into :class:`~ariel.ari.dispatch.HttpIn`, sends
back the dispatcher's answer, and runs event WebSockets (``/ari/events``)
through :class:`~ariel.ari.websocket.EventSession`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiohttp import WSMsgType, web

from ariel import __version__
from ariel._util.prometheus import CONTENT_TYPE, Registry
from ariel.ari.dispatch import MAX_BODY, Dispatcher, HttpIn, HttpOut
from ariel.ari.websocket import EventSession
from ariel.core.channels.drivers import IncomingMediaSockets, MediaSocketLink

__all__ = ["HttpServer", "build_web_app"]

log = logging.getLogger("ariel.http")

TRUE_WORDS = {"yes", "true", "y", "t", "1", "on"}

#: Seconds an event socket's close handshake may take before the connection
#: is aborted (a client that stopped reading never answers it).
CLOSE_TIMEOUT_S = 2.0


def _to_response(out: HttpOut) -> web.Response:
    resp = web.Response(status=out.status, reason=out.reason, body=out.body or None)
    if out.content_type is not None and out.body:
        resp.content_type = out.content_type
    for key, value in out.headers.items():
        resp.headers[key] = value
    return resp


def _peer(request: web.Request) -> str:
    """``host:port`` of the client (``ari set debug`` names it)."""
    name = request.transport.get_extra_info("peername") if request.transport else None
    if isinstance(name, tuple) and len(name) >= 2:
        return f"{name[0]}:{name[1]}"
    return request.remote or ""


def build_web_app(dispatcher: Dispatcher, metrics: Registry | None = None) -> web.Application:
    """The aiohttp application serving ``<prefix>/ari/...`` (and ``<prefix>/metrics``)."""
    prefix = dispatcher.prefix.rstrip("/")
    sessions: set[EventSession] = set()

    async def on_response_prepare(_request: web.Request, response: web.StreamResponse) -> None:
        response.headers["Server"] = f"Ariel/{__version__}"

    async def handle(request: web.Request) -> web.StreamResponse:
        raw_path = request.rel_url.raw_path
        path = raw_path[len(prefix) + len("/ari/") :]
        query = list(request.rel_url.query.items())
        headers = {k: v for k, v in request.headers.items()}
        base_url = f"{request.scheme}://{request.host}"
        if request.content_length is not None and request.content_length > MAX_BODY:
            return _to_response(dispatcher.error(413, "Request body too large"))
        body = await request.read() if request.body_exists else b""
        if len(body) > MAX_BODY:
            return _to_response(dispatcher.error(413, "Request body too large"))
        req = HttpIn(
            method=request.method,
            path=path,
            query=query,
            headers=headers,
            body=body,
            content_type=request.content_type if request.body_exists else None,
            base_url=base_url,
            host=request.headers.get("Host"),
            peer=_peer(request),
        )
        if path == "events" and request.method == "GET" and _is_upgrade(request):
            return await _event_socket(request, req)
        return _to_response(await dispatcher.handle(req))

    async def _event_socket(request: web.Request, req: HttpIn) -> web.StreamResponse:
        user = dispatcher.authenticate(req)
        if isinstance(user, HttpOut):
            return _to_response(user)
        apps = [a for a in request.rel_url.query.get("app", "").split(",") if a]
        if not apps:
            return _to_response(dispatcher.error(400, "Missing param 'app'"))
        subscribe_all = request.rel_url.query.get("subscribeAll", "").lower() in TRUE_WORDS
        ws = web.WebSocketResponse(protocols=("ari",), autoping=True, max_msg_size=MAX_BODY)
        await ws.prepare(request)
        auth_query = [(k, v) for k, v in req.query if k == "api_key"]
        auth_headers = {k: v for k, v in req.headers.items() if k.lower() == "authorization"}

        async def close_socket() -> None:
            # ws.close() waits for the close frame to drain and for the
            # client's answer; a client that stopped reading gives neither,
            # and a plain transport close would wait for its buffer forever.
            clean = False
            try:
                await asyncio.wait_for(ws.close(), CLOSE_TIMEOUT_S)
                clean = True
            finally:
                if not clean and request.transport is not None:
                    request.transport.abort()

        session = EventSession(
            dispatcher,
            apps,
            subscribe_all=subscribe_all,
            send_text=ws.send_str,
            close=close_socket,
            auth_headers=auth_headers,
            auth_query=auth_query,
            base_url=req.base_url,
            peer=req.peer,
        )
        sessions.add(session)
        session.start()
        writer = asyncio.create_task(session.run_writer(), name=f"ws-writer-{apps[0]}")
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await session.on_text(msg.data)
                elif msg.type == WSMsgType.ERROR:
                    break
        finally:
            session.stop()
            sessions.discard(session)
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(writer, 1.0)
            if not ws.closed:
                await ws.close()
        return ws

    async def scrape(request: web.Request) -> web.StreamResponse:
        # The same credentials as ARI (basic auth or api_key).
        probe = HttpIn(
            method="GET",
            path="metrics",
            query=list(request.rel_url.query.items()),
            headers=dict(request.headers.items()),
        )
        user = dispatcher.authenticate(probe)
        if isinstance(user, HttpOut):
            return _to_response(user)
        assert metrics is not None
        return web.Response(body=metrics.render().encode(), headers={"Content-Type": CONTENT_TYPE})

    async def media_socket(request: web.Request) -> web.StreamResponse:
        # chan_websocket's INCOMING channels: the app connects to /media/<connection id>.
        connection_id = request.match_info["connection_id"]
        driver = dispatcher.core.technologies.get("WebSocket")
        status = (
            driver.media_socket_status(connection_id)
            if isinstance(driver, IncomingMediaSockets)
            else 404
        )
        if status == 404:
            return web.Response(status=404, text="WebSocket instance not found")
        if status == 409:
            return web.Response(
                status=409, text="Another websocket connection exists for this connection id"
            )
        assert isinstance(driver, IncomingMediaSockets)
        ws = web.WebSocketResponse(protocols=("media",), autoping=True, max_msg_size=65500)
        await ws.prepare(request)

        async def close(code: int) -> None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(code=code), CLOSE_TIMEOUT_S)

        peer = request.remote or ""
        link = MediaSocketLink(
            send_text=ws.send_str, send_bytes=ws.send_bytes, close=close, remote=peer
        )
        session = driver.attach_media_socket(connection_id, link)
        if session is None:
            await ws.close(code=1011)
            return ws
        try:
            async for msg in ws:
                if msg.type == WSMsgType.BINARY:
                    session.on_binary(msg.data)
                elif msg.type == WSMsgType.TEXT:
                    session.on_text(msg.data)
                elif msg.type == WSMsgType.ERROR:
                    break
        finally:
            session.on_closed()
        return ws

    async def on_shutdown(_app: web.Application) -> None:
        for session in list(sessions):
            session.stop()

    app = web.Application(client_max_size=MAX_BODY * 4)
    app.on_response_prepare.append(on_response_prepare)
    app.on_shutdown.append(on_shutdown)
    app.router.add_route("*", prefix + "/ari/{tail:.*}", handle)
    app.router.add_route("GET", prefix + "/media/{connection_id}", media_socket)
    if metrics is not None:
        app.router.add_route("GET", prefix + "/metrics", scrape)
    return app


def _is_upgrade(request: web.Request) -> bool:
    connection = request.headers.get("Connection", "").lower()
    upgrade = request.headers.get("Upgrade", "").lower()
    return "upgrade" in connection and upgrade == "websocket"


class HttpServer:
    """The listening ARI server: start on an address, stop cleanly."""

    def __init__(self, dispatcher: Dispatcher, metrics: Registry | None = None) -> None:
        self._app = build_web_app(dispatcher, metrics)
        self._runner: web.AppRunner | None = None

    async def start(self, host: str, port: int) -> None:
        """Listen on ``host:port`` (OSError when the address is taken)."""
        self._runner = web.AppRunner(self._app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port, reuse_address=True)
        try:
            await site.start()
        except OSError:
            await self._runner.cleanup()
            self._runner = None
            raise

    async def stop(self) -> None:
        """Close the listener and every connection (event sockets included)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
