"""Routing events to app handlers, handles, streams and waiters.

Theory of operation: every event from the socket goes through
`EventHub.dispatch`, synchronously and in arrival order. The hub finds the
objects an event concerns (`event_keys`: each field that holds a Channel,
Bridge, Playback, LiveRecording, Endpoint or DeviceState, plus the channel or
bridge named by a playback's or recording's ``target_uri``) and pushes it to
every `Tap` of those objects. A tap belongs to one handle and exists from the
moment the handle is made, which is what makes stage-then-execute race free:
``channel.play()`` makes the Playback handle (and so its tap) before the
request leaves, and ``PlaybackStarted`` arriving before the 201 is kept in
the tap's log for a later ``wait_for``.

Taps are held weakly, so a forgotten handle costs nothing; a tap with open
streams or callbacks is pinned until they close or the object ends (a
terminal event: ``StasisEnd``/``ChannelDestroyed`` for a channel,
``PlaybackFinished``...). App-level handlers (``client.on("StasisStart")``)
each run in a task of their own, so one slow handler never holds up the
event stream.

Nodes: every event carries the ``asterisk_id`` of the server that sent it.
The hub remembers the latest one per object (a bounded table), so a handle
made from an event's model knows its ``node`` at once, and a tap updates it
with each event.

Resync: `tracked` lists the objects live handles follow, `refresh` stores a
snapshot fetched after a reconnect, and `deliver` hands a client-made event
(``ObjectGone``) to the taps of one object, ending them.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import weakref
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, Generic, TypeVar

from ariel.client.errors import AriConnectionError, HandleEnded
from ariel.client.models import (
    Bridge,
    Channel,
    DeviceState,
    Endpoint,
    Event,
    LiveRecording,
    Message,
    Playback,
)

__all__ = ["EventHub", "EventStream", "Matcher", "Tap", "event_keys", "matcher"]

log = logging.getLogger("ariel.client")

Key = tuple[str, str]
Matcher = Callable[[Event], bool]
Callback = Callable[[Any], object]
E = TypeVar("E", bound=Event)

LOG_SIZE = 512
"""Events a tap keeps for later ``wait_for`` calls."""

NODE_MEMORY = 4096
"""Objects whose node (``asterisk_id``) the hub remembers for handles made later."""

GONE = "ObjectGone"
"""The client-made event that ends a tap whose object vanished (`ariel.client.events`)."""


def event_keys(event: Event) -> Iterator[tuple[Key, object]]:
    """The objects ``event`` concerns, as ``((kind, id), model)`` pairs, without repeats."""
    seen: set[Key] = set()
    for attr, _wire, _kind, _required in event._wire:
        value = getattr(event, attr, None)
        key: Key | None = None
        if isinstance(value, Channel):
            key = ("channel", value.id)
        elif isinstance(value, Bridge):
            key = ("bridge", value.id)
        elif isinstance(value, Playback):
            key = ("playback", value.id)
        elif isinstance(value, LiveRecording):
            key = ("live_recording", value.name)
        elif isinstance(value, Endpoint):
            key = ("endpoint", f"{value.technology}/{value.resource}")
        elif isinstance(value, DeviceState):
            key = ("device_state", value.name)
        if key is not None and key[1] and key not in seen:
            seen.add(key)
            yield key, value
        if isinstance(value, Playback | LiveRecording):
            scheme, _, target = value.target_uri.partition(":")
            if scheme in ("channel", "bridge") and target:
                tkey = (scheme, target)
                if tkey not in seen:
                    seen.add(tkey)
                    yield tkey, None


def matcher(
    types: tuple[str | type[Event], ...], predicate: Callable[[Any], bool] | None = None
) -> Matcher:
    """A test for events: any of ``types`` (names or classes; none means all) and ``predicate``."""
    if "*" in types:
        types = ()
    names = frozenset(t for t in types if isinstance(t, str))
    classes = tuple(t for t in types if not isinstance(t, str))

    def match(event: Event) -> bool:
        if types and event.type not in names and not isinstance(event, classes):
            return False
        return predicate is None or bool(predicate(event))

    return match


class EventStream(Generic[E]):
    """An async iterator over events, from the moment it was made.

    Use it as ``async for event in stream`` or with `next`; close it (or use
    ``async with``) when done. A stream of one object ends after that
    object's terminal event; every stream ends when the client closes.
    """

    def __init__(self, match: Matcher, on_close: Callable[[EventStream[Any]], None]) -> None:
        self._match = match
        self._on_close = on_close
        self._queue: asyncio.Queue[Event | None] = asyncio.Queue()
        self.closed = False

    def feed(self, event: Event) -> None:
        """Queue ``event`` if it matches (called by the hub)."""
        if not self.closed and self._match(event):
            self._queue.put_nowait(event)

    def end(self) -> None:
        """No more events will come: the iterator stops after the queued ones."""
        if not self.closed:
            self.closed = True
            self._queue.put_nowait(None)
            self._on_close(self)

    def close(self) -> None:
        """Stop listening."""
        self.end()

    def __aiter__(self) -> EventStream[E]:
        return self

    async def __anext__(self) -> E:
        item = await self._queue.get()
        if item is None:
            self._queue.put_nowait(None)
            raise StopAsyncIteration
        return item  # type: ignore[return-value]

    async def next(self, timeout: float | None = None) -> E:
        """The next event.

        Raises:
            TimeoutError: None within ``timeout`` seconds.
            StopAsyncIteration: The stream has ended.
        """
        async with asyncio.timeout(timeout):
            return await self.__anext__()

    async def __aenter__(self) -> EventStream[E]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()


class Tap:
    """The events of one object as one handle sees them."""

    __slots__ = (
        "__weakref__",
        "_hub",
        "callbacks",
        "ended",
        "key",
        "latest",
        "log",
        "node",
        "seq",
        "streams",
        "taken",
        "terminal",
        "waiters",
    )

    def __init__(self, hub: EventHub, key: Key, terminal: frozenset[str]) -> None:
        self._hub = hub
        self.key = key
        self.terminal = terminal
        self.log: deque[tuple[int, Event]] = deque(maxlen=LOG_SIZE)
        self.seq = 0
        self.taken: set[int] = set()
        self.waiters: list[tuple[Matcher, asyncio.Future[Event]]] = []
        self.streams: set[EventStream[Any]] = set()
        self.callbacks: list[tuple[Matcher, Callback]] = []
        self.latest: object = None
        self.ended: Event | None = None
        self.node: str | None = None

    def push(self, event: Event, model: object) -> None:
        """Deliver ``event`` to this tap's log, waiters, streams and callbacks."""
        if model is not None:
            self.latest = model
        if event.asterisk_id:
            self.node = event.asterisk_id
        self.seq += 1
        seq = self.seq
        self.log.append((seq, event))
        if self.log and len(self.taken) > LOG_SIZE:
            floor = self.log[0][0]
            self.taken = {s for s in self.taken if s >= floor}
        for match, future in list(self.waiters):
            if not future.done() and match(event):
                future.set_result(event)
                self.taken.add(seq)
                self.waiters.remove((match, future))
                break
        for stream in list(self.streams):
            stream.feed(event)
        for match, callback in list(self.callbacks):
            if match(event):
                self._hub.call(callback, event)
        if event.type in self.terminal or event.type == GONE:
            self.ended = event
            self._end(event)
        else:
            self.ended = None

    def _end(self, event: Event) -> None:
        for _match, future in self.waiters:
            if not future.done():
                future.set_exception(
                    HandleEnded(f"{self.key[0]} {self.key[1]} ended ({event.type})", event)
                )
        self.waiters.clear()
        for stream in list(self.streams):
            stream.end()
        self.callbacks.clear()
        self._hub.unpin(self)

    def take(self, match: Matcher) -> Event | None:
        """The oldest logged event that ``match`` accepts and no wait has taken yet."""
        for seq, event in self.log:
            if seq not in self.taken and match(event):
                self.taken.add(seq)
                return event
        return None

    def wait(self, match: Matcher) -> asyncio.Future[Event]:
        """A future for the next matching event (already resolved if one is logged)."""
        future: asyncio.Future[Event] = asyncio.get_running_loop().create_future()
        found = self.take(match)
        if found is not None:
            future.set_result(found)
        elif self.ended is not None:
            future.set_exception(
                HandleEnded(f"{self.key[0]} {self.key[1]} ended ({self.ended.type})", self.ended)
            )
        else:
            self.waiters.append((match, future))
        return future

    def stream(self, match: Matcher) -> EventStream[Any]:
        """A stream of this object's events from now on."""
        stream: EventStream[Any] = EventStream(match, self._stream_closed)
        self.streams.add(stream)
        self._hub.pin(self)
        return stream

    def _stream_closed(self, stream: EventStream[Any]) -> None:
        self.streams.discard(stream)
        self._maybe_unpin()

    def add_callback(self, match: Matcher, callback: Callback) -> Callable[[], None]:
        """Call ``callback(event)`` for each matching event until the returned function runs."""
        entry = (match, callback)
        self.callbacks.append(entry)
        self._hub.pin(self)

        def remove() -> None:
            if entry in self.callbacks:
                self.callbacks.remove(entry)
            self._maybe_unpin()

        return remove

    def _maybe_unpin(self) -> None:
        if not self.streams and not self.callbacks:
            self._hub.unpin(self)


