"""What dialplan evaluation needs from the rest of the server.

Theory of operation: evaluation is pure; everything it reads or changes comes
through the small protocols here.  :class:`DialplanChannel` is what the core
``Channel`` implements (its builtin values, its variables, its caller id and
the ``CHANNEL()`` items); :class:`GlobalStore` is satisfied by
``ariel.core.global_vars.GlobalVariables``.  :class:`MemoryChannel` and
:class:`MemoryGlobals` are dict-backed implementations for tests and tools.

Variable names: ``set_variable`` receives the name as written, inheritance
underscores included (``_FOO``, ``__FOO``), and must store it so that
``get_variable("FOO")`` finds it (Asterisk compares names without the
leading underscores).  ``set_variable(name, None)`` unsets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ariel.core.dialplan.args import split_inheritance
from ariel.core.dialplan.callerid import CallerInfo

__all__ = [
    "DialplanChannel",
    "GlobalStore",
    "MemoryChannel",
    "MemoryGlobals",
    "VariableSource",
]


class VariableSource(Protocol):
    """Anything that answers "what is variable NAME" (``None`` when unset)."""

    def get_variable(self, name: str) -> str | None:
        """The value of ``name`` (compared without leading underscores), or ``None``."""
        ...


class DialplanChannel(VariableSource, Protocol):
    """The channel as dialplan evaluation sees it.

    The read-only attributes back the builtin variables ``${CHANNEL}``,
    ``${UNIQUEID}``, ``${CONTEXT}``, ``${EXTEN}``, ``${PRIORITY}`` and
    ``${HANGUPCAUSE}`` and ``CHANNEL(name|uniqueid|state|channeltype)``.
    """

    @property
    def name(self) -> str:
        """``PJSIP/alice-00000001``."""
        ...

    @property
    def uniqueid(self) -> str:
        """The unique id."""
        ...

    @property
    def context(self) -> str:
        """The current dialplan context."""
        ...

    @property
    def exten(self) -> str:
        """The current extension."""
        ...

    @property
    def priority(self) -> int:
        """The current priority."""
        ...

    @property
    def state(self) -> str:
        """The state as ``ast_state2str`` prints it (``Up``, ``Ring``, ``Rsrvd``...)."""
        ...

    @property
    def hangupcause(self) -> int:
        """The Q.850 hangup cause (0 while up)."""
        ...

    @property
    def caller(self) -> CallerInfo:
        """The caller identity (``CALLERID()``, ``CALLINGPRES``...)."""
        ...

    def set_variable(self, name: str, value: str | None) -> None:
        """Set (``None``: unset) a channel variable; ``name`` keeps its ``_``/``__`` marks."""
        ...

    def set_caller(self, caller: CallerInfo) -> None:
        """Replace the caller identity (a ``CALLERID()`` write)."""
        ...

    def channel_item(self, item: str) -> str | None:
        """Another ``CHANNEL(item)`` value (``language``, ``musicclass``, ``linkedid``...).

        Returns ``None`` for items the channel does not know.
        """
        ...

    def set_channel_item(self, item: str, value: str) -> bool:
        """Write ``CHANNEL(item)=value``; whether the item is writable and was written."""
        ...


class GlobalStore(Protocol):
    """Global dialplan variables (``GlobalVariables`` fits)."""

    def get(self, name: str) -> str | None:
        """The value of a global, or ``None``."""
        ...

    def set(self, name: str, value: str | None) -> None:
        """Set (``None``: unset) a global."""
        ...


@dataclass(slots=True)
class MemoryGlobals:
    """A dict of global variables (names compared without leading underscores)."""

    values: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        """The value of ``name`` or ``None``."""
        return self.values.get(split_inheritance(name)[1])

    def set(self, name: str, value: str | None) -> None:
        """Set or (``None``) unset ``name``."""
        bare = split_inheritance(name)[1]
        if value is None:
            self.values.pop(bare, None)
        else:
            self.values[bare] = value


@dataclass(slots=True, kw_only=True)
class MemoryChannel:
    """A dict-backed :class:`DialplanChannel` (tests, tools, the reference for Channel).

    ``variables`` maps bare names to values; ``inherit`` remembers the
    ``_``/``__`` level each was set with.
    """

    name: str = "PJSIP/test-00000001"
    uniqueid: str = "1700000000.1"
    context: str = "default"
    exten: str = "s"
    priority: int = 1
    state: str = "Up"
    hangupcause: int = 0
    caller: CallerInfo = field(default_factory=CallerInfo)
    variables: dict[str, str] = field(default_factory=dict)
    inherit: dict[str, int] = field(default_factory=dict)
    items: dict[str, str] = field(default_factory=dict)
    writable_items: frozenset[str] = frozenset(
        {"language", "musicclass", "accountcode", "peeraccount", "hangupsource", "userfield"}
    )

    def get_variable(self, name: str) -> str | None:
        """The channel variable ``name`` or ``None``."""
        return self.variables.get(name)

    def set_variable(self, name: str, value: str | None) -> None:
        """Set or unset ``name`` (inheritance marks remembered in ``inherit``)."""
        level, bare = split_inheritance(name)
        self.variables.pop(bare, None)
        self.inherit.pop(bare, None)
        if value is not None:
            self.variables[bare] = value
            self.inherit[bare] = level

    def set_caller(self, caller: CallerInfo) -> None:
        """Replace the caller identity."""
        self.caller = caller

    def channel_item(self, item: str) -> str | None:
        """An item from ``items`` or ``None``."""
        return self.items.get(item)

    def set_channel_item(self, item: str, value: str) -> bool:
        """Write an item listed in ``writable_items``."""
        if item not in self.writable_items:
            return False
        self.items[item] = value
        return True


if TYPE_CHECKING:  # the memory classes satisfy the protocols
    _CHANNEL: DialplanChannel = MemoryChannel()
    _GLOBALS: GlobalStore = MemoryGlobals()
