"""The SIP wire fixtures and how RFC 4475 classifies each torture message.

Imported by the tests in this directory (the module name is unique across tests/).
"""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sip"
RFC4475 = FIXTURES / "rfc4475"

# RFC 4475 §3.1.1: "Valid Messages" -- every element must accept these.
VALID = (
    "wsinv",
    "intmeth",
    "esc01",
    "escnull",
    "esc02",
    "lwsdisp",
    "longreq",
    "dblreq",
    "semiuri",
    "transports",
    "mpart01",
    "unreason",
    "noreason",
)

# Messages the parser rejects, with the status a UAS answers a request with.
# §3.1.2 (syntax) plus the §3.3/§3.4 ones whose defect is in the framing or the
# mandatory header fields, which this parser checks.
REJECTED = {
    "badinv01": 400,  # §3.1.2.1 empty Via and Contact parameters
    "clerr": 400,  # §3.1.2.2 Content-Length larger than the datagram
    "ncl": 400,  # §3.1.2.3 negative Content-Length
    "scalar02": 400,  # §3.1.2.4 CSeq > 2**32-1 (and Max-Forwards > 255)
    "scalarlg": 400,  # §3.1.2.5 response CSeq > 2**32-1 (a response is just dropped)
    "quotbal": 400,  # §3.1.2.6 unterminated quote in To
    "ltgtruri": 400,  # §3.1.2.7 Request-URI in <>
    "lwsruri": 400,  # §3.1.2.8 LWS in the Request-URI
    "lwsstart": 400,  # §3.1.2.9 several SPs between Request-Line elements
    "trws": 400,  # §3.1.2.10 SPs after the SIP-Version
    "escruri": 400,  # §3.1.2.11 headers in the Request-URI
    "regbadct": 400,  # §3.1.2.13 addr-spec holding '?' not in <>
    "badaspec": 400,  # §3.1.2.14 spaces inside <>
    "baddn": 400,  # §3.1.2.15 unquoted display name with ','
    "badvers": 505,  # §3.1.2.16 SIP/7.0
    "mismatch01": 400,  # §3.1.2.17 CSeq method differs from the Request-Line
    "mismatch02": 400,  # §3.1.2.18 same with an unknown method (RFC: 501 preferred, 400 ok)
    "bigcode": 400,  # §3.1.2.19 status code 4294967301 (a response is just dropped)
    "insuf": 400,  # §3.3.1 no To, From, Call-ID, Max-Forwards
    "multi01": 400,  # §3.3.8 two To, From, CSeq, Call-ID, Max-Forwards
    "mcl01": 400,  # §3.3.9 two Content-Length values
    "inv2543": 400,  # §3.4.1 RFC 2543 request: no Max-Forwards (RFC: may also be served)
}

# Messages whose fault is semantic: the parser accepts them and the named layer
# answers. RFC 4475 allows accepting §3.1.2.12 (liberal) and §3.2.1 (parsers
# "must not break").
ACCEPTED_SEMANTIC = {
    "baddate": "§3.1.2.12 non-GMT Date: the parser never interprets Date",
    "badbranch": "§3.2.1 branch 'z9hG4bK' alone: the transaction layer decides",
    "unkscm": "§3.3.2 unknown Request-URI scheme: AbsoluteUri, the UAS core answers 416",
    "novelsc": "§3.3.3 soap.beep: Request-URI: AbsoluteUri, the UAS core answers 416",
    "unksm2": "§3.3.4 isbn:/http:/name: URIs in To/From/Contact: the registrar answers",
    "bext01": "§3.3.5 Require/Proxy-Require: the UAS core answers 420 with Unsupported",
    "invut": "§3.3.6 unknown Content-Type: the UAS core answers 415",
    "regaut01": "§3.3.7 unknown Authorization scheme: digest raises DigestError",
    "bcast": "§3.3.10 broadcast Via in a 200: the transaction layer drops it",
    "zeromf": "§3.3.11 Max-Forwards 0: a proxy answers 483, a UAS serves it",
    "cparam01": "§3.3.12 Contact addr-spec with a header parameter: well formed",
    "cparam02": "§3.3.13 Contact name-addr with a URI parameter: well formed",
    "regescrt": "§3.3.14 Contact with an escaped URI header: the registrar decides",
    "sdp01": "§3.3.15 Accept without application/sdp: the UAS core answers 406",
}

EVERYDAY = (
    "sipp_invite",
    "phone_invite",
    "trying_100",
    "ok_200_invite",
    "ack",
    "bye",
    "cancel",
    "register",
    "unauthorized_401",
    "register_auth",
    "options",
)


def torture(name: str) -> bytes:
    """The octets of one RFC 4475 message."""
    return (RFC4475 / f"{name}.sip").read_bytes()


def everyday(name: str) -> bytes:
    """The octets of one everyday fixture."""
    return (FIXTURES / f"{name}.sip").read_bytes()
