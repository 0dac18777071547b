"""The base of every handle: an object's id, its latest model and its events.

A handle starts recording its object's events when it is made (see
`ariel.client._hub`). ``wait_for`` answers from that record first, so an
event that arrived before the call that caused it returned is not lost;
``events()`` streams what comes after the call; ``on()`` registers a
callback.

``node`` is the ``asterisk_id`` of the server the object lives on, from the
latest event about it (``None`` until one is seen, or when given); a
clustered deployment routes a handle's requests by it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload

from ariel.client._hub import GONE, EventStream, Tap, matcher
from ariel.client._model import AriModel
from ariel.client.errors import AriTimeout
from ariel.client.models import Event

if TYPE_CHECKING:
    from ariel.client.client import AriClient

__all__ = ["Handle"]

M = TypeVar("M", bound=AriModel)
E = TypeVar("E", bound=Event)


class Handle(Generic[M]):
    """An ARI object by id. Subclasses (generated) add the object's operations.

    Attributes:
        id: The object's id (for an endpoint ``tech/resource``; for a
            recording its name).

    Args:
        client: The client it talks through.
        object_id: The object's id.
        model: A snapshot already known.
        node: The ``asterisk_id`` of the server holding it, when known.
    """

    __slots__ = ("_client", "_tap", "id")

    kind: ClassVar[str] = ""
    terminal: ClassVar[frozenset[str]] = frozenset()
    model_class: ClassVar[type[Any]] = AriModel

    def __init__(
        self,
        client: AriClient,
        object_id: str,
        model: M | None = None,
        *,
        node: str | None = None,
    ) -> None:
        if not object_id:
            raise ValueError(f"a {type(self).__name__} handle needs an id")
        self._client = client
        self.id = object_id
        self._tap: Tap = client.hub.tap(self.kind, object_id, self.terminal)
        if model is not None:
            self._tap.latest = model
        if node:
            self._tap.node = node

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.id!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Handle) and other.kind == self.kind and other.id == self.id

    def __hash__(self) -> int:
        return hash((self.kind, self.id))

    @property
    def client(self) -> AriClient:
        """The client this handle talks through."""
        return self._client

    @property
    def node(self) -> str | None:
        """The ``asterisk_id`` of the server holding the object (``None``: not known yet)."""
        return self._tap.node

    @property
    def model(self) -> M | None:
        """The latest snapshot seen: from the creating response or the latest event."""
        latest = self._tap.latest
        return latest if isinstance(latest, self.model_class) else None

    def set_model(self, model: M) -> None:
        """Record a snapshot (used by the operations that return one)."""
        self._tap.latest = model

    @property
    def history(self) -> tuple[Event, ...]:
        """The events seen since the handle was made (the latest few hundred)."""
        return tuple(event for _seq, event in self._tap.log)

    @property
    def ended(self) -> bool:
        """Whether the latest event was a terminal one (hung up, finished, destroyed).

        Also true once the client found, after a reconnect, that the object is
        gone (``end_reason`` is then ``"gone"``).
        """
        return self._tap.ended is not None

    @property
    def end_reason(self) -> str | None:
        """The type of the event that ended the object (``"StasisEnd"``...), ``"gone"``
        when it vanished while the event socket was down, ``None`` while it lives."""
        ended = self._tap.ended
        if ended is None:
            return None
        return "gone" if ended.type == GONE else ended.type

    @overload
    async def wait_for(
        self,
        event_type: type[E],
        /,
        *,
        timeout: float | None = None,
        predicate: Callable[[E], bool] | None = None,
    ) -> E: ...

    @overload
    async def wait_for(
        self,
        *event_types: str | type[Event],
        timeout: float | None = None,
        predicate: Callable[[Any], bool] | None = None,
    ) -> Event: ...

    async def wait_for(
        self,
        *event_types: str | type[Event],
        timeout: float | None = None,
        predicate: Callable[[Any], bool] | None = None,
    ) -> Event:
        """The first event of these types since the handle was made that no wait took yet.

        Args:
            event_types: Event type names or classes; none means any.
            timeout: Seconds to wait; ``None`` waits for ever.
            predicate: A further test on the event.

        Raises:
            AriTimeout: Nothing matched within ``timeout``.
            HandleEnded: The object ended (a terminal event) first.
        """
        future = self._tap.wait(matcher(event_types, predicate))
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            wanted = ", ".join(t if isinstance(t, str) else t.__name__ for t in event_types)
            raise AriTimeout(
                f"no {wanted or 'event'} for {self.kind} {self.id} within {timeout} s"
            ) from None

    async def done(self, timeout: float | None = None) -> Event:
        """Wait for the object's terminal event (e.g. ``PlaybackFinished``) and return it.

        When the object vanished while the event socket was down, this is the
        client's `ariel.client.events.ObjectGone`.
        """
        if not self.terminal:
            raise TypeError(f"a {type(self).__name__} has no terminal event")
        return await self.wait_for(*self.terminal, GONE, timeout=timeout)

    def events(self, *event_types: str | type[Event]) -> EventStream[Any]:
        """A stream of this object's events (of these types) from now until it ends."""
        return self._tap.stream(matcher(event_types))

    def on(
        self, event_type: str | type[Event], callback: Callable[[Any], object]
    ) -> Callable[[], None]:
        """Call ``callback(event)`` (a function or coroutine function) for each such event.

        Returns:
            A function that removes the callback. Callbacks also go when the
            object ends.
        """
        return self._tap.add_callback(matcher((event_type,)), callback)
