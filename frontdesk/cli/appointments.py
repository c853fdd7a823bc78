"""``book``, ``appointments list | free | cancel | checkin | status`` and ``ics``: the
appointment book from the command line (its day sheet prints with ``pdf day-sheet``, in
:mod:`frontdesk.cli.pdf`).

Times without an offset are read as the clinic's local time; times are printed in it.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk.cli.common import add_json_flag, print_json
from frontdesk.domain.enums import AppointmentStatus
from frontdesk.domain.errors import (
    ConflictError,
    SafetyAcknowledgementRequired,
    SafetyError,
    ValidationError,
)
from frontdesk.domain.scheduling import Interval, Proposal, local_datetime
from frontdesk.services.hub import OutsideWorkingHours, Services
from frontdesk.services.records import AppointmentRecord

_STATUS_WORDS = {s.value: s for s in AppointmentStatus} | {
    s.value.replace("_", "-"): s for s in AppointmentStatus
}


def register(sub: Any) -> None:
    p = sub.add_parser("book", help="book an appointment (or a walk-in)")
    p.add_argument("--patient", type=int, required=True, metavar="ID", help="patient number")
    p.add_argument("--service", required=True, metavar="CODE", help="service code, e.g. ACU")
    p.add_argument(
        "--start",
        metavar="ISO",
        help="start, e.g. 2026-03-02T10:00 (clinic time unless an offset is given); "
        "with --walk-in it may be left out: the earliest free place from now is taken",
    )
    p.add_argument("--end", metavar="ISO", help="end (default: the service's length)")
    p.add_argument(
        "--practitioner", type=int, metavar="ID", help="default: the first one free then"
    )
    p.add_argument(
        "--room", type=int, metavar="ID", help="default: a free room if the service needs one"
    )
    p.add_argument(
        "--walk-in", action="store_true", help="a walk-in: book and check the patient in at once"
    )
    p.add_argument("--notes", default="", help="a note on the appointment")
    p.add_argument("--acknowledge", action="store_true", help="the safety warnings have been seen")
    p.add_argument(
        "--override-reason",
        metavar="TEXT",
        help="a practitioner's reason to go ahead despite a safety stop",
    )
    p.add_argument(
        "--outside-hours",
        action="store_true",
        help="book even outside the practitioner's working hours",
    )
    add_json_flag(p)
    p.set_defaults(handler=cmd_book)

    appointments = sub.add_parser("appointments", help="list, cancel, check in, change status")
    asub = appointments.add_subparsers(dest="appointments_command", metavar="ACTION", required=True)

    p = asub.add_parser("list", help="the appointments of one day")
    p.add_argument("--date", required=True, metavar="D", help="YYYY-MM-DD, today or tomorrow")
    p.add_argument("--practitioner", type=int, metavar="ID")
    add_json_flag(p)
    p.set_defaults(handler=cmd_list)

    p = asub.add_parser("free", help="free places for a service on one day")
    p.add_argument("--date", required=True, metavar="D", help="YYYY-MM-DD, today or tomorrow")
    p.add_argument("--service", required=True, metavar="CODE")
    p.add_argument("--practitioner", type=int, metavar="ID")
    add_json_flag(p)
    p.set_defaults(handler=cmd_free)

    p = asub.add_parser("cancel", help="cancel an appointment")
    p.add_argument("id", type=int)
    p.add_argument("--reason", required=True, help="why (kept with the appointment)")
    add_json_flag(p)
    p.set_defaults(handler=cmd_cancel)

    p = asub.add_parser("checkin", help="the patient has arrived")
    p.add_argument("id", type=int)
    add_json_flag(p)
    p.set_defaults(handler=cmd_checkin)

    p = asub.add_parser("status", help="set the status of an appointment")
    p.add_argument("id", type=int)
    p.add_argument(
        "status",
        metavar="STATUS",
        help="booked, arrived, in_treatment, completed, cancelled or no_show",
    )
    p.add_argument("--reason", default="", help="needed for cancelled")
    add_json_flag(p)
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser("ics", help="a patient's upcoming appointments as an iCalendar file")
    p.add_argument("--patient", type=int, required=True, metavar="ID")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the .ics file to write")
    p.set_defaults(handler=cmd_ics)


# -- reading the arguments -----------------------------------------------------------------


def parse_moment(text: str, tz: ZoneInfo, what: str = "start") -> datetime:
    """An ISO date-time; without an offset it is the clinic's local time."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            f"The {what} time {text!r} is not a date and time like 2026-03-02T10:00.",
            field=what,
        ) from None
    if value.tzinfo is None:
        return local_datetime(value.date(), value.time(), tz)
    return value


