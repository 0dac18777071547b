"""The header collection, compact forms, list splitting, Via and CSeq values."""

from __future__ import annotations

import pytest

from ariel.sip import CSeq, Headers, SipParseError, Via, new_branch, new_tag
from ariel.sip.fields import MAGIC_COOKIE, parse_cseq, parse_via, parse_via_list
from ariel.sip.headers import COMPACT_FORMS, canonical_name, is_list_header


@pytest.mark.parametrize(
    ("short", "name"),
    [
        ("i", "Call-ID"),
        ("m", "Contact"),
        ("e", "Content-Encoding"),
        ("l", "Content-Length"),
        ("c", "Content-Type"),
        ("f", "From"),
        ("s", "Subject"),
        ("k", "Supported"),
        ("t", "To"),
        ("v", "Via"),
        ("o", "Event"),
        ("u", "Allow-Events"),
        ("r", "Refer-To"),
        ("b", "Referred-By"),
        ("x", "Session-Expires"),
        ("a", "Accept-Contact"),
        ("y", "Identity"),
    ],
)
def test_compact_form_is_stored_under_the_full_name(short: str, name: str) -> None:
    assert COMPACT_FORMS[short] == name
    headers = Headers(((short.upper(), "value"),))
    assert headers.fields == ((name, "value"),)
    assert headers.get(short) == headers.get(name.lower()) == "value"


def test_known_names_are_canonicalised_and_unknown_names_kept() -> None:
    assert canonical_name("cseq") == "CSeq"
    assert canonical_name("WWW-AUTHENTICATE") == "WWW-Authenticate"
    assert canonical_name("call-id") == "Call-ID"
    assert canonical_name("X-Custom-Thing") == "X-Custom-Thing"
    assert Headers((("x-custom", "1"),)).get("X-CUSTOM") == "1"


def test_lookup_keeps_message_order_across_lines() -> None:
    headers = Headers((("Via", "a"), ("To", "t"), ("v", "b"), ("VIA", "c, d")))
    assert headers.lines("Via") == ("a", "b", "c, d")
    assert headers.get_all("via") == ("a", "b", "c", "d")
    assert headers.get("Via") == "a"
    assert "via" in headers and "Route" not in headers
    assert len(headers) == 4


def test_list_values_split_outside_quotes_and_brackets() -> None:
    headers = Headers((("Contact", '"Bell, A." <sip:a@b;x=1,2>, <sip:c@d>'),))
    assert headers.get_all("Contact") == ('"Bell, A." <sip:a@b;x=1,2>', "<sip:c@d>")


@pytest.mark.parametrize(
    "name",
    ["WWW-Authenticate", "Authorization", "Proxy-Authenticate", "Proxy-Authorization", "Date"],
)
def test_headers_whose_values_hold_commas_are_never_split(name: str) -> None:
    value = 'Digest realm="a", nonce="b"'
    assert not is_list_header(name)
    assert Headers(((name, value),)).get_all(name) == (value,)


def test_unknown_headers_are_never_split() -> None:
    headers = Headers((("UnknownHeaderWithUnusualValue", ";;,,;;,;"),))
    assert headers.get_all("UnknownHeaderWithUnusualValue") == (";;,,;;,;",)


def test_with_methods_return_new_collections_in_the_right_places() -> None:
    headers = Headers((("Via", "b"), ("To", "t"), ("Via", "c")))
    assert headers.with_first("Via", "a").lines("Via") == ("a", "b", "c")
    assert headers.with_first("Route", "r").fields[0] == ("Route", "r")
    assert headers.with_added("Route", "r").fields[-1] == ("Route", "r")
    assert headers.with_set("via", "z").fields == (("Via", "z"), ("To", "t"))
    assert headers.with_set("Max-Forwards", "70").fields[-1] == ("Max-Forwards", "70")
    assert headers.without("v").fields == (("To", "t"),)
    assert headers.lines("Via") == ("b", "c")  # unchanged


def test_via_reads_protocol_sent_by_and_parameters() -> None:
    via = parse_via(
        "SIP/2.0/udp [2001:db8::9]:5070;branch=z9hG4bK77;received=192.0.2.1"
        ";rport=5071;ttl=16;maddr=224.2.0.1"
    )
    assert via == Via(
        transport="UDP",
        host="2001:db8::9",
        port=5070,
        params=(
            ("branch", "z9hG4bK77"),
            ("received", "192.0.2.1"),
            ("rport", "5071"),
            ("ttl", "16"),
            ("maddr", "224.2.0.1"),
        ),
    )
    assert (via.branch, via.received, via.rport, via.ttl, via.maddr) == (
        "z9hG4bK77",
        "192.0.2.1",
        5071,
        16,
        "224.2.0.1",
    )
    assert via.sent_by == ("2001:db8::9", 5070)
    assert str(via).startswith("SIP/2.0/UDP [2001:db8::9]:5070;branch=")


def test_via_rport_without_a_value_is_present_but_empty() -> None:
    # RFC 3581 §3: "the client MUST include the rport parameter with no value".
    via = parse_via("SIP/2.0/UDP host;rport;branch=z9hG4bKx")
    assert via.has_rport and via.rport is None
    assert not parse_via("SIP/2.0/UDP host").has_rport


def test_via_allows_lws_around_slashes_and_colon() -> None:
    via = parse_via("SIP / 2.0 / TCP  host.example.com : 5061 ;branch = z9hG4bK1")
    assert (via.transport, via.host, via.port, via.branch) == (
        "TCP",
        "host.example.com",
        5061,
        "z9hG4bK1",
    )


def test_via_list_splits_at_commas() -> None:
    vias = parse_via_list("SIP/2.0/UDP a;branch=z9hG4bK1 , SIP/2.0/TCP b:5060")
    assert [(v.host, v.port) for v in vias] == [("a", None), ("b", 5060)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SIP/2.0 host", "bad Via sent-protocol"),
        ("SIP/2.0/UDP", "no sent-by"),
        ("SIP/2.0/UDP host;;", "bad parameter name"),
        ("SIP/2.0/UDP host:99999", "bad port"),
        ("SIP/2.0/U@P host", "bad Via sent-protocol"),
    ],
)
def test_malformed_via_raises_a_named_error(text: str, message: str) -> None:
    with pytest.raises(SipParseError, match=message):
        parse_via(text)


def test_cseq_reads_number_and_method_with_leading_zeros() -> None:
    assert parse_cseq("0009  INVITE") == CSeq(number=9, method="INVITE")
    assert str(CSeq(number=1, method="BYE")) == "1 BYE"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("INVITE", "bad CSeq"),
        ("1 INVITE x", "bad CSeq"),
        ("-1 INVITE", "not a number"),
        ("4294967296 INVITE", "out of range"),
        ("9" * 5000 + " INVITE", "out of range"),
    ],
)
def test_malformed_cseq_raises_a_named_error(text: str, message: str) -> None:
    with pytest.raises(SipParseError, match=message):
        parse_cseq(text)


def test_branch_and_tag_take_their_randomness_as_a_parameter() -> None:
    def draws(n: int) -> str:
        return "x" * n

    assert new_branch(draws) == MAGIC_COOKIE + "x" * 16
    assert new_tag(draws, 8) == "xxxxxxxx"
