"""Playback of media on channels and bridges."""
