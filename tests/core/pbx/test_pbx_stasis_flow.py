"""A channel through NoOp and Stasis with a scripted driver (no SIP)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from ariel.config import config_from_texts
from ariel.core.channels.channel import SOFTHANGUP_EXPLICIT, Channel
from ariel.core.channels.state import ChannelState
from ariel.core.dialplan.lookup import DialplanIndex
from ariel.core.events import CoreEvent
from ariel.core.pbx import Goto, Pbx
from ariel.core.pbx.apps_basic import BASIC_APPS
from ariel.core.pbx.stasis_app import LeaveStasis, make_stasis_app
from ariel.core.stasis import Applications

NOW = datetime(2026, 1, 1, tzinfo=UTC)
EXTENSIONS = """
[sets]
exten => 242,1,Noop()
 same => n,Stasis(zarniwoop,alpha,beta)
 same => n,Hangup()
exten => continued,1,Set(CONTINUED=yes)
 same => n,Hangup(17)
"""


class ScriptedTech:
    """Records what the core asked the driver to do."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    async def answer(self, chan: Channel) -> None:
        self.calls.append(("answer", None))
        chan.set_state(ChannelState.UP)

    async def indicate(self, chan: Channel, condition: str) -> None:
        self.calls.append(("indicate", condition))

    async def hangup(self, chan: Channel, cause: int) -> None:
        self.calls.append(("hangup", cause))

    def hangup_variables(self, chan: Channel) -> list[tuple[str, str]]:
        return []

    async def send_digit(self, chan: Channel, digit: str, duration_ms: int) -> None:
        self.calls.append(("digit", digit))

    def rtp_statistics(self, chan: Channel) -> None:
        return None


class Listener:
    def __init__(self) -> None:
        self.events: list[tuple[str, CoreEvent]] = []

    def deliver(self, app: str, event: CoreEvent) -> None:
        self.events.append((app, event))

    def types(self) -> list[str]:
        return [e.type for _, e in self.events]


def setup() -> tuple[Pbx, Applications, Listener, Listener, Channel, ScriptedTech]:
    config = config_from_texts({"extensions.conf": EXTENSIONS})
    apps = Applications(lambda _s, _i: True, now=lambda: NOW)
    owner, everything = Listener(), Listener()
    apps.register("zarniwoop", owner, subscribe_all=False)
    apps.register("all", everything, subscribe_all=True)
    index = DialplanIndex(config.dialplan)
    pbx = Pbx(lambda: index, {**BASIC_APPS, "stasis": ("Stasis", make_stasis_app(apps))})
    tech = ScriptedTech()
    chan = Channel(
        id="1.1",
        name="Test/a-00000001",
        tech=tech,
        publish=apps.publish,
        now=lambda: NOW,
        state=ChannelState.RING,
        context="sets",
        exten="242",
    )
    return pbx, apps, owner, everything, chan, tech


async def _until(predicate: object, timeout: float = 2.0) -> None:
    async def poll() -> None:
        while not predicate():  # type: ignore[operator]
            await asyncio.sleep(0.001)

    await asyncio.wait_for(poll(), timeout)


async def test_api_hangup_in_stasis_gives_the_reference_event_order() -> None:
    pbx, _apps, owner, everything, chan, tech = setup()
    chan.announce()
    run = asyncio.create_task(pbx.run(chan))
    await _until(lambda: "StasisStart" in owner.types())
    start = owner.events[0][1]
    assert getattr(start, "args", None) == ("alpha", "beta")
    chan.request_hangup(cause=17, soft=SOFTHANGUP_EXPLICIT)
    await asyncio.wait_for(run, 2)
    assert owner.types() == ["StasisStart", "ChannelHangupRequest", "StasisEnd"]
    assert everything.types() == [
        "ChannelCreated",
        "ChannelDialplan",
        "ChannelDialplan",
        "ChannelVarset",
        "ChannelHangupRequest",
        "ChannelVarset",
        "ChannelHangupRequest",
        "ChannelDestroyed",
    ]
    destroyed = everything.events[-1][1]
    assert getattr(destroyed, "cause", None) == 17
    assert tech.calls == [("hangup", 17)]


async def test_commands_run_on_the_channel_task_while_in_stasis() -> None:
    pbx, _apps, owner, _all, chan, tech = setup()
    run = asyncio.create_task(pbx.run(chan))
    await _until(lambda: "StasisStart" in owner.types())
    await chan.control.run(lambda c: c.tech.answer(c))
    assert tech.calls == [("answer", None)]
    assert chan.state == ChannelState.UP
    chan.request_hangup()
    await asyncio.wait_for(run, 2)


async def test_continue_leaves_stasis_and_runs_the_dialplan() -> None:
    pbx, _apps, owner, _all, chan, tech = setup()
    run = asyncio.create_task(pbx.run(chan))
    await _until(lambda: "StasisStart" in owner.types())

    async def leave(_c: Channel) -> LeaveStasis:
        return LeaveStasis(goto=Goto(context="sets", exten="continued", priority=1))

    await chan.control.run(leave)
    await asyncio.wait_for(run, 2)
    assert chan.variables["CONTINUED"] == "yes"
    assert chan.variables["STASISSTATUS"] == "SUCCESS"
    assert tech.calls == [("hangup", 17)]
    assert owner.types() == ["StasisStart", "StasisEnd"]


async def test_stasis_for_an_unregistered_app_fails_and_continues() -> None:
    pbx, apps, owner, _all, chan, tech = setup()
    apps.unregister("zarniwoop", owner)
    await asyncio.wait_for(pbx.run(chan), 2)
    assert chan.variables["STASISSTATUS"] == "FAILED"
    assert tech.calls == [("hangup", 16)]
