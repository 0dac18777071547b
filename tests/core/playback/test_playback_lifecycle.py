"""Playback: queued -> playing -> done, its events, stop, controls and the channel queue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from ariel.config.indications import IndicationsConf
from ariel.core.events import CoreEvent
from ariel.core.media.channel_media import ChannelMedia
from ariel.core.media.sources import SoundCache
from ariel.core.objects import ObjectRegistry
from ariel.core.playback.events import (
    PlaybackEvent,
    PlaybackFinished,
    PlaybackStarted,
)
from ariel.core.playback.media_library import MediaLibrary
from ariel.core.playback.playback import Playback, PlaybackState
from ariel.core.sounds import SoundIndex
from ariel.core.stored_recordings import StoredRecordings
from ariel.media.formats import write_audio

NOW = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def write_const(path: Path, value: int, frames: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_audio(path, "wav", np.full(frames * 160, value, dtype=np.int16))


class Rig:
    """One channel with a media library, a registry and the published events."""

    def __init__(self, root: Path) -> None:
        sounds = root / "sounds" / "en"
        write_const(sounds / "one.wav", 1, 3)
        write_const(sounds / "two.wav", 2, 2)
        # frame k of "counting" starts with sample k: the position is readable from the audio
        counting = np.repeat(np.arange(200, dtype=np.int16), 160)
        write_audio(sounds / "counting.wav", "wav", counting)
        self.media = ChannelMedia()
        self.registry: ObjectRegistry[Playback] = ObjectRegistry()
        self.events: list[CoreEvent] = []
        self.library = MediaLibrary(
            sounds=SoundIndex([root / "sounds"]),
            recordings=StoredRecordings(root / "recording"),
            indications=IndicationsConf(),
            cache=SoundCache(),
        )

    def playback(self, pid: str, media: Sequence[str], *, skip_ms: int = 3000) -> Playback:
        return Playback(
            id=pid,
            media=media,
            language="en",
            target_uri="channel:chan-1",
            channel_media=self.media,
            library=self.library,
            registry=self.registry,
            publish=self.events.append,
            now=lambda: NOW,
            skip_ms=skip_ms,
        )

    def tick(self, n: int = 1) -> list[int | None]:
        """Run the channel's clock ``n`` frames; the first sample of each frame sent."""
        out: list[int | None] = []
        for _ in range(n):
            frame = self.media.next_frame(160)
            out.append(None if frame is None else int(frame[0]))
        return out

    def seen(self) -> list[tuple[str, str, str, str, str | None]]:
        """(event, playback id, media_uri, state, next_media_uri) of each published event."""
        out: list[tuple[str, str, str, str, str | None]] = []
        for event in self.events:
            assert isinstance(event, PlaybackEvent)
            p = event.playback
            out.append((event.type, p.id, p.media_uri, p.state, p.next_media_uri))
        return out


@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    return Rig(tmp_path)


# -- lifecycle ----------------------------------------------------------------------------------


