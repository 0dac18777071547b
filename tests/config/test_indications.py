"""indications.conf: zones and the tone-string parser."""

from __future__ import annotations

import pytest

from ariel.config.indications import IndicationsConf, TonePart, build_indications, parse_tone
from ariel.config.loader import embedded_default
from ariel.config.parser import parse_conf


def _build(text: str) -> tuple[IndicationsConf, list[str]]:
    model, found = build_indications(parse_conf(text, "indications.conf"))
    return model, [str(d) for d in found]


def test_parse_tone_reads_mixed_frequencies_and_durations() -> None:
    assert parse_tone("440+480/2000,0/4000") == (
        TonePart(freq1=440, freq2=480, duration_ms=2000),
        TonePart(freq1=0, duration_ms=4000),
    )


def test_parse_tone_reads_continuous_single_tone() -> None:
    assert parse_tone("425") == (TonePart(freq1=425),)


def test_parse_tone_marks_once_only_parts_and_modulation() -> None:
    assert parse_tone("!425*24/500, 0") == (
        TonePart(freq1=425, freq2=24, modulate=True, duration_ms=500, once=True),
        TonePart(freq1=0),
    )


def test_parse_tone_accepts_pipe_separator_and_midi_notes() -> None:
    assert parse_tone("M69/100|0/100") == (
        TonePart(freq1=440, duration_ms=100),
        TonePart(freq1=0, duration_ms=100),
    )


def test_parse_tone_ignores_trailing_text_like_sscanf() -> None:
    assert parse_tone("350+375+400") == (TonePart(freq1=350, freq2=375),)


@pytest.mark.parametrize("text", ["", "dial", "!", ",,", "+440"])
def test_parse_tone_rejects_text_without_frequencies(text: str) -> None:
    with pytest.raises(ValueError):
        parse_tone(text)


def test_zone_settings_and_named_tones_are_read() -> None:
    text = (
        "[general]\ncountry = uk\n[uk]\ndescription = United Kingdom\n"
        "ringcadence = 400,200,400,2000\ndial = 350+440\nSpecialDial = 350+440/750,440/750\n"
    )
    model, found = _build(text)
    assert found == []
    zone = model.zone()
    assert zone is not None
    assert (zone.name, zone.description, zone.ringcadence) == (
        "uk",
        "United Kingdom",
        (400, 200, 400, 2000),
    )
    assert set(zone.tones) == {"dial", "specialdial"}
    special = zone.tone("SPECIALDIAL")
    assert special is not None
    assert special.text == "350+440/750,440/750"
    assert special.parts[1] == TonePart(freq1=440, duration_ms=750)


def test_bad_tone_and_cadence_are_errors() -> None:
    _, found = _build("[us]\nringcadence = 2000,soon\nring = loud\n")
    assert found == [
        "indications.conf:2: bad value for 'ringcadence': 'soon' is not a whole number",
        "indications.conf:3: bad value for 'ring': tone part 'loud' does not start with a "
        "frequency",
    ]


def test_default_country_without_zone_is_a_warning() -> None:
    _, found = _build("[general]\ncountry = xx\n[us]\ndial = 350+440\n")
    assert found == ["indications.conf:1: default country 'xx' has no zone"]


def test_embedded_zones_include_us_ring_and_common_countries() -> None:
    model, found = build_indications(parse_conf(embedded_default("indications.conf"), "i.conf"))
    assert found == ()
    assert model.country == "us"
    assert {"us", "uk", "de", "fr", "au", "nl", "it", "jp"} <= set(model.zones)
    ring = model.zone("US")
    assert ring is not None
    tone = ring.tone("ring")
    assert tone is not None
    assert tone.parts == (
        TonePart(freq1=440, freq2=480, duration_ms=2000),
        TonePart(freq1=0, duration_ms=4000),
    )
    assert ring.ringcadence == (2000, 4000)
