"""MediaLibrary.open: sound:, recording:, tone:, number:, digits:, characters: URIs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ariel.config.indications import IndicationsConf, build_indications, parse_tone
from ariel.config.parser import parse_conf
from ariel.core.media.sources import SamplesSource, SoundCache, ToneSource
from ariel.core.playback.media_library import MediaLibrary, MediaUnavailable, file_format_of
from ariel.core.sounds import SoundIndex
from ariel.core.stored_recordings import StoredRecordings
from ariel.media.formats import write_audio
from ariel.media.tones import ToneGenerator

INDICATIONS = """\
[general]
country = us
[us]
ring = 440+480/2000,0/4000
[uk]
ring = 400+450/400,0/200,400+450/400,0/2000
"""


def write_const(path: Path, value: int, n: int = 160, fmt: str = "wav") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_audio(path, fmt, np.full(n, value, dtype=np.int16))
    return path


def indications() -> IndicationsConf:
    model, found = build_indications(parse_conf(INDICATIONS, "indications.conf"))
    assert found == ()
    return model


@pytest.fixture
def sounds(tmp_path: Path) -> Path:
    root = tmp_path / "sounds"
    write_const(root / "en" / "hello.wav", 5, n=320)
    write_const(root / "fr" / "hello.wav", 6, n=320)
    write_const(root / "en" / "digits" / "1.wav", 11)
    write_const(root / "en" / "digits" / "2.wav", 12)
    write_const(root / "en" / "digits" / "12.wav", 112)
    write_const(root / "en" / "digits" / "star.wav", 13)
    write_const(root / "en" / "letters" / "a.wav", 21)
    write_const(root / "en" / "letters" / "b.wav", 22)
    (root / "en" / "broken.wav").write_bytes(b"RIFF but not really")
    (root / "en" / "wideband.g722").write_bytes(b"\x00" * 160)
    write_const(root / "secret.wav", 99)  # legacy layout: id "secret" in the default language
    return root


@pytest.fixture
def recordings(tmp_path: Path) -> Path:
    root = tmp_path / "recording"
    write_const(root / "greeting.wav", 42, n=480)
    write_const(root / "sub" / "inner.ulaw", 0, fmt="ulaw")
    write_const(tmp_path / "outside.wav", 77)
    return root


@pytest.fixture
def library(sounds: Path, recordings: Path) -> MediaLibrary:
    return MediaLibrary(
        sounds=SoundIndex([sounds]),
        recordings=StoredRecordings(recordings),
        indications=indications(),
        cache=SoundCache(),
    )


def values(source: SamplesSource | ToneSource) -> list[int]:
    """Every frame's first sample until the source is spent."""
    out: list[int] = []
    while not source.finished:
        frame = source.read(160)
        assert frame is not None
        out.append(int(frame[0]))
    return out


# -- sound: -------------------------------------------------------------------------------------


def test_sound_plays_the_prompt_file(library: MediaLibrary) -> None:
    source = library.open("sound:hello", "en")
    assert isinstance(source, SamplesSource)
    assert values(source) == [5, 5]


def test_sound_prefers_the_channel_language(library: MediaLibrary) -> None:
    assert values(library.open("sound:hello", "fr")) == [6, 6]


def test_sound_falls_back_to_the_default_language(library: MediaLibrary) -> None:
    assert values(library.open("sound:digits/1", "fr")) == [11]
    assert values(library.open("sound:hello", "en_GB")) == [5, 5]


def test_sound_starts_at_the_offset(library: MediaLibrary) -> None:
    source = library.open("sound:hello", "en", offset_ms=20)
    assert values(source) == [5]


@pytest.mark.parametrize("uri", ["sound:missing", "sound:", "sound:digits/9"])
def test_missing_sound_is_unavailable(library: MediaLibrary, uri: str) -> None:
    with pytest.raises(MediaUnavailable):
        library.open(uri, "en")


def test_sound_in_an_undecodable_format_only_is_unavailable(library: MediaLibrary) -> None:
    with pytest.raises(MediaUnavailable):
        library.open("sound:wideband", "en")


def test_corrupt_sound_file_is_unavailable(library: MediaLibrary) -> None:
    with pytest.raises(MediaUnavailable):
        library.open("sound:broken", "en")


@pytest.mark.parametrize("sound_id", ["../secret", "digits/../../secret", ".."])
def test_sound_with_a_parent_step_is_refused(library: MediaLibrary, sound_id: str) -> None:
    with pytest.raises(MediaUnavailable, match="invalid sound"):
        library.open(f"sound:{sound_id}", "en")


