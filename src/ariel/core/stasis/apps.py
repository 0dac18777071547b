"""Registered Stasis applications and the routing of events to them.

Theory of operation: an application exists while an event socket has it
registered, or while it still holds subscriptions after its socket went away
(the reference keeps such an app listed until its subscriptions are dropped).
Each app has one listener at a time; registering the same name again hands
the app to the new listener and tells the old one ``ApplicationReplaced``.

An event reaches an app when the app subscribed to all, or to one of the
objects the event names (channel, bridge, endpoint — a bare technology
matches all its endpoints —, device), or when the event is addressed to it.
The app's event filter then decides: a ``disallowed`` match always drops
the event; a non-empty ``allowed`` list lets through only what matches.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ariel.core.events import ApplicationReplaced, CoreEvent
from ariel.core.stasis.per_call import PerCallOpener

__all__ = ["AppNotFound", "Applications", "EventListener", "EventSourceError", "StasisApp"]

log = logging.getLogger("ariel.stasis")

EVENT_SOURCE_SCHEMES = ("channel", "bridge", "endpoint", "deviceState")


class EventListener(Protocol):
    """Receives the events of the applications it registered."""

    def deliver(self, app: str, event: CoreEvent) -> None:
        """Queue ``event`` for ``app``; must not block."""
        ...


class AppNotFound(LookupError):
    """No application of that name is registered."""


class EventSourceError(Exception):
    """A subscription request named a bad event source.

    ``kind`` is ``"scheme"`` (unknown URI scheme), ``"missing"`` (the object
    does not exist) or ``"not_subscribed"``.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(slots=True)
class StasisApp:
    """One application: its subscriptions, filter and current listener."""

    name: str
    listener: EventListener | None = None
    subscribe_all: bool = False
    channel_ids: list[str] = field(default_factory=list)
    bridge_ids: list[str] = field(default_factory=list)
    endpoint_ids: list[str] = field(default_factory=list)
    device_names: list[str] = field(default_factory=list)
    events_allowed: list[Mapping[str, Any]] = field(default_factory=list)
    events_disallowed: list[Mapping[str, Any]] = field(default_factory=list)

    @property
    def active(self) -> bool:
        """Whether an event socket currently holds the app."""
        return self.listener is not None

    def has_subscriptions(self) -> bool:
        """Whether anything is still subscribed."""
        return bool(self.channel_ids or self.bridge_ids or self.endpoint_ids or self.device_names)

    def wants(self, event: CoreEvent) -> bool:
        """Whether routing sends ``event`` to this app (before filtering)."""
        target = event.target_app
        if target is not None:
            return target == self.name
        if self.subscribe_all:
            return True
        src = event.sources
        if any(c in self.channel_ids for c in src.channel_ids):
            return True
        if any(b in self.bridge_ids for b in src.bridge_ids):
            return True
        if any(d in self.device_names for d in src.device_names):
            return True
        for endpoint in src.endpoint_ids:
            tech = endpoint.split("/", 1)[0]
            if endpoint in self.endpoint_ids or tech in self.endpoint_ids:
                return True
        return False

    def allows(self, event_type: str) -> bool:
        """Apply the event filter to an event of type ``event_type``."""
        if any(_matches(f, event_type) for f in self.events_disallowed):
            return False
        if not self.events_allowed:
            return True
        return any(_matches(f, event_type) for f in self.events_allowed)


def _matches(entry: Mapping[str, Any], event_type: str) -> bool:
    wanted = entry.get("type")
    return wanted is None or wanted == event_type


SourceExists = Callable[[str, str], bool]


