"""The reference's conformance harness, run against a started Ariel.

Runs ``../shared/conformance/run --compare`` for the scenarios listed in
``passing.txt`` on the conformance configuration exactly as shipped, except
for free ports in place of 8088/5060. Skipped where ``../shared`` is absent.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from ariel_process import asterisk_conf, free_port, launch_ariel

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
SHARED = REPO.parent / "shared" / "conformance"
PASSING = [
    line.strip()
    for line in (HERE / "passing.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]

pytestmark = [
    pytest.mark.skipif(not (SHARED / "run").exists(), reason="../shared/conformance is absent"),
    pytest.mark.skipif(shutil.which("sipp") is None, reason="sipp (sip-tester) is not installed"),
    pytest.mark.timeout(600),
]


def _conformance_config(target: Path, *, http_port: int, sip_port: int) -> None:
    for conf in (SHARED / "config").glob("*.conf"):
        text = conf.read_text()
        if conf.name == "http.conf":
            text = re.sub(r"(?m)^bindport\s*=.*$", f"bindport = {http_port}", text)
        if conf.name == "pjsip.conf":
            text = re.sub(
                r"(?m)^bind\s*=\s*127\.0\.0\.1:5060", f"bind = 127.0.0.1:{sip_port}", text
            )
        (target / conf.name).write_text(text)
    (target / "asterisk.conf").write_text(asterisk_conf(target / "state"))


def test_listed_reference_scenarios_pass(tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    http_port, sip_port = free_port(), free_port(socket.SOCK_DGRAM)
    _conformance_config(config_dir, http_port=http_port, sip_port=sip_port)
    report = tmp_path / "report.json"
    args = [str(SHARED / "run"), "--compare", str(SHARED / "golden"), "--json", str(report)]
    args += ["--ari", f"http://127.0.0.1:{http_port}", "--sip", f"127.0.0.1:{sip_port}"]
    for name in PASSING:
        args += ["-k", name]
    with launch_ariel(tmp_path, config_dir, http_port=http_port, sip_port=sip_port):
        run = subprocess.run(args, capture_output=True, text=True, timeout=540, check=False)
    assert report.exists(), f"harness wrote no report:\n{run.stdout}\n{run.stderr}"
    results = {r["scenario"]: r for r in json.loads(report.read_text())["results"]}
    assert set(PASSING) <= set(results), f"scenarios not run: {set(PASSING) - set(results)}"
    failed = {name: results[name]["differences"] for name in PASSING if not results[name]["passed"]}
    assert not failed, f"reference scenarios regressed:\n{run.stdout}"
