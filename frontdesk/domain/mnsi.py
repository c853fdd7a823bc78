"""Michigan Neuropathy Screening Instrument (MNSI): the patient questionnaire and the exam.

Source: Feldman EL, Stevens MJ, Thomas PK, Brown MB, Canal N, Greene DA. "A practical
two-step quantitative clinical and electrophysiological assessment for the diagnosis and
staging of diabetic neuropathy." Diabetes Care 1994;17(11):1281-1289. The instrument was
developed at the University of Michigan and is distributed by it as freely available.

The questions below are this program's own wording of each published item; the meaning and
the item numbers follow the published questionnaire, so scores are comparable.

Scoring of the patient questionnaire (history):

* 1 point for "yes" on items 1, 2, 3, 5, 6, 8, 9, 11, 12, 14 and 15;
* 1 point for "no" on items 7 and 13: they ask whether the patient *can* do something
  (tell hot from cold water, feel the feet when walking), so "no" is the abnormal answer;
* items 4 (cramps) and 10 (weak all over) are asked but never scored;
* the maximum is 13; 7 or more is the usual positive screen. Some studies use 4 or more;
  :data:`ALTERNATIVE_CUTOFF` holds that figure for reports that want to show it.

Scoring of the physical examination (practitioner), per foot: appearance (normal 0,
abnormal 1), ulceration (absent 0, present 1), ankle reflex (present 0, only with
reinforcement 0.5, absent 1) and vibration at the big toe (present 0, reduced 0.5,
absent 1): at most 8 for both feet, 10 when the optional monofilament test is scored too
(normal 0, reduced 0.5, absent 1). 2.5 or more is positive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from frontdesk.domain.errors import ValidationError

#: where the instrument comes from, for forms and printed reports
SOURCE_CITATION = (
    "Michigan Neuropathy Screening Instrument, University of Michigan. Feldman EL et al., "
    "Diabetes Care 1994;17(11):1281-1289."
)

MAX_SCORE = 13
DEFAULT_CUTOFF = 7
ALTERNATIVE_CUTOFF = 4
ITEM_NUMBERS: tuple[int, ...] = tuple(range(1, 16))


class Scoring(StrEnum):
    """What answer earns the item's point."""

    YES_SCORES = "yes"
    NO_SCORES = "no"
    NOT_SCORED = "not_scored"


@dataclass(frozen=True, slots=True)
class MnsiItem:
    """One question of the patient questionnaire."""

    number: int
    question: str
    short_label: str  # a few words for lists, diffs and summaries
    scoring: Scoring

    def points_for(self, answer: bool | None) -> int:
        """The point this answer earns: 0 or 1 (unanswered earns nothing)."""
        if answer is None or self.scoring is Scoring.NOT_SCORED:
            return 0
        if self.scoring is Scoring.YES_SCORES:
            return 1 if answer else 0
        return 0 if answer else 1

    @property
    def is_scored(self) -> bool:
        return self.scoring is not Scoring.NOT_SCORED

    @property
    def is_reversed(self) -> bool:
        """True for the two items where "no" is the abnormal answer (7 and 13)."""
        return self.scoring is Scoring.NO_SCORES


_Y, _N, _X = Scoring.YES_SCORES, Scoring.NO_SCORES, Scoring.NOT_SCORED

#: the fifteen items in published order
ITEMS: tuple[MnsiItem, ...] = (
    MnsiItem(1, "Do your legs or feet feel numb?", "numb legs or feet", _Y),
    MnsiItem(2, "Do you ever feel a burning pain in your legs or feet?", "burning pain", _Y),
    MnsiItem(3, "Are your feet overly sensitive when something touches them?", "touchy feet", _Y),
    MnsiItem(4, "Do you get muscle cramps in your legs or feet?", "muscle cramps", _X),
    MnsiItem(5, "Do you ever feel prickling in your legs or feet?", "prickling", _Y),
    MnsiItem(6, "Does it hurt when the bedclothes rest on your skin?", "bedclothes hurt", _Y),
    MnsiItem(
        7,
        "In the bath or shower, can you tell hot water from cold water?",
        "can tell hot from cold water",
        _N,
    ),
    MnsiItem(8, "Have you ever had an open sore on your foot?", "foot sore, ever", _Y),
    MnsiItem(
        9,
        "Has a doctor ever told you that you have diabetic neuropathy?",
        "told: diabetic neuropathy",
        _Y,
    ),
    MnsiItem(10, "Do you feel weak all over most of the time?", "weak all over", _X),
    MnsiItem(11, "Are your symptoms worse at night?", "worse at night", _Y),
    MnsiItem(12, "Do your legs hurt when you walk?", "legs hurt walking", _Y),
    MnsiItem(13, "When you walk, can you feel your feet?", "can feel feet walking", _N),
    MnsiItem(14, "Is the skin on your feet so dry that it cracks open?", "dry, cracked skin", _Y),
    MnsiItem(15, "Have you ever had an amputation?", "amputation", _Y),
)
_ITEMS_BY_NUMBER = {item.number: item for item in ITEMS}

