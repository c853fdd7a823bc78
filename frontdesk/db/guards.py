"""Rules the database enforces itself, per backend, created by the first migration.

- Appointments that occupy time (not cancelled, not no-show) never overlap for the same
  practitioner or the same room. On PostgreSQL an exclusion constraint over time ranges;
  on SQLite triggers, which run inside the writing transaction, and SQLite admits one
  writer at a time, so two workstations racing for a slot get one booking and one error.
- Intake versions are never updated; audit entries are never updated or deleted.
- The change counter moves on every appointment change so other screens can refresh.

The messages raised here start with a fixed tag that the services translate into
sentences a receptionist can read (see ``OVERLAP_PRACTITIONER`` and friends).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

from frontdesk.domain.enums import FREEING_STATUSES

OVERLAP_PRACTITIONER = "frontdesk_overlap_practitioner"
OVERLAP_ROOM = "frontdesk_overlap_room"
INTAKE_IMMUTABLE = "frontdesk_intake_immutable"
AUDIT_IMMUTABLE = "frontdesk_audit_immutable"

_FREEING = ", ".join(f"'{s.value}'" for s in FREEING_STATUSES)
#: the longest appointment the database accepts; it bounds the overlap search on SQLite,
#: which would otherwise scan every earlier appointment of the practitioner
MAX_HOURS = 12
TOO_LONG = "frontdesk_appointment_too_long"


def _sqlite_overlap_trigger(when: str, column: str, tag: str) -> str:
    name = f"appointments_no_overlap_{column.removesuffix('_id')}_{when.split()[0].lower()}"
    return f"""
CREATE TRIGGER {name} BEFORE {when} ON appointments
WHEN NEW.status NOT IN ({_FREEING}) AND NEW.{column} IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, '{tag}')
    WHERE EXISTS (
        SELECT 1 FROM appointments a
        WHERE a.{column} = NEW.{column}
          AND a.id IS NOT NEW.id
          AND a.status NOT IN ({_FREEING})
          AND a.starts_at < NEW.ends_at
          AND a.starts_at > datetime(NEW.starts_at, '-{MAX_HOURS} hours')
          AND NEW.starts_at < a.ends_at
    );
END"""


SQLITE_CREATE = [
    f"""CREATE TRIGGER appointments_length_insert BEFORE INSERT ON appointments
WHEN julianday(NEW.ends_at) - julianday(NEW.starts_at) > {MAX_HOURS} / 24.0
BEGIN SELECT RAISE(ABORT, '{TOO_LONG}'); END""",
    f"""CREATE TRIGGER appointments_length_update BEFORE UPDATE OF starts_at, ends_at
ON appointments
WHEN julianday(NEW.ends_at) - julianday(NEW.starts_at) > {MAX_HOURS} / 24.0
BEGIN SELECT RAISE(ABORT, '{TOO_LONG}'); END""",
    _sqlite_overlap_trigger("INSERT", "practitioner_id", OVERLAP_PRACTITIONER),
    _sqlite_overlap_trigger(
        "UPDATE OF starts_at, ends_at, status, practitioner_id",
        "practitioner_id",
        OVERLAP_PRACTITIONER,
    ),
    _sqlite_overlap_trigger("INSERT", "room_id", OVERLAP_ROOM),
    _sqlite_overlap_trigger(
        "UPDATE OF starts_at, ends_at, status, room_id", "room_id", OVERLAP_ROOM
    ),
    f"""CREATE TRIGGER intakes_never_updated BEFORE UPDATE ON intakes
BEGIN SELECT RAISE(ABORT, '{INTAKE_IMMUTABLE}'); END""",
    f"""CREATE TRIGGER audit_never_updated BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, '{AUDIT_IMMUTABLE}'); END""",
    f"""CREATE TRIGGER audit_never_deleted BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, '{AUDIT_IMMUTABLE}'); END""",
    """CREATE TRIGGER appointments_count_insert AFTER INSERT ON appointments
BEGIN UPDATE change_counter SET value = value + 1 WHERE id = 1; END""",
    """CREATE TRIGGER appointments_count_update AFTER UPDATE ON appointments
BEGIN UPDATE change_counter SET value = value + 1 WHERE id = 1; END""",
    """CREATE TRIGGER appointments_count_delete AFTER DELETE ON appointments
