"""Writing sections back as text: parse(format(x)) gives x's options back."""

from __future__ import annotations

import string
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ariel.config.conffile import Operator, Option, Section, format_conf
from ariel.config.parser import parse_conf

_WS = " \t\n\r\v\f"
_OPS: list[Operator] = ["=", "=>"]
_NAME = st.text(alphabet=string.ascii_letters + string.digits + "_-.@+;", min_size=1, max_size=12)
_KEY = st.text(alphabet=string.ascii_letters + string.digits + "_-.;[#", min_size=1, max_size=12)
_VALUE = st.text(
    alphabet=string.ascii_letters + string.digits + " ;=>[]()#\\,-!+*\"'/:", max_size=30
).filter(lambda v: v == v.strip(_WS))


def _shape(sections: tuple[Section, ...] | list[Section]) -> list[tuple[object, ...]]:
    return [(s.name, s.is_template, [(o.key, o.op, o.value) for o in s.options]) for s in sections]


@st.composite
def _sections(draw: st.DrawFn) -> list[Section]:
    result = []
    for index in range(draw(st.integers(min_value=0, max_value=4))):
        options = tuple(
            Option(key=key, value=value, op=op, file="t.conf", line=1)
            for key, value, op in draw(
                st.lists(st.tuples(_KEY, _VALUE, st.sampled_from(_OPS)), max_size=5)
            )
        )
        name = draw(_NAME)
        result.append(
            Section(
                name=name, options=options, is_template=draw(st.booleans()), file="t", line=index
            )
        )
    return result


@given(_sections())
def test_formatted_sections_parse_back_to_the_same_options(sections: list[Section]) -> None:
    conf = parse_conf(format_conf(sections), "t.conf")
    assert conf.errors == ()
    assert _shape(conf.sections) == _shape(sections)


def test_format_escapes_semicolons_and_marks_templates() -> None:
    section = Section(
        name="phone",
        is_template=True,
        options=(Option(key="k", value="a;b", file="t", line=2),),
        file="t",
        line=1,
    )
    assert format_conf([section]) == "[phone](!)\nk = a\\;b\n"


def test_conformance_files_round_trip(conformance_dir: Path) -> None:
    for path in sorted(conformance_dir.glob("*.conf")):
        first = parse_conf(path.read_text(), path.name)
        again = parse_conf(format_conf(first.sections), path.name)
        assert _shape(again.sections) == _shape(first.sections), path.name
