"""CALLERID() and CHANNEL(): reading and writing the channel through its protocol."""

from __future__ import annotations

import pytest

from ariel.core.dialplan import (
    CallerInfo,
    Evaluator,
    MemoryChannel,
    PartyId,
    callerid_split,
    party_presentation,
    standard_functions,
)


def _make(caller: CallerInfo | None = None) -> tuple[Evaluator, MemoryChannel]:
    channel = MemoryChannel(
        name="PJSIP/alice-00000001",
        uniqueid="1715000000.7",
        state="Ring",
        caller=caller or CallerInfo.of("Alice", "5551234"),
        items={"language": "en"},
    )
    return Evaluator(channel=channel, functions=standard_functions()), channel


def _read(evaluator: Evaluator, text: str) -> str:
    return evaluator.substitute(text).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${CALLERID(name)}", "Alice"),
        ("${CALLERID(num)}", "5551234"),
        ("${CALLERID(number)}", "5551234"),
        ("${CALLERID(NUM)}", "5551234"),
        ("${CALLERID(all)}", '"Alice" <5551234>'),
        ("${CALLERID(name-valid)}|${CALLERID(num-valid)}", "1|1"),
        ("${CALLERID(num-plan)}|${CALLERID(ton)}", "0|0"),
        ("${CALLERID(name-charset)}", "iso8859-1"),
        ("${CALLERID(pres)}", "allowed_not_screened"),
        ("${CALLERID(num-pres)}", "allowed_not_screened"),
        ("${CALLERID(ani)}|${CALLERID(ani2)}|${CALLERID(dnid)}|${CALLERID(rdnis)}", "|0||"),
        ("${CALLERID(tag)}|${CALLERID(subaddr)}|${CALLERID(subaddr-valid)}", "||0"),
        ('${CALLERID(name,"Bob" <123>)}', "Bob"),
        ('${CALLERID(num,"Bob" <(555) 123-4567>)}', "5551234567"),
        ("${CALLERID(all,Bob <123>)}", '"Bob" <123>'),
    ],
)
def test_callerid_reads(text: str, expected: str) -> None:
    evaluator, _ = _make()
    assert _read(evaluator, text) == expected


def test_callerid_of_an_unknown_caller_is_empty_and_unavailable() -> None:
    evaluator, _ = _make(CallerInfo())
    assert _read(evaluator, "[${CALLERID(name)}][${CALLERID(num)}]") == "[][]"
    assert _read(evaluator, "${CALLERID(all)}") == '"" <>'
    assert _read(evaluator, "${CALLERID(pres)}|${CALLINGPRES}") == "unavailable|67"


def test_unknown_callerid_members_read_empty_with_a_warning() -> None:
    evaluator, _ = _make()
    result = evaluator.substitute("[${CALLERID(bogus)}]")
    assert result.text == "[]"
    assert result.diagnostics == ("Unknown callerid data type 'bogus'.",)


def test_callerid_writes_trim_and_validate() -> None:
    evaluator, channel = _make(CallerInfo())
    evaluator.write("CALLERID(name)", "  Bob Smith  ")
    evaluator.write("CALLERID(num)", "5550000 ")
    assert channel.caller.id.name == "Bob Smith"
    assert channel.caller.id.number == "5550000" and channel.caller.id.number_valid
    evaluator.write("CALLERID(all)", '"Carol" <(555) 777-8888>')
    assert (channel.caller.id.name, channel.caller.id.number) == ("Carol", "5557778888")
    evaluator.write("CALLERID(num-pres)", "prohib")
    assert channel.caller.id.number_presentation == 0x23
    evaluator.write("CALLERID(pres)", "allowed_passed_screen")
    assert channel.caller.id.name_presentation == 1 == channel.caller.id.number_presentation
    evaluator.write("CALLERID(num-plan)", "33")
    evaluator.write("CALLERID(name-charset)", "utf8")
    assert channel.caller.id.number_plan == 33 and channel.caller.id.name_charset == 9
    evaluator.write("CALLERID(name-valid)", "0")
    assert not channel.caller.id.name_valid
    evaluator.write("CALLERID(ani)", "111")
    evaluator.write("CALLERID(ani2)", "7")
    evaluator.write("CALLERID(dnid)", "222")
    evaluator.write("CALLERID(dnid-num-plan)", "1")
    evaluator.write("CALLERID(rdnis)", "333")
    evaluator.write("CALLERID(tag)", "t1 ")
    evaluator.write("CALLERID(subaddr)", "sa")
    caller = channel.caller
    assert (caller.ani.number, caller.ani2, caller.dnid, caller.dnid_plan, caller.rdnis) == (
        "111",
        7,
        "222",
        1,
        "333",
    )
    assert (caller.id.tag, caller.id.subaddress) == ("t1", "sa")
    assert _read(evaluator, "${CALLERID(ani)}|${CALLERID(dnid-num)}|${CALLERID(rdnis)}") == (
        "111|222|333"
    )


def test_invalid_callerid_values_leave_the_field_unchanged() -> None:
    evaluator, channel = _make()
    result = evaluator.write("CALLERID(num-pres)", "sometimes")
    assert "value unchanged" in result.diagnostics[0]
    assert channel.caller.id.number_presentation == 0
    assert evaluator.write("CALLERID(ani2)", "x").diagnostics
    assert evaluator.write("CALLERID(bogus)", "x").diagnostics == (
        "Unknown callerid data type 'bogus'.",
    )


def test_callerid_needs_a_channel() -> None:
    evaluator = Evaluator(functions=standard_functions())
    assert evaluator.substitute("[${CALLERID(num)}]").text == "[]"
    assert evaluator.write("CALLERID(num)", "1").text == ""


def test_channel_function_reads_builtins_and_asks_the_channel() -> None:
    evaluator, channel = _make()
    assert _read(evaluator, "${CHANNEL(name)}|${CHANNEL(uniqueid)}") == (
        "PJSIP/alice-00000001|1715000000.7"
    )
    assert _read(evaluator, "${CHANNEL(state)}|${CHANNEL(channeltype)}") == "Ring|PJSIP"
    assert _read(evaluator, "${CHANNEL(Language)}") == "en"
    result = evaluator.substitute("[${CHANNEL(nonsense)}]")
    assert result.text == "[]" and result.diagnostics
    assert evaluator.write("CHANNEL(language)", "fr").text == "1"
    assert channel.items["language"] == "fr"
    assert evaluator.write("CHANNEL(name)", "x").text == ""
    assert Evaluator(functions=standard_functions()).substitute("${CHANNEL(name)}").text == ""


def test_callerid_split_and_presentation_rules() -> None:
    assert callerid_split('"Name, With Comma" <100>') == ("Name, With Comma", "100")
    assert callerid_split("<100>") == ("", "100")
    assert callerid_split("Just A Name") == ("Just A Name", "")
    assert callerid_split('"Esc\\"aped" <1>') == ('Esc"aped', "1")
    name_only = PartyId(name="n", name_valid=True)
    assert party_presentation(name_only) == 0
    restricted_name = PartyId(
        name="n", name_valid=True, name_presentation=0x20, number="1", number_valid=True
    )
    assert party_presentation(restricted_name) == 0x20
