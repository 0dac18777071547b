"""ariel.drivers."""
