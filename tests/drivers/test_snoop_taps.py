"""Snoop channels: spy hears the snooped channel, whisper talks into it."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from ariel.core.channels.channel import Channel
from ariel.core.events import CoreEvent
from ariel.core.media.sources import SamplesSource
from ariel.drivers.snoop import SnoopTech, parse_snoop_resource


class QuietTech:
    async def answer(self, chan: Channel) -> None: ...
    async def indicate(self, chan: Channel, condition: str) -> None: ...
    async def hangup(self, chan: Channel, cause: int) -> None: ...
    def hangup_variables(self, chan: Channel) -> list[tuple[str, str]]:
        return []

    async def send_digit(self, chan: Channel, digit: str, duration_ms: int) -> None: ...
    def rtp_statistics(self, chan: Channel) -> None:
        return None


def _channel(ident: str, tech: object, events: list[CoreEvent]) -> Channel:
    return Channel(
        id=ident,
        name=f"Test/{ident}",
        tech=tech,  # type: ignore[arg-type]
        publish=events.append,
        now=lambda: datetime(2026, 1, 1, tzinfo=UTC),
    )


def _tone(value: int) -> np.ndarray:  # type: ignore[type-arg]
    return np.full(160, value, dtype=np.int16)


def _snoop(spy: str, whisper: str) -> tuple[Channel, Channel, list[CoreEvent]]:
    events: list[CoreEvent] = []
    target = _channel("target", QuietTech(), events)
    tech = SnoopTech(target, spy, whisper)
    snoop = _channel("snoop", tech, events)
    tech.attach(snoop)
    return target, snoop, events


def test_resource_needs_a_direction_and_known_values() -> None:
    assert parse_snoop_resource("abc,in,none") == ("abc", "in", "none")
    assert parse_snoop_resource("abc,none,none") is None
    assert parse_snoop_resource("abc,sideways,none") is None
    assert parse_snoop_resource(",in,none") is None


def test_spy_in_hears_what_the_snooped_channel_hears() -> None:
    target, snoop, _ = _snoop("in", "none")
    heard: list[int] = []
    snoop.media.add_audio_listener("rec", lambda f: heard.append(int(f[0])))
    target.media.on_audio(_tone(1000))
    target.media.next_frame(160)
    assert heard == [1000]


def test_spy_both_mixes_the_two_directions_into_one_frame_per_tick() -> None:
    target, snoop, _ = _snoop("both", "none")
    heard: list[int] = []
    snoop.media.add_audio_listener("rec", lambda f: heard.append(int(f[0])))
    target.media.play_stream(SamplesSource(_tone(300)), lambda: None)
    target.media.on_audio(_tone(1000))
    target.media.next_frame(160)
    assert heard == [1300]


def test_whisper_out_reaches_the_far_end_of_the_snooped_channel() -> None:
    target, snoop, _ = _snoop("none", "out")
    snoop.media.play_stream(SamplesSource(_tone(500)), lambda: None)
    frame = target.media.next_frame(160)
    assert frame is not None and int(frame[0]) == 500


def test_whisper_in_reaches_what_the_snooped_channel_hears() -> None:
    target, snoop, _ = _snoop("none", "in")
    heard: list[int] = []
    target.media.add_audio_listener("bridge", lambda f: heard.append(int(f[0])))
    snoop.media.play_stream(SamplesSource(_tone(200)), lambda: None)
    target.media.next_frame(160)
    target.media.on_audio(_tone(1000))
    assert heard == [1200]


def test_snooped_channel_hanging_up_hangs_the_snoop_up_and_removes_taps() -> None:
    target, snoop, _ = _snoop("in", "out")
    target.request_hangup(cause=16)
    assert snoop.hangup_requested
    assert target.media.next_frame(160) is None
