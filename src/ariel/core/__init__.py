"""ariel.core."""
