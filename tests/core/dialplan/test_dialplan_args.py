"""Application data: ast_app_separate_args and the Set/GotoIf/Goto forms."""

from __future__ import annotations

import pytest

from ariel.core.dialplan.args import (
    GotoTarget,
    check_condition,
    decode_char,
    decode_str,
    parse_goto,
    parse_gotoif,
    parse_set,
    separate_args,
    split_inheritance,
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("app,a,b", ["app", "a", "b"]),
        ("zarniwoop", ["zarniwoop"]),
        ("", []),
        (",", ["", ""]),
        ("a,", ["a", ""]),
        ("a,,b", ["a", "", "b"]),
        (",a", ["", "a"]),
        ('"a,b",c', ["a,b", "c"]),
        ('x"y"z', ["xyz"]),
        ("a\\,b,c", ["a,b", "c"]),
        ("a\\\\,b", ["a\\", "b"]),
        ("Dial(PJSIP/a,30),x", ["Dial(PJSIP/a,30)", "x"]),
        ("[a,b],c", ["[a,b]", "c"]),
        ("a),b", ["a)", "b"]),
        ('"unclosed,a', ["unclosed,a"]),
        ("trailing\\", ["trailing"]),
    ],
)
def test_separate_args_like_asterisk(data: str, expected: list[str]) -> None:
    assert separate_args(data) == expected


def test_separate_args_raw_keeps_quotes_and_backslashes() -> None:
    assert separate_args('"a,b",c\\,d', remove_chars=False) == ['"a,b"', "c\\,d"]


def test_separate_args_with_a_maximum_keeps_the_raw_rest() -> None:
    assert separate_args('a,"b",c\\,d', max_args=2) == ["a", '"b",c\\,d']
    assert separate_args("a,", max_args=2) == ["a", ""]
    assert separate_args("a", max_args=2) == ["a"]


def test_separate_args_on_other_delimiters() -> None:
    assert separate_args("1?yes:no", "?", max_args=2) == ["1", "yes:no"]
    assert separate_args('"re" str', '"', max_args=3) == ["", "re", " str"]
    assert separate_args(None) == []


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("", False),
        (None, False),
        ("0", False),
        ("1", True),
        (" 2", True),
        ("-1", True),
        ("0abc", False),
        ("abc", True),
        ("00", False),
    ],
)
def test_check_condition_is_pbx_checkcondition(condition: str | None, expected: bool) -> None:
    assert check_condition(condition) is expected


def test_parse_set_splits_at_the_first_equals_only() -> None:
    assert parse_set("FOO=bar") == ("FOO", "bar")
    assert parse_set("FOO=a=b,c") == ("FOO", "a=b,c")
    assert parse_set("FOO=") == ("FOO", "")
    assert parse_set("CALLERID(name)=Bob") == ("CALLERID(name)", "Bob")
    assert parse_set("FOO") is None
    assert parse_set("") is None


def test_parse_gotoif_uses_strsep() -> None:
    parsed = parse_gotoif("$[1]?ctx,s,1:other,s,1")
    assert parsed is not None
    assert (parsed.condition, parsed.if_true, parsed.if_false) == ("$[1]", "ctx,s,1", "other,s,1")
    true_only = parse_gotoif("1?yes")
    assert true_only is not None and true_only.branch() == "yes"
    false_missing = parse_gotoif("0?yes")
    assert false_missing is not None and false_missing.branch() is None
    empty_true = parse_gotoif("1?:no")
    assert empty_true is not None and empty_true.branch() is None
    false_branch = parse_gotoif("0?a:b:c")
    assert false_branch is not None and false_branch.branch() == "b:c"
    no_question = parse_gotoif("1")
    assert no_question is not None and no_question.branch() is None
    assert parse_gotoif("") is None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("5", GotoTarget(priority=5)),
        ("s,5", GotoTarget(exten="s", priority=5)),
        ("ctx,s,5", GotoTarget(context="ctx", exten="s", priority=5)),
        ("ctx,s,5,ignored", GotoTarget(context="ctx", exten="s", priority=5)),
        ("ctx,s,start", GotoTarget(context="ctx", exten="s", label="start")),
        ("+2", GotoTarget(priority=2, offset=1)),
        ("-1", GotoTarget(priority=1, offset=-1)),
        ("1a", GotoTarget(label="1a")),
        (" 7 ", GotoTarget(priority=7)),
        (",s,1", GotoTarget(context="", exten="s", priority=1)),
        ("+abc", GotoTarget(label="abc")),
    ],
)
def test_parse_goto_like_pbx_parseable_goto(data: str, expected: GotoTarget) -> None:
    assert parse_goto(data) == expected


def test_goto_priorities_resolve_relative_and_labels() -> None:
    def labels(name: str) -> int | None:
        return {"start": 4}.get(name)

    assert GotoTarget(priority=2, offset=1).resolve_priority(5, labels) == 7
    assert GotoTarget(priority=1, offset=-1).resolve_priority(5, labels) == 4
    assert GotoTarget(priority=3).resolve_priority(5, labels) == 3
    assert GotoTarget(label="start").resolve_priority(5, labels) == 4
    assert GotoTarget(label="nope").resolve_priority(5, labels) is None
    assert parse_goto("") is None


def test_inheritance_marks() -> None:
    assert split_inheritance("__X") == (2, "X")
    assert split_inheritance("___X") == (2, "_X")
    assert split_inheritance("_X") == (1, "X")


def test_encoded_characters() -> None:
    assert decode_char("\\n") == ("\n", 2)
    assert decode_char("\\x41rest") == ("A", 4)
    assert decode_char("\\x4") == ("\x04", 3)
    assert decode_char("\\xg") is None
    assert decode_char("\\0101") == ("A", 5)
    assert decode_char("\\,") == (",", 2)
    assert decode_char("a") == ("a", 1)
    assert decode_char("") is None
    assert decode_str("a\\tb\\x41") == "a\tbA"
    assert decode_str("ab\\x00cd") == "ab"
