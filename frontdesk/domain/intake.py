"""The intake and health history of one patient, as plain immutable values.

An :class:`IntakeData` is one version of a patient's intake: what the patient answered
(complaint, causes, symptoms, body map, pain, MNSI questionnaire, medicines, allergies, the
safety screen and red flags, lifestyle, TCM review, consent) and what only the practitioner
records (pulse, tongue, palpation, pattern, plan, MNSI foot exam). Every field is optional
and starts empty, so a half-filled form is a valid intake.

Each field is declared once with its label and its *codec* (how it is written to JSON, read
back and checked, and how it reads in a "what changed" list); ``to_dict``/``from_dict``,
``validate`` and :func:`diff` all walk those declarations, so a new field needs one line.
The JSON layout is documented in ``docs/intake-schema.md``.

Receptionists never see any of this: they see only the safety flags computed from it
(``frontdesk.domain.safety``) and whether consent is signed (:meth:`IntakeData.desk_part`).
"""

# Fields are declared through _field()/_section(), which return dataclasses.field(...) with
# a default factory; ruff cannot see through the helper, so its mutable-default check is off.
# ruff: noqa: RUF009

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from enum import StrEnum
from typing import Any

from frontdesk.domain import mnsi as mnsi_module
from frontdesk.domain.body_map import BodyMap, Sensation
from frontdesk.domain.body_map import diff as body_map_diff
from frontdesk.domain.enums import Role, ServiceKind
from frontdesk.domain.errors import ValidationError

SCHEMA_VERSION = 1

#: long free-text answers are capped so a pasted document cannot bloat the record
MAX_TEXT_LENGTH = 5000

#: a change of this many NRS points or more is clinically meaningful
NRS_MEANINGFUL_CHANGE = 2


def nrs_category(score: int | None) -> str:
    """Words for a 0-10 pain score: none, mild (1-3), moderate (4-6) or severe (7-10)."""
    if score is None:
        return "not recorded"
    if score == 0:
        return "none"
    if score <= 3:
        return "mild"
    if score <= 6:
        return "moderate"
    return "severe"


def is_meaningful_pain_change(before: int, after: int) -> bool:
    """Whether a change in pain score is large enough to matter (2 points or more)."""
    return abs(after - before) >= NRS_MEANINGFUL_CHANGE


# =============================================================================================
# What changed between two versions
# =============================================================================================


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One line of "what changed": ``Pain · Pain now: 6 → 4``."""

    section: str  # section label, e.g. "Pain"
    field: str  # field label, e.g. "Pain now"
    old: str  # the old value in words
    new: str  # the new value in words
    path: str  # the JSON path, e.g. "pain.now", so a form can jump there

    def __str__(self) -> str:
        return f"{self.section} · {self.field}: {self.old} → {self.new}"


# =============================================================================================
# Codecs: how each kind of field is written, read, checked and described
# =============================================================================================

NOT_RECORDED = "not recorded"
BLANK = "(blank)"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class _Codec:
    """Base: a value that is written to JSON as it is and compared as a whole."""

    def factory(self) -> Callable[[], Any]:
        raise NotImplementedError

    def load(self, raw: object, label: str, path: str) -> Any:
        raise NotImplementedError

    def dump(self, value: Any) -> Any:
        return value

    def text(self, value: Any) -> str:
        return str(value)

    def changes(self, old: Any, new: Any, section: str, label: str, path: str) -> list[FieldChange]:
        if old == new:
            return []
        return [FieldChange(section, label, self.text(old), self.text(new), path)]


class _Text(_Codec):
    def __init__(self, max_length: int = MAX_TEXT_LENGTH) -> None:
        self.max_length = max_length

    def factory(self) -> Callable[[], Any]:
        return str

    def load(self, raw: object, label: str, path: str) -> str:
        if raw is None:
            return ""
        if not isinstance(raw, str):
            raise ValidationError(f"{label} must be text.", field=path)
        if len(raw) > self.max_length:
            raise ValidationError(
                f"{label} is too long: at most {self.max_length} characters.", field=path
            )
        return raw.strip()

    def text(self, value: Any) -> str:
        return str(value) if value else BLANK


class _Flag(_Codec):
    def factory(self) -> Callable[[], Any]:
        return bool

    def load(self, raw: object, label: str, path: str) -> bool:
        if raw is None:
            return False
        if not isinstance(raw, bool):
            raise ValidationError(f"{label} must be true or false.", field=path)
        return raw

    def text(self, value: Any) -> str:
        return "yes" if value else "no"


class _WholeNumber(_Codec):
    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def factory(self) -> Callable[[], Any]:
        return lambda: None

    def load(self, raw: object, label: str, path: str) -> int | None:
        if raw is None:
            return None
        # JSON writers sometimes turn 5 into 5.0; accept that, but not 5.5 or true
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, bool) or not isinstance(raw, int) or not self.low <= raw <= self.high:
            raise ValidationError(
                f"{label} must be a whole number from {self.low} to {self.high}.", field=path
            )
        return raw

    def text(self, value: Any) -> str:
        return NOT_RECORDED if value is None else str(value)


class _Decimal(_Codec):
    def __init__(self, low: float, high: float, unit: str = "") -> None:
        self.low, self.high, self.unit = low, high, unit

    def factory(self) -> Callable[[], Any]:
        return lambda: None

    def load(self, raw: object, label: str, path: str) -> float | None:
        if raw is None:
            return None
        if (
            isinstance(raw, bool)
            or not isinstance(raw, int | float)
            or not math.isfinite(raw)
            or not self.low <= raw <= self.high
        ):
            raise ValidationError(
                f"{label} must be a number from {self.low:g} to {self.high:g}.", field=path
            )
        return float(raw)

    def text(self, value: Any) -> str:
        return NOT_RECORDED if value is None else f"{value:g}{self.unit}"


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Date(_Codec):
    def factory(self) -> Callable[[], Any]:
        return lambda: None

    def load(self, raw: object, label: str, path: str) -> date | None:
        if raw is None or raw == "":
            return None
        if isinstance(raw, date):
            return raw
        if isinstance(raw, str) and _ISO_DATE.match(raw):
            try:
                return date.fromisoformat(raw)
            except ValueError:
                pass
        raise ValidationError(f"{label} must be a date written as YYYY-MM-DD.", field=path)

    def dump(self, value: Any) -> Any:
        return None if value is None else value.isoformat()

    def text(self, value: Any) -> str:
        return NOT_RECORDED if value is None else value.isoformat()


class _Choice(_Codec):
    """One of a StrEnum's values, or nothing. The enum must have a ``label`` property."""

    def __init__(self, enum: type[StrEnum]) -> None:
        self.enum = enum

    def factory(self) -> Callable[[], Any]:
        return lambda: None

    def load(self, raw: object, label: str, path: str) -> Any:
        if raw is None or raw == "":
            return None
        try:
            if not isinstance(raw, str):
                raise ValueError(raw)
            return self.enum(raw)
        except ValueError:
            choices = ", ".join(f'"{m.value}"' for m in self.enum)
            raise ValidationError(f"{label} must be one of {choices}.", field=path) from None

    def dump(self, value: Any) -> Any:
        return None if value is None else str(value.value)

    def text(self, value: Any) -> str:
        return NOT_RECORDED if value is None else str(value.label)


