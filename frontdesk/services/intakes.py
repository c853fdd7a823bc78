"""Intake versions: saving, reading, comparing, and the safety flags worked out from them.

Every save adds a new version (the database refuses to change an old one), so the history
of what a patient said, and when, is never lost. Reading an intake opens a clinical record
and leaves a "view" entry in the audit trail; the flags alone do not, because the front desk
needs them for every booking.

Who may read what is decided in one place, :func:`require_clinical`: clinical details
(intake answers, visit notes, scores) for practitioners; the safety flags and their one-line
summary for everyone.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontdesk.db.models import AuditEntry, Intake, Patient, User
from frontdesk.domain import permissions, safety
from frontdesk.domain.enums import ServiceKind
from frontdesk.domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)
from frontdesk.domain.intake import PRACTITIONER_ONLY_SECTIONS, FieldChange, IntakeData, diff
from frontdesk.domain.mnsi import MnsiResult
from frontdesk.domain.permissions import Permission
from frontdesk.services import audit
from frontdesk.services.base import ServiceBase
from frontdesk.services.context import Actor

#: where an intake version came from
INTAKE_SOURCES = ("form", "paper", "pdf", "import", "merge", "demo")


def can_read_clinical(actor: Actor) -> bool:
    """Whether this user may open clinical details (not just the safety flags): the
    role table of ``frontdesk.domain.permissions`` decides (practitioners)."""
    if actor.system:
        return True
    return not actor.anonymous and permissions.allows(actor.role, Permission.VIEW_CLINICAL)


def require_clinical(actor: Actor, what: str) -> None:
    """Refuse a user whose role may not open clinical details, naming what was refused."""
    if not can_read_clinical(actor):
        raise PermissionDenied(
            f"Only a practitioner can open {what}. The safety flags on the patient's "
            "header show what the front desk needs to know."
        )


# -- what the service hands out ------------------------------------------------------------


@dataclass(frozen=True)
class IntakeVersionSummary:
    """One saved version in a patient's list of intake versions (no answers)."""

    id: int
    patient_id: int
    version_no: int
    created_at: datetime
    created_by: str  # who saved it (user's name, or "workstation")
    source: str  # "form", "paper", "pdf", "import", "merge" or "demo"
    mnsi_score: int | None  # MNSI questionnaire score (0-13) when any question was answered
    pain_now: int | None
    flags_summary: str  # the safety flags' one-line summary at the time of saving


@dataclass(frozen=True)
class IntakeVersion:
    """One saved version with all its answers."""

    id: int
    patient_id: int
    version_no: int
    created_at: datetime
    created_by: str
    source: str
    data: IntakeData
    mnsi_score: int | None
    pain_now: int | None
    flags_summary: str

    @property
    def mnsi(self) -> MnsiResult:
        """The MNSI questionnaire result of this version (score, positive, unanswered)."""
        return self.data.mnsi_result

    @property
    def summary(self) -> IntakeVersionSummary:
        return IntakeVersionSummary(
            id=self.id,
            patient_id=self.patient_id,
            version_no=self.version_no,
            created_at=self.created_at,
            created_by=self.created_by,
            source=self.source,
            mnsi_score=self.mnsi_score,
            pain_now=self.pain_now,
            flags_summary=self.flags_summary,
        )


@dataclass(frozen=True)
class PatientFlags:
    """The safety flags of a patient's latest intake: for the header, calendar and booking.

    Anyone at the desk may see these. ``assessment`` is the domain's full assessment, for a
    dialog that wants every reason; ``decision_for`` tells a booking or visit dialog what
    the chosen services need (nothing, an acknowledgement, or a practitioner's override).
    """

    patient_id: int
    has_intake: bool
    intake_id: int | None
    intake_version: int | None
    intake_saved_at: datetime | None
    summary_line: str  # e.g. "Implanted device · Blood thinner"; "No safety screen yet"
    badges: tuple[str, ...]  # short capitals for calendar blocks, most urgent first
    red_flags: tuple[str, ...]  # "advise medical care" texts: "<label>. <advice>"
    labels: tuple[str, ...]  # one plain label per flag, in table order
    assessment: safety.SafetyAssessment = field(compare=False, repr=False)

    @property
    def is_clear(self) -> bool:
        """A safety screen is on file and nothing in it restricts anything."""
        return self.assessment.is_clear

    @property
    def advise_medical_care(self) -> bool:
        """A red flag is on file: show the "advise medical care" notice prominently."""
        return bool(self.red_flags)

    def decision_for(self, kinds: Iterable[ServiceKind]) -> safety.SafetyDecision:
        """What the safety rules say about these services for this patient."""
        return self.assessment.decision_for(kinds)

    def lines_for(self, kinds: Iterable[ServiceKind]) -> list[str]:
        """Every reason, area to avoid and red flag for these services, strictest first."""
        return self.decision_for(kinds).lines()


