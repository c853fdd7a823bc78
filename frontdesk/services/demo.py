"""A demo clinic, generated deterministically from a seed.

Used to try the program without real data and to benchmark it on a large clinic
(100,000 patients and 500,000 appointments build in well under a minute): rows are
written in bulk through SQLAlchemy Core, not one ORM object at a time.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db import guards
from frontdesk.db.models import Patient, Practitioner, Room, Service
from frontdesk.domain import search_text
from frontdesk.domain.enums import AppointmentStatus, Role, Sex
from frontdesk.domain.errors import ValidationError
from frontdesk.services import demo_names as names
from frontdesk.services.base import ServiceBase
from frontdesk.services.clinic import DEFAULT_OPENING_HOURS, ClinicSetup

Progress = Callable[[str, float], None]
CHUNK = 20_000
DEMO_PASSWORD = "frontdesk-demo"
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _default_extras() -> list[Callable[..., None]]:
    # imported late: the clinical content builds on this module
    from frontdesk.services.demo_clinical import default_extras

    return default_extras()


@dataclass
class DemoOptions:
    patients: int = 300
    weeks: int = 12
    seed: int = 7
    practitioners: int = 3
    #: the "today" the demo is built around (defaults to the real date)
    today: date | None = None
    timezone: str = "Europe/London"
    #: extra demo content (intakes, visits) from later modules, called with (hub, rng, ids)
    extras: list[Callable[..., None]] = field(default_factory=_default_extras)


@dataclass
class DemoSummary:
    patients: int
    appointments: int
    practitioners: int
    rooms: int
    seconds: float = 0.0
    extra: dict[str, int] = field(default_factory=dict)


def _names(rng: random.Random) -> tuple[str, str, str]:
    """(legal name, preferred name, other-script name)."""
    pick = rng.random()
    if pick < 0.50:
        return f"{rng.choice(names.GIVEN_LATIN)} {rng.choice(names.FAMILY_LATIN)}", "", ""
    if pick < 0.62:
        return f"{rng.choice(names.GIVEN_POLISH)} {rng.choice(names.FAMILY_POLISH)}", "", ""
    if pick < 0.76:
        return f"{rng.choice(names.FAMILY_VIETNAMESE)} {rng.choice(names.GIVEN_VIETNAMESE)}", "", ""
    if pick < 0.95:
        fam_han, fam_py = rng.choice(names.FAMILY_CHINESE)
        giv_han, giv_py = rng.choice(names.GIVEN_CHINESE)
        preferred = rng.choice(("", "", "", "Jenny", "David", "Lily", "Kevin"))
        return f"{fam_py} {giv_py}", preferred, fam_han + giv_han
    legal, other = rng.choice(names.GREEK_CYRILLIC)
    return legal, "", other


@lru_cache(maxsize=4096)
def _name_terms(legal: str, preferred: str, other: str) -> frozenset[str]:
    return frozenset(
        search_text.index_terms(
            names=[legal, preferred, other],
            phone=None,
            date_of_birth=None,
            chart_number=None,
            email=None,
        )
    )


def _demo_terms(row: dict[str, Any]) -> set[str]:
    """The same terms as ``search_terms_for``; the demo repeats a few hundred names over
    100,000 patients, so the name part is computed once per distinct name."""
    terms = set(_name_terms(row["legal_name"], row["preferred_name"], row["other_script_name"]))
    terms |= search_text.index_terms(
        names=[],
        phone=row["phone"] or None,
        date_of_birth=row["date_of_birth"],
        chart_number=row["chart_number"] or None,
        email=row["email"] or None,
    )
    return terms


def _phone(rng: random.Random) -> str:
    style = rng.random()
    digits = f"{rng.randint(100, 999)}{rng.randint(1000000, 9999999)}"
    if style < 0.4:
        return f"07{digits[:3]} {digits[3:9]}"
    if style < 0.7:
        return f"+44 7{digits[:3]} {digits[3:6]} {digits[6:9]}"
    return f"(0{digits[:3]}) {digits[3:6]}-{digits[6:10]}"


class DemoBuilder(ServiceBase):
    """Builds the demo clinic into an empty database."""

    def build(self, options: DemoOptions, progress: Progress | None = None) -> DemoSummary:
        started = datetime.now(UTC)
        report = progress or (lambda _msg, _frac: None)
        if self.hub.clinic.is_set_up():
            raise ValidationError(
                "This database already holds a clinic. The demo needs an empty database: "
                "use --db with a new file."
            )
        if not 1 <= options.practitioners <= len(names.PRACTITIONERS):
            raise ValidationError(
                f"The demo has between 1 and {len(names.PRACTITIONERS)} practitioners."
            )
        if options.patients < 1 or options.weeks < 1:
            raise ValidationError("The demo needs at least one patient and one week.")
        rng = random.Random(options.seed)
        tz = ZoneInfo(options.timezone)
        today = options.today or self.now().astimezone(tz).date()
        report("Setting up the clinic", 0.0)
        self.hub.clinic.set_up(
            ClinicSetup(
                name="Riverside Acupuncture & TCM (demo)",
                timezone=options.timezone,
                address="12 Mill Lane\nRiverside RS1 2AB",
                phone="01632 960 123",
                email="hello@riverside-acupuncture.example",
                practitioners=list(names.PRACTITIONERS[: options.practitioners]),
                rooms=[f"Room {i + 1}" for i in range(options.practitioners)],
            )
        )
        self._users()
        report("Adding patients", 0.05)
        patient_ids = self._patients(rng, options.patients, today, report)
        report("Filling the appointment book", 0.5)
        appointments = self._appointments(rng, patient_ids, today, tz, options.weeks, report)
        summary = DemoSummary(
            patients=len(patient_ids),
            appointments=appointments,
            practitioners=options.practitioners,
            rooms=options.practitioners,
        )
        for extra in options.extras:
            extra(self.hub, rng, patient_ids, today, summary)
        summary.seconds = (datetime.now(UTC) - started).total_seconds()
        report("Done", 1.0)
        return summary

    def _users(self) -> None:
        """Demo sign-ins, one per role, all with the password shown on the sign-in screen."""
        users = self.hub.users
        users.create_first_administrator("admin", "Demo Administrator", DEMO_PASSWORD)
        users.add("reception", "Rita Desk", Role.RECEPTIONIST, DEMO_PASSWORD)
        for practitioner in self.hub.clinic.practitioners():
            username = practitioner.name.split()[0].lower()
            users.add(
                username, practitioner.name, Role.PRACTITIONER, DEMO_PASSWORD, practitioner.id
            )

    def _patients(self, rng: random.Random, count: int, today: date, report: Progress) -> list[int]:
        now = self.now()
        ids: list[int] = []
        search_index = "ix_patient_search_terms_patient_term"
        with self.db.write() as s, _index_built_afterwards(s, search_index):
            start_id = (s.scalar(select(Patient.id).order_by(Patient.id.desc()).limit(1)) or 0) + 1
            for chunk_start in range(0, count, CHUNK):
                rows: list[dict[str, Any]] = []
                terms: list[dict[str, Any]] = []
                for i in range(chunk_start, min(count, chunk_start + CHUNK)):
                    pid = start_id + i
                    legal, preferred, other = _names(rng)
                    dob = today - timedelta(days=rng.randint(25 * 365, 92 * 365))
                    row = {
                        "id": pid,
                        "legal_name": legal,
                        "preferred_name": preferred,
                        "other_script_name": other,
                        "date_of_birth": dob,
                        "sex": rng.choice(
                            (Sex.FEMALE, Sex.FEMALE, Sex.MALE, Sex.MALE, Sex.OTHER)
                        ).value,
                        "phone": _phone(rng),
                        "email": "",
                        "address": f"{rng.randint(1, 180)} {rng.choice(names.STREETS)}",
                        "emergency_contact_name": "",
                        "emergency_contact_phone": "",
                        "preferred_language": "zh"
                        if other
                        and rng.random() < 0.6
                        and any("\u4e00" <= ch <= "\u9fff" for ch in other)
                        else "en",
                        "chart_number": f"{pid:06d}",
                        "referral_source": rng.choice(
                            ("", "GP referral", "Friend", "Website", "Podiatrist", "Diabetes nurse")
                        ),
                        "archived": False,
                        "merged_into_id": None,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                    rows.append(row)
                    terms.extend({"term": t, "patient_id": pid} for t in _demo_terms(row))
                    ids.append(pid)
                _bulk_insert(s, "patients", rows)
                # in index order: the B-tree then grows at its edge instead of everywhere
                terms.sort(key=lambda t: (t["term"], t["patient_id"]))
                _bulk_insert(s, "patient_search_terms", terms)
                report("Adding patients", 0.05 + 0.45 * min(1.0, (chunk_start + CHUNK) / count))
        return ids

    def _appointments(
        self,
        rng: random.Random,
        patient_ids: list[int],
        today: date,
        tz: ZoneInfo,
        weeks: int,
        report: Progress,
    ) -> int:
        now = self.now()
        with self.db.read() as s:
            practitioners = list(s.scalars(select(Practitioner).order_by(Practitioner.id)))
            rooms = [r.id for r in s.scalars(select(Room).order_by(Room.id))]
            services = list(s.scalars(select(Service).order_by(Service.id)))
        follow_ups = [sv for sv in services if sv.code != "NEW"]
        first_visit = next((sv for sv in services if sv.code == "NEW"), services[0])
        past_weeks = max(1, (weeks * 2) // 3)
        first_day = today - timedelta(weeks=past_weeks)
        days = weeks * 7
        total = 0
        batch: list[dict[str, Any]] = []
        with self.db.write() as s, guards.bulk_insert_without_row_checks(s.connection()):
            # the rows below are laid end to end per practitioner and room: no overlaps
            for offset in range(days):
                day = first_day + timedelta(days=offset)
                hours = DEFAULT_OPENING_HOURS[WEEKDAY_KEYS[day.weekday()]]
                if not hours:
                    continue
                for index, practitioner in enumerate(practitioners):
                    batch.extend(
                        self._day(
                            rng,
                            day,
                            today,
                            hours,
                            tz,
                            practitioner.id,
                            rooms[index % len(rooms)],
                            patient_ids,
                            first_visit,
                            follow_ups,
                            now,
                        )
                    )
                if len(batch) >= CHUNK:
                    _bulk_insert(s, "appointments", batch)
                    total += len(batch)
                    batch = []
                    report("Filling the appointment book", 0.5 + 0.5 * offset / days)
            if batch:
                _bulk_insert(s, "appointments", batch)
                total += len(batch)
        return total

    @staticmethod
    def _day(
        rng: random.Random,
        day: date,
        today: date,
        hours: list[list[str]],
        tz: ZoneInfo,
        practitioner_id: int,
        room_id: int,
        patient_ids: list[int],
        first_visit: Service,
        follow_ups: list[Service],
        now: datetime,
    ) -> Iterator[dict[str, Any]]:
        future = day > today
        # the near future is still filling up; the past was busy
        fill = 0.93 if not future else max(0.3, 0.85 - 0.05 * (day - today).days / 7)
        for opening, closing in hours:
            cursor = datetime.combine(day, time.fromisoformat(opening), tz)
            close = datetime.combine(day, time.fromisoformat(closing), tz)
            while True:
                cursor += timedelta(minutes=15 * rng.choice((0, 0, 0, 0, 1)))
                service = first_visit if rng.random() < 0.08 else rng.choice(follow_ups)
                end = cursor + timedelta(minutes=service.default_minutes)
                if end > close:
                    break
                if rng.random() < fill:
                    status, arrived = _status(rng, cursor, end, now)
                    yield {
                        "patient_id": rng.choice(patient_ids),
                        "practitioner_id": practitioner_id,
                        "room_id": room_id if service.needs_room else None,
                        "service_id": service.id,
                        "starts_at": cursor,
                        "ends_at": end,
                        "status": status.value,
                        "walk_in": rng.random() < 0.05,
                        "course_id": None,
                        "notes": "",
                        "cancel_reason": "Unwell" if status is AppointmentStatus.CANCELLED else "",
                        "late_cancel": status is AppointmentStatus.CANCELLED and rng.random() < 0.3,
                        "arrived_at": arrived,
                        "booked_by_id": None,
                        "booked_at": cursor - timedelta(days=rng.randint(1, 30)),
                        "updated_at": now,
                        "version": 1,
                    }
                    cursor = end
                else:
                    cursor += timedelta(minutes=30)


@contextmanager
def _index_built_afterwards(s: Session, name: str) -> Iterator[None]:
    """Build a SQLite index once after a bulk load rather than row by row during it."""
    connection = s.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    sql = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
    ).scalar_one()
    connection.exec_driver_sql(f"DROP INDEX {name}")
    yield
    connection.exec_driver_sql(sql)


def _sqlite_time(value: datetime) -> str:
    # the same text SQLAlchemy writes, so the overlap triggers compare like with like
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _bulk_insert(s: Session, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert many rows straight through the driver: the demo writes hundreds of
    thousands, and per-value processing in the ORM would take minutes."""
    if not rows:
        return
    connection = s.connection()
    sqlite = connection.dialect.name == "sqlite"
    columns = list(rows[0])
    marks = ", ".join("?" if sqlite else "%s" for _ in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    values = [list(row.values()) for row in rows]
    if sqlite:
        first = values[0]
        times = [i for i, v in enumerate(first) if isinstance(v, datetime)]
        dates = [i for i, v in enumerate(first) if isinstance(v, date) and i not in times]
        # optional columns may be None in the first row but set in others
        times += [i for i, c in enumerate(columns) if c in ("arrived_at",) and i not in times]
        for row_values in values:
            for i in times:
                if row_values[i] is not None:
                    row_values[i] = _sqlite_time(row_values[i])
            for i in dates:
                if row_values[i] is not None:
                    row_values[i] = row_values[i].isoformat()
    connection.exec_driver_sql(sql, [tuple(v) for v in values])


def _status(
    rng: random.Random, start: datetime, end: datetime, now: datetime
) -> tuple[AppointmentStatus, datetime | None]:
    roll = rng.random()
    if end <= now:
        if roll < 0.03:
            return AppointmentStatus.NO_SHOW, None
        if roll < 0.07:
            return AppointmentStatus.CANCELLED, None
        return AppointmentStatus.COMPLETED, start - timedelta(minutes=rng.randint(0, 12))
    if start <= now:
        return AppointmentStatus.IN_TREATMENT, start - timedelta(minutes=rng.randint(0, 10))
    if start - now < timedelta(minutes=20) and roll < 0.7:
        return AppointmentStatus.ARRIVED, now - timedelta(minutes=rng.randint(1, 15))
    if roll < 0.04:
        return AppointmentStatus.CANCELLED, None
    return AppointmentStatus.BOOKED, None
