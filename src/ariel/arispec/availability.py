"""Which ARI operations Ariel serves yet, and which wait for later work.

This is the one place to flip: when an issue lands its capability, delete its
operations' lines from `PENDING`. Every operation not listed here is
available. A pending operation keeps its route, its parameter checks and its
place in the api-docs; it answers 501 ``{"message": "Not implemented"}`` until
its line goes away.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

__all__ = ["BRIDGES", "CALLS", "MEDIA", "PENDING"]

CALLS: Final = "calls (issue #3)"
MEDIA: Final = "media (issue #4)"
BRIDGES: Final = "bridges (issue #5)"

_PENDING: dict[str, str] = {
    # endpoints: messaging and REFER need SIP
    "endpoints.sendMessage": CALLS,
    "endpoints.refer": CALLS,
    "endpoints.sendMessageToEndpoint": CALLS,
    "endpoints.referToEndpoint": CALLS,
    # channels: call control
    "channels.redirect": CALLS,
    "channels.mute": CALLS,
    "channels.unmute": CALLS,
    "channels.hold": CALLS,
    "channels.unhold": CALLS,
    "channels.getChannelVars": CALLS,
    "channels.setChannelVars": CALLS,
    "channels.rtpstatistics": CALLS,
    "channels.transfer_progress": CALLS,
    # channels: media
    "channels.sendDTMF": MEDIA,
    "channels.startMoh": MEDIA,
    "channels.stopMoh": MEDIA,
    "channels.startSilence": MEDIA,
    "channels.stopSilence": MEDIA,
    "channels.play": MEDIA,
    "channels.playWithId": MEDIA,
    "channels.record": MEDIA,
    "channels.snoopChannel": MEDIA,
    "channels.snoopChannelWithId": MEDIA,
    "channels.externalMedia": MEDIA,
    # bridges: everything but reading
    "bridges.create": BRIDGES,
    "bridges.createWithId": BRIDGES,
    "bridges.destroy": BRIDGES,
    "bridges.getBridgeVar": BRIDGES,
    "bridges.setBridgeVar": BRIDGES,
    "bridges.getBridgeVars": BRIDGES,
    "bridges.setBridgeVars": BRIDGES,
    "bridges.addChannel": BRIDGES,
    "bridges.removeChannel": BRIDGES,
    "bridges.setVideoSource": BRIDGES,
    "bridges.clearVideoSource": BRIDGES,
    "bridges.startMoh": BRIDGES,
    "bridges.stopMoh": BRIDGES,
    "bridges.play": BRIDGES,
    "bridges.playWithId": BRIDGES,
    "bridges.record": BRIDGES,
    # recordings: everything but reading
    "recordings.cancel": MEDIA,
    "recordings.stop": MEDIA,
    "recordings.pause": MEDIA,
    "recordings.unpause": MEDIA,
    "recordings.mute": MEDIA,
    "recordings.unmute": MEDIA,
    # events: claiming needs broadcast calls (the CallBroadcast dialplan side)
    "events.claimChannel": CALLS,
    # playbacks: control
    "playbacks.stop": MEDIA,
    "playbacks.control": MEDIA,
}

PENDING: Final = MappingProxyType(_PENDING)
"""Operation id (``resource.nickname``) -> the work that will make it available."""
