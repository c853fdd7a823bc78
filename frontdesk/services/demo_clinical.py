"""Clinical content for the demo clinic: intakes, second intake versions and visit records.

Added to the demo by default (``DemoOptions.extras``). It looks at the appointments the demo
has just booked and gives:

- one patient for every answer of the safety screen and every red flag, chosen among the
  patients booked today (then this week), so each kind of flag shows on today's calendar;
- realistic neuropathy intakes (causes, symptoms, body map, pain, MNSI answers, medicines)
  for most of the other patients seen in the recent weeks, and a second, later version for
  some of them, so "what changed" and the MNSI trend have something to show;
- a visit record for each completed appointment of those weeks, with points from the
  neuropathy favourites and pain before and after that eases over the course.

The amount is capped (recent weeks only, at most :data:`MAX_INTAKES` intakes and
:data:`MAX_VISITS` visits) and written in bulk, so the 100,000-patient demo stays fast. The
same seed gives the same content.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from frontdesk.db.models import (
    Appointment,
    ClinicProfile,
    Intake,
    Patient,
    SafetyOverride,
    Service,
    Visit,
)
from frontdesk.domain import safety
from frontdesk.domain.enums import AppointmentStatus, ServiceKind, Sex
from frontdesk.domain.intake import IntakeData
from frontdesk.domain.mnsi import ITEMS
from frontdesk.domain.points import (
    PREGNANCY_CAUTION_POINTS,
    PREGNANCY_TRADITIONAL_POINTS,
    load_points,
)
from frontdesk.services.intakes import stored_mnsi_score
from frontdesk.services.visits import SCHEMA_VERSION as VISIT_SCHEMA

if TYPE_CHECKING:
    from frontdesk.services.demo import DemoSummary
    from frontdesk.services.hub import Services

#: how far back intakes and visits go, and how far ahead booked patients get an intake
RECENT_WEEKS = 8
AHEAD_DAYS = 14
MAX_INTAKES = 3000
MAX_VISITS = 20_000
#: share of the recently seen patients who have an intake on file
INTAKE_SHARE = 0.8
#: share of those who filled in a second version later
SECOND_VERSION_SHARE = 0.35

#: every answer of the safety screen and every red flag gets one demo patient
SHOWCASE: tuple[str, ...] = (
    "implanted_device",
    "bleeding_disorder",
    "anticoagulant",
    "pregnant",
    "epilepsy",
    "numbness",
    "open_wound",
    "dvt",
    "active_cancer",
    "lymphoedema",
    "needle_phobia",
    "fainting_history",
    "fasting_today",
    "spreading_weakness",
    "foot_ulcer_infection",
    "hot_swollen_foot",
)
RED_FLAG_CODES = frozenset({"spreading_weakness", "foot_ulcer_infection", "hot_swollen_foot"})

PREGNANCY_POINTS = frozenset(PREGNANCY_CAUTION_POINTS + PREGNANCY_TRADITIONAL_POINTS)
FOOT_AREAS = ("toes", "sole", "top_of_foot", "ankle", "lower_leg")
HAND_AREAS = ("fingers", "palm", "back_of_hand", "wrist")

CHEMO_DRUGS = ("oxaliplatin", "paclitaxel", "docetaxel", "bortezomib", "vincristine", "cisplatin")
PAIN_MEDICINES = (
    ("pregabalin", "75 mg twice a day"),
    ("gabapentin", "300 mg three times a day"),
    ("duloxetine", "60 mg once a day"),
    ("amitriptyline", "10 mg at night"),
    ("capsaicin cream", "on the feet at night"),
)
PATTERNS = (
    "Qi and Blood deficiency with Blood stasis in the channels",
    "Damp-heat obstructing the channels of the lower limbs",
    "Spleen Qi deficiency; Blood not nourishing the sinews",
    "Liver and Kidney Yin deficiency",
    "Yang deficiency with cold in the channels",
)
SUBJECTIVE = (
    "Burning in both soles, worse at night; sleep broken.",
    "Tingling in the toes most of the day; numb patches on the soles.",
    "Feet feel like walking on cotton wool; cold at night.",
    "Pins and needles in the fingertips when typing; drops small things.",
    "Sharp shooting pains in the feet in the evening.",
)
SUBJECTIVE_LATER = (
    "Slept better this week; burning eased for a day or two after treatment.",
    "Tingling less constant; still numb over the toes.",
    "Walked to the shops without stopping; feet less cold.",
    "Fewer shooting pains; evenings easier.",
    "About the same; a stressful week.",
)
OBJECTIVE = (
    "Skin of both feet intact; feet cool to touch; light touch reduced over the toes.",
    "Dry skin on the heels; no sores; pulses felt at both ankles.",
    "Feet warm, colour normal; vibration reduced at both big toes.",
    "Mild swelling at both ankles; no redness; skin intact.",
)
ASSESSMENT = (
    "Responding to the course; pain down over the visit.",
    "Slow but steady change; continue.",
    "Symptoms stable; review the plan at the end of the course.",
)
PLANS = (
    "Continue twice weekly; check the feet before needling.",
    "Same points; add electro-acupuncture if tolerated.",
    "Weekly from next month; home foot checks reminded.",
)

_SIGNATURE = [[[0.05, 0.6], [0.2, 0.3], [0.35, 0.7], [0.5, 0.35], [0.7, 0.65], [0.9, 0.4]]]


@dataclass
class _Booking:
    id: int
    patient_id: int
    starts_at: datetime
    ends_at: datetime
    status: str
    service_id: int
    practitioner_id: int


@dataclass
class _Person:
    id: int
    sex: str
    date_of_birth: date | None


def add_clinical_demo(
    hub: Services,
    rng: random.Random,
    patient_ids: list[int],
    today: date,
    summary: DemoSummary,
) -> None:
    """Write the demo's intakes and visits (the ``DemoOptions.extras`` hook)."""
    builder = _ClinicalDemo(hub, random.Random(rng.getrandbits(64)), today)
    counts = builder.build()
    summary.extra.update(counts)


