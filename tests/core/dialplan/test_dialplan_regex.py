"""POSIX extended regexes as glibc's regcomp reads them, on Python's re."""

from __future__ import annotations

import pytest

from ariel.core.dialplan.posix_regex import PosixRegexError, compile_ere


@pytest.mark.parametrize(
    ("pattern", "text", "matched"),
    [
        ("^[[:digit:]]+$", "123", "123"),
        ("[[:alpha:]_]+", "ab_c1", "ab_c"),
        ("[]a]+", "a]a", "a]a"),
        ("[^]a]", "]ab", "b"),
        ("[a\\]+", "a\\", "a\\"),  # a backslash is literal inside brackets
        ("\\d", "d1", "d"),  # \d is not a class to glibc
        ("\\w+", "ab c", "ab"),
        ("a{2}", "aaa", "aa"),
        ("a{2,}", "aaaa", "aaaa"),
        ("{x", "{x", "{x"),
        ("x)", "x)", "x)"),  # an unmatched ')' is literal
        ("a*?", "aaa", "aaa"),  # (a*)? in POSIX, not a lazy a*
        ("(a|b)c", "bc", "bc"),
        ("a.c", "a\nc", "a\nc"),  # '.' matches a newline without REG_NEWLINE
        ("\\<ab", "ab", "ab"),
        ("^$", "", ""),
    ],
)
def test_posix_patterns_match_like_glibc(pattern: str, text: str, matched: str) -> None:
    found = compile_ere(pattern).search(text)
    assert found is not None and found.group(0) == matched


def test_dollar_does_not_match_before_a_trailing_newline() -> None:
    assert compile_ere("a$").search("a\n") is None


@pytest.mark.parametrize("pattern", ["(", "(?:a)", "*a", "[a", "[[:bogus:]]", "[z-a]", "a\\"])
def test_malformed_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(PosixRegexError):
        compile_ere(pattern)
