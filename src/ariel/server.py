"""The composition root: configuration in, a running server out.

``build_core`` wires the domain services from a :class:`ServerConfig`;
:class:`Server` adds the HTTP/WebSocket front end, the control socket of the
console and ``/metrics``, and owns start, reload and stop; ``serve`` runs it in
the foreground: SIGHUP reloads, SIGTERM stops gracefully (new calls get 503,
calls in progress get ``grace_s`` to end), SIGINT stops now.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import logging
import os
import random
import signal
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from ariel import REFERENCE_ASTERISK_VERSION
from ariel._util.clock import Clock, SystemClock
from ariel._util.ids import IdFactory
from ariel._util.prometheus import Registry
from ariel.ari.app import HttpServer
from ariel.ari.auth import Authenticator
from ariel.ari.cors import CorsPolicy
from ariel.ari.dispatch import Dispatcher
from ariel.ari.metrics import RestMetrics, core_collector
from ariel.ari.outbound import OutboundApps
from ariel.config import AriConf, Dialplan, MohConf, PjsipConf, ServerConfig, WebSocketClient
from ariel.console import (
    CallCounts,
    ConsoleContext,
    ConsoleService,
    Reloader,
    VerboseFilter,
    Verbosity,
)
from ariel.core.astdb import AstDB
from ariel.core.channels.channel import Channel
from ariel.core.config_objects import ConfigObjects
from ariel.core.device_states import DeviceStates, DeviceStateSnapshot
from ariel.core.dialplan import Evaluator
from ariel.core.dialplan.lookup import DialplanIndex, stasis_context
from ariel.core.endpoints import EndpointRegistry, EndpointSnapshot, EndpointStateChange
from ariel.core.events import DeviceStateChanged
from ariel.core.global_vars import GlobalVariables
from ariel.core.info import SystemInfo
from ariel.core.mailboxes import Mailboxes
from ariel.core.media.moh import MusicOnHold
from ariel.core.media.sources import Samples, SoundCache
from ariel.core.objects import ObjectRegistry
from ariel.core.pbx import Pbx
from ariel.core.pbx.apps_basic import BASIC_APPS
from ariel.core.pbx.apps_dial import DialServices, make_dial_app
from ariel.core.pbx.apps_flow import FLOW_APPS
from ariel.core.pbx.apps_ivr import IvrServices, make_ivr_apps
from ariel.core.pbx.apps_media import make_media_apps
from ariel.core.pbx.func_flow import pbx_functions
from ariel.core.pbx.scope import ChannelScope
from ariel.core.pbx.stasis_app import make_stasis_app
from ariel.core.pbx.stasis_broadcast import make_broadcast_app
from ariel.core.playback.media_library import MediaLibrary, MediaUnavailable
from ariel.core.playback.playback import Playback
from ariel.core.recording.live import LiveRecording
from ariel.core.recording.recorder import Recorder
from ariel.core.sounds import SoundIndex
from ariel.core.stasis import Applications
from ariel.core.stored_recordings import StoredRecordings
from ariel.core.system import Core
from ariel.drivers.audiosocket.driver import AudioSocketDriver
from ariel.drivers.local import LocalDriver
from ariel.drivers.pjsip.driver import PjsipDriver
from ariel.drivers.snoop import SnoopDriver
from ariel.drivers.unicast_rtp.driver import UnicastRtpDriver
from ariel.drivers.websocket_media.driver import WebSocketMediaDriver
from ariel.drivers.websocket_media.outbound import OutboundMediaConnector
from ariel.net.control import ControlServer, server_socket_path
from ariel.net.fd_limit import raise_open_file_limit
from ariel.net.media_clock import MediaClock
from ariel.net.metrics import media_collector, sip_collector
from ariel.net.ports import PortAllocator
from ariel.net.websocket_client import connect as websocket_connect

__all__ = ["Server", "build_core", "serve"]

log = logging.getLogger("ariel.server")

#: Where Debian's asterisk-core-sounds-* and asterisk-moh-* packages install.
DEBIAN_DATA_DIR = Path("/usr/share/asterisk")


def entity_id(configured: str) -> str:
    """The system's EID: asterisk.conf ``entityid`` or one derived from a MAC address."""
    if configured:
        return configured.lower()
    node = uuid.getnode()
    return ":".join(f"{(node >> shift) & 0xFF:02x}" for shift in range(40, -8, -8))


