"""Whatever a client sends, reading parameters either works or raises ParamError."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ariel.arispec import REGISTRY, Operation, ParamError, parse_params

CONTENT_TYPES = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "application/json",
            "application/x-www-form-urlencoded",
            "APPLICATION/JSON; charset=utf-8",
            "text/plain",
            "",
        ]
    ),
    st.text(max_size=40),
)
WORDS = st.sampled_from(["", "1", "-5", "+7", "yes", "off", "a,b", "x" * 200, "9" * 30, "null"])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def names(op: Operation) -> st.SearchStrategy[str]:
    return st.sampled_from([p.name for p in op.params] or ["x"]) | st.text(max_size=12)


@st.composite
def requests(draw: st.DrawFn, op: Operation) -> tuple[list[tuple[str, str]], bytes, str | None]:
    key = names(op)
    query = draw(st.lists(st.tuples(key, WORDS | st.text(max_size=30)), max_size=8))
    kind = draw(st.sampled_from(["empty", "bytes", "form", "json"]))
    if kind == "bytes":
        body = draw(st.binary(max_size=200))
    elif kind == "form":
        pairs = draw(st.lists(st.tuples(key, WORDS), max_size=6))
        body = "&".join(f"{k}={v}" for k, v in pairs).encode()
    elif kind == "json":
        obj = draw(st.dictionaries(key, JSON_VALUES, max_size=6) | JSON_VALUES)
        body = json.dumps(obj).encode()
    else:
        body = b""
    return query, body, draw(CONTENT_TYPES)


@pytest.mark.parametrize("op", REGISTRY.operations, ids=lambda op: op.id)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_parse_params_raises_only_param_errors(op: Operation, data: st.DataObject) -> None:
    query, body, content_type = data.draw(requests(op))
    path = {p.name: "value" for p in op.params if p.param_type == "path"}
    try:
        parsed = parse_params(op, path=path, query=query, body=body, content_type=content_type)
    except ParamError as err:
        assert err.message
        assert err.status == 400
        return
    assert list(parsed.values) == [p.name for p in op.params]


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=5000))
def test_deeply_nested_json_is_an_error_not_a_crash(depth: int) -> None:
    body = ("[" * depth + "]" * depth).encode()
    op = REGISTRY.operation("channels.originate")
    try:
        parse_params(op, path={}, query=[], body=body, content_type="application/json")
    except ParamError as err:
        assert err.message
