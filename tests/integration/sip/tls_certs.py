"""A throwaway certificate authority for the SIP over TLS tests, made with ``openssl``.

:func:`make_certificates` writes into a directory: ``ca.pem`` (a self-signed
CA), ``server.pem``/``server.key`` (for Ariel's TLS transport) and
``phone.pem`` (certificate and key in one file, as baresip's
``sip_certificate`` wants), both leaf certificates naming ``127.0.0.1`` as an
IP subjectAltName so that hostname checks pass on loopback.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Certificates", "make_certificates", "openssl_path"]


@dataclass(frozen=True)
class Certificates:
    """Paths of the files :func:`make_certificates` wrote."""

    ca: Path
    server_cert: Path
    server_key: Path
    phone: Path


def openssl_path() -> str | None:
    """The ``openssl`` command, or ``None`` when it is not installed."""
    return shutil.which("openssl")


def _run(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def _leaf(directory: Path, name: str) -> tuple[Path, Path]:
    key, csr, cert = f"{name}.key", f"{name}.csr", f"{name}.pem"
    _run(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr,
        "-subj", f"/CN={name}.ariel.test", cwd=directory,
    )  # fmt: skip
    (directory / f"{name}.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    _run(
        "x509", "-req", "-in", csr, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", cert, "-days", "2", "-extfile", f"{name}.ext", cwd=directory,
    )  # fmt: skip
    return directory / cert, directory / key


def make_certificates(directory: Path) -> Certificates:
    """A CA and two leaf certificates signed by it, in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    _run(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=Ariel Test CA", cwd=directory,
    )  # fmt: skip
    server_cert, server_key = _leaf(directory, "server")
    phone_cert, phone_key = _leaf(directory, "phone")
    phone = directory / "phone-bundle.pem"
    phone.write_text(phone_cert.read_text() + phone_key.read_text())
    return Certificates(
        ca=directory / "ca.pem", server_cert=server_cert, server_key=server_key, phone=phone
    )
