"""ARI outbound WebSockets: Ariel connects to the application server.

Theory of operation (after the reference's "ARI Outbound Websockets"): an
ari.conf ``type = outbound_websocket`` section names a websocket_client.conf
connection and the Stasis apps it serves.  Events and REST-over-WebSocket
then flow exactly as on an inbound ``/ari/events`` socket: each connection is
served by an :class:`~ariel.ari.websocket.EventSession`, with the rights of
the section's ``local_ari_user`` (its name and plain password become the
session's Basic credentials).

The apps are registered to a :class:`_Relay`, which lives as long as the
configuration: it hands events to the session of the connection in force, or
keeps them (bounded) while there is none; on every (re)connection the app
server first gets ``ApplicationRegistered`` for each app, then what was kept.

* ``persistent``: the apps are registered at start (``Stasis()`` works while
  disconnected) and a task connects, serves, and reconnects every
  ``reconnect_interval`` forever, logging once per ``reconnect_attempts``
  failures.  Stopping sends ``ApplicationUnregistered`` for each app before
  the socket closes.
* ``per_call_config``: nothing happens at start.  ``Stasis(app)`` on an
  unregistered ``app`` calls :meth:`OutboundApps.open`, which makes up to
  ``reconnect_attempts`` attempts; on success it registers the app
  ``<app>:<channel name>`` and the call proceeds, otherwise ``Stasis()`` fails
  (``STASISSTATUS=FAILED``).  A connection lost during the call is re-opened
  the same way; the channel leaving Stasis closes it once its queued events
  (``StasisEnd``) are sent.

A connection is *invalid*, and never started, when its websocket client is
unknown, it has no apps, an app is also served by another connection, or its
``local_ari_user`` is unknown or has no plain-text password (the reference
marks such a connection invalid once every section is read).

Reload (:meth:`OutboundApps.reconfigure`, res_ari's ``outbound_websocket``
observer): a new persistent connection starts; a removed one stops as above;
a changed ``apps`` or ``subscribe_all`` is re-registered on the live socket
(``ApplicationUnregistered`` for each app dropped, ``ApplicationReplaced`` for
each app kept, ``ApplicationRegistered`` for each app added; a changed
``subscribe_all`` re-registers them all); a change to how to connect or to
the local user's credentials closes the socket and connects again at once;
``connection_timeout``, ``reconnect_interval`` and ``reconnect_attempts`` are
taken up at the next reconnection; an unchanged connection is left alone, and
so is a running one whose new configuration is invalid.  Per-call
configurations take effect at the next ``Stasis()``; calls in progress keep
their connection.

Connecting is injected (:data:`Connector`): ``ariel.net.websocket_client``'s
``connect`` in the server, since only ``ariel.net`` opens sockets.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ariel.ari.dispatch import Dispatcher
from ariel.ari.websocket import EventSession
from ariel.config import OutboundWebsocket, WebSocketClient
from ariel.core.events import ApplicationReplaced, CoreEvent, RawEvent

__all__ = ["Connector", "OutboundApps", "WsConnection"]

log = logging.getLogger("ariel.ari.outbound")

#: Events kept for an app server while its connection is down.
MAX_KEPT = 1000
#: How long stopping waits for a connection's last frames.
STOP_WAIT_S = 2.0


class WsConnection(Protocol):
    """One open client WebSocket (``ariel.net.websocket_client.WebSocketConnection``)."""

    async def send_text(self, text: str) -> None: ...
    async def receive(self) -> str | bytes | None: ...
    async def close(self) -> None: ...


#: Makes one connection attempt; raises ``ConnectionError`` (or ``OSError``) on failure.
Connector = Callable[[WebSocketClient], Awaitable[WsConnection]]
#: Waits that many seconds (injected so tests need not sleep).
Sleep = Callable[[float], Awaitable[object]]


def _connecting(client: WebSocketClient) -> WebSocketClient:
    """``client`` less what a reload may change without reconnecting."""
    return dataclasses.replace(
        client, connection_timeout=0, reconnect_interval=0, reconnect_attempts=0, file="", line=0
    )


class _Relay:
    """The apps' listener while their configuration lasts, across connections."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.session: EventSession | None = None
        self._kept: deque[tuple[str, CoreEvent]] = deque(maxlen=MAX_KEPT)

    def deliver(self, app: str, event: CoreEvent) -> None:
        if self.session is not None:
            self.session.deliver(app, event)
        elif len(self._kept) == MAX_KEPT:
            log.warning("%s: not connected; dropping the oldest kept event", self.name)
            self._kept.append((app, event))
        else:
            self._kept.append((app, event))

    def attach(self, session: EventSession) -> None:
        self.session = session
        while self._kept:
            session.deliver(*self._kept.popleft())

    def detach(self) -> None:
        self.session = None


