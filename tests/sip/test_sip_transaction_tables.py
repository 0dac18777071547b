"""Every cell of every transaction table: rows move to their next state, and
every other (state, input) pair raises TransactionStateError and changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sip_call_support import request, response

from ariel.sip.timers import TimerSettings
from ariel.sip.transaction import Destination, Machine, TransactionStateError
from ariel.sip.transaction import TransactionState as S
from ariel.sip.transaction_client import (
    ClientTransaction,
    InviteClientTransaction,
    NonInviteClientTransaction,
)
from ariel.sip.transaction_server import (
    InviteServerTransaction,
    NonInviteServerTransaction,
    ServerTransaction,
)

UDP = Destination(host="192.0.2.1", port=5060)
SOURCE = Destination(host="192.0.2.10", port=5060)
# A TU that may take longer than 200 ms, so timer "100" runs in Proceeding.
SETTINGS = TimerSettings(trying_delay=0.2)
TIMERS = ("A", "B", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "100")


def _client_input(txn: ClientTransaction, event: str) -> None:
    status = {"1xx": 180, "2xx": 200, "300-699": 486, "200-699": 200}[event]
    txn.receive(response(txn.request, status, to_tag="callee"))


def _server_input(txn: ServerTransaction, event: str) -> None:
    if event == "request":
        txn.receive(txn.request)
    elif event == "ACK":
        txn.receive(request("ACK", branch=txn.request.branch or "", to_tag="callee"))
    else:
        status = {"1xx": 180, "2xx": 200, "300-699": 486, "200-699": 200}[event[: -len(" from TU")]]
        txn.send_response(response(txn.request, status, to_tag="callee"))


def apply(txn: Machine, event: str) -> None:
    """Feed ``event`` (as the tables name inputs) to ``txn``."""
    if event.startswith("timer "):
        txn.timer_fired(event[len("timer ") :])
    elif event == "transport error":
        assert isinstance(txn, ClientTransaction | ServerTransaction)
        txn.transport_error()
    elif isinstance(txn, ClientTransaction):
        _client_input(txn, event)
    else:
        assert isinstance(txn, ServerTransaction)
        _server_input(txn, event)


def _ict() -> Machine:
    return InviteClientTransaction.start(request("INVITE"), UDP, SETTINGS)[0]


def _nict() -> Machine:
    return NonInviteClientTransaction.start(request("BYE", to_tag="t"), UDP, SETTINGS)[0]


def _ist() -> Machine:
    return InviteServerTransaction.start(request("INVITE"), SOURCE, SETTINGS)[0]


def _nist() -> Machine:
    return NonInviteServerTransaction.start(request("BYE", to_tag="t"), SOURCE, SETTINGS)[0]


# How to reach each state from the initial one, per machine.
PATHS: dict[type[Machine], tuple[Callable[[], Machine], dict[S, list[str]]]] = {
    InviteClientTransaction: (
        _ict,
        {
            S.CALLING: [],
            S.PROCEEDING: ["1xx"],
            S.COMPLETED: ["300-699"],
            S.ACCEPTED: ["2xx"],
            S.TERMINATED: ["timer B"],
        },
    ),
    NonInviteClientTransaction: (
        _nict,
        {
            S.TRYING: [],
            S.PROCEEDING: ["1xx"],
            S.COMPLETED: ["200-699"],
            S.TERMINATED: ["timer F"],
        },
    ),
    InviteServerTransaction: (
        _ist,
        {
            S.PROCEEDING: [],
            S.COMPLETED: ["300-699 from TU"],
            S.CONFIRMED: ["300-699 from TU", "ACK"],
            S.ACCEPTED: ["2xx from TU"],
            S.TERMINATED: ["300-699 from TU", "timer H"],
        },
    ),
    NonInviteServerTransaction: (
        _nist,
        {
            S.TRYING: [],
            S.PROCEEDING: ["1xx from TU"],
            S.COMPLETED: ["200-699 from TU"],
            S.TERMINATED: ["200-699 from TU", "timer J"],
        },
    ),
}


def reach(machine: type[Machine], state: S) -> Machine:
    make, paths = PATHS[machine]
    txn = make()
    for event in paths[state]:
        apply(txn, event)
    assert txn.state is state
    return txn


def _inputs(machine: type[Machine]) -> list[str]:
    events = {event for _, event in machine.table}
    events |= {f"timer {name}" for name in TIMERS} | {"transport error"}
    if machine is NonInviteServerTransaction:
        events.discard("ACK")  # an ACK always matches an INVITE transaction
    return sorted(events)


CELLS = [
    (machine, state, event)
    for machine, (_, paths) in PATHS.items()
    for state in paths
    for event in _inputs(machine)
]
ROWS = [cell for cell in CELLS if (cell[1], cell[2]) in cell[0].table]
OTHERS = [cell for cell in CELLS if (cell[1], cell[2]) not in cell[0].table]


def _id(cell: tuple[type[Machine], S, str]) -> str:
    machine, state, event = cell
    return f"{machine.machine}|{state}|{event}"


def test_the_tables_use_the_rfc_state_names() -> None:
    for machine, (_, paths) in PATHS.items():
        named = {state for state, _ in machine.table} | {nxt for nxt, _ in machine.table.values()}
        assert named == set(paths), machine.machine


def test_every_row_is_exercised_below() -> None:
    listed = {(machine, state, event) for machine, state, event in ROWS}
    expected = {(m, state, event) for m in PATHS for (state, event) in m.table}
    assert listed == expected


@pytest.mark.parametrize("cell", ROWS, ids=_id)
def test_each_row_moves_to_its_next_state(cell: tuple[type[Machine], S, str]) -> None:
    machine, state, event = cell
    txn = reach(machine, state)
    apply(txn, event)
    assert txn.state is machine.table[(state, event)][0]


@pytest.mark.parametrize("cell", OTHERS, ids=_id)
def test_inputs_outside_the_table_raise_and_change_nothing(
    cell: tuple[type[Machine], S, str],
) -> None:
    machine, state, event = cell
    txn = reach(machine, state)
    running = dict(txn.running)
    with pytest.raises(TransactionStateError) as caught:
        apply(txn, event)
    assert txn.state is state
    assert txn.running == running
    assert caught.value.state is state
    assert caught.value.event == event


@pytest.mark.parametrize("machine", list(PATHS), ids=lambda m: m.machine)
def test_a_timer_that_is_not_running_is_refused(machine: type[Machine]) -> None:
    # Reliable transports never start A, E or G: firing one is illegal.
    make, _ = PATHS[machine]
    txn = make()
    txn.running.clear()
    for event in [e for (s, e) in machine.table if s is txn.state and e.startswith("timer ")]:
        with pytest.raises(TransactionStateError):
            apply(txn, event)


@pytest.mark.parametrize("machine", list(PATHS), ids=lambda m: m.machine)
def test_abort_terminates_from_any_live_state_and_not_twice(machine: type[Machine]) -> None:
    _, paths = PATHS[machine]
    for state in paths:
        txn = reach(machine, state)
        if state is S.TERMINATED:
            with pytest.raises(TransactionStateError):
                txn.abort()
            continue
        running = set(txn.running)
        actions = txn.abort()
        assert txn.state is S.TERMINATED and not txn.running
        assert {getattr(a, "name", None) for a in actions[:-1]} == running