def writable_directory(preferred: Path) -> Path:
    """``preferred`` if it can be created and written, else a per-user state directory.

    The embedded default uses Asterisk's ``/var/lib/asterisk``; a user who is not
    root still gets a working server, with its database under ``~/.local/state``.
    """
    try:
        preferred.mkdir(parents=True, exist_ok=True)
        if os.access(preferred, os.W_OK):
            return preferred
    except OSError:
        pass
    fallback = Path.home() / ".local" / "state" / "ariel"
    fallback.mkdir(parents=True, exist_ok=True)
    log.warning("%s is not writable; keeping the database in %s", preferred, fallback)
    return fallback


#: The prompts Ariel ships itself (``believe-its-free`` of the book's quick start).
BUNDLED_SOUNDS = Path(__file__).resolve().parent / "sounds"


def sound_directories(data_dir: Path) -> list[Path]:
    """Prompt directories to index: ``<astdatadir>/sounds``, Debian's, then Ariel's own."""
    dirs = [data_dir / "sounds", DEBIAN_DATA_DIR / "sounds", BUNDLED_SOUNDS]
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [s.resolve() for s in seen]:
            seen.append(d)
    return seen


def moh_data_dir(data_dir: Path) -> Path:
    """Where relative music-on-hold directories resolve: astdatadir, else Debian's."""
    if (data_dir / "moh").is_dir() or not (DEBIAN_DATA_DIR / "moh").is_dir():
        return data_dir
    return DEBIAN_DATA_DIR


def build_core(
    config: ServerConfig,
    *,
    clock: Clock | None = None,
    started: datetime | None = None,
    reload_hook: Callable[[str], object] | None = None,
) -> Core:
    """Wire the domain services for ``config`` (``reload_hook``: ARI's module reload)."""
    clock = clock or SystemClock()
    started = started or clock.now()
    dirs = config.asterisk.directories
    options = config.asterisk.options
    eid = entity_id(options.entityid)
    astdb = AstDB(writable_directory(dirs.astdbdir) / "astdb.sqlite3")
    holder: dict[str, Core] = {}

    def source_exists(scheme: str, ident: str) -> bool:
        return holder["core"].event_source_exists(scheme, ident)

    apps = Applications(source_exists, now=clock.now)

    def on_device_state(snapshot: DeviceStateSnapshot) -> None:
        apps.publish(
            DeviceStateChanged(timestamp=clock.now(), name=snapshot.name, state=snapshot.state)
        )

    def on_endpoint_state(snapshot: EndpointSnapshot) -> None:
        apps.publish(EndpointStateChange(timestamp=clock.now(), endpoint=snapshot))

    endpoints = EndpointRegistry(on_change=on_endpoint_state)
    _add_pjsip_endpoints(config, endpoints)
    sounds = SoundIndex(
        sound_directories(dirs.astdatadir), default_language=options.defaultlanguage
    )
    stored = StoredRecordings(dirs.astspooldir / "recording")
    cache = SoundCache()
    library = MediaLibrary(
        sounds=sounds, recordings=stored, indications=config.indications, cache=cache
    )
    playbacks: ObjectRegistry[Playback] = ObjectRegistry()
    live_recordings: ObjectRegistry[LiveRecording] = ObjectRegistry()

    def beep() -> Samples | None:
        try:
            return library.load_sound("beep", options.defaultlanguage)
        except MediaUnavailable:
            return None

    core = Core(
        clock=clock,
        ids=IdFactory(clock),
        entity_id=eid,
        astdb=astdb,
        apps=apps,
        endpoints=endpoints,
        device_states=DeviceStates(astdb, on_device_state),
        mailboxes=Mailboxes(astdb),
        global_vars=GlobalVariables(astdb, config.dialplan.globals),
        sounds=sounds,
        info=SystemInfo(
            clock=clock,
            entity_id=eid,
            system_name=options.systemname,
            default_language=options.defaultlanguage,
            startup_time=started,
            version=REFERENCE_ASTERISK_VERSION,
            log_dir=dirs.astlogdir,
            reload_hook=reload_hook,
        ),
        config_objects=ConfigObjects(_pjsip_sources(config), astdb),
        stored_recordings=stored,
        channels=ObjectRegistry(),
        bridges=ObjectRegistry(),
        playbacks=playbacks,
        live_recordings=live_recordings,
        media=library,
        moh=MusicOnHold(config.moh, moh_data_dir(dirs.astdatadir), cache),
        recorder=Recorder(
            stored=stored, live=live_recordings, publish=apps.publish, now=clock.now, beep=beep
        ),
        dialplan=DialplanInForce(config, apps),
    )
    holder["core"] = core
    return core