@dataclass(frozen=True)
class PdfImport:
    """What a filled fillable intake PDF said, and whether it was saved."""

    data: IntakeData
    #: every answer the form filled in, as "what changed" lines from a blank intake
    filled: tuple[FieldChange, ...]
    #: what differs from the patient's latest saved version (everything when none)
    changes: tuple[FieldChange, ...]
    #: answers that could not be read and were left out, in words
    problems: tuple[str, ...]
    #: name, date of birth, phone... as written on the form (not applied to the patient)
    patient_details: Mapping[str, Any]
    #: the new version, when it was saved
    saved: IntakeVersion | None = None


# -- helpers ------------------------------------------------------------------------------


def _load_data(row: Intake) -> IntakeData:
    return IntakeData.from_dict(row.data)


def _author_names(s: Session, rows: Iterable[Intake]) -> dict[int, str]:
    """Who saved each intake: the user's name, else the name the audit trail recorded."""
    rows = list(rows)
    if not rows:
        return {}
    user_ids = {r.created_by_id for r in rows if r.created_by_id is not None}
    users: dict[int, str] = {}
    if user_ids:
        # a Result has keys(), so dict(result) would take it for a mapping
        users = {
            uid: name
            for uid, name in s.execute(
                select(User.id, User.display_name).where(User.id.in_(user_ids))
            ).tuples()
        }
    missing = [r.id for r in rows if r.created_by_id not in users]
    audited: dict[int, str] = {}
    if missing:
        for entity_id, username in s.execute(
            select(AuditEntry.entity_id, AuditEntry.username).where(
                AuditEntry.entity == "intake",
                AuditEntry.action == "create",
                AuditEntry.entity_id.in_(missing),
            )
        ).tuples():
            if entity_id is not None:
                audited[entity_id] = username
    return {
        r.id: users.get(r.created_by_id or -1) or audited.get(r.id) or "workstation" for r in rows
    }


def _summary(row: Intake, author: str) -> IntakeVersionSummary:
    return IntakeVersionSummary(
        id=row.id,
        patient_id=row.patient_id,
        version_no=row.version_no,
        created_at=row.created_at,
        created_by=author,
        source=row.source,
        mnsi_score=row.mnsi_score,
        pain_now=row.pain_now,
        flags_summary=row.flags_summary,
    )


def _version(row: Intake, author: str) -> IntakeVersion:
    summary = _summary(row, author)
    return IntakeVersion(
        **{f.name: getattr(summary, f.name) for f in fields(summary)}, data=_load_data(row)
    )


def flags_from(patient_id: int, row: Intake | None, data: IntakeData | None = None) -> PatientFlags:
    """The flags of one intake row (None: no intake on file)."""
    if row is not None and data is None:
        data = _load_data(row)
    assessment = safety.assess(data)
    return PatientFlags(
        patient_id=patient_id,
        has_intake=row is not None,
        intake_id=row.id if row else None,
        intake_version=row.version_no if row else None,
        intake_saved_at=row.created_at if row else None,
        summary_line=assessment.summary_line(),
        badges=tuple(assessment.badges()),
        red_flags=tuple(f"{flag.label}. {flag.advice}" for flag in assessment.red_flags),
        labels=tuple(flag.label for flag in assessment.flags),
        assessment=assessment,
    )


def stored_mnsi_score(data: IntakeData) -> int | None:
    """The score kept beside the answers: None when no MNSI question was answered."""
    result = data.mnsi_result
    return result.score if result.answered else None


def _as_intake(data: IntakeData | Mapping[str, Any]) -> IntakeData:
    if isinstance(data, IntakeData):
        data.validate()
        return data
    if "schema" not in data:
        # a form hands over its sections; the format number is the program's own
        data = {"schema": 1, **data}
    return IntakeData.from_dict(data)


# -- the service ---------------------------------------------------------------------------


