"""Loading a configuration directory (or the embedded default) into a ServerConfig.

Theory of operation: each of :data:`CONFIG_FILES` is parsed (a missing file is
simply absent), then handed to its model builder.  A missing http.conf or
indications.conf falls back to the embedded copy (so the HTTP server runs on
loopback and the ``us`` tones exist); any other missing file means Asterisk's
built-in defaults.  With no directory at all, every embedded default file is
used: the ARI quick start of "Asterisk: The Definitive Guide".  All diagnostics
are gathered first; errors are raised together as one :class:`ConfigError`,
warnings ride along on the result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ariel.config.ari import AriConf, build_ari_conf
from ariel.config.asterisk import AsteriskConf, build_asterisk_conf
from ariel.config.diagnostics import ConfigError, Diagnostic, Reporter
from ariel.config.dialplan import Dialplan, build_dialplan
from ariel.config.http import HttpConf, build_http_conf
from ariel.config.indications import IndicationsConf, build_indications
from ariel.config.moh import MohConf, build_moh_conf
from ariel.config.parser import ConfFile, parse_conf, parse_file
from ariel.config.pjsip import PjsipConf, build_pjsip_conf
from ariel.config.rtp import RtpConf, build_rtp_conf
from ariel.config.websocket_client import WebSocketClient, build_websocket_clients

__all__ = [
    "CONFIG_FILES",
    "ServerConfig",
    "check_config",
    "check_outbound_clients",
    "config_from_texts",
    "embedded_default",
    "load_config",
]

#: The files Ariel reads, in the order they are checked.
CONFIG_FILES = (
    "asterisk.conf",
    "http.conf",
    "ari.conf",
    "pjsip.conf",
    "extensions.conf",
    "rtp.conf",
    "musiconhold.conf",
    "indications.conf",
    "websocket_client.conf",
)
#: Files with an embedded default (websocket_client.conf has none: no connections).
_EMBEDDED = tuple(name for name in CONFIG_FILES[1:] if name != "websocket_client.conf")
_FALL_BACK_TO_EMBEDDED = ("http.conf", "indications.conf")


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerConfig:
    """Everything Ariel reads from its configuration directory.

    Attributes:
        asterisk: asterisk.conf (directories and options).
        http: http.conf.
        ari: ari.conf.
        pjsip: pjsip.conf.
        dialplan: extensions.conf.
        rtp: rtp.conf.
        moh: musiconhold.conf.
        indications: indications.conf.
        websocket_clients: websocket_client.conf: the outbound WebSocket
            connections by section name.
        warnings: Every warning found (errors are raised instead).
        config_dir: The directory read, ``None`` for the embedded default.
    """

    asterisk: AsteriskConf = field(default_factory=AsteriskConf)
    http: HttpConf = field(default_factory=HttpConf)
    ari: AriConf = field(default_factory=AriConf)
    pjsip: PjsipConf = field(default_factory=PjsipConf)
    dialplan: Dialplan = field(default_factory=Dialplan)
    rtp: RtpConf = field(default_factory=RtpConf)
    moh: MohConf = field(default_factory=MohConf)
    indications: IndicationsConf = field(default_factory=IndicationsConf)
    websocket_clients: Mapping[str, WebSocketClient] = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()
    config_dir: Path | None = None


_Builder = Callable[[ConfFile], tuple[Any, tuple[Diagnostic, ...]]]
_BUILDERS: dict[str, tuple[str, _Builder]] = {
    "asterisk.conf": ("asterisk", build_asterisk_conf),
    "http.conf": ("http", build_http_conf),
    "ari.conf": ("ari", build_ari_conf),
    "pjsip.conf": ("pjsip", build_pjsip_conf),
    "extensions.conf": ("dialplan", build_dialplan),
    "rtp.conf": ("rtp", build_rtp_conf),
    "musiconhold.conf": ("moh", build_moh_conf),
    "indications.conf": ("indications", build_indications),
    "websocket_client.conf": ("websocket_clients", build_websocket_clients),
}


def embedded_default(name: str) -> str:
    """The text of one embedded default file (``"pjsip.conf"``...).

    Raises:
        FileNotFoundError: If there is no embedded file of that name.
    """
    source = resources.files("ariel.config") / "defaults" / name
    return source.read_text(encoding="utf-8")


def _parse_embedded(name: str) -> ConfFile:
    return parse_conf(embedded_default(name), f"<default>/{name}")


def _embedded_files() -> dict[str, ConfFile]:
    return {name: _parse_embedded(name) for name in _EMBEDDED}


def _assemble(
    files: Mapping[str, ConfFile], config_dir: Path | None, *, fallback: bool
) -> tuple[ServerConfig, tuple[Diagnostic, ...]]:
    report = Reporter()
    models: dict[str, Any] = {}
    for name in CONFIG_FILES:
        conf = files.get(name)
        if conf is None and fallback and name in _FALL_BACK_TO_EMBEDDED:
            conf = _parse_embedded(name)
        if conf is None:
            continue
        attr, build = _BUILDERS[name]
        report.extend(conf.diagnostics)
        models[attr], found = build(conf)
        report.extend(found)
    config = ServerConfig(**models, config_dir=config_dir)
    if "extensions.conf" in files:
        _check_contexts(config, report)
    check_outbound_clients(config, report)
    warnings = tuple(d for d in report.diagnostics if not d.is_error)
    config = ServerConfig(**models, warnings=warnings, config_dir=config_dir)
    return config, report.diagnostics


def _check_contexts(config: ServerConfig, report: Reporter) -> None:
    for endpoint in config.pjsip.endpoints.values():
        context = endpoint.context
        if context not in config.dialplan.contexts and not context.startswith("stasis-"):
            report.warning(
                endpoint,
                f"endpoint [{endpoint.name}] uses context '{context}', "
                "which extensions.conf does not define",
            )


def check_outbound_clients(config: ServerConfig, report: Reporter) -> None:
    for connection in config.ari.outbound_websockets.values():
        if connection.client(config.websocket_clients) is None:
            report.warning(
                connection,
                f"outbound_websocket [{connection.name}] names websocket_client "
                f"'{connection.websocket_client_id or connection.name}', which "
                "websocket_client.conf does not define",
            )


def _finish(config: ServerConfig, diagnostics: tuple[Diagnostic, ...]) -> ServerConfig:
    errors = tuple(d for d in diagnostics if d.is_error)
    if errors:
        raise ConfigError(errors)
    return config


def _read_directory(directory: Path) -> dict[str, ConfFile]:
    files: dict[str, ConfFile] = {}
    for name in CONFIG_FILES:
        path = directory / name
        if path.exists():
            files[name] = parse_file(path, config_dir=directory, name=name)
    return files


def _directory_problem(directory: Path) -> Diagnostic | None:
    if directory.is_dir():
        return None
    return Diagnostic(file=str(directory), line=0, message="not a configuration directory")


def config_from_texts(texts: Mapping[str, str]) -> ServerConfig:
    """Build a configuration from file texts, as if they were files in a directory.

    Files not given take the same defaults as a missing file in :func:`load_config`.
    ``#include`` is not available.  Handy for tests of other layers.

    Args:
        texts: File name (``"pjsip.conf"``) to contents.

    Raises:
        ConfigError: If any file has errors.
    """
    files = {name: parse_conf(text, name) for name, text in texts.items() if name in _BUILDERS}
    return _finish(*_assemble(files, None, fallback=True))


def load_config(directory: Path | str | None = None) -> ServerConfig:
    """Load the configuration directory, or the embedded default when ``None``.

    Args:
        directory: The folder holding asterisk.conf, http.conf, ari.conf,
            pjsip.conf, extensions.conf, rtp.conf, musiconhold.conf and
            indications.conf (any may be missing).

    Raises:
        ConfigError: With every error found, each rendered as ``file:line: message``.
    """
    if directory is None:
        return _finish(*_assemble(_embedded_files(), None, fallback=False))
    path = Path(directory)
    problem = _directory_problem(path)
    if problem is not None:
        raise ConfigError((problem,))
    return _finish(*_assemble(_read_directory(path), path, fallback=True))


def check_config(directory: Path | str | None = None) -> tuple[Diagnostic, ...]:
    """Every error and warning for a configuration directory, without raising.

    This is what ``ariel check-config`` prints; it is empty for a clean directory.
    """
    if directory is None:
        return _assemble(_embedded_files(), None, fallback=False)[1]
    path = Path(directory)
    problem = _directory_problem(path)
    if problem is not None:
        return (problem,)
    return _assemble(_read_directory(path), path, fallback=True)[1]
