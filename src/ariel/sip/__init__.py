"""ariel.sip."""
