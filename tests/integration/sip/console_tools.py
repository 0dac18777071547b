"""Helpers of the console tests: ``ariel -rx`` as a subprocess, RTP to a call, /metrics."""

from __future__ import annotations

import asyncio
import socket
import sys
import urllib.request
from collections.abc import Container
from pathlib import Path

from ariel_process import AriServer


async def ariel_rx(config_dir: Path, command: str, timeout: float = 10.0) -> tuple[int, str]:
    """Runs ``python -m ariel -C <dir> -rx '<command>'``: (exit status, stdout + stderr)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "ariel",
        "-C",
        str(config_dir),
        "-rx",
        command,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def wait_console(
    config_dir: Path, command: str, expect: str, *, present: bool = True, timeout: float = 5.0
) -> str:
    """Repeats ``command`` until its output does (or does not) contain ``expect``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        _, text = await ariel_rx(config_dir, command)
        if (expect in text) == present or loop.time() > deadline:
            assert (expect in text) == present, f"{command!r} output:\n{text}"
            return text
        await asyncio.sleep(0.2)


def send_rtp(address: tuple[str, int], count: int, *, skip: Container[int] = ()) -> socket.socket:
    """Sends ``count`` PCMU packets of silence to ``address`` (not the sequence numbers
    in ``skip``: the network lost them); returns the (open) socket."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    for seq in range(count):
        if seq in skip:
            continue
        header = bytes([0x80, 0x00]) + seq.to_bytes(2, "big")
        header += (seq * 160).to_bytes(4, "big") + (0x1234ABCD).to_bytes(4, "big")
        sock.sendto(header + b"\xff" * 160, address)
    return sock


def scrape(server: AriServer) -> dict[str, float]:
    """``GET /metrics`` as the ARI user: sample line (name with labels) -> value."""
    request = urllib.request.Request(
        f"{server.base_url}/metrics", headers={"Authorization": server.basic_auth()}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = response.read().decode()
    samples: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples
