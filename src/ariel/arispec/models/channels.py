"""Models of the ``channels`` resource.

Generated once by tools/gen_arispec.py from the reference catalogue;
edited by hand since. Descriptions are our own.
"""

from __future__ import annotations

from ariel.arispec.types import Field, Model

__all__ = ["MODELS"]

MODELS: tuple[Model, ...] = (
    Model(id="Dialed", resource="channels", description="A dialed party (carries no fields yet)."),
    Model(
        id="DialplanCEP",
        resource="channels",
        description="A place in the dialplan: context, extension and priority.",
        fields=(
            Field(name="context", type="string", required=True, description="Dialplan context."),
            Field(name="exten", type="string", required=True, description="Dialplan extension."),
            Field(name="priority", type="long", required=True, description="Dialplan priority."),
            Field(
                name="app_name",
                type="string",
                required=True,
                description="Dialplan application running there.",
            ),
            Field(
                name="app_data",
                type="string",
                required=True,
                description="Arguments of that application.",
            ),
        ),
    ),
    Model(
        id="CallerID",
        resource="channels",
        description="A name and number identifying a party.",
        fields=(
            Field(name="name", type="string", required=True, description="Name shown."),
            Field(name="number", type="string", required=True, description="Number shown."),
        ),
    ),
    Model(
        id="RTPstat",
        resource="channels",
        description="Statistics of the RTP stream of a channel.",
        fields=(
            Field(name="txcount", type="int", required=True, description="Packets sent."),
            Field(name="rxcount", type="int", required=True, description="Packets received."),
            Field(name="txjitter", type="double", description="Jitter of sent packets."),
            Field(name="rxjitter", type="double", description="Jitter of received packets."),
            Field(
                name="remote_maxjitter",
                type="double",
                description="Largest jitter the far end reports.",
            ),
            Field(
                name="remote_minjitter",
                type="double",
                description="Smallest jitter the far end reports.",
            ),
            Field(
                name="remote_normdevjitter",
                type="double",
                description="Mean jitter the far end reports.",
            ),
            Field(
                name="remote_stdevjitter",
                type="double",
                description="Standard deviation of the jitter the far end reports.",
            ),
            Field(name="local_maxjitter", type="double", description="Largest jitter seen here."),
            Field(name="local_minjitter", type="double", description="Smallest jitter seen here."),
            Field(name="local_normdevjitter", type="double", description="Mean jitter seen here."),
            Field(
                name="local_stdevjitter",
                type="double",
                description="Standard deviation of the jitter seen here.",
            ),
            Field(
                name="txploss",
                type="int",
                required=True,
                description="Packets lost on the way out.",
            ),
            Field(
                name="rxploss", type="int", required=True, description="Packets lost on the way in."
            ),
            Field(
                name="remote_maxrxploss",
                type="double",
                description="Largest loss the far end reports.",
            ),
            Field(
                name="remote_minrxploss",
                type="double",
                description="Smallest loss the far end reports.",
            ),
            Field(
                name="remote_normdevrxploss",
                type="double",
                description="Mean loss the far end reports.",
            ),
            Field(
                name="remote_stdevrxploss",
                type="double",
                description="Standard deviation of the loss the far end reports.",
            ),
            Field(name="local_maxrxploss", type="double", description="Largest loss seen here."),
            Field(name="local_minrxploss", type="double", description="Smallest loss seen here."),
            Field(name="local_normdevrxploss", type="double", description="Mean loss seen here."),
            Field(
                name="local_stdevrxploss",
                type="double",
                description="Standard deviation of the loss seen here.",
            ),
            Field(name="rtt", type="double", description="Round-trip time."),
            Field(name="maxrtt", type="double", description="Largest round-trip time."),
            Field(name="minrtt", type="double", description="Smallest round-trip time."),
            Field(name="normdevrtt", type="double", description="Mean round-trip time."),
            Field(
                name="stdevrtt",
                type="double",
                description="Standard deviation of the round-trip time.",
            ),
            Field(
                name="local_ssrc",
                type="int",
                required=True,
                description="SSRC of the stream sent from here.",
            ),
            Field(
                name="remote_ssrc",
                type="int",
                required=True,
                description="SSRC of the stream received.",
            ),
            Field(
                name="txoctetcount", type="int", required=True, description="Payload bytes sent."
            ),
            Field(
                name="rxoctetcount",
                type="int",
                required=True,
                description="Payload bytes received.",
            ),
            Field(
                name="channel_uniqueid",
                type="string",
                required=True,
                description="Id of the channel the stream belongs to.",
            ),
        ),
    ),
    Model(
        id="Channel",
        resource="channels",
        description="One leg of a call.",
        fields=(
            Field(name="id", type="string", required=True, description="Unique id of the channel."),
            Field(
                name="protocol_id",
                type="string",
                required=True,
                description="Call id of the channel technology, e.g. the SIP Call-ID.",
            ),
            Field(
                name="name",
                type="string",
                required=True,
                description="Name of the channel, e.g. PJSIP/alice-00000001.",
            ),
            Field(
                name="state",
                type="string",
                required=True,
                allowable_values=(
                    "Down",
                    "Rsrved",
                    "OffHook",
                    "Dialing",
                    "Ring",
                    "Ringing",
                    "Up",
                    "Busy",
                    "Dialing Offhook",
                    "Pre-ring",
                    "Unknown",
                ),
                description="State of the channel.",
            ),
            Field(
                name="caller",
                type="CallerID",
                required=True,
                description="Caller ID of the channel.",
            ),
            Field(
                name="connected",
                type="CallerID",
                required=True,
                description="Caller ID of the party it is connected to.",
            ),
            Field(
                name="accountcode",
                type="string",
                required=True,
                description="Account code for billing.",
            ),
            Field(
                name="dialplan",
                type="DialplanCEP",
                required=True,
                description="Where the channel is in the dialplan.",
            ),
            Field(
                name="creationtime",
                type="Date",
                required=True,
                description="When the channel was created.",
            ),
            Field(
                name="language",
                type="string",
                required=True,
                description="Default language of the channel.",
            ),
            Field(
                name="channelvars",
                type="object",
                description="Variables chosen for reporting in events.",
            ),
            Field(name="caller_rdnis", type="string", description="Redirecting number (RDNIS)."),
            Field(name="tenantid", type="string", description="Tenant the channel belongs to."),
        ),
    ),
)
