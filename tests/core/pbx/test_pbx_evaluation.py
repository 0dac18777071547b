"""Application data is substituted against the live channel; Set writes functions."""

from __future__ import annotations

import asyncio

from test_pbx_stasis_flow import NOW, ScriptedTech

from ariel.config import config_from_texts
from ariel.core.channels.channel import Channel
from ariel.core.channels.state import ChannelState
from ariel.core.dialplan.lookup import DialplanIndex
from ariel.core.events import CoreEvent
from ariel.core.pbx import Pbx
from ariel.core.pbx.apps_basic import BASIC_APPS
from ariel.core.snapshots import CallerId

EXTENSIONS = """
[calls]
exten => _3XX,1,Set(WHO=${EXTEN}-${CALLERID(num)})
 same => n,Set(CALLERID(name)=Bob)
 same => n,GotoIf($[${LEN(${WHO})} > 5]?long)
 same => n,Hangup(1)
 same => n(long),Hangup(17)
"""


async def test_variables_functions_and_expressions_drive_the_dialplan() -> None:
    events: list[CoreEvent] = []
    index = DialplanIndex(config_from_texts({"extensions.conf": EXTENSIONS}).dialplan)
    pbx = Pbx(lambda: index, BASIC_APPS)
    tech = ScriptedTech()
    chan = Channel(
        id="1.2",
        name="Test/b-00000002",
        tech=tech,
        publish=events.append,
        now=lambda: NOW,
        state=ChannelState.RING,
        caller=CallerId(name="", number="alice"),
        context="calls",
        exten="301",
    )
    await asyncio.wait_for(pbx.run(chan), 2)
    assert chan.variables["WHO"] == "301-alice"
    assert chan.snapshot().caller.name == "Bob"
    assert "ChannelCallerId" in [e.type for e in events]
    assert tech.calls == [("hangup", 17)]
