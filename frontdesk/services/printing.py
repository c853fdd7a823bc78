"""Printed documents from the clinic's records: intake forms, aftercare handouts, progress
reports and day sheets, as PDF bytes.

This service reads the database (one short session per document, or one for a whole day of
handouts), turns what it finds into the plain inputs of :mod:`frontdesk.documents`, and
hands them to the ReportLab builders. The clinic profile gives every document its header
(name, address, phone, e-mail, logo) and its paper size.

Who may print what:

* blank and fillable intake forms, aftercare handouts and day sheets: anyone at the desk
  (the "print forms" permission);
* a filled intake summary and a progress report: clinical readers only, and each is
  written to the audit trail as a print of the record;
* a fillable form for a named patient starts with the patient's details filled in; the
  answers of their latest intake are filled in too when the user may read clinical records.

Rendering takes a moment (ReportLab loads on the first document): screens run these
methods off the main thread.
"""

from __future__ import annotations

import importlib
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from anyascii import anyascii
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from frontdesk.db.models import (
    Appointment,
    AuditEntry,
    Intake,
    Patient,
    Practitioner,
    TreatmentCourse,
    User,
    Visit,
)
from frontdesk.documents.data import (
    AftercareInput,
    ClinicHeader,
    IntakeFormContext,
    NextAppointment,
    PatientLine,
    PrintOptions,
    ProgressInput,
    VisitSummary,
)
from frontdesk.documents.from_domain import aftercare_cautions, intake_changes, mnsi_trend
from frontdesk.domain.enums import FREEING_STATUSES, AppointmentStatus, PaperSize, ServiceKind
from frontdesk.domain.errors import FrontdeskError, NotFoundError, ValidationError
from frontdesk.domain.intake import IntakeData
from frontdesk.domain.permissions import Permission
from frontdesk.domain.scheduling import day_bounds
from frontdesk.services import audit
from frontdesk.services.appointments import clinic_timezone, service_kinds
from frontdesk.services.base import ServiceBase
from frontdesk.services.records import display_name

#: how many upcoming appointments an aftercare handout lists at most
NEXT_APPOINTMENTS_SHOWN = 6

#: a progress report lists at most this many visits (the latest ones); the charts show all
PROGRESS_VISITS_LISTED = 60


class DayHandout(NamedTuple):
    """One aftercare handout of a day: which visit, for whom, the PDF and a file name."""

    visit_id: int
    patient_name: str
    pdf: bytes
    #: a file name safe on every system, e.g. "aftercare-2026-03-03-1000-ann-lee-v12.pdf"
    file_name: str


@dataclass(frozen=True)
class DayVisit:
    """A visit recorded on a given day, as a list of handouts to print names it."""

    visit_id: int
    appointment_id: int
    patient_id: int
    patient_name: str
    starts_at: datetime  # local time
    practitioner_name: str
    file_name: str


def _documents() -> Any:
    # Loaded by name: the renderers pull in ReportLab (slow to import, and untyped), and
    # the services' strict type check should not follow into them.
    return importlib.import_module("frontdesk.documents")


def file_stem(text: str, limit: int = 40) -> str:
    """Lower-case ASCII words joined by dashes: any script becomes a portable file name."""
    words = re.findall(r"[a-z0-9]+", anyascii(text).lower())
    slug = "-".join(words)[:limit].strip("-")
    return slug or "patient"


def handout_file_name(visit_id: int, legal_name: str, starts_at: datetime) -> str:
    """The file name of a visit's aftercare handout: date, time, patient and visit number.

    Only ASCII letters, digits and dashes, so the file can be copied to any system; the
    visit number keeps two patients of the same name apart.
    """
    return f"aftercare-{starts_at:%Y-%m-%d-%H%M}-{file_stem(legal_name)}-v{visit_id}.pdf"


def _name_words(name: str) -> set[str]:
    """The words of a name, folded to plain ASCII: "Zoë" and "Zoe" compare equal."""
    return set(re.findall(r"[a-z0-9]+", anyascii(name).lower()))


