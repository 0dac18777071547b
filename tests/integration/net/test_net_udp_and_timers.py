import asyncio

from ariel.net.timers import TimerDriver
from ariel.net.udp import open_udp


async def test_datagrams_travel_between_two_endpoints_on_loopback() -> None:
    got: asyncio.Queue[tuple[bytes, tuple[str, int]]] = asyncio.Queue()
    a = await open_udp("127.0.0.1", 0, lambda d, addr: got.put_nowait((d, addr)))
    b = await open_udp("127.0.0.1", 0, lambda d, addr: None)
    try:
        b.send(b"OPTIONS", a.local_address)
        data, source = await asyncio.wait_for(got.get(), 2)
        assert data == b"OPTIONS"
        assert source == b.local_address
    finally:
        a.close()
        b.close()


async def test_a_failing_handler_does_not_close_the_socket() -> None:
    got: asyncio.Queue[bytes] = asyncio.Queue()

    def handler(data: bytes, _addr: tuple[str, int]) -> None:
        if data == b"bad":
            raise ValueError("boom")
        got.put_nowait(data)

    a = await open_udp("127.0.0.1", 0, handler)
    b = await open_udp("127.0.0.1", 0, lambda d, addr: None)
    try:
        b.send(b"bad", a.local_address)
        b.send(b"good", a.local_address)
        assert await asyncio.wait_for(got.get(), 2) == b"good"
    finally:
        a.close()
        b.close()


async def test_timers_fire_once_and_can_be_cancelled() -> None:
    fired: list[tuple[object, str]] = []
    timers = TimerDriver(lambda owner, name: fired.append((owner, name)))
    timers.start("txn", "A", 0.01)
    timers.start("txn", "B", 0.01)
    timers.cancel("txn", "B")
    await asyncio.sleep(0.05)
    assert fired == [("txn", "A")]
    assert timers.active("txn") == []
