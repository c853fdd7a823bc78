"""The questions a booking may raise, asked in one place, and the retry loop around them.

A booking or move can come back with: "outside working hours, book anyway?", "confirm you
have read the safety warnings", "a safety rule forbids it: a practitioner may override with
a reason", or a plain refusal (a double booking). :func:`attempt` runs the service call,
asks the matching question and calls again with the answer, until it succeeds or the user
gives up. The questions go through a :class:`Questions` object so tests can answer them
without modal dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from frontdesk.domain.errors import (
    FrontdeskError,
    SafetyAcknowledgementRequired,
    SafetyError,
)
from frontdesk.services.hub import OutsideWorkingHours
from frontdesk.ui.errors import show_error

T = TypeVar("T")


class CourseScope(Enum):
    """Which sessions of a course a change applies to."""

    ONLY_THIS = "only_this"
    THIS_AND_FOLLOWING = "this_and_following"


class Questions:
    """Asks the user with message boxes; tests swap in an object that answers at once."""

    def __init__(self, parent: QWidget | None) -> None:
        self.parent = parent

    def confirm_outside_hours(self, message: str) -> bool:
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Outside working hours")
        box.setText(message)
        book = box.addButton("Book anyway", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(book)
        box.exec()
        return box.clickedButton() is book

    def acknowledge_safety(self, message: str) -> bool:
        from frontdesk.ui.calendar.safety_prompt import SafetyPromptDialog

        return SafetyPromptDialog.ask_acknowledgement(message, self.parent)

    def override_reason(self, message: str) -> str | None:
        from frontdesk.ui.calendar.safety_prompt import SafetyPromptDialog

        return SafetyPromptDialog.ask_override(message, self.parent)

    def show_error(self, error: BaseException) -> None:
        show_error(self.parent, error)

    def confirm(self, title: str, text: str, yes: str = "Yes") -> bool:
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(accept)
        box.exec()
        return box.clickedButton() is accept

    def course_scope(self, what: str) -> CourseScope | None:
        """Ask whether a change to a course session applies to the following ones too."""
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Part of a treatment course")
        box.setText(f"This appointment is part of a treatment course. {what}")
        only = box.addButton("Only this one", QMessageBox.ButtonRole.AcceptRole)
        following = box.addButton("This and the following", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(only)
        box.exec()
        clicked = box.clickedButton()
        if clicked is only:
            return CourseScope.ONLY_THIS
        if clicked is following:
            return CourseScope.THIS_AND_FOLLOWING
        return None


def attempt(
    questions: Questions,
    call: Callable[..., T],
    *,
    accepts: frozenset[str] = frozenset(
        {"allow_outside_hours", "acknowledged_warnings", "override_reason"}
    ),
    **options: Any,
) -> T | None:
    """Run ``call(**options)``, answering the booking questions, until done or given up.

    ``accepts`` names the keyword arguments ``call`` understands; a question whose answer
    the call cannot take is shown as a refusal instead. Returns None when the user gave up
    or the call was refused (the refusal has then been shown).
    """
    for _ in range(6):  # each question is asked at most once; this is a safety net
        try:
            return call(**options)
        except OutsideWorkingHours as error:
            if "allow_outside_hours" not in accepts or options.get("allow_outside_hours"):
                questions.show_error(error)
                return None
            if not questions.confirm_outside_hours(error.message):
                return None
            options["allow_outside_hours"] = True
        except SafetyAcknowledgementRequired as error:
            if "acknowledged_warnings" not in accepts or options.get("acknowledged_warnings"):
                questions.show_error(error)
                return None
            if not questions.acknowledge_safety(error.message):
                return None
            options["acknowledged_warnings"] = True
        except SafetyError as error:
            if "override_reason" not in accepts or options.get("override_reason"):
                questions.show_error(error)
                return None
            reason = questions.override_reason(error.message)
            if not reason:
                return None
            options["override_reason"] = reason
        except FrontdeskError as error:
            questions.show_error(error)
            return None
    return None
