"""Calendar UI fixtures: a stopped clock on a Monday morning, the page, dialogs filled in
by the test instead of run modally, and questions answered without message boxes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from frontdesk.services.patients import PatientInput
from frontdesk.ui.calendar.questions import CourseScope, Questions

LONDON = ZoneInfo("Europe/London")
#: a Monday; the clinic opens 09:00-18:00
MONDAY = datetime(2030, 3, 11, 10, 2, tzinfo=LONDON)


class ScriptedQuestions(Questions):
    """Answers every question at once and records what was asked."""

    def __init__(self) -> None:
        super().__init__(None)
        self.asked: list[tuple[str, str]] = []
        self.errors: list[BaseException] = []
        self.outside_hours = True
        self.acknowledge = True
        self.reason: str | None = "Practitioner has checked"
        self.scope: CourseScope | None = CourseScope.ONLY_THIS

    def confirm_outside_hours(self, message: str) -> bool:
        self.asked.append(("outside_hours", message))
        return self.outside_hours

    def acknowledge_safety(self, message: str) -> bool:
        self.asked.append(("acknowledge", message))
        return self.acknowledge

    def override_reason(self, message: str) -> str | None:
        self.asked.append(("override", message))
        return self.reason

    def show_error(self, error: BaseException) -> None:
        self.errors.append(error)

    def confirm(self, title: str, text: str, yes: str = "Yes") -> bool:
        self.asked.append(("confirm", text))
        return True

    def course_scope(self, what: str) -> CourseScope | None:
        self.asked.append(("course_scope", what))
        return self.scope


class DialogScript:
    """Stands in for ``dialog.exec()``: calls the step registered for the dialog's class."""

    def __init__(self, qtbot: object) -> None:
        self.qtbot = qtbot
        self.steps: dict[str, Callable[[QDialog], object]] = {}
        self.seen: list[QDialog] = []

    def on(self, class_name: str, step: Callable[[QDialog], object]) -> None:
        self.steps[class_name] = step

    def __call__(self, dialog: QDialog) -> int:
        self.seen.append(dialog)
        self.qtbot.addWidget(dialog)  # type: ignore[attr-defined]
        step = self.steps.get(type(dialog).__name__)
        if step is None:
            raise AssertionError(f"no test step for {type(dialog).__name__}")
        step(dialog)
        return int(dialog.result())


@pytest.fixture
def monday(clock):
    clock.now = MONDAY
    return MONDAY


@pytest.fixture
def questions() -> ScriptedQuestions:
    return ScriptedQuestions()


@pytest.fixture
def dialogs(qtbot) -> DialogScript:
    return DialogScript(qtbot)


@pytest.fixture
def patient(clinic):
    """A returning patient: on file, no intake yet."""
    record = clinic.patients.create(
        PatientInput(legal_name="Margaret Hughes", phone="07700 900123", date_of_birth="1950-04-02")
    )
    return record


@pytest.fixture
def page(qtbot, clinic, monday, questions, dialogs):
    """The calendar page on Monday, shown at laptop size, with scripted dialogs."""
    from frontdesk.ui.calendar.page import CalendarPage

    widget = CalendarPage(clinic)
    qtbot.addWidget(widget)
    widget.actions_handler.questions = questions
    widget.actions_handler.exec_dialog = dialogs
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _drag(view, start: QPoint, end: QPoint) -> None:
    """Press, move in steps (past the drag distance) and release, as a hand would."""
    viewport = view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    steps = 4
    for i in range(1, steps + 1):
        x = start.x() + (end.x() - start.x()) * i // steps
        y = start.y() + (end.y() - start.y()) * i // steps
        QTest.mouseMove(viewport, QPoint(x, y))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


@pytest.fixture
def drag():
    """Drag on a calendar view from one viewport point to another."""
    return _drag


@pytest.fixture(autouse=True)
def no_modal_loops(monkeypatch):
    """A modal dialog in a test would wait forever: fail at once, naming it."""

    def refuse(self, *args, **kwargs):
        pytest.fail(f"a modal {type(self).__name__} was opened: {getattr(self, 'text', str)()}")

    monkeypatch.setattr(QDialog, "exec", refuse)
    from PySide6.QtWidgets import QMenu, QMessageBox

    monkeypatch.setattr(QMessageBox, "exec", refuse)
    monkeypatch.setattr(QMenu, "exec", refuse)