class _TextList(_Codec):
    def factory(self) -> Callable[[], Any]:
        return tuple

    def load(self, raw: object, label: str, path: str) -> tuple[str, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
            raise ValidationError(f"{label} must be a list of text entries.", field=path)
        if len(raw) > 200 or any(len(v) > 500 for v in raw):
            raise ValidationError(f"{label} has too many or too long entries.", field=path)
        return tuple(v.strip() for v in raw if v.strip())

    def dump(self, value: Any) -> Any:
        return list(value)

    def text(self, value: Any) -> str:
        return ", ".join(value) if value else "none"


class _IdSet(_Codec):
    """A set of ids from a fixed catalogue, written as a list in catalogue order."""

    def __init__(self, catalogue: Mapping[str, str]) -> None:
        self.catalogue = catalogue

    def factory(self) -> Callable[[], Any]:
        return frozenset

    def load(self, raw: object, label: str, path: str) -> frozenset[str]:
        if raw is None:
            return frozenset()
        if not isinstance(raw, list | tuple | set | frozenset):
            raise ValidationError(f"{label} must be a list of ids.", field=path)
        for value in raw:
            if value not in self.catalogue:
                known = ", ".join(self.catalogue)
                raise ValidationError(
                    f"'{value}' is not one of the {label.lower()} the form knows ({known}).",
                    field=path,
                )
        return frozenset(raw)

    def dump(self, value: Any) -> Any:
        return [key for key in self.catalogue if key in value]

    def text(self, value: Any) -> str:
        return ", ".join(label for key, label in self.catalogue.items() if key in value) or "none"


class _Section(_Codec):
    """A nested dataclass whose fields are declared with :func:`_field`."""

    def __init__(self, cls: type[Any]) -> None:
        self.cls = cls

    def factory(self) -> Callable[[], Any]:
        return self.cls

    def load(self, raw: object, label: str, path: str) -> Any:
        if raw is None:
            return self.cls()
        if not isinstance(raw, Mapping):
            raise ValidationError(f"{label} must be an object of named answers.", field=path)
        declared = {f.name: f for f in fields(self.cls)}
        for key in raw:
            if key not in declared:
                where = f"in {label.lower()}" if path else "in the intake"
                raise ValidationError(f"Unknown field '{key}' {where}.", field=path or None)
        values = {
            name: _codec(f).load(raw.get(name), _label(f), _join(path, name))
            for name, f in declared.items()
        }
        loaded = self.cls(**values)
        cross_check = getattr(loaded, "_cross_check", None)
        if cross_check is not None:
            cross_check(path)
        return loaded

    def dump(self, value: Any) -> Any:
        return {f.name: _codec(f).dump(getattr(value, f.name)) for f in fields(self.cls)}

    def text(self, value: Any) -> str:
        return "filled in" if value != self.cls() else BLANK

    def changes(self, old: Any, new: Any, section: str, label: str, path: str) -> list[FieldChange]:
        found: list[FieldChange] = []
        for f in fields(self.cls):
            sub_label = f"{label}: {_label(f)}" if label else _label(f)
            found += _codec(f).changes(
                getattr(old, f.name), getattr(new, f.name), section, sub_label, _join(path, f.name)
            )
        return found


def _field(label: str, codec: _Codec) -> Any:
    """Declare a dataclass field with its label and codec; its default is the codec's empty."""
    return field(default_factory=codec.factory(), metadata={"label": label, "codec": codec})


def _codec(f: Any) -> _Codec:
    codec: _Codec = f.metadata["codec"]
    return codec


def _label(f: Any) -> str:
    label: str = f.metadata["label"]
    return label


# =============================================================================================
# Sections
# =============================================================================================


@dataclass(frozen=True)
class ChiefComplaint:
    what: str = _field("Main complaint", _Text())
    since: str = _field("Since when", _Text(200))
    better: str = _field("What makes it better", _Text())
    worse: str = _field("What makes it worse", _Text())
    character: tuple[str, ...] = _field("How it feels", _TextList())


class DiabetesType(StrEnum):
    TYPE_1 = "type_1"
    TYPE_2 = "type_2"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"type_1": "type 1", "type_2": "type 2", "other": "other type"}[self.value]