def test_absolute_sound_path_plays_but_not_through_a_parent_step(
    library: MediaLibrary, sounds: Path
) -> None:
    assert values(library.open(f"sound:{sounds}/en/digits/2", "en")) == [12]
    assert (sounds / "en" / ".." / "secret.wav").is_file()
    with pytest.raises(MediaUnavailable, match="invalid sound"):
        library.open(f"sound:{sounds}/en/../secret", "en")


def test_load_sound_gives_the_decoded_samples(library: MediaLibrary) -> None:
    assert library.load_sound("digits/2", "en").tolist() == [12] * 160


# -- recording: ---------------------------------------------------------------------------------


def test_recording_plays_the_stored_file(library: MediaLibrary) -> None:
    assert values(library.open("recording:greeting", "en")) == [42, 42, 42]


def test_recording_in_a_subfolder_and_raw_format_plays(library: MediaLibrary) -> None:
    assert values(library.open("recording:sub/inner", "en")) == [0]


def test_recording_starts_at_the_offset(library: MediaLibrary) -> None:
    assert values(library.open("recording:greeting", "en", offset_ms=40)) == [42]


@pytest.mark.parametrize("uri", ["recording:nope", "recording:", "recording:../outside"])
def test_missing_or_escaping_recording_is_unavailable(library: MediaLibrary, uri: str) -> None:
    with pytest.raises(MediaUnavailable):
        library.open(uri, "en")


# -- tone: --------------------------------------------------------------------------------------


def tone_frames(source: SamplesSource | ToneSource, n: int) -> list[list[int]]:
    out: list[list[int]] = []
    for _ in range(n):
        frame = source.read(160)
        assert frame is not None
        out.append(frame.tolist())
    return out


def test_named_tone_comes_from_the_default_zone(library: MediaLibrary) -> None:
    source = library.open("tone:ring", "en")
    assert isinstance(source, ToneSource)
    expected = ToneGenerator(parse_tone("440+480/2000,0/4000"))
    assert tone_frames(source, 3) == [expected.read(160).tolist() for _ in range(3)]
    assert not source.finished


def test_tonezone_option_picks_the_zone(library: MediaLibrary) -> None:
    source = library.open("tone:ring;tonezone=uk", "en")
    expected = ToneGenerator(parse_tone("400+450/400,0/200,400+450/400,0/2000"))
    assert tone_frames(source, 3) == [expected.read(160).tolist() for _ in range(3)]


def test_tone_list_is_played_as_written(library: MediaLibrary) -> None:
    source = library.open("tone:350+440/100,0/100", "en")
    expected = ToneGenerator(parse_tone("350+440/100,0/100"))
    assert tone_frames(source, 12) == [expected.read(160).tolist() for _ in range(12)]


def test_unknown_tone_zone_is_unavailable(library: MediaLibrary) -> None:
    with pytest.raises(MediaUnavailable, match="zone"):
        library.open("tone:ring;tonezone=atlantis", "en")


@pytest.mark.parametrize("uri", ["tone:dialish", "tone:"])
def test_unknown_tone_name_is_unavailable(library: MediaLibrary, uri: str) -> None:
    with pytest.raises(MediaUnavailable):
        library.open(uri, "en")


# -- number:, digits:, characters: --------------------------------------------------------------


def test_number_is_said_with_the_core_prompts(library: MediaLibrary) -> None:
    assert values(library.open("number:12", "en")) == [112]


def test_number_options_after_a_comma_are_ignored(library: MediaLibrary) -> None:
    assert values(library.open("number:2,f", "en")) == [12]


def test_digits_are_said_one_by_one(library: MediaLibrary) -> None:
    assert values(library.open("digits:12*", "en")) == [11, 12, 13]


def test_characters_are_spelled_case_insensitively(library: MediaLibrary) -> None:
    assert values(library.open("characters:aB1", "en")) == [21, 22, 11]


@pytest.mark.parametrize(
    "uri",
    [
        "number:abc",  # not a number
        "number:5",  # digits/5 is missing
        "digits:x",  # nothing to say
        "characters:z",  # letters/z is missing
    ],
)
def test_unsayable_text_is_unavailable(library: MediaLibrary, uri: str) -> None:
    with pytest.raises(MediaUnavailable):
        library.open(uri, "en")


# -- schemes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("uri", ["hello", "video:hello", "file:/etc/passwd"])
def test_uri_without_a_known_scheme_is_unavailable(library: MediaLibrary, uri: str) -> None:
    with pytest.raises(MediaUnavailable):
        library.open(uri, "en")


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.wav", "wav"), ("a.sln", "sln"), ("a.ul", "ulaw"), ("a.gsm", "gsm"), ("a.g729", None)],
)
def test_file_format_follows_the_extension(name: str, fmt: str | None) -> None:
    assert file_format_of(Path(name)) == fmt
