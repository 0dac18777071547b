"""Extension patterns: matching and Asterisk's priority order among them.

Theory of operation (after main/pbx.c, ``_extension_match_core`` and
``ext_cmp``): an extension that does not start with ``_`` is literal and is
compared character by character; a ``_`` pattern is walked one position at a
time against the dialled string, where ``X``/``Z``/``N`` (either case) stand
for 0-9/1-9/2-9, ``[...]`` for a set (``a-c`` ranges, everything else literal),
``.`` for "one or more of anything" and ``!`` for "zero or more of anything".
Any other character is literal.  ``-`` is decoration and is skipped in both
the pattern and the dialled string, so ``_NXX-XXXX`` matches ``5551234``.

Three questions are asked of a pattern, as Asterisk's ``E_MATCH``,
``E_CANMATCH`` and ``E_MATCHMORE`` modes: does it match exactly, could it
match once more digits arrive (overlap dialling), and does it need more
digits.  ``!`` answers "match, and stop collecting" (a core result of 2).

The order used to pick among several matching extensions is Asterisk's sort
order (the default ``extenpatternmatchnew=no`` matcher walks the context's
extensions in this order and takes the first match): literal extensions
before patterns; among patterns, position by position, a smaller character
class wins (one character beats ``N`` (8) beats ``Z`` (9) beats ``X`` (10)),
equal sizes are broken by the set's characters (lower codes first), and
``.`` sorts after every set and ``!`` after ``.``; the end of a pattern sorts
after all of them, so of two patterns with the same start the longer one comes
first (``_XX`` before ``_X``, ``_1X!`` before ``_1X``).  This is a left-to-right
collation, not a "fewest wildcards" score: ``_1XXXXX`` beats ``_X11111``.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum

__all__ = [
    "MatchMode",
    "can_match",
    "compare",
    "is_pattern",
    "match",
    "match_core",
    "match_more",
    "normalize_callerid_pattern",
    "normalize_exten",
    "sort_key",
]

# ext_cmp_pattern_pos special values: '.', '!', end of string, broken set.
_DOT = 0x18000
_BANG = 0x28000
_END = 0x30000
_BAD_SET = 0x40000

SortKey = tuple[int, tuple[object, ...]]


class MatchMode(IntEnum):
    """What a match question asks (Asterisk's ``enum ext_match_t``)."""

    MATCH = 0
    """The pattern matches the whole string."""
    MATCHMORE = 1
    """The string is a strict prefix of something the pattern matches."""
    CANMATCH = 2
    """Either of the above."""


def is_pattern(exten: str) -> bool:
    """Whether ``exten`` is a ``_`` pattern rather than a literal extension."""
    return exten.startswith("_")


def normalize_exten(exten: str) -> str:
    """The extension as Asterisk stores it: blanks outside ``[...]`` dropped.

    Asterisk's ``ext_strncpy`` removes spaces when an extension is added to a
    context (dashes stay; matching ignores them).

    >>> normalize_exten("_NXX XXXX")
    '_NXXXXXX'
    """
    return _strip_fluff(exten, dashes=False)


def normalize_callerid_pattern(cid: str) -> str:
    """A caller-id pattern as Asterisk stores it: blanks and dashes outside ``[...]`` dropped."""
    return _strip_fluff(cid, dashes=True)


def _strip_fluff(text: str, *, dashes: bool) -> str:
    out: list[str] = []
    in_set = False
    pattern = text.startswith("_")
    for char in text:
        if char == "[":
            in_set = in_set or pattern
        elif char == "]":
            in_set = False
        elif not in_set and (char == " " or (dashes and char == "-")):
            continue
        out.append(char)
    return "".join(out)


def match(pattern: str, exten: str) -> bool:
    """Whether ``exten`` is matched by ``pattern`` (``ast_extension_match``).

    >>> match("_NXXXXXX", "5551234"), match("_X.", "1"), match("_X!", "1"), match("100", "1-00")
    (True, False, True, True)
    """
    return match_core(pattern, exten, MatchMode.MATCH) != 0


def can_match(pattern: str, exten: str) -> bool:
    """Whether ``exten`` matches ``pattern`` now or could after more digits (``E_CANMATCH``)."""
    return match_core(pattern, exten, MatchMode.CANMATCH) != 0


def match_more(pattern: str, exten: str) -> bool:
    """Whether ``pattern`` needs more digits after ``exten`` (``E_MATCHMORE``).

    A pattern that reached ``!`` says "no": Asterisk stops collecting digits.
    """
    return match_core(pattern, exten, MatchMode.MATCHMORE) == 1


def match_core(pattern: str, data: str, mode: MatchMode) -> int:
    """Asterisk's ``_extension_match_core``: 0 no match, 1 match, 2 early match (``!``)."""
    if not pattern.startswith("_"):
        return _match_literal(pattern, data, mode)
    if mode == MatchMode.MATCH and data.startswith("_") and compare(pattern, data) == 0:
        return 1  # both are patterns, and the same one
    p, d = 1, 0
    plen, dlen = len(pattern), len(data)
    while True:
        while d < dlen and data[d] == "-":
            d += 1
        while p < plen and pattern[p] == "-":
            p += 1
        if d >= dlen or p >= plen or pattern[p] == "/":
            break
        char = pattern[p]
        value = data[d]
        if char == "[":
            end = pattern.find("]", p + 1)
            if end < 0:
                return 0  # "Wrong usage of [] in the extension"
            if end == p + 1:
                p = end + 1  # an empty set is ignored
                continue
            if not _in_set(pattern, p + 1, end, value):
                return 0
            p = end
        elif char in "nN":
            if not "2" <= value <= "9":
                return 0
        elif char in "xX":
            if not "0" <= value <= "9":
                return 0
        elif char in "zZ":
            if not "1" <= value <= "9":
                return 0
        elif char == ".":
            return 1
        elif char == "!":
            return 2
        elif value != char:
            return 0
        d += 1
        p += 1
    if d < dlen:
        return 0  # the string is longer than the pattern
    if p >= plen or pattern[p] == "/":
        return 0 if mode == MatchMode.MATCHMORE else 1
    if pattern[p] == "!":
        return 2
    return 0 if mode == MatchMode.MATCH else 1


def _in_set(pattern: str, start: int, end: int, value: str) -> bool:
    index = start
    while index < end:
        if index + 2 < end and pattern[index + 1] == "-":
            if pattern[index] <= value <= pattern[index + 2]:
                return True
            index += 3
            continue
        if value == pattern[index]:
            return True
        index += 1
    return False


def _match_literal(pattern: str, data: str, mode: MatchMode) -> int:
    bare_pattern = pattern.replace("-", "")
    bare_data = data.replace("-", "")
    if len(bare_pattern) < len(bare_data):
        return 0
    if mode == MatchMode.MATCH:
        return int(bare_pattern == bare_data)
    if not bare_data or bare_pattern.startswith(bare_data):
        if mode == MatchMode.MATCHMORE:
            return int(len(bare_pattern) > len(bare_data))
        return 1
    return 0


def compare(left: str, right: str) -> int:
    """Asterisk's ``ast_extension_cmp``: -1, 0 or 1 in the dialplan's sort order.

    >>> compare("100", "_X."), compare("_1XXXXX", "_X11111"), compare("_X.", "_X!")
    (-1, -1, -1)
    """
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


def sort_key(exten: str) -> SortKey:
    """A key that sorts extensions as Asterisk's ``ext_cmp`` does.

    Two extensions with equal keys are the same extension to Asterisk (``1-00``
    and ``100``; ``_X.`` and ``_[0-9].``).
    """
    if not exten.startswith("_"):
        return (0, tuple(exten.replace("-", "").encode("utf-8", "surrogatepass")))
    return (1, _pattern_positions(exten[1:].encode("utf-8", "surrogatepass")))


def _pattern_positions(raw: bytes) -> tuple[object, ...]:
    """The ``ext_cmp_pattern_pos`` value of each position, ending with the end marker."""
    out: list[tuple[int, int]] = []
    index = 0
    while True:
        value, mask, index = _position(raw, index)
        out.append((value, -mask))
        if value == _END:
            return tuple(out)


def _position(raw: bytes, index: int) -> tuple[int, int, int]:
    """One position: (score, character mask, next index); see ``ext_cmp_pattern_pos``."""
    while True:
        while index < len(raw) and raw[index] == ord("-"):
            index += 1
        if index >= len(raw):
            return _END, 0, index
        char = raw[index]
        index += 1
        if char in b"nN":
            return 0x0800 | ord("2"), _mask(range(ord("2"), ord("9") + 1)), index
        if char in b"xX":
            return 0x0A00 | ord("0"), _mask(range(ord("0"), ord("9") + 1)), index
        if char in b"zZ":
            return 0x0900 | ord("1"), _mask(range(ord("1"), ord("9") + 1)), index
        if char == ord("."):
            return _DOT, 0, index
        if char == ord("!"):
            return _BANG, 0, index
        if char != ord("["):
            return 0x0100 | char, _mask((char,)), index
        end = raw.find(b"]", index)
        if end < 0:
            return _BAD_SET, 0, index
        members: set[int] = set()
        lowest = 0xFF
        while index < end:
            first = last = raw[index]
            if index + 2 < end and raw[index + 1] == ord("-"):
                last = raw[index + 2]
                index += 2
            lowest = min(lowest, first)
            members.update(range(first, last + 1))
            index += 1
        index += 1  # past ']'
        if members:
            return (len(members) << 8) | lowest, _mask(members), index
        # An empty set is skipped: go on to the next position.


def _mask(chars: Iterable[int]) -> int:
    """The 256-bit set as ``memcmp`` sees Asterisk's bit array (lower codes more significant)."""
    mask = 0
    for char in chars:
        mask |= 1 << (255 - char)
    return mask
