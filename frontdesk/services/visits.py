"""Visit records: what was done at a completed appointment.

A visit holds the services performed, the points used, the settings of each technique, pain
before and after, reactions, SOAP notes and the plan for next time. The same safety rules as
booking apply when it is recorded: a service a STOP rule forbids needs a practitioner's
override with a reason (kept as a ``SafetyOverride`` row and audited), warnings need an
acknowledgement, and points avoided in pregnancy are flagged for a patient who is or may be
pregnant.

The JSON form of a visit (``VisitInput.to_dict`` / ``from_dict``) is documented in
``docs/visit-schema.md``; ``frontdesk visit add --from FILE.json`` reads it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from frontdesk.db.models import Appointment, AuditEntry, SafetyOverride, Service, User, Visit
from frontdesk.domain import safety
from frontdesk.domain.enums import AppointmentStatus, ServiceKind
from frontdesk.domain.errors import (
    ConflictError,
    NotFoundError,
    SafetyAcknowledgementRequired,
    ValidationError,
)
from frontdesk.domain.points import load_points
from frontdesk.services import audit, safety_checks
from frontdesk.services.base import ServiceBase
from frontdesk.services.intakes import require_clinical
from frontdesk.services.records import display_name

SCHEMA_VERSION = 1
MAX_TEXT = 5000
MAX_SHORT_TEXT = 200

#: appointment statuses a visit can be recorded for; the first two become "completed"
RECORDABLE_STATUSES = (
    AppointmentStatus.ARRIVED,
    AppointmentStatus.IN_TREATMENT,
    AppointmentStatus.COMPLETED,
)


class CuppingType(StrEnum):
    STATIONARY = "stationary"
    SLIDING = "sliding"
    FLASH = "flash"

    @property
    def label(self) -> str:
        return {
            "stationary": "cups left in place",
            "sliding": "sliding cups",
            "flash": "flash cupping",
        }[self.value]


class MoxaMethod(StrEnum):
    STICK = "stick"
    CONE = "cone"
    WARM_NEEDLE = "warm_needle"
    BOX = "box"
    HEAT_LAMP = "heat_lamp"

    @property
    def label(self) -> str:
        return {
            "stick": "moxa stick held above the skin",
            "cone": "moxa cone",
            "warm_needle": "moxa on the needle handle",
            "box": "moxa box",
            "heat_lamp": "heat lamp",
        }[self.value]


class Reaction(StrEnum):
    BLEEDING = "bleeding"
    BRUISE = "bruise"
    NEEDLE_PAIN = "needle_pain"
    SYMPTOMS_WORSE = "symptoms_worse"
    DROWSINESS = "drowsiness"
    FAINTING = "fainting"
    NAUSEA = "nausea"
    BURN_BLISTER = "burn_blister"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _REACTION_LABELS[self]

    @property
    def is_adverse_event(self) -> bool:
        """An event worth following up, not just an expected, passing reaction."""
        return self in (Reaction.FAINTING, Reaction.BURN_BLISTER)


_REACTION_LABELS = {
    Reaction.BLEEDING: "a drop of blood at a needle site",
    Reaction.BRUISE: "bruise",
    Reaction.NEEDLE_PAIN: "a needle hurt",
    Reaction.SYMPTOMS_WORSE: "symptoms briefly worse",
    Reaction.DROWSINESS: "tired or drowsy",
    Reaction.FAINTING: "felt faint or fainted",
    Reaction.NAUSEA: "felt sick",
    Reaction.BURN_BLISTER: "burn or blister",
    Reaction.OTHER: "other (see notes)",
}


# -- the visit's content -------------------------------------------------------------------


@dataclass(frozen=True)
class ElectroSettings:
    """Electro-acupuncture: frequency in Hz, intensity in the practitioner's words, minutes."""

    frequency_hz: float | None = None
    intensity: str = ""  # e.g. "3 on the dial", "to a comfortable tapping"
    minutes: int | None = None


