"""Models of the ``asterisk`` resource.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import Field, Model

__all__ = ["MODELS"]

MODELS: tuple[Model, ...] = (
    Model(
        id="BuildInfo",
        resource="asterisk",
        description="How and where this server was built.",
        fields=(
            Field(name="os", type="string", required=True, description="Operating system."),
            Field(name="kernel", type="string", required=True, description="Kernel version."),
            Field(
                name="options", type="string", required=True, description="Compile-time options."
            ),
            Field(
                name="machine", type="string", required=True, description="Machine architecture."
            ),
            Field(
                name="date", type="string", required=True, description="When the build was made."
            ),
            Field(name="user", type="string", required=True, description="Who made the build."),
        ),
    ),
    Model(
        id="SystemInfo",
        resource="asterisk",
        description="Version and identity of this server.",
        fields=(
            Field(name="version", type="string", required=True, description="Server version."),
            Field(
                name="entity_id",
                type="string",
                required=True,
                description="Entity id of this system (a MAC-like address).",
            ),
        ),
    ),
    Model(
        id="SetId",
        resource="asterisk",
        description="User and group the server runs as.",
        fields=(
            Field(name="user", type="string", required=True, description="User name."),
            Field(name="group", type="string", required=True, description="Group name."),
        ),
    ),
    Model(
        id="ConfigInfo",
        resource="asterisk",
        description="Main configuration settings of the server.",
        fields=(
            Field(name="name", type="string", required=True, description="System name, if set."),
            Field(
                name="default_language",
                type="string",
                required=True,
                description="Language used when none is set.",
            ),
            Field(name="max_channels", type="int", description="Most channels allowed at once."),
            Field(
                name="max_open_files", type="int", description="Most files allowed open at once."
            ),
            Field(
                name="max_load",
                type="double",
                description="Load above which new calls are refused.",
            ),
            Field(
                name="setid",
                type="SetId",
                required=True,
                description="User and group the server runs as.",
            ),
        ),
    ),
    Model(
        id="StatusInfo",
        resource="asterisk",
        description="When the server started and last reloaded.",
        fields=(
            Field(
                name="startup_time",
                type="Date",
                required=True,
                description="When the server started.",
            ),
            Field(
                name="last_reload_time",
                type="Date",
                required=True,
                description="When the configuration was last reloaded.",
            ),
        ),
    ),
    Model(
        id="AsteriskInfo",
        resource="asterisk",
        description="Information about the server, by section.",
        fields=(
            Field(name="build", type="BuildInfo", description="Build section."),
            Field(name="system", type="SystemInfo", description="System section."),
            Field(name="config", type="ConfigInfo", description="Configuration section."),
            Field(name="status", type="StatusInfo", description="Status section."),
        ),
    ),
    Model(
        id="AsteriskPing",
        resource="asterisk",
        description="Answer to a ping.",
        fields=(
            Field(
                name="asterisk_id",
                type="string",
                required=True,
                description="Entity id of the server.",
            ),
            Field(name="ping", type="string", required=True, description="Always pong."),
            Field(
                name="timestamp", type="string", required=True, description="Time of the answer."
            ),
        ),
    ),
    Model(
        id="Module",
        resource="asterisk",
        description="A loaded module.",
        fields=(
            Field(
                name="name", type="string", required=True, description="File name of the module."
            ),
            Field(
                name="description",
                type="string",
                required=True,
                description="What the module does.",
            ),
            Field(
                name="use_count",
                type="int",
                required=True,
                description="How many users hold the module.",
            ),
            Field(
                name="status", type="string", required=True, description="Whether it is running."
            ),
            Field(
                name="support_level",
                type="string",
                required=True,
                description="Support level (core, extended, deprecated).",
            ),
        ),
    ),
    Model(
        id="LogChannel",
        resource="asterisk",
        description="A configured log channel.",
        fields=(
            Field(
                name="channel", type="string", required=True, description="Name of the log channel."
            ),
            Field(
                name="type",
                type="string",
                required=True,
                description="Kind of log channel (file, console, syslog).",
            ),
            Field(
                name="status", type="string", required=True, description="Whether it is enabled."
            ),
            Field(
                name="configuration", type="string", required=True, description="Levels it records."
            ),
        ),
    ),
    Model(
        id="Variable",
        resource="asterisk",
        description="The value of one variable.",
        fields=(
            Field(name="value", type="string", required=True, description="Value of the variable."),
        ),
    ),
    Model(
        id="Variables",
        resource="asterisk",
        description="Several variables and their values.",
        fields=(
            Field(
                name="variables",
                type="object",
                required=True,
                description="Variable names mapped to their values.",
            ),
        ),
    ),
    Model(
        id="ConfigTuple",
        resource="asterisk",
        description="One attribute of a configuration object.",
        fields=(
            Field(name="attribute", type="string", required=True, description="Attribute name."),
            Field(name="value", type="string", required=True, description="Attribute value."),
        ),
    ),
)
