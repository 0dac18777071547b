"""System information: ``/asterisk/info``, ``/asterisk/ping``, modules and log channels.

Theory of operation: :class:`SystemInfo` answers what Asterisk's
``resource_asterisk.c`` reads from its globals (build strings, entity id,
``asterisk.conf`` options, start-up and reload times), from values passed in
by the server, and owns the module catalogue (:mod:`ariel.core.modules`) and
the log channels (:mod:`ariel.core.log_channels`).

``system.version`` is the Asterisk version whose ARI Ariel reproduces
(:data:`ariel.REFERENCE_ASTERISK_VERSION`, "22.10.1"), not Ariel's own:
ARI clients parse it as an Asterisk version to decide which operations
exist. Ariel's own version is reported in ``build.options``
(``ariel-<version>``). The build section describes the machine we run on
(``platform.uname()``), the installation date of the package and the user
running it.
"""

from __future__ import annotations

import getpass
import logging
import platform
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import ariel
from ariel._util.clock import Clock
from ariel.core.log_channels import LogChannels
from ariel.core.modules import DEFAULT_MODULES, Modules, ModuleSpec

__all__ = [
    "INFO_SECTIONS",
    "AsteriskInfo",
    "AsteriskPing",
    "BuildInfo",
    "ConfigInfo",
    "SetId",
    "StatusInfo",
    "SystemInfo",
    "SystemSection",
    "info_sections",
]

#: The sections of ``AsteriskInfo``, in the order the reference emits them.
INFO_SECTIONS = ("build", "system", "config", "status")


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildInfo:
    """The ``BuildInfo`` model."""

    os: str
    kernel: str
    machine: str
    options: str
    date: str
    user: str

    @classmethod
    def current(cls) -> BuildInfo:
        """What describes this installation on this machine."""
        uname = platform.uname()
        try:
            user = getpass.getuser()
        except (OSError, KeyError):
            user = ""
        try:
            mtime = Path(ariel.__file__).stat().st_mtime
            date = datetime.fromtimestamp(mtime, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        except OSError:
            date = ""
        return cls(
            os=uname.system,
            kernel=uname.release,
            machine=uname.machine,
            options=f"ariel-{ariel.__version__}",
            date=date,
            user=user,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class SystemSection:
    """The ``SystemInfo`` model (named so as not to clash with the service)."""

    version: str
    entity_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SetId:
    """The ``SetId`` model: ``runuser``/``rungroup`` of ``asterisk.conf``."""

    user: str = ""
    group: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigInfo:
    """The ``ConfigInfo`` model; optional limits are omitted when unset."""

    name: str
    default_language: str
    setid: SetId
    max_channels: int | None = None
    max_open_files: int | None = None
    max_load: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusInfo:
    """The ``StatusInfo`` model."""

    startup_time: datetime
    last_reload_time: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class AsteriskInfo:
    """The ``AsteriskInfo`` model, every section present."""

    build: BuildInfo
    system: SystemSection
    config: ConfigInfo
    status: StatusInfo


@dataclass(frozen=True, slots=True, kw_only=True)
class AsteriskPing:
    """The ``AsteriskPing`` model."""

    ping: str
    timestamp: datetime
    asterisk_id: str


def info_sections(only: Iterable[str] | None) -> tuple[str, ...]:
    """The sections ``GET /asterisk/info?only=...`` shows.

    No ``only`` means every section; names match case-insensitively and
    unknown names are ignored, so ``only=nonsense`` shows none.

    >>> info_sections(None), info_sections(["Status", "x"]), info_sections(["x"])
    (('build', 'system', 'config', 'status'), ('status',), ())
    """
    if only is None:
        return INFO_SECTIONS
    wanted = [str(name).strip().lower() for name in only]
    if not wanted:
        return INFO_SECTIONS
    return tuple(name for name in INFO_SECTIONS if name in wanted)


class SystemInfo:
    """The server's identity, start-up facts, modules and log channels.

    Args:
        clock: Time source (ping timestamps, reload times).
        entity_id: The EID ``xx:xx:xx:xx:xx:xx`` (ARI ``asterisk_id``).
        system_name: ``systemname`` of ``asterisk.conf`` (often empty).
        default_language: ``defaultlanguage`` of ``asterisk.conf``.
        startup_time: When the server started; the clock's now if ``None``.
        version: Reported as ``system.version`` (see the module notes).
        build: Build section; :meth:`BuildInfo.current` if ``None``.
        run_user: ``runuser`` of ``asterisk.conf``.
        run_group: ``rungroup`` of ``asterisk.conf``.
        max_channels: ``maxcalls``, shown only when set.
        max_open_files: ``maxfiles``, shown only when set.
        max_load: ``maxload``, shown only when set.
        modules: The module catalogue.
        reload_hook: Called with a module name to reload it (may be ``None``).
        log_dir: Folder of file log channels (``astlogdir``).
        log_config: ``logger.conf`` ``[logfiles]`` (name -> levels).
        logger: Logger the log channels attach to (default ``ariel``).
    """

    def __init__(
        self,
        clock: Clock,
        entity_id: str,
        system_name: str = "",
        default_language: str = "en",
        startup_time: datetime | None = None,
        version: str = ariel.REFERENCE_ASTERISK_VERSION,
        *,
        build: BuildInfo | None = None,
        run_user: str = "",
        run_group: str = "",
        max_channels: int | None = None,
        max_open_files: int | None = None,
        max_load: float | None = None,
        modules: Sequence[ModuleSpec] = DEFAULT_MODULES,
        reload_hook: Callable[[str], object] | None = None,
        log_dir: Path | None = None,
        log_config: Mapping[str, str] | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        self._clock = clock
        self.entity_id = entity_id
        self._build = build if build is not None else BuildInfo.current()
        self._system = SystemSection(version=version, entity_id=entity_id)
        self._config = ConfigInfo(
            name=system_name,
            default_language=default_language,
            setid=SetId(user=run_user, group=run_group),
            max_channels=max_channels or None,
            max_open_files=max_open_files or None,
            max_load=max_load or None,
        )
        self.startup_time = startup_time if startup_time is not None else clock.now()
        self.last_reload_time = self.startup_time
        self._reload_hook = reload_hook
        self.modules = Modules(modules, reload_hook=self._reload_module)
        self.log_channels = LogChannels(log_dir, logger=logger, static=log_config)

    def _reload_module(self, name: str) -> None:
        if self._reload_hook is not None:
            self._reload_hook(name)
        self.mark_reloaded()

    def mark_reloaded(self) -> None:
        """Record that configuration was reloaded now (``last_reload_time``)."""
        self.last_reload_time = self._clock.now()

    def snapshot(self) -> AsteriskInfo:
        """Every section of ``GET /asterisk/info``."""
        return AsteriskInfo(
            build=self._build,
            system=self._system,
            config=self._config,
            status=StatusInfo(
                startup_time=self.startup_time, last_reload_time=self.last_reload_time
            ),
        )

    def ping(self) -> AsteriskPing:
        """The answer to ``GET /asterisk/ping``."""
        return AsteriskPing(ping="pong", timestamp=self._clock.now(), asterisk_id=self.entity_id)

    def close(self) -> None:
        """Release the log channels' files."""
        self.log_channels.close()
