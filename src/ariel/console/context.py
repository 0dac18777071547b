"""What console commands may reach: the Core, the configuration and the server's controls.

``ariel.server`` builds one :class:`ConsoleContext`; the commands stay free of
sockets and of the drivers, which they reach only through the callables here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ariel.config import ServerConfig
from ariel.console.reload import Reloader
from ariel.console.verbose import Verbosity
from ariel.core.system import Core

__all__ = ["AriDebugSwitch", "CallCounts", "ConsoleContext", "SessionState"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CallCounts:
    """Asterisk's call counters: calls in the dialplan now, and since start."""

    active: int = 0
    processed: int = 0


@dataclass(slots=True)
class SessionState:
    """One console connection: its own verbosity."""

    verbose: int = 0


def _no_contacts(_aor: str) -> Sequence[str]:
    return ()


class _NoAriDebug:
    """Where no ARI server is attached: nothing is ever debugged."""

    def set(self, app: str | None, on: bool) -> None:
        return None

    def is_set(self, app: str) -> bool:
        return False


class AriDebugSwitch(Protocol):
    """``ari set debug``: the ARI server's per-application debug flags."""

    def set(self, app: str | None, on: bool) -> None:
        """Debug ``app`` (every application when ``None``), or stop."""

    def is_set(self, app: str) -> bool:
        """Whether ``app`` itself is being debugged."""


@dataclass(slots=True, kw_only=True)
class ConsoleContext:
    """The server as the console commands see it.

    Attributes:
        core: The domain services.
        config: The configuration read at start (ari.conf, pjsip.conf ...).
        verbosity: The server's verbosity (the log's, and new consoles' default).
        reloader: Re-reads configuration files (``dialplan reload``).
        stop: Asks the server to stop: ``stop(graceful)``; returns at once.
        contacts: Registered contact URIs of an AOR (the PJSIP registrar).
        calls: The call counters (active, processed).
        control_socket: Where the control socket is (``core show settings``).
        ari_debug: The ARI server's debug flags (``ari set debug``).
    """

    core: Core
    config: ServerConfig
    verbosity: Verbosity
    reloader: Reloader
    stop: Callable[[bool], None]
    contacts: Callable[[str], Sequence[str]] = field(default=_no_contacts)
    calls: Callable[[], CallCounts] = field(default=CallCounts)
    control_socket: Path | None = None
    ari_debug: AriDebugSwitch = field(default_factory=_NoAriDebug)
