"""$[...] expressions: ast_expr2 precedence, value kinds, fallbacks and formatting."""

from __future__ import annotations

import numpy as np
import pytest

from ariel.core.dialplan.expr_values import LongDouble, format_number, strtold
from ariel.core.dialplan.expressions import evaluate


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1 + 2", "3"),
        ("1+2", "3"),
        ("2 + 3 * 4", "14"),
        ("(2 + 3) * 4", "20"),
        ("2 - 3", "-1"),
        ("- 5", "-5"),
        ("- -5", "5"),
        ("2 - -2", "4"),
        ("-2 * 3", "-6"),
        ("7 / 2", "3.5"),  # real division
        ("10 / 3", "3.33333333333333333"),  # %.18Lg of a long double
        ("0.1 + 0.2", "0.3"),  # long double, not double
        ("5 % 3", "2"),
        ("-5 % 3", "-2"),
        ("5.5 % 2", "1.5"),
        ("99999999999999999999 + 1", "1e+20"),
        ("12345678901234567890 * 10", "1.23456789012345679e+20"),
        ("0 * -1", "-0"),
        ("1 = 1", "1"),
        ("1 == 1.0", "1"),
        ("a = a", "1"),
        ("a != b", "1"),
        ('"a" = a', "0"),  # the quotes belong to the string
        ('"a b" = "a b"', "1"),
        ("10 < 9", "0"),  # both numeric: compared as numbers
        ("10 < 9a", "1"),  # one string: compared as text
        ("abc < abd", "1"),
        ("2 >= 2", "1"),
        ("2 <= 1", "0"),
        ("1 + 2 = 3", "1"),
        ("1 | 0", "1"),
        ("0 | 5", "5"),
        ("07 | 1", "7"),  # the numeric string became a number while being tested
        ("0 | 07", "07"),  # the right side is returned untouched
        ('"" | x', '""'),  # a quoted empty string is two characters, not empty
        ("3 & 4", "3"),
        ("3 & 0", "0"),
        ("1 | 0 & 0", "1"),
        ("!0", "1"),
        ("!1", "0"),
        ("!abc", "1"),  # atoi("abc") is 0
        ("!5abc", "0"),
        ("!0.5", "1"),  # a numeric string: atoi("0.5") is 0
        ("!1 + 1", "1"),
        ("abc : ab", "2"),
        ('abc : "a(b)"', "b"),
        ('abc : "(b)"', ""),  # ':' is anchored; a failed match with a group is ""
        ("abc : x", "0"),
        ("abc =~ b", "1"),
        ('abc =~ "(b)c"', "b"),
        ('"x" : "x"', "1"),  # quotes stripped before matching
        ("- abc : a", "-1"),  # ':' binds tighter than unary minus
        ("a ~~ b", "ab"),
        ("1 ~~ 2 + 1", "13"),
        ("1 ? yes :: no", "yes"),
        ("0 ? yes :: no", "no"),
        ("abc ? yes :: no", "yes"),
        ('"" ? yes :: no', "no"),
        ("1 ? 2 :: 3 ? 4 :: 5", "4"),  # left-associative
        ("0 ? 1 :: 2 | 3", "2"),
        ("007", "007"),
        ("1.50", "1.50"),
        ("1.50 + 0", "1.5"),
        ("", ""),
        ("   ", ""),
        ("COS(0)", "1"),
        ("SQRT(16)", "4"),
        ("SQRT(2)", "1.41421356237309505"),
        ("FLOOR(2.7)", "2"),
        ("CEIL(2.1)", "3"),
        ("ROUND(2.5)", "3"),
        ("ROUND(-2.5)", "-3"),
        ("RINT(2.5)", "2"),
        ("TRUNC(-2.7)", "-2"),
        ("ABS(-3)", "3"),
        ("POW(2,10)", "1024"),
        ("EXP2(3)", "8"),
        ("EXP10(2)", "100"),
        ("LOG10(1000)", "3"),
        ("REMAINDER(5,3)", "-1"),
        ("REMAINDER(7,2)", "-1"),
        ("ATAN2(0,1)", "0"),
    ],
)
def test_expression_gives_asterisk_result(expression: str, expected: str) -> None:
    result = evaluate(expression)
    assert result.value == expected