#: items whose abnormal answer means the patient may not feel heat or injury on the feet
SENSATION_LOSS_ITEMS: tuple[int, ...] = (1, 7, 13)


def item(number: int) -> MnsiItem:
    """The questionnaire item with this number (1-15)."""
    try:
        return _ITEMS_BY_NUMBER[number]
    except KeyError:
        raise ValidationError(
            f"The MNSI questionnaire has items 1 to 15; there is no item {number}.",
            field="mnsi",
        ) from None


def is_abnormal(number: int, answer: bool | None) -> bool:
    """Whether an answer is the abnormal one for its item (scored or not).

    For items 4 and 10, which are not scored, "yes" counts as abnormal here so the
    practitioner still sees it.
    """
    if answer is None:
        return False
    entry = item(number)
    return (not answer) if entry.is_reversed else answer


@dataclass(frozen=True, slots=True)
class MnsiResult:
    """The score of one filled-in questionnaire."""

    score: int
    answered: int
    cutoff: int
    scored_items: tuple[int, ...]  # items that earned their point
    unanswered_items: tuple[int, ...]
    max_score: int = MAX_SCORE

    @property
    def complete(self) -> bool:
        """All fifteen questions have an answer."""
        return not self.unanswered_items

    @property
    def positive(self) -> bool:
        """At or above the cut-off (7 unless chosen otherwise)."""
        return self.score >= self.cutoff

    def positive_at(self, cutoff: int) -> bool:
        """Whether the score reaches another cut-off, e.g. :data:`ALTERNATIVE_CUTOFF`."""
        return self.score >= cutoff

    def describe(self) -> str:
        """One line for a chart or a printout, e.g. ``"MNSI 8 of 13: positive (7 or more)"``."""
        verdict = "positive" if self.positive else "below the cut-off"
        line = f"MNSI {self.score} of {self.max_score}: {verdict} ({self.cutoff} or more)"
        if not self.complete:
            missing = len(self.unanswered_items)
            noun = "question" if missing == 1 else "questions"
            line += f"; {missing} {noun} unanswered, so the score may be higher"
        return line


def score_mnsi(answers: Mapping[int, bool | None], *, cutoff: int = DEFAULT_CUTOFF) -> MnsiResult:
    """Score the patient questionnaire.

    ``answers`` maps item number (1-15) to True (yes), False (no) or None (not answered);
    missing items count as not answered. Unanswered items score 0 and are listed in the
    result. Raises ValidationError for item numbers outside 1-15 or non-yes/no answers.
    """
    for number, answer in answers.items():
        item(number)
        if answer is not None and not isinstance(answer, bool):
            raise ValidationError(
                f"MNSI question {number} must be answered yes, no or left blank.", field="mnsi"
            )
    scored: list[int] = []
    unanswered: list[int] = []
    for entry in ITEMS:
        answer = answers.get(entry.number)
        if answer is None:
            unanswered.append(entry.number)
        elif entry.points_for(answer):
            scored.append(entry.number)
    return MnsiResult(
        score=len(scored),
        answered=len(ITEMS) - len(unanswered),
        cutoff=cutoff,
        scored_items=tuple(scored),
        unanswered_items=tuple(unanswered),
    )


def answer_text(answer: bool | None) -> str:
    """``"yes"``, ``"no"`` or ``"not answered"``."""
    if answer is None:
        return "not answered"
    return "yes" if answer else "no"


# -- the physical examination ---------------------------------------------------------------


class Grade(StrEnum):
    """A three-step finding: the names fit reflexes, vibration and monofilament alike."""

    NORMAL = "normal"  # present / felt
    REDUCED = "reduced"  # reflex only with reinforcement; vibration or filament reduced
    ABSENT = "absent"

    @property
    def points(self) -> float:
        return {Grade.NORMAL: 0.0, Grade.REDUCED: 0.5, Grade.ABSENT: 1.0}[self]


class FootAbnormality(StrEnum):
    DEFORMITY = "deformity"
    DRY_SKIN_CALLUS = "dry_skin_callus"
    INFECTION = "infection"
    FISSURE = "fissure"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").replace("skin callus", "skin or callus")