def default_extras() -> list[Callable[..., None]]:
    """The demo's default extras: the clinical content of this module."""
    return [add_clinical_demo]


class _ClinicalDemo:
    def __init__(self, hub: Services, rng: random.Random, today: date) -> None:
        self.hub = hub
        self.rng = rng
        self.today = today
        self.now = hub.clock()

    # -- reading what the base demo booked -------------------------------------------------

    def _load(
        self, s: Session
    ) -> tuple[ZoneInfo, list[_Booking], dict[int, _Person], dict[int, tuple[ServiceKind, ...]]]:
        profile = s.get(ClinicProfile, 1)
        tz = ZoneInfo(profile.timezone if profile else "UTC")
        start = datetime.combine(self.today - timedelta(weeks=RECENT_WEEKS), time.min, tz)
        end = datetime.combine(self.today + timedelta(days=AHEAD_DAYS), time.min, tz)
        bookings = [
            _Booking(*row)
            for row in s.execute(
                select(
                    Appointment.id,
                    Appointment.patient_id,
                    Appointment.starts_at,
                    Appointment.ends_at,
                    Appointment.status,
                    Appointment.service_id,
                    Appointment.practitioner_id,
                )
                .where(Appointment.starts_at >= start, Appointment.starts_at < end)
                .order_by(Appointment.starts_at, Appointment.id)
            ).tuples()
        ]
        wanted = sorted({b.patient_id for b in bookings})
        people: dict[int, _Person] = {}
        for chunk in _chunks(wanted, 5000):
            for pid, sex, dob in s.execute(
                select(Patient.id, Patient.sex, Patient.date_of_birth).where(Patient.id.in_(chunk))
            ).tuples():
                people[pid] = _Person(pid, sex, dob)
        kinds = {
            row.id: (
                ServiceKind(row.kind),
                *(ServiceKind(k) for k in row.extra_kinds.get("kinds", [])),
            )
            for row in s.scalars(select(Service))
        }
        return tz, bookings, people, kinds

    # -- building --------------------------------------------------------------------------

    def build(self) -> dict[str, int]:
        with self.hub.db.read() as s:
            tz, bookings, people, kinds = self._load(s)
        if not bookings:
            return {"intakes": 0, "visits": 0, "safety_showcase": 0}
        by_patient: dict[int, list[_Booking]] = {}
        for b in bookings:
            by_patient.setdefault(b.patient_id, []).append(b)
        showcase = self._pick_showcase(bookings, people, tz)
        intake_rows: list[dict[str, Any]] = []
        intakes_of: dict[int, list[IntakeData]] = {}

        def add_intake(pid: int, data: dict[str, Any], when: datetime, version: int) -> None:
            intake = IntakeData.from_dict(data)  # checks the demo's answers, as a save would
            intake_rows.append(
                {
                    "patient_id": pid,
                    "version_no": version,
                    # stored as written (left-out keys mean "not answered"): writing the full
                    # form of thousands of intakes would cost the large demo seconds
                    "data": data,
                    "mnsi_score": stored_mnsi_score(intake),
                    "pain_now": intake.pain.now,
                    "flags_summary": safety.assess(intake).summary_line(),
                    "source": "demo",
                    "created_at": when,
                    "created_by_id": None,
                }
            )
            intakes_of.setdefault(pid, []).append(intake)

        for code, pid in showcase.items():
            first = by_patient[pid][0]
            add_intake(pid, self._showcase_intake(code, people[pid]), self._first_at(first), 1)
        others = [pid for pid in by_patient if pid not in intakes_of]
        self.rng.shuffle(others)
        budget = MAX_INTAKES - len(intake_rows)
        chosen = others[: int(len(others) * INTAKE_SHARE)]
        for pid in sorted(chosen):
            if budget <= 0:
                break
            visits = by_patient[pid]
            first_version = self._neuropathy_intake(people[pid])
            add_intake(pid, first_version, self._first_at(visits[0]), 1)
            budget -= 1
            done = [b for b in visits if b.status == AppointmentStatus.COMPLETED.value]
            if budget > 0 and len(done) >= 3 and self.rng.random() < SECOND_VERSION_SHARE:
                later = done[len(done) // 2]
                add_intake(
                    pid,
                    self._improved(first_version),
                    min(later.starts_at - timedelta(minutes=10), self.now),
                    2,
                )
                budget -= 1
        visit_rows, overrides = self._visits(by_patient, intakes_of, kinds, showcase)
        with self.hub.db.write() as s:
            for chunk in _chunks(intake_rows, 2000):
                s.execute(insert(Intake), chunk)
            for chunk in _chunks(visit_rows, 5000):
                s.execute(insert(Visit), chunk)
            if overrides:
                visit_ids = {
                    appointment_id: visit_id
                    for appointment_id, visit_id in s.execute(
                        select(Visit.appointment_id, Visit.id).where(
                            Visit.appointment_id.in_([o["appointment_id"] for o in overrides])
                        )
                    ).tuples()
                }
                s.execute(
                    insert(SafetyOverride),
                    [{**o, "visit_id": visit_ids[o["appointment_id"]]} for o in overrides],
                )
        return {
            "intakes": len(intake_rows),
            "visits": len(visit_rows),
            "safety_showcase": len(showcase),
        }

    def _first_at(self, booking: _Booking) -> datetime:
        """When the first intake was filled in: just before the first visit, never later
        than now."""
        return min(booking.starts_at - timedelta(minutes=20), self.now - timedelta(hours=1))

    def _pick_showcase(
        self, bookings: Sequence[_Booking], people: dict[int, _Person], tz: ZoneInfo
    ) -> dict[str, int]:
        """One patient per safety answer, preferring patients booked today, then this week."""

        def local_day(b: _Booking) -> date:
            return b.starts_at.astimezone(tz).date()

        live = [b for b in bookings if b.status not in ("cancelled", "no_show")]
        today = [b.patient_id for b in live if local_day(b) == self.today]
        week = [
            b.patient_id for b in live if self.today < local_day(b) < self.today + timedelta(days=7)
        ]
        rest = [b.patient_id for b in bookings]
        order = list(dict.fromkeys(today + week + rest))
        taken: set[int] = set()
        chosen: dict[str, int] = {}
        # the pregnant patient first: she has to be a woman of child-bearing age
        for code in ("pregnant", *[c for c in SHOWCASE if c != "pregnant"]):
            for pid in order:
                if pid in taken:
                    continue
                if code == "pregnant" and not self._could_be_pregnant(people[pid]):
                    continue
                chosen[code] = pid
                taken.add(pid)
                break
        return {code: chosen[code] for code in SHOWCASE if code in chosen}

    def _could_be_pregnant(self, person: _Person) -> bool:
        if person.sex != Sex.FEMALE.value or person.date_of_birth is None:
            return False
        return (self.today - person.date_of_birth).days < 45 * 365

    # -- intakes ---------------------------------------------------------------------------

    def _body_map(self, sensations: Sequence[str], hands: bool) -> dict[str, list[str]]:
        rng = self.rng
        areas = list(FOOT_AREAS[: rng.randint(2, 5)])
        if hands:
            areas += list(HAND_AREAS[: rng.randint(1, 3)])
        marks: dict[str, list[str]] = {}
        for side in ("left", "right"):
            for area in areas:
                if side == "right" and rng.random() < 0.1:
                    continue  # one side a little different, as in life
                picked = [s for s in sensations if rng.random() < 0.7] or [sensations[0]]
                marks[f"{side}.{area}"] = picked
        return marks

    def _mnsi(self, severity: float) -> dict[str, bool]:
        answers: dict[str, bool] = {}
        for item in ITEMS:
            abnormal = self.rng.random() < 0.15 + 0.7 * severity
            if item.number in (8, 15):  # a foot sore or an amputation is rarer
                abnormal = self.rng.random() < 0.1 * severity
            answers[str(item.number)] = (not abnormal) if item.is_reversed else abnormal
        return answers

    def _neuropathy_intake(
        self, person: _Person, *, numb: bool | None = None, cause: str | None = None
    ) -> dict[str, Any]:
        """A realistic intake of a patient with peripheral neuropathy."""
        rng = self.rng
        cause = (
            cause
            or rng.choices(
                ("diabetes", "chemotherapy", "b12", "alcohol", "injury", "unknown"),
                weights=(55, 15, 5, 4, 6, 15),
            )[0]
        )
        numb = rng.random() < 0.6 if numb is None else numb
        severity = rng.uniform(0.2, 0.9)
        sensory = ["tingling", "burning"]
        sensory += rng.sample(["shooting_pain", "tight_glove_sock", "painful_cold", "buzzing"], 2)
        if numb:
            sensory.append("numbness")
        motor = rng.sample(["weakness", "poor_balance", "cramps", "dropping_things"], 2)
        autonomic = rng.sample(["dizzy_on_standing", "sweating_change", "digestive"], 1)
        feelings = ["tingling", "burning", "pain"] + (["numbness"] if numb else [])
        causes: dict[str, Any] = {}
        medications: list[dict[str, Any]] = []
        if cause == "diabetes":
            causes["diabetes"] = {
                "present": True,
                "type": "type_2" if rng.random() < 0.85 else "type_1",
                "hba1c_percent": round(rng.uniform(6.3, 9.8), 1),
            }
            medications.append({"name": "metformin", "dose": "500 mg twice a day"})
        elif cause == "chemotherapy":
            ended = self.today - timedelta(days=rng.randint(200, 1100))
            causes["chemotherapy"] = {
                "present": True,
                "drug": rng.choice(CHEMO_DRUGS),
                "started": (ended - timedelta(days=rng.randint(90, 200))).isoformat(),
                "ended": ended.isoformat(),
            }
        elif cause == "b12":
            causes["b12_deficiency"] = True
            medications.append({"name": "vitamin B12 injections", "dose": "every 3 months"})
        elif cause == "alcohol":
            causes["alcohol"] = True
        elif cause == "injury":
            causes["injury_or_compression"] = True
            sensory = ["tingling", "shooting_pain"]
        else:
            causes["unknown"] = True
        if rng.random() < 0.5:
            medications.append(dict(zip(("name", "dose"), rng.choice(PAIN_MEDICINES), strict=True)))
        mnsi = self._mnsi(severity)
        if not numb:
            # keep the answers in line with "no numbness"
            mnsi.update({"1": False, "7": True, "13": True})
        pain_now = max(1, min(10, round(3 + 5 * severity + rng.uniform(-1, 1))))
        return {
            "schema": 1,
            "chief_complaint": {
                "what": rng.choice(SUBJECTIVE),
                "since": f"{rng.randint(1, 9)} years",
                "better": rng.choice(("walking", "warm socks", "rest", "massage")),
                "worse": rng.choice(("night", "cold weather", "standing long", "tight shoes")),
                "character": rng.sample(["burning", "tingling", "stabbing", "aching"], 2),
            },
            "causes": causes,
            "symptoms": {
                "sensory": sensory,
                "motor": motor,
                "autonomic": autonomic,
                "notes": "",
            },
            "body_map": self._body_map(feelings, hands=rng.random() < 0.4),
            "pain": {
                "now": pain_now,
                "worst": min(10, pain_now + rng.randint(1, 3)),
                "average": max(0, pain_now - rng.randint(0, 1)),
            },
            "mnsi": mnsi,
            "medications": medications,
            "allergies": {"adhesive": rng.random() < 0.05, "latex": rng.random() < 0.03},
            "lifestyle": {
                "smoking": rng.choice(("never", "never", "former", "current")),
                "sleep_hours": rng.choice((5, 6, 6.5, 7, 7.5, 8)),
                "stress": rng.randint(2, 8),
                "exercise": rng.choice(("walks most days", "little", "swims weekly", "tai chi")),
            },
            "tcm_review": {
                "temperature": rng.choice(("cold", "cold", "hot", "neither")),
                "sleep": rng.choice(("wakes with burning feet", "light sleep", "sleeps well")),
                "energy": rng.choice(("tired afternoons", "low", "fair")),
            },
            "findings": {
                "pattern": rng.choice(PATTERNS),
                "treatment_principle": "Move Qi and Blood in the channels; nourish the sinews",
                "sessions_per_week": 2,
                "weeks": rng.choice((6, 8)),
                "tongue": {"body_colour": rng.choice(("pale", "purple", "red")), "coating": "thin"},
                "pulse": {"overall": rng.choice(("thready", "choppy", "wiry", "weak"))},
            },
            "consent": {
                "risks_acknowledged": [
                    "bleeding_bruising",
                    "needle_pain",
                    "symptoms_worse",
                    "drowsiness",
                    "fainting",
                    "serious_events",
                ],
                "may_stop_acknowledged": True,
                "signature": _SIGNATURE,
                "signed_on": (self.today - timedelta(weeks=RECENT_WEEKS)).isoformat(),
                "signer_name": "signed by the patient",
            },
        }

    def _showcase_intake(self, code: str, person: _Person) -> dict[str, Any]:
        """An intake whose one striking answer is ``code``."""
        numb = code == "numbness"
        cause = "diabetes" if numb else "unknown"
        if code == "active_cancer":
            cause = "chemotherapy"
        data = self._neuropathy_intake(person, numb=numb, cause=cause)
        screen: dict[str, Any] = {}
        red: dict[str, Any] = {}
        if code in RED_FLAG_CODES:
            red[code] = True
        elif code == "anticoagulant":
            screen["anticoagulant"] = True
            data["medications"].append(
                {"name": "apixaban", "dose": "5 mg twice a day", "anticoagulant": True}
            )
        elif code == "pregnant":
            screen["pregnant"] = True
            data["tcm_review"]["pregnancy"] = "about 14 weeks pregnant"
            data["causes"] = {"injury_or_compression": True}
            data["body_map"] = {
                f"{side}.{area}": ["tingling"]
                for side in ("left", "right")
                for area in ("fingers", "palm", "wrist")
            }
        elif code == "numbness":
            screen["numbness"] = True
        else:
            screen[code] = True
        where = {
            "implanted_device": ("implanted_device_location", "pacemaker, left upper chest"),
            "open_wound": ("open_wound_location", "small ulcer under the right big toe"),
            "active_cancer": ("cancer_location", "bowel; on chemotherapy"),
            "lymphoedema": ("lymphoedema_limb", "left arm"),
        }.get(code)
        if where:
            screen[where[0]] = where[1]
        if code == "active_cancer":
            data["causes"]["chemotherapy"]["ended"] = None
        data["safety"] = screen
        data["red_flags"] = red
        return data

    def _improved(self, first: dict[str, Any]) -> dict[str, Any]:
        """A later version: a little less pain, a few MNSI answers back to normal."""
        rng = self.rng
        later = {**first}
        pain = dict(first["pain"])
        for key in ("now", "worst", "average"):
            pain[key] = max(0, pain[key] - rng.randint(1, 3))
        later["pain"] = pain
        mnsi = dict(first["mnsi"])
        abnormal = [
            item
            for item in ITEMS
            if item.is_scored and mnsi.get(str(item.number)) is (not item.is_reversed)
        ]
        for item in rng.sample(abnormal, min(len(abnormal), rng.randint(1, 3))):
            mnsi[str(item.number)] = item.is_reversed
        later["mnsi"] = mnsi
        symptoms = dict(first["symptoms"])
        symptoms["notes"] = "Sleeping better since the course started."
        later["symptoms"] = symptoms
        return later

    # -- visits ----------------------------------------------------------------------------

    def _visits(
        self,
        by_patient: dict[int, list[_Booking]],
        intakes_of: dict[int, list[IntakeData]],
        kinds: dict[int, tuple[ServiceKind, ...]],
        showcase: dict[str, int],
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        rng = self.rng
        rows: list[dict[str, Any]] = []
        overrides: list[dict[str, Any]] = []
        bleeding_patient = showcase.get("bleeding_disorder")
        favourites = [p.code for p in load_points().favourites]
        for pid in sorted(intakes_of):
            if len(rows) >= MAX_VISITS:
                break
            done = [b for b in by_patient[pid] if b.status == AppointmentStatus.COMPLETED.value]
            if not done:
                continue
            latest = intakes_of[pid][-1]
            assessment = safety.assess(latest)
            pregnant = assessment.flag("pregnant") is not None
            numb = assessment.flag("numbness") is not None
            base = latest.pain.now if latest.pain.now is not None else 6
            core = [p for p in favourites if not (pregnant and p in PREGNANCY_POINTS)]
            points = rng.sample(core[:10], 4) + rng.sample(core[10:], 2)
            for index, booking in enumerate(done):
                if len(rows) >= MAX_VISITS:
                    break
                booked = kinds[booking.service_id]
                performed = booked
                note = ""
                decision = assessment.decision_for(booked)
                if decision.level is safety.DecisionLevel.OVERRIDE:
                    if pid == bleeding_patient and not overrides:
                        overrides.append(
                            {
                                "patient_id": pid,
                                "appointment_id": booking.id,
                                "rules": "; ".join(str(r) for r in decision.stops),
                                "reason": "Haematologist's letter on file: mild deficiency, "
                                "cleared for fine needles; sites pressed for 2 minutes.",
                                "user_id": None,
                                "created_at": booking.starts_at,
                            }
                        )
                    else:
                        performed = (ServiceKind.CONSULTATION,)
                        stopped = ", ".join(r.label for r in decision.stops)
                        note = (
                            f"Booked {', '.join(k.label for k in booked)}; not given "
                            f"({stopped}). Consultation and advice instead."
                        )
                before = max(0, min(10, round(base - 0.35 * index + rng.uniform(-1, 1))))
                after = max(0, before - rng.choice((0, 1, 1, 2, 2, 3)))
                data = self._visit_data(performed, points, numb, before, after, index, note)
                rows.append(
                    {
                        "appointment_id": booking.id,
                        "patient_id": pid,
                        "practitioner_id": booking.practitioner_id,
                        "data": data,
                        "pain_before": before,
                        "pain_after": after,
                        "created_at": booking.ends_at,
                        "updated_at": booking.ends_at,
                        "created_by_id": None,
                        "version": 1,
                    }
                )
        return rows, overrides

    def _visit_data(
        self,
        performed: Iterable[ServiceKind],
        points: list[str],
        numb: bool,
        before: int,
        after: int,
        index: int,
        note: str,
    ) -> dict[str, Any]:
        rng = self.rng
        performed = tuple(performed)
        needles = {ServiceKind.ACUPUNCTURE, ServiceKind.ELECTRO_ACUPUNCTURE} & set(performed)
        hands_on = performed != (ServiceKind.CONSULTATION,)
        data: dict[str, Any] = {
            "schema": VISIT_SCHEMA,
            "services": [k.value for k in performed],
            "points": points if needles else [],
            "point_notes": "bilateral" if needles else "",
            "needle_minutes": rng.choice((20, 25, 25, 30)) if needles else None,
            "electro": None,
            "cupping": None,
            "moxibustion": None,
            "pain_before": before,
            "pain_after": after,
            "reactions": [],
            "reaction_notes": "",
            "soap": {
                "subjective": rng.choice(SUBJECTIVE if index == 0 else SUBJECTIVE_LATER),
                "objective": rng.choice(OBJECTIVE),
                "assessment": note or rng.choice(ASSESSMENT),
                "plan": rng.choice(PLANS),
            },
            "next_plan": rng.choice(PLANS),
        }
        if ServiceKind.ELECTRO_ACUPUNCTURE in performed:
            data["electro"] = {
                "frequency_hz": rng.choice((2, 2, 10, 100)),
                "intensity": "low: numb skin" if numb else "comfortable tapping",
                "minutes": rng.choice((20, 25, 30)),
            }
        if ServiceKind.CUPPING in performed:
            data["cupping"] = {
                "type": rng.choice(("stationary", "stationary", "sliding")),
                "sites": rng.sample(["upper back", "lower back", "back of thighs", "calves"], 2),
                "minutes": rng.choice((5, 8, 10)),
            }
        if ServiceKind.MOXIBUSTION in performed:
            data["moxibustion"] = {
                "method": rng.choice(("stick", "warm_needle", "heat_lamp")),
                "sites": ["ST36", "SP6"] if not numb else ["ST36"],
                "minutes": 10,
            }
            if numb:
                data["soap"]["objective"] += " Skin checked every two minutes during heat."
        if hands_on:
            roll = rng.random()
            if roll < 0.05:
                data["reactions"] = ["drowsiness"]
                data["reaction_notes"] = "Rested 10 minutes before leaving."
            elif roll < 0.08 and needles:
                data["reactions"] = ["bruise"]
        return data


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
