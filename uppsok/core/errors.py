"""Errors shared by the apps' action functions."""

from __future__ import annotations


class ActionError(Exception):
    """A write that was refused; the message is shown to the user as it is (Swedish first)."""
