"""CPU per relayed RTP packet: what the native relay costs Ariel, packet by packet.

Opens ``--pairs`` relaying stream pairs (as a bridge of two plain PJSIP
channels has) in this process, has a child process send RTP to one side of
every pair at ``--pps`` packets per second in all, and prints the server's CPU
time per forwarded packet and the share of one core it took. A G.711 call
pair carries 100 packets/s (50 each way), so ``--pps 40000`` is the load of
400 bridged pairs.

    .venv/bin/python bench/relay_cpu.py --pairs 400 --pps 40000 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import struct
import time

from ariel.net.media_clock import MediaClock
from ariel.net.ports import PortAllocator
from ariel.net.rtp_stream import RtpStream, open_rtp_stream


def _blast(ports: list[int], pps: int, seconds: float, sink: socket.socket) -> None:
    """Send RTP to every port in turn at ``pps`` in all, and drain what comes back
    (a child process, so that neither counts as the server's CPU)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    payload = b"\xff" * 160
    seqs = [0] * len(ports)
    start = time.monotonic()
    sent = 0
    while (elapsed := time.monotonic() - start) < seconds:
        due = int(elapsed * pps)
        while sent < due:
            i = sent % len(ports)
            seqs[i] = (seqs[i] + 1) & 0xFFFF
            header = struct.pack("!BBHII", 0x80, 0, seqs[i], seqs[i] * 160, 1000 + i)
            sock.sendto(header + payload, ("127.0.0.1", ports[i]))
            sent += 1
        _drain(sink)
        time.sleep(0.001)


async def _main(pairs: int, pps: int, seconds: float) -> None:
    clock = MediaClock()
    ports = PortAllocator(40000, 40000 + 4 * pairs + 10)
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    sink_port = sink.getsockname()[1]
    fronts: list[RtpStream] = []
    for _ in range(pairs):
        a = await open_rtp_stream(ports, "127.0.0.1", clock)
        b = await open_rtp_stream(ports, "127.0.0.1", clock)
        for stream in (a, b):
            stream.set_remote("127.0.0.1", sink_port)
            stream.plain = lambda: True
            stream.source = lambda n: None
            stream.start()
        a.relay_to(b)
        b.relay_to(a)
        fronts.append(a)
    child = multiprocessing.Process(
        target=_blast, args=([s.port for s in fronts], pps, seconds, sink)
    )
    await asyncio.sleep(0.2)
    cpu0, out0, wall0 = time.process_time(), clock.rtp_packets_out, time.monotonic()
    child.start()  # forked: it inherits the sink socket
    while child.is_alive():
        await asyncio.sleep(0.05)
    cpu1, out1, wall1 = time.process_time(), clock.rtp_packets_out, time.monotonic()
    forwarded = out1 - out0
    cpu = cpu1 - cpu0
    print(f"pairs {pairs}  offered {pps} pkt/s  forwarded {forwarded} in {wall1 - wall0:.1f} s")
    if forwarded:
        print(f"server CPU {cpu:.2f} s = {100 * cpu / (wall1 - wall0):.0f} % of one core")
        print(f"per forwarded packet: {1e6 * cpu / forwarded:.1f} us")
    for a in fronts:
        a.close()


def _drain(sock: socket.socket) -> None:
    sock.setblocking(False)
    try:
        while True:
            sock.recv(2048)
    except BlockingIOError:
        return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=400)
    parser.add_argument("--pps", type=int, default=40000)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    try:
        import uvloop
    except ImportError:
        asyncio.run(_main(args.pairs, args.pps, args.seconds))
    else:
        uvloop.run(_main(args.pairs, args.pps, args.seconds))
    os._exit(0)


if __name__ == "__main__":
    main()
