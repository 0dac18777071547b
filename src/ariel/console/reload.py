"""Live reload: re-read a configuration file and swap it in, or keep the old one.

Theory of operation: each reloadable module owns one file, as in Asterisk
(``pbx_config`` extensions.conf, ``res_pjsip`` pjsip.conf, ``res_ari``
ari.conf, ``res_musiconhold`` musiconhold.conf). A reload reads that file
afresh with the same parser and model builder as start-up. Any error keeps
the configuration in force and is reported as ``file:line: message``
(Asterisk likewise keeps the old objects when a module's file fails to
load). On success the new model is handed to the module's sink, which swaps
it in for what comes next: calls in progress keep what they started with
(their endpoint, their dialplan position) and take their next step under the
new configuration. ``core reload`` reloads every module; one module's broken
file does not hold back the others.

``res_ari`` reads websocket_client.conf with ari.conf, as the reference's
ARI reload reloads res_websocket_client first: the outbound WebSocket
connections are only whole with both.  Either file broken keeps both in force.
``module reload res_websocket_client.so`` re-reads websocket_client.conf alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ariel.config import (
    AriConf,
    ConfFile,
    Dialplan,
    MohConf,
    PjsipConf,
    ServerConfig,
    WebSocketClient,
    parse_conf,
    parse_file,
)
from ariel.config.ari import build_ari_conf
from ariel.config.diagnostics import Diagnostic, Reporter
from ariel.config.dialplan import build_dialplan
from ariel.config.loader import check_outbound_clients, embedded_default
from ariel.config.moh import build_moh_conf
from ariel.config.pjsip import build_pjsip_conf
from ariel.config.websocket_client import build_websocket_clients

__all__ = ["RELOADABLE_MODULES", "ReloadOutcome", "Reloader"]

#: The modules whose configuration file a reload re-reads, and that file.
RELOADABLE_MODULES: Mapping[str, str] = {
    "pbx_config": "extensions.conf",
    "res_pjsip": "pjsip.conf",
    "res_ari": "ari.conf",
    "res_websocket_client": "websocket_client.conf",
    "res_musiconhold": "musiconhold.conf",
}
#: Files re-read with another: ari.conf's outbound WebSockets need websocket_client.conf.
_WITH: Mapping[str, str] = {"ari.conf": "websocket_client.conf"}

_Builder = Callable[[ConfFile], tuple[Any, tuple[Diagnostic, ...]]]
_BUILDERS: Mapping[str, _Builder] = {
    "extensions.conf": build_dialplan,
    "pjsip.conf": build_pjsip_conf,
    "ari.conf": build_ari_conf,
    "musiconhold.conf": build_moh_conf,
    "websocket_client.conf": build_websocket_clients,
}
_FAILED: Mapping[str, str] = {
    "extensions.conf": "Dialplan reload failed: keeping the dialplan in force.",
    "pjsip.conf": "pjsip.conf reload failed: keeping the PJSIP configuration in force.",
    "ari.conf": "ari.conf reload failed: keeping the ARI configuration in force.",
    "musiconhold.conf": "musiconhold.conf reload failed: keeping the music on hold classes.",
    "websocket_client.conf": (
        "websocket_client.conf reload failed: keeping the WebSocket client configuration in force."
    ),
}
_DONE: Mapping[str, str] = {
    "extensions.conf": "Dialplan reloaded.",
    "pjsip.conf": "Module 'res_pjsip.so' reloaded successfully.",
    "ari.conf": "Module 'res_ari.so' reloaded successfully.",
    "musiconhold.conf": "Module 'res_musiconhold.so' reloaded successfully.",
    "websocket_client.conf": "Module 'res_websocket_client.so' reloaded successfully.",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ReloadOutcome:
    """What a reload did.

    Attributes:
        ok: Whether the new configuration is in force.
        lines: What to tell the administrator (errors, warnings, a summary).
    """

    ok: bool
    lines: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The lines, one per line."""
        return "".join(f"{line}\n" for line in self.lines)

    def __add__(self, other: ReloadOutcome) -> ReloadOutcome:
        return ReloadOutcome(ok=self.ok and other.ok, lines=(*self.lines, *other.lines))


def _ignore(_model: object) -> None:
    return None


