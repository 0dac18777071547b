"""ariel.cli."""
