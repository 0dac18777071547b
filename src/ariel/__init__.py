"""Ariel: a telephony server that speaks the Asterisk REST Interface (ARI)."""

__version__ = "0.1.0"

#: The Asterisk release whose ARI surface and behaviour Ariel reproduces.
REFERENCE_ASTERISK_VERSION = "22.10.1"

__all__ = ["REFERENCE_ASTERISK_VERSION", "__version__"]
