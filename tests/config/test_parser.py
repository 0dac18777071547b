"""The .conf grammar: sections, options, comments, templates and appends."""

from __future__ import annotations

from ariel.config.parser import ConfFile, parse_conf, strip_comments


def _options(conf: ConfFile, index: int = 0) -> list[tuple[str, str, str]]:
    return [(o.key, o.op, o.value) for o in conf.sections[index].options]


def _messages(conf: ConfFile) -> list[str]:
    return [str(d) for d in conf.diagnostics]


def test_sections_and_options_keep_order_file_and_line() -> None:
    conf = parse_conf("[general]\nenabled = yes\n\n[second]\nkey=value\n", "t.conf")
    assert [s.name for s in conf.sections] == ["general", "second"]
    first = conf.sections[0]
    assert (first.file, first.line) == ("t.conf", 1)
    option = first.options[0]
    assert (option.key, option.value, option.op, option.file, option.line) == (
        "enabled",
        "yes",
        "=",
        "t.conf",
        2,
    )
    assert conf.sections[1].options[0].line == 5
    assert conf.diagnostics == ()


def test_whitespace_around_names_and_values_is_trimmed() -> None:
    conf = parse_conf("  [ general ]  \n\t key \t=\t some value \t\r\n", "t.conf")
    assert conf.sections[0].name == "general"
    assert _options(conf) == [("key", "=", "some value")]


def test_object_form_is_recorded_as_arrow_operator() -> None:
    conf = parse_conf("[sets]\nexten => 242,1,Noop()\nsame=>n,Hangup()\n", "t.conf")
    assert _options(conf) == [("exten", "=>", "242,1,Noop()"), ("same", "=>", "n,Hangup()")]


def test_repeated_section_names_stay_separate_sections() -> None:
    text = "[SOFTPHONE_A]\ntype = endpoint\n[SOFTPHONE_A]\ntype = aor\n"
    conf = parse_conf(text, "pjsip.conf")
    assert [(s.name, s.get("type")) for s in conf.sections] == [
        ("SOFTPHONE_A", "endpoint"),
        ("SOFTPHONE_A", "aor"),
    ]
    assert len(conf.find("softphone_a")) == 2


def test_repeated_keys_are_all_kept_and_get_returns_the_last() -> None:
    conf = parse_conf("[a]\nallow = ulaw\nALLOW = alaw\n", "t.conf")
    section = conf.sections[0]
    assert section.get_all("allow") == ("ulaw", "alaw")
    assert section.get("Allow") == "alaw"
    assert section.get("missing", "x") == "x"


def test_semicolon_starts_a_comment() -> None:
    conf = parse_conf("; heading\n[a] ; trailing\nkey = value ; note\n", "t.conf")
    assert _options(conf) == [("key", "=", "value")]
    assert conf.diagnostics == ()


def test_escaped_semicolon_is_kept_literally() -> None:
    conf = parse_conf("[a]\nkey = one\\;two ; comment\n", "t.conf")
    assert _options(conf) == [("key", "=", "one;two")]


def test_block_comment_spans_lines_and_resumes_after_close() -> None:
    text = "[a]\nx = 1 ;-- start\ny = 2\nstill comment --; z = 3\nw = 4\n"
    conf = parse_conf(text, "t.conf")
    assert _options(conf) == [("x", "=", "1"), ("z", "=", "3"), ("w", "=", "4")]


def test_block_comments_nest() -> None:
    text = "[a]\n;-- outer ;-- inner --; still outer\nhidden = 1\n--;\nshown = 2\n"
    conf = parse_conf(text, "t.conf")
    assert _options(conf) == [("shown", "=", "2")]


def test_three_dashes_is_a_line_comment_not_a_block() -> None:
    conf = parse_conf("[a]\n;--- not a block\nshown = 1\n", "t.conf")
    assert _options(conf) == [("shown", "=", "1")]


