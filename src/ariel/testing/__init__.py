"""ariel.testing."""
