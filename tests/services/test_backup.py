"""Backups: checked after writing, private, optionally encrypted; restore gives the clinic
back exactly; daily backups kept for 14 days and 12 months."""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from frontdesk.db.engine import Database
from frontdesk.domain.enums import AppointmentStatus
from frontdesk.domain.errors import ConflictError
from frontdesk.services.backup import (
    DAILY_PREFIX,
    MANUAL_PREFIX,
    BackupError,
    decrypt_stream,
    list_backups,
    prune,
)
from frontdesk.services.demo import DemoOptions
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput

PASSPHRASE = "plum blossom 梅花 7"


def export_of(services: Services) -> dict:
    out = io.StringIO()
    services.maintenance.export(out)
    document = json.loads(out.getvalue())
    document.pop("exported_at")
    return document


@pytest.fixture
def demo(services: Services, clock) -> Services:
    clock.now = datetime(2025, 3, 12, 9, 30, tzinfo=UTC)
    services.demo.build(DemoOptions(patients=20, weeks=2, today=date(2025, 3, 12)))
    return services


@pytest.mark.sqlite_only
def test_a_sqlite_backup_is_a_checked_private_copy(demo: Services, tmp_path: Path) -> None:
    result = demo.backups.backup(tmp_path / "out" / "clinic.sqlite3")
    assert result.path.exists()
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    assert result.kind == "sqlite" and not result.encrypted
    assert result.counts["patients"] == demo.maintenance.check().counts["patients"]
    # a plain SQLite file that SQLite itself finds healthy, with nothing left beside it
    with sqlite3.connect(result.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM patients").fetchone()[0] == 20
    assert sorted(p.name for p in result.path.parent.iterdir()) == ["clinic.sqlite3"]


@pytest.mark.pg_only
def test_a_postgresql_backup_is_the_compressed_export(demo: Services, tmp_path: Path) -> None:
    result = demo.backups.backup(tmp_path / "clinic.json.gz")
    assert result.kind == "export"
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    with gzip.open(result.path, "rt", encoding="utf-8") as f:
        document = json.load(f)
    assert document["format"] == "frontdesk-backup"
    assert document["export"]["format"] == "frontdesk-export"
    assert len(document["export"]["tables"]["patients"]) == 20


def test_restoring_an_encrypted_backup_gives_the_clinic_back_exactly(
    demo: Services, tmp_path: Path, request: pytest.FixtureRequest, clock
) -> None:
    before = export_of(demo)
    result = demo.backups.backup(tmp_path / "nightly.fdbackup", passphrase=PASSPHRASE)
    assert result.encrypted
    raw = result.path.read_bytes()
    assert raw.startswith(b"FDBACKUP")
    assert b"Riverside" not in raw and b"clinic_profile" not in raw

    if demo.db.is_sqlite:
        # the clinic carries on after the backup; the restore takes it back
        demo.patients.create(PatientInput(legal_name="Added After Backup"))
        first = next(
            a
            for a in demo.appointments.between(
                datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)
            )
            if a.status is AppointmentStatus.BOOKED
        )
        demo.appointments.cancel(first.id, "Unwell")
        assert export_of(demo) != before
        restored = demo.backups.restore(result.path, passphrase=PASSPHRASE)
        assert restored.safety_copy is not None and restored.safety_copy.exists()
        target = demo
    else:
        other = Database(request.getfixturevalue("pg_url"))
        request.addfinalizer(other.dispose)
        target = Services(other, clock=clock)
        restored = target.backups.restore(result.path, passphrase=PASSPHRASE)
    assert restored.counts["patients"] == 20
    assert export_of(target) == before
    assert target.maintenance.check().ok
    # the restored clinic works: search words rebuilt, new ids do not collide
    name = before["tables"]["patients"][0]["legal_name"]
    assert target.patients.search(name.split()[0])
    assert target.patients.create(PatientInput(legal_name="After Restore")).id > max(
        p["id"] for p in before["tables"]["patients"]
    )


def test_a_wrong_passphrase_or_a_damaged_file_is_refused_clearly(
    demo: Services, tmp_path: Path
) -> None:
    result = demo.backups.backup(tmp_path / "b.fdbackup", passphrase=PASSPHRASE)
    count = demo.maintenance.check().counts["patients"]
    with pytest.raises(BackupError, match="passphrase is wrong, or the backup file is damaged"):
        demo.backups.restore(result.path, passphrase="plum blossom")
    with pytest.raises(BackupError, match="encrypted"):
        demo.backups.restore(result.path)
    data = bytearray(result.path.read_bytes())
    flipped = tmp_path / "flipped.fdbackup"
    data[len(data) // 2] ^= 0x01
    flipped.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="wrong, or the backup file is damaged"):
        demo.backups.restore(flipped, passphrase=PASSPHRASE)
    cut = tmp_path / "cut.fdbackup"
    cut.write_bytes(result.path.read_bytes()[:-40])
    with pytest.raises(BackupError, match="wrong, or the backup file is damaged"):
        demo.backups.restore(cut, passphrase=PASSPHRASE)
    # nothing was touched
    assert demo.maintenance.check().counts["patients"] == count


