"""Request parameters are read from path, query, form and JSON as the reference reads them."""

from __future__ import annotations

import json

import pytest

from ariel.arispec import REGISTRY, Operation, Param, ParamError, ParsedRequest, parse_params
from ariel.arispec.params import require_present

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def parse(
    op_id: str,
    query: list[tuple[str, str]] | None = None,
    *,
    path: dict[str, str] | None = None,
    body: bytes = b"",
    content_type: str | None = None,
) -> dict[str, object]:
    parsed = parse_params(
        REGISTRY.operation(op_id),
        path=path or {},
        query=query or [],
        body=body,
        content_type=content_type,
    )
    assert isinstance(parsed, ParsedRequest)
    return parsed.values


def error(op_id: str, query: list[tuple[str, str]] | None = None, **kw: object) -> ParamError:
    with pytest.raises(ParamError) as caught:
        parse(op_id, query, **kw)  # type: ignore[arg-type]
    assert caught.value.status == 400
    return caught.value


ORIGINATE = [("endpoint", "PJSIP/alice")]


def test_every_declared_parameter_has_a_key() -> None:
    values = parse("channels.originate", ORIGINATE)
    assert list(values) == [p.name for p in REGISTRY.operation("channels.originate").params]
    assert values["endpoint"] == "PJSIP/alice"
    assert values["app"] is None
    assert values["variables"] is None


def test_defaults_apply_when_absent() -> None:
    values = parse("channels.originate", ORIGINATE)
    assert values["timeout"] == 30
    record = parse("channels.record", [("name", "x"), ("format", "wav")], path={"channelId": "c"})
    assert record["beep"] is False
    assert record["ifExists"] == "fail"
    assert record["maxDurationSeconds"] == 0


def test_path_parameters_pass_through() -> None:
    values = parse("channels.get", path={"channelId": "1234.5"})
    assert values == {"channelId": "1234.5"}


def test_path_parameters_cannot_be_overridden_from_the_query() -> None:
    values = parse("channels.get", [("channelId", "other")], path={"channelId": "mine"})
    assert values["channelId"] == "mine"


@pytest.mark.parametrize(("text", "number"), [("10", 10), ("+7", 7), ("-3", -3), ("007", 7)])
def test_integers(text: str, number: int) -> None:
    assert parse("channels.originate", [*ORIGINATE, ("timeout", text)])["timeout"] == number


def test_long_parameters_take_64_bit_values() -> None:
    values = parse("channels.originate", [*ORIGINATE, ("priority", "9000000000")])
    assert values["priority"] == 9_000_000_000


@pytest.mark.parametrize("text", ["abc", "1.5", "1_000", " 1", "0x10", "--1", "١٢"])
def test_malformed_integer_is_refused_naming_the_parameter(text: str) -> None:
    err = error("channels.originate", [*ORIGINATE, ("timeout", text)])
    assert err.message == f"Invalid value {text!r} for parameter 'timeout': expected an integer"


def test_out_of_range_integer_is_refused() -> None:
    err = error("channels.originate", [*ORIGINATE, ("timeout", "2147483648")])
    assert "'timeout'" in err.message
    assert "2147483647" in err.message
    err = error("channels.originate", [*ORIGINATE, ("timeout", "9" * 400)])
    assert "'timeout'" in err.message


def test_empty_integer_counts_as_absent() -> None:
    assert parse("channels.originate", [*ORIGINATE, ("timeout", "")])["timeout"] == 30


@pytest.mark.parametrize("word", ["yes", "true", "y", "t", "1", "on", "TRUE", "Yes", "ON"])
def test_true_words(word: str) -> None:
    values = parse("events.eventWebsocket", [("app", "a"), ("subscribeAll", word)])
    assert values["subscribeAll"] is True


@pytest.mark.parametrize("word", ["no", "false", "n", "f", "0", "off", "FALSE", "No"])
def test_false_words(word: str) -> None:
    values = parse("events.eventWebsocket", [("app", "a"), ("subscribeAll", word)])
    assert values["subscribeAll"] is False


def test_other_boolean_words_are_refused() -> None:
    err = error("events.eventWebsocket", [("app", "a"), ("subscribeAll", "maybe")])
    assert err.message.startswith("Invalid value 'maybe' for parameter 'subscribeAll'")


