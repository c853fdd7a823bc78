"""Safety rules: which intake answers stop, restrict or warn about which services.

The whole policy is one table, :data:`SAFETY_RULES`: one row per safety-screen question, one
cell per service, each cell a severity and a short note. Code elsewhere only reads the table,
so changing the clinic's policy means editing one row.

Severities, from mild to strict:

* ``AREA``: the service may go ahead away from an affected area (a sore, a tumour site, a
  swollen limb); the areas are listed in the decision.
* ``WARN``: the service may go ahead once the warning has been seen and acknowledged.
* ``HOLD``: treated as STOP until a *practitioner* acknowledges the risk (no written reason
  needed). Used for moxibustion or heat on a patient with numb skin: the patient cannot feel
  a burn coming, so somebody who will be at the table must accept responsibility for
  checking the skin; a receptionist's click is not enough.
* ``STOP``: the service must not be performed; only a practitioner, giving a reason, can
  override.

A consultation is never restricted: talking and taking a history is always safe.

Red flags (possible Guillain-Barré syndrome, a threatened foot, possible Charcot foot) are
not service rules: they mean "advise medical care first". They make every hands-on service
need an acknowledgement, and the UI shows their advice to whoever books.

A patient with no intake on file gets the same treatment as a warning: the safety questions
have not been asked, so every hands-on service needs an acknowledgement until they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from frontdesk.domain.enums import ServiceKind
from frontdesk.domain.errors import SafetyAcknowledgementRequired, SafetyError
from frontdesk.domain.intake import SAFETY_QUESTIONS, IntakeData
from frontdesk.domain.points import (
    PREGNANCY_CAUTION_POINTS,
    PREGNANCY_TRADITIONAL_POINTS,
    pregnancy_flagged,
)


class Severity(StrEnum):
    NONE = "none"
    AREA = "area"
    WARN = "warn"
    HOLD = "hold"
    STOP = "stop"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @property
    def label(self) -> str:
        return _SEVERITY_LABELS[self]


_SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}
_SEVERITY_LABELS = {
    Severity.NONE: "no restriction",
    Severity.AREA: "avoid the area",
    Severity.WARN: "caution",
    Severity.HOLD: "stopped until a practitioner acknowledges",
    Severity.STOP: "stopped",
}


class DecisionLevel(StrEnum):
    """What the person booking or starting a service must do."""

    CLEAR = "clear"  # nothing to do
    ACKNOWLEDGE = "acknowledge"  # confirm the warnings have been seen
    OVERRIDE = "override"  # a practitioner must override with a reason

    @property
    def rank(self) -> int:
        return {"clear": 0, "acknowledge": 1, "override": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Effect:
    """One cell of the table: what an answer means for one service."""

    severity: Severity
    note: str


@dataclass(frozen=True, slots=True)
class SafetyRule:
    """One row of the table."""

    code: str  # the safety-screen question (a SafetyScreen field name)
    label: str  # short words for the desk, e.g. "Blood thinner"
    badge: str  # a few capitals for calendar blocks
    effects: Mapping[ServiceKind, Effect]
    detail_field: str | None = None  # the screen field that says where, if any
    area_label: str = ""  # how an area to avoid is introduced, e.g. "Sore or burn"

    def effect_for(self, kind: ServiceKind) -> Effect:
        return self.effects.get(kind, _NO_EFFECT)


_NO_EFFECT = Effect(Severity.NONE, "")

_ACU = ServiceKind.ACUPUNCTURE
_EA = ServiceKind.ELECTRO_ACUPUNCTURE
_CUP = ServiceKind.CUPPING
_MAS = ServiceKind.MASSAGE
_MOX = ServiceKind.MOXIBUSTION
_STOP, _WARN, _AREA, _HOLD = Severity.STOP, Severity.WARN, Severity.AREA, Severity.HOLD

#: the clinic's safety policy, one row per safety-screen question, in screen order
SAFETY_RULES: tuple[SafetyRule, ...] = (
    SafetyRule(
        "implanted_device",
        "Implanted device",
        "PM",
        {
            _ACU: Effect(_WARN, "needles well away from the device"),
            _EA: Effect(_STOP, "no electrical stimulation with an implanted device"),
            _CUP: Effect(_WARN, "no cups over or near the device"),
        },
        detail_field="implanted_device_location",
        area_label="Implanted device",
    ),
    SafetyRule(
        "bleeding_disorder",
        "Bleeding disorder",
        "BLEED",
        {
            _ACU: Effect(_STOP, "needle sites may not stop bleeding"),
            _EA: Effect(_STOP, "needle sites may not stop bleeding"),
            _CUP: Effect(_STOP, "suction causes bleeding under the skin"),
            _MAS: Effect(_WARN, "gentle pressure only: bruises easily"),
        },
    ),
    SafetyRule(
        "anticoagulant",
        "Blood thinner",
        "AC",
        {
            _ACU: Effect(_WARN, "expect more bleeding: press needle sites for longer"),
            _EA: Effect(_WARN, "expect more bleeding: press needle sites for longer"),
            _CUP: Effect(_WARN, "stronger marks and bruising: lighter suction"),
            _MAS: Effect(_WARN, "light pressure only"),
        },
    ),
    SafetyRule(
        "pregnant",
        "Pregnant",
        "PREG",
        {
            _ACU: Effect(
                _WARN,
                f"leave out {', '.join(PREGNANCY_CAUTION_POINTS[:-1])} and "
                f"{PREGNANCY_CAUTION_POINTS[-1]} ({', '.join(PREGNANCY_TRADITIONAL_POINTS)} in "
                "some traditions), the lower abdomen and the low back",
            ),
            _EA: Effect(_STOP, "no electrical stimulation across the abdomen or low back"),
            _CUP: Effect(_WARN, "no cups on the abdomen or low back"),
            _MAS: Effect(_WARN, "no deep work on the abdomen, low back or the pregnancy points"),
            _MOX: Effect(_WARN, "no heat on the abdomen or low back"),
        },
        area_label="Pregnancy",
    ),
    SafetyRule(
        "epilepsy",
        "Epilepsy",
        "EPI",
        {
            _ACU: Effect(_WARN, "a seizure is possible: treat lying down and stay close"),
            _EA: Effect(_WARN, "stimulation may provoke a seizure: low intensity, never the head"),
        },
    ),
    SafetyRule(
        "numbness",
        "Numb skin",
        "NUMB",
        {
            _ACU: Effect(_WARN, "numb skin gives no warning: check every needle site yourself"),
            _EA: Effect(_WARN, "the patient cannot judge the intensity: keep it low"),
            _CUP: Effect(_WARN, "the patient cannot feel over-suction: watch the skin"),
            _MAS: Effect(_WARN, "no deep pressure"),
            _MOX: Effect(_HOLD, "no heat on numb skin: burn risk"),
        },
    ),
    SafetyRule(
        "open_wound",
        "Open sore",
        "SKIN",
        {
            kind: Effect(_AREA, "not on or near the sore, ulcer, infection or burn")
            for kind in (_ACU, _EA, _CUP, _MAS, _MOX)
        },
        detail_field="open_wound_location",
        area_label="Sore, ulcer or burn",
    ),
    SafetyRule(
        "dvt",
        "Clot (DVT)",
        "DVT",
        {
            _EA: Effect(_WARN, "no stimulation on the affected limb"),
            _CUP: Effect(_STOP, "suction could dislodge a clot"),
            _MAS: Effect(_STOP, "pressure could dislodge a clot"),
        },
    ),
    SafetyRule(
        "active_cancer",
        "Active cancer",
        "CA",
        {
            _ACU: Effect(_AREA, "no needles at the tumour site"),
            _EA: Effect(_WARN, "no stimulation near the tumour site"),
            _CUP: Effect(_STOP, "no cupping during active cancer"),
            _MAS: Effect(_WARN, "only with the oncologist's clearance"),
        },
        detail_field="cancer_location",
        area_label="Tumour site",
    ),
    SafetyRule(
        "lymphoedema",
        "Lymphoedema",
        "LYMPH",
        {
            _ACU: Effect(_AREA, "no needles in the swollen limb"),
            _EA: Effect(_AREA, "nothing on the swollen limb"),
            _CUP: Effect(_WARN, "no suction on the swollen limb"),
            _MAS: Effect(_WARN, "only gentle, lymphoedema-aware work on that limb"),
        },
        detail_field="lymphoedema_limb",
        area_label="Swollen limb",
    ),
    SafetyRule(
        "needle_phobia",
        "Fear of needles",
        "PHOB",
        {
            _ACU: Effect(_WARN, "explain first, treat lying down, few needles"),
            _EA: Effect(_WARN, "explain first, treat lying down, few needles"),
        },
    ),
    SafetyRule(
        "fainting_history",
        "Has fainted before",
        "FAINT",
        {
            _ACU: Effect(_WARN, "treat lying down and keep watching"),
            _EA: Effect(_WARN, "treat lying down and keep watching"),
        },
    ),
    SafetyRule(
        "fasting_today",
        "Not eaten today",
        "FAST",
        {
            _ACU: Effect(_WARN, "fainting is more likely: offer a snack first"),
            _EA: Effect(_WARN, "fainting is more likely: offer a snack first"),
        },
    ),
)
_RULES_BY_CODE = {rule.code: rule for rule in SAFETY_RULES}
__all__ = [
    "HANDS_ON_KINDS",
    "PREGNANCY_CAUTION_POINTS",
    "PREGNANCY_TRADITIONAL_POINTS",
    "RED_FLAGS",
    "SAFETY_RULES",
    "DecisionLevel",
    "Effect",
    "RedFlag",
    "SafetyAssessment",
    "SafetyDecision",
    "SafetyFlag",
    "SafetyReason",
    "SafetyRule",
    "Severity",
    "assess",
    "check_allowed",
    "pregnancy_flagged_points",
    "rule",
]

# the table must cover exactly the screen's questions and never restrict a consultation
assert set(_RULES_BY_CODE) == set(SAFETY_QUESTIONS), "safety table and screen disagree"
assert all(ServiceKind.CONSULTATION not in r.effects for r in SAFETY_RULES)


def rule(code: str) -> SafetyRule:
    """The table row for a safety-screen question."""
    return _RULES_BY_CODE[code]


@dataclass(frozen=True, slots=True)
class RedFlag:
    """An answer that means "see a doctor first"."""

    code: str
    label: str
    advice: str


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        "spreading_weakness",
        "Weakness spreading fast up both legs, or trouble breathing or swallowing",
        "This can be Guillain-Barré syndrome. Advise urgent medical care today, by ambulance "
        "if breathing or swallowing is hard. Do not just book a treatment.",
    ),
    RedFlag(
        "foot_ulcer_infection",
        "Foot ulcer with fever, a cold or blackened toe, or spreading infection",
        "The foot may be infected or losing its blood supply. Advise seeing a doctor or "
        "urgent care today, before any treatment.",
    ),
    RedFlag(
        "hot_swollen_foot",
        "Red, hot, swollen foot",
        "With neuropathy this can be a Charcot foot. Advise seeing a doctor promptly, "
        "before any treatment of that foot.",
    ),
)

NO_SCREEN_LABEL = "No safety screen yet"
NO_SCREEN_BADGE = "SCREEN?"
NO_SCREEN_NOTE = "the safety questions have not been asked yet: ask them before treating"
RED_FLAG_BADGE = "REFER"
RED_FLAG_NOTE = "warning signs: advise medical care before treating"

#: services limited by safety rules (everything except a consultation)
HANDS_ON_KINDS: tuple[ServiceKind, ...] = tuple(
    k for k in ServiceKind if k is not ServiceKind.CONSULTATION
)


@dataclass(frozen=True, slots=True)
class SafetyFlag:
    """One safety answer that applies to this patient, with what it means per service."""

    code: str
    label: str
    badge: str
    effects: Mapping[ServiceKind, Effect]
    sources: tuple[str, ...]  # why it applies: "answered yes", "warfarin on the list" ...
    detail: str = ""  # where, when the screen says (a sore's location, the swollen limb)

    def severity_for(self, kind: ServiceKind) -> Severity:
        return self.effects.get(kind, _NO_EFFECT).severity

    def note_for(self, kind: ServiceKind) -> str:
        return self.effects.get(kind, _NO_EFFECT).note


@dataclass(frozen=True, slots=True)
class SafetyReason:
    """Why a decision is what it is: one flag's effect on one service."""

    code: str
    label: str
    kind: ServiceKind
    severity: Severity
    note: str

    @property
    def text(self) -> str:
        """E.g. ``"Electro-acupuncture: Implanted device (stopped): no electrical ..."``."""
        return f"{self.kind.label}: {self.label} ({self.severity.label}): {self.note}"

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class SafetyDecision:
    """What the safety rules say about a set of services for one patient."""

    kinds: tuple[ServiceKind, ...]
    level: DecisionLevel
    reasons: tuple[SafetyReason, ...]
    areas_to_avoid: tuple[str, ...]
    red_flags: tuple[RedFlag, ...] = ()

    @property
    def stops(self) -> tuple[SafetyReason, ...]:
        """The reasons that need a practitioner's override."""
        return tuple(r for r in self.reasons if r.severity is Severity.STOP)

    @property
    def holds(self) -> tuple[SafetyReason, ...]:
        """The reasons that need a practitioner's acknowledgement."""
        return tuple(r for r in self.reasons if r.severity is Severity.HOLD)

    @property
    def warnings(self) -> tuple[SafetyReason, ...]:
        """The reasons that need somebody's acknowledgement (warnings and areas)."""
        return tuple(r for r in self.reasons if r.severity in (Severity.WARN, Severity.AREA))

    @property
    def needs_practitioner(self) -> bool:
        """Only a practitioner can let this go ahead."""
        return self.level is DecisionLevel.OVERRIDE or bool(self.holds)

    def lines(self) -> list[str]:
        """Every reason and area as a line, strictest first, for a dialog."""
        ordered = sorted(self.reasons, key=lambda r: -r.severity.rank)
        found = [r.text for r in ordered]
        found += [f"Avoid: {area}" for area in self.areas_to_avoid]
        found += [f"Advise medical care: {flag.label}. {flag.advice}" for flag in self.red_flags]
        return found


