"""Whether a REFER keeps its implicit subscription (RFC 4488 Refer-Sub)."""

from __future__ import annotations

import pytest

from ariel.drivers.pjsip.call_transfer import wants_subscription
from ariel.sip.invite_events import ReferReceived
from ariel.sip.message import Request, parse_message

REFER = (
    "REFER sip:pbx@192.0.2.1 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKrefer1\r\n"
    "From: <sip:phone@192.0.2.10>;tag=phone1\r\n"
    "To: <sip:pbx@192.0.2.1>;tag=pbx1\r\n"
    "Call-ID: refer-sub@192.0.2.10\r\n"
    "CSeq: 2 REFER\r\n"
    "Max-Forwards: 70\r\n"
    "Refer-To: <sip:300@192.0.2.1>\r\n"
)


def _refer(*extra: str) -> ReferReceived:
    text = REFER + "".join(f"{line}\r\n" for line in extra) + "Content-Length: 0\r\n\r\n"
    message = parse_message(text.encode())
    assert isinstance(message, Request)
    return ReferReceived(request=message, refer_to="sip:300@192.0.2.1")


@pytest.mark.parametrize(
    ("header", "subscribed"),
    [
        ((), True),
        (("Refer-Sub: true",), True),
        (("Refer-Sub: TRUE;x=1",), True),
        (("Refer-Sub: false",), False),
        (("Refer-Sub: no",), False),
    ],
)
def test_only_a_refer_sub_other_than_true_turns_the_subscription_off(
    header: tuple[str, ...], subscribed: bool
) -> None:
    assert wants_subscription(_refer(*header)) is subscribed
