"""The intake form's wording in the patient's language: the editable file, the loader and
its fall-backs.

Every sentence of the blank and fillable intake forms has a key: the fields are keyed by
their form name (``field.safety-anticoagulant``), their choices by field and value
(``option.lifestyle-smoking.former``), the sections by their intake key
(``section.safety``, ``section.safety.intro``), and the words around them by name
(``title``, ``yes``, ``page``...). English is the program's own wording (the intake's labels
and :data:`frontdesk.documents.form_spec.PATIENT_WORDING`), so a question added to the intake
is on the English form at once; other languages come from ``resources/intake_form/<lang>/``
(or a clinic's override folder), in the ``key = value`` format described in the README
there, over the built-in translations of :mod:`frontdesk.documents.form_text_defaults`.

Whatever happens to the files, the form prints: a missing or broken file, an unknown key or
a value with a broken placeholder falls back to the built-in text, then to English, and is
named in ``problems``.

Plain Python (no ReportLab), so a settings screen can check the clinic's edits cheaply.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from frontdesk.documents import form_spec, form_text_defaults
from frontdesk.documents.form_spec import FormField, FormSection, Kind
from frontdesk.documents.formatting import MONTHS
from frontdesk.documents.handout_texts import normalise_language, parse_labels
from frontdesk.domain.body_map import ALL_AREAS, SENSATION_ORDER, Region, Side
from frontdesk.domain.intake import SYMPTOMS
from frontdesk.domain.resources import read_editable_text

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "en"
FILE_NAME = "form.txt"

#: languages written without spaces between words: their lines break between characters
CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})

#: the words around the questions, in English
WORDS: Mapping[str, str] = {
    "title": "Patient intake and health history",
    "intro.paper": (
        "Please write clearly and tick the boxes that apply. Your answers are confidential. "
        "They help us treat you safely, so please answer every question you can; ask at the "
        "desk if something is unclear."
    ),
    "intro.tablet": (
        "Tap a box to tick it and a line to type on it. Your answers are confidential. They "
        "help us treat you safely, so please answer every question you can; ask at the desk "
        "if something is unclear."
    ),
    "running_title": "Intake form",
    "footer": "Confidential once filled in.",
    "page": "Page {page} of {total}",
    "months": ",".join(MONTHS),
    "date_format": "{day} {month} {year}",
    "separator": " · ",
    "yes": "Yes",
    "no": "No",
    "with_hint": "{label} ({hint})",
    "hint.date": "YYYY-MM-DD",
    "body_map.tablet_intro": (
        "Tick each place where you feel something; the drawings show where each part is."
    ),
    "body_mark": "{area}: {sensation}",
    "medications.medicine": "Medicine",
    "medications.dose": "Dose and how often",
    "medications.blood_thinner": "Blood thinner?",
    "medication.name": "Medicine {row}",
    "medication.dose": "Dose and how often ({row})",
    "medication.anticoagulant": "Blood thinner ({row})",
    "consent.intro": (
        "Acupuncture and the other treatments here are safe for most people, but like any "
        "treatment they carry some risks. Please read each one and tick it to show you have "
        "understood it."
    ),
    "signature.hint": (
        "To sign, tap the box below and follow your PDF app, or draw your signature in the "
        "box with a finger or a pen."
    ),
    "signature.tooltip": "Sign here",
    "view.foot.left.top": "Left foot, top",
    "view.foot.right.top": "Right foot, top",
    "view.foot.left.sole": "Left sole",
    "view.foot.right.sole": "Right sole",
    "view.hand.left.back": "Left hand, back",
    "view.hand.right.back": "Right hand, back",
    "view.hand.left.palm": "Left palm",
    "view.hand.right.palm": "Right palm",
}


# -- keys --------------------------------------------------------------------------------------


def field_key(entry: FormField) -> str:
    """The key of a field's question or label, e.g. ``field.safety-anticoagulant``."""
    if entry.path[0] == "medications" and len(entry.path) == 3:
        return f"medication.{entry.path[2]}"  # one wording for every row, with {row}
    return f"field.{entry.name}"


def option_key(entry: FormField, value: str) -> str:
    """The key of one choice of a field, e.g. ``option.lifestyle-smoking.former``."""
    return f"option.{entry.name}.{value}"


