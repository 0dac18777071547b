"""Name-addr and addr-spec values of From, To, Contact and Route."""

from __future__ import annotations

import pytest
from hypothesis import given
from sip_strategies import ADDRESSES

from ariel.sip import Address, SipParseError, SipUri, parse_address, parse_uri
from ariel.sip.address import parse_address_list


def test_quoted_display_name_is_unquoted_and_unescaped() -> None:
    address = parse_address('"Alice \\"Al\\" Smith" <sip:alice@example.com>;tag=1928301774')
    assert address.display_name == 'Alice "Al" Smith'
    assert address.uri == parse_uri("sip:alice@example.com")
    assert address.tag == "1928301774"


def test_unquoted_display_name_is_a_run_of_tokens() -> None:
    address = parse_address("Alice   Smith <sip:alice@example.com>")
    assert address.display_name == "Alice Smith"


def test_name_addr_without_display_name_has_none() -> None:
    assert parse_address("<sip:alice@example.com>").display_name is None
    assert parse_address('"" <sip:alice@example.com>').display_name == ""


def test_addr_spec_parameters_belong_to_the_header() -> None:
    # RFC 3261 §20.10: "If no "<" and ">" are present, all parameters after the
    # URI are header parameters, not URI parameters."
    address = parse_address("sip:alice@example.com;transport=tcp;tag=abc")
    assert isinstance(address.uri, SipUri) and address.uri.params == ()
    assert address.params == (("transport", "tcp"), ("tag", "abc"))


def test_name_addr_parameters_inside_brackets_belong_to_the_uri() -> None:
    address = parse_address("<sip:alice@example.com;transport=tcp>;expires=60")
    assert isinstance(address.uri, SipUri) and address.uri.transport == "tcp"
    assert address.params == (("expires", "60"),)


def test_quoted_parameter_value_keeps_its_quotes() -> None:
    address = parse_address('<sip:a@b>;+sip.instance="<urn:uuid:1>"')
    assert address.param("+sip.instance") == '"<urn:uuid:1>"'


def test_address_is_written_in_name_addr_form() -> None:
    address = parse_address("sip:alice@example.com ; tag = x")
    assert str(address) == "<sip:alice@example.com>;tag=x"
    assert str(address.with_tag("y")) == "<sip:alice@example.com>;tag=y"
    named = Address(display_name='A "B"', uri=parse_uri("sip:a@b"))
    assert str(named) == '"A \\"B\\"" <sip:a@b>'


def test_address_list_splits_at_commas_outside_quotes_and_brackets() -> None:
    values = parse_address_list('"Bell, Alexander" <sip:a@b;x=1>, <sip:c@d>')
    assert [a.display_name for a in values] == ["Bell, Alexander", None]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty address"),
        ('"open <sip:a@b>', "unterminated quoted string"),
        ('"name" sip:a@b', "must be followed by '<'"),
        ("<sip:a@b", "'<' without '>'"),
        ("< sip:a@b >", "spaces inside <>"),
        ("Bell, Alexander <sip:a@b>", "neither tokens nor quoted"),
        ("sip:a@b?Route=%3Csip:c%3E", "must be enclosed in <>"),
        ("<sip:a@b>;;", "bad parameter name"),
        ("<sip:a@b>;tag=a b", "bad value for parameter"),
        ("<sip:a@b> junk", "expected ';'"),
    ],
)
def test_malformed_address_raises_a_named_error(text: str, message: str) -> None:
    with pytest.raises(SipParseError, match=message):
        parse_address(text)


@given(ADDRESSES)
def test_any_address_survives_writing_and_reading(address: Address) -> None:
    assert parse_address(str(address)) == address
