"""The module catalogue: Ariel's components under Asterisk's module names.

Theory of operation: ARI clients and the Asterisk testsuite manage
``/asterisk/modules`` by Asterisk module name (``res_ari.so``,
``chan_pjsip.so``...). Ariel is one program, so its "modules" are built in;
the catalogue names each component after the Asterisk module it stands for
and keeps a running/not-running flag with Asterisk's rules
(``loader.c``, ``resource_asterisk.c``):

* a module's ``use_count`` is the number of running modules that require it;
* unloading a module in use fails; unloading marks it not running and it
  disappears from the list (as a dlclosed module does);
* loading a known, not-running module starts it (and what it requires);
  loading an unknown or already running one is declined;
* reloading needs a running module that supports reload; the
  ``reload_hook`` (given by the server) does the actual work.

Names match with or without ``.so``, case-insensitively, as
``ast_module_check`` does. Other code may ask :meth:`Modules.is_running`
before offering a feature.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ariel.core.errors import InvalidState, NotFound, OperationFailed

__all__ = ["DEFAULT_MODULES", "ModuleSnapshot", "ModuleSpec", "Modules"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ModuleSpec:
    """One catalogue entry.

    Attributes:
        name: Asterisk module name, with ``.so``.
        description: The reference module's description.
        support_level: ``core``, ``extended`` or ``deprecated``.
        requires: Modules that must be running for this one to run.
        reloadable: Whether ``reload`` is supported.
        autoload: Whether it runs at start-up.
    """

    name: str
    description: str
    support_level: str = "core"
    requires: tuple[str, ...] = ()
    reloadable: bool = False
    autoload: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class ModuleSnapshot:
    """A module as ARI shows it (the ``Module`` model)."""

    name: str
    description: str
    use_count: int
    status: str
    support_level: str


def _m(
    name: str, description: str, *requires: str, reload: bool = False, level: str = "core"
) -> ModuleSpec:
    return ModuleSpec(
        name=name,
        description=description,
        support_level=level,
        requires=tuple(requires),
        reloadable=reload,
    )


_ARI = ("res_ari.so", "res_stasis.so")
_PJSIP = "res_pjsip.so"
_SESSION = "res_pjsip_session.so"

#: The components of Ariel, by the Asterisk modules they stand for.
DEFAULT_MODULES: tuple[ModuleSpec, ...] = (
    _m("res_http_websocket.so", "HTTP WebSocket Support"),
    _m("res_sorcery_config.so", "Sorcery Configuration File Object Wizard"),
    _m("res_sorcery_astdb.so", "Sorcery Astdb Object Wizard"),
    _m("res_sorcery_memory.so", "Sorcery In-Memory Object Wizard"),
    _m("res_stasis.so", "Stasis application support"),
    _m("res_ari.so", "Asterisk RESTful Interface", "res_http_websocket.so", reload=True),
    _m("res_ari_model.so", "ARI Model validators", "res_ari.so"),
    _m("res_ari_applications.so", "RESTful API module - Stasis application resources", *_ARI),
    _m("res_ari_asterisk.so", "RESTful API module - Asterisk resources", *_ARI),
    _m("res_ari_bridges.so", "RESTful API module - Bridge resources", *_ARI),
    _m("res_ari_channels.so", "RESTful API module - Channel resources", *_ARI),
    _m("res_ari_device_states.so", "RESTful API module - Device state resources", *_ARI),
    _m("res_ari_endpoints.so", "RESTful API module - Endpoint resources", *_ARI),
    _m("res_ari_events.so", "RESTful API module - WebSocket resource", *_ARI),
    _m("res_ari_mailboxes.so", "RESTful API module - Mailboxes resources", *_ARI),
    _m("res_ari_playbacks.so", "RESTful API module - Playback control resources", *_ARI),
    _m("res_ari_recordings.so", "RESTful API module - Recording resources", *_ARI),
    _m("res_ari_sounds.so", "RESTful API module - Sound resources", *_ARI),
    _m("app_stasis.so", "Stasis dialplan application", "res_stasis.so"),
    _m("res_stasis_answer.so", "Stasis application answer support", "res_stasis.so"),
    _m("res_stasis_device_state.so", "Stasis application device state support", "res_stasis.so"),
    _m("res_mwi_external.so", "Core external MWI resource"),
    _m(
        "res_stasis_mailbox.so",
        "Stasis application mailbox support",
        "res_stasis.so",
        "res_mwi_external.so",
    ),
    _m("res_stasis_playback.so", "Stasis application playback support", "res_stasis.so"),
    _m("res_stasis_recording.so", "Stasis application recording support", "res_stasis.so"),
    _m("res_stasis_snoop.so", "Stasis application snoop support", "res_stasis.so"),
    _m("res_rtp_asterisk.so", "Asterisk RTP Stack", reload=True),
    _m(_PJSIP, "Basic SIP resource", "res_sorcery_config.so", reload=True),
    _m(_SESSION, "PJSIP Session resource", _PJSIP),
    _m("chan_pjsip.so", "PJSIP Channel Driver", _PJSIP, _SESSION),
    _m("res_pjsip_authenticator_digest.so", "PJSIP authentication resource", _PJSIP),
    _m("res_pjsip_endpoint_identifier_user.so", "PJSIP username endpoint identifier", _PJSIP),
    _m("res_pjsip_endpoint_identifier_ip.so", "PJSIP IP endpoint identifier", _PJSIP, reload=True),
    _m("res_pjsip_registrar.so", "PJSIP Registrar Support", _PJSIP),
    _m(
        "res_pjsip_outbound_registration.so",
        "PJSIP Outbound Registration Support",
        _PJSIP,
        reload=True,
    ),
    _m("res_pjsip_sdp_rtp.so", "PJSIP SDP RTP/AVP stream handler", _SESSION, "res_rtp_asterisk.so"),
    _m("res_pjsip_caller_id.so", "PJSIP Caller ID Support", _SESSION),
    _m("res_pjsip_dtmf_info.so", "PJSIP DTMF INFO Support", _SESSION),
    _m("res_pjsip_messaging.so", "PJSIP Messaging Support", _SESSION),
    _m("res_pjsip_refer.so", "PJSIP Blind and Attended Transfer Support", _SESSION),
    _m("res_musiconhold.so", "Music On Hold Resource", reload=True),
    _m("pbx_config.so", "Text Extension Configuration", reload=True),
    _m("app_dial.so", "Dialing Application"),
    _m("app_echo.so", "Simple Echo Application"),
    _m("app_playback.so", "Sound File Playback Application"),
    _m("app_userevent.so", "Custom User Event Application"),
    _m(
        "func_callerid.so",
        "Party ID related dialplan functions (Caller-ID, Connected-line, Redirecting)",
    ),
    _m("func_channel.so", "Channel information dialplan functions"),
    _m("func_global.so", "Variable functions"),
    _m("codec_ulaw.so", "mu-Law Coder/Decoder"),
    _m("codec_alaw.so", "A-law Coder/Decoder"),
    _m("format_wav.so", "Microsoft WAV/WAV16 format (8kHz/16kHz Signed Linear)"),
    _m("format_pcm.so", "Raw/Sun uLaw/ALaw 8KHz (PCM,PCMA,AU), G.722 16Khz"),
    _m("format_sln.so", "Raw Signed Linear Audio support (SLN) 8khz-192khz"),
)


def _key(name: str) -> str:
    low = name.strip().lower()
    return low[:-3] if low.endswith(".so") else low


class Modules:
    """Running state of the module catalogue.

    Args:
        catalogue: The modules that exist; those with ``autoload`` start running.
        reload_hook: Called with the module name to reload it; an exception
            makes the reload fail (409).
        on_change: Called with the module's snapshot after load, unload and reload.
    """

    def __init__(
        self,
        catalogue: Sequence[ModuleSpec] = DEFAULT_MODULES,
        *,
        reload_hook: Callable[[str], object] | None = None,
        on_change: Callable[[ModuleSnapshot], None] | None = None,
    ) -> None:
        self._specs = {_key(spec.name): spec for spec in catalogue}
        self._running = {key for key, spec in self._specs.items() if spec.autoload}
        self._reload_hook = reload_hook
        self._on_change = on_change

    def _spec(self, name: str) -> ModuleSpec | None:
        return self._specs.get(_key(name))

    def is_running(self, name: str) -> bool:
        """Whether ``name`` is a known, running module."""
        return _key(name) in self._running

    def _dependents(self, key: str) -> list[str]:
        return [k for k in self._running if any(_key(r) == key for r in self._specs[k].requires)]

    def _snapshot(self, key: str) -> ModuleSnapshot:
        spec = self._specs[key]
        return ModuleSnapshot(
            name=spec.name,
            description=spec.description,
            use_count=len(self._dependents(key)) if key in self._running else 0,
            status="Running" if key in self._running else "Not Running",
            support_level=spec.support_level,
        )

    def list(self) -> list[ModuleSnapshot]:
        """The running modules, in catalogue order."""
        return [self._snapshot(key) for key in self._specs if key in self._running]

    def get(self, name: str) -> ModuleSnapshot:
        """One running module.

        Raises:
            NotFound: not a running module
                ("Module could not be found in running modules").
        """
        if not self.is_running(name):
            raise NotFound("Module could not be found in running modules")
        return self._snapshot(_key(name))

    def load(self, name: str) -> ModuleSnapshot:
        """Start a module that is not running, with what it requires.

        Raises:
            InvalidState: it is already running ("Module is already loaded").
            NotFound: no such module, or a requirement is unknown
                ("Module load declined").
        """
        if self.is_running(name):
            raise InvalidState("Module is already loaded")
        order: builtins.list[str] = []
        self._plan_load(_key(name), order, set())
        for key in order:
            if key not in self._running:
                self._running.add(key)
                self._notify(key)
        return self._snapshot(_key(name))

    def _plan_load(self, key: str, order: builtins.list[str], seen: set[str]) -> None:
        spec = self._specs.get(key)
        if spec is None:
            raise NotFound("Module load declined")
        if key in seen:
            return
        seen.add(key)
        for required in spec.requires:
            self._plan_load(_key(required), order, seen)
        order.append(key)

    def unload(self, name: str) -> None:
        """Stop a running module that nothing running requires.

        Raises:
            NotFound: not a running module ("Module not found in running modules").
            InvalidState: running modules require it ("Module could not be unloaded").
        """
        key = _key(name)
        if key not in self._running:
            raise NotFound("Module not found in running modules")
        if self._dependents(key):
            raise InvalidState("Module could not be unloaded")
        self._running.discard(key)
        self._notify(key)

    def reload(self, name: str) -> None:
        """Reload a running module.

        Raises:
            NotFound: not a running module ("Module not found in running modules").
            InvalidState: it cannot reload ("Module does not support reloading").
            OperationFailed: the reload hook failed
                ("An unknown error occurred while reloading the module").
        """
        key = _key(name)
        if key not in self._running:
            raise NotFound("Module not found in running modules")
        spec = self._specs[key]
        if not spec.reloadable:
            raise InvalidState("Module does not support reloading")
        if self._reload_hook is not None:
            try:
                self._reload_hook(spec.name)
            except Exception as exc:
                raise OperationFailed(
                    "An unknown error occurred while reloading the module"
                ) from exc
        self._notify(key)

    def _notify(self, key: str) -> None:
        if self._on_change is not None:
            self._on_change(self._snapshot(key))
