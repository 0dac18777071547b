"""Music on hold: class lookup, file order (alpha, random, randstart), skipping bad files."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from ariel.config.moh import MohClass, MohConf
from ariel.core.media.moh import MohSource, MusicOnHold
from ariel.core.media.sources import SoundCache
from ariel.media.formats import write_audio


def write_tune(directory: Path, name: str, value: int, n: int = 160) -> Path:
    """A file of ``n`` samples all equal to ``value`` (so the listener can tell files apart)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    write_audio(path, "wav", np.full(n, value, dtype=np.int16))
    return path


def conf(*classes: MohClass) -> MohConf:
    return MohConf(classes={c.name: c for c in classes})


def heard(source: MohSource | None, frames: int) -> list[int]:
    """The first sample of each of the next ``frames`` frames (-1 for no audio)."""
    assert source is not None
    out: list[int] = []
    for _ in range(frames):
        frame = source.read(160)
        out.append(-1 if frame is None else int(frame[0]))
    return out


def scripted(values: Iterable[int]) -> tuple[Callable[[int], int], list[int]]:
    """An rng answering ``values`` in turn, and the list of bounds it was asked for."""
    answers = iter(values)
    asked: list[int] = []

    def rng(bound: int) -> int:
        asked.append(bound)
        return next(answers)

    return rng, asked


def tunes(directory: Path) -> None:
    write_tune(directory, "a.wav", 1)
    write_tune(directory, "b.wav", 2)
    write_tune(directory, "c.wav", 3)


def test_files_play_in_name_order_and_loop_forever(tmp_path: Path) -> None:
    tunes(tmp_path / "moh")
    moh = MusicOnHold(
        conf(MohClass(name="default", directory=str(tmp_path / "moh"))), tmp_path, SoundCache()
    )
    assert heard(moh.source("default"), 7) == [1, 2, 3, 1, 2, 3, 1]


def test_unknown_class_falls_back_to_default(tmp_path: Path) -> None:
    write_tune(tmp_path / "default", "a.wav", 1)
    write_tune(tmp_path / "jazz", "a.wav", 5)
    moh = MusicOnHold(
        conf(
            MohClass(name="default", directory=str(tmp_path / "default")),
            MohClass(name="jazz", directory=str(tmp_path / "jazz")),
        ),
        tmp_path,
        SoundCache(),
    )
    assert heard(moh.source("jazz"), 1) == [5]
    assert heard(moh.source("no-such-class"), 1) == [1]
    assert heard(moh.source(None), 1) == [1]
    assert heard(moh.source(""), 1) == [1]
    assert moh.has_class("jazz")
    assert not moh.has_class("no-such-class")


def test_unknown_class_without_default_gives_no_source(tmp_path: Path) -> None:
    write_tune(tmp_path / "jazz", "a.wav", 5)
    moh = MusicOnHold(
        conf(MohClass(name="jazz", directory=str(tmp_path / "jazz"))), tmp_path, SoundCache()
    )
    assert moh.source("rock") is None
    assert moh.source(None) is None