@dataclass(frozen=True)
class Diabetes:
    present: bool = _field("Has diabetes", _Flag())
    type: DiabetesType | None = _field("Diabetes type", _Choice(DiabetesType))
    hba1c_percent: float | None = _field("HbA1c", _Decimal(3, 20, " %"))


@dataclass(frozen=True)
class Chemotherapy:
    present: bool = _field("Has had chemotherapy", _Flag())
    drug: str = _field("Chemotherapy drug", _Text(500))
    started: date | None = _field("Chemotherapy start date", _Date())
    ended: date | None = _field("Chemotherapy end date", _Date())

    def _cross_check(self, path: str) -> None:
        if self.started and self.ended and self.ended < self.started:
            raise ValidationError(
                "The chemotherapy end date is before its start date.", field=_join(path, "ended")
            )


@dataclass(frozen=True)
class Causes:
    """Known or suspected causes of the neuropathy; finding a serious one matters most."""

    diabetes: Diabetes = _field("Diabetes", _Section(Diabetes))
    chemotherapy: Chemotherapy = _field("Chemotherapy", _Section(Chemotherapy))
    b12_deficiency: bool = _field("Vitamin B12 deficiency", _Flag())
    alcohol: bool = _field("Alcohol", _Flag())
    autoimmune: bool = _field("Autoimmune disease", _Flag())
    injury_or_compression: bool = _field("Injury or compression (e.g. carpal tunnel)", _Flag())
    infection: bool = _field("Infection", _Flag())
    inherited: bool = _field("Inherited", _Flag())
    other: str = _field("Other cause", _Text())
    unknown: bool = _field("Cause unknown", _Flag())


@dataclass(frozen=True)
class MedicalHistory:
    diagnoses: str = _field("Diagnoses", _Text())
    surgeries: str = _field("Operations", _Text())
    hospital_stays: str = _field("Hospital stays", _Text())


class SymptomGroup(StrEnum):
    SENSORY = "sensory"
    MOTOR = "motor"
    AUTONOMIC = "autonomic"

    @property
    def label(self) -> str:
        return {
            "sensory": "Skin and feeling (sensory)",
            "motor": "Muscles and movement (motor)",
            "autonomic": "Organs and automatic functions (autonomic)",
        }[self.value]


#: symptom ids and labels per nerve group; ids are stored, never rename them
SYMPTOMS: Mapping[SymptomGroup, Mapping[str, str]] = {
    SymptomGroup.SENSORY: {
        "tingling": "Tingling or pins and needles",
        "numbness": "Numbness",
        "burning": "Burning",
        "shooting_pain": "Sharp, stabbing or electric pain",
        "buzzing": "Buzzing",
        "tight_glove_sock": "Feels like a tight glove or sock",
        "touch_sensitivity": "Light touch hurts",
        "painful_cold": "Painful cold",
        "itching": "Itching",
        "hot_cold_confusion": "Cannot tell hot from cold water",
    },
    SymptomGroup.MOTOR: {
        "weakness": "Weakness",
        "heavy_limbs": "Heavy limbs, or limbs that lock",
        "dropping_things": "Drops things",
        "poor_balance": "Poor balance or coordination",
        "cramps": "Cramps",
        "falls": "Falls",
    },
    SymptomGroup.AUTONOMIC: {
        "dizzy_on_standing": "Dizzy or faint on standing up",
        "sweating_change": "Sweats too much or too little",
        "digestive": "Digestive trouble, constipation or diarrhoea",
        "bladder": "Bladder trouble",
        "sexual": "Sexual difficulties",
    },
}


def symptom_label(symptom_id: str) -> str:
    """The label of a symptom id from any group (the id itself when unknown)."""
    for group in SYMPTOMS.values():
        if symptom_id in group:
            return group[symptom_id]
    return symptom_id


@dataclass(frozen=True)
class Symptoms:
    sensory: frozenset[str] = _field("Sensory symptoms", _IdSet(SYMPTOMS[SymptomGroup.SENSORY]))
    motor: frozenset[str] = _field("Motor symptoms", _IdSet(SYMPTOMS[SymptomGroup.MOTOR]))
    autonomic: frozenset[str] = _field(
        "Autonomic symptoms", _IdSet(SYMPTOMS[SymptomGroup.AUTONOMIC])
    )
    notes: str = _field("Other symptoms", _Text())

    def in_group(self, group: SymptomGroup) -> frozenset[str]:
        return {
            SymptomGroup.SENSORY: self.sensory,
            SymptomGroup.MOTOR: self.motor,
            SymptomGroup.AUTONOMIC: self.autonomic,
        }[group]

    @property
    def all_ids(self) -> frozenset[str]:
        return self.sensory | self.motor | self.autonomic


