"""ChannelMedia: what a channel sends (stream over generator), its playback queue, listeners."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ariel.config.indications import TonePart
from ariel.core.media.channel_media import ChannelMedia
from ariel.core.media.sources import SamplesSource, SilenceSource, ToneSource
from ariel.media.tones import ToneGenerator


def const(value: int, n: int = 160) -> np.ndarray:
    return np.full(n, value, dtype=np.int16)


def first_sample(media: ChannelMedia) -> int | None:
    frame = media.next_frame(160)
    return None if frame is None else int(frame[0])


class Item:
    """A queued playback that records what the channel asks of it."""

    def __init__(
        self, name: str, log: list[str], *, on_begin: Callable[[Item], None] | None = None
    ) -> None:
        self.name = name
        self.log = log
        self.on_begin = on_begin

    def begin(self) -> None:
        self.log.append(f"begin {self.name}")
        if self.on_begin is not None:
            self.on_begin(self)

    def abandon(self) -> None:
        self.log.append(f"abandon {self.name}")


# -- what goes out ------------------------------------------------------------------------------


def test_idle_channel_sends_nothing() -> None:
    media = ChannelMedia()
    assert not media.sending
    assert media.next_frame(160) is None
    assert media.frames_out == 0


def test_generator_plays_when_no_stream_does() -> None:
    media = ChannelMedia()
    media.set_generator(SamplesSource(const(5, 1600)), "moh")
    assert media.sending
    assert media.generator_kind == "moh"
    assert first_sample(media) == 5
    assert media.frames_out == 1


def test_stream_wins_over_the_generator_and_the_generator_resumes_after() -> None:
    media = ChannelMedia()
    done: list[str] = []
    media.set_generator(SamplesSource(const(1, 16000)), "moh")
    media.play_stream(SamplesSource(const(2, 320)), lambda: done.append("done"))
    assert [first_sample(media) for _ in range(4)] == [2, 2, 1, 1]
    assert done == ["done"]


def test_stream_done_callback_runs_with_its_last_frame() -> None:
    media = ChannelMedia()
    done: list[int] = []
    media.play_stream(SamplesSource(const(2, 320)), lambda: done.append(media.frames_out))
    media.next_frame(160)
    assert done == []
    assert first_sample(media) == 2
    assert done == [1]  # called before the last frame was counted, in the same call
    assert media.next_frame(160) is None


def test_stopped_stream_does_not_call_done_and_the_generator_resumes() -> None:
    media = ChannelMedia()
    done: list[str] = []
    media.set_generator(SilenceSource(), "silence")
    media.play_stream(SamplesSource(const(2, 1600)), lambda: done.append("done"))
    assert first_sample(media) == 2
    media.stop_stream()
    assert first_sample(media) == 0
    assert done == []


def test_replaced_stream_does_not_call_the_old_done() -> None:
    media = ChannelMedia()
    done: list[str] = []
    media.play_stream(SamplesSource(const(2, 1600)), lambda: done.append("old"))
    media.play_stream(SamplesSource(const(3, 160)), lambda: done.append("new"))
    assert first_sample(media) == 3
    assert done == ["new"]


def test_paused_stream_sends_nothing_and_keeps_the_generator_off() -> None:
    media = ChannelMedia()
    stream = SamplesSource(const(2, 1600))
    media.set_generator(SilenceSource(), "silence")
    media.play_stream(stream, lambda: None)
    stream.paused = True
    assert media.next_frame(160) is None
    stream.paused = False
    assert first_sample(media) == 2


def test_a_done_callback_that_starts_a_new_stream_plays_it_next() -> None:
    media = ChannelMedia()
    media.set_generator(SilenceSource(), "silence")
    media.play_stream(
        SamplesSource(const(2, 160)),
        lambda: media.play_stream(SamplesSource(const(3, 160)), lambda: None),
    )
    assert [first_sample(media) for _ in range(3)] == [2, 3, 0]


def test_finite_generator_is_dropped_when_spent() -> None:
    media = ChannelMedia()
    media.set_generator(ToneSource(ToneGenerator((TonePart(freq1=440),)), limit_ms=40), "tone")
    assert media.next_frame(160) is not None
    assert media.next_frame(160) is not None
    assert media.generator_kind == ""
    assert not media.sending
    assert media.next_frame(160) is None


def test_clearing_the_generator_clears_its_kind() -> None:
    media = ChannelMedia()
    media.set_generator(SilenceSource(), "silence")
    media.set_generator(None, "ignored")
    assert media.generator_kind == ""
    assert media.next_frame(160) is None


def test_mute_out_sends_nothing_but_the_stream_still_advances() -> None:
    media = ChannelMedia()
    media.play_stream(SamplesSource(np.arange(480, dtype=np.int16)), lambda: None)
    media.mute_out = True
    assert media.next_frame(160) is None
    assert media.frames_out == 0
    media.mute_out = False
    assert first_sample(media) == 160
    assert media.frames_out == 1


# -- the playback queue -------------------------------------------------------------------------


def test_first_queued_item_begins_at_once_the_next_waits_its_turn() -> None:
    media = ChannelMedia()
    log: list[str] = []
    one, two = Item("one", log), Item("two", log)
    assert media.enqueue(one)
    assert media.enqueue(two)
    assert log == ["begin one"]
    media.stream_finished(one)
    assert log == ["begin one", "begin two"]


def test_stream_finished_for_an_item_not_playing_changes_nothing() -> None:
    media = ChannelMedia()
    log: list[str] = []
    one, two = Item("one", log), Item("two", log)
    media.enqueue(one)
    media.enqueue(two)
    media.stream_finished(two)
    assert log == ["begin one"]


def test_an_item_that_ends_while_beginning_lets_the_next_begin() -> None:
    media = ChannelMedia()
    log: list[str] = []
    one = Item("one", log)
    media.enqueue(one)
    media.enqueue(Item("failing", log, on_begin=media.stream_finished))
    media.enqueue(Item("three", log))
    media.stream_finished(one)
    assert log == ["begin one", "begin failing", "begin three"]


def test_dequeued_item_never_begins() -> None:
    media = ChannelMedia()
    log: list[str] = []
    one, two, three = Item("one", log), Item("two", log), Item("three", log)
    for item in (one, two, three):
        media.enqueue(item)
    assert media.dequeue(two)
    media.stream_finished(one)
    assert log == ["begin one", "begin three"]


def test_dequeue_of_a_playing_or_unknown_item_is_refused() -> None:
    media = ChannelMedia()
    log: list[str] = []
    one = Item("one", log)
    media.enqueue(one)
    assert not media.dequeue(one)
    assert not media.dequeue(Item("stranger", log))


def test_close_abandons_the_playing_item_then_the_queued_ones_in_order() -> None:
    media = ChannelMedia()
    log: list[str] = []
    for name in ("one", "two", "three"):
        media.enqueue(Item(name, log))
    media.close()
    assert log == ["begin one", "abandon one", "abandon two", "abandon three"]


def test_enqueue_after_close_is_refused() -> None:
    media = ChannelMedia()
    log: list[str] = []
    media.close()
    assert not media.enqueue(Item("late", log))
    assert log == []


def test_close_stops_the_stream_and_the_generator() -> None:
    media = ChannelMedia()
    done: list[str] = []
    media.set_generator(SilenceSource(), "silence")
    media.play_stream(SamplesSource(const(2, 1600)), lambda: done.append("done"))
    media.close()
    assert media.closed
    assert not media.sending
    assert media.next_frame(160) is None
    assert done == []


def test_close_runs_close_listeners_once_even_if_one_fails() -> None:
    media = ChannelMedia()
    heard: list[str] = []

    def failing() -> None:
        raise RuntimeError("boom")

    media.add_close_listener("bad", failing)
    media.add_close_listener("good", lambda: heard.append("closed"))
    media.close()
    media.close()
    assert heard == ["closed"]


def test_removed_close_listener_is_not_called() -> None:
    media = ChannelMedia()
    heard: list[str] = []
    media.add_close_listener("k", lambda: heard.append("closed"))
    media.remove_close_listener("k")
    media.close()
    assert heard == []


def test_a_failing_abandon_does_not_stop_the_others() -> None:
    media = ChannelMedia()
    log: list[str] = []

    class Broken(Item):
        def abandon(self) -> None:
            raise RuntimeError("boom")

    media.enqueue(Broken("one", log))
    media.enqueue(Item("two", log))
    media.close()
    assert log == ["begin one", "abandon two"]


# -- what comes in ------------------------------------------------------------------------------


def test_audio_reaches_every_listener_and_is_counted() -> None:
    media = ChannelMedia()
    a: list[int] = []
    b: list[int] = []
    media.add_audio_listener("a", lambda f: a.append(int(f[0])))
    media.add_audio_listener("b", lambda f: b.append(int(f[0])))
    media.on_audio(const(7))
    assert (a, b, media.frames_in) == ([7], [7], 1)


def test_a_failing_audio_listener_does_not_stop_the_others() -> None:
    media = ChannelMedia()
    heard: list[int] = []

    def failing(_frame: np.ndarray) -> None:
        raise RuntimeError("boom")

    media.add_audio_listener("bad", failing)
    media.add_audio_listener("good", lambda f: heard.append(int(f[0])))
    media.on_audio(const(7))
    assert heard == [7]


def test_removed_audio_listener_hears_nothing_more() -> None:
    media = ChannelMedia()
    heard: list[int] = []
    media.add_audio_listener("k", lambda f: heard.append(int(f[0])))
    media.on_audio(const(1))
    media.remove_audio_listener("k")
    media.on_audio(const(2))
    assert heard == [1]
    assert not media.wants_audio


def test_a_listener_may_remove_itself_while_hearing() -> None:
    media = ChannelMedia()
    heard: list[str] = []

    def once(_frame: np.ndarray) -> None:
        heard.append("once")
        media.remove_audio_listener("once")

    media.add_audio_listener("once", once)
    media.add_audio_listener("always", lambda _f: heard.append("always"))
    media.on_audio(const(1))
    media.on_audio(const(1))
    assert heard == ["once", "always", "always"]


def test_wants_audio_needs_a_listener_and_no_inbound_mute() -> None:
    media = ChannelMedia()
    assert not media.wants_audio
    media.add_audio_listener("k", lambda _f: None)
    assert media.wants_audio
    media.mute_in = True
    assert not media.wants_audio


def test_mute_in_drops_what_the_far_end_sends() -> None:
    media = ChannelMedia()
    heard: list[int] = []
    media.add_audio_listener("k", lambda f: heard.append(int(f[0])))
    media.mute_in = True
    media.on_audio(const(1))
    media.mute_in = False
    media.on_audio(const(2))
    assert heard == [2]
    assert media.frames_in == 1


def test_dtmf_reaches_every_listener_even_after_one_fails() -> None:
    media = ChannelMedia()
    heard: list[tuple[str, int]] = []

    def failing(_digit: str, _ms: int) -> None:
        raise RuntimeError("boom")

    media.add_dtmf_listener("bad", failing)
    media.add_dtmf_listener("good", lambda d, ms: heard.append((d, ms)))
    media.on_dtmf("5", 120)
    media.remove_dtmf_listener("good")
    media.on_dtmf("6", 120)
    assert heard == [("5", 120)]


def test_close_drops_audio_and_dtmf_listeners() -> None:
    media = ChannelMedia()
    heard: list[str] = []
    media.add_audio_listener("a", lambda _f: heard.append("audio"))
    media.add_dtmf_listener("d", lambda _d, _ms: heard.append("dtmf"))
    media.close()
    media.on_audio(const(1))
    media.on_dtmf("1", 100)
    assert heard == []
    assert not media.wants_audio


def test_own_audio_is_a_stream_a_generator_or_an_unmuted_listener() -> None:
    media = ChannelMedia()
    assert not media.has_own_audio()
    media.set_generator(SilenceSource())
    assert media.has_own_audio() and media.sending
    media.set_generator(None)
    media.add_audio_listener("rec", lambda frame: None)
    assert media.has_own_audio() and media.wants_audio
    media.mute_in = True
    assert not media.has_own_audio() and not media.wants_audio


def test_plain_until_the_bridge_it_hears_has_audio_of_its_own() -> None:
    bridge, chan = ChannelMedia(), ChannelMedia()
    chan.set_bridge_source(lambda n: None, bridge.has_own_audio)
    assert chan.plain and chan.is_plain()
    bridge.play_stream(SamplesSource(const(100)), lambda: None)
    assert not chan.plain and not chan.is_plain()
    bridge.stop_stream()
    chan.add_out_tap("snoop", lambda frame, n: frame)
    assert not chan.is_plain()
