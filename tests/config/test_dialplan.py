"""extensions.conf: globals, contexts, priorities, labels and applications."""

from __future__ import annotations

from ariel.config.dialplan import Dialplan, DialplanGeneral, build_dialplan
from ariel.config.dialplan_lines import split_application
from ariel.config.parser import parse_conf


def _build(text: str) -> tuple[Dialplan, list[str]]:
    conf = parse_conf(text, "extensions.conf")
    assert conf.errors == ()
    model, found = build_dialplan(conf)
    return model, [str(d) for d in found]


def _steps(model: Dialplan, context: str) -> list[tuple[str, int, str | None, str, str]]:
    return [
        (e.exten, e.priority, e.label, e.app, e.app_data)
        for e in model.contexts[context].extensions
    ]


def test_general_defaults_match_asterisk() -> None:
    general = DialplanGeneral()
    assert (general.static, general.writeprotect, general.clearglobalvars) == (False, False, False)
    assert general.autofallthrough is True
    assert general.userscontext == "default"


def test_general_and_globals_are_read_without_evaluation() -> None:
    text = (
        "[general]\nstatic=yes\nautofallthrough=no\n[globals]\nA = initial\nB = ${A}-x\nA = again\n"
    )
    model, found = _build(text)
    assert found == []
    assert (model.general.static, model.general.autofallthrough) == (True, False)
    assert model.globals == {"A": "again", "B": "${A}-x"}
    assert model.contexts == {}


def test_quick_start_extension_resolves_next_priorities() -> None:
    text = "[sets]\nexten => 242,1,Noop()\n same => n,Stasis(zarniwoop)\n same => n,Hangup()\n"
    model, found = _build(text)
    assert found == []
    assert _steps(model, "sets") == [
        ("242", 1, None, "Noop", ""),
        ("242", 2, None, "Stasis", "zarniwoop"),
        ("242", 3, None, "Hangup", ""),
    ]
    second = model.contexts["sets"].extensions[1]
    assert (second.file, second.line, second.cid_match) == ("extensions.conf", 3, None)
    assert model.contexts["sets"].find("242", 2) == second


def test_app_data_is_the_raw_text_inside_the_outer_parentheses() -> None:
    text = (
        "[c]\nexten => s,1,Stasis(zarniwoop,alpha,beta)\n"
        "same => n,Set(X=${CUT(a,b,1)})\nsame => n, Verbose( 1, (nested) )\n"
    )
    model, _ = _build(text)
    assert _steps(model, "c") == [
        ("s", 1, None, "Stasis", "zarniwoop,alpha,beta"),
        ("s", 2, None, "Set", "X=${CUT(a,b,1)}"),
        ("s", 3, None, "Verbose", " 1, (nested) "),
    ]


def test_app_without_parentheses_and_comma_form_are_accepted() -> None:
    model, _ = _build("[c]\nexten => s,1,Answer\nexten => s,2,Dial,PJSIP/alice\n")
    assert _steps(model, "c") == [
        ("s", 1, None, "Answer", ""),
        ("s", 2, None, "Dial", "PJSIP/alice"),
    ]


def test_split_application_keeps_variable_app_names_whole() -> None:
    assert split_application("${APP}(x)") == ("${APP}(x)", "", True)
    assert split_application("Noop(") == ("Noop", "", False)


def test_labels_same_priority_and_offsets() -> None:
    text = (
        "[c]\nexten => 100,1(start),Answer()\nsame => n(loop),Playback(beep)\n"
        "same => s,Noop(same priority ignored as duplicate)\nexten => 100,loop+5,Goto(loop)\n"
        "exten => 100,10,Hangup()\n"
    )
    model, found = _build(text)
    assert _steps(model, "c") == [
        ("100", 1, "start", "Answer", ""),
        ("100", 2, "loop", "Playback", "beep"),
        ("100", 7, None, "Goto", "loop"),
        ("100", 10, None, "Hangup", ""),
    ]
    assert found == [
        "extensions.conf:4: extension 100 priority 2 in [c] is already defined at "
        "extensions.conf:3; ignored"
    ]


