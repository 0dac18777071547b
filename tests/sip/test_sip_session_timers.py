"""RFC 4028 session timers on the called side, driven through a UserAgent."""

from __future__ import annotations

from itertools import count

from sip_call_support import SDP, Harness, config, request

from ariel.sip.headers import Headers
from ariel.sip.invite_events import Ended
from ariel.sip.invite_uas import UasSession
from ariel.sip.message import Request, Response
from ariel.sip.session_timer import SessionTimer, negotiate_session_timer
from ariel.sip.user_agent import UserAgent

TAG = "pbxtag1"


def _call(*extra: str) -> tuple[Harness, UasSession]:
    h = Harness(UserAgent(config(TAG)))
    h.receive(request("INVITE", cseq=10, body=SDP, extra=extra))
    sessions = h.ua.sessions
    return h, sessions[0] if sessions else None  # type: ignore[return-value]


def _answer(h: Harness, session: UasSession) -> Response:
    h.feed(h.ua.track(session, session.answer(SDP)))
    ok = [m for m in h.take_sent() if isinstance(m, Response) and m.status == 200][-1]
    h.receive(request("ACK", cseq=10, to_tag=TAG, branch="z9hG4bKack"))
    h.take_events()
    return ok


def _fire_until(h: Harness, wanted: str) -> float:
    """Fire timers in time order (transaction timers too) until ``wanted`` fires."""
    for _ in range(50):
        _owner, name = h.fire_next()
        if name == wanted:
            return h.wheel.now
    raise AssertionError(f"timer {wanted} never fired")


def test_negotiation_follows_the_request() -> None:
    def of(*fields: tuple[str, str]) -> SessionTimer | int | None:
        return negotiate_session_timer(Headers(fields))

    assert of() is None
    assert of(("Supported", "timer")) == SessionTimer(1800, "uac")
    assert of(("Session-Expires", "600;refresher=uas")) == SessionTimer(600, "uas")
    assert of(("Supported", "100rel, timer"), ("x", "300")) == SessionTimer(300, "uac")
    assert of(("Session-Expires", "600")) == SessionTimer(600, "uas")
    assert of(("Session-Expires", "30"), ("Supported", "timer")) == 90


def test_too_short_an_interval_is_refused_with_422_and_min_se() -> None:
    h, _session = _call("Supported: timer", "Session-Expires: 30")
    (answer,) = [m for m in h.take_sent() if isinstance(m, Response) and m.status >= 200]
    assert answer.status == 422
    assert answer.headers.get("Min-SE") == "90"


def test_require_timer_is_accepted_and_the_2xx_says_who_refreshes() -> None:
    h, session = _call("Supported: timer", "Require: timer", "Session-Expires: 120;refresher=uac")
    assert session is not None
    ok = _answer(h, session)
    assert ok.headers.get("Session-Expires") == "120;refresher=uac"
    assert "timer" in ok.headers.get_all("Require")


def test_no_refresh_from_the_caller_ends_the_call_with_bye() -> None:
    h, session = _call("Supported: timer", "Session-Expires: 120;refresher=uac")
    _answer(h, session)
    h.take_sent()
    assert _fire_until(h, "session-expired") == 120
    (bye,) = [m for m in h.take_sent() if isinstance(m, Request)]
    assert bye.method == "BYE"
    assert any(isinstance(e, Ended) for e in h.take_events())


def test_a_refresh_restarts_the_countdown() -> None:
    h, session = _call("Supported: timer", "Session-Expires: 120;refresher=uac")
    _answer(h, session)
    h.wheel.now = 100.0
    cseq = count(11)
    h.receive(request("UPDATE", cseq=next(cseq), to_tag=TAG, branch="z9hG4bKupd1"))
    (ok,) = [m for m in h.take_sent() if isinstance(m, Response)]
    assert ok.status == 200 and ok.headers.get("Session-Expires") == "120;refresher=uac"
    assert _fire_until(h, "session-expired") == 220


def test_when_we_refresh_we_send_update_at_half_the_interval() -> None:
    h, session = _call("Session-Expires: 600;refresher=uas")
    ok = _answer(h, session)
    assert ok.headers.get("Session-Expires") == "600;refresher=uas"
    assert "timer" not in ok.headers.get_all("Require")
    h.take_sent()
    assert _fire_until(h, "session-refresh") == 300
    (update,) = [m for m in h.take_sent() if isinstance(m, Request)]
    assert update.method == "UPDATE"