def test_unclosed_block_comment_warns_at_its_first_line() -> None:
    conf = parse_conf("[a]\nx = 1\n;-- never closed\ny = 2\n", "t.conf")
    assert _options(conf) == [("x", "=", "1")]
    assert _messages(conf) == ["t.conf:3: block comment ';--' is never closed"]
    assert conf.diagnostics[0].severity == "warning"


def test_strip_comments_reports_depth_changes() -> None:
    assert strip_comments("a ;-- b", 0) == ("a ", 1)
    assert strip_comments("b --; c", 1) == (" c", 0)
    assert strip_comments("plain", 0) == ("plain", 0)
    assert strip_comments("inside", 2) == ("", 2)


def test_plus_equals_appends_to_the_last_value_of_that_key() -> None:
    conf = parse_conf("[a]\nallow = ulaw\nallow += ,alaw\n", "t.conf")
    assert _options(conf) == [("allow", "=", "ulaw ,alaw")]
    assert conf.sections[0].options[0].line == 2


def test_plus_equals_without_earlier_value_sets_it() -> None:
    conf = parse_conf("[a]\nkey += value\n", "t.conf")
    assert _options(conf) == [("key", "=", "value")]


def test_template_is_marked_and_excluded_from_objects() -> None:
    conf = parse_conf("[phone](!)\ntype = endpoint\n[a](phone)\n", "t.conf")
    assert conf.sections[0].is_template
    assert [s.name for s in conf.objects] == ["a"]
    assert conf.first("phone") is None
    assert conf.find("phone", templates=True) == (conf.sections[0],)


def test_template_inheritance_copies_parent_options_first() -> None:
    text = "[phone](!)\ncontext = sets\nallow = ulaw\n[SOFTPHONE_A](phone)\naors = SOFTPHONE_A\n"
    conf = parse_conf(text, "pjsip.conf")
    child = conf.sections[1]
    assert child.templates == ("phone",)
    assert not child.is_template
    assert [(o.key, o.value, o.line) for o in child.options] == [
        ("context", "sets", 2),
        ("allow", "ulaw", 3),
        ("aors", "SOFTPHONE_A", 5),
    ]


def test_several_templates_are_copied_in_the_order_listed() -> None:
    text = "[t1](!)\na = 1\n[t2](!)\nb = 2\n[x](t2, t1)\nc = 3\n"
    conf = parse_conf(text, "t.conf")
    assert _options(conf, 2) == [("b", "=", "2"), ("a", "=", "1"), ("c", "=", "3")]
    assert conf.sections[2].templates == ("t2", "t1")


def test_template_may_inherit_and_be_a_template_itself() -> None:
    text = "[base](!)\na = 1\n[mid](!,base)\nb = 2\n[leaf](mid)\n"
    conf = parse_conf(text, "t.conf")
    assert conf.sections[1].is_template
    assert _options(conf, 2) == [("a", "=", "1"), ("b", "=", "2")]


def test_inheritance_may_name_a_non_template_section_case_insensitively() -> None:
    conf = parse_conf("[Base]\na = 1\n[x](base)\n", "t.conf")
    assert _options(conf, 1) == [("a", "=", "1")]


def test_inheritance_copies_the_parent_as_it_is_at_that_point() -> None:
    text = "[base]\na = 1\n[x](base)\n[base](+)\nb = 2\n"
    conf = parse_conf(text, "t.conf")
    assert conf.diagnostics == ()
    assert _options(conf, 1) == [("a", "=", "1")]
    assert _options(conf, 0) == [("a", "=", "1"), ("b", "=", "2")]


def test_plus_flag_does_not_reopen_templates_as_in_asterisk() -> None:
    conf = parse_conf("[t](!)\na = 1\n[t](+)\nb = 2\n", "t.conf")
    assert _messages(conf) == ["t.conf:3: cannot append to [t]: no earlier section"]


