"""Flow-control applications as Asterisk 22 runs them: Gosub/GosubIf/Return/StackPop with
ARGn, LOCAL(), LOCAL_PEEK() and STACK_PEEK(); RaiseException and EXCEPTION(); Exec,
TryExec and ExecIf; GotoIfTime on an injected clock."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import UTC, datetime

import pytest
from test_pbx_stasis_flow import NOW, ScriptedTech

from ariel._util.clock import FixedClock
from ariel.config import config_from_texts
from ariel.core.channels.channel import Channel
from ariel.core.channels.events import ChannelDialplan, ChannelVarset
from ariel.core.channels.state import ChannelState
from ariel.core.dialplan import Evaluator
from ariel.core.dialplan.lookup import DialplanIndex
from ariel.core.events import CoreEvent
from ariel.core.pbx import Pbx
from ariel.core.pbx.apps_basic import BASIC_APPS
from ariel.core.pbx.apps_flow import FLOW_APPS
from ariel.core.pbx.func_flow import pbx_functions
from ariel.core.pbx.runner import EvaluatorFactory
from ariel.core.pbx.scope import ChannelScope

NAME = "PJSIP/SOFTPHONE_A-00000001"
EXTENSIONS = """
[args]
exten => s,1,Set(ARG1=outer)
 same => n,Gosub(sub,s,1(alpha,beta))
 same => n,Set(AFTER=${GOSUB_RETVAL}:${ARG1}:${ARGC})
[sub]
exten => s,1,Set(SEEN=${ARG1}-${ARG2}-${ARGC})
 same => n,Return(done)

[locals]
exten => s,1,Set(X=outer)
 same => n,Gosub(setx,s,1)
 same => n,Set(AFTER=${X}/${GOSUB_RETVAL})
[setx]
exten => s,1,Set(LOCAL(X)=inner)
 same => n,Set(LOCAL(X)=again)
 same => n,Set(LOCAL(FRESH)=new)
 same => n,Set(INSIDE=${X}/${LOCAL(X)}/${LOCAL_PEEK(0,X)}/${LOCAL_PEEK(1,X)}/${LOCAL(OTHER)})
 same => n,Return()

[nest]
exten => s,1,Gosub(level1,s,1(a,b,c))
 same => n,Set(DONE=${GOSUB_RETVAL})
[level1]
exten => s,1,Gosub(level2,s,1(x))
 same => n,Return(${GOSUB_RETVAL}+1)
[level2]
exten => s,1,Set(L2=${ARG1}|${ARG2}|${ARG3}|${ARGC}|${STACK_PEEK(1,l)}|${STACK_PEEK(2,c)})
 same => n,Return(2)

[branch]
exten => s,1,GosubIf($[1=1]?sub,yes(1):sub,no(2))
 same => n,GosubIf(0?sub,yes(3):sub,no(4))
 same => n,GosubIf(0?sub,yes(5))
 same => n,Set(END=${TRAIL})
exten => sub,1(yes),Set(TRAIL=${TRAIL}Y${ARG1})
 same => n,Return()
 same => n(no),Set(TRAIL=${TRAIL}N${ARG1})
 same => n,Return()

[pop]
exten => s,1,Gosub(popper,s,1(p))
 same => n,Set(NOT_REACHED=1)
[popper]
exten => s,1,StackPop()
 same => n,Set(POPPED=${ARGC})
 same => n,Return()

[noreturn]
exten => s,1,Return()
 same => n,Set(NOT_REACHED=1)

[badgosub]
exten => s,1,Gosub(nowhere,s,1)
 same => n,Set(NOT_REACHED=1)
exten => label,1,Gosub(s,nolabel)
 same => n,Set(NOT_REACHED=1)

[outside]
exten => s,1,Set(LOCAL(Y)=lost)
 same => n,Set(PEEK=${STACK_PEEK(1,c,true)})

[exc]
exten => s,1,NoOp()
 same => n,RaiseException(BADTHING)
 same => n,Set(NOT_REACHED=1)
