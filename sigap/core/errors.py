"""Errors that actions raise; views turn them into messages or HTTP answers."""

from __future__ import annotations


class SigapError(Exception):
    """Base class: `message` is a sentence meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(SigapError):
    """Missing or forbidden: callers answer both the same way (404)."""


class PermissionDenied(SigapError):
    """The actor may see the object but not do this to it."""


class InvalidTransition(SigapError):
    """The workflow does not allow this step from the current state."""


class ValidationFailed(SigapError):
    """Input is incomplete or wrong; `fields` maps field names to sentences."""

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or {}
