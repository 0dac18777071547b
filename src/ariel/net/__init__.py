"""ariel.net."""
