"""ARI ``asterisk``: system info, ping, modules, log channels, global variables,
dynamic configuration objects.

Status codes and messages follow ``resource_asterisk.c``; each handler maps
the core's named errors to the codes its operation documents.
"""

from __future__ import annotations

from typing import Any

from ariel.ari.handler import AriError, AriRequest, AriResponse, no_content, ok
from ariel.ari.models.system import (
    asterisk_info_json,
    config_tuples_json,
    log_channel_json,
    module_json,
    ping_json,
    variable_json,
)
from ariel.core.config_objects import ConfigObjects
from ariel.core.errors import (
    AlreadyExists,
    DomainError,
    InvalidArgument,
    NotFound,
    NotPermitted,
    OperationFailed,
)
from ariel.core.global_vars import GlobalVariables
from ariel.core.info import SystemInfo, info_sections

__all__ = [
    "addLog",
    "deleteLog",
    "deleteObject",
    "getGlobalVar",
    "getInfo",
    "getModule",
    "getObject",
    "listLogChannels",
    "listModules",
    "loadModule",
    "ping",
    "reloadModule",
    "rotateLog",
    "setGlobalVar",
    "unloadModule",
    "updateObject",
]

_VARIABLE_REQUIRED = "Variable name is required"


def _info(req: AriRequest) -> SystemInfo:
    info: SystemInfo = req.core.info
    return info


def _objects(req: AriRequest) -> ConfigObjects:
    objects: ConfigObjects = req.core.config_objects
    return objects


def _globals(req: AriRequest) -> GlobalVariables:
    variables: GlobalVariables = req.core.global_vars
    return variables


def _object_path(req: AriRequest) -> tuple[str, str, str]:
    return (
        str(req.param("configClass") or ""),
        str(req.param("objectType") or ""),
        str(req.param("id") or ""),
    )


# -- dynamic configuration objects -----------------------------------------------


async def getObject(req: AriRequest) -> AriResponse:
    """GET /asterisk/config/dynamic/{configClass}/{objectType}/{id}."""
    try:
        obj = _objects(req).get(*_object_path(req))
    except NotFound as exc:
        raise AriError(404, exc.message) from exc
    return ok(config_tuples_json(obj))


def _field_value(value: Any) -> str | None:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str | int | float):
        return str(value)
    return None


def _parse_fields(req: AriRequest) -> list[tuple[str, str]] | None:
    """The ``fields`` of the body, ``None`` when absent.

    Raises:
        ValueError: the fields are not a list of ``{attribute, value}``.
    """
    raw: Any = req.param("fields")
    if raw is None:
        raw = req.body
    if isinstance(raw, dict):
        raw = raw.get("fields")
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise ValueError("fields must be a list")
    out: list[tuple[str, str]] = []
    for item in raw:
        if item is None:
            continue
        attribute = item.get("attribute") if isinstance(item, dict) else None
        value = _field_value(item.get("value")) if isinstance(item, dict) else None
        if not isinstance(attribute, str) or value is None:
            raise ValueError("malformed field")
        out.append((attribute, value))
    return out


async def updateObject(req: AriRequest) -> AriResponse:
    """PUT /asterisk/config/dynamic/{configClass}/{objectType}/{id} with ``{"fields": [...]}``."""
    objects = _objects(req)
    config_class, object_type, ident = _object_path(req)
    try:
        objects.check_path(config_class, object_type)
        try:
            fields = _parse_fields(req)
        except ValueError as exc:
            verb = "Update" if objects.find(config_class, object_type, ident) else "Creation"
            raise InvalidArgument(
                f"{verb} of object '{ident}' failed field value validation"
            ) from exc
        obj = objects.update(config_class, object_type, ident, fields)
    except NotFound as exc:
        raise AriError(404, exc.message) from exc
    except InvalidArgument as exc:
        raise AriError(400, exc.message) from exc
    except NotPermitted as exc:
        raise AriError(403, exc.message) from exc
    return ok(config_tuples_json(obj))


async def deleteObject(req: AriRequest) -> AriResponse:
    """DELETE /asterisk/config/dynamic/{configClass}/{objectType}/{id}."""
    try:
        _objects(req).delete(*_object_path(req))
    except NotFound as exc:
        raise AriError(404, exc.message) from exc
    except NotPermitted as exc:
        raise AriError(403, exc.message) from exc
    return no_content()


# -- info and ping ------------------------------------------------------------------


