"""LiveRecording: incoming frames to a valid file, and every way a recording ends."""

from __future__ import annotations

import asyncio
import wave
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from ariel.config.indications import IndicationsConf
from ariel.core.events import CoreEvent
from ariel.core.media.channel_media import ChannelMedia
from ariel.core.media.sources import Samples, SoundCache
from ariel.core.objects import ObjectRegistry
from ariel.core.playback.media_library import MediaLibrary
from ariel.core.playback.playback import Playback, PlaybackState
from ariel.core.recording.events import RecordingEvent, RecordingFinished, RecordingStarted
from ariel.core.recording.live import LiveRecording, RecordingOptions, RecordingState
from ariel.core.recording.recorder import Recorder
from ariel.core.sounds import SoundIndex
from ariel.core.stored_recordings import StoredRecordings
from ariel.media.formats import write_audio

NOW = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
LOUD = 1000  # well above the silence threshold (mean absolute amplitude 256)


def const(value: int, n: int = 160) -> Samples:
    return np.full(n, value, dtype=np.int16)


def wav_samples(path: Path) -> list[int]:
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 8000)
        return [int(x) for x in np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")]


class Rig:
    def __init__(self, root: Path, beep: Samples | None = None) -> None:
        self.root = root
        self.events: list[CoreEvent] = []
        self.live: ObjectRegistry[LiveRecording] = ObjectRegistry()
        self.media = ChannelMedia()
        self.recorder = Recorder(
            stored=StoredRecordings(root / "recording"),
            live=self.live,
            publish=self.events.append,
            now=lambda: NOW,
            beep=lambda: beep,
        )

    def record(self, name: str = "superfly", **options: object) -> LiveRecording:
        return self.recorder.record(
            self.media,
            name=name,
            format="wav",
            target_uri="channel:chan-1",
            if_exists="overwrite",
            options=RecordingOptions(**options),  # type: ignore[arg-type]
        )

    def hear(self, value: int, frames: int = 1) -> None:
        for _ in range(frames):
            self.media.on_audio(const(value))

    def recording_events(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for event in self.events:
            if isinstance(event, RecordingEvent):
                out.append((event.type, event.recording.state))
        return out

    def finished(self) -> RecordingFinished:
        found = [e for e in self.events if isinstance(e, RecordingFinished)]
        assert len(found) == 1
        return found[0]


@pytest.fixture
def make_rig(tmp_path: Path) -> Iterator[Callable[[Samples | None], Rig]]:
    made: list[Rig] = []

    def make(beep: Samples | None = None) -> Rig:
        made.append(Rig(tmp_path, beep))
        return made[-1]

    yield make
    for rig in made:
        rig.media.close()  # closes the file of any recording a test left running


@pytest.fixture
def rig(make_rig: Callable[[Samples | None], Rig]) -> Rig:
    return make_rig(None)


# -- writing ------------------------------------------------------------------------------------


def test_started_event_describes_the_recording(rig: Rig) -> None:
    rig.record()
    (event,) = rig.events
    assert isinstance(event, RecordingStarted)
    assert event.timestamp == NOW
    snap = event.recording
    assert (snap.name, snap.format, snap.target_uri, snap.state) == (
        "superfly",
        "wav",
        "channel:chan-1",
        "recording",
    )
    assert snap.duration is None
    assert event.sources.channel_ids == ("chan-1",)


def test_heard_frames_land_in_a_valid_wav_file(rig: Rig) -> None:
    rec = rig.record()
    rig.hear(1)
    rig.hear(2)
    rig.hear(-3)
    rec.stop()
    assert wav_samples(rec.path) == [1] * 160 + [2] * 160 + [-3] * 160
    assert rec.state == RecordingState.DONE
    assert rig.recording_events() == [
        ("RecordingStarted", "recording"),
        ("RecordingFinished", "done"),
    ]


def test_finished_event_reports_whole_seconds_recorded(rig: Rig) -> None:
    rec = rig.record()
    rig.hear(LOUD, frames=125)  # 2.5 s
    rec.stop()
    snap = rig.finished().recording
    assert snap.duration == 2
    assert (snap.talking_duration, snap.silence_duration) == (None, None)


def test_the_header_is_valid_after_each_second_without_close(rig: Rig) -> None:
    rec = rig.record()
    rig.hear(5, frames=50)
    assert wav_samples(rec.path) == [5] * 8000
    rig.hear(6, frames=50)
    assert wav_samples(rec.path) == [5] * 8000 + [6] * 8000
    assert rec.state == RecordingState.RECORDING


def test_stop_stops_listening(rig: Rig) -> None:
    rec = rig.record()
    assert rig.media.wants_audio
    rec.stop()
    assert not rig.media.wants_audio
    assert "superfly" not in rig.live
    rig.hear(1)
    assert wav_samples(rec.path) == []


def test_stop_twice_finishes_once(rig: Rig) -> None:
    rec = rig.record()
    rec.stop()
    rec.stop()
    assert rig.recording_events() == [
        ("RecordingStarted", "recording"),
        ("RecordingFinished", "done"),
    ]


def test_cancel_after_the_recording_ended_keeps_the_file(rig: Rig) -> None:
    rec = rig.record()
    rig.hear(1)
    rec.stop()
    rec.cancel()
    assert rec.state == RecordingState.DONE
    assert wav_samples(rec.path) == [1] * 160


# -- ending by itself ---------------------------------------------------------------------------


def test_max_silence_stops_after_more_than_that_much_silence(rig: Rig) -> None:
    rec = rig.record(max_silence_s=1)
    rig.hear(LOUD, frames=50)
    rig.hear(0, frames=50)  # exactly 1 s of silence: not more than the limit
    assert rec.state == RecordingState.RECORDING
    rig.hear(0)
    assert rec.state == RecordingState.DONE
    snap = rig.finished().recording
    assert (snap.duration, snap.talking_duration, snap.silence_duration) == (2, 1, 1)
    assert len(wav_samples(rec.path)) == 101 * 160


def test_talking_resets_the_silence_count(rig: Rig) -> None:
    rec = rig.record(max_silence_s=1)
    rig.hear(0, frames=40)
    rig.hear(LOUD)
    rig.hear(0, frames=40)
    assert rec.state == RecordingState.RECORDING


def test_without_max_silence_silence_goes_on(rig: Rig) -> None:
    rec = rig.record()
    rig.hear(0, frames=500)
    assert rec.state == RecordingState.RECORDING


@pytest.mark.parametrize(
    ("terminate_on", "digits", "stops_on"),
    [
        ("#", "12#3", 2),
        ("*", "12#*", 3),
        ("any", "7", 0),
        ("none", "12#*", None),
    ],
)
def test_terminate_on_digit(rig: Rig, terminate_on: str, digits: str, stops_on: int | None) -> None:
    rec = rig.record(terminate_on=terminate_on)
    stopped_at: int | None = None
    for i, digit in enumerate(digits):
        rig.media.on_dtmf(digit, 100)
        if stopped_at is None and rec.state != RecordingState.RECORDING:
            stopped_at = i
    assert stopped_at == stops_on
    if stops_on is not None:
        assert rec.state == RecordingState.DONE
        assert rec.path.is_file()


async def test_max_duration_ends_the_recording_on_the_loop(rig: Rig) -> None:
    finished = asyncio.Event()

    def publish(event: CoreEvent) -> None:
        rig.events.append(event)
        if isinstance(event, RecordingFinished):
            finished.set()

    rig.recorder.publish = publish
    loop = asyncio.get_running_loop()
    began = loop.time()
    rec = rig.record(max_duration_s=1)
    rig.hear(LOUD, frames=3)  # a peer that then goes quiet: no frames drive the stop
    await asyncio.wait_for(finished.wait(), timeout=5)
    assert loop.time() - began >= 0.9
    assert rec.state == RecordingState.DONE
    assert wav_samples(rec.path) == [LOUD] * 480


# -- controls -----------------------------------------------------------------------------------


def test_paused_time_is_not_recorded(rig: Rig) -> None:
    rec = rig.record()
    rig.hear(1)
    assert rec.pause()
    assert rec.state == RecordingState.PAUSED
    assert rec.snapshot().state == "paused"
    rig.hear(2, frames=3)
    assert rec.unpause()
    rig.hear(3)
    rec.stop()
    assert wav_samples(rec.path) == [1] * 160 + [3] * 160


def test_pause_and_unpause_answer_false_out_of_turn(rig: Rig) -> None:
    rec = rig.record()
    assert not rec.unpause()
    assert rec.pause()
    assert not rec.pause()
    rec.stop()
    assert not rec.pause()
    assert not rec.unpause()


def test_muted_time_is_recorded_as_silence(rig: Rig) -> None:
    rec = rig.record()
    rig.hear(1)
    assert rec.mute(True)
    rig.hear(2, frames=2)
    assert rec.mute(False)
    rig.hear(3)
    rec.stop()
    assert wav_samples(rec.path) == [1] * 160 + [0] * 320 + [3] * 160


def test_mute_answers_false_once_ended(rig: Rig) -> None:
    rec = rig.record()
    rec.stop()
    assert not rec.mute(True)


def test_cancel_deletes_the_file(rig: Rig) -> None:
    rec = rig.record()
    rig.hear(1, frames=60)
    assert rec.path.is_file()
    rec.cancel()
    assert not rec.path.exists()
    assert rec.state == RecordingState.CANCELED
    assert "superfly" not in rig.live
    assert rig.recording_events() == [
        ("RecordingStarted", "recording"),
        ("RecordingFinished", "canceled"),
    ]


def test_channel_hangup_finishes_and_keeps_the_file(rig: Rig) -> None:
    rec = rig.record()
    rig.hear(4, frames=2)
    rig.media.close()
    assert rec.state == RecordingState.DONE
    assert wav_samples(rec.path) == [4] * 320
    assert rig.recording_events()[-1] == ("RecordingFinished", "done")
    assert "superfly" not in rig.live


def test_inbound_mute_on_the_channel_records_nothing(rig: Rig) -> None:
    rec = rig.record()
    rig.media.mute_in = True
    rig.hear(1, frames=2)
    rig.media.mute_in = False
    rig.hear(2)
    rec.stop()
    assert wav_samples(rec.path) == [2] * 160


# -- the beep and playbacks share the channel's stream ------------------------------------------


def playback_on(rig: Rig, sounds: Path) -> Playback:
    write_audio(sounds / "en" / "prompt.wav", "wav", const(7, 480))
    library = MediaLibrary(
        sounds=SoundIndex([sounds]),
        recordings=StoredRecordings(rig.root / "recording"),
        indications=IndicationsConf(),
        cache=SoundCache(),
    )
    return Playback(
        id="pb",
        media=["sound:prompt"],
        language="en",
        target_uri="channel:chan-1",
        channel_media=rig.media,
        library=library,
        registry=ObjectRegistry(),
        publish=rig.events.append,
        now=lambda: NOW,
    )


def test_beep_does_not_strand_a_playing_playback(
    make_rig: Callable[[Samples | None], Rig], tmp_path: Path
) -> None:
    rig = make_rig(const(500, 160))
    (tmp_path / "sounds" / "en").mkdir(parents=True)
    playback = playback_on(rig, tmp_path / "sounds")
    assert playback.queue()
    rig.media.next_frame(160)
    rig.record(beep=True)
    for _ in range(10):
        rig.media.next_frame(160)
    assert playback.state == PlaybackState.DONE


def test_playback_during_the_beep_does_not_keep_the_recording_from_starting(
    make_rig: Callable[[Samples | None], Rig], tmp_path: Path
) -> None:
    rig = make_rig(const(500, 320))
    (tmp_path / "sounds" / "en").mkdir(parents=True)
    rec = rig.record(beep=True)
    playback = playback_on(rig, tmp_path / "sounds")
    assert playback.queue()
    for _ in range(10):
        rig.media.next_frame(160)
    assert rec.state == RecordingState.RECORDING
