"""PJSIP_TRANSFER_HANDLING(): write-only, core|ari-only, PJSIP channels only."""

from __future__ import annotations

from dataclasses import dataclass

from ariel.core.dialplan import Evaluator, MemoryChannel, standard_functions


@dataclass
class _SipTech:
    transfer_handling: str = "core"


@dataclass(kw_only=True)
class _PjsipChannel(MemoryChannel):
    tech: _SipTech


def _evaluator(channel: MemoryChannel) -> Evaluator:
    return Evaluator(channel=channel, functions=standard_functions())


def test_ari_only_then_core_set_the_mode_of_the_pjsip_technology() -> None:
    tech = _SipTech()
    evaluator = _evaluator(_PjsipChannel(name="PJSIP/alice-00000001", tech=tech))
    assert evaluator.write("PJSIP_TRANSFER_HANDLING()", "ari-only").diagnostics == ()
    assert tech.transfer_handling == "ari-only"
    evaluator.write("PJSIP_TRANSFER_HANDLING()", "core")
    assert tech.transfer_handling == "core"


def test_empty_value_means_core() -> None:
    tech = _SipTech(transfer_handling="ari-only")
    _evaluator(_PjsipChannel(name="PJSIP/a-1", tech=tech)).write("PJSIP_TRANSFER_HANDLING()", "")
    assert tech.transfer_handling == "core"


def test_unknown_mode_warns_and_leaves_the_mode_unchanged() -> None:
    tech = _SipTech(transfer_handling="ari-only")
    result = _evaluator(_PjsipChannel(name="PJSIP/a-1", tech=tech)).write(
        "PJSIP_TRANSFER_HANDLING()", "ARI-ONLY"
    )
    assert tech.transfer_handling == "ari-only"
    assert result.diagnostics == (
        "Cannot set unknown transfer handling 'ARI-ONLY' on channel 'PJSIP/a-1', "
        "transfer handling will remain unchanged.",
    )


def test_non_pjsip_channel_refuses_the_write() -> None:
    result = _evaluator(MemoryChannel(name="Local/1@x-00000001;1")).write(
        "PJSIP_TRANSFER_HANDLING()", "ari-only"
    )
    assert result.diagnostics == (
        "Cannot call PJSIP_TRANSFER_HANDLING on a non-PJSIP channel Local/1@x-00000001;1",
    )


def test_function_cannot_be_read_like_the_reference() -> None:
    evaluator = _evaluator(_PjsipChannel(name="PJSIP/a-1", tech=_SipTech()))
    result = evaluator.substitute("[${PJSIP_TRANSFER_HANDLING()}]")
    assert result.text == "[]"
    assert result.diagnostics
