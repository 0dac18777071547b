"""The event WebSocket session, independent of the web framework.

Theory of operation: a session registers its applications with Stasis and
is their listener. ``deliver`` (called synchronously by event routing)
serialises the event once for that app and queues the frame; a writer task
sends frames in order, each bounded by ari.conf ``websocket_write_timeout``.
A consumer that cannot keep up (a write times out, or the queue passes
``max_queued`` frames) is disconnected, so one slow client never stalls the
server or grows its memory without bound.

Text frames from the client are REST requests (``RESTRequest``), answered
on the same socket with a ``RESTResponse`` through the same dispatcher as
HTTP, with the socket's own credentials.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ariel.ari.dispatch import Dispatcher, HttpIn
from ariel.ari.events import event_json
from ariel.ari.jsonout import dumps, loads
from ariel.core.events import CoreEvent, RawEvent

__all__ = ["EventSession"]

log = logging.getLogger("ariel.ari.websocket")

SendText = Callable[[str], Awaitable[None]]
Close = Callable[[], Awaitable[object]]

REST_METHODS = ("GET", "POST", "PUT", "DELETE", "OPTIONS")
BODY_TYPES = ("application/json", "application/x-www-form-urlencoded")


class EventSession:
    """One connected event socket and the applications it holds.

    Args:
        dispatcher: Serves REST requests that arrive over the socket.
        apps: Application names from the ``app`` parameter.
        subscribe_all: The ``subscribeAll`` parameter.
        send_text: Sends one text frame.
        close: Closes the socket.
        auth_headers: The upgrade request's ``Authorization`` header, if any.
        auth_query: The upgrade request's ``api_key`` parameter, if any.
        base_url: ``scheme://host`` of the upgrade request.
        max_queued: Frames allowed to wait before the client counts as stuck.
    """

    def __init__(
        self,
        dispatcher: Dispatcher,
        apps: Sequence[str],
        *,
        subscribe_all: bool,
        send_text: SendText,
        close: Close,
        auth_headers: Mapping[str, str],
        auth_query: Sequence[tuple[str, str]],
        base_url: str = "",
        max_queued: int = 10_000,
        peer: str = "",
    ) -> None:
        self._dispatcher = dispatcher
        self._core = dispatcher.core
        self.apps = list(dict.fromkeys(apps))
        self._subscribe_all = subscribe_all
        self._send_text = send_text
        self._close = close
        self._auth_headers = dict(auth_headers)
        self._auth_query = list(auth_query)
        self._base_url = base_url
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._max_queued = max_queued
        self._timeout = dispatcher.conf.websocket_write_timeout / 1000.0
        self._closing = False
        self._peer = peer

    @property
    def queued(self) -> int:
        """Event frames waiting to be sent (``/metrics``: event queue depth)."""
        return self._queue.qsize()

    # -- EventListener -------------------------------------------------
    def deliver(self, app: str, event: CoreEvent) -> None:
        """Queue ``event`` for ``app`` (never blocks)."""
        if self._closing:
            return
        if self._queue.qsize() >= self._max_queued:
            log.warning("event socket for %s is not keeping up; closing it", ",".join(self.apps))
            self._closing = True
            # Drop the backlog: sending it first could take max_queued write timeouts.
            while not self._queue.empty():
                self._queue.get_nowait()
            self._queue.put_nowait(None)
            return
        frame = event_json(event, application=app, asterisk_id=self._core.entity_id)
        try:
            text = dumps(frame, pretty=self._dispatcher.conf.pretty).decode()
        except TypeError:
            # Routing calls every listener in turn: one bad event must not stop it.
            log.exception("cannot serialise %s for %s; dropped", event.type, app)
            return
        if self._dispatcher.debug.enabled(app):
            self._dispatcher.debug.event(self._peer, dumps(frame, pretty=True).decode())
        self._queue.put_nowait(text)

    # -- lifecycle -----------------------------------------------------
    def start(self) -> None:
        """Register the session's applications."""
        for app in self.apps:
            self._core.apps.register(app, self, subscribe_all=self._subscribe_all)

    def stop(self) -> None:
        """Release the applications (those still held by this session)."""
        self._closing = True
        for app in self.apps:
            self._core.apps.unregister(app, self)
        self._queue.put_nowait(None)

    async def run_writer(self) -> None:
        """Send queued frames until the session stops or the client stalls."""
        while True:
            frame = await self._queue.get()
            if frame is None:
                break
            try:
                await asyncio.wait_for(self._send_text(frame), self._timeout)
            except (TimeoutError, ConnectionError, RuntimeError):
                log.warning("event write to %s timed out; closing", ",".join(self.apps))
                break
        self._closing = True
        with contextlib.suppress(Exception):
            await self._close()

    # -- REST over the socket --------------------------------------------
    async def on_text(self, text: str) -> None:
        """Handle one text frame from the client."""
        try:
            msg = loads(text)
        except ValueError:
            self._respond_error("", "", "", 400, "Unable to parse request")
            return
        if not isinstance(msg, dict) or "type" not in msg:
            self._respond_error("", "", "", 400, "Missing 'type'")
            return
        transaction_id = str(msg.get("transaction_id") or "")
        request_id = str(msg.get("request_id") or "")
        if msg.get("type") != "RESTRequest":
            self._respond_error(transaction_id, request_id, "", 400, "Unknown message type")
            return
        req = self._rest_request(msg)
        if isinstance(req, str):
            uri = str(msg.get("uri") or "")
            self._respond_error(transaction_id, request_id, uri, 400, req)
            return
        out = await self._dispatcher.handle(req)
        if out.content_type not in (None, "application/json"):
            self._respond_error(
                transaction_id, request_id, req.path, 406, "Not Acceptable.  Use HTTP GET"
            )
            return
        fields: dict[str, Any] = {
            "transaction_id": transaction_id,
            "request_id": request_id,
            "status_code": out.status,
            "reason_phrase": out.reason,
            "uri": req.path,
        }
        if out.body:
            fields["content_type"] = "application/json"
            fields["message_body"] = out.body.decode("utf-8", "replace")
        self._send_response(fields)

    def _rest_request(self, msg: Mapping[str, Any]) -> HttpIn | str:
        method = msg.get("method")
        if not isinstance(method, str) or method.upper() not in REST_METHODS:
            return "Missing or invalid 'method'"
        uri = msg.get("uri")
        if not isinstance(uri, str) or not uri.strip("/"):
            return "Missing or invalid 'uri'"
        parts = urlsplit(uri.lstrip("/"))
        query = parse_qsl(parts.query, keep_blank_values=True)
        for item in msg.get("query_strings") or []:
            if not isinstance(item, dict) or "name" not in item:
                return "Invalid 'query_strings'"
            query.append((str(item["name"]), str(item.get("value", ""))))
        query.extend(self._auth_query)
        content_type = msg.get("content_type")
        body = msg.get("message_body") or ""
        if body and content_type not in BODY_TYPES:
            return "Unsupported content type"
        if content_type is not None and content_type not in BODY_TYPES:
            return "Unsupported content type"
        if content_type == "application/json" and body:
            try:
                loads(body)
            except ValueError:
                return "Unable to parse message body"
        return HttpIn(
            method=method.upper(),
            path=parts.path,
            query=query,
            headers=self._auth_headers,
            body=str(body).encode("utf-8"),
            content_type=content_type,
            base_url=self._base_url,
            over_websocket=True,
            peer=self._peer,
        )

    def _respond_error(
        self, transaction_id: str, request_id: str, uri: str, status: int, message: str
    ) -> None:
        out = self._dispatcher.error(status, message)
        self._send_response(
            {
                "transaction_id": transaction_id,
                "request_id": request_id,
                "status_code": status,
                "reason_phrase": out.reason,
                "uri": uri,
                "content_type": "application/json",
                "message_body": out.body.decode(),
            }
        )

    def _send_response(self, fields: dict[str, Any]) -> None:
        app = self.apps[0] if self.apps else ""
        event = RawEvent(timestamp=self._core.clock.now(), name="RESTResponse", fields=fields)
        self.deliver(app, event)
