"""Extension patterns: matching and Asterisk's sort order (pbx.c ext_cmp)."""

from __future__ import annotations

import pytest

from ariel.core.dialplan.patterns import (
    MatchMode,
    can_match,
    compare,
    match,
    match_core,
    match_more,
    normalize_callerid_pattern,
    normalize_exten,
    sort_key,
)


@pytest.mark.parametrize(
    ("pattern", "exten", "expected"),
    [
        ("100", "100", True),
        ("100", "1000", False),
        ("100", "10", False),
        ("s", "s", True),
        ("S", "s", False),  # literal extensions are case-sensitive
        ("1-00", "100", True),  # '-' is decoration on both sides
        ("100", "1-0-0", True),
        ("_X", "5", True),
        ("_X", "a", False),
        ("_Z", "0", False),
        ("_Z", "1", True),
        ("_N", "1", False),
        ("_N", "2", True),
        ("_nxz", "200", False),
        ("_nxz", "201", True),  # N/X/Z may be lowercase
        ("_NXX-XXXX", "5551234", True),
        ("_NXXXXXX", "555-1234", True),
        ("_[a-c5]", "b", True),
        ("_[a-c5]", "5", True),
        ("_[a-c5]", "d", False),
        ("_[]1", "1", True),  # an empty set is ignored
        ("_[1-3", "1", False),  # an unterminated set never matches
        ("_X.", "1", False),  # '.' needs one or more
        ("_X.", "12", True),
        ("_X.", "1abc", True),
        ("_X!", "1", True),  # '!' allows none
        ("_X!", "123", True),
        ("_.", "anything", True),
        ("_!", "", True),
        ("_1X", "1", False),
        ("_x.", "_x.", True),  # a pattern matches itself
        ("_ABC", "ABC", True),
        ("_abc", "ABC", False),
    ],
)
def test_match_follows_asterisk_rules(pattern: str, exten: str, expected: bool) -> None:
    assert match(pattern, exten) is expected


def test_can_match_accepts_prefixes_of_a_pattern() -> None:
    assert can_match("_1XXX", "12")
    assert can_match("_1XXX", "1234")
    assert not can_match("_1XXX", "2")
    assert can_match("_X.", "1")
    assert can_match("1234", "12")
    assert not can_match("1234", "13")


def test_match_more_needs_digits_still_to_come() -> None:
    assert match_more("_1XXX", "12")
    assert not match_more("_1XXX", "1234")
    assert match_more("1234", "123")
    assert not match_more("1234", "1234")
    assert match_more("_X.", "1")


def test_bang_reports_an_early_match_that_stops_collecting() -> None:
    assert match_core("_1!", "1", MatchMode.MATCHMORE) == 2
    assert match_core("_1!", "12", MatchMode.MATCH) == 2
    assert not match_more("_1!", "1")
    assert can_match("_1!", "1")


@pytest.mark.parametrize(
    ("better", "worse"),
    [
        ("100", "_X."),  # literal before any pattern
        ("100", "_100"),
        ("_1XXXXX", "_X11111"),  # collation left to right, not "fewest wildcards"
        ("_NXXNXXXXXX", "_NXXXXXXXXX"),
        ("_307754XXXX", "_NXXNXXXXXX"),
        ("_N", "_Z"),  # 8 characters before 9
        ("_Z", "_X"),  # 9 before 10
        ("_[12]", "_N"),  # a 2-character set before N
        ("_X.", "_X"),  # the end of a pattern sorts after everything but a bad set
        ("_XX", "_X"),
        ("_1X!", "_1X"),
        ("_X.", "_X!"),  # '.' before '!'
        ("_XX", "_X."),
        ("_[1-3]", "_[4-6]"),  # equal sizes: lower characters first
        ("_1", "_2"),
        ("10", "100"),
    ],
)
def test_sort_order_puts_the_more_specific_extension_first(better: str, worse: str) -> None:
    assert compare(better, worse) == -1
    assert compare(worse, better) == 1
    assert sort_key(better) < sort_key(worse)


def test_equivalent_spellings_sort_as_the_same_extension() -> None:
    assert compare("_X.", "_[0-9].") == 0
    assert compare("1-00", "100") == 0
    assert compare("_NXX-XXXX", "_NXXXXXX") == 0
    assert compare("_[]X", "_X") == 0


def test_asterisk_comment_example_ranks_fax_patterns() -> None:
    ordered = sorted(["_NXXXXXXXXX", "fax", "_NXXNXXXXXX", "_307754XXXX"], key=sort_key)
    assert ordered == ["fax", "_307754XXXX", "_NXXNXXXXXX", "_NXXXXXXXXX"]


def test_normalize_drops_blanks_outside_sets_and_cid_dashes() -> None:
    assert normalize_exten("_NXX XXXX") == "_NXXXXXX"
    assert normalize_exten("_[1 2]X") == "_[1 2]X"
    assert normalize_callerid_pattern("555-12 34") == "5551234"
