"""Value readers: booleans, numbers, lists, host:port and caller ids."""

from __future__ import annotations

import pytest

from ariel.config.values import (
    CallerId,
    parse_bool,
    parse_callerid,
    parse_host_port,
    parse_int,
    parse_list,
    shrink_phone_number,
)


@pytest.mark.parametrize("word", ["yes", "YES", "true", "True", "on", "1", "y", "t", " yes "])
def test_parse_bool_accepts_asterisk_true_words(word: str) -> None:
    assert parse_bool(word) is True


@pytest.mark.parametrize("word", ["no", "No", "false", "FALSE", "off", "0", "n", "f"])
def test_parse_bool_accepts_asterisk_false_words(word: str) -> None:
    assert parse_bool(word) is False


@pytest.mark.parametrize("word", ["", "maybe", "2", "yess"])
def test_parse_bool_rejects_other_words(word: str) -> None:
    with pytest.raises(ValueError, match="is not a boolean"):
        parse_bool(word)


def test_parse_int_checks_form_and_bounds() -> None:
    assert parse_int(" 8088 ") == 8088
    assert parse_int("-3") == -3
    with pytest.raises(ValueError, match="'80x' is not a whole number"):
        parse_int("80x")
    with pytest.raises(ValueError, match="above the maximum 65535"):
        parse_int("70000", maximum=65535)
    with pytest.raises(ValueError, match="below the minimum 1"):
        parse_int("0", minimum=1)


def test_parse_list_trims_and_drops_empty_items() -> None:
    assert parse_list(" a, b ,,c, ") == ("a", "b", "c")
    assert parse_list("") == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1:5060", ("127.0.0.1", 5060)),
        ("0.0.0.0", ("0.0.0.0", 5060)),
        ("example.com:5070", ("example.com", 5070)),
        ("[::1]:5061", ("::1", 5061)),
        ("[::]", ("::", 5060)),
        ("::", ("::", 5060)),
    ],
)
def test_parse_host_port_splits_address_forms(text: str, expected: tuple[str, int]) -> None:
    assert parse_host_port(text, 5060) == expected


@pytest.mark.parametrize("text", ["", ":5060", "[::1", "[::1]x", "host:port", "host:70000"])
def test_parse_host_port_rejects_malformed_addresses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_host_port(text, 5060)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"Alice" <101>', CallerId(name="Alice", number="101")),
        ("Bob Smith <+15551234>", CallerId(name="Bob Smith", number="+15551234")),
        ("<200>", CallerId(name="", number="200")),
        ("(555) 123-4567", CallerId(number="5551234567")),
        ("Front Desk", CallerId(name="Front Desk")),
        ('"Quoted"', CallerId(name="Quoted")),
        ('"Missing close" <42', CallerId(name="Missing close", number="42")),
    ],
)
def test_parse_callerid_reads_name_and_number(text: str, expected: CallerId) -> None:
    assert parse_callerid(text) == expected


def test_shrink_phone_number_keeps_dashes_in_brackets_and_a_final_dot() -> None:
    assert shrink_phone_number("[1-3] 55.5-1.") == "[1-3]5551."


def test_parse_callerid_handles_whole_quotes_and_escapes() -> None:
    assert parse_callerid('"A <1>"') == CallerId(name="A", number="1")
    assert parse_callerid('"Say \\"hi\\"" <7>') == CallerId(name='Say "hi"', number="7")
