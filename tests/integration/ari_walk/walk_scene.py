"""What the steps of the operation walk share: the server, the walker, the
application's events and the objects made so far.

A step is an ``async`` function of a :class:`Scene`. It makes requests with
:meth:`Scene.ok`, which records the visit and stops the step (raising
:class:`StepStopped`) when the answer is not a success, since what follows
in that step would only fail for that reason. :func:`run_steps` runs each
step under a time limit and keeps going after a stopped one, so one report
names every operation that failed.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ari_app_events import AppEvents, Event
from ari_walker import OPERATIONS, Walker, success_codes
from ariel_process import AriServer
from sipp_phone import SippPhone

__all__ = ["Scene", "Step", "StepStopped", "run_steps"]

#: The longest one step may take.
STEP_TIMEOUT_S = 15.0
#: How much of a failed assertion the report shows.
_SHOWN = 600


class StepStopped(Exception):
    """A request of the step failed; the rest of the step depends on it."""


@dataclass
class Scene:
    """The walk's shared state.

    Attributes:
        walk: Sends and records the requests.
        events: The ``walk`` and ``walk-moved`` applications' events.
        server: The Ariel under test.
        contact_port: The UDP port of ``WALK_PHONE``'s AOR contact.
        workdir: A directory for SIPp's files.
        channels: Channel ids by role (``main``, ``snoop``...).
        objects: Other ids by role (bridges, playbacks, recordings, sounds).
        phones: The SIPp phones started, to stop on the way out.
    """

    walk: Walker
    events: AppEvents
    server: AriServer
    contact_port: int
    workdir: Path
    channels: dict[str, str] = field(default_factory=dict)
    objects: dict[str, str] = field(default_factory=dict)
    phones: list[SippPhone] = field(default_factory=list)

    async def ok(
        self,
        op_id: str,
        *,
        params: dict[str, str] | None = None,
        body: Any = None,
        **path: str,
    ) -> Any:
        """One request of ``op_id`` that must succeed; returns the decoded body."""
        status, answer = await self.walk.call(op_id, params=params, body=body, **path)
        if status not in success_codes(OPERATIONS[op_id]):
            raise StepStopped(f"{op_id} answered {status}: {answer}")
        return answer

    async def event(self, kind: str, what: str, **match: str) -> Event:
        """The next ``kind`` event whose top-level objects' ids match ``match``.

        ``match`` maps an object key of the event (``channel``, ``playback``,
        ``recording``) to the id (or, for recordings, the name) it must carry.
        """

        def wanted(event: Event) -> bool:
            if event.get("type") != kind:
                return False
            for key, value in match.items():
                obj = event.get(key)
                if key == "application":
                    if obj != value:
                        return False
                elif not isinstance(obj, dict) or value not in (obj.get("id"), obj.get("name")):
                    return False
            return True

        return await self.events.wait_for(wanted, f"{kind} ({what})")

    def phone(self, scenario: str, *, display: str) -> SippPhone:
        """An unstarted SIPp phone calling extension ``stasis`` as ``WALK_PHONE``."""
        workdir = self.workdir / f"phone{len(self.phones)}"
        workdir.mkdir()
        made = SippPhone(
            scenario,
            sip_port=self.server.sip_port,
            workdir=workdir,
            dial="stasis",
            from_user="WALK_PHONE",
            display=display,
        )
        self.phones.append(made)
        return made


#: One step of the walk.
Step = Callable[[Scene], Awaitable[None]]


async def run_steps(scene: Scene, steps: Sequence[Step]) -> list[str]:
    """Runs every step in order; one line for each that did not run to its end."""
    stopped = []
    for step in steps:
        try:
            async with asyncio.timeout(STEP_TIMEOUT_S):
                await step(scene)
        except StepStopped as exc:
            stopped.append(f"step {step.__name__} stopped: {exc}")
        except TimeoutError:
            stopped.append(f"step {step.__name__} took over {STEP_TIMEOUT_S} s")
        except AssertionError as exc:
            stopped.append(f"step {step.__name__} failed: {str(exc)[:_SHOWN]}")
        except (KeyError, TypeError, ValueError) as exc:
            # A step that lacks what an earlier, stopped step should have made.
            where = traceback.format_exc(limit=-1).strip().splitlines()
            stopped.append(f"step {step.__name__} failed: {exc!r} at {' '.join(where[-3:-1])}")
    return stopped
