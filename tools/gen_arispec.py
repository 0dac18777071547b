#!/usr/bin/env python3
"""Write the ``ariel.arispec`` declarations from the reference's ARI catalogue.

A bootstrap tool, run once: it reads ``ari-surface.json`` (the machine-readable
facts of every ARI operation, parameter, model and event of the reference),
adds our own prose (summaries and descriptions, written for Ariel; the
catalogue carries none) and the few facts the catalogue leaves to the C
handlers (success codes, the handlers' messages for missing parameters), and
writes one Python module per resource under ``src/ariel/arispec/resources`` and
the models under ``src/ariel/arispec/models``. The output is then formatted
with ``ruff format``.

From then on the generated modules are the source of truth and are edited by
hand; running this again overwrites such edits. ``tests/arispec`` checks the
declarations against the catalogue whenever the catalogue is present.

Usage::

    python tools/gen_arispec.py [path/to/ari-surface.json]
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PKG = REPO / "src" / "ariel" / "arispec"
SURFACE_CANDIDATES = (
    Path("/work/shared/ari/ari-surface.json"),
    REPO.parent / "shared" / "ari" / "ari-surface.json",
)

# The descriptions the reference's /ari/api-docs/resources.json carries: wire
# facts that clients may show, kept verbatim.
RESOURCE_DESCRIPTIONS = {
    "asterisk": "Asterisk resources",
    "endpoints": "Endpoint resources",
    "channels": "Channel resources",
    "bridges": "Bridge resources",
    "recordings": "Recording resources",
    "sounds": "Sound resources",
    "playbacks": "Playback control resources",
    "deviceStates": "Device state resources",
    "mailboxes": "Mailboxes resources",
    "events": "WebSocket resource",
    "applications": "Stasis application resources",
}

CREATED = {
    "channels.play",
    "channels.playWithId",
    "channels.record",
    "bridges.play",
    "bridges.playWithId",
    "bridges.record",
}
ACCEPTED = {
    "asterisk.reloadModule",
    "endpoints.sendMessage",
    "endpoints.refer",
    "endpoints.sendMessageToEndpoint",
    "endpoints.referToEndpoint",
}

# The reference handlers' 400 messages for an absent or empty required value,
# as seen in the conformance traces (and the handlers they come from).
MISSING_MESSAGES = {
    "asterisk.getGlobalVar.variable": "Variable name is required",
    "asterisk.setGlobalVar.variable": "Variable name is required",
    "channels.originate.endpoint": "Endpoint must be specified",
    "channels.originateWithId.endpoint": "Endpoint must be specified",
    "channels.getChannelVar.variable": "Variable name is required",
    "channels.setChannelVar.variable": "Variable name is required",
    "channels.sendDTMF.dtmf": "DTMF is required",
    "channels.externalMedia.app": "app cannot be empty",
    "bridges.addChannel.channel": "Missing parameter channel",
    "bridges.removeChannel.channel": "Missing parameter channel",
    "playbacks.control.operation": "Missing operation",
    "events.userEvent.application": "Missing parameter application",
    "applications.subscribe.eventSource": "Missing parameter eventSource",
    "applications.unsubscribe.eventSource": "Missing parameter eventSource",
}

# Our own one-line summaries, one per operation.
OP_SUMMARY = {
    "asterisk.getObject": "Read one dynamic configuration object.",
    "asterisk.updateObject": "Create or replace a dynamic configuration object.",
    "asterisk.deleteObject": "Remove a dynamic configuration object.",
    "asterisk.getInfo": "Describe this server: build, system, configuration and status.",
    "asterisk.ping": "Check that the server answers; returns its id and the time.",
    "asterisk.listModules": "List the loaded modules.",
    "asterisk.getModule": "Describe one loaded module.",
    "asterisk.loadModule": "Load a module.",
    "asterisk.unloadModule": "Unload a module.",
    "asterisk.reloadModule": "Reload a module.",
    "asterisk.listLogChannels": "List the configured log channels.",
    "asterisk.addLog": "Create a log channel that records the given levels.",
    "asterisk.deleteLog": "Remove a log channel.",
    "asterisk.rotateLog": "Rotate the file of a log channel.",
    "asterisk.getGlobalVar": "Read a global variable or dialplan function.",
    "asterisk.setGlobalVar": "Set a global variable or dialplan function.",
    "endpoints.list": "List every endpoint.",
    "endpoints.sendMessage": "Send a text message to a URI; the URI picks the technology.",
    "endpoints.refer": "Send an out-of-dialog REFER to a URI.",
    "endpoints.listByTech": "List the endpoints of one channel technology.",
    "endpoints.get": "Describe one endpoint.",
    "endpoints.sendMessageToEndpoint": "Send a text message to one endpoint.",
    "endpoints.referToEndpoint": "Send an out-of-dialog REFER to one endpoint.",
    "channels.list": "List the active channels.",
    "channels.originate": "Call an endpoint and hand the call to an application or the dialplan.",
    "channels.create": "Create a channel without dialing it yet.",
    "channels.get": "Describe one channel.",
    "channels.originateWithId": "Call an endpoint using a channel id chosen by the client.",
    "channels.hangup": "Hang up a channel.",
    "channels.continueInDialplan": "Leave the application and carry on in the dialplan.",
    "channels.move": "Hand a channel over to another application.",
    "channels.redirect": "Send a channel to another endpoint of its technology.",
    "channels.answer": "Answer a channel.",
    "channels.ring": "Play ringing to a channel.",
    "channels.ringStop": "Stop playing ringing to a channel.",
    "channels.progress": "Send a progress indication (early media) to a channel.",
    "channels.sendDTMF": "Send DTMF digits to a channel.",
    "channels.mute": "Mute a channel in one or both directions.",
    "channels.unmute": "Unmute a channel in one or both directions.",
    "channels.hold": "Put a channel on hold.",
    "channels.unhold": "Take a channel off hold.",
    "channels.startMoh": "Play music on hold to a channel.",
    "channels.stopMoh": "Stop the music on hold of a channel.",
    "channels.startSilence": "Play silence to a channel.",
    "channels.stopSilence": "Stop playing silence to a channel.",
    "channels.play": "Start playing media to a channel.",
    "channels.playWithId": "Start playing media to a channel under a playback id of the client.",
    "channels.record": "Start recording a channel.",
    "channels.getChannelVar": "Read a channel variable or dialplan function.",
    "channels.setChannelVar": "Set a channel variable or dialplan function.",
    "channels.getChannelVars": "Read several channel variables at once.",
    "channels.setChannelVars": "Set several channel variables at once.",
    "channels.snoopChannel": "Create a channel that listens to or speaks into another one.",
    "channels.snoopChannelWithId": "Create a snoop channel under an id chosen by the client.",
    "channels.dial": "Dial a channel that was created but not dialed yet.",
    "channels.rtpstatistics": "Report the RTP statistics of a channel.",
    "channels.externalMedia": "Create a channel that exchanges media with an external host.",
    "channels.transfer_progress": "Report the progress of a transfer the application handles.",
    "bridges.list": "List the active bridges.",
    "bridges.create": "Create a bridge.",
    "bridges.createWithId": "Create a bridge under an id chosen by the client.",
    "bridges.get": "Describe one bridge.",
    "bridges.destroy": "Destroy a bridge; its channels stay in their application.",
    "bridges.getBridgeVar": "Read a bridge variable.",
    "bridges.setBridgeVar": "Set a bridge variable.",
    "bridges.getBridgeVars": "Read several bridge variables at once.",
    "bridges.setBridgeVars": "Set several bridge variables at once.",
    "bridges.addChannel": "Put one or more channels into a bridge.",
    "bridges.removeChannel": "Take one or more channels out of a bridge.",
    "bridges.setVideoSource": "Make one channel the video source of a bridge.",
    "bridges.clearVideoSource": "Let the bridge choose its video source again.",
    "bridges.startMoh": "Play music on hold to a bridge.",
    "bridges.stopMoh": "Stop the music on hold of a bridge.",
    "bridges.play": "Start playing media to a bridge.",
    "bridges.playWithId": "Start playing media to a bridge under a playback id of the client.",
    "bridges.record": "Start recording a bridge.",
    "recordings.listStored": "List the stored recordings.",
    "recordings.getStored": "Describe one stored recording.",
    "recordings.deleteStored": "Delete a stored recording.",
    "recordings.getStoredFile": "Download the audio file of a stored recording.",
    "recordings.copyStored": "Copy a stored recording under another name.",
    "recordings.getLive": "Describe a recording in progress.",
    "recordings.cancel": "Stop a live recording and throw it away.",
    "recordings.stop": "Stop a live recording and keep it.",
    "recordings.pause": "Pause a live recording.",
    "recordings.unpause": "Resume a paused live recording.",
    "recordings.mute": "Mute a live recording; silence is recorded meanwhile.",
    "recordings.unmute": "Unmute a live recording.",
    "sounds.list": "List the sound files the server can play.",
    "sounds.get": "Describe one sound file.",
    "playbacks.get": "Describe one playback.",
    "playbacks.stop": "Stop a playback.",
    "playbacks.control": "Pause, resume, restart, rewind or fast-forward a playback.",
    "deviceStates.list": "List the device states that applications control.",
    "deviceStates.get": "Read the state of one device.",
    "deviceStates.update": "Set the state of a device that applications control.",
    "deviceStates.delete": "Forget a device state that applications control.",
    "mailboxes.list": "List the mailboxes that applications control.",
    "mailboxes.get": "Read the message counts of one mailbox.",
    "mailboxes.update": "Set the message counts of a mailbox.",
    "mailboxes.delete": "Forget a mailbox.",
    "events.eventWebsocket": "Open the WebSocket that carries events to applications.",
    "events.userEvent": "Send an event of the client's own to an application.",
    "events.claimChannel": "Claim a broadcast channel for an application; the first claim wins.",
    "applications.list": "List the registered applications.",
    "applications.get": "Describe one application.",
    "applications.subscribe": "Subscribe an application to the events of a source.",
    "applications.unsubscribe": "Unsubscribe an application from the events of a source.",
    "applications.filter": "Set which event types an application receives.",
}

# Our own parameter descriptions: by name, then per operation where the same
# name means something else.
PARAM_TEXT = {
    "configClass": "Configuration class, e.g. res_pjsip.",
    "objectType": "Object type within that class, e.g. endpoint.",
    "id": "Id of the configuration object.",
    "fields": "Body whose `fields` key lists the attribute/value pairs to set.",
    "only": "Sections to return (build, system, config, status); all when omitted.",
    "moduleName": "Module file name, e.g. res_ari.so.",
    "logChannelName": "Name of the log channel (a file name, or console).",
    "configuration": "Comma-separated levels the channel records, e.g. notice,warning.",
    "variable": "Name of the variable or dialplan function.",
    "value": "Value to set; an empty value unsets the variable.",
    "to": "Destination URI, e.g. pjsip:alice.",
    "from": "Sender shown to the recipient.",
    "body": "Text of the message.",
    "variables": "Body whose `variables` key holds extra name/value pairs.",
    "refer_to": "URI the peer is asked to contact.",
    "to_self": "When the target is one of our endpoints, point it back at this server.",
    "tech": "Channel technology, e.g. PJSIP.",
    "resource": "Endpoint name within the technology.",
    "endpoint": "Endpoint to call, e.g. PJSIP/alice.",
    "extension": "Dialplan extension to run once the call is answered.",
    "context": "Dialplan context of that extension.",
    "priority": "Dialplan priority to start at.",
    "label": "Dialplan label to start at, instead of a priority.",
    "app": "Application that receives the channel.",
    "appArgs": "Comma-separated arguments passed to the application.",
    "callerId": 'Caller ID to present, e.g. "Alice" <1234>.',
    "timeout": "Seconds to wait for an answer.",
    "channelId": "Id of the channel.",
    "otherChannelId": "Id for the second half of a Local channel pair.",
    "originator": "Channel that causes this one to exist (linked id, formats).",
    "formats": "Comma-separated audio formats to offer, e.g. ulaw,alaw.",
    "reason_code": "Numeric hangup cause to report.",
    "reason": "Named hangup cause to report.",
    "dtmf": "Digits to send (0-9, A-D, *, #).",
    "before": "Milliseconds to wait before the first digit.",
    "between": "Milliseconds to wait between digits.",
    "duration": "Milliseconds each digit lasts.",
    "after": "Milliseconds to wait after the last digit.",
    "direction": "Which audio is affected: in, out or both.",
    "mohClass": "Music on hold class to play.",
    "media": "Media URIs to play one after another, e.g. sound:hello-world.",
    "lang": "Language of the sound files to play.",
    "offsetms": "Milliseconds to skip at the start of the first item.",
    "skipms": "Milliseconds to jump when rewinding or fast-forwarding.",
    "playbackId": "Id of the playback.",
    "name": "Name of the recording (a file name without extension).",
    "format": "File format of the recording, e.g. wav.",
    "maxDurationSeconds": "Stop after this many seconds; 0 for no limit.",
    "maxSilenceSeconds": "Stop after this many seconds of silence; 0 for no limit.",
    "ifExists": "What to do when a recording of that name already exists.",
    "beep": "Play a beep before recording starts.",
    "terminateOn": "DTMF digit that ends the recording.",
    "report_events": "Also show the variable in every later event about the object.",
    "spy": "Audio to listen to: none, in, out or both.",
    "whisper": "Audio to speak into: none, in, out or both.",
    "snoopId": "Id of the snoop channel.",
    "caller": "Channel doing the dialing, for linked ids and caller ID.",
    "external_host": "host:port of the media peer, or a configured websocket client.",
    "encapsulation": "How media is framed on the wire.",
    "transport": "Transport carrying the media.",
    "connection_type": "Whether this server connects out or waits for the peer.",
    "data": "Extra data for the encapsulation, e.g. an AudioSocket UUID.",
    "transport_data": "Extra transport options passed to the channel driver.",
    "states": "Progress state of the transfer.",
    "type": "Comma-separated bridge type attributes, e.g. mixing,dtmf_events.",
    "bridgeId": "Id of the bridge.",
    "channel": "Ids of the channels, comma-separated.",
    "role": "Role the channel takes in the bridge.",
    "absorbDTMF": "Keep the DTMF of the channel out of the bridge.",
    "mute": "Keep the audio of the channel out of the bridge.",
    "inhibitConnectedLineUpdates": "Do not send connected line updates when it joins.",
    "announcer_format": "Audio format of the channel that plays to the bridge.",
    "recorder_format": "Audio format of the channel that records the bridge.",
    "recordingName": "Name of the recording.",
    "destinationRecordingName": "Name of the copy.",
    "soundId": "Name of the sound.",
    "operation": "What to do with the playback.",
    "deviceName": "Name of the device, e.g. Stasis:lamp.",
    "deviceState": "New state of the device.",
    "mailboxName": "Name of the mailbox.",
    "oldMessages": "Number of read messages.",
    "newMessages": "Number of unread messages.",
    "subscribeAll": "Subscribe the applications to every event source.",
    "eventName": "Name of the user event.",
    "application": "Application that receives the event.",
    "source": "Objects the event is about: channel:, bridge:, endpoint: or deviceState: URIs.",
    "applicationName": "Name of the application.",
    "eventSource": (
        "Event source URIs: channel:ID, bridge:ID, endpoint:TECH[/RES], deviceState:NAME."
    ),
    "filter": 'Body with `allowed` and `disallowed` lists of {"type": NAME} entries.',
}

NEW_CHANNEL_VARS = "Body whose `variables` key sets variables on the new channel."
NEW_BRIDGE_VARS = "Body whose `variables` key sets variables on the new bridge."

PARAM_TEXT_BY_OP = {
    "channels.originate.channelId": "Id for the new channel; one is made up when omitted.",
    "channels.create.channelId": "Id for the new channel; one is made up when omitted.",
    "channels.externalMedia.channelId": "Id for the new channel; one is made up when omitted.",
    "events.claimChannel.channelId": "Id of the broadcast channel to claim.",
    "bridges.setVideoSource.channelId": "Channel whose video the bridge shows.",
    "channels.originate.variables": NEW_CHANNEL_VARS,
    "channels.originateWithId.variables": NEW_CHANNEL_VARS,
    "channels.create.variables": NEW_CHANNEL_VARS,
    "channels.externalMedia.variables": NEW_CHANNEL_VARS,
    "bridges.create.variables": NEW_BRIDGE_VARS,
    "bridges.createWithId.variables": NEW_BRIDGE_VARS,
    "channels.getChannelVars.variables": "Names of the variables to read, comma-separated.",
    "bridges.getBridgeVars.variables": "Names of the variables to read, comma-separated.",
    "channels.setChannelVars.variables": (
        "Body whose `variables` key maps names to values or to {value, report_events}."
    ),
    "bridges.setBridgeVars.variables": (
        "Body whose `variables` key maps names to values or to {value, report_events}."
    ),
    "endpoints.sendMessage.variables": "Body whose `variables` key holds extra message headers.",
    "endpoints.sendMessageToEndpoint.variables": (
        "Body whose `variables` key holds extra message headers."
    ),
    "endpoints.refer.variables": "Body whose `variables` key holds extra REFER headers.",
    "endpoints.referToEndpoint.variables": "Body whose `variables` key holds extra REFER headers.",
    "events.userEvent.variables": "Body whose `variables` key holds fields added to the event.",
    "endpoints.sendMessageToEndpoint.from": "Sender shown to the recipient.",
    "channels.continueInDialplan.context": "Context to carry on in; the current one by default.",
    "channels.continueInDialplan.extension": "Extension to go on at; the current one by default.",
    "channels.continueInDialplan.priority": "Priority to carry on at.",
    "channels.continueInDialplan.label": "Label to carry on at, instead of a priority.",
    "channels.redirect.endpoint": "Endpoint to send the channel to, of the same technology.",
    "channels.move.app": "Application to move the channel to.",
    "channels.snoopChannel.app": "Application that receives the snoop channel.",
    "channels.snoopChannelWithId.app": "Application that receives the snoop channel.",
    "channels.create.app": "Application that receives the channel once it is dialed.",
    "channels.externalMedia.app": "Application that receives the new channel.",
    "channels.snoopChannel.snoopId": "Id for the snoop channel; one is made up when omitted.",
    "channels.dial.timeout": "Seconds to wait for an answer; 0 waits without limit.",
    "channels.play.playbackId": "Id for the playback; one is made up when omitted.",
    "bridges.play.playbackId": "Id for the playback; one is made up when omitted.",
    "channels.mute.direction": "Audio to mute: in, out or both.",
    "channels.unmute.direction": "Audio to unmute: in, out or both.",
    "channels.externalMedia.direction": "Direction media flows in.",
    "channels.externalMedia.format": "Audio format of the stream, e.g. ulaw.",
    "sounds.list.lang": "Only list sounds that exist in this language.",
    "sounds.list.format": "Only list sounds that exist in this format.",
    "bridges.create.name": "Name of the bridge, for people.",
    "bridges.createWithId.name": "Name of the bridge, for people.",
    "bridges.create.bridgeId": "Id for the new bridge; one is made up when omitted.",
    "bridges.createWithId.type": "Comma-separated bridge type attributes, e.g. mixing,dtmf_events.",
    "events.claimChannel.application": "Application that claims the channel.",
    "events.eventWebsocket.app": "Applications to register on this socket, comma-separated.",
}

MODEL_TEXT = {
    "BuildInfo": "How and where this server was built.",
    "SystemInfo": "Version and identity of this server.",
    "SetId": "User and group the server runs as.",
    "ConfigInfo": "Main configuration settings of the server.",
    "StatusInfo": "When the server started and last reloaded.",
    "AsteriskInfo": "Information about the server, by section.",
    "AsteriskPing": "Answer to a ping.",
    "Module": "A loaded module.",
    "LogChannel": "A configured log channel.",
    "Variable": "The value of one variable.",
    "Variables": "Several variables and their values.",
    "ConfigTuple": "One attribute of a configuration object.",
    "Endpoint": "Something calls are placed to or received from, such as a SIP peer.",
    "TextMessage": "A text message to or from an endpoint.",
    "Dialed": "A dialed party (carries no fields yet).",
    "DialplanCEP": "A place in the dialplan: context, extension and priority.",
    "CallerID": "A name and number identifying a party.",
    "RTPstat": "Statistics of the RTP stream of a channel.",
    "Channel": "One leg of a call.",
    "Bridge": "A group of channels that exchange media.",
    "StoredRecording": "A finished recording kept on disk.",
    "LiveRecording": "A recording in progress or just ended.",
    "FormatLangPair": "One format and language a sound exists in.",
    "Sound": "A sound file the server can play.",
    "Playback": "Media being played to a channel or bridge.",
    "DeviceState": "The state of a device.",
    "Mailbox": "Message counts of a mailbox.",
    "Message": "Base of everything sent on the event WebSocket.",
    "MissingParams": "Error sent when a request lacked required parameters.",
    "Event": "Base of the events sent to applications.",
    "ContactInfo": "Reachability of a SIP contact.",
    "Peer": "Status of a peer.",
    "DeviceStateChanged": "A device changed state.",
    "PlaybackStarted": "A playback started.",
    "PlaybackContinuing": "A playback moved on to its next media item.",
    "PlaybackFinished": "A playback ended.",
    "RecordingStarted": "A recording started.",
    "RecordingFinished": "A recording ended.",
    "RecordingFailed": "A recording failed.",
    "ApplicationMoveFailed": "A channel could not be moved to another application.",
    "ApplicationRegistered": "The application was registered.",
    "ApplicationUnregistered": "The application was unregistered.",
    "ApplicationReplaced": "Another WebSocket took this application over.",
    "BridgeCreated": "A bridge was created.",
    "BridgeDestroyed": "A bridge was destroyed.",
    "BridgeMerged": "One bridge was merged into another.",
    "BridgeVideoSourceChanged": "The video source of a bridge changed.",
    "BridgeBlindTransfer": "A blind transfer took place.",
    "BridgeAttendedTransfer": "An attended transfer took place.",
    "ChannelCreated": "A channel was created.",
    "ChannelDestroyed": "A channel was destroyed.",
    "ChannelEnteredBridge": "A channel joined a bridge.",
    "ChannelLeftBridge": "A channel left a bridge.",
    "ChannelStateChange": "A channel changed state.",
    "ChannelDtmfReceived": "A DTMF digit ended on a channel.",
    "ChannelDialplan": "A channel moved to another place in the dialplan.",
    "ChannelCallerId": "The caller ID of a channel changed.",
    "ChannelUserevent": "A user event, carrying the fields its sender chose.",
    "ChannelHangupRequest": "A hangup of a channel was asked for.",
    "ChannelVarset": "A variable was set.",
    "ChannelHold": "A channel put its media on hold.",
    "ChannelUnhold": "A channel took its media off hold.",
    "ChannelToneDetected": "A tone was detected on a channel.",
    "ChannelTalkingStarted": "Someone started talking on a channel.",
    "ChannelTalkingFinished": "Someone stopped talking on a channel.",
    "ContactStatusChange": "The reachability of a SIP contact changed.",
    "PeerStatusChange": "The status of a peer changed.",
    "EndpointStateChange": "An endpoint changed state.",
    "Dial": "Progress of a dial attempt.",
    "StasisEnd": "A channel left the application.",
    "StasisStart": "A channel entered the application.",
    "TextMessageReceived": "A text message arrived.",
    "ChannelConnectedLine": "The connected line of a channel changed.",
    "ChannelTransfer": "A transfer request left to the application.",
    "ReferTo": "Where a transfer request asks to go.",
    "ReferredBy": "Who sent a transfer request.",
    "RequiredDestination": "The destination a transfer request names.",
    "AdditionalParam": "An extra protocol parameter of a transfer request.",
    "RESTHeader": "One HTTP header of a request sent over the WebSocket.",
    "RESTQueryStringParameter": "One query parameter of a request sent over the WebSocket.",
    "RESTRequest": "A REST request sent on the event WebSocket.",
    "RESTResponse": "The answer to a REST request sent on the event WebSocket.",
    "CallBroadcast": "A channel is offered to several applications.",
    "CallClaimed": "A broadcast channel was claimed.",
    "Application": "A Stasis application and what it is subscribed to.",
}

# Field descriptions: by name, then per model where needed.
FIELD_TEXT = {
    "channel": "The channel concerned.",
    "bridge": "The bridge concerned.",
    "endpoint": "The endpoint concerned.",
    "playback": "The playback concerned.",
    "recording": "The recording concerned.",
    "replace_channel": "Channel that takes the place of another one.",
    "transferee": "Channel being transferred.",
    "result": "Outcome of the transfer.",
    "is_external": "Whether the transfer was started from outside the server.",
    "args": "Arguments passed to the application.",
    "name": "Name.",
    "id": "Unique id.",
    "state": "Current state.",
    "value": "Value.",
    "format": "Audio format.",
    "language": "Language.",
    "technology": "Channel technology, e.g. PJSIP.",
    "resource": "Name within the technology.",
    "creationtime": "When it was created.",
    "cause": "Hangup cause code.",
    "tech_cause": "Cause code of the channel technology, e.g. a SIP status.",
    "uri": "URI.",
    "variables": "Name/value pairs.",
    "transaction_id": "Id of the transaction, echoed from the request.",
    "request_id": "Id of the request, echoed from the request.",
    "content_type": "Content type of the message body.",
    "message_body": "Body, as a string.",
    "connected_channel": "Channel connected to it.",
    "duration": "Duration in seconds.",
}

FIELD_TEXT_BY_MODEL = {
    "BuildInfo.os": "Operating system.",
    "BuildInfo.kernel": "Kernel version.",
    "BuildInfo.options": "Compile-time options.",
    "BuildInfo.machine": "Machine architecture.",
    "BuildInfo.date": "When the build was made.",
    "BuildInfo.user": "Who made the build.",
    "SystemInfo.version": "Server version.",
    "SystemInfo.entity_id": "Entity id of this system (a MAC-like address).",
    "SetId.user": "User name.",
    "SetId.group": "Group name.",
    "ConfigInfo.name": "System name, if set.",
    "ConfigInfo.default_language": "Language used when none is set.",
    "ConfigInfo.max_channels": "Most channels allowed at once.",
    "ConfigInfo.max_open_files": "Most files allowed open at once.",
    "ConfigInfo.max_load": "Load above which new calls are refused.",
    "ConfigInfo.setid": "User and group the server runs as.",
    "StatusInfo.startup_time": "When the server started.",
    "StatusInfo.last_reload_time": "When the configuration was last reloaded.",
    "AsteriskInfo.build": "Build section.",
    "AsteriskInfo.system": "System section.",
    "AsteriskInfo.config": "Configuration section.",
    "AsteriskInfo.status": "Status section.",
    "AsteriskPing.asterisk_id": "Entity id of the server.",
    "AsteriskPing.ping": "Always pong.",
    "AsteriskPing.timestamp": "Time of the answer.",
    "Module.name": "File name of the module.",
    "Module.description": "What the module does.",
    "Module.use_count": "How many users hold the module.",
    "Module.status": "Whether it is running.",
    "Module.support_level": "Support level (core, extended, deprecated).",
    "LogChannel.channel": "Name of the log channel.",
    "LogChannel.type": "Kind of log channel (file, console, syslog).",
    "LogChannel.status": "Whether it is enabled.",
    "LogChannel.configuration": "Levels it records.",
    "Variable.value": "Value of the variable.",
    "Variables.variables": "Variable names mapped to their values.",
    "ConfigTuple.attribute": "Attribute name.",
    "ConfigTuple.value": "Attribute value.",
    "Endpoint.resource": "Name of the endpoint within its technology.",
    "Endpoint.state": "Whether the endpoint is reachable.",
    "Endpoint.channel_ids": "Ids of the channels of this endpoint.",
    "TextMessage.from": "Sender.",
    "TextMessage.to": "Recipient.",
    "TextMessage.body": "Text of the message.",
    "TextMessage.variables": "Technology-specific extras, such as headers.",
    "DialplanCEP.context": "Dialplan context.",
    "DialplanCEP.exten": "Dialplan extension.",
    "DialplanCEP.priority": "Dialplan priority.",
    "DialplanCEP.app_name": "Dialplan application running there.",
    "DialplanCEP.app_data": "Arguments of that application.",
    "CallerID.name": "Name shown.",
    "CallerID.number": "Number shown.",
    "RTPstat.txcount": "Packets sent.",
    "RTPstat.rxcount": "Packets received.",
    "RTPstat.txjitter": "Jitter of sent packets.",
    "RTPstat.rxjitter": "Jitter of received packets.",
    "RTPstat.remote_maxjitter": "Largest jitter the far end reports.",
    "RTPstat.remote_minjitter": "Smallest jitter the far end reports.",
    "RTPstat.remote_normdevjitter": "Mean jitter the far end reports.",
    "RTPstat.remote_stdevjitter": "Standard deviation of the jitter the far end reports.",
    "RTPstat.local_maxjitter": "Largest jitter seen here.",
    "RTPstat.local_minjitter": "Smallest jitter seen here.",
    "RTPstat.local_normdevjitter": "Mean jitter seen here.",
    "RTPstat.local_stdevjitter": "Standard deviation of the jitter seen here.",
    "RTPstat.txploss": "Packets lost on the way out.",
    "RTPstat.rxploss": "Packets lost on the way in.",
    "RTPstat.remote_maxrxploss": "Largest loss the far end reports.",
    "RTPstat.remote_minrxploss": "Smallest loss the far end reports.",
    "RTPstat.remote_normdevrxploss": "Mean loss the far end reports.",
    "RTPstat.remote_stdevrxploss": "Standard deviation of the loss the far end reports.",
    "RTPstat.local_maxrxploss": "Largest loss seen here.",
    "RTPstat.local_minrxploss": "Smallest loss seen here.",
    "RTPstat.local_normdevrxploss": "Mean loss seen here.",
    "RTPstat.local_stdevrxploss": "Standard deviation of the loss seen here.",
    "RTPstat.rtt": "Round-trip time.",
    "RTPstat.maxrtt": "Largest round-trip time.",
    "RTPstat.minrtt": "Smallest round-trip time.",
    "RTPstat.normdevrtt": "Mean round-trip time.",
    "RTPstat.stdevrtt": "Standard deviation of the round-trip time.",
    "RTPstat.local_ssrc": "SSRC of the stream sent from here.",
    "RTPstat.remote_ssrc": "SSRC of the stream received.",
    "RTPstat.txoctetcount": "Payload bytes sent.",
    "RTPstat.rxoctetcount": "Payload bytes received.",
    "RTPstat.channel_uniqueid": "Id of the channel the stream belongs to.",
    "Channel.id": "Unique id of the channel.",
    "Channel.protocol_id": "Call id of the channel technology, e.g. the SIP Call-ID.",
    "Channel.name": "Name of the channel, e.g. PJSIP/alice-00000001.",
    "Channel.state": "State of the channel.",
    "Channel.caller": "Caller ID of the channel.",
    "Channel.connected": "Caller ID of the party it is connected to.",
    "Channel.accountcode": "Account code for billing.",
    "Channel.dialplan": "Where the channel is in the dialplan.",
    "Channel.creationtime": "When the channel was created.",
    "Channel.language": "Default language of the channel.",
    "Channel.channelvars": "Variables chosen for reporting in events.",
    "Channel.caller_rdnis": "Redirecting number (RDNIS).",
    "Channel.tenantid": "Tenant the channel belongs to.",
    "Bridge.id": "Unique id of the bridge.",
    "Bridge.technology": "Mixing technology in use.",
    "Bridge.bridge_type": "Kind of bridge.",
    "Bridge.bridge_class": "Class of the bridge (who made it).",
    "Bridge.creator": "Who created the bridge.",
    "Bridge.name": "Name of the bridge, for people.",
    "Bridge.channels": "Ids of the channels in the bridge.",
    "Bridge.video_mode": "How the video source is chosen.",
    "Bridge.video_source_id": "Channel whose video is shown, when pinned.",
    "Bridge.creationtime": "When the bridge was created.",
    "Bridge.bridgevars": "Variables chosen for reporting in events.",
    "StoredRecording.name": "Name of the recording.",
    "StoredRecording.format": "File format.",
    "LiveRecording.name": "Name of the recording.",
    "LiveRecording.format": "File format.",
    "LiveRecording.target_uri": "What is recorded: channel:ID or bridge:ID.",
    "LiveRecording.state": "State of the recording.",
    "LiveRecording.duration": "Seconds recorded so far.",
    "LiveRecording.talking_duration": "Seconds of talking recorded.",
    "LiveRecording.silence_duration": "Seconds of silence recorded.",
    "LiveRecording.cause": "Why the recording failed.",
    "FormatLangPair.language": "Language.",
    "FormatLangPair.format": "File format.",
    "Sound.id": "Name of the sound.",
    "Sound.text": "What the sound says.",
    "Sound.formats": "Formats and languages it exists in.",
    "Playback.id": "Unique id of the playback.",
    "Playback.media_uri": "Media being played.",
    "Playback.next_media_uri": "Media to play next, if any.",
    "Playback.target_uri": "Where it plays: channel:ID or bridge:ID.",
    "Playback.language": "Language of the media.",
    "Playback.state": "State of the playback.",
    "DeviceState.name": "Name of the device.",
    "DeviceState.state": "State of the device.",
    "Mailbox.name": "Name of the mailbox.",
    "Mailbox.old_messages": "Number of read messages.",
    "Mailbox.new_messages": "Number of unread messages.",
    "Message.type": "Name of the message type (the model name).",
    "Message.asterisk_id": "Entity id of the server that sent it.",
    "MissingParams.params": "Names of the parameters that were missing.",
    "Event.application": "Application that receives the event.",
    "Event.timestamp": "When the event was created.",
    "ContactInfo.uri": "URI of the contact.",
    "ContactInfo.contact_status": "Reachability of the contact.",
    "ContactInfo.aor": "Address of record the contact belongs to.",
    "ContactInfo.roundtrip_usec": "Round-trip time of the last check, in microseconds.",
    "Peer.peer_status": "Status of the peer.",
    "Peer.cause": "Why the status changed.",
    "Peer.address": "IP address of the peer.",
    "Peer.port": "Port of the peer.",
    "Peer.time": "When the status changed.",
    "DeviceStateChanged.device_state": "The device and its new state.",
    "ApplicationMoveFailed.channel": "Channel that could not be moved.",
    "ApplicationMoveFailed.destination": "Application it was to move to.",
    "ApplicationMoveFailed.args": "Arguments meant for that application.",
    "BridgeMerged.bridge": "Bridge that remains.",
    "BridgeMerged.bridge_from": "Bridge that was merged away.",
    "BridgeVideoSourceChanged.old_video_source_id": "Channel that was the video source.",
    "BridgeBlindTransfer.channel": "Channel that made the transfer.",
    "BridgeBlindTransfer.exten": "Extension transferred to.",
    "BridgeBlindTransfer.context": "Context transferred to.",
    "BridgeBlindTransfer.bridge": "Bridge being transferred.",
    "BridgeAttendedTransfer.transferer_first_leg": "First call of the party transferring.",
    "BridgeAttendedTransfer.transferer_second_leg": "Second call of the party transferring.",
    "BridgeAttendedTransfer.transfer_target": "Channel being transferred to.",
    "BridgeAttendedTransfer.transferer_first_leg_bridge": "Bridge of the first call.",
    "BridgeAttendedTransfer.transferer_second_leg_bridge": "Bridge of the second call.",
    "BridgeAttendedTransfer.destination_type": "How the transfer was completed.",
    "BridgeAttendedTransfer.destination_bridge": "Bridge left after a merge.",
    "BridgeAttendedTransfer.destination_application": "Application transferred into.",
    "BridgeAttendedTransfer.destination_link_first_leg": "First channel of a link result.",
    "BridgeAttendedTransfer.destination_link_second_leg": "Second channel of a link result.",
    "BridgeAttendedTransfer.destination_threeway_channel": "Channel left in a three-way result.",
    "BridgeAttendedTransfer.destination_threeway_bridge": "Bridge left in a three-way result.",
    "ChannelDestroyed.cause_txt": "Hangup cause as text.",
    "ChannelDtmfReceived.digit": "Digit received (0-9, A-E, * or #).",
    "ChannelDtmfReceived.duration_ms": "How long the digit lasted, in milliseconds.",
    "ChannelDialplan.dialplan_app": "Dialplan application about to run.",
    "ChannelDialplan.dialplan_app_data": "Arguments of that application.",
    "ChannelCallerId.caller_presentation": "Caller ID presentation, as a number.",
    "ChannelCallerId.caller_presentation_txt": "Caller ID presentation, as text.",
    "ChannelUserevent.eventname": "Name of the user event.",
    "ChannelUserevent.userevent": "Fields the sender attached.",
    "ChannelHangupRequest.soft": "Whether it was a soft hangup request.",
    "ChannelVarset.variable": "Name of the variable.",
    "ChannelVarset.value": "New value.",
    "ChannelVarset.channel": "Channel of the variable; absent for a global variable.",
    "ChannelHold.musicclass": "Music class the holding party suggests.",
    "ChannelTalkingFinished.duration": "How long the talking lasted, in milliseconds.",
    "ContactStatusChange.contact_info": "The contact and its reachability.",
    "PeerStatusChange.peer": "The peer and its status.",
    "Dial.caller": "Channel placing the call.",
    "Dial.peer": "Channel being called.",
    "Dial.forward": "Where the call was forwarded to.",
    "Dial.forwarded": "Channel created by the forward.",
    "Dial.dialstring": "What was dialed.",
    "Dial.dialstatus": "Progress of the dial (e.g. RINGING, ANSWER, BUSY).",
    "StasisStart.replace_channel": "Channel this one replaces, after a transfer.",
    "TextMessageReceived.message": "The message.",
    "TextMessageReceived.endpoint": "Endpoint it came from.",
    "ChannelTransfer.state": "State of the transfer.",
    "ChannelTransfer.refer_to": "Where the transfer asks to go.",
    "ChannelTransfer.referred_by": "Who asked for the transfer.",
    "ReferTo.requested_destination": "The destination as requested.",
    "ReferTo.destination_channel": "Channel at the destination, when known.",
    "ReferTo.connected_channel": "Channel connected to the destination channel.",
    "ReferTo.bridge": "Bridge of the destination channel.",
    "ReferredBy.source_channel": "Channel that received the transfer request.",
    "ReferredBy.connected_channel": "Channel connected to it.",
    "ReferredBy.bridge": "Bridge of the source channel.",
    "RequiredDestination.protocol_id": "Call id of the destination, for attended transfers.",
    "RequiredDestination.destination": "Destination as given in the request.",
    "RequiredDestination.additional_protocol_params": "Extra protocol parameters.",
    "AdditionalParam.parameter_name": "Name of the parameter.",
    "AdditionalParam.parameter_value": "Value of the parameter.",
    "RESTHeader.name": "Header name.",
    "RESTHeader.value": "Header value.",
    "RESTQueryStringParameter.name": "Parameter name.",
    "RESTQueryStringParameter.value": "Parameter value.",
    "RESTRequest.type": "Always RESTRequest.",
    "RESTRequest.method": "HTTP method.",
    "RESTRequest.uri": "Resource path under /ari, without a leading slash; may carry a query.",
    "RESTRequest.query_strings": "Query parameters.",
    "RESTResponse.status_code": "HTTP status code.",
    "RESTResponse.reason_phrase": "HTTP reason phrase.",
    "RESTResponse.uri": "Resource path of the request.",
    "CallBroadcast.channel": "Channel on offer.",
    "CallBroadcast.caller": "Caller number.",
    "CallBroadcast.called": "Called number.",
    "CallClaimed.channel": "Channel that was claimed.",
    "CallClaimed.winner_app": "Application that won the claim.",
    "Application.name": "Name of the application.",
    "Application.channel_ids": "Channels it is subscribed to.",
    "Application.bridge_ids": "Bridges it is subscribed to.",
    "Application.endpoint_ids": "Endpoints it is subscribed to.",
    "Application.device_names": "Devices it is subscribed to.",
    "Application.events_allowed": "Event types it receives; empty allows all.",
    "Application.events_disallowed": "Event types it never receives.",
}

EVENTS_MODELS_BASE = (
    "Message",
    "MissingParams",
    "Event",
    "ContactInfo",
    "Peer",
    "ReferTo",
    "ReferredBy",
    "RequiredDestination",
    "AdditionalParam",
    "RESTHeader",
    "RESTQueryStringParameter",
    "RESTRequest",
)


def module_name(resource: str) -> str:
    """``deviceStates`` -> ``device_states``."""
    return "".join("_" + c.lower() if c.isupper() else c for c in resource)


def events_module(model: str) -> str:
    """Which file under models/ declares one model of events.json."""
    if model in EVENTS_MODELS_BASE:
        return "messages"
    if model.startswith("Channel") or model in {
        "StasisStart",
        "StasisEnd",
        "Dial",
        "CallBroadcast",
        "CallClaimed",
        "ApplicationMoveFailed",
    }:
        return "events_channel"
    if model.startswith(("Bridge", "Playback", "Recording")):
        return "events_media"
    return "events_system"


def param_text(op_id: str, name: str) -> str:
    text = PARAM_TEXT_BY_OP.get(f"{op_id}.{name}") or PARAM_TEXT.get(name)
    if not text:
        raise SystemExit(f"no description for parameter {op_id}.{name}")
    return text


def field_text(model: str, name: str) -> str:
    text = FIELD_TEXT_BY_MODEL.get(f"{model}.{name}") or FIELD_TEXT.get(name)
    if not text:
        raise SystemExit(f"no description for field {model}.{name}")
    return text


def lit(text: str, width: int = 56) -> str:
    """A string literal, split into implicitly joined pieces when long."""
    if len(text) <= width:
        return repr(text)
    pieces: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if len(candidate) > width and current:
            pieces.append(current + " ")
            current = word
        else:
            current = candidate
    pieces.append(current)
    return "(" + " ".join(repr(p) for p in pieces) + ")"


def kwargs(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(f"{k}={v}" for k, v in pairs)


def emit_param(op_id: str, p: dict[str, Any], uses: set[str]) -> str:
    out: list[tuple[str, str]] = [
        ("name", repr(p["name"])),
        ("param_type", repr(p["paramType"])),
        ("data_type", repr(p["dataType"])),
    ]
    if p["required"]:
        out.append(("required", "True"))
    if p["allowMultiple"]:
        out.append(("allow_multiple", "True"))
    if "defaultValue" in p:
        out.append(("default", repr(p["defaultValue"])))
    allowable = p.get("allowableValues")
    if allowable and allowable["valueType"] == "LIST":
        out.append(("allowable_values", repr(tuple(allowable["values"]))))
    elif allowable and allowable["valueType"] == "RANGE":
        lo = allowable.get("min")
        hi = allowable.get("max")
        lo_s = "-inf" if lo is None else repr(lo)
        hi_s = "inf" if hi is None else repr(hi)
        if lo is None or hi is None:
            uses.add("inf")
        out.append(("value_range", f"({lo_s}, {hi_s})"))
    elif allowable:
        raise SystemExit(f"unknown allowableValues in {op_id}.{p['name']}")
    message = MISSING_MESSAGES.get(f"{op_id}.{p['name']}")
    if message:
        out.append(("missing_message", repr(message)))
    out.append(("description", lit(param_text(op_id, p["name"]))))
    return f"Param({kwargs(out)})"


def success_code(op: dict[str, Any]) -> int:
    if op["id"] in CREATED:
        return 201
    if op["id"] in ACCEPTED:
        return 202
    return 204 if op["responseClass"] == "void" else 200


def emit_operation(op: dict[str, Any], uses: set[str]) -> str:
    out: list[tuple[str, str]] = [
        ("resource", repr(op["resource"])),
        ("nickname", repr(op["nickname"])),
        ("method", repr(op["method"])),
        ("path", repr(op["path"])),
        ("response_class", repr(op["responseClass"])),
        ("summary", lit(OP_SUMMARY[op["id"]], 64)),
    ]
    if op["parameters"]:
        params = ", ".join(emit_param(op["id"], p, uses) for p in op["parameters"])
        out.append(("params", f"({params},)"))
    if op["errorResponses"]:
        errs = ", ".join(
            f"ErrorResponse(code={int(e['code'])}, reason={lit(e['reason'])})"
            for e in op["errorResponses"]
        )
        out.append(("error_responses", f"({errs},)"))
    code = success_code(op)
    if code != 200:
        out.append(("success_code", str(code)))
    out.append(("since", repr(tuple(op["since"]))))
    if op.get("upgrade"):
        out.append(("upgrade", repr(op["upgrade"])))
    return f"Operation({kwargs(out)})"


def emit_field(model: str, f: dict[str, Any]) -> str:
    out: list[tuple[str, str]] = [("name", repr(f["name"])), ("type", repr(f["type"]))]
    if f["required"]:
        out.append(("required", "True"))
    allowable = f.get("allowableValues")
    if allowable:
        if allowable["valueType"] != "LIST":
            raise SystemExit(f"unexpected allowableValues on {model}.{f['name']}")
        out.append(("allowable_values", repr(tuple(allowable["values"]))))
    out.append(("description", lit(field_text(model, f["name"]))))
    return f"Field({kwargs(out)})"


def emit_model(name: str, m: dict[str, Any]) -> str:
    out: list[tuple[str, str]] = [
        ("id", repr(name)),
        ("resource", repr(m["resource"])),
        ("description", lit(MODEL_TEXT[name], 64)),
    ]
    if m["fields"]:
        fields = ", ".join(emit_field(name, f) for f in m["fields"])
        out.append(("fields", f"({fields},)"))
    if m.get("extends"):
        out.append(("extends", repr(m["extends"])))
    if m.get("subTypes"):
        out.append(("subtypes", repr(tuple(m["subTypes"]))))
    if m.get("discriminator"):
        out.append(("discriminator", repr(m["discriminator"])))
    return f"Model({kwargs(out)})"


HEADER = (
    '"""{doc}\n\n'
    "Generated once by tools/gen_arispec.py from the reference catalogue;\n"
    'edited by hand since. Descriptions are our own.\n"""\n\n'
    "from __future__ import annotations\n\n"
)


