"""The timer driver: sans-IO layers ask for timers, this fires them.

Protocol state machines return ``StartTimer(name, seconds)`` and
``CancelTimer(name)`` actions; the driver keeps one ``loop.call_later`` handle
per (owner, name) and calls back with the same key when it fires.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable

__all__ = ["TimerDriver"]


class TimerDriver:
    """Named timers on the running loop."""

    def __init__(self, on_fire: Callable[[Hashable, str], None]) -> None:
        self._on_fire = on_fire
        self._handles: dict[tuple[Hashable, str], asyncio.TimerHandle] = {}

    def start(self, owner: Hashable, name: str, seconds: float) -> None:
        """(Re)start timer ``name`` of ``owner``."""
        self.cancel(owner, name)
        loop = asyncio.get_running_loop()
        self._handles[(owner, name)] = loop.call_later(seconds, self._fire, owner, name)

    def cancel(self, owner: Hashable, name: str) -> None:
        """Stop timer ``name`` of ``owner`` if it runs."""
        handle = self._handles.pop((owner, name), None)
        if handle is not None:
            handle.cancel()

    def cancel_all(self, owner: Hashable) -> None:
        """Stop every timer of ``owner``."""
        for key in [k for k in self._handles if k[0] == owner]:
            self._handles.pop(key).cancel()

    def active(self, owner: Hashable) -> list[str]:
        """Names of the running timers of ``owner``."""
        return [name for (o, name) in self._handles if o == owner]

    def _fire(self, owner: Hashable, name: str) -> None:
        self._handles.pop((owner, name), None)
        self._on_fire(owner, name)