class IntakeService(ServiceBase):
    """Saving and reading intake versions; the safety flags they give."""

    def _patient(self, s: Session, patient_id: int) -> Patient:
        row = s.get(Patient, patient_id)
        if row is None:
            raise NotFoundError(f"There is no patient number {patient_id}.")
        return row

    def _row(self, s: Session, intake_id: int) -> Intake:
        row = s.get(Intake, intake_id)
        if row is None:
            raise NotFoundError(f"There is no intake number {intake_id}.")
        return row

    def _viewed(self, s: Session, entity_id: int | None, patient_id: int, **changes: Any) -> None:
        audit.record(
            s,
            self.actor,
            self.now(),
            "view",
            "intake",
            entity_id,
            patient_id=patient_id,
            changes=changes,
        )

    # -- saving ----------------------------------------------------------------------------

    def save(
        self, patient_id: int, data: IntakeData | Mapping[str, Any], source: str = "form"
    ) -> IntakeVersion:
        """Save the intake as the patient's next version (the earlier ones stay as they are).

        ``data`` is an :class:`IntakeData` or its JSON form (docs/intake-schema.md; the
        ``"schema"`` key may be left out). Raises ValidationError naming the first bad field
        (``error.field`` holds its path, e.g. ``pain.now``), NotFoundError for an unknown
        patient, PermissionDenied for a user who may not write clinical records.
        """
        require_clinical(self.actor, "intake forms")
        if source not in INTAKE_SOURCES:
            raise ValidationError(
                f"An intake comes from one of: {', '.join(INTAKE_SOURCES)}.", field="source"
            )
        intake = _as_intake(data)
        now = self.now()
        try:
            with self.db.write() as s:
                patient = self._patient(s, patient_id)
                if patient.merged_into_id is not None:
                    raise ValidationError(
                        f"This record was merged into patient number {patient.merged_into_id}; "
                        "save the intake there."
                    )
                previous = s.scalars(
                    select(Intake)
                    .where(Intake.patient_id == patient_id)
                    .order_by(Intake.version_no.desc())
                    .limit(1)
                ).first()
                assessment = safety.assess(intake)
                row = Intake(
                    patient_id=patient_id,
                    version_no=(previous.version_no if previous else 0) + 1,
                    data=intake.to_dict(),
                    mnsi_score=stored_mnsi_score(intake),
                    pain_now=intake.pain.now,
                    flags_summary=assessment.summary_line(),
                    source=source,
                    created_at=now,
                    created_by_id=self.actor.user_id,
                )
                s.add(row)
                s.flush()
                if previous is None:
                    changes: dict[str, Any] = {
                        "version_no": [None, row.version_no],
                        "mnsi_score": [None, row.mnsi_score],
                        "flags": [None, row.flags_summary],
                    }
                else:
                    changes = {
                        "version_no": [previous.version_no, row.version_no],
                        **{
                            f"{c.path} ({c.section} · {c.field})": [c.old, c.new]
                            for c in diff(_load_data(previous), intake)
                        },
                    }
                audit.record(
                    s,
                    self.actor,
                    now,
                    "create",
                    "intake",
                    row.id,
                    patient_id=patient_id,
                    changes=changes,
                )
                return _version(row, self.actor.username)
        except IntegrityError:
            # another workstation saved a version of the same patient at the same moment
            raise ConflictError(
                "Another workstation saved this patient's intake at the same moment. "
                "Open the intake again to see their version, then save yours."
            ) from None

    # -- reading ---------------------------------------------------------------------------

    def versions(self, patient_id: int) -> list[IntakeVersionSummary]:
        """The patient's intake versions, newest first (scores and flags, no answers).

        Opening the list is audited as a look at the clinical record.
        """
        require_clinical(self.actor, "intake records")
        with self.db.write() as s:
            self._patient(s, patient_id)
            rows = list(
                s.scalars(
                    select(Intake)
                    .where(Intake.patient_id == patient_id)
                    .order_by(Intake.version_no.desc())
                )
            )
            authors = _author_names(s, rows)
            self._viewed(s, None, patient_id, what="intake versions")
            return [_summary(r, authors[r.id]) for r in rows]

    def get(self, intake_id: int) -> IntakeVersion:
        """One intake version with all its answers (audited as a look at the record)."""
        require_clinical(self.actor, "intake records")
        with self.db.write() as s:
            row = self._row(s, intake_id)
            self._viewed(s, row.id, row.patient_id, version_no=row.version_no)
            return _version(row, _author_names(s, [row])[row.id])

    def latest(self, patient_id: int) -> IntakeVersion | None:
        """The patient's newest intake version, or None when no intake was saved yet."""
        require_clinical(self.actor, "intake records")
        with self.db.write() as s:
            self._patient(s, patient_id)
            row = s.scalars(
                select(Intake)
                .where(Intake.patient_id == patient_id)
                .order_by(Intake.version_no.desc())
                .limit(1)
            ).first()
            if row is None:
                return None
            self._viewed(s, row.id, patient_id, version_no=row.version_no)
            return _version(row, _author_names(s, [row])[row.id])

    def version_count(self, patient_id: int) -> int:
        """How many intake versions the patient has (not audited: no clinical detail)."""
        with self.db.read() as s:
            count = s.scalar(select(func.count()).where(Intake.patient_id == patient_id))
            return int(count or 0)

    def compare(self, old_id: int, new_id: int) -> list[FieldChange]:
        """What changed from one version to another of the same patient, in form order."""
        require_clinical(self.actor, "intake records")
        with self.db.write() as s:
            old, new = self._row(s, old_id), self._row(s, new_id)
            if old.patient_id != new.patient_id:
                raise ValidationError("Only two versions of the same patient can be compared.")
            self._viewed(s, new.id, new.patient_id, compared=[old.version_no, new.version_no])
            return diff(_load_data(old), _load_data(new))

    def flags(self, patient_id: int) -> PatientFlags:
        """The safety flags of the patient's latest intake (anyone may see these).

        With no intake on file, ``has_intake`` is False and the summary says that no safety
        screen has been done, which needs an acknowledgement before any hands-on treatment.
        """
        with self.db.read() as s:
            self._patient(s, patient_id)
            row = s.scalars(
                select(Intake)
                .where(Intake.patient_id == patient_id)
                .order_by(Intake.version_no.desc())
                .limit(1)
            ).first()
            return flags_from(patient_id, row)

    def flags_for(self, patient_ids: Iterable[int]) -> dict[int, PatientFlags]:
        """The flags of several patients at once (for lists); every id gets an entry."""
        wanted = set(patient_ids)
        if not wanted:
            return {}
        with self.db.read() as s:
            latest: dict[int, Intake] = {}
            for row in s.scalars(
                select(Intake)
                .where(Intake.patient_id.in_(wanted))
                .order_by(Intake.patient_id, Intake.version_no.desc())
            ):
                latest.setdefault(row.patient_id, row)
            return {pid: flags_from(pid, latest.get(pid)) for pid in sorted(wanted)}

    # -- paper forms -----------------------------------------------------------------------

    def import_fillable_pdf(
        self, patient_id: int, pdf_bytes: bytes, *, preview_only: bool = True
    ) -> PdfImport:
        """Read a filled fillable intake PDF (see ``frontdesk.documents``).

        With ``preview_only`` (the default) nothing is saved: the result says what the form
        filled in, what differs from the latest version, and what could not be read. Call
        again with ``preview_only=False`` to save it as a new version (source "pdf").
        Raises ValidationError when the file is not a readable intake form.
        """
        require_clinical(self.actor, "intake forms")
        # Loaded by name: the PDF reader (and pypdf) cost start-up time, and importing the
        # documents package statically would pull its ReportLab subclasses into the
        # services' strict type check, where ReportLab's missing types fail it.
        documents = importlib.import_module("frontdesk.documents")
        try:
            filled = documents.read_fillable_form(pdf_bytes)
        except ValidationError:
            raise
        except Exception as error:  # pypdf raises many kinds for a damaged or foreign file
            raise ValidationError(
                "This file could not be read as a filled intake form "
                f"({type(error).__name__}). Check that it is the clinic's fillable PDF."
            ) from None
        data = IntakeData.from_dict(filled.intake)
        with self.db.read() as s:
            self._patient(s, patient_id)
            previous = s.scalars(
                select(Intake)
                .where(Intake.patient_id == patient_id)
                .order_by(Intake.version_no.desc())
                .limit(1)
            ).first()
            before = _load_data(previous) if previous else IntakeData()
        # the patient's form has no practitioner-only sections (pulse, tongue, pattern,
        # plan): the new version keeps the practitioner's latest findings
        data = replace(data, **{k: getattr(before, k) for k in PRACTITIONER_ONLY_SECTIONS})
        saved = None if preview_only else self.save(patient_id, data, source="pdf")
        return PdfImport(
            data=data,
            filled=tuple(diff(IntakeData(), data)),
            changes=tuple(diff(before, data)),
            problems=tuple(filled.problems),
            patient_details=dict(filled.patient),
            saved=saved,
        )
