"""The plain data the printed documents take.

Callers (services, the CLI, tests) fill these from whatever they hold; nothing here knows
about the database or the screen. All dataclasses are frozen and use tuples, so the same
input always prints the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from frontdesk.domain.enums import AppointmentStatus, PaperSize, ServiceKind


@dataclass(frozen=True)
class ClinicHeader:
    """What the top of every page says about the clinic."""

    name: str
    #: street, town, postcode...; one entry per printed line
    address_lines: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    website: str = ""
    #: a PNG or JPEG logo, as a file path or the file's bytes; skipped (with a log line) if broken
    logo: Path | str | bytes | None = None


@dataclass(frozen=True)
class PrintOptions:
    """How a document is printed: paper size and the creation date written into the file.

    The creation date is fixed (1 January 2000 unless given) so that the same input always
    gives the same bytes.
    """

    paper: PaperSize = PaperSize.A4
    created: datetime | None = None


@dataclass(frozen=True)
class PatientLine:
    """The patient as a document names them."""

    name: str
    date_of_birth: date | None = None
    #: the clinic's chart or file number, if it uses one
    chart_number: str = ""
    phone: str = ""
    #: a language tag such as "en", "zh", "zh-CN"; unknown languages fall back to English
    preferred_language: str = "en"


@dataclass(frozen=True)
class NextAppointment:
    """A booked appointment listed on a handout."""

    start: datetime
    service: str
    practitioner: str = ""
    duration_minutes: int | None = None


@dataclass(frozen=True)
class AftercareInput:
    """Everything an aftercare handout prints for one visit."""

    patient: PatientLine
    visit_date: date
    practitioner: str
    #: services received in the visit; ServiceKind or its string value
    services: tuple[ServiceKind | str, ...]
    #: whether the patient reports neuropathy symptoms (adds the home-care section)
    neuropathy_symptoms: bool = False
    #: caution keys for this patient (see ``aftercare.CAUTION_KEYS``), e.g. "numb_skin"
    cautions: tuple[str, ...] = ()
    #: extra cautions typed by the practitioner, printed as they are
    extra_cautions: tuple[str, ...] = ()
    practitioner_note: str = ""
    next_appointments: tuple[NextAppointment, ...] = ()
    #: print in this language instead of the patient's preferred one
    language: str | None = None


@dataclass(frozen=True)
class DaySheetRow:
    """One appointment on the day sheet."""

    start: time | datetime
    patient: str
    service: str
    practitioner: str
    end: time | datetime | None = None
    room: str = ""
    status: AppointmentStatus | str = AppointmentStatus.BOOKED
    #: the safety summary line, e.g. "Anticoagulant (warfarin); numb feet - no heat"
    flags: str = ""
    notes: str = ""
    #: a red flag or STOP: the row is printed in the alert colour
    urgent: bool = False


@dataclass(frozen=True)
class DaySheetInput:
    """The appointments of one day, for one practitioner or the whole clinic."""

    day: date
    rows: tuple[DaySheetRow, ...]
    #: print only this practitioner's appointments; None prints everyone
    practitioner: str | None = None
    #: order of the practitioner groups; practitioners listed here print even with no
    #: appointments, the others follow in name order
    practitioner_order: tuple[str, ...] = ()
    #: start every practitioner on a new page (printing one sheet per practitioner)
    page_per_practitioner: bool = False


@dataclass(frozen=True)
class VisitSummary:
    """One visit on a progress report."""

    when: date | datetime
    services: tuple[str, ...] = ()
    practitioner: str = ""
    pain_before: int | None = None
    pain_after: int | None = None
    #: acupuncture points used, as codes (e.g. "ST36", "EX-LE10")
    points: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class MnsiPoint:
    """An MNSI questionnaire score on a given date (0-13)."""

    when: date
    score: int


@dataclass(frozen=True)
class IntakeChange:
    """What changed in a new intake version, in sentences a reader understands."""

    when: date
    changes: tuple[str, ...]
    version: int | None = None


@dataclass(frozen=True)
class ProgressInput:
    """A patient's course of treatment for a progress report."""

    patient: PatientLine
    visits: tuple[VisitSummary, ...]
    mnsi: tuple[MnsiPoint, ...] = ()
    intake_changes: tuple[IntakeChange, ...] = ()
    #: e.g. "12 sessions, 2 per week (8 of 12 done)"
    course: str = ""
    #: the practitioner's summary for the reader (a referring doctor, the patient)
    summary: str = ""
    prepared_by: str = ""
    prepared_on: date | None = None
    #: e.g. "Dr A. Smith, Northside Medical Practice"
    addressed_to: str = ""


@dataclass(frozen=True)
class IntakeFormContext:
    """Who and what an intake document is about, beside the intake answers themselves."""

    patient: PatientLine | None = None
    #: the date the intake was completed (filled summary) or is printed (blank form)
    completed_on: date | None = None
    version: int | None = None
    #: the practitioner or receptionist who saved it
    recorded_by: str = ""
    #: extra lines for the filled summary's footer note, e.g. the referral reason
    notes: tuple[str, ...] = field(default=())
