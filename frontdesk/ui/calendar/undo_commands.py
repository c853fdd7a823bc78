"""Undo and redo for the calendar: each change is a service call with an inverse call.

A command is pushed after its change has been made (the first ``redo`` does nothing), so a
refused change never lands on the stack. Undoing calls the service with the values the
screen held before; if that is refused now (another booking took the old slot), the
refusal is shown and the command is dropped from the stack.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from frontdesk.domain.enums import AppointmentStatus
from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.records import AppointmentRecord

if TYPE_CHECKING:
    from frontdesk.services.hub import Services

Notify = Callable[[AppointmentRecord | None], None]
ShowError = Callable[[BaseException], None]


class ServiceCommand(QUndoCommand):
    """A change already made (``forward``), and how to take it back (``backward``)."""

    def __init__(
        self,
        text: str,
        forward: Callable[[], Any],
        backward: Callable[[], Any],
        *,
        notify: Callable[[Any], None],
        show_error: ShowError,
    ) -> None:
        super().__init__(text)
        self.forward = forward
        self.backward = backward
        self.notify = notify
        self.show_error = show_error
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._run(self.forward)

    def undo(self) -> None:
        self._run(self.backward)

    def _run(self, call: Callable[[], Any]) -> None:
        try:
            result = call()
        except FrontdeskError as error:
            # the calendar has moved on (the slot was taken, the appointment changed):
            # this step can no longer be undone or redone
            self.setObsolete(True)
            self.notify(None)
            self.show_error(error)
            return
        self.notify(result)


def move_command(
    services: Services,
    before: AppointmentRecord,
    after: AppointmentRecord,
    *,
    notify: Callable[[Any], None],
    show_error: ShowError,
    tz: tzinfo | None = None,
) -> ServiceCommand:
    """Undo a move by moving back (outside hours allowed: the old place was accepted)."""

    def place(record: AppointmentRecord) -> Callable[[], AppointmentRecord]:
        return lambda: services.appointments.move(
            record.id,
            record.starts_at,
            practitioner_id=record.practitioner_id,
            room_id=record.room_id,
            ends_at=record.ends_at,
            allow_outside_hours=True,
        )

    local = after.starts_at.astimezone(tz) if tz is not None else after.starts_at
    text = f"Move {after.patient_name} to {local:%a} {local:%H:%M}"
    return ServiceCommand(text, place(after), place(before), notify=notify, show_error=show_error)


def status_command(
    services: Services,
    before: AppointmentRecord,
    after: AppointmentRecord,
    *,
    notify: Callable[[Any], None],
    show_error: ShowError,
) -> ServiceCommand:
    """Undo a status change by setting the previous status (with its reason, if any)."""

    def to(record: AppointmentRecord) -> Callable[[], AppointmentRecord]:
        return lambda: _set_status(services, record)

    verb = {
        AppointmentStatus.CANCELLED: "Cancel",
        AppointmentStatus.NO_SHOW: "No-show for",
        AppointmentStatus.ARRIVED: "Check in",
        AppointmentStatus.IN_TREATMENT: "In treatment:",
        AppointmentStatus.COMPLETED: "Completed:",
        AppointmentStatus.BOOKED: "Back to booked:",
    }[after.status]
    return ServiceCommand(
        f"{verb} {after.patient_name}",
        to(after),
        to(before),
        notify=notify,
        show_error=show_error,
    )


def _set_status(services: Services, record: AppointmentRecord) -> AppointmentRecord:
    return services.appointments.set_status(record.id, record.status, reason=record.cancel_reason)
