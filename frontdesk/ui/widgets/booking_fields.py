"""The fields every booking form shares: the service and practitioner choices, and the
patient's safety notes with their "I have read these warnings" tick.

The booking, walk-in and course dialogs build these the same way, so a service reads the
same, the follow-up visit is the same default, and a safety warning asks for the same
acknowledgement wherever an appointment is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel

if TYPE_CHECKING:
    from frontdesk.services.hub import Services
    from frontdesk.services.records import PractitionerRecord, ServiceRecord

#: the service offered first when nothing else is known: the usual follow-up visit
FOLLOW_UP_CODE = "ACU"


def service_combo(services: Sequence[ServiceRecord], tooltip: str) -> QComboBox:
    """A choice of the clinic's services, each with its usual length."""
    combo = QComboBox()
    combo.setAccessibleName("Service")
    combo.setToolTip(tooltip)
    for service in services:
        combo.addItem(f"{service.name} ({service.default_minutes} min)", service.id)
    return combo


def practitioner_combo(practitioners: Sequence[PractitionerRecord], tooltip: str) -> QComboBox:
    """A choice of the clinic's practitioners."""
    combo = QComboBox()
    combo.setAccessibleName("Practitioner")
    combo.setToolTip(tooltip)
    for practitioner in practitioners:
        combo.addItem(practitioner.name, practitioner.id)
    return combo


def select_data(combo: QComboBox, value: object) -> bool:
    """Choose the entry carrying ``value``; False (and nothing changed) when none does."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
    return index >= 0


def chosen_service(combo: QComboBox, services: Sequence[ServiceRecord]) -> ServiceRecord:
    """The service record behind a service combo's current entry."""
    service_id = combo.currentData()
    return next(s for s in services if s.id == service_id)


def select_follow_up(combo: QComboBox, services: Sequence[ServiceRecord]) -> None:
    """Choose the clinic's usual follow-up visit, when it offers one."""
    follow_up = next((s for s in services if s.code == FOLLOW_UP_CODE), None)
    if follow_up is not None:
        select_data(combo, follow_up.id)


@dataclass(frozen=True)
class SafetyNotice:
    """A patient's safety flags as the booking forms show them."""

    summary: str
    badges: tuple[str, ...]
    lines: tuple[str, ...] = ()
    urgent: bool = False


def safety_notice(services: Services, patient_id: int, kinds: tuple[Any, ...]) -> SafetyNotice:
    """The patient's flags from the latest intake, for the chosen service's kinds.

    Uses the intake service when the program has one; otherwise the flags the appointment
    records carry (known only for patients who have had an appointment).
    """
    intakes = getattr(services, "intakes", None)
    if intakes is not None and hasattr(intakes, "flags"):
        flags = intakes.flags(patient_id)
        if not flags.has_intake:
            # booking needs no acknowledgement before the first intake: say so, ask nothing
            return SafetyNotice(
                "No safety screen on file yet: ask the safety questions at the first visit.",
                (),
            )
        lines = tuple(flags.lines_for(kinds)) if kinds else ()
        return SafetyNotice(flags.summary_line, tuple(flags.badges), lines, bool(flags.red_flags))
    records = services.appointments.for_patient(patient_id)
    if records:
        last = records[-1]
        return SafetyNotice(last.flag_summary, tuple(last.flags), (), "REFER" in last.flags)
    return SafetyNotice("", ())


def safety_html(notice: SafetyNotice) -> str:
    """The notice as the dialogs show it: red when something applies, grey otherwise."""
    if not notice.badges and not notice.lines:
        return f"<span style='color:#4F5963'>{escape(notice.summary)}</span>"
    colour = "#9B1C1C" if notice.urgent else "#B3261E"
    badges = " ".join(escape(b) for b in notice.badges)
    lines = "".join(f"<li>{escape(line)}</li>" for line in notice.lines)
    return (
        f"<span style='color:{colour}'><b>Safety: {badges}</b> {escape(notice.summary)}</span>"
        + (f"<ul style='margin:0'>{lines}</ul>" if lines else "")
    )


class SafetyNotes:
    """The safety label and its acknowledgement tick, kept in step with the patient and
    service chosen. The two widgets are placed by the form that owns them."""

    def __init__(self, services: Services, tick_text: str, tick_tooltip: str) -> None:
        self.services = services
        self.notice: SafetyNotice | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Safety flags")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.hide()
        self.tick = QCheckBox(tick_text)
        self.tick.setAccessibleName(tick_text)
        self.tick.setToolTip(tick_tooltip)
        self.tick.hide()

    def show_for(self, patient_id: int | None, kinds: tuple[Any, ...]) -> SafetyNotice | None:
        """Show the flags of ``patient_id`` for a service of ``kinds`` (nothing when no
        patient is chosen); the tick appears only when a warning needs it."""
        before = self.notice
        self.notice = None
        if patient_id is not None:
            self.notice = safety_notice(self.services, patient_id, kinds)
        if before is None or self.notice is None or before.lines != self.notice.lines:
            self.tick.setChecked(False)  # a tick stands for the warnings it was given for
        if self.notice is None or (not self.notice.summary and not self.notice.lines):
            self.label.hide()
            self.tick.hide()
            return self.notice
        self.label.setText(safety_html(self.notice))
        self.label.show()
        self.tick.setVisible(bool(self.notice.lines))
        return self.notice

    @property
    def needs_tick(self) -> bool:
        """A warning waits for its tick."""
        return not self.tick.isHidden() and not self.tick.isChecked()

    @property
    def acknowledged(self) -> bool:
        """The warnings shown were ticked as read."""
        return not self.tick.isHidden() and self.tick.isChecked()
