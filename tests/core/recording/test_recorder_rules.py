"""Recorder.record: format, name and ifExists rules checked before a recording starts."""

from __future__ import annotations

import wave
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from ariel.core.events import CoreEvent
from ariel.core.media.channel_media import ChannelMedia
from ariel.core.media.sources import Samples
from ariel.core.objects import ObjectRegistry
from ariel.core.recording.live import LiveRecording, RecordingOptions, RecordingState
from ariel.core.recording.recorder import (
    InvalidRecordingName,
    Recorder,
    RecordingNameInUse,
    UnknownRecordingFormat,
)
from ariel.core.stored_recordings import StoredRecordings
from ariel.media.formats import write_audio

NOW = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def const(value: int, n: int = 160) -> Samples:
    return np.full(n, value, dtype=np.int16)


def wav_samples(path: Path) -> list[int]:
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 8000)
        return [int(x) for x in np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")]


class Rig:
    def __init__(self, root: Path, beep: Samples | None = None) -> None:
        self.root = root / "recording"
        self.events: list[CoreEvent] = []
        self.live: ObjectRegistry[LiveRecording] = ObjectRegistry()
        self.recorder = Recorder(
            stored=StoredRecordings(self.root),
            live=self.live,
            publish=self.events.append,
            now=lambda: NOW,
            beep=lambda: beep,
        )
        self.media = ChannelMedia()

    def record(
        self,
        name: str,
        fmt: str = "wav",
        if_exists: str = "fail",
        options: RecordingOptions | None = None,
    ) -> LiveRecording:
        return self.recorder.record(
            self.media,
            name=name,
            format=fmt,
            target_uri="channel:chan-1",
            if_exists=if_exists,
            options=options or RecordingOptions(),
        )


@pytest.fixture
def make_rig(tmp_path: Path) -> Iterator[Callable[[Samples | None], Rig]]:
    made: list[Rig] = []

    def make(beep: Samples | None = None) -> Rig:
        made.append(Rig(tmp_path, beep))
        return made[-1]

    yield make
    for rig in made:
        rig.media.close()  # finishes (and closes the file of) any recording left running


@pytest.fixture
def rig(make_rig: Callable[[Samples | None], Rig]) -> Rig:
    return make_rig(None)


def test_recording_starts_in_the_recordings_directory(rig: Rig) -> None:
    rec = rig.record("superfly")
    assert rec.path == (rig.root / "superfly.wav").resolve()
    assert rec.state == RecordingState.RECORDING
    assert rig.live.get("superfly") is rec
    assert [e.type for e in rig.events] == ["RecordingStarted"]


@pytest.mark.parametrize("fmt", ["grue", "mp3", "gsm", ""])
def test_unknown_or_unwritable_format_is_refused(rig: Rig, fmt: str) -> None:
    with pytest.raises(UnknownRecordingFormat):
        rig.record("superfly", fmt=fmt)
    assert not rig.root.exists() or list(rig.root.iterdir()) == []
    assert rig.events == []
    assert len(rig.live) == 0


@pytest.mark.parametrize("name", ["../escape", "a/../../escape", "", ".", "sub/.."])
def test_name_leaving_the_recordings_directory_is_invalid(rig: Rig, name: str) -> None:
    with pytest.raises(InvalidRecordingName):
        rig.record(name)
    assert not (rig.root.parent / "escape.wav").exists()
    assert rig.events == []


def test_name_in_a_subfolder_creates_the_folder(rig: Rig) -> None:
    rec = rig.record("calls/today/first")
    rec.stop()
    assert (rig.root / "calls" / "today" / "first.wav").is_file()


def test_name_of_a_live_recording_is_in_use_whatever_if_exists_says(rig: Rig) -> None:
    first = rig.record("superfly")
    for if_exists in ("fail", "overwrite", "append"):
        with pytest.raises(RecordingNameInUse):
            rig.record("superfly", if_exists=if_exists)
    assert rig.live.get("superfly") is first
    assert [e.type for e in rig.events] == ["RecordingStarted"]


def test_live_name_is_in_use_even_in_another_format(rig: Rig) -> None:
    rig.record("superfly", fmt="wav")
    with pytest.raises(RecordingNameInUse):
        rig.record("superfly", fmt="sln", if_exists="overwrite")


def test_stored_file_with_if_exists_fail_is_in_use(rig: Rig) -> None:
    rig.root.mkdir(parents=True)
    write_audio(rig.root / "superfly.wav", "wav", const(9))
    with pytest.raises(RecordingNameInUse):
        rig.record("superfly", if_exists="fail")
    assert wav_samples(rig.root / "superfly.wav") == [9] * 160
    assert rig.events == []


def test_if_exists_fail_is_the_default(rig: Rig) -> None:
    rig.root.mkdir(parents=True)
    write_audio(rig.root / "superfly.wav", "wav", const(9))
    with pytest.raises(RecordingNameInUse):
        rig.recorder.record(
            rig.media,
            name="superfly",
            format="wav",
            target_uri="channel:chan-1",
            options=RecordingOptions(),
        )


def test_overwrite_replaces_the_stored_file(rig: Rig) -> None:
    rig.root.mkdir(parents=True)
    write_audio(rig.root / "superfly.wav", "wav", const(9, 800))
    rec = rig.record("superfly", if_exists="overwrite")
    rig.media.on_audio(const(3))
    rec.stop()
    assert wav_samples(rig.root / "superfly.wav") == [3] * 160


def test_append_continues_the_stored_file(rig: Rig) -> None:
    rig.root.mkdir(parents=True)
    path = rig.root / "superfly.wav"
    write_audio(path, "wav", const(9))
    size_before = path.stat().st_size
    rec = rig.record("superfly", if_exists="append")
    rig.media.on_audio(const(3))
    rec.stop()
    assert path.stat().st_size == size_before + 320
    assert wav_samples(path) == [9] * 160 + [3] * 160


def test_append_to_a_missing_file_creates_it(rig: Rig) -> None:
    options = RecordingOptions(append=True)
    rec = rig.record("fresh", if_exists="append", options=options)
    rig.media.on_audio(const(3))
    rec.stop()
    assert not options.append
    assert wav_samples(rig.root / "fresh.wav") == [3] * 160


def test_a_finished_recording_name_can_be_recorded_again(rig: Rig) -> None:
    rig.record("superfly").stop()
    assert "superfly" not in rig.live
    with pytest.raises(RecordingNameInUse):
        rig.record("superfly", if_exists="fail")
    again = rig.record("superfly", if_exists="overwrite")
    assert rig.live.get("superfly") is again
    assert [e.type for e in rig.events] == [
        "RecordingStarted",
        "RecordingFinished",
        "RecordingStarted",
    ]


@pytest.mark.parametrize(("fmt", "size"), [("ulaw", 160), ("alaw", 160), ("sln", 320)])
def test_raw_formats_are_written_without_a_header(rig: Rig, fmt: str, size: int) -> None:
    rec = rig.record("raw", fmt=fmt)
    rig.media.on_audio(const(1000))
    rec.stop()
    assert (rig.root / f"raw.{fmt}").stat().st_size == size


def test_beep_plays_before_recording_starts(make_rig: Callable[[Samples | None], Rig]) -> None:
    rig = make_rig(const(500, 320))
    rec = rig.record("beeped", options=RecordingOptions(beep=True))
    assert rec.state == RecordingState.QUEUED
    assert rig.events == []
    rig.media.on_audio(const(1))  # heard during the beep: not recorded
    first = rig.media.next_frame(160)
    assert first is not None and int(first[0]) == 500
    assert rec.state == RecordingState.QUEUED
    rig.media.next_frame(160)
    assert rec.state == RecordingState.RECORDING
    assert [e.type for e in rig.events] == ["RecordingStarted"]
    rig.media.on_audio(const(2))
    rec.stop()
    assert wav_samples(rig.root / "beeped.wav") == [2] * 160


def test_no_beep_unless_asked(make_rig: Callable[[Samples | None], Rig]) -> None:
    rig = make_rig(const(500, 320))
    rec = rig.record("quiet")
    assert rec.state == RecordingState.RECORDING
    assert rig.media.next_frame(160) is None
