"""JSON of the ``asterisk`` resource's models: AsteriskInfo, ping, Module, LogChannel...

Keys come in the order the reference emits them (``resource_asterisk.c``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ariel._util.clock import ari_timestamp
from ariel.core.config_objects import ConfigObject
from ariel.core.info import INFO_SECTIONS, AsteriskInfo, AsteriskPing, ConfigInfo
from ariel.core.log_channels import LogChannelSnapshot
from ariel.core.modules import ModuleSnapshot

__all__ = [
    "asterisk_info_json",
    "config_tuples_json",
    "log_channel_json",
    "module_json",
    "ping_json",
    "variable_json",
]

JSON = dict[str, Any]


def _config_json(config: ConfigInfo) -> JSON:
    out: JSON = {
        "name": config.name,
        "default_language": config.default_language,
        "setid": {"user": config.setid.user, "group": config.setid.group},
    }
    if config.max_channels:
        out["max_channels"] = config.max_channels
    if config.max_open_files:
        out["max_open_files"] = config.max_open_files
    if config.max_load:
        out["max_load"] = config.max_load
    return out


def asterisk_info_json(info: AsteriskInfo, sections: Iterable[str] = INFO_SECTIONS) -> JSON:
    """The ``AsteriskInfo`` model with the named sections (see ``info_sections``)."""
    wanted = set(sections)
    out: JSON = {}
    if "build" in wanted:
        b = info.build
        out["build"] = {
            "os": b.os,
            "kernel": b.kernel,
            "machine": b.machine,
            "options": b.options,
            "date": b.date,
            "user": b.user,
        }
    if "system" in wanted:
        out["system"] = {"version": info.system.version, "entity_id": info.system.entity_id}
    if "config" in wanted:
        out["config"] = _config_json(info.config)
    if "status" in wanted:
        out["status"] = {
            "startup_time": ari_timestamp(info.status.startup_time),
            "last_reload_time": ari_timestamp(info.status.last_reload_time),
        }
    return out


def ping_json(ping: AsteriskPing) -> JSON:
    """The ``AsteriskPing`` model."""
    return {
        "ping": ping.ping,
        "timestamp": ari_timestamp(ping.timestamp),
        "asterisk_id": ping.asterisk_id,
    }


def module_json(module: ModuleSnapshot) -> JSON:
    """The ``Module`` model."""
    return {
        "name": module.name,
        "description": module.description,
        "use_count": module.use_count,
        "status": module.status,
        "support_level": module.support_level,
    }


def log_channel_json(channel: LogChannelSnapshot) -> JSON:
    """The ``LogChannel`` model."""
    return {
        "channel": channel.channel,
        "type": channel.type,
        "status": channel.status,
        "configuration": channel.configuration,
    }


def variable_json(value: str) -> JSON:
    """The ``Variable`` model."""
    return {"value": value}


def config_tuples_json(fields: Sequence[tuple[str, str]] | ConfigObject) -> list[JSON]:
    """A ``List[ConfigTuple]`` of an object's fields."""
    pairs = fields.fields if isinstance(fields, ConfigObject) else fields
    return [{"attribute": attribute, "value": value} for attribute, value in pairs]
