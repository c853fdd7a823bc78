"""What the patient's intake form asks, field by field, and how answers map to intake JSON.

One list of sections serves the blank paper form, the fillable tablet form (one AcroForm
field per entry, named from its JSON path) and reading a filled form back into the JSON
shape that ``IntakeData.from_dict`` takes. Most entries are derived from the intake
dataclasses themselves (their field types and labels), so a question added to the intake
appears on the form without touching this module; the wording the patient reads can be
made friendlier per field in :data:`PATIENT_WORDING`.

Practitioner-only sections (pulse, tongue, pattern, plan, foot exam) are never on the form.
No ReportLab here: the GUI may use the spec to show what a form contains.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from frontdesk.domain import intake as intake_module
from frontdesk.domain import mnsi
from frontdesk.domain.body_map import ALL_AREAS, SENSATION_ORDER

log = logging.getLogger(__name__)


class Kind(StrEnum):
    """How an entry is asked and stored."""

    TEXT = "text"  # one line of text
    LONG_TEXT = "long_text"  # a few lines of text
    LIST = "list"  # text split at commas or new lines into a list
    DATE = "date"  # YYYY-MM-DD
    NUMBER = "number"  # a decimal number
    INTEGER = "integer"  # a whole number
    FLAG = "flag"  # a tick box: ticked is true
    YES_NO = "yes_no"  # two boxes; yes is true, no is false, none is unanswered
    CHOICE = "choice"  # one of several boxes; the value of the chosen one
    SCALE = "scale"  # 0 to 10, one box each
    MEMBER = "member"  # a tick box whose id joins a list (symptoms, risks acknowledged)
    BODY_MARK = "body_mark"  # a tick box for one sensation at one body-map area
    SIGNATURE = "signature"  # a box to sign in: pen strokes scaled to 0..1 of the box


@dataclass(frozen=True)
class FormField:
    """One entry of the form."""

    #: where the answer goes in the intake JSON (or in the patient details, under "patient")
    path: tuple[str, ...]
    label: str
    kind: Kind
    #: (value, label) pairs of a CHOICE
    options: tuple[tuple[str, str], ...] = ()
    #: for MEMBER: the id that joins the list at ``path``; for BODY_MARK: "area|sensation"
    member: str = ""
    #: lines of writing space for LONG_TEXT
    lines: int = 1
    hint: str = ""

    @property
    def name(self) -> str:
        """The AcroForm field name, e.g. "safety-anticoagulant" or "mnsi-7".

        PDF field names may not contain dots, so path parts are joined with "-" (no intake
        key contains one) and body-map area ids ("left.toes") are written "left-toes".
        """
        parts = list(self.path)
        if self.member:
            parts.append(self.member.replace(".", "-").replace("|", "-"))
        return "-".join(parts)


@dataclass(frozen=True)
class FormSection:
    """A titled group of entries; ``key`` is the intake section (or "patient")."""

    key: str
    title: str
    fields: tuple[FormField, ...]
    intro: str = ""


# Friendlier wording of what the patient reads, per JSON path; anything not listed uses the
# intake's own label.
PATIENT_WORDING: Mapping[tuple[str, ...], str] = {
    ("safety", "implanted_device"): (
        "Do you have a pacemaker, defibrillator, or an implanted stimulator or pump?"
    ),
    ("safety", "implanted_device_location"): "If yes, where is it?",
    ("safety", "bleeding_disorder"): "Do you have a bleeding disorder such as haemophilia?",
    ("safety", "anticoagulant"): (
        "Do you take a blood thinner (for example warfarin, apixaban, rivaroxaban, "
        "clopidogrel or daily aspirin)?"
    ),
    ("safety", "pregnant"): "Are you pregnant, or could you be?",
    ("safety", "epilepsy"): "Do you have epilepsy or seizures?",
    ("safety", "numbness"): "Is any of your skin numb, or can you not feel hot and cold?",
    ("safety", "open_wound"): "Do you have an open sore, ulcer, skin infection or burn?",
    ("safety", "open_wound_location"): "If yes, where?",
    ("safety", "dvt"): "Have you had a blood clot in a vein (DVT) or thrombophlebitis?",
    ("safety", "active_cancer"): "Do you have cancer that is being treated now?",
    ("safety", "cancer_location"): "If yes, where?",
    ("safety", "lymphoedema"): "Do you have lymphoedema (long-lasting swelling of a limb)?",
    ("safety", "lymphoedema_limb"): "If yes, which limb?",
    ("safety", "needle_phobia"): "Are you very afraid of needles?",
    ("safety", "fainting_history"): "Have you ever fainted?",
    ("safety", "fasting_today"): "Have you not eaten anything today?",
    ("red_flags", "spreading_weakness"): (
        "Is weakness spreading quickly up both legs, or do you have trouble breathing or "
        "swallowing?"
    ),
    ("red_flags", "foot_ulcer_infection"): (
        "Do you have a foot ulcer with fever, a cold or blackened toe, or an infection "
        "that is spreading?"
    ),
    ("red_flags", "hot_swollen_foot"): "Is one of your feet red, hot and swollen?",
    ("causes", "diabetes", "present"): "I have diabetes",
    ("causes", "diabetes", "type"): "Type",
    ("causes", "diabetes", "hba1c_percent"): "Latest HbA1c (%), if known",
    ("causes", "chemotherapy", "present"): "I have had chemotherapy",
    ("causes", "chemotherapy", "drug"): "Which medicine(s)",
    ("causes", "chemotherapy", "started"): "Started",
    ("causes", "chemotherapy", "ended"): "Ended",
    ("chief_complaint", "what"): "What is the main problem you would like help with?",
    ("chief_complaint", "since"): "Since when?",
    ("chief_complaint", "better"): "What makes it better?",
    ("chief_complaint", "worse"): "What makes it worse?",
    ("chief_complaint", "character"): "How does it feel? (for example burning, tingling, numb)",
    ("supplements",): "Supplements and herbs you take",
    ("causes", "b12_deficiency"): "Low vitamin B12",
    ("causes", "alcohol"): "Drinking a lot of alcohol, now or in the past",
    ("causes", "autoimmune"): "An autoimmune disease",
    ("causes", "injury_or_compression"): "An injury or a trapped nerve (e.g. carpal tunnel)",
    ("causes", "infection"): "An infection that affected the nerves (e.g. shingles)",
    ("causes", "inherited"): "A nerve condition that runs in the family",
    ("causes", "other"): "Anything else that may have caused it",
    ("causes", "unknown"): "I do not know the cause",
    ("history", "diagnoses"): "Illnesses and conditions you have or have had",
    ("history", "surgeries"): "Operations",
    ("history", "hospital_stays"): "Hospital stays",
    ("lifestyle", "alcohol"): "How much alcohol do you drink?",
    ("lifestyle", "exercise"): "What exercise do you do?",
    ("lifestyle", "sleep_hours"): "Hours of sleep a night",
    ("lifestyle", "stress"): "Stress, from 0 (none) to 10 (extreme)",
    ("lifestyle", "diet"): "Anything special about your diet?",
    ("tcm_review", "temperature"): "Do you tend to feel hot or cold?",
    ("tcm_review", "cycle"): "Menstrual cycle (if it applies)",
    ("tcm_review", "pregnancy"): "Pregnancies (if it applies)",
}

LONG_TEXT_LINES: Mapping[tuple[str, ...], int] = {
    ("chief_complaint", "what"): 3,
    ("chief_complaint", "better"): 2,
    ("chief_complaint", "worse"): 2,
    ("history", "diagnoses"): 3,
    ("history", "surgeries"): 2,
    ("history", "hospital_stays"): 2,
    ("symptoms", "notes"): 2,
    ("allergies", "other"): 1,
}

#: intake fields deliberately not on the patient form, with the reason (none at present)
NOT_ON_FORM: Mapping[tuple[str, ...], str] = {}

#: intake fields whose entries are written by hand below rather than derived from their type
_OWN_ENTRIES = frozenset({("consent", "signature")})

#: answers a prefilled form leaves empty: the patient signs and dates each form anew
SIGNED_AFRESH = frozenset(
    {("consent", "signature"), ("consent", "signer_name"), ("consent", "signed_on")}
)

#: the patient's details: not part of the intake record, read back separately
PATIENT_FIELDS: tuple[FormField, ...] = (
    FormField(("patient", "name"), "Full name", Kind.TEXT),
    FormField(("patient", "date_of_birth"), "Date of birth", Kind.DATE, hint="YYYY-MM-DD"),
    FormField(("patient", "phone"), "Phone", Kind.TEXT),
    FormField(("patient", "email"), "E-mail", Kind.TEXT),
    FormField(("patient", "address"), "Address", Kind.LONG_TEXT, lines=2),
    FormField(("patient", "emergency_contact"), "Emergency contact (name)", Kind.TEXT),
    FormField(("patient", "emergency_phone"), "Emergency contact (phone)", Kind.TEXT),
    FormField(("patient", "preferred_language"), "Preferred language", Kind.TEXT),
    FormField(("patient", "heard_about"), "How did you hear about us?", Kind.TEXT),
)

MEDICATION_ROWS = 8


# -- deriving entries from the intake dataclasses ----------------------------------------------


def _label(f: Any, path: tuple[str, ...]) -> str:
    return PATIENT_WORDING.get(path) or f.metadata.get("label") or path[-1].replace("_", " ")


def _enum_named(type_text: str) -> type[StrEnum] | None:
    name = type_text.replace("| None", "").replace("None |", "").strip()
    found = getattr(intake_module, name, None)
    return found if isinstance(found, type) and issubclass(found, StrEnum) else None


def _options(enum: type[StrEnum]) -> tuple[tuple[str, str], ...]:
    return tuple((m.value, str(getattr(m, "label", m.value))) for m in enum)


def _section_class(type_text: str) -> type | None:
    found = getattr(intake_module, type_text.strip(), None)
    return found if isinstance(found, type) and is_dataclass(found) else None


def _derive(cls: type, path: tuple[str, ...], *, yes_no: bool = False) -> Iterator[FormField]:
    """Entries for every field of a section dataclass, by the field's declared type."""
    for f in fields(cls):
        here = (*path, f.name)
        if here in NOT_ON_FORM or here in _OWN_ENTRIES:
            continue
        type_text = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "")
        label = _label(f, here)
        nested = _section_class(type_text)
        if nested is not None:
            yield from _derive(nested, here, yes_no=yes_no)
        elif type_text == "bool":
            yield FormField(here, label, Kind.YES_NO if yes_no else Kind.FLAG)
        elif type_text == "str":
            lines = LONG_TEXT_LINES.get(here, 1)
            kind = Kind.LONG_TEXT if lines > 1 else Kind.TEXT
            yield FormField(here, label, kind, lines=lines)
        elif type_text == "int | None":
            declared = str(f.metadata.get("label", ""))
            scale = here[0] == "pain" or "0-10" in declared or "0 to 10" in declared
            yield FormField(here, label, Kind.SCALE if scale else Kind.INTEGER)
        elif type_text == "float | None":
            yield FormField(here, label, Kind.NUMBER)
        elif type_text == "date | None":
            yield FormField(here, label, Kind.DATE, hint="YYYY-MM-DD")
        elif type_text == "tuple[str, ...]":
            yield FormField(here, label, Kind.LIST)
        elif (enum := _enum_named(type_text)) is not None:
            yield FormField(here, label, Kind.CHOICE, options=_options(enum))
        else:
            # a new kind of field the form does not know how to ask: leave it off the form
            # rather than fail; tests list every intake field so this is noticed
            log.info("intake field %s (%s) is not on the printed form", ".".join(here), type_text)