def write_resource(res: dict[str, Any], ops: list[dict[str, Any]]) -> str:
    uses: set[str] = set()
    body = ", ".join(emit_operation(op, uses) for op in ops)
    desc = RESOURCE_DESCRIPTIONS[res["name"]]
    text = HEADER.format(doc=f"The ``{res['name']}`` resource: {desc.lower()}.")
    if uses:
        text += "from math import inf\n\n"
    names = ["Operation", "Resource"]
    if any(op["parameters"] for op in ops):
        names.append("Param")
    if any(op["errorResponses"] for op in ops):
        names.append("ErrorResponse")
    text += f"from ariel.arispec.types import {', '.join(sorted(names))}\n\n"
    text += '__all__ = ["RESOURCE"]\n\n'
    mods = repr(tuple(res["models"]))
    reqs = repr(tuple(res["requiresModules"]))
    text += (
        f"RESOURCE = Resource(name={res['name']!r}, description={desc!r}, "
        f"requires_modules={reqs}, models={mods}, operations=({body},),)\n"
    )
    return text


def write_models(doc: str, models: list[tuple[str, dict[str, Any]]]) -> str:
    text = HEADER.format(doc=doc)
    names = ["Model"]
    if any(m["fields"] for _, m in models):
        names.append("Field")
    text += f"from ariel.arispec.types import {', '.join(sorted(names))}\n\n"
    text += '__all__ = ["MODELS"]\n\n'
    body = ", ".join(emit_model(n, m) for n, m in models)
    text += f"MODELS: tuple[Model, ...] = ({body},)\n"
    return text


