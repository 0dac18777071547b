"""Dialplan functions: strings, logic, math and time, with Asterisk's exact results."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ariel._util.clock import FixedClock
from ariel.config.dialplan import Context, Extension
from ariel.core.dialplan import (
    CallerInfo,
    DialplanFunction,
    DialplanIndex,
    Evaluator,
    FunctionRegistry,
    MemoryChannel,
    MemoryGlobals,
    standard_functions,
)

NOW = datetime(2024, 5, 6, 9, 30, 15, 250000, tzinfo=UTC)  # a Monday


def _make(**variables: str) -> tuple[Evaluator, MemoryChannel, MemoryGlobals]:
    channel = MemoryChannel(
        context="internal", exten="100", caller=CallerInfo.of("Alice", "5551234")
    )
    channel.variables.update(variables)
    globals_ = MemoryGlobals({"G": "global value"})
    index = DialplanIndex(
        {
            "internal": Context(
                name="internal",
                extensions=(
                    Extension(exten="100", priority=1, app="NoOp"),
                    Extension(exten="100", priority=2, label="next", app="NoOp"),
                    Extension(exten="_9X.", priority=1, app="Dial"),
                ),
            )
        }
    )
    evaluator = Evaluator(
        channel=channel,
        global_vars=globals_,
        functions=standard_functions(),
        dialplan=index,
        clock=FixedClock(NOW),
        random_int=lambda low, high: low,
    )
    return evaluator, channel, globals_


def _sub(text: str, **variables: str) -> str:
    return _make(**variables)[0].substitute(text).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${LEN(hello)}", "5"),
        ("${LEN()}", "0"),
        ("${LEN(héllo)}", "6"),  # strlen counts bytes
        ("${TOUPPER(abc-é)}", "ABC-é"),  # C toupper: ASCII only
        ("${TOLOWER(ABC)}", "abc"),
        ('${QUOTE(say "hi" \\ ok)}', '"say \\"hi\\" \\\\ ok"'),
        ("${QUOTE()}", '""'),
        ('${CSV_QUOTE(a"b)}', '"a""b"'),
        ("${PASSTHRU(a,b)}", "a,b"),
        ("${KEYPADHASH(1-800-FLOWERS)}", "18003569377"),
        ("${TRIM(  a b  )}", "a b"),
        ("${LTRIM(  a b  )}", "a b  "),
        ("${RTRIM(  a b  )}", "  a b"),
        ("${ISNULL()}|${ISNULL(x)}", "1|0"),
        ("${EXISTS()}|${EXISTS(x)}", "0|1"),
        ("${FILTER(0-9,(555) 123-4567)}", "5551234567"),
        ("${FILTER(a-c\\x41,abcdABCD)}", "abcA"),
        ('${REGEX("^[0-9]+$" 12345)}', "1"),
        ('${REGEX("^[0-9]+$" 12a45)}', "0"),
        ('${REGEX("abc" xxabcxx)}', "1"),
    ],
)
def test_string_function_results(text: str, expected: str) -> None:
    assert _sub(text) == expected


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("1", "a"),
        ("2", "b"),
        ("2-3", "b-c"),
        ("-2", "a-b"),
        ("3-", "c-d-e"),
        ("1&3", "a-c"),
        ("1&3-4", "a-c-d"),
        ("9", ""),
        ("4-9", "d-e"),
    ],
)
def test_cut_ranges(spec: str, expected: str) -> None:
    assert _sub(f"${{CUT(VAL,-,{spec})}}", VAL="a-b-c-d-e") == expected


def test_cut_details() -> None:
    assert _sub("${CUT(VAL,\\,,2)}", VAL="x,y,z") == "y"
    assert _sub("${CUT(VAL,,2)}", VAL="x-y-z") == "y"  # the delimiter defaults to '-'
    # Argument splitting eats one backslash, so a tab needs two; one gives a 't'.
    assert _sub("${CUT(VAL,\\\\t,2)}", VAL="x\ty") == "y"
    assert _sub("${CUT(VAL,\\t,2)}", VAL="atb") == "b"
    assert _sub("${CUT(VAL,.,1)}", VAL="") == ""
    evaluator, _, _ = _make(VAL="a-b-c")
    result = evaluator.substitute("${CUT(VAL,-)}")
    assert result.text == "" and "missing argument" in result.diagnostics[0]
    result = evaluator.substitute("${CUT(VAL,-,x)}")
    assert result.text == "" and "Usage" in result.diagnostics[0]
    evaluator.write("VAL", "a-b-c-d")
    result = evaluator.substitute("${CUT(VAL,-,3&1)}")
    assert result.text == "c" and "already past" in result.diagnostics[0]


def test_field_counting_and_finding() -> None:
    assert _sub("${FIELDQTY(VAL,-)}", VAL="a-b-c") == "3"
    assert _sub("${FIELDQTY(VAL,-)}", VAL="") == "0"
    assert _sub("${FIELDQTY(VAL,\\,)}", VAL="a,b") == "2"
    assert _sub("${FIELDQTY(VAL)}", VAL="a-b") == "1"
    assert _sub("${FIELDNUM(VAL,-,B)}", VAL="a-b-c") == "2"  # case-insensitive
    assert _sub("${FIELDNUM(VAL,-,z)}", VAL="a-b-c") == "0"
    assert _sub("${LISTFILTER(VAL,\\,,b)}", VAL="a,b,c,b") == "a,c"
    assert _sub("${LISTFILTER(VAL,-,x)}", VAL="a-b") == "a-b"


def test_replace_and_strreplace() -> None:
    assert _sub("${REPLACE(VAL,-.,_)}", VAL="a-b.c") == "a_b_c"
    assert _sub("${REPLACE(VAL,-)}", VAL="a-b-c") == "abc"
    assert _sub("${REPLACE(VAL,-)}", VAL="") == ""
    assert _sub("${STRREPLACE(VAL,ab,X)}", VAL="abcabc") == "XcXc"
    assert _sub("${STRREPLACE(VAL,ab,X,1)}", VAL="abcabc") == "Xcabc"
    assert _sub("${STRREPLACE(VAL,ab)}", VAL="abcabc") == "cc"
    assert _sub("${STRBETWEEN(VAL,-)}", VAL="abc") == "a-b-c"


def test_shift_pop_push_unshift_change_the_variable() -> None:
    evaluator, channel, _ = _make(LIST="a,b,c")
    assert evaluator.substitute("${SHIFT(LIST)}").text == "a"
    assert channel.variables["LIST"] == "b,c"
    assert evaluator.substitute("${POP(LIST)}").text == "c"
    assert channel.variables["LIST"] == "b"
    assert evaluator.substitute("${POP(LIST)}").text == "b"
    assert channel.variables["LIST"] == ""
    assert evaluator.substitute("[${POP(LIST)}]").text == "[]"
    evaluator.write("PUSH(LIST)", "x")
    evaluator.write("PUSH(LIST)", "y")
    evaluator.write("UNSHIFT(LIST)", "w")
    assert channel.variables["LIST"] == "w,x,y"
    evaluator.write("PUSH(DASHED,-)", "1")
    evaluator.write("PUSH(DASHED,-)", "2")
    assert channel.variables["DASHED"] == "1-2"
    assert evaluator.substitute("${SHIFT(DASHED,-)}").text == "1"


def test_array_and_hash_write_variables() -> None:
    evaluator, channel, _ = _make()
    evaluator.write("ARRAY(A,B,C)", "1,2")
    assert (channel.variables["A"], channel.variables["B"], channel.variables["C"]) == (
        "1",
        "2",
        "",
    )
    evaluator.write("HASH(h,key)", "value")
    assert channel.variables["~HASH~h~key~"] == "value"
    assert evaluator.substitute("${HASH(h,key)}|${HASH(h,nope)}").text == "value|"
    evaluator.write("HASH(_inh,k)", "v")
    assert channel.inherit["~HASH~inh~k~"] == 1


def test_if_and_iftime() -> None:
    assert _sub("${IF($[1 = 1]?yes:no)}") == "yes"
    assert _sub("${IF($[1 = 2]?yes:no)}") == "no"
    assert _sub("${IF(0?yes)}") == ""
    assert _sub("${IF( 1 ? a : b )}") == "a"
    assert _sub('${IF(1?"a:b":c)}') == "a:b"  # quotes protect the colon
    evaluator, _, _ = _make()
    result = evaluator.substitute("${IF(1?)}")
    assert result.text == "" and result.diagnostics
    assert _sub("${IFTIME(9:00-17:00,mon-fri,*,*?open:closed)}") == "open"
    assert _sub("${IFTIME(18:00-23:00?open:closed)}") == "closed"
    assert _sub('${IFTIME(*,*,*,*?"quoted")}') == "quoted"


def test_set_eval_global() -> None:
    evaluator, channel, globals_ = _make(INNER="${G}!")
    assert evaluator.substitute("${SET(X= value )}").text == "value"
    assert channel.variables["X"] == "value"
    assert evaluator.substitute("${EVAL(${INNER})}").text == "global value!"
    assert evaluator.substitute("${GLOBAL(G)}|${GLOBAL(NOPE)}").text == "global value|"
    evaluator.write("GLOBAL(NEWG)", "set")
    assert globals_.values["NEWG"] == "set"
    assert "NEWG" not in channel.variables


def test_dialplan_exists_and_valid_exten() -> None:
    assert _sub("${DIALPLAN_EXISTS(internal)}") == "1"
    assert _sub("${DIALPLAN_EXISTS(nowhere)}") == "0"
    assert _sub("${DIALPLAN_EXISTS(internal,100)}") == "1"
    assert _sub("${DIALPLAN_EXISTS(internal,9123)}") == "1"
    assert _sub("${DIALPLAN_EXISTS(internal,200)}") == "0"
    assert _sub("${DIALPLAN_EXISTS(internal,100,2)}") == "1"
    assert _sub("${DIALPLAN_EXISTS(internal,100,3)}") == "0"
    assert _sub("${DIALPLAN_EXISTS(internal,100,next)}") == "1"
    assert _sub("${DIALPLAN_EXISTS(internal,100,nope)}") == "0"
    assert _sub("${VALID_EXTEN(,100)}|${VALID_EXTEN(internal,101)}") == "1|0"
    assert _sub("${VALID_EXTEN(internal,100,2)}") == "1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${MATH(3*4)}", "12.000000"),
        ("${MATH(10/4)}", "2.500000"),
        ("${MATH(10/4,i)}", "2"),
        ("${MATH(10/-2)}", "0.000000"),  # func_math.c refuses divisors <= 0
        ("${MATH(123%16,int)}", "11"),
        ("${MATH(2^10,i)}", "1024"),
        ("${MATH(170 AND 63,i)}", "42"),
        ("${MATH(170AND63,i)}", "42"),
        ("${MATH(5 OR 2,i)}", "7"),
        ("${MATH(5 XOR 1,i)}", "4"),
        ("${MATH(1<<4,i)}", "16"),
        ("${MATH(256>>4,i)}", "16"),
        ("${MATH(255+1,h)}", "100"),
        ("${MATH(64+1,c)}", "A"),
        ("${MATH(-5-3,i)}", "-8"),
        ("${MATH(5--3,i)}", "8"),
        ("${MATH(3>2)}", "TRUE"),
        ("${MATH(3<=2)}", "FALSE"),
        ("${MATH(2==2)}", "TRUE"),
        ("${MATH(2>=3)}", "FALSE"),
        ("${MIN(4,2)}|${MAX(4,2)}|${MIN(,7)}|${MAX(1.5,1)}", "2|4|7|1.500000"),
        ("${ABS(-4)}|${ABS(-2.5)}", "4|2.500000"),
    ],
)
def test_math_functions(text: str, expected: str) -> None:
    assert _sub(text) == expected


def test_math_errors_substitute_nothing() -> None:
    evaluator, _, _ = _make()
    for text in ("${MATH(3)}", "${MATH(3=4)}", "${MATH(a+1)}", "${MATH(1+1,q)}", "${MATH()}"):
        result = evaluator.substitute(text)
        assert result.text == ""
        assert result.diagnostics


def test_inc_dec_change_the_variable() -> None:
    evaluator, channel, _ = _make(COUNT="41", BAD="4x")
    assert evaluator.substitute("${INC(COUNT)}").text == "42"
    assert channel.variables["COUNT"] == "42"
    assert evaluator.substitute("${DEC(COUNT)}").text == "41"
    assert evaluator.substitute("[${INC(BAD)}]|[${INC(NONE)}]").text == "[]|[]"


def test_rand_uses_the_injected_source_and_asterisk_bounds() -> None:
    channel = MemoryChannel()
    seen: list[tuple[int, int]] = []

    def pick(low: int, high: int) -> int:
        seen.append((low, high))
        return high

    evaluator = Evaluator(channel=channel, functions=standard_functions(), random_int=pick)
    assert evaluator.substitute("${RAND(1,6)}").text == "6"
    assert evaluator.substitute("${RAND(6,1)}").text == "6"
    assert evaluator.substitute("${RAND()}").text == "2147483647"
    assert seen == [(1, 6), (1, 6), (0, 2147483647)]


def test_strftime_uses_the_clock_and_timezones() -> None:
    assert _sub("${STRFTIME(,,%Y-%m-%d %H:%M:%S)}") == "2024-05-06 09:30:15"
    assert _sub("${STRFTIME(,,%S.%q)}") == "15.250"
    assert _sub("${STRFTIME(,,%S.%1q)}") == "15.2"
    assert _sub("${STRFTIME(0,UTC,%Y)}") == "1970"
    assert _sub("${STRFTIME(86400,America/New_York,%d %H)}") == "01 19"


def test_registry_is_immutable_and_extensible() -> None:
    registry = standard_functions()
    shout = DialplanFunction(name="SHOUT", read=lambda scope, data: (data or "").upper() + "!")
    bigger = registry.with_functions(shout)
    assert "SHOUT" not in registry and "SHOUT" in bigger
    assert "LEN" not in bigger.without("LEN")
    evaluator = Evaluator(channel=MemoryChannel(), functions=bigger)
    assert evaluator.substitute("${SHOUT(hi)}").text == "HI!"
    assert len(FunctionRegistry()) == 0
    assert sorted(registry) == sorted(set(registry))
