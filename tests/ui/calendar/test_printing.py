"""The day sheet saved as a PDF (made in the background) and a patient's appointment card."""

from __future__ import annotations

import pytest

from frontdesk.services.appointments import BookingRequest
from frontdesk.ui import tasks
from frontdesk.ui.calendar import printing

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def booked(clinic, patient, page):
    record = clinic.appointments.book(
        BookingRequest(
            patient.id,
            clinic.clinic.service_by_code("ACU").id,
            clinic.clinic.practitioners()[0].id,
            page.book.now().replace(hour=15, minute=0, second=0, microsecond=0),
            room_id=clinic.clinic.rooms()[0].id,
        )
    )
    page.book.invalidate()
    page.refresh()
    return record


def test_day_sheet_is_saved_as_pdf_in_the_background(page, booked, tmp_path, monkeypatch, qtbot):
    asked = []

    def choose(_parent, title, suggested, pattern):
        asked.append(suggested)
        return str(tmp_path / "sheet")

    monkeypatch.setattr(printing, "ask_path", choose)
    saved = []
    task = printing.save_day_sheet(page, page.services, page.current_day, on_saved=saved.append)
    assert task is not None
    qtbot.waitUntil(lambda: tasks.pending() == 0, timeout=20_000)
    assert asked == ["day-sheet-2030-03-11.pdf"]
    target = tmp_path / "sheet.pdf"
    assert saved == [target]
    assert target.read_bytes().startswith(b"%PDF")


def test_appointment_card_is_a_valid_calendar_file(page, booked, tmp_path, monkeypatch):
    from icalendar import Calendar

    monkeypatch.setattr(printing, "ask_path", lambda *_args: str(tmp_path / "card.ics"))
    page.day_view.select(booked.id)
    page.save_appointment_card()
    calendar = Calendar.from_ical((tmp_path / "card.ics").read_bytes())
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    assert events[0].decoded("dtstart") == booked.starts_at


def test_nothing_is_saved_when_the_save_dialog_is_cancelled(page, booked, monkeypatch, tmp_path):
    monkeypatch.setattr(printing, "ask_path", lambda *_args: "")
    assert printing.save_day_sheet(page, page.services, page.current_day) is None
    assert list(tmp_path.glob("*.pdf")) == []


def test_a_treated_appointment_offers_the_visit_record_and_the_handout(clinic, page, booked):
    from frontdesk.domain.enums import Role
    from frontdesk.services.context import Actor

    def entries(record):
        return [a.text() for a in page.appointment_menu(record).actions() if a.text()]

    assert "Record the &visit…" not in entries(booked)  # not arrived yet
    arrived = clinic.appointments.check_in(booked.id)
    assert "Record the &visit…" in entries(arrived)
    assert "Print the &aftercare handout…" in entries(arrived)
    # the front desk prints the handout but does not write clinical records
    clinic.actor = Actor(None, "rita", Role.RECEPTIONIST)
    assert "Record the &visit…" not in entries(arrived)
    assert "Print the &aftercare handout…" in entries(arrived)