def write_whole(target: Path, data: bytes) -> None:
    """Write a document to ``target`` whole or not at all: through a temporary file beside
    it (readable by the owner only, like the clinic's other exports), then renamed.

    Raises FrontdeskError, in words, when the folder or file cannot be written.
    """
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as error:
        raise FrontdeskError(
            f"Cannot write into {target.parent}: {error.strerror or error}."
        ) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise FrontdeskError(f"Cannot write {target}: {error.strerror or error}.") from None


def _patient_line(patient: Patient) -> PatientLine:
    return PatientLine(
        name=display_name(patient.legal_name, patient.preferred_name, patient.other_script_name),
        date_of_birth=patient.date_of_birth,
        chart_number=patient.chart_number,
        phone=patient.phone,
        preferred_language=patient.preferred_language or "en",
    )


def _latest_intake(s: Session, patient_id: int) -> Intake | None:
    return s.scalars(
        select(Intake)
        .where(Intake.patient_id == patient_id)
        .order_by(Intake.version_no.desc())
        .limit(1)
    ).first()


def _author(s: Session, row: Intake) -> str:
    """Who saved an intake version: the user's name, else the name the audit trail kept."""
    if row.created_by_id is not None:
        name = s.scalar(select(User.display_name).where(User.id == row.created_by_id))
        if name:
            return str(name)
    username = s.scalar(
        select(AuditEntry.username)
        .where(
            AuditEntry.entity == "intake",
            AuditEntry.action == "create",
            AuditEntry.entity_id == row.id,
        )
        .limit(1)
    )
    return str(username) if username else ""


def _visit_kinds(visit: Visit | None, appointment: Appointment) -> tuple[ServiceKind, ...]:
    """The services performed: the visit's own list, else what was booked."""
    if visit is not None:
        kinds = [ServiceKind(k) for k in (visit.data or {}).get("services") or []]
        if kinds:
            return tuple(dict.fromkeys(kinds))
    return service_kinds(appointment.service)


