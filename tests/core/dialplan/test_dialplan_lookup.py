"""DialplanIndex: which step runs, via patterns, caller ids and includes (pbx_find_extension)."""

from __future__ import annotations

from datetime import datetime

from ariel.config.dialplan import Context, Dialplan, Extension, build_dialplan
from ariel.config.parser import parse_conf
from ariel.core.dialplan.lookup import DialplanIndex, LookupStatus, stasis_context

DIALPLAN = """
[default]
exten => 100,1,Answer()
 same => n(greet),Playback(hello)
 same => n,Hangup()
exten => _1XX,1,NoOp(pattern)
exten => _1XX,2,NoOp(pattern two)
exten => _X.,1,NoOp(catch-all)
exten => _X.,5,NoOp(only the catch-all has five)
exten => 200/5551234,1,NoOp(vip)
exten => 200,1,NoOp(everyone)
exten => 300/,1,NoOp(anonymous)
exten => 300,1,NoOp(known)
exten => 400,hint,PJSIP/400

[front]
exten => 100,1,NoOp(front 100)
include => back
include => later

[back]
exten => _9NXXXXXX,1,Dial(PJSIP/${EXTEN:1})
exten => 100,1,NoOp(shadowed by front)
include => front

[later]
exten => 777,1,NoOp(later)

[timed]
include => daytime,9:00-17:00,mon-fri,*,*
include => night

[daytime]
exten => s,1,NoOp(day)

[night]
exten => s,1,NoOp(night)

[overlap]
exten => _1XXX,1,NoOp()
exten => _2!,1,NoOp()
"""


def _index() -> DialplanIndex:
    conf = parse_conf(DIALPLAN, "extensions.conf")
    model, _ = build_dialplan(conf)
    return DialplanIndex(model)


def _data(step: Extension | None) -> str | None:
    return None if step is None else step.app_data


def test_literal_extension_wins_over_patterns() -> None:
    index = _index()
    assert _data(index.find("default", "100", 1)) == ""
    step = index.find("default", "100", 1)
    assert step is not None and step.app == "Answer"


def test_more_specific_pattern_wins() -> None:
    index = _index()
    assert _data(index.find("default", "150", 1)) == "pattern"
    assert _data(index.find("default", "1500", 1)) == "catch-all"


def test_a_matching_extension_without_the_priority_does_not_stop_the_search() -> None:
    index = _index()
    # _1XX matches 150 but has no priority 5; Asterisk goes on to _X.
    assert _data(index.find("default", "150", 5)) == "only the catch-all has five"


def test_priority_numbers_come_from_the_parser() -> None:
    index = _index()
    assert _data(index.find("default", "100", 2)) == "hello"
    assert index.find("default", "100", 4) is None


def test_next_priority_is_exactly_one_more_when_it_exists() -> None:
    index = _index()
    assert index.next_priority("default", "100", 1) == 2
    assert index.next_priority("default", "100", 3) is None
    assert index.next_priority("default", "150", 2) is None  # _X. has 1 and 5 only


def test_labels_are_found_per_extension() -> None:
    index = _index()
    step = index.find_label("default", "100", "greet")
    assert step is not None and step.priority == 2
    assert index.find_label("default", "100", "nope") is None
    assert index.search("default", "100", label="nope").status is LookupStatus.NO_LABEL


def test_caller_id_specific_entries_come_first_and_need_a_match() -> None:
    index = _index()
    assert _data(index.find("default", "200", 1, "5551234")) == "vip"
    assert _data(index.find("default", "200", 1, "5550000")) == "everyone"
    assert _data(index.find("default", "200", 1)) == "everyone"


def test_empty_caller_id_pattern_matches_only_calls_without_caller_id() -> None:
    index = _index()
    assert _data(index.find("default", "300", 1)) == "anonymous"
    assert _data(index.find("default", "300", 1, "")) == "anonymous"
    assert _data(index.find("default", "300", 1, "123")) == "known"


