"""The dialplan interpreter: runs a channel through extensions.conf."""

from ariel.core.pbx.runner import AppContext, AppResult, DialplanApp, Goto, Pbx

__all__ = ["AppContext", "AppResult", "DialplanApp", "Goto", "Pbx"]