BEGIN UPDATE change_counter SET value = value + 1 WHERE id = 1; END""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS appointments_length_insert",
    "DROP TRIGGER IF EXISTS appointments_length_update",
    "DROP TRIGGER IF EXISTS appointments_no_overlap_practitioner_insert",
    "DROP TRIGGER IF EXISTS appointments_no_overlap_practitioner_update",
    "DROP TRIGGER IF EXISTS appointments_no_overlap_room_insert",
    "DROP TRIGGER IF EXISTS appointments_no_overlap_room_update",
    "DROP TRIGGER IF EXISTS intakes_never_updated",
    "DROP TRIGGER IF EXISTS audit_never_updated",
    "DROP TRIGGER IF EXISTS audit_never_deleted",
    "DROP TRIGGER IF EXISTS appointments_count_insert",
    "DROP TRIGGER IF EXISTS appointments_count_update",
    "DROP TRIGGER IF EXISTS appointments_count_delete",
]

POSTGRES_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    # prefix ranges on search terms must follow code-point order, whatever the server locale
    'ALTER TABLE patient_search_terms ALTER COLUMN term TYPE varchar(200) COLLATE "C"',
    f"""ALTER TABLE appointments ADD CONSTRAINT {TOO_LONG}
CHECK (ends_at - starts_at <= interval '{MAX_HOURS} hours')""",
    f"""ALTER TABLE appointments ADD CONSTRAINT {OVERLAP_PRACTITIONER}
EXCLUDE USING gist (practitioner_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
WHERE (status NOT IN ({_FREEING}))""",
    f"""ALTER TABLE appointments ADD CONSTRAINT {OVERLAP_ROOM}
EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
WHERE (status NOT IN ({_FREEING}) AND room_id IS NOT NULL)""",
    """CREATE FUNCTION frontdesk_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER intakes_never_updated BEFORE UPDATE ON intakes
FOR EACH ROW EXECUTE FUNCTION frontdesk_refuse_change('{INTAKE_IMMUTABLE}')""",
    f"""CREATE TRIGGER audit_never_changed BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION frontdesk_refuse_change('{AUDIT_IMMUTABLE}')""",
    """CREATE FUNCTION frontdesk_count_change() RETURNS trigger AS $$
BEGIN
    UPDATE change_counter SET value = value + 1 WHERE id = 1;
    PERFORM pg_notify('frontdesk_changes', TG_TABLE_NAME);
    RETURN NULL;
END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER appointments_count_change AFTER INSERT OR UPDATE OR DELETE
ON appointments FOR EACH STATEMENT EXECUTE FUNCTION frontdesk_count_change()""",
]

POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS appointments_count_change ON appointments",
    "DROP FUNCTION IF EXISTS frontdesk_count_change()",
    "DROP TRIGGER IF EXISTS audit_never_changed ON audit_log",
    "DROP TRIGGER IF EXISTS intakes_never_updated ON intakes",
    "DROP FUNCTION IF EXISTS frontdesk_refuse_change()",
    f"ALTER TABLE appointments DROP CONSTRAINT IF EXISTS {OVERLAP_ROOM}",
    f"ALTER TABLE appointments DROP CONSTRAINT IF EXISTS {OVERLAP_PRACTITIONER}",
    f"ALTER TABLE appointments DROP CONSTRAINT IF EXISTS {TOO_LONG}",
]


def create(connection: Connection) -> None:
    statements = SQLITE_CREATE if connection.dialect.name == "sqlite" else POSTGRES_CREATE
    for statement in statements:
        connection.execute(text(statement))
    connection.execute(text("INSERT INTO change_counter (id, value) VALUES (1, 0)"))


def drop(connection: Connection) -> None:
    statements = SQLITE_DROP if connection.dialect.name == "sqlite" else POSTGRES_DROP
    for statement in statements:
        connection.execute(text(statement))


@contextmanager
def bulk_insert_without_row_checks(connection: Connection) -> Iterator[None]:
    """For loading many rows that are known to be valid (the generated demo clinic):
    on SQLite the per-row insert triggers of appointments are set aside inside the
    transaction and put back before it ends; the caller must only insert rows that
    respect them. PostgreSQL keeps its constraints (they are cheap there)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    names = [
        "appointments_length_insert",
        "appointments_no_overlap_practitioner_insert",
        "appointments_no_overlap_room_insert",
        "appointments_count_insert",
    ]
    saved = {
        name: connection.execute(
            text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :n"),
            {"n": name},
        ).scalar_one()
        for name in names
    }
    for name in names:
        connection.execute(text(f"DROP TRIGGER {name}"))
    yield
    for sql in saved.values():
        connection.execute(text(sql))
    connection.execute(text("UPDATE change_counter SET value = value + 1 WHERE id = 1"))