@dataclass(frozen=True, slots=True)
class FootExam:
    """The practitioner's findings on one foot; None means not examined."""

    appearance_normal: bool | None = None
    abnormalities: frozenset[FootAbnormality] = frozenset()
    ulceration: bool | None = None
    ankle_reflex: Grade | None = None
    vibration: Grade | None = None
    monofilament: Grade | None = None  # optional: adds up to 1 point per foot

    def score(self) -> float:
        """Points for this foot; items not examined add nothing."""
        points = 0.0
        if self.appearance_normal is False:
            points += 1.0
        if self.ulceration:
            points += 1.0
        for grade in (self.ankle_reflex, self.vibration, self.monofilament):
            if grade is not None:
                points += grade.points
        return points

    @property
    def complete(self) -> bool:
        """The four core items are recorded (the monofilament is optional)."""
        return None not in (
            self.appearance_normal,
            self.ulceration,
            self.ankle_reflex,
            self.vibration,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "appearance_normal": self.appearance_normal,
            "abnormalities": sorted(a.value for a in self.abnormalities),
            "ulceration": self.ulceration,
            "ankle_reflex": None if self.ankle_reflex is None else self.ankle_reflex.value,
            "vibration": None if self.vibration is None else self.vibration.value,
            "monofilament": None if self.monofilament is None else self.monofilament.value,
        }

    @classmethod
    def from_dict(cls, data: object, side: str) -> FootExam:
        """Read :meth:`to_dict` output; ValidationError names the foot and the finding."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ValidationError(f"The {side} foot exam must be an object.", field="exam")
        unknown = set(data) - {
            "appearance_normal",
            "abnormalities",
            "ulceration",
            "ankle_reflex",
            "vibration",
            "monofilament",
        }
        if unknown:
            raise ValidationError(
                f"Unknown finding '{sorted(unknown)[0]}' in the {side} foot exam.", field="exam"
            )

        def flag(key: str, label: str) -> bool | None:
            value = data.get(key)
            if value is not None and not isinstance(value, bool):
                raise ValidationError(
                    f"{label} ({side} foot) must be true, false or empty.", field="exam"
                )
            return value

        def grade(key: str, label: str) -> Grade | None:
            value = data.get(key)
            if value is None:
                return None
            try:
                return Grade(value)
            except ValueError:
                raise ValidationError(
                    f"{label} ({side} foot) must be normal, reduced or absent.", field="exam"
                ) from None

        raw = data.get("abnormalities") or []
        try:
            abnormalities = frozenset(FootAbnormality(v) for v in raw)
        except (ValueError, TypeError):
            names = ", ".join(a.value for a in FootAbnormality)
            raise ValidationError(
                f"Foot abnormalities ({side} foot) must be a list of: {names}.", field="exam"
            ) from None
        return cls(
            appearance_normal=flag("appearance_normal", "Normal appearance"),
            abnormalities=abnormalities,
            ulceration=flag("ulceration", "Ulceration"),
            ankle_reflex=grade("ankle_reflex", "Ankle reflex"),
            vibration=grade("vibration", "Vibration at the big toe"),
            monofilament=grade("monofilament", "Monofilament"),
        )


EXAM_CUTOFF = 2.5


@dataclass(frozen=True, slots=True)
class MnsiExamResult:
    score: float
    max_score: float  # 8, or 10 when the monofilament was tested
    complete: bool

    @property
    def positive(self) -> bool:
        return self.score >= EXAM_CUTOFF

    def describe(self) -> str:
        """E.g. ``"MNSI exam 3 of 8: positive (2.5 or more)"``."""
        verdict = "positive" if self.positive else "below the cut-off"
        line = (
            f"MNSI exam {self.score:g} of {self.max_score:g}: {verdict} ({EXAM_CUTOFF:g} or more)"
        )
        if not self.complete:
            line += "; not every finding recorded"
        return line


@dataclass(frozen=True, slots=True)
class MnsiExam:
    """The practitioner's MNSI examination of both feet."""

    left: FootExam = field(default_factory=FootExam)
    right: FootExam = field(default_factory=FootExam)

    @property
    def is_empty(self) -> bool:
        return self == MnsiExam()

    def to_dict(self) -> dict[str, Any]:
        return {"left": self.left.to_dict(), "right": self.right.to_dict()}

    @classmethod
    def from_dict(cls, data: object) -> MnsiExam:
        if data is None:
            return cls()
        if not isinstance(data, Mapping) or set(data) - {"left", "right"}:
            raise ValidationError(
                "The MNSI exam must be an object with 'left' and 'right' feet.", field="exam"
            )
        return cls(
            left=FootExam.from_dict(data.get("left"), "left"),
            right=FootExam.from_dict(data.get("right"), "right"),
        )


def score_mnsi_exam(exam: MnsiExam) -> MnsiExamResult:
    """Score the physical examination: 0 to 8 (10 with monofilament); 2.5 or more is positive."""
    with_filament = exam.left.monofilament is not None or exam.right.monofilament is not None
    return MnsiExamResult(
        score=exam.left.score() + exam.right.score(),
        max_score=10.0 if with_filament else 8.0,
        complete=exam.left.complete and exam.right.complete,
    )