class EventHub:
    """Routes each event to taps, app-level handlers and client-wide streams.

    Args:
        spawn: Runs a coroutine in a task the client owns.
    """

    def __init__(self, spawn: Callable[[Awaitable[Any]], object]) -> None:
        self._spawn = spawn
        self._taps: dict[Key, weakref.WeakSet[Tap]] = {}
        self._pinned: set[Tap] = set()
        self._handlers: dict[str, list[Callback]] = {}
        self._streams: set[EventStream[Any]] = set()
        self._nodes: OrderedDict[Key, str] = OrderedDict()

    # -- registration --------------------------------------------------------
    def tap(self, kind: str, object_id: str, terminal: frozenset[str]) -> Tap:
        """A new tap for the object ``(kind, object_id)``."""
        tap = Tap(self, (kind, object_id), terminal)
        tap.node = self._nodes.get(tap.key)
        self._taps.setdefault(tap.key, weakref.WeakSet()).add(tap)
        return tap

    def pin(self, tap: Tap) -> None:
        """Keep ``tap`` alive while it has streams or callbacks."""
        self._pinned.add(tap)

    def unpin(self, tap: Tap) -> None:
        """Let ``tap`` go with its handle."""
        self._pinned.discard(tap)

    def add_handler(self, name: str, handler: Callback) -> Callable[[], None]:
        """Run ``handler(event)`` for every event of type ``name`` (``*``: all)."""
        self._handlers.setdefault(name, []).append(handler)

        def remove() -> None:
            handlers = self._handlers.get(name, [])
            if handler in handlers:
                handlers.remove(handler)

        return remove

    def stream(self, match: Matcher) -> EventStream[Any]:
        """A stream of every event the client receives that ``match`` accepts."""
        stream: EventStream[Any] = EventStream(match, self._streams.discard)
        self._streams.add(stream)
        return stream

    # -- delivery -------------------------------------------------------------
    def call(self, callback: Callback, event: Message) -> None:
        """Call ``callback(event)``; a coroutine result runs as a task. Errors are logged."""
        try:
            result = callback(event)
        except Exception:
            log.exception("event callback %r failed on %s", callback, event.type)
            return
        if inspect.isawaitable(result):
            self._spawn(result)

    def dispatch(self, event: Message) -> None:
        """Deliver one event from the socket."""
        if isinstance(event, Event):
            for key, model in event_keys(event):
                if event.asterisk_id:
                    self._remember_node(key, event.asterisk_id)
                taps = self._taps.get(key)
                if taps is None:
                    continue
                if not taps:
                    del self._taps[key]
                    continue
                for tap in list(taps):
                    tap.push(event, model)
            for stream in list(self._streams):
                stream.feed(event)
        for name in (event.type, "*"):
            for handler in list(self._handlers.get(name, ())):
                self.call(handler, event)

    def _remember_node(self, key: Key, node: str) -> None:
        self._nodes[key] = node
        self._nodes.move_to_end(key)
        if len(self._nodes) > NODE_MEMORY:
            self._nodes.popitem(last=False)

    def node_of(self, kind: str, object_id: str) -> str | None:
        """The node (``asterisk_id``) the latest event about this object came from."""
        return self._nodes.get((kind, object_id))

    # -- resync -------------------------------------------------------------------
    def tracked(self, kinds: frozenset[str]) -> list[Key]:
        """The objects of these kinds that a live handle follows and that have not ended."""
        found = []
        for key, taps in list(self._taps.items()):
            if key[0] in kinds and any(tap.ended is None for tap in list(taps)):
                found.append(key)
        return found

    def latest(self, key: Key) -> object:
        """The latest snapshot any tap of ``key`` holds (``None``: none)."""
        for tap in list(self._taps.get(key, ())):
            if tap.latest is not None:
                return tap.latest
        return None

    def refresh(self, key: Key, model: object) -> None:
        """Store a snapshot of ``key`` fetched by the client (no event is made)."""
        for tap in list(self._taps.get(key, ())):
            tap.latest = model

    def deliver(self, key: Key, event: Event) -> None:
        """Hand a client-made event to the taps of ``key``, then to streams and handlers."""
        for tap in list(self._taps.get(key, ())):
            if tap.ended is None:
                tap.push(event, None)
        for stream in list(self._streams):
            stream.feed(event)
        for name in (event.type, "*"):
            for handler in list(self._handlers.get(name, ())):
                self.call(handler, event)

    def close(self) -> None:
        """End every stream and fail every waiter: the client is closing."""
        for stream in list(self._streams):
            stream.end()
        for taps in list(self._taps.values()):
            for tap in list(taps):
                for _match, future in tap.waiters:
                    if not future.done():
                        future.set_exception(AriConnectionError("the client was closed"))
                tap.waiters.clear()
                for stream in list(tap.streams):
                    stream.end()
        self._pinned.clear()
