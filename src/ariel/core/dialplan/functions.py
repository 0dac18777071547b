"""Dialplan functions: ``${NAME(args)}`` reads and ``Set(NAME(args)=value)`` writes.

Theory of operation (after main/pbx_functions.c): a function is a name plus
an optional read handler and an optional write handler, kept in an immutable
:class:`FunctionRegistry` keyed by the exact, case-sensitive name.  A call
``NAME(args)`` is split at the first ``(`` and the last ``)`` (a missing
``)`` is tolerated with a warning, as ``func_args`` does); the handler gets
the raw argument text, already substituted, and splits it itself, usually
with :func:`ariel.core.dialplan.args.separate_args`.  A read handler returns
the text, or ``None`` for failure (Asterisk's -1: nothing is substituted).
Handlers reach the channel, the globals, the dialplan, the clock and the
random source through a :class:`FunctionScope`, which the evaluator provides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from ariel.core.dialplan.scope import DialplanChannel, GlobalStore

if TYPE_CHECKING:
    from ariel.core.dialplan.lookup import DialplanIndex

__all__ = [
    "DialplanFunction",
    "FunctionRegistry",
    "FunctionScope",
    "ReadHandler",
    "WriteHandler",
    "split_call",
]


class FunctionScope(Protocol):
    """What a function handler may use (the evaluator implements it)."""

    @property
    def channel(self) -> DialplanChannel | None:
        """The channel the dialplan runs on, if any."""
        ...

    @property
    def global_vars(self) -> GlobalStore | None:
        """The global variables, if any."""
        ...

    @property
    def dialplan(self) -> DialplanIndex | None:
        """The dialplan, for ``DIALPLAN_EXISTS`` and friends."""
        ...

    def now(self) -> datetime:
        """The current time (aware)."""
        ...

    def random_int(self, low: int, high: int) -> int:
        """A random integer in ``[low, high]``."""
        ...

    def expand(self, text: str) -> str:
        """Substitute ``${...}``/``$[...]`` in ``text`` (warnings go to the current evaluation)."""
        ...

    def variable(self, name: str) -> str | None:
        """A variable's value: builtins, then the channel, then globals."""
        ...

    def assign(self, name: str, value: str | None) -> bool:
        """``pbx_builtin_setvar_helper``: set a variable, or write ``NAME(args)``."""
        ...

    def warn(self, message: str) -> None:
        """Record a warning Asterisk would log."""
        ...


ReadHandler = Callable[[FunctionScope, str | None], str | None]
WriteHandler = Callable[[FunctionScope, str | None, str], bool]


@dataclass(frozen=True, slots=True, kw_only=True)
class DialplanFunction:
    """One dialplan function.

    Attributes:
        name: The exact (case-sensitive) name, ``CALLERID``.
        read: ``(scope, args) -> text or None``; ``None`` if it cannot be read.
        write: ``(scope, args, value) -> success``; ``None`` if it cannot be written.
    """

    name: str
    read: ReadHandler | None = None
    write: WriteHandler | None = None


class FunctionRegistry(Mapping[str, DialplanFunction]):
    """An immutable name -> function table.

    Args:
        functions: The functions; a later one replaces an earlier one of the same name.
    """

    __slots__ = ("_functions",)

    def __init__(self, functions: Iterable[DialplanFunction] = ()) -> None:
        self._functions: dict[str, DialplanFunction] = {f.name: f for f in functions}

    def __getitem__(self, name: str) -> DialplanFunction:
        return self._functions[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._functions)

    def __len__(self) -> int:
        return len(self._functions)

    def with_functions(self, *functions: DialplanFunction) -> FunctionRegistry:
        """A new registry with ``functions`` added (replacing same-named ones)."""
        return FunctionRegistry([*self._functions.values(), *functions])

    def without(self, *names: str) -> FunctionRegistry:
        """A new registry without the named functions."""
        return FunctionRegistry(f for n, f in self._functions.items() if n not in names)


def split_call(call: str) -> tuple[str, str | None, str | None]:
    """``func_args``: ``NAME(args)`` into (name, args, warning).

    The name ends at the first ``(``; the args end at the last ``)``.

    >>> split_call("CUT(a,b,c)"), split_call("LEN(abc")[1]
    (('CUT', 'a,b,c', None), 'abc')
    """
    name, paren, rest = call.partition("(")
    if not paren:
        return (
            name,
            None,
            f"Function '{call}' doesn't contain parentheses.  Assuming null argument.",
        )
    close = rest.rfind(")")
    if close < 0:
        return name, rest, f"Can't find trailing parenthesis for function '{name}({rest}'?"
    return name, rest[:close], None