@dataclass(frozen=True)
class PainScores:
    """Numeric Rating Scale, 0 (no pain) to 10 (worst imaginable)."""

    now: int | None = _field("Pain now", _WholeNumber(0, 10))
    worst: int | None = _field("Worst pain in the last week", _WholeNumber(0, 10))
    average: int | None = _field("Average pain in the last week", _WholeNumber(0, 10))


#: medicine names (generic and common brands) that thin the blood; matched as whole words
KNOWN_BLOOD_THINNERS: frozenset[str] = frozenset(
    {
        "warfarin", "coumadin", "marevan", "acenocoumarol", "sintrom", "phenprocoumon",
        "marcumar", "apixaban", "eliquis", "rivaroxaban", "xarelto", "edoxaban", "lixiana",
        "savaysa", "dabigatran", "pradaxa", "heparin", "enoxaparin", "clexane", "lovenox",
        "dalteparin", "fragmin", "tinzaparin", "fondaparinux", "clopidogrel", "plavix",
        "prasugrel", "efient", "effient", "ticagrelor", "brilinta", "brilique", "ticlopidine",
        "dipyridamole", "persantine", "aspirin", "acetylsalicylic", "cilostazol",
    }
)  # fmt: skip
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Medication:
    name: str = _field("Medicine", _Text(200))
    dose: str = _field("Dose", _Text(200))
    anticoagulant: bool = _field("Blood thinner (anticoagulant or antiplatelet)", _Flag())

    @property
    def is_blood_thinner(self) -> bool:
        """Ticked as a blood thinner, or its name is a known one (ticks get forgotten)."""
        return self.anticoagulant or bool(
            set(_WORD.findall(self.name.lower())) & KNOWN_BLOOD_THINNERS
        )

    def describe(self) -> str:
        text = " ".join(part for part in (self.name, self.dose) if part) or "unnamed medicine"
        return f"{text} (blood thinner)" if self.is_blood_thinner else text


class _Medications(_Codec):
    _item = _Section(Medication)

    def factory(self) -> Callable[[], Any]:
        return tuple

    def load(self, raw: object, label: str, path: str) -> tuple[Medication, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list | tuple) or len(raw) > 100:
            raise ValidationError(f"{label} must be a list of medicines.", field=path)
        loaded: list[Medication] = []
        for index, entry in enumerate(raw):
            medication = self._item.load(entry, f"Medicine {index + 1}", f"{path}[{index}]")
            if not medication.name:
                raise ValidationError(
                    f"Medicine {index + 1} on the list has no name.", field=f"{path}[{index}]"
                )
            loaded.append(medication)
        return tuple(loaded)

    def dump(self, value: Any) -> Any:
        return [self._item.dump(m) for m in value]

    def text(self, value: Any) -> str:
        return "; ".join(m.describe() for m in value) or "none"

    def changes(self, old: Any, new: Any, section: str, label: str, path: str) -> list[FieldChange]:
        # pair medicines by name so a dose change reads as one line, not a removal and an add
        before = {m.name.casefold(): m for m in old}
        after = {m.name.casefold(): m for m in new}
        found = []
        for key in [*before, *(k for k in after if k not in before)]:
            was, now = before.get(key), after.get(key)
            if was != now:
                name = (now or was or Medication()).name
                found.append(
                    FieldChange(
                        section,
                        name,
                        was.describe() if was else "not taken",
                        now.describe() if now else "no longer listed",
                        path,
                    )
                )
        return found


@dataclass(frozen=True)
class Allergies:
    latex: bool = _field("Latex allergy", _Flag())
    metals: bool = _field("Metal allergy (e.g. nickel)", _Flag())
    adhesive: bool = _field("Adhesive or plaster allergy", _Flag())
    other: str = _field("Other allergies", _Text())

    @property
    def any(self) -> bool:
        return self.latex or self.metals or self.adhesive or bool(self.other)


@dataclass(frozen=True)
class SafetyScreen:
    """The questions whose answers change what the clinic may do (see ``safety``)."""

    implanted_device: bool = _field(
        "Pacemaker, defibrillator, implanted stimulator or pump", _Flag()
    )
    implanted_device_location: str = _field("Where the device is", _Text(200))
    bleeding_disorder: bool = _field("Severe bleeding disorder (e.g. haemophilia)", _Flag())
    anticoagulant: bool = _field("Takes a blood thinner", _Flag())
    pregnant: bool = _field("Pregnant or may be pregnant", _Flag())
    epilepsy: bool = _field("Epilepsy or seizures", _Flag())
    numbness: bool = _field("Numb skin or cannot feel hot and cold", _Flag())
    open_wound: bool = _field("Open sore, ulcer, skin infection or burn", _Flag())
    open_wound_location: str = _field("Where the sore or burn is", _Text(200))
    dvt: bool = _field("Deep-vein thrombosis or thrombophlebitis", _Flag())
    active_cancer: bool = _field("Active cancer", _Flag())
    cancer_location: str = _field("Where the cancer is", _Text(200))
    lymphoedema: bool = _field("Lymphoedema", _Flag())
    lymphoedema_limb: str = _field("Limb with lymphoedema", _Text(200))
    needle_phobia: bool = _field("Strong fear of needles", _Flag())
    fainting_history: bool = _field("Has fainted before", _Flag())
    fasting_today: bool = _field("Has not eaten today", _Flag())


