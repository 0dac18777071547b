"""Installs the third-party ARI clients that the compatibility tests drive.

Each Python client gets its own virtual environment under ``.venvs/<name>``
(their dependencies are old and must not leak into Ariel's), built from the
pinned ``requirements/<name>.txt``; the npm client is installed into
``node/node_modules`` with ``npm ci``. A stamp (hash of the pin file and the
interpreter version) makes a second run free. Standard library only: used by
the tests and, as ``python client_envs.py``, by ``scripts/test.sh``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENVS = HERE / ".venvs"
NODE_DIR = HERE / "node"
PROBES = HERE / "probes"

__all__ = ["PYTHON_CLIENTS", "PythonClient", "ensure_node", "ensure_python_client"]


@dataclass(frozen=True)
class PythonClient:
    """A PyPI ARI client library and the probe script that drives it."""

    name: str
    probe: str

    @property
    def requirements(self) -> Path:
        return HERE / "requirements" / f"{self.name}.txt"

    @property
    def venv(self) -> Path:
        return VENVS / self.name

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"


PYTHON_CLIENTS = {
    c.name: c
    for c in (
        PythonClient("aioari", "aioari_probe.py"),
        PythonClient("asyncari", "asyncari_probe.py"),
        PythonClient("ari-client", "ari_client_probe.py"),
    )
}


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
        h.update(b"\0")
    return h.hexdigest()


def _note(text: str) -> None:
    print(f"[ariel] {text}", file=sys.stderr, flush=True)


def _run(cmd: list[str], cwd: Path | None = None) -> None:
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}"
        )


def ensure_python_client(client: PythonClient) -> Path:
    """Creates or refreshes the client's virtual environment; returns its interpreter."""
    want = _digest(client.requirements.read_bytes(), sys.version.encode())
    stamp = client.venv / ".ariel-stamp"
    if client.python.exists() and stamp.exists() and stamp.read_text().strip() == want:
        return client.python
    _note(f"installing the ARI client {client.name} into {client.venv}")
    shutil.rmtree(client.venv, ignore_errors=True)
    client.venv.parent.mkdir(parents=True, exist_ok=True)
    _run([sys.executable, "-m", "venv", str(client.venv)])
    _run([str(client.python), "-m", "pip", "install", "-q", "-r", str(client.requirements)])
    stamp.write_text(want + "\n")
    return client.python


def ensure_node() -> Path:
    """Runs ``npm ci`` in the node project when node_modules is missing or stale."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise RuntimeError("node and npm are needed (scripts/test.sh installs them)")
    lock = NODE_DIR / "package-lock.json"
    want = _digest(lock.read_bytes(), (NODE_DIR / "package.json").read_bytes())
    stamp = NODE_DIR / "node_modules" / ".ariel-stamp"
    if stamp.exists() and stamp.read_text().strip() == want:
        return NODE_DIR
    _note(f"installing the npm ARI client into {NODE_DIR / 'node_modules'}")
    _run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error", "--no-progress"],
        cwd=NODE_DIR,
    )
    stamp.write_text(want + "\n")
    return NODE_DIR


def main(argv: list[str]) -> int:
    names = argv or [*PYTHON_CLIENTS, "node"]
    for name in names:
        if name == "node":
            ensure_node()
        else:
            ensure_python_client(PYTHON_CLIENTS[name])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