def _section_fields(name: str) -> tuple[FormField, ...]:
    f = next(f for f in fields(intake_module.IntakeData) if f.name == name)
    cls = _section_class(f.type if isinstance(f.type, str) else f.type.__name__)
    if cls is None:
        return ()
    return tuple(_derive(cls, (name,), yes_no=name in ("safety", "red_flags")))


def _symptom_fields() -> tuple[FormField, ...]:
    found = []
    for group, catalogue in intake_module.SYMPTOMS.items():
        for symptom_id, label in catalogue.items():
            found.append(
                FormField(("symptoms", group.value), label, Kind.MEMBER, member=symptom_id)
            )
    found.append(FormField(("symptoms", "notes"), "Other symptoms", Kind.LONG_TEXT, lines=2))
    return tuple(found)


def _body_map_fields() -> tuple[FormField, ...]:
    return tuple(
        FormField(
            ("body_map",),
            f"{area.label}: {sensation.label}",
            Kind.BODY_MARK,
            member=f"{area.id}|{sensation.value}",
        )
        for area in ALL_AREAS
        for sensation in SENSATION_ORDER
    )


def _mnsi_fields() -> tuple[FormField, ...]:
    return tuple(
        FormField(("mnsi", str(item.number)), f"{item.number}. {item.question}", Kind.YES_NO)
        for item in mnsi.ITEMS
    )