#: the yes/no questions of the safety screen (the other fields say where)
SAFETY_QUESTIONS: tuple[str, ...] = tuple(
    f.name for f in fields(SafetyScreen) if isinstance(_codec(f), _Flag)
)


@dataclass(frozen=True)
class RedFlags:
    """Answers that mean "see a doctor first"; the clinic advises medical care, not a booking."""

    spreading_weakness: bool = _field(
        "Weakness spreading quickly up both legs, or trouble breathing or swallowing", _Flag()
    )
    foot_ulcer_infection: bool = _field(
        "Foot ulcer with fever, a cold or blackened toe, or spreading infection", _Flag()
    )
    hot_swollen_foot: bool = _field("Red, hot, swollen foot", _Flag())

    @property
    def any(self) -> bool:
        return self.spreading_weakness or self.foot_ulcer_infection or self.hot_swollen_foot


class Smoking(StrEnum):
    NEVER = "never"
    FORMER = "former"
    CURRENT = "current"

    @property
    def label(self) -> str:
        return {"never": "never smoked", "former": "used to smoke", "current": "smokes"}[self.value]


@dataclass(frozen=True)
class Lifestyle:
    smoking: Smoking | None = _field("Smoking", _Choice(Smoking))
    alcohol: str = _field("Alcohol", _Text(500))
    exercise: str = _field("Exercise", _Text(500))
    sleep_hours: float | None = _field("Hours of sleep", _Decimal(0, 24, " h"))
    stress: int | None = _field("Stress (0-10)", _WholeNumber(0, 10))
    diet: str = _field("Diet", _Text())


class Temperature(StrEnum):
    """The patient's hot/cold tendency in the TCM review."""

    FEELS_HOT = "hot"
    FEELS_COLD = "cold"
    BOTH = "both"
    NEITHER = "neither"

    @property
    def label(self) -> str:
        return {
            "hot": "tends to feel hot",
            "cold": "tends to feel cold",
            "both": "alternates hot and cold",
            "neither": "neither hot nor cold",
        }[self.value]


@dataclass(frozen=True)
class TcmReview:
    temperature: Temperature | None = _field("Hot or cold tendency", _Choice(Temperature))
    sweating: str = _field("Sweating", _Text(1000))
    night_sweats: bool = _field("Night sweats", _Flag())
    thirst: str = _field("Thirst", _Text(1000))
    appetite: str = _field("Appetite", _Text(1000))
    digestion: str = _field("Digestion and stools", _Text(1000))
    urination: str = _field("Urination", _Text(1000))
    sleep: str = _field("Sleep and dreams", _Text(1000))
    energy: str = _field("Energy", _Text(1000))
    emotions: str = _field("Emotions", _Text(1000))
    cycle: str = _field("Menstrual cycle", _Text(1000))
    pregnancy: str = _field("Pregnancies", _Text(1000))


@dataclass(frozen=True)
class Pulse:
    """Pulse qualities at the three positions of each wrist."""

    left_cun: str = _field("Left cun", _Text(200))
    left_guan: str = _field("Left guan", _Text(200))
    left_chi: str = _field("Left chi", _Text(200))
    right_cun: str = _field("Right cun", _Text(200))
    right_guan: str = _field("Right guan", _Text(200))
    right_chi: str = _field("Right chi", _Text(200))
    overall: str = _field("Overall", _Text(500))


@dataclass(frozen=True)
class Tongue:
    body_colour: str = _field("Body colour", _Text(200))
    coating: str = _field("Coating", _Text(200))
    shape: str = _field("Shape", _Text(200))
    notes: str = _field("Notes", _Text(1000))


class _Exam(_Codec):
    def factory(self) -> Callable[[], Any]:
        return mnsi_module.MnsiExam

    def load(self, raw: object, label: str, path: str) -> mnsi_module.MnsiExam:
        try:
            return mnsi_module.MnsiExam.from_dict(raw)
        except ValidationError as error:
            raise ValidationError(error.message, field=path) from None

    def dump(self, value: Any) -> Any:
        return None if value.is_empty else value.to_dict()

    def text(self, value: Any) -> str:
        if value.is_empty:
            return "not examined"
        return mnsi_module.score_mnsi_exam(value).describe()


@dataclass(frozen=True)
class TcmFindings:
    """Practitioner only: never shown on patient forms or to the desk."""

    pulse: Pulse = _field("Pulse", _Section(Pulse))
    tongue: Tongue = _field("Tongue", _Section(Tongue))
    palpation: str = _field("Palpation", _Text())
    pattern: str = _field("TCM pattern", _Text(1000))
    treatment_principle: str = _field("Treatment principle", _Text(1000))
    sessions_per_week: int | None = _field("Sessions per week", _WholeNumber(1, 7))
    weeks: int | None = _field("Number of weeks", _WholeNumber(1, 52))
    plan_notes: str = _field("Plan notes", _Text())
    exam: mnsi_module.MnsiExam = _field("MNSI foot examination", _Exam())

    @property
    def planned_sessions(self) -> int | None:
        """Sessions in the planned course (per week x weeks), when both are set."""
        if self.sessions_per_week is None or self.weeks is None:
            return None
        return self.sessions_per_week * self.weeks


# -- consent ----------------------------------------------------------------------------------