def locate_surface(argv: list[str]) -> Path:
    if len(argv) > 1:
        return Path(argv[1])
    for cand in SURFACE_CANDIDATES:
        if cand.is_file():
            return cand
    raise SystemExit("ari-surface.json not found; pass its path")


def main(argv: list[str]) -> int:
    surface = json.loads(locate_surface(argv).read_text())
    files: dict[Path, str] = {}
    res_dir = PKG / "resources"
    model_dir = PKG / "models"
    res_modules: list[str] = []
    for res in surface["resources"]:
        ops = [op for op in surface["operations"] if op["resource"] == res["name"]]
        mod = module_name(res["name"])
        res_modules.append(mod)
        files[res_dir / f"{mod}.py"] = write_resource(res, ops)

    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name, m in surface["models"].items():
        group = events_module(name) if m["resource"] == "events" else module_name(m["resource"])
        groups.setdefault(group, []).append((name, m))
    docs = {
        "messages": "Bases of the WebSocket messages and the helper models of events.json.",
        "events_channel": "Events about channels and their life in an application.",
        "events_media": "Events about bridges, playbacks and recordings.",
        "events_system": "Events about applications, endpoints, devices and REST over WebSocket.",
    }
    for group, models in groups.items():
        doc = docs.get(group, f"Models of the ``{models[0][1]['resource']}`` resource.")
        files[model_dir / f"{group}.py"] = write_models(doc, models)

    imports = "\n".join(f"from ariel.arispec.resources import {m}" for m in res_modules)
    listing = ", ".join(f"{m}.RESOURCE" for m in res_modules)
    files[res_dir / "__init__.py"] = (
        '"""The eleven ARI resources, in the order of the reference\'s resource listing."""\n\n'
        "from __future__ import annotations\n\n"
        f"{imports}\nfrom ariel.arispec.types import Resource\n\n"
        '__all__ = ["RESOURCES"]\n\n'
        f"RESOURCES: tuple[Resource, ...] = ({listing},)\n"
    )
    group_names = list(groups)
    imports = "\n".join(f"from ariel.arispec.models import {g}" for g in sorted(group_names))
    listing = ", ".join(f"*{g}.MODELS" for g in group_names)
    files[model_dir / "__init__.py"] = (
        '"""Every ARI model and event; `registry` orders them per resource."""\n\n'
        "from __future__ import annotations\n\n"
        f"{imports}\nfrom ariel.arispec.types import Model\n\n"
        '__all__ = ["MODELS"]\n\n'
        f"MODELS: tuple[Model, ...] = ({listing},)\n"
    )
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    ruff = REPO / ".venv" / "bin" / "ruff"
    ruff_cmd = str(ruff) if ruff.exists() else shutil.which("ruff")
    if ruff_cmd:
        paths = [str(p) for p in files]
        subprocess.run([ruff_cmd, "format", "--quiet", *paths], check=True)
        subprocess.run([ruff_cmd, "check", "--fix", "--quiet", *paths], check=False)
    print(f"wrote {len(files)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