def parse_day(text: str, services: Services) -> date:
    """YYYY-MM-DD, or today / tomorrow in the clinic's time zone."""
    word = text.strip().lower()
    if word in ("today", "tomorrow"):
        today = services.clock().astimezone(services.appointments.clinic_timezone()).date()
        return today + timedelta(days=1 if word == "tomorrow" else 0)
    try:
        return date.fromisoformat(word)
    except ValueError:
        raise ValidationError(
            f"The date {text!r} is not a date like 2026-03-02 (or today, tomorrow).",
            field="date",
        ) from None


def describe(record: AppointmentRecord, tz: ZoneInfo) -> str:
    """One line: number, day and time, service, practitioner, room, patient, status."""
    start, end = record.starts_at.astimezone(tz), record.ends_at.astimezone(tz)
    room = f" in {record.room_name}" if record.room_name else ""
    flags = f" [{', '.join(record.flags)}]" if record.flags else ""
    return (
        f"#{record.id} {start:%a %d %b %Y %H:%M}-{end:%H:%M} {record.service_name} "
        f"with {record.practitioner_name}{room}: {record.patient_name} "
        f"(patient #{record.patient_id}){flags}, {record.status.label.lower()}"
    )


def _show(
    args: argparse.Namespace, services: Services, record: AppointmentRecord, verb: str
) -> int:
    if args.json:
        print_json(record)
    else:
        print(f"{verb} {describe(record, services.appointments.clinic_timezone())}")
    return 0


# -- commands --------------------------------------------------------------------------------


def cmd_book(args: argparse.Namespace, services: Services) -> int:
    from frontdesk.services.appointments import BookingRequest

    tz = services.appointments.clinic_timezone()
    service = services.clinic.service_by_code(args.service)
    try:
        if args.start is None:
            if not args.walk_in:
                raise ValidationError("Give the start time with --start.", field="start")
            record = _walk_in_now(args, services, service.id)
        else:
            start = parse_moment(args.start, tz)
            end = parse_moment(args.end, tz, "end") if args.end else None
            practitioner, room = services.appointments.suggest_place(
                service.id,
                start,
                end,
                practitioner_id=args.practitioner,
                room_id=args.room,
                allow_outside_hours=args.outside_hours,
            )
            if args.walk_in:
                record = services.walk_ins.book_walk_in(
                    args.patient,
                    service.id,
                    Proposal(practitioner, room, _interval(start, end, service.default_minutes)),
                    acknowledged_warnings=args.acknowledge,
                    override_reason=args.override_reason,
                    notes=args.notes,
                    allow_outside_hours=args.outside_hours,
                )
            else:
                request = BookingRequest(
                    patient_id=args.patient,
                    service_id=service.id,
                    practitioner_id=practitioner,
                    starts_at=start,
                    ends_at=end,
                    room_id=room,
                    notes=args.notes,
                    acknowledged_warnings=args.acknowledge,
                    override_reason=args.override_reason,
                    allow_outside_hours=args.outside_hours,
                )
                record = services.appointments.book(request)
    except OutsideWorkingHours as error:
        raise OutsideWorkingHours(
            error.message.removesuffix(" Book anyway?") + " Add --outside-hours to book anyway."
        ) from None
    except SafetyAcknowledgementRequired as error:
        raise SafetyAcknowledgementRequired(
            f"{error.message} Add --acknowledge once they have been seen."
        ) from None
    except SafetyError as error:
        raise SafetyError(f"{error.message} (--override-reason)") from None
    return _show(args, services, record, "Booked")


