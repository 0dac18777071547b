"""AudioSocket dial strings (``host:port/uuid[/c(format)]``)."""

from __future__ import annotations

import pytest

from ariel.drivers.audiosocket.driver import parse_dialstring

UUID = "4e6f2c1a-8b3d-4c2e-9f10-0123456789ab"


def test_dialstring_with_format() -> None:
    assert parse_dialstring(f"127.0.0.1:9092/{UUID}/c(ulaw)") == ("127.0.0.1", 9092, UUID, "ulaw")


def test_format_defaults_to_slin_and_ipv6_loses_its_brackets() -> None:
    assert parse_dialstring(f"[::1]:9092/{UUID}") == ("::1", 9092, UUID, "slin")


@pytest.mark.parametrize(
    "text",
    [
        f"127.0.0.1/{UUID}",
        f"127.0.0.1:0/{UUID}",
        "127.0.0.1:9092/not-a-uuid",
        "127.0.0.1:9092",
        f"127.0.0.1:9092/{UUID}/c(opus)",
    ],
)
def test_malformed_dialstrings_are_refused(text: str) -> None:
    assert parse_dialstring(text) is None