def _english_body_mark(area_id: str, sensation: str) -> tuple[str, str]:
    area = next(a for a in ALL_AREAS if a.id == area_id)
    return area.label, sensation


def english_texts() -> dict[str, str]:
    """Every key of the form with its English text, in the order the form prints them."""
    texts = dict(WORDS)
    for section in form_spec.form_sections():
        texts[f"section.{section.key}"] = section.title
        if section.intro:
            texts[f"section.{section.key}.intro"] = section.intro
        for entry in section.fields:
            if entry.kind is Kind.BODY_MARK:
                continue  # worded from the area and sensation texts below
            if entry.path[0] != "medications" or len(entry.path) != 3:
                texts[field_key(entry)] = entry.label
            for value, label in entry.options:
                texts[option_key(entry, value)] = label
    for group in SYMPTOMS:
        texts[f"symptom_group.{group.value}"] = group.label
    for side in Side:
        texts[f"body_map.side.{side.value}"] = f"{side.label} side"
    for region in Region:
        texts[f"region.{region.value}"] = region.label.capitalize()
    for sensation in SENSATION_ORDER:
        texts[f"sensation.{sensation.value}"] = sensation.label.capitalize()
    for area in ALL_AREAS:
        texts[f"area.{area.id}"] = area.label
    return texts


# -- texts of one language ----------------------------------------------------------------------


@dataclass
class FormTexts:
    """The form's wording in one language, every fall-back already applied."""

    language: str
    #: translated or edited texts; a key missing here prints in English
    texts: dict[str, str]
    #: what fell back and why, for a settings screen that checks the clinic's edits
    problems: list[str] = dataclasses.field(default_factory=list)

    @property
    def wraps_between_characters(self) -> bool:
        """Whether lines may break between any two characters (Chinese, Japanese...)."""
        return self.language in CJK_LANGUAGES

    def get(self, key: str, english: str) -> str:
        """The text of ``key``, or ``english`` when this language has none."""
        return self.texts.get(key) or english

    def format(self, key: str, english: str, **values: Any) -> str:
        """The text of ``key`` with its ``{placeholders}`` filled in."""
        try:
            return self.get(key, english).format(**values)
        except (KeyError, IndexError, ValueError):
            # an edited text with a typo in a placeholder prints the English one
            return english.format(**values)

    def word(self, key: str, **values: Any) -> str:
        """One of the words around the questions (:data:`WORDS`)."""
        return self.format(key, WORDS[key], **values) if values else self.get(key, WORDS[key])

    def field(self, entry: FormField) -> str:
        """A field's question or label."""
        if entry.path[0] == "medications" and len(entry.path) == 3:
            part = entry.path[2]
            return self.format(f"medication.{part}", WORDS[f"medication.{part}"], row=entry.path[1])
        if entry.kind is Kind.BODY_MARK:
            area_id, sensation = entry.member.split("|")
            area, english_sensation = _english_body_mark(area_id, sensation)
            return self.word(
                "body_mark",
                area=self.get(f"area.{area_id}", area),
                sensation=self.get(f"sensation.{sensation}", english_sensation).lower(),
            )
        return self.get(field_key(entry), entry.label)

    def label_with_hint(self, entry: FormField) -> str:
        """A field's label followed by its hint (how to write a date), if it has one."""
        label = self.field(entry)
        if not entry.hint:
            return label
        hint = self.word("hint.date") if entry.kind is Kind.DATE else entry.hint
        return self.word("with_hint", label=label, hint=hint)

    def option(self, entry: FormField, value: str, english: str) -> str:
        """The wording of one choice of a field."""
        return self.get(option_key(entry, value), english)

    def section_title(self, section: FormSection) -> str:
        return self.get(f"section.{section.key}", section.title)

    def section_intro(self, section: FormSection) -> str:
        return self.get(f"section.{section.key}.intro", section.intro) if section.intro else ""

    def date(self, day: date) -> str:
        """A date written out in this language, without the computer's regional settings."""
        months = [m.strip() for m in self.word("months").split(",")]
        if len(months) != 12:
            months = list(MONTHS)
        month = months[day.month - 1]
        return self.format(
            "date_format", WORDS["date_format"], day=day.day, month=month, year=day.year
        )