DOUBLE_OP = Operation(
    resource="test",
    nickname="measure",
    method="GET",
    path="/test",
    response_class="void",
    params=(
        Param(name="ratio", param_type="query", data_type="double"),
        Param(name="ids", param_type="query", data_type="int", allow_multiple=True),
    ),
)


@pytest.mark.parametrize(
    ("text", "number"), [("1.5", 1.5), ("-2", -2.0), (".5", 0.5), ("1e3", 1e3)]
)
def test_doubles(text: str, number: float) -> None:
    parsed = parse_params(DOUBLE_OP, path={}, query=[("ratio", text)], body=b"", content_type=None)
    assert parsed.values["ratio"] == number


@pytest.mark.parametrize("text", ["nan", "inf", "1e999", "x", "1.2.3"])
def test_malformed_doubles_are_refused(text: str) -> None:
    with pytest.raises(ParamError, match="'ratio'"):
        parse_params(DOUBLE_OP, path={}, query=[("ratio", text)], body=b"", content_type=None)


def test_multiple_values_of_a_typed_list() -> None:
    parsed = parse_params(
        DOUBLE_OP, path={}, query=[("ids", "1,2,-3")], body=b"", content_type=None
    )
    assert parsed.values["ids"] == [1, 2, -3]
    with pytest.raises(ParamError, match="'ids'"):
        parse_params(DOUBLE_OP, path={}, query=[("ids", "1,,2")], body=b"", content_type=None)


def test_allow_multiple_splits_on_commas() -> None:
    assert parse("events.eventWebsocket", [("app", "one,two,three")])["app"] == [
        "one",
        "two",
        "three",
    ]
    assert parse("asterisk.getInfo", [("only", "build,config")])["only"] == ["build", "config"]


def test_allow_multiple_limit() -> None:
    assert len(parse("events.eventWebsocket", [("app", ",".join(["a"] * 127))])["app"]) == 127  # type: ignore[arg-type]
    err = error("events.eventWebsocket", [("app", ",".join(["a"] * 128))])
    assert "'app'" in err.message


def test_allowable_values_are_not_enforced() -> None:
    assert parse("asterisk.getInfo", [("only", "nonsense")])["only"] == ["nonsense"]


def test_unknown_parameters_are_ignored() -> None:
    values = parse("asterisk.getInfo", [("api_key", "u:p"), ("bogus", "1")])
    assert values == {"only": None}


def test_the_last_of_repeated_names_wins() -> None:
    values = parse("channels.originate", [*ORIGINATE, ("app", "a"), ("app", "b")])
    assert values["app"] == "b"


def test_form_body_supplies_query_parameters() -> None:
    values = parse(
        "channels.originate", body=b"endpoint=PJSIP%2Fbob&app=zap&timeout=5", content_type=FORM
    )
    assert (values["endpoint"], values["app"], values["timeout"]) == ("PJSIP/bob", "zap", 5)


def test_query_beats_form() -> None:
    values = parse(
        "channels.originate", [("app", "query")], body=b"endpoint=x&app=form", content_type=FORM
    )
    assert values["app"] == "query"


def test_form_body_decodes_plus_as_space() -> None:
    values = parse("channels.originate", body=b"endpoint=x&callerId=Alice+Smith", content_type=FORM)
    assert values["callerId"] == "Alice Smith"


def test_json_body_supplies_query_parameters_and_the_body_parameter() -> None:
    body = {"endpoint": "PJSIP/bob", "app": "zap", "timeout": 12, "variables": {"A": "1"}}
    parsed = parse_params(
        REGISTRY.operation("channels.originate"),
        path={},
        query=[],
        body=json.dumps(body).encode(),
        content_type=JSON,
    )
    assert parsed.values["endpoint"] == "PJSIP/bob"
    assert parsed.values["timeout"] == 12
    assert parsed.values["variables"] == body
    assert parsed.body_json == body


def test_json_body_beats_query() -> None:
    values = parse(
        "channels.originate",
        [*ORIGINATE, ("app", "query")],
        body=b'{"app": "json"}',
        content_type="application/json; charset=utf-8",
    )
    assert values["app"] == "json"


def test_json_body_without_content_type_is_read_when_it_is_an_object() -> None:
    values = parse(
        "channels.setChannelVars", path={"channelId": "c"}, body=b'{"variables": {"X": "1"}}'
    )
    assert values["variables"] == {"variables": {"X": "1"}}
    values = parse("channels.originate", ORIGINATE, body=b"not json")
    assert values["variables"] is None