def test_plus_flag_appends_to_the_earlier_section() -> None:
    text = "[general]\na = 1\n[other]\nz = 9\n[general](+)\nb = 2\n"
    conf = parse_conf(text, "t.conf")
    assert [s.name for s in conf.sections] == ["general", "other"]
    assert _options(conf) == [("a", "=", "1"), ("b", "=", "2")]
    assert conf.diagnostics == ()


def test_plus_flag_with_filter_picks_the_matching_section() -> None:
    text = "[A]\ntype = endpoint\n[A]\ntype = aor\n[A](+type=aor)\ncontact = sip:a@h\n"
    conf = parse_conf(text, "pjsip.conf")
    assert conf.sections[0].get("contact") is None
    assert conf.sections[1].get("contact") == "sip:a@h"


def test_escaped_first_character_is_part_of_the_key() -> None:
    conf = parse_conf("[a]\n\\[weird = 1\n\\#hash = 2\n", "t.conf")
    assert _options(conf) == [("[weird", "=", "1"), ("#hash", "=", "2")]


def test_text_after_section_header_is_ignored_with_a_warning() -> None:
    conf = parse_conf("[a]junk\nk = v\n", "t.conf")
    assert _options(conf) == [("k", "=", "v")]
    assert _messages(conf) == ["t.conf:1: text after section header ignored: 'junk'"]


def test_line_without_equals_is_ignored_with_a_warning() -> None:
    conf = parse_conf("[a]\n...\nk = v\n", "t.conf")
    assert _options(conf) == [("k", "=", "v")]
    assert _messages(conf) == ["t.conf:2: no '=' in line; ignored"]
    assert conf.errors == ()


def test_option_before_any_section_is_an_error() -> None:
    conf = parse_conf("exten => 242,1,Noop()\n", "extensions.conf")
    assert _messages(conf) == ["extensions.conf:1: line is outside any [section]"]
    assert conf.diagnostics[0].severity == "error"


def test_unterminated_section_header_is_an_error_and_its_lines_are_dropped() -> None:
    conf = parse_conf("[good]\na = 1\n[broken\nb = 2\n", "t.conf")
    assert _messages(conf) == ["t.conf:3: section header has no closing ']'"]
    assert [s.name for s in conf.sections] == ["good"]
    assert _options(conf) == [("a", "=", "1")]


def test_unterminated_flags_are_an_error() -> None:
    conf = parse_conf("[a](!\n", "t.conf")
    assert _messages(conf) == ["t.conf:1: section [a] has no closing ')' after its flags"]


def test_unknown_template_is_an_error_naming_it() -> None:
    conf = parse_conf("\n[a](phon)\nk = v\n", "pjsip.conf")
    assert _messages(conf) == ["pjsip.conf:2: section [a] names unknown template 'phon'"]
    assert _options(conf) == [("k", "=", "v")]


def test_append_to_missing_section_is_an_error() -> None:
    conf = parse_conf("[a](+)\nk = v\n", "t.conf")
    assert _messages(conf) == ["t.conf:1: cannot append to [a]: no earlier section"]
    assert conf.sections == ()


def test_invalid_escape_is_an_error() -> None:
    conf = parse_conf("[a]\n\\ x = 1\n", "t.conf")
    assert _messages(conf) == ["t.conf:2: invalid escape at the start of the line"]


def test_missing_option_name_is_a_warning() -> None:
    conf = parse_conf("[a]\n= value\n", "t.conf")
    assert _messages(conf) == ["t.conf:2: no option name before '='; line ignored"]


def test_unknown_directive_and_exec_are_warnings() -> None:
    conf = parse_conf("[a]\n#frobnicate x\n#exec /bin/true\n", "t.conf")
    assert _messages(conf) == [
        "t.conf:2: unknown directive '#frobnicate'; line ignored",
        "t.conf:3: #exec is not supported; line ignored",
    ]
    assert conf.errors == ()


def test_include_without_a_directory_is_an_error() -> None:
    conf = parse_conf('[a]\n#include "b.conf"\n', "t.conf")
    assert _messages(conf) == [
        "t.conf:2: #include 'b.conf': no configuration directory to read from"
    ]