class Reloader:
    """Re-reads the reloadable files of one configuration directory.

    Args:
        config_dir: The directory read at start; ``None`` for the embedded default.
        set_dialplan: Puts a new dialplan in force.
        on_reloaded: Called after any successful reload (``last_reload_time``).
        set_pjsip: Puts new pjsip.conf objects in force.
        set_ari: Puts new ari.conf users, options and outbound WebSockets in force.
        set_moh: Puts new music on hold classes in force.
        set_websocket_clients: Puts new websocket_client.conf connections in
            force (before ``set_ari`` when both files are reloaded).
    """

    def __init__(
        self,
        config_dir: Path | None,
        set_dialplan: Callable[[Dialplan], None],
        on_reloaded: Callable[[], None] = lambda: None,
        *,
        set_pjsip: Callable[[PjsipConf], None] = _ignore,
        set_ari: Callable[[AriConf], None] = _ignore,
        set_moh: Callable[[MohConf], None] = _ignore,
        set_websocket_clients: Callable[[Mapping[str, WebSocketClient]], None] = _ignore,
    ) -> None:
        self._dir = config_dir
        self._on_reloaded = on_reloaded
        self._sinks: Mapping[str, Callable[[Any], None]] = {
            "extensions.conf": set_dialplan,
            "pjsip.conf": set_pjsip,
            "ari.conf": set_ari,
            "musiconhold.conf": set_moh,
            "websocket_client.conf": set_websocket_clients,
        }

    def read(self, name: str) -> tuple[Any | None, tuple[str, ...], tuple[str, ...]]:
        """One file as it is now: (model or ``None``, errors, warnings).

        A file that is missing from the directory means Asterisk's built-in
        defaults, as at start-up.
        """
        if self._dir is None:
            try:
                conf = parse_conf(embedded_default(name), f"<default>/{name}")
            except FileNotFoundError:  # websocket_client.conf: no connections
                conf = parse_conf("", f"<default>/{name}")
        elif (self._dir / name).exists():
            conf = parse_file(self._dir / name, config_dir=self._dir, name=name)
        else:
            conf = parse_conf("", name)
        model, found = _BUILDERS[name](conf)
        diagnostics = (*conf.diagnostics, *found)
        errors = tuple(str(d) for d in diagnostics if d.is_error)
        warnings = tuple(str(d) for d in diagnostics if not d.is_error)
        return (None if errors else model), errors, warnings

    def read_dialplan(self) -> tuple[Dialplan | None, tuple[str, ...], tuple[str, ...]]:
        """extensions.conf as it is now: (dialplan or ``None``, errors, warnings)."""
        dialplan, errors, warnings = self.read("extensions.conf")
        assert dialplan is None or isinstance(dialplan, Dialplan)
        return dialplan, errors, warnings

    def reload_file(self, name: str) -> ReloadOutcome:
        """Re-read ``name`` (and the file read with it) and put it in force.

        Any error keeps both files' configuration in force and is reported.
        """
        names = (*((_WITH[name],) if name in _WITH else ()), name)
        read = {n: self.read(n) for n in names}
        errors = tuple(line for n in names for line in read[n][1])
        warnings = tuple(line for n in names for line in read[n][2])
        models: dict[str, Any] = {n: read[n][0] for n in names}
        if errors or None in models.values():
            return ReloadOutcome(ok=False, lines=(*errors, _FAILED[name]))
        if name == "ari.conf":
            warnings += _unknown_clients(models["ari.conf"], models["websocket_client.conf"])
        for n in names:
            self._sinks[n](models[n])
        self._on_reloaded()
        return ReloadOutcome(ok=True, lines=(*warnings, _DONE[name]))

    def reload_dialplan(self) -> ReloadOutcome:
        """``dialplan reload``: the new extensions.conf, or the old one kept with the errors."""
        return self.reload_file("extensions.conf")

    def reload_module(self, module: str) -> ReloadOutcome | None:
        """``module reload <module>``; ``None`` if the module has no file to re-read."""
        name = RELOADABLE_MODULES.get(module.strip().lower().removesuffix(".so"))
        return self.reload_file(name) if name is not None else None

    def reload_all(self) -> ReloadOutcome:
        """``core reload``/SIGHUP: every reloadable file, each on its own.

        Like Asterisk's ``core reload``, success is silent: only warnings and
        the failures (with what was kept) are reported.
        """
        outcome = ReloadOutcome(ok=True)
        companions = set(_WITH.values())
        for name in RELOADABLE_MODULES.values():
            if name in companions:
                continue
            one = self.reload_file(name)
            lines = one.lines if not one.ok else one.lines[:-1]
            outcome = outcome + ReloadOutcome(ok=one.ok, lines=lines)
        return outcome


def _unknown_clients(ari: AriConf, clients: Mapping[str, WebSocketClient]) -> tuple[str, ...]:
    """The start-up warnings about outbound WebSockets naming no websocket client."""
    found = Reporter()
    check_outbound_clients(ServerConfig(ari=ari, websocket_clients=clients), found)
    return tuple(str(d) for d in found.diagnostics)
