"""``WebSocket`` channels: external media over a WebSocket (chan_websocket)."""
