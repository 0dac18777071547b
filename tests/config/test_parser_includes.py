"""#include and #tryinclude: splicing, globs, missing files and loops."""

from __future__ import annotations

from pathlib import Path

from ariel.config.parser import MAX_INCLUDE_DEPTH, parse_conf, parse_file


def _write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_include_splices_sections_with_their_own_file_and_line(tmp_path: Path) -> None:
    main = _write(tmp_path, "pjsip.conf", '[global]\ntype = global\n#include "more.conf"\n')
    _write(tmp_path, "more.conf", "\n[t]\ntype = transport\n")
    conf = parse_file(main, config_dir=tmp_path)
    assert conf.diagnostics == ()
    assert conf.included == ("more.conf",)
    second = conf.sections[1]
    assert (second.name, second.file, second.line) == ("t", "more.conf", 2)
    assert (second.options[0].file, second.options[0].line) == ("more.conf", 3)


def test_included_file_continues_the_includers_section(tmp_path: Path) -> None:
    main = _write(tmp_path, "a.conf", "[sets]\n#include b.conf\n")
    _write(tmp_path, "b.conf", "exten => 1,1,Noop()\n")
    conf = parse_file(main, config_dir=tmp_path)
    assert conf.diagnostics == ()
    assert conf.sections[0].get("exten") == "1,1,Noop()"


def test_includer_returns_to_its_own_section_after_the_include(tmp_path: Path) -> None:
    main = _write(tmp_path, "a.conf", "[first]\n#include b.conf\nafter = yes\n")
    _write(tmp_path, "b.conf", "[second]\ninside = yes\n")
    conf = parse_file(main, config_dir=tmp_path)
    assert [(s.name, [o.key for o in s.options]) for s in conf.sections] == [
        ("first", ["after"]),
        ("second", ["inside"]),
    ]


def test_include_glob_reads_matches_in_sorted_order(tmp_path: Path) -> None:
    main = _write(tmp_path, "x.conf", "#include conf.d/*.conf\n")
    _write(tmp_path, "conf.d/b.conf", "[b]\n")
    _write(tmp_path, "conf.d/a.conf", "[a]\n")
    conf = parse_file(main, config_dir=tmp_path)
    assert [s.name for s in conf.sections] == ["a", "b"]
    assert conf.included == ("conf.d/a.conf", "conf.d/b.conf")


def test_include_accepts_angle_brackets_and_absolute_paths(tmp_path: Path) -> None:
    other = _write(tmp_path / "elsewhere", "abs.conf", "[abs]\n")
    main = _write(tmp_path / "etc", "x.conf", f"#include <{other}>\n")
    conf = parse_file(main, config_dir=tmp_path / "etc")
    assert [s.name for s in conf.sections] == ["abs"]
    assert conf.sections[0].file == str(other)


def test_missing_include_is_an_error_but_tryinclude_is_silent(tmp_path: Path) -> None:
    main = _write(tmp_path, "x.conf", "[a]\n#tryinclude maybe.conf\n#include nope.conf\n")
    conf = parse_file(main, config_dir=tmp_path)
    assert [str(d) for d in conf.diagnostics] == [
        "x.conf:3: #include file 'nope.conf' does not exist"
    ]


def test_include_with_unmatched_glob_is_an_error(tmp_path: Path) -> None:
    main = _write(tmp_path, "x.conf", "#include none/*.conf\n")
    conf = parse_file(main, config_dir=tmp_path)
    assert [str(d) for d in conf.diagnostics] == [
        "x.conf:1: #include file 'none/*.conf' does not exist"
    ]


def test_include_loop_is_an_error_naming_the_chain(tmp_path: Path) -> None:
    main = _write(tmp_path, "a.conf", "[a]\n#include b.conf\n")
    _write(tmp_path, "b.conf", "[b]\n#include a.conf\n")
    conf = parse_file(main, config_dir=tmp_path)
    assert [str(d) for d in conf.diagnostics] == [
        "b.conf:2: include loop: a.conf -> b.conf -> a.conf"
    ]
    assert [s.name for s in conf.sections] == ["a", "b"]


def test_self_include_is_a_loop(tmp_path: Path) -> None:
    main = _write(tmp_path, "a.conf", "#include a.conf\n")
    conf = parse_file(main, config_dir=tmp_path)
    assert [str(d) for d in conf.diagnostics] == ["a.conf:1: include loop: a.conf -> a.conf"]


def test_same_file_included_twice_is_not_a_loop(tmp_path: Path) -> None:
    main = _write(tmp_path, "a.conf", "[x]\n#include c.conf\n[y]\n#include c.conf\n")
    _write(tmp_path, "c.conf", "k = v\n")
    conf = parse_file(main, config_dir=tmp_path)
    assert conf.diagnostics == ()
    assert [s.get("k") for s in conf.sections] == ["v", "v"]


def test_too_deep_includes_are_an_error(tmp_path: Path) -> None:
    depth = MAX_INCLUDE_DEPTH + 2
    for level in range(depth):
        _write(tmp_path, f"f{level}.conf", f"#include f{level + 1}.conf\n")
    _write(tmp_path, f"f{depth}.conf", "[end]\n")
    conf = parse_file(tmp_path / "f0.conf", config_dir=tmp_path)
    assert len(conf.errors) == 1
    assert conf.errors[0].message == f"#include nested deeper than {MAX_INCLUDE_DEPTH} levels"


def test_directory_include_is_ignored_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "sub.conf").mkdir()
    main = _write(tmp_path, "a.conf", "#include sub.conf\n")
    conf = parse_file(main, config_dir=tmp_path)
    assert [str(d) for d in conf.diagnostics] == [
        "a.conf:1: #include 'sub.conf' is not a regular file; ignored"
    ]


def test_include_needs_a_file_name() -> None:
    conf = parse_conf('#include ""\n', "t.conf", config_dir=Path("."))
    assert [str(d) for d in conf.diagnostics] == ["t.conf:1: #include needs a file name"]


def test_unreadable_top_level_file_gives_one_error(tmp_path: Path) -> None:
    conf = parse_file(tmp_path / "absent.conf", config_dir=tmp_path)
    assert len(conf.diagnostics) == 1
    assert str(conf.diagnostics[0]).startswith("absent.conf:1: cannot read:")


def test_split_pjsip_fixture_reads_every_piece(fixtures_dir: Path) -> None:
    directory = fixtures_dir / "includes"
    conf = parse_file(directory / "pjsip.conf", config_dir=directory)
    assert conf.diagnostics == ()
    assert [(s.name, s.get("type")) for s in conf.objects] == [
        ("transport-udp", "transport"),
        ("alice", "endpoint"),
        ("alice", "aor"),
        ("bob", "endpoint"),
        ("bob", "aor"),
    ]
    assert conf.included == (
        "pjsip.d/transports.conf",
        "pjsip.d/phone-alice.conf",
        "pjsip.d/phone-bob.conf",
    )


def test_unusable_include_names_are_errors_not_crashes(tmp_path: Path) -> None:
    text = f"[a]\n#include {'x' * 5000}.conf\n#include bad\x00name.conf\n#include [*\n"
    conf = parse_conf(text, "t.conf", config_dir=tmp_path)
    assert [d.line for d in conf.errors] == [2, 3, 4]


def test_symlink_loop_matched_by_a_glob_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "loop.conf").symlink_to(tmp_path / "loop.conf")
    conf = parse_conf("[a]\n#include l*.conf\n", "t.conf", config_dir=tmp_path)
    assert [d.line for d in conf.diagnostics] == [2]