def test_empty_or_missing_directory_gives_no_source(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("not music")
    moh = MusicOnHold(
        conf(
            MohClass(name="empty", directory=str(tmp_path / "empty")),
            MohClass(name="gone", directory=str(tmp_path / "gone")),
        ),
        tmp_path,
        SoundCache(),
    )
    assert moh.source("empty") is None
    assert moh.source("gone") is None


def test_relative_directory_is_found_under_the_data_dir(tmp_path: Path) -> None:
    write_tune(tmp_path / "data" / "moh" / "jazz", "a.wav", 4)
    moh = MusicOnHold(
        conf(MohClass(name="default", directory="moh/jazz")), tmp_path / "data", SoundCache()
    )
    assert heard(moh.source("default"), 1) == [4]


def test_random_sort_orders_files_by_the_rng_keys(tmp_path: Path) -> None:
    tunes(tmp_path / "moh")
    rng, asked = scripted([30, 10, 20])
    moh = MusicOnHold(
        conf(MohClass(name="default", directory=str(tmp_path / "moh"), sort="random")),
        tmp_path,
        SoundCache(),
        rng=rng,
    )
    assert heard(moh.source("default"), 4) == [2, 3, 1, 2]
    assert asked == [1 << 30] * 3


def test_randstart_begins_at_the_drawn_file_and_keeps_name_order(tmp_path: Path) -> None:
    tunes(tmp_path / "moh")
    rng, asked = scripted([2])
    moh = MusicOnHold(
        conf(MohClass(name="default", directory=str(tmp_path / "moh"), sort="randstart")),
        tmp_path,
        SoundCache(),
        rng=rng,
    )
    assert heard(moh.source("default"), 4) == [3, 1, 2, 3]
    assert asked == [3]


def test_alpha_sort_does_not_consult_the_rng(tmp_path: Path) -> None:
    tunes(tmp_path / "moh")
    rng, asked = scripted([])
    moh = MusicOnHold(
        conf(MohClass(name="default", directory=str(tmp_path / "moh"), sort="alpha")),
        tmp_path,
        SoundCache(),
        rng=rng,
    )
    assert heard(moh.source("default"), 3) == [1, 2, 3]
    assert asked == []


def test_unreadable_files_are_skipped(tmp_path: Path) -> None:
    directory = tmp_path / "moh"
    write_tune(directory, "a.wav", 1)
    (directory / "b.wav").write_bytes(b"garbage, not a wave file")
    write_tune(directory, "c.wav", 3)
    (directory / "d.mp3").write_bytes(b"ID3")
    moh = MusicOnHold(
        conf(MohClass(name="default", directory=str(directory))), tmp_path, SoundCache()
    )
    assert heard(moh.source("default"), 4) == [1, 3, 1, 3]


def test_class_of_only_unreadable_files_plays_nothing_and_finishes(tmp_path: Path) -> None:
    directory = tmp_path / "moh"
    directory.mkdir()
    (directory / "a.wav").write_bytes(b"garbage")
    (directory / "b.ulaw").write_bytes(b"")
    moh = MusicOnHold(
        conf(MohClass(name="default", directory=str(directory))), tmp_path, SoundCache()
    )
    source = moh.source("default")
    assert source is None or (source.read(160) is None and source.finished)


def test_frames_run_on_across_a_file_boundary(tmp_path: Path) -> None:
    directory = tmp_path / "moh"
    write_tune(directory, "a.wav", 1, n=100)
    write_tune(directory, "b.wav", 2, n=100)
    moh = MusicOnHold(
        conf(MohClass(name="default", directory=str(directory))), tmp_path, SoundCache()
    )
    source = moh.source("default")
    assert source is not None
    first = source.read(160)
    second = source.read(160)
    assert first is not None and second is not None
    assert first.tolist() == [1] * 100 + [2] * 60
    assert second.tolist() == [2] * 40 + [1] * 100 + [2] * 20


def test_each_listener_has_its_own_position(tmp_path: Path) -> None:
    tunes(tmp_path / "moh")
    moh = MusicOnHold(
        conf(MohClass(name="default", directory=str(tmp_path / "moh"))), tmp_path, SoundCache()
    )
    one, two = moh.source("default"), moh.source("default")
    assert heard(one, 2) == [1, 2]
    assert heard(two, 1) == [1]
    assert heard(one, 1) == [3]


def test_paused_source_sends_nothing_and_keeps_its_place(tmp_path: Path) -> None:
    tunes(tmp_path / "moh")
    moh = MusicOnHold(
        conf(MohClass(name="default", directory=str(tmp_path / "moh"))), tmp_path, SoundCache()
    )
    source = moh.source("default")
    assert source is not None
    assert heard(source, 1) == [1]
    source.paused = True
    assert heard(source, 2) == [-1, -1]
    source.paused = False
    assert heard(source, 1) == [2]


def test_playlist_class_plays_its_local_entries_and_skips_urls(tmp_path: Path) -> None:
    a = write_tune(tmp_path / "x", "a.wav", 1)
    b = write_tune(tmp_path / "y", "b.wav", 2)
    moh = MusicOnHold(
        conf(
            MohClass(
                name="default",
                mode="playlist",
                entries=(str(b), "http://example.invalid/stream.wav", str(a)),
            )
        ),
        tmp_path,
        SoundCache(),
    )
    assert heard(moh.source("default"), 3) == [2, 1, 2]


def test_moh_source_without_files_is_finished() -> None:
    source = MohSource([], SoundCache())
    assert source.finished
    assert source.read(160) is None
