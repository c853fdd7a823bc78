"""Patients: registration, editing, instant search, duplicates and merging."""

from __future__ import annotations

import threading
import uuid
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from functools import cache
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Engine,
    Select,
    and_,
    bindparam,
    delete,
    event,
    exists,
    false,
    func,
    insert,
    select,
    true,
    update,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from frontdesk.db.models import (
    Appointment,
    AuditEntry,
    ClinicProfile,
    Intake,
    Patient,
    PatientSearchTerm,
    SafetyOverride,
    TreatmentCourse,
    Visit,
    WaitlistEntry,
)
from frontdesk.domain import search_text, validation
from frontdesk.domain.enums import AppointmentStatus, Sex
from frontdesk.domain.errors import ConflictError, NotFoundError, ValidationError
from frontdesk.domain.permissions import Permission
from frontdesk.services import audit
from frontdesk.services.base import ServiceBase
from frontdesk.services.records import PatientRecord, PatientSummary, display_name

SEARCH_LIMIT = 50
#: the rows a search-as-you-type list reads first: a 1366x768 laptop shows about 17 rows in
#: the Patients list, and a taller list fetches the next rows as soon as it has room
SEARCH_FIRST_PAGE = 25
LANGUAGES = {"en": "English", "zh": "Chinese (Simplified)"}


@dataclass
class PatientInput:
    """What a receptionist types into the patient form; cleaned by ``PatientService``."""

    legal_name: str
    preferred_name: str = ""
    other_script_name: str = ""
    date_of_birth: date | str | None = None
    sex: Sex | str = Sex.UNKNOWN
    phone: str = ""
    email: str = ""
    address: str = ""
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    preferred_language: str = "en"
    chart_number: str = ""
    referral_source: str = ""


PATIENT_FIELDS = [f.name for f in fields(PatientInput)]


@dataclass(frozen=True)
class DuplicateCandidate:
    patient: PatientSummary
    reason: str


def _summary(row: Patient) -> PatientSummary:
    return PatientSummary(
        id=row.id,
        display_name=display_name(row.legal_name, row.preferred_name, row.other_script_name),
        legal_name=row.legal_name,
        other_script_name=row.other_script_name,
        date_of_birth=row.date_of_birth,
        phone=row.phone,
        chart_number=row.chart_number,
        archived=row.archived,
    )


#: the columns of a search result row, read without loading whole patient objects
_SUMMARY_COLUMNS = (
    Patient.id,
    Patient.legal_name,
    Patient.preferred_name,
    Patient.other_script_name,
    Patient.date_of_birth,
    Patient.phone,
    Patient.chart_number,
    Patient.archived,
)


def _summary_from_row(row: Any) -> PatientSummary:
    pid, legal, preferred, other, born, phone, chart, archived = row[:8]
    return PatientSummary(
        id=pid,
        display_name=display_name(legal, preferred, other),
        legal_name=legal,
        other_script_name=other,
        date_of_birth=born,
        phone=phone,
        chart_number=chart,
        archived=archived,
    )


@cache
def _matching_statement(word_count: int, include_archived: bool) -> Select[Any]:
    """Search as you type as one statement per number of typed words, built once: the
    summary columns of matching patients in term order. The longest word drives a range
    scan of the term index (alphabetical results for free); every other word must match
    some term of the same patient; each hit is one primary-key lookup of its patient.
    Bound values: ``low0``/``high0`` (the term range of the longest word), ``low1``/
    ``high1``... (the other words) and ``scan`` (rows returned at most; a patient found by
    two terms comes twice). With no word, the patients added last.
    """
    columns: list[Any] = list(_SUMMARY_COLUMNS)
    if not include_archived:
        # known to be false: a constant is cheaper than reading the flag again
        columns[-1] = false().label("archived")
    if word_count == 0:  # nothing typed: the patients added last
        return (
            select(*columns)
            .where(Patient.archived.is_(False) if not include_archived else true())
            .order_by(Patient.id.desc())
            .limit(bindparam("scan"))
        )
    lead = aliased(PatientSearchTerm)
    conditions = [lead.term >= bindparam("low0"), lead.term < bindparam("high0")]
    for index in range(1, word_count):
        other = aliased(PatientSearchTerm)
        conditions.append(
            exists().where(
                other.patient_id == lead.patient_id,
                other.term >= bindparam(f"low{index}"),
                other.term < bindparam(f"high{index}"),
            )
        )
    if not include_archived:
        conditions.append(Patient.archived.is_(False))
    return (
        select(*columns)
        .select_from(lead)
        .join(Patient, Patient.id == lead.patient_id)
        .where(and_(*conditions))
        .order_by(lead.term, lead.patient_id)
        .limit(bindparam("scan"))
    )


