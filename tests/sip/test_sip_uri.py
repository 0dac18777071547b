"""SIP, SIPS, TEL and other URIs: parsing, writing, escaping, §19.1.4 comparison."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sip_strategies import SIP_URIS

from ariel.sip import AbsoluteUri, SipParseError, SipUri, TelUri, parse_uri, uri_equal


def test_full_sip_uri_parses_into_its_components() -> None:
    uri = parse_uri("sips:alice:secret@Example.COM:5061;transport=tcp;lr?subject=hi&x=1")
    assert uri == SipUri(
        scheme="sips",
        user="alice",
        password="secret",
        host="Example.COM",
        port=5061,
        params=(("transport", "tcp"), ("lr", None)),
        headers=(("subject", "hi"), ("x", "1")),
    )
    assert isinstance(uri, SipUri) and uri.transport == "tcp" and uri.lr


def test_ipv6_reference_loses_its_brackets_and_gets_them_back() -> None:
    uri = parse_uri("sip:bob@[2001:db8::1]:5070;maddr=[::1]")
    assert isinstance(uri, SipUri)
    assert (uri.host, uri.port, uri.param("maddr")) == ("2001:db8::1", 5070, "[::1]")
    assert str(uri) == "sip:bob@[2001:db8::1]:5070;maddr=[::1]"


def test_scheme_is_case_insensitive_and_written_lower_case() -> None:
    assert str(parse_uri("SIP:alice@host")) == "sip:alice@host"


def test_escaped_user_is_decoded_and_reescaped_only_where_needed() -> None:
    uri = parse_uri("sip:%61lice%20smith%3A1@host")
    assert isinstance(uri, SipUri) and uri.user == "alice smith:1"
    assert str(uri) == "sip:alice%20smith%3A1@host"


def test_user_part_may_hold_user_unreserved_characters() -> None:
    uri = parse_uri("sip:+1-555;phone-context=x?y@host")
    assert isinstance(uri, SipUri) and uri.user == "+1-555;phone-context=x?y"


def test_telephone_uri_keeps_number_and_parameters() -> None:
    uri = parse_uri("tel:+1-201-555-0123;phone-context=example.com")
    assert uri == TelUri(number="+1-201-555-0123", params=(("phone-context", "example.com"),))
    assert str(uri) == "tel:+1-201-555-0123;phone-context=example.com"


def test_other_schemes_are_kept_as_opaque_absolute_uris() -> None:
    uri = parse_uri("http://www.example.com/a?b")
    assert uri == AbsoluteUri(scheme="http", opaque="//www.example.com/a?b")
    assert str(uri) == "http://www.example.com/a?b"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not a URI"),
        ("sip:alice@host ", "not a URI"),
        ("<sip:alice@host>", "not a URI"),
        ("alice@host", "no scheme"),
        ("1sip:host", "no scheme"),
        ("sip:@host", "empty user part"),
        ("sip:alice@", "bad host"),
        ("sip:alice@ho^st", "bad host"),
        ("sip:host:", "bad port"),
        ("sip:host:65536", "bad port"),
        ("sip:host:5o6o", "bad port"),
        ("sip:[::1", "bad IPv6 reference"),
        ("sip:[not-v6]", "bad IPv6 reference"),
        ("sip:host;", "empty parameter"),
        ("sip:host;a=%zz", "bad %-escape"),
        ("sip:host?subject", "bad SIP URI header"),
        ("sip:al{ice@host", "bad character in URI user part"),
        ("tel:", "bad telephone number"),
        ("urn:", "empty urn URI"),
    ],
)
def test_malformed_uri_raises_a_named_error(text: str, message: str) -> None:
    with pytest.raises(SipParseError, match=message):
        parse_uri(text)


# RFC 3261 §19.1.4: "The URIs within each of the following sets are equivalent".
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"),
        ("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"),
        ("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"),
        ("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"),
        (
            "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
            "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com",
        ),
        (
            "sip:alice@atlanta.com?subject=project%20x&priority=urgent",
            "sip:alice@atlanta.com?priority=urgent&subject=project%20x",
        ),
        ("tel:+1-201-555-0123", "tel:+1.201.555.0123"),
    ],
)
def test_rfc3261_equivalent_uris_compare_equal(a: str, b: str) -> None:
    assert uri_equal(parse_uri(a), parse_uri(b))
    assert uri_equal(parse_uri(b), parse_uri(a))


# RFC 3261 §19.1.4: "The URIs within each of the following sets are not equivalent".
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"),
        ("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"),
        ("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"),
        ("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"),
        ("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"),
        ("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"),
        ("sip:alice@atlanta.com", "sips:alice@atlanta.com"),
        ("sip:alice@atlanta.com", "sip:alice@atlanta.com;maddr=10.0.0.1"),
        ("sip:alice@atlanta.com", "sip:alice@atlanta.com;user=phone"),
        ("sip:alice@atlanta.com", "tel:+15551234"),
    ],
)
def test_rfc3261_different_uris_compare_unequal(a: str, b: str) -> None:
    assert not uri_equal(parse_uri(a), parse_uri(b))
    assert not uri_equal(parse_uri(b), parse_uri(a))


@given(SIP_URIS)
def test_any_sip_uri_survives_writing_and_reading(uri: SipUri) -> None:
    assert parse_uri(str(uri)) == uri
    assert uri_equal(parse_uri(str(uri)), uri)


@given(st.text(max_size=40))
def test_arbitrary_text_parses_or_raises_only_sip_parse_error(text: str) -> None:
    with contextlib.suppress(SipParseError):
        parse_uri(text)
