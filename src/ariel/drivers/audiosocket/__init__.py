"""``AudioSocket`` channels: external media over AudioSocket/TCP (chan_audiosocket)."""
