"""``UnicastRTP`` channels: external media over plain RTP (chan_rtp)."""
