import subprocess

import pytest

from ariel._util.crypt import crypt_available, crypt_verify

pytestmark = pytest.mark.skipif(not crypt_available(), reason="no libcrypt")


def _sha512(password: str) -> str:
    return subprocess.run(
        ["openssl", "passwd", "-6", "-salt", "saltsalt", password],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_right_password_matches_sha512_crypt() -> None:
    assert crypt_verify("secret", _sha512("secret"))


def test_wrong_password_does_not_match() -> None:
    assert not crypt_verify("Secret", _sha512("secret"))


def test_empty_or_garbage_hash_never_matches() -> None:
    assert not crypt_verify("secret", "")
    assert not crypt_verify("secret", "not-a-hash")
