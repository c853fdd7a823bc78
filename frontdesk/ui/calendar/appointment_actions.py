"""What the desk does to appointments from the calendar, in one place.

Booking, moving, status changes, cancelling, walk-ins, courses and wait-list offers all
follow the same steps: ask what is needed (a dialog), call the service through
:func:`attempt` (which asks about working hours and safety), put the change on the undo
stack, tell the calendar to fetch again, and, when time came free, show who on the waiting
list could take it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QWidget

from frontdesk.domain.enums import AppointmentStatus
from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.records import AppointmentRecord
from frontdesk.ui.calendar.questions import CourseScope, Questions, attempt
from frontdesk.ui.calendar.undo_commands import ServiceCommand, move_command, status_command
from frontdesk.ui.dialogs.booking_dialog import BookingDialog, BookingPrefill, exec_modal
from frontdesk.ui.models.appointments import AppointmentBook

if TYPE_CHECKING:
    from frontdesk.services.hub import Services

#: forward steps offered in the menu, in life-cycle order
STATUS_STEPS = (
    AppointmentStatus.ARRIVED,
    AppointmentStatus.IN_TREATMENT,
    AppointmentStatus.COMPLETED,
    AppointmentStatus.NO_SHOW,
    AppointmentStatus.CANCELLED,
    AppointmentStatus.BOOKED,
)


def allowed_statuses(status: AppointmentStatus) -> set[AppointmentStatus]:
    """The statuses an appointment may move to from ``status``."""
    from frontdesk.services import appointments

    table: dict[AppointmentStatus, set[AppointmentStatus]] = getattr(
        appointments, "TRANSITIONS", {}
    )
    return set(table.get(status, set()))


def hub_service(services: Services, attribute: str, module: str, class_name: str) -> Any:
    """A service the hub offers, or one built on the hub when it does not list it."""
    found = getattr(services, attribute, None)
    if found is not None:
        return found
    import importlib

    try:
        loaded = importlib.import_module(module)
    except ImportError:
        return None
    factory = getattr(loaded, class_name, None)
    return factory(services) if factory is not None else None


class AppointmentActions(QObject):
    """Carries out the calendar's requests; emits ``changed`` with the record to select."""

    #: the appointment to show and select after a change (None: just refresh)
    changed = Signal(object)

    def __init__(
        self,
        services: Services,
        book: AppointmentBook,
        parent_widget: QWidget,
        *,
        undo_stack: QUndoStack | None = None,
    ) -> None:
        super().__init__(parent_widget)
        self.services = services
        self.book = book
        self.parent_widget = parent_widget
        self.questions = Questions(parent_widget)
        self.undo_stack = undo_stack or QUndoStack(self)
        #: how dialogs are run: modally by default; tests fill them in instead
        self.exec_dialog: Callable[[QDialog], int] = exec_modal
        #: wait-list offers still open (non-blocking windows)
        self.offer_windows: list[QWidget] = []
        #: the last service chosen for a walk-in, offered first next time
        self.last_walk_in_service: int | None = None

    # -- shared steps ----------------------------------------------------------------------

    def _refresh(self, record: AppointmentRecord | None = None) -> None:
        self.book.invalidate()
        self.changed.emit(record)

    def _push(self, command: ServiceCommand) -> None:
        self.undo_stack.push(command)

    def _command_done(self, result: Any) -> None:
        record = result if isinstance(result, AppointmentRecord) else None
        if isinstance(result, list) and result and isinstance(result[0], AppointmentRecord):
            record = result[0]
        self._refresh(record)

    @property
    def waitlist(self) -> Any:
        return hub_service(
            self.services, "waitlist", "frontdesk.services.waitlist", "WaitlistService"
        )

    @property
    def walk_ins(self) -> Any:
        return hub_service(
            self.services, "walk_ins", "frontdesk.services.walk_ins", "WalkInService"
        )

    @property
    def courses(self) -> Any:
        return hub_service(self.services, "courses", "frontdesk.services.courses", "CourseService")

    # -- booking ---------------------------------------------------------------------------

    def book_new(self, prefill: BookingPrefill) -> AppointmentRecord | None:
        """Open the booking dialog filled in from the calendar; book what it says."""
        record = BookingDialog.ask(
            self.services,
            prefill,
            self.parent_widget,
            questions=self.questions,
            suggest_room=self.suggest_room,
            exec_dialog=self.exec_dialog,
        )
        if record is not None:
            self._refresh(record)
        return record

    def suggest_room(
        self, starts_at: datetime, ends_at: datetime, practitioner_id: int | None
    ) -> int | None:
        """The first room free at that time, from the appointments already fetched."""
        day = starts_at.astimezone(self.book.tz).date()
        busy = {
            r.room_id
            for r in self.book.records_on(day)
            if r.room_id is not None
            and r.status.occupies_time
            and r.starts_at < ends_at
            and r.ends_at > starts_at
        }
        # the practitioner's usual room first: the room they use most that day
        usual = [
            r.room_id
            for r in self.book.records_on(day)
            if r.practitioner_id == practitioner_id and r.room_id is not None
        ]
        ordered = sorted(set(usual), key=usual.count, reverse=True) + [
            room.id for room in self.book.rooms
        ]
        return next((room for room in ordered if room not in busy), None)

    # -- moving ----------------------------------------------------------------------------

    def move(
        self,
        record: AppointmentRecord,
        starts_at: datetime,
        *,
        practitioner_id: int | None = None,
        room_id: int | bool | None = False,
    ) -> AppointmentRecord | None:
        """Move an appointment (asks about course sessions and working hours); undoable."""
        if record.status is AppointmentStatus.COMPLETED:
            self.questions.show_error(FrontdeskError("A completed appointment cannot be moved."))
            return None
        ends_at = starts_at + (record.ends_at - record.starts_at)
        scope = CourseScope.ONLY_THIS
        courses = self.courses if record.course_id is not None else None
        if courses is not None:
            chosen = self.questions.course_scope(
                "Move only this session, or this and the following ones by the same amount?"
            )
            if chosen is None:
                return None
            scope = chosen
        if courses is not None:
            scope_text = "following" if scope is CourseScope.THIS_AND_FOLLOWING else "this"
            moved = attempt(
                self.questions,
                lambda **options: courses.change_session(
                    record.id,
                    starts_at,
                    scope_text,
                    practitioner_id=practitioner_id,
                    room_id=room_id,
                    **options,
                ),
                accepts=frozenset({"allow_outside_hours"}),
            )
            if not moved:
                return None
            after = next((r for r in moved if r.id == record.id), moved[0])
            offset_back = record.starts_at
            self._push(
                ServiceCommand(
                    f"Move course sessions of {record.patient_name}",
                    lambda: courses.change_session(
                        record.id,
                        starts_at,
                        scope_text,
                        practitioner_id=practitioner_id,
                        room_id=room_id,
                        allow_outside_hours=True,
                    ),
                    lambda: courses.change_session(
                        record.id,
                        offset_back,
                        scope_text,
                        practitioner_id=record.practitioner_id,
                        room_id=record.room_id,
                        allow_outside_hours=True,
                    ),
                    notify=self._command_done,
                    show_error=self.questions.show_error,
                )
            )
        else:
            after = attempt(
                self.questions,
                lambda **options: self.services.appointments.move(
                    record.id,
                    starts_at,
                    practitioner_id=practitioner_id,
                    room_id=room_id,
                    ends_at=ends_at,
                    expected_version=record.version,
                    **options,
                ),
                accepts=frozenset({"allow_outside_hours"}),
            )
            if after is None:
                self._refresh(None)
                return None
            self._push(
                move_command(
                    self.services,
                    record,
                    after,
                    tz=self.book.tz,
                    notify=self._command_done,
                    show_error=self.questions.show_error,
                )
            )
        self._refresh(after)
        self.offer_freed_time(record)
        return after

    def reschedule(self, record: AppointmentRecord) -> AppointmentRecord | None:
        """Move through the reschedule dialog."""
        from frontdesk.ui.dialogs.reschedule_dialog import RescheduleDialog

        chosen = RescheduleDialog.ask(
            self.services, record, self.parent_widget, exec_dialog=self.exec_dialog
        )
        if chosen is None:
            return None
        return self.move(
            record,
            chosen.starts_at,
            practitioner_id=chosen.practitioner_id,
            room_id=chosen.room_id,
        )

    # -- statuses --------------------------------------------------------------------------

    def set_status(
        self, record: AppointmentRecord, status: AppointmentStatus, *, reason: str | None = None
    ) -> AppointmentRecord | None:
        """Check in, in treatment, completed, no-show, cancel (asks the reason); undoable."""
        if status is AppointmentStatus.CANCELLED and reason is None:
            reason = self.ask_cancel_reason(record)
            if reason is None:
                return None
        try:
            after = self.services.appointments.set_status(
                record.id, status, reason=reason or "", expected_version=record.version
            )
        except FrontdeskError as error:
            self.questions.show_error(error)
            self._refresh(None)
            return None
        self._push(
            status_command(
                self.services,
                record,
                after,
                notify=self._command_done,
                show_error=self.questions.show_error,
            )
        )
        self._refresh(after)
        if record.status.occupies_time and not after.status.occupies_time:
            self.offer_freed_time(record)
        return after

    def ask_cancel_reason(self, record: AppointmentRecord) -> str | None:
        from frontdesk.ui.dialogs.cancel_dialog import CancelDialog

        hours = int(self.book.settings.get("late_cancel_hours", 24))
        return CancelDialog.ask(
            record,
            now=self.book.now(),
            tz=self.book.tz,
            late_cancel_hours=hours,
            parent=self.parent_widget,
            exec_dialog=self.exec_dialog,
        )

    # -- the waiting list ------------------------------------------------------------------

    def offer_freed_time(self, freed: AppointmentRecord) -> list[Any]:
        """Show who on the waiting list could take the time ``freed`` held, best first."""
        service = self.waitlist
        if service is None:
            return []
        try:
            matches = list(service.matches_for_freed_slot(freed, limit=8))
        except FrontdeskError:
            return []
        if not matches:
            return []
        from frontdesk.ui.dialogs.waitlist_dialog import WaitlistOfferDialog

        window = WaitlistOfferDialog(freed, matches, self.book.tz, self.parent_widget)
        window.book_requested.connect(lambda match, w=window: self.book_from_match(match, w))
        window.finished.connect(lambda _result, w=window: self._forget_offer(w))
        self.offer_windows.append(window)
        window.show()
        return matches

    def _forget_offer(self, window: QWidget) -> None:
        if window in self.offer_windows:
            self.offer_windows.remove(window)

    def book_from_match(
        self, match: Any, window: QWidget | None = None
    ) -> AppointmentRecord | None:
        service = self.waitlist
        if service is None:
            return None
        record = attempt(
            self.questions,
            lambda **options: service.book_from_match(match, **options),
            accepts=frozenset({"acknowledged_warnings", "override_reason"}),
        )
        if record is None:
            return None
        if window is not None:
            window.close()
        self._refresh(record)
        return record

    def add_to_waitlist(self, record: AppointmentRecord | None = None) -> Any:
        """Put a patient on the waiting list (from an appointment: wants an earlier time)."""
        from frontdesk.ui.calendar.waitlist_entry_dialog import WaitlistEntryDialog

        service = self.waitlist
        if service is None:
            return None
        return WaitlistEntryDialog.ask(
            self.services,
            service,
            self.parent_widget,
            appointment=record,
            questions=self.questions,
            exec_dialog=self.exec_dialog,
        )

    # -- walk-ins and courses --------------------------------------------------------------

    def walk_in(self) -> AppointmentRecord | None:
        """Book and check in a walk-in through the walk-in dialog."""
        from frontdesk.ui.dialogs.walk_in_dialog import WalkInDialog

        service = self.walk_ins
        if service is None:
            return None
        result = WalkInDialog.ask(
            self.services,
            service,
            self.parent_widget,
            questions=self.questions,
            last_service_id=self.last_walk_in_service,
            exec_dialog=self.exec_dialog,
        )
        if result is None:
            return None
        self.last_walk_in_service = result.service_id
        self._refresh(result)
        return result

    def book_course(self, prefill: BookingPrefill | None = None) -> list[AppointmentRecord]:
        """Plan, preview and book a course through the course dialog."""
        from frontdesk.ui.dialogs.course_dialog import CourseDialog

        service = self.courses
        if service is None:
            return []
        booked = CourseDialog.ask(
            self.services,
            service,
            self.parent_widget,
            questions=self.questions,
            prefill=prefill,
            exec_dialog=self.exec_dialog,
        )
        if booked:
            self._refresh(booked[0])
        return booked


def with_status(record: AppointmentRecord, status: AppointmentStatus) -> AppointmentRecord:
    """A copy with another status (for showing a change before it is saved)."""
    return replace(record, status=status)