def _medication_fields() -> tuple[FormField, ...]:
    found = []
    for row in range(1, MEDICATION_ROWS + 1):
        base = ("medications", str(row))
        found += [
            FormField((*base, "name"), f"Medicine {row}", Kind.TEXT),
            FormField((*base, "dose"), f"Dose and how often ({row})", Kind.TEXT),
            FormField((*base, "anticoagulant"), f"Blood thinner ({row})", Kind.FLAG),
        ]
    return tuple(found)


def _consent_fields() -> tuple[FormField, ...]:
    risks = tuple(
        FormField(("consent", "risks_acknowledged"), risk.text, Kind.MEMBER, member=risk.id)
        for risk in intake_module.CONSENT_RISKS
    )
    rest = tuple(
        f
        for f in _section_fields("consent")
        if f.path[1] not in ("risks_acknowledged", "signature")
    )
    wording = {
        "may_stop_acknowledged": intake_module.MAY_STOP_TEXT,
        "signer_name": "Name of the person signing",
        "signed_on": "Date",
    }
    rest = tuple(
        FormField(f.path, wording.get(f.path[1], f.label), f.kind, f.options, f.member, f.lines,
                  f.hint)
        for f in rest
    )  # fmt: skip
    signature = FormField(
        ("consent", "signature"),
        "Signature of the patient (or of the person signing for them)",
        Kind.SIGNATURE,
    )
    return (*risks, *rest, signature)


