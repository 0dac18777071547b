"""Attended transfers between basic bridges: swap when one holds two, merge otherwise.

After main/bridge.c ``two_bridge_attended_transfer``: the transferer's legs
are ``first`` (in bridge 1 with the transferee) and ``second`` (in bridge 2
with the target). A bridge of two is emptied into the other by a *swap*; two
bigger bridges are *merged*, the smaller into the larger, with BridgeMerged
announced before anyone moves. The second leg is hung up either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from ariel.core.bridges.bridge import Bridge
from ariel.core.bridges.events import BridgeMerged
from ariel.core.bridges.transfer import BridgeTransfers
from ariel.core.bridges.transfer_events import BridgeAttendedTransfer
from ariel.core.channels.channel import Channel
from ariel.core.events import CoreEvent
from ariel.core.objects import ObjectRegistry

NOW = datetime(2026, 1, 1, tzinfo=UTC)


class _Tech:
    async def answer(self, chan: Channel) -> None:
        return None

    async def indicate(self, chan: Channel, condition: str) -> None:
        return None

    async def hangup(self, chan: Channel, cause: int) -> None:
        return None

    def hangup_variables(self, chan: Channel) -> list[tuple[str, str]]:
        return []

    async def send_digit(self, chan: Channel, digit: str, duration_ms: int) -> None:
        return None

    def rtp_statistics(self, chan: Channel) -> Mapping[str, int | float | str] | None:
        return None


class _World:
    def __init__(self) -> None:
        self.events: list[CoreEvent] = []
        self.channels: ObjectRegistry[Channel] = ObjectRegistry()
        self.core: Any = SimpleNamespace(
            publish=self.events.append,
            clock=SimpleNamespace(now=lambda: NOW),
            channels=self.channels,
        )

    def channel(self, name: str) -> Channel:
        made = Channel(
            id=name, name=f"PJSIP/{name}", tech=_Tech(), publish=self.events.append, now=lambda: NOW
        )
        if name.startswith("a"):
            # The transferer's legs are Dial callers: their Dial ends them.
            made.set_dialplan(app_name="Dial", app_data=f"PJSIP/{name}")
        self.channels.add(made)
        return made

    def bridge(self, ident: str, *members: Channel) -> Bridge:
        made = Bridge(
            id=ident,
            flags=frozenset({"mixing"}),
            name="",
            publish=self.events.append,
            now=lambda: NOW,
            bridge_class="basic",
            creator="",
        )
        for chan in members:
            made.add_channel(chan)
        return made

    def of_type(self, kind: type[CoreEvent]) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]


def _ids(bridge: Bridge) -> set[str]:
    return {c.id for c in bridge.members()}


async def test_two_two_party_bridges_swap_the_transferee_into_the_targets_bridge() -> None:
    world = _World()
    a1, b, a2, c = (world.channel(n) for n in ("a1", "b", "a2", "c"))
    bridge1, bridge2 = world.bridge("br1", a1, b), world.bridge("br2", a2, c)

    outcome = await BridgeTransfers(world.core).attended(a1, a2)

    assert (outcome.result, outcome.completed) == ("Success", True)
    assert _ids(bridge2) == {"b", "c"} and _ids(bridge1) == set()
    assert a2.hangup_requested and not a1.hangup_requested
    (event,) = world.of_type(BridgeAttendedTransfer)
    assert (event.destination_type, event.destination_bridge) == ("bridge", "br2")
    assert (event.transferee.id, event.transfer_target.id) == ("b", "c")
    assert world.of_type(BridgeMerged) == []


async def test_only_the_targets_bridge_of_two_swaps_the_target_into_the_first_bridge() -> None:
    world = _World()
    a1, b, x, a2, c = (world.channel(n) for n in ("a1", "b", "x", "a2", "c"))
    bridge1, bridge2 = world.bridge("br1", a1, b, x), world.bridge("br2", a2, c)

    await BridgeTransfers(world.core).attended(a1, a2)

    assert _ids(bridge1) == {"b", "x", "c"} and _ids(bridge2) == set()
    (event,) = world.of_type(BridgeAttendedTransfer)
    assert event.destination_bridge == "br1"
    assert world.of_type(BridgeMerged) == []


async def test_two_bigger_bridges_merge_the_smaller_into_the_larger() -> None:
    world = _World()
    a1, b, x, a2, c, y, z = (world.channel(n) for n in ("a1", "b", "x", "a2", "c", "y", "z"))
    bridge1, bridge2 = world.bridge("br1", a1, b, x), world.bridge("br2", a2, c, y, z)

    outcome = await BridgeTransfers(world.core).attended(a1, a2)

    assert outcome.result == "Success"
    assert _ids(bridge2) == {"b", "x", "c", "y", "z"} and _ids(bridge1) == set()
    assert a1.bridge is None and a2.bridge is None and a2.hangup_requested
    (merged,) = world.of_type(BridgeMerged)
    assert (merged.bridge.id, merged.bridge_from.id) == ("br2", "br1")
    assert set(merged.bridge_from.channels) == {"a1", "b", "x"}
    assert merged.sources.bridge_ids == ("br2", "br1")
    (event,) = world.of_type(BridgeAttendedTransfer)
    assert event.destination_bridge == "br2"
    assert world.events.index(merged) < world.events.index(event)


async def test_a_lone_transferer_in_a_basic_bridge_is_invalid() -> None:
    world = _World()
    a1, a2, c = (world.channel(n) for n in ("a1", "a2", "c"))
    world.bridge("br1", a1)
    bridge2 = world.bridge("br2", a2, c)

    outcome = await BridgeTransfers(world.core).attended(a1, a2)

    assert outcome.result == "Invalid"
    assert _ids(bridge2) == {"a2", "c"}
    (event,) = world.of_type(BridgeAttendedTransfer)
    assert event.destination_type == "fail"
