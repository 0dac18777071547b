"""The open-file limit at start-up: soft up to hard, or asterisk.conf's maxfiles."""

from __future__ import annotations

import resource
from collections.abc import Iterator

import pytest

from ariel.net.fd_limit import raise_open_file_limit


@pytest.fixture
def limits() -> Iterator[tuple[int, int]]:
    """The process's limits, put back after the test (the soft one only ever moves)."""
    before = resource.getrlimit(resource.RLIMIT_NOFILE)
    hard = before[1]
    if hard != resource.RLIM_INFINITY and hard < 1024:
        pytest.skip(f"hard open-file limit {hard} too low to test with")
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
    try:
        yield before
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, before)


def test_without_maxfiles_the_soft_limit_goes_up_to_the_hard(limits: tuple[int, int]) -> None:
    _, hard = limits
    soft, new_hard = raise_open_file_limit()
    assert new_hard == hard
    assert soft == (hard if hard != resource.RLIM_INFINITY else 1 << 20)


def test_maxfiles_sets_the_soft_limit(limits: tuple[int, int]) -> None:
    _, hard = limits
    assert raise_open_file_limit(1000) == (1000, hard)


def test_maxfiles_above_a_hard_limit_that_cannot_rise_stops_at_the_hard(
    limits: tuple[int, int],
) -> None:
    _, hard = limits
    if hard == resource.RLIM_INFINITY:
        pytest.skip("no hard limit")
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard + 1))
        pytest.skip("this process may raise its hard limit (root)")
    except (OSError, ValueError):
        pass
    assert raise_open_file_limit(hard * 2) == (hard, hard)
