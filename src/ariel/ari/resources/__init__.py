"""ariel.ari.resources."""
