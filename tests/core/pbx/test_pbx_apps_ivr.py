"""Background and WaitExten: prompts broken by digits, extensions collected, ``t``/``i``/``e``."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pbx_ivr_harness import NAME, start_call, verbose_lines, warnings, write_prompts

from ariel.core.channels.state import ChannelState
from ariel.core.pbx.flow_state import exception_of

MENU = """
[menu]
exten => s,1,Set(TIMEOUT(response)=0.3)
 same => n,Set(TIMEOUT(digit)=0.2)
 same => n,Background(menu)
 same => n,WaitExten()
exten => 2,1,Set(REACHED=2)
 same => n,Background(two)
 same => n,Hangup()
exten => 31,1,Set(REACHED=31)
 same => n,Hangup()
exten => 32,1,Set(REACHED=32)
 same => n,Hangup()
exten => t,1,Set(REACHED=t)
 same => n,Hangup()
exten => i,1,Set(REACHED=i)
 same => n,Hangup()
"""


@pytest.fixture
def sounds(tmp_path: Path) -> Path:
    return write_prompts(tmp_path / "sounds")


async def test_a_digit_during_the_prompt_stops_it_and_jumps_to_its_extension(
    sounds: Path,
) -> None:
    call = start_call(sounds, MENU)
    await call.until_heard(100)
    await call.press("2")
    chan = await call.ended()
    assert chan.variables["REACHED"] == "2"
    assert chan.variables["BACKGROUNDSTATUS"] == "SUCCESS"
    # the menu stopped at the digit, then extension 2 played its prompt to the end
    assert call.heard() == [100, 200]
    assert call.frames.count(100) < 50
    assert call.frames.count(200) == 10


async def test_digits_that_start_longer_extensions_are_collected_with_the_digit_timeout(
    sounds: Path,
) -> None:
    call = start_call(sounds, MENU)
    await call.until_heard(100)
    await call.press("32")
    chan = await call.ended()
    assert chan.variables["REACHED"] == "32"


async def test_a_digit_after_the_prompt_is_taken_by_waitexten(sounds: Path) -> None:
    call = start_call(sounds, MENU)
    await call.until(lambda: call.chan.dialplan.app_name == "WaitExten")
    await call.press("2")
    chan = await call.ended()
    assert chan.variables["REACHED"] == "2"
    assert call.frames.count(100) == 50  # the whole menu played first


async def test_no_digit_goes_to_t_with_pbx_c_s_verbose_line(
    sounds: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ariel.verbose")
    call = start_call(sounds, MENU)
    chan = await call.ended()
    assert chan.variables["REACHED"] == "t"
    trace = verbose_lines(caplog)
    assert f"Timeout on {NAME}, going to 't'" in trace
    assert "Response timeout set to 0.300" in trace
    assert "Digit timeout set to 0.200" in trace
    assert trace.index('Executing [t@menu:1] Set("' + NAME + '", "REACHED=t") in new stack') > (
        trace.index(f"Timeout on {NAME}, going to 't'")
    )


async def test_a_wrong_digit_goes_to_i_with_invalid_exten(
    sounds: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ariel.verbose")
    call = start_call(sounds, MENU)
    await call.until_heard(100)
    await call.press("7")
    chan = await call.ended()
    assert chan.variables["REACHED"] == "i"
    assert chan.variables["INVALID_EXTEN"] == "7"
    assert f"Invalid extension '7' in context 'menu' on {NAME}" in verbose_lines(caplog)


async def test_an_incomplete_extension_times_out_into_i(sounds: Path) -> None:
    call = start_call(sounds, MENU)
    await call.until_heard(100)
    await call.press("3")
    chan = await call.ended()
    assert chan.variables["INVALID_EXTEN"] == "3"
    assert chan.variables["REACHED"] == "i"


async def test_waitexten_goes_on_at_the_next_priority_when_there_is_one(
    sounds: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ariel.verbose")
    call = start_call(
        sounds,
        """
[menu]
exten => s,1,WaitExten(0.1)
 same => n,Set(REACHED=next)
