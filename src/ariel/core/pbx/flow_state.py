"""What Gosub and RaiseException remember about a channel's dialplan run.

Theory of operation (after apps/app_stack.c and main/pbx.c): Asterisk keeps
both as channel datastores, ``GOSUB`` and ``EXCEPTION``; Ariel keeps them in
``Channel.datastores`` under the same names, so they live and die with the
channel and nothing is global.

The Gosub stack is a list of frames, the newest last. A frame holds the
return address (the priority after the Gosub) and the variables local to it
(``ARG1``..``ARGn``, ``ARGC`` and every ``LOCAL(name)``). Asterisk's channel
variables form a list where a frame *pushes* a second entry over an existing
one and, on Return, removes its entry to uncover the old one; Ariel's are a
dict, so a frame saves the value it hid (``None`` if there was none) and puts
it back on release. As in Asterisk, pushing publishes only a ``LOCAL(name)``
ChannelVarset, a second write in the same frame publishes ``name`` as well,
and uncovering publishes nothing.

The stack exists from the first Gosub on: ``Return`` tells "stack is
unallocated" (never a Gosub) from "stack is empty" (all returned).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ariel.core.channels.channel import Channel
from ariel.core.channels.events import ChannelVarset

__all__ = [
    "EXCEPTION_STORE",
    "GOSUB_STORE",
    "GosubFrame",
    "GosubStack",
    "PbxException",
    "exception_of",
    "gosub_stack",
    "record_exception",
]

#: The datastore names Asterisk uses.
GOSUB_STORE = "GOSUB"
EXCEPTION_STORE = "EXCEPTION"


@dataclass(slots=True, kw_only=True)
class GosubFrame:
    """One Gosub call: where Return goes, and the variables it hides.

    Attributes:
        context, exten, priority: The return address (the step after the Gosub).
        arguments: How many ``ARGn`` this frame set (it masks the caller's).
        saved: Each local variable's value before the frame set it (``None``: unset).
    """

    context: str
    exten: str
    priority: int
    arguments: int = 0
    saved: dict[str, str | None] = field(default_factory=dict)

    def set_local(self, chan: Channel, name: str, value: str) -> None:
        """app_stack.c ``frame_set_var``: set ``name`` local to this frame."""
        if name in self.saved:
            chan.set_variable(name, value)
        else:
            self.saved[name] = chan.variables.get(name)
            chan.variables[name] = value  # pbx_builtin_pushvar_helper: no event of its own
        chan.publish_event(ChannelVarset, variable=f"LOCAL({name})", value=value)

    def release(self, chan: Channel) -> None:
        """``gosub_release_frame``: uncover what the frame's variables hid (no events)."""
        for name, old in self.saved.items():
            if old is None:
                chan.variables.pop(name, None)
            else:
                chan.variables[name] = old
        self.saved.clear()


@dataclass(slots=True)
class GosubStack:
    """A channel's Gosub frames, the newest last."""

    frames: list[GosubFrame] = field(default_factory=list)

    @property
    def top(self) -> GosubFrame | None:
        """The newest frame, or ``None`` when every Gosub has returned."""
        return self.frames[-1] if self.frames else None

    def peek(self, depth: int) -> GosubFrame | None:
        """The frame ``depth`` levels down (1 = the newest), or ``None``."""
        if depth < 1 or depth > len(self.frames):
            return None
        return self.frames[-depth]

    def hidden_values(self, name: str) -> list[str]:
        """The values of ``name`` that frames hide, newest first (``LOCAL_PEEK``)."""
        return [
            old for frame in reversed(self.frames) if (old := frame.saved.get(name)) is not None
        ]


@dataclass(frozen=True, slots=True, kw_only=True)
class PbxException:
    """pbx.c ``struct pbx_exception``: the last exception raised on a channel."""

    reason: str
    context: str
    exten: str
    priority: int


def gosub_stack(chan: Channel, *, create: bool = False) -> GosubStack | None:
    """The channel's Gosub stack; made on demand when ``create``."""
    found = chan.datastores.get(GOSUB_STORE)
    if isinstance(found, GosubStack):
        return found
    if not create:
        return None
    stack = GosubStack()
    chan.datastores[GOSUB_STORE] = stack
    return stack


def exception_of(chan: Channel) -> PbxException | None:
    """The exception last raised on the channel, if any."""
    found = chan.datastores.get(EXCEPTION_STORE)
    return found if isinstance(found, PbxException) else None


def record_exception(chan: Channel, reason: str) -> None:
    """pbx.c ``raise_exception``: remember ``reason`` and where the channel is.

    The caller then moves the channel to ``e``, 1 in its current context.
    """
    loc = chan.dialplan
    chan.datastores[EXCEPTION_STORE] = PbxException(
        reason=reason, context=loc.context, exten=loc.exten, priority=loc.priority
    )