def test_new_playback_is_queued_and_unregistered(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:one"])
    assert pb.state == PlaybackState.QUEUED
    assert pb.snapshot().state == "queued"
    assert "p1" not in rig.registry
    assert rig.events == []


def test_playback_needs_media(rig: Rig) -> None:
    with pytest.raises(ValueError, match="at least one media"):
        rig.playback("p1", [])


def test_playback_on_an_idle_channel_starts_at_once(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:one"])
    assert pb.queue()
    assert pb.state == PlaybackState.PLAYING
    assert rig.registry.get("p1") is pb
    assert rig.seen() == [("PlaybackStarted", "p1", "sound:one", "playing", None)]
    started = rig.events[0]
    assert started.timestamp == NOW
    assert isinstance(started, PlaybackStarted)
    assert started.playback.target_uri == "channel:chan-1"
    assert started.playback.language == "en"
    assert started.sources.channel_ids == ("chan-1",)


def test_playback_plays_its_audio_then_finishes_done(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:one"])
    pb.queue()
    assert rig.tick(2) == [1, 1]
    assert pb.state == PlaybackState.PLAYING
    assert rig.tick(1) == [1]
    assert pb.state == PlaybackState.DONE
    assert rig.seen()[-1] == ("PlaybackFinished", "p1", "sound:one", "done", None)
    assert rig.tick(1) == [None]


def test_media_list_plays_in_turn_with_continuing_events(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:one", "sound:two"])
    pb.queue()
    assert rig.tick(6) == [1, 1, 1, 2, 2, None]
    kinds = [e.type for e in rig.events]
    assert kinds.count("PlaybackContinuing") == 1
    assert kinds.count("PlaybackFinished") == 1
    assert kinds.index("PlaybackContinuing") < kinds.index("PlaybackFinished")
    assert rig.seen()[0] == ("PlaybackStarted", "p1", "sound:one", "playing", "sound:two")
    assert rig.seen()[-1] == ("PlaybackFinished", "p1", "sound:two", "done", None)


def test_media_list_events_match_the_reference_sequence(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:one", "sound:two"])
    pb.queue()
    rig.tick(6)
    assert rig.seen() == [
        ("PlaybackStarted", "p1", "sound:one", "playing", "sound:two"),
        ("PlaybackContinuing", "p1", "sound:one", "continuing", "sound:two"),
        ("PlaybackStarted", "p1", "sound:two", "playing", None),
        ("PlaybackFinished", "p1", "sound:two", "done", None),
    ]


def test_finished_playback_leaves_the_registry_and_its_id_can_be_reused(rig: Rig) -> None:
    first = rig.playback("p1", ["sound:two"])
    first.queue()
    rig.tick(2)
    assert "p1" not in rig.registry
    again = rig.playback("p1", ["sound:two"])
    assert again.queue()
    assert rig.registry.get("p1") is again


def test_missing_media_starts_then_finishes_failed(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:nothing-here"])
    assert pb.queue()
    assert rig.seen() == [
        ("PlaybackStarted", "p1", "sound:nothing-here", "playing", None),
        ("PlaybackFinished", "p1", "sound:nothing-here", "failed", None),
    ]
    assert pb.state == PlaybackState.FAILED
    assert "p1" not in rig.registry
    assert rig.tick(1) == [None]


def test_failed_playback_lets_the_next_one_begin(rig: Rig) -> None:
    blocker = rig.playback("p0", ["sound:two"])
    blocker.queue()
    broken = rig.playback("p1", ["sound:nothing-here"])
    after = rig.playback("p2", ["sound:one"])
    broken.queue()
    after.queue()
    assert rig.tick(3) == [2, 2, 1]
    assert after.state == PlaybackState.PLAYING
    assert [(kind, pid, state) for kind, pid, _, state, _ in rig.seen()[1:]] == [
        ("PlaybackFinished", "p0", "done"),
        ("PlaybackStarted", "p1", "playing"),
        ("PlaybackFinished", "p1", "failed"),
        ("PlaybackStarted", "p2", "playing"),
    ]


def test_missing_later_media_ends_the_playback_failed(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:two", "sound:nothing-here"])
    pb.queue()
    assert rig.tick(3) == [2, 2, None]
    finished = [e for e in rig.events if isinstance(e, PlaybackFinished)]
    assert len(finished) == 1
    assert finished[0].playback.state == "failed"
    assert finished[0].playback.media_uri == "sound:nothing-here"
    assert rig.events[-1] is finished[0]


def test_two_playbacks_on_one_channel_play_in_order(rig: Rig) -> None:
    first = rig.playback("p1", ["sound:one"])
    second = rig.playback("p2", ["sound:two"])
    first.queue()
    second.queue()
    assert second.state == PlaybackState.QUEUED
    assert rig.tick(6) == [1, 1, 1, 2, 2, None]
    assert [(kind, pid) for kind, pid, *_ in rig.seen()] == [
        ("PlaybackStarted", "p1"),
        ("PlaybackFinished", "p1"),
        ("PlaybackStarted", "p2"),
        ("PlaybackFinished", "p2"),
    ]


def test_queue_on_a_closed_channel_is_refused(rig: Rig) -> None:
    rig.media.close()
    pb = rig.playback("p1", ["sound:one"])
    assert not pb.queue()
    assert "p1" not in rig.registry
    assert rig.events == []


def test_hangup_finishes_the_playing_playback(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:one"])
    pb.queue()
    rig.tick(1)
    rig.media.close()
    assert pb.state == PlaybackState.DONE
    assert rig.seen()[-1] == ("PlaybackFinished", "p1", "sound:one", "done", None)
    assert "p1" not in rig.registry
    assert rig.tick(1) == [None]


# -- stop ---------------------------------------------------------------------------------------


def test_stop_while_playing_finishes_done_and_silences_the_channel(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:one", "sound:two"])
    pb.queue()
    rig.tick(1)
    pb.stop()
    assert pb.state == PlaybackState.DONE
    assert rig.seen()[-1] == ("PlaybackFinished", "p1", "sound:one", "done", "sound:two")
    assert [e.type for e in rig.events].count("PlaybackFinished") == 1
    assert rig.tick(2) == [None, None]
    assert "p1" not in rig.registry


def test_stop_while_playing_lets_the_next_queued_playback_begin(rig: Rig) -> None:
    first = rig.playback("p1", ["sound:one"])
    second = rig.playback("p2", ["sound:two"])
    first.queue()
    second.queue()
    first.stop()
    assert second.state == PlaybackState.PLAYING
    assert rig.tick(3) == [2, 2, None]


def test_stop_while_queued_never_plays_it(rig: Rig) -> None:
    first = rig.playback("p1", ["sound:one"])
    second = rig.playback("p2", ["sound:two"])
    first.queue()
    second.queue()
    second.stop()
    assert second.state == PlaybackState.DONE
    assert "p2" not in rig.registry
    assert rig.tick(4) == [1, 1, 1, None]
    assert ("PlaybackStarted", "p2") not in [(kind, pid) for kind, pid, *_ in rig.seen()]


def test_stop_twice_publishes_one_finished(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:one"])
    pb.queue()
    pb.stop()
    pb.stop()
    assert [e.type for e in rig.events] == ["PlaybackStarted", "PlaybackFinished"]


# -- controls -----------------------------------------------------------------------------------


def test_pause_silences_and_holds_the_position(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:counting"])
    pb.queue()
    assert rig.tick(2) == [0, 1]
    assert pb.control("pause")
    assert pb.state == PlaybackState.PAUSED
    assert pb.snapshot().state == "paused"
    assert rig.tick(3) == [None, None, None]
    assert pb.control("unpause")
    assert pb.state == PlaybackState.PLAYING
    assert rig.tick(2) == [2, 3]


def test_pause_emits_no_event(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:counting"])
    pb.queue()
    pb.control("pause")
    assert [e.type for e in rig.events] == ["PlaybackStarted"]


def test_unpause_publishes_playback_started_again(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:counting"])
    pb.queue()
    pb.control("pause")
    pb.control("unpause")
    assert [e.type for e in rig.events] == ["PlaybackStarted", "PlaybackStarted"]
    assert rig.seen()[-1][3] == "playing"


def test_restart_publishes_no_event(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:counting"])
    pb.queue()
    pb.control("restart")
    assert [e.type for e in rig.events] == ["PlaybackStarted"]


def test_restart_plays_from_the_beginning(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:counting"])
    pb.queue()
    assert rig.tick(3) == [0, 1, 2]
    assert pb.control("restart")
    assert rig.tick(2) == [0, 1]


def test_restart_of_a_paused_playback_resumes_it(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:counting"])
    pb.queue()
    rig.tick(3)
    pb.control("pause")
    assert pb.control("restart")
    assert pb.state == PlaybackState.PLAYING
    assert rig.tick(1) == [0]


def test_forward_and_reverse_skip_by_the_skip_interval(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:counting"], skip_ms=100)  # five frames
    pb.queue()
    assert rig.tick(1) == [0]
    assert pb.control("forward")
    assert rig.tick(1) == [6]
    assert pb.control("reverse")
    assert rig.tick(1) == [2]
    assert pb.control("reverse")
    assert rig.tick(1) == [0]


def test_forward_past_the_end_finishes_the_playback(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:two"], skip_ms=3000)
    pb.queue()
    assert pb.control("forward")
    rig.tick(1)
    assert pb.state == PlaybackState.DONE
    assert rig.events[-1].type == "PlaybackFinished"


@pytest.mark.parametrize("operation", ["pause", "unpause", "restart", "reverse", "forward"])
def test_controls_on_a_queued_playback_are_refused(rig: Rig, operation: str) -> None:
    first = rig.playback("p1", ["sound:counting"])
    second = rig.playback("p2", ["sound:two"])
    first.queue()
    second.queue()
    assert not second.control(operation)
    assert second.state == PlaybackState.QUEUED


@pytest.mark.parametrize("operation", ["pause", "unpause", "restart", "reverse", "forward"])
def test_controls_on_a_finished_playback_are_refused(rig: Rig, operation: str) -> None:
    pb = rig.playback("p1", ["sound:two"])
    pb.queue()
    rig.tick(2)
    assert not pb.control(operation)
    assert pb.state == PlaybackState.DONE


def test_unknown_control_operation_is_an_error(rig: Rig) -> None:
    pb = rig.playback("p1", ["sound:counting"])
    pb.queue()
    with pytest.raises(ValueError, match="unknown playback operation"):
        pb.control("rewind")


def test_tone_playback_plays_until_stopped(rig: Rig) -> None:
    pb = rig.playback("p1", ["tone:440"])
    pb.queue()
    sent = rig.tick(100)
    assert None not in sent
    assert pb.state == PlaybackState.PLAYING
    pb.stop()
    assert rig.seen()[-1] == ("PlaybackFinished", "p1", "tone:440", "done", None)
    assert rig.tick(1) == [None]
