"""Use cases: the only door to the clinic's data. One unit of work per user action."""

from frontdesk.domain.errors import (
    ConflictError,
    FrontdeskError,
    NotFoundError,
    PermissionDenied,
    SafetyAcknowledgementRequired,
    SafetyError,
    ValidationError,
)

__all__ = [
    "ConflictError",
    "FrontdeskError",
    "NotFoundError",
    "PermissionDenied",
    "SafetyAcknowledgementRequired",
    "SafetyError",
    "ValidationError",
]
