"""Stored recordings: names map to files under one directory and never leave it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ariel.core.stored_recordings import (
    CopyFailed,
    DestinationForbidden,
    RecordingExists,
    RecordingNotFound,
    StoredRecordings,
)

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt "


@pytest.fixture
def root(tmp_path: Path) -> Path:
    directory = tmp_path / "spool" / "recording"
    directory.mkdir(parents=True)
    return directory


@pytest.fixture
def store(root: Path) -> StoredRecordings:
    return StoredRecordings(root)


def write(path: Path, data: bytes = WAV) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_missing_directory_lists_nothing(tmp_path: Path) -> None:
    assert StoredRecordings(tmp_path / "absent").list() == []


def test_list_is_sorted_includes_subfolders_and_skips_non_media(
    root: Path, store: StoredRecordings
) -> None:
    write(root / "zeta.wav")
    write(root / "alpha.gsm")
    write(root / "sub" / "inner.ulaw")
    write(root / "notes.txt")
    write(root / "no_extension")
    assert [(r.name, r.format) for r in store.list()] == [
        ("alpha", "gsm"),
        ("sub/inner", "ulaw"),
        ("zeta", "wav"),
    ]


def test_a_name_in_two_formats_is_listed_once(root: Path, store: StoredRecordings) -> None:
    write(root / "both.wav")
    write(root / "both.gsm")
    assert [r.name for r in store.list()] == ["both"]


def test_get_finds_a_recording_and_its_content_type(root: Path, store: StoredRecordings) -> None:
    write(root / "greeting.wav")
    rec = store.get("greeting")
    assert (rec.name, rec.format, rec.path) == ("greeting", "wav", root / "greeting.wav")
    assert rec.content_type == "audio/wav"


def test_get_finds_recordings_in_subfolders(root: Path, store: StoredRecordings) -> None:
    write(root / "copy" / "superfreak.wav")
    assert store.get("copy/superfreak").path == root / "copy" / "superfreak.wav"


def test_get_of_missing_recording_raises(store: StoredRecordings) -> None:
    with pytest.raises(RecordingNotFound):
        store.get("nothing")


@pytest.mark.parametrize(
    "name", ["../outside", "sub/../../outside", "", ".", "..", "a\x00b", "x" * 5000, "y/" * 3000]
)
def test_names_that_leave_the_directory_or_cannot_exist_are_not_found(
    root: Path, store: StoredRecordings, name: str
) -> None:
    write(root.parent / "outside.wav")
    write(root / "sub" / "kept.wav")
    assert store.find(name) is None
    with pytest.raises(RecordingNotFound):
        store.get(name)
    with pytest.raises(RecordingNotFound):
        store.delete(name)
    assert (root.parent / "outside.wav").exists()


def test_absolute_name_is_not_found(tmp_path: Path, store: StoredRecordings) -> None:
    outside = write(tmp_path / "elsewhere" / "secret.wav")
    assert store.find(str(outside.with_suffix(""))) is None


def test_symlink_leading_out_of_the_directory_is_not_followed(
    tmp_path: Path, root: Path, store: StoredRecordings
) -> None:
    write(tmp_path / "elsewhere" / "secret.wav")
    os.symlink(tmp_path / "elsewhere", root / "link")
    assert store.find("link/secret") is None
    assert "link/secret" not in [r.name for r in store.list()]


def test_delete_removes_the_reported_file(root: Path, store: StoredRecordings) -> None:
    write(root / "greeting.wav")
    store.delete("greeting")
    assert not (root / "greeting.wav").exists()
    assert store.find("greeting") is None


def test_delete_removes_one_format_at_a_time_as_the_reference(
    root: Path, store: StoredRecordings
) -> None:
    write(root / "both.wav")
    write(root / "both.gsm")
    first = store.get("both").format
    store.delete("both")
    assert store.get("both").format != first
    store.delete("both")
    assert store.find("both") is None


def test_copy_keeps_the_format_and_creates_subfolders(root: Path, store: StoredRecordings) -> None:
    write(root / "superfly.wav", b"audio bytes")
    copied = store.copy("superfly", "copy/superfreak")
    assert (copied.name, copied.format) == ("copy/superfreak", "wav")
    assert (root / "copy" / "superfreak.wav").read_bytes() == b"audio bytes"
    assert (root / "superfly.wav").exists()


def test_copy_drops_an_extension_on_the_destination(root: Path, store: StoredRecordings) -> None:
    write(root / "superfly.wav")
    copied = store.copy("superfly", "renamed.gsm")
    assert (copied.name, copied.format) == ("renamed", "wav")
    assert (root / "renamed.wav").exists()


def test_copy_onto_an_existing_name_raises_and_keeps_it(
    root: Path, store: StoredRecordings
) -> None:
    write(root / "superfly.wav", b"one")
    write(root / "taken.gsm", b"two")
    with pytest.raises(RecordingExists):
        store.copy("superfly", "taken")
    assert (root / "taken.gsm").read_bytes() == b"two"
    assert not (root / "taken.wav").exists()


def test_copy_of_missing_recording_raises(store: StoredRecordings) -> None:
    with pytest.raises(RecordingNotFound):
        store.copy("not-superfly", "copy/super-duper-freak")


@pytest.mark.parametrize(
    "destination", ["../escaped", "sub/../../escaped", "/tmp/escaped", "a\x00b"]
)
def test_copy_outside_the_directory_is_forbidden(
    tmp_path: Path, root: Path, store: StoredRecordings, destination: str
) -> None:
    write(root / "superfly.wav")
    with pytest.raises(DestinationForbidden):
        store.copy("superfly", destination)
    assert not (root.parent / "escaped.wav").exists()
    assert not Path("/tmp/escaped.wav").exists()


def test_copy_the_file_system_refuses_raises_copy_failed(
    root: Path, store: StoredRecordings
) -> None:
    write(root / "superfly.wav")
    with pytest.raises(CopyFailed):
        store.copy("superfly", "x" * 5000)
