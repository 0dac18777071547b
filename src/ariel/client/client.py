"""`AriClient`: the connection to one ARI server, its resources and its events.

Theory of operation: one aiohttp session carries the REST requests; one
WebSocket (``/ari/events?app=...``) carries the events of the client's
applications, and optionally REST requests too (``RESTRequest`` /
``RESTResponse`` messages, as Asterisk 20+ and Ariel accept). A reader task
decodes each message and hands it to the `EventHub`, in order.

When the socket drops, the reader reconnects with exponential backoff and
jitter (`Backoff`), which registers the applications again (the server
registers an app when its socket opens), re-applies the event subscriptions
made through `AriClient.subscribe`, and runs the ``on_connect`` callbacks.
Handles stay valid across a reconnect: they are ids, and the server keeps
channels in Stasis while an application is away. What happened meanwhile
was never sent, so after a reconnect `resync` asks for every channel,
bridge, playback and live recording a live handle follows: a fresh snapshot
becomes the handle's model, and an object that is gone (404) ends its
handles with an `ObjectGone` event, so no wait on it hangs. `close` stops the reader,
ends every event stream and waits briefly for running handlers.

Only the public ARI wire protocol is used, so the same client drives Asterisk.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import inspect
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, TypeVar, overload

import aiohttp
import orjson

from ariel.arispec import REGISTRY, Operation
from ariel.client._handle import Handle
from ariel.client._hub import EventHub, EventStream, matcher
from ariel.client._ids import new_id
from ariel.client._model import AriModel, decode, decode_message
from ariel.client._request import Request, build_request
from ariel.client.backoff import Backoff
from ariel.client.errors import (
    AriConnectionError,
    AriError,
    AriHTTPError,
    AriNotFound,
    AriTimeout,
    error_for_status,
)
from ariel.client.events import ObjectGone, ari_timestamp
from ariel.client.handles import (
    Bridge,
    Channel,
    DeviceState,
    Endpoint,
    LiveRecording,
    Mailbox,
    Playback,
    StoredRecording,
)
from ariel.client.models import Bridge as BridgeModel
from ariel.client.models import Channel as ChannelModel
from ariel.client.models import Event, Message, RESTResponse
from ariel.client.models import LiveRecording as LiveRecordingModel
from ariel.client.models import Playback as PlaybackModel
from ariel.client.resources import ApiRoot

__all__ = ["AriClient"]

log = logging.getLogger("ariel.client")

E = TypeVar("E", bound=Event)
H = TypeVar("H", bound=Callable[..., Any])

_OPERATIONS: dict[str, Operation] = {op.id: op for op in REGISTRY.operations}

#: Handle kind -> (operation that fetches it, its id parameter, model) for `AriClient.resync`.
RESYNC: dict[str, tuple[str, str, type[AriModel]]] = {
    "channel": ("channels.get", "channelId", ChannelModel),
    "bridge": ("bridges.get", "bridgeId", BridgeModel),
    "playback": ("playbacks.get", "playbackId", PlaybackModel),
    "live_recording": ("recordings.getLive", "recordingName", LiveRecordingModel),
}
RESYNC_CONCURRENCY = 8


def ari_root(url: str) -> str:
    """``http://host:port/ari`` from a server URL given with or without ``/ari``."""
    base = url.rstrip("/")
    return base if base.endswith("/ari") else base + "/ari"


