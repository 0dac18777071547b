"""TLS contexts of a pjsip.conf TLS transport: files, key password, method, cipher, verification."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path

import pytest

from ariel.config.pjsip_objects import Transport
from ariel.drivers.pjsip.tls_context import TlsSetupError, build_tls_contexts

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is missing")


def _self_signed(directory: Path, *, password: str = "") -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    encrypt = ["-passout", f"pass:{password}"] if password else ["-nodes"]
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", *encrypt, "-keyout", str(key),
         "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="module")
def pem(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _self_signed(tmp_path_factory.mktemp("pem"))


def _tls(cert: Path, key: Path, **options: object) -> Transport:
    return Transport(
        name="transport-tls",
        protocol="tls",
        cert_file=str(cert),
        priv_key_file=str(key),
        **options,  # type: ignore[arg-type]
    )


def test_defaults_negotiate_and_verify_nobody(pem: tuple[Path, Path]) -> None:
    contexts = build_tls_contexts(_tls(*pem))
    assert contexts.server.verify_mode == ssl.CERT_NONE
    assert contexts.client.verify_mode == ssl.CERT_NONE
    assert contexts.client.check_hostname is False
    assert contexts.server.maximum_version == ssl.TLSVersion.MAXIMUM_SUPPORTED


def test_verify_server_checks_certificate_and_name(pem: tuple[Path, Path]) -> None:
    cert, key = pem
    contexts = build_tls_contexts(_tls(cert, key, verify_server=True, ca_list_file=str(cert)))
    assert contexts.client.verify_mode == ssl.CERT_REQUIRED
    assert contexts.client.check_hostname is True
    assert contexts.client.cert_store_stats()["x509_ca"] == 1


@pytest.mark.parametrize(
    ("verify_client", "require_client_cert", "mode"),
    [
        (True, False, ssl.CERT_OPTIONAL),
        (False, True, ssl.CERT_REQUIRED),
        (True, True, ssl.CERT_REQUIRED),
    ],
)
def test_client_certificates_are_checked_as_configured(
    pem: tuple[Path, Path], verify_client: bool, require_client_cert: bool, mode: ssl.VerifyMode
) -> None:
    cert, key = pem
    transport = _tls(
        cert,
        key,
        verify_client=verify_client,
        require_client_cert=require_client_cert,
        ca_list_file=str(cert),
    )
    assert build_tls_contexts(transport).server.verify_mode == mode


@pytest.mark.parametrize(
    ("method", "version"),
    [("tlsv1_2", ssl.TLSVersion.TLSv1_2), ("tlsv1_3", ssl.TLSVersion.TLSv1_3)],
)
def test_a_versioned_method_pins_that_version(
    pem: tuple[Path, Path], method: str, version: ssl.TLSVersion
) -> None:
    contexts = build_tls_contexts(_tls(*pem, method=method))
    for context in (contexts.server, contexts.client):
        assert (context.minimum_version, context.maximum_version) == (version, version)


@pytest.mark.parametrize("method", ["sslv2", "sslv3"])
def test_ssl_2_and_3_refuse_the_transport(pem: tuple[Path, Path], method: str) -> None:
    with pytest.raises(TlsSetupError, match=f"method '{method}' is not available"):
        build_tls_contexts(_tls(*pem, method=method))


def test_missing_certificate_options_refuse_the_transport() -> None:
    with pytest.raises(TlsSetupError, match="protocol tls needs cert_file"):
        build_tls_contexts(Transport(name="t", protocol="tls", priv_key_file="/k.pem"))
    with pytest.raises(TlsSetupError, match="protocol tls needs priv_key_file"):
        build_tls_contexts(Transport(name="t", protocol="tls", cert_file="/c.pem"))


def test_missing_certificate_file_is_named(pem: tuple[Path, Path], tmp_path: Path) -> None:
    _, key = pem
    missing = tmp_path / "gone.pem"
    with pytest.raises(TlsSetupError) as caught:
        build_tls_contexts(_tls(missing, key))
    assert str(caught.value) == f"cert_file '{missing}' is either missing or not readable"


def test_a_key_that_does_not_match_refuses_the_transport(
    pem: tuple[Path, Path], tmp_path: Path
) -> None:
    other_cert, _ = _self_signed(tmp_path)
    _, key = pem
    with pytest.raises(TlsSetupError, match="cannot use cert_file"):
        build_tls_contexts(_tls(other_cert, key))


def test_an_encrypted_key_opens_with_its_password_only(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path, password="open sesame")
    build_tls_contexts(_tls(cert, key, password="open sesame"))
    with pytest.raises(TlsSetupError, match="cannot use cert_file"):
        build_tls_contexts(_tls(cert, key, password="wrong"))
    with pytest.raises(TlsSetupError, match="cannot use cert_file"):
        build_tls_contexts(_tls(cert, key))  # never a prompt on the terminal


def test_cipher_list_is_applied_and_unknown_ciphers_refused(pem: tuple[Path, Path]) -> None:
    contexts = build_tls_contexts(_tls(*pem, cipher=("ECDHE-RSA-AES128-GCM-SHA256",)))
    names = {c["name"] for c in contexts.server.get_ciphers() if c["protocol"] == "TLSv1.2"}
    assert names == {"ECDHE-RSA-AES128-GCM-SHA256"}
    with pytest.raises(TlsSetupError, match="OpenSSL knows none of these ciphers"):
        build_tls_contexts(_tls(*pem, cipher=("NO-SUCH-CIPHER",)))


def test_unreadable_ca_list_path_refuses_the_transport(
    pem: tuple[Path, Path], tmp_path: Path
) -> None:
    with pytest.raises(TlsSetupError, match=r"ca_list_path .* is not a directory"):
        build_tls_contexts(_tls(*pem, ca_list_path=str(tmp_path / "none")))