@dataclass(frozen=True)
class CuppingDetails:
    type: CuppingType | None = None
    sites: tuple[str, ...] = ()  # e.g. ("upper back", "back of thighs")
    minutes: int | None = None


@dataclass(frozen=True)
class MoxaDetails:
    method: MoxaMethod | None = None
    sites: tuple[str, ...] = ()  # points or areas warmed, e.g. ("ST36", "lower back")
    minutes: int | None = None


@dataclass(frozen=True)
class SoapNotes:
    subjective: str = ""  # what the patient reports
    objective: str = ""  # what the practitioner finds
    assessment: str = ""
    plan: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.subjective or self.objective or self.assessment or self.plan)


@dataclass(frozen=True)
class VisitInput:
    """What the practitioner records for one visit; every part may be left empty.

    ``services`` left empty means "the booked service". ``points`` are point codes in any
    common spelling ("st 36", "LIV3", "M-LE-8"); they are stored as standard codes.
    """

    services: tuple[ServiceKind, ...] = ()
    points: tuple[str, ...] = ()
    point_notes: str = ""  # sides, depth, technique
    needle_minutes: int | None = None  # needle retention
    electro: ElectroSettings | None = None
    cupping: CuppingDetails | None = None
    moxibustion: MoxaDetails | None = None
    pain_before: int | None = None  # NRS 0-10
    pain_after: int | None = None
    reactions: tuple[Reaction, ...] = ()
    reaction_notes: str = ""
    soap: SoapNotes = field(default_factory=SoapNotes)
    next_plan: str = ""  # plan for the next visit
    #: a personal word from the practitioner, printed on the patient's aftercare sheet
    note_for_patient: str = ""

    @property
    def adverse_events(self) -> tuple[Reaction, ...]:
        return tuple(r for r in self.reactions if r.is_adverse_event)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of docs/visit-schema.md (with ``"schema": 1``)."""
        return {
            "schema": SCHEMA_VERSION,
            "services": [k.value for k in self.services],
            "points": list(self.points),
            "point_notes": self.point_notes,
            "needle_minutes": self.needle_minutes,
            "electro": None
            if self.electro is None
            else {
                "frequency_hz": self.electro.frequency_hz,
                "intensity": self.electro.intensity,
                "minutes": self.electro.minutes,
            },
            "cupping": None
            if self.cupping is None
            else {
                "type": self.cupping.type.value if self.cupping.type else None,
                "sites": list(self.cupping.sites),
                "minutes": self.cupping.minutes,
            },
            "moxibustion": None
            if self.moxibustion is None
            else {
                "method": self.moxibustion.method.value if self.moxibustion.method else None,
                "sites": list(self.moxibustion.sites),
                "minutes": self.moxibustion.minutes,
            },
            "pain_before": self.pain_before,
            "pain_after": self.pain_after,
            "reactions": [r.value for r in self.reactions],
            "reaction_notes": self.reaction_notes,
            "soap": {
                "subjective": self.soap.subjective,
                "objective": self.soap.objective,
                "assessment": self.soap.assessment,
                "plan": self.soap.plan,
            },
            "next_plan": self.next_plan,
            "note_for_patient": self.note_for_patient,
        }

    @classmethod
    def from_dict(cls, data: object) -> VisitInput:
        """Read and check the JSON form; raise ValidationError naming the first bad field
        (``error.field`` holds its path, e.g. ``electro.frequency_hz``)."""
        if not isinstance(data, Mapping):
            raise ValidationError("A visit must be a JSON object.")
        version = data.get("schema", SCHEMA_VERSION)
        if version != SCHEMA_VERSION:
            raise ValidationError(
                f"The visit uses format {version!r}; this program reads format {SCHEMA_VERSION}.",
                field="schema",
            )
        _no_unknown(data, _TOP_KEYS, "the visit", "")
        electro = _section(data, "electro", "Electro-acupuncture settings", _ELECTRO_KEYS)
        cupping = _section(data, "cupping", "Cupping details", _CUPPING_KEYS)
        moxa = _section(data, "moxibustion", "Moxibustion details", _MOXA_KEYS)
        soap = _section(data, "soap", "SOAP notes", _SOAP_KEYS) or {}
        visit = cls(
            services=_services(data.get("services")),
            points=_points(data.get("points")),
            point_notes=_text(data.get("point_notes"), "Point notes", "point_notes", MAX_TEXT),
            needle_minutes=_whole(
                data.get("needle_minutes"), "Needle retention", "needle_minutes", 1, 90, " minutes"
            ),
            electro=None
            if electro is None
            else ElectroSettings(
                frequency_hz=_decimal(
                    electro.get("frequency_hz"),
                    "Electro-acupuncture frequency",
                    "electro.frequency_hz",
                    0.5,
                    200,
                    " Hz",
                ),
                intensity=_text(
                    electro.get("intensity"),
                    "Electro-acupuncture intensity",
                    "electro.intensity",
                    MAX_SHORT_TEXT,
                ),
                minutes=_whole(
                    electro.get("minutes"),
                    "Electro-acupuncture time",
                    "electro.minutes",
                    1,
                    90,
                    " minutes",
                ),
            ),
            cupping=None
            if cupping is None
            else CuppingDetails(
                type=_choice(cupping.get("type"), CuppingType, "Cupping type", "cupping.type"),
                sites=_text_list(cupping.get("sites"), "Cupping sites", "cupping.sites"),
                minutes=_whole(
                    cupping.get("minutes"), "Cupping time", "cupping.minutes", 1, 30, " minutes"
                ),
            ),
            moxibustion=None
            if moxa is None
            else MoxaDetails(
                method=_choice(
                    moxa.get("method"), MoxaMethod, "Moxibustion method", "moxibustion.method"
                ),
                sites=_text_list(moxa.get("sites"), "Moxibustion sites", "moxibustion.sites"),
                minutes=_whole(
                    moxa.get("minutes"),
                    "Moxibustion time",
                    "moxibustion.minutes",
                    1,
                    60,
                    " minutes",
                ),
            ),
            pain_before=_whole(
                data.get("pain_before"), "Pain before treatment", "pain_before", 0, 10
            ),
            pain_after=_whole(data.get("pain_after"), "Pain after treatment", "pain_after", 0, 10),
            reactions=_reactions(data.get("reactions")),
            reaction_notes=_text(
                data.get("reaction_notes"), "Reaction notes", "reaction_notes", MAX_TEXT
            ),
            soap=SoapNotes(
                subjective=_text(
                    soap.get("subjective"), "Subjective (S)", "soap.subjective", MAX_TEXT
                ),
                objective=_text(soap.get("objective"), "Objective (O)", "soap.objective", MAX_TEXT),
                assessment=_text(
                    soap.get("assessment"), "Assessment (A)", "soap.assessment", MAX_TEXT
                ),
                plan=_text(soap.get("plan"), "Plan (P)", "soap.plan", MAX_TEXT),
            ),
            next_plan=_text(data.get("next_plan"), "Plan for next visit", "next_plan", MAX_TEXT),
            note_for_patient=_text(
                data.get("note_for_patient"),
                "Note for the patient's aftercare sheet",
                "note_for_patient",
                MAX_TEXT,
            ),
        )
        visit.check_consistent()
        return visit

    def check_consistent(self) -> None:
        """Refuse details of a technique that is not among the services performed."""
        chosen = set(self.services)
        if not chosen:
            return  # the booked service is filled in later; checked again then
        needles = {ServiceKind.ACUPUNCTURE, ServiceKind.ELECTRO_ACUPUNCTURE}
        if self.needle_minutes is not None and not chosen & needles:
            raise ValidationError(
                "A needle retention time was given, but neither acupuncture nor "
                "electro-acupuncture is among the services performed.",
                field="needle_minutes",
            )
        for details, kind, path in (
            (self.electro, ServiceKind.ELECTRO_ACUPUNCTURE, "electro"),
            (self.cupping, ServiceKind.CUPPING, "cupping"),
            (self.moxibustion, ServiceKind.MOXIBUSTION, "moxibustion"),
        ):
            if details is not None and kind not in chosen:
                raise ValidationError(
                    f"{kind.label} details were given, but {kind.label.lower()} is not among "
                    "the services performed. Add it to the services or leave the details out.",
                    field=path,
                )

    def normalised(self) -> VisitInput:
        """The same visit checked as if read from JSON (codes standardised, text trimmed)."""
        try:
            dumped = self.to_dict()
        except (AttributeError, TypeError, ValueError):
            raise ValidationError("The visit holds a value of the wrong kind.") from None
        return VisitInput.from_dict(dumped)

    def copy_for_next_visit(self) -> VisitInput:
        """This visit's treatment (services, points, settings) without pain scores, reactions
        or notes: the starting point of "copy last visit"."""
        return replace(
            self,
            pain_before=None,
            pain_after=None,
            reactions=(),
            reaction_notes="",
            soap=SoapNotes(),
            next_plan="",
            note_for_patient="",
        )


_TOP_KEYS = (
    "schema",
    "services",
    "points",
    "point_notes",
    "needle_minutes",
    "electro",
    "cupping",
    "moxibustion",
    "pain_before",
    "pain_after",
    "reactions",
    "reaction_notes",
    "soap",
    "next_plan",
    "note_for_patient",
)
_ELECTRO_KEYS = ("frequency_hz", "intensity", "minutes")
_CUPPING_KEYS = ("type", "sites", "minutes")
_MOXA_KEYS = ("method", "sites", "minutes")
_SOAP_KEYS = ("subjective", "objective", "assessment", "plan")


def _no_unknown(data: Mapping[Any, Any], known: Sequence[str], where: str, path: str) -> None:
    for key in data:
        if key not in known:
            raise ValidationError(
                f"Unknown field '{key}' in {where}. Known fields: {', '.join(known)}.",
                field=path or None,
            )


def _section(
    data: Mapping[str, Any], key: str, label: str, known: Sequence[str]
) -> Mapping[str, Any] | None:
    raw = data.get(key)
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise ValidationError(f"{label} must be an object of named values.", field=key)
    _no_unknown(raw, known, label.lower(), key)
    return raw


def _text(raw: object, label: str, path: str, max_length: int) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise ValidationError(f"{label} must be text.", field=path)
    if len(raw) > max_length:
        raise ValidationError(f"{label} is too long: at most {max_length} characters.", field=path)
    return raw.strip()


def _text_list(raw: object, label: str, path: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
        raise ValidationError(f"{label} must be a list of text entries.", field=path)
    if len(raw) > 50 or any(len(v) > MAX_SHORT_TEXT for v in raw):
        raise ValidationError(f"{label} has too many or too long entries.", field=path)
    return tuple(dict.fromkeys(v.strip() for v in raw if v.strip()))


def _whole(raw: object, label: str, path: str, low: int, high: int, unit: str = "") -> int | None:
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise ValidationError(
            f"{label} must be a whole number from {low} to {high}{unit}.", field=path
        )
    return raw


def _decimal(
    raw: object, label: str, path: str, low: float, high: float, unit: str = ""
) -> float | None:
    if raw is None:
        return None
    if (
        isinstance(raw, bool)
        or not isinstance(raw, int | float)
        or not math.isfinite(raw)
        or not low <= raw <= high
    ):
        raise ValidationError(
            f"{label} must be a number from {low:g} to {high:g}{unit}.", field=path
        )
    return float(raw)


_E = TypeVar("_E", bound=StrEnum)


def _choice(raw: object, enum: type[_E], label: str, path: str) -> _E | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        try:
            return enum(raw)
        except ValueError:
            pass
    choices = ", ".join(f'"{m.value}"' for m in enum)
    raise ValidationError(f"{label} must be one of {choices}.", field=path)


def _services(raw: object) -> tuple[ServiceKind, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple):
        raise ValidationError('Services must be a list, e.g. ["acupuncture"].', field="services")
    found: list[ServiceKind] = []
    for value in raw:
        kind = _choice(value, ServiceKind, "Each service", "services")
        if kind is None:
            raise ValidationError("A service in the list is empty.", field="services")
        if kind not in found:
            found.append(kind)
    return tuple(found)


def _reactions(raw: object) -> tuple[Reaction, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple):
        raise ValidationError("Reactions must be a list of reaction ids.", field="reactions")
    chosen = {_choice(value, Reaction, "Each reaction", "reactions") for value in raw}
    return tuple(r for r in Reaction if r in chosen)


def _points(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple) or len(raw) > 200:
        raise ValidationError(
            'Points must be a list of point codes, e.g. ["ST36"].', field="points"
        )
    catalogue = load_points()
    found: list[str] = []
    for index, value in enumerate(raw):
        if not isinstance(value, str):
            raise ValidationError(
                'Each point must be a code written as text, e.g. "ST36".',
                field=f"points[{index}]",
            )
        code = catalogue.normalise_code(value)
        if code is None:
            raise ValidationError(
                f"'{value}' is not a known acupuncture point. Use a WHO code such as ST36 "
                "or LR3, or an extra point such as EX-LE10 (Bafeng).",
                field=f"points[{index}]",
            )
        if code not in found:
            found.append(code)
    return tuple(found)


# -- what the service hands out ------------------------------------------------------------


@dataclass(frozen=True)
class OverrideNote:
    """A practitioner's override of a STOP rule, kept with the visit."""

    rules: str
    reason: str
    by: str
    at: datetime


