"""ARI ``deviceStates``: Stasis-controlled device states (``res_stasis_device_state``)."""

from __future__ import annotations

from ariel.ari.handler import AriError, AriRequest, AriResponse, no_content, ok
from ariel.ari.models.states import device_state_json
from ariel.core.device_states import DeviceStates
from ariel.core.errors import InvalidArgument, NotFound, NotPermitted

__all__ = ["delete", "get", "list_", "update"]


def _states(req: AriRequest) -> DeviceStates:
    states: DeviceStates = req.core.device_states
    return states


async def list_(req: AriRequest) -> AriResponse:
    """GET /deviceStates: the Stasis-controlled devices."""
    return ok([device_state_json(s) for s in _states(req).list()])


async def get(req: AriRequest) -> AriResponse:
    """GET /deviceStates/{deviceName}: any device; unknown Stasis ones are UNKNOWN."""
    return ok(device_state_json(_states(req).get(req.params["deviceName"])))


async def update(req: AriRequest) -> AriResponse:
    """PUT /deviceStates/{deviceName}?deviceState=...

    A missing or unknown state is a 500 "Unknown device" in the reference.
    """
    state = req.param("deviceState")
    try:
        _states(req).update(req.params["deviceName"], None if state is None else str(state))
    except NotPermitted as exc:
        raise AriError(409, exc.message) from exc
    except NotFound as exc:
        raise AriError(404, exc.message) from exc
    except InvalidArgument as exc:
        raise AriError(500, exc.message) from exc
    return no_content()


async def delete(req: AriRequest) -> AriResponse:
    """DELETE /deviceStates/{deviceName}: 204 even for a device never set."""
    try:
        _states(req).delete(req.params["deviceName"])
    except NotPermitted as exc:
        raise AriError(409, exc.message) from exc
    except NotFound as exc:
        raise AriError(404, exc.message) from exc
    return no_content()