def _interval(start: datetime, end: datetime | None, minutes: int) -> Interval:
    return Interval(start, end or start + timedelta(minutes=minutes))


def _walk_in_now(
    args: argparse.Namespace, services: Services, service_id: int
) -> AppointmentRecord:
    proposal = services.walk_ins.propose(service_id, practitioner_id=args.practitioner)
    if proposal is None:
        raise ConflictError(
            "No practitioner has a free place for that service for the rest of today."
        )
    return services.walk_ins.book_walk_in(
        args.patient,
        service_id,
        proposal,
        acknowledged_warnings=args.acknowledge,
        override_reason=args.override_reason,
        notes=args.notes,
    )


def cmd_list(args: argparse.Namespace, services: Services) -> int:
    day = parse_day(args.date, services)
    ids = [args.practitioner] if args.practitioner else None
    found = services.appointments.on_day(day, practitioner_ids=ids)
    if args.json:
        print_json(found)
        return 0
    tz = services.appointments.clinic_timezone()
    for record in found:
        print(describe(record, tz))
    if not found:
        print(f"No appointments on {day:%A %d %B %Y}.")
    return 0


def cmd_free(args: argparse.Namespace, services: Services) -> int:
    day = parse_day(args.date, services)
    service = services.clinic.service_by_code(args.service)
    slots = services.appointments.free_slots(day, service.id, args.practitioner)
    names = {p.id: p.name for p in services.clinic.practitioners()}
    rooms = {r.id: r.name for r in services.clinic.rooms()}
    rows: list[dict[str, Any]] = [
        {
            "practitioner_id": practitioner,
            "practitioner": names.get(practitioner, ""),
            "room_id": room,
            "room": rooms.get(room, "") if room is not None else "",
            "starts_at": slot.start,
            "ends_at": slot.end,
        }
        for practitioner, room, slot in slots
    ]
    if args.json:
        print_json(rows)
        return 0
    tz = services.appointments.clinic_timezone()
    for row in rows:
        room = f" in {row['room']}" if row["room"] else ""
        start, end = row["starts_at"].astimezone(tz), row["ends_at"].astimezone(tz)
        print(f"{start:%H:%M}-{end:%H:%M} {row['practitioner']}{room}")
    if not rows:
        print(f"No free place for {service.name} on {day:%A %d %B %Y}.")
    return 0


def cmd_cancel(args: argparse.Namespace, services: Services) -> int:
    record = services.appointments.cancel(args.id, args.reason)
    verb = "Cancelled (late)" if record.late_cancel else "Cancelled"
    return _show(args, services, record, verb)


def cmd_checkin(args: argparse.Namespace, services: Services) -> int:
    return _show(args, services, services.appointments.check_in(args.id), "Checked in")


def cmd_status(args: argparse.Namespace, services: Services) -> int:
    status = _STATUS_WORDS.get(args.status.strip().lower())
    if status is None:
        raise ValidationError(
            f"Unknown status {args.status!r}: use one of "
            + ", ".join(s.value for s in AppointmentStatus)
            + ".",
            field="status",
        )
    record = services.appointments.set_status(args.id, status, reason=args.reason)
    return _show(args, services, record, "Changed")


def cmd_ics(args: argparse.Namespace, services: Services) -> int:
    data = services.calendar_export.patient_ics(args.patient)
    Path(args.output).write_bytes(data)
    count = data.count(b"BEGIN:VEVENT")
    print(f"Wrote {count} appointment{'s' if count != 1 else ''} to {args.output}.")
    return 0
