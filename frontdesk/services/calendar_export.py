"""What leaves the appointment book on paper or as a file: a patient's upcoming
appointments as an iCalendar (.ics) file, and the input of the printed day sheet.

``icalendar`` and ReportLab are imported when first used: printing is rare next to
starting the program.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.models import Appointment, ClinicProfile, Patient, Service
from frontdesk.documents.data import ClinicHeader, DaySheetInput, DaySheetRow, PrintOptions
from frontdesk.domain import safety
from frontdesk.domain.enums import FREEING_STATUSES, PaperSize
from frontdesk.domain.errors import NotFoundError
from frontdesk.domain.intake import IntakeData
from frontdesk.domain.permissions import Permission
from frontdesk.domain.scheduling import day_bounds
from frontdesk.services import safety_checks
from frontdesk.services.appointments import (
    active_practitioners,
    clinic_timezone,
    overlapping,
    service_kinds,
)
from frontdesk.services.base import ServiceBase
from frontdesk.services.records import AppointmentRecord

PRODID = "-//Frontdesk//Appointment book//EN"


def appointment_uid(appointment_id: int, clinic_created_at: datetime) -> str:
    """The iCalendar UID of an appointment: the same in every file exported for it (so a
    calendar program updates the event instead of adding a copy), and different from any
    other clinic database's appointment of the same number."""
    stamp = clinic_created_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"appointment-{appointment_id}-{stamp}@frontdesk"


def _profile(s: Session) -> ClinicProfile:
    profile = s.get(ClinicProfile, 1)
    if profile is None:
        raise NotFoundError("The clinic has not been set up yet.")
    return profile


def _one_line(address: str) -> str:
    return ", ".join(part.strip() for part in address.splitlines() if part.strip())


class CalendarExportService(ServiceBase):
    """Appointment files for patients and day sheets for the desk."""

    def upcoming_for_patient(self, patient_id: int) -> list[AppointmentRecord]:
        """The patient's appointments not yet over that still hold their place, in order."""
        now = self.now()
        return [
            r
            for r in self.hub.appointments.for_patient(patient_id)
            if r.ends_at > now and r.status.occupies_time
        ]

    def patient_ics(self, patient_id: int) -> bytes:
        """The patient's upcoming appointments as an iCalendar file (bytes, UTF-8, CRLF).

        One VEVENT per appointment that is not over and not cancelled, with a UID that
        stays the same for the appointment, start and end in UTC, the service and clinic
        as the title, the clinic's address as the place and the practitioner in the
        description. A patient with nothing booked gets a valid calendar with no events.
        """
        from icalendar import Calendar, Event

        self.hub.require(Permission.PRINT_FORMS)
        now = self.now()
        with self.db.read() as s:
            profile = _profile(s)
            if s.get(Patient, patient_id) is None:
                raise NotFoundError(f"There is no patient number {patient_id}.")
            clinic_name, address, phone = profile.name, profile.address, profile.phone
            created = profile.created_at
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", f"{clinic_name}: appointments")
        for record in self.upcoming_for_patient(patient_id):
            event = Event()
            event.add("uid", appointment_uid(record.id, created))
            event.add("dtstamp", now.astimezone(UTC))
            event.add("dtstart", record.starts_at.astimezone(UTC))
            event.add("dtend", record.ends_at.astimezone(UTC))
            # calendar programs keep the newest version of an event by its sequence number
            event.add("sequence", max(0, record.version - 1))
            event.add("summary", f"{record.service_name} at {clinic_name}")
            if address.strip():
                event.add("location", _one_line(address))
            lines = [f"With {record.practitioner_name}."]
            if record.room_name:
                lines.append(f"Room: {record.room_name}.")
            if phone:
                lines.append(f"To change or cancel, please call {phone}.")
            event.add("description", "\n".join(lines))
            event.add("status", "CONFIRMED")
            calendar.add_component(event)
        return bytes(calendar.to_ical())

    def clinic_header(self) -> ClinicHeader:
        """The clinic as the top of a printed page shows it."""
        with self.db.read() as s:
            profile = _profile(s)
            return ClinicHeader(
                name=profile.name,
                address_lines=tuple(
                    line.strip() for line in profile.address.splitlines() if line.strip()
                ),
                phone=profile.phone,
                email=profile.email,
                logo=profile.logo,
            )

    def day_sheet_input(self, day: date, practitioner_id: int | None = None) -> DaySheetInput:
        """The day sheet of the local ``day``: every appointment (cancelled and no-show
        ones too, printed struck through), for one practitioner or the whole clinic.

        Rows carry local times, the room, the status, the patient's safety summary and
        notes; a row is marked urgent when the patient has warning signs to refer on or a
        safety rule stops that service.
        """
        with self.db.read() as s:
            tz = clinic_timezone(s)
            practitioners = active_practitioners(s)
            chosen = active_practitioners(s, practitioner_id)[0] if practitioner_id else None
            bounds = day_bounds(day, tz)
            ids = list(
                s.scalars(select(Appointment.id).where(overlapping(bounds.start, bounds.end)))
            )
            records = self.hub.appointments.records(s, ids)
            if chosen is not None:
                records = [r for r in records if r.practitioner_id == chosen.id]
            urgent = self._urgent(s, records)
        rows = tuple(
            DaySheetRow(
                start=r.starts_at.astimezone(tz),
                end=r.ends_at.astimezone(tz),
                patient=r.patient_name,
                service=r.service_name,
                practitioner=r.practitioner_name,
                room=r.room_name,
                status=r.status,
                flags=r.flag_summary,
                notes=(r.cancel_reason if r.status in FREEING_STATUSES else r.notes),
                urgent=r.id in urgent and r.status.occupies_time,
            )
            for r in records
        )
        return DaySheetInput(
            day=day,
            rows=rows,
            practitioner=chosen.name if chosen else None,
            practitioner_order=tuple(p.name for p in practitioners),
        )

    @staticmethod
    def _urgent(s: Session, records: list[AppointmentRecord]) -> set[int]:
        intakes = safety_checks.latest_intakes(s, {r.patient_id for r in records})
        assessments = {
            patient_id: safety.assess(IntakeData.from_dict(intake.data))
            for patient_id, intake in intakes.items()
        }
        services = {sv.id: sv for sv in s.scalars(select(Service))}
        urgent: set[int] = set()
        for r in records:
            assessment = assessments.get(r.patient_id)
            if assessment is None:
                continue
            decision = assessment.decision_for(service_kinds(services[r.service_id]))
            if assessment.red_flags or decision.stops:
                urgent.add(r.id)
        return urgent

    def day_sheet_pdf(
        self,
        day: date,
        practitioner_id: int | None = None,
        *,
        page_per_practitioner: bool = False,
    ) -> bytes:
        """The printed day sheet as PDF bytes, on the clinic's paper size (slow: run it off
        the main thread)."""
        self.hub.require(Permission.PRINT_FORMS)
        from dataclasses import replace

        from frontdesk.documents import render_day_sheet

        data = self.day_sheet_input(day, practitioner_id)
        if page_per_practitioner:
            data = replace(data, page_per_practitioner=True)
        paper = self.hub.clinic.profile().paper_size
        return render_day_sheet(
            data,
            self.clinic_header(),
            options=PrintOptions(paper=PaperSize(paper), created=self.now()),
        )