@cache
def _compiled_search(
    dialect: Dialect, word_count: int, include_archived: bool
) -> tuple[str, tuple[str, ...] | None, dict[str, Any]]:
    """The search statement as the driver's SQL text, the order of its positional
    parameters (None when the driver takes them by name) and their fixed values (such as
    SQLite's ``OFFSET 0``)."""
    compiled = _matching_statement(word_count, include_archived).compile(dialect=dialect)
    order = tuple(compiled.positiontup) if compiled.positiontup else None
    return compiled.string, order, dict(compiled.params)


_new_summary = tuple.__new__
_from_iso = date.fromisoformat


def _summaries_sqlite(rows: Iterable[tuple[Any, ...]], limit: int) -> list[PatientSummary]:
    """The first ``limit`` distinct patients of the search rows, as SQLite returns them
    (the birth date as ISO text, ``archived`` as 0/1). Each record is made from its
    values in field order in one step (``PatientSummary`` is a named tuple; its fields
    are checked against ``_SUMMARY_FIELDS`` at import)."""
    found: list[PatientSummary] = []
    seen: set[int] = set()
    for pid, legal, preferred, other, born, phone, chart, archived in rows:
        if pid in seen:  # another term of a patient already shown
            continue
        seen.add(pid)
        found.append(
            _new_summary(
                PatientSummary,
                (
                    pid,
                    display_name(legal, preferred, other) if preferred or other else legal,
                    legal,
                    other,
                    _from_iso(born) if born else None,
                    phone,
                    chart,
                    bool(archived),
                ),
            )
        )
        if len(found) == limit:
            break
    return found


def _summaries(rows: Iterable[tuple[Any, ...]], limit: int) -> list[PatientSummary]:
    """As :func:`_summaries_sqlite`, for drivers that return dates and booleans."""
    found: list[PatientSummary] = []
    seen: set[int] = set()
    for row in rows:
        if row[0] in seen:
            continue
        seen.add(row[0])
        found.append(_summary_from_row(row))
        if len(found) == limit:
            break
    return found


_SUMMARY_FIELDS = (
    "id",
    "display_name",
    "legal_name",
    "other_script_name",
    "date_of_birth",
    "phone",
    "chart_number",
    "archived",
)
if PatientSummary._fields != _SUMMARY_FIELDS:  # pragma: no cover - a guard for a changed record
    raise RuntimeError("PatientSummary changed: update _summaries_sqlite in patients.py")


def _record(row: Patient, no_shows: int = 0, late_cancels: int = 0) -> PatientRecord:
    return PatientRecord(
        id=row.id,
        legal_name=row.legal_name,
        preferred_name=row.preferred_name,
        other_script_name=row.other_script_name,
        date_of_birth=row.date_of_birth,
        sex=Sex(row.sex),
        phone=row.phone,
        email=row.email,
        address=row.address,
        emergency_contact_name=row.emergency_contact_name,
        emergency_contact_phone=row.emergency_contact_phone,
        preferred_language=row.preferred_language,
        chart_number=row.chart_number,
        referral_source=row.referral_source,
        archived=row.archived,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
        no_show_count=no_shows,
        late_cancel_count=late_cancels,
    )


def _text(value: str | None, field: str, label: str, max_length: int) -> str:
    return validation.clean_optional_text(value, field, label, max_length) or ""


def search_terms_for(row: Patient | PatientInput | dict[str, Any]) -> set[str]:
    """The indexed search words of a patient (names, phone, birth date, chart number)."""

    if isinstance(row, dict):
        return search_text.patient_terms(row.get)
    return search_text.patient_terms(lambda name: getattr(row, name))


def write_search_terms(session: Session, patient_id: int, terms: set[str]) -> None:
    session.execute(delete(PatientSearchTerm).where(PatientSearchTerm.patient_id == patient_id))
    if terms:
        session.execute(
            insert(PatientSearchTerm),
            [{"term": t, "patient_id": patient_id} for t in sorted(terms)],
        )


#: how many final digits must agree before two phone numbers are compared as a whole
PHONE_MATCH_DIGITS = 9


