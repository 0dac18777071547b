"""ariel_sip_transactions_total: one count per transaction, retransmissions not counted."""

from __future__ import annotations

from ariel.net.metrics import SipCounters, sip_collector
from ariel.sip.message import Response, parse_message


def _final(status: int, *, branch: str = "z9hG4bKa1", cseq: str = "1 INVITE") -> Response:
    text = (
        f"SIP/2.0 {status} Whatever\r\n"
        f"Via: SIP/2.0/UDP 192.0.2.10;branch={branch}\r\n"
        "From: <sip:a@192.0.2.10>;tag=a1\r\n"
        "To: <sip:b@192.0.2.1>;tag=b1\r\n"
        "Call-ID: counted@192.0.2.10\r\n"
        f"CSeq: {cseq}\r\n"
        "Content-Length: 0\r\n\r\n"
    )
    message = parse_message(text.encode())
    assert isinstance(message, Response)
    return message


def test_a_retransmitted_final_response_counts_once() -> None:
    counters = SipCounters()
    for _ in range(3):  # the 200 OK to an INVITE is resent until the ACK comes
        counters.count(_final(200), "out")
    counters.count(_final(180), "out")  # provisional: never counted
    assert counters.finals == {("INVITE", 200, "out"): 1}


def test_each_transaction_and_direction_counts() -> None:
    counters = SipCounters()
    counters.count(_final(200), "out")
    counters.count(_final(200), "in")
    counters.count(_final(200, branch="z9hG4bKbye", cseq="2 BYE"), "out")
    counters.count(_final(486, branch="z9hG4bKother"), "out")
    assert counters.finals == {
        ("INVITE", 200, "out"): 1,
        ("INVITE", 200, "in"): 1,
        ("BYE", 200, "out"): 1,
        ("INVITE", 486, "out"): 1,
    }
    (family,) = sip_collector(counters)
    assert family.name == "ariel_sip_transactions_total"
    assert sum(sample.value for sample in family.samples) == 4


def test_only_the_latest_transactions_are_remembered() -> None:
    counters = SipCounters()
    counters.REMEMBERED = 2
    for n in range(3):
        counters.count(_final(200, branch=f"z9hG4bK{n}"), "out")
    counters.count(_final(200, branch="z9hG4bK0"), "out")  # forgotten: counted again
    counters.count(_final(200, branch="z9hG4bK2"), "out")  # remembered
    assert counters.finals == {("INVITE", 200, "out"): 4}
