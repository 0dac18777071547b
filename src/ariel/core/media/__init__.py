"""The audio plane of channels as the core sees it: sources, listeners, DTMF."""
