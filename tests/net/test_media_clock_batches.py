"""MediaClock.run_tick: pull every stream, encode per codec in one batch, send."""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from ariel.media.codecs import Codec, codec_by_name
from ariel.net.media_clock import MediaClock

Frame = npt.NDArray[np.int16]


class CountingCodec:
    """A real codec whose encoder counts its calls and the batch shapes it got."""

    def __init__(self, name: str) -> None:
        base = codec_by_name(name)
        self.batches: list[tuple[int, ...]] = []

        def encoder(samples: Frame) -> bytes:
            self.batches.append(samples.shape)
            return base.encoder(samples)

        self.base = base
        self.codec: Codec = dataclasses.replace(base, encoder=encoder)


class FakeStream:
    """A PacedStream: hands out scripted frames and records what it was asked to send."""

    def __init__(
        self,
        codec: Codec,
        frame: Frame | None = None,
        *,
        dtmf: bool = False,
        fails: bool = False,
    ) -> None:
        self.codec = codec
        self.frame = frame
        self.dtmf = dtmf
        self.fails = fails
        self.pulls = 0
        self.dtmf_calls: list[int] = []
        self.sent: list[tuple[bytes, int]] = []

    def service_dtmf(self, now_ms: int) -> bool:
        self.dtmf_calls.append(now_ms)
        return self.dtmf

    def pull(self, n: int) -> Frame | None:
        self.pulls += 1
        if self.fails:
            raise RuntimeError("source broke")
        assert n == 160
        return self.frame

    def send_payload(self, payload: bytes, tick: int) -> None:
        self.sent.append((payload, tick))


def const(value: int) -> Frame:
    return np.full(160, value, dtype=np.int16)


def test_frames_of_one_codec_are_encoded_in_one_batch() -> None:
    ulaw = CountingCodec("ulaw")
    clock = MediaClock()
    streams = [FakeStream(ulaw.codec, const(v)) for v in (100, -2000, 30000)]
    for stream in streams:
        clock.add(stream)
    clock.run_tick()
    assert ulaw.batches == [(3, 160)]
    for stream in streams:
        assert stream.frame is not None
        assert stream.sent == [(ulaw.base.encode(stream.frame), 1)]
    assert clock.last_batch == 3


def test_each_codec_gets_its_own_batch() -> None:
    ulaw, alaw = CountingCodec("ulaw"), CountingCodec("alaw")
    clock = MediaClock()
    a = FakeStream(ulaw.codec, const(1000))
    b = FakeStream(alaw.codec, const(1000))
    c = FakeStream(ulaw.codec, const(-1000))
    for stream in (a, b, c):
        clock.add(stream)
    clock.run_tick()
    assert ulaw.batches == [(2, 160)]
    assert alaw.batches == [(1, 160)]
    assert a.sent[0][0] == ulaw.base.encode(const(1000))
    assert b.sent[0][0] == alaw.base.encode(const(1000))
    assert c.sent[0][0] == ulaw.base.encode(const(-1000))
    assert a.sent[0][0] != b.sent[0][0]


def test_two_byte_codec_payloads_are_split_per_stream() -> None:
    slin = CountingCodec("slin")
    clock = MediaClock()
    a = FakeStream(slin.codec, const(1))
    b = FakeStream(slin.codec, const(2))
    clock.add(a)
    clock.add(b)
    clock.run_tick()
    assert a.sent[0][0] == const(1).astype(">i2").tobytes()
    assert b.sent[0][0] == const(2).astype(">i2").tobytes()
    assert len(a.sent[0][0]) == 320


def test_stream_sending_a_digit_is_not_pulled_for_audio() -> None:
    ulaw = CountingCodec("ulaw")
    clock = MediaClock()
    busy = FakeStream(ulaw.codec, const(1), dtmf=True)
    other = FakeStream(ulaw.codec, const(2))
    clock.add(busy)
    clock.add(other)
    clock.run_tick()
    assert busy.pulls == 0
    assert busy.sent == []
    assert busy.dtmf_calls == [20]
    assert len(other.sent) == 1
    assert clock.last_batch == 1


def test_stream_whose_pull_raises_is_detached_and_the_others_still_send() -> None:
    ulaw = CountingCodec("ulaw")
    clock = MediaClock()
    before = FakeStream(ulaw.codec, const(1))
    broken = FakeStream(ulaw.codec, const(2), fails=True)
    after = FakeStream(ulaw.codec, const(3))
    for stream in (before, broken, after):
        clock.add(stream)
    clock.run_tick()
    assert len(clock) == 2
    assert broken.sent == []
    assert [len(s.sent) for s in (before, after)] == [1, 1]
    clock.run_tick()
    assert broken.pulls == 1
    assert [len(s.sent) for s in (before, after)] == [2, 2]


def test_stream_whose_dtmf_service_raises_is_detached() -> None:
    ulaw = CountingCodec("ulaw")
    clock = MediaClock()

    class BrokenDtmf(FakeStream):
        def service_dtmf(self, now_ms: int) -> bool:
            raise RuntimeError("digit planner broke")

    broken = BrokenDtmf(ulaw.codec, const(1))
    ok = FakeStream(ulaw.codec, const(2))
    clock.add(broken)
    clock.add(ok)
    clock.run_tick()
    assert len(clock) == 1
    assert len(ok.sent) == 1


def test_streams_with_nothing_to_send_send_nothing() -> None:
    ulaw = CountingCodec("ulaw")
    clock = MediaClock()
    quiet = FakeStream(ulaw.codec, None)
    loud = FakeStream(ulaw.codec, const(5))
    clock.add(quiet)
    clock.add(loud)
    clock.run_tick()
    assert quiet.pulls == 1
    assert quiet.sent == []
    assert ulaw.batches == [(1, 160)]
    assert clock.last_batch == 1


def test_a_tick_where_nobody_sends_encodes_nothing() -> None:
    ulaw = CountingCodec("ulaw")
    clock = MediaClock()
    clock.add(FakeStream(ulaw.codec, None))
    clock.run_tick()
    assert ulaw.batches == []
    assert clock.last_batch == 0


def test_discarded_stream_is_no_longer_paced() -> None:
    ulaw = CountingCodec("ulaw")
    clock = MediaClock()
    stream = FakeStream(ulaw.codec, const(1))
    clock.add(stream)
    clock.add(stream)
    assert len(clock) == 1
    clock.discard(stream)
    clock.discard(stream)
    clock.run_tick()
    assert stream.pulls == 0
    assert len(clock) == 0


def test_a_fresh_clock_is_at_tick_zero() -> None:
    clock = MediaClock()
    assert (clock.tick, clock.now_ms, clock.overruns, clock.last_batch) == (0, 0, 0, 0)


def test_a_stream_with_a_short_frame_does_not_silence_the_others() -> None:
    ulaw = CountingCodec("ulaw")
    clock = MediaClock()
    good = FakeStream(ulaw.codec, const(1))
    short = FakeStream(ulaw.codec, np.zeros(80, dtype=np.int16))
    clock.add(good)
    clock.add(short)
    clock.run_tick()
    assert len(good.sent) == 1
