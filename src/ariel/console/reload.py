"""Live reload: re-read a configuration file and swap it in, or keep the old one.

Theory of operation: a reload reads ``extensions.conf`` afresh with the same
parser and model builder as start-up. Any error keeps the dialplan in force and
is reported as ``file:line: message`` (Asterisk likewise keeps the old dialplan
when pbx_config fails to load). On success the new dialplan is handed to the
sink, which swaps the index the interpreter consults at each step: channels in
progress keep running and take their next step in the new dialplan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ariel.config import Dialplan, parse_conf, parse_file
from ariel.config.dialplan import build_dialplan
from ariel.config.loader import embedded_default

__all__ = ["ReloadOutcome", "Reloader"]


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


class Reloader:
    """Re-reads the reloadable files of one configuration directory.

    Args:
        config_dir: The directory read at start; ``None`` for the embedded default.
        set_dialplan: Puts a new dialplan in force.
        on_reloaded: Called after any successful reload (``last_reload_time``).
    """

    def __init__(
        self,
        config_dir: Path | None,
        set_dialplan: Callable[[Dialplan], None],
        on_reloaded: Callable[[], None] = lambda: None,
    ) -> None:
        self._dir = config_dir
        self._set_dialplan = set_dialplan
        self._on_reloaded = on_reloaded

    def read_dialplan(self) -> tuple[Dialplan | None, tuple[str, ...], tuple[str, ...]]:
        """extensions.conf as it is now: (dialplan or ``None``, errors, warnings)."""
        name = "extensions.conf"
        if self._dir is None:
            conf = parse_conf(embedded_default(name), f"<default>/{name}")
        else:
            conf = parse_file(self._dir / name, config_dir=self._dir, name=name)
        dialplan, found = build_dialplan(conf)
        diagnostics = (*conf.diagnostics, *found)
        errors = tuple(str(d) for d in diagnostics if d.is_error)
        warnings = tuple(str(d) for d in diagnostics if not d.is_error)
        return (None if errors else dialplan), errors, warnings

    def reload_dialplan(self) -> ReloadOutcome:
        """``dialplan reload``: the new extensions.conf, or the old one kept with the errors."""
        dialplan, errors, warnings = self.read_dialplan()
        if dialplan is None:
            return ReloadOutcome(
                ok=False,
                lines=(*errors, "Dialplan reload failed: keeping the dialplan in force."),
            )
        self._set_dialplan(dialplan)
        self._on_reloaded()
        return ReloadOutcome(ok=True, lines=(*warnings, "Dialplan reloaded."))

    def reload_all(self) -> ReloadOutcome:
        """``core reload``/SIGHUP: every reloadable file (today: the dialplan)."""
        return self.reload_dialplan()
