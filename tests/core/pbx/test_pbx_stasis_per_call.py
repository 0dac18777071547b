"""Stasis() and per-call applications (``Applications.per_call``): the opener is
asked only for an unregistered app it serves, the call runs under the lease's
app, the lease is released after StasisEnd, and a failed open is FAILED."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime

from test_pbx_stasis_flow import Listener, ScriptedTech

from ariel.config import config_from_texts
from ariel.core.channels.channel import Channel
from ariel.core.channels.state import ChannelState
from ariel.core.dialplan.lookup import DialplanIndex
from ariel.core.pbx import Pbx
from ariel.core.pbx.apps_basic import BASIC_APPS
from ariel.core.pbx.stasis_app import make_stasis_app
from ariel.core.stasis import Applications

NOW = datetime(2026, 1, 1, tzinfo=UTC)
EXTENSIONS = """
[sets]
exten => 242,1,Stasis(pcapp,x)
 same => n,Set(AFTER=${STASISSTATUS})
 same => n,Hangup()
"""


@dataclass
class Lease:
    app: str
    released: list[str]
    owner_saw: Listener

    def release(self) -> None:
        self.released.append(self.owner_saw.types()[-1])


@dataclass
class Opener:
    apps: Applications
    succeed: bool
    listener: Listener = field(default_factory=Listener)
    opened: list[tuple[str, str]] = field(default_factory=list)
    released: list[str] = field(default_factory=list)

    def serves(self, app: str) -> bool:
        return app == "pcapp"

    async def open(self, app: str, channel_name: str) -> Lease | None:
        self.opened.append((app, channel_name))
        if not self.succeed:
            return None
        name = f"{app}:{channel_name}"
        self.apps.register(name, self.listener, subscribe_all=False)
        return Lease(name, self.released, self.listener)


def _setup(succeed: bool) -> tuple[Pbx, Opener, Channel]:
    config = config_from_texts({"extensions.conf": EXTENSIONS})
    apps = Applications(lambda _s, _i: True, now=lambda: NOW)
    opener = Opener(apps, succeed)
    apps.per_call = opener
    index = DialplanIndex(config.dialplan)
    pbx = Pbx(lambda: index, {**BASIC_APPS, "stasis": ("Stasis", make_stasis_app(apps))})
    chan = Channel(
        id="1.1",
        name="Test/a-00000001",
        tech=ScriptedTech(),
        publish=apps.publish,
        now=lambda: NOW,
        state=ChannelState.RING,
        context="sets",
        exten="242",
    )
    return pbx, opener, chan


async def test_the_call_runs_under_the_per_call_app_and_releases_it_after_stasis_end() -> None:
    pbx, opener, chan = _setup(succeed=True)
    run = asyncio.create_task(pbx.run(chan))
    for _ in range(2000):
        if "StasisStart" in opener.listener.types():
            break
        await asyncio.sleep(0.001)
    app, start = opener.listener.events[0]
    assert (app, start.type) == ("pcapp:Test/a-00000001", "StasisStart")
    assert getattr(start, "application", None) == "pcapp:Test/a-00000001"
    assert opener.opened == [("pcapp", "Test/a-00000001")]
    chan.request_hangup(cause=16)
    await asyncio.wait_for(run, 2)
    assert opener.released == ["StasisEnd"]


async def test_a_failed_open_sets_stasisstatus_failed_and_goes_on() -> None:
    pbx, opener, chan = _setup(succeed=False)
    await asyncio.wait_for(pbx.run(chan), 2)
    assert opener.opened == [("pcapp", "Test/a-00000001")]
    assert chan.variables_view().get("AFTER") == "FAILED"
