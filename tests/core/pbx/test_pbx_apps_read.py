"""Read: digits until ``#``, maxdigits or a timeout, with READSTATUS as app_read sets it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pbx_ivr_harness import NOW, start_call, verbose_lines, write_prompts

from ariel._util.clock import FixedClock
from ariel.core.channels.state import ChannelState
from ariel.core.dialplan import Evaluator, MemoryChannel, standard_functions
from ariel.core.dialplan.func_timeout import TIMEOUT_ITEMS

HEAD = """
[menu]
exten => s,1,Set(TIMEOUT(response)=0.3)
 same => n,Set(TIMEOUT(digit)=0.2)
"""


@pytest.fixture
def sounds(tmp_path: Path) -> Path:
    return write_prompts(tmp_path / "sounds")


async def test_digits_ended_by_hash_are_stored_with_status_ok(
    sounds: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ariel.verbose")
    call = start_call(sounds, HEAD + " same => n,Read(PIN,enter)\n")
    await call.until_heard(500)
    await call.press("42#")
    chan = await call.ended()
    assert chan.variables["PIN"] == "42"
    assert chan.variables["READSTATUS"] == "OK"
    assert "User entered '42'" in verbose_lines(caplog)
    assert call.frames.count(500) < 10  # the first digit stopped the prompt


async def test_maxdigits_ends_the_read_without_a_terminator(
    sounds: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ariel.verbose")
    call = start_call(sounds, HEAD + " same => n,Read(PIN,enter,3)\n")
    await call.until_heard(500)
    await call.press("1234")
    chan = await call.ended()
    assert chan.variables["PIN"] == "123"
    assert chan.variables["READSTATUS"] == "OK"
    assert "Accepting a maximum of 3 digits." in verbose_lines(caplog)


async def test_nothing_entered_times_out_after_each_attempt(
    sounds: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ariel.verbose")
    call = start_call(sounds, HEAD + " same => n,Read(PIN,enter,,,2)\n")
    chan = await call.ended()
    assert chan.variables["PIN"] == ""
    assert chan.variables["READSTATUS"] == "TIMEOUT"
    assert call.frames.count(500) == 20  # the prompt played once per attempt
    trace = verbose_lines(caplog)
    assert "User entered nothing, 1 chance left" in trace
    assert trace[-2] == "User entered nothing."


async def test_a_timeout_after_some_digits_keeps_them_with_status_timeout(sounds: Path) -> None:
    call = start_call(sounds, HEAD + " same => n,Read(PIN,,,,,0.2)\n")
    await call.until(lambda: call.chan.dialplan.app_name == "Read")
    await call.press("7")
    chan = await call.ended()
    assert chan.variables["PIN"] == "7"
    assert chan.variables["READSTATUS"] == "TIMEOUT"


async def test_a_lone_terminator_is_an_empty_ok_read(sounds: Path) -> None:
    call = start_call(sounds, HEAD + " same => n,Read(PIN,enter)\n")
    await call.until_heard(500)
    await call.press("#")
    chan = await call.ended()
    assert (chan.variables["PIN"], chan.variables["READSTATUS"]) == ("", "OK")


async def test_option_t_changes_the_terminators(sounds: Path) -> None:
    call = start_call(sounds, HEAD + " same => n,Read(PIN,enter,,t(*))\n")
    await call.until_heard(500)
    await call.press("1#2*")
    chan = await call.ended()
    assert (chan.variables["PIN"], chan.variables["READSTATUS"]) == ("1#2", "OK")


async def test_option_s_skips_an_unanswered_channel(sounds: Path) -> None:
    call = start_call(sounds, "[menu]\nexten => s,1,Read(PIN,enter,,s)\n", state=ChannelState.RING)
    chan = await call.ended()
    assert (chan.variables["PIN"], chan.variables["READSTATUS"]) == ("", "SKIPPED")
    assert call.tech.calls == [("hangup", 16)]


async def test_a_hangup_while_reading_gives_status_hangup(sounds: Path) -> None:
    call = start_call(sounds, HEAD + " same => n,Read(PIN,enter)\n")
    await call.until_heard(500)
    call.chan.request_hangup()
    chan = await call.ended()
    assert chan.variables["READSTATUS"] == "HANGUP"


async def test_a_missing_prompt_is_an_error(sounds: Path) -> None:
    call = start_call(sounds, HEAD + " same => n,Read(PIN,nosuch)\n")
    chan = await call.ended()
    assert chan.variables["READSTATUS"] == "ERROR"


async def test_option_i_plays_an_indication_until_the_first_digit(sounds: Path) -> None:
    call = start_call(sounds, HEAD + " same => n,Read(PIN,dial,2,i)\n")
    await call.until(lambda: call.generators == ["playtones"])
    await call.press("55")
    chan = await call.ended()
    assert (chan.variables["PIN"], chan.variables["READSTATUS"]) == ("55", "OK")
    assert chan.media.generator_kind == ""


def test_timeout_reads_and_writes_the_channel_s_pbx_timeouts() -> None:
    channel = MemoryChannel(writable_items=frozenset(TIMEOUT_ITEMS.values()))
    evaluator = Evaluator(channel=channel, functions=standard_functions(), clock=FixedClock(NOW))
    assert evaluator.substitute("${TIMEOUT(response)}/${TIMEOUT(digit)}").text == "10.000/5.000"
    evaluator.write("TIMEOUT(digit)", "2.5")
    evaluator.write("TIMEOUT(r)", "-3")
    assert evaluator.substitute("${TIMEOUT(D)}/${TIMEOUT(response)}").text == "2.500/0.000"
    assert evaluator.substitute("${TIMEOUT(absolute)}").text == "0"
    evaluator.write("TIMEOUT(absolute)", "60")
    assert evaluator.substitute("${TIMEOUT(absolute)}").text == "60.000"
    found = evaluator.substitute("${TIMEOUT(bogus)}")
    assert found.text == ""
    assert found.diagnostics == ("Unknown timeout type specified.",)
