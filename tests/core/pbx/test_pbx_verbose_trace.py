"""The dialplan's verbose call trace: pbx.c's messages, word for word, at its levels."""

from __future__ import annotations

import asyncio
import logging

import pytest
from test_pbx_stasis_flow import NOW, ScriptedTech

from ariel.config import config_from_texts
from ariel.core.channels.channel import Channel
from ariel.core.channels.state import ChannelState
from ariel.core.dialplan.lookup import DialplanIndex
from ariel.core.pbx import Pbx
from ariel.core.pbx.apps_basic import BASIC_APPS
from ariel.core.pbx.runner import (
    AppContext,
    AppResult,
    Goto,
    auto_fallthrough_text,
    executing_text,
    exited_non_zero_text,
    invalid_extension_text,
)

NAME = "PJSIP/SOFTPHONE_A-00000001"
EXTENSIONS = """
[sets]
exten => 242,1,NoOp()
 same => n,Hangup()
exten => short,1,NoOp()
exten => busy,1,Set(DIALSTATUS=BUSY)
exten => unknown,1,NoSuchApp(x)
exten => quiet,1,HangUpQuietly()
 same => n,NoOp()

[menu]
exten => start,1,Goto(menu,9,1)
exten => i,1,NoOp(${INVALID_EXTEN})
"""


async def _hang_up_quietly(_ctx: AppContext, chan: Channel, _data: str) -> AppResult | Goto:
    """Like Stasis on a hangup: the channel hangs up, the application returns 0."""
    chan.request_hangup()
    return AppResult.NEXT


async def _run(exten: str, context: str = "sets") -> Channel:
    index = DialplanIndex(config_from_texts({"extensions.conf": EXTENSIONS}).dialplan)
    apps = {**BASIC_APPS, "hangupquietly": ("HangUpQuietly", _hang_up_quietly)}
    chan = Channel(
        id="1.1",
        name=NAME,
        tech=ScriptedTech(),
        publish=lambda _e: None,
        now=lambda: NOW,
        state=ChannelState.RING,
        context=context,
        exten=exten,
    )
    await asyncio.wait_for(Pbx(lambda: index, apps).run(chan), 2)
    return chan


def _trace(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [
        (r.__dict__["verbose"], r.getMessage())
        for r in caplog.records
        if r.name == "ariel.verbose.pbx"
    ]


def test_the_messages_read_as_pbx_c_writes_them() -> None:
    assert (
        executing_text("sets", "242", 1, "NoOp", NAME, "")
        == f'Executing [242@sets:1] NoOp("{NAME}", "") in new stack'
    )
    assert (
        exited_non_zero_text("sets", "242", 2, NAME)
        == f"Spawn extension (sets, 242, 2) exited non-zero on '{NAME}'"
    )
    assert (
        auto_fallthrough_text(NAME, None)
        == f"Auto fallthrough, channel '{NAME}' status is 'UNKNOWN'"
    )
    assert (
        auto_fallthrough_text(NAME, "BUSY")
        == f"Auto fallthrough, channel '{NAME}' status is 'BUSY'"
    )


async def test_an_application_that_hangs_up_prints_spawn_exited_non_zero_at_level_2(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="ariel.verbose.pbx")
    await _run("242")
    assert _trace(caplog) == [
        (3, f'    -- Executing [242@sets:1] NoOp("{NAME}", "") in new stack'),
        (3, f'    -- Executing [242@sets:2] Hangup("{NAME}", "") in new stack'),
        (2, f"  == Spawn extension (sets, 242, 2) exited non-zero on '{NAME}'"),
    ]


async def test_running_off_the_end_of_an_extension_prints_auto_fallthrough_at_level_3(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="ariel.verbose.pbx")
    chan = await _run("short")
    assert _trace(caplog)[-1] == (
        3,
        f"    -- Auto fallthrough, channel '{NAME}' status is 'UNKNOWN'",
    )
    assert chan.dialplan.priority == 2


async def test_auto_fallthrough_reports_the_dialstatus(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="ariel.verbose.pbx")
    await _run("busy")
    assert _trace(caplog)[-1] == (3, f"    -- Auto fallthrough, channel '{NAME}' status is 'BUSY'")


async def test_an_unknown_application_warns_and_exits_non_zero(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    await _run("unknown")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["No application 'NoSuchApp' for extension (sets, unknown, 1)"]
    assert _trace(caplog) == [
        (2, f"  == Spawn extension (sets, unknown, 1) exited non-zero on '{NAME}'")
    ]


async def test_an_extension_that_does_not_exist_warns_without_fallthrough(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    await _run("nowhere")
    assert _trace(caplog) == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"Channel '{NAME}' sent to invalid extension but no invalid handler: "
        "context,exten,priority=sets,nowhere,1"
    ]


async def test_a_hangup_under_an_application_that_returns_normally_ends_the_run_silently(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="ariel.verbose.pbx")
    chan = await _run("quiet")
    assert _trace(caplog) == [
        (3, f'    -- Executing [quiet@sets:1] HangUpQuietly("{NAME}", "") in new stack')
    ]
    assert chan.dialplan.priority == 1


async def test_an_invalid_extension_goes_on_at_i_with_invalid_exten(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="ariel.verbose.pbx")
    chan = await _run("start", context="menu")
    assert chan.variables.get("INVALID_EXTEN") == "9"
    assert _trace(caplog) == [
        (3, f'    -- Executing [start@menu:1] Goto("{NAME}", "menu,9,1") in new stack'),
        (3, "    -- Goto (menu,9,1)"),
        (3, f"    -- {invalid_extension_text(NAME, 'menu', '9', 1)}"),
        (3, f'    -- Executing [i@menu:1] NoOp("{NAME}", "9") in new stack'),
        (3, f"    -- {auto_fallthrough_text(NAME, None)}"),
    ]
    assert invalid_extension_text(NAME, "menu", "9", 1) == (
        f"Channel '{NAME}' sent to invalid extension: context,exten,priority=menu,9,1"
    )