class Applications:
    """All Stasis applications known to the server.

    Args:
        source_exists: ``(scheme, id) -> bool`` telling whether the object an
            event source names exists (``endpoint`` ids may be a bare tech).
        on_change: Called with an app name whenever the app comes or goes.
    """

    def __init__(
        self,
        source_exists: SourceExists,
        *,
        now: Callable[[], Any],
        on_change: Callable[[str], None] | None = None,
    ) -> None:
        self._apps: dict[str, StasisApp] = {}
        self._source_exists = source_exists
        self._now = now
        self._on_change = on_change
        #: Opens per-call applications for ``Stasis()`` (ARI outbound WebSockets).
        self.per_call: PerCallOpener | None = None

    # -- lifecycle -----------------------------------------------------
    def register(self, name: str, listener: EventListener, *, subscribe_all: bool) -> None:
        """Give ``name`` to ``listener``; an earlier listener is told it was replaced."""
        app = self._apps.get(name)
        if app is None:
            app = self._apps[name] = StasisApp(name=name)
        elif app.listener is not None and app.listener is not listener:
            old = app.listener
            old.deliver(name, ApplicationReplaced(timestamp=self._now()))
        app.listener = listener
        app.subscribe_all = subscribe_all
        log.debug("app %s registered (subscribeAll=%s)", name, subscribe_all)
        self._changed(name)

    def unregister(self, name: str, listener: EventListener) -> None:
        """Release ``name`` if ``listener`` still holds it."""
        app = self._apps.get(name)
        if app is None or app.listener is not listener:
            return
        app.listener = None
        app.subscribe_all = False
        self._forget_if_finished(app)
        self._changed(name)

    def is_registered(self, name: str) -> bool:
        """Whether an event socket currently holds ``name``."""
        app = self._apps.get(name)
        return app is not None and app.active

    # -- queries -------------------------------------------------------
    def names(self) -> list[str]:
        """Names of all known applications, in registration order."""
        return list(self._apps)

    def get(self, name: str) -> StasisApp:
        """The application ``name`` (AppNotFound if unknown)."""
        try:
            return self._apps[name]
        except KeyError:
            raise AppNotFound(name) from None

    def all(self) -> list[StasisApp]:
        """Every known application."""
        return list(self._apps.values())

    # -- subscriptions -------------------------------------------------
    def subscribe(self, name: str, sources: Sequence[str]) -> StasisApp:
        """Subscribe ``name`` to each ``scheme:id`` event source (all or none)."""
        app = self.get(name)
        parsed = [self._parse_source(s) for s in sources]
        for scheme, ident in parsed:
            if not self._source_exists(scheme, ident):
                raise EventSourceError("missing", "Event source does not exist")
        for scheme, ident in parsed:
            bucket = self._bucket(app, scheme)
            if ident not in bucket:
                bucket.append(ident)
        return app

    def unsubscribe(self, name: str, sources: Sequence[str]) -> StasisApp:
        """Drop each ``scheme:id`` subscription of ``name`` (all or none)."""
        app = self.get(name)
        parsed = [self._parse_source(s) for s in sources]
        for scheme, ident in parsed:
            if ident not in self._bucket(app, scheme):
                raise EventSourceError("not_subscribed", "Event source was not subscribed to")
        for scheme, ident in parsed:
            self._bucket(app, scheme).remove(ident)
        self._forget_if_finished(app)
        return app

    def subscribe_object(self, name: str, scheme: str, ident: str) -> None:
        """Subscribe an app to an object the server just gave it (no checks)."""
        app = self._apps.get(name)
        if app is not None and ident not in (bucket := self._bucket(app, scheme)):
            bucket.append(ident)

    def is_subscribed(self, name: str, scheme: str, ident: str) -> bool:
        """Whether app ``name`` is subscribed to the object."""
        app = self._apps.get(name)
        return app is not None and ident in self._bucket(app, scheme)

    def unsubscribe_object(self, name: str, scheme: str, ident: str) -> None:
        """Drop one app's subscription to an object it no longer owns."""
        app = self._apps.get(name)
        if app is not None and ident in (bucket := self._bucket(app, scheme)):
            bucket.remove(ident)
            self._forget_if_finished(app)

    def forget_object(self, scheme: str, ident: str) -> None:
        """Remove a destroyed object from every app's subscriptions."""
        for app in list(self._apps.values()):
            bucket = self._bucket(app, scheme)
            if ident in bucket:
                bucket.remove(ident)
                self._forget_if_finished(app)

    def set_filter(
        self,
        name: str,
        allowed: Iterable[Mapping[str, Any]],
        disallowed: Iterable[Mapping[str, Any]],
    ) -> StasisApp:
        """Replace the event filter of ``name``."""
        app = self.get(name)
        app.events_allowed = [dict(a) for a in allowed]
        app.events_disallowed = [dict(d) for d in disallowed]
        return app

    # -- routing -------------------------------------------------------
    def publish(self, event: CoreEvent) -> None:
        """Deliver ``event`` to every interested, allowing, active app."""
        for app in list(self._apps.values()):
            listener = app.listener
            if listener is None or not app.wants(event) or not app.allows(event.type):
                continue
            listener.deliver(app.name, event)

    # -- helpers -------------------------------------------------------
    @staticmethod
    def _parse_source(source: str) -> tuple[str, str]:
        scheme, sep, ident = source.partition(":")
        if not sep or scheme not in EVENT_SOURCE_SCHEMES:
            raise EventSourceError("scheme", "Invalid event source URI scheme")
        return scheme, ident

    @staticmethod
    def _bucket(app: StasisApp, scheme: str) -> list[str]:
        return {
            "channel": app.channel_ids,
            "bridge": app.bridge_ids,
            "endpoint": app.endpoint_ids,
            "deviceState": app.device_names,
        }[scheme]

    def _forget_if_finished(self, app: StasisApp) -> None:
        if not app.active and not app.has_subscriptions() and self._apps.get(app.name) is app:
            del self._apps[app.name]

    def _changed(self, name: str) -> None:
        if self._on_change is not None:
            self._on_change(name)
