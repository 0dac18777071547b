import pytest

from ariel.net.ports import PortAllocator, PortsExhausted


def test_ports_are_even_and_within_the_range() -> None:
    ports = PortAllocator(10001, 10010)
    got = [ports.allocate() for _ in range(4)]
    assert got == [10002, 10004, 10006, 10008]
    with pytest.raises(PortsExhausted):
        ports.allocate()


def test_released_port_is_handed_out_again() -> None:
    ports = PortAllocator(10000, 10004)
    a, b = ports.allocate(), ports.allocate()
    ports.release(a)
    assert ports.allocate() == a
    assert ports.in_use == 2
    assert b == 10002


def test_empty_range_is_refused() -> None:
    with pytest.raises(ValueError, match="empty RTP port range"):
        PortAllocator(10000, 10000)
