"""indications.conf: tone zones (``[us]``, ``[uk]``...) and the default country.

Theory of operation: every non-template section but ``[general]`` is a zone;
``description`` and ``ringcadence`` are settings, any other option is a named
tone (``dial``, ``ring``, ``busy``...).  Tone strings are parsed here once, by
:func:`parse_tone`, which follows ``ast_tone_zone_part_parse``: parts are
``[!][M]f1[+f2|*f2][/ms]``, ``!`` plays a part once instead of repeating it,
``*`` modulates instead of mixing and ``M`` gives MIDI note numbers.  Like
``sscanf``, text after a valid part is ignored.  Zone and tone names compare
case-insensitively, as Asterisk compares them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ariel.config.diagnostics import Diagnostic, Reporter
from ariel.config.parser import ConfFile, Section
from ariel.config.values import parse_int

__all__ = ["IndicationsConf", "Tone", "TonePart", "ToneZone", "build_indications", "parse_tone"]

_PART = re.compile(r"\s*(\d+)(?:([+*])\s*(\d+))?(?:/\s*(\d+))?")


@dataclass(frozen=True, slots=True, kw_only=True)
class TonePart:
    """One element of a tone list such as ``440+480/2000``.

    Attributes:
        freq1: The first frequency in Hz (0 is silence).
        freq2: The second frequency in Hz, 0 if none.
        modulate: Whether ``freq1`` is modulated by ``freq2`` (``*``) rather than
            mixed with it (``+``).
        duration_ms: How long the part lasts; ``None`` plays it until stopped.
        once: Whether the part is played only once (``!`` prefix) instead of
            being part of the repeating cycle.
    """

    freq1: int
    freq2: int = 0
    modulate: bool = False
    duration_ms: int | None = None
    once: bool = False


def _midi_hz(note: int) -> int:
    return int(440.0 * 2.0 ** ((note % 128 - 69) / 12.0))


def parse_tone(text: str) -> tuple[TonePart, ...]:
    """Parse a tone list such as ``!350+440/100,!0/100,350+440``.

    Raises:
        ValueError: If a part does not start with a frequency, or the list is empty.

    >>> parse_tone("440+480/2000,0/4000")[0]
    TonePart(freq1=440, freq2=480, modulate=False, duration_ms=2000, once=False)
    """
    parts: list[TonePart] = []
    for raw in text.split("|" if "|" in text else ","):
        item = raw.strip()
        if not item:
            continue
        once = item.startswith("!")
        item = item[1:] if once else item
        midi = item[:1] in ("M", "m")
        item = item[1:] if midi else item
        match = _PART.match(item)
        if match is None:
            raise ValueError(f"tone part {raw.strip()!r} does not start with a frequency")
        freq1, op, freq2, duration = match.groups()
        first, second = int(freq1), int(freq2) if freq2 else 0
        if midi:
            first, second = _midi_hz(first), _midi_hz(second) if freq2 else 0
        parts.append(
            TonePart(
                freq1=first,
                freq2=second,
                modulate=op == "*",
                duration_ms=int(duration) if duration else None,
                once=once,
            )
        )
    if not parts:
        raise ValueError(f"{text!r} has no tone parts")
    return tuple(parts)


@dataclass(frozen=True, slots=True, kw_only=True)
class Tone:
    """A named tone of a zone: its text as written and the parsed parts."""

    name: str
    text: str
    parts: tuple[TonePart, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ToneZone:
    """A country's tones.

    Attributes:
        name: The zone name (``us``).
        description: The country's name.
        ringcadence: Ring on/off durations in ms.
        tones: The tones by lower-case name (``dial``, ``ring``, ``busy``...).
        file: Where the section was written.
        line: The section header's line.
    """

    name: str
    description: str = ""
    ringcadence: tuple[int, ...] = ()
    tones: Mapping[str, Tone] = field(default_factory=dict)
    file: str = ""
    line: int = 0

    def tone(self, name: str) -> Tone | None:
        """The tone called ``name`` (any case), if the zone has it."""
        return self.tones.get(name.lower())


@dataclass(frozen=True, slots=True, kw_only=True)
class IndicationsConf:
    """The whole of indications.conf.

    Attributes:
        country: The default zone's name (``[general] country``).
        zones: The zones by name, in order.
    """

    country: str = "us"
    zones: Mapping[str, ToneZone] = field(default_factory=dict)

    def zone(self, name: str | None = None) -> ToneZone | None:
        """The zone called ``name`` (any case), or the default zone."""
        wanted = (name or self.country).lower()
        for zone in self.zones.values():
            if zone.name.lower() == wanted:
                return zone
        return None


def _build_zone(section: Section, report: Reporter) -> ToneZone:
    description = ""
    cadence: tuple[int, ...] = ()
    tones: dict[str, Tone] = {}
    for option in section.options:
        key = option.key.lower()
        try:
            if key == "description":
                description = option.value
            elif key == "ringcadence":
                cadence = tuple(parse_int(p, minimum=0) for p in option.value.split(","))
            elif key == "alias":
                report.warning(option, f"'alias' in zone [{section.name}] is obsolete; ignored")
            else:
                tones[key] = Tone(
                    name=option.key, text=option.value, parts=parse_tone(option.value)
                )
        except ValueError as exc:
            report.error(option, f"bad value for '{option.key}': {exc}")
    return ToneZone(
        name=section.name,
        description=description,
        ringcadence=cadence,
        tones=tones,
        file=section.file,
        line=section.line,
    )


def build_indications(conf: ConfFile) -> tuple[IndicationsConf, tuple[Diagnostic, ...]]:
    """Build the indications.conf model from a parsed file.

    Returns:
        The model and what was found wrong with it (parse diagnostics excluded).
    """
    report = Reporter()
    country = "us"
    general: Section | None = None
    zones: dict[str, ToneZone] = {}
    for section in conf.objects:
        if section.is_named("general"):
            general = section
            for option in section.options:
                if option.key.lower() == "country":
                    country = option.value.strip()
                else:
                    report.warning(option, f"unknown [general] option '{option.key}'")
        elif section.name in zones:
            report.error(section, f"zone [{section.name}] is defined twice")
        else:
            zones[section.name] = _build_zone(section, report)
    model = IndicationsConf(country=country, zones=zones)
    if general is not None and zones and model.zone() is None:
        report.warning(general, f"default country '{country}' has no zone")
    return model, report.diagnostics