exten => t,1,Set(REACHED=t)
""",
    )
    chan = await call.ended()
    assert chan.variables["REACHED"] == "next"
    assert f"Timeout on {NAME}, continuing..." in verbose_lines(caplog)


async def test_waitexten_without_t_or_e_warns_and_hangs_up(
    sounds: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    call = start_call(sounds, "[menu]\nexten => s,1,WaitExten(0.1)\n")
    await call.ended()
    assert warnings(caplog) == ["Timeout but no rule 't' or 'e' in context 'menu'"]
    assert verbose_lines(caplog)[-1] == f"Spawn extension (menu, s, 1) exited non-zero on '{NAME}'"


async def test_waitexten_timeout_raises_responsetimeout_at_e(sounds: Path) -> None:
    call = start_call(
        sounds,
        "[menu]\nexten => s,1,WaitExten(0.1)\nexten => e,1,Set(REACHED=e)\n",
    )
    chan = await call.ended()
    assert chan.variables["REACHED"] == "e"
    raised = exception_of(chan)
    assert raised is not None
    assert (raised.reason, raised.exten, raised.priority) == ("RESPONSETIMEOUT", "s", 1)


async def test_waitexten_plays_music_on_hold_while_waiting(
    sounds: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ariel.verbose")
    moh = tmp_path / "moh"
    moh.mkdir()
    (moh / "song.wav").write_bytes((sounds / "en" / "short.wav").read_bytes())
    call = start_call(
        sounds,
        "[menu]\nexten => s,1,WaitExten(0.2,m(default))\n same => n,Hangup()\n",
        moh_dir=moh,
    )
    await call.ended()
    assert call.generators == ["moh"]
    assert 150 in call.frames
    trace = verbose_lines(caplog)
    assert f"Started music on hold, class 'default', on channel '{NAME}'" in trace
    assert f"Stopped music on hold on {NAME}" in trace


async def test_background_with_a_missing_file_sets_failed_and_goes_on(
    sounds: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    call = start_call(
        sounds,
        "[menu]\nexten => s,1,Background(nosuch&menu)\n same => n,Set(REACHED=next)\n",
    )
    chan = await call.ended()
    assert chan.variables["BACKGROUNDSTATUS"] == "FAILED"
    assert chan.variables["REACHED"] == "next"
    assert 100 not in call.frames  # the files after the missing one are skipped
    assert f"ast_streamfile failed on {NAME} for nosuch&menu" in warnings(caplog)


async def test_background_answers_unless_told_not_to_and_skips_with_s(sounds: Path) -> None:
    call = start_call(
        sounds,
        "[menu]\nexten => s,1,Background(short,s)\n same => n,Background(short,n)\n",
        state=ChannelState.RING,
    )
    await call.ended()
    assert call.tech.calls[0][0] == "hangup"  # neither answered
    assert call.chan.variables["BACKGROUNDSTATUS"] == "SUCCESS"
    call = start_call(sounds, "[menu]\nexten => s,1,Background(short)\n", state=ChannelState.RING)
    await call.ended()
    assert call.tech.calls[0] == ("answer", None)
    assert call.heard() == [150]


async def test_option_m_only_breaks_on_a_one_digit_extension(sounds: Path) -> None:
    call = start_call(
        sounds,
        "[menu]\nexten => s,1,Background(menu,m)\n same => n,Set(REACHED=end)\n"
        "exten => 2,1,Set(REACHED=2)\n",
    )
    await call.until_heard(100)
    await call.press("9")  # no extension 9: ignored, the menu goes on
    await call.until(lambda: call.frames.count(100) > 20)
    await call.press("2")
    chan = await call.ended()
    assert chan.variables["REACHED"] == "2"
    assert 20 < call.frames.count(100) < 50


async def test_a_hangup_during_background_ends_the_run(sounds: Path) -> None:
    call = start_call(sounds, MENU)
    await call.until_heard(100)
    call.chan.request_hangup()
    chan = await call.ended()
    assert "REACHED" not in chan.variables
    assert chan.dialplan.exten == "s"
