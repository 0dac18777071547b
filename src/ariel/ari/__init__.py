"""ariel.ari."""
