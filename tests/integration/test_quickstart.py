"""The book's quick start on the embedded default configuration (no -C)."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BOOK_USER, BOOK_PASSWORD = "asterisk", "whateveryoudodontusethispassword"


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.bind(("127.0.0.1", 5060))
        except OSError:
            return False
    return True


@pytest.mark.skipif(not _port_free(8088), reason="127.0.0.1:8088 or :5060 is in use")
def test_embedded_default_serves_the_books_quick_start(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONUNBUFFERED="1", HOME=str(tmp_path))
    proc = subprocess.Popen(
        [sys.executable, "-m", "ariel", "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    try:
        auth = base64.b64encode(f"{BOOK_USER}:{BOOK_PASSWORD}".encode()).decode()
        req = urllib.request.Request(
            "http://127.0.0.1:8088/ari/endpoints", headers={"Authorization": f"Basic {auth}"}
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(req, timeout=1) as resp:
                    raw = resp.read()
                break
            except OSError:
                assert time.monotonic() < deadline, "quick start server did not come up"
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                time.sleep(0.1)
        endpoints = json.loads(raw)
        assert [e["resource"] for e in endpoints] == ["SOFTPHONE_A", "SOFTPHONE_B"]
        assert raw.startswith(b"[\n  {"), "pretty = yes gives indented JSON"
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err.decode()
    text = out.decode()
    assert (
        'wscat -c "ws://localhost:8088/ari/events?api_key='
        'asterisk:whateveryoudodontusethispassword&app=zarniwoop"' in text
    )
    assert "curl -v -u asterisk:whateveryoudodontusethispassword -X POST" in text