def same_phone_number(a: str, b: str) -> bool:
    """Whether two phone numbers are the same, written with or without the trunk zero or a
    country code of up to three digits (07700 900123, +44 7700 900123, 0044 7700 900123)."""
    a = validation.phone_digits(a).lstrip("0")
    b = validation.phone_digits(b).lstrip("0")
    if len(a) < 7 or len(b) < 7:
        return False
    short, long = sorted((a, b), key=len)
    return long.endswith(short) and len(long) - len(short) <= 3


def _fetch(
    cursor: Any, dialect: Dialect, tokens: list[str], limit: int, include_archived: bool
) -> list[PatientSummary]:
    """The first ``limit`` patients matching every token, in the order of the matched
    terms of the longest token (with no token, the patients added last), read with one
    statement on ``cursor`` (a driver cursor)."""
    # The longest token drives the scan (fewest terms start with it). A patient can match
    # it by more than one term: up to four rows a patient are taken before giving up.
    tokens = sorted(tokens, key=len, reverse=True)
    sql, order, fixed = _compiled_search(dialect, len(tokens), include_archived)
    params = {**fixed, "scan": limit * 4 if tokens else limit}
    for index, token in enumerate(tokens):
        params[f"low{index}"] = token
        params[f"high{index}"] = search_text.prefix_upper_bound(token)
    cursor.execute(sql, [params[k] for k in order] if order else params)
    rows = cast(Iterable[tuple[Any, ...]], cursor)  # both drivers' cursors iterate
    if dialect.name == "sqlite":
        # SQLite steps the scan only as far as rows are taken: a full page ends it
        return _summaries_sqlite(rows, limit)
    return _summaries(rows, limit)