class PrintService(ServiceBase):
    """Every printed document, from the database to PDF bytes."""

    # -- what every document shares --------------------------------------------------------

    def clinic_header(self) -> ClinicHeader:
        """The clinic's name, address, phone, e-mail and logo, for the top of each page."""
        return self.hub.calendar_export.clinic_header()

    def print_options(self) -> PrintOptions:
        """The clinic's paper size (A4 or Letter); the file's date is the service clock's."""
        paper = PaperSize(self.hub.clinic.profile().paper_size)
        return PrintOptions(paper=paper, created=self.now())

    def _audit_print(
        self, s: Session, entity: str, entity_id: int | None, patient_id: int, what: str
    ) -> None:
        audit.record(
            s,
            self.actor,
            self.now(),
            "print",
            entity,
            entity_id,
            patient_id=patient_id,
            changes={"what": what},
        )

    def _patient(self, s: Session, patient_id: int) -> Patient:
        patient = s.get(Patient, patient_id)
        if patient is None:
            raise NotFoundError(f"There is no patient number {patient_id}.")
        return patient

    # -- intake forms ----------------------------------------------------------------------

    def form_language(self) -> str:
        """The language of intake forms printed for no one in particular: the clinic's
        ``language`` setting (a tag such as "zh"), else English."""
        with self.db.read() as s:
            language = self.hub.settings(s).get("language")
        return str(language) if language else "en"

    def blank_intake(self, language: str | None = None) -> bytes:
        """The paper intake form to fill in by hand (tick boxes, lines, body map, consent).

        It prints in ``language`` (e.g. "zh" for Simplified Chinese), else in the clinic's
        language (:meth:`form_language`); a language without texts prints in English.
        """
        self.hub.require(Permission.PRINT_FORMS)
        return bytes(
            _documents().render_blank_intake(
                self.clinic_header(),
                options=self.print_options(),
                language=language or self.form_language(),
            )
        )

    def fillable_intake(self, patient_id: int | None = None, language: str | None = None) -> bytes:
        """The intake form with fields to fill in on a tablet or computer.

        For a patient, the form starts with their name, date of birth and contact details;
        a user who may read clinical records also gets the answers of the latest intake
        filled in, so a returning patient only corrects what changed. It prints in
        ``language``, else in the patient's preferred language, else in the clinic's.
        """
        self.hub.require(Permission.PRINT_FORMS)
        context: Any = None
        details: dict[str, Any] | None = None
        intake: IntakeData | None = None
        if patient_id is not None:
            with self.db.write() as s:
                patient = self._patient(s, patient_id)
                details = {
                    "name": patient.legal_name,
                    "date_of_birth": patient.date_of_birth.isoformat()
                    if patient.date_of_birth
                    else "",
                    "phone": patient.phone,
                    "email": patient.email,
                    "address": patient.address,
                    "emergency_contact": patient.emergency_contact_name,
                    "emergency_phone": patient.emergency_contact_phone,
                    "preferred_language": patient.preferred_language,
                    "heard_about": patient.referral_source,
                }
                context = IntakeFormContext(
                    patient=_patient_line(patient), completed_on=self.now().date()
                )
                if self.hub.can(Permission.VIEW_CLINICAL):
                    row = _latest_intake(s, patient_id)
                    if row is not None:
                        intake = IntakeData.from_dict(row.data).patient_part()
                        self._audit_print(
                            s, "intake", row.id, patient_id, "fillable intake form, prefilled"
                        )
        if language is None and context is None:
            language = self.form_language()
        return bytes(
            _documents().render_fillable_intake(
                self.clinic_header(),
                options=self.print_options(),
                context=context,
                intake=intake,
                patient_details=details,
                language=language,
            )
        )

    def filled_intake(
        self,
        patient_id: int,
        intake_id: int | None = None,
        *,
        include_practitioner_findings: bool = True,
    ) -> bytes:
        """A saved intake version as a summary a referring doctor can read (flags, scores).

        ``intake_id`` picks a version (default: the latest). Leave out the practitioner's
        findings (pulse, tongue, pattern, plan) for the patient's own copy.
        """
        self.hub.require(Permission.VIEW_CLINICAL)
        with self.db.write() as s:
            patient = self._patient(s, patient_id)
            if intake_id is None:
                row = _latest_intake(s, patient_id)
                if row is None:
                    raise NotFoundError(
                        f"{patient.legal_name} has no intake yet; print a blank or fillable "
                        "form instead."
                    )
            else:
                found = s.get(Intake, intake_id)
                if found is None or found.patient_id != patient_id:
                    raise NotFoundError(
                        f"There is no intake number {intake_id} for {patient.legal_name}."
                    )
                row = found
            tz = clinic_timezone(s)
            data = IntakeData.from_dict(row.data)
            context = IntakeFormContext(
                patient=_patient_line(patient),
                completed_on=row.created_at.astimezone(tz).date(),
                version=row.version_no,
                recorded_by=_author(s, row),
            )
            self._audit_print(
                s,
                "intake",
                row.id,
                patient_id,
                "intake summary" + ("" if include_practitioner_findings else " (patient's copy)"),
            )
        return bytes(
            _documents().render_filled_intake(
                data,
                self.clinic_header(),
                context=context,
                options=self.print_options(),
                include_practitioner_findings=include_practitioner_findings,
            )
        )

    def form_warnings(self, patient_id: int, details: Mapping[str, Any]) -> list[str]:
        """What to check before saving a filled form for this patient: a name or date of
        birth on the form that is not the patient's (the form may belong to someone else)."""
        self.hub.require(Permission.VIEW_PATIENTS)
        with self.db.read() as s:
            patient = self._patient(s, patient_id)
            names = (patient.legal_name, patient.preferred_name, patient.other_script_name)
            born = patient.date_of_birth
            legal = patient.legal_name
        warnings = []
        written = str(details.get("name") or "").strip()
        known = set().union(*(_name_words(n) for n in names))
        if written and not _name_words(written) <= known:
            warnings.append(
                f"The name on the form, {written}, is not the name of patient #{patient_id} "
                f"({legal}). Check that the form belongs to this patient."
            )
        written_born = str(details.get("date_of_birth") or "").strip()
        if written_born and born is not None and written_born != born.isoformat():
            warnings.append(
                f"The date of birth on the form, {written_born}, differs from the one on "
                f"record ({born.isoformat()})."
            )
        return warnings

    # -- aftercare handouts ----------------------------------------------------------------

    def _next_appointments(
        self, s: Session, patient_id: int, after: datetime, tz: ZoneInfo
    ) -> tuple[NextAppointment, ...]:
        rows = s.scalars(
            select(Appointment)
            .where(
                Appointment.patient_id == patient_id,
                Appointment.starts_at >= after,
                Appointment.status.not_in([st.value for st in FREEING_STATUSES]),
                Appointment.status != AppointmentStatus.COMPLETED.value,
            )
            .options(joinedload(Appointment.service), joinedload(Appointment.practitioner))
            .order_by(Appointment.starts_at)
            .limit(NEXT_APPOINTMENTS_SHOWN)
        ).unique()
        return tuple(
            NextAppointment(
                start=a.starts_at.astimezone(tz),
                service=a.service.name,
                practitioner=a.practitioner.name,
                duration_minutes=int((a.ends_at - a.starts_at).total_seconds() // 60),
            )
            for a in rows
        )

    def _aftercare_input(
        self,
        s: Session,
        appointment: Appointment,
        visit: Visit | None,
        tz: ZoneInfo,
        note: str = "",
    ) -> AftercareInput:
        patient = appointment.patient
        row = _latest_intake(s, patient.id)
        intake = IntakeData.from_dict(row.data) if row is not None else None
        after = max(appointment.ends_at, self.now())
        return AftercareInput(
            patient=_patient_line(patient),
            visit_date=appointment.starts_at.astimezone(tz).date(),
            practitioner=appointment.practitioner.name,
            services=_visit_kinds(visit, appointment),
            neuropathy_symptoms=bool(intake is not None and intake.has_neuropathy_symptoms),
            cautions=aftercare_cautions(intake),
            # a note given when printing wins over the one written with the visit
            practitioner_note=note.strip() or _visit_note(visit),
            next_appointments=self._next_appointments(s, patient.id, after, tz),
        )

    def _appointment(self, s: Session, appointment_id: int) -> Appointment:
        found = s.scalars(
            select(Appointment)
            .where(Appointment.id == appointment_id)
            .options(
                joinedload(Appointment.patient),
                joinedload(Appointment.practitioner),
                joinedload(Appointment.service),
            )
        ).first()
        if found is None:
            raise NotFoundError(f"There is no appointment number {appointment_id}.")
        return found

    def aftercare_input(self, visit_id: int, note: str = "") -> AftercareInput:
        """What the aftercare handout of a visit says, before it is laid out (for checks)."""
        self.hub.require(Permission.PRINT_FORMS)
        with self.db.write() as s:
            visit = s.get(Visit, visit_id)
            if visit is None:
                raise NotFoundError(f"There is no visit number {visit_id}.")
            appointment = self._appointment(s, visit.appointment_id)
            data = self._aftercare_input(s, appointment, visit, clinic_timezone(s), note)
            self._audit_print(s, "visit", visit.id, visit.patient_id, "aftercare handout")
            return data

    def aftercare(self, visit_id: int, note: str = "") -> bytes:
        """The aftercare handout of a visit, in the patient's preferred language.

        It has the services received (and only their aftercare sections), neuropathy home
        care when the patient reports neuropathy symptoms, cautions from the latest
        intake's safety flags, ``note`` (the practitioner's personal note, if any), the next
        booked appointments, and when to call the clinic or seek urgent care.
        """
        data = self.aftercare_input(visit_id, note)
        return bytes(
            _documents().render_aftercare(data, self.clinic_header(), options=self.print_options())
        )

    def aftercare_for_appointment(self, appointment_id: int, note: str = "") -> bytes:
        """The aftercare handout of an appointment: the recorded visit's services, or the
        booked service when the visit is not recorded yet (so the desk can print at once)."""
        self.hub.require(Permission.PRINT_FORMS)
        with self.db.write() as s:
            appointment = self._appointment(s, appointment_id)
            if AppointmentStatus(appointment.status) in FREEING_STATUSES:
                raise ValidationError(
                    "This appointment was cancelled or missed, so there is no treatment "
                    "to give aftercare advice for."
                )
            visit = s.scalars(select(Visit).where(Visit.appointment_id == appointment_id)).first()
            data = self._aftercare_input(s, appointment, visit, clinic_timezone(s), note)
            self._audit_print(
                s,
                "visit" if visit else "appointment",
                visit.id if visit else appointment.id,
                appointment.patient_id,
                "aftercare handout",
            )
        return bytes(
            _documents().render_aftercare(data, self.clinic_header(), options=self.print_options())
        )

    def _day_rows(self, s: Session, day: date) -> list[tuple[Visit, Appointment]]:
        bounds = day_bounds(day, clinic_timezone(s))
        rows = s.execute(
            select(Visit, Appointment)
            .join(Appointment, Appointment.id == Visit.appointment_id)
            .where(Appointment.starts_at >= bounds.start, Appointment.starts_at < bounds.end)
            .options(
                joinedload(Appointment.patient),
                joinedload(Appointment.practitioner),
                joinedload(Appointment.service),
            )
            .order_by(Appointment.starts_at, Visit.id)
        ).unique()
        return [(visit, appointment) for visit, appointment in rows.tuples()]

    def day_visits(self, day: date) -> list[DayVisit]:
        """The visits recorded for appointments on the local ``day``, in time order."""
        self.hub.require(Permission.PRINT_FORMS)
        with self.db.read() as s:
            tz = clinic_timezone(s)
            found = []
            for visit, appointment in self._day_rows(s, day):
                p = appointment.patient
                local = appointment.starts_at.astimezone(tz)
                found.append(
                    DayVisit(
                        visit_id=visit.id,
                        appointment_id=appointment.id,
                        patient_id=p.id,
                        patient_name=display_name(
                            p.legal_name, p.preferred_name, p.other_script_name
                        ),
                        starts_at=local,
                        practitioner_name=appointment.practitioner.name,
                        file_name=handout_file_name(visit.id, p.legal_name, local),
                    )
                )
            return found

    def aftercare_for_day(self, day: date) -> list[DayHandout]:
        """The aftercare handout of every visit recorded on the local ``day``, in time order.

        One database session for the whole day and the handout texts read once per
        language, so a busy day prints quickly.
        """
        self.hub.require(Permission.PRINT_FORMS)
        prepared: list[tuple[int, str, str, AftercareInput]] = []
        with self.db.write() as s:
            tz = clinic_timezone(s)
            for visit, appointment in self._day_rows(s, day):
                data = self._aftercare_input(s, appointment, visit, tz)
                local = appointment.starts_at.astimezone(tz)
                name = handout_file_name(visit.id, appointment.patient.legal_name, local)
                prepared.append((visit.id, data.patient.name, name, data))
                self._audit_print(s, "visit", visit.id, visit.patient_id, "aftercare handout")
        if not prepared:
            return []
        documents = _documents()
        header, options = self.clinic_header(), self.print_options()
        texts: dict[str, Any] = {}
        handouts = []
        for visit_id, patient_name, file_name, data in prepared:
            language = data.patient.preferred_language
            if language not in texts:
                texts[language] = documents.load_handout_texts(language)
            pdf = documents.render_aftercare(data, header, options=options, texts=texts[language])
            handouts.append(DayHandout(visit_id, patient_name, bytes(pdf), file_name))
        return handouts

    # -- progress report -------------------------------------------------------------------

    def _course_line(self, s: Session, patient_id: int) -> str:
        course = s.scalars(
            select(TreatmentCourse)
            .where(TreatmentCourse.patient_id == patient_id, TreatmentCourse.cancelled.is_(False))
            .order_by(TreatmentCourse.created_at.desc(), TreatmentCourse.id.desc())
            .limit(1)
        ).first()
        if course is None:
            return ""
        done = s.scalar(
            select(func.count()).where(
                Appointment.course_id == course.id,
                Appointment.status == AppointmentStatus.COMPLETED.value,
            )
        )
        return (
            f"{course.title}: {course.sessions_planned} sessions, {course.per_week} a week "
            f"({int(done or 0)} of {course.sessions_planned} done)"
        )

    def _prepared_by(self, s: Session) -> str:
        if self.actor.practitioner_id is not None:
            practitioner = s.get(Practitioner, self.actor.practitioner_id)
            if practitioner is not None:
                return practitioner.name
        if self.actor.user_id is not None:
            name = s.scalar(select(User.display_name).where(User.id == self.actor.user_id))
            if name:
                return str(name)
        return ""

    def progress_input(
        self, patient_id: int, *, addressed_to: str = "", summary: str = ""
    ) -> ProgressInput:
        """What a patient's progress report says, before it is laid out (for checks)."""
        self.hub.require(Permission.VIEW_CLINICAL)
        with self.db.write() as s:
            patient = self._patient(s, patient_id)
            tz = clinic_timezone(s)
            rows = s.execute(
                select(Visit, Appointment)
                .join(Appointment, Appointment.id == Visit.appointment_id)
                .where(Visit.patient_id == patient_id)
                .options(joinedload(Appointment.practitioner), joinedload(Appointment.service))
                .order_by(Appointment.starts_at, Visit.id)
            ).unique()
            visits = []
            for visit, appointment in rows.tuples():
                soap = (visit.data or {}).get("soap") or {}
                visits.append(
                    VisitSummary(
                        when=appointment.starts_at.astimezone(tz).date(),
                        services=tuple(k.label for k in _visit_kinds(visit, appointment)),
                        practitioner=appointment.practitioner.name,
                        pain_before=visit.pain_before,
                        pain_after=visit.pain_after,
                        points=tuple((visit.data or {}).get("points") or ()),
                        note=str(soap.get("assessment") or ""),
                    )
                )
            versions = [
                (row.created_at.astimezone(tz).date(), IntakeData.from_dict(row.data))
                for row in s.scalars(
                    select(Intake)
                    .where(Intake.patient_id == patient_id)
                    .order_by(Intake.version_no)
                )
            ]
            data = ProgressInput(
                patient=_patient_line(patient),
                visits=tuple(visits[-PROGRESS_VISITS_LISTED:]),
                mnsi=mnsi_trend(versions),
                intake_changes=intake_changes(versions),
                course=self._course_line(s, patient_id),
                summary=summary.strip(),
                prepared_by=self._prepared_by(s),
                prepared_on=self.now().astimezone(tz).date(),
                addressed_to=addressed_to.strip(),
            )
            self._audit_print(s, "history", None, patient_id, "progress report")
            return data

    def progress_report(
        self, patient_id: int, *, addressed_to: str = "", summary: str = ""
    ) -> bytes:
        """A patient's progress report: pain and MNSI trend charts, visits with the points
        used, and what changed in the intake over time. ``addressed_to`` (e.g. the
        referring doctor) and ``summary`` (the practitioner's words) print when given."""
        data = self.progress_input(patient_id, addressed_to=addressed_to, summary=summary)
        return bytes(
            _documents().render_progress_report(
                data, self.clinic_header(), options=self.print_options()
            )
        )

    # -- day sheet -------------------------------------------------------------------------

    def day_sheet(
        self,
        day: date,
        practitioner_id: int | None = None,
        *,
        page_per_practitioner: bool = False,
    ) -> bytes:
        """The day's appointments per practitioner (or for one), with safety summaries."""
        return bytes(
            self.hub.calendar_export.day_sheet_pdf(
                day, practitioner_id, page_per_practitioner=page_per_practitioner
            )
        )


def printing_service(hub: Any) -> PrintService:
    """The hub's printing service, or one built on the hub when it does not list one."""
    found = getattr(hub, "printing", None)
    return found if isinstance(found, PrintService) else PrintService(hub)


__all__: Sequence[str] = (
    "DayHandout",
    "DayVisit",
    "PrintService",
    "file_stem",
    "handout_file_name",
    "printing_service",
    "write_whole",
)


def _visit_note(visit: Visit | None) -> str:
    """The practitioner's note for the patient, as recorded with the visit."""
    if visit is None:
        return ""
    value = (visit.data or {}).get("note_for_patient") or ""
    return str(value).strip()
