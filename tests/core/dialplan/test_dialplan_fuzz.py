"""Arbitrary input never makes the dialplan engine raise."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from ariel._util.clock import FixedClock
from ariel.config.dialplan import Context, Extension, Include
from ariel.core.dialplan import (
    CallerInfo,
    DialplanIndex,
    Evaluator,
    MemoryChannel,
    MemoryGlobals,
    evaluate,
    match,
    parse_goto,
    parse_gotoif,
    parse_timing,
    separate_args,
    sort_key,
    standard_functions,
)
from ariel.core.dialplan.patterns import MatchMode, match_core
from ariel.core.dialplan.posix_regex import PosixRegexError, compile_ere

# Text biased towards the characters that mean something to the dialplan.
_SPECIAL = '${}[]()$,:?|&=!<>+-*/%~"\\ ._XNZ0123456789abc'
dialplan_text = st.text(alphabet=st.sampled_from(_SPECIAL), max_size=60) | st.text(max_size=40)
_NAMES = ["LEN", "CUT", "IF", "MATH", "CALLERID", "REGEX", "FILTER", "FIELDQTY", "SHIFT", "EVAL"]
calls = st.builds(
    lambda name, args: "${" + name + "(" + args + ")}",
    st.sampled_from(_NAMES),
    dialplan_text,
)


def _evaluator() -> Evaluator:
    channel = MemoryChannel(caller=CallerInfo.of("A", "1"), variables={"X": "a,b-c", "N": "5"})
    context = Context(
        name="default",
        extensions=(Extension(exten="_X.", priority=1, app="NoOp"),),
        includes=(Include(context="default", timing="9:00-17:00"),),
    )
    return Evaluator(
        channel=channel,
        global_vars=MemoryGlobals({"G": "g"}),
        functions=standard_functions(),
        dialplan=DialplanIndex({"default": context}),
        clock=FixedClock(datetime(2024, 5, 6, 9, 30, tzinfo=UTC)),
        random_int=lambda low, high: low,
    )


@settings(max_examples=300, deadline=None)
@given(dialplan_text)
def test_substitution_never_raises(text: str) -> None:
    result = _evaluator().substitute(text)
    assert isinstance(result.text, str)


@settings(max_examples=300, deadline=None)
@given(calls)
def test_function_calls_never_raise(text: str) -> None:
    result = _evaluator().substitute(text)
    assert isinstance(result.text, str)


@settings(max_examples=300, deadline=None)
@given(dialplan_text)
def test_expressions_never_raise(text: str) -> None:
    result = evaluate(text, lambda name, args: args)
    assert isinstance(result.value, str)


@settings(max_examples=200, deadline=None)
@given(dialplan_text, dialplan_text)
def test_patterns_never_raise(pattern: str, exten: str) -> None:
    for mode in MatchMode:
        assert match_core("_" + pattern, exten, mode) in (0, 1, 2)
    match(pattern, exten)
    assert (sort_key(pattern) < sort_key(exten)) or (sort_key(pattern) >= sort_key(exten))


@settings(max_examples=200, deadline=None)
@given(dialplan_text)
def test_argument_parsers_never_raise(text: str) -> None:
    separate_args(text)
    separate_args(text, remove_chars=False, max_args=3)
    parse_goto(text)
    parse_gotoif(text)
    parse_timing(text)


@settings(max_examples=200, deadline=None)
@given(dialplan_text)
def test_regex_translation_raises_only_its_own_error(text: str) -> None:
    with contextlib.suppress(PosixRegexError):
        compile_ere(text)


@settings(max_examples=100, deadline=None)
@given(dialplan_text, st.integers(min_value=-5, max_value=5))
def test_lookup_never_raises(exten: str, priority: int) -> None:
    index = _evaluator().dialplan
    assert index is not None
    index.find("default", exten, priority, exten)
    index.can_match("default", exten)
    index.match_more("default", exten)
