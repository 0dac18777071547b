"""Bridges: channels joined so they hear each other (mixing) or wait (holding)."""