_NEEDLES = frozenset({ServiceKind.ACUPUNCTURE, ServiceKind.ELECTRO_ACUPUNCTURE})
_HANDS_ON = frozenset(ServiceKind) - {ServiceKind.CONSULTATION}


@dataclass(frozen=True, slots=True)
class ConsentRisk:
    """One risk the patient acknowledges, and the services it belongs to."""

    id: str
    text: str
    services: frozenset[ServiceKind]


CONSENT_RISKS: tuple[ConsentRisk, ...] = (
    ConsentRisk(
        "bleeding_bruising",
        "A drop of blood or a small bruise where a needle went in happens in about 3 of "
        "every 100 treatments.",
        _NEEDLES,
    ),
    ConsentRisk(
        "needle_pain",
        "A needle can hurt during or after treatment, in about 1 of every 100 treatments.",
        _NEEDLES,
    ),
    ConsentRisk(
        "symptoms_worse",
        "Symptoms can feel worse for a short time afterwards, in fewer than 3 of every 100 "
        "treatments.",
        _HANDS_ON,
    ),
    ConsentRisk(
        "drowsiness",
        "You may feel tired or drowsy afterwards. If you do, do not drive.",
        _HANDS_ON,
    ),
    ConsentRisk(
        "fainting",
        "Some people feel faint or faint during treatment, mostly on their first visit.",
        _NEEDLES | {ServiceKind.CUPPING},
    ),
    ConsentRisk(
        "serious_events",
        "Serious harm, such as a needle puncturing a lung, is rare: fewer than 1 in 10,000 "
        "treatments (two large surveys counted 2 such cases in about 229,000 patients).",
        _NEEDLES,
    ),
    ConsentRisk(
        "cupping_marks",
        "Cupping leaves round marks on purpose; they fade in about 3 to 10 days.",
        frozenset({ServiceKind.CUPPING}),
    ),
    ConsentRisk(
        "moxa_burns",
        "Moxibustion and heat can burn the skin or raise a blister.",
        frozenset({ServiceKind.MOXIBUSTION}),
    ),
    ConsentRisk(
        "electro_sensation",
        "Electro-acupuncture feels like a tapping in the muscle and can be uncomfortable; "
        "tell the practitioner and it will be turned down.",
        frozenset({ServiceKind.ELECTRO_ACUPUNCTURE}),
    ),
)
_RISKS_BY_ID = {risk.id: risk for risk in CONSENT_RISKS}

MAY_STOP_TEXT = "I understand that I may ask to stop the treatment at any time."


def required_risks(kinds: Iterable[ServiceKind]) -> list[ConsentRisk]:
    """The risks a patient acknowledges before these services, in display order."""
    chosen = set(kinds)
    return [risk for risk in CONSENT_RISKS if risk.services & chosen]


Stroke = tuple[tuple[float, float], ...]


class _Signature(_Codec):
    """Pen strokes, each a list of (x, y) points scaled to 0..1 of the signing box."""

    max_points = 20_000

    def factory(self) -> Callable[[], Any]:
        return tuple

    def load(self, raw: object, label: str, path: str) -> tuple[Stroke, ...]:
        if raw is None:
            return ()
        problem = ValidationError(
            f"{label} must be a list of strokes, each a list of [x, y] points between 0 and 1.",
            field=path,
        )
        if not isinstance(raw, list | tuple):
            raise problem
        strokes: list[Stroke] = []
        count = 0
        for stroke in raw:
            if not isinstance(stroke, list | tuple) or not stroke:
                raise problem
            points: list[tuple[float, float]] = []
            for point in stroke:
                if not isinstance(point, list | tuple) or len(point) != 2:
                    raise problem
                x, y = point
                for c in (x, y):
                    if isinstance(c, bool) or not isinstance(c, int | float) or not 0 <= c <= 1:
                        raise problem
                points.append((float(x), float(y)))
            count += len(points)
            strokes.append(tuple(points))
        if count > self.max_points:
            raise ValidationError(f"{label} has too many points.", field=path)
        return tuple(strokes)

    def dump(self, value: Any) -> Any:
        return [[[x, y] for x, y in stroke] for stroke in value]

    def text(self, value: Any) -> str:
        return "signed" if value else "not signed"


@dataclass(frozen=True)
class Consent:
    risks_acknowledged: frozenset[str] = _field(
        "Risks acknowledged", _IdSet({risk.id: risk.text for risk in CONSENT_RISKS})
    )
    may_stop_acknowledged: bool = _field("May stop at any time", _Flag())
    signature: tuple[Stroke, ...] = _field("Signature", _Signature())
    signed_on: date | None = _field("Date signed", _Date())
    signer_name: str = _field("Signed by", _Text(200))

    @property
    def is_signed(self) -> bool:
        """A signature, a date and a name are all there."""
        return bool(self.signature) and self.signed_on is not None and bool(self.signer_name)

    def missing_for(self, kinds: Iterable[ServiceKind]) -> list[str]:
        """What is still missing before these services, in words (empty when complete)."""
        missing = [
            f"Risk not acknowledged: {risk.text}"
            for risk in required_risks(kinds)
            if risk.id not in self.risks_acknowledged
        ]
        if not self.may_stop_acknowledged:
            missing.append("The patient has not acknowledged that they may stop at any time.")
        if not self.is_signed:
            missing.append("The consent is not signed, dated and named.")
        return missing


# -- MNSI answers and the body map as intake fields ------------------------------------------


