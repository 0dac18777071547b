"""asterisk.conf: ``[directories]`` and ``[options]``.

As in Asterisk, only non-template sections count: the sample file ships
``[directories](!)`` precisely so that the compiled-in directories apply until
the ``(!)`` is removed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ariel.config._options import boolean, integer, read_section, table, text, words
from ariel.config.diagnostics import Diagnostic, Reporter
from ariel.config.parser import ConfFile

__all__ = ["AsteriskConf", "AsteriskDirectories", "AsteriskOptions", "build_asterisk_conf"]

_MAC = re.compile(r"[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}")


@dataclass(frozen=True, slots=True, kw_only=True)
class AsteriskDirectories:
    """``[directories]``: where Asterisk keeps its files (compiled-in defaults)."""

    astcachedir: Path = Path("/var/cache/asterisk")
    astetcdir: Path = Path("/etc/asterisk")
    astmoddir: Path = Path("/usr/lib/asterisk/modules")
    astvarlibdir: Path = Path("/var/lib/asterisk")
    astdbdir: Path = Path("/var/lib/asterisk")
    astkeydir: Path = Path("/var/lib/asterisk")
    astdatadir: Path = Path("/var/lib/asterisk")
    astagidir: Path = Path("/var/lib/asterisk/agi-bin")
    astspooldir: Path = Path("/var/spool/asterisk")
    astrundir: Path = Path("/var/run/asterisk")
    astlogdir: Path = Path("/var/log/asterisk")
    astsbindir: Path = Path("/usr/sbin")


@dataclass(frozen=True, slots=True, kw_only=True)
class AsteriskOptions:
    """``[options]``: the modelled ones; other accepted options are in ``extra``."""

    verbose: int = 0
    debug: int = 0
    trace: int = 0
    defaultlanguage: str = "en"
    systemname: str = ""
    autosystemname: bool = False
    entityid: str = ""
    maxcalls: int = 0
    maxload: float = 0.0
    maxfiles: int = 0
    minmemfree: int = 0
    execincludes: bool = False
    transmit_silence: bool = False
    transcode_via_sln: bool = False
    languageprefix: bool = True
    documentation_language: str = "en_US"
    runuser: str = ""
    rungroup: str = ""
    mindtmfduration: int = 80
    rtp_use_dynamic: bool = True
    rtp_pt_dynamic: int = 35
    hide_messaging_ami_events: bool = False
    sounds_search_custom_dir: bool = False
    live_dangerously: bool = False
    cache_media_frames: bool = True
    cache_record_files: bool = False
    record_cache_dir: str = "/tmp"
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class AsteriskConf:
    """The whole of asterisk.conf."""

    directories: AsteriskDirectories = field(default_factory=AsteriskDirectories)
    options: AsteriskOptions = field(default_factory=AsteriskOptions)


def _path(value: str) -> Path:
    if not value.strip():
        raise ValueError("a directory is required")
    return Path(value.strip())


def _float(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a number") from None


def _entity_id(value: str) -> str:
    if not _MAC.fullmatch(value.strip()):
        raise ValueError(f"{value!r} is not a MAC address like 00:11:22:33:44:55")
    return value.strip().lower().replace("-", ":")


_DIRECTORIES = table({f.name: _path for f in fields(AsteriskDirectories)})

_OPTIONS = table(
    {
        "verbose": integer(0),
        "debug": integer(0),
        "trace": integer(0),
        "defaultlanguage": text,
        "systemname": text,
        "autosystemname": boolean,
        "entityid": _entity_id,
        "maxcalls": integer(0),
        "maxload": _float,
        "maxfiles": integer(0),
        "minmemfree": integer(0),
        "execincludes": boolean,
        "transmit_silence": boolean,
        "transcode_via_sln": boolean,
        "languageprefix": boolean,
        "documentation_language": text,
        "runuser": text,
        "rungroup": text,
        "mindtmfduration": integer(0),
        "rtp_use_dynamic": boolean,
        "rtp_pt_dynamic": integer(0, 127),
        "hide_messaging_ami_events": boolean,
        "sounds_search_custom_dir": boolean,
        "live_dangerously": boolean,
        "cache_media_frames": boolean,
        "cache_record_files": boolean,
        "record_cache_dir": text,
    }
)

_KNOWN_OPTIONS = words(
    "refdebug alwaysfork nofork quiet timestamp console highpriority initcrypto nocolor "
    "dontwarn dumpcore lightbackground forceblackbackground hideconnect lockconfdir "
    "stdexten internal_timing disable_remote_console_shell transmit_silence_during_record "
    "dahdi_timing verbose_file debug_file channel_storage_backend dumpcore_debug "
    "sendfullybooked hide_messaging_ami_events"
)

_KNOWN_SECTIONS = ("directories", "options", "files", "compat")


def build_asterisk_conf(conf: ConfFile) -> tuple[AsteriskConf, tuple[Diagnostic, ...]]:
    """Build the asterisk.conf model from a parsed file.

    Returns:
        The model and what was found wrong with it (parse diagnostics excluded).
    """
    report = Reporter()
    directories: dict[str, Any] = {}
    options: dict[str, Any] = {}
    extra: dict[str, str] = {}
    for section in conf.objects:
        name = section.name.lower()
        if name == "directories":
            found, _ = read_section(section, _DIRECTORIES, report, kind="[directories]", skip=())
            directories.update(found)
        elif name == "options":
            found, more = read_section(
                section, _OPTIONS, report, kind="[options]", known=_KNOWN_OPTIONS, skip=()
            )
            options.update(found)
            extra.update(more)
        elif name not in _KNOWN_SECTIONS:
            report.warning(section, f"unknown section [{section.name}] in asterisk.conf; ignored")
    model = AsteriskConf(
        directories=AsteriskDirectories(**directories),
        options=AsteriskOptions(**options, extra=extra),
    )
    return model, report.diagnostics
