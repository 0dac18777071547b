"""Qualify schedule: who gets an OPTIONS when, and what answers and silences mean."""

from __future__ import annotations

from ariel.config.pjsip_objects import Aor
from ariel.drivers.pjsip.qualify import Qualifier, StatusChange

AOR = Aor(name="desk", contacts=("sip:desk@192.0.2.5",), qualify_frequency=10, qualify_timeout=2)
QUIET = Aor(name="quiet", contacts=("sip:quiet@192.0.2.6",))


def _qualifier() -> Qualifier:
    contacts = {"desk": ["sip:desk@192.0.2.5"], "quiet": ["sip:quiet@192.0.2.6"]}
    return Qualifier([AOR, QUIET], lambda aor: contacts[aor])


def test_only_aors_with_a_frequency_are_pinged_once_per_period() -> None:
    q = _qualifier()
    assert q.due(0.0) == [(AOR, "sip:desk@192.0.2.5")]
    q.sent("t1", AOR, "sip:desk@192.0.2.5", 0.0)
    assert q.due(1.0) == []  # a probe is on its way
    q.answered("t1", 0.05)
    assert q.due(5.0) == []
    assert q.due(10.0) == [(AOR, "sip:desk@192.0.2.5")]


def test_answers_and_silence_change_status_once_each() -> None:
    q = _qualifier()
    q.due(0.0)
    q.sent("t1", AOR, "sip:desk@192.0.2.5", 0.0)
    assert q.answered("t1", 0.012) == StatusChange("desk", "sip:desk@192.0.2.5", "Reachable", 12000)
    q.sent("t2", AOR, "sip:desk@192.0.2.5", 10.0)
    assert q.answered("t2", 10.01) is None  # still reachable: nothing to report
    q.sent("t3", AOR, "sip:desk@192.0.2.5", 20.0)
    assert q.expire(21.0) == []
    assert q.expire(22.0) == [StatusChange("desk", "sip:desk@192.0.2.5", "Unreachable", None)]
    assert q.status("desk", "sip:desk@192.0.2.5") == "Unreachable"
    assert q.answered("t3", 22.5) is None  # too late: the probe was given up


def test_a_failed_transaction_is_unreachable_and_unknown_probes_are_ignored() -> None:
    q = _qualifier()
    q.sent("t1", AOR, "sip:desk@192.0.2.5", 0.0)
    assert q.failed("t1") == StatusChange("desk", "sip:desk@192.0.2.5", "Unreachable", None)
    assert q.failed("nope") is None
    assert q.status("quiet", "sip:quiet@192.0.2.6") == "Unknown"