# -- files ----------------------------------------------------------------------------------------


def shipped_texts_dir() -> Path:
    """The shipped texts (``resources/intake_form``); a clinic's override folder is alike."""
    from frontdesk.domain.resources import resource_path

    return resource_path("intake_form")


def read_form_texts(
    language: str | None,
    override_dir: Path | str | None = None,
    *,
    resources_dir: Path | str | None = None,
) -> FormTexts:
    """Load the form's wording for ``language`` (a tag such as "zh-CN"; None means English).

    Texts are taken key by key from ``override_dir/<lang>/form.txt`` (the clinic's edits),
    else from the shipped ``resources/intake_form/<lang>/form.txt``, else from the built-in
    translation, else in English. Never raises for a text problem.
    """
    lang = normalise_language(language)
    texts = dict(form_text_defaults.TEXTS.get(lang, {}))
    problems: list[str] = []
    known = english_texts()
    roots = [Path(p) for p in (resources_dir or shipped_texts_dir(), override_dir) if p]
    # the shipped file first, so the clinic's edits win key by key
    for root in roots:
        path = root / lang / FILE_NAME
        text = read_editable_text(path, "intake form text")
        if text is None:
            continue
        for key, value in parse_labels(text).items():
            if key not in known:
                problems.append(f"{path}: unknown key '{key}' is not printed")
            elif not _fills(value, known[key]):
                problems.append(
                    f"{path}: '{key}' has a broken {{placeholder}}; the text before it is used"
                )
            else:
                texts[key] = value
    if lang != DEFAULT_LANGUAGE and not texts:
        lang = DEFAULT_LANGUAGE  # no translation at all: the form prints in English
    for problem in problems:
        log.warning("intake form texts: %s", problem)
    return FormTexts(lang, texts, problems)


def _fills(value: str, english: str) -> bool:
    """Whether ``value`` can be filled in with the placeholders of its English text."""
    try:
        value.format(**{name: "" for name in _placeholders(english)})
    except (KeyError, IndexError, ValueError):
        return False
    return True


def _placeholders(text: str) -> Iterator[str]:
    import string

    for _literal, name, _spec, _conversion in string.Formatter().parse(text):
        if name:
            yield name


_loaded: dict[tuple[Any, ...], FormTexts] = {}


def _signature(paths: Iterable[Path]) -> tuple[tuple[str, float, int], ...]:
    found = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            continue
        found.append((str(path), info.st_mtime, info.st_size))
    return tuple(found)


def load_form_texts(
    language: str | None,
    override_dir: Path | str | None = None,
    *,
    resources_dir: Path | str | None = None,
) -> FormTexts:
    """Like :func:`read_form_texts`, but remembers the result until a text file changes."""
    lang = normalise_language(language)
    shipped = Path(resources_dir) if resources_dir is not None else shipped_texts_dir()
    files = [shipped / lang / FILE_NAME]
    if override_dir is not None:
        files.append(Path(override_dir) / lang / FILE_NAME)
    key = (lang, str(override_dir), str(shipped), _signature(files))
    texts = _loaded.get(key)
    if texts is None:
        texts = read_form_texts(language, override_dir, resources_dir=resources_dir)
        if len(_loaded) > 64:
            _loaded.clear()
        _loaded[key] = texts
    return FormTexts(texts.language, dict(texts.texts), list(texts.problems))


def reference_file(language: str) -> str:
    """The text of the shipped ``form.txt`` of a language.

    English lists every key with its wording as comments, for the clinic to copy a line,
    uncomment it and reword it; other languages list the built-in translation.
    """
    english = english_texts()
    translated = form_text_defaults.TEXTS.get(language, {})
    lines = [
        "# Wording of the intake form. One 'key = value' per line; lines starting with # are",
        "# comments. Words in braces ({page}, {row}...) are filled in by the program.",
        "# See ../README.md.",
        "",
    ]
    for key, text in english.items():
        if language == DEFAULT_LANGUAGE:
            lines.append(f"# {key} = {_quoted(text)}")
        elif key in translated:
            lines.append(f"{key} = {_quoted(translated[key])}")
    return "\n".join(lines) + "\n"


def _quoted(value: str) -> str:
    return f'"{value}"' if value != value.strip() else value
