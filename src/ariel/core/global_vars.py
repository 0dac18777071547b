"""Global dialplan variables (``/asterisk/variable`` and ``${NAME}`` without a channel).

Theory of operation: one flat ``name -> value`` map shared by the dialplan
and ARI. ``extensions.conf`` ``[globals]`` seeds it at start (and on
reload); values set later are kept in astdb family ``ariel_globals`` so they
survive a restart, although a value from ``[globals]`` wins at start-up
(the configuration is the source of truth for the names it sets).

Names follow ``pbx_builtin_setvar_helper``: leading ``_``/``__`` inheritance
marks are dropped, and the function form ``GLOBAL(name)`` addresses the same
variable. Names are case-sensitive. Reading an unset variable gives ``""``
through :meth:`GlobalVariables.value` (ARI answers ``{"value": ""}``);
setting a variable to ``None`` unsets it, while ``""`` stores an empty value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ariel.core.astdb import AstDB
from ariel.core.errors import InvalidArgument

__all__ = ["GLOBALS_FAMILY", "GlobalVariables", "normalize_name"]

#: The astdb family holding global variables set at run time.
GLOBALS_FAMILY = "ariel_globals"


def normalize_name(name: str | None) -> str:
    """The variable a (possibly decorated) name refers to.

    >>> normalize_name("__FOO"), normalize_name("GLOBAL(bar)"), normalize_name(" x ")
    ('FOO', 'bar', 'x')

    Raises:
        InvalidArgument: nothing is left of the name ("Variable name is required").
    """
    text = (name or "").strip()
    if text.upper().startswith("GLOBAL(") and text.endswith(")"):
        text = text[len("GLOBAL(") : -1].strip()
    if text.startswith("__"):
        text = text[2:]
    elif text.startswith("_"):
        text = text[1:]
    if not text:
        raise InvalidArgument("Variable name is required")
    return text


class GlobalVariables:
    """The global variables of the dialplan.

    Args:
        db: Where run-time values persist.
        initial: ``[globals]`` of ``extensions.conf``, applied over the
            persisted values.
        on_change: Called with ``(name, value)`` after each change; ``value``
            is ``None`` when the variable was unset.
    """

    def __init__(
        self,
        db: AstDB,
        initial: Mapping[str, str] | None = None,
        on_change: Callable[[str, str | None], None] | None = None,
    ) -> None:
        self._db = db
        self._on_change = on_change
        self._values: dict[str, str] = dict(db.items(GLOBALS_FAMILY))
        for name, value in (initial or {}).items():
            self._store(normalize_name(name), value)

    def get(self, name: str) -> str | None:
        """The value of a variable, or ``None`` if it is unset.

        Raises:
            InvalidArgument: empty name.
        """
        return self._values.get(normalize_name(name))

    def value(self, name: str) -> str:
        """The value of a variable, ``""`` if it is unset."""
        return self.get(name) or ""

    def set(self, name: str, value: str | None) -> None:
        """Set (or with ``None``, unset) a variable.

        Raises:
            InvalidArgument: empty name ("Variable name is required").
        """
        key = normalize_name(name)
        if value is None:
            self.unset(key)
            return
        if self._values.get(key) == value:
            return
        self._store(key, value)
        self._notify(key, value)

    def unset(self, name: str) -> bool:
        """Remove a variable.

        Returns:
            Whether it was set.
        """
        key = normalize_name(name)
        if key not in self._values:
            return False
        del self._values[key]
        self._db.delete(GLOBALS_FAMILY, key)
        self._notify(key, None)
        return True

    def items(self) -> dict[str, str]:
        """A copy of every variable, ordered by name."""
        return dict(sorted(self._values.items()))

    def reload(self, initial: Mapping[str, str], *, clear: bool = False) -> None:
        """Apply a reloaded ``[globals]`` section.

        Args:
            initial: The new ``[globals]``.
            clear: Drop every variable first (``clearglobalvars=yes``).
        """
        if clear:
            for key in list(self._values):
                self.unset(key)
        for name, value in initial.items():
            self.set(name, value)

    def _store(self, key: str, value: str) -> None:
        self._values[key] = value
        self._db.put(GLOBALS_FAMILY, key, value)

    def _notify(self, key: str, value: str | None) -> None:
        if self._on_change is not None:
            self._on_change(key, value)