async def getInfo(req: AriRequest) -> AriResponse:
    """GET /asterisk/info?only=build,system,config,status."""
    only = req.param("only")
    if isinstance(only, str):
        only = only.split(",")
    sections = info_sections(None if only is None else [str(name) for name in only])
    return ok(asterisk_info_json(_info(req).snapshot(), sections))


async def ping(req: AriRequest) -> AriResponse:
    """GET /asterisk/ping."""
    return ok(ping_json(_info(req).ping()))


# -- modules ------------------------------------------------------------------------


async def listModules(req: AriRequest) -> AriResponse:
    """GET /asterisk/modules: the running modules."""
    return ok([module_json(m) for m in _info(req).modules.list()])


async def getModule(req: AriRequest) -> AriResponse:
    """GET /asterisk/modules/{moduleName}."""
    try:
        module = _info(req).modules.get(req.params["moduleName"])
    except NotFound as exc:
        raise AriError(404, exc.message) from exc
    return ok(module_json(module))


async def loadModule(req: AriRequest) -> AriResponse:
    """POST /asterisk/modules/{moduleName}: 409 for loaded or unknown modules."""
    try:
        _info(req).modules.load(req.params["moduleName"])
    except DomainError as exc:
        raise AriError(409, exc.message) from exc
    return no_content()


async def unloadModule(req: AriRequest) -> AriResponse:
    """DELETE /asterisk/modules/{moduleName}."""
    try:
        _info(req).modules.unload(req.params["moduleName"])
    except NotFound as exc:
        raise AriError(404, exc.message) from exc
    except DomainError as exc:
        raise AriError(409, exc.message) from exc
    return no_content()


async def reloadModule(req: AriRequest) -> AriResponse:
    """PUT /asterisk/modules/{moduleName}."""
    try:
        _info(req).modules.reload(req.params["moduleName"])
    except NotFound as exc:
        raise AriError(404, exc.message) from exc
    except DomainError as exc:
        raise AriError(409, exc.message) from exc
    return no_content()


# -- log channels -------------------------------------------------------------------


async def listLogChannels(req: AriRequest) -> AriResponse:
    """GET /asterisk/logging."""
    return ok([log_channel_json(c) for c in _info(req).log_channels.list()])


async def addLog(req: AriRequest) -> AriResponse:
    """POST /asterisk/logging/{logChannelName}?configuration=levels."""
    configuration = req.param("configuration")
    try:
        _info(req).log_channels.add(
            req.params["logChannelName"], None if configuration is None else str(configuration)
        )
    except InvalidArgument as exc:
        raise AriError(400, exc.message) from exc
    except AlreadyExists as exc:
        raise AriError(409, exc.message) from exc
    except OperationFailed as exc:
        raise AriError(500, exc.message) from exc
    return no_content()


async def deleteLog(req: AriRequest) -> AriResponse:
    """DELETE /asterisk/logging/{logChannelName}: only channels made over ARI."""
    try:
        _info(req).log_channels.remove(req.params["logChannelName"])
    except NotFound as exc:
        raise AriError(404, exc.message) from exc
    return no_content()


async def rotateLog(req: AriRequest) -> AriResponse:
    """PUT /asterisk/logging/{logChannelName}/rotate."""
    try:
        _info(req).log_channels.rotate(req.params["logChannelName"])
    except NotFound as exc:
        raise AriError(404, exc.message) from exc
    except OperationFailed as exc:
        raise AriError(500, exc.message) from exc
    return no_content()


# -- global variables ---------------------------------------------------------------


async def getGlobalVar(req: AriRequest) -> AriResponse:
    """GET /asterisk/variable?variable=NAME: ``""`` for an unset variable."""
    name = req.param("variable")
    if not name:
        raise AriError(400, _VARIABLE_REQUIRED)
    try:
        value = _globals(req).value(str(name))
    except InvalidArgument as exc:
        raise AriError(400, exc.message) from exc
    return ok(variable_json(value))


async def setGlobalVar(req: AriRequest) -> AriResponse:
    """POST /asterisk/variable?variable=NAME&value=V; no value unsets it."""
    name = req.param("variable")
    if not name:
        raise AriError(400, _VARIABLE_REQUIRED)
    value = req.param("value")
    try:
        _globals(req).set(str(name), None if value is None else str(value))
    except InvalidArgument as exc:
        raise AriError(400, exc.message) from exc
    return no_content()
