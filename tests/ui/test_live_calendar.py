"""Two workstations on one database: a booking made at one appears on the other's
calendar within two seconds, without anyone refreshing."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from frontdesk.db.engine import Database
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput
from frontdesk.ui.main_window import MainWindow


def test_a_booking_shows_on_the_other_workstations_calendar(qtbot, clinic, db_url):
    treatment_room_services = Services(Database(db_url))
    try:
        front_desk = MainWindow(clinic)
        treatment_room = MainWindow(treatment_room_services)
        for window in (front_desk, treatment_room):
            qtbot.addWidget(window)
            window.show()
        calendar = treatment_room.show_page("calendar")
        tz = ZoneInfo("Europe/London")
        day = calendar.current_day
        patient = clinic.patients.create(PatientInput(legal_name="Zoë Łukasz-Nguyễn"))
        booked = clinic.appointments.book(
            BookingRequest(
                patient.id,
                clinic.clinic.service_by_code("ACU").id,
                clinic.clinic.practitioners()[0].id,
                datetime.combine(day, time(23, 0), tz),
                datetime.combine(day, time(23, 0), tz) + timedelta(minutes=30),
                room_id=clinic.clinic.rooms()[0].id,
                allow_outside_hours=True,
            )
        )

        def shown() -> bool:
            return booked.id in {b.record.id for b in calendar.current_layout().blocks}

        qtbot.waitUntil(shown, timeout=2000)
    finally:
        treatment_room_services.db.dispose()