def test_includes_are_searched_after_the_context_and_in_order() -> None:
    index = _index()
    dialled = index.search("front", "95551234", priority=1)
    assert _data(dialled.extension) == "PJSIP/${EXTEN:1}"
    assert dialled.context == "back"
    assert _data(index.find("front", "100", 1)) == "front 100"
    back = index.search("back", "100", priority=1)
    assert back.context == "back" and _data(back.extension) == "shadowed by front"


def test_include_loops_end_and_later_includes_are_reached() -> None:
    index = _index()
    found = index.search("back", "777", priority=1)  # back -> front -> (back seen) -> later
    assert _data(found.extension) == "later"
    assert found.context == "later"
    assert index.find("back", "nothing-like-this", 1) is None


def test_timed_includes_follow_the_clock_when_given() -> None:
    index = _index()
    monday_morning = datetime(2024, 5, 6, 10, 0)
    sunday = datetime(2024, 5, 5, 10, 0)
    assert _data(index.find("timed", "s", 1, now=monday_morning)) == "day"
    assert _data(index.find("timed", "s", 1, now=sunday)) == "night"
    assert _data(index.find("timed", "s", 1)) == "day"  # no clock: timing not checked


def test_status_says_how_far_the_search_got() -> None:
    index = _index()
    assert index.search("missing", "100").status is LookupStatus.NO_CONTEXT
    assert index.search("later", "100").status is LookupStatus.NO_EXTENSION
    assert index.search("later", "777", priority=9).status is LookupStatus.NO_PRIORITY
    assert index.search("later", "777").status is LookupStatus.SUCCESS


def test_exists_and_contexts() -> None:
    index = _index()
    assert index.exists("default", "100")
    assert not index.exists("default", "s")
    assert index.has_context("front")
    assert not index.has_context("Front")  # context names are case-sensitive
    assert index.context("later") is not None


def test_overlap_dialling_questions() -> None:
    index = _index()
    assert index.can_match("overlap", "12")
    assert index.match_more("overlap", "12")
    assert not index.match_more("overlap", "1234")
    assert index.exists("overlap", "1234")
    assert not index.match_more("overlap", "2")  # '!' stops collecting
    assert index.can_match("overlap", "2")


def test_hints_are_found_like_extensions() -> None:
    index = _index()
    hint = index.hint("default", "400")
    assert hint is not None and hint.device == "PJSIP/400"
    assert index.hint("default", "100") is None


def test_with_context_adds_stasis_contexts_without_touching_the_original() -> None:
    index = _index()
    bigger = index.with_context(stasis_context("zarniwoop"))
    assert not index.has_context("stasis-zarniwoop")
    step = bigger.find("stasis-zarniwoop", "anything", 1)
    assert step is not None and (step.app, step.app_data) == ("Stasis", "zarniwoop")
    assert bigger.without_context("stasis-zarniwoop").contexts.keys() == index.contexts.keys()


def test_with_context_replaces_a_context_of_the_same_name() -> None:
    index = _index()
    replacement = Context(
        name="later", extensions=(Extension(exten="888", priority=1, app="NoOp"),)
    )
    replaced = index.with_context(replacement)
    assert replaced.find("later", "777", 1) is None
    assert replaced.find("later", "888", 1) is not None


def test_index_accepts_a_plain_mapping_and_first_duplicate_wins() -> None:
    context = Context(
        name="c",
        extensions=(
            Extension(exten="_X.", priority=1, app="First"),
            Extension(exten="_[0-9].", priority=1, app="Second"),
            Extension(exten="_[0-9].", priority=2, app="Joined"),
        ),
    )
    index = DialplanIndex({"c": context})
    first = index.find("c", "12", 1)
    assert first is not None and first.app == "First"
    joined = index.find("c", "12", 2)
    assert joined is not None and joined.app == "Joined"
    assert DialplanIndex(Dialplan()).contexts == {}
