"""${...} substitution: names, offsets, functions, nesting, builtins and bad input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ariel._util.clock import FixedClock
from ariel.config.dialplan import Context, Hint
from ariel.core.dialplan import (
    CallerInfo,
    DialplanIndex,
    Evaluator,
    MemoryChannel,
    MemoryGlobals,
    standard_functions,
)
from ariel.core.dialplan.substitution import parse_variable_name, substring

NOW = datetime(2024, 5, 6, 9, 30, 15, 250000, tzinfo=UTC)


def _evaluator(**variables: str) -> tuple[Evaluator, MemoryChannel, MemoryGlobals]:
    channel = MemoryChannel(
        name="PJSIP/alice-00000001",
        uniqueid="1715000000.7",
        context="internal",
        exten="100",
        priority=3,
        caller=CallerInfo.of("Alice", "5551234"),
        variables=dict(variables),
    )
    globals_ = MemoryGlobals({"GREETING": "hello", "EXTEN": "global-exten"})
    hint = Hint(exten="100", device="PJSIP/alice", presence="CustomPresence:alice")
    index = DialplanIndex({"internal": Context(name="internal", hints=(hint,))})
    evaluator = Evaluator(
        channel=channel,
        global_vars=globals_,
        functions=standard_functions(),
        dialplan=index,
        clock=FixedClock(NOW),
        system={"SYSTEMNAME": "ariel1"},
    )
    return evaluator, channel, globals_


def _sub(evaluator: Evaluator, text: str) -> str:
    return evaluator.substitute(text).text


@pytest.mark.parametrize(
    ("offset", "length", "expected"),
    [
        (0, 2**31 - 1, "1234567"),
        (2, 2**31 - 1, "34567"),
        (2, 3, "345"),
        (-3, 2**31 - 1, "567"),
        (-3, 2, "56"),
        (-10, 2, "12"),  # a negative offset past the start starts at the start
        (1, -2, "2345"),  # a negative length leaves that many off the end
        (0, -7, ""),
        (0, -8, ""),
        (7, 2**31 - 1, ""),
        (9, 1, ""),
        (0, 0, ""),
        (-3, -1, "56"),
    ],
)
def test_substring_follows_ast_str_substring(offset: int, length: int, expected: str) -> None:
    assert substring("1234567", offset, length) == expected


def test_parse_variable_name_reads_offsets_like_sscanf() -> None:
    assert parse_variable_name("X") == ("X", 0, 2**31 - 1, False)
    assert parse_variable_name("X:2") == ("X", 2, 2**31 - 1, False)
    assert parse_variable_name("X: -2: 1") == ("X", -2, 1, False)
    assert parse_variable_name("X::3") == ("X", 0, 2**31 - 1, False)  # sscanf stops at once
    assert parse_variable_name("X:a:3") == ("X", 0, 2**31 - 1, False)
    assert parse_variable_name("F(a:b):1:2") == ("F(a:b)", 1, 2, True)
    assert parse_variable_name("A)B:1") == ("A)B:1", 0, 2**31 - 1, False)  # parens went negative


def test_variables_offsets_and_nesting() -> None:
    evaluator, _, _ = _evaluator(NUM="1234567", WHICH="NUM", PART="2")
    assert _sub(evaluator, "${NUM}") == "1234567"
    assert _sub(evaluator, "x${NUM:2:3}y") == "x345y"
    assert _sub(evaluator, "${NUM:-3}") == "567"
    assert _sub(evaluator, "${${WHICH}}") == "1234567"
    assert _sub(evaluator, "${NUM:${PART}}") == "34567"
    assert _sub(evaluator, "${NUM:$[1+1]:2}") == "34"
    assert _sub(evaluator, "${UNSET}|${}") == "|"


def test_dollar_without_brace_or_bracket_is_copied() -> None:
    evaluator, _, _ = _evaluator()
    assert _sub(evaluator, "cost $5 and $$ and $") == "cost $5 and $$ and $"
    assert _sub(evaluator, "a\\${GREETING}") == "a\\hello"  # no escapes in substitution


def test_channel_then_globals() -> None:
    evaluator, channel, _ = _evaluator(GREETING="hi from the channel")
    assert _sub(evaluator, "${GREETING}") == "hi from the channel"
    del channel.variables["GREETING"]
    assert _sub(evaluator, "${GREETING}") == "hello"


def test_builtins_shadow_channel_variables_and_globals() -> None:
    evaluator, _, _ = _evaluator(EXTEN="channel-exten")
    assert _sub(evaluator, "${EXTEN}/${CONTEXT}/${PRIORITY}") == "100/internal/3"
    assert _sub(evaluator, "${CHANNEL}|${UNIQUEID}|${HANGUPCAUSE}") == (
        "PJSIP/alice-00000001|1715000000.7|0"
    )
    assert _sub(evaluator, "${CALLINGPRES}|${CALLINGANI2}|${CALLINGTON}") == "0|0|0"


def test_hint_builtins_read_the_dialplan() -> None:
    evaluator, channel, _ = _evaluator()
    assert _sub(evaluator, "${HINT}|${HINTNAME}") == "PJSIP/alice|CustomPresence:alice"
    channel.exten = "999"
    assert _sub(evaluator, "[${HINT}]") == "[]"


def test_system_values_and_epoch_come_from_injected_sources() -> None:
    evaluator, _, _ = _evaluator()
    assert _sub(evaluator, "${EPOCH}") == str(int(NOW.timestamp()))
    assert _sub(evaluator, "${SYSTEMNAME}|${ASTETCDIR}") == "ariel1|"


def test_without_a_channel_only_globals_and_system_values_exist() -> None:
    globals_ = MemoryGlobals({"G": "global"})
    evaluator = Evaluator(global_vars=globals_, functions=standard_functions())
    assert evaluator.substitute("${G}|${EXTEN}|${CHANNEL}").text == "global||"
    assert evaluator.substitute("$[LEN(abc)]").text == "0"  # no channel: no functions in $[]
    assert evaluator.substitute("${LEN(abc)}").text == "3"
    assert evaluator.write("NEW", "x").text == "1"
    assert globals_.values["NEW"] == "x"


def test_functions_with_offsets() -> None:
    evaluator, _, _ = _evaluator(LIST="a,b,c")
    assert _sub(evaluator, "${CALLERID(num):0:3}") == "555"
    assert _sub(evaluator, "${CUT(LIST,\\,,2)}") == "b"
    assert _sub(evaluator, "${LEN(${LIST})}") == "5"


def test_unknown_functions_substitute_nothing_and_warn() -> None:
    evaluator, _, _ = _evaluator()
    result = evaluator.substitute("[${NOPE(x)}]")
    assert result.text == "[]"
    assert result.diagnostics == ("Function NOPE not registered",)
    assert evaluator.substitute("${len(abc)}").text == ""  # function names are case-sensitive


def test_function_without_closing_paren_still_runs() -> None:
    evaluator, _, _ = _evaluator()
    result = evaluator.substitute("${LEN(abcd}")
    assert result.text == "4"
    assert any("trailing parenthesis" in line for line in result.diagnostics)


def test_missing_closing_brace_takes_the_rest_as_the_name() -> None:
    evaluator, _, _ = _evaluator(REST="rest")
    result = evaluator.substitute("abc${REST")
    assert result.text == "abcrest"
    assert result.diagnostics == ("Error in extension logic (missing '}')",)


def test_expressions_and_nested_expressions() -> None:
    evaluator, _, _ = _evaluator(A="3")
    assert _sub(evaluator, "$[${A} * 2]") == "6"
    assert _sub(evaluator, "$[$[1 + 1] * 3]") == "6"
    assert _sub(evaluator, "$[[1] + 1]") == "2"  # brackets nest; unknown characters drop
    assert _sub(evaluator, "$[]") == ""
    result = evaluator.substitute("x$[1 +")
    assert result.text == "x0"
    assert "Error in extension logic (missing ']')" in result.diagnostics


def test_expressions_can_call_dialplan_functions_with_a_channel() -> None:
    evaluator, _, _ = _evaluator()
    assert _sub(evaluator, "$[LEN(hello) + 1]") == "6"
    assert _sub(evaluator, "$[CALLERID(num) = 5551234]") == "1"


def test_assign_sets_variables_and_writes_functions() -> None:
    evaluator, channel, _ = _evaluator()
    assert evaluator.write("__TOKEN", "abc").text == "1"
    assert channel.variables["TOKEN"] == "abc" and channel.inherit["TOKEN"] == 2
    assert evaluator.write("CALLERID(name)", "Bob ").text == "1"
    assert channel.caller.id.name == "Bob"
    result = evaluator.write("NOPE(x)", "1")
    assert result.text == "" and result.diagnostics == ("Function NOPE not registered",)
    assert evaluator.write("LEN(x)", "1").diagnostics == ("Function LEN cannot be written to",)
    assert evaluator.write("", "1").text == ""


def test_read_runs_one_function_call() -> None:
    evaluator, _, _ = _evaluator()
    assert evaluator.read("TOUPPER(abc)").text == "ABC"
    assert evaluator.read("NOPE()").diagnostics == ("Function NOPE not registered",)


def test_deep_nesting_is_cut_off_instead_of_crashing() -> None:
    evaluator, _, _ = _evaluator()
    result = evaluator.substitute("${" * 500 + "X" + "}" * 500)
    assert isinstance(result.text, str)
    assert result.diagnostics


def test_eval_of_a_self_referencing_variable_terminates() -> None:
    evaluator, _, _ = _evaluator(LOOP="${EVAL(${LOOP})}")
    result = evaluator.substitute("${EVAL(${LOOP})}")
    assert isinstance(result.text, str)