exten => e,1,Set(CAUGHT=${EXCEPTION(reason)},${EXCEPTION(context)})
 same => n,Set(CAUGHT=${CAUGHT},${EXCEPTION(EXTENSION)},${EXCEPTION(priority)})

[noe]
exten => s,1,RaiseException(NOBODY)

[noi]
exten => s,1,Goto(noi,9,1)
exten => e,1,Set(CAUGHT=${EXCEPTION(reason)}/${EXCEPTION(exten)}/${EXCEPTION(priority)})

[both]
exten => s,1,Goto(both,9,1)
exten => i,1,Set(WENT=i)
exten => e,1,Set(WENT=e)

[execif]
exten => s,1,ExecIf($[1]?Set(A=yes):Set(A=no))
 same => n,ExecIf(0?Set(B=yes):Set(B=no))
 same => n,ExecIf(0?Set(C=yes))
 same => n,ExecIf(1,Set,D=old)
 same => n,ExecIf(1?NoSuchApp(x))
 same => n,Set(NOT_REACHED=1)

[exec]
exten => s,1,Exec(Set(E=1))
 same => n,TryExec(Set(F=1))
 same => n,Set(S0=${TRYSTATUS})
 same => n,TryExec(NoSuchApp(1))
 same => n,Set(S1=${TRYSTATUS})
 same => n,TryExec(Return())
 same => n,Set(S2=${TRYSTATUS})
 same => n,Exec(Goto(exec,jumped,1))
exten => jumped,1,Set(J=1)
 same => n,Exec(NoSuchApp())
 same => n,Set(NOT_REACHED=1)

[tryhangup]
exten => s,1,TryExec(Hangup(17))
 same => n,Set(NOT_REACHED=1)

[time]
exten => s,1,GotoIfTime(09:00-17:00,mon-fri,*,*?open,1:closed,1)
exten => open,1,Set(STATE=open)
exten => closed,1,Set(STATE=closed)
exten => nobranch,1,GotoIfTime(09:00-17:00,mon-fri,*,*)
 same => n,GotoIfTime(09:00-17:00,mon-fri,*,*?:)
 same => n,Set(STATE=fell-through)
exten => testtime,1,Set(TESTTIME=1714903200)
 same => n,Goto(s,1)
"""
MONDAY_10 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)
SUNDAY_10 = datetime(2024, 5, 5, 10, 0, tzinfo=UTC)  # 1714903200


class Run:
    """One channel's dialplan run and what it published."""

    def __init__(self, chan: Channel, events: list[CoreEvent]) -> None:
        self.chan = chan
        self.events = events

    @property
    def vars(self) -> Mapping[str, str]:
        return self.chan.variables

    def varsets(self) -> list[tuple[str, str]]:
        return [(e.variable, e.value) for e in self.events if isinstance(e, ChannelVarset)]


def _evaluators(now: datetime) -> EvaluatorFactory:
    clock = FixedClock(now)

    def make(chan: Channel, index: DialplanIndex) -> Evaluator:
        return Evaluator(
            channel=ChannelScope(chan), functions=pbx_functions(), dialplan=index, clock=clock
        )

    return make


async def _run(context: str, exten: str = "s", now: datetime = NOW) -> Run:
    index = DialplanIndex(config_from_texts({"extensions.conf": EXTENSIONS}).dialplan)
    events: list[CoreEvent] = []
    chan = Channel(
        id="1.1",
        name=NAME,
        tech=ScriptedTech(),
        publish=events.append,
        now=lambda: NOW,
        state=ChannelState.UP,
        context=context,
        exten=exten,
    )
    pbx = Pbx(lambda: index, {**BASIC_APPS, **FLOW_APPS}, _evaluators(now))
    await asyncio.wait_for(pbx.run(chan), 2)
    return Run(chan, events)


def _trace(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage().strip() for r in caplog.records if r.name == "ariel.verbose.pbx"]