@dataclass(frozen=True)
class VisitRecord:
    id: int
    appointment_id: int
    patient_id: int
    patient_name: str
    practitioner_id: int
    practitioner_name: str
    service_code: str  # the booked service
    service_name: str
    starts_at: datetime  # the appointment's start
    data: VisitInput
    created_at: datetime
    updated_at: datetime
    created_by: str
    version: int  # pass back to update() to detect edits made elsewhere
    overrides: tuple[OverrideNote, ...] = ()

    @property
    def pain_before(self) -> int | None:
        return self.data.pain_before

    @property
    def pain_after(self) -> int | None:
        return self.data.pain_after

    @property
    def pain_change(self) -> int | None:
        """After minus before (negative: less pain), when both were recorded."""
        if self.data.pain_before is None or self.data.pain_after is None:
            return None
        return self.data.pain_after - self.data.pain_before


# -- the service ---------------------------------------------------------------------------


def _booked_kinds(service: Service) -> tuple[ServiceKind, ...]:
    return (
        ServiceKind(service.kind),
        *(ServiceKind(k) for k in service.extra_kinds.get("kinds", [])),
    )


def _clean_reason(reason: str | None) -> str | None:
    if reason is None or not reason.strip():
        return None
    reason = reason.strip()
    if len(reason) < 5:
        raise ValidationError(
            "Please give the reason for the override in a few words.", field="override_reason"
        )
    return reason