def _add_pjsip_endpoints(config: ServerConfig, endpoints: EndpointRegistry) -> None:
    endpoints.add_technology("PJSIP")
    for name, endpoint in config.pjsip.endpoints.items():
        contacts = [c for aor in config.pjsip.aors_of(endpoint) for c in aor.contacts]
        state = "online" if contacts else "offline"
        endpoints.add(EndpointSnapshot(technology="PJSIP", resource=name, state=state))


def _option_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        return ",".join(_option_text(v) for v in value)
    return str(value)


def _pjsip_sources(config: ServerConfig) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """pjsip.conf objects as ``(type, name, [(option, value)])`` for dynamic config."""
    skip = {"name", "file", "line", "extra"}
    kinds: dict[str, Mapping[str, object]] = {
        "transport": config.pjsip.transports,
        "endpoint": config.pjsip.endpoints,
        "aor": config.pjsip.aors,
        "auth": config.pjsip.auths,
        "identify": config.pjsip.identifies,
    }
    out: list[tuple[str, str, list[tuple[str, str]]]] = []
    for kind, objects in kinds.items():
        for name, obj in objects.items():
            assert dataclasses.is_dataclass(obj) and not isinstance(obj, type)
            options = [
                (f.name, _option_text(getattr(obj, f.name)))
                for f in dataclasses.fields(obj)
                if f.name not in skip
            ]
            options.extend(sorted(getattr(obj, "extra", {}).items()))
            out.append((kind, name, options))
    return out


class DialplanInForce:
    """The configured dialplan plus a ``stasis-<app>`` context per registered app."""

    def __init__(self, config: ServerConfig, apps: Applications) -> None:
        self._base = DialplanIndex(config.dialplan)
        self._apps = apps
        self._cache: tuple[frozenset[str], DialplanIndex] = (frozenset(), self._base)

    def replace(self, dialplan: Dialplan) -> None:
        """Put a reloaded dialplan in force; running channels take their next step in it."""
        self._base = DialplanIndex(dialplan)
        # An impossible app set: the next call adds the stasis-<app> contexts again.
        self._cache = (frozenset({""}), self._base)

    def __call__(self) -> DialplanIndex:
        names = frozenset(a.name for a in self._apps.all() if a.active)
        if names != self._cache[0]:
            index = self._base
            for name in sorted(names):
                if not index.has_context(f"stasis-{name}"):
                    index = index.with_context(stasis_context(name))
            self._cache = (names, index)
        return self._cache[1]


def build_pbx(config: ServerConfig, core: Core) -> Pbx:
    """The dialplan interpreter with its applications and evaluation."""

    def evaluators(chan: Channel, index: DialplanIndex) -> Evaluator:
        return Evaluator(
            channel=ChannelScope(chan),
            global_vars=core.global_vars,
            functions=pbx_functions(),
            dialplan=index,
            clock=core.clock,
        )

    apps = {
        **BASIC_APPS,
        **FLOW_APPS,
        **make_media_apps(core.media),
        **make_dial_app(
            DialServices(
                technologies=core.technologies,
                channels=core.channels,  # type: ignore[arg-type]
                bridges=core.bridges,
                ids=core.ids,
                publish=core.publish,
                now=core.clock.now,
            )
        ),
        **make_broadcast_app(core.apps, core.broadcasts),
        **make_ivr_apps(IvrServices(media=core.media, moh=core.moh, channels=core.channels)),
        "stasis": ("Stasis", make_stasis_app(core.apps)),
    }
    return Pbx(core.dialplan, apps, evaluators)


