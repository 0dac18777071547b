"""The media clock's reporter hook: RTCP timers looked at every 500 ms, not every tick."""

from __future__ import annotations

import logging

import pytest

from ariel.net.media_clock import (
    REPORT_CHECK_PHASE,
    REPORT_CHECK_TICKS,
    TIMEOUT_CHECK_TICKS,
    MediaClock,
)


def test_reporters_run_once_every_25_ticks_off_the_timeout_ticks() -> None:
    clock = MediaClock()
    calls: list[int] = []
    clock.add_reporter("a", calls.append)
    for _ in range(100):
        clock.run_tick()
    ticks = [now // 20 for now in calls]
    assert ticks == [t for t in range(1, 101) if t % REPORT_CHECK_TICKS == REPORT_CHECK_PHASE]
    assert all(t % TIMEOUT_CHECK_TICKS for t in ticks)
    clock.remove_reporter("a")
    clock.remove_reporter("a")  # twice is harmless
    for _ in range(REPORT_CHECK_TICKS):
        clock.run_tick()
    assert len(calls) == 4


def test_a_failing_reporter_is_logged_and_the_others_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = MediaClock()
    calls: list[int] = []

    def broken(now_ms: int) -> None:
        raise RuntimeError("boom")

    clock.add_reporter("broken", broken)
    clock.add_reporter("fine", calls.append)
    with caplog.at_level(logging.ERROR, logger="ariel.net.media"):
        for _ in range(REPORT_CHECK_TICKS):
            clock.run_tick()
    assert len(calls) == 1
    assert "RTCP report failed" in caplog.text


def test_the_rtcp_interval_defaults_to_rtp_conf_s_5000_ms() -> None:
    assert MediaClock().rtcp_interval_ms == 5000
    assert MediaClock(rtcp_interval_ms=0).rtcp_interval_ms == 0