class _Link:
    """One outbound connection: connect, serve, reconnect, stop."""

    def __init__(
        self,
        owner: OutboundApps,
        conf: OutboundWebsocket,
        client: WebSocketClient,
        apps: tuple[str, ...],
        label: str,
    ) -> None:
        self._owner = owner
        self.conf = conf
        self.client = client
        self.apps = apps
        self.label = label
        self.auth = owner.credentials(conf)
        self.relay = _Relay(label)
        self.task: asyncio.Task[None] | None = None
        self._stopped = asyncio.Event()
        #: Set to cut a pause short (stop, or a new configuration to connect with).
        self._wake = asyncio.Event()
        #: Bumped whenever the way to connect changes; an attempt begun before is void.
        self._generation = 0
        #: The connection being served was closed to connect again with a new configuration.
        self._restart = False
        self._registered = False

    # -- registration ----------------------------------------------------
    def register(self) -> None:
        for app in self.apps:
            self._owner.core.apps.register(app, self.relay, subscribe_all=self.conf.subscribe_all)
        self._registered = True

    def unregister(self) -> None:
        if self._registered:
            for app in self.apps:
                self._owner.core.apps.unregister(app, self.relay)
            self._registered = False

    def _announce(self, app: str, name: str) -> None:
        session = self.relay.session
        if session is None:
            return  # the next connection starts with ApplicationRegistered for each app
        now = self._owner.core.clock.now()
        event: CoreEvent = (
            ApplicationReplaced(timestamp=now)
            if name == "ApplicationReplaced"
            else RawEvent(timestamp=now, name=name)
        )
        session.deliver(app, event)

    # -- reload ----------------------------------------------------------
    def update(
        self, conf: OutboundWebsocket, client: WebSocketClient, auth: dict[str, str]
    ) -> bool:
        """Take a reloaded configuration; whether anything changed."""
        reconnect = _connecting(client) != _connecting(self.client) or auth != self.auth
        everything = conf.subscribe_all != self.conf.subscribe_all
        if everything or conf.apps != self.apps:
            self._reregister(conf.apps, conf.subscribe_all, everything=everything)
        changed = reconnect or everything or conf != self.conf or client != self.client
        self.conf, self.client, self.auth = conf, client, auth
        if reconnect:
            self.reconnect()
        return changed

    def _reregister(self, apps: tuple[str, ...], subscribe_all: bool, *, everything: bool) -> None:
        registry = self._owner.core.apps
        kept = () if everything else tuple(a for a in apps if a in self.apps)
        for app in self.apps:
            if app not in kept:
                registry.unregister(app, self.relay)
                self._announce(app, "ApplicationUnregistered")
        self.apps = apps
        for app in apps:
            registry.register(app, self.relay, subscribe_all=subscribe_all)
            self._announce(app, "ApplicationReplaced" if app in kept else "ApplicationRegistered")
        if self.relay.session is not None:
            self.relay.session.apps = list(apps)
        log.info("%s: now serving %s", self.label, ",".join(apps))

    def reconnect(self) -> None:
        """Drop the connection (or the attempt in progress) and connect again at once."""
        self._generation += 1
        session = self.relay.session
        if session is not None:
            self._restart = True
            # Events from now on are kept for the new connection.
            self.relay.detach()
            session.stop()
        self._wake.set()

    # -- connecting ----------------------------------------------------
    async def attempt(self) -> WsConnection | None:
        """One connection attempt (``None`` if it failed)."""
        try:
            return await self._owner.connect(self.client)
        except (ConnectionError, OSError) as exc:
            log.debug("%s: %s", self.label, exc)
            return None

    async def attempts(self, limit: int | None) -> WsConnection | None:
        """Attempt until connected, stopped, or ``limit`` attempts failed."""
        failures = 0
        while not self._stopped.is_set():
            self._wake.clear()
            generation = self._generation
            conn = await self.attempt()
            if conn is not None and generation != self._generation:
                # Connected as the configuration was before a reload: again, as it is now.
                with contextlib.suppress(Exception):
                    await conn.close()
                continue
            if conn is not None:
                return conn
            failures += 1
            if limit is not None and failures >= max(limit, 1):
                log.warning(
                    "%s: cannot connect to %s after %d attempts",
                    self.label,
                    self.client.uri,
                    failures,
                )
                return None
            every = max(self.client.reconnect_attempts, 1)
            if limit is None and failures % every == 1 % every:
                log.warning(
                    "%s: cannot connect to %s (%d attempts so far); still trying",
                    self.label,
                    self.client.uri,
                    failures,
                )
            if generation == self._generation:
                await self._pause()
        return None

    async def _pause(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self.client.reconnect_interval / 1000.0)
        self._wake.clear()

    # -- serving -------------------------------------------------------
    async def run(self, first: WsConnection | None, *, limit: int | None) -> None:
        """Serve ``first`` (or connect), then reconnect until stopped or out of attempts."""
        conn = first
        try:
            while not self._stopped.is_set():
                if conn is None:
                    conn = await self.attempts(limit)
                    if conn is None:
                        break
                await self._serve(conn)
                conn = None
                if self._stopped.is_set():
                    break
                if self._restart:
                    self._restart = False
                    self._wake.clear()
                    log.info(
                        "%s: reconnecting to %s (new configuration)", self.label, self.client.uri
                    )
                    continue
                log.info("%s: connection to %s closed; reconnecting", self.label, self.client.uri)
                await self._pause()
        finally:
            self.unregister()

    async def _serve(self, conn: WsConnection) -> None:
        core = self._owner.core
        session = EventSession(
            self._owner.dispatcher,
            self.apps,
            subscribe_all=self.conf.subscribe_all,
            send_text=conn.send_text,
            close=conn.close,
            auth_headers=self.auth,
            auth_query=(),
            peer=self.label,
        )
        log.info("%s: connected to %s", self.label, self.client.uri)
        for app in self.apps:
            session.deliver(app, RawEvent(timestamp=core.clock.now(), name="ApplicationRegistered"))
        self.relay.attach(session)
        writer = asyncio.create_task(session.run_writer(), name=f"ws-out-{self.label}")
        try:
            if not self._stopped.is_set():
                while (msg := await conn.receive()) is not None:
                    if isinstance(msg, str):
                        await session.on_text(msg)
        finally:
            if self.relay.session is session:
                self.relay.detach()
            session.stop()
            try:
                await asyncio.wait_for(writer, STOP_WAIT_S)
            except (TimeoutError, asyncio.CancelledError):
                writer.cancel()
            with contextlib.suppress(Exception):
                await conn.close()

    @property
    def connected(self) -> bool:
        """Whether a connection is being served."""
        return self.relay.session is not None

    def stop(self, *, announce: bool) -> None:
        """Stop for good: unregister the apps and close once queued frames are sent."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        self._wake.set()
        session = self.relay.session
        if announce and session is not None:
            for app in self.apps:
                event = RawEvent(
                    timestamp=self._owner.core.clock.now(), name="ApplicationUnregistered"
                )
                session.deliver(app, event)
        self.unregister()
        if session is not None:
            # The writer sends what is queued (StasisEnd, ApplicationUnregistered),
            # then closes the socket, which ends the reader.
            self.relay.detach()
            session.stop()


@dataclass(frozen=True, slots=True)
class _Lease:
    """A per-call app: released when its channel leaves Stasis."""

    app: str
    link: _Link

    def release(self) -> None:
        self.link.stop(announce=False)


_Target = tuple[OutboundWebsocket, WebSocketClient]


@dataclass(slots=True)
class _Plan:
    """What the configuration asks for."""

    #: Valid persistent connections by ari.conf section name.
    persistent: dict[str, _Target] = field(default_factory=dict)
    #: Valid per-call connections by the app they serve.
    per_call: dict[str, _Target] = field(default_factory=dict)
    #: Sections that are invalid (never started).
    invalid: set[str] = field(default_factory=set)


class OutboundApps:
    """Every configured outbound WebSocket, and the per-call opener for ``Stasis()``.

    Args:
        dispatcher: Serves REST requests arriving over the sockets.
        connections: ari.conf ``outbound_websocket`` sections by name.
        clients: websocket_client.conf sections by name.
        connect: Makes one connection attempt.
    """

    def __init__(
        self,
        dispatcher: Dispatcher,
        connections: Mapping[str, OutboundWebsocket],
        clients: Mapping[str, WebSocketClient],
        connect: Connector,
    ) -> None:
        self.dispatcher = dispatcher
        self.core = dispatcher.core
        self.connect = connect
        self._connections = dict(connections)
        self._clients = dict(clients)
        #: Running persistent connections by ari.conf section name.
        self._persistent: dict[str, _Link] = {}
        self._per_call: dict[str, _Target] = {}
        self._links: set[_Link] = set()
        self._started = False
        self._apply_pending = False
        self._per_call = self._plan(quiet=True).per_call

    def credentials(self, conf: OutboundWebsocket) -> dict[str, str]:
        """The Basic ``Authorization`` of the connection's ``local_ari_user`` (none if unknown)."""
        user = self.dispatcher.conf.users.get(conf.local_ari_user)
        if user is None or user.password_format != "plain":
            return {}
        pair = f"{user.name}:{user.password}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}

    def _plan(self, *, quiet: bool = False) -> _Plan:
        """The valid connections, and the names of the invalid ones."""
        users = self.dispatcher.conf.users
        plan = _Plan()
        for conf in self._connections.values():
            client = conf.client(self._clients)
            bad = conf.invalid_fields(self._connections, self._clients, users)
            if bad or client is None:
                if not quiet:
                    log.warning(
                        "outbound_websocket [%s] is invalid (%s)", conf.name, ", ".join(bad)
                    )
                plan.invalid.add(conf.name)
                continue
            if client.per_call:
                plan.per_call.update({app: (conf, client) for app in conf.apps})
            else:
                plan.persistent[conf.name] = (conf, client)
        return plan

    def start(self) -> None:
        """Register the persistent apps and start connecting; serve per-call apps."""
        self._started = True
        self.core.apps.per_call = self
        self._apply()

    def reconfigure(
        self,
        connections: Mapping[str, OutboundWebsocket] | None = None,
        clients: Mapping[str, WebSocketClient] | None = None,
    ) -> None:
        """Put reloaded ari.conf connections and/or websocket_client.conf clients in force.

        Both files reload together (``module reload res_ari.so`` re-reads
        websocket_client.conf too), so the change is applied once, on the next
        turn of the event loop, after every part of the reload is known.
        """
        if connections is not None:
            self._connections = dict(connections)
        if clients is not None:
            self._clients = dict(clients)
        if not self._started:
            self._per_call = self._plan(quiet=True).per_call
            return
        if not self._apply_pending:
            self._apply_pending = True
            asyncio.get_running_loop().call_soon(self._apply)

    def _apply(self) -> None:
        self._apply_pending = False
        if not self._started:
            return
        plan = self._plan()
        self._per_call = plan.per_call
        for name, link in list(self._persistent.items()):
            if name in plan.invalid:
                log.warning("%s: new configuration is invalid; the connection is kept", name)
            elif name not in plan.persistent:
                log.info("%s: removed from the configuration; disconnecting", name)
                del self._persistent[name]
                link.stop(announce=True)
        for name, (conf, client) in plan.persistent.items():
            running = self._persistent.get(name)
            if running is None:
                self._start_persistent(conf, client)
            elif running.update(conf, client, self.credentials(conf)):
                log.info("%s: configuration changed", name)

    def _start_persistent(self, conf: OutboundWebsocket, client: WebSocketClient) -> None:
        link = _Link(self, conf, client, conf.apps, conf.name)
        link.register()
        self._persistent[conf.name] = link
        self._track(link, link.run(None, limit=None))

    def _track(self, link: _Link, work: Awaitable[None]) -> None:
        async def run() -> None:
            try:
                await work
            except Exception:
                log.exception("%s: outbound WebSocket failed", link.label)
            finally:
                self._links.discard(link)
                if self._persistent.get(link.label) is link:
                    del self._persistent[link.label]

        self._links.add(link)
        link.task = asyncio.create_task(run(), name=f"outbound-{link.label}")

    # -- status ------------------------------------------------------------
    def connected(self, name: str) -> bool | None:
        """Whether persistent connection ``name`` is up (``None``: not running)."""
        link = self._persistent.get(name)
        return None if link is None else link.connected

    # -- PerCallOpener ---------------------------------------------------
    def serves(self, app: str) -> bool:
        """Whether a per-call connection is configured for ``app``."""
        return app in self._per_call

    async def open(self, app: str, channel_name: str) -> _Lease | None:
        """Connect for one call and register ``<app>:<channel name>`` (``None``: failed)."""
        found = self._per_call.get(app)
        if found is None:
            return None
        conf, client = found
        name = f"{app}:{channel_name}"
        link = _Link(self, conf, client, (name,), f"{conf.name}:{channel_name}")
        limit = client.reconnect_attempts
        conn = await link.attempts(limit)
        if conn is None:
            return None
        link.register()
        self._track(link, link.run(conn, limit=limit))
        return _Lease(name, link)

    async def stop(self) -> None:
        """Unregister every app (announcing it on persistent sockets) and close the sockets."""
        self._started = False
        if self.core.apps.per_call is self:
            self.core.apps.per_call = None
        links = list(self._links)
        self._persistent.clear()
        for link in links:
            link.stop(announce=not link.client.per_call)
        tasks = [link.task for link in links if link.task is not None]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=STOP_WAIT_S)
            for task in pending:
                task.cancel()