class Server:
    """One running Ariel: the Core, the PJSIP driver and the HTTP front end."""

    def __init__(
        self,
        config: ServerConfig,
        *,
        clock: Clock | None = None,
        verbose: int = 0,
        grace_s: float = 5.0,
    ) -> None:
        self.config = config
        self.core = build_core(config, clock=clock, reload_hook=self._reload_module)
        self.grace_s = grace_s
        self.verbosity = Verbosity(max(verbose, config.asterisk.options.verbose))
        self.pbx = build_pbx(config, self.core)
        self.core.pbx = self.pbx
        self.media_clock = MediaClock(rtcp_interval_ms=config.rtp.rtcpinterval)
        ports = PortAllocator(
            config.rtp.rtpstart, config.rtp.rtpend, offset=random.randrange(1 << 16)
        )
        self.pjsip = PjsipDriver(
            self.core, config, self.pbx, media_clock=self.media_clock, ports=ports
        )
        self.core.technologies["PJSIP"] = self.pjsip
        self.core.message_senders["PJSIP"] = self.pjsip
        self.core.technologies["Snoop"] = SnoopDriver(self.core)
        self.core.technologies["Local"] = LocalDriver(self.core, clock=self.media_clock)
        self.core.technologies["UnicastRTP"] = UnicastRtpDriver(
            self.core, ports=ports, clock=self.media_clock
        )
        media = self.media_clock
        self.core.technologies["AudioSocket"] = AudioSocketDriver(self.core, clock=media)
        self._media_connector = OutboundMediaConnector(config.websocket_clients, websocket_connect)
        self._websocket_media = WebSocketMediaDriver(
            self.core,
            clock=media,
            clients=config.websocket_clients,
            connector=self._media_connector,
        )
        self.core.technologies["WebSocket"] = self._websocket_media
        self.metrics = Registry()
        self.metrics.add_collector(lambda: core_collector(self.core))
        self.metrics.add_collector(lambda: media_collector(self.media_clock))
        self.metrics.add_collector(lambda: sip_collector(self.pjsip.sip_counters))
        self.dispatcher = Dispatcher(
            self.core, config.ari, prefix=config.http.prefix, metrics=RestMetrics(self.metrics)
        )
        self._http: HttpServer | None = None
        ari = config.ari
        self.outbound = OutboundApps(
            self.dispatcher, ari.outbound_websockets, config.websocket_clients, websocket_connect
        )
        dialplan = self.core.dialplan
        assert isinstance(dialplan, DialplanInForce)
        self.reloader = Reloader(
            config.config_dir,
            dialplan.replace,
            self.core.info.mark_reloaded,
            set_pjsip=self._reload_pjsip,
            set_ari=self._reload_ari,
            set_moh=self._reload_moh,
            set_websocket_clients=self._reload_websocket_clients,
        )
        self.console = ConsoleService(
            ConsoleContext(
                core=self.core,
                config=config,
                verbosity=self.verbosity,
                reloader=self.reloader,
                stop=self.request_stop,
                contacts=self.pjsip.contact_uris,
                calls=lambda: CallCounts(
                    active=self.pbx.active_calls, processed=self.pbx.processed_calls
                ),
                ari_debug=self.dispatcher.debug,
            )
        )
        self._control: ControlServer | None = None
        #: Set when a stop is asked for (signal or ``core stop``).
        self.stopping = asyncio.Event()
        self._stop_now = asyncio.Event()

    def request_stop(self, graceful: bool) -> None:
        """Ask the server to stop: gracefully (calls may end first) or now."""
        if not graceful:
            self._stop_now.set()
        self.pjsip.accepting_calls = False
        self.stopping.set()

    def reload(self) -> bool:
        """``core reload``/SIGHUP: re-read the reloadable configuration; logs the outcome."""
        outcome = self.reloader.reload_all()
        for line in outcome.lines:
            (log.info if outcome.ok else log.error)("reload: %s", line)
        if outcome.ok:
            log.info("reload: configuration reloaded")
        return outcome.ok

    def _reload_module(self, module: str) -> None:
        """ARI's ``PUT /asterisk/modules/{name}``: a failed file makes the reload fail."""
        outcome = self.reloader.reload_module(module)
        if outcome is not None and not outcome.ok:
            raise RuntimeError("; ".join(outcome.lines))

    def _config_changed(self, config: ServerConfig) -> None:
        self.config = config
        self.console.context.config = config

    def _reload_pjsip(self, pjsip: PjsipConf) -> None:
        """New endpoints answer the next request; removed ones are refused; calls go on."""
        old = self.config.pjsip
        self._config_changed(dataclasses.replace(self.config, pjsip=pjsip))
        self.pjsip.reconfigure(self.config)
        endpoints = self.core.endpoints
        for name in set(old.endpoints) - set(pjsip.endpoints):
            endpoints.remove(f"PJSIP/{name}")
        for name, endpoint in pjsip.endpoints.items():
            if name in old.endpoints:
                continue
            live = any(self.pjsip.contact_uris(aor.name) for aor in pjsip.aors_of(endpoint))
            state = "online" if live else "offline"
            endpoints.add(EndpointSnapshot(technology="PJSIP", resource=name, state=state))

    def _reload_ari(self, ari: AriConf) -> None:
        """New users and options for the next request; open sockets stay open."""
        self._config_changed(dataclasses.replace(self.config, ari=ari))
        self.dispatcher.conf = ari
        self.dispatcher.auth = Authenticator(ari)
        self.dispatcher.cors = CorsPolicy(ari.allowed_origins)
        self.outbound.reconfigure(connections=ari.outbound_websockets)

    def _reload_websocket_clients(self, clients: Mapping[str, WebSocketClient]) -> None:
        """New connection details: outbound ARI WebSockets (restarted where changed) and
        the next media WebSocket channel."""
        self._config_changed(dataclasses.replace(self.config, websocket_clients=clients))
        self.outbound.reconfigure(clients=clients)
        # The next externalMedia / WebSocket/ channel connects with them too.
        self._websocket_media.clients = clients
        self._media_connector.clients = clients

    def _reload_moh(self, moh: MohConf) -> None:
        """New classes for the next music on hold start."""
        self._config_changed(dataclasses.replace(self.config, moh=moh))
        self.core.moh.replace_conf(moh)

    async def shutdown(self) -> None:
        """Stop as asked: let calls end (up to ``grace_s``) unless told now, then :meth:`stop`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.grace_s
        if len(self.core.channels) and not self._stop_now.is_set():
            log.info(
                "stopping gracefully: new calls refused, %d channel(s) have %.0f s to end",
                len(self.core.channels),
                self.grace_s,
            )
        while len(self.core.channels) and not self._stop_now.is_set():
            left = deadline - loop.time()
            if left <= 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop_now.wait(), min(left, 0.1))
        await self.stop()

    async def start(self) -> None:
        """Open the listening sockets."""
        await self.pjsip.start()
        await self._start_control()
        if self.config.ari.enabled:
            self.outbound.start()
        http = self.config.http
        if not http.enabled or not self.config.ari.enabled:
            log.warning("HTTP or ARI is disabled in the configuration: no ARI listener")
            return
        self._http = HttpServer(self.dispatcher, self.metrics)
        await self._http.start(http.bindaddr, http.bindport)
        log.info("ARI listening on http://%s:%d%s/ari", http.bindaddr, http.bindport, http.prefix)

    async def _start_control(self) -> None:
        path = server_socket_path(self.config.asterisk.directories.astrundir)
        control = ControlServer(path, self.console.open_session)
        try:
            await control.start()
        except OSError as exc:
            log.warning("no control socket (ariel -r) at %s: %s", path, exc)
            return
        self._control = control
        self.console.context.control_socket = path
        logging.getLogger("ariel").addHandler(self.console.fanout)

    def flush_recordings(self) -> None:
        """End every live recording, finishing its file (header sizes match the data)."""
        for recording in list(self.core.live_recordings):
            try:
                recording.stop()
            except Exception:
                log.exception("recording %s could not be finished", recording.id)

    async def stop(self) -> None:
        """Close listeners and sockets, then the database; recordings are finished first."""
        self.pjsip.accepting_calls = False
        self.flush_recordings()
        for chan in list(self.core.channels):
            if isinstance(chan, Channel):
                chan.request_hangup(cause=16)
        if self.core.tasks:
            await asyncio.wait(list(self.core.tasks), timeout=2)
        await self.outbound.stop()
        await self.pjsip.stop()
        if self._http is not None:
            await self._http.stop()
            self._http = None
        if self._control is not None:
            logging.getLogger("ariel").removeHandler(self.console.fanout)
            await self._control.stop()
            self._control = None
        self.core.astdb.close()

    def banner(self) -> str:
        """What a user types next: a wscat line and a curl line."""
        http = self.config.http
        host = "localhost" if http.bindaddr in ("127.0.0.1", "0.0.0.0", "::", "") else http.bindaddr
        base = f"{host}:{http.bindport}{http.prefix}"
        user = next(iter(self.config.ari.users.values()), None)
        cred = f"{user.name}:{user.password}" if user is not None else "USER:PASSWORD"
        app = "zarniwoop"
        return (
            f"Ariel is ready. Watch events:\n"
            f'  wscat -c "ws://{base}/ari/events?api_key={cred}&app={app}"\n'
            f"Then call 242 from a phone and play a prompt on its channel:\n"
            f"  curl -v -u {cred} -X POST "
            f'"http://{base}/ari/channels/<channel id>/play?media=sound:hello-world"\n'
        )


class GcPauseLog:
    """Logs garbage-collector passes long enough to delay media (over 20 ms)."""

    def __init__(self, clock: Callable[[], float], limit_s: float = 0.02) -> None:
        self._clock = clock
        self._limit = limit_s
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = self._clock()
        elif self._clock() - self._started > self._limit:
            log.warning(
                "garbage collection of generation %d took %.0f ms (%d collected, %d tracked)",
                info.get("generation", -1),
                (self._clock() - self._started) * 1000,
                info.get("collected", 0),
                len(gc.get_objects()),
            )


class GcPolicy:
    """When full garbage collections run, so they do not stall media.

    A full (generation 2) collection scans every tracked object with the
    event loop stopped: with hundreds of calls up that is tens of
    milliseconds, which every RTP stream hears as a gap. So what startup
    built is frozen out of collections for good, automatic full collections
    are turned off, and this task runs one when no call is up -- or, under
    constant load, every ``busy_period_s`` regardless, so cyclic garbage
    stays bounded. Young generations are still collected automatically.
    """

    def __init__(
        self, core: Core, *, idle_period_s: float = 60.0, busy_period_s: float = 1800.0
    ) -> None:
        self._core = core
        self._idle = idle_period_s
        self._busy = busy_period_s

    async def run(self) -> None:
        """Freeze the startup heap, then collect at quiet moments forever."""
        gc.collect()
        gc.freeze()
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, 1_000_000_000)
        waited = 0.0
        while True:
            await asyncio.sleep(self._idle)
            waited += self._idle
            if len(self._core.channels) == 0 or waited >= self._busy:
                gc.collect()
                waited = 0.0


def serve(
    config: ServerConfig,
    on_ready: Callable[[str], None] | None = None,
    *,
    verbose: int = 0,
    grace_s: float = 5.0,
) -> int:
    """Run a server in the foreground until SIGINT/SIGTERM/``core stop``; the exit status."""
    try:
        import uvloop

        runner: Callable[..., object] = uvloop.run
    except ImportError:  # pragma: no cover - uvloop is a dependency
        runner = asyncio.run

    gc.callbacks.append(GcPauseLog(time.perf_counter))

    async def main() -> int:
        # RTCP doubles the sockets of each call: raise the open-file limit (maxfiles).
        raise_open_file_limit(config.asterisk.options.maxfiles)
        server = Server(config, verbose=verbose, grace_s=grace_s)
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGINT, server.request_stop, False)
        loop.add_signal_handler(signal.SIGTERM, server.request_stop, True)
        loop.add_signal_handler(signal.SIGHUP, server.reload)
        # The call trace reaches the log only up to the server's verbosity.
        logging.getLogger("ariel.verbose").setLevel(logging.INFO)
        verbose_filter = VerboseFilter(server.verbosity)
        for handler in logging.getLogger().handlers:
            handler.addFilter(verbose_filter)
        try:
            await server.start()
        except OSError as exc:
            log.error("cannot listen: %s", exc)
            await server.stop()
            return 1
        gc_task = asyncio.ensure_future(GcPolicy(server.core).run())
        if on_ready is not None:
            on_ready(server.banner())
        await server.stopping.wait()
        gc_task.cancel()
        log.info("shutting down")
        try:
            await server.shutdown()
        except Exception:
            log.exception("shutdown failed")
        return 0

    result = runner(main())
    return int(result) if isinstance(result, int) else 0