@functools.cache
def form_sections() -> tuple[FormSection, ...]:
    """The patient form, section by section, in the order it is printed (built once)."""
    return (
        FormSection("patient", "About you", PATIENT_FIELDS),
        FormSection("chief_complaint", "Why you are coming", _section_fields("chief_complaint")),
        FormSection(
            "pain", "Your pain, from 0 (none) to 10 (worst imaginable)", _section_fields("pain")
        ),
        FormSection(
            "body_map",
            "Where do you feel it?",
            _body_map_fields(),
            "Mark each place on the drawings with a letter: N numbness, T tingling, "
            "B burning, P pain.",
        ),
        FormSection("symptoms", "Symptoms: tick all that you have", _symptom_fields()),
        FormSection(
            "mnsi",
            "Questions about your legs and feet",
            _mnsi_fields(),
            "Answer every question yes or no. " + mnsi.SOURCE_CITATION,
        ),
        FormSection("causes", "Health conditions", _section_fields("causes")),
        FormSection("history", "Medical history", _section_fields("history")),
        FormSection(
            "medications",
            "Medicines you take",
            (
                *_medication_fields(),
                FormField(("supplements",), _label_for(("supplements",)), Kind.LIST),
            ),
        ),
        FormSection("allergies", "Allergies", _section_fields("allergies")),
        FormSection(
            "safety",
            "Safety questions",
            _section_fields("safety"),
            "Some treatments are changed or left out for your safety, so please answer "
            "every question.",
        ),
        FormSection(
            "red_flags",
            "Warning signs",
            _section_fields("red_flags"),
            "If you answer yes to any of these, tell the front desk straight away: you may "
            "need to see a doctor first.",
        ),
        FormSection("lifestyle", "Lifestyle", _section_fields("lifestyle")),
        FormSection(
            "tcm_review",
            "General health (Chinese medicine review)",
            _section_fields("tcm_review"),
        ),
        FormSection("consent", "Consent to treatment", _consent_fields()),
    )


