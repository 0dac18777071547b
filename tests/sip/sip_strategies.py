"""Hypothesis strategies for SIP values and messages (shared by the tests here)."""

from __future__ import annotations

from hypothesis import strategies as st

from ariel.sip import AbsoluteUri, Address, Headers, Request, Response, SipUri, TelUri, Uri, Via
from ariel.sip._grammar import TOKEN_CHARS
from ariel.sip.headers import canonical_name

# Decoded components may hold anything but surrogates; writing escapes the rest.
_ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_SOME_TEXT = _ANY_TEXT.filter(bool)
_LINE_TEXT = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\r\n"), max_size=30
)
_LABEL = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8).filter(
    lambda label: not label.startswith("-")
)
TOKENS = st.text(sorted(TOKEN_CHARS), min_size=1, max_size=8)
HOSTS = st.one_of(
    st.lists(_LABEL, min_size=1, max_size=3).map(".".join),
    st.ip_addresses(v=4).map(str),
    st.ip_addresses(v=6).map(str),
)
_PARAMS = st.lists(st.tuples(TOKENS, st.one_of(st.none(), TOKENS)), max_size=3).map(tuple)


@st.composite
def sip_uris(draw: st.DrawFn, *, with_headers: bool = True) -> SipUri:
    """Any SIP or SIPS URI; components are decoded text of any kind."""
    user = draw(st.one_of(st.none(), _SOME_TEXT))
    return SipUri(
        scheme=draw(st.sampled_from(["sip", "sips"])),
        user=user,
        password=draw(st.one_of(st.none(), _ANY_TEXT)) if user is not None else None,
        host=draw(HOSTS),
        port=draw(st.one_of(st.none(), st.integers(0, 65535))),
        params=tuple(
            draw(st.lists(st.tuples(_SOME_TEXT, st.one_of(st.none(), _ANY_TEXT)), max_size=3))
        ),
        headers=tuple(draw(st.lists(st.tuples(_SOME_TEXT, _ANY_TEXT), max_size=2)))
        if with_headers
        else (),
    )


SIP_URIS = sip_uris()
TEL_URIS = st.builds(
    TelUri, number=st.text("0123456789+-.()*#", min_size=1, max_size=12), params=_PARAMS
)
ABSOLUTE_URIS = st.builds(
    AbsoluteUri,
    scheme=st.sampled_from(["http", "urn", "mailto", "im", "x-custom+1.0"]),
    opaque=st.text(
        st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters='<>"'),
        min_size=1,
        max_size=20,
    ),
)
REQUEST_URIS: st.SearchStrategy[Uri] = st.one_of(
    sip_uris(with_headers=False), TEL_URIS, ABSOLUTE_URIS
)
ADDRESSES = st.builds(
    Address,
    display_name=st.one_of(st.none(), _LINE_TEXT),
    uri=st.one_of(SIP_URIS, TEL_URIS, ABSOLUTE_URIS),
    params=_PARAMS,
)
VIAS = st.builds(
    Via,
    transport=st.sampled_from(["UDP", "TCP", "TLS", "SCTP", "WS", "WSS"]),
    host=HOSTS,
    port=st.one_of(st.none(), st.integers(0, 65535)),
    params=_PARAMS,
)
# Names the message parser reads and checks; extension headers must avoid them.
_CHECKED = {"to", "from", "cseq", "call-id", "max-forwards", "content-length", "via", "contact"}
_EXTENSION_NAMES = TOKENS.filter(lambda name: canonical_name(name).lower() not in _CHECKED)
_EXTENSIONS = st.lists(
    st.tuples(_EXTENSION_NAMES, _LINE_TEXT.map(lambda value: value.strip(" \t"))), max_size=5
)
_CALL_IDS = st.text(sorted(TOKEN_CHARS | set('()<>:\\"/[]?{}@')), min_size=1, max_size=20)


@st.composite
def _common_fields(draw: st.DrawFn, method: str) -> list[tuple[str, str]]:
    vias = draw(st.lists(VIAS, min_size=1, max_size=3))
    fields = [("Via", str(via)) for via in vias]
    fields += [
        ("To", str(draw(ADDRESSES))),
        ("From", str(draw(ADDRESSES))),
        ("Call-ID", draw(_CALL_IDS)),
        ("CSeq", f"{draw(st.integers(0, 2**32 - 1))} {method}"),
    ]
    fields += [("Contact", str(address)) for address in draw(st.lists(ADDRESSES, max_size=2))]
    return fields + draw(_EXTENSIONS)


@st.composite
def requests(draw: st.DrawFn) -> Request:
    """A well-formed request with a correct Content-Length."""
    method = draw(TOKENS)
    fields = [*draw(_common_fields(method)), ("Max-Forwards", str(draw(st.integers(0, 255))))]
    fields = draw(st.permutations(fields))
    body = draw(st.binary(max_size=64))
    headers = Headers((*fields, ("Content-Length", str(len(body)))))
    return Request(method=method, uri=draw(REQUEST_URIS), headers=headers, body=body)


@st.composite
def responses(draw: st.DrawFn) -> Response:
    """A well-formed response with a correct Content-Length."""
    fields = draw(st.permutations(draw(_common_fields(draw(TOKENS)))))
    body = draw(st.binary(max_size=64))
    return Response(
        status=draw(st.integers(100, 699)),
        reason=draw(_LINE_TEXT),
        headers=Headers((*fields, ("Content-Length", str(len(body))))),
        body=body,
    )