def _logged(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "ariel.pbx" and r.levelno == level]


# -- Gosub, Return, ARGn, LOCAL ----------------------------------------------
async def test_gosub_passes_arguments_and_return_restores_them_and_sets_gosub_retval() -> None:
    run = await _run("args")
    assert run.vars["SEEN"] == "alpha-beta-2"
    assert run.vars["AFTER"] == "done:outer:"
    assert "ARGC" not in run.vars and "ARG2" not in run.vars
    # Back in the caller at the step after the Gosub, which ran and fell through.
    assert (run.chan.dialplan.context, run.chan.dialplan.priority) == ("args", 4)


async def test_gosub_arguments_publish_only_local_varsets_and_return_publishes_the_retval() -> None:
    run = await _run("args")
    sets = run.varsets()
    start = sets.index(("ARG1", "outer"))
    assert sets[start + 1 : start + 4] == [
        ("LOCAL(ARG1)", "alpha"),
        ("LOCAL(ARG2)", "beta"),
        ("LOCAL(ARGC)", "2"),
    ]
    assert ("GOSUB_RETVAL", "done") in sets
    assert ("ARG1", "alpha") not in sets


async def test_local_variables_hide_the_callers_and_are_restored_on_return() -> None:
    run = await _run("locals")
    assert run.vars["INSIDE"] == "again/again/again/outer/"
    assert run.vars["AFTER"] == "outer/"
    assert "FRESH" not in run.vars
    sets = run.varsets()
    assert ("X", "inner") not in sets  # the first write pushes: only LOCAL(X)
    assert sets.count(("LOCAL(X)", "inner")) == 1
    assert ("X", "again") in sets and ("LOCAL(X)", "again") in sets


async def test_nested_gosubs_mask_the_outer_arguments_and_stack_peek_names_the_callers() -> None:
    run = await _run("nest")
    assert run.vars["L2"] == "x|||1|level1,s,1|nest"
    assert run.vars["DONE"] == "2+1"
    assert not any(name.startswith("ARG") for name in run.vars)


async def test_gosubif_takes_the_branch_the_condition_names_with_its_arguments() -> None:
    run = await _run("branch")
    assert run.vars["END"] == "Y1N4"