def test_json_body_with_another_content_type_is_ignored() -> None:
    values = parse("channels.originate", ORIGINATE, body=b'{"app": "x"}', content_type="text/plain")
    assert values["app"] is None


def test_json_values_are_typed() -> None:
    values = parse(
        "channels.record",
        path={"channelId": "c"},
        body=b'{"name": "n", "format": "wav", "beep": true, "maxSilenceSeconds": "4"}',
        content_type=JSON,
    )
    assert values["beep"] is True
    assert values["maxSilenceSeconds"] == 4


def test_json_null_counts_as_absent() -> None:
    values = parse(
        "channels.originate", body=b'{"endpoint": "x", "timeout": null}', content_type=JSON
    )
    assert values["timeout"] == 30


@pytest.mark.parametrize("value", ["true", "1.5", "[1]", "{}"])
def test_json_value_of_the_wrong_type_is_refused(value: str) -> None:
    body = f'{{"endpoint": "x", "timeout": {value}}}'.encode()
    err = error("channels.originate", body=body, content_type=JSON)
    assert "'timeout'" in err.message


def test_json_array_for_allow_multiple() -> None:
    values = parse(
        "bridges.addChannel",
        path={"bridgeId": "b"},
        body=b'{"channel": ["a", "b"]}',
        content_type=JSON,
    )
    assert values["channel"] == ["a", "b"]
    values = parse(
        "bridges.addChannel", path={"bridgeId": "b"}, body=b'{"channel": "a,b"}', content_type=JSON
    )
    assert values["channel"] == ["a", "b"]


@pytest.mark.parametrize(
    "body", [b"{", b'{"a": 1', b"nope", b'"text"', b"12", b"null", b"NaN", b"\xff\xfe"]
)
def test_malformed_json_body(body: bytes) -> None:
    err = error("channels.originate", ORIGINATE, body=body, content_type=JSON)
    assert err.message == "Error parsing request body"


def test_empty_json_body_is_no_body() -> None:
    assert parse("channels.originate", ORIGINATE, body=b"", content_type=JSON)["variables"] is None


def test_non_object_body_for_a_body_parameter_is_refused() -> None:
    err = error("channels.originate", ORIGINATE, body=b"[1, 2]", content_type=JSON)
    assert "'variables'" in err.message


def test_non_object_body_is_ignored_without_a_body_parameter() -> None:
    values = parse("channels.get", path={"channelId": "c"}, body=b"[1]", content_type=JSON)
    assert values == {"channelId": "c"}


@pytest.mark.parametrize(
    ("op_id", "path", "query", "message"),
    [
        ("channels.getChannelVar", {"channelId": "c"}, [], "Variable name is required"),
        (
            "channels.setChannelVar",
            {"channelId": "c"},
            [("variable", "")],
            "Variable name is required",
        ),
        ("channels.originate", {}, [], "Endpoint must be specified"),
        ("applications.subscribe", {"applicationName": "a"}, [], "Missing parameter eventSource"),
        ("bridges.addChannel", {"bridgeId": "b"}, [], "Missing parameter channel"),
        (
            "bridges.removeChannel",
            {"bridgeId": "b"},
            [("channel", "")],
            "Missing parameter channel",
        ),
        ("channels.sendDTMF", {"channelId": "c"}, [], "DTMF is required"),
        ("playbacks.control", {"playbackId": "p"}, [], "Missing operation"),
    ],
)
def test_missing_required_value_with_a_reference_message(
    op_id: str, path: dict[str, str], query: list[tuple[str, str]], message: str
) -> None:
    err = error(op_id, query, path=path)
    assert err.message == message
    assert str(err) == message


def test_other_required_values_are_left_to_handlers() -> None:
    values = parse("channels.move", path={"channelId": "c"})
    assert values["app"] is None
    values = parse("deviceStates.update", path={"deviceName": "Stasis:x"})
    assert values["deviceState"] is None


def test_the_missing_check_can_wait_for_the_handler() -> None:
    op = REGISTRY.operation("channels.sendDTMF")
    parsed = parse_params(
        op, path={"channelId": "c"}, query=[], body=b"", content_type=None, check_missing=False
    )
    assert parsed.values["dtmf"] is None
    with pytest.raises(ParamError, match="DTMF is required"):
        require_present(op, parsed.values)
