"""SoundIndex: the prompt folders, as Asterisk's media index sees them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ariel.core.errors import NotFound
from ariel.core.sounds import FormatLang, Sound, SoundIndex

DEBIAN_SOUNDS = Path("/usr/share/asterisk/sounds")


def _touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"RIFF")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    sounds = tmp_path / "sounds"
    _touch(
        sounds,
        "en/hello-world.wav",
        "en/hello-world.ulaw",
        "en/digits/1.wav",
        "en/letters/a.gsm",
        "en/core-sounds-en.txt",
        "en/.hidden.wav",
        "en/notes.unknownext",
        "fr/hello-world.alaw",
        "fr/digits/1.wav16",
    )
    return sounds


def test_ids_include_subdirectories(root: Path) -> None:
    index = SoundIndex([root])
    assert [s.id for s in index.list()] == ["digits/1", "hello-world", "letters/a"]


def test_formats_are_codec_names_of_extensions(root: Path) -> None:
    index = SoundIndex([root])
    assert index.get("hello-world").formats == (
        FormatLang(language="en", format="slin"),
        FormatLang(language="en", format="ulaw"),
        FormatLang(language="fr", format="alaw"),
    )
    assert index.get("digits/1").formats == (
        FormatLang(language="en", format="slin"),
        FormatLang(language="fr", format="slin16"),
    )
    assert index.get("letters/a").formats == (FormatLang(language="en", format="gsm"),)


def test_unknown_extensions_and_hidden_files_are_skipped(root: Path) -> None:
    index = SoundIndex([root])
    assert not index.exists("notes")
    assert not index.exists(".hidden")
    assert not index.exists("core-sounds-en")


def test_get_of_unknown_sound_is_not_found(root: Path) -> None:
    with pytest.raises(NotFound, match=r"^Sound not found$"):
        SoundIndex([root]).get("no-such-sound")


def test_lang_filter_keeps_only_that_language(root: Path) -> None:
    found = SoundIndex([root]).list(lang="fr")
    assert found == [
        Sound(id="digits/1", text=None, formats=(FormatLang(language="fr", format="slin16"),)),
        Sound(id="hello-world", text=None, formats=(FormatLang(language="fr", format="alaw"),)),
    ]


def test_unmatched_filters_give_empty_list(root: Path) -> None:
    index = SoundIndex([root])
    assert index.list(lang="xx") == []
    assert index.list(format="opus") == []
    assert index.list(lang="fr", format="gsm") == []


def test_format_filter_and_empty_filters(root: Path) -> None:
    index = SoundIndex([root])
    assert [s.id for s in index.list(format="slin")] == ["digits/1", "hello-world"]
    assert index.list(lang="", format="") == index.list()


def test_legacy_layout_counts_as_default_language(tmp_path: Path) -> None:
    _touch(tmp_path, "beep.gsm", "digits/2.ulaw", "vm-intro.sln")
    index = SoundIndex([tmp_path], default_language="en")
    assert [s.id for s in index.list()] == ["beep", "digits/2", "vm-intro"]
    assert index.get("vm-intro").formats == (FormatLang(language="en", format="slin"),)


def test_descriptions_give_default_language_text(root: Path) -> None:
    (root / "en" / "core-sounds-en.txt").write_text(
        "; comment line\nhello-world: Hello world.\ndigits/1: One\nbad line\n"
    )
    index = SoundIndex([root])
    assert index.get("hello-world").text == "Hello world."
    assert index.get("digits/1").text == "One"
    assert index.get("letters/a").text is None


def test_symlinked_language_folders_are_indexed_once_under_shortest_name(
    tmp_path: Path,
) -> None:
    _touch(tmp_path, "en_US_f_Allison/hello-world.wav")
    os.symlink(tmp_path / "en_US_f_Allison", tmp_path / "en")
    os.symlink(tmp_path / "en_US_f_Allison", tmp_path / "en_US")
    index = SoundIndex([tmp_path])
    assert index.get("hello-world").formats == (FormatLang(language="en", format="slin"),)


def test_first_root_wins_and_roots_merge(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    _touch(a, "en/beep.wav")
    _touch(b, "en/beep.wav", "en/extra.wav")
    index = SoundIndex([a, b, tmp_path / "missing"])
    assert index.resolve("beep") is not None
    assert index.resolve("beep").path == a / "en" / "beep.wav"  # type: ignore[union-attr]
    assert [s.id for s in index.list()] == ["beep", "extra"]


def test_index_is_cached_until_refresh(root: Path) -> None:
    index = SoundIndex([root])
    assert len(index) == 3
    _touch(root, "en/new-prompt.wav")
    assert not index.exists("new-prompt")
    index.refresh()
    assert index.exists("new-prompt")
    assert len(index) == 4


def test_resolve_prefers_requested_formats_in_order(root: Path) -> None:
    index = SoundIndex([root])
    found = index.resolve("hello-world", "en", ["ulaw", "slin"])
    assert found is not None and found.format == "ulaw" and found.extension == "ulaw"
    assert index.path_of("hello-world", "en", ["slin"]) == root / "en" / "hello-world.wav"
    assert index.resolve("hello-world", "en", ["opus"]) is None


def test_resolve_falls_back_through_languages(root: Path) -> None:
    index = SoundIndex([root])
    assert index.resolve("hello-world", "fr_CA").language == "fr"  # type: ignore[union-attr]
    assert index.resolve("letters/a", "fr").language == "en"  # type: ignore[union-attr]
    assert index.resolve("hello-world", None).language == "en"  # type: ignore[union-attr]
    assert index.path_of("no-such", "en") is None


def test_resolve_accepts_absolute_paths(tmp_path: Path) -> None:
    _touch(tmp_path, "rec/msg.wav")
    index = SoundIndex([])
    found = index.resolve(str(tmp_path / "rec" / "msg"))
    assert found is not None and found.path == tmp_path / "rec" / "msg.wav"
    assert found.format == "slin"
    assert index.resolve(str(tmp_path / "rec" / "msg"), formats=["ulaw"]) is None
    assert index.resolve(str(tmp_path / "rec" / "none")) is None


def test_files_lists_every_file_of_a_sound(root: Path) -> None:
    files = SoundIndex([root]).files("hello-world")
    assert [(f.language, f.format) for f in files] == [
        ("en", "slin"),
        ("en", "ulaw"),
        ("fr", "alaw"),
    ]


@pytest.mark.skipif(not (DEBIAN_SOUNDS / "en").is_dir(), reason="Debian prompts not installed")
def test_debian_prompts_are_english_slin() -> None:
    index = SoundIndex([DEBIAN_SOUNDS])
    assert index.get("hello-world") == Sound(
        id="hello-world", text=None, formats=(FormatLang(language="en", format="slin"),)
    )
    assert index.exists("digits/1") and index.exists("letters/a")
    everything = index.list()
    slin = index.list(format="slin")
    assert len(everything) == len(slin) > 500
    assert {p.language for s in everything for p in s.formats} == {"en"}
