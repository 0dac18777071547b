"""``${VAR}``, ``${VAR:offset:length}``, ``${FUNC(args)}`` and ``$[expr]`` substitution.

Theory of operation (after main/pbx_variables.c,
``pbx_substitute_variables_helper_full``): text is copied up to each ``$``;
``${`` starts a variable and ``$[`` an expression, anything else after ``$``
is copied as is.  The end of ``${...}`` is found by counting ``{``/``}``
(``${`` counts as an opening brace; ``$[`` only marks "needs substituting");
``$[...]`` counts ``[``/``]`` the same way.  A missing closer is a warning and
the rest of the text becomes the name.  A name that contains ``${`` or ``$[``
is substituted first (so ``${${X}}`` works).  Then ``:offset[:length]``
outside parentheses is split off (``sscanf("%d:%d")``; a bad number leaves
the default, so ``${X::3}`` is all of X).  A name with ``(`` before that
colon is a function call, otherwise a variable looked up in Asterisk's
order: the channel's builtins (``EXTEN``, ``CONTEXT``, ``PRIORITY``,
``CHANNEL``, ``UNIQUEID``, ``HANGUPCAUSE``, ``CALLINGPRES``, ``CALLINGANI2``,
``CALLINGTON``, ``CALLINGTNS``, ``HINT``, ``HINTNAME``), then system values
(``EPOCH``, ``SYSTEMNAME``, ``AST*DIR``, ``ENTITYID``), then the channel's
variables, then the globals.  Builtins therefore shadow channel variables of
the same name, as in Asterisk.  Backslashes mean nothing here; escaping is
done by application argument parsing.  Asterisk's fixed buffers (4 KiB
names, 8 KiB application data) are not imposed.

Nothing raises: bad input yields what Asterisk would substitute plus the
warnings it would log, returned in :class:`Substitution`.
"""

from __future__ import annotations

import random as _random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from ariel._util.clock import Clock
from ariel.core.dialplan.callerid import party_presentation
from ariel.core.dialplan.cstrings import parse_variable_name, substring
from ariel.core.dialplan.expressions import evaluate
from ariel.core.dialplan.functions import FunctionRegistry, split_call
from ariel.core.dialplan.lookup import DialplanIndex
from ariel.core.dialplan.scope import DialplanChannel, GlobalStore

__all__ = ["Evaluator", "Substitution", "parse_variable_name", "substring"]

