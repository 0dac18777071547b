"""Live recordings of channels (and, later, bridges)."""