def _flat(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flat(value, f"{name}."))
        else:
            out[name] = value
    return out


class VisitService(ServiceBase):
    """Recording and reading what was done at each visit (practitioners only)."""

    def _appointment(self, s: Session, appointment_id: int) -> Appointment:
        row = s.scalars(
            select(Appointment)
            .where(Appointment.id == appointment_id)
            .options(
                joinedload(Appointment.service),
                joinedload(Appointment.patient),
                joinedload(Appointment.practitioner),
            )
        ).first()
        if row is None:
            raise NotFoundError(f"There is no appointment number {appointment_id}.")
        return row

    def _check_safety(
        self,
        s: Session,
        patient_id: int,
        kinds: tuple[ServiceKind, ...],
        points: tuple[str, ...],
        acknowledged: bool,
        override_reason: str | None,
    ) -> None:
        pregnancy_points: list[str] = []
        if points and safety_checks.assessment_for(s, patient_id).flag("pregnant") is not None:
            pregnancy_points = safety.pregnancy_flagged_points(points)
        point_warning = ""
        if pregnancy_points:
            point_warning = (
                "The patient is or may be pregnant, and these points are avoided in "
                f"pregnancy: {', '.join(pregnancy_points)}."
            )
        try:
            self.hub.check_safety(
                s,
                patient_id=patient_id,
                kinds=kinds,
                acknowledged=acknowledged,
                override_reason=override_reason,
                # treating without any safety screen on file needs an acknowledgement
                require_screen=True,
            )
        except SafetyAcknowledgementRequired as error:
            if point_warning:
                raise SafetyAcknowledgementRequired(
                    f"{error.message} {point_warning}", field=error.field
                ) from None
            raise
        if point_warning and not acknowledged and override_reason is None:
            raise SafetyAcknowledgementRequired(
                f"{point_warning} Please confirm you have seen this, or choose other points.",
                field="points",
            )

    def point_warnings(self, patient_id: int, points: Sequence[str]) -> list[str]:
        """The chosen points to flag for this patient (those avoided in pregnancy, when the
        latest intake says the patient is or may be pregnant), as standard codes."""
        with self.db.read() as s:
            if safety_checks.assessment_for(s, patient_id).flag("pregnant") is None:
                return []
        return safety.pregnancy_flagged_points(points)

    def record(
        self,
        appointment_id: int,
        data: VisitInput,
        *,
        acknowledged: bool = False,
        override_reason: str | None = None,
    ) -> VisitRecord:
        """Record what was done at an appointment; an arrived or in-treatment appointment is
        marked completed in the same step.

        Empty ``services`` means the booked service. Raises ValidationError for bad input
        (``error.field`` names it), ConflictError when a visit is already recorded for the
        appointment, SafetyError when a STOP rule forbids a service and no practitioner
        override reason was given, SafetyAcknowledgementRequired when warnings (including
        points avoided in pregnancy) were not acknowledged: show ``error.message`` and call
        again with ``acknowledged=True``.
        """
        require_clinical(self.actor, "visit records")
        reason = _clean_reason(override_reason)
        visit = data.normalised()
        now = self.now()
        with self.db.write() as s:
            appointment = self._appointment(s, appointment_id)
            status = AppointmentStatus(appointment.status)
            if status not in RECORDABLE_STATUSES:
                raise ValidationError(
                    f"A visit can only be recorded once the patient has arrived; this "
                    f"appointment is {status.label.lower()}."
                    + (
                        " Mark the patient as arrived first."
                        if status is AppointmentStatus.BOOKED
                        else ""
                    )
                )
            if s.scalar(select(Visit.id).where(Visit.appointment_id == appointment_id)):
                raise ConflictError(
                    "A visit is already recorded for this appointment. Open it to make changes."
                )
            if not visit.services:
                visit = replace(visit, services=_booked_kinds(appointment.service))
                visit.check_consistent()
            self._check_safety(
                s, appointment.patient_id, visit.services, visit.points, acknowledged, reason
            )
            row = Visit(
                appointment_id=appointment.id,
                patient_id=appointment.patient_id,
                practitioner_id=appointment.practitioner_id,
                data=visit.to_dict(),
                pain_before=visit.pain_before,
                pain_after=visit.pain_after,
                created_at=now,
                updated_at=now,
                created_by_id=self.actor.user_id,
            )
            s.add(row)
            try:
                s.flush()
            except IntegrityError:
                raise ConflictError(
                    "A visit was just recorded for this appointment on another workstation. "
                    "Open it to make changes."
                ) from None
            safety_checks.record_override(
                s,
                appointment.patient_id,
                appointment.id,
                visit.services,
                reason,
                self.actor,
                now,
                visit_id=row.id,
            )
            if status is not AppointmentStatus.COMPLETED:
                # the same step (and audit entry) as marking it completed on the calendar
                self.hub.appointments.set_status_in(
                    s, appointment, AppointmentStatus.COMPLETED, reason="", now=now
                )
            audit.record(
                s,
                self.actor,
                now,
                "create",
                "visit",
                row.id,
                patient_id=appointment.patient_id,
                changes={
                    "appointment_id": [None, appointment.id],
                    "services": [None, [k.value for k in visit.services]],
                    "points": [None, list(visit.points)],
                    "pain_before": [None, visit.pain_before],
                    "pain_after": [None, visit.pain_after],
                },
            )
            s.flush()
            return self._records(s, [row])[0]

    def update(
        self,
        visit_id: int,
        expected_version: int,
        data: VisitInput,
        *,
        acknowledged: bool = False,
        override_reason: str | None = None,
    ) -> VisitRecord:
        """Save changes to a recorded visit; refused (ConflictError) when someone else saved
        it since ``expected_version`` was read. Services and points added by the change go
        through the same safety checks as :meth:`record`."""
        require_clinical(self.actor, "visit records")
        reason = _clean_reason(override_reason)
        visit = data.normalised()
        now = self.now()
        try:
            with self.db.write() as s:
                row = s.get(Visit, visit_id)
                if row is None:
                    raise NotFoundError(f"There is no visit number {visit_id}.")
                if row.version != expected_version:
                    raise self._stale(s, visit_id)
                appointment = self._appointment(s, row.appointment_id)
                if not visit.services:
                    visit = replace(visit, services=_booked_kinds(appointment.service))
                    visit.check_consistent()
                before = VisitInput.from_dict(row.data)
                new_kinds = tuple(k for k in visit.services if k not in before.services)
                new_points = tuple(p for p in visit.points if p not in before.points)
                if new_kinds or new_points:
                    self._check_safety(
                        s, row.patient_id, new_kinds, new_points, acknowledged, reason
                    )
                row.data = visit.to_dict()
                row.pain_before = visit.pain_before
                row.pain_after = visit.pain_after
                row.updated_at = now
                s.flush()
                if new_kinds:
                    safety_checks.record_override(
                        s,
                        row.patient_id,
                        row.appointment_id,
                        new_kinds,
                        reason,
                        self.actor,
                        now,
                        visit_id=row.id,
                    )
                audit.record(
                    s,
                    self.actor,
                    now,
                    "update",
                    "visit",
                    row.id,
                    patient_id=row.patient_id,
                    changes=audit.diff(_flat(before.to_dict()), _flat(visit.to_dict())),
                )
                return self._records(s, [row])[0]
        except StaleDataError:
            raise ConflictError(
                "This visit was changed on another workstation while you were editing. "
                "Open it again to see their changes, then apply yours."
            ) from None

    def _stale(self, s: Session, visit_id: int) -> ConflictError:
        last = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "visit", AuditEntry.entity_id == visit_id)
            .order_by(AuditEntry.id.desc())
            .limit(1)
        ).first()
        who = f"{last.username} at {last.at.astimezone().strftime('%H:%M')}" if last else "someone"
        return ConflictError(
            f"This visit was changed by {who} while you were editing. "
            "Open it again to see their changes, then apply yours."
        )

    # -- reading ---------------------------------------------------------------------------

    def _viewed(self, s: Session, entity_id: int | None, patient_id: int, **changes: Any) -> None:
        audit.record(
            s,
            self.actor,
            self.now(),
            "view",
            "visit",
            entity_id,
            patient_id=patient_id,
            changes=changes,
        )

    def _records(self, s: Session, rows: Sequence[Visit]) -> list[VisitRecord]:
        if not rows:
            return []
        appointments = {
            a.id: a
            for a in s.scalars(
                select(Appointment)
                .where(Appointment.id.in_({r.appointment_id for r in rows}))
                .options(
                    joinedload(Appointment.service),
                    joinedload(Appointment.patient),
                    joinedload(Appointment.practitioner),
                )
            ).unique()
        }
        user_ids = {r.created_by_id for r in rows if r.created_by_id is not None}
        overrides = list(
            s.scalars(
                select(SafetyOverride)
                .where(SafetyOverride.visit_id.in_({r.id for r in rows}))
                .order_by(SafetyOverride.id)
            )
        )
        user_ids |= {o.user_id for o in overrides if o.user_id is not None}
        users: dict[int, str] = {}
        if user_ids:
            # a Result has keys(), so dict(result) would take it for a mapping
            users = {
                uid: name
                for uid, name in s.execute(
                    select(User.id, User.display_name).where(User.id.in_(user_ids))
                ).tuples()
            }
        authors: dict[int, str] = {}
        unknown = [r.id for r in rows if r.created_by_id not in users]
        if unknown:
            for entity_id, username in s.execute(
                select(AuditEntry.entity_id, AuditEntry.username).where(
                    AuditEntry.entity == "visit",
                    AuditEntry.action == "create",
                    AuditEntry.entity_id.in_(unknown),
                )
            ).tuples():
                if entity_id is not None:
                    authors[entity_id] = username
        notes: dict[int, list[OverrideNote]] = {}
        for o in overrides:
            if o.visit_id is not None:
                notes.setdefault(o.visit_id, []).append(
                    OverrideNote(o.rules, o.reason, users.get(o.user_id or -1, ""), o.created_at)
                )
        out = []
        for r in rows:
            a = appointments[r.appointment_id]
            p = a.patient
            out.append(
                VisitRecord(
                    id=r.id,
                    appointment_id=r.appointment_id,
                    patient_id=r.patient_id,
                    patient_name=display_name(p.legal_name, p.preferred_name, p.other_script_name),
                    practitioner_id=r.practitioner_id,
                    practitioner_name=a.practitioner.name,
                    service_code=a.service.code,
                    service_name=a.service.name,
                    starts_at=a.starts_at,
                    data=VisitInput.from_dict(r.data),
                    created_at=r.created_at,
                    updated_at=r.updated_at,
                    created_by=users.get(r.created_by_id or -1)
                    or authors.get(r.id)
                    or "workstation",
                    version=r.version,
                    overrides=tuple(notes.get(r.id, ())),
                )
            )
        return out

    def get(self, visit_id: int) -> VisitRecord:
        """One visit (audited as a look at the clinical record)."""
        require_clinical(self.actor, "visit records")
        with self.db.write() as s:
            row = s.get(Visit, visit_id)
            if row is None:
                raise NotFoundError(f"There is no visit number {visit_id}.")
            self._viewed(s, row.id, row.patient_id)
            return self._records(s, [row])[0]

    def for_appointment(self, appointment_id: int) -> VisitRecord | None:
        """The visit recorded for an appointment, or None (audited when there is one)."""
        require_clinical(self.actor, "visit records")
        with self.db.write() as s:
            row = s.scalars(select(Visit).where(Visit.appointment_id == appointment_id)).first()
            if row is None:
                return None
            self._viewed(s, row.id, row.patient_id)
            return self._records(s, [row])[0]

    def for_patient(self, patient_id: int) -> list[VisitRecord]:
        """Every visit of a patient, newest first (audited as a look at the record)."""
        require_clinical(self.actor, "visit records")
        with self.db.write() as s:
            rows = list(
                s.scalars(
                    select(Visit)
                    .join(Appointment, Appointment.id == Visit.appointment_id)
                    .where(Visit.patient_id == patient_id)
                    .order_by(Appointment.starts_at.desc(), Visit.id.desc())
                )
            )
            self._viewed(s, None, patient_id, what="visit list", count=len(rows))
            return self._records(s, rows)

    def last_for_patient(self, patient_id: int) -> VisitInput | None:
        """ "Copy last visit": the latest visit's treatment (services, points, settings)
        without pain scores, reactions or notes; None when the patient has no visit yet."""
        require_clinical(self.actor, "visit records")
        with self.db.write() as s:
            row = s.scalars(
                select(Visit)
                .join(Appointment, Appointment.id == Visit.appointment_id)
                .where(Visit.patient_id == patient_id)
                .order_by(Appointment.starts_at.desc(), Visit.id.desc())
                .limit(1)
            ).first()
            if row is None:
                return None
            self._viewed(s, row.id, patient_id, what="copied for a new visit")
            return VisitInput.from_dict(row.data).copy_for_next_visit()
