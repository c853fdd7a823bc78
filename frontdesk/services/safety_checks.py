"""Applying the safety rules of ``frontdesk.domain.safety`` to bookings and visits.

The rules are evaluated against the patient's latest intake. This is the one place the
services consult them, so no screen and no command can skip the check.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.models import Intake, SafetyOverride
from frontdesk.domain import safety
from frontdesk.domain.enums import Role, ServiceKind
from frontdesk.domain.intake import IntakeData
from frontdesk.services import audit
from frontdesk.services.context import Actor


def latest_intakes(s: Session, patient_ids: set[int]) -> dict[int, Intake]:
    """The newest intake version of each patient that has one."""
    if not patient_ids:
        return {}
    rows = s.scalars(
        select(Intake)
        .where(Intake.patient_id.in_(patient_ids))
        .order_by(Intake.patient_id, Intake.version_no.desc())
    )
    latest: dict[int, Intake] = {}
    for row in rows:
        latest.setdefault(row.patient_id, row)
    return latest


def assessment_for(s: Session, patient_id: int) -> safety.SafetyAssessment:
    intake = latest_intakes(s, {patient_id}).get(patient_id)
    return safety.assess(IntakeData.from_dict(intake.data) if intake else None)


#: (database, intake id, saved at) -> (badges, summary); intake rows are never changed,
#: so a result stays true; the calendar asks for dozens of patients on every change of
#: date. (The time saved is kept as it was read: a datetime, or SQLite's text of it.)
_FLAG_CACHE: OrderedDict[tuple[str, int, object], tuple[tuple[str, ...], str]] = OrderedDict()
_FLAG_CACHE_SIZE = 20_000
#: one intake's flags: its badges and its one-line summary
Flags = tuple[tuple[str, ...], str]


def kept_intake_flags(database: str, intakes: Iterable[tuple[int, object]]) -> dict[int, Flags]:
    """The flags already worked out for intakes given as (intake id, saved at), by intake
    id; intakes not assessed before are left out (see :func:`flags_for_intakes`).
    ``database`` names the database (its URL), so that two clinics' intakes never mix."""
    found: dict[int, Flags] = {}
    get = _FLAG_CACHE.get
    for intake_id, saved in intakes:
        flags = get((database, intake_id, saved))
        if flags is not None:
            found[intake_id] = flags
    return found


def flags_for_intakes(
    s: Session, database: str, intakes: Iterable[tuple[int, object]]
) -> dict[int, Flags]:
    """(badges, summary) of each intake given as (intake id, saved at), by intake id: the
    kept results, and the others assessed from their answers (one query) and kept."""
    wanted = dict(intakes)
    found = kept_intake_flags(database, wanted.items())
    missing = [intake_id for intake_id in wanted if intake_id not in found]
    if missing:
        for intake_id, data in s.execute(
            select(Intake.id, Intake.data).where(Intake.id.in_(missing))
        ):
            result = safety.assess(IntakeData.from_dict(data))
            found[intake_id] = _FLAG_CACHE[(database, intake_id, wanted[intake_id])] = (
                tuple(result.badges()),
                result.summary_line(),
            )
        while len(_FLAG_CACHE) > _FLAG_CACHE_SIZE:
            _FLAG_CACHE.popitem(last=False)
    return found


def forget_kept_flags() -> None:
    """Assess every intake afresh from now on (for tests and the benchmarks: as when the
    program has just started)."""
    _FLAG_CACHE.clear()


def flags_for_patients(s: Session, patient_ids: set[int]) -> dict[int, tuple[tuple[str, ...], str]]:
    """(badges, one-line summary) per patient, from each one's latest intake."""
    if not patient_ids:
        return {}
    database = str(s.get_bind().engine.url)
    latest: dict[int, tuple[int, datetime]] = {}
    for patient_id, intake_id, saved in s.execute(
        select(Intake.patient_id, Intake.id, Intake.created_at)
        .where(Intake.patient_id.in_(patient_ids))
        .order_by(Intake.patient_id, Intake.version_no.desc())
    ):
        latest.setdefault(patient_id, (intake_id, saved))
    missing = [i for i, saved in latest.values() if (database, i, saved) not in _FLAG_CACHE]
    if missing:
        for intake_id, saved, data in s.execute(
            select(Intake.id, Intake.created_at, Intake.data).where(Intake.id.in_(missing))
        ):
            result = safety.assess(IntakeData.from_dict(data))
            _FLAG_CACHE[(database, intake_id, saved)] = (
                tuple(result.badges()),
                result.summary_line(),
            )
        while len(_FLAG_CACHE) > _FLAG_CACHE_SIZE:
            _FLAG_CACHE.popitem(last=False)
    return {
        patient_id: _FLAG_CACHE[(database, intake_id, saved)]
        for patient_id, (intake_id, saved) in latest.items()
    }


def check(
    s: Session,
    *,
    patient_id: int,
    kinds: tuple[ServiceKind, ...],
    acknowledged: bool,
    override_reason: str | None,
    actor: Actor,
    require_screen: bool = False,
) -> None:
    """Refuse a treatment that the patient's answers make unsafe (see domain.safety).

    A patient without any intake yet can be booked (the intake is taken at the first
    visit); ``require_screen`` is for recording a treatment, where a missing safety
    screen itself needs an acknowledgement.
    """
    intake = latest_intakes(s, {patient_id}).get(patient_id)
    if intake is None and not require_screen:
        return
    decision = safety.assess(IntakeData.from_dict(intake.data) if intake else None).decision_for(
        kinds
    )
    safety.check_allowed(
        decision,
        acknowledged=acknowledged,
        override_reason=override_reason,
        overrider_is_practitioner=actor.role in (Role.PRACTITIONER, Role.ADMINISTRATOR),
    )


def record_override(
    s: Session,
    patient_id: int,
    appointment_id: int | None,
    kinds: tuple[ServiceKind, ...],
    override_reason: str | None,
    actor: Actor,
    at: datetime,
    visit_id: int | None = None,
) -> None:
    """Keep the practitioner's reason when a STOP rule was overridden (and audit it)."""
    if not override_reason:
        return
    decision = assessment_for(s, patient_id).decision_for(kinds)
    if decision.level is not safety.DecisionLevel.OVERRIDE:
        return
    rules = "; ".join(str(reason) for reason in decision.stops)
    row = SafetyOverride(
        patient_id=patient_id,
        appointment_id=appointment_id,
        visit_id=visit_id,
        rules=rules,
        reason=override_reason.strip(),
        user_id=actor.user_id,
        created_at=at,
    )
    s.add(row)
    s.flush()
    audit.record(
        s,
        actor,
        at,
        "override",
        "safety",
        row.id,
        patient_id=patient_id,
        changes={"rules": rules, "reason": override_reason.strip()},
    )
