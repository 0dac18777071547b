"""pjsip.conf ``protocol = tls`` transports: TLS options, their defaults and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from ariel.config.diagnostics import Diagnostic
from ariel.config.parser import parse_conf
from ariel.config.pjsip import PjsipConf, build_pjsip_conf
from ariel.config.pjsip_tables import TLS_METHODS


def _build(text: str) -> tuple[PjsipConf, list[Diagnostic]]:
    conf = parse_conf(text, "pjsip.conf")
    assert conf.errors == ()
    model, found = build_pjsip_conf(conf)
    return model, list(found)


@pytest.fixture
def pem_files(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("certificate\n")
    key.write_text("key\n")
    return cert, key


def test_tls_options_are_read_with_asterisk_defaults(pem_files: tuple[Path, Path]) -> None:
    cert, key = pem_files
    model, found = _build(
        "[tls]\ntype = transport\nprotocol = tls\nbind = 127.0.0.1\n"
        f"cert_file = {cert}\npriv_key_file = {key}\n"
        "ca_list_path = /etc/ssl/certs\npassword = s3cret\nmethod = TLSv1_2\n"
        "cipher = ECDHE-RSA-AES128-GCM-SHA256,AES256-SHA\nrequire_client_cert = yes\n"
    )
    assert found == []
    tls = model.transports["tls"]
    assert (tls.protocol, tls.bind_port, tls.method, tls.password) == (
        "tls",
        5061,
        "tlsv1_2",
        "s3cret",
    )
    assert (tls.cert_file, tls.priv_key_file, tls.ca_list_path) == (
        str(cert),
        str(key),
        "/etc/ssl/certs",
    )
    assert tls.cipher == ("ECDHE-RSA-AES128-GCM-SHA256", "AES256-SHA")
    # res_pjsip: verify_server, verify_client default to no; require_client_cert as set.
    assert (tls.verify_server, tls.verify_client, tls.require_client_cert) == (False, False, True)


@pytest.mark.parametrize("method", ["", *TLS_METHODS])
def test_every_res_pjsip_method_is_accepted(method: str, pem_files: tuple[Path, Path]) -> None:
    cert, key = pem_files
    model, found = _build(
        f"[tls]\ntype=transport\nprotocol=tls\ncert_file={cert}\npriv_key_file={key}\n"
        f"method={method}\n"
    )
    assert found == []
    assert model.transports["tls"].method == method


def test_unknown_method_is_an_error_at_its_line(pem_files: tuple[Path, Path]) -> None:
    cert, key = pem_files
    _, found = _build(
        f"[tls]\ntype=transport\nprotocol=tls\ncert_file={cert}\npriv_key_file={key}\n"
        "method=tlsv9\n"
    )
    assert [(d.severity, str(d)) for d in found] == [
        (
            "error",
            "pjsip.conf:6: bad value for 'method': 'tlsv9' is not one of default, unspecified, "
            "tlsv1, tlsv1_1, tlsv1_2, tlsv1_3, sslv2, sslv3, sslv23",
        )
    ]


@pytest.mark.parametrize("option", ["verify_server", "verify_client", "require_client_cert"])
def test_bad_yes_no_for_a_verify_option_is_an_error_at_its_line(option: str) -> None:
    _, found = _build(f"[udp]\ntype=transport\n{option}=perhaps\n")
    assert [d.severity for d in found] == ["error"]
    assert str(found[0]).startswith(f"pjsip.conf:3: bad value for '{option}'")


def test_tls_transport_without_certificate_or_key_is_reported_at_its_section() -> None:
    _, found = _build("[udp]\ntype=transport\n\n[tls]\ntype=transport\nprotocol=tls\n")
    assert [(d.severity, str(d)) for d in found] == [
        (
            "warning",
            "pjsip.conf:4: transport [tls]: protocol tls needs cert_file; "
            "the transport will not start",
        ),
        (
            "warning",
            "pjsip.conf:4: transport [tls]: protocol tls needs priv_key_file; "
            "the transport will not start",
        ),
    ]


def test_unreadable_tls_files_are_reported_at_their_lines(
    pem_files: tuple[Path, Path], tmp_path: Path
) -> None:
    cert, _ = pem_files
    missing_key, missing_ca = tmp_path / "nokey.pem", tmp_path / "noca.pem"
    _, found = _build(
        "[tls]\ntype=transport\nprotocol=tls\n"
        f"cert_file={cert}\npriv_key_file={missing_key}\nca_list_file={missing_ca}\n"
    )
    assert [(d.severity, str(d)) for d in found] == [
        (
            "warning",
            f"pjsip.conf:5: transport [tls]: priv_key_file '{missing_key}' is either missing "
            "or not readable; the transport will not start",
        ),
        (
            "warning",
            f"pjsip.conf:6: transport [tls]: ca_list_file '{missing_ca}' is either missing "
            "or not readable; the transport will not start",
        ),
    ]


def test_tls_files_are_not_checked_on_other_protocols(tmp_path: Path) -> None:
    _, found = _build(
        f"[tcp]\ntype=transport\nprotocol=tcp\ncert_file={tmp_path / 'nothing.pem'}\n"
    )
    assert found == []
