"""crypt(3) password checks through the system's libcrypt.

The stdlib ``crypt`` module is deprecated and gone in Python 3.13, so this
calls libcrypt (libxcrypt on Debian) directly, as the reference does.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hmac
from functools import cache

__all__ = ["crypt_available", "crypt_verify"]


@cache
def _crypt_function() -> ctypes._NamedFuncPointer | None:
    name = ctypes.util.find_library("crypt")
    if name is None:
        return None
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    func = lib.crypt
    func.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    func.restype = ctypes.c_char_p
    return func


def crypt_available() -> bool:
    """Whether crypt(3) could be loaded."""
    return _crypt_function() is not None


def crypt_verify(password: str, hashed: str) -> bool:
    """Whether ``password`` hashes to ``hashed`` (a ``$id$salt$hash`` string)."""
    func = _crypt_function()
    if func is None or not hashed:
        return False
    result = func(password.encode("utf-8"), hashed.encode("utf-8"))
    if not result:
        return False
    return hmac.compare_digest(bytes(result), hashed.encode("utf-8"))
