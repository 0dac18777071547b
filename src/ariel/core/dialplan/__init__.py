"""The pure parts of Asterisk's dialplan engine.

Extension patterns and their priority order (:mod:`.patterns`), finding the
step to run through includes (:mod:`.lookup`), ``${...}`` substitution
(:mod:`.substitution`), ``$[...]`` expressions (:mod:`.expressions`),
dialplan functions (:mod:`.functions` and the ``func_*`` modules), time
specs (:mod:`.timing`) and application argument parsing (:mod:`.args`).
Nothing here does I/O or keeps global state; the channel, the globals, the
clock and the random source come in through :mod:`.scope` and the
:class:`Evaluator` constructor.

A typical step of the interpreter::

    index = DialplanIndex(dialplan)
    step = index.find(channel.context, channel.exten, channel.priority, caller_number)
    evaluator = Evaluator(channel=channel, global_vars=globals_, functions=standard_functions(),
                          dialplan=index, clock=clock)
    data = evaluator.substitute(step.app_data)      # .text, .diagnostics
    args = separate_args(data.text)                 # Stasis(app,a,b) -> ["app", "a", "b"]
"""

from __future__ import annotations

from ariel.core.dialplan.args import (
    GotoIf,
    GotoTarget,
    check_condition,
    decode_char,
    decode_str,
    parse_goto,
    parse_gotoif,
    parse_set,
    separate_args,
    split_inheritance,
)
from ariel.core.dialplan.callerid import CallerInfo, PartyId, callerid_split, party_presentation
from ariel.core.dialplan.expressions import ExprResult, evaluate
from ariel.core.dialplan.func_channel import CHANNEL_FUNCTIONS
from ariel.core.dialplan.func_logic import LOGIC_FUNCTIONS
from ariel.core.dialplan.func_math import MATH_FUNCTIONS
from ariel.core.dialplan.func_pjsip import PJSIP_FUNCTIONS
from ariel.core.dialplan.func_strings import STRING_FUNCTIONS
from ariel.core.dialplan.func_timeout import TIMEOUT_FUNCTIONS
from ariel.core.dialplan.functions import (
    DialplanFunction,
    FunctionRegistry,
    FunctionScope,
    split_call,
)
from ariel.core.dialplan.lookup import DialplanIndex, Found, LookupStatus, stasis_context
from ariel.core.dialplan.patterns import (
    MatchMode,
    can_match,
    compare,
    is_pattern,
    match,
    match_more,
    sort_key,
)
from ariel.core.dialplan.scope import (
    DialplanChannel,
    GlobalStore,
    MemoryChannel,
    MemoryGlobals,
    VariableSource,
)
from ariel.core.dialplan.substitution import Evaluator, Substitution, substring
from ariel.core.dialplan.timing import Timing, parse_timing

__all__ = [
    "CallerInfo",
    "DialplanChannel",
    "DialplanFunction",
    "DialplanIndex",
    "Evaluator",
    "ExprResult",
    "Found",
    "FunctionRegistry",
    "FunctionScope",
    "GlobalStore",
    "GotoIf",
    "GotoTarget",
    "LookupStatus",
    "MatchMode",
    "MemoryChannel",
    "MemoryGlobals",
    "PartyId",
    "Substitution",
    "Timing",
    "VariableSource",
    "callerid_split",
    "can_match",
    "check_condition",
    "compare",
    "decode_char",
    "decode_str",
    "evaluate",
    "is_pattern",
    "match",
    "match_more",
    "parse_goto",
    "parse_gotoif",
    "parse_set",
    "parse_timing",
    "party_presentation",
    "separate_args",
    "sort_key",
    "split_call",
    "split_inheritance",
    "standard_functions",
    "stasis_context",
    "substring",
]


def standard_functions() -> FunctionRegistry:
    """Every dialplan function this package implements, in one registry."""
    return FunctionRegistry(
        [
            *STRING_FUNCTIONS,
            *LOGIC_FUNCTIONS,
            *MATH_FUNCTIONS,
            *CHANNEL_FUNCTIONS,
            *PJSIP_FUNCTIONS,
            *TIMEOUT_FUNCTIONS,
        ]
    )
