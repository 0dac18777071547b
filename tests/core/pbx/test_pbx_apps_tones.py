"""Playtones, Busy, Congestion, SendDTMF, music on hold and the Say applications."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pbx_ivr_harness import NAME, PROMPTS, start_call, verbose_lines, warnings, write_prompts

from ariel.core.channels.state import ChannelState


@pytest.fixture
def sounds(tmp_path: Path) -> Path:
    return write_prompts(tmp_path / "sounds")


def value(prompt: str) -> int:
    return PROMPTS[prompt][0]


async def test_saydigits_plays_one_prompt_per_digit_in_order(sounds: Path) -> None:
    call = start_call(sounds, "[menu]\nexten => s,1,SayDigits(407)\n")
    await call.ended()
    assert call.heard() == [value("digits/4"), value("digits/0"), value("digits/7")]
    assert len(call.frames) == 3 * 5


async def test_saynumber_and_sayalpha_use_the_core_prompts(sounds: Path) -> None:
    call = start_call(sounds, "[menu]\nexten => s,1,SayNumber(300)\n same => n,SayAlpha(ab)\n")
    await call.ended()
    assert call.heard() == [
        value("digits/3"),
        value("digits/hundred"),
        value("letters/a"),
        value("letters/b"),
    ]


async def test_saynumber_that_is_not_a_number_warns_and_goes_on(
    sounds: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    call = start_call(sounds, "[menu]\nexten => s,1,SayNumber(abc)\n same => n,Set(NEXT=1)\n")
    chan = await call.ended()
    assert chan.variables["NEXT"] == "1"
    assert warnings(caplog) == ["argument 'abc' to SayNumber could not be parsed as a number."]


async def test_say_dtmf_interrupt_lets_a_digit_start_an_extension(sounds: Path) -> None:
    call = start_call(
        sounds,
        "[menu]\nexten => s,1,Set(SAY_DTMF_INTERRUPT=yes)\n same => n,SayDigits(99999)\n"
        "exten => 2,1,Set(REACHED=2)\n",
    )
    await call.until_heard(value("digits/9"))
    await call.press("2")
    chan = await call.ended()
    assert chan.variables["REACHED"] == "2"
    assert len(call.frames) < 25


async def test_without_say_dtmf_interrupt_digits_do_not_stop_saying(sounds: Path) -> None:
    call = start_call(sounds, "[menu]\nexten => s,1,SayDigits(99)\n same => n,Set(REACHED=end)\n")
    await call.until_heard(value("digits/9"))
    await call.press("2")
    chan = await call.ended()
    assert chan.variables["REACHED"] == "end"
    assert len(call.frames) == 10


async def test_senddtmf_sends_each_digit_and_skips_illegal_ones(
    sounds: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    call = start_call(sounds, "[menu]\nexten => s,1,SendDTMF(1x#b,10,120)\n")
    await call.ended()
    assert [c for c in call.tech.calls if c[0] == "digit"] == [
        ("digit", "1"),
        ("digit", "#"),
        ("digit", "B"),
    ]
    assert warnings(caplog) == ["Illegal DTMF character 'x' in string. (0-9*#aAbBcCdD allowed)"]


async def test_senddtmf_to_an_unknown_channel_warns(
    sounds: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    call = start_call(sounds, "[menu]\nexten => s,1,SendDTMF(1,,,PJSIP/nobody-0001)\n")
    await call.ended()
    assert ("digit", "1") not in call.tech.calls
    assert warnings(caplog) == ["No such channel: PJSIP/nobody-0001"]


async def test_busy_on_an_unanswered_channel_refuses_it_with_cause_17(sounds: Path) -> None:
    call = start_call(sounds, "[menu]\nexten => s,1,Busy(0.05)\n", state=ChannelState.RING)
    chan = await call.ended()
    assert call.tech.calls == [("indicate", "busy"), ("hangup", 17)]
    assert chan.state is ChannelState.BUSY
    assert call.generators == []


async def test_congestion_on_an_answered_channel_plays_the_tone_in_band(
    sounds: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ariel.verbose")
    call = start_call(sounds, "[menu]\nexten => s,1,Congestion(0.1)\n")
    chan = await call.ended()
    assert call.generators == ["playtones"]
    assert -1 in call.frames  # tone samples
    assert chan.hangup_cause == 16
    assert verbose_lines(caplog)[-1] == f"Spawn extension (menu, s, 1) exited non-zero on '{NAME}'"


async def test_playtones_runs_until_stopplaytones(sounds: Path) -> None:
    call = start_call(
        sounds,
        "[menu]\nexten => s,1,Playtones(busy)\n same => n,Wait(0.05)\n"
        " same => n,StopPlaytones()\n same => n,Set(KIND=${EXTEN})\n same => n,Wait(0.05)\n",
    )
    await call.until(lambda: call.chan.variables.get("KIND") == "s")
    assert call.chan.media.generator_kind == ""
    await call.ended()
    assert call.generators == ["playtones"]


async def test_musiconhold_plays_for_its_duration_with_the_verbose_lines(
    sounds: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ariel.verbose")
    moh = tmp_path / "moh"
    moh.mkdir()
    (moh / "song.wav").write_bytes((sounds / "en" / "short.wav").read_bytes())
    call = start_call(
        sounds,
        "[menu]\nexten => s,1,MusicOnHold(jazz,1)\n same => n,StartMusicOnHold()\n"
        " same => n,StopMusicOnHold()\n same => n,StopMusicOnHold()\n",
        moh_dir=moh,
    )
    await call.ended()
    assert value("short") in call.frames
    trace = [line for line in verbose_lines(caplog) if "music on hold" in line]
    assert trace == [
        f"Started music on hold, class 'default', on channel '{NAME}'",
        f"Stopped music on hold on {NAME}",
        f"Started music on hold, class 'default', on channel '{NAME}'",
        f"Stopped music on hold on {NAME}",
    ]


async def test_musiconhold_without_classes_warns_and_goes_on(
    sounds: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    call = start_call(sounds, "[menu]\nexten => s,1,MusicOnHold(jazz)\n same => n,Set(NEXT=1)\n")
    chan = await call.ended()
    assert chan.variables["NEXT"] == "1"
    assert warnings(caplog) == [f"Unable to start music on hold class 'jazz' on channel {NAME}"]
