"""Small shared helpers: clocks, id factories. Standard library only."""