def test_next_priority_follows_the_previous_line_as_asterisk_does() -> None:
    model, _ = _build("[c]\nexten => 1,1,Noop()\nexten => 2,n,Noop()\n")
    assert [(e.exten, e.priority) for e in model.contexts["c"].extensions] == [("1", 1), ("2", 2)]


def test_patterns_and_caller_id_matches_are_kept_as_text() -> None:
    text = "[c]\nexten => _[1,2]X.,1,Noop()\nexten => 100/(555) 123-4567,1,Noop()\n"
    model, found = _build(text)
    first, second = model.contexts["c"].extensions
    assert (first.exten, first.cid_match) == ("_[1,2]X.", None)
    assert (second.exten, second.cid_match) == ("100", "5551234567")
    assert found == []


def test_hints_includes_switches_and_ignorepats_are_collected() -> None:
    text = (
        "[c]\nexten => 100,hint,PJSIP/alice&PJSIP/bob,CustomPresence:100\n"
        "include => other\ninclude => hours,09:00-17:00,mon-fri,*,*\n"
        "switch => Loopback/elsewhere\neswitch => IAX2/box/${EXTEN}\nignorepat => 9\n"
        "[other]\n[hours]\n"
    )
    model, found = _build(text)
    assert found == []
    context = model.contexts["c"]
    assert context.extensions == ()
    hint = context.hints[0]
    assert (hint.exten, hint.device, hint.presence) == (
        "100",
        "PJSIP/alice&PJSIP/bob",
        "CustomPresence:100",
    )
    assert [(i.context, i.timing) for i in context.includes] == [
        ("other", ""),
        ("hours", "09:00-17:00,mon-fri,*,*"),
    ]
    assert [(s.module, s.data, s.eval) for s in context.switches] == [
        ("Loopback", "elsewhere", False),
        ("IAX2", "box/${EXTEN}", True),
    ]
    assert context.ignorepats == ("9",)


def test_sections_with_the_same_name_merge_into_one_context() -> None:
    model, _ = _build("[c]\nexten => 1,1,Noop()\n[d]\n[c]\nexten => 2,1,Noop()\n")
    assert [e.exten for e in model.contexts["c"].extensions] == ["1", "2"]
    assert list(model.contexts) == ["c", "d"]


def test_template_contexts_are_not_contexts_but_can_be_inherited() -> None:
    model, _ = _build("[base](!)\nexten => i,1,Hangup()\n[c](base)\nexten => 1,1,Noop()\n")
    assert list(model.contexts) == ["c"]
    assert [e.exten for e in model.contexts["c"].extensions] == ["i", "1"]


def test_same_without_extension_is_an_error() -> None:
    _, found = _build("[c]\nsame => n,Noop()\n")
    assert found == ["extensions.conf:2: 'same' has no extension before it in [c]"]


def test_next_on_first_line_is_an_error() -> None:
    _, found = _build("[c]\nexten => 1,n,Noop()\n")
    assert found == ["extensions.conf:2: priority 'n' needs an earlier line in [c]"]


def test_bad_priority_and_unknown_label_are_errors() -> None:
    _, found = _build(
        "[c]\nexten => 1,0,Noop()\nexten => 1,nowhere,Noop()\nexten => 1,2(x,Noop()\n"
    )
    assert found == [
        "extensions.conf:2: invalid priority or unknown label '0' in [c]",
        "extensions.conf:3: invalid priority or unknown label 'nowhere' in [c]",
        "extensions.conf:4: label has no closing ')' in [c]",
    ]


def test_questionable_lines_are_warnings() -> None:
    text = "[c]\nexten => _.,1,Noop(\nfrob => 1\n"
    _, found = _build(text)
    assert found == [
        "extensions.conf:2: no closing ')' in 'Noop('",
        "extensions.conf:2: pattern '_.' matches too much; use '_X.'",
        "extensions.conf:3: unknown line 'frob' in context [c]; ignored",
    ]