class _MnsiAnswers(_Codec):
    def factory(self) -> Callable[[], Any]:
        return dict

    def load(self, raw: object, label: str, path: str) -> dict[int, bool | None]:
        if raw is None:
            return {}
        if not isinstance(raw, Mapping):
            raise ValidationError(
                f'{label} must be an object of question numbers and answers, e.g. {{"1": true}}.',
                field=path,
            )
        answers: dict[int, bool | None] = {}
        for key, answer in raw.items():
            number = int(key) if isinstance(key, str) and key.isdigit() else key
            if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 15:
                raise ValidationError(
                    f"The MNSI questionnaire has questions 1 to 15, not '{key}'.", field=path
                )
            if answer is not None and not isinstance(answer, bool):
                raise ValidationError(
                    f"MNSI question {number} must be answered true (yes), false (no) or null.",
                    field=f"{path}.{number}",
                )
            answers[number] = answer
        return dict(sorted(answers.items()))

    def dump(self, value: Any) -> Any:
        return {str(n): a for n, a in sorted(value.items()) if a is not None}

    def text(self, value: Any) -> str:
        return mnsi_module.score_mnsi(value).describe()

    def changes(self, old: Any, new: Any, section: str, label: str, path: str) -> list[FieldChange]:
        found = []
        for entry in mnsi_module.ITEMS:
            was, now = old.get(entry.number), new.get(entry.number)
            if was != now:
                found.append(
                    FieldChange(
                        section,
                        f"Question {entry.number}: {entry.short_label}",
                        mnsi_module.answer_text(was),
                        mnsi_module.answer_text(now),
                        f"{path}.{entry.number}",
                    )
                )
        if found:
            before, after = self.text(old), self.text(new)
            if before != after:
                found.append(FieldChange(section, "Score", before, after, path))
        return found


class _BodyMapCodec(_Codec):
    def factory(self) -> Callable[[], Any]:
        return BodyMap

    def load(self, raw: object, label: str, path: str) -> BodyMap:
        try:
            return BodyMap.from_dict(raw)
        except ValidationError as error:
            raise ValidationError(error.message, field=path) from None

    def dump(self, value: Any) -> Any:
        return value.to_dict()

    def text(self, value: Any) -> str:
        return str(value.summary())

    def changes(self, old: Any, new: Any, section: str, label: str, path: str) -> list[FieldChange]:
        def words(sensations: frozenset[Sensation]) -> str:
            return ", ".join(s.label for s in Sensation if s in sensations) or "nothing"

        return [
            FieldChange(section, c.area.label, words(c.before), words(c.after), path)
            for c in body_map_diff(old, new)
        ]


# =============================================================================================
# The whole intake
# =============================================================================================


class SectionAccess(StrEnum):
    """Who fills in and reads a section. Receptionists read none of them."""

    PATIENT = "patient"  # the patient answers; practitioners read
    PRACTITIONER = "practitioner"  # the practitioner records; never on patient forms


def _section(label: str, codec: _Codec, access: SectionAccess = SectionAccess.PATIENT) -> Any:
    return field(
        default_factory=codec.factory(),
        metadata={"label": label, "codec": codec, "access": access},
    )


