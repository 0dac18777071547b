"""ariel.media."""
