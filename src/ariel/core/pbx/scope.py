"""A channel as dialplan evaluation sees it (``DialplanChannel``).

Adapts :class:`~ariel.core.channels.channel.Channel` to the protocol of
:mod:`ariel.core.dialplan.scope`, so ``${EXTEN}``, ``CALLERID(num)``,
``CHANNEL(state)`` and ``Set(X=...)`` read and change the live channel (and
publish ``ChannelVarset`` / ``ChannelCallerId`` as they do).
"""

from __future__ import annotations

from dataclasses import replace

from ariel.core.channels.channel import Channel
from ariel.core.dialplan import CallerInfo, PartyId, split_inheritance
from ariel.core.dialplan.func_timeout import TIMEOUT_ITEMS
from ariel.core.snapshots import CallerId

__all__ = ["ChannelScope"]

_HIDDEN_ITEMS = frozenset(TIMEOUT_ITEMS.values())


class ChannelScope:
    """The :class:`DialplanChannel` view of one channel."""

    def __init__(self, chan: Channel) -> None:
        self._chan = chan

    @property
    def name(self) -> str:
        return self._chan.name

    @property
    def tech(self) -> object:
        """The channel's technology (``PJSIP_TRANSFER_HANDLING`` sets its mode)."""
        return self._chan.tech

    @property
    def live(self) -> Channel:
        """The channel itself (``LOCAL()`` and ``EXCEPTION()`` keep their state on it)."""
        return self._chan

    @property
    def uniqueid(self) -> str:
        return self._chan.id

    @property
    def context(self) -> str:
        return self._chan.dialplan.context

    @property
    def exten(self) -> str:
        return self._chan.dialplan.exten

    @property
    def priority(self) -> int:
        return self._chan.dialplan.priority

    @property
    def state(self) -> str:
        return str(self._chan.state)

    @property
    def hangupcause(self) -> int:
        return self._chan.hangup_cause

    @property
    def caller(self) -> CallerInfo:
        snap = self._chan.snapshot().caller
        party = PartyId(
            name=snap.name,
            name_valid=bool(snap.name),
            number=snap.number,
            number_valid=bool(snap.number),
        )
        return CallerInfo(id=party)

    def get_variable(self, name: str) -> str | None:
        return self._chan.variables.get(split_inheritance(name)[1])

    def set_variable(self, name: str, value: str | None) -> None:
        bare = split_inheritance(name)[1]
        if value is None:
            self._chan.variables.pop(bare, None)
            return
        self._chan.set_variable(bare, value)

    def set_caller(self, caller: CallerInfo) -> None:
        current = self._chan.snapshot().caller
        updated = replace(current, name=caller.id.name, number=caller.id.number)
        if updated != current:
            self._chan.set_caller(CallerId(name=updated.name, number=updated.number))

    def channel_item(self, item: str) -> str | None:
        snap = self._chan.snapshot()
        items = {
            "language": snap.language,
            "accountcode": snap.accountcode,
            "linkedid": snap.id,
            "channeltype": self._chan.name.split("/", 1)[0],
            "musicclass": self._chan.variables.get("__MUSICCLASS", ""),
        }
        if item in _HIDDEN_ITEMS:  # the PBX's own slots (TIMEOUT()), not variables
            return str(self._chan.datastores.get(item, ""))
        return items.get(item)

    def set_channel_item(self, item: str, value: str) -> bool:
        if item == "musicclass":
            self._chan.variables["__MUSICCLASS"] = value
            return True
        if item in _HIDDEN_ITEMS:
            self._chan.datastores[item] = value
            return True
        return False
