"""musiconhold.conf: ``[general]`` and one music-on-hold class per other section.

A class that cannot play (``files`` without a directory, ``playlist`` without
entries, ``custom`` without an application) is left out with a warning, as
res_musiconhold does.  Relative directories are resolved against Asterisk's data
directory (``astdatadir``) by :meth:`MohClass.resolve_directory`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ariel.config._options import Spec, boolean, choice, integer, read_section, table, text
from ariel.config.diagnostics import Diagnostic, Reporter
from ariel.config.parser import ConfFile, Section

__all__ = ["MohClass", "MohConf", "build_moh_conf"]

_MODES = ("files", "playlist", "custom", "mp3", "quietmp3", "mp3nb", "quietmp3nb")


@dataclass(frozen=True, slots=True, kw_only=True)
class MohClass:
    """A music-on-hold class.

    Attributes:
        name: The class name (the section name).
        mode: ``files``, ``playlist``, ``custom`` or one of the mp3 modes.
        directory: Where the files are, as written (see :meth:`resolve_directory`).
        application: The command run by ``custom`` mode.
        digit: A DTMF digit that switches a listener to this class.
        announcement: A sound played when hold starts and between files.
        sort: ``""`` (unspecified), ``random``, ``alpha`` or ``randstart``.
        format: The audio format a ``custom`` application produces.
        entries: ``entry =>`` files or URLs of a ``playlist`` class.
        answeredonly: Whether only answered channels get this class.
        loop_last: Whether the last file repeats instead of the whole list.
        kill_escalation_delay: Milliseconds between signals that stop ``custom``.
        kill_method: ``process_group`` or ``process``.
        file: Where the section was written.
        line: The section header's line.
    """

    name: str
    mode: str = "files"
    directory: str = ""
    application: str = ""
    digit: str = ""
    announcement: str = ""
    sort: str = ""
    format: str = ""
    entries: tuple[str, ...] = ()
    answeredonly: bool = False
    loop_last: bool = False
    kill_escalation_delay: int = 500
    kill_method: str = "process_group"
    file: str = ""
    line: int = 0

    def resolve_directory(self, data_dir: Path) -> Path:
        """The class's directory, a relative one taken from ``data_dir`` (astdatadir)."""
        directory = Path(self.directory)
        return directory if directory.is_absolute() else data_dir / directory


@dataclass(frozen=True, slots=True, kw_only=True)
class MohConf:
    """The whole of musiconhold.conf."""

    cachertclasses: bool = False
    preferchannelclass: bool = True
    classes: Mapping[str, MohClass] = field(default_factory=dict)


def _digit(value: str) -> str:
    word = value.strip()
    if len(word) != 1 or word.upper() not in "0123456789*#ABCD":
        raise ValueError(f"{value!r} is not a single DTMF digit")
    return word


def _random(value: str) -> str:
    return "random" if boolean(value) else ""


_GENERAL = table({"cachertclasses": boolean, "preferchannelclass": boolean})
_CLASS = table(
    {
        "mode": choice(*_MODES),
        "directory": text,
        "application": text,
        "digit": _digit,
        "announcement": text,
        "sort": choice("random", "alpha", "randstart"),
        "random": Spec("sort", _random),
        "format": text,
        "entry": Spec("entries", lambda value: (value,), accumulate=True),
        "answeredonly": boolean,
        "loop_last": boolean,
        "kill_escalation_delay": integer(0),
        "kill_method": choice("process_group", "process"),
    }
)


def _unplayable(moh: MohClass) -> str:
    if moh.mode == "playlist":
        return "" if moh.entries else "playlist class has no 'entry =>' lines"
    if moh.mode == "custom":
        return "" if moh.application else "custom class has no 'application'"
    return "" if moh.directory else f"{moh.mode} class has no 'directory'"


def _build_class(section: Section, report: Reporter) -> MohClass:
    values, _ = read_section(section, _CLASS, report, kind="music class", skip=())
    return MohClass(**values, name=section.name, file=section.file, line=section.line)


def build_moh_conf(conf: ConfFile) -> tuple[MohConf, tuple[Diagnostic, ...]]:
    """Build the musiconhold.conf model from a parsed file.

    Returns:
        The model and what was found wrong with it (parse diagnostics excluded).
    """
    report = Reporter()
    general: dict[str, Any] = {}
    classes: dict[str, MohClass] = {}
    for section in conf.objects:
        if section.is_named("general"):
            found, _ = read_section(section, _GENERAL, report, kind="[general]", skip=())
            general.update(found)
            continue
        moh = _build_class(section, report)
        problem = _unplayable(moh)
        if section.name in classes:
            first = classes[section.name]
            report.warning(
                section,
                f"music class [{section.name}] is already defined at {first.file}:{first.line}; "
                "ignored",
            )
        elif problem:
            report.warning(section, f"[{section.name}]: {problem}; class ignored")
        else:
            classes[section.name] = moh
    return MohConf(**general, classes=classes), report.diagnostics