class SafetyAssessment:
    """Every safety flag and red flag of one patient's intake."""

    def __init__(
        self,
        flags: Iterable[SafetyFlag],
        red_flags: Iterable[RedFlag],
        *,
        screen_missing: bool = False,
    ) -> None:
        self.flags: list[SafetyFlag] = list(flags)
        self.red_flags: list[RedFlag] = list(red_flags)
        #: True when there is no intake at all, so nothing has been asked yet
        self.screen_missing = screen_missing

    def __repr__(self) -> str:
        codes = [f.code for f in self.flags] + [r.code for r in self.red_flags]
        return f"SafetyAssessment({codes!r}, screen_missing={self.screen_missing})"

    @property
    def is_clear(self) -> bool:
        """A screen is on file and nothing in it restricts anything."""
        return not (self.flags or self.red_flags or self.screen_missing)

    def flag(self, code: str) -> SafetyFlag | None:
        return next((f for f in self.flags if f.code == code), None)

    def decision_for(self, kinds: Iterable[ServiceKind]) -> SafetyDecision:
        """Combine the flags for the services of one visit: the strictest one wins."""
        chosen = tuple(dict.fromkeys(kinds))
        hands_on = [k for k in chosen if k is not ServiceKind.CONSULTATION]
        reasons: list[SafetyReason] = []
        areas: list[str] = []
        level = DecisionLevel.CLEAR
        for kind in hands_on:
            if self.screen_missing:
                reasons.append(
                    SafetyReason("no_screen", NO_SCREEN_LABEL, kind, Severity.WARN, NO_SCREEN_NOTE)
                )
            if self.red_flags:
                reasons.append(
                    SafetyReason("red_flag", "Warning signs", kind, Severity.WARN, RED_FLAG_NOTE)
                )
            for flag in self.flags:
                effect = flag.effects.get(kind, _NO_EFFECT)
                if effect.severity is Severity.NONE:
                    continue
                reasons.append(
                    SafetyReason(flag.code, flag.label, kind, effect.severity, effect.note)
                )
                if _RULES_BY_CODE[flag.code].area_label:
                    areas.append(_area_text(flag))
        for reason in reasons:
            needed = (
                DecisionLevel.OVERRIDE
                if reason.severity is Severity.STOP
                else DecisionLevel.ACKNOWLEDGE
            )
            if needed.rank > level.rank:
                level = needed
        return SafetyDecision(
            kinds=chosen,
            level=level,
            reasons=tuple(reasons),
            areas_to_avoid=tuple(dict.fromkeys(areas)),
            red_flags=tuple(self.red_flags) if hands_on else (),
        )

    def summary_line(self) -> str:
        """One line for the desk, e.g. ``"Implanted device · Blood thinner · Pregnant"``."""
        parts = []
        if self.screen_missing:
            parts.append(NO_SCREEN_LABEL)
        if self.red_flags:
            parts.append("Advise medical care")
        parts += [flag.label for flag in self.flags]
        return " · ".join(parts)

    def badges(self) -> list[str]:
        """Short capitals for calendar blocks, most urgent first, e.g. ``["PM", "AC"]``."""
        found = []
        if self.screen_missing:
            found.append(NO_SCREEN_BADGE)
        if self.red_flags:
            found.append(RED_FLAG_BADGE)
        return found + [flag.badge for flag in self.flags]