class AriClient(ApiRoot):
    """An ARI client: REST operations, handles, and the events of its applications.

    Args:
        url: The server, ``http://127.0.0.1:8088`` (``/ari`` may be included).
        user: ARI user, for Basic authentication.
        password: Its password.
        api_key: ``user:password`` sent as the ``api_key`` query parameter
            instead of Basic authentication.
        apps: The Stasis application name(s) whose events this client takes;
            none means REST only (no event socket).
        subscribe_all: Ask for every event of the system (``subscribeAll``).
        timeout: Seconds a REST request may take.
        connect_timeout: Seconds a connection attempt may take.
        backoff: Reconnect schedule.
        rest_over_websocket: Send REST requests as ``RESTRequest`` messages on
            the event socket when it is up (files always go over HTTP).
        heartbeat: Seconds between WebSocket pings (``None``: no pings); a
            missing pong counts as a dropped connection.
        rand: Random source of the backoff jitter (tests inject one).
        sleep: How to wait between reconnect attempts (tests inject one).

    Use it as an async context manager, or call `connect` and `close`.
    """

    def __init__(
        self,
        url: str,
        *,
        user: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
        apps: str | Sequence[str] = (),
        subscribe_all: bool = False,
        timeout: float = 10.0,
        connect_timeout: float = 10.0,
        backoff: Backoff | None = None,
        rest_over_websocket: bool = False,
        heartbeat: float | None = 20.0,
        rand: Callable[[], float] = random.random,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._init_apis(self)
        self.url = ari_root(url)
        self.apps: tuple[str, ...] = (apps,) if isinstance(apps, str) else tuple(apps)
        if any(not a or "," in a for a in self.apps):
            raise ValueError(f"invalid application names {self.apps!r}")
        if api_key is not None and (user is not None or password is not None):
            raise ValueError("give either user/password or api_key, not both")
        self._auth_headers: dict[str, str] = {}
        if user is not None:
            pair = f"{user}:{password or ''}".encode()
            self._auth_headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        self._api_key = api_key
        self.subscribe_all = subscribe_all
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.backoff = backoff or Backoff()
        self.rest_over_websocket = rest_over_websocket
        self._heartbeat = heartbeat
        self._rand = rand
        self._sleep = sleep
        self.hub = EventHub(self.spawn)
        self.connected = asyncio.Event()
        self.reconnects = 0
        self._session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._pending: dict[str, asyncio.Future[RESTResponse]] = {}
        self._subscriptions: dict[str, list[str]] = {}
        self._on_connect: list[Callable[[], object]] = []
        self._closing = False
        self._closed = asyncio.Event()

    # -- lifecycle -----------------------------------------------------------------
    async def __aenter__(self) -> AriClient:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def connect(self) -> None:
        """Open the HTTP session and, when the client has apps, the event socket.

        Raises:
            AriUnauthorized: Wrong credentials (and other `AriHTTPError`s
                the upgrade may meet).
            AriConnectionError: The server cannot be reached.
            AriTimeout: It did not answer within ``connect_timeout``.
        """
        if self._session is None:
            self._session = aiohttp.ClientSession()
        if self.apps and self._reader is None:
            ws = await self._open_socket()
            await self._after_connect(reconnected=False)
            self._reader = asyncio.create_task(self._socket_loop(ws), name="ari-events")

    async def run(self) -> None:
        """Wait until `close` is called (the usual last line of an app)."""
        await self._closed.wait()

    async def close(self, grace: float = 2.0) -> None:
        """Stop: close the socket, end streams, let handlers finish for ``grace`` seconds."""
        if self._closing:
            await self._closed.wait()
            return
        self._closing = True
        self.connected.clear()
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        self._fail_pending(AriConnectionError("the client was closed"))
        self.hub.close()
        current = asyncio.current_task()
        tasks = [t for t in self._tasks if t is not current]
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=grace)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=1.0)
        if self._session is not None:
            await self._session.close()
        self._closed.set()

    def spawn(self, work: Awaitable[Any]) -> asyncio.Task[Any]:
        """Run ``work`` in a task the client owns; its failure is logged, not raised."""

        async def guarded() -> Any:
            try:
                return await work
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("event handler failed")
                return None

        task = asyncio.get_running_loop().create_task(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- events ----------------------------------------------------------------------
    @overload
    def on(self, event_type: type[E]) -> Callable[[Callable[[E], Any]], Callable[[E], Any]]: ...

    @overload
    def on(self, event_type: str) -> Callable[[H], H]: ...

    def on(self, event_type: str | type[Event]) -> Callable[[Any], Any]:
        """Decorator: run the function for every event of this type (``"*"``: all).

        The function gets the event; a coroutine function runs in a task of
        its own. Example::

            @client.on("StasisStart")
            async def start(event: StasisStart) -> None: ...
        """
        name = event_type if isinstance(event_type, str) else event_type.__name__

        def register(handler: Any) -> Any:
            self.hub.add_handler(name, handler)
            return handler

        return register

    def add_handler(self, event_type: str, handler: Callable[[Any], object]) -> Callable[[], None]:
        """Like `on`, without decorating; returns a function that removes the handler."""
        return self.hub.add_handler(event_type, handler)

    def on_connect(self, callback: Callable[[], object]) -> Callable[[], object]:
        """Decorator: run after every (re)connection of the event socket."""
        self._on_connect.append(callback)
        return callback

    def event_stream(self, *event_types: str | type[Event]) -> EventStream[Any]:
        """A stream of every event the client receives (of these types) from now on."""
        return self.hub.stream(matcher(event_types))

    async def subscribe(self, app: str, event_source: str | Sequence[str]) -> None:
        """Subscribe ``app`` to an event source (``channel:ID``...), again after each reconnect."""
        sources = [event_source] if isinstance(event_source, str) else list(event_source)
        await self.applications.subscribe(app, event_source=sources)
        self._subscriptions.setdefault(app, []).extend(sources)

    # -- handles -----------------------------------------------------------------------
    def channel(self, channel: str | ChannelModel, *, node: str | None = None) -> Channel:
        """The handle of a channel, by id or from a ``Channel`` model of an event.

        ``node`` (the server's ``asterisk_id``) is taken from the latest event
        about the channel when not given.
        """
        if isinstance(channel, ChannelModel):
            return Channel(self, channel.id, channel, node=node)
        return Channel(self, channel, node=node)

    def bridge(self, bridge: str | BridgeModel, *, node: str | None = None) -> Bridge:
        """The handle of a bridge, by id or model."""
        if isinstance(bridge, BridgeModel):
            return Bridge(self, bridge.id, bridge, node=node)
        return Bridge(self, bridge, node=node)

    def playback(self, playback_id: str, *, node: str | None = None) -> Playback:
        """The handle of a playback."""
        return Playback(self, playback_id, node=node)

    def live_recording(self, name: str, *, node: str | None = None) -> LiveRecording:
        """The handle of a recording in progress."""
        return LiveRecording(self, name, node=node)

    def stored_recording(self, name: str) -> StoredRecording:
        """The handle of a stored recording."""
        return StoredRecording(self, name)

    def endpoint(self, tech_resource: str, resource: str | None = None) -> Endpoint:
        """An endpoint's handle: ``endpoint("PJSIP/alice")`` or ``endpoint("PJSIP", "alice")``."""
        object_id = tech_resource if resource is None else f"{tech_resource}/{resource}"
        if "/" not in object_id:
            raise ValueError(f"an endpoint is tech/resource, not {object_id!r}")
        return Endpoint(self, object_id)

    def device_state(self, name: str) -> DeviceState:
        """The handle of a device state."""
        return DeviceState(self, name)

    def mailbox(self, name: str) -> Mailbox:
        """The handle of a mailbox."""
        return Mailbox(self, name)

    def handle(self, kind: type[Handle[Any]], object_id: str) -> Handle[Any]:
        """A handle of any kind by class."""
        return kind(self, object_id)

    async def originate(
        self,
        endpoint: str,
        *,
        app: str | None = None,
        app_args: str | Sequence[str] | None = None,
        channel_id: str | None = None,
        **kwargs: Any,
    ) -> Channel:
        """Originate a call into an application (this client's first app by default).

        The channel handle exists before the request, so its ``StasisStart``
        cannot be missed (``await channel.wait_for("StasisStart")``).
        Other keyword arguments are those of `ChannelsApi.originate`.
        """
        args = app_args if app_args is None or isinstance(app_args, str) else ",".join(app_args)
        if app is None and "extension" not in kwargs:
            app = self.apps[0] if self.apps else None
        return await self.channels.originate(
            endpoint=endpoint, app=app, app_args=args, channel_id=channel_id, **kwargs
        )

    async def create_bridge(
        self, bridge_type: str | Sequence[str] = "mixing", *, name: str | None = None
    ) -> Bridge:
        """Create a bridge (``mixing``, ``holding``, ``mixing,dtmf_events``...), id chosen here."""
        kinds = bridge_type if isinstance(bridge_type, str) else ",".join(bridge_type)
        return await self.bridges.create(type=kinds, name=name)

    # -- requests ----------------------------------------------------------------------
    async def invoke(self, operation: str, values: dict[str, object]) -> object:
        """Perform one operation: the layer under every generated method.

        Args:
            operation: Operation id (``channels.answer``).
            values: Arguments by wire name; ``None`` means not given.

        Returns:
            The decoded JSON (``None`` for no content), or ``bytes`` for files.

        Raises:
            AriHTTPError: A typed subclass per error status.
            AriConnectionError: The server could not be reached.
            AriTimeout: No answer within ``timeout``.
        """
        request = build_request(_OPERATIONS[operation], values)
        ws = self._ws
        if (
            self.rest_over_websocket
            and not request.binary
            and ws is not None
            and not ws.closed
            and self.connected.is_set()
        ):
            return await self._invoke_ws(ws, request)
        return await self._invoke_http(request)

    def _params(self, request: Request) -> list[tuple[str, str]]:
        query = list(request.query)
        if self._api_key is not None:
            query.append(("api_key", self._api_key))
        return query

    async def _invoke_http(self, request: Request) -> object:
        if self._closed.is_set():
            raise AriConnectionError(f"{request.operation}: the client is closed")
        if self._session is None:
            self._session = aiohttp.ClientSession()
        headers = dict(self._auth_headers)
        if request.body is not None:
            headers["Content-Type"] = "application/json"
        url = f"{self.url}/{request.path}"
        try:
            async with asyncio.timeout(self.timeout):
                async with self._session.request(
                    request.method,
                    url,
                    params=self._params(request),
                    data=request.body,
                    headers=headers,
                ) as response:
                    body = await response.read()
                    status = response.status
                    content_type = response.content_type
        except TimeoutError:
            raise AriTimeout(f"{request.operation}: no answer within {self.timeout} s") from None
        except aiohttp.ClientError as exc:
            raise AriConnectionError(f"{request.operation}: {exc}") from exc
        return self._result(request, status, body, content_type)

    async def _invoke_ws(self, ws: aiohttp.ClientWebSocketResponse, request: Request) -> object:
        request_id = new_id()
        message: dict[str, Any] = {
            "type": "RESTRequest",
            "transaction_id": request_id,
            "request_id": request_id,
            "method": request.method,
            "uri": request.path,
        }
        if request.query:
            message["query_strings"] = [{"name": n, "value": v} for n, v in request.query]
        if request.body is not None:
            message["content_type"] = "application/json"
            message["message_body"] = request.body.decode()
        future: asyncio.Future[RESTResponse] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        try:
            await ws.send_str(orjson.dumps(message).decode())
            response = await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            raise AriTimeout(
                f"{request.operation}: no RESTResponse within {self.timeout} s"
            ) from None
        except (aiohttp.ClientError, ConnectionError, RuntimeError) as exc:
            raise AriConnectionError(f"{request.operation}: {exc}") from exc
        finally:
            self._pending.pop(request_id, None)
        body = (response.message_body or "").encode()
        return self._result(request, response.status_code, body, response.content_type or "")

    def _result(self, request: Request, status: int, body: bytes, content_type: str) -> object:
        if status >= 400:
            message = body.decode("utf-8", "replace").strip()
            with contextlib.suppress(ValueError):
                parsed = orjson.loads(body)
                if isinstance(parsed, dict) and isinstance(parsed.get("message"), str):
                    message = parsed["message"]
            raise error_for_status(
                status,
                message,
                operation=request.operation,
                method=request.method,
                path=request.path,
            )
        if request.binary:
            return body
        if not body or status == 204:
            return None
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            return body.decode("utf-8", "replace") if content_type.startswith("text/") else body

    def _fail_pending(self, error: Exception) -> None:
        for future in self._pending.values():
            if not future.done():
                future.set_exception(error)
        self._pending.clear()

    # -- resync ------------------------------------------------------------------------------
    async def resync(self) -> list[ObjectGone]:
        """Fetch every object a live handle follows; end the handles of those gone.

        Runs after each reconnect (events sent while the socket was down are
        lost). Each channel, bridge, playback and live recording still
        followed is fetched: its snapshot becomes the handles' ``model``; a
        404 ends its handles with an `ObjectGone` (``end_reason == "gone"``),
        which app-level handlers and client-wide streams also receive.

        Returns:
            The `ObjectGone` events made.
        """
        keys = self.hub.tracked(frozenset(RESYNC))
        limit = asyncio.Semaphore(RESYNC_CONCURRENCY)

        async def check(key: tuple[str, str]) -> ObjectGone | None:
            operation, param, model_class = RESYNC[key[0]]
            async with limit:
                try:
                    raw = await self.invoke(operation, {param: key[1]})
                except AriNotFound:
                    return self._gone(key)
                except AriError as exc:
                    log.info("resync of %s %s failed: %s", key[0], key[1], exc)
                    return None
            self.hub.refresh(key, decode(model_class, raw))
            return None

        results = await asyncio.gather(*(check(key) for key in keys))
        gone = [event for event in results if event is not None]
        if gone:
            log.info("resync: %d object(s) gone while the event socket was down", len(gone))
        return gone

    def _gone(self, key: tuple[str, str]) -> ObjectGone:
        last = self.hub.latest(key)
        event = ObjectGone(
            type="ObjectGone",
            application=",".join(self.apps),
            timestamp=ari_timestamp(),
            kind=key[0],
            object_id=key[1],
            last=last if isinstance(last, AriModel) else None,
        )
        self.hub.deliver(key, event)
        return event

    # -- the event socket ------------------------------------------------------------------
    def _socket_url(self, apps: Sequence[str], subscribe_all: bool) -> tuple[str, dict[str, str]]:
        base = self.url.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
        params = {"app": ",".join(apps)}
        if subscribe_all:
            params["subscribeAll"] = "true"
        if self._api_key is not None:
            params["api_key"] = self._api_key
        return f"{base}/events", params

    async def _connect_ws(
        self, apps: Sequence[str], subscribe_all: bool
    ) -> aiohttp.ClientWebSocketResponse:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        url, params = self._socket_url(apps, subscribe_all)
        try:
            async with asyncio.timeout(self.connect_timeout):
                return await self._session.ws_connect(
                    url,
                    params=params,
                    headers=self._auth_headers,
                    heartbeat=self._heartbeat,
                    max_msg_size=0,
                )
        except aiohttp.WSServerHandshakeError as exc:
            raise error_for_status(
                exc.status,
                exc.message,
                operation="events.eventWebsocket",
                method="GET",
                path="events",
            ) from exc
        except TimeoutError:
            raise AriTimeout(f"no event socket within {self.connect_timeout} s") from None
        except (aiohttp.ClientError, OSError) as exc:
            raise AriConnectionError(f"cannot open the event socket: {exc}") from exc

    async def _open_socket(self) -> aiohttp.ClientWebSocketResponse:
        ws = await self._connect_ws(self.apps, self.subscribe_all)
        self._ws = ws
        return ws

    async def _after_connect(self, *, reconnected: bool) -> None:
        # The server registers the apps as the socket opens; make sure it is done
        # before the first request of the app can depend on it.
        for app in self.apps:
            for _ in range(50):
                try:
                    await self.applications.get(app)
                    break
                except AriNotFound:
                    await asyncio.sleep(0.01)
        if reconnected:
            for app, sources in self._subscriptions.items():
                for source in sources:
                    try:
                        await self.applications.subscribe(app, event_source=source)
                    except AriHTTPError as exc:
                        log.info("could not renew subscription %s of %s: %s", source, app, exc)
            await self.resync()
        self.connected.set()
        for callback in self._on_connect:
            try:
                result = callback()
            except Exception:
                log.exception("on_connect callback %r failed", callback)
                continue
            if inspect.isawaitable(result):
                self.spawn(result)

    async def _socket_loop(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        while not self._closing:
            await self._read(ws)
            self.connected.clear()
            self._fail_pending(AriConnectionError("the event socket closed"))
            if self._closing:
                return
            log.warning("event socket of %s closed; reconnecting", ",".join(self.apps))
            attempt = 0
            while True:
                await self._sleep(self.backoff.delay(attempt, self._rand))
                attempt += 1
                if self._closing:
                    return
                try:
                    ws = await self._open_socket()
                    await self._after_connect(reconnected=True)
                except AriError as exc:
                    log.info("reconnect attempt %d failed: %s", attempt, exc)
                    continue
                self.reconnects += 1
                log.info("event socket of %s reconnected", ",".join(self.apps))
                break

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        try:
            async for msg in ws:
                if msg.type == aiohttp.WSMsgType.TEXT:
                    self._on_text(msg.data)
                elif msg.type == aiohttp.WSMsgType.ERROR:
                    break
        except (aiohttp.ClientError, ConnectionError) as exc:
            log.info("event socket error: %s", exc)
        finally:
            if not ws.closed:
                with contextlib.suppress(Exception):
                    await ws.close()

    def _on_text(self, text: str) -> None:
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError:
            log.debug("dropped a message that is not JSON: %.200s", text)
            return
        message = decode_message(data)
        if not isinstance(message, Message):
            return
        if isinstance(message, RESTResponse):
            future = self._pending.get(message.request_id)
            if future is not None and not future.done():
                future.set_result(message)
            return
        if message.type == "ApplicationReplaced":
            log.warning("application %s was taken over by another connection", ",".join(self.apps))
        self.hub.dispatch(message)

    async def event_websocket(
        self, app: str | Sequence[str], *, subscribe_all: bool | None = None
    ) -> AsyncIterator[Message]:
        """A separate event socket for ``app``, as decoded messages (see `EventsApi`)."""
        apps = [app] if isinstance(app, str) else list(app)
        ws = await self._connect_ws(apps, bool(subscribe_all))
        try:
            async for msg in ws:
                if msg.type == aiohttp.WSMsgType.TEXT:
                    try:
                        message = decode_message(orjson.loads(msg.data))
                    except orjson.JSONDecodeError:
                        continue
                    if isinstance(message, Message):
                        yield message
                elif msg.type == aiohttp.WSMsgType.ERROR:
                    break
        finally:
            await ws.close()
