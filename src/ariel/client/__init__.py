"""ariel.client."""