def _label_for(path: tuple[str, ...]) -> str:
    return PATIENT_WORDING.get(path, path[-1].replace("_", " ").capitalize())


def all_fields() -> Iterator[FormField]:
    """Every entry of the form, in order."""
    for section in form_sections():
        yield from section.fields


# -- values: prefilling from an intake and reading a filled form back --------------------------


def _get(data: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for part in path:
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit():
            index = int(part) - 1
            value = value[index] if 0 <= index < len(value) else None
        else:
            return None
    return value


def form_values(
    intake: Mapping[str, Any], patient: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Field values for prefilling a form from intake JSON (and patient details).

    Text fields get strings, tick boxes True/False, yes/no, choice and scale fields the
    chosen option's value as a string ("yes", "no", "type_2", "7"). The consent's name,
    date and signature stay empty (:data:`SIGNED_AFRESH`): an earlier signature must not
    come back as this form's.
    """
    source = dict(intake)
    source["patient"] = dict(patient or {})
    values: dict[str, Any] = {}
    for field in all_fields():
        raw = None if field.path in SIGNED_AFRESH else _get(source, field.path)
        if field.kind is Kind.SIGNATURE:
            values[field.name] = None  # a drawing cannot be put back into a form field
        elif field.kind is Kind.MEMBER:
            values[field.name] = isinstance(raw, list) and field.member in raw
        elif field.kind is Kind.BODY_MARK:
            area, sensation = field.member.split("|")
            values[field.name] = isinstance(raw, Mapping) and sensation in (raw.get(area) or ())
        elif field.kind is Kind.FLAG:
            values[field.name] = raw is True
        elif field.kind is Kind.YES_NO:
            if field.path[0] == "mnsi" or raw is True:
                values[field.name] = None if raw is None else ("yes" if raw else "no")
            else:
                values[field.name] = None  # an unticked safety answer was never asked
        elif field.kind in (Kind.CHOICE, Kind.SCALE):
            values[field.name] = None if raw is None else str(raw)
        elif field.kind is Kind.LIST:
            values[field.name] = ", ".join(raw) if isinstance(raw, list) else ""
        elif field.kind in (Kind.NUMBER, Kind.INTEGER):
            values[field.name] = (
                "" if raw is None else f"{raw:g}" if isinstance(raw, float) else str(raw)
            )
        else:
            values[field.name] = "" if raw is None else str(raw)
    return values


@dataclass(frozen=True)
class FilledForm:
    """What a filled form says: intake JSON, the patient's details, and what was unreadable."""

    intake: dict[str, Any]
    patient: dict[str, Any]
    #: sentences naming answers that could not be read and were left out
    problems: tuple[str, ...] = ()


_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[.](\d{1,2})[.](\d{4})\s*$")


def parse_date(text: str) -> date | None:
    """Read a date written YYYY-MM-DD, YYYY年M月D日 or DD.MM.YYYY; None when empty.

    Raises ValueError for anything else.
    """
    if not text.strip():
        return None
    if match := _DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DAY_FIRST.match(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise ValueError(text)
    return date(year, month, day)


def _option_value(raw: Any) -> str | None:
    """A button's value from a PDF: "/Yes" -> "Yes"; "/Off", "" and None -> None."""
    if raw is None:
        return None
    text = str(raw)
    if text.startswith("/"):
        text = text[1:]
    text = text.replace("#20", " ")
    return None if text in ("", "Off") else text


def _set(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = target
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def values_to_form(values: Mapping[str, Any]) -> FilledForm:
    """Turn raw field values (name -> value as a PDF reader gives them) into intake JSON.

    A signature field's value is its strokes: lists of (x, y) points scaled to 0..1 of the
    box, y downwards, as the intake stores them.

    Unreadable answers (a date like "next May", a number like "a lot") are left out and
    named in ``problems``, so the rest of the form still counts.
    """
    result: dict[str, Any] = {"schema": intake_module.SCHEMA_VERSION}
    problems: list[str] = []
    members: dict[tuple[str, ...], list[str]] = {}
    marks: dict[str, list[str]] = {}
    medications: dict[str, dict[str, Any]] = {}

    for field in all_fields():
        raw = values.get(field.name)
        text = "" if raw is None else str(raw)
        chosen = _option_value(raw)
        try:
            if field.kind is Kind.MEMBER:
                members.setdefault(field.path, [])
                if chosen is not None:
                    members[field.path].append(field.member)
                continue
            if field.kind is Kind.BODY_MARK:
                if chosen is not None:
                    area, sensation = field.member.split("|")
                    marks.setdefault(area, []).append(sensation)
                continue
            if field.kind is Kind.SIGNATURE:
                # the PDF reader hands over the strokes drawn in the box, already scaled
                _set(result, field.path, [list(map(list, s)) for s in raw or []])
                continue
            if field.kind is Kind.FLAG:
                value: Any = chosen is not None
            elif field.kind is Kind.YES_NO:
                value = None if chosen is None else chosen.lower() == "yes"
            elif field.kind is Kind.CHOICE:
                allowed = {v for v, _label in field.options}
                value = chosen if chosen in allowed else None
            elif field.kind is Kind.SCALE:
                value = int(chosen) if chosen is not None else None
                if value is not None and not 0 <= value <= 10:
                    raise ValueError(chosen)
            elif field.kind is Kind.DATE:
                parsed = parse_date(text)
                value = parsed.isoformat() if parsed else None
            elif field.kind is Kind.NUMBER:
                value = float(text.replace(",", ".")) if text.strip() else None
            elif field.kind is Kind.INTEGER:
                value = int(text) if text.strip() else None
            elif field.kind is Kind.LIST:
                # Chinese lists use full-width commas and the enumeration comma
                value = [p.strip() for p in re.split(r"[,;\n，；、]", text) if p.strip()]
            else:
                value = text.strip()
        except ValueError:
            problems.append(
                f"{field.label}: '{text or chosen}' could not be read and was left out."
            )
            continue
        if field.path[0] == "medications":
            medications.setdefault(field.path[1], {})[field.path[2]] = value
        elif field.path[0] == "mnsi":
            if value is not None:
                result.setdefault("mnsi", {})[field.path[1]] = value
        else:
            _set(result, field.path, value)

    for path, chosen_ids in members.items():
        _set(result, path, chosen_ids)
    result["body_map"] = marks
    result["medications"] = [
        row for _number, row in sorted(medications.items(), key=lambda i: int(i[0]))
        if str(row.get("name") or "").strip()
    ]  # fmt: skip
    for number, row in medications.items():
        if not str(row.get("name") or "").strip() and (row.get("dose") or row.get("anticoagulant")):
            problems.append(
                f"Medicine {number} has a dose or a tick but no name, so it was left out."
            )
    result.setdefault("mnsi", {})
    patient = result.pop("patient", {})
    return FilledForm(result, patient, tuple(problems))