@pytest.mark.pg_only
def test_postgresql_restores_only_into_an_empty_database(demo: Services, tmp_path: Path) -> None:
    result = demo.backups.backup(tmp_path / "b.json.gz")
    with pytest.raises(ConflictError, match="already holds clinic data"):
        demo.backups.restore(result.path)


@pytest.mark.sqlite_only
def test_a_backup_that_is_not_a_clinic_is_refused(demo: Services, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (x)")
    with pytest.raises(BackupError, match="not a Frontdesk clinic backup"):
        demo.backups.restore(other)
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello")
    with pytest.raises(BackupError, match="not a Frontdesk backup"):
        demo.backups.restore(text_file)


def test_daily_backup_once_a_day_into_the_chosen_folder(
    demo: Services, tmp_path: Path, clock
) -> None:
    folder = demo.backups.set_folder(tmp_path / "usb" / "clinic-backups")
    assert demo.backups.folder() == folder
    assert demo.clinic.profile().settings["backup_folder"] == str(folder)
    first = demo.backups.daily_backup()
    assert first is not None and first.path.parent == folder
    assert first.path.name.startswith(DAILY_PREFIX + "2025-03-12-")
    clock.advance(hours=3)
    assert demo.backups.daily_backup() is None  # today's is there
    clock.advance(days=1)
    assert demo.backups.daily_backup() is not None
    assert [b.day for b in demo.backups.backups()] == [date(2025, 3, 12), date(2025, 3, 13)]


def test_daily_backups_locked_with_the_passphrase_kept_on_this_computer(
    demo: Services, tmp_path: Path, clock, memory_keyring
) -> None:
    demo.backups.set_folder(tmp_path)
    assert demo.backups.daily_encryption() == "off"
    demo.backups.set_daily_passphrase(PASSPHRASE)
    assert demo.backups.daily_encryption() == "on"
    # the passphrase is in the password store, never in the clinic's settings
    assert PASSPHRASE in memory_keyring.saved.values()
    assert PASSPHRASE not in json.dumps(demo.clinic.profile().settings)

    locked = demo.backups.daily_backup()
    assert locked is not None and locked.encrypted and locked.path.suffix == ".fdbackup"
    assert PASSPHRASE.encode() not in locked.path.read_bytes()
    assert demo.backups.inspect(locked.path).encrypted
    with locked.path.open("rb") as sealed:
        decrypt_stream(sealed, None, PASSPHRASE)  # opens with it (a wrong one raises)

    # another computer of the clinic (or a cleared password store): no plain copy instead
    memory_keyring.saved.clear()
    assert demo.backups.daily_encryption() == "missing"
    clock.advance(days=1)
    with pytest.raises(BackupError, match="does not have it"):
        demo.backups.daily_backup()
    assert len(demo.backups.backups()) == 1

    demo.backups.set_daily_passphrase(None)
    assert demo.backups.daily_encryption() == "off"
    plain = demo.backups.daily_backup()
    assert plain is not None and not plain.encrypted


def test_without_a_password_store_the_daily_backups_cannot_be_locked(
    demo: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontdesk.domain.errors import ValidationError
    from frontdesk.services import transfer

    monkeypatch.setattr(transfer, "keyring_store", lambda: None)
    with pytest.raises(ValidationError, match="no password store"):
        demo.backups.set_daily_passphrase(PASSPHRASE)
    assert demo.backups.daily_encryption() == "off"


def _fake(folder: Path, prefix: str, when: datetime, extension: str = ".sqlite3") -> Path:
    path = folder / f"{prefix}{when:%Y-%m-%d-%H%M%S}{extension}"
    path.write_bytes(b"x")
    return path


def test_pruning_keeps_14_days_and_12_months(tmp_path: Path) -> None:
    start = datetime(2023, 1, 1, 20, 0)
    for offset in range(500):
        _fake(tmp_path, DAILY_PREFIX, start + timedelta(days=offset))
    # a second backup on the last day: the newer one of the day counts
    last_day = start + timedelta(days=499)
    _fake(tmp_path, DAILY_PREFIX, last_day + timedelta(hours=2), ".fdbackup")
    manual = _fake(tmp_path, MANUAL_PREFIX, start)
    unrelated = tmp_path / "notes.txt"
    unrelated.write_text("mine")

    removed = prune(tmp_path)

    kept = [b for b in list_backups(tmp_path) if b.daily]
    days = sorted({b.day for b in kept})
    recent = [last_day.date() - timedelta(days=n) for n in range(14)]
    assert set(recent) <= set(days)
    assert len([b for b in kept if b.day == last_day.date()]) == 1
    assert next(b for b in kept if b.day == last_day.date()).encrypted
    months = sorted({(b.day.year, b.day.month) for b in kept})
    assert len(months) == 12
    # per month, the newest backup of that month is kept
    for year, month in months:
        newest = max(
            b.day for b in list_backups(tmp_path) if (b.day.year, b.day.month) == (year, month)
        )
        assert newest in days
    assert len(kept) == len(
        set(recent) | {max(d for d in days if (d.year, d.month) == m) for m in months}
    )
    assert manual.exists() and unrelated.exists()
    assert len(removed) == 501 - len(kept)
    # pruning again changes nothing
    assert prune(tmp_path) == []
