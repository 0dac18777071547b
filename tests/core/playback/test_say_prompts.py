"""number:, digits: and characters: media as Asterisk's English say.c speaks them."""

from __future__ import annotations

import pytest

from ariel.core.playback.say import (
    SayError,
    parse_number,
    say_characters,
    say_digits,
    say_number,
    say_uri,
)


def d(*names: object) -> list[str]:
    return [f"digits/{n}" for n in names]


@pytest.mark.parametrize(
    ("number", "prompts"),
    [
        (0, d(0)),
        (1, d(1)),
        (7, d(7)),
        (10, d(10)),
        (13, d(13)),
        (19, d(19)),
        (20, d(20)),
        (21, d(20, 1)),
        (99, d(90, 9)),
        (100, d(1, "hundred")),
        (101, d(1, "hundred", 1)),
        (115, d(1, "hundred", 15)),
        (250, d(2, "hundred", 50)),
        (999, d(9, "hundred", 90, 9)),
        (1000, d(1, "thousand")),
        (1001, d(1, "thousand", 1)),
        (1234, d(1, "thousand", 2, "hundred", 30, 4)),
        (20000, d(20, "thousand")),
        (100000, d(1, "hundred", "thousand")),
        (123456, d(1, "hundred", 20, 3, "thousand", 4, "hundred", 50, 6)),
        (1000000, d(1, "million")),
        (2000300, d(2, "million", 3, "hundred")),
        (
            999999999,
            d(9, "hundred", 90, 9, "million", 9, "hundred", 90, 9, "thousand")
            + d(9, "hundred", 90, 9),
        ),
    ],
)
def test_numbers_are_said_with_english_rules(number, prompts):
    assert say_number(number) == prompts


def test_english_has_no_and_after_hundred():
    assert "digits/and" not in say_number(105)


def test_negative_numbers_start_with_minus():
    assert say_number(-1) == d("minus", 1)
    assert say_number(-1234) == d("minus", 1, "thousand", 2, "hundred", 30, 4)


@pytest.mark.parametrize("number", [1_000_000_000, -1_000_000_000, 2**31 - 1, -(2**31)])
def test_a_billion_or_more_is_too_big_for_english(number):
    with pytest.raises(SayError):
        say_number(number)


def test_say_error_is_a_value_error():
    assert issubclass(SayError, ValueError)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42", 42),
        ("  42", 42),
        ("\t-7", -7),
        ("+7", 7),
        ("12abc", 12),
        ("3.9", 3),
        ("0", 0),
        ("2147483647", 2**31 - 1),
        ("-2147483648", -(2**31)),
        # %30d reads at most 30 characters: the 12345 is beyond the field width.
        ("0" * 30 + "12345", 0),
    ],
)
def test_number_text_is_read_like_sscanf_percent_30d(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "-", "- 5", "+-5", "2147483648", "9" * 40])
def test_number_text_without_a_usable_integer_is_refused(text):
    with pytest.raises(SayError):
        parse_number(text)


def test_digits_say_each_digit_star_pound_and_minus():
    assert say_digits("12#*") == d(1, 2, "pound", "star")
    assert say_digits("-09") == d("minus", 0, 9)


def test_digits_skip_characters_they_cannot_say():
    assert say_digits("a1 b,2") == d(1, 2)
    assert say_digits("") == []


def test_digits_skip_prompts_that_do_not_exist():
    assert say_digits("123", exists=lambda name: name != "digits/2") == d(1, 3)


def test_characters_spell_letters_lower_case_and_digits():
    assert say_characters("aB1-") == ["letters/a", "letters/b", "digits/1", "letters/dash"]
    assert say_characters("Zz") == ["letters/z", "letters/z"]


def test_characters_name_asterisks_symbol_prompts():
    assert say_characters("!@$-.=+/ *#") == [
        "letters/exclaimation-point",
        "letters/at",
        "letters/dollar",
        "letters/dash",
        "letters/dot",
        "letters/equals",
        "letters/plus",
        "letters/slash",
        "letters/space",
        "digits/star",
        "digits/pound",
    ]


def test_characters_without_a_core_prompt_are_skipped():
    assert say_characters("a%b_c\u00e9") == ["letters/a", "letters/b", "letters/c"]


def test_characters_fall_back_to_ascii_prompts_when_they_exist():
    available = {"letters/a", "letters/ascii37"}
    assert say_characters("a%&", exists=available.__contains__) == [
        "letters/a",
        "letters/ascii37",
    ]


def test_uris_dispatch_on_their_scheme():
    assert say_uri("number:1234") == d(1, "thousand", 2, "hundred", 30, 4)
    assert say_uri("number: -5") == d("minus", 5)
    assert say_uri("digits:911") == d(9, 1, 1)
    assert say_uri("characters:ok") == ["letters/o", "letters/k"]


@pytest.mark.parametrize("uri", ["number:abc", "number:", "number:1000000000", "sound:hello", "x"])
def test_bad_uris_raise_say_error(uri):
    with pytest.raises(SayError):
        say_uri(uri)