_MAX_DEPTH = 64
_SYSTEM_NAMES = frozenset(
    {
        "SYSTEMNAME",
        "ASTCACHEDIR",
        "ASTETCDIR",
        "ASTMODDIR",
        "ASTVARLIBDIR",
        "ASTDBDIR",
        "ASTKEYDIR",
        "ASTDATADIR",
        "ASTAGIDIR",
        "ASTSPOOLDIR",
        "ASTRUNDIR",
        "ASTLOGDIR",
        "ASTSBINDIR",
        "ENTITYID",
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Substitution:
    """The outcome of substituting one text.

    Attributes:
        text: The substituted text.
        diagnostics: The warnings Asterisk would log, in order.
    """

    text: str
    diagnostics: tuple[str, ...] = ()


def _find_end(
    text: str, start: int, opener: str, closer: str, other: str
) -> tuple[int, int, bool, bool]:
    """Scan from just after ``${``/``$[``.

    Returns:
        (end of the contents, where to resume, needs substitution, closed).
    """
    depth = 1
    needs = False
    index = start
    length = len(text)
    while depth and index < length:
        char = text[index]
        follower = text[index + 1 : index + 2]
        if char == "$" and follower == opener:
            needs = True
            depth += 1
            index += 1
        elif char == opener:
            depth += 1
        elif char == closer:
            depth -= 1
        elif char == "$" and follower == other:
            needs = True
            index += 1
        index += 1
    if depth:
        return index, index, needs, False
    return index - 1, index, needs, True


class Evaluator:
    """Substitutes and evaluates dialplan text for one channel (or none).

    Args:
        channel: The channel; ``None`` evaluates as Asterisk does without one
            (no builtins, no channel variables, functions get no channel and
            ``$[...]`` cannot call dialplan functions).
        global_vars: The global variables.
        functions: The dialplan functions available.
        dialplan: The dialplan, for ``HINT`` and ``DIALPLAN_EXISTS``.
        clock: Where ``EPOCH``, ``STRFTIME`` and timed checks read the time.
        random_int: Returns an integer in ``[low, high]`` (``RAND``).
        system: ``SYSTEMNAME``, ``ASTETCDIR``... values.
    """

    def __init__(
        self,
        *,
        channel: DialplanChannel | None = None,
        global_vars: GlobalStore | None = None,
        functions: FunctionRegistry | None = None,
        dialplan: DialplanIndex | None = None,
        clock: Clock | None = None,
        random_int: Callable[[int, int], int] | None = None,
        system: Mapping[str, str] | None = None,
    ) -> None:
        self._channel = channel
        self._globals = global_vars
        self._functions = functions if functions is not None else FunctionRegistry()
        self._dialplan = dialplan
        self._clock = clock
        self._random = random_int or _random.Random().randint
        self._system = dict(system or {})
        self._warnings: list[str] = []
        self._depth = 0

    @property
    def channel(self) -> DialplanChannel | None:
        """The channel, if any."""
        return self._channel

    @property
    def global_vars(self) -> GlobalStore | None:
        """The global variables, if any."""
        return self._globals

    @property
    def dialplan(self) -> DialplanIndex | None:
        """The dialplan, if any."""
        return self._dialplan

    @property
    def functions(self) -> FunctionRegistry:
        """The dialplan functions."""
        return self._functions

    def now(self) -> datetime:
        """The current time from the clock (UTC now when there is none)."""
        return self._clock.now() if self._clock else datetime.now(UTC)

    def random_int(self, low: int, high: int) -> int:
        """A random integer in ``[low, high]``."""
        return self._random(low, high)

    def warn(self, message: str) -> None:
        """Record a warning in the current evaluation."""
        self._warnings.append(message)

    def _collect(self, run: Callable[[], str]) -> tuple[str, tuple[str, ...]]:
        saved, self._warnings = self._warnings, []
        try:
            text = run()
        except RecursionError:
            self._warnings.append("substitution nested too deeply")
            text = ""
        warnings, self._warnings = tuple(self._warnings), saved
        return text, warnings

    def substitute(self, template: str) -> Substitution:
        """Substitute every ``${...}`` and ``$[...]`` in ``template``."""
        text, warnings = self._collect(lambda: self.expand(template))
        return Substitution(text=text, diagnostics=warnings)

    def read(self, call: str) -> Substitution:
        """Read a function, ``NAME(args)`` (args already substituted): ``ast_func_read``."""
        text, warnings = self._collect(lambda: self._read_function(call) or "")
        return Substitution(text=text, diagnostics=warnings)

    def write(self, name: str, value: str | None) -> Substitution:
        """Set a variable or write a function (``Set(name=value)``).

        The text is ``"1"`` when the write happened and ``""`` when it failed.
        """
        text, warnings = self._collect(lambda: "1" if self.assign(name, value) else "")
        return Substitution(text=text, diagnostics=warnings)

    def expand(self, text: str) -> str:
        """Substitute ``text``, adding warnings to the evaluation in progress."""
        if self._depth >= _MAX_DEPTH:
            self.warn("substitution nested too deeply; left as is")
            return text
        self._depth += 1
        try:
            return self._expand(text)
        finally:
            self._depth -= 1

    def _expand(self, text: str) -> str:
        out: list[str] = []
        index = 0
        length = len(text)
        while index < length:
            dollar = text.find("$", index)
            if dollar < 0:
                out.append(text[index:])
                break
            follower = text[dollar + 1 : dollar + 2]
            if follower not in ("{", "["):
                out.append(text[index : dollar + 1])
                index = dollar + 1
                continue
            out.append(text[index:dollar])
            if follower == "{":
                end, index, needs, closed = _find_end(text, dollar + 2, "{", "}", "[")
                if not closed:
                    self.warn("Error in extension logic (missing '}')")
                name = text[dollar + 2 : end]
                value = self._variable_or_function(self.expand(name) if needs else name)
                if value is not None:
                    out.append(value)
            else:
                end, index, needs, closed = _find_end(text, dollar + 2, "[", "]", "{")
                if not closed:
                    self.warn("Error in extension logic (missing ']')")
                body = text[dollar + 2 : end]
                out.append(self.evaluate(self.expand(body) if needs else body))
        return "".join(out)

    def evaluate(self, expression: str) -> str:
        """Evaluate an already-substituted ``$[...]`` body (warnings go to this evaluation)."""
        call = self._expression_call if self._channel is not None else None
        result = evaluate(expression, call)
        self._warnings.extend(result.diagnostics)
        return result.value

    def _expression_call(self, name: str, args: str) -> str | None:
        function = self._functions.get(name)
        if function is None:
            return None
        if function.read is None:
            self.warn(f"Error! Function '{name}' cannot be read!")
            return ""
        return function.read(self, args) or ""

    def _variable_or_function(self, spec: str) -> str | None:
        name, offset, length, is_function = parse_variable_name(spec)
        value = self._read_function(name) if is_function else self.variable(name)
        return None if value is None else substring(value, offset, length)

    def _read_function(self, call: str) -> str | None:
        name, args, warning = split_call(call)
        if warning:
            self.warn(warning)
        function = self._functions.get(name)
        if function is None:
            self.warn(f"Function {name} not registered")
            return None
        if function.read is None:
            self.warn(f"Function {name} cannot be read")
            return None
        return function.read(self, args)

    def variable(self, name: str) -> str | None:
        """``ast_str_retrieve_variable``: builtins, system values, channel variables, globals."""
        channel = self._channel
        if channel is not None:
            found, value = self._builtin(channel, name)
            if found:
                return value
        if name == "EPOCH":
            return str(int(self.now().timestamp()))
        if name in _SYSTEM_NAMES:
            return self._system.get(name, "")
        if channel is not None:
            value = channel.get_variable(name)
            if value is not None:
                return value
        if self._globals is not None and _storable(name):
            return self._globals.get(name)
        return None

    def _builtin(self, channel: DialplanChannel, name: str) -> tuple[bool, str | None]:
        simple: dict[str, Callable[[], str]] = {
            "EXTEN": lambda: channel.exten,
            "CONTEXT": lambda: channel.context,
            "PRIORITY": lambda: str(channel.priority),
            "CHANNEL": lambda: channel.name,
            "UNIQUEID": lambda: channel.uniqueid,
            "HANGUPCAUSE": lambda: str(channel.hangupcause),
            "CALLINGPRES": lambda: str(party_presentation(channel.caller.id)),
            "CALLINGANI2": lambda: str(channel.caller.ani2),
            "CALLINGTON": lambda: str(channel.caller.id.number_plan),
            "CALLINGTNS": lambda: "0",
        }
        if name in simple:
            return True, simple[name]()
        if name in ("HINT", "HINTNAME"):
            hint = None
            if self._dialplan is not None:
                hint = self._dialplan.hint(channel.context, channel.exten)
            if hint is None:
                return True, None
            return True, hint.device if name == "HINT" else hint.presence
        return False, None

    def assign(self, name: str, value: str | None) -> bool:
        """``pbx_builtin_setvar_helper``: a function write when ``name`` ends in ``)``.

        Without a channel the variable is a global.
        """
        if not name:
            self.warn("Set requires a variable name")
            return False
        if name.endswith(")"):
            return self._write_function(name, value)
        if self._channel is not None:
            self._channel.set_variable(name, value)
            return True
        if self._globals is not None and _storable(name):
            self._globals.set(name, value)
            return True
        return False

    def _write_function(self, call: str, value: str | None) -> bool:
        name, args, warning = split_call(call)
        if warning:
            self.warn(warning)
        function = self._functions.get(name)
        if function is None:
            self.warn(f"Function {name} not registered")
            return False
        if function.write is None:
            self.warn(f"Function {name} cannot be written to")
            return False
        return function.write(self, args, value or "")


def _storable(name: str) -> bool:
    """Whether a name is non-empty once blanks and inheritance marks are dropped."""
    return bool(name.strip().lstrip("_"))
