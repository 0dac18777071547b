"""SIP status codes and Q.850 hangup causes, both ways (after chan_pjsip).

RFC 3398 §7.2.4.1 maps ISUP causes to SIP responses; chan_pjsip follows it
with a few Asterisk choices (an unanswered call hung up with cause 16 is
declined with 603).
"""

from __future__ import annotations

from ariel.core.channels.state import Cause

__all__ = ["cause_to_sip", "sip_to_cause"]

_SIP_TO_CAUSE = {
    401: Cause.CALL_REJECTED,
    403: Cause.CALL_REJECTED,
    404: Cause.UNALLOCATED,
    405: Cause.INTERWORKING,
    407: Cause.CALL_REJECTED,
    408: Cause.NO_USER_RESPONSE,
    409: Cause.NORMAL_TEMPORARY_FAILURE,
    410: Cause.NUMBER_CHANGED,
    411: Cause.INTERWORKING,
    413: Cause.INTERWORKING,
    414: Cause.INTERWORKING,
    415: Cause.INTERWORKING,
    420: Cause.NO_ROUTE_DESTINATION,
    480: Cause.NO_USER_RESPONSE,
    481: Cause.INTERWORKING,
    482: Cause.INTERWORKING,
    483: Cause.NO_ANSWER,
    484: Cause.INVALID_NUMBER_FORMAT,
    485: Cause.UNALLOCATED,
    486: Cause.USER_BUSY,
    487: Cause.INTERWORKING,
    488: Cause.BEARERCAPABILITY_NOTAVAIL,
    491: Cause.INTERWORKING,
    493: Cause.INTERWORKING,
    500: 38,  # AST_CAUSE_FAILURE (network out of order)
    501: Cause.FACILITY_REJECTED,
    502: Cause.DESTINATION_OUT_OF_ORDER,
    503: Cause.NORMAL_CIRCUIT_CONGESTION,
    504: Cause.RECOVERY_ON_TIMER_EXPIRE,
    505: Cause.INTERWORKING,
    600: Cause.USER_BUSY,
    603: Cause.CALL_REJECTED,
    604: Cause.UNALLOCATED,
    606: Cause.BEARERCAPABILITY_NOTAVAIL,
}

_CAUSE_TO_SIP = {
    Cause.UNALLOCATED: 404,
    Cause.NO_ROUTE_TRANSIT_NET: 404,
    Cause.NO_ROUTE_DESTINATION: 404,
    Cause.NORMAL_CIRCUIT_CONGESTION: 503,
    Cause.SWITCH_CONGESTION: 503,
    Cause.NO_USER_RESPONSE: 408,
    Cause.NO_ANSWER: 480,
    Cause.SUBSCRIBER_ABSENT: 480,
    Cause.CALL_REJECTED: 403,
    Cause.NUMBER_CHANGED: 410,
    Cause.NORMAL_UNSPECIFIED: 480,
    Cause.INVALID_NUMBER_FORMAT: 484,
    Cause.USER_BUSY: 486,
    38: 500,
    Cause.FACILITY_REJECTED: 501,
    66: 501,  # channel not implemented
    Cause.DESTINATION_OUT_OF_ORDER: 502,
    Cause.BEARERCAPABILITY_NOTAVAIL: 488,
    Cause.INTERWORKING: 500,
}


def sip_to_cause(status: int) -> int:
    """The Q.850 cause for a final SIP failure ``status``."""
    if status in _SIP_TO_CAUSE:
        return _SIP_TO_CAUSE[status]
    if 400 <= status < 500:
        return Cause.INTERWORKING
    if 500 <= status < 600:
        return Cause.NORMAL_CIRCUIT_CONGESTION
    if 600 <= status < 700:
        return Cause.INTERWORKING
    return Cause.NORMAL_CLEARING


def cause_to_sip(cause: int) -> int:
    """The SIP final response rejecting an unanswered call with ``cause`` (603 by default)."""
    return _CAUSE_TO_SIP.get(cause, 603)