@dataclass(frozen=True)
class IntakeData:
    """One version of a patient's intake. Build with keywords; every part may be left out."""

    chief_complaint: ChiefComplaint = _section("Chief complaint", _Section(ChiefComplaint))
    causes: Causes = _section("Causes and conditions", _Section(Causes))
    history: MedicalHistory = _section("Medical history", _Section(MedicalHistory))
    symptoms: Symptoms = _section("Symptoms", _Section(Symptoms))
    body_map: BodyMap = _section("Where the symptoms are", _BodyMapCodec())
    pain: PainScores = _section("Pain (0-10)", _Section(PainScores))
    mnsi: Mapping[int, bool | None] = _section("MNSI questionnaire", _MnsiAnswers())
    medications: tuple[Medication, ...] = _section("Medicines", _Medications())
    supplements: tuple[str, ...] = _section("Supplements", _TextList())
    allergies: Allergies = _section("Allergies", _Section(Allergies))
    safety: SafetyScreen = _section("Safety screen", _Section(SafetyScreen))
    red_flags: RedFlags = _section("Warning signs", _Section(RedFlags))
    lifestyle: Lifestyle = _section("Lifestyle", _Section(Lifestyle))
    tcm_review: TcmReview = _section("TCM review", _Section(TcmReview))
    findings: TcmFindings = _section(
        "Practitioner findings", _Section(TcmFindings), SectionAccess.PRACTITIONER
    )
    consent: Consent = _section("Consent", _Section(Consent))

    # -- JSON ---------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON form described in docs/intake-schema.md (with ``"schema": 1``)."""
        return {"schema": SCHEMA_VERSION, **_INTAKE_CODEC.dump(self)}

    @classmethod
    def from_dict(cls, data: object) -> IntakeData:
        """Read and check the JSON form; raise ValidationError naming the first bad field."""
        if not isinstance(data, Mapping):
            raise ValidationError("An intake must be a JSON object.")
        version = data.get("schema")
        if version is None:
            raise ValidationError(
                'The intake does not say which format it uses; add "schema": 1.', field="schema"
            )
        if version != SCHEMA_VERSION:
            raise ValidationError(
                f"The intake uses format {version!r}; this program reads format {SCHEMA_VERSION}.",
                field="schema",
            )
        body = {key: value for key, value in data.items() if key != "schema"}
        loaded: IntakeData = _INTAKE_CODEC.load(body, "Intake", "")
        return loaded

    def validate(self) -> None:
        """Check every field as if read from JSON; raise ValidationError on the first problem."""
        for f in fields(self):
            codec = _codec(f)
            try:
                dumped = codec.dump(getattr(self, f.name))
            except (AttributeError, TypeError, ValueError):
                raise ValidationError(
                    f"{_label(f)} holds a value of the wrong kind.", field=f.name
                ) from None
            codec.load(dumped, _label(f), f.name)

    # -- derived facts ------------------------------------------------------------------------

    @property
    def mnsi_result(self) -> mnsi_module.MnsiResult:
        """The MNSI questionnaire score of this intake (unanswered items score 0)."""
        return mnsi_module.score_mnsi(self.mnsi)

    @property
    def has_neuropathy_symptoms(self) -> bool:
        """Any sensory or motor symptom ticked, or any area marked on the body map."""
        return bool(self.symptoms.sensory or self.symptoms.motor or self.body_map)

    def safety_reasons(self) -> dict[str, tuple[str, ...]]:
        """For each safety question that applies, why it applies.

        A question applies when it is ticked, or when another answer implies it: a blood
        thinner on the medicine list implies "takes a blood thinner"; numbness anywhere in the
        intake (MNSI question 1 yes, 7 or 13 no, numbness as a symptom or on the body map) or
        diabetes implies "numb skin", because heat and pressure cannot be felt there.
        Keys are :data:`SAFETY_QUESTIONS` names.
        """
        reasons: dict[str, list[str]] = {}
        for name in SAFETY_QUESTIONS:
            if getattr(self.safety, name):
                reasons.setdefault(name, []).append("answered yes on the safety screen")
        for medication in self.medications:
            if medication.is_blood_thinner:
                reasons.setdefault("anticoagulant", []).append(
                    f"{medication.name} is on the medicine list"
                )
        numb = reasons.setdefault("numbness", [])
        answers = self.mnsi
        if answers.get(1) is True:
            numb.append("MNSI question 1: legs or feet feel numb")
        if answers.get(7) is False:
            numb.append("MNSI question 7: cannot tell hot from cold water")
        if answers.get(13) is False:
            numb.append("MNSI question 13: cannot feel the feet when walking")
        if "numbness" in self.symptoms.sensory:
            numb.append("numbness ticked as a symptom")
        if "hot_cold_confusion" in self.symptoms.sensory:
            numb.append("cannot tell hot from cold water (symptom list)")
        if self.body_map.areas_with(Sensation.NUMBNESS):
            numb.append("numbness marked on the body map")
        if self.causes.diabetes.present:
            numb.append("diabetes")
        return {name: tuple(why) for name, why in reasons.items() if why}

    @property
    def effective_safety(self) -> SafetyScreen:
        """The safety screen with the answers other sections imply also set to yes."""
        implied: dict[str, Any] = dict.fromkeys(self.safety_reasons(), True)
        return replace(self.safety, **implied)

    # -- who may see what ---------------------------------------------------------------------

    def patient_part(self) -> IntakeData:
        """A copy without practitioner-only sections: what a patient form or copy may show."""
        return replace(
            self,
            **{
                f.name: _codec(f).factory()()
                for f in fields(self)
                if f.metadata["access"] is SectionAccess.PRACTITIONER
            },
        )

    def clinical_part(self) -> dict[str, Any]:
        """Everything, as JSON: clinical detail that only practitioners may open."""
        return self.to_dict()

    def desk_part(self) -> DeskPart:
        """The only intake facts the front desk sees besides the safety flags."""
        return DeskPart(
            consent_signed=self.consent.is_signed,
            consent_signed_on=self.consent.signed_on,
            consent_signer=self.consent.signer_name,
        )


@dataclass(frozen=True, slots=True)
class DeskPart:
    """Non-clinical facts of an intake a receptionist may see."""

    consent_signed: bool
    consent_signed_on: date | None
    consent_signer: str


@dataclass(frozen=True, slots=True)
class SectionInfo:
    key: str  # the JSON key, e.g. "pain"
    label: str
    access: SectionAccess


INTAKE_SECTIONS: tuple[SectionInfo, ...] = tuple(
    SectionInfo(f.name, _label(f), f.metadata["access"]) for f in fields(IntakeData)
)

PRACTITIONER_ONLY_SECTIONS: frozenset[str] = frozenset(
    s.key for s in INTAKE_SECTIONS if s.access is SectionAccess.PRACTITIONER
)


def can_see_section(role: Role, section_key: str) -> bool:
    """Whether a role may read a section's details.

    Practitioners read everything. Receptionists and administrators read no intake
    details at all (clinical data is need-to-know); they see the safety flags instead.
    """
    if section_key not in {s.key for s in INTAKE_SECTIONS}:
        raise ValueError(f"unknown intake section {section_key!r}")
    return role is Role.PRACTITIONER


_INTAKE_CODEC = _Section(IntakeData)


def diff(old: IntakeData, new: IntakeData) -> list[FieldChange]:
    """What changed between two versions of an intake, in form order."""
    changes: list[FieldChange] = []
    for f in fields(IntakeData):
        changes += _codec(f).changes(
            getattr(old, f.name), getattr(new, f.name), _label(f), "", f.name
        )
    return changes