class _KeptConnection:
    """A pooled SQLite connection kept between the keystrokes of search as you type, one
    per engine (every desk's services over the same clinic file share it).

    Taking a connection from the pool and handing it back costs about as much as reading
    ten result rows. The kept one holds no transaction between searches (the driver runs
    in autocommit; SQLite reads each statement from the newest commit), so writers at
    other desks are neither blocked nor missed. One search uses it at a time; a search
    from another thread meanwhile takes a pooled connection as before. It is closed when
    the engine is disposed (closing the clinic, restoring a backup) or after an error.
    PostgreSQL connections go back to the pool, which checks them before each use.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.connection: Any = None

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            # closed for good: handed back, it would wait in a pool nobody uses any more
            connection.invalidate()

    def on_dispose(self, _engine: Engine) -> None:
        with self.lock:
            self.close()


#: the kept connection of each SQLite engine, looked up without keeping the engine alive
#: (its open connection does, through the pool, until the engine is disposed)
_KEPT: weakref.WeakKeyDictionary[Engine, _KeptConnection] = weakref.WeakKeyDictionary()
_KEPT_LOCK = threading.Lock()


def _kept_for(engine: Engine) -> _KeptConnection:
    kept = _KEPT.get(engine)
    if kept is None:
        with _KEPT_LOCK:
            kept = _KEPT.get(engine)
            if kept is None:
                kept = _KEPT[engine] = _KeptConnection()
                event.listen(engine, "engine_disposed", kept.on_dispose)
    return kept


def _search(
    engine: Engine, tokens: list[str], limit: int, include_archived: bool
) -> list[PatientSummary]:
    """Run one search on a driver connection: SQLite's kept one when it is free,
    otherwise one from the pool."""
    kept = _kept_for(engine) if engine.dialect.name == "sqlite" else None
    if kept is not None and kept.lock.acquire(blocking=False):
        try:
            if kept.connection is None:
                kept.connection = engine.raw_connection()
            try:
                return _read(kept.connection, engine.dialect, tokens, limit, include_archived)
            except BaseException:
                kept.close()  # whatever failed is not kept
                raise
            finally:
                if kept.connection is not None and kept.connection.dbapi_connection.in_transaction:
                    # never expected: a transaction left open would pin the reads to its start
                    kept.connection.rollback()  # pragma: no cover
        finally:
            kept.lock.release()
    connection = engine.raw_connection()
    try:
        return _read(connection, engine.dialect, tokens, limit, include_archived)
    finally:
        connection.close()  # back to the pool (rolled back: nothing was written)


def _read(
    connection: Any, dialect: Dialect, tokens: list[str], limit: int, include_archived: bool
) -> list[PatientSummary]:
    cursor = connection.cursor()
    try:
        if len(tokens) <= 1 or any(token[0] in "#@!" for token in tokens):
            return _fetch(cursor, dialect, tokens, limit, include_archived)
        # Names typed in their order ("wang x"): first the patients whose name runs on so
        # (wangxiaoming), each still checked against every word. Read from just those
        # terms, a page fills at once where the scan of every "wang" would pass many a
        # Wang Fang first; the other matches (Xiaoming Wang) follow when the page has room.
        first = _fetch(cursor, dialect, ["".join(tokens), *tokens], limit, include_archived)
        if len(first) == limit:
            return first
        shown = {summary.id for summary in first}
        rest = _fetch(cursor, dialect, tokens, limit, include_archived)
        first.extend(summary for summary in rest if summary.id not in shown)
        return first[:limit]
    finally:
        cursor.close()


class PatientService(ServiceBase):
    """Everything about who the patients are (not their clinical records)."""

    def _today(self, session: Session) -> date:
        profile = session.get(ClinicProfile, 1)
        tz = ZoneInfo(profile.timezone) if profile else None
        return self.now().astimezone(tz).date()

    def _clean(self, data: PatientInput, today: date) -> dict[str, Any]:
        sex = data.sex.value if isinstance(data.sex, Sex) else (data.sex or "unknown")
        if sex not in {s.value for s in Sex}:
            raise ValidationError("Please choose female, male, other or unknown.", field="sex")
        language = (data.preferred_language or "en").strip().lower()
        if language not in LANGUAGES:
            raise ValidationError(
                "Preferred language must be one of: " + ", ".join(LANGUAGES.values()) + ".",
                field="preferred_language",
            )
        return {
            "legal_name": validation.clean_name(
                data.legal_name, "legal_name", "the patient's legal name"
            ),
            "preferred_name": _text(
                data.preferred_name, "preferred_name", "the preferred name", 200
            ),
            "other_script_name": _text(
                data.other_script_name, "other_script_name", "the name in another script", 200
            ),
            "date_of_birth": validation.clean_date_of_birth(data.date_of_birth, today),
            "sex": sex,
            "phone": validation.clean_phone(data.phone) or "",
            "email": validation.clean_email(data.email) or "",
            "address": _text(data.address, "address", "the address", 1000),
            "emergency_contact_name": _text(
                data.emergency_contact_name, "emergency_contact_name", "the contact's name", 200
            ),
            "emergency_contact_phone": validation.clean_phone(
                data.emergency_contact_phone, field="emergency_contact_phone"
            )
            or "",
            "preferred_language": language,
            "chart_number": validation.clean_chart_number(data.chart_number) or "",
            "referral_source": _text(
                data.referral_source, "referral_source", "how they heard of us", 200
            ),
        }

    def create(self, data: PatientInput) -> PatientRecord:
        """Register a new patient; a chart number is assigned when none is given."""
        self.hub.require(Permission.EDIT_PATIENTS)
        now = self.now()
        with self.db.write() as s:
            values = self._clean(data, self._today(s))
            wanted_chart = values.pop("chart_number")
            if wanted_chart and s.scalar(
                select(Patient.id).where(Patient.chart_number == wanted_chart)
            ):
                raise ValidationError(
                    f"Chart number {wanted_chart} is already used by another patient.",
                    field="chart_number",
                )
            row = Patient(
                **values,
                chart_number=wanted_chart or f"tmp-{uuid.uuid4().hex[:12]}",
                archived=False,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            if not wanted_chart:
                row.chart_number = f"{row.id:06d}"
                s.flush()
            write_search_terms(s, row.id, search_terms_for(row))
            audit.record(
                s,
                self.actor,
                now,
                "create",
                "patient",
                row.id,
                patient_id=row.id,
                changes={k: [None, v] for k, v in values.items() if v},
            )
            return _record(row)

    def update(self, patient_id: int, expected_version: int, data: PatientInput) -> PatientRecord:
        """Save an edited patient; refused when someone else saved it in the meantime."""
        self.hub.require(Permission.EDIT_PATIENTS)
        now = self.now()
        with self.db.write() as s:
            row = s.get(Patient, patient_id)
            if row is None:
                raise NotFoundError(f"There is no patient number {patient_id}.")
            if row.version != expected_version:
                raise self._stale(s, patient_id)
            values = self._clean(data, self._today(s))
            if not values["chart_number"]:
                values["chart_number"] = row.chart_number
            elif values["chart_number"] != row.chart_number and s.scalar(
                select(Patient.id).where(Patient.chart_number == values["chart_number"])
            ):
                raise ValidationError(
                    f"Chart number {values['chart_number']} is already used by another patient.",
                    field="chart_number",
                )
            before = {k: getattr(row, k) for k in values}
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = now
            try:
                s.flush()
            except StaleDataError:
                # another workstation saved the same patient in the same instant
                raise self._stale(s, patient_id) from None
            write_search_terms(s, row.id, search_terms_for(row))
            audit.record(
                s,
                self.actor,
                now,
                "update",
                "patient",
                row.id,
                patient_id=row.id,
                changes=audit.diff(before, values),
            )
            return _record(row)

    def _stale(self, s: Session, patient_id: int) -> ConflictError:
        last = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "patient", AuditEntry.entity_id == patient_id)
            .order_by(AuditEntry.id.desc())
            .limit(1)
        ).first()
        # the clinic's clock, not this computer's: the desk and the server may differ
        profile = s.get(ClinicProfile, 1)
        tz = ZoneInfo(profile.timezone) if profile else None
        who = f"{last.username} at {last.at.astimezone(tz):%H:%M}" if last else "someone"
        return ConflictError(
            f"This patient was changed by {who} while you were editing. "
            "Reload to see their changes, then apply yours again."
        )

    def get(self, patient_id: int) -> PatientRecord:
        self.hub.require(Permission.VIEW_PATIENTS)
        with self.db.read() as s:
            row = s.get(Patient, patient_id)
            if row is None:
                raise NotFoundError(f"There is no patient number {patient_id}.")
            no_shows = s.scalar(
                select(func.count()).where(
                    Appointment.patient_id == patient_id,
                    Appointment.status == AppointmentStatus.NO_SHOW.value,
                )
            )
            late = s.scalar(
                select(func.count()).where(
                    Appointment.patient_id == patient_id, Appointment.late_cancel.is_(True)
                )
            )
            return _record(row, no_shows or 0, late or 0)

    def set_archived(self, patient_id: int, archived: bool) -> PatientRecord:
        self.hub.require(Permission.EDIT_PATIENTS)
        with self.db.write() as s:
            row = s.get(Patient, patient_id)
            if row is None:
                raise NotFoundError(f"There is no patient number {patient_id}.")
            before = row.archived
            row.archived = archived
            row.updated_at = self.now()
            audit.record(
                s,
                self.actor,
                row.updated_at,
                "archive" if archived else "restore",
                "patient",
                row.id,
                patient_id=row.id,
                changes={"archived": [before, archived]},
            )
            return _record(row)

    def search(
        self, text: str, *, limit: int = SEARCH_LIMIT, include_archived: bool = False
    ) -> list[PatientSummary]:
        """Patients matching what was typed: any part of a name (accents ignored, Chinese
        characters or their pinyin), phone digits in any format (a UK number typed with
        +44 or with 0 finds it stored either way), birth date or chart number. Every typed
        word must match; names typed in their order come first. With nothing typed, the
        most recently added patients."""
        self.hub.require(Permission.VIEW_PATIENTS)
        # Search as you type runs after every pause in typing, so it goes straight to a
        # driver connection with SQL compiled once: a session and SQLAlchemy's row
        # processing cost several times the query itself. It only reads.
        tokens = search_text.query_tokens(text)
        return _search(self.db.engine, tokens, limit, include_archived)

    def find_similar(
        self, data: PatientInput, *, exclude_id: int | None = None
    ) -> list[DuplicateCandidate]:
        """Existing patients this one may duplicate: same birth date and a similar name,
        or the same phone number."""
        self.hub.require(Permission.VIEW_PATIENTS)
        from rapidfuzz import fuzz

        found: dict[int, DuplicateCandidate] = {}
        name = search_text.fold(data.legal_name or "")
        with self.db.read() as s:
            dob = None
            try:
                dob = validation.clean_date_of_birth(data.date_of_birth, self._today(s))
            except ValidationError:
                dob = None
            if dob is not None and name:
                for row in s.scalars(
                    select(Patient).where(
                        Patient.date_of_birth == dob, Patient.merged_into_id.is_(None)
                    )
                ):
                    other = search_text.fold(row.legal_name)
                    if (
                        fuzz.token_sort_ratio(name, other) >= 80
                        or fuzz.partial_ratio(name, other) >= 90
                    ):
                        found[row.id] = DuplicateCandidate(
                            _summary(row), "same date of birth and a similar name"
                        )
            # without trunk zeros, so 07700 900123 and +44 7700 900123 compare as one number
            digits = validation.phone_digits(data.phone or "").lstrip("0")
            if len(digits) >= 7:
                # every stored number is indexed under each of its endings (or a longer
                # term that starts with it): look its last digits up, then compare the
                # whole numbers
                ending = "#" + digits[-PHONE_MATCH_DIGITS:]
                q = (
                    select(Patient)
                    .join(PatientSearchTerm, PatientSearchTerm.patient_id == Patient.id)
                    .where(
                        PatientSearchTerm.term >= ending,
                        PatientSearchTerm.term < search_text.prefix_upper_bound(ending),
                        Patient.merged_into_id.is_(None),
                    )
                )
                for row in s.scalars(q):
                    if same_phone_number(digits, validation.phone_digits(row.phone)):
                        found.setdefault(
                            row.id, DuplicateCandidate(_summary(row), "the same phone number")
                        )
        found.pop(exclude_id or -1, None)
        return [c for c in found.values() if c.patient.id != exclude_id]

    def merge(self, keep_id: int, duplicate_id: int) -> PatientRecord:
        """Move every appointment, intake, visit and course of ``duplicate_id`` to
        ``keep_id`` and archive the duplicate; the merge is written to the audit trail."""
        self.hub.require(Permission.MERGE_PATIENTS)
        if keep_id == duplicate_id:
            raise ValidationError("Choose two different patients to merge.")
        now = self.now()
        with self.db.write() as s:
            keep = s.get(Patient, keep_id)
            dup = s.get(Patient, duplicate_id)
            if keep is None or dup is None:
                raise NotFoundError("One of the two patients no longer exists.")
            for row in (dup, keep):
                if row.merged_into_id is not None:
                    raise ValidationError(
                        f"{row.legal_name} (number {row.id}) was already merged into patient "
                        f"number {row.merged_into_id}. Merge with that record instead."
                    )
            keep_latest = s.scalars(
                select(Intake)
                .where(Intake.patient_id == keep_id)
                .order_by(Intake.version_no.desc())
                .limit(1)
            ).first()
            moved: dict[str, Any] = {}
            for model in (Appointment, Visit, TreatmentCourse, SafetyOverride, WaitlistEntry):
                result = s.execute(
                    update(model).where(model.patient_id == duplicate_id).values(patient_id=keep_id)
                )
                moved[model.__tablename__] = result.rowcount  # type: ignore[attr-defined]
            # intake versions of the duplicate follow the kept patient's, oldest first
            top = s.scalar(select(func.max(Intake.version_no)).where(Intake.patient_id == keep_id))
            intakes = list(
                s.scalars(
                    select(Intake).where(Intake.patient_id == duplicate_id).order_by(Intake.id)
                )
            )
            for offset, intake in enumerate(intakes, start=1):
                s.add(
                    Intake(
                        patient_id=keep_id,
                        version_no=(top or 0) + offset,
                        data=intake.data,
                        mnsi_score=intake.mnsi_score,
                        pain_now=intake.pain_now,
                        flags_summary=intake.flags_summary,
                        source="merge",
                        created_at=intake.created_at,
                        created_by_id=intake.created_by_id,
                    )
                )
            # The newest version is what the safety checks read. When the kept patient's
            # own answers are newer than the copied ones, they are added once more on top,
            # so the merge cannot bring older answers (say, from before a pacemaker was
            # fitted) back into force.
            if (
                keep_latest is not None
                and intakes
                and keep_latest.created_at > max(i.created_at for i in intakes)
            ):
                s.add(
                    Intake(
                        patient_id=keep_id,
                        version_no=(top or 0) + len(intakes) + 1,
                        data=keep_latest.data,
                        mnsi_score=keep_latest.mnsi_score,
                        pain_now=keep_latest.pain_now,
                        flags_summary=keep_latest.flags_summary,
                        source="merge",
                        created_at=keep_latest.created_at,
                        created_by_id=keep_latest.created_by_id,
                    )
                )
            moved["intakes"] = len(intakes)
            dup.archived = True
            dup.merged_into_id = keep_id
            dup.updated_at = now
            keep.updated_at = now
            s.execute(delete(PatientSearchTerm).where(PatientSearchTerm.patient_id == duplicate_id))
            audit.record(
                s,
                self.actor,
                now,
                "merge",
                "patient",
                keep_id,
                patient_id=keep_id,
                changes={"merged_patient": duplicate_id, "moved": moved},
            )
            audit.record(
                s,
                self.actor,
                now,
                "merge",
                "patient",
                duplicate_id,
                patient_id=duplicate_id,
                changes={"merged_into": keep_id},
            )
            s.flush()
            return _record(keep)
