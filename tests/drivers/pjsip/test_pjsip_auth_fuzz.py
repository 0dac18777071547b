"""Any Authorization header gets an answer (400, 401 or 403) or passes; none raises.

Hostile values (not Digest, empty, duplicated or unterminated parameters,
non-ASCII responses and nonces, nonces shaped like ours with a forged MAC)
go through :meth:`Authenticator.check` of an endpoint with a password and one
with an ``md5_cred``.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ariel.config import config_from_texts
from ariel.drivers.pjsip.auth import Authenticator
from ariel.sip.digest import compute_ha1
from ariel.sip.message import Request, parse_message

PJSIP = """
[alice]
type = endpoint
auth = alice-auth

[alice-auth]
type = auth
username = alice
password = secret

[hashed]
type = endpoint
auth = hashed-auth

[hashed-auth]
type = auth
auth_type = md5
username = hashed
realm = asterisk
md5_cred = {ha1}
""".replace("{ha1}", compute_ha1("hashed", "asterisk", "pw"))

REGISTER = (
    b"REGISTER sip:example.com SIP/2.0\r\n"
    b"Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK-a1\r\n"
    b"Max-Forwards: 70\r\n"
    b"From: <sip:alice@example.com>;tag=f1\r\n"
    b"To: <sip:alice@example.com>\r\n"
    b"Call-ID: auth-fuzz\r\n"
    b"CSeq: 1 REGISTER\r\n"
    b"Content-Length: 0\r\n\r\n"
)
CONF = config_from_texts({"pjsip.conf": PJSIP}).pjsip

_PARAMS = st.sampled_from(
    [
        'username="alice"',
        'username="hashed"',
        'realm="asterisk"',
        'realm="other"',
        'uri="sip:example.com"',
        'response="0123456789abcdef0123456789abcdef"',
        'response="\u00e9t\u00e9"',
        'nonce="5000/0101010101010101/\u00e9"',
        'nonce="\u00b2/aa/bb"',
        'nonce="1/2/3"',
        'nonce="9999999999999999999999/a/b"',
        "algorithm=MD5-sess",
        "algorithm=SHA-256",
        "algorithm=nope",
        "qop=auth",
        "qop=auth-int",
        "qop=bogus",
        "nc=00000001",
        'cnonce="c"',
        'username="',
        "=x",
        "",
    ]
)
AUTHORIZATION = st.one_of(
    st.lists(_PARAMS, max_size=10).map(lambda parts: "Digest " + ", ".join(parts)),
    st.text(max_size=60),
)


def _request(values: list[str]) -> Request:
    message = parse_message(REGISTER)
    assert isinstance(message, Request)
    headers = message.headers
    for value in values:
        headers = headers.with_added("Authorization", value)
    return Request(method=message.method, uri=message.uri, headers=headers)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(AUTHORIZATION, min_size=1, max_size=3))
@example([""])
@example(
    ['Digest username="alice", realm="asterisk", nonce="5000/01/\u00e9", uri="u", response="r"']
)
@example(['Digest username="alice", realm="asterisk", nonce="n", uri="u", response="\u00e9"'])
def test_any_authorization_is_answered_or_accepted_never_raises(values: list[str]) -> None:
    auth = Authenticator(CONF, now=lambda: 5000.0, random_bytes=lambda n: b"\x01" * n)
    for endpoint in ("alice", "hashed"):
        response = auth.check(_request(values), CONF.endpoints[endpoint], to_tag="t")
        assert response is None or response.status in (400, 401, 403)