async def test_stackpop_forgets_the_return_address_so_return_finds_an_empty_stack(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    run = await _run("pop")
    assert run.vars["POPPED"] == ""
    assert "NOT_REACHED" not in run.vars
    assert "Return without Gosub: stack is empty" in _logged(caplog, logging.ERROR)
    assert _trace(caplog)[-1] == f"== Spawn extension (popper, s, 3) exited non-zero on '{NAME}'"


async def test_return_without_any_gosub_hangs_up_with_stack_unallocated(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    run = await _run("noreturn")
    assert "NOT_REACHED" not in run.vars
    assert "Return without Gosub: stack is unallocated" in _logged(caplog, logging.ERROR)


async def test_gosub_to_a_missing_destination_or_label_hangs_up(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    run = await _run("badgosub")
    assert "NOT_REACHED" not in run.vars
    assert (
        "Attempt to reach a non-existent destination for Gosub: "
        "(Context:nowhere, Extension:s, Priority:1)"
    ) in _logged(caplog, logging.ERROR)
    await _run("badgosub", exten="label")
    assert "Gosub address is invalid: 's,nolabel'" in _logged(caplog, logging.ERROR)


async def test_local_outside_a_gosub_is_refused_and_stack_peek_can_be_quiet(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    run = await _run("outside")
    assert "Y" not in run.vars
    assert run.vars["PEEK"] == ""
    warnings = _logged(caplog, logging.WARNING)
    assert any("Tried to set LOCAL(Y), but we aren't within a Gosub routine" in w for w in warnings)
    assert not any("STACK_PEEK" in w for w in warnings)


# -- RaiseException and the e extension --------------------------------------
async def test_raise_exception_goes_to_e_where_exception_describes_where_it_was_raised() -> None:
    run = await _run("exc")
    assert run.vars["CAUGHT"] == "BADTHING,exc,s,2"
    assert "NOT_REACHED" not in run.vars
    assert (run.chan.dialplan.exten, run.chan.dialplan.priority) == ("e", 3)


async def test_raise_exception_without_an_e_extension_ends_as_an_invalid_extension(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    await _run("noe")
    assert (
        f"Channel '{NAME}' sent to invalid extension but no invalid handler: "
        "context,exten,priority=noe,e,1"
    ) in _logged(caplog, logging.WARNING)


async def test_an_invalid_extension_raises_invalid_at_e_when_there_is_no_i(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    run = await _run("noi")
    assert run.vars["CAUGHT"] == "INVALID/9/1"
    assert "INVALID_EXTEN" not in run.vars
    assert not any("going to 'i'" in line for line in _trace(caplog))


async def test_an_invalid_extension_prefers_i_to_e() -> None:
    run = await _run("both")
    assert run.vars["WENT"] == "i"


# -- ExecIf, Exec, TryExec ---------------------------------------------------
async def test_execif_runs_the_branch_of_the_condition_and_hangs_up_on_an_unknown_app(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    run = await _run("execif")
    assert (run.vars["A"], run.vars["B"], run.vars["D"]) == ("yes", "no", "old")
    assert "C" not in run.vars and "NOT_REACHED" not in run.vars
    warnings = _logged(caplog, logging.WARNING)
    assert "Deprecated syntax found.  Please upgrade to using ExecIf(<expr>?Set(D=old))" in warnings
    assert "Could not find application! (NoSuchApp)" in warnings
    assert _trace(caplog)[-1] == f"== Spawn extension (execif, s, 5) exited non-zero on '{NAME}'"


async def test_exec_and_tryexec_run_an_app_by_name_and_tryexec_reports_trystatus(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    run = await _run("exec")
    assert (run.vars["E"], run.vars["F"]) == ("1", "1")
    assert (run.vars["S0"], run.vars["S1"], run.vars["S2"]) == ("SUCCESS", "NOAPP", "FAILED")
    assert run.vars["J"] == "1"
    assert "NOT_REACHED" not in run.vars
    assert "-- Goto (exec,jumped,1)" in _trace(caplog)
    assert "Could not find application (NoSuchApp)" in _logged(caplog, logging.WARNING)
    # The executed application shows in ChannelDialplan; no "Executing" line of its own.
    steps = [
        (e.dialplan_app, e.dialplan_app_data) for e in run.events if isinstance(e, ChannelDialplan)
    ]
    assert steps[:2] == [("Exec", "Set(E=1)"), ("Set", "E=1")]
    assert not any('Set("' in line and "E=1" in line for line in _trace(caplog))


async def test_hangup_inside_tryexec_ends_the_run_as_asterisk_does() -> None:
    # Hangup() returns -1 (TRYSTATUS=FAILED, as app_exec.c sets it) and soft-hangs
    # the channel up, so the run stops although TryExec itself returns 0.
    run = await _run("tryhangup")
    assert run.vars["TRYSTATUS"] == "FAILED"
    assert "NOT_REACHED" not in run.vars


# -- GotoIfTime --------------------------------------------------------------
async def test_gotoiftime_judges_the_spec_against_the_injected_clock(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    assert (await _run("time", now=MONDAY_10)).vars["STATE"] == "open"
    assert "-- Goto (time,open,1)" in _trace(caplog)
    assert (await _run("time", now=SUNDAY_10)).vars["STATE"] == "closed"


async def test_gotoiftime_uses_testtime_when_set() -> None:
    run = await _run("time", exten="testtime", now=MONDAY_10)
    assert run.vars["STATE"] == "closed"


async def test_gotoiftime_without_a_branch_to_take_goes_on() -> None:
    run = await _run("time", exten="nobranch", now=MONDAY_10)
    assert run.vars["STATE"] == "fell-through"
