"""Rules the database enforces by itself, whatever program writes to it.

Appointments are written here with plain SQL, past the ORM and the services: a second
workstation, an older version or a bug must not be able to double-book either.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from frontdesk.db import guards
from frontdesk.db.engine import Database
from frontdesk.db.models import Appointment, AuditEntry, ChangeCounter, Intake

NINE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _count(database: Database, model: Any) -> int:
    with database.read() as s:
        return len(s.scalars(select(model.id)).all())


def test_same_practitioner_cannot_be_booked_twice_at_once(
    database: Database, basics: Any, insert_appointment: Any
) -> None:
    with database.write() as s:
        insert_appointment(s, basics, NINE)
    # another room, half an hour later: the practitioner is still busy
    with (
        pytest.raises(IntegrityError, match=guards.OVERLAP_PRACTITIONER),
        database.write() as s,
    ):
        insert_appointment(s, basics, NINE + timedelta(minutes=30), room=basics.other_room)
    assert _count(database, Appointment) == 1


def test_an_appointment_inside_another_is_refused(
    database: Database, basics: Any, insert_appointment: Any
) -> None:
    with database.write() as s:
        insert_appointment(s, basics, NINE, minutes=90, room=None)
    with (
        pytest.raises(IntegrityError, match=guards.OVERLAP_PRACTITIONER),
        database.write() as s,
    ):
        insert_appointment(s, basics, NINE + timedelta(minutes=15), minutes=30, room=None)


def test_same_room_cannot_be_booked_twice_at_once(
    database: Database, basics: Any, insert_appointment: Any
) -> None:
    with database.write() as s:
        insert_appointment(s, basics, NINE)
    with pytest.raises(IntegrityError, match=guards.OVERLAP_ROOM), database.write() as s:
        insert_appointment(
            s, basics, NINE + timedelta(minutes=45), practitioner=basics.other_practitioner
        )


def test_back_to_back_and_parallel_bookings_are_allowed(
    database: Database, basics: Any, insert_appointment: Any
) -> None:
    with database.write() as s:
        insert_appointment(s, basics, NINE)
        # the next one starts when the first ends
        insert_appointment(s, basics, NINE + timedelta(hours=1))
        # a colleague in another room at the same time
        insert_appointment(
            s, basics, NINE, practitioner=basics.other_practitioner, room=basics.other_room
        )
        # a consultation needs no room; two of them never clash over one
        insert_appointment(s, basics, NINE + timedelta(hours=2), room=None)
        insert_appointment(
            s, basics, NINE + timedelta(hours=2), practitioner=basics.other_practitioner, room=None
        )
    assert _count(database, Appointment) == 5


@pytest.mark.parametrize("status", ["cancelled", "no_show"])
def test_cancelled_and_missed_appointments_free_the_slot(
    status: str, database: Database, basics: Any, insert_appointment: Any
) -> None:
    with database.write() as s:
        insert_appointment(s, basics, NINE, status=status)
        insert_appointment(s, basics, NINE)
        # and one more freed booking on top of the live one
        insert_appointment(s, basics, NINE + timedelta(minutes=30), status=status)
    assert _count(database, Appointment) == 3


def test_restoring_a_cancelled_appointment_into_a_taken_slot_is_refused(
    database: Database, basics: Any, insert_appointment: Any
) -> None:
    with database.write() as s:
        insert_appointment(s, basics, NINE, status="cancelled", room=basics.other_room)
        insert_appointment(s, basics, NINE)
    with (
        pytest.raises(IntegrityError, match=guards.OVERLAP_PRACTITIONER),
        database.write() as s,
    ):
        s.execute(text("UPDATE appointments SET status = 'booked' WHERE status = 'cancelled'"))


def test_moving_an_appointment_onto_another_is_refused(
    database: Database, basics: Any, insert_appointment: Any
) -> None:
    with database.write() as s:
        insert_appointment(s, basics, NINE)
        insert_appointment(s, basics, NINE + timedelta(hours=2), room=basics.other_room)
    with (
        pytest.raises(IntegrityError, match=guards.OVERLAP_PRACTITIONER),
        database.write() as s,
    ):
        s.execute(
            update(Appointment)
            .where(Appointment.starts_at == NINE + timedelta(hours=2))
            .values(starts_at=NINE + timedelta(minutes=30), ends_at=NINE + timedelta(minutes=90))
        )
    with database.read() as s:
        starts = sorted(s.scalars(select(Appointment.starts_at)))
    assert starts == [NINE, NINE + timedelta(hours=2)]


def test_every_appointment_change_moves_the_change_counter(
    database: Database, basics: Any, insert_appointment: Any
) -> None:
    def counter() -> int:
        with database.read() as s:
            return s.scalars(select(ChangeCounter.value)).one()

    before = counter()
    with database.write() as s:
        insert_appointment(s, basics, NINE)
    after_insert = counter()
    with database.write() as s:
        s.execute(text("UPDATE appointments SET notes = 'runs late'"))
    after_update = counter()
    assert before < after_insert < after_update


def test_a_saved_intake_cannot_be_changed(database: Database, make: Any) -> None:
    with database.write() as s:
        make.intake(s, make.patient(s), pain_now=6)

    with pytest.raises(DBAPIError, match=guards.INTAKE_IMMUTABLE), database.write() as s:
        s.execute(text("UPDATE intakes SET pain_now = 2"))
    with pytest.raises(DBAPIError, match=guards.INTAKE_IMMUTABLE), database.write() as s:
        intake = s.scalars(select(Intake)).one()
        intake.pain_now = 3
        s.flush()

    with database.read() as s:
        assert s.scalars(select(Intake.pain_now)).one() == 6


def test_a_new_intake_version_is_a_new_row(database: Database, make: Any) -> None:
    with database.write() as s:
        patient = make.patient(s)
        make.intake(s, patient, version_no=1, pain_now=6)
        make.intake(s, patient, version_no=2, pain_now=4)
    with database.read() as s:
        assert list(s.scalars(select(Intake.pain_now).order_by(Intake.version_no))) == [6, 4]


def test_the_audit_trail_cannot_be_edited_or_deleted(database: Database, make: Any) -> None:
    with database.write() as s:
        make.audit(s, action="archive", entity="patient", entity_id=7)

    with pytest.raises(DBAPIError, match=guards.AUDIT_IMMUTABLE), database.write() as s:
        s.execute(text("UPDATE audit_log SET action = 'view'"))
    with pytest.raises(DBAPIError, match=guards.AUDIT_IMMUTABLE), database.write() as s:
        s.execute(text("DELETE FROM audit_log"))

    with database.read() as s:
        assert s.scalars(select(AuditEntry.action)).all() == ["archive"]
