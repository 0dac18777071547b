"""musiconhold.conf: classes and directory resolution."""

from __future__ import annotations

from pathlib import Path

from ariel.config.moh import MohClass, MohConf, build_moh_conf
from ariel.config.parser import parse_conf


def _build(text: str) -> tuple[MohConf, list[str]]:
    model, found = build_moh_conf(parse_conf(text, "musiconhold.conf"))
    return model, [str(d) for d in found]


def test_defaults_match_asterisk() -> None:
    assert MohConf().classes == {}
    moh = MohClass(name="x")
    assert (moh.mode, moh.sort, moh.digit, moh.kill_method) == ("files", "", "", "process_group")


def test_files_class_is_read_and_directory_resolves_against_data_dir() -> None:
    model, found = _build("[general]\n[default]\nmode = files\ndirectory = moh\n")
    assert found == []
    default = model.classes["default"]
    assert (default.mode, default.directory, default.line) == ("files", "moh", 2)
    assert default.resolve_directory(Path("/var/lib/asterisk")) == Path("/var/lib/asterisk/moh")
    absolute = MohClass(name="a", directory="/srv/music")
    assert absolute.resolve_directory(Path("/var/lib/asterisk")) == Path("/srv/music")


def test_class_options_are_typed() -> None:
    text = (
        "[c]\nmode=files\ndirectory=moh\ndigit=#\nannouncement=queue-thankyou\nsort=random\n"
        "[old]\ndirectory=moh\nrandom=yes\n"
    )
    model, found = _build(text)
    assert found == []
    c = model.classes["c"]
    assert (c.digit, c.announcement, c.sort) == ("#", "queue-thankyou", "random")
    assert model.classes["old"].sort == "random"


def test_playlist_entries_keep_their_order() -> None:
    model, _ = _build("[p]\nmode = playlist\nentry => /a.wav\nentry => http://x/b.mp3\n")
    assert model.classes["p"].entries == ("/a.wav", "http://x/b.mp3")


def test_unplayable_classes_are_left_out_with_a_warning() -> None:
    text = "[nodir]\nmode=files\n[empty]\nmode=playlist\n[noapp]\nmode=custom\n"
    model, found = _build(text)
    assert model.classes == {}
    assert found == [
        "musiconhold.conf:1: [nodir]: files class has no 'directory'; class ignored",
        "musiconhold.conf:3: [empty]: playlist class has no 'entry =>' lines; class ignored",
        "musiconhold.conf:5: [noapp]: custom class has no 'application'; class ignored",
    ]


def test_bad_mode_and_digit_are_errors() -> None:
    _, found = _build("[c]\nmode = vinyl\ndirectory = moh\ndigit = 12\n")
    assert found == [
        "musiconhold.conf:2: bad value for 'mode': 'vinyl' is not one of files, playlist, "
        "custom, mp3, quietmp3, mp3nb, quietmp3nb",
        "musiconhold.conf:4: bad value for 'digit': '12' is not a single DTMF digit",
    ]


def test_general_options_are_read() -> None:
    model, found = _build("[general]\ncachertclasses = yes\npreferchannelclass = no\n")
    assert found == []
    assert (model.cachertclasses, model.preferchannelclass) == (True, False)
