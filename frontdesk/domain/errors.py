"""Errors whose message a receptionist can read.

Every refusal the program makes reaches the user as one of these; the UI shows
``str(error)`` as it is, so the message must say what is wrong and what to do.
"""

from __future__ import annotations


class FrontdeskError(Exception):
    """Base of every error meant for the person at the desk."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: the input the message is about, so a form can put the focus there
        self.field = field


class ValidationError(FrontdeskError):
    """An input is missing, malformed or out of range."""


class NotFoundError(FrontdeskError):
    """The record asked for does not exist (or no longer exists)."""


class ConflictError(FrontdeskError):
    """The action collides with what is already there (a double booking, a stale edit)."""


class SafetyError(FrontdeskError):
    """A safety rule forbids the action unless a practitioner overrides it with a reason."""


class SafetyAcknowledgementRequired(FrontdeskError):
    """A safety warning must be seen and acknowledged before the action goes ahead."""


class PermissionDenied(FrontdeskError):
    """The signed-in user's role does not allow the action."""
