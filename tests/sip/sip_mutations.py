"""Hypothesis strategies that damage valid SIP messages the way networks and bad peers do.

Shared by the fuzz tests here (the module name is unique across tests/). A
mutation works on the wire bytes of a fixture: on single octets (flip, insert,
delete, truncate), or on whole header lines (drop, duplicate, fold, replace the
value with hostile text, drop a mandatory field, lie in Content-Length or CSeq).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sip"

#: Every wire fixture: the everyday messages, the call flows and RFC 4475's torture tests.
WIRE = tuple(
    sorted(
        (*FIXTURES.glob("*.sip"), *FIXTURES.glob("flows/*.sip"), *FIXTURES.glob("rfc4475/*.sip")),
        key=str,
    )
)
#: The everyday fixtures alone: valid requests and responses as phones send them.
EVERYDAY = tuple(sorted(FIXTURES.glob("*.sip"), key=str))

MANDATORY = ("Via", "From", "To", "Call-ID", "CSeq", "Max-Forwards", "Content-Length")
COMPACT = {"Via": "v", "From": "f", "To": "t", "Call-ID": "i", "Content-Length": "l"}

#: Header values a hostile peer writes: wrong numbers, broken quoting, odd octets.
HOSTILE_VALUES = st.sampled_from(
    [
        b"",
        b" ",
        b"-1",
        b"-2147483649",
        b"4294967296",
        b"99999999999999999999999999",
        b"1" * 5000,
        b"0x10",
        b"1e3",
        b"\xb2",  # superscript two in Latin-1 (isdigit() in Unicode)
        "\u00b2".encode(),
        "\u0661\u0662".encode(),  # Arabic-Indic digits
        b"abc INVITE",
        b"1",
        b"1 ",
        b" INVITE",
        b"1 INVITE extra",
        b'"unterminated',
        b"<sip:",
        b"<>",
        b"<sip:a@b",
        b"sip:a@b>",
        b"<sip:a@[::1>",
        b"<sip:a@b:99999>",
        b"<sip:a@b:-1>",
        b"<sip:%zz@b>",
        b"<sip:a@b>;tag",
        b"<sip:a@b>;tag=",
        b";;;;",
        b",,,,",
        b"SIP/2.0/UDP",
        b"SIP/2.0/UDP ",
        b"SIP/2.0/UDP h:0;branch",
        b"SIP/2.0/UDP [::1",
        b"SIP/2.0/UDP h;rport=99999999",
        b"SIP/2.0/UDP h;ttl=x;maddr=",
        b"SIP/3.0/UDP h",
        b"Digest",
        b"Digest ,,,",
        b'Digest username="a", username="b"',
        b'Digest realm="\xff"',
        b"\x00\x01\x02",
        b"\xff\xfe\xfd",
        b"\xed\xa0\x80",  # an encoded UTF-16 surrogate
        b"\xc3(",
        "\U0001f4de".encode(),
        b"*",
        b"\t\t",
    ]
)
HEADER_NAMES = st.sampled_from(
    [
        *MANDATORY,
        *COMPACT.values(),
        "Contact",
        "m",
        "Route",
        "Record-Route",
        "Content-Type",
        "c",
        "Expires",
        "Refer-To",
        "r",
        "Replaces",
        "Authorization",
        "Proxy-Authorization",
        "WWW-Authenticate",
        "Session-Expires",
        "x",
        "Min-SE",
        "Require",
        "Supported",
        "Event",
        "Subscription-State",
        "Reason",
        "Timestamp",
        "RSeq",
        "RAck",
        "P-Asserted-Identity",
        "Diversion",
        "Referred-By",
    ]
)


def _split(data: bytes) -> tuple[list[bytes], bytes]:
    """Header lines (start line first) and the body."""
    head, sep, body = data.partition(b"\r\n\r\n")
    return head.split(b"\r\n"), body if sep else b""


def _join(lines: list[bytes], body: bytes) -> bytes:
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def _named(lines: list[bytes], name: str) -> list[int]:
    """Indexes of the header lines called ``name`` (long or compact form)."""
    names = {name.lower().encode(), COMPACT.get(name, name).lower().encode()}
    return [
        i
        for i, line in enumerate(lines)
        if i and line.split(b":", 1)[0].strip().lower() in names and b":" in line
    ]


@st.composite
def _mutate_once(draw: st.DrawFn, data: bytes) -> bytes:
    lines, body = _split(data)
    kind = draw(
        st.sampled_from(
            [
                "flip",
                "insert",
                "delete",
                "truncate",
                "drop_line",
                "dup_line",
                "fold",
                "hostile_value",
                "add_header",
                "drop_mandatory",
                "content_length",
                "cseq",
                "bare_lf",
                "start_line",
                "body",
            ]
        )
    )
    if kind == "flip" and data:
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    if kind == "insert":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    if kind == "delete" and data:
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + data[at + draw(st.integers(1, 16)) :]
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "drop_line" and len(lines) > 1:
        del lines[draw(st.integers(1, len(lines) - 1))]
        return _join(lines, body)
    if kind == "dup_line" and len(lines) > 1:
        at = draw(st.integers(1, len(lines) - 1))
        lines.insert(draw(st.integers(1, len(lines))), lines[at])
        return _join(lines, body)
    if kind == "fold" and len(lines) > 1:
        at = draw(st.integers(1, len(lines) - 1))
        line = lines[at]
        cut = draw(st.integers(0, len(line)))
        fold = draw(st.sampled_from([b"\r\n ", b"\r\n\t", b"\r\n  \t"]))
        lines[at] = line[:cut] + fold + line[cut:]
        return _join(lines, body)
    if kind == "hostile_value" and len(lines) > 1:
        at = draw(st.integers(1, len(lines) - 1))
        name = lines[at].split(b":", 1)[0]
        lines[at] = name + b": " + draw(HOSTILE_VALUES)
        return _join(lines, body)
    if kind == "add_header":
        name = draw(HEADER_NAMES).encode()
        value = draw(st.one_of(HOSTILE_VALUES, st.binary(max_size=40)))
        lines.insert(draw(st.integers(1, len(lines))), name + b": " + value.replace(b"\r", b""))
        return _join(lines, body)
    if kind == "drop_mandatory":
        name = draw(st.sampled_from(MANDATORY))
        return _join([line for i, line in enumerate(lines) if i not in _named(lines, name)], body)
    if kind == "content_length":
        value = draw(
            st.one_of(
                st.sampled_from([b"-1", b"-0", b"2147483648", b"99999999999", b"1 1", b"", b"+5"]),
                st.integers(0, 2 * len(body) + 4).map(lambda n: str(n).encode()),
            )
        )
        lines = [line for i, line in enumerate(lines) if i not in _named(lines, "Content-Length")]
        lines.append(b"Content-Length: " + value)
        return _join(lines, body)
    if kind == "cseq":
        value = draw(
            st.sampled_from(
                [
                    b"-1 INVITE",
                    b"4294967296 INVITE",
                    b"1",
                    b"x BYE",
                    b"1 BYE",
                    b"1 ACK",
                    b"0 CANCEL",
                ]
            )
        )
        for at in _named(lines, "CSeq") or [len(lines)]:
            lines[at : at + 1] = [b"CSeq: " + value]
        return _join(lines, body)
    if kind == "bare_lf":
        return data.replace(b"\r\n", b"\n", draw(st.integers(1, 40)))
    if kind == "start_line" and lines:
        lines[0] = draw(
            st.sampled_from(
                [
                    b"",
                    b"INVITE",
                    b"INVITE sip:a@b",
                    b"INVITE sip:a@b SIP/2.0 extra",
                    b"INVITE  sip:a@b SIP/2.0",
                    b"INVITE <sip:a@b> SIP/2.0",
                    b"INVITE sip:a@b SIP/7.0",
                    b"INVITE sip:a@b HTTP/1.1",
                    b"IN\xffVITE sip:a@b SIP/2.0",
                    b"INVITE sip:a@b?Replaces=x SIP/2.0",
                    b"INVITE tel:+1-(0) SIP/2.0",
                    b"INVITE x: SIP/2.0",
                    b"SIP/2.0 99 Too small",
                    b"SIP/2.0 700 Too big",
                    b"SIP/2.0 4294967497 Overflow",
                    b"SIP/2.0 200",
                    b"SIP/2.0 2OO OK",
                    b"SIP/2.0 \xb2\xb2\xb2 OK",
                    b"SIP/2.0  200 OK",
                ]
            )
        )
        return _join(lines, body)
    if kind == "body":
        return _join(lines, draw(st.binary(max_size=200)))
    return data


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes, max_mutations: int = 4) -> bytes:
    """``data`` with one to ``max_mutations`` mutations applied."""
    for _ in range(draw(st.integers(1, max_mutations))):
        data = draw(_mutate_once(data))
    return data


def mutated(sources: tuple[Path, ...] = WIRE, max_mutations: int = 4) -> st.SearchStrategy[bytes]:
    """A wire fixture from ``sources`` with one to ``max_mutations`` mutations applied."""
    return st.sampled_from(sources).flatmap(
        lambda path: mutated_bytes(path.read_bytes(), max_mutations)
    )


#: Arbitrary octets, SIP-looking octets and mutated fixtures, in one strategy.
HOSTILE_BYTES = st.one_of(
    st.binary(max_size=400),
    st.lists(
        st.one_of(
            st.sampled_from(
                [b"INVITE ", b"SIP/2.0", b"\r\n", b"\r\n\r\n", b":", b";", b"<", b">", b'"', b" "]
            ),
            HOSTILE_VALUES,
            st.binary(max_size=8),
        ),
        max_size=40,
    ).map(b"".join),
    mutated(),
)
