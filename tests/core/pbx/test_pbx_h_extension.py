"""The ``h`` extension: when a dialplan run ends, pbx.c runs ``h`` of the channel's
context on the hung-up channel, before the channel goes (``ast_pbx_h_exten_run``)."""

from __future__ import annotations

import asyncio
import logging

import pytest
from test_pbx_stasis_flow import NOW, ScriptedTech

from ariel.config import config_from_texts
from ariel.core.channels.channel import Channel
from ariel.core.channels.events import ChannelDestroyed, ChannelVarset
from ariel.core.channels.state import ChannelState
from ariel.core.dialplan.lookup import DialplanIndex
from ariel.core.events import CoreEvent
from ariel.core.pbx import AppContext, AppResult, Goto, Pbx
from ariel.core.pbx.apps_basic import BASIC_APPS
from ariel.core.pbx.apps_flow import FLOW_APPS

NAME = "PJSIP/SOFTPHONE_A-00000001"
EXTENSIONS = """
[hangup]
exten => s,1,Set(BEFORE=1)
 same => n,Hangup()
exten => h,1,Set(IN_H=${EXTEN}:${HANGUPCAUSE})
 same => n,Wait(5)
 same => n,Set(NOT_REACHED=1)

[farend]
exten => s,1,FarEndHangsUp()
 same => n,Set(NOT_REACHED=1)
exten => h,1,Set(IN_H=yes)

[fallthrough]
exten => s,1,Goto(other,s,1)
[other]
exten => s,1,NoOp()
exten => h,1,Set(H_CONTEXT=${CONTEXT})
 same => n,Goto(h,last)
 same => n,Set(SKIPPED=1)
 same => n(last),Set(H_DONE=1)

[noh]
exten => s,1,NoOp()
"""


async def _far_end_hangs_up(_ctx: AppContext, chan: Channel, _data: str) -> AppResult | Goto:
    chan.request_hangup(cause=16)
    return AppResult.NEXT


async def _run(context: str) -> tuple[Channel, list[CoreEvent]]:
    index = DialplanIndex(config_from_texts({"extensions.conf": EXTENSIONS}).dialplan)
    events: list[CoreEvent] = []
    apps = {**BASIC_APPS, **FLOW_APPS, "farendhangsup": ("FarEndHangsUp", _far_end_hangs_up)}
    chan = Channel(
        id="1.1",
        name=NAME,
        tech=ScriptedTech(),
        publish=events.append,
        now=lambda: NOW,
        state=ChannelState.UP,
        context=context,
        exten="s",
    )
    await asyncio.wait_for(Pbx(lambda: index, apps).run(chan), 2)
    return chan, events


def _trace(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [
        (r.__dict__["verbose"], r.getMessage())
        for r in caplog.records
        if r.name == "ariel.verbose.pbx"
    ]


async def test_h_runs_after_hangup_on_the_hung_up_channel_with_pbx_c_trace(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="ariel.verbose.pbx")
    chan, _ = await _run("hangup")  # Wait(5) in h returns at once: within the 2 s limit
    assert chan.variables["IN_H"] == "h:16"
    assert "NOT_REACHED" not in chan.variables
    assert _trace(caplog) == [
        (3, f'    -- Executing [s@hangup:1] Set("{NAME}", "BEFORE=1") in new stack'),
        (3, f'    -- Executing [s@hangup:2] Hangup("{NAME}", "") in new stack'),
        (2, f"  == Spawn extension (hangup, s, 2) exited non-zero on '{NAME}'"),
        (3, f'    -- Executing [h@hangup:1] Set("{NAME}", "IN_H=h:16") in new stack'),
        (3, f'    -- Executing [h@hangup:2] Wait("{NAME}", "5") in new stack'),
        (2, f"  == Spawn extension (hangup, h, 2) exited non-zero on '{NAME}'"),
    ]


async def test_h_runs_when_the_far_end_hangs_up_before_the_channel_is_destroyed() -> None:
    chan, events = await _run("farend")
    assert chan.variables["IN_H"] == "yes"
    assert "NOT_REACHED" not in chan.variables
    kinds = [
        e.variable if isinstance(e, ChannelVarset) else type(e).__name__
        for e in events
        if isinstance(e, ChannelVarset | ChannelDestroyed)
    ]
    assert kinds[-2:] == ["IN_H", "ChannelDestroyed"]


async def test_h_runs_in_the_context_the_run_ended_in_and_follows_gotos_without_fallthrough(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="ariel.verbose.pbx")
    chan, _ = await _run("fallthrough")
    assert chan.variables["H_CONTEXT"] == "other"
    assert chan.variables["H_DONE"] == "1"
    assert "SKIPPED" not in chan.variables
    auto = [text for _, text in _trace(caplog) if "Auto fallthrough" in text]
    assert len(auto) == 1  # the run's own, none for h
    assert _trace(caplog)[-1][1].endswith('Set("' + NAME + '", "H_DONE=1") in new stack')


async def test_without_h_the_run_just_ends(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="ariel.verbose.pbx")
    chan, _ = await _run("noh")
    assert chan.destroyed
    assert not any("[h@" in text for _, text in _trace(caplog))