@pytest.mark.parametrize(
    ("expression", "expected", "warning"),
    [
        ("1 / 0", "2147483647", "division by zero"),
        ("5 % 0", "0", "div by zero"),
        ("abc + 1", "1", "non-numeric argument"),
        ("1 - abc", "1", "non-numeric argument"),
        ("abc - 1", "-1", "non-numeric argument"),
        ("abc * 2", "0", "non-numeric argument"),
        ("abc / 2", "0", "non-numeric argument"),
        ("2 / abc", "2147483647", "non-numeric argument"),
        ("-abc", "0", "non-numeric argument"),
        (".5 + 1", "1", "non-numeric argument"),  # '.5' scans as a word, not a number
        ("1.2.3 + 1", "1", "non-numeric argument"),
        ("COS(1,2)", "0", "Wrong args to COS() function"),
        ("FOO(1)", "0", "doesn't appear to be an available function"),
        ("foo(1)", "0", "is not possibly a function name"),
        ('abc =~ "("', "", "regcomp() error"),
    ],
)
def test_operand_fallbacks_warn_but_give_a_value(
    expression: str, expected: str, warning: str
) -> None:
    result = evaluate(expression)
    assert result.value == expected
    assert any(warning in line for line in result.diagnostics)


@pytest.mark.parametrize(
    "expression", ["1 +", "(1", "1)", "= 1", "1 ? 2", "1 :: 2", "(1,2)", "LEN()", "1 ~ 2", "2 ** 3"]
)
def test_syntax_errors_give_zero_and_a_diagnostic(expression: str) -> None:
    result = evaluate(expression)
    assert result.value == "0"
    assert any("syntax error" in line for line in result.diagnostics)


def test_dialplan_functions_are_called_with_joined_arguments() -> None:
    calls: list[tuple[str, str]] = []

    def call(name: str, args: str) -> str | None:
        calls.append((name, args))
        return {"LEN": str(len(args)), "TXT": "12abc", "EMPTY": "", "SPACED": " 5"}.get(name)

    assert evaluate("LEN(abc) + 1", call).value == "4"
    assert evaluate("LEN(1/2, x,)", call).value == "6"  # the function sees "0.5,x,"
    assert evaluate("TXT() = 12abc", call).value == "0"  # TXT() is a syntax error: "0"
    assert evaluate("TXT(1) = 12abc", call).value == "1"
    assert evaluate("EMPTY(1) + 2", call).value == "2"  # "" reads as the number 0
    assert evaluate("SPACED(1) * 2", call).value == "10"
    assert evaluate("NOPE(1)", call).value == "0"
    assert ("LEN", "0.5,x,") in calls


def test_both_branches_of_a_ternary_are_evaluated() -> None:
    seen: list[str] = []

    def call(name: str, args: str) -> str | None:
        seen.append(args)
        return args

    assert evaluate("1 ? F(a) :: F(b)", call).value == "a"
    assert seen == ["a", "b"]


def test_variable_references_left_in_the_text_are_one_word() -> None:
    assert evaluate("${X}def").value == "${X}def"
    assert evaluate("a${X} = a${X}").value == "1"
    assert evaluate("${A}:${B} = x").value == "0"


def test_unknown_characters_are_dropped() -> None:
    assert evaluate("[1] + {2}").value == "3"


def test_format_number_is_printf_18lg() -> None:
    assert format_number(LongDouble(0)) == "0"
    assert format_number(LongDouble("0.0001")) == "0.0001"
    assert format_number(LongDouble("0.00001")) == "1e-05"
    assert format_number(LongDouble("123456789012345678")) == "123456789012345678"
    assert format_number(LongDouble("1234567890123456789")) == "1.23456789012345679e+18"
    assert format_number(LongDouble("inf")) == "inf"
    assert format_number(-LongDouble("inf")) == "-inf"
    assert format_number(LongDouble(np.nan)) == "nan"


def test_strtold_reads_the_numeric_prefix_and_reports_range_errors() -> None:
    assert strtold("1.2.3") == (LongDouble("1.2"), True)
    assert strtold(" -7x") == (LongDouble(-7), True)
    assert strtold("abc") == (LongDouble(0), True)
    assert strtold("9" * 5000)[1] is False
    assert strtold("0." + "0" * 5000 + "1")[1] is False


def test_huge_numerals_warn_instead_of_overflowing() -> None:
    result = evaluate("9" * 5000 + " + 1")
    assert result.value == "1"
    assert any("under/overflowed" in line for line in result.diagnostics)