def _area_text(flag: SafetyFlag) -> str:
    table_row = _RULES_BY_CODE[flag.code]
    if flag.code == "pregnant":
        return "Pregnancy: the lower abdomen, the low back and the pregnancy points"
    where = flag.detail or "where not recorded: ask"
    return f"{table_row.area_label}: {where}"


def assess(intake: IntakeData | None) -> SafetyAssessment:
    """Work out the safety flags and red flags of an intake (None: no intake on file yet)."""
    if intake is None:
        return SafetyAssessment([], [], screen_missing=True)
    reasons = intake.safety_reasons()
    flags = []
    for table_row in SAFETY_RULES:
        sources = reasons.get(table_row.code)
        if not sources:
            continue
        detail = getattr(intake.safety, table_row.detail_field) if table_row.detail_field else ""
        flags.append(
            SafetyFlag(
                code=table_row.code,
                label=table_row.label,
                badge=table_row.badge,
                effects=table_row.effects,
                sources=sources,
                detail=detail,
            )
        )
    red = [flag for flag in RED_FLAGS if getattr(intake.red_flags, flag.code)]
    return SafetyAssessment(flags, red)


def check_allowed(
    decision: SafetyDecision,
    *,
    acknowledged: bool,
    override_reason: str | None,
    overrider_is_practitioner: bool,
) -> None:
    """Refuse a booking or treatment the safety rules do not allow.

    ``acknowledged``: the person acting has seen the warnings. ``override_reason``: a
    practitioner's written reason to go ahead despite a STOP (also accepted for a HOLD).
    ``overrider_is_practitioner``: the person acting is a practitioner.

    Raises SafetyError when a STOP is not overridden by a practitioner with a reason, or a
    HOLD is not acknowledged by a practitioner; SafetyAcknowledgementRequired when warnings
    have not been acknowledged. Returns None when the action may go ahead.
    """
    if decision.level is DecisionLevel.CLEAR:
        return
    reason_given = bool(override_reason and override_reason.strip())
    practitioner_override = overrider_is_practitioner and reason_given
    if decision.stops and not practitioner_override:
        raise SafetyError(
            _join_reasons("Not allowed", decision.stops)
            + " A practitioner can override this by giving a reason.",
            field="override_reason",
        )
    if practitioner_override:
        return  # an override with a reason also covers the warnings it was given over
    if decision.holds and not overrider_is_practitioner:
        raise SafetyError(
            _join_reasons("Stopped until a practitioner acknowledges it", decision.holds)
            + " A practitioner can acknowledge it, or override it by giving a reason.",
            field="acknowledged",
        )
    if not acknowledged:
        raise SafetyAcknowledgementRequired(
            _join_reasons("Please confirm you have seen", decision.reasons)
            + (f" Avoid: {'; '.join(decision.areas_to_avoid)}." if decision.areas_to_avoid else ""),
            field="acknowledged",
        )


def _join_reasons(opening: str, reasons: Iterable[SafetyReason]) -> str:
    lines = [f"{r.kind.label}: {r.label}, {r.note}" for r in reasons]
    return f"{opening}: " + "; ".join(lines) + "."


def pregnancy_flagged_points(
    codes: Iterable[str], *, include_traditional: bool = True
) -> list[str]:
    """Which of the chosen points to flag for a patient who is or may be pregnant.

    Accepts loose spellings ("li 4", "SP-6", "LIV3"); returns the flagged points (LI4, SP6,
    BL60, BL67, and LR3 unless ``include_traditional`` is False) as standard codes, in the
    order given, without repeats.
    """
    return pregnancy_flagged(codes, include_traditional=include_traditional)
